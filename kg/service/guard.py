"""What the endpoint refuses before evaluating a query: federated SERVICE calls and SPARQL Update.

pyoxigraph evaluates SERVICE with its own HTTP client and has no switch to turn that off, so a
SERVICE keyword must never reach it. A lexical scan can be fooled (an operator '<' read as the start
of an IRI can hide a keyword); pyoxigraph's own parser cannot. So: every ASCII-case-insensitive
occurrence of "service" is changed to "servicx" -- inside strings, IRIs, prefixed names and
variables this keeps the query valid (and equal names equal), while a SERVICE keyword becomes a bare
word no SPARQL grammar rule accepts. The changed text contains no "service" at all, so parsing it
(evaluated on an empty store) cannot call out. If it parses, the original has no SERVICE clause; if
it does not, the original is never evaluated: either the parser stopped at an occurrence (a SERVICE
keyword: refused) or elsewhere (a syntax error, reported with the parser's position).
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from ..binding import COMMENT_OR_STRING
from ..store import PREFIXES

SERVICE = re.compile(r"service", re.IGNORECASE | re.ASCII)  # the parser folds ASCII case only
POSITION = re.compile(r"^error at (\d+):(\d+)")
UPDATE_KEYWORDS = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE | re.ASCII)


class Refused(Exception):
    """A request the endpoint will not evaluate; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _neutralise(match: re.Match) -> str:
    text = match.group(0)
    return text[:-1] + ("X" if text[-1].isupper() else "x")


def offset(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based line:column as the parser reports it."""
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[: line - 1]) + column - 1


def check_no_service(text: str, empty: ox.Store) -> None:
    """Raise Refused unless `text` is free of SERVICE clauses (see the module's note)."""
    spans = [m.span() for m in SERVICE.finditer(text)]
    if not spans:
        return
    changed = SERVICE.sub(_neutralise, text)
    assert not SERVICE.search(changed)
    try:
        empty.query(changed, prefixes=PREFIXES)  # parses; evaluates nothing but an empty store
        return
    except SyntaxError as error:
        message = str(error)
    found = POSITION.match(message)
    at = offset(text, int(found.group(1)), int(found.group(2))) if found else -1
    if any(start <= at <= end + 1 for start, end in spans):
        raise Refused(403, "federated queries are disabled on this endpoint: the query has a SERVICE clause "
                           "and this service makes no outbound requests (start it with --allow-service to permit them)")
    raise Refused(400, f"the SPARQL query does not parse: {message}")


def looks_like_update(text: str) -> bool:
    """Whether text that failed to parse as a query is SPARQL Update (for a clearer refusal)."""
    body = COMMENT_OR_STRING.sub(" ", text)
    body = re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body)
    first = UPDATE_KEYWORDS.match(body)
    return bool(first)


def syntax_error(text: str, error: SyntaxError) -> Refused:
    """A parse failure as a 400 with the parser's message and position, or a 403 for an update."""
    if looks_like_update(text):
        return Refused(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP ...) "
                            "is refused; send a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    message = str(error)
    hint = ""
    if "Prefix not found" in message:
        hint = ("\n(an undeclared prefix: declare it with PREFIX, or use one of "
                + " ".join(f"{p}:" for p in sorted(PREFIXES)) + ", which this endpoint declares for you)")
    return Refused(400, f"the SPARQL query does not parse: {message}{hint}")
