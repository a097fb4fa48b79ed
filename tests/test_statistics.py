"""The dataset's statistics (kg/statistics.py): counted by the build as it writes kg.nq, against the
same counts from pyoxigraph's N-Quads parser and rdflib's parse of kg.ttl; and the counts `kg serve`
states: those the build kept for the kg.nq it serves, else counted in its store."""
import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, URIRef

from kg.namespaces import AJK, ID
from kg.service.app import App
from kg.service.config import Config
from kg.statistics import Statistics, Tally, in_store

XSD = "http://www.w3.org/2001/XMLSchema#"


def kept_counts(dist) -> dict:
    """The counts in report.json, without the SHA-256 of the kg.nq they are of."""
    counts = json.loads((dist / "report.json").read_text(encoding="utf-8"))["statistics"]
    return {name: value for name, value in counts.items() if name != "kg.nq"}


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
    assert kept_counts(dist) == {
        "triples": sum(graphs.values()),
        "entities": sum(isinstance(s, ox.NamedNode) and s.value.startswith(str(ID)) for s in subjects),
        "subjects": len(subjects), "objects": len(objects), "properties": len(properties),
        "classes": {c: len(members) for c, members in sorted(instances.items())},
        "graphs": dict(sorted(graphs.items())),
    }


def test_the_builds_counts_are_rdflibs(dist, kg_graph):
    counts = kept_counts(dist)
    subjects = set(kg_graph.subjects())
    assert counts["triples"] == len(kg_graph)
    assert counts["subjects"] == len(subjects)
    assert counts["objects"] == len(set(kg_graph.objects()))
    assert counts["properties"] == len(set(kg_graph.predicates()))
    assert counts["entities"] == sum(isinstance(s, URIRef) and s.startswith(str(ID)) for s in subjects)
    assert counts["classes"][str(AJK.Statement)] == len(set(kg_graph.subjects(RDF.type, AJK.Statement))) > 50


def test_a_tally_counts_terms_by_their_text_and_lines_by_their_graph():
    tally = Tally()
    quads = [
        '<http://x/b> <http://x/says> "a <quoted> text"@en <http://x/g2> .',
        f'_:n <{RDF.type}> <http://x/C> <http://x/g1> .',
        f'<{ID}a> <{RDF.type}> <http://x/C> <http://x/g2> .',
        f'<{ID}a> <http://x/says> "a <quoted> text"@en <http://x/g1> .',
        f'<{ID}a> <http://x/count> "1"^^<{XSD}nonNegativeInteger> <http://x/g1> .',
        f'<{ID}a> <http://x/count> "1"^^<{XSD}integer> <http://x/g1> .',
    ]
    assert list(tally.counting(quads)) == quads  # passed on unchanged
    assert tally.statistics() == Statistics(
        triples=6, entities=1, subjects=3, objects=4, properties=3,
        classes={"http://x/C": 2}, graphs={"http://x/g1": 4, "http://x/g2": 2})


def test_a_store_counts_a_number_by_its_value(tmp_path):
    """Why the build counts the files itself: pyoxigraph stores "1"^^xsd:nonNegativeInteger as
    "1"^^xsd:integer, the same term as another 1."""
    quads = [f'<{ID}a> <http://x/count> "1"^^<{XSD}nonNegativeInteger> <http://x/g> .',
             f'<{ID}b> <http://x/count> "1"^^<{XSD}integer> <http://x/g> .']
    store = ox.Store()
    store.load("\n".join(quads).encode(), format=ox.RdfFormat.N_QUADS)
    tally = Tally()
    list(tally.counting(quads))
    assert (in_store(store).objects, tally.statistics().objects) == (1, 2)


@pytest.fixture
def served_dist(dist, tmp_path) -> Path:
    """A copy of the build's kg.nq and report.json (the store is loaded from kg.nq), its report's
    subject count planted at 1, so that the service's answer shows where it came from."""
    copy = tmp_path / "dist"
    copy.mkdir()
    shutil.copy(dist / "kg.nq", copy)
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    report["statistics"]["subjects"] = 1
    (copy / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return copy


def test_the_service_states_the_counts_kept_for_its_kg_nq(served_dist):
    app = App(Config(dist=served_dist, workers=1))
    try:
        assert app.stats.subjects == 1
    finally:
        app.close()


@pytest.mark.parametrize("change", ["kept none", "not json", "kept for another kg.nq"])
def test_without_counts_for_its_kg_nq_the_service_counts_its_store(served_dist, change):
    report = served_dist / "report.json"
    if change == "kept none":
        report.write_text(json.dumps({key: value for key, value in json.loads(report.read_text()).items()
                                      if key != "statistics"}), encoding="utf-8")
    elif change == "not json":
        report.write_text("{", encoding="utf-8")
    else:
        with open(served_dist / "kg.nq", "a", encoding="utf-8") as quads:
            quads.write(f"<{ID}added> <{RDF.type}> <{AJK.Statement}> <{ID}graph> .\n")
    app = App(Config(dist=served_dist, workers=1))
    try:
        assert app.stats == in_store(app.store) and app.stats.subjects > 1
    finally:
        app.close()
