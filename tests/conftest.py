"""Shared fixtures: the real graph, built once per test session."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg import paths
from kg.build import Built, Inputs, build

ROOT = paths.ROOT


@pytest.fixture(scope="session")
def session_build(tmp_path_factory) -> tuple[Path, Built, list[str]]:
    """One complete build of the real data, into a temporary dist/, shared by the whole session, and
    the lines it logged."""
    out, said = tmp_path_factory.mktemp("build") / "dist", []
    return out, build(out, log=said.append), said


@pytest.fixture(scope="session")
def dist(session_build) -> Path:
    return session_build[0]


@pytest.fixture(scope="session")
def built(session_build) -> Built:
    """The graphs of that build: ontology, asserted, inferred."""
    return session_build[1]


@pytest.fixture(scope="session")
def build_log(session_build) -> list[str]:
    """What that build printed: its steps with their timings, and what it made."""
    return session_build[2]


@pytest.fixture(scope="session")
def kg_graph(dist) -> Graph:
    """dist/kg.ttl as a consumer loads it."""
    return Graph().parse(dist / "kg.ttl", format="turtle")


@pytest.fixture(scope="session")
def two_documents_dist(tmp_path_factory) -> Path:
    """A build of the summit's readout and a second document (tests/second_document.py)."""
    from second_document import add_document
    data = tmp_path_factory.mktemp("two-documents")
    shutil.copytree(paths.RECORDS, data / "records")
    shutil.copytree(paths.DOCUMENTS, data / "documents")
    add_document(data / "documents")
    build(data / "dist", Inputs(records=data / "records", documents=data / "documents"), log=lambda _: None)
    return data / "dist"


@pytest.fixture
def records_copy(tmp_path) -> Path:
    """A private copy of the curated data, for tests that break it: returns the shared records'
    folder; the documents are beside it (`records_copy.parent / "documents"`)."""
    data = tmp_path / "data"
    shutil.copytree(paths.RECORDS, data / "records")
    shutil.copytree(paths.DOCUMENTS, data / "documents")
    return data / "records"


def run_kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess."""
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True)
