"""How `kg build` grows with the corpus: time and peak memory for N synthetic readouts, against
pyoxigraph loading and serialising the same triples, in the same run.

    python bench/build.py                      # N = 1, 10, 100
    python bench/build.py --documents 1 10 100 1000

For each N: the corpus is written by bench/corpus.py, built by `kg build` in a fresh process (its
peak memory: the most that it and its child processes held resident at once, sampled five times
a second), and its kg.ttl loaded into a pyoxigraph store and serialised back to Turtle; the ratio
of the two times is what a build costs over the bare minimum of handling that many triples.

It also times the one step of the build that is pyoxigraph's alone: loading the build's kg.nq into
a new on-disk store, as the build persists its query store (kg.store.fill), alone and in the same
process. Every build pays it, so its ratio to the baseline is the least any build's ratio can be.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.corpus import generate  # noqa: E402
from kg.store import fill  # noqa: E402


def timed_build(corpus: Path) -> tuple[float, float, dict]:
    """Seconds, peak MiB and per-step seconds of `kg build` on the corpus, in a child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        build = subprocess.Popen(
            [sys.executable, "-m", "kg", "build", "--records", str(corpus / "records"),
             "--documents", str(corpus / "documents"), "--out", str(corpus / "dist")],
            stdout=out, stderr=err, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        peak = 0
        while build.poll() is None:
            peak = max(peak, tree_rss(build.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if build.returncode != 0:
        raise SystemExit(f"kg build failed on {corpus}:\n{stderr}")
    steps = {}  # the build logs "  <step>  <seconds> s  (peak <MiB> MiB)"
    for match in re.finditer(r"^  (\S.*?)\s+([\d.]+) s  \(peak [\d,]+ MiB\)$", stdout, re.MULTILINE):
        steps[match[1]] = float(match[2])
    return seconds, peak / 2**20, steps


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants now (the build runs rudof, the store's
    loader and HermiT's JVM in child processes, at the same time as itself). Linux /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return total


PAGE = os.sysconf("SC_PAGE_SIZE")


def oxigraph_baseline(dist: Path) -> tuple[float, int]:
    """Seconds for pyoxigraph to load the build's triples and write them as Turtle."""
    data = (dist / "kg.ttl").read_bytes()
    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(data, ox.RdfFormat.TURTLE)
    store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    return time.perf_counter() - start, len(store)


def store_floor(dist: Path) -> float:
    """Seconds for pyoxigraph to load the build's kg.nq into a new on-disk store, as the build does."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-store-", dir=dist.parent) as folder:
        start = time.perf_counter()
        fill(dist / "kg.nq", Path(folder))
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    print(f"kg build against pyoxigraph load + serialise; {os.cpu_count()} cores")
    print(f"{'N':>6} {'triples':>10} {'build s':>9} {'peak MiB':>9} {'oxigraph s':>11} {'ratio':>7} "
          f"{'store s':>8} {'floor':>6} {'data x':>7} {'time x':>7}")
    previous = None
    slowest = {}
    for count in args.documents:
        with tempfile.TemporaryDirectory(prefix=f"kg-bench-{count}-") as tmp:
            corpus = generate(count, Path(tmp) / "corpus")
            seconds, peak, steps = timed_build(corpus)
            baseline, triples = oxigraph_baseline(corpus / "dist")
            store = store_floor(corpus / "dist")
        data_x = "" if previous is None else f"{triples / previous[0]:.1f}"
        time_x = "" if previous is None else f"{seconds / previous[1]:.1f}"
        print(f"{count:>6} {triples:>10,} {seconds:>9.1f} {peak:>9.0f} {baseline:>11.2f} {seconds / baseline:>6.0f}x "
              f"{store:>8.2f} {store / baseline:>5.1f}x {data_x:>7} {time_x:>7}")
        previous = (triples, seconds)
        slowest[count] = sorted(steps.items(), key=lambda kv: -kv[1])[:4]
    print("\nstore s: pyoxigraph persisting kg.nq on disk, alone (every build does); floor: that over oxigraph s")
    print("\nslowest steps:")
    for count, steps in slowest.items():
        print(f"  N={count}: " + ", ".join(f"{name} {s:.1f} s" for name, s in steps))


if __name__ == "__main__":
    main()
