"""What each path of the service answers: a request in, a Reply out (no sockets here; see server.py).

/sparql            SPARQL 1.1 Protocol (GET, POST form, POST application/sparql-query); its Service
                   Description when asked without a query
/query             the query page        /void, /.well-known/void   the dataset's VoID/DCAT description
/id/...            an entity's IRI: 303 to /page/... (HTML) or /data/....ttl|.jsonld|.nt|.rdf
/ontology          the vocabulary (hash IRIs: served directly, HTML or RDF)
/dist/FILE         the build's dumps     /            the viewer (dist/viewer.html) when it exists
"""
from __future__ import annotations

import re
import sys
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

import pyoxigraph as ox
from rdflib import Graph

from .. import paths
from ..store import BASE, PREFIXES, open_store, quads_file
from . import describe, results
from .config import Config
from .engine import Reply, Request, Settings, error
from .pages import ID_SPACE, Pages
from .workers import Busy, Pool, QueryTimeout, WorkerLost

TEMPLATES = paths.PACKAGE / "templates"
STATIC = {"service-query.js": "text/javascript; charset=utf-8", "service.css": "text/css; charset=utf-8"}
# Our own pages load nothing from elsewhere; the viewer carries its own (stricter) policy in a meta tag.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCUMENT_FORMATS = (  # entity data, ontology, VoID, service description
    results.Format("html", "text/html", ("application/xhtml+xml",)),
    *results.GRAPH_FORMATS,
)
EXTENSIONS = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples", "rdf": "rdfxml"}
LOCAL_NAME = re.compile(r"[A-Za-z0-9._~%-]+(/[A-Za-z0-9._~%-]+)*")


@dataclass
class HttpRequest:
    method: str
    path: str
    query_string: str
    headers: dict  # lower-case names
    body: bytes = b""
    base: str = ""  # this service's address, 'http://host:port/'


class Cache:
    """Whole responses to repeated queries, least recently used out first. The graph is read-only for
    the life of the process, so a response never goes stale."""

    def __init__(self, megabytes: int):
        self.budget, self.size = megabytes * 1024 * 1024, 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            reply = self.entries.get(key)
            if reply is not None:
                self.entries.move_to_end(key)
            return reply

    @staticmethod
    def cost(key, reply: Reply) -> int:
        return len(reply.body) + sum(len(part) for part in key if isinstance(part, (str, bytes)))

    def put(self, key, reply: Reply) -> None:
        cost = self.cost(key, reply)
        if cost > self.budget // 8:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = reply
            self.size += cost
            while self.size > self.budget:
                old_key, old = self.entries.popitem(last=False)
                self.size -= self.cost(old_key, old)


def reply(status: int, content_type: str, body: bytes, **headers) -> Reply:
    return Reply(status, content_type, body, {k.replace("_", "-"): v for k, v in headers.items()})


def redirect(location: str, status: int = 303) -> Reply:
    return reply(status, "text/plain; charset=utf-8", f"See {location}\n".encode(), Location=location, Vary="Accept")


