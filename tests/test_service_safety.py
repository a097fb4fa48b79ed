"""`kg serve` is safe to leave running: read-only, no outbound requests, bounded time, rows and sizes,
clear errors, CORS only when asked, a clean stop. Each rule against a real server in a subprocess."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import ROOT
from kg.queries import named_queries
from service_process import http, start

TIMEOUT = 3  # the served instance's per-query limit, in seconds
MAX_ROWS = 100
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^12 combinations


@pytest.fixture(scope="module")
def served(dist):
    server = start(dist, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                   "--max-query-length", "5000", "--max-request-bytes", "20000")
    yield server
    assert server.stop() == 0


def count_triples(served) -> int:
    data = json.loads(http(served.endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).body)
    return int(data["results"]["bindings"][0]["n"]["value"])


# --- read-only ------------------------------------------------------------------------------------

UPDATES = ["INSERT DATA { id:x rdfs:label 'x' }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/x.ttl>",
           "CLEAR DEFAULT", "DROP ALL", "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_every_way_they_can_be_sent(served, update):
    before = count_triples(served)
    for answer in (http(served.endpoint, form={"update": update}),
                   http(served.endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
                   http(served.endpoint, form={"query": update}),
                   http(served.endpoint, params={"query": update})):
        assert answer.status == 403, answer.text
        assert "read-only" in answer.text
    assert count_triples(served) == before


# --- no outbound requests -------------------------------------------------------------------------

class Listener:
    """A loopback TCP port that records whatever connects to it."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.received: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while self.running:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.received.append(conn.recv(4096) or b"(connected)")
            except OSError:
                self.received.append(b"(connected)")
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    own = Listener()
    yield own
    own.close()


def test_the_listener_would_see_an_engine_that_calls_out(listener):
    """Without the guard, the engine itself makes the call: pyoxigraph evaluates SERVICE over HTTP."""
    with pytest.raises(Exception):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    time.sleep(0.5)
    assert listener.received and listener.received[0].startswith(b"POST")


