"""The ontology: metadata, bilingual labels and definitions, one namespace, terms the data uses."""
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.namespaces import AJK, OA, ONTOLOGY_IRI, VANN
from kg.ontology import load_ontology

ONTOLOGY = load_ontology()
OURS = sorted({s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and str(s).startswith(str(AJK))})


def test_ontology_metadata():
    iri = URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in ONTOLOGY
    assert {label.language for label in ONTOLOGY.objects(iri, RDFS.label)} == {"ja", "en"}
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.description):
        assert ONTOLOGY.value(iri, prop) is not None, prop


def test_namespace_is_defined_once_and_matches_the_code():
    iri = URIRef(ONTOLOGY_IRI)
    assert str(ONTOLOGY.value(iri, VANN.preferredNamespaceUri)) == str(AJK)
    assert ONTOLOGY.namespace_manager.store.namespace("ajk") == URIRef(str(AJK))


def test_every_term_has_japanese_and_english_labels_and_a_definition():
    assert len(OURS) > 80
    for term in OURS:
        langs = {label.language for label in ONTOLOGY.objects(term, RDFS.label)}
        assert {"ja", "en"} <= langs, term
        assert ONTOLOGY.value(term, SKOS.definition) is not None, term


def test_no_two_terms_share_a_label():
    """A Japanese or English interface that lists classes and properties must tell them apart."""
    for lang in ("ja", "en"):
        labels = [str(label) for term in OURS for label in ONTOLOGY.objects(term, RDFS.label) if label.language == lang]
        assert len(labels) == len(set(labels)) > 80, sorted({l for l in labels if labels.count(l) > 1})


def test_every_term_is_declared_once_as_one_kind():
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in OURS:
        declared = [k for k in kinds if (term, RDF.type, k) in ONTOLOGY]
        assert len(declared) == 1, (term, declared)


def test_a_property_whose_range_is_xsd_string_has_plain_strings_only(built):
    """A language-tagged value (rdf:langString) where the range is xsd:string makes a consumer's
    reasoner find the data inconsistent; Web Annotation gives oa:exact, oa:prefix, oa:suffix that range."""
    string = URIRef("http://www.w3.org/2001/XMLSchema#string")
    plain = set(ONTOLOGY.subjects(RDFS.range, string))
    assert {OA.exact, OA.prefix, OA.suffix} <= plain
    graph = built.full
    values = [(p, o) for p in plain for o in graph.objects(None, p)]
    assert len(values) > 700
    wrong = [(p, o) for p, o in values if not isinstance(o, Literal) or o.language or o.datatype not in (None, string)]
    assert not wrong, wrong[:5]


def test_standard_vocabularies_are_reused():
    supers = {o for s in OURS for o in ONTOLOGY.objects(s, RDFS.subClassOf)}
    supers |= {o for s in OURS for o in ONTOLOGY.objects(s, RDFS.subPropertyOf)}
    prefixes = {str(o).split("#")[0].rsplit("/", 1)[0] for o in supers if not str(o).startswith(str(AJK))}
    for vocabulary in ("https://schema.org", "http://www.w3.org/ns/prov", "http://www.w3.org/ns/org",
                       "http://www.w3.org/2004/02/skos/core", "http://purl.org/dc/terms"):
        assert any(p.startswith(vocabulary.rsplit("/", 1)[0]) for p in prefixes), vocabulary


def test_data_uses_only_terms_the_ontology_declares(built):
    used = {o for o in built.asserted.objects(None, RDF.type)}
    declared = set(ONTOLOGY.subjects(RDF.type, OWL.Class))
    assert used <= declared, used - declared
    used_props = {p for p in built.asserted.predicates() if p != RDF.type}
    declared_props = {s for k in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                      for s in ONTOLOGY.subjects(RDF.type, k)}
    assert used_props <= declared_props, used_props - declared_props


def test_prov_o_axioms_a_store_would_load_beside_the_graph_are_restated(built):
    # With PROV-O's own axioms a store finds a prov:Activity that has prov:wasDerivedFrom inconsistent;
    # restated here, the build's reasoning finds it first. Statements are the reported statements: entities.
    assert (PROV.Entity, OWL.disjointWith, PROV.Activity) in ONTOLOGY
    assert ONTOLOGY.value(PROV.wasDerivedFrom, RDFS.domain) == PROV.Entity
    graph = built.asserted + built.inferred
    statements = set(graph.subjects(RDF.type, AJK.Statement))
    entities, activities = set(graph.subjects(RDF.type, PROV.Entity)), set(graph.subjects(RDF.type, PROV.Activity))
    assert statements and statements <= entities and not entities & activities


def disjoint_pairs(graph) -> set[frozenset]:
    pairs = {frozenset(pair) for pair in graph.subject_objects(OWL.disjointWith)}
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(graph.items(graph.value(axiom, OWL.members)))
        pairs |= {frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1:]}
    return pairs


# Disjointness between two other vocabularies' classes that those vocabularies state themselves.
THEIR_OWN = {frozenset((PROV.Entity, PROV.Activity)), frozenset((SKOS.Concept, SKOS.ConceptScheme))}


def test_no_disjointness_is_claimed_between_other_vocabularies_classes():
    """Saying that two classes of other vocabularies are disjoint would make a consumer's data that
    merges them (an event that is also a SKOS concept) inconsistent with ours."""
    theirs = [pair for pair in disjoint_pairs(ONTOLOGY) if not any(str(c).startswith(str(AJK)) for c in pair)]
    assert theirs and set(theirs) <= THEIR_OWN, set(theirs) - THEIR_OWN
    ours = {c for pair in disjoint_pairs(ONTOLOGY) for c in pair if str(c).startswith(str(AJK))}
    assert {AJK.Person, AJK.Statement, AJK.Initiative} <= ours