class App:
    def __init__(self, config: Config):
        from ..queries import named_queries  # rdflib: the HTTP process may, the workers need not

        config.check()
        self.config = config
        self.store = open_store(config.dist)
        self.pages = Pages(self.store, quads_file(config.dist))
        self.stats = describe.statistics(config.dist, self.store)
        self.card = describe.dataset_card(self.store)
        self.version_path = describe.ontology_version_path(self.store)
        self.named = [{"name": q.name, "question_en": q.question_en, "question_ja": q.question_ja, "text": q.text}
                      for q in named_queries().values()]
        self.query_page = self.pages.query_html(self.named, {
            "timeout": f"{config.timeout:g}", "max_rows": config.max_rows, "prefixes": sorted(PREFIXES)},
            self.pages.documents(self.stats.graphs))
        self.static = {name: (TEMPLATES / name).read_bytes() for name in STATIC}
        self.cache = Cache(config.cache_mb) if config.cache_mb > 0 else None
        self.inflight: dict = {}
        self.inflight_lock = threading.Lock()
        if config.backend:  # /sparql forwards to a remote store; pages, VoID and dumps still come from dist/
            from .backend import Forwarder
            self.pool = Forwarder(config.backend, config.timeout, config.allow_service, config.backend_graphs)
        else:
            self.pool = Pool(config.dist, config.workers, config.timeout,
                             Settings(max_rows=config.max_rows, allow_service=config.allow_service),
                             memory_limit_mb=config.memory_limit_mb)

    def close(self) -> None:
        self.pool.close()
        self.pages.close()

    # --- routing ----------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> Reply:
        try:
            return self.route(request)
        except results.NotAcceptable as refused:
            return error(406, str(refused))
        except Exception:  # a bug: say so plainly, log it for the operator
            traceback.print_exc(file=sys.stderr)
            return error(500, "internal error: the service failed on this request (the details are in its log)")

    def route(self, request: HttpRequest) -> Reply:
        path = request.path
        if path == "/sparql":
            return self.sparql(request)
        if request.method not in ("GET", "HEAD"):
            return reply(405, "text/plain; charset=utf-8", f"{request.method} is not allowed on {path}\n".encode(),
                         Allow="GET, HEAD, OPTIONS")
        if path == "/":
            viewer = Path(self.config.dist) / "viewer.html"
            if viewer.is_file():
                return Reply(200, "text/html; charset=utf-8", b"", file=viewer)
            return redirect("/query")
        if path == "/query":
            return self.page(self.query_page)
        if path.startswith("/static/") and path[len("/static/"):] in STATIC:
            name = path[len("/static/"):]
            return reply(200, STATIC[name], self.static[name], Cache_Control="no-cache")
        if path.startswith("/dist/"):
            return self.dump(path[len("/dist/"):])
        if path in ("/void", "/.well-known/void"):
            return self.rdf_document(describe.void(request.base, self.stats, self.config.dist, self.card), request)
        if path in ("/ontology", self.version_path):  # the ontology's IRI, and its owl:versionIRI
            return self.ontology(request)
        if path.startswith("/graph/"):
            return self.named_graph(path[1:], request)
        if path.startswith("/id/"):
            return self.dereference(path[len("/id/"):], request)
        if path.startswith("/page/"):
            iri = self.entity_iri(path[len("/page/"):])
            return self.page(self.pages.entity_html(iri)) if iri else self.not_found(path)
        if path.startswith("/data/"):
            return self.entity_data(path[len("/data/"):])
        if path == "/health":
            return reply(200, "text/plain; charset=utf-8", b"ok\n")
        return self.not_found(path)

    @staticmethod
    def not_found(path: str) -> Reply:
        return error(404, f"nothing at {path}: see /query for the SPARQL endpoint, /void for the dataset")

    @staticmethod
    def page(body: bytes) -> Reply:
        return reply(200, "text/html; charset=utf-8", body, Content_Security_Policy=PAGE_CSP)

    # --- the SPARQL endpoint ----------------------------------------------------------------------

    def sparql(self, request: HttpRequest) -> Reply:
        # A request byte-for-byte like an earlier one gets the earlier answer without being parsed again
        # (decoding a long form-encoded query costs more than the rest of a cached answer).
        raw = ("raw", request.method, request.query_string, request.headers.get("content-type", ""),
               request.headers.get("accept", ""), request.body, request.base)
        if self.cache is not None and (seen := self.cache.get(raw)) is not None:
            return seen
        answer = self._sparql(request)
        if answer.status == 200 and self.cache is not None:
            self.cache.put(raw, answer)
        return answer

    def _sparql(self, request: HttpRequest) -> Reply:
        try:
            params = parse_qs(request.query_string, keep_blank_values=True, errors="strict", max_num_fields=100)
        except (UnicodeDecodeError, ValueError) as bad:
            return error(400, f"the URL's parameters are not valid: {bad}")
        query = None
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            try:
                text = request.body.decode("utf-8")
            except UnicodeDecodeError:
                return error(400, "the request body is not UTF-8 text")
            if kind == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=100)
                except (UnicodeDecodeError, ValueError) as bad:
                    return error(400, f"the form is not valid: {bad}")
                for name, values in form.items():
                    params.setdefault(name, []).extend(values)
            elif kind == "application/sparql-query":
                query = text
            elif kind == "application/sparql-update":
                return self.read_only()
            else:
                return error(415, f"a SPARQL POST has Content-Type application/x-www-form-urlencoded or "
                                  f"application/sparql-query, not {kind or 'none'!r}")
        elif request.method not in ("GET", "HEAD"):
            return reply(405, "text/plain; charset=utf-8", f"{request.method} is not allowed on /sparql\n".encode(),
                         Allow="GET, HEAD, POST, OPTIONS")
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            return self.read_only()
        if query is None:
            queries = params.get("query", [])
            if len(queries) > 1:
                return error(400, "send one `query` parameter, not several")
            if not queries:
                return self.service_description(request)
            query = queries[0]
        if not query.strip():
            return error(400, "the query is empty")
        if len(query) > self.config.max_query_length:
            return error(413, f"the query is {len(query)} characters long; this endpoint takes at most "
                              f"{self.config.max_query_length}")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        bindings = tuple(sorted((name[1:], values[0]) for name, values in params.items()
                                if name.startswith("$") and len(name) > 1))
        job = Request(query, request.headers.get("accept"), fmt, tuple(params.get("default-graph-uri", [])),
                      tuple(params.get("named-graph-uri", [])), bindings)
        return self.evaluate(job)

    def evaluate(self, job: Request) -> Reply:
        key = (job.query, job.accept, job.format, job.default_graphs, job.named_graphs, job.bindings)
        if self.cache is None:
            return self._evaluate(job, key)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        # One evaluation per distinct request at a time: the others wait for its answer (no stampede of
        # identical slow queries on the workers when many clients ask the same thing at once).
        with self.inflight_lock:
            running = self.inflight.get(key)
            leader = running is None
            if leader:
                running = self.inflight[key] = threading.Event()
        if not leader:
            running.wait(self.config.timeout + 5)
            cached = self.cache.get(key)
            if cached is not None:
                return cached
            return self._evaluate(job, key)
        try:
            return self._evaluate(job, key)
        finally:
            with self.inflight_lock:
                del self.inflight[key]
            running.set()

    def _evaluate(self, job: Request, key) -> Reply:
        try:
            answer = self.pool.run(job)
        except QueryTimeout:
            return error(503, f"the query did not finish within this endpoint's time limit of {self.config.timeout:g} s "
                              "and was stopped; make it more selective (more specific patterns, LIMIT)")
        except Busy:
            return Reply(503, "text/plain; charset=utf-8",
                         b"every query worker is busy; try again shortly\n", {"Retry-After": "1"})
        except WorkerLost:
            return error(503, f"the query stopped its worker, most likely by needing more than the "
                              f"{self.config.memory_limit_mb} MB of memory a query may use; make it more selective")
        if answer.status == 200 and self.cache is not None:
            self.cache.put(key, answer)
        return answer

    @staticmethod
    def read_only() -> Reply:
        return error(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP ...) is refused; "
                          "send a SELECT, ASK, CONSTRUCT or DESCRIBE query")

    def service_description(self, request: HttpRequest) -> Reply:
        fmt = results.choose(DOCUMENT_FORMATS, request.headers.get("accept"), None, "the service description")
        if fmt.key == "html":  # a person with a browser: the query page
            return redirect("/query")
        graph = describe.service_description(request.base, self.stats, self.config.limits())
        return self.serialise(graph, fmt)

    # --- documents --------------------------------------------------------------------------------

    def rdf_document(self, graph: Graph, request: HttpRequest) -> Reply:
        offers = DOCUMENT_FORMATS[1:]
        return self.serialise(graph, results.choose(offers, request.headers.get("accept"), None, "this document"))

    @staticmethod
    def serialise(graph: Graph, fmt: results.Format) -> Reply:
        from ..export import jsonld, ntriples
        writers = {"turtle": lambda g: g.serialize(format="turtle", encoding="utf-8"),  # keeps sd:, void: ...
                   "jsonld": jsonld, "ntriples": ntriples,
                   "rdfxml": lambda g: g.serialize(format="xml", encoding="utf-8")}
        return reply(200, fmt.content_type, writers[fmt.key](graph), Vary="Accept")

    def dump(self, name: str) -> Reply:
        files = {p.name: p for p in describe.dumps(self.config.dist)}
        if name not in files:
            return error(404, f"no dump named {name!r}; the dumps are: {', '.join(sorted(files))}")
        path = files[name]
        return Reply(200, describe.DUMP_TYPES[path.suffix], b"", file=path)

    def ontology(self, request: HttpRequest) -> Reply:
        fmt = results.choose(DOCUMENT_FORMATS, request.headers.get("accept"), None, "the ontology")
        if fmt.key == "html":
            return self.page(self.pages.ontology_html())
        if fmt.key == "turtle":
            return reply(200, fmt.content_type, (Path(self.config.dist) / "ontology.ttl").read_bytes(), Vary="Accept")
        graph = Graph().parse(Path(self.config.dist) / "ontology.ttl", format="turtle")
        return self.serialise(graph, fmt)

    def named_graph(self, local: str, request: HttpRequest) -> Reply:
        """A named graph's IRI (kg/graphs.py) gives that graph's triples, as the Graph Store Protocol's
        direct identification does; read from the store, so numbers come by value, as /sparql gives them."""
        iri = BASE + local
        if iri not in self.stats.graphs:
            return error(404, f"no named graph {iri}; the graphs are listed in the service description (/sparql)")
        triples = (q.triple for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        return self.rdf_document(describe.as_rdflib(triples), request)

    # --- entities ---------------------------------------------------------------------------------

    def entity_iri(self, local: str) -> str | None:
        if not LOCAL_NAME.fullmatch(local):
            return None
        iri = ID_SPACE + local
        return iri if self.pages.exists(iri) else None

    def dereference(self, local: str, request: HttpRequest) -> Reply:
        """The IRI names a thing, not a document: 303 See Other to the document that describes it."""
        if not self.entity_iri(local):
            return self.not_found("/id/" + local)
        fmt = results.choose(DOCUMENT_FORMATS, request.headers.get("accept"), None, "an entity")
        if fmt.key == "html":
            return redirect("/page/" + quote(local, safe="/%"))
        extension = {v: k for k, v in EXTENSIONS.items()}[fmt.key]
        return redirect(f"/data/{quote(local, safe='/%')}.{extension}")

    def entity_data(self, name: str) -> Reply:
        local, dot, extension = name.rpartition(".")
        iri = self.entity_iri(local) if dot and extension in EXTENSIONS else None
        if not iri:
            return self.not_found("/data/" + name)
        fmt = next(f for f in results.GRAPH_FORMATS if f.key == EXTENSIONS[extension])
        return self.serialise(describe.as_rdflib(self.pages.description(iri)), fmt)
