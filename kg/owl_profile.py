"""OWL 2 DL profile check with the OWL API inside owlready2's HermiT.jar (no extra download)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import owlready2

from . import paths

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
CHECKER = paths.ONTOLOGY / "checks" / "DLProfileCheck.java"


def dl_profile_violations(document: Path) -> list[str]:
    """The OWL 2 DL profile violations of an ontology document (Turtle, RDF/XML ...); [] if in profile."""
    run = subprocess.run(
        [owlready2.JAVA_EXE, "-cp", str(HERMIT_JAR), str(CHECKER), str(document)],
        capture_output=True, text=True, timeout=300,
    )
    if "OWL 2 DL:" not in run.stdout:
        raise RuntimeError(f"the OWL 2 DL profile check did not run:\n{run.stderr[-2000:]}")
    return [line.removeprefix("violation: ") for line in run.stdout.splitlines() if line.startswith("violation: ")]
