"""Query answers made comparable across SPARQL engines (rdflib, pyoxigraph, Virtuoso): each rule
is a difference SPARQL allows or a store's known normalisation, never a difference in meaning."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}
CONCAT = re.compile(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\)\s*AS\s*\?(\w+)', re.I)
YEARS_MONTHS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")


def separators(text: str) -> dict[str, str]:
    """The GROUP_CONCAT separator of each variable a query binds with one."""
    return {name: sep for sep, name in CONCAT.findall(text)}


def normal(value, datatype=None, lang=None, separator=None):
    """One value as comparable across engines:
    - numbers by value: stores keep them by value (pyoxigraph writes 55000000000 where rdflib keeps the
      file's 55000000000.0, also inside strings made with STR; Virtuoso reports xsd:nonNegativeInteger
      as xsd:integer);
    - GROUP_CONCAT as the multiset of its parts, without language: SPARQL 1.1 leaves the order open and
      makes the result a simple literal (pyoxigraph keeps a common language tag), and an empty group
      is "" in rdflib and Virtuoso, unbound in pyoxigraph;
    - xsd:duration in years and months as a number of months: Virtuoso keeps such a duration as its
      month count (P5Y comes back as "60")."""
    if separator:
        parts = [re.sub(r"\b(\d+)\.0\b", r"\1", part) for part in value.split(separator)] if value else []
        return ("concat", tuple(sorted(parts)))
    if value is None:
        return None
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            return ("number", value)
    if datatype == XSD + "duration":
        found = YEARS_MONTHS.match(value)
        return ("months", int(found.group(1) or 0) * 12 + int(found.group(2) or 0) if found else int(value))
    return (value, lang or None, datatype if datatype and datatype != XSD + "string" else None)


def json_answer(data: dict, text: str) -> Counter:
    """A SPARQL JSON result as a multiset of normalised rows (`text`: the query, for its GROUP_CONCATs)."""
    separators_of = separators(text)
    names = data["head"]["vars"]
    found = Counter()
    for b in data["results"]["bindings"]:
        found[tuple(normal(b[n]["value"], b[n].get("datatype"), b[n].get("xml:lang"), separators_of.get(n))
                    if n in b else normal(None, separator=separators_of.get(n)) for n in names)] += 1
    return found