def federated(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x a ajk:State . SeRvIcE<{url}>{{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE<{url}>#>\n{{ ?s ?p ?o }} }}",  # '<' read as an IRI start hides nothing
        f"SELECT * WHERE {{ # SERVICE in a comment\n ?s rdfs:label 'SERVICE' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?endpoint) SERVICE ?endpoint {{ ?s ?p ?o }} }}",
    ]


def test_service_clauses_are_refused_and_nothing_leaves(served, listener):
    for query in federated(listener.url):
        for answer in (http(served.endpoint, params={"query": query}), http(served.endpoint, form={"query": query})):
            assert answer.status == 403, (query, answer.status, answer.text)
            assert "SERVICE" in answer.text
    # Other ways a query names a remote address are not fetched either.
    for query, params in ((f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}", {}),
                          (f"DESCRIBE <{listener.url}>", {}),
                          ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": listener.url}),
                          (f"SELECT * WHERE {{ ?s rdfs:seeAlso <{listener.url}> }}", {})):
        assert http(served.endpoint, params={"query": query, **params}).status == 200
    time.sleep(0.5)
    assert listener.received == []


def test_the_word_service_elsewhere_is_fine(served):
    query = ("PREFIX service: <http://example.org/service#> SELECT ?service WHERE { "
             "BIND('SERVICE <http://example.org/> {}' AS ?service) }")
    answer = http(served.endpoint, params={"query": query})
    assert answer.status == 200, answer.text


# --- the time limit -------------------------------------------------------------------------------

def test_a_runaway_query_is_stopped_and_the_next_is_answered(served):
    started = time.monotonic()
    answer = http(served.endpoint, params={"query": CROSS_PRODUCT})
    elapsed = time.monotonic() - started
    assert answer.status == 503
    assert f"time limit of {TIMEOUT} s" in answer.text
    assert elapsed < TIMEOUT + 1, f"stopped after {elapsed:.1f} s, the limit is {TIMEOUT} s"
    # The next query is answered as usual, and so is every named query after it (workers respawned).
    assert http(served.endpoint, params={"query": "ASK { id:japan a ajk:State }"}).status == 200
    for query in named_queries().values():
        assert http(served.endpoint, form={"query": query.text}).status == 200, query.name


# --- caps on rows, query length and request size --------------------------------------------------

def test_a_long_result_is_cut_at_the_cap_and_says_so(served):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    answer = http(served.endpoint, params={"query": query})
    data = json.loads(answer.body)
    assert len(data["results"]["bindings"]) == MAX_ROWS
    assert data["truncated"] is True and data["limit"] == MAX_ROWS
    assert answer.headers["x-sparql-truncated"].startswith("true")
    csv_answer = http(served.endpoint, params={"query": query, "format": "csv"})
    assert len(csv_answer.text.strip().splitlines()) == MAX_ROWS + 1 and "x-sparql-truncated" in csv_answer.headers
    xml_answer = http(served.endpoint, params={"query": query, "format": "xml"})
    assert "truncated" in xml_answer.text and xml_answer.text.count("<result>") == MAX_ROWS
    graph = http(served.endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert graph.text.startswith("# truncated") and "x-sparql-truncated" in graph.headers


def test_a_result_within_the_cap_is_whole_and_unmarked(served):
    answer = http(served.endpoint, params={"query": f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    data = json.loads(answer.body)
    assert len(data["results"]["bindings"]) == MAX_ROWS
    assert "truncated" not in data and "x-sparql-truncated" not in answer.headers
    assert answer.headers["x-sparql-results"] == str(MAX_ROWS)


def test_too_long_a_query_and_too_big_a_request_are_refused(served):
    long_query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000
    answer = http(served.endpoint, form={"query": long_query})
    assert answer.status == 413 and "at most 5000" in answer.text
    big = http(served.endpoint, data=b"query=" + b"x" * 30000,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status == 413 and "at most 20000" in big.text
    assert http(served.endpoint, params={"query": "ASK {}"}).status == 200  # and the service goes on


def test_other_bad_requests_get_clear_statuses(served):
    assert http(served.endpoint, data=b"ASK {}", headers={"Content-Type": "text/plain"}).status == 415
    assert http(served.endpoint, method="PUT", data=b"x").status == 405
    assert http(served.endpoint, params={"query": " "}).status == 400
    twice = http(served.endpoint + "?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert twice.status == 400 and "one `query`" in twice.text
    assert http(served.url + "query", method="POST", data=b"x", headers={"Content-Type": "text/plain"}).status == 405


# --- malformed SPARQL -----------------------------------------------------------------------------

def test_malformed_sparql_is_a_400_with_the_parsers_message_and_position(served):
    answer = http(served.endpoint, params={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }"})
    assert answer.status == 400
    assert "does not parse" in answer.text and "error at 3:" in answer.text  # line 3, where the fault is
    prefix = http(served.endpoint, params={"query": "SELECT * WHERE { ?s foo:bar ?o }"})
    assert prefix.status == 400 and "undeclared prefix" in prefix.text
    wrapper = SPARQLWrapper(served.endpoint)
    with pytest.warns(RuntimeWarning, match="query type"):  # SPARQLWrapper cannot tell what "SELEC" asks for
        wrapper.setQuery("SELEC * WHERE { ?s ?p ?o }")
    wrapper.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        wrapper.query()


# --- CORS -----------------------------------------------------------------------------------------

def test_no_cross_origin_access_by_default(served):
    answer = http(served.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert answer.status == 200 and "access-control-allow-origin" not in answer.headers
    preflight = http(served.endpoint, method="OPTIONS", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_named_origins_with_credentials(dist):
    server = start(dist, "--cors-origin", "https://yasgui.example", "--cors-credentials")
    try:
        allowed = http(server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://yasgui.example"
        assert allowed.headers["access-control-allow-credentials"] == "true"
        assert "Origin" in allowed.headers["vary"]
        other = http(server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        assert "access-control-allow-credentials" not in other.headers
        preflight = http(server.endpoint, method="OPTIONS", headers={
            "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
        assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]
    finally:
        assert server.stop() == 0


def test_any_origin_never_with_credentials(dist):
    server = start(dist, "--cors-origin", "*")
    try:
        answer = http(server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://any.example"})
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in answer.headers
    finally:
        assert server.stop() == 0
    refused = subprocess.run([sys.executable, "-m", "kg", "serve", "--dist", str(dist), "--port", "0",
                              "--cors-origin", "*", "--cors-credentials"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 64 and "cannot be combined" in refused.stderr


# --- starting and stopping ------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_clean_stop_frees_the_port_and_ends_the_workers(dist, sig):
    server = start(dist, "--workers", "2")
    workers = subprocess.run(["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 2
    assert http(server.endpoint, params={"query": "ASK {}"}).status == 200
    assert server.stop(sig) == 0
    assert "Stopped." in "".join(server.output)
    for pid in workers:
        assert subprocess.run(["kill", "-0", pid], capture_output=True).returncode != 0, f"worker {pid} still runs"
    with socket.socket() as probe:  # the port is free again: a new server can listen on it
        # (SO_REUSEADDR as every server sets it: connections just closed linger in TIME_WAIT, a listener does not)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", server.port))
        probe.listen(1)


def test_a_port_in_use_is_explained(dist):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg", "serve", "--dist", str(dist), "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 69
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_serving_without_a_build_says_to_build(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--dist", str(tmp_path), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 64 and "kg build" in done.stderr and "Traceback" not in done.stderr
