"""Shared fixtures: the real graph, built once per test session."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg import paths
from kg.build import Built, build

ROOT = paths.ROOT


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """A complete build of the real data, into a temporary dist/."""
    out = tmp_path_factory.mktemp("build") / "dist"
    build(out, log=lambda _: None)
    return out


@pytest.fixture(scope="session")
def built(dist) -> Built:
    """The graphs of the real build (re-made in memory; the build is deterministic)."""
    from kg.build import make_graph
    return make_graph()


@pytest.fixture(scope="session")
def kg_graph(dist) -> Graph:
    """dist/kg.ttl as a consumer loads it."""
    return Graph().parse(dist / "kg.ttl", format="turtle")


@pytest.fixture
def records_copy(tmp_path) -> Path:
    """A private copy of the curated records, for tests that break them."""
    target = tmp_path / "records"
    shutil.copytree(paths.RECORDS, target)
    return target


def run_kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess."""
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True)
