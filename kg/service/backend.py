"""`kg serve --backend URL`: the SPARQL endpoint answers by forwarding each query to a remote store.

The service's rules hold before anything leaves: a query must parse as a SPARQL query (so an update is
refused with 403, never forwarded), has no SERVICE clause unless --allow-service, and has its bound
values pre-bound in its text (a VALUES block, as the embedded engine does: remote stores do not all
read RDF4J-style $name parameters). Our prefixes are declared in the forwarded text, since the remote
store does not know them. Parsing is pyoxigraph's, on an empty store: nothing is evaluated locally."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pyoxigraph as ox

from ..store import PREFIXES
from .engine import Reply, Request, error, prepared
from .guard import Refused, syntax_error

DECLARED = re.compile(r"^\s*PREFIX\s+([\w-]*):", re.M | re.I)


def declare_prefixes(text: str) -> str:
    declared = set(DECLARED.findall(text))
    return "".join(f"PREFIX {p}: <{iri}> " for p, iri in sorted(PREFIXES.items()) if p not in declared) + text


class Forwarder:
    """Stands in for the worker pool: `run(request) -> Reply`, answered by the remote endpoint."""

    def __init__(self, backend: str, timeout: float, allow_service: bool = False, graphs: tuple[str, ...] = ()):
        self.backend, self.timeout, self.allow_service, self.graphs = backend, timeout, allow_service, graphs
        self.empty = ox.Store()

    def run(self, request: Request) -> Reply:
        try:
            text = self.checked(request)
        except Refused as refused:
            return error(refused.status, refused.message)
        graphs = request.default_graphs or self.graphs
        fields = [("query", declare_prefixes(text))] + [("default-graph-uri", g) for g in graphs] + \
                 [("named-graph-uri", g) for g in request.named_graphs]
        if request.format:
            fields.append(("format", request.format))
        forwarded = urllib.request.Request(self.backend, data=urlencode(fields).encode("utf-8"), method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": request.accept or "*/*",
            "User-Agent": "kg-serve/0.1"})
        try:
            with urllib.request.urlopen(forwarded, timeout=self.timeout) as answer:
                return Reply(200, answer.headers.get("Content-Type", "application/octet-stream"), answer.read())
        except urllib.error.HTTPError as failure:
            message = failure.read().decode("utf-8", "replace").strip()[:4000]
            status = failure.code if 400 <= failure.code < 500 else 502
            return error(status, f"the backend store answered {failure.code}: {message}")
        except (urllib.error.URLError, OSError) as failure:
            reason = getattr(failure, "reason", failure)
            return error(502, f"the backend store at {self.backend} did not answer ({reason})")

    def checked(self, request: Request) -> str:
        text = prepared(request, self.empty, self.allow_service)
        try:
            self.empty.query(text, prefixes=PREFIXES)  # parses; evaluates nothing but an empty store
        except SyntaxError as failure:
            raise syntax_error(text, failure) from None
        return text

    def close(self) -> None:
        pass
