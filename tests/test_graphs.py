"""The named graphs (kg/graphs.py): every triple of kg.ttl in exactly one graph of kg.nq, each document's
facts in its own graph, and questions asked of one document answered from its graph alone."""
from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from conftest import run_kg
from kg import query
from kg.export import nt_line
from kg.graphs import ANALYTICS, DATASET, ONTOLOGY, SHARED, DocumentOf, chain_graphs, document_graph, scope
from kg.namespaces import AJK, ID

SUMMIT = "mofa-session-summaries"


@pytest.fixture(scope="module")
def quads(dist) -> Dataset:
    """dist/kg.nq as a consumer loads it, with rdflib's N-Quads parser."""
    dataset = Dataset()
    dataset.parse(dist / "kg.nq", format="nquads")
    return dataset


def graph_named(quads: Dataset, name: str) -> Graph:
    return quads.graph(URIRef(name))


def graphs_holding(quads: Dataset, triple) -> set[str]:
    return {str(context) for *_, context in quads.quads(triple)}


def test_every_triple_lies_in_exactly_one_graph(quads, kg_graph):
    lines = sum(1 for _ in quads.quads((None, None, None, None)))
    assert lines == len(kg_graph)
    union = Graph()
    for s, p, o, _ in quads.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, kg_graph)  # (the ontology's blank nodes are labelled apart by each parser)


def test_the_ontology_has_its_own_graph(quads, built):
    assert isomorphic(graph_named(quads, ONTOLOGY), built.ontology)


def test_the_dataset_description_has_its_own_graph(quads, built):
    assert isomorphic(graph_named(quads, DATASET), built.dataset)


def test_the_analytics_have_their_own_graph(quads, built):
    assert set(graph_named(quads, ANALYTICS)) == set(built.scores) and len(built.scores) > 100


def test_a_document_s_statements_and_passages_lie_in_its_graph(quads, kg_graph):
    statements = set(kg_graph.subjects(RDF.type, AJK.Statement))
    passages = set(kg_graph.subjects(RDF.type, AJK.SourcePassage))
    assert len(statements) > 50 and len(passages) > 100
    for node in statements | passages:
        for triple in kg_graph.triples((node, None, None)):
            assert graphs_holding(quads, triple) == {document_graph(SUMMIT)}, triple


def test_shared_records_lie_in_the_shared_graph(quads, kg_graph):
    for pattern in ((ID["japan"], RDF.type, AJK.State), (ID["aoip"], RDFS.label, None), (ID["aoip"], RDF.type, None)):
        triples = list(kg_graph.triples(pattern))
        assert triples
        for triple in triples:
            assert graphs_holding(quads, triple) == {SHARED}, triple


def test_a_shared_record_s_link_to_a_passage_is_the_passage_s_document_s_fact(quads, kg_graph):
    derived = list(kg_graph.triples((ID["aoip"], PROV.wasDerivedFrom, None)))
    assert derived
    for triple in derived:
        assert graphs_holding(quads, triple) == {document_graph(SUMMIT)}


def test_an_inverse_entailment_lies_with_the_document_s_node(quads, kg_graph):
    made = list(kg_graph.triples((ID["kishida-fumio"], AJK.madeStatement, None)))
    assert made
    for triple in made:
        assert graphs_holding(quads, triple) == {document_graph(SUMMIT)}


def test_a_chain_entailment_between_shared_entities_lies_in_the_document_it_passes_through(quads, kg_graph):
    # Anwar and the summit are shared; his attendance is entailed through his participation in the readout.
    triple = (ID["anwar-ibrahim"], AJK.attended, ID["summit-2023"])
    assert triple in kg_graph
    assert graphs_holding(quads, triple) == {document_graph(SUMMIT)}


# --- asking one document ----------------------------------------------------------------------------

def statements_in(dist, *documents) -> set[str]:
    rows = query("SELECT ?statement WHERE { ?statement a ajk:Statement }", dist=dist, documents=documents)
    return {row["statement"] for row in rows}


def test_asking_one_document_reads_its_facts_alone(two_documents_dist):
    second = statements_in(two_documents_dist, "second-readout")
    summit = statements_in(two_documents_dist, SUMMIT)
    assert second == {"id:s-second-trust", "id:s-second-aoip"}
    assert len(summit) > 50 and not summit & second
    assert statements_in(two_documents_dist, SUMMIT, "second-readout") == summit | second == statements_in(two_documents_dist)


