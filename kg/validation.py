"""SHACL validation of the instance data, reported per record.

The engine is rudof's (pyrudof, in Rust): pySHACL walks rdflib graphs and took minutes at a million
triples. tests/test_shapes.py holds it to pySHACL's results, shape rule by shape rule. Every result's
message is the sh:message of the shape that reported it, read from our shapes file, so what a
curator reads does not depend on the engine's wording.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyrudof
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .export import ntriples_of
from .namespaces import curie


@dataclass(frozen=True, order=True)
class ShapeResult:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: {self.path}: {self.message}"


class ShapeViolations(Exception):
    def __init__(self, results: list[ShapeResult]):
        self.results = results
        super().__init__("\n".join(str(r) for r in results))


def shape_messages(shapes: Path) -> dict[str, str]:
    graph = Graph().parse(shapes, format="turtle")
    return {str(shape): str(message) for shape, message in graph.subject_objects(SH.message)}


def engine_results(data: Iterable[tuple], shapes: Path) -> list:
    """rudof's validation entries for `data` (triples) against the shapes file."""
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    strict = pyrudof.ReaderMode.Strict  # the default, Lax, would skip what it cannot read
    with tempfile.NamedTemporaryFile(suffix=".nt") as file:
        # A file, not a string: rudof would take a string that looks like a path or URL for one.
        file.write(ntriples_of(data))
        file.flush()
        engine.read_data(file.name, format=pyrudof.RDFFormat.NTriples, reader_mode=strict)
    engine.read_shacl(str(shapes), format=pyrudof.ShaclFormat.Turtle, reader_mode=strict)
    return list(engine.validate_shacl())


def check_shapes(data: Iterable[tuple], shapes: Path, name: Callable[[URIRef], str] = str) -> list[ShapeResult]:
    """Validate `data` (triples), which must already hold its class and property hierarchy
    (kg.rules); raise ShapeViolations on any violation, return the warnings."""
    messages = shape_messages(shapes)
    results = sorted({
        ShapeResult(
            severity=entry.severity,
            focus=name(URIRef(entry.focus_node)) if "://" in entry.focus_node else entry.focus_node,
            path=curie(entry.path) if entry.path else "-",
            message=messages.get(entry.source_shape) or entry.message.strip('"') or "does not conform",
        )
        for entry in engine_results(data, shapes)
    })
    violations = [r for r in results if r.severity != "Warning"]
    if violations:
        raise ShapeViolations(violations)
    return results
