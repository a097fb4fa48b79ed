"""Bad input: a clear message naming file, record and problem, a non-zero exit, dist/ untouched."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_kg
from kg import build as build_module
from kg.build import Inputs, build
from kg.records import DataError


@pytest.fixture
def previous_dist(tmp_path) -> Path:
    """A stand-in for the outputs of an earlier build, which a failed build must not touch."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "kg.ttl").write_text("# the previous build\n")
    (dist / "viewer.html").write_text("<p>previous</p>\n")
    # and of its query store, which the build fills beside its other files (snapshot() sees both)
    (tmp_path / "dist.store").mkdir()
    (tmp_path / "dist.store" / "stamp.json").write_text("{}\n")
    return dist


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder.parent): p.read_bytes() for p in sorted(folder.parent.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failing_build(records: Path, dist: Path, code: int, *expected: str) -> str:
    before = snapshot(dist)
    result = run_kg("build", "--out", str(dist), "--records", str(records), "--documents", str(records.parent / "documents"))
    assert result.returncode == code, result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert snapshot(dist) == before, "a failed build changed the previous outputs"
    return result.stderr


def test_malformed_yaml(records_copy, previous_dist):
    (records_copy / "themes.yaml").write_text("- id: theme-x\n  label: {ja: [unclosed\n", encoding="utf-8")
    failing_build(records_copy, previous_dist, 2, "themes.yaml: not valid YAML")


def test_dangling_reference(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "beneficiary: asean,", "beneficiary: atlantis,")
    failing_build(records_copy, previous_dist, 2, "initiatives.yaml", "record 'jaif'", "unknown record 'atlantis'")


def test_missing_english_label(records_copy, previous_dist):
    edit(records_copy / "frameworks.yaml", "label: {ja: ヒロシマ・アクション・プラン, en: Hiroshima Action Plan}",
         "label: {ja: ヒロシマ・アクション・プラン}")
    failing_build(records_copy, previous_dist, 2, "frameworks.yaml", "'hiroshima-action-plan'", "label.en", "Field required")


def test_quote_not_in_the_source(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "quote: ４００億円規模", "quote: ５００億円規模")
    failing_build(records_copy, previous_dist, 2, "initiatives.yaml", "'next-generation-co-creation-partnership'",
                  "quote not found", "５００億円規模")


def test_a_document_quoting_itself(records_copy, previous_dist):
    # its provenance would be a passage of itself: a derivation cycle
    document = records_copy.parent / "documents" / "mofa-session-summaries" / "document.yaml"
    edit(document, "  cite: mofa-readout\n", "  cite: mofa-readout\n  quote: 別添 各セッションの概要\n")
    failing_build(records_copy, previous_dist, 2, "document.yaml", "'mofa-session-summaries'",
                  "a document cannot be derived from a passage of itself")


def test_an_edited_source_text(records_copy, previous_dist):
    # an edited copy could make a misquote look sourced: the text must be the one SHA256SUMS pins
    folder = records_copy.parent / "documents" / "mofa-session-summaries"
    edit(folder / "summit-2023-12-17-session-summaries.ja.txt", "４００億円規模", "５００億円規模")
    failing_build(records_copy, previous_dist, 2, "mofa-session-summaries/document.yaml", "'mofa-session-summaries'",
                  "does not match its SHA-256 in mofa-session-summaries/SHA256SUMS")


def test_ambiguous_quote(records_copy, previous_dist):
    edit(records_copy / "events.yaml", "quote: 悪化の一途を辿るミャンマー情勢", "quote: ミャンマー情勢")
    failing_build(records_copy, previous_dist, 2, "events.yaml", "'myanmar-situation'", "occurs 2 times")


def test_unknown_property(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "links: {launchedBy: japan, beneficiary: asean,",
         "links: {fundedBy: japan, beneficiary: asean,")
    failing_build(records_copy, previous_dist, 2, "'jaif'", "'fundedBy' is not an object property of the ontology")


def test_unknown_class(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "  type: Fund\n", "  type: Spaceship\n")
    failing_build(records_copy, previous_dist, 2, "'jaif'", "'Spaceship' is not a class of the ontology")


def test_unknown_currency(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "currency: USD", "currency: XYZ")
    failing_build(records_copy, previous_dist, 2, "'finance-mobilisation-pledge'", "'XYZ' is not an ISO 4217 currency code")


def test_label_with_a_line_break(records_copy, previous_dist):
    edit(records_copy / "actors.yaml", "label: {ja: 日本, en: Japan}", 'label: {ja: 日本, en: "Ja\\npan"}')
    failing_build(records_copy, previous_dist, 2, "actors.yaml", "'japan'", "line breaks")


def test_shape_violation_names_the_record(records_copy, previous_dist):
    # a statement whose kind is a policy theme, not a statement kind
    edit(records_copy.parent / "documents" / "mofa-session-summaries" / "statements.yaml", "statementKind: supported, about: [theme-asean-centrality, aoip]",
         "statementKind: theme-democracy, about: [theme-asean-centrality, aoip]")
    failing_build(records_copy, previous_dist, 3, "SHACL validation failed",
                  "statements.yaml: record 's-a1-kishida-supports-aoip'", "ajk:statementKind")


def test_inconsistency_is_explained(records_copy, previous_dist):
    # a fund that is also a person: Person and Initiative are disjoint classes
    edit(records_copy / "initiatives.yaml", "  type: Fund\n", "  type: [Fund, Person]\n")
    stderr = failing_build(records_copy, previous_dist, 4, "logically inconsistent", "id:jaif",
                           "Records involved:", "initiatives.yaml: record 'jaif'")
    assert "ajk:Person" in stderr and "ajk:Initiative" in stderr


def test_a_shape_violation_is_reported_before_an_inconsistency(records_copy, previous_dist):
    # SHACL and the reasoners run side by side; the curator still sees the shapes first, as in turn
    edit(records_copy.parent / "documents" / "mofa-session-summaries" / "statements.yaml", "statementKind: supported, about: [theme-asean-centrality, aoip]",
         "statementKind: theme-democracy, about: [theme-asean-centrality, aoip]")
    edit(records_copy / "initiatives.yaml", "  type: Fund\n", "  type: [Fund, Person]\n")
    stderr = failing_build(records_copy, previous_dist, 3, "SHACL validation failed", "ajk:statementKind")
    assert "inconsistent" not in stderr


def test_every_problem_is_reported_at_once(records_copy, previous_dist):
    edit(records_copy / "initiatives.yaml", "beneficiary: asean,", "beneficiary: atlantis,")
    edit(records_copy / "frameworks.yaml", "quote: 「ヒロシマ・アクション・プラン」に基づく核軍縮・不拡散", "quote: 存在しない引用")
    stderr = failing_build(records_copy, previous_dist, 2, "2 problem(s)", "atlantis", "存在しない引用")
    assert stderr.count(".yaml: record ") == 2


def test_hostile_labels_are_data_not_markup(records_copy, tmp_path):
    edit(records_copy / "actors.yaml", "label: {ja: 日本, en: Japan}",
         'label: {ja: "日本<img src=x onerror=alert(1)>", en: "Japan\\"><script>alert(2)</script>"}')
    out = tmp_path / "dist"
    result = run_kg("build", "--out", str(out), "--records", str(records_copy),
                    "--documents", str(records_copy.parent / "documents"))
    assert result.returncode == 0, result.stderr
    html = (out / "viewer.html").read_text(encoding="utf-8")
    assert "<script>alert(2)" not in html and "<img src=x" not in html
    assert "<script>alert(2)</script>" in (out / "kg.ttl").read_text(encoding="utf-8")  # kept as text


@pytest.mark.parametrize("part", ["ontology", "dataset", "shapes"])
def test_a_curated_turtle_file_that_does_not_parse_is_named(previous_dist, tmp_path, part):
    inputs = Inputs()
    broken = tmp_path / "broken.ttl"
    original = inputs.ontology[-1] if part == "ontology" else getattr(inputs, part)
    broken.write_text(original.read_text(encoding="utf-8") + "\nid:x id:y\n", encoding="utf-8")
    setattr(inputs, part, (*inputs.ontology[:-1], broken) if part == "ontology" else broken)
    before = snapshot(previous_dist)
    with pytest.raises(DataError) as error:
        build(previous_dist, inputs, log=lambda _: None)
    assert str(error.value).startswith(f"{broken}: not valid Turtle: at line ")
    assert snapshot(previous_dist) == before


def test_failure_while_writing_leaves_previous_outputs(previous_dist, monkeypatch):
    def broken_viewer(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "write_viewer", broken_viewer)
    before = snapshot(previous_dist)
    with pytest.raises(OSError, match="disk full"):
        build(previous_dist, Inputs(), log=lambda _: None)
    assert snapshot(previous_dist) == before
    assert sorted(p.name for p in previous_dist.parent.iterdir()) == ["dist", "dist.store"]  # no staging left behind
