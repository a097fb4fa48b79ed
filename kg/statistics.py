"""The dataset's statistics as VoID and the service description state them: triples, distinct
subjects, objects and properties, entities, instances per class, triples per named graph.

The build counts them from the N-Quads it writes (a pass over lines it holds anyway), into
report.json, so that `kg serve` starts without scanning the store: at 1.5 million triples the
scan took 15 s at every start. A build made before that is counted in its store, as it was."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from .export import parts_of
from .namespaces import ID
from .store import UNION

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int  # distinct subjects under our id: namespace
    subjects: int
    objects: int
    properties: int
    classes: dict  # class IRI -> number of instances, by IRI
    graphs: dict  # named graph IRI -> number of triples (kg/graphs.py), by IRI; the default graph is their union

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def of_json(cls, data: dict) -> Statistics:
        return cls(**data)


class Tally:
    """Counts the quads of a build as they are written: `add` each N-Triples line with its graph.
    Terms are compared as their N-Triples text, which the build writes canonically: one text per term."""

    def __init__(self):
        self.subjects, self.objects, self.properties = set(), set(), set()
        self.instances = Counter()  # a line is written once, so each is another instance of its class
        self.graphs = Counter()

    def add(self, line: str, graph: str) -> None:
        s, p, o = parts_of(line)
        self.subjects.add(s)
        self.properties.add(p)
        self.objects.add(o)
        if p == RDF_TYPE and o[0] == "<":
            self.instances[o] += 1
        self.graphs[graph] += 1

    def statistics(self) -> Statistics:
        ours = f"<{ID}"
        return Statistics(
            triples=sum(self.graphs.values()),
            entities=sum(s.startswith(ours) for s in self.subjects),
            subjects=len(self.subjects),
            objects=len(self.objects),
            properties=len(self.properties),
            classes=dict(sorted((c[1:-1], n) for c, n in self.instances.items())),
            graphs=dict(sorted(self.graphs.items())),
        )


def in_store(store: ox.Store) -> Statistics:
    """The same counts, asked of a store: a scan of every quad, several times. pyoxigraph keeps a
    number by its value ("1"^^xsd:nonNegativeInteger is "1"^^xsd:integer there), so it may find fewer
    distinct objects than the files hold."""
    def number(query: str) -> int:
        return int(next(iter(store.query(query, **UNION)))["n"].value)

    classes = {row["c"].value: int(row["n"].value) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c", **UNION)}
    return Statistics(
        triples=len(store),
        entities=number(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{ID}\")) }}"),
        subjects=number("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        objects=number("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        properties=number("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        classes=classes,
        graphs={row["g"].value: int(row["n"].value) for row in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")},
    )
