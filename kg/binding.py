"""Values bound into a SPARQL query's text, for every engine alike: the embedded store, a remote
endpoint and the service write them in as a VALUES block (kg.query's rdflib path passes them as
initBindings), and all of them refuse a name the query has no variable for. And whether a query names
its own dataset (FROM), which the embedded engine must then read instead of the union of its graphs.

A lexical scan: comments, strings and IRIs are skipped, since they may hold a `WHERE`, a `FROM`, a
brace or a `?name` that is not one.
"""
from __future__ import annotations

import re

COMMENT_OR_STRING = re.compile(r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
SKIP = COMMENT_OR_STRING.pattern + r'|<[^<>"{}|^`\\\x00-\x20]*>'
WHERE_OR_BRACE = re.compile(r"(?P<skip>" + SKIP + r")|(?P<where>(?<![\w:?$])WHERE(?![\w:]))|(?P<brace>\{)",
                            re.S | re.I)
VARIABLE_OR_SKIP = re.compile(r"(?P<skip>" + SKIP + r")|[?$](?P<name>\w+)", re.S)
FROM_OR_SKIP = re.compile(r"(?P<skip>" + SKIP + r")|(?P<from>(?<![\w:?$])FROM(?![\w:]))", re.S | re.I)


class Unbindable(ValueError):
    """Values this query cannot take; the message says why."""


def prebind(text: str, bindings: list[tuple[str, str]]) -> str:
    """Pre-bind variables as rdflib's initBindings do: a VALUES block opening the query's WHERE group, so
    the values are in place before anything else in it is evaluated. (pyoxigraph's own substitutions
    accept only projected variables, and BOUND() does not see them.)"""
    unknown = unbindable(text, [name for name, _ in bindings])
    if unknown:
        raise Unbindable(unknown)
    tokens = [m for m in WHERE_OR_BRACE.finditer(text) if not m.group("skip")]
    where = next((i for i, m in enumerate(tokens) if m.group("where")), None)
    brace = next((m for m in tokens[(where or 0):] if m.group("brace")), None)
    if brace is None:
        raise Unbindable("bound values need a query with a WHERE clause (a { ... } group) to bind them in")
    names = " ".join(f"?{name}" for name, _ in bindings)
    values = " ".join(term for _, term in bindings)
    return f"{text[:brace.end()]} VALUES ({names}) {{ ({values}) }} {text[brace.end():]}"


def unbindable(text: str, names: list[str]) -> str | None:
    """Why these names cannot be bound in this query, or None: a name the query has no variable for
    would change nothing, and a mistyped name would silently give the unbound query's answer."""
    known = {m.group("name") for m in VARIABLE_OR_SKIP.finditer(text) if m.group("name")}
    unknown = sorted(set(names) - known)
    if not unknown:
        return None
    return (f"the query has no variable {', '.join('?' + n for n in unknown)} to bind; "
            f"its variables are {' '.join('?' + n for n in sorted(known)) or 'none'}")


def names_its_dataset(text: str) -> bool:
    """Whether the query has a FROM or FROM NAMED clause (the only use of the keyword in SPARQL)."""
    return any(match.group("from") for match in FROM_OR_SKIP.finditer(text))
