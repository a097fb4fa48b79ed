"""rudof's SHACL validation in a child process: `python kg/shacl_worker.py SHAPES`.

rudof holds Python's GIL while it validates, so in a thread of the build it would halve the speed of
the rules and analytics running beside it; in its own process it has a core to itself. This module
imports nothing but pyrudof, so the child starts in a fraction of a second.

Protocol. On stdin, parts, each a header line `<data bytes> [<focus bytes>]\\n`, then that many bytes
of N-Triples data, then that many bytes of focus IRIs (one per line): the part's results are kept
only for those nodes (all of them when the header gives no focus size). At end of input, one JSON
list of results on stdout, each an object with severity, focus_node, path, value,
constraint_component, source_shape and message.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile

import pyrudof

STRICT = pyrudof.ReaderMode.Strict  # the default, Lax, would skip what it cannot read
FIELDS = ("severity", "focus_node", "path", "value", "constraint_component", "source_shape", "message")


def results(engine: pyrudof.Rudof, data: bytes, focus: set[str] | None) -> list[dict]:
    """The engine's results for `data` (N-Triples), which replaces what it held; `None`: keep all."""
    with tempfile.NamedTemporaryFile(suffix=".nt") as file:
        # A file, not a string: rudof would take a string that looks like a path or URL for one.
        file.write(data)
        file.flush()
        engine.read_data(file.name, format=pyrudof.RDFFormat.NTriples, reader_mode=STRICT, merge=False)
    return [{name: getattr(entry, name) for name in FIELDS}
            for entry in engine.validate_shacl() if focus is None or entry.focus_node in focus]


def engine(shapes: str) -> pyrudof.Rudof:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(shapes, format=pyrudof.ShaclFormat.Turtle, reader_mode=STRICT)  # once for all parts
    return rudof


def main(shapes: str) -> None:
    # Only the results go to stdout: anything the engine prints goes to stderr, so it can never fill
    # the stdout pipe while the parent is still writing parts.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    rudof, found, stream = engine(shapes), [], sys.stdin.buffer
    while header := stream.readline():
        sizes = [int(size) for size in header.split()]
        data = stream.read(sizes[0])
        focus = set(stream.read(sizes[1]).decode("utf-8").splitlines()) if len(sizes) > 1 else None
        found += results(rudof, data, focus)
    json.dump(found, answer)
    answer.close()


if __name__ == "__main__":
    main(sys.argv[1])
