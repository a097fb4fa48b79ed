"""`kg push`: load the built graph into a remote triple store over the SPARQL 1.1 Graph Store HTTP Protocol:
the whole graph (kg.ttl's triples) into one named graph, or each named graph of dist/kg.nq into the
store's graph of that name (kg/graphs.py), so that the store can be asked of one document as the
embedded engine is.

For each graph, the first request PUTs (replaces the named graph), the rest POST (merge), in chunks of N-Triples sent as
text/turtle (N-Triples is Turtle, and every store reads Turtle), so a million-triple graph never travels
as one huge body. Blank nodes are scoped to one request body, so every triple holding a blank node goes
in the first chunk: a blank node and all its triples reach the store together and stay one node.
The triples are kg.nq's lines as the build wrote them (not read from the store, which normalises
numbers), streamed: a push holds one chunk and the blank nodes' triples in memory, whatever the size."""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlencode, urlsplit

from .by_graph import graph_groups, has_blank_node, without_graph
from .client import EndpointError, EndpointUnreachable
from .graphs import ONTOLOGY
from .store import quads_file

CHUNK = 50_000  # triples per request: a few MB, well within what stores accept in one body


@dataclass(frozen=True)
class Target:
    endpoint: str  # the Graph Store Protocol endpoint, e.g. http://host:8890/sparql-graph-crud-auth
    graph: str  # the named graph's IRI
    user: str | None = None
    password: str | None = None


def chunks(with_blank: list[bytes], rest: Iterable[bytes], size: int = CHUNK) -> Iterator[list[bytes]]:
    """N-Triples lines in chunks of at most `size`, read from `rest` as they are sent, except the first,
    which holds every line with a blank node (`with_blank`) however many, topped up from `rest`."""
    rest = iter(rest)
    yield with_blank + list(islice(rest, max(size - len(with_blank), 0)))
    while chunk := list(islice(rest, size)):
        yield chunk


class Auth:
    """HTTP Digest (what Virtuoso's /sparql-graph-crud-auth asks for) or Basic, sent with every request.
    The challenge is fetched once with a bodiless GET: a store that refuses an unauthenticated upload
    may close the connection while a large body is still being sent, so the body must never go first."""

    def __init__(self, target: Target):
        self.target, self.challenge, self.count = target, None, 0

    def fetch_challenge(self, url: str, timeout: float) -> None:
        if not self.target.user:
            return
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=timeout).close()
        except urllib.error.HTTPError as failure:
            offered = failure.headers.get("WWW-Authenticate", "")
            failure.close()
            if offered.lower().startswith("digest"):
                self.challenge = dict(re.findall(r'(\w+)="?([^",]*)"?', offered[len("digest"):]))
        # no Digest challenge: Basic credentials go with each request

    def header(self, method: str, url: str) -> dict:
        user, password = self.target.user, self.target.password or ""
        if not user:
            return {}
        if self.challenge is None:
            token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
            return {"Authorization": f"Basic {token}"}
        c, self.count = self.challenge, self.count + 1
        uri = urlsplit(url)._replace(scheme="", netloc="").geturl()
        md5 = lambda text: hashlib.md5(text.encode("utf-8")).hexdigest()
        ha1, ha2, cnonce, nc = md5(f"{user}:{c['realm']}:{password}"), md5(f"{method}:{uri}"), secrets.token_hex(8), f"{self.count:08x}"
        fields = {"username": user, "realm": c["realm"], "nonce": c["nonce"], "uri": uri}
        if "auth" in c.get("qop", "").split(","):
            fields.update(qop="auth", nc=nc, cnonce=cnonce, response=md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}"))
        else:
            fields["response"] = md5(f"{ha1}:{c['nonce']}:{ha2}")
        if "opaque" in c:
            fields["opaque"] = c["opaque"]
        parts = ", ".join(f'{k}={v}' if k in ("qop", "nc") else f'{k}="{v}"' for k, v in fields.items())
        return {"Authorization": f"Digest {parts}"}


def graph_url(target: Target) -> str:
    return target.endpoint + ("&" if "?" in target.endpoint else "?") + urlencode({"graph": target.graph})


