"""Viewer benchmark: load-to-settled time in headless Chromium, our viewer against pyvis' defaults.

For the summit graph (the analysis graph of dist/kg.ttl) and seeded synthetic graphs of 1,000 and
5,000 nodes (bench/synthetic.py), it writes our viewer and a pyvis page with pyvis' defaults
(`Network(directed=True, cdn_resources="in_line")`, nodes and edges with their labels, nothing else)
of the same graph, opens each from file:// with the network cut, and measures, from navigation
start (performance.now()):

* ours: until the still picture is drawn after the bounded stabilisation (window.__viewer.settledAt);
* pyvis: until vis-network reports `stabilized` (nodes have stopped moving) -- and, for reference,
  until its 1,000 stabilisation iterations were done.

Also writes dist/viewer.png, a screenshot of the whole summit graph with Japanese labels (`--lang en`
for English; `--screenshot` does only that).

    .venv/bin/python bench/viewer.py                  # all three graphs (pyvis' 5,000 nodes take minutes)
    .venv/bin/python bench/viewer.py --sizes 1000     # the summit graph and one synthetic size
    .venv/bin/python bench/viewer.py --screenshot     # only dist/viewer.png
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyvis.network import Network  # noqa: E402
from rdflib import Graph  # noqa: E402

from bench.synthetic import synthetic_graph  # noqa: E402
from kg.namespaces import curie  # noqa: E402
from kg.projection import project  # noqa: E402
from kg.viewer import write_viewer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1600, "height": 1000}

# pyvis keeps its network in a global `var network`; an accessor set before the page runs sees it
# being assigned and listens to it (pyvis' page itself is not modified).
HOOK = """
(() => {
  const marks = window.__bench = {progress: 0};
  let net;
  Object.defineProperty(window, "network", {configurable: true, get() { return net; }, set(value) {
    net = value;
    value.on("stabilizationProgress", (p) => { marks.progress = p.iterations; });
    value.once("stabilizationIterationsDone", () => { marks.iterationsDone = performance.now(); });
    value.once("stabilized", () => { marks.still = performance.now(); });
  }});
})();
"""


def pyvis_defaults(graph, path: Path) -> None:
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in sorted(graph.nodes(data=True)):
        net.add_node(curie(node), label=data["label_en"])
    for source, target, data in graph.edges(data=True):
        net.add_edge(curie(source), curie(target), label=data["label_en"])
    net.write_html(str(path))


def open_page(browser, path: Path, timeout: float = 120):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(timeout * 1000)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.add_init_script(HOOK)
    # not waiting for "load": pyvis' page lays out large graphs synchronously before it fires
    page.goto(path.as_uri(), wait_until="commit")
    return page


def measure_ours(browser, path: Path) -> dict:
    page = open_page(browser, path)
    page.wait_for_selector("body[data-settled=true]", timeout=120_000)
    marks = page.evaluate("({settled: __viewer.settledAt, created: __viewer.createdAt, started: __viewer.startedAt,"
                          " stabilised: __viewer.stabilisedAt,"
                          " iterations: __viewer.network.physics.options.stabilization.iterations})")
    page.close()
    return marks


def measure_pyvis(browser, path: Path, timeout: float) -> dict:
    page = open_page(browser, path, timeout)
    deadline = time.monotonic() + timeout
    marks = {}
    while time.monotonic() < deadline:
        marks = page.evaluate("window.__bench")
        if marks.get("still"):
            break
        page.wait_for_timeout(200)
    page.close()
    return marks


def screenshot(browser, viewer: Path, out: Path, lang: str) -> None:
    page = open_page(browser, viewer)
    page.wait_for_selector("body[data-settled=true]", timeout=120_000)
    page.select_option("#kg-lang", lang)
    page.screenshot(path=str(out))
    page.close()


def seconds(ms: float | None) -> str:
    return f"{ms / 1000:7.2f} s" if ms is not None else "      --"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000], help="synthetic graph sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs of our viewer per graph (median reported)")
    parser.add_argument("--pyvis-timeout", type=float, default=300, help="give up on pyvis' page after this (s)")
    parser.add_argument("--screenshot", action="store_true", help="only write dist/viewer.png")
    parser.add_argument("--lang", choices=("ja", "en"), default="ja", help="labels in the screenshot")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    dist = ROOT / "dist"
    if not (dist / "kg.ttl").exists():
        sys.exit("dist/kg.ttl is missing: run `make run` first")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"] if os.geteuid() == 0 else [])
        screenshot(browser, dist / "viewer.html", dist / "viewer.png", args.lang)
        print(f"wrote {dist / 'viewer.png'}")
        if args.screenshot:
            return
        graphs = [("summit", project(Graph().parse(dist / "kg.ttl", format="turtle")))]
        graphs += [(f"synthetic {n}", synthetic_graph(n)) for n in args.sizes]
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; ours: median of {args.runs} runs\n")
        header = (f"{'graph':<16}{'nodes':>7}{'edges':>7}  {'write page':>14}  {'ours settled':>12}  "
                  f"{'pyvis iters done':>16}  {'pyvis still':>11}  {'ratio':>7}")
        print(header)
        print("-" * len(header))
        for name, graph in graphs:
            ours, theirs = Path(tmp) / f"{name}-ours.html", Path(tmp) / f"{name}-pyvis.html"
            started = time.perf_counter()
            write_viewer(graph, ours)
            build = time.perf_counter() - started
            pyvis_defaults(graph, theirs)
            runs = [measure_ours(browser, ours) for _ in range(args.runs)]
            settled = statistics.median(run["settled"] for run in runs)
            marks = measure_pyvis(browser, theirs, args.pyvis_timeout)
            still = marks.get("still")
            ratio = f"{still / settled:6.1f}x" if still else f">{args.pyvis_timeout * 1000 / settled:5.0f}x"
            still_text = seconds(still) if still else f">{args.pyvis_timeout:5.0f} s"
            print(f"{name:<16}{graph.number_of_nodes():>7}{graph.number_of_edges():>7}  {build:12.2f} s  "
                  f"{seconds(settled):>12}  {seconds(marks.get('iterationsDone')):>16}  {still_text:>11}  {ratio:>7}",
                  flush=True)
            if not still:
                print(f"    pyvis had done {marks.get('progress', 0)} stabilisation iterations when given up on")
        browser.close()


if __name__ == "__main__":
    main()
