"""The Python API (`import kg`) and the command line's export, serve and --endpoint, for real."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kg
from kg import cli
from conftest import ROOT, run_kg
from kg.api import Rows
from kg.embedded import QueryFailed
from service_process import start


@pytest.fixture(scope="module")
def served(dist):
    server = start(dist)
    yield server
    assert server.stop() == 0


def report_total(dist) -> int:
    return json.loads((dist / "report.json").read_text(encoding="utf-8"))["triples"]["total"]


# --- import kg ------------------------------------------------------------------------------------

def test_import_kg_is_light():
    done = subprocess.run([sys.executable, "-c", "import sys, kg; print(sorted(m for m in ('rdflib', 'pyoxigraph', "
                           "'kg.api', 'kg.service.app') if m in sys.modules))"], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_load_graph(dist):
    graph = kg.load_graph(dist)
    assert len(graph) == report_total(dist)
    assert kg.load_graph(dist) is graph  # loaded once per build


def test_load_graph_without_a_build_says_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="kg build"):
        kg.load_graph(tmp_path)


def test_query_gives_plain_rows(dist, kg_graph):
    rows = kg.query("participants", dist=dist)
    assert isinstance(rows, Rows) and rows.vars[:3] == ["person", "name_en", "name_ja"]
    kishida = next(r for r in rows if r["person"] == "id:kishida-fumio")
    assert kishida["name_en"] == "KISHIDA Fumio" and kishida["representing"] == "id:japan"
    counts = kg.query("statement-kinds-cameo", graph=kg_graph)
    assert all(isinstance(r["statements"], int) for r in counts)  # typed values, not strings
    assert kg.query("ASK { id:japan a ajk:State }", graph=kg_graph) is True


def test_query_bindings(kg_graph):
    rows = kg.query("initiatives-by-theme", {"theme": "id:theme-people-to-people"}, graph=kg_graph)
    assert "id:next-generation-co-creation-partnership" in {r["initiative"] for r in rows}


def test_a_bound_name_the_query_lacks_is_refused(kg_graph, dist):
    with pytest.raises(ValueError, match=r"no variable \?thme to bind"):
        kg.query("initiatives-by-theme", {"thme": "id:theme-people-to-people"}, graph=kg_graph)
    with pytest.raises(QueryFailed, match=r"no variable \?thme to bind"):
        kg.query("initiatives-by-theme", {"thme": "id:theme-people-to-people"}, dist=dist)


def test_rows_as_a_dataframe(kg_graph):
    rows = kg.query("participants", graph=kg_graph)
    frame = rows.to_dataframe()
    assert list(frame.columns) == rows.vars and len(frame) == len(rows)


def test_a_dataframe_without_pandas_says_how_to_get_it(kg_graph, monkeypatch):
    rows = kg.query("participants", graph=kg_graph)
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    with pytest.raises(ImportError, match="pip install"):
        rows.to_dataframe()


def test_query_an_endpoint_gives_the_same_rows(served, kg_graph):
    # (a query without GROUP_CONCAT: engines may concatenate in different orders, which SPARQL leaves open)
    local = kg.query("concerns", graph=kg_graph)
    remote = kg.query("concerns", endpoint=served.endpoint)
    assert remote.vars == local.vars
    assert sorted(map(repr, remote)) == sorted(map(repr, local))


# --- kg query --endpoint --------------------------------------------------------------------------

def test_cli_query_against_the_endpoint_prints_what_the_local_query_prints(served, dist):
    for args in (["concerns"], ["aoip-supporters", "--format", "csv"],
                 ["provenance", "--bind", "fact=id:jaif", "--format", "csv"]):
        local = run_kg("query", *args, "--dist", str(dist))
        remote = run_kg("query", *args, "--endpoint", served.endpoint)
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout


def test_cli_query_endpoint_errors(served, tmp_path):
    bad = run_kg("query", "SELEC ?s WHERE { ?s ?p ?o }", "--endpoint", served.endpoint)
    assert bad.returncode == 64 and "error at 1:" in bad.stderr and "Traceback" not in bad.stderr
    import socket
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    gone = run_kg("query", "participants", "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert gone.returncode == 69 and "cannot reach" in gone.stderr and "kg serve" in gone.stderr


# --- kg export ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_formats_hold_the_whole_graph(dist, kg_graph, fmt, parser, tmp_path):
    out = tmp_path / f"kg.{fmt}"
    done = run_kg("export", "--format", fmt, "--out", str(out), "--dist", str(dist))
    assert done.returncode == 0, done.stderr
    assert isomorphic(Graph().parse(out, format=parser), kg_graph)
    again = subprocess.run([sys.executable, "-m", "kg", "export", "--format", fmt, "--dist", str(dist)],
                           cwd=ROOT, capture_output=True)
    assert again.returncode == 0 and again.stdout == out.read_bytes()  # stdout, and the same bytes every time


@pytest.mark.parametrize("fmt, parser", [("nq", "nquads"), ("trig", "trig")])
def test_export_named_graph_formats_hold_every_graph(dist, fmt, parser, tmp_path):
    out = tmp_path / f"kg.{fmt}"
    done = run_kg("export", "--format", fmt, "--out", str(out), "--dist", str(dist))
    assert done.returncode == 0, done.stderr
    exported, built = Dataset(), Dataset()
    exported.parse(out, format=parser)
    built.parse(dist / "kg.nq", format="nquads")
    names = {str(g.identifier) for g in built.graphs() if len(g)}
    assert names == {str(g.identifier) for g in exported.graphs() if len(g)} and len(names) == 5
    for name in names:
        assert isomorphic(exported.graph(URIRef(name)), built.graph(URIRef(name))), name
    again = subprocess.run([sys.executable, "-m", "kg", "export", "--format", fmt, "--dist", str(dist)],
                           cwd=ROOT, capture_output=True)
    assert again.returncode == 0 and again.stdout == out.read_bytes()


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_analysis_formats(dist, fmt, tmp_path):
    built = dist / f"analysis.{fmt}"
    done = subprocess.run([sys.executable, "-m", "kg", "export", "--format", fmt, "--dist", str(dist)],
                          cwd=ROOT, capture_output=True)
    if built.exists():
        assert done.returncode == 0 and done.stdout == built.read_bytes()
    else:
        assert done.returncode == 64 and b"kg build" in done.stderr
    (tmp_path / "kg.ttl").write_bytes((dist / "kg.ttl").read_bytes())  # a build without the analysis graph
    missing = run_kg("export", "--format", fmt, "--dist", str(tmp_path))
    assert missing.returncode == 64 and "kg build" in missing.stderr and "Traceback" not in missing.stderr


def test_an_export_that_fails_midway_leaves_the_previous_file_as_it_was(dist, tmp_path, monkeypatch):
    out = tmp_path / "kg.nt"
    out.write_bytes(b"the previous export\n")

    def fails_midway(dist, fmt, written):
        written.write(b"<http://x/half> <http://x/of> ")
        raise OSError("the disk is full")
    monkeypatch.setattr("kg.dumps.export", fails_midway)
    with pytest.raises(OSError, match="the disk is full"):
        cli.main(["export", "--format", "nt", "--dist", str(dist), "--out", str(out)])
    assert out.read_bytes() == b"the previous export\n" and sorted(tmp_path.iterdir()) == [out]  # no partial file


def test_an_export_writes_through_a_symlink_and_keeps_the_file_s_mode(dist, tmp_path):
    target, link = tmp_path / "real.nt", tmp_path / "link.nt"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    link.symlink_to(target)
    done = run_kg("export", "--format", "nt", "--dist", str(dist), "--out", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and target.read_bytes().startswith(b"<") and target.stat().st_mode & 0o777 == 0o640


def test_export_without_a_build_says_to_build(tmp_path):
    done = run_kg("export", "--format", "nt", "--dist", str(tmp_path))
    assert done.returncode == 64 and "kg build" in done.stderr


@pytest.mark.parametrize("command", ["serve", "export"])
def test_help(command):
    done = run_kg(command, "--help")
    assert done.returncode == 0 and f"kg {command}" in done.stdout
