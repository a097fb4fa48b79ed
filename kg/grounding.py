"""Locate curated quotes in a source text.

The source was extracted from a PDF: lines break mid-word, page breaks start a line with a space,
and Latin letters and digits are full-width. A quote matches when it equals a span of the text after
Unicode NFKC normalisation with all white space removed; the span is reported in code-point offsets
of the original text, so the passage can be cited exactly.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_LINE_BREAK = re.compile(r"\s*\n\s*")
CONTEXT_CHARS = 16  # characters of prefix/suffix kept for a Web Annotation text-quote selector


class QuoteError(ValueError):
    """A quote that is not in the source, or not in it exactly once."""


@lru_cache(maxsize=100_000)  # a shared record's quote is looked for in every document
def fold(text: str) -> str:
    """The comparison form of a text: NFKC, no white space."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def join_lines(text: str) -> str:
    """The text as a reader quotes it: PDF line and page breaks joined, other spaces kept."""
    return _LINE_BREAK.sub("", text).strip()


@dataclass(frozen=True)
class Span:
    start: int  # offset of the first character in the original text
    end: int  # offset just after the last character
    quoted: str  # the passage as a reader quotes it: line breaks joined
    exact: str  # the passage as the text has it, line breaks and all: text[start:end]
    prefix: str  # the CONTEXT_CHARS characters of the text before it, as the text has them
    suffix: str  # ... and after it


class SourceText:
    """One document's text, indexed for quote lookup."""

    def __init__(self, text: str, name: str = "the source text"):
        self.text = text
        self.name = name  # how messages name it: its file's name, where it has one
        folded, origin = [], []
        for index, ch in enumerate(text):
            for piece in fold(ch):
                folded.append(piece)
                origin.append(index)
        self._folded = "".join(folded)
        self._origin = origin  # folded position -> original offset

    def __contains__(self, quote: str) -> bool:
        return fold(quote) in self._folded

    def locate(self, quote: str) -> Span:
        needle = fold(quote)
        if not needle:
            raise QuoteError("the quote is empty")
        hits, at = [], self._folded.find(needle)
        while at >= 0:  # overlapping occurrences count too
            hits.append(at)
            at = self._folded.find(needle, at + 1)
        if not hits:
            raise QuoteError(f"quote not found in {self.name}: {quote!r}")
        if len(hits) > 1:
            raise QuoteError(f"quote occurs {len(hits)} times in {self.name}; quote more of the passage to make it unique: {quote!r}")
        first = hits[0]
        start = self._origin[first]
        end = self._origin[first + len(needle) - 1] + 1
        text = self.text
        return Span(start, end, join_lines(text[start:end]), text[start:end],
                    text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


class Sections:
    """Which headed section (session, agenda item ...) an offset falls in, per level."""

    def __init__(self):
        self._levels: dict[str, list[tuple[int, str]]] = {}

    def add(self, level: str, start: int, section_id: str) -> None:
        self._levels.setdefault(level, []).append((start, section_id))
        self._levels[level].sort()

    def at(self, level: str, offset: int, after: int = 0) -> tuple[int, str] | None:
        """(where its heading starts, its id) of the section of this level that the offset falls in:
        the last heading before it, if that heading starts at `after` or later (a narrower section
        lies inside the wider one already found: an agenda item heading a session before this one
        does not hold this session's opening lines)."""
        headings = self._levels.get(level, [])
        i = bisect_right([start for start, _ in headings], offset)
        return headings[i - 1] if i and headings[i - 1][0] >= after else None
