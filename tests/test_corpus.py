"""Many documents: each a folder of its text and its records, entities shared, every fact keeping its document."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

from conftest import run_kg
from second_document import SECOND_DOCUMENT, SECOND_FACTS, SECOND_TEXT, SHARED_SENTENCE, add_document
from kg import paths
from kg.build import Inputs, make_graph
from kg.corpus import load_corpus
from kg.namespaces import AJK, ID
from kg.records import DataError

@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):
    data = tmp_path_factory.mktemp("corpus")
    shutil.copytree(paths.RECORDS, data / "records")
    shutil.copytree(paths.DOCUMENTS, data / "documents")
    add_document(data / "documents")
    return Inputs(records=data / "records", documents=data / "documents")


@pytest.fixture(scope="module")
def built_two(two_documents):
    return make_graph(two_documents)


def test_a_new_folder_is_a_new_document(two_documents):
    corpus = load_corpus(two_documents.records, two_documents.documents)
    assert corpus.documents == ["mofa-session-summaries", "second-readout"]
    assert {i.record.id for i in corpus.records if i.document == "second-readout"} == {
        "second-readout", "s-second-trust", "s-second-aoip"}


def test_each_fact_keeps_the_document_it_comes_from(built_two):
    graph = built_two.asserted
    for statement in ("s-second-trust", "s-second-aoip"):
        passage = graph.value(ID[statement], PROV.wasDerivedFrom)
        assert graph.value(passage, PROV.wasQuotedFrom) == ID["second-readout"]
        assert str(passage).startswith(str(ID["passage/second-readout/"]))
    summit = graph.value(ID["s-opening-kishida-trust-next-generation"], PROV.wasDerivedFrom)
    assert graph.value(summit, PROV.wasQuotedFrom) == ID["mofa-session-summaries"]


def test_the_same_words_in_two_documents_are_two_passages(built_two):
    graph = built_two.asserted
    exact = [p for p in graph.subjects(RDF.type, AJK.SourcePassage) if str(graph.value(p, PROV.value)) == SHARED_SENTENCE]
    assert len(exact) == 2


def test_entities_are_shared_across_documents(built_two):
    said_of_aoip = set(built_two.asserted.subjects(AJK.about, ID["aoip"]))
    assert ID["s-second-aoip"] in said_of_aoip
    assert ID["s-a1-kishida-supports-aoip"] in said_of_aoip
    assert (ID["kishida-fumio"], AJK.madeStatement, ID["s-second-aoip"]) in built_two.inferred


def test_a_document_s_records_quote_only_that_document(tmp_path):
    shutil.copytree(paths.RECORDS, tmp_path / "records")
    shutil.copytree(paths.DOCUMENTS, tmp_path / "documents")
    summit_only = SECOND_FACTS.replace("quote: ＡＯＩＰへの支持を改めて表明した", "quote: 各国首脳及び代表団を歓迎する")
    add_document(tmp_path / "documents", facts=summit_only)
    result = run_kg("validate", "--records", str(tmp_path / "records"), "--documents", str(tmp_path / "documents"))
    assert result.returncode == 2
    assert "documents/second-readout/statements.yaml" in result.stderr
    assert "'s-second-aoip'" in result.stderr and "quote not found" in result.stderr


@pytest.mark.parametrize("breakage, message", [
    (lambda f: (f / "document.yaml").unlink(), "no record with id 'second-readout' (the folder's name)"),
    (lambda f: (f / "readout.ja.txt").unlink(), "source text 'readout.ja.txt' is not in second-readout/"),
    (lambda f: (f / "document.yaml").write_text(SECOND_DOCUMENT.replace("  file: readout.ja.txt\n", ""), encoding="utf-8"),
     "the document record needs `file:`"),
    (lambda f: (f / "SHA256SUMS").unlink(),
     "second-readout/SHA256SUMS is missing: pin the unedited source text"),
    (lambda f: (f / "SHA256SUMS").write_text("0" * 64 + "  other.txt\n", encoding="utf-8"),
     "second-readout/SHA256SUMS has no line for readout.ja.txt"),
    (lambda f: (f / "readout.ja.txt").write_text(SECOND_TEXT.replace("改めて", ""), encoding="utf-8"),
     "readout.ja.txt does not match its SHA-256 in second-readout/SHA256SUMS: the source text must stay"),
])
def test_a_broken_document_folder_is_named(tmp_path, breakage, message):
    (tmp_path / "records").mkdir()
    (tmp_path / "documents").mkdir()
    breakage(add_document(tmp_path / "documents"))
    with pytest.raises(DataError) as error:
        load_corpus(tmp_path / "records", tmp_path / "documents", tmp_path)
    assert message in str(error.value)
    assert "second-readout" in str(error.value)


def test_a_shared_document_with_a_text_must_move_to_its_folder(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "documents").mkdir()
    (tmp_path / "records" / "sources.yaml").write_text(SECOND_DOCUMENT, encoding="utf-8")
    with pytest.raises(DataError, match="belongs in its own folder: move it to documents/second-readout/document.yaml"):
        load_corpus(tmp_path / "records", tmp_path / "documents", tmp_path)
