"""kg.nq's lines graph by graph, without reading the file into memory.

The build sorts kg.nq by triple (kg.export.canonical_lines), so each named graph's lines are spread
over the whole file; the TriG export and `kg push --named-graphs` want them a graph at a time. An
external merge sort gives them so: runs of the file, each sorted by graph, go to temporary files and
are merged, so only one run is in memory (sorting the whole file held about 2 GB at 1.5M triples).
The sorts are stable, so a graph's lines keep the file's order.
"""
from __future__ import annotations

import heapq
import tempfile
from contextlib import ExitStack
from itertools import groupby, islice
from pathlib import Path
from typing import Iterator

RUN_LINES = 200_000  # lines sorted in memory at a time: about 50 MB of kg.nq


def graph_term(line: bytes) -> bytes:
    """The graph of an N-Quads line `<s> <p> o <g> .`: its last term, which holds no space."""
    return line.rsplit(b" ", 2)[1]


def has_blank_node(line: bytes) -> bool:
    """Whether an N-Triples or N-Quads line's subject or object is a blank node."""
    return line.startswith(b"_:") or line.split(b" ", 2)[2].startswith(b"_:")


def without_graph(line: bytes) -> bytes:
    """An N-Quads line as the N-Triples line of its triple."""
    return line.rsplit(b" ", 2)[0] + b" .\n"


def graph_groups(source: Path, run_lines: int = RUN_LINES) -> Iterator[tuple[str, list[bytes]]]:
    """(graph IRI, its lines) for each named graph of the N-Quads file `source`, in the sorted order
    of the graphs' terms. Nothing is read until the first group is asked for."""
    with tempfile.TemporaryDirectory(prefix="kg-graphs-") as folder, ExitStack() as files:
        runs = []
        with open(source, "rb") as quads:
            while run := list(islice(quads, run_lines)):
                run.sort(key=graph_term)
                path = Path(folder) / f"run-{len(runs)}.nq"
                path.write_bytes(b"".join(run))
                runs.append(files.enter_context(open(path, "rb")))
        # heapq.merge takes equal keys from earlier runs first, so the file's order holds across runs too
        for graph, lines in groupby(heapq.merge(*runs, key=graph_term), key=graph_term):
            yield graph[1:-1].decode("utf-8"), list(lines)
