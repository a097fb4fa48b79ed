"""`kg export`: the built graph in another RDF format, or the analysis graph, as deterministic bytes."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .export import canonical_triples, jsonld, ntriples
from .namespaces import bind_prefixes
from .store import PREFIXES, graph_file, quads_file

ANALYSIS = {"gexf": "analysis.gexf", "graphml": "analysis.graphml"}  # written by the build's analytics step


def rdfxml(graph: Graph) -> bytes:
    """RDF/XML by pyoxigraph (rdflib's writers drop list members' other triples and vary in order)."""
    return ox.serialize(canonical_triples(graph), format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


def trig(source: Path) -> bytes:
    """kg.nq's named graphs as TriG: a block per graph, the graphs and their lines in sorted order."""
    lines = sorted(source.read_text(encoding="utf-8").splitlines(), key=lambda line: (line.rsplit(" ", 2)[-2], line))
    quads = ox.parse(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def export(dist: Path, fmt: str) -> bytes:
    if fmt in ANALYSIS:
        path = Path(dist) / ANALYSIS[fmt]
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: run `kg build` first (its analytics step writes "
                                    f"{ANALYSIS[fmt]})")
        return path.read_bytes()
    if fmt == "nq":
        return quads_file(dist).read_bytes()  # the build writes it deterministic already
    if fmt == "trig":
        return trig(quads_file(dist))
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
        return jsonld(graph)
    raise ValueError(f"unknown export format {fmt!r}")
