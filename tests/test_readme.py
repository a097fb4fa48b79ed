"""The README's example outputs are what the commands print."""
import re
import shlex

import pytest

from conftest import ROOT, run_kg

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```console\n\$ (kg query .+?)\n(.*?)```", README, flags=re.S)


def test_readme_has_five_query_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output_is_real(command, expected, dist):
    args = shlex.split(command)[1:]
    result = run_kg(*args, "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")


TRANSCRIPT = re.search(r"```\n(Building the knowledge graph into .*?)```", README, flags=re.S).group(1)
STEP = re.compile(r"^  (\S.*?)\s+[\d.]+ s  \(peak [\d,]+ MiB\)$", re.M)
COUNTS = re.compile(r": (\d+ triples \(.*?\)), (\d+) SHACL warnings")


def test_readme_build_transcript_has_the_build_s_steps_in_order(build_log):
    assert STEP.findall(TRANSCRIPT) == STEP.findall("\n".join(build_log)) != []


def test_readme_build_transcript_counts_are_real(build_log):
    assert COUNTS.search(TRANSCRIPT).groups() == COUNTS.search(build_log[-1]).groups()


def test_readme_names_the_two_commands():
    assert "make run" in README and "make test" in README
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")


CLAIMS = {  # a number the README's summary table states -> the class it counts
    r"(\d+) states": "State",
    r"(\d+) international organisations": "InternationalOrganisation",
    r"(\d+) government bodies": "GovernmentBody",
    r"(\d+) persons": "Person",
    r"(\d+) posts": "Post",
    r"(\d+) groups": "AgentGroup",
    r"(\d+) sessions": "Session",
    r"(\d+) agenda items": "AgendaItem",
    r"(\d+) participations": "Participation",
    r"frameworks \| (\d+):": "Framework",
    r"initiatives \| (\d+) ": "Initiative",
    r"(\d+) exchange programmes": "ExchangeProgramme",
    r"(\d+) typed figures": "Figure",
    r"statements \| (\d+),": "Statement",
    r"(\d+) policy themes": "PolicyTheme",
    r"(\d+) regional and international situations": "Situation",
    r"(\d+) source passages": "SourcePassage",
}


@pytest.mark.parametrize("pattern, cls", CLAIMS.items(), ids=list(CLAIMS.values()))
def test_readme_summary_counts_are_real(pattern, cls, kg_graph):
    from rdflib.namespace import RDF
    from kg.namespaces import AJK
    stated = int(re.search(pattern, README).group(1))
    assert stated == len(set(kg_graph.subjects(RDF.type, AJK[cls])))


EXCERPTS = re.findall(r"```markdown\n(.*?)```", README, flags=re.S)


def test_readme_analytics_excerpts_are_real(dist):
    assert len(EXCERPTS) >= 3
    written = (dist / "analytics.md").read_text(encoding="utf-8").splitlines()
    for excerpt in EXCERPTS:
        for line in excerpt.strip("\n").splitlines():
            assert line in written, f"README line no longer in dist/analytics.md: {line}"


def test_readme_analysis_graph_size_is_real(dist):
    import json
    stated = int(re.search(r"analysis graph\*\* of (\d+) entities", README).group(1))
    assert stated == json.loads((dist / "analytics.json").read_text(encoding="utf-8"))["graph"]["nodes"]
