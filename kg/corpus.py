"""The corpus: shared records plus any number of documents, each its own folder.

    kg/data/records/*.yaml           entities and vocabularies every document may refer to
    kg/data/documents/<doc>/
        document.yaml                the document's own record (a SourceDocument whose id is <doc>,
                                     with `file:` naming its text)
        <text file>                  the unedited source text the quotes are checked against
        SHA256SUMS                   the text's SHA-256 (`sha256sum` format), pinning it unedited
        *.yaml                       the facts curated from it (statements, participations ...)

Adding a document is adding a folder; no code changes. A record in a document's folder is grounded
in that document only (its quotes are looked up there), so the same words in two documents never
make a quote ambiguous; a shared record's quotes must be found in exactly one document.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .records import DataError, Located, Problem, load_records
from .store import sha256  # streamed: one helper for every digest of a file

DOCUMENT_FILE = "document.yaml"
SUMS_FILE = "SHA256SUMS"


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


def shown(path: Path, root: Path | None) -> str:
    return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)


def document_text(folder: Path, records: list[Located], root: Path | None) -> tuple[Path | None, list[Problem]]:
    """The text file the folder's document record names, checked to be there and unedited."""
    own = [item for item in records if item.record.id == folder.name and Path(item.file).name == DOCUMENT_FILE]
    if not own:
        return None, [Problem(shown(folder / DOCUMENT_FILE, root), "-",
                              f"no record with id {folder.name!r} (the folder's name) describing the document")]
    item = own[0]
    if not item.record.file:
        return None, [Problem(item.file, item.where, "the document record needs `file:`, the name of its source text")]
    path = folder / item.record.file
    if not path.is_file():
        return None, [Problem(item.file, item.where, f"source text {item.record.file!r} is not in {folder.name}/")]
    trouble = unpinned(path)
    return (None, [Problem(item.file, item.where, trouble)]) if trouble else (path, [])


def pin(text: Path) -> None:
    """Write the text's SHA256SUMS beside it, as `sha256sum` writes it: for a new copy of a source."""
    text.with_name(SUMS_FILE).write_text(f"{sha256(text)}  {text.name}\n", encoding="utf-8")


def unpinned(text: Path) -> str | None:
    """Why the text is not the copy its SHA256SUMS pins, or None. The quotes are checked against this
    file, so an edited copy could make a misquote look sourced."""
    sums = text.with_name(SUMS_FILE)
    shown_sums = f"{text.parent.name}/{SUMS_FILE}"
    if not sums.is_file():
        return (f"{shown_sums} is missing: pin the unedited source text with "
                f"`sha256sum {text.name} > {SUMS_FILE}` in {text.parent.name}/")
    pinned = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition(" ")
        pinned[name.lstrip(" *")] = digest.lower()  # `sha256sum` writes "HEX  NAME", or "HEX *NAME" in binary mode
    if text.name not in pinned:
        return f"{shown_sums} has no line for {text.name}"
    if sha256(text) != pinned[text.name]:
        return (f"{text.name} does not match its SHA-256 in {shown_sums}: the source text must stay an unedited "
                "copy (restore it; re-pin only a new copy of the source)")
    return None
