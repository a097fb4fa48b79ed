"""Load test of `kg serve` against rdflib-endpoint serving the same dist/kg.ttl, in one run.

    .venv/bin/python bench/service.py                 # 32 clients, 30 s against each server
    .venv/bin/python bench/service.py --duration 5    # a quick run
    .venv/bin/python bench/service.py --no-cache      # ours without its response cache

Each client is a thread with its own keep-alive HTTP/1.1 connection (http.client), POSTing the named
queries (queries/*.rq, with their PREFIX lines, so both servers get the same text) in turn, from a
different starting point each, and asking for SPARQL JSON. Clients and servers share the machine:
on 2 cores one client process (the default) leaves the most CPU to the server measured.
Needs the `bench` extra (pip install -e '.[bench]': rdflib-endpoint, uvicorn) and a build in dist/.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.queries import named_queries, with_prologue  # noqa: E402

RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib import Graph
from rdflib_endpoint import SparqlEndpoint
graph = Graph().parse(sys.argv[1], format="turtle")
app = SparqlEndpoint(graph=graph, path="/sparql", cors_enabled=False)
print("ready", flush=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ours(dist: Path, cache: bool) -> tuple[subprocess.Popen, str]:
    options = [] if cache else ["--cache", "0"]
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--dist", str(dist), *options],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        match = re.search(r"at (http://\S+/)", line)
        if match:
            return process, match.group(1) + "sparql"
    raise RuntimeError("kg serve did not start")


def start_rdflib(dist: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", RDFLIB_ENDPOINT, str(dist / "kg.ttl"), str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until uvicorn listens
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
            conn.getresponse().read()
            return process, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("rdflib-endpoint did not start")


def client(url: str, bodies: list[bytes], start: int, until: float, timeout: float, out) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    latencies, errors, i = [], 0, start
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    while time.monotonic() < until:
        body = bodies[i % len(bodies)]
        i += 1
        began = time.monotonic()
        try:
            conn.request("POST", parts.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        ended = time.monotonic()
        if ended > until:  # only requests completed within the window count
            break
        if ok:
            latencies.append(ended - began)
        else:
            errors += 1
    out.put((latencies, errors))


def clients_process(url, bodies, starts, until, timeout, out):
    import threading
    import queue
    results = queue.Queue()
    threads = [threading.Thread(target=client, args=(url, bodies, s, until, timeout, results), daemon=True)
               for s in starts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, until - time.monotonic()) + timeout + 5)
    latencies, errors = [], 0
    while not results.empty():
        lat, err = results.get()
        latencies += lat
        errors += err
    errors += sum(t.is_alive() for t in threads)  # still waiting at the end: a request that did not finish
    out.put((latencies, errors))


def drive(url: str, bodies: list[bytes], clients: int, duration: float, processes: int, timeout: float) -> dict:
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    until = time.monotonic() + duration
    groups = [list(range(p, clients, processes)) for p in range(processes)]
    workers = [context.Process(target=clients_process, args=(url, bodies, g, until, timeout, out)) for g in groups]
    for w in workers:
        w.start()
    latencies, errors = [], 0
    for _ in workers:
        lat, err = out.get()
        latencies += lat
        errors += err
    for w in workers:
        w.join()
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    return {"requests": len(latencies), "errors": errors, "throughput": len(latencies) / duration,
            "p50": pick(0.50), "p99": pick(0.99), "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan")}


def line(name: str, r: dict) -> str:
    return (f"{name:<16} {r['throughput']:9.1f} req/s  p50 {r['p50']:8.1f} ms  p99 {r['p99']:8.1f} ms  "
            f"{r['requests']:7d} answers  {r['errors']:4d} errors")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30, help="seconds against each server")
    parser.add_argument("--processes", type=int, default=1,
                        help="client processes the clients are spread over (more take CPU from the servers on a small machine)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a client waits for one answer")
    parser.add_argument("--no-cache", action="store_true", help="run ours with its response cache off")
    args = parser.parse_args()
    dist = Path(args.dist)
    bodies = [urlencode({"query": with_prologue(q.text)}).encode() for q in named_queries().values()]
    print(f"{args.clients} clients over {args.processes} processes, {args.duration:g} s each, "
          f"a mix of the {len(bodies)} named queries, SPARQL JSON; graph: {os.path.relpath(dist / 'kg.ttl')}")
    results = {}
    for name, start in (("kg serve" + (" (no cache)" if args.no_cache else ""), lambda: start_ours(dist, not args.no_cache)),
                        ("rdflib-endpoint", lambda: start_rdflib(dist))):
        process, url = start()
        try:
            results[name] = drive(url, bodies, args.clients, args.duration, args.processes, args.timeout)
        finally:
            process.terminate()
            process.wait(timeout=30)
        print(line(name, results[name]), flush=True)
    ours, theirs = results.values()
    ratio = ours["throughput"] / theirs["throughput"] if theirs["throughput"] else float("inf")
    print(f"throughput ratio (kg serve / rdflib-endpoint): {ratio:.1f}x; "
          f"p99 ratio (rdflib-endpoint / kg serve): {theirs['p99'] / ours['p99']:.1f}x")
    target = ours["errors"] == 0 and ratio >= 5 and ours["p99"] < 50
    print("targets (0 errors, >= 5x throughput, p99 < 50 ms):", "met" if target else "NOT met")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
