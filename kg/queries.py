"""Named SPARQL queries (queries/*.rq) and running SPARQL against the built graph."""
from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from . import paths
from .binding import Unbindable, unbindable
from .namespaces import PREFIXES, curie, sparql_prologue


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    question_en: str
    question_ja: str
    text: str


def _header(text: str, tag: str) -> str:
    match = re.search(rf"^#\s*{tag}:\s*(.+)$", text, flags=re.M)
    return match.group(1).strip() if match else ""


def named_queries(directory: Path = paths.QUERIES) -> dict[str, NamedQuery]:
    """Each query file opens with '# Q: <question>' and '# 問: <質問>'."""
    found = {}
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        found[path.stem] = NamedQuery(path.stem, path, _header(text, "Q"), _header(text, "問"), text)
    return found


class UnknownQuery(LookupError):
    """A query name or file that does not exist."""


def resolve(query: str, directory: Path = paths.QUERIES) -> str:
    """A query's text from its name, a .rq file path, or the inline SPARQL itself."""
    named = named_queries(directory)
    if query in named:
        return named[query].text
    if query.endswith(".rq"):
        if not Path(query).is_file():
            raise UnknownQuery(f"no query file {query}")
        return Path(query).read_text(encoding="utf-8")
    if re.fullmatch(r"[\w.-]+", query):  # a single word is a name, not SPARQL
        close = difflib.get_close_matches(query, named, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UnknownQuery(f"no named query {query!r}{hint}; `kg queries` lists them")
    return query


def with_prologue(text: str) -> str:
    """Our prefixes, for any the query does not declare itself."""
    declared = set(re.findall(r"^\s*PREFIX\s+([\w-]*):", text, flags=re.M | re.I))
    missing = [line for prefix, line in sparql_prologue().items() if prefix not in declared]
    # On the query's first line, so a parser's line numbers still point at the user's text.
    return " ".join(missing + [text])


def binding(text: str):
    """A value given on the command line: a CURIE (id:japan), an <IRI>, or else a plain literal."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix][local]
    return Literal(text)


def run(graph: Graph, text: str, bindings: dict | None = None) -> Result:
    """Run a query; `bindings` pre-binds variables, e.g. {"theme": id:theme-climate-change}. A name the
    query has no variable for is refused (kg.binding.Unbindable, a ValueError), as the other engines refuse it."""
    if unknown := unbindable(text, list(bindings or ())):
        raise Unbindable(unknown)
    return graph.query(with_prologue(text), initBindings=bindings or {})


def compact(term) -> str:
    if term is None:
        return ""
    return curie(term) if isinstance(term, URIRef) else str(term)


def rows(result: Result) -> list[dict[str, str]]:
    """Plain rows of compact strings, for tables, tests and notebooks."""
    names = [str(v) for v in result.vars]
    return [{name: compact(row[name]) for name in names} for row in result]


def table(result: Result) -> str:
    if result.type == "ASK":
        return "yes" if result.askAnswer else "no"
    names = [str(v) for v in result.vars]
    data = rows(result)
    widths = {n: max([len(n)] + [_width(r[n]) for r in data]) for n in names}
    line = lambda cells: "  ".join(_pad(cells[n], widths[n]) for n in names).rstrip()
    out = [line({n: n for n in names}), line({n: "-" * widths[n] for n in names})]
    out += [line(r) for r in data]
    out.append(f"({len(data)} rows)")
    return "\n".join(out)


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def serialize(result: Result, fmt: str) -> str:
    if fmt == "table":
        return table(result)
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt)
    return buffer.getvalue().decode("utf-8")
