"""Queries on the embedded pyoxigraph store, answered exactly as `kg serve` answers them over HTTP.

`kg query` and kg.query run here when no endpoint is given: the store is the persisted one when the
build left one matching dist/kg.nq (opened in milliseconds), else kg.nq loaded into memory. The
request goes through the service's own evaluator (bindings pre-bound the same way, the same result
writer), so a local answer and an answer from `kg serve` on the same build are the same bytes."""
from __future__ import annotations

import re
from pathlib import Path

from .graphs import document_ids
from .store import PREFIXES, open_store

ACCEPT = "application/sparql-results+json, text/turtle;q=0.8"
PREFIX_NOT_FOUND = re.compile(r"^error at (\d+):(\d+): expected one of Prefix not found")


class QueryFailed(Exception):
    """The engine refused or could not evaluate the query; `status` is what an endpoint would answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def answer(dist: Path, text: str, bindings: dict | None = None, graphs: tuple[str, ...] = ()) -> tuple[str, bytes]:
    """(content type, body) of the answer: SPARQL JSON for SELECT/ASK, Turtle for a graph.
    `bindings` maps variable names to rdflib terms (as kg.queries.binding gives them); `graphs`, the
    named graphs to read as the default graph (kg.graphs.scope), else all of them."""
    import pyoxigraph as ox

    from .service.engine import Request, Settings, evaluate
    store = open_store(Path(dist))
    missing = [g for g in graphs if not store.contains_named_graph(ox.NamedNode(g))]
    if missing:
        name, document = missing[0], document_ids(missing[:1])
        what = f"document {document[0]!r}" if document else f"graph <{name}>"
        raise QueryFailed(404, f"the build in {dist} has no {what}; {known_documents(store)}")
    pairs = tuple(sorted((name, term.n3()) for name, term in (bindings or {}).items()))
    # No row cap and SERVICE allowed: the user runs their own query on their own machine, as with rdflib.
    reply = evaluate(store, ox.Store(), Request(text, ACCEPT, None, tuple(graphs), (), pairs),
                     Settings(max_rows=2**62, allow_service=True))
    if reply.status != 200:
        raise QueryFailed(reply.status, explain(text, reply.body.decode("utf-8").strip()))
    return reply.content_type, reply.body


def known_documents(store) -> str:
    names = document_ids(g.value for g in store.named_graphs())
    return f"its documents are: {', '.join(names)}" if names else "it has no documents"


def explain(text: str, message: str) -> str:
    """The engine's message; an undeclared prefix named as rdflib names it (the CLI's long-standing wording)."""
    found = PREFIX_NOT_FOUND.search(message.removeprefix("the SPARQL query does not parse: "))
    if not found:
        return message
    line, column = int(found.group(1)), int(found.group(2))
    before = text.split("\n")[line - 1][: column - 1]
    # the parser stops at the end of the prefixed name (or at its colon): the prefix is before that colon
    name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before).group(1) or ""
    known = " ".join(f"{p}:" for p in sorted(PREFIXES))
    return f"the SPARQL query uses an Unknown namespace prefix {name}:; declare it, or use one of {known}"
