"""Tests for kg.reasoning: HermiT materialisation and Pellet explanations, on tiny fixtures."""


import owlready2
import pytest
from rdflib import BNode, Graph, Namespace
from rdflib.namespace import OWL, RDF, SKOS

from kg.reasoning import InconsistentOntologyError, infer

T = Namespace("https://example.org/t/")
SCHEMA = Namespace("https://schema.org/")


PREFIXES = """
@prefix t:      <https://example.org/t/> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
"""

# Class hierarchy, inverse, symmetric, sub-property, chain and colliding local names ("about").
BASIC = PREFIXES + """
t: a owl:Ontology .
t:A a owl:Class ; rdfs:subClassOf t:B .
t:B a owl:Class ; rdfs:subClassOf t:C .
t:C a owl:Class .
t:Agent a owl:Class .
t:x a owl:NamedIndividual, t:A .
[] a t:A ; t:knows t:x .

t:wrote a owl:ObjectProperty ; owl:inverseOf t:writtenBy ; rdfs:domain t:Agent .
t:writtenBy a owl:ObjectProperty .
t:ann t:wrote t:book .
t:poem t:writtenBy t:bob .

t:knows a owl:ObjectProperty, owl:SymmetricProperty .
t:ann t:knows t:bob .

t:related a owl:ObjectProperty .
schema:about a owl:ObjectProperty ; rdfs:subPropertyOf t:related .
t:about a owl:ObjectProperty .
t:book schema:about t:topic .
t:poem t:about t:sea .

t:parent a owl:ObjectProperty .
t:brother a owl:ObjectProperty .
t:uncle a owl:ObjectProperty ; owl:propertyChainAxiom ( t:parent t:brother ) .
t:kid t:parent t:dad .
t:dad t:brother t:ed .
"""

# SKOS semantic relations as the SKOS reference declares them.
SKOS_TTL = PREFIXES + """
skos:Concept a owl:Class .
skos:broaderTransitive a owl:ObjectProperty, owl:TransitiveProperty ;
    owl:inverseOf skos:narrowerTransitive .
skos:narrowerTransitive a owl:ObjectProperty, owl:TransitiveProperty .
skos:broader a owl:ObjectProperty ; rdfs:subPropertyOf skos:broaderTransitive ;
    owl:inverseOf skos:narrower .
skos:narrower a owl:ObjectProperty ; rdfs:subPropertyOf skos:narrowerTransitive .
t:cat a skos:Concept ; skos:broader t:mammal .
t:mammal a skos:Concept ; skos:broader t:animal .
t:animal a skos:Concept .
"""

DATATYPES = PREFIXES + """
t:Event a owl:Class ; rdfs:subClassOf t:Happening .
t:Happening a owl:Class .
t:year a owl:DatatypeProperty .
t:month a owl:DatatypeProperty .
t:length a owl:DatatypeProperty .
t:day a owl:DatatypeProperty .
t:summit a t:Event ;
    rdfs:label "Summit"@en, "サミット"@ja, "Sommet"@fr ;
    t:year "2023"^^xsd:gYear ;
    t:month "2023-12"^^xsd:gYearMonth ;
    t:length "PT3H"^^xsd:duration ;
    t:day "2023-12-17"^^xsd:date .
"""

INCONSISTENT = PREFIXES + """
t:Person a owl:Class ; rdfs:label "Person"@en .
t:State a owl:Class ; rdfs:label "State"@en ; owl:disjointWith t:Person .
t:alice a owl:NamedIndividual, t:Person, t:State ; rdfs:label "Alice Liddell"@en .
"""


def parse(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


@pytest.fixture(scope="module")
def basic():
    graph = parse(BASIC)
    return graph, infer(graph)


def test_superclass_types_are_inferred_transitively(basic):
    _, inferred = basic
    assert (T.x, RDF.type, T.B) in inferred
    assert (T.x, RDF.type, T.C) in inferred
    assert (T.ann, RDF.type, T.Agent) in inferred  # from the domain of t:wrote


def test_only_useful_triples_are_returned(basic):
    _, inferred = basic
    for s, p, o in inferred:
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        assert p == RDF.type or not str(p).startswith(str(OWL))
        assert p != OWL.topObjectProperty
    types = set(inferred.objects(None, RDF.type))
    assert OWL.Thing not in types and OWL.NamedIndividual not in types
    assert not any(str(c).startswith(str(OWL)) for c in types)
    assert set(inferred.predicates()) <= {RDF.type, T.wrote, T.writtenBy, T.knows, T.related,
                                          T.uncle}


def test_inverse_property_values_are_materialised(basic):
    _, inferred = basic
    assert (T.book, T.writtenBy, T.ann) in inferred
    assert (T.bob, T.wrote, T.poem) in inferred


def test_symmetric_subproperty_and_chain_values(basic):
    _, inferred = basic
    assert (T.bob, T.knows, T.ann) in inferred
    assert (T.kid, T.uncle, T.ed) in inferred
    assert (T.book, T.related, T.topic) in inferred
    # schema:about and t:about share a local name; each keeps its own values.
    assert (T.poem, T.related, T.sea) not in inferred
    assert not set(inferred.triples((None, SCHEMA.about, None)))
    assert not set(inferred.triples((None, T.about, None)))


def test_skos_broader_transitive_closure():
    inferred = infer(parse(SKOS_TTL))
    assert set(inferred.subject_objects(SKOS.broaderTransitive)) == {
        (T.cat, T.mammal), (T.cat, T.animal), (T.mammal, T.animal)}
    assert set(inferred.subject_objects(SKOS.narrowerTransitive)) == {
        (T.mammal, T.cat), (T.animal, T.cat), (T.animal, T.mammal)}
    assert set(inferred.subject_objects(SKOS.narrower)) == {
        (T.mammal, T.cat), (T.animal, T.mammal)}
    assert not set(inferred.triples((None, SKOS.broader, None)))  # all already asserted


def test_input_triples_not_repeated_and_output_deterministic(basic):
    graph, inferred = basic
    assert len(inferred) > 0
    assert not set(inferred) & set(graph)
    default_ontologies = set(owlready2.default_world.ontologies)
    again = infer(graph)
    assert sorted(again) == sorted(inferred)
    assert set(owlready2.default_world.ontologies) == default_ontologies  # a World per call


def test_unsupported_datatypes_and_language_tags_reason_fine():
    inferred = infer(parse(DATATYPES))
    assert set(inferred) == {(T.summit, RDF.type, T.Happening)}


def test_inconsistency_is_explained():
    with pytest.raises(InconsistentOntologyError) as info:
        infer(parse(INCONSISTENT))
    message = str(info.value)
    assert info.value.explanation == message
    assert "t:alice" in message and "Alice Liddell" in message
    assert "t:Person" in message and "t:State" in message
    assert "disjoint" in message
    assert len(message.splitlines()) > 2


def test_missing_java_is_reported(monkeypatch):
    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    with pytest.raises(RuntimeError, match="Java 17 is required"):
        infer(parse(DATATYPES))