def test_a_named_query_asked_of_one_document_keeps_the_shared_records(two_documents_dist):
    rows = query("aoip-supporters", dist=two_documents_dist, documents=("second-readout",))
    assert {(r["supporter"], r["supporter_en"], r["statement"]) for r in rows} == {
        ("id:japan", "Japan", "id:s-second-aoip")}


def test_kg_query_asks_one_document(two_documents_dist):
    result = run_kg("query", "SELECT ?s WHERE { ?s a ajk:Statement } ORDER BY ?s", "--format", "csv",
                    "--dist", str(two_documents_dist), "--document", "second-readout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["s", str(ID["s-second-aoip"]), str(ID["s-second-trust"])]


def test_an_unknown_document_is_named_with_the_known_ones(two_documents_dist):
    result = run_kg("query", "participants", "--dist", str(two_documents_dist), "--document", "third-readout")
    assert result.returncode != 0 and result.stdout == ""
    assert "has no document 'third-readout'" in result.stderr
    assert f"its documents are: {SUMMIT}, second-readout" in result.stderr


def test_an_unknown_graph_is_named(two_documents_dist):
    result = run_kg("query", "participants", "--dist", str(two_documents_dist), "--graph", "urn:no-such-graph")
    assert result.returncode != 0 and "has no graph <urn:no-such-graph>" in result.stderr


def test_the_scope_and_the_corpus_wide_graphs_are_the_whole_graph(two_documents_dist):
    names = [*scope([SUMMIT, "second-readout"]), ANALYTICS, DATASET]
    counts = {name: int(query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}",
                              dist=two_documents_dist)[0]["n"]) for name in names}
    total = json.loads((two_documents_dist / "report.json").read_text())["triples"]["total"]
    assert all(counts.values()) and sum(counts.values()) == total


def test_one_document_s_scope_leaves_out_the_corpus_wide_scores(two_documents_dist):
    ask = "ASK { ?node ajk:pageRank ?score }"
    assert query(ask, dist=two_documents_dist) is True
    assert query(ask, dist=two_documents_dist, documents=(SUMMIT,)) is False


def test_a_chain_entailment_through_two_documents_lies_in_the_shared_graph():
    # Two readouts each record a participation of the same person in the same meeting.
    attended, took_part, at = AJK.attended, AJK.hasParticipation, AJK.inEvent
    person, meeting = ID["kishida-fumio"], ID["summit-2023"]
    via = {doc: ID[f"passage/{doc}/0-9"] for doc in ("readout-a", "readout-b")}  # nodes minted from each document
    chains, document_of = [(attended, [took_part, at])], DocumentOf([])
    entailed = {(person, attended, meeting)}
    one = {(person, took_part, via["readout-a"]), (via["readout-a"], at, meeting)}
    both = one | {(person, took_part, via["readout-b"]), (via["readout-b"], at, meeting)}
    shared_too = one | {(person, took_part, ID["a-shared-participation"]), (ID["a-shared-participation"], at, meeting)}
    key = nt_line(person, attended, meeting)
    assert chain_graphs(chains, one, entailed, document_of) == {key: document_graph("readout-a")}
    assert chain_graphs(chains, both, entailed, document_of) == {key: SHARED}
    assert chain_graphs(chains, shared_too, entailed, document_of) == {key: SHARED}  # holds on shared facts alone


def test_one_document_may_be_named_by_itself(two_documents_dist):
    rows = query("SELECT ?s WHERE { ?s a ajk:Statement }", dist=two_documents_dist, documents="second-readout")
    assert {row["s"] for row in rows} == {"id:s-second-trust", "id:s-second-aoip"}


def test_each_document_s_graph_names_its_document(two_documents_dist):
    rows = query(f"SELECT ?graph ?document WHERE {{ ?graph prov:wasDerivedFrom ?document ; a prov:Entity ; "
                 f"rdfs:label ?en , ?ja FILTER(lang(?en) = 'en' && lang(?ja) = 'ja') "
                 f"FILTER(STRSTARTS(STR(?graph), '{document_graph('')}')) }}", dist=two_documents_dist)
    assert {(r["graph"], r["document"]) for r in rows} == {
        (document_graph(d), f"id:{d}") for d in (SUMMIT, "second-readout")}
    # so every triple of a document's graph leads to its source document
    traced = query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } ?graph prov:wasDerivedFrom ?document }",
                   dist=two_documents_dist)[0]["n"]
    in_documents = sum(int(query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{document_graph(d)}> {{ ?s ?p ?o }} }}",
                                 dist=two_documents_dist)[0]["n"]) for d in (SUMMIT, "second-readout"))
    assert traced == in_documents > 1000
