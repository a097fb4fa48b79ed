"""The Python API behind `import kg`: the built graph, and query answers as plain rows."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from . import paths
from .graphs import chosen
from .namespaces import bind_prefixes, curie
from .queries import binding, resolve, run


class Rows(list):
    """A SELECT answer: a list of dicts (variable -> value), with `vars` in the query's order.
    IRIs come as CURIEs ('id:japan'), literals as Python values (str, int, Decimal, date ...), unbound as None."""

    def __init__(self, rows=(), vars=()):
        super().__init__(rows)
        self.vars = list(vars)

    def to_dataframe(self):
        try:
            import pandas
        except ImportError:
            raise ImportError("Rows.to_dataframe() needs pandas: pip install pandas "
                              "(or the project's extra: pip install -e '.[notebook]')") from None
        return pandas.DataFrame(list(self), columns=self.vars)


def value(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return curie(term).strip("<>")
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def rows(result: Result) -> Rows | bool:
    if result.type == "ASK":
        return bool(result.askAnswer)
    names = [str(v) for v in result.vars]
    return Rows(({n: value(row[n]) for n in names} for row in result), names)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Graph:
    return bind_prefixes(Graph()).parse(path, format="turtle")


def load_graph(dist: str | Path | None = None) -> Graph:
    """dist/kg.ttl as an rdflib Graph; loaded once per build (a rebuilt file is read again)."""
    path = Path(dist or paths.DIST) / "kg.ttl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `kg build` (or `make run`) first")
    return _load(path, path.stat().st_mtime)


def query(text: str, bindings: dict | None = None, *, graph: Graph | None = None,
          dist: str | Path | None = None, endpoint: str | None = None,
          graphs: tuple[str, ...] = (), documents: tuple[str, ...] = ()) -> Rows | bool:
    """Run a named query, a .rq file or SPARQL text on the built graph, or on a SPARQL endpoint.
    `bindings` pre-bind variables: {"theme": "id:theme-climate-change"} (CURIE, <IRI> or literal text).
    Without `graph` or `endpoint` the embedded engine answers, on the build's persisted store when it
    matches dist/kg.nq (no parsing); with `graph`, rdflib evaluates on that Graph.
    `documents` asks only of these documents' facts (with the shared records and the ontology:
    kg.graphs.scope); `graphs`, of these named graphs (e.g. the one `kg push` loaded)."""
    sparql = resolve(text)
    bound = {name.lstrip("?$"): binding(v) if isinstance(v, str) else v for name, v in (bindings or {}).items()}
    graphs = chosen(graphs, documents)
    if graph is not None:
        if graphs:
            raise ValueError("an rdflib Graph has no named graphs to choose from: leave out `graph` to ask "
                             "the embedded engine of some documents or graphs")
        return rows(run(graph, sparql, bound))
    if endpoint:
        from .client import query as remote
        answer = remote(endpoint, sparql, bound, graphs=graphs)
    else:
        from .client import parse
        from .embedded import answer as local
        answer = parse(*local(Path(dist or paths.DIST), sparql, bound, graphs))  # it knows our prefixes
    if isinstance(answer, bytes):
        raise ValueError("kg.query returns rows of SELECT or ASK queries; this query gives a graph")
    return rows(answer)
