"""The `kg` command line: build, validate, query and inspect the knowledge graph."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterator

from . import paths
from .namespaces import PREFIXES
from .queries import UnknownQuery, binding, named_queries, resolve, serialize
from .client import EndpointError, EndpointUnreachable
from .embedded import QueryFailed
from .graphs import chosen

if TYPE_CHECKING:
    from .build import Inputs


def raised(error: Exception, module: str, name: str) -> bool:
    """Whether `error` is module.name, without importing a module no command loaded (it could not have raised)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(error, getattr(loaded, name))
from .service import ServiceUnavailable

EXIT_DATA, EXIT_SHAPES, EXIT_INCONSISTENT, EXIT_USAGE = 2, 3, 4, 64
EXIT_UNAVAILABLE = 69  # sysexits' EX_UNAVAILABLE: a port in use, an endpoint that does not answer
EXIT_SOFTWARE = 70  # sysexits' EX_SOFTWARE: the query engine failed on a query it accepted
EXIT_CONFIG = 78  # sysexits' EX_CONFIG: installed where its ontology and queries are not


def inputs(args) -> Inputs:
    from .build import Inputs  # the build's modules load only for the commands that build: `kg query` starts fast
    return Inputs(records=Path(args.records), documents=Path(args.documents))


def cmd_build(args) -> int:
    from .build import build
    build(Path(args.out), inputs(args))
    return 0


def cmd_validate(args) -> int:
    from .build import make_graph
    built = make_graph(inputs(args), log=print)
    for warning in built.warnings:
        print(f"warning: {warning}")
    print(f"valid: {len(built.asserted_triples)} asserted triples, consistent, {len(built.inferred_triples)} inferred")
    return 0


def cmd_query(args) -> int:
    from .client import parse
    text = resolve(args.query)  # as written, so the embedded engine's error positions point into it
    graphs = chosen(args.graph, args.document)
    if args.endpoint:
        from .client import query as remote
        result = remote(args.endpoint, text, dict(args.bind), graphs=graphs)
    else:  # the embedded engine, on the build's persisted store (or kg.nq loaded when there is none)
        from .embedded import answer
        result = parse(*answer(Path(args.dist), text, dict(args.bind), graphs))
    if isinstance(result, bytes):  # a graph (CONSTRUCT, DESCRIBE): print it as the engine wrote it
        sys.stdout.write(result.decode("utf-8"))
        return 0
    print(serialize(result, args.format).rstrip("\n"))
    if result.type == "SELECT" and not result.bindings:
        hint_literal_ids(args.bind)
    return 0


def hint_literal_ids(bindings: list[tuple]) -> None:
    """After an empty answer: a value bound as a literal that reads like a record's id was likely
    meant as the entity (`--bind fact=jaif` for `--bind fact=id:jaif`)."""
    import re
    from rdflib import Literal
    from .records import ID_PATTERN
    for name, value in bindings:
        if isinstance(value, Literal) and re.match(ID_PATTERN, str(value)):
            print(f"note: ?{name} was bound to the literal \"{value}\"; for the entity, write "
                  f"--bind {name}=id:{value}", file=sys.stderr)


def cmd_push(args) -> int:
    from .push import Target, push, push_named_graphs
    if args.user and args.password is None:
        import getpass
        args.password = getpass.getpass(f"password for {args.user} at {args.endpoint}: ")
    send = push_named_graphs if args.named_graphs else push
    send(Path(args.dist), Target(args.endpoint, args.graph, args.user, args.password), args.chunk)
    return 0


def cmd_serve(args) -> int:
    from .service.config import Config
    from .service.server import serve
    config = Config(dist=Path(args.dist), host=args.host, port=args.port, timeout=args.timeout,
                    max_rows=args.max_rows, max_query_length=args.max_query_length,
                    max_request_bytes=args.max_request_bytes, workers=args.workers,
                    memory_limit_mb=args.memory_limit, cache_mb=args.cache, cors_origins=tuple(args.cors_origin),
                    cors_credentials=args.cors_credentials, allow_service=args.allow_service,
                    base_url=args.base_url, backend=args.backend, backend_graphs=tuple(args.backend_graph))
    try:
        config.check()
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return serve(config)


def cmd_export(args) -> int:
    from .dumps import export
    if args.out in (None, "-"):
        export(Path(args.dist), args.format, sys.stdout.buffer)
        return 0
    out = Path(args.out)
    with replacing(out) as written:
        export(Path(args.dist), args.format, written)
    if out.is_file():
        print(f"wrote {out} ({out.stat().st_size} bytes, {args.format})", file=sys.stderr)
    return 0


