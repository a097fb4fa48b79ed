"""OWL 2 DL profile check with the OWL API inside owlready2's HermiT.jar (no extra download)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import owlready2

from . import paths

HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
CHECKER = paths.ONTOLOGY / "checks" / "DLProfileCheck.java"
UNMAPPED = "outside the datatype map: "


@dataclass(frozen=True)
class Profile:
    violations: list[str]  # the OWL 2 DL profile violations the OWL API finds; [] if in profile
    unmapped: list[str]  # datatypes used that OWL 2's datatype map leaves out (xsd:date ...), which it lets through


def dl_profile(document: Path) -> Profile:
    """The OWL 2 DL profile report of an ontology document (Turtle, RDF/XML ...)."""
    run = subprocess.run(
        [owlready2.JAVA_EXE, "-cp", str(HERMIT_JAR), str(CHECKER), str(document)],
        capture_output=True, text=True, timeout=300,
    )
    if "OWL 2 DL:" not in run.stdout:
        raise RuntimeError(f"the OWL 2 DL profile check did not run:\n{run.stderr[-2000:]}")
    lines = run.stdout.splitlines()
    return Profile([line.removeprefix("violation: ") for line in lines if line.startswith("violation: ")],
                   sorted(line.removeprefix(UNMAPPED) for line in lines if line.startswith(UNMAPPED)))
