"""SHACL validation of the instance data (pySHACL), reported per record."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .namespaces import bind_prefixes


@dataclass(frozen=True, order=True)
class ShapeResult:
    severity: str  # "Violation" or "Warning"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: {self.path}: {self.message}"


class ShapeViolations(Exception):
    def __init__(self, results: list[ShapeResult]):
        self.results = results
        super().__init__("\n".join(str(r) for r in results))


def _results(report: Graph, name: Callable[[URIRef], str]) -> list[ShapeResult]:
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage) or "does not conform"
        found.add(ShapeResult(
            severity=str(severity).rpartition("#")[2],
            focus=name(focus) if isinstance(focus, URIRef) else str(focus),
            path=report.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "-",
            message=str(message),
        ))
    return sorted(found)


def check_shapes(data: Graph, shapes: Path, name: Callable[[URIRef], str] = str) -> list[ShapeResult]:
    """Validate `data`, which must already hold its class and property hierarchy (kg.rules);
    raise ShapeViolations on any violation, return the warnings."""
    shapes_graph = Graph().parse(shapes, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True, abort_on_first=False)
    results = _results(bind_prefixes(report), name)
    violations = [r for r in results if r.severity != "Warning"]
    if violations:
        raise ShapeViolations(violations)
    return results
