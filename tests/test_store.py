"""The persisted query store: the build leaves dist.store/ beside dist/, stamped with kg.nq's SHA-256;
queries use it only while it matches kg.nq, and answer the same with it or without it."""
from __future__ import annotations

import json
import os
import shutil

import pyoxigraph as ox
import pytest

from conftest import run_kg
from kg.store import UNION, open_store, persisted, persisting, sha256, store_dir

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def total(dist) -> int:
    return json.loads((dist / "report.json").read_text())["triples"]["total"]


def test_the_build_persists_a_store_beside_dist(dist):
    folder = store_dir(dist)
    assert folder == dist.parent / "dist.store" and not (dist / "dist.store").exists()  # outside the deterministic dist/
    stamp = json.loads((folder / "stamp.json").read_text())
    assert stamp["kg.nq"]["sha256"] == sha256(dist / "kg.nq")
    assert persisted(dist) == folder / "oxigraph"
    store = open_store(dist)
    assert int(next(iter(store.query(COUNT, **UNION)))["n"].value) == total(dist)
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only: the service's workers may share it
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))


def copy_build(dist, tmp_path):
    shutil.copytree(dist, tmp_path / "dist")
    shutil.copytree(store_dir(dist), tmp_path / "dist.store")
    return tmp_path / "dist"


def test_a_store_that_does_not_match_kg_nq_is_ignored(dist, tmp_path):
    copy = copy_build(dist, tmp_path)
    assert persisted(copy) is not None
    text = (copy / "kg.nq").read_text(encoding="utf-8")
    (copy / "kg.nq").write_text(text + '<urn:x> <urn:y> "one more" <urn:g> .\n', encoding="utf-8")
    assert persisted(copy) is None
    store = open_store(copy)  # parsed from kg.nq instead: it has the extra triple
    assert int(next(iter(store.query(COUNT, **UNION)))["n"].value) == total(dist) + 1


def test_an_unchanged_size_and_time_spare_hashing_kg_nq(dist, tmp_path, monkeypatch):
    copy = copy_build(dist, tmp_path)  # (copied with its modification time)
    monkeypatch.setattr("kg.store.sha256", lambda path: pytest.fail(f"{path} was hashed"))
    assert persisted(copy) == store_dir(copy) / "oxigraph"


def test_a_touched_kg_nq_is_hashed_and_kept_when_unchanged(dist, tmp_path, monkeypatch):
    copy = copy_build(dist, tmp_path)
    os.utime(copy / "kg.nq", ns=(10**18, 10**18))  # a new modification time: the content decides
    hashed = []
    monkeypatch.setattr("kg.store.sha256", lambda path: hashed.append(path) or sha256(path))
    assert persisted(copy) == store_dir(copy) / "oxigraph"
    assert hashed == [copy / "kg.nq"]


def test_a_same_size_edit_of_kg_nq_is_noticed(dist, tmp_path):
    copy = copy_build(dist, tmp_path)
    text = (copy / "kg.nq").read_text(encoding="utf-8")
    edited = text.replace('"Japan"@en', '"Jap4n"@en', 1)
    assert edited != text and len(edited) == len(text)
    (copy / "kg.nq").write_text(edited, encoding="utf-8")
    assert persisted(copy) is None


def test_query_answers_are_the_same_with_and_without_the_store(dist, tmp_path):
    copy = copy_build(dist, tmp_path)
    # (a query without GROUP_CONCAT, whose order SPARQL leaves open and the two stores may differ in)
    args = ("concerns", "--format", "csv", "--dist", str(copy))
    with_store = run_kg("query", *args)
    shutil.rmtree(store_dir(copy))
    without = run_kg("query", *args)
    assert with_store.returncode == without.returncode == 0
    assert with_store.stdout == without.stdout and with_store.stdout.count("\n") > 5


def test_a_failed_build_leaves_the_store_as_it_was(dist, tmp_path, records_copy):
    copy = copy_build(dist, tmp_path)
    before = (store_dir(copy) / "stamp.json").read_bytes()
    (records_copy / "actors.yaml").write_text("- id: [broken\n", encoding="utf-8")
    done = run_kg("build", "--out", str(copy), "--records", str(records_copy),
                  "--documents", str(records_copy.parent / "documents"))
    assert done.returncode != 0
    assert (store_dir(copy) / "stamp.json").read_bytes() == before and persisted(copy) is not None
    assert not list(tmp_path.glob(".dist.store-*"))  # no staging folder left behind


def test_a_store_that_fails_to_load_says_why_and_changes_nothing(dist, tmp_path):
    # The store loads in a child process: its error must reach the build, and nothing be swapped in.
    copy = copy_build(dist, tmp_path)
    before = (store_dir(copy) / "stamp.json").read_bytes()
    broken = tmp_path / "broken.nq"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=rf"loading {broken} into the query store failed:(.|\n)*SyntaxError"):
        with persisting(broken, copy):
            pass
    assert (store_dir(copy) / "stamp.json").read_bytes() == before and persisted(copy) is not None
    assert not list(tmp_path.glob(".dist.store-*"))


def test_a_failure_while_the_store_loads_stops_it_and_changes_nothing(dist, tmp_path):
    copy = copy_build(dist, tmp_path)
    before = (store_dir(copy) / "stamp.json").read_bytes()
    with pytest.raises(KeyError):
        with persisting(copy / "kg.nq", copy):
            raise KeyError("the viewer failed")
    assert (store_dir(copy) / "stamp.json").read_bytes() == before and persisted(copy) is not None
    assert not list(tmp_path.glob(".dist.store-*"))


def test_kg_serve_reads_a_touched_kg_nq_once_as_it_starts(dist, tmp_path):
    """It asks for kg.nq's SHA-256 twice: to open its store, and to check the statistics the build kept."""
    from kg.service.app import App
    from kg.service.config import Config
    from kg.store import _sha256
    copy = copy_build(dist, tmp_path)
    os.utime(copy / "kg.nq", ns=(10**18, 10**18))  # a new modification time: the content decides
    read = _sha256.cache_info().misses
    app = App(Config(dist=copy, workers=1))
    try:
        assert _sha256.cache_info().misses - read == 1
        assert app.stats.triples == total(dist)  # the kept counts, vouched for by that one reading
    finally:
        app.close()
