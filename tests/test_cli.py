"""The `kg` command line, run for real in a subprocess."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_kg
from kg import paths

SUBCOMMANDS = ("build", "validate", "query", "queries", "stats", "analytics", "serve", "export", "push")
STEP = re.compile(r"^  (\S.*?)\s+(\d+\.\d\d) s  \(peak ([\d,]+) MiB\)$")
# The build's steps, in order (matched by a word of each step's name). SHACL and HermiT run beside
# the rules, the analytics and the files, and are logged when they are waited for, before anything is
# swapped in; the query store loads beside the analytics files and the viewer.
STEP_WORDS = ("ontology", "records", "assert", "materialise", "analytics", "export", "viewer", "SHACL", "reason",
              "persist")


def report_total(dist: Path) -> int:
    return json.loads((dist / "report.json").read_text(encoding="utf-8"))["triples"]["total"]


def ok(done) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done.stdout


def query(*args: str, dist: Path):
    return run_kg("query", *args, "--dist", str(dist))


# --- build ----------------------------------------------------------------------------------------

def test_build_prints_each_step_with_its_timing(tmp_path):
    out = tmp_path / "dist"
    lines = ok(run_kg("build", "--out", str(out))).splitlines()
    steps = [match.group(1) for match in map(STEP.match, lines) if match]
    at = 0
    for word in STEP_WORDS:
        found = next((i for i in range(at, len(steps)) if word in steps[i]), None)
        assert found is not None, f"no timed step about {word!r} (after {steps[:at]}) in:\n" + "\n".join(lines)
        at = found + 1
    assert "reason (HermiT)" in steps
    peaks = [int(match.group(3).replace(",", "")) for match in map(STEP.match, lines) if match]
    assert peaks == sorted(peaks) and peaks[0] > 0, "the peak memory after each step only grows"
    done = re.match(r"^Done in \d+\.\d\d s: (\d+) triples", lines[-1])
    assert done, f"the last line is not a 'Done in' summary: {lines[-1]!r}"
    assert int(done.group(1)) == report_total(out)
    assert {"kg.ttl", "kg.jsonld", "ontology.ttl", "viewer.html", "report.json"} <= {p.name for p in out.iterdir()}


# --- query ----------------------------------------------------------------------------------------

def test_query_csv(dist):
    rows = list(csv.reader(io.StringIO(ok(query("participants", "--format", "csv", dist=dist)))))
    assert "name_en" in rows[0]
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)


def test_query_json_is_sparql_results(dist):
    data = json.loads(ok(query("participants", "--format", "json", dist=dist)))
    assert "name_en" in data["head"]["vars"]
    bindings = data["results"]["bindings"]
    assert bindings and all(isinstance(b, dict) for b in bindings)


def test_inline_sparql(dist):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    data = json.loads(ok(query(text, "--format", "json", dist=dist)))
    assert data["head"]["vars"] == ["n"]
    assert int(data["results"]["bindings"][0]["n"]["value"]) == report_total(dist)
    assert "n" in ok(query(text, dist=dist)).splitlines()[0]  # the default table format


def test_query_from_rq_file(dist, tmp_path):
    by_name = ok(query("participants", "--format", "csv", dist=dist))
    by_path = ok(query(str(paths.QUERIES / "participants.rq"), "--format", "csv", dist=dist))
    assert by_path == by_name
    own = tmp_path / "labels-ja.rq"
    own.write_text("SELECT ?label WHERE { id:azec rdfs:label ?label FILTER(lang(?label) = 'ja') }\n",
                   encoding="utf-8")
    data = json.loads(ok(query(str(own), "--format", "json", dist=dist)))
    assert len(data["results"]["bindings"]) == 1


def test_malformed_sparql_is_reported(dist):
    done = query("SELEC ?s WHERE { ?s ?p ?o }", dist=dist)
    assert done.returncode != 0
    assert "does not parse" in done.stderr
    assert "Traceback" not in done.stderr


def test_query_without_a_build_says_to_build(tmp_path):
    done = query("participants", dist=tmp_path)
    assert done.returncode != 0
    assert "kg build" in done.stderr
    assert "Traceback" not in done.stderr


def test_stats_without_a_build_says_to_build(tmp_path):
    done = run_kg("stats", "--dist", str(tmp_path))
    assert done.returncode != 0
    assert "kg build" in done.stderr


def test_stats(dist):
    data = json.loads(ok(run_kg("stats", "--dist", str(dist))))
    assert data["triples"]["total"] == report_total(dist)


# --- queries, validate, help ----------------------------------------------------------------------

def test_queries_lists_every_named_query():
    listed = [line for line in ok(run_kg("queries")).splitlines() if line and not line[0].isspace()]
    expected = sorted(path.stem for path in paths.QUERIES.glob("*.rq"))
    assert expected, "no queries/*.rq found"
    assert listed == expected


def test_validate():
    out = ok(run_kg("validate"))
    last = out.splitlines()[-1]
    assert last.startswith("valid:"), out
    assert "consistent" in last and "inconsistent" not in last


def test_top_level_help():
    out = ok(run_kg("--help"))
    for command in SUBCOMMANDS:
        assert command in out


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help(command):
    assert f"kg {command}" in ok(run_kg(command, "--help"))


def test_bind_sets_a_query_parameter(dist):
    result = run_kg("query", "provenance", "--bind", "fact=id:jaif", "--format", "csv", "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and rows[0]["passage"] == "日・ＡＳＥＡＮ統合基金の下で"
    people = run_kg("query", "initiatives-by-theme", "--bind", "theme=id:theme-people-to-people", "--dist", str(dist))
    assert "id:next-generation-co-creation-partnership" in people.stdout and "id:space" not in people.stdout


def test_an_id_bound_as_a_literal_is_pointed_out_when_nothing_matches(dist):
    bare = run_kg("query", "provenance", "--bind", "fact=jaif", "--dist", str(dist))
    assert bare.returncode == 0 and "(0 rows)" in bare.stdout
    assert 'note: ?fact was bound to the literal "jaif"; for the entity, write --bind fact=id:jaif' in bare.stderr
    found = run_kg("query", "provenance", "--bind", "fact=id:jaif", "--dist", str(dist))
    assert "(1 rows)" in found.stdout and found.stderr == ""
    text = run_kg("query", "initiatives-by-theme", "--bind", "theme=no such theme", "--dist", str(dist))
    assert "(0 rows)" in text.stdout and text.stderr == ""  # not an id's shape: a literal meant as one


def test_bad_bind_and_unknown_names_are_explained(dist):
    bad = run_kg("query", "participants", "--bind", "oops", "--dist", str(dist))
    assert bad.returncode != 0 and "--bind takes NAME=VALUE" in bad.stderr
    misspelt = run_kg("query", "particpants", "--dist", str(dist))
    assert misspelt.returncode != 0 and "did you mean participants" in misspelt.stderr
    prefix = run_kg("query", "SELECT ?x WHERE { ?x foo:bar ?y }", "--dist", str(dist))
    assert prefix.returncode == 64 and "Unknown namespace prefix foo:;" in prefix.stderr
    assert "Traceback" not in prefix.stderr


def test_a_bound_name_the_query_lacks_is_refused(dist):
    # A typo in the name would otherwise print the unbound query's answer, as if it were the asked one.
    typo = run_kg("query", "initiatives-by-theme", "--bind", "thme=id:theme-people-to-people", "--dist", str(dist))
    assert typo.returncode == 64 and typo.stdout == ""
    assert "no variable ?thme to bind" in typo.stderr and "?theme" in typo.stderr


def test_usage_errors_exit_with_the_usage_code(dist):
    # 2 is this tool's code for bad data, so argparse's own 2 must not leak out.
    for args in (("export",), ("export", "--format", "csv"), ("query", "participants", "--bind", "oops"), ("nosuch",)):
        done = run_kg(*args)
        assert done.returncode == 64 and "error:" in done.stderr, (args, done.returncode, done.stderr)


def test_installed_outside_a_checkout_says_how_to_install(tmp_path):
    # a wheel puts the package alone in site-packages: no ontology/ or queries/ beside it
    package = tmp_path / "site-packages" / "kg"
    shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "data"))
    done = subprocess.run([sys.executable, "-m", "kg", "queries"], cwd=package.parent, capture_output=True, text=True)
    assert done.returncode == 78, done.stderr
    assert "ontology/ and queries/ not found beside the kg package" in done.stderr and "pip install -e ." in done.stderr


def test_a_parse_error_points_into_the_query_as_written(dist):
    done = run_kg("query", "SELECT ?x WHERE { ?x a ajk:State } ORDER ?x", "--dist", str(dist))
    assert done.returncode == 64 and "error at 1:44: expected BY" in done.stderr  # the column of "?x"
