"""One test per rule the curated records must keep (the model: Bioregistry's data tests)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

from kg import paths
from kg.grounding import QuoteError, SourceText
from kg.corpus import DOCUMENT_FILE, load_corpus, unpinned
from kg.records import Record
from pydantic import ValidationError

CORPUS = load_corpus(paths.RECORDS, paths.DOCUMENTS, paths.ROOT)
RECORDS = CORPUS.records
BY_ID = {item.record.id: item for item in RECORDS}
NOT_DESCRIBED = {"Statement", "Participation"}  # labelled facts, not entities
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
SOURCE = CORPUS.texts["mofa-session-summaries"]
TEXTS = {doc: SourceText(path.read_text(encoding="utf-8")) for doc, path in CORPUS.texts.items()}


def test_there_are_records_of_every_kind():
    kinds = Counter(t for item in RECORDS for t in item.record.types)
    for kind in ("State", "Person", "Post", "Participation", "Framework", "Fund", "ExchangeProgramme",
                 "FinancingFacility", "Plan", "Pledge", "PolicyTheme", "StatementKind", "Statement",
                 "Situation", "HistoricalEvent", "AgendaItem", "Session", "Summit"):
        assert kinds[kind] >= 1, kind


def test_ids_are_unique():
    counts = Counter(item.record.id for item in RECORDS)
    assert [i for i, n in counts.items() if n > 1] == []


def test_ids_are_lowercase_kebab_case():
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item.record.id) for item in RECORDS)
    # the loader enforces it, so a curator's "Bad_Id" is refused rather than minted into an IRI
    with pytest.raises(ValidationError, match="id"):
        Record.model_validate({"id": "Bad_Id", "type": "State", "label": {"ja": "国", "en": "State"}})


def test_no_dangling_references():
    dangling = [(item.record.id, prop, target) for item in RECORDS
                for prop, target in item.record.link_targets() if target not in BY_ID]
    dangling += [(item.record.id, "cite", c) for item in RECORDS for c in item.record.citations if c not in BY_ID]
    dangling += [(item.record.id, "figure", ref) for item in RECORDS for f in item.record.figures
                 for ref in (f.measure, f.qualifier) if ref not in BY_ID]
    assert dangling == []


def test_every_record_has_a_japanese_and_an_english_label():
    for item in RECORDS:
        label = item.record.label
        assert label.ja and label.en, item.where
        assert JAPANESE.search(label.ja), f"{item.where}: the ja label has no Japanese script"


def test_english_labels_are_not_full_width():
    # Full-width Latin belongs in Japanese text; English labels use ASCII forms (NFKC-stable).
    bad = [item.record.id for item in RECORDS
           if unicodedata.normalize("NFKC", item.record.label.en) != item.record.label.en]
    assert bad == []


def test_every_entity_has_an_english_description():
    missing = [item.record.id for item in RECORDS
               if not set(item.record.types) & NOT_DESCRIBED and item.record.description is None]
    assert missing == []


def test_every_record_has_provenance():
    assert [i.record.id for i in RECORDS if not (i.record.quotes or i.record.citations or i.record.heading)] == []


def test_every_quote_is_in_its_document_exactly_once():
    quotes = [(item, q) for item in RECORDS for q in item.record.quotes + [f.quote for f in item.record.figures]]
    quotes += [(item, item.record.heading) for item in RECORDS if item.record.heading]
    assert len(quotes) > 200
    for item, quote in quotes:
        if item.document:  # a document's facts quote that document
            TEXTS[item.document].locate(quote)  # raises QuoteError naming the quote
        else:  # a shared record's quote stands in exactly one document
            assert sum(1 for text in TEXTS.values() if found_in(text, quote)) == 1, (item.record.id, quote)


def found_in(text: SourceText, quote: str) -> bool:
    try:
        text.locate(quote)
    except QuoteError:
        return False
    return True


def test_every_document_folder_describes_itself():
    folders = sorted(p for p in paths.DOCUMENTS.iterdir() if p.is_dir())
    assert [f.name for f in folders] == CORPUS.documents
    for folder in folders:
        own = [i for i in RECORDS if i.record.id == folder.name]
        assert len(own) == 1 and Path(own[0].file).name == DOCUMENT_FILE
        assert "SourceDocument" in own[0].record.types and (folder / own[0].record.file).is_file()


def test_currency_codes_are_iso_4217():
    codes = {f.currency for item in RECORDS for f in item.record.figures if f.currency}
    assert codes == {"JPY", "USD"}
    assert all(pycountry.currencies.get(alpha_3=c) for c in codes)


def test_state_codes_are_iso_3166():
    for item in RECORDS:
        if "State" in item.record.types:
            code = item.record.values.get("iso3166Alpha2")
            assert code and pycountry.countries.get(alpha_2=code), item.where


def test_dates_are_valid_calendar_dates():
    for item in RECORDS:
        if item.record.date:
            parts = [int(p) for p in item.record.date.split("-")] + [1, 1]
            date(*parts[:3])  # raises on 2023-13 or 2023-02-30


def test_durations_are_iso_8601():
    periods = [f.period for item in RECORDS for f in item.record.figures if f.period]
    assert periods and all(re.fullmatch(r"P\d+Y", p) for p in periods)


def test_figures_are_numbers_with_a_unit_or_currency():
    for item in RECORDS:
        for figure in item.record.figures:
            if figure.value is not None:
                assert bool(figure.currency) != bool(figure.unit), f"{item.where}: {figure.measure}"


def test_statements_name_a_speaker_and_a_kind():
    for item in RECORDS:
        if "Statement" in item.record.types:
            assert "speaker" in item.record.links and "statementKind" in item.record.links, item.where
            kind = BY_ID[item.record.links["statementKind"]]
            assert "StatementKind" in kind.record.types


def test_statement_kinds_carry_cameo_codes():
    kinds = [i for i in RECORDS if "StatementKind" in i.record.types]
    assert len(kinds) >= 10
    assert all(re.fullmatch(r"\d{3}", i.record.values["cameoCode"]) for i in kinds)


@pytest.mark.parametrize("path", sorted(paths.RECORDS.glob("*.yaml")) + sorted(paths.DOCUMENTS.glob("*/*.yaml")),
                         ids=lambda p: str(p.relative_to(p.parents[1])))
def test_record_files_are_canonically_formatted(path: Path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "\r" not in text and "\t" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()] == []
    assert isinstance(yaml.safe_load(text), list)


@pytest.mark.parametrize("document", CORPUS.documents)
def test_source_texts_are_unedited_copies(document):
    text = CORPUS.texts[document]
    assert unpinned(text) is None
    shared = paths.ROOT.parent / "shared" / "sources" / text.name
    if shared.exists():  # beside a checkout (and in CI) the original is there to compare with
        assert text.read_bytes() == shared.read_bytes()


def test_every_concept_hangs_in_its_scheme():
    # a concept with no broader concept is a top concept of its scheme, or tree browsers never show it
    problems = []
    for item in RECORDS:
        links = item.record.links
        if "skos:inScheme" in links and "skos:broader" not in links and links.get("skos:topConceptOf") != links["skos:inScheme"]:
            problems.append(f"{item.file}: {item.record.id}: in {links['skos:inScheme']} with neither a broader concept nor skos:topConceptOf")
    assert not problems, "\n".join(problems)
