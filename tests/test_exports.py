"""The exported files, checked against the in-memory graphs and against independent parsers
(Debian's `rapper` for Turtle, pyld for JSON-LD)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.dumps import export
from kg.graphs import ONTOLOGY, SHARED, document_graph
from kg.grounding import fold
from kg.namespaces import AJK, ID, ONTOLOGY_IRI, SCHEMA

VOCABULARY_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}


def total_in_report(dist: Path) -> int:
    return json.loads((dist / "report.json").read_text(encoding="utf-8"))["triples"]["total"]


def rapper(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("rapper")
    if exe is None:
        pytest.fail("`rapper` is not installed: the export tests need Debian's raptor2-utils "
                    "(apt-get install raptor2-utils; .ci/run installs it in CI)")
    return subprocess.run([exe, *args], capture_output=True, text=True)


def rapper_count(path: Path, syntax: str = "turtle") -> int:
    done = rapper("-i", syntax, "-c", str(path))
    assert done.returncode == 0, f"rapper failed on {path.name}:\n{done.stderr}"
    assert "error" not in done.stderr.lower(), f"rapper reported errors on {path.name}:\n{done.stderr}"
    match = re.search(r"Parsing returned (\d+) triples", done.stderr)
    assert match, f"no triple count in rapper's output:\n{done.stderr}"
    return int(match.group(1))


def assert_same_graph(actual: Graph, expected: Graph, what: str) -> None:
    """Isomorphism, with the differing triples (ground ones first) shown when it fails."""
    if len(actual) == len(expected) and isomorphic(actual, expected):
        return
    left, right = set(to_canonical_graph(actual)), set(to_canonical_graph(expected))

    def sample(triples) -> str:
        ordered = sorted(triples, key=lambda t: (any(isinstance(x, BNode) for x in t), t))
        return "".join(f"\n    {' '.join(x.n3() for x in t)} ." for t in ordered[:8])

    pytest.fail(f"{what} is not the expected graph ({len(actual)} vs {len(expected)} triples).\n"
                f"  {len(left - right)} triple(s) only in {what}:{sample(left - right)}\n"
                f"  {len(right - left)} triple(s) only in the expected graph:{sample(right - left)}")


# --- Turtle ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology_ttl(dist) -> Graph:
    return Graph().parse(dist / "ontology.ttl", format="turtle")


def test_kg_ttl_is_the_full_graph(kg_graph, built):
    assert_same_graph(kg_graph, built.full, "dist/kg.ttl")


def test_the_dump_says_what_it_is_and_under_which_licence(kg_graph):
    # a consumer who has only kg.ttl learns its licence, its source and how to attribute it
    dataset = ID["dataset"]
    assert (dataset, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in kg_graph
    assert kg_graph.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert kg_graph.value(dataset, DCTERMS.source) == URIRef("https://www.mofa.go.jp/mofaj/a_o/rp/pageit_000001_00111.html")
    assert "出典：外務省ホームページ" in str(kg_graph.value(dataset, DCTERMS.rights))
    assert {label.language for label in kg_graph.objects(dataset, RDFS.label)} == {"ja", "en"}


def test_kg_ttl_triple_count_matches_report(kg_graph, dist):
    assert len(kg_graph) == total_in_report(dist)


def test_ontology_ttl_is_the_ontology(ontology_ttl, built):
    assert_same_graph(ontology_ttl, built.ontology, "dist/ontology.ttl")


def test_rapper_counts_the_same_triples_in_kg_ttl(dist, built):
    assert rapper_count(dist / "kg.ttl") == len(built.full) == total_in_report(dist)


def test_rapper_counts_the_same_triples_in_kg_nq(dist, built):
    assert rapper_count(dist / "kg.nq", "nquads") == len(built.full) == total_in_report(dist)


def test_rapper_counts_the_same_triples_in_the_trig_export(dist, built, tmp_path):
    out = tmp_path / "kg.trig"
    with open(out, "wb") as written:
        export(dist, "trig", written)
    assert rapper_count(out, "trig") == len(built.full) == total_in_report(dist)


def test_rapper_reads_the_named_graphs_of_kg_nq(dist, built):
    done = rapper("-q", "-i", "nquads", "-o", "nquads", str(dist / "kg.nq"))
    assert done.returncode == 0, done.stderr
    graphs = Counter(line.rsplit(" ", 2)[-2] for line in done.stdout.splitlines())
    assert graphs[f"<{ONTOLOGY}>"] == len(built.ontology)
    assert graphs[f"<{document_graph('mofa-session-summaries')}>"] > 1000 and graphs[f"<{SHARED}>"] > 1000


def test_rapper_counts_the_same_triples_in_ontology_ttl(dist, built):
    assert rapper_count(dist / "ontology.ttl") == len(built.ontology)


def test_rapper_and_rdflib_read_the_same_graph_from_kg_ttl(dist, kg_graph):
    done = rapper("-q", "-i", "turtle", "-o", "ntriples", str(dist / "kg.ttl"))
    assert done.returncode == 0, done.stderr
    assert_same_graph(Graph().parse(data=done.stdout, format="nt"), kg_graph, "rapper's reading of kg.ttl")


# --- JSON-LD --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jsonld_document(dist) -> dict:
    return json.loads((dist / "kg.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def jsonld_graph(dist) -> Graph:
    return Graph().parse(dist / "kg.jsonld", format="json-ld")


def test_kg_jsonld_is_the_full_graph(jsonld_graph, built):
    assert_same_graph(jsonld_graph, built.full, "dist/kg.jsonld")


def lists(graph: Graph) -> set[tuple[str, tuple[str, ...]]]:
    """Every RDF list, as (the property pointing at it, its members in order)."""
    found = set()
    for subject, predicate, head in graph:
        if predicate != RDF.rest and isinstance(head, BNode) and (head, RDF.first, None) in graph:
            members = tuple(graph.qname(m) if isinstance(m, URIRef) else m.n3() for m in Collection(graph, head))
            found.add((graph.qname(predicate), members))
    return found


def test_kg_jsonld_keeps_the_order_of_rdf_lists(jsonld_graph, built):
    expected = lists(built.full)
    assert expected, "the graph has no RDF lists to check"
    actual = lists(jsonld_graph)
    assert actual == expected, (
        "RDF lists in kg.jsonld differ from the graph's (order matters, e.g. owl:propertyChainAxiom):\n"
        + "".join(f"  kg.jsonld: {p} ( {' '.join(m)} )\n" for p, m in sorted(actual - expected))
        + "".join(f"  expected:  {p} ( {' '.join(m)} )\n" for p, m in sorted(expected - actual)))


def test_kg_jsonld_context_is_inline_with_our_prefixes(jsonld_document):
    context = jsonld_document["@context"]
    assert isinstance(context, dict), "the @context must be inline, not a remote reference"
    assert context["ajk"] == str(AJK) == "https://w3id.org/asean-japan-kg/ontology#"
    assert context["id"] == str(ID) == "https://w3id.org/asean-japan-kg/id/"
    assert context["schema"] == str(SCHEMA) == "https://schema.org/"
    assert context["skos"] == str(SKOS) == "http://www.w3.org/2004/02/skos/core#"


def test_pyld_reads_the_same_triples_from_kg_jsonld(jsonld_document, jsonld_graph, built, dist):
    from pyld import jsonld

    nquads = jsonld.to_rdf(jsonld_document, {"format": "application/n-quads"})
    lines = {line for line in nquads.splitlines() if line.strip()}
    assert len(lines) == len(built.full) == total_in_report(dist)
    # Everything is in the default graph, so each N-Quads line is an N-Triples line.
    pyld_graph = Graph().parse(data="\n".join(sorted(lines)) + "\n", format="nt")
    assert_same_graph(pyld_graph, jsonld_graph, "pyld's reading of kg.jsonld")


# --- Ontology metadata and labels -----------------------------------------------------------------

def test_ontology_header(ontology_ttl):
    ontology = URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in ontology_ttl
    assert list(ontology_ttl.objects(ontology, OWL.versionIRI)), "owl:Ontology has no owl:versionIRI"
    assert list(ontology_ttl.objects(ontology, DCTERMS.license)), "owl:Ontology has no dct:license"


def test_every_ajk_term_has_bilingual_labels_and_a_definition(ontology_ttl):
    terms = {s for t in VOCABULARY_TYPES for s in ontology_ttl.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(str(AJK))}
    assert len(terms) > 20
    problems = []
    for term in sorted(terms):
        languages = {label.language for label in ontology_ttl.objects(term, RDFS.label)}
        missing = [f"rdfs:label@{lang}" for lang in ("en", "ja") if lang not in languages]
        if not list(ontology_ttl.objects(term, SKOS.definition)):
            missing.append("skos:definition")
        if missing:
            problems.append(f"{term}: no {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def test_every_entity_has_one_ja_and_one_en_label(kg_graph):
    # every resource of ours, time instants and passages included; only a passage's Web Annotation
    # selectors (the passage's own parts, as blank nodes would be) go without
    selectors = {URIRef("http://www.w3.org/ns/oa#TextQuoteSelector"), URIRef("http://www.w3.org/ns/oa#TextPositionSelector")}
    labelled = {s for s in kg_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))
                and not selectors & set(kg_graph.objects(s, RDF.type))}
    assert len(labelled) > 600 and ID["summit-2023/time"] in labelled
    problems = []
    for subject in sorted(labelled):
        languages = Counter(label.language for label in kg_graph.objects(subject, RDFS.label))
        if languages["ja"] != 1 or languages["en"] != 1:
            problems.append(f"{subject}: {dict(languages)}")
    assert not problems, "\n".join(problems)


def test_azec_alternative_labels(kg_graph):
    alt = set(kg_graph.objects(ID["azec"], SKOS.altLabel))
    assert Literal("AZEC", lang="en") in alt
    assert Literal("ＡＺＥＣ", lang="ja") in alt  # full-width, as the Japanese source writes it


def test_figures_are_named_in_japanese_in_the_source_s_own_words(kg_graph):
    # not "570 projects（以上）, P5Y": the Japanese label quotes the passage the figure comes from
    figures = list(kg_graph.subjects(RDF.type, AJK.Figure))
    assert len(figures) >= 10
    for figure in figures:
        (ja,) = [str(label) for label in kg_graph.objects(figure, RDFS.label) if label.language == "ja"]
        quoted = re.search(r"「(.+)」", ja).group(1)
        passage = kg_graph.value(figure, PROV.wasDerivedFrom)
        assert fold(quoted) == fold(str(kg_graph.value(passage, PROV.value))), figure
        assert not re.search(r"[A-Za-z]", ja), ja