def send(target: Target, method: str, body: bytes, auth: Auth, timeout: float = 600) -> None:
    url = graph_url(target)
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Content-Type": "text/turtle; charset=utf-8", "User-Agent": "kg-push/0.1", **auth.header(method, url)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as failure:
        text = failure.read().decode("utf-8", "replace").strip()[:2000] or failure.reason
        if failure.code in (401, 403):
            who = f"as {target.user!r}" if target.user else "without credentials (give --user and --password)"
            raise EndpointError(failure.code, f"the store refused the upload {who}: {failure.code} {text}") from None
        raise EndpointError(failure.code, f"the store answered {failure.code} to {method} {url}: {text}") from None
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        raise EndpointUnreachable(f"cannot reach the graph store {target.endpoint} ({reason}); is it running?") from None


def check_credentials(target: Target, auth: Auth, timeout: float = 60) -> None:
    """A bodiless authenticated GET first: a store refusing the credentials may cut the connection while
    an upload's body is still being sent, which would hide its refusal behind a broken pipe."""
    if not target.user:
        return
    url = graph_url(target)
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="GET", headers=auth.header("GET", url)),
                               timeout=timeout).close()
    except urllib.error.HTTPError as failure:
        text = failure.read().decode("utf-8", "replace").strip()[:500] or failure.reason
        if failure.code in (401, 403):
            raise EndpointError(failure.code, f"the store refused the upload as {target.user!r}: "
                                              f"{failure.code} {text}") from None
        # anything else (e.g. 404: the graph does not exist yet) is for the upload to settle


def connect(target: Target) -> Auth:
    auth = Auth(target)
    try:
        auth.fetch_challenge(graph_url(target), timeout=60)
        check_credentials(target, auth)
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        raise EndpointUnreachable(f"cannot reach the graph store {target.endpoint} ({reason}); is it running?") from None
    return auth


def replace_graph(target: Target, with_blank: list[bytes], rest: Iterable[bytes], auth: Auth, size: int,
                  log: Callable[[str], None] = lambda _: None) -> int:
    """Replace `target.graph` with these N-Triples lines; returns how many were sent."""
    sent = 0
    for index, chunk in enumerate(chunks(with_blank, rest, size)):
        send(target, "PUT" if index == 0 else "POST", b"".join(chunk), auth)
        sent += len(chunk)
        log(f"  {sent} triples sent")
    return sent


def push(dist: Path, target: Target, size: int = CHUNK, log: Callable[[str], None] = print) -> int:
    """Replace `target.graph` with the whole graph (kg.nq's triples, which are kg.ttl's); returns the
    number of triples sent."""
    started, source = time.perf_counter(), quads_file(dist)
    auth = connect(target)
    with open(source, "rb") as quads:  # read twice: the blank nodes' triples first, then the rest
        with_blank = [without_graph(line) for line in quads if has_blank_node(line)]
    with open(source, "rb") as quads:
        rest = (without_graph(line) for line in quads if not has_blank_node(line))
        sent = replace_graph(target, with_blank, rest, auth, size, log)
    log(f"Pushed {sent} triples into <{target.graph}> at {target.endpoint} in {time.perf_counter() - started:.1f} s")
    return sent


def push_named_graphs(dist: Path, target: Target, size: int = CHUNK, log: Callable[[str], None] = print) -> int:
    """Replace each graph of the store named in dist/kg.nq with that graph's triples (`target.graph` is
    not used); returns the number of triples sent."""
    started, source = time.perf_counter(), quads_file(dist)
    auth = connect(replace(target, graph=ONTOLOGY))  # any graph the push replaces will do for the challenge
    sent = graphs = 0
    for name, lines in graph_groups(source):
        with_blank = [without_graph(line) for line in lines if has_blank_node(line)]
        rest = (without_graph(line) for line in lines if not has_blank_node(line))
        sent += replace_graph(replace(target, graph=name), with_blank, rest, auth, size)
        graphs += 1
        log(f"  {sent} triples sent, <{name}> replaced")
    log(f"Pushed {sent} triples into {graphs} named graphs at {target.endpoint} "
        f"in {time.perf_counter() - started:.1f} s")
    return sent
