"""One SPARQL request evaluated against the store: refuse what is not allowed, run, cap, serialise.

Runs inside a query worker process (kg.service.workers), so that a query past its time limit can be
stopped by ending the process: pyoxigraph has no way to cancel a running query."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..store import PREFIXES, UNION
from . import results
from ..binding import Unbindable, names_its_dataset, prebind
from .guard import Refused, check_no_service, syntax_error


@dataclass(frozen=True)
class Request:
    """What the HTTP layer hands a worker; plain data, so it pickles cheaply."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    bindings: tuple[tuple[str, str], ...] = ()  # (name, N-Triples term) pairs from RDF4J-style $name parameters


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict = field(default_factory=dict)
    file: Path | None = None  # sent in place of `body`, read as it is sent: the dumps run to hundreds of MB

    def __post_init__(self):
        if self.file is not None and self.body:
            raise ValueError("a reply carries a body or a file, not both")


def error(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_term(text: str):
    """A bound value given as an N-Triples term: <IRI>, "literal"@lang, "5"^^<datatype>."""
    try:
        triple = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    except (SyntaxError, StopIteration):
        raise Refused(400, f"a bound value must be an N-Triples term such as <https://...> or \"text\"@en, "
                           f"not {text!r}") from None
    return triple.object


def prepared(request: Request, empty: ox.Store, allow_service: bool) -> str:
    """The query text with its bound values written in, refused if it reaches out (SERVICE) unless
    allowed: what both the embedded engine and the forwarder to a remote store evaluate."""
    text = request.query
    if request.bindings:
        bad = [name for name, _ in request.bindings if not VARIABLE.fullmatch(name)]
        if bad:
            raise Refused(400, f"${bad[0]} is not a variable name a query can bind")
        try:
            text = prebind(text, [(name, str(parse_term(value))) for name, value in request.bindings])
        except Unbindable as refused:
            raise Refused(400, str(refused)) from None
    if not allow_service:
        check_no_service(text, empty)
    return text


@dataclass(frozen=True)
class Settings:
    max_rows: int = 10_000
    allow_service: bool = False


def evaluate(store: ox.Store, empty: ox.Store, request: Request, settings: Settings) -> Reply:
    try:
        return _evaluate(store, empty, request, settings)
    except Refused as refused:
        return error(refused.status, refused.message)
    except results.NotAcceptable as refused:
        return error(406, str(refused))
    except Exception as failure:  # keep the worker alive and the client informed
        return error(500, f"the query failed: {type(failure).__name__}: {failure}")


def _evaluate(store: ox.Store, empty: ox.Store, request: Request, settings: Settings) -> Reply:
    text = prepared(request, empty, settings.allow_service)
    options = {"prefixes": PREFIXES}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    if not (request.default_graphs or request.named_graphs or names_its_dataset(text)):
        options.update(UNION)  # no dataset asked for: the default graph is the union of the named graphs
    try:
        answer = store.query(text, **options)
    except SyntaxError as parse_error:
        raise syntax_error(text, parse_error) from None
    except RuntimeError as failure:  # pyoxigraph's word for a request it cannot honour, e.g. a binding
        raise Refused(400, f"the query cannot be run as asked: {failure}") from None
    except (OSError, ValueError) as failure:
        raise Refused(400, f"the query could not be evaluated: {failure}") from None
    limit = settings.max_rows
    if isinstance(answer, ox.QueryBoolean):
        fmt = results.choose(results.RESULT_FORMATS, request.accept, request.format, "an ASK query")
        return Reply(200, fmt.content_type, results.write_ask(bool(answer), fmt.key))
    if isinstance(answer, ox.QuerySolutions):
        fmt = results.choose(results.RESULT_FORMATS, request.accept, request.format, "a SELECT query")
        names = [v.value for v in answer.variables]
        rows = []
        for solution in answer:  # fetch one past the cap to know whether there were more
            if len(rows) == limit:
                return _capped(fmt, results.write_select(names, rows, fmt.key, True, limit), len(rows), limit)
            rows.append([solution[name] for name in names])
        return _capped(fmt, results.write_select(names, rows, fmt.key, False, limit), len(rows), None)
    fmt = results.choose(results.GRAPH_FORMATS, request.accept, request.format, "a CONSTRUCT or DESCRIBE query")
    triples = []
    for triple in answer:
        if len(triples) == limit:
            return _capped(fmt, results.write_graph(triples, fmt.key, True, limit), len(triples), limit)
        triples.append(triple)
    return _capped(fmt, results.write_graph(triples, fmt.key, False, limit), len(triples), None)


def _capped(fmt: results.Format, body: bytes, count: int, truncated_at: int | None) -> Reply:
    """The row count in a header; a cut result says so in a header too (and in its body where the format can)."""
    headers = {"X-SPARQL-Results": str(count)}
    if truncated_at is not None:
        headers["X-SPARQL-Truncated"] = f"true; the result has more than {truncated_at} rows, only the first {truncated_at} are sent"
    return Reply(200, fmt.content_type, body, headers)
