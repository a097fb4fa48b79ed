"""SHACL validation of the instance data, reported per record.

The engine is rudof's (pyrudof, in Rust), in a child process: pySHACL walks rdflib graphs and took
minutes at a million triples. tests/test_shapes.py holds it to pySHACL's results, shape rule by shape
rule. Every result's message is the sh:message of the shape that reported it, read from our shapes
file, so what a curator reads does not depend on the engine's wording.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .export import ntriples_of
from .namespaces import curie

WORKER = Path(__file__).with_name("shacl_worker.py")  # run with -P: kg/ must not shadow stdlib modules


@dataclass(frozen=True, order=True)
class ShapeResult:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str
    value: str = ""  # the value at fault, if any (a missing value has none)

    def __str__(self) -> str:
        return f"{self.focus}: {self.path}: {self.message}" + (f" (found {self.value})" if self.value else "")


class ShapeViolations(Exception):
    def __init__(self, results: list[ShapeResult]):
        self.results = results
        super().__init__("\n".join(str(r) for r in results))


def shape_messages(shapes: Graph) -> dict[str, str]:
    return {str(shape): str(message) for shape, message in shapes.subject_objects(SH.message)}


def looked_at(data: Iterable[tuple], shapes: Graph) -> Iterable[tuple]:
    """The triples the shapes can see: those whose predicate (or, for rdf:type, class) the shapes
    name, and rdfs:subClassOf. About half the data: passages' selectors, dates' time instants and
    types outside the shapes never decide a result. Closed shapes and SPARQL constraints see
    everything, so with them nothing is left out."""
    if (None, SH.closed, None) in shapes or (None, SH.sparql, None) in shapes:
        return list(set(data))
    named = {term for triple in shapes for term in triple if isinstance(term, URIRef)} | {RDFS.subClassOf}
    type_ = RDF.type
    return list({t for t in data if (t[2] in named if t[1] == type_ else t[1] in named)})


# rudof's memory grows much faster than the data it validates: measured at 143k triples, parts of
# 50,000 triples took 500 MB, parts of 10,000 took 170 MB in the same time, and smaller parts only
# added per-part overhead (a million triples at once took 6 GB).
PART_TRIPLES = 10_000
_NESTED = (SH["or"], SH["and"], SH.xone, SH["not"], SH.qualifiedValueShape)


def focus_local(shapes: Graph) -> bool:
    """Whether every result about a node depends only on its own triples and its values' types,
    so that the data can be validated in parts by subject. True when every path is a plain
    property, no shape applies another to value nodes' properties (sh:node, or a property shape
    nested under a property shape's sh:or ...), and nothing sees the whole graph."""
    if any((None, p, None) in shapes for p in (SH.node, SH.closed, SH.sparql, SH.targetObjectsOf)):
        return False
    if any(not isinstance(path, URIRef) for path in shapes.objects(None, SH.path)):
        return False
    for prop in shapes.subjects(SH.path, None):
        for link in _NESTED:
            for nested in shapes.objects(prop, link):
                members = list(shapes.items(nested)) if (nested, RDF.first, None) in shapes else [nested]
                if any((m, SH.path, None) in shapes or (m, SH.property, None) in shapes for m in members):
                    return False
    return True


def parts(data: list, size: int) -> Iterable[tuple[set, list]]:
    """(subjects, triples) parts of about `size` triples, each subject's triples whole."""
    by_subject = defaultdict(list)
    for triple in data:
        by_subject[triple[0]].append(triple)
    owned, triples = set(), []
    for subject, own in by_subject.items():
        owned.add(subject)
        triples += own
        if len(triples) >= size:
            yield owned, triples
            owned, triples = set(), []
    if triples:
        yield owned, triples


def with_value_types(owned: set, triples: list, types: dict) -> list:
    """A part's triples and the types of the nodes they point to (what sh:class checks)."""
    pointed = {o for _, p, o in triples if p != RDF.type and not isinstance(o, Literal)} - owned
    return triples + [t for node in pointed for t in types.get(node, ())]


