"""How `kg build` grows with the corpus: time and peak memory for N synthetic readouts, against
pyoxigraph loading and serialising the same triples, in the same run.

    python bench/build.py                      # N = 1, 10, 100
    python bench/build.py --documents 1 10 100 1000

For each N: the corpus is written by bench/corpus.py, built by `kg build` in a fresh process
(its peak resident memory read from the kernel), and its kg.nt loaded into a pyoxigraph store and
serialised back to Turtle; the ratio of the two times is what a build costs over the bare
minimum of handling that many triples.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.corpus import generate  # noqa: E402


def timed_build(corpus: Path) -> tuple[float, float, dict]:
    """Seconds, peak MiB and per-step seconds of `kg build` on the corpus, in a child process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--records", str(corpus / "records"),
         "--documents", str(corpus / "documents"), "--out", str(corpus / "dist")],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kg build failed on {corpus}:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    steps = {}  # the build logs "  <step>  <seconds> s  (peak <MiB> MiB)"
    for match in re.finditer(r"^  (\S.*?)\s+([\d.]+) s  \(peak [\d,]+ MiB\)$", done.stdout, re.MULTILINE):
        steps[match[1]] = float(match[2])
    # The largest child so far; the corpora grow, so it is this build's.
    return seconds, peak / 1024, steps


def oxigraph_baseline(dist: Path) -> tuple[float, int]:
    """Seconds for pyoxigraph to load the build's triples and write them as Turtle."""
    data = (dist / "kg.ttl").read_bytes()
    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(data, ox.RdfFormat.TURTLE)
    store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    return time.perf_counter() - start, len(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    print(f"kg build against pyoxigraph load + serialise; {os.cpu_count()} cores")
    print(f"{'N':>6} {'triples':>10} {'build s':>9} {'peak MiB':>9} {'oxigraph s':>11} {'ratio':>7} {'data x':>7} {'time x':>7}")
    previous = None
    slowest = {}
    for count in args.documents:
        with tempfile.TemporaryDirectory(prefix=f"kg-bench-{count}-") as tmp:
            corpus = generate(count, Path(tmp) / "corpus")
            seconds, peak, steps = timed_build(corpus)
            baseline, triples = oxigraph_baseline(corpus / "dist")
        data_x = "" if previous is None else f"{triples / previous[0]:.1f}"
        time_x = "" if previous is None else f"{seconds / previous[1]:.1f}"
        print(f"{count:>6} {triples:>10,} {seconds:>9.1f} {peak:>9.0f} {baseline:>11.2f} {seconds / baseline:>6.0f}x {data_x:>7} {time_x:>7}")
        previous = (triples, seconds)
        slowest[count] = sorted(steps.items(), key=lambda kv: -kv[1])[:4]
    print("\nslowest steps:")
    for count, steps in slowest.items():
        print(f"  N={count}: " + ", ".join(f"{name} {s:.1f} s" for name, s in steps))


if __name__ == "__main__":
    main()
