"""Result formats of the SPARQL 1.1 Protocol and content negotiation between them.

SELECT/ASK results are written here rather than by pyoxigraph, so that a result cut at the row cap
can still be written and say so in its body (JSON member, XML comment). Graph results (CONSTRUCT,
DESCRIBE) are written by pyoxigraph."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..store import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Format:
    key: str  # the `format` parameter's value
    media_type: str
    aliases: tuple[str, ...] = ()  # other media types asking for the same thing

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or "json" in self.media_type or "xml" in self.media_type
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# In order of preference: the first is the default for `Accept: */*` or no Accept header.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("application/x-turtle", "text/n3", "text/rdf+n3")),  # Turtle is N3 too
    Format("ntriples", "application/n-triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),
)
FORMAT_KEYS = {"ttl": "turtle", "n3": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
               "rdf+xml": "rdfxml", "srj": "json", "srx": "xml"}  # incl. the names SPARQLWrapper sends
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


class NotAcceptable(ValueError):
    """No format the client accepts fits the query's kind of result."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media range, q)] from an Accept header; a missing header accepts anything."""
    ranges = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return ranges


def quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q the client gives a media type: the most specific matching range decides (RFC 9110)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for rng, q in ranges:
        level = 2 if rng == media_type else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best if specificity >= 0 else 0.0


def choose(offers: tuple[Format, ...], accept: str | None, fmt: str | None, what: str) -> Format:
    """A `format` parameter wins over Accept; among equally acceptable formats the server's order wins."""
    if fmt:
        key = FORMAT_KEYS.get(fmt.lower(), fmt.lower())
        for offer in offers:
            if key in (offer.key, offer.media_type) or key in offer.aliases:
                return offer
        raise NotAcceptable(f"format={fmt!r} is not available for {what}; use one of "
                            + ", ".join(o.key for o in offers))
    ranges = parse_accept(accept)
    scored = [(max([quality(offer.media_type, ranges)] + [quality(a, ranges) for a in offer.aliases]), -i, offer)
              for i, offer in enumerate(offers)]
    q, _, offer = max(scored, key=lambda s: (s[0], s[1]))
    if q <= 0:
        raise NotAcceptable(f"none of the accepted types ({accept}) is available for {what}; use one of "
                            + ", ".join(o.media_type for o in offers))
    return offer


# --- SELECT and ASK -------------------------------------------------------------------------------

def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):  # an RDF 1.2 triple term
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term) -> str:
    # TSV cells are Turtle/N-Triples terms; a literal's tabs and line breaks are escaped so a row stays one line.
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_select(names: list[str], rows: list[list], fmt: str, truncated: bool, limit: int) -> bytes:
    """rows: lists of pyoxigraph terms (None when unbound), in the order of `names`."""
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        if truncated:
            doc["truncated"] = True
            doc["limit"] = limit
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>"]
        if truncated:
            out.append(f"<!-- truncated: only the first {limit} rows of a longer result -->")
        out.append("<results>")
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                            for n, t in zip(names, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def write_ask(answer: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if answer else 'false'}</boolean></sparql>\n").encode("utf-8")
    # CSV/TSV define no boolean form; a one-column table, as Jena writes it.
    sep = "\r\n" if fmt == "csv" else "\n"
    return f"_askResult{sep}{'true' if answer else 'false'}{sep}".encode("utf-8")


def write_graph(triples: list, fmt: str, truncated: bool, limit: int) -> bytes:
    body = ox.serialize(triples, format=RDF_FORMATS[fmt],
                        prefixes=PREFIXES if fmt in ("turtle", "rdfxml") else None)
    if truncated and fmt in ("turtle", "ntriples"):
        body = f"# truncated: only the first {limit} triples of a longer result\n".encode() + body
    return body
