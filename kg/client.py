"""Querying a SPARQL endpoint over HTTP (SPARQL 1.1 Protocol), for `kg query --endpoint` and kg.query."""
from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import urlencode

from rdflib.query import Result

ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/turtle;q=0.8"


class EndpointError(Exception):
    """The endpoint answered with an error; `status` is its HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class EndpointUnreachable(OSError):
    """Nothing answered at the endpoint's address."""


def post(endpoint: str, text: str, bindings: dict | None = None, timeout: float = 120,
         graphs: tuple[str, ...] = ()) -> tuple[str, bytes]:
    """POST a query (form-encoded). `bindings` are pre-bound in the query's text (a VALUES block opening
    its WHERE group, as rdflib's initBindings do), so any SPARQL 1.1 store applies them; `graphs` are
    sent as default-graph-uri (e.g. the named graph `kg push` loaded). Our prefixes are declared in the
    text, since a remote store may not know them."""
    from .queries import with_prologue
    text = with_prologue(text)
    if bindings:
        from .binding import Unbindable, prebind
        try:
            text = prebind(text, [(name, term.n3()) for name, term in bindings.items()])
        except Unbindable as refused:
            raise EndpointError(400, str(refused)) from None
    fields = [("query", text)] + [("default-graph-uri", graph) for graph in graphs]
    request = urllib.request.Request(endpoint, data=urlencode(fields).encode("utf-8"), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT, "User-Agent": "kg-query/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as failure:
        message = failure.read().decode("utf-8", "replace").strip() or failure.reason
        raise EndpointError(failure.code, f"the endpoint answered {failure.code}: {message}") from None
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        raise EndpointUnreachable(f"cannot reach the SPARQL endpoint {endpoint} ({reason}); "
                                  "is it running? (`kg serve` starts this project's)") from None


def query(endpoint: str, text: str, bindings: dict | None = None, graphs: tuple[str, ...] = ()) -> Result | bytes:
    """SELECT/ASK answers as an rdflib Result; a graph answer (CONSTRUCT, DESCRIBE) as its raw bytes."""
    return parse(*post(endpoint, text, bindings, graphs=graphs))


def parse(content_type: str, body: bytes) -> Result | bytes:
    """An answer as the SPARQL Protocol gives it: results as an rdflib Result, a graph as its bytes."""
    kind = content_type.split(";")[0].strip()
    if kind in ("application/sparql-results+json", "application/json"):
        return Result.parse(io.BytesIO(body), format="json")
    if kind in ("application/sparql-results+xml", "application/xml", "text/xml"):
        return Result.parse(io.BytesIO(body), format="xml")
    return body
