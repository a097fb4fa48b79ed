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
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

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


def rapper_count(path: Path) -> int:
    done = rapper("-i", "turtle", "-c", str(path))
    assert done.returncode == 0, f"rapper failed on {path.name}:\n{done.stderr}"
    assert "error" not in done.stderr.lower(), f"rapper reported errors on {path.name}:\n{done.stderr}"
    match = re.search(r"Parsing returned (\d+) triples", done.stderr)
    assert match, f"no triple count in rapper's output:\n{done.stderr}"
    return int(match.group(1))


# --- Turtle ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology_ttl(dist) -> Graph:
    return Graph().parse(dist / "ontology.ttl", format="turtle")


def test_kg_ttl_is_the_full_graph(kg_graph, built):
    assert len(kg_graph) == len(built.full)
    assert isomorphic(kg_graph, built.full)


def test_kg_ttl_triple_count_matches_report(kg_graph, dist):
    assert len(kg_graph) == total_in_report(dist)


def test_ontology_ttl_is_the_ontology(ontology_ttl, built):
    assert isomorphic(ontology_ttl, built.ontology)


def test_rapper_counts_the_same_triples_in_kg_ttl(dist, built):
    assert rapper_count(dist / "kg.ttl") == len(built.full) == total_in_report(dist)


def test_rapper_counts_the_same_triples_in_ontology_ttl(dist, built):
    assert rapper_count(dist / "ontology.ttl") == len(built.ontology)


def test_rapper_reads_the_same_graph_from_kg_ttl(dist, built):
    done = rapper("-q", "-i", "turtle", "-o", "ntriples", str(dist / "kg.ttl"))
    assert done.returncode == 0, done.stderr
    assert isomorphic(Graph().parse(data=done.stdout, format="nt"), built.full)


# --- JSON-LD --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jsonld_document(dist) -> dict:
    return json.loads((dist / "kg.jsonld").read_text(encoding="utf-8"))


def test_kg_jsonld_parses_to_the_full_graph(dist, built):
    graph = Graph().parse(dist / "kg.jsonld", format="json-ld")
    assert len(graph) == len(built.full)
    assert isomorphic(graph, built.full)


def test_kg_jsonld_context_is_inline_with_our_prefixes(jsonld_document):
    context = jsonld_document["@context"]
    assert isinstance(context, dict), "the @context must be inline, not a remote reference"
    assert context["ajk"] == str(AJK) == "https://w3id.org/asean-japan-kg/ontology#"
    assert context["id"] == str(ID) == "https://w3id.org/asean-japan-kg/id/"
    assert context["schema"] == str(SCHEMA) == "https://schema.org/"
    assert context["skos"] == str(SKOS) == "http://www.w3.org/2004/02/skos/core#"


def test_pyld_reads_the_same_triples_from_kg_jsonld(jsonld_document, built):
    from pyld import jsonld

    nquads = jsonld.to_rdf(jsonld_document, {"format": "application/n-quads"})
    lines = {line for line in nquads.splitlines() if line.strip()}
    assert len(lines) == len(built.full)
    # Everything is in the default graph, so each N-Quads line is an N-Triples line.
    assert isomorphic(Graph().parse(data="\n".join(sorted(lines)) + "\n", format="nt"), built.full)


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


def test_every_labelled_resource_has_one_ja_and_one_en_label(kg_graph):
    labelled = {s for s in kg_graph.subjects(RDFS.label, None)
                if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    assert len(labelled) > 100
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
