"""Deterministic serialisations: the same graph always gives the same bytes, in time linear in its size.

Every triple is written once as an N-Triples line; the lines are sorted, and the Turtle and JSON-LD
are written from them (grouped by subject: the subject starts the line). Blank nodes (only the
ontology's lists and axioms have them) are first relabelled by content, so their labels do not
vary. Strings, not term objects: a million rdflib or pyoxigraph terms cost gigabytes and minutes.
"""
from __future__ import annotations

import json
import re
from itertools import groupby
from typing import Iterable, Iterator

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from .namespaces import PREFIXES, bind_prefixes

JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
_NAMESPACES = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda kv: -len(kv[1]))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = f"<{RDF.type}>"

# N-Triples string escapes: the four the grammar requires, and every other control character as
# \uXXXX, which some parsers reject raw. All of them are valid JSON escapes too (see jsonld_of).
_ESCAPES = str.maketrans({
    **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
})


def nt_term(term) -> str:
    """An rdflib term in N-Triples."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{str(term).translate(_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def nt_line(s, p, o) -> str:
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ."


def ntriples_of(triples) -> bytes:
    """N-Triples of rdflib triples, in their order."""
    return "".join(f"{nt_line(*triple)}\n" for triple in triples).encode("utf-8")


def canonical_lines(*parts) -> list[str]:
    """The triples of `parts` (graphs or sets of triples) as N-Triples lines, sorted, each once,
    with canonical blank-node labels."""
    with_blanks = Graph()
    lines = []
    for part in parts:
        for triple in part:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                with_blanks.add(triple)
            else:
                lines.append(nt_line(*triple))
    # A blank node's canonical label depends only on the triples it is in: relabel those alone.
    lines.extend(nt_line(*triple) for triple in to_canonical_graph(with_blanks))
    lines.sort()
    return [line for line, _ in groupby(lines)]


def parts_of(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of an N-Triples line (IRIs and blank-node labels have no spaces)."""
    s, p, o = line.split(" ", 2)
    return s, p, o[:-2]


def quad_parts_of(quad: str) -> tuple[str, str, str, str]:
    """Subject, predicate, object and graph of an N-Quads line: the graph is the last term before " ."."""
    s, p, rest = quad.split(" ", 2)
    o, graph = rest[:-2].rsplit(" ", 1)
    return s, p, o, graph


def ntriples(graph: Graph) -> bytes:
    return "".join(f"{line}\n" for line in canonical_lines(graph)).encode("utf-8")


def turtle(graph: Graph) -> bytes:
    return turtle_of(canonical_lines(graph))


# Prefixed names only where no escape is needed: some parsers in use (the OWL API's among them)
# reject Turtle 1.1's escaped local names such as id:passage\/doc\/1-2, so those stay <IRIs>.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _turtle_iri(term: str) -> str:
    found = compact(term[1:-1])
    return found if found != term[1:-1] and _PLAIN_LOCAL.fullmatch(found.partition(":")[2]) else term


def _turtle_term(term: str, iris: dict) -> str:
    if term.startswith("<"):
        found = iris.get(term)
        if found is None:
            found = iris[term] = _turtle_iri(term)
        return found
    if term.startswith("_:"):
        return term
    lexical, _, tail = term.rpartition('"')  # the lexical form has no raw '"': the last one closes it
    if tail.startswith("^^"):
        tail = "^^" + _turtle_term(tail[2:], iris)
    return f'{lexical}"{tail}'


def turtle_of(lines: list[str]) -> bytes:
    return "".join(turtle_chunks(lines)).encode("utf-8")


def turtle_chunks(lines: list[str]) -> Iterator[str]:
    """Turtle grouped by subject and predicate, in the lines' (sorted) order, a subject at a time."""
    iris: dict = {}  # IRIs recur on every line: compact each once
    yield "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(_NAMESPACES)) + "\n"
    for subject, group in groupby((parts_of(line) for line in lines), key=lambda spo: spo[0]):
        out, predicate = [_turtle_term(subject, iris)], None
        for _, p, o in group:
            p, o = _turtle_term(p, iris), _turtle_term(o, iris)
            if p == "rdf:type":
                p = "a"
            if predicate is None:
                out.append(f" {p} {o}")
            elif p != predicate:
                out.append(f" ;\n    {p} {o}")
            else:
                out.append(f" ,\n        {o}")
            predicate = p
        out.append(" .\n")
        yield "".join(out)


def readable_turtle(graph: Graph) -> bytes:
    """For the small files people read (the ontology, the shapes): rdflib's Turtle, with nested
    lists and blank nodes, subjects in sorted order; too slow for the whole graph."""
    relabelled = bind_prefixes(Graph())
    relabelled += to_canonical_graph(graph)
    return relabelled.serialize(format="turtle", encoding="utf-8")


def compact(iri: str) -> str:
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and not iri[len(namespace):].startswith("/"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _jsonld_value(term: str, iris: dict) -> dict:
    if term.startswith("<"):
        found = iris.get(term)
        if found is None:
            found = iris[term] = {"@id": compact(term[1:-1])}
        return found
    if term.startswith("_:"):
        return {"@id": term}
    lexical, _, tail = term.rpartition('"')
    # Our N-Triples escapes are all JSON escapes; strict=False lets other writers' raw tabs through.
    value = {"@value": json.loads(lexical + '"', strict=False)}
    if tail.startswith("@"):
        value["@language"] = tail[1:]
    elif tail.startswith("^^"):
        value["@type"] = _jsonld_value(tail[2:], iris)["@id"]
    return value


def jsonld(graph: Graph) -> bytes:
    return jsonld_of(canonical_lines(graph))


def jsonld_of(lines: list[str]) -> bytes:
    return "".join(jsonld_chunks(lines)).encode("utf-8")


def jsonld_chunks(lines: list[str]) -> Iterator[str]:
    """Compact JSON-LD: one node object per subject, properties and values as CURIEs under an inline
    context of our prefixes, everything in a stable order. RDF lists stay as rdf:first/rdf:rest
    nodes, so their order is kept exactly."""
    iris: dict = {}  # each IRI is compacted once
    nodes = []  # (@id, the node's JSON): a subject's lines are consecutive, so each node is written at once
    for subject, group in groupby((parts_of(line) for line in lines), key=lambda spo: spo[0]):
        node_id = _jsonld_value(subject, iris)["@id"]
        node: dict = {"@id": node_id}
        for _, p, o in group:
            if p == RDF_TYPE:
                node.setdefault("@type", []).append(_jsonld_value(o, iris)["@id"])
            else:
                node.setdefault(_jsonld_value(p, iris)["@id"], []).append(_jsonld_value(o, iris))
        # One node per line: readable, and json's C encoder (indentation would need the slow Python one).
        nodes.append((node_id, json.dumps(node, ensure_ascii=False, sort_keys=True)))
    nodes.sort()
    yield f'{{"@context": {json.dumps(JSONLD_CONTEXT, ensure_ascii=False, sort_keys=True)},\n"@graph": [\n'
    yield from (f"{text},\n" if index < len(nodes) - 1 else f"{text}\n" for index, (_, text) in enumerate(nodes))
    yield "]}\n"


def write(chunks: Iterable[str], path) -> None:
    """Write text chunks as UTF-8 without holding the whole file in memory."""
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        file.writelines(chunks)
