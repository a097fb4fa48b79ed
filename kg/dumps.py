"""`kg export`: the built graph in another RDF format, or the analysis graph, as deterministic bytes."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .export import canonical, ntriples
from .namespaces import bind_prefixes
from .store import PREFIXES, graph_file

ANALYSIS = {"gexf": "analysis.gexf", "graphml": "analysis.graphml"}  # written by the build's analytics step


def _ox(term):
    """An rdflib term as pyoxigraph's, keeping canonical blank node labels (so output is stable)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise TypeError(term)


def rdfxml(graph: Graph) -> bytes:
    """RDF/XML by pyoxigraph (rdflib's writers drop list members' other triples and vary in order)."""
    triples = sorted(canonical(graph), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    return ox.serialize([ox.Triple(*map(_ox, t)) for t in triples], format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


def export(dist: Path, fmt: str) -> bytes:
    if fmt in ANALYSIS:
        path = Path(dist) / ANALYSIS[fmt]
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: run `kg build` first (its analytics step writes "
                                    f"{ANALYSIS[fmt]})")
        return path.read_bytes()
    source = graph_file(dist)
    if fmt == "ttl":
        return source.read_bytes()  # the build writes it deterministic already
    if fmt == "jsonld" and (Path(dist) / "kg.jsonld").is_file():
        return (Path(dist) / "kg.jsonld").read_bytes()
    graph = bind_prefixes(Graph()).parse(source, format="turtle")
    if fmt == "nt":
        return ntriples(graph)
    if fmt == "xml":
        return rdfxml(graph)
    if fmt == "jsonld":
        from .export import jsonld
        return jsonld(graph)
    raise ValueError(f"unknown export format {fmt!r}")
