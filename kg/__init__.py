"""The ASEAN-Japan Commemorative Summit 2023 knowledge graph, for notebooks and scripts:

    >>> import kg
    >>> graph = kg.load_graph()                       # dist/kg.ttl as an rdflib Graph
    >>> rows = kg.query("participants")               # a named query, a .rq file or SPARQL text
    >>> rows[0]["name_en"], rows.vars
    >>> rows.to_dataframe()                           # with pandas installed (pip install 'asean-japan-kg[notebook]')
    >>> kg.query("participants", endpoint="http://127.0.0.1:8000/sparql")   # against a running `kg serve`
    >>> kg.query("concerns", documents=["mofa-session-summaries"])   # asked of one document's facts

Imports stay lazy, so `import kg` is quick and pulls in neither rdflib nor pyoxigraph.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from .api import Rows

__all__ = ["load_graph", "query", "Rows"]


def load_graph(dist: str | Path | None = None) -> "Graph":
    """The built graph (dist/kg.ttl) as an rdflib Graph with the project's prefixes bound."""
    from .api import load_graph as load
    return load(dist)


def query(text: str, bindings: dict | None = None, *, graph: "Graph | None" = None,
          dist: str | Path | None = None, endpoint: str | None = None, graphs: tuple[str, ...] = (),
          documents: tuple[str, ...] = ()) -> "Rows":
    """Rows of a named query, a .rq file or SPARQL text; see kg.api.query."""
    from .api import query as run
    return run(text, bindings, graph=graph, dist=dist, endpoint=endpoint, graphs=graphs, documents=documents)


def __getattr__(name: str):
    if name == "Rows":
        from .api import Rows
        return Rows
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