@dataclass(frozen=True)
class EngineResult:
    """One validation result as rudof reports it."""
    severity: str
    focus_node: str
    path: str | None
    value: str | None
    constraint_component: str
    source_shape: str
    message: str


def engine_results(data: Iterable[tuple], shapes: Path, part_triples: int = PART_TRIPLES) -> list[EngineResult]:
    """rudof's validation results for `data` (triples) against the shapes file."""
    return _engine_results(data, shapes, Graph().parse(shapes, format="turtle"), part_triples)


def _engine_results(data: Iterable[tuple], shapes: Path, shapes_graph: Graph, part_triples: int) -> list[EngineResult]:
    data = looked_at(data, shapes_graph)
    with Engine(shapes) as engine:
        # Blank nodes would need matching across engines' labels, and data that defines classes
        # would need its rdfs:subClassOf in every part: such data is validated whole.
        if not focus_local(shapes_graph) or any(isinstance(t[0], BNode) or t[1] == RDFS.subClassOf for t in data):
            engine.send(ntriples_of(data))
        else:
            types = defaultdict(list)
            for triple in data:
                if triple[1] == RDF.type:
                    types[triple[0]].append(triple)
            for owned, triples in parts(data, part_triples):
                # A node pointed to is targeted in this part too, but without its own triples: its
                # results come from the part that owns it.
                engine.send(ntriples_of(with_value_types(owned, triples, types)), owned)
    return engine.results


class Engine:
    """rudof in a child process (kg/shacl_worker.py, which says why), fed part by part; `results`
    once the block is left."""

    def __init__(self, shapes: Path):
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-P", str(WORKER), str(shapes)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        self.results: list[EngineResult] = []

    def send(self, data: bytes, focus: set | None = None) -> None:
        """Validate `data` (N-Triples); keep the results about the nodes in `focus` (all if None)."""
        listed = "".join(f"{node}\n" for node in focus).encode("utf-8") if focus is not None else b""
        header = f"{len(data)} {len(listed)}\n" if focus is not None else f"{len(data)}\n"
        try:
            self.process.stdin.write(header.encode("ascii") + data + listed)
        except BrokenPipeError:
            pass  # the engine stopped; leaving the block says why

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *failed) -> None:
        try:
            answer = self.process.communicate()[0] if not failed[0] else b""
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.errors.seek(0)
            said = self.errors.read().decode("utf-8", "replace").strip()
            self.errors.close()
        if failed[0]:
            return
        if self.process.returncode != 0:
            raise RuntimeError(f"the SHACL engine (rudof) failed with exit code {self.process.returncode}:\n{said}")
        self.results = [EngineResult(**entry) for entry in json.loads(answer)]


def readable(text: str) -> str:
    """The engine's text with its IRIs as CURIEs: `id:aoip`, `prov:Agent`."""
    return re.sub(r"<?\b(https?://[^\s<>\"]+)>?", lambda m: curie(m[1]), text)


def shown(value: str | None) -> str:
    """A value as a curator reads it: an IRI as a CURIE, a literal as the engine wrote it."""
    return curie(value) if value and "://" in value and not value.startswith('"') else value or ""


def check_shapes(data: Iterable[tuple], shapes: Path, name: Callable[[URIRef], str] = str) -> list[ShapeResult]:
    """Validate `data` (triples), which must already hold its class and property hierarchy
    (kg.rules); raise ShapeViolations on any violation, return the warnings."""
    shapes_graph = Graph().parse(shapes, format="turtle")
    messages = shape_messages(shapes_graph)
    results = sorted({
        ShapeResult(
            severity=entry.severity,
            focus=name(URIRef(entry.focus_node)) if "://" in entry.focus_node else entry.focus_node,
            path=curie(entry.path) if entry.path else "-",
            message=messages.get(entry.source_shape) or readable(entry.message.strip('"')) or "does not conform",
            value=shown(entry.value),
        )
        for entry in _engine_results(data, shapes, shapes_graph, PART_TRIPLES)
    })
    violations = [r for r in results if r.severity != "Warning"]
    if violations:
        raise ShapeViolations(violations)
    return results
