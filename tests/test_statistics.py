"""The dataset's statistics, counted by the build as it writes kg.nq (kg/statistics.py), against the
same counts asked of the query store and of rdflib's parse of kg.ttl."""
import json
import shutil
from collections import Counter, defaultdict

import pyoxigraph as ox
import pytest
from rdflib import RDF, URIRef

from kg.graphs import SHARED, document_graph
from kg.namespaces import AJK, ID
from kg.service.describe import statistics
from kg.statistics import in_store
from kg.store import open_store


def kept(dist) -> dict:
    return json.loads((dist / "report.json").read_text(encoding="utf-8"))["statistics"]


@pytest.mark.parametrize("which", ["dist", "two_documents_dist"])
def test_the_builds_counts_are_those_of_kg_nq_as_parsed(which, request):
    dist = request.getfixturevalue(which)
    subjects, objects, properties, instances, graphs = set(), set(), set(), defaultdict(set), Counter()
    for quad in ox.parse(path=str(dist / "kg.nq"), format=ox.RdfFormat.N_QUADS):
        subjects.add(quad.subject)
        objects.add(quad.object)
        properties.add(quad.predicate)
        if quad.predicate == ox.NamedNode(str(RDF.type)) and isinstance(quad.object, ox.NamedNode):
            instances[quad.object.value].add(quad.subject)
        graphs[quad.graph_name.value] += 1
    assert kept(dist) == {
        "triples": sum(graphs.values()),
        "entities": sum(isinstance(s, ox.NamedNode) and s.value.startswith(str(ID)) for s in subjects),
        "subjects": len(subjects), "objects": len(objects), "properties": len(properties),
        "classes": {c: len(members) for c, members in sorted(instances.items())},
        "graphs": dict(sorted(graphs.items())),
    }


def test_the_store_counts_the_same_but_for_numbers_it_merges(dist):
    """pyoxigraph stores a number as its value: "1"^^xsd:nonNegativeInteger comes back as
    "1"^^xsd:integer, the same object as a count of 1, so it finds fewer distinct objects."""
    counted, in_the_store = kept(dist), in_store(open_store(dist)).as_json()
    assert in_the_store["objects"] < counted["objects"]
    assert without_objects(in_the_store) == without_objects(counted)


def without_objects(counts: dict) -> dict:
    return {name: value for name, value in counts.items() if name != "objects"}


def test_the_builds_counts_are_rdflibs(dist, kg_graph):
    counts = kept(dist)
    subjects = set(kg_graph.subjects())
    assert counts["triples"] == len(kg_graph)
    assert counts["subjects"] == len(subjects)
    assert counts["objects"] == len(set(kg_graph.objects()))
    assert counts["properties"] == len(set(kg_graph.predicates()))
    assert counts["entities"] == sum(isinstance(s, URIRef) and s.startswith(str(ID)) for s in subjects)
    assert counts["classes"][str(AJK.Statement)] == len(set(kg_graph.subjects(RDF.type, AJK.Statement))) > 50


def test_each_document_s_triples_are_counted_in_its_graph(two_documents_dist):
    graphs = kept(two_documents_dist)["graphs"]
    assert {document_graph("mofa-session-summaries"), document_graph("second-readout"), SHARED} <= set(graphs)
    assert sum(graphs.values()) == kept(two_documents_dist)["triples"]
    assert list(graphs) == sorted(graphs)  # the same order in every build, and in the service's description


def test_a_build_that_kept_no_counts_is_counted_in_its_store(dist, tmp_path):
    older = tmp_path / "dist"
    older.mkdir()
    shutil.copy(dist / "kg.nq", older)
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    del report["statistics"]
    (older / "report.json").write_text(json.dumps(report), encoding="utf-8")
    counted = statistics(older, open_store(older)).as_json()
    assert counted != kept(dist) and without_objects(counted) == without_objects(kept(dist))  # the store's count
