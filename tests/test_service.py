"""`kg serve` as its users meet it: a real server in a subprocess, asked with SPARQLWrapper and plain HTTP.
Every answer is parsed with the standard parser of its format and compared with what rdflib finds in
the same dist/kg.ttl."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest
from answers import json_answer, normal, separators as concat_separators
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper

from kg.graphs import ANALYTICS, DATASET, ONTOLOGY, SHARED, document_graph, scope
from kg.namespaces import AJK, ID
from kg.queries import named_queries, run, with_prologue
from kg.service.pages import Pages
from kg.store import open_store
from service_process import http, start

SRX = "{http://www.w3.org/2005/sparql-results#}"
STATES = "SELECT ?state ?name WHERE { ?state a ajk:State ; rdfs:label ?name FILTER(lang(?name) = 'en') } ORDER BY ?name"

# Spelled out: rdflib's XSD namespace object at module level makes pytest's collection warn (it probes
# every module attribute for "_mock_name", which XSD answers with a UserWarning).
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_NON_NEGATIVE_INTEGER = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"


@pytest.fixture(scope="module")
def served(dist):
    server = start(dist, "--timeout", "5", "--max-rows", "1000")
    yield server
    assert server.stop() == 0


def client(served, query: str, fmt=None, method="GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(served.endpoint)
    wrapper.setQuery(query)
    wrapper.setMethod(method)
    if fmt:
        wrapper.setReturnFormat(fmt)
    return wrapper


def expected_states(kg_graph) -> list[tuple[str, str]]:
    return [(str(r.state), str(r.name)) for r in run(kg_graph, STATES)]


# --- SELECT and ASK in each result format ---------------------------------------------------------

def test_select_json_with_sparqlwrapper(served, kg_graph):
    data = client(served, STATES, JSON).queryAndConvert()
    assert data["head"]["vars"] == ["state", "name"]
    got = [(b["state"]["value"], b["name"]["value"]) for b in data["results"]["bindings"]]
    assert got == expected_states(kg_graph)
    assert all(b["name"]["xml:lang"] == "en" and b["state"]["type"] == "uri" for b in data["results"]["bindings"])


def test_select_xml_parses_with_elementtree(served, kg_graph):
    raw = client(served, STATES, XML).query().response.read()
    root = ET.fromstring(raw)
    assert [v.get("name") for v in root.iter(SRX + "variable")] == ["state", "name"]
    got = []
    for result in root.iter(SRX + "result"):
        cells = {b.get("name"): b[0] for b in result.iter(SRX + "binding")}
        assert cells["state"].tag == SRX + "uri"
        assert cells["name"].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        got.append((cells["state"].text, cells["name"].text))
    assert got == expected_states(kg_graph)


def test_select_csv_parses_with_csv(served, kg_graph):
    raw = client(served, STATES, CSV).query().response.read().decode("utf-8")
    assert "\r\n" in raw  # RFC 4180 line ends, as SPARQL 1.1 CSV requires
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0] == ["state", "name"]
    assert [tuple(r) for r in rows[1:]] == expected_states(kg_graph)


def test_select_tsv_parses_with_rdflib(served, kg_graph):
    raw = client(served, STATES, TSV).query().response.read()
    assert raw.decode("utf-8").splitlines()[0] == "?state\t?name"
    result = Result.parse(io.BytesIO(raw), format="tsv")
    got = [(str(r["state"]), str(r["name"])) for r in result]
    assert got == expected_states(kg_graph)
    assert all(r["name"].language == "en" for r in result)


def test_ask_in_json_and_xml(served):
    assert client(served, "ASK { id:japan a ajk:State }", JSON).queryAndConvert()["boolean"] is True
    assert client(served, "ASK { id:japan a ajk:Person }", JSON).queryAndConvert()["boolean"] is False
    root = ET.fromstring(client(served, "ASK { id:japan a ajk:State }", XML).query().response.read())
    assert root.find(SRX + "boolean").text == "true"


def test_typed_and_unbound_values(served):
    query = "SELECT ?n ?missing WHERE { BIND(COUNT(*) AS ?x) } "  # invalid: aggregate in BIND
    assert http(served.endpoint, params={"query": query}).status == 400
    data = client(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ajk:Statement }", JSON).queryAndConvert()
    binding = data["results"]["bindings"][0]
    assert binding["n"]["datatype"] == XSD_INTEGER and int(binding["n"]["value"]) > 0
    data = client(served, "SELECT ?s ?missing WHERE { ?s a ajk:Summit }", JSON).queryAndConvert()
    assert data["head"]["vars"] == ["s", "missing"]
    assert "missing" not in data["results"]["bindings"][0]  # unbound: absent, as the JSON format says


# --- CONSTRUCT and DESCRIBE in each graph format --------------------------------------------------

CONSTRUCT = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ajk:State ; rdfs:label ?l }"


@pytest.mark.parametrize("fmt, parser", [(TURTLE, "turtle"), (N3, "turtle"), (JSONLD, "json-ld")])
def test_construct_formats_parse_and_match_rdflib(served, kg_graph, fmt, parser):
    raw = client(served, CONSTRUCT, fmt).query().response.read()
    got = Graph().parse(data=raw, format=parser)
    expected = kg_graph.query(with_prologue(CONSTRUCT)).graph
    assert len(got) > 0 and isomorphic(got, expected)


def test_construct_as_ntriples_by_accept(served, kg_graph):
    answer = http(served.endpoint, params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert answer.status == 200 and answer.content_type == "application/n-triples"
    got = Graph().parse(data=answer.text, format="nt")
    assert isomorphic(got, kg_graph.query(with_prologue(CONSTRUCT)).graph)


def test_describe(served):
    answer = http(served.endpoint, params={"query": "DESCRIBE id:japan"}, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (ID.japan, RDFS.label, Literal("Japan", lang="en")) in graph


def test_default_graph_uri_asks_some_named_graphs(served, kg_graph):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ajk:Statement }"

    def statements(*graphs: str) -> int:
        wrapper = client(served, count, JSON)
        for graph in graphs:
            wrapper.addDefaultGraph(graph)
        return int(wrapper.queryAndConvert()["results"]["bindings"][0]["n"]["value"])

    everywhere = len(set(kg_graph.subjects(RDF.type, AJK.Statement)))
    assert statements() == statements(*scope(["mofa-session-summaries"])) == everywhere > 50
    assert statements(ONTOLOGY, SHARED) == 0  # the statements are the document's facts


def test_a_query_s_own_dataset_is_read_instead_of_the_union(served):
    def count(query: str, **params) -> int:
        answer = http(served.endpoint, params={"query": query, **params}, headers={"Accept": "application/sparql-results+json"})
        return int(json.loads(answer.text)["results"]["bindings"][0]["n"]["value"])

    statements = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s a ajk:Statement }}"
    assert count(statements.format("")) > 50
    assert count(statements.format(f"FROM <{ONTOLOGY}>")) == 0
    assert count(statements.format(f"FROM <{document_graph('mofa-session-summaries')}>")) == count(statements.format(""))
    # named graphs only: the default graph is empty, as the protocol has it
    assert count(statements.format(""), **{"named-graph-uri": ONTOLOGY}) == 0


# --- the protocol's three ways to send a query ----------------------------------------------------

def test_get_post_form_and_post_direct_agree(served, kg_graph):
    answers = []
    for method, how in (("GET", None), ("POST", "urlencoded"), ("POST", "postdirectly")):
        wrapper = client(served, STATES, JSON, method)
        if how:
            wrapper.setRequestMethod(how)
        answers.append(wrapper.queryAndConvert()["results"]["bindings"])
    assert answers[0] == answers[1] == answers[2]
    direct = http(served.endpoint, method="POST", data=STATES.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert direct.status == 200 and direct.content_type == "text/csv"


# --- content negotiation --------------------------------------------------------------------------

@pytest.mark.parametrize("accept, media_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html, text/tab-separated-values;q=0.8, */*;q=0.1", "text/tab-separated-values"),
])
def test_select_negotiation(served, accept, media_type):
    answer = http(served.endpoint, params={"query": "SELECT * WHERE { ?s a ajk:Summit }"},
                  headers={"Accept": accept} if accept else {})
    assert answer.status == 200, answer.text
    assert answer.content_type == media_type
    assert "Accept" in answer.headers.get("vary", "")


@pytest.mark.parametrize("fmt, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("text/csv", "text/csv")])
def test_format_parameter_wins_over_accept(served, fmt, media_type):
    answer = http(served.endpoint, params={"query": "ASK {}", "format": fmt}, headers={"Accept": "application/xml"})
    assert answer.status == 200 and answer.content_type == media_type


@pytest.mark.parametrize("accept, media_type", [
    ("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"), (None, "text/turtle")])
def test_construct_negotiation(served, accept, media_type):
    answer = http(served.endpoint, params={"query": CONSTRUCT}, headers={"Accept": accept} if accept else {})
    assert answer.status == 200 and answer.content_type == media_type
    parser = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
              "application/rdf+xml": "xml"}[media_type]
    assert len(Graph().parse(data=answer.body, format=parser)) > 0


def test_unavailable_format_is_406_with_the_choices(served):
    select = http(served.endpoint, params={"query": STATES}, headers={"Accept": "text/turtle"})
    assert select.status == 406 and "text/csv" in select.text
    construct = http(served.endpoint, params={"query": CONSTRUCT, "format": "csv"})
    assert construct.status == 406 and "turtle" in construct.text


# --- service description, VoID/DCAT, dumps, viewer, query page -----------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def report_total(dist) -> int:
    return json.loads((dist / "report.json").read_text(encoding="utf-8"))["triples"]["total"]


def test_service_description_at_the_endpoint(served, dist):
    answer = http(served.endpoint, headers={"Accept": "text/turtle"})
    assert answer.status == 200 and answer.content_type == "text/turtle"
    graph = Graph().parse(data=answer.text, format="turtle")
    endpoint = URIRef(served.endpoint)
    assert (endpoint, RDF.type, URIRef(SD + "Service")) in graph
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    formats = set(graph.objects(endpoint, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats
    default = graph.value(graph.value(endpoint, URIRef(SD + "defaultDataset")), URIRef(SD + "defaultGraph"))
    assert int(graph.value(default, URIRef(VOID + "triples"))) == report_total(dist)
    # the default graph is the union of the named graphs, each named with its triple count
    assert (endpoint, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
    named = {str(graph.value(n, URIRef(SD + "name"))): int(graph.value(graph.value(n, URIRef(SD + "graph")), URIRef(VOID + "triples")))
             for n in graph.objects(None, URIRef(SD + "namedGraph"))}
    assert set(named) == {ONTOLOGY, DATASET, ANALYTICS, SHARED, document_graph("mofa-session-summaries")}
    assert sum(named.values()) == report_total(dist)
    browser = http(served.endpoint, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status == 303 and browser.headers["location"] == "/query"


def test_void_and_dcat_describe_the_dataset(served, dist):
    answer = http(served.url + ".well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=answer.text, format="turtle")
    dataset = ID["dataset"]  # the dataset's own IRI, the same wherever it is served
    assert (dataset, RDF.type, URIRef(VOID + "Dataset")) in graph
    assert (dataset, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in graph
    assert int(graph.value(dataset, URIRef(VOID + "triples"))) == report_total(dist)
    assert graph.value(dataset, URIRef(VOID + "sparqlEndpoint")) == URIRef(served.endpoint)
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) == \
        URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "mofa.go.jp" in str(graph.value(dataset, URIRef("http://purl.org/dc/terms/source")))
    publisher = graph.value(dataset, URIRef("http://purl.org/dc/terms/publisher"))  # an agent, with its names
    assert (publisher, RDF.type, URIRef("http://purl.org/dc/terms/Agent")) in graph
    assert {label.language for label in graph.objects(publisher, RDFS.label)} == {"ja", "en"}
    assert not [s for s in graph.subjects() if str(s).startswith(served.url + "void")]
    dumps = set(graph.objects(dataset, URIRef(VOID + "dataDump")))
    assert URIRef(served.url + "dist/kg.ttl") in dumps
    for dump in dumps:  # each dump is served and holds the whole graph
        fetched = http(str(dump))
        assert fetched.status == 200
        parser = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[str(dump).rsplit(".", 1)[1]]
        assert len(Graph().parse(data=fetched.body, format=parser)) == report_total(dist)
    same = http(served.url + "void", headers={"Accept": "application/ld+json"})
    assert same.content_type == "application/ld+json" and len(Graph().parse(data=same.body, format="json-ld")) == len(graph)


def test_a_named_graph_s_iri_gives_its_triples(served, dist):
    counts = json.loads((dist / "report.json").read_text())["statistics"]["graphs"]
    document = document_graph("mofa-session-summaries")
    for iri in (document, SHARED, ONTOLOGY):
        answer = http(served.url + iri.removeprefix("https://w3id.org/asean-japan-kg/"), headers={"Accept": "text/turtle"})
        assert answer.status == 200 and answer.content_type == "text/turtle"
        assert len(Graph().parse(data=answer.body, format="turtle")) == counts[iri], iri
    nt = http(served.url + document.removeprefix("https://w3id.org/asean-japan-kg/"), headers={"Accept": "application/n-triples"})
    statement = ID["s-a1-kishida-supports-aoip"]
    assert (statement, RDF.type, AJK.Statement) in Graph().parse(data=nt.body, format="nt")
    assert http(served.url + "graph/document/nowhere").status == 404


def test_dumps_are_served_as_built(served, dist):
    for name in ("kg.ttl", "kg.nq", "kg.jsonld", "ontology.ttl", "report.json"):
        answer = http(served.url + "dist/" + name)
        assert answer.status == 200 and answer.body == (dist / name).read_bytes()
    assert http(served.url + "dist/kg.ttl").content_type == "text/turtle"
    assert http(served.url + "dist/kg.nq").content_type == "application/n-quads"
    assert http(served.url + "dist/nothing.ttl").status == 404
    assert http(served.url + "dist/../pyproject.toml").status == 404


def test_a_dump_s_head_gives_its_size_without_it(served, dist):
    connection = HTTPConnection(urlsplit(served.url).netloc, timeout=30)
    try:
        connection.request("HEAD", "/dist/kg.nq")
        head = connection.getresponse()
        head.read()  # nothing, for a HEAD: were the file sent, it would be read as the next answer
        assert head.status == 200 and int(head.getheader("content-length")) == (dist / "kg.nq").stat().st_size
        connection.request("GET", "/dist/report.json")  # the same connection, kept alive
        after = connection.getresponse()
        assert after.status == 200 and after.read() == (dist / "report.json").read_bytes()
    finally:
        connection.close()


def test_root_serves_the_viewer_unchanged(served, dist):
    answer = http(served.url)
    assert answer.status == 200 and answer.body == (dist / "viewer.html").read_bytes()
    assert "content-security-policy" not in answer.headers  # its own meta policy governs it


def test_query_page_offers_every_named_query_offline(served):
    answer = http(served.url + "query")
    assert answer.status == 200 and answer.content_type == "text/html"
    page = answer.text
    for query in named_queries().values():
        assert f'data-name="{query.name}"' in page
        assert query.question_en.replace("'", "&#39;").replace('"', "&#34;") in page
    # Nothing loads from elsewhere: scripts and styles are the service's own, and the policy says so.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "connect-src 'self'" in answer.headers["content-security-policy"]
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert http(served.url + asset.lstrip("/")).status == 200


# --- dereferenceable IRIs -------------------------------------------------------------------------

def test_a_browser_is_sent_to_the_entity_page(served, kg_graph):
    answer = http(served.url + "id/jaif", headers={"Accept": "text/html"})
    assert answer.status == 303 and answer.headers["location"] == "/page/jaif"
    page = http(served.url + "page/jaif").text
    assert "Japan-ASEAN Integration Fund" in page and "日・ＡＳＥＡＮ統合基金" in page
    description = str(kg_graph.value(ID.jaif, URIRef("http://purl.org/dc/terms/description")))
    assert description.replace("'", "&#39;") in page
    assert 'href="/id/japan"' in page  # relations are links to other entities
    assert 'href="/ontology#Fund"' in page  # and to the vocabulary
    for passage in kg_graph.objects(ID.jaif, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
        assert str(kg_graph.value(passage, URIRef("http://www.w3.org/ns/prov#value"))) in page
    figure = next(kg_graph.objects(ID.jaif, AJK.hasFigure))
    assert str(kg_graph.value(figure, URIRef("https://schema.org/value"))) in page


@pytest.mark.parametrize("accept, location, parser", [
    ("text/turtle", "/data/japan.ttl", "turtle"), ("application/ld+json", "/data/japan.jsonld", "json-ld"),
    ("application/n-triples", "/data/japan.nt", "nt")])
def test_a_linked_data_client_gets_rdf(served, kg_graph, accept, location, parser):
    answer = http(served.url + "id/japan", headers={"Accept": accept})
    assert answer.status == 303 and answer.headers["location"] == location
    data = http(served.url + location.lstrip("/"))
    assert data.content_type == accept
    graph = Graph().parse(data=data.body, format=parser)
    assert set(graph.triples((ID.japan, None, None))) == set(kg_graph.triples((ID.japan, None, None)))
    assert set(graph.triples((None, None, ID.japan))) == set(kg_graph.triples((None, None, ID.japan)))


def test_a_linked_data_client_gets_numbers_as_the_files_state_them(served, kg_graph):
    passage = next(kg_graph.subjects(AJK.startOffset, None))  # an xsd:nonNegativeInteger, which the store keeps as xsd:integer
    data = http(served.url + "data/" + passage[len(str(ID)):] + ".nt")
    graph = Graph().parse(data=data.body, format="nt")
    assert set(graph.triples((passage, None, None))) == set(kg_graph.triples((passage, None, None)))
    assert graph.value(passage, AJK.startOffset).datatype == URIRef(XSD_NON_NEGATIVE_INTEGER)


def test_rdflib_follows_the_redirect_itself(served):
    graph = Graph().parse(served.url + "id/kishida-fumio")  # rdflib asks for RDF and follows the 303
    assert (ID["kishida-fumio"], RDFS.label, Literal("KISHIDA Fumio", lang="en")) in graph


def test_unknown_entities_and_paths_are_404(served):
    assert http(served.url + "id/no-such-thing").status == 404
    assert http(served.url + "page/no-such-thing").status == 404
    assert http(served.url + "data/japan.exe").status == 404
    assert http(served.url + "nowhere").status == 404


def test_ontology_terms_dereference(served):
    page = http(served.url + "ontology", headers={"Accept": "text/html"})
    assert page.status == 200 and 'id="Statement"' in page.text
    turtle = http(served.url + "ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.body, format="turtle")
    assert (AJK.Statement, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    version = graph.value(URIRef(str(AJK).rstrip("#")), URIRef("http://www.w3.org/2002/07/owl#versionIRI"))
    assert str(version).startswith("https://w3id.org/asean-japan-kg/ontology/")  # dereferences as the ontology
    versioned = http(served.url + str(version).removeprefix("https://w3id.org/asean-japan-kg/"),
                     headers={"Accept": "text/turtle"})
    assert versioned.status == 200 and versioned.body == turtle.body
    assert http(served.url + "ontology/0.0.0").status == 404


# --- every named query: the service gives rdflib's answers ----------------------------------------



def rdflib_answer(graph, text, bindings=None) -> Counter:
    separators = concat_separators(text)
    result = graph.query(with_prologue(text), initBindings=bindings or {})
    names = [str(v) for v in result.vars]
    rows = Counter()
    for row in result:
        rows[tuple(normal(None if row[n] is None else str(row[n]),
                          str(row[n].datatype) if isinstance(row[n], Literal) and row[n].datatype else None,
                          row[n].language if isinstance(row[n], Literal) else None,
                          separators.get(n)) for n in names)] += 1
    return rows


def service_answer(served, text, bindings=None) -> Counter:
    wrapper = client(served, text, JSON, "POST")
    for name, term in (bindings or {}).items():
        wrapper.addParameter(f"${name}", term.n3())
    return json_answer(wrapper.queryAndConvert(), text)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_same_answers_as_rdflib(served, kg_graph, name):
    text = named_queries()[name].text
    expected = rdflib_answer(kg_graph, text)
    assert expected, f"{name}: rdflib finds nothing, so the comparison would prove nothing"
    assert service_answer(served, text) == expected


def test_bound_parameter_same_answers_as_rdflib(served, kg_graph):
    text = named_queries()["provenance"].text
    bindings = {"fact": ID.jaif}
    expected = rdflib_answer(kg_graph, text, bindings)
    assert sum(expected.values()) == 1
    assert service_answer(served, text, bindings) == expected


def test_bound_unprojected_parameter_same_answers_as_rdflib(served, kg_graph):
    text = named_queries()["initiatives-by-theme"].text
    bindings = {"theme": ID["theme-people-to-people"]}
    expected = rdflib_answer(kg_graph, text, bindings)
    assert expected and expected != rdflib_answer(kg_graph, text)
    assert service_answer(served, text, bindings) == expected


def test_a_bad_bound_value_is_explained(served):
    answer = http(served.endpoint, form={"query": "SELECT * WHERE { ?s ?p ?o }", "$s": "not a term"})
    assert answer.status == 400 and "N-Triples term" in answer.text


def test_a_bound_name_the_query_lacks_is_refused(served):
    # ?o is in a comment and in a string only: neither is a variable of the query
    text = 'SELECT ?s WHERE { ?s ?p "?o" }  # ?o'
    answer = http(served.endpoint, form={"query": text, "$o": "<https://example.org/x>"})
    assert answer.status == 400 and "no variable ?o to bind" in answer.text and "?p ?s" in answer.text


def test_an_entity_page_lists_some_of_many_and_says_how_many_more(dist, kg_graph):
    pages = Pages(open_store(dist), dist / "kg.nq", shown=3)
    try:
        kishida = str(ID["kishida-fumio"])
        entity, page = pages.entity(kishida), pages.entity_html(kishida).decode("utf-8")
    finally:
        pages.close()
    spoken = {str(s) for s in kg_graph.subjects(AJK.speaker, ID["kishida-fumio"])}
    listed = next(values for p, values in entity.incoming.items() if p.iri == str(AJK.speaker))
    assert len(spoken) > 3 and len(listed) == 3 and {v.iri for v in listed} <= spoken
    assert entity.more_in[str(AJK.speaker)] == len(spoken) - 3 and f"and {len(spoken) - 3:,} more" in page
    fewer = {p.iri for p, values in entity.incoming.items() if len(values) < 3}  # all of them shown
    assert fewer and not fewer & set(entity.more_in)
    # and the other way: the statements he made (ajk:madeStatement, the inverse the build materialises)
    made = {str(o) for o in kg_graph.objects(ID["kishida-fumio"], AJK.madeStatement)}
    listed = next(values for p, values in entity.outgoing.items() if p.iri == str(AJK.madeStatement))
    assert made == spoken and len(listed) == 3 and {v.iri for v in listed} <= made
    assert entity.more_out[str(AJK.madeStatement)] == len(made) - 3
    assert entity.labels["en"] == ["KISHIDA Fumio"] and entity.types  # the head is whole, however many
