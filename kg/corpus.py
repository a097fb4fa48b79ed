"""The corpus: shared records plus any number of documents, each its own folder.

    kg/data/records/*.yaml           entities and vocabularies every document may refer to
    kg/data/documents/<doc>/
        document.yaml                the document's own record (a SourceDocument whose id is <doc>,
                                     with `file:` naming its text)
        <text file>                  the unedited source text the quotes are checked against
        *.yaml                       the facts curated from it (statements, participations ...)

Adding a document is adding a folder; no code changes. A record in a document's folder is grounded
in that document only (its quotes are looked up there), so the same words in two documents never
make a quote ambiguous; a shared record's quotes must be found in exactly one document.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .records import DataError, Located, Problem, load_records

DOCUMENT_FILE = "document.yaml"


@dataclass
class Corpus:
    records: list[Located]
    texts: dict[str, Path]  # document id -> its source text

    @property
    def documents(self) -> list[str]:
        return sorted(self.texts)


def load_corpus(records: Path, documents: Path, root: Path | None = None) -> Corpus:
    """Every shared record and every document's records and text; raises DataError listing all problems."""
    located, problems, texts = [], [], {}
    try:
        located += load_records(records, root)
    except DataError as error:
        problems += error.problems
    for folder in sorted(p for p in documents.iterdir() if p.is_dir()) if documents.is_dir() else []:
        try:
            found = [replace(item, document=folder.name) for item in load_records(folder, root)]
        except DataError as error:
            problems += error.problems
            continue
        text, trouble = document_text(folder, found, root)
        problems += trouble
        if text:
            texts[folder.name] = text
        located += found
    for item in located:
        if item.document is None and item.record.file:
            problems.append(Problem(item.file, item.where, f"a document with a source text belongs in its own "
                                    f"folder: move it to {documents.name}/{item.record.id}/{DOCUMENT_FILE}"))
    if problems:
        raise DataError(problems)
    return Corpus(located, texts)


def document_text(folder: Path, records: list[Located], root: Path | None) -> tuple[Path | None, list[Problem]]:
    """The text file the folder's document record names, checked to be there."""
    display = str(folder / DOCUMENT_FILE)
    if root and folder.is_relative_to(root):
        display = str((folder / DOCUMENT_FILE).relative_to(root))
    own = [item for item in records if item.record.id == folder.name and Path(item.file).name == DOCUMENT_FILE]
    if not own:
        return None, [Problem(display, "-", f"no record with id {folder.name!r} (the folder's name) describing the document")]
    item = own[0]
    if not item.record.file:
        return None, [Problem(item.file, item.where, "the document record needs `file:`, the name of its source text")]
    path = folder / item.record.file
    if not path.is_file():
        return None, [Problem(item.file, item.where, f"source text {item.record.file!r} is not in {folder.name}/")]
    return path, []
