"""The build is reproducible: the same inputs give byte-identical outputs, whatever the hash seed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.paths import ROOT

SEEDS = ("0", "4242")


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def first_difference(a: Path, b: Path) -> str | None:
    left, right = files(a), files(b)
    if left.keys() != right.keys():
        return f"different files: only in {a}: {sorted(left.keys() - right.keys())}, " \
               f"only in {b}: {sorted(right.keys() - left.keys())}"
    for name in sorted(left):
        if left[name] != right[name]:
            at = next((i for i, (x, y) in enumerate(zip(left[name], right[name])) if x != y),
                      min(len(left[name]), len(right[name])))
            return f"{name} differs (first at byte {at}; sizes {len(left[name])} and {len(right[name])})"
    return None


@pytest.fixture(scope="module")
def seeded_builds(tmp_path_factory) -> dict[str, Path]:
    """Two builds of the real data by the real command line, in parallel, with different hash seeds."""
    base = tmp_path_factory.mktemp("seeded")
    outs = {seed: base / f"seed-{seed}" / "dist" for seed in SEEDS}
    running = {
        seed: subprocess.Popen([sys.executable, "-m", "kg", "build", "--out", str(out)], cwd=ROOT,
                               env={**os.environ, "PYTHONHASHSEED": seed},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed, out in outs.items()
    }
    for seed, process in running.items():
        stdout, stderr = process.communicate()
        assert process.returncode == 0, f"build with PYTHONHASHSEED={seed} failed:\n{stdout}\n{stderr}"
    return outs


def test_builds_with_different_hash_seeds_are_byte_identical(seeded_builds):
    a, b = (seeded_builds[seed] for seed in SEEDS)
    names = set(files(a))
    assert {"kg.ttl", "kg.nq", "kg.jsonld", "ontology.ttl", "viewer.html", "report.json"} <= names
    difference = first_difference(a, b)
    assert difference is None, difference


def test_command_line_build_equals_the_session_build(seeded_builds, dist):
    difference = first_difference(seeded_builds[SEEDS[0]], dist)
    assert difference is None, difference