@contextmanager
def replacing(out: Path) -> Iterator[BinaryIO]:
    """A file to write `out` with: written beside it and renamed into place (through a symlink, onto
    the file it names, keeping its mode), so that a failure leaves the old file as it was. A pipe or a
    device (/dev/stdout) is written through."""
    if out.exists() and not out.is_file():
        with open(out, "wb") as written:
            yield written
        return
    target = out.resolve()
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {out}: {target.parent} is not a folder")
    partial = target.with_name(f".{target.name}-{os.getpid()}.partial")
    try:
        with open(partial, "wb") as written:
            yield written
        if target.exists():
            shutil.copymode(target, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def cmd_analytics(args) -> int:
    from .analytics import analyse
    from .analytics_export import summary, to_markdown
    from .projection import project
    from .store import quads_file
    from .triple_index import of_quads

    analytics = analyse(project(of_quads(quads_file(Path(args.dist)))))
    if args.format == "json":
        print(json.dumps(summary(analytics, args.top), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        sys.stdout.write(to_markdown(analytics, args.top))
    return 0


def cmd_queries(args) -> int:
    for query in named_queries().values():
        print(f"{query.name}\n    {query.question_en}\n    {query.question_ja}")
    return 0


def cmd_stats(args) -> int:
    report = Path(args.dist) / "report.json"
    if not report.exists():
        raise FileNotFoundError(f"{report} does not exist: run `kg build` first")
    print(json.dumps(json.loads(report.read_text(encoding="utf-8")), ensure_ascii=False, indent=2))
    return 0


def bind_option(pair: str) -> tuple:
    """--bind NAME=VALUE, as argparse's type for the option."""
    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            f"--bind takes NAME=VALUE, e.g. --bind theme=id:theme-climate-change (got {pair!r})")
    return name.lstrip("?$"), binding(value)


def add_serve_parser(sub) -> None:
    from .service.config import Config
    d = Config()
    p = sub.add_parser("serve", help="serve the graph: SPARQL endpoint, query page, entity pages, dumps",
                       description="Serve dist/ over HTTP until stopped (Ctrl-C or SIGTERM): a read-only SPARQL 1.1 "
                                   "endpoint at /sparql, a query page at /query, a page and data for every entity "
                                   "IRI, the VoID description at /void and the dumps at /dist/.")
    p.add_argument("--host", default=d.host, help=f"address to listen on (default: {d.host}, this machine only)")
    p.add_argument("--port", type=int, default=d.port, help=f"port (default: {d.port}; 0 picks a free one)")
    p.add_argument("--dist", default=str(paths.DIST), help="folder of the build to serve (default: dist/)")
    p.add_argument("--timeout", type=float, default=d.timeout, help=f"seconds a query may run (default: {d.timeout:g})")
    p.add_argument("--max-rows", type=int, default=d.max_rows, help=f"result rows per answer (default: {d.max_rows})")
    p.add_argument("--max-query-length", type=int, default=d.max_query_length,
                   help=f"characters in a query (default: {d.max_query_length})")
    p.add_argument("--max-request-bytes", type=int, default=d.max_request_bytes,
                   help=f"bytes in a request body (default: {d.max_request_bytes})")
    p.add_argument("--workers", type=int, default=d.workers, help=f"query worker processes (default: {d.workers})")
    p.add_argument("--memory-limit", type=int, default=d.memory_limit_mb, metavar="MB",
                   help=f"memory a query worker may use (default: {d.memory_limit_mb} MB)")
    p.add_argument("--cache", type=int, default=d.cache_mb, metavar="MB",
                   help=f"memory for answers to repeated queries (default: {d.cache_mb} MB; 0: off)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="let web pages from this origin (e.g. https://yasgui.example) query the service; "
                        "'*' for any origin, without credentials; repeatable (default: none)")
    p.add_argument("--cors-credentials", action="store_true",
                   help="let the named --cors-origin pages send credentials (never with '*')")
    p.add_argument("--allow-service", action="store_true",
                   help="allow federated SERVICE clauses: the service then makes outbound HTTP requests (off by default)")
    p.add_argument("--base-url", help="the public address of the service, if it sits behind a proxy")
    p.add_argument("--backend", metavar="URL",
                   help="answer /sparql by forwarding each query (after the same checks) to this SPARQL endpoint, "
                        "e.g. a Virtuoso the graph was pushed to; pages, VoID and dumps still come from --dist")
    p.add_argument("--backend-graph", action="append", default=[], metavar="IRI",
                   help="the named graph to query on the backend (sent as default-graph-uri); repeatable")
    p.set_defaults(func=cmd_serve)


def add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--records", default=str(paths.RECORDS), help="folder of curated YAML records")
    p.add_argument("--documents", default=str(paths.DOCUMENTS),
                   help="folder of documents, one folder each: document.yaml, its source text, its records")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits with EXIT_USAGE: its own 2 is this tool's code for bad data."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    top = Parser(prog="kg", description="The ASEAN-Japan Commemorative Summit 2023 knowledge graph.")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="validate, reason and export everything into dist/")
    p.add_argument("--out", default=str(paths.DIST), help="output folder (default: dist/)")
    add_input_options(p)
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="check records, quotes, SHACL shapes and consistency; write nothing")
    add_input_options(p)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("query", help="run a named query, a .rq file or inline SPARQL on the built graph")
    p.add_argument("query", help="a name from `kg queries`, a path to a .rq file, or SPARQL text")
    p.add_argument("--format", choices=["table", "csv", "json", "xml"], default="table")
    p.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE", type=bind_option,
                   help="pre-bind a query variable to a CURIE (id:japan), an <IRI> or a literal; repeatable")
    p.add_argument("--dist", default=str(paths.DIST), help="folder of the build (default: dist/)")
    p.add_argument("--endpoint", metavar="URL",
                   help="ask this SPARQL endpoint instead of the build, e.g. http://127.0.0.1:8000/sparql")
    p.add_argument("--document", action="append", default=[], metavar="ID",
                   help="ask only of this document's facts (with the shared records and the ontology), "
                        "e.g. mofa-session-summaries; repeatable")
    p.add_argument("--graph", action="append", default=[], metavar="IRI",
                   help="query this named graph (sent to an endpoint as default-graph-uri), e.g. the one "
                        "`kg push` loaded; repeatable")
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("push", help="load the built graph into a remote triple store (SPARQL 1.1 Graph Store Protocol)",
                       description="Replace a named graph of a remote store with the whole built graph, or each of dist/kg.nq's "
                                   "named graphs with its triples, over the SPARQL 1.1 Graph Store HTTP Protocol: PUT, "
                                   "then POST in chunks. For Virtuoso: --endpoint "
                                   "http://HOST:8890/sparql-graph-crud-auth --user dba.")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the store's Graph Store Protocol endpoint")
    into = p.add_mutually_exclusive_group(required=True)
    into.add_argument("--graph", metavar="IRI", help="the named graph to replace with the whole graph (kg.ttl's triples)")
    into.add_argument("--named-graphs", action="store_true",
                      help="replace each named graph of kg.nq (one per document, the shared records ...), so that "
                           "`kg query --endpoint --document` can ask the store of one document")
    p.add_argument("--user", help="user name, for stores that ask (HTTP Digest or Basic)")
    p.add_argument("--password", help="password (asked for on the terminal if --user is given without it)")
    p.add_argument("--chunk", type=int, default=50_000, metavar="TRIPLES", help="triples per request (default: 50000)")
    p.add_argument("--dist", default=str(paths.DIST), help="folder of the build, whose kg.nq it reads (default: dist/)")
    p.set_defaults(func=cmd_push)
    add_serve_parser(sub)
    p = sub.add_parser("export", help="write the built graph (or its analysis graph) in another format",
                       description="Write dist/kg.ttl as Turtle, N-Triples, JSON-LD or RDF/XML, its named graphs "
                                   "(dist/kg.nq) as N-Quads or TriG, or the analysis graph as GEXF or GraphML, to a "
                                   "file or standard output.")
    p.add_argument("--format", required=True, choices=["ttl", "nt", "jsonld", "xml", "nq", "trig", "gexf", "graphml"])
    p.add_argument("--out", "-o", metavar="FILE", help="output file (default: standard output)")
    p.add_argument("--dist", default=str(paths.DIST), help="folder of the build (default: dist/)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("analytics", help="rank and cluster the built graph: centrality, communities, bridges, profiles")
    p.add_argument("--top", type=int, default=10, help="entities listed per measure (default: 10)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument("--dist", default=str(paths.DIST), help="folder of the build, whose kg.nq it reads (default: dist/)")
    p.set_defaults(func=cmd_analytics)
    p = sub.add_parser("queries", help="list the named queries with their questions")
    p.set_defaults(func=cmd_queries)
    p = sub.add_parser("stats", help="print the last build's report: triple counts, SHACL warnings, the dataset's statistics")
    p.add_argument("--dist", default=str(paths.DIST))
    p.set_defaults(func=cmd_stats)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if problem := paths.not_a_checkout():
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return args.func(args)
    except Exception as error:
        if raised(error, "kg.records", "DataError"):
            print(f"error: the curated data has {len(error.problems)} problem(s):\n{error}", file=sys.stderr)
            return EXIT_DATA
        if raised(error, "kg.validation", "ShapeViolations"):
            print(f"error: SHACL validation failed ({len(error.results)} violation(s)):\n{error}", file=sys.stderr)
            return EXIT_SHAPES
        if raised(error, "kg.reasoning", "InconsistentOntologyError"):
            print(f"error: the graph is logically inconsistent:\n{error}", file=sys.stderr)
            return EXIT_INCONSISTENT
        return explain(error)


def explain(error: Exception) -> int:
    try:
        raise error
    except (FileNotFoundError, UnknownQuery) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ServiceUnavailable, EndpointUnreachable) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except EndpointError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE if 400 <= error.status < 500 else EXIT_UNAVAILABLE
    except QueryFailed as error:  # the embedded engine refused or failed: the query's fault unless a 5xx
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE if 400 <= error.status < 500 else EXIT_SOFTWARE
    except Exception as error:  # a query parse error and the like: say it plainly
        if type(error).__name__ in {"ParseException", "ParseSyntaxException"}:
            print(f"error: the SPARQL query does not parse: {error}", file=sys.stderr)
            return EXIT_USAGE
        if str(error).startswith("Unknown namespace prefix"):
            known = " ".join(f"{p}:" for p in sorted(PREFIXES))
            print(f"error: the SPARQL query uses an {error}; declare it, or use one of {known}", file=sys.stderr)
            return EXIT_USAGE
        raise


def main_entry() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `kg query ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
