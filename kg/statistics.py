"""The dataset's statistics as VoID and the service description state them: triples, distinct
subjects, objects and properties, entities, instances per class, triples per named graph.

The build counts them from the N-Quads lines it writes, into report.json with kg.nq's SHA-256, so
that `kg serve` starts without scanning the store: at 1.5 million triples the scan took 15 s at
every start. They are the files' counts: pyoxigraph keeps a number by its value, so a store may
hold fewer distinct terms (and triples) than the files. Counts kept for another kg.nq, or none (a
build made before they were kept), are counted in the store instead."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from .export import RDF_TYPE, quad_parts_of
from .namespaces import ID
from .store import STAMP, UNION, persisted, quads_file, sha256, store_dir

SOURCE = "kg.nq"  # the key, in report.json's statistics, of the file they were counted from


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int  # distinct subjects under our id: namespace
    subjects: int
    objects: int
    properties: int
    classes: dict  # class IRI -> number of instances, sorted by IRI
    graphs: dict  # named graph IRI -> number of triples (kg/graphs.py), sorted by IRI; the default graph is their union

    def as_json(self) -> dict:
        return asdict(self)


class Tally:
    """Counts a build's N-Quads lines as they pass on their way to kg.nq. The lines must be distinct
    (each is a triple, counted once) and canonical, as the build writes them: one text per term, so
    terms are compared as their text."""

    def __init__(self):
        self.subjects, self.objects, self.properties = set(), set(), set()
        self.instances = Counter()  # a line is written once, so each is another instance of its class
        self.graphs = Counter()

    def counting(self, quads: Iterable[str]) -> Iterator[str]:
        for quad in quads:
            self.add(quad)
            yield quad

    def add(self, quad: str) -> None:
        s, p, o, graph = quad_parts_of(quad)
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
            graphs=dict(sorted((g[1:-1], n) for g, n in self.graphs.items())),
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


def kept(dist: Path) -> Statistics | None:
    """The counts the build kept in report.json, if they were counted from the kg.nq there now."""
    try:
        data = dict(json.loads((Path(dist) / "report.json").read_text(encoding="utf-8"))["statistics"])
        source = data.pop(SOURCE)["sha256"]
        counts = Statistics(**data)
    except (OSError, ValueError, KeyError, TypeError):  # none kept, or not in this shape
        return None
    return counts if source == quads_digest(dist) else None


def quads_digest(dist: Path) -> str:
    """kg.nq's SHA-256: the persisted store's stamp says it when it vouches for the file, else hashed."""
    if persisted(dist) is not None:
        return json.loads((store_dir(dist) / STAMP).read_text())["kg.nq"]["sha256"]
    return sha256(quads_file(dist))


def as_kept(counts: Statistics, quads: Path) -> dict:
    """The counts as report.json keeps them: with the SHA-256 of the kg.nq they were counted from."""
    return {SOURCE: {"sha256": sha256(quads)}, **counts.as_json()}
