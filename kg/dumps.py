"""`kg export`: the built graph in another RDF format, or the analysis graph, as deterministic bytes."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO, Iterator

import pyoxigraph as ox

from .by_graph import graph_groups, without_graph
from .store import PREFIXES, graph_file, quads_file

ANALYSIS = {"gexf": "analysis.gexf", "graphml": "analysis.graphml"}  # written by the build's analytics step


def trig(source: Path, out: BinaryIO) -> None:
    """kg.nq's named graphs as TriG: a block per graph, the graphs and their lines in sorted order."""
    quads = (quad for _, lines in graph_groups(source)
             for quad in ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))
    ox.serialize(quads, out, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def triple_lines(source: Path) -> Iterator[bytes]:
    """kg.nq's lines without their graphs: the graph's N-Triples, in the build's canonical order."""
    with open(source, "rb") as quads:
        for quad in quads:
            yield without_graph(quad)


def export(dist: Path, fmt: str, out: BinaryIO) -> None:
    """Write the build's graph in `fmt` to `out`. The large formats are copied or converted from the
    build's files as they are read, never held whole in memory (kg.nq is 373 MB at 1.5M triples)."""
    if fmt in ANALYSIS:
        path = Path(dist) / ANALYSIS[fmt]
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: run `kg build` first (its analytics step writes "
                                    f"{ANALYSIS[fmt]})")
        copy(path, out)
    elif fmt == "nq":
        copy(quads_file(dist), out)  # the build writes it deterministic already
    elif fmt == "trig":
        trig(quads_file(dist), out)
    elif fmt == "nt":
        out.writelines(triple_lines(quads_file(dist)))
    elif fmt == "xml":  # by pyoxigraph: rdflib's writer drops list members' other triples and varies in order
        quads = ox.parse(path=str(quads_file(dist)), format=ox.RdfFormat.N_QUADS)
        ox.serialize((q.triple for q in quads), out,
                     format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    elif fmt == "ttl":
        copy(graph_file(dist), out)  # the build writes it deterministic already
    elif fmt == "jsonld":
        copy(graph_file(dist, "kg.jsonld"), out)  # the build writes it deterministic already
    else:
        raise ValueError(f"unknown export format {fmt!r}")


def copy(path: Path, out: BinaryIO) -> None:
    with open(path, "rb") as source:
        shutil.copyfileobj(source, out, 1 << 20)
