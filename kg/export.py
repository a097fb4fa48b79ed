"""Deterministic serialisations: the same graph always gives the same bytes, in time linear in its size.

Triples are sorted once in their N-Triples form, then written as Turtle grouped by subject (below),
as N-Triples by pyoxigraph, or grouped by subject into compact JSON-LD with our prefixes as the context. Blank nodes (only the ontology's
lists and axioms have them) are first relabelled by content, so their labels do not vary.
"""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from .namespaces import PREFIXES, bind_prefixes

JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
_NAMESPACES = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda kv: -len(kv[1]))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def canonical_triples(*parts) -> list:
    """The triples of `parts` (graphs or sets of triples) with canonical blank-node labels, sorted
    by their N-Triples form."""
    with_blanks = Graph()
    plain = set()
    for part in parts:
        for triple in part:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                with_blanks.add(triple)
            else:
                plain.add(triple)
    # A blank node's canonical label depends only on the triples it is in: relabel those alone.
    plain.update(to_canonical_graph(with_blanks))
    return sorted(to_oxigraph(plain), key=str)


def to_oxigraph(triples) -> list:
    """rdflib triples as pyoxigraph Triples."""
    terms: dict = {}  # the same IRIs recur on every line: convert each once

    def term(node):
        found = terms.get(node)
        if found is None:
            found = terms[node] = _term(node)
        return found

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]


def ntriples_of(triples) -> bytes:
    """N-Triples of rdflib triples, in their order (pyoxigraph escapes every term)."""
    return ox.serialize(to_oxigraph(triples), format=ox.RdfFormat.N_TRIPLES)


def _term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def turtle(graph: Graph) -> bytes:
    return turtle_of(canonical_triples(graph))


# Prefixed names only where no escape is needed: some parsers in use (the OWL API's among them)
# reject Turtle 1.1's escaped local names such as id:passage\/doc\/1-2, so those stay <IRIs>.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _turtle_term(term, cache: dict) -> str:
    found = cache.get(term)
    if found is None:
        if isinstance(term, ox.NamedNode):
            found = compact(term.value)
            if found == term.value or not _PLAIN_LOCAL.fullmatch(found.partition(":")[2]):
                found = f"<{term.value}>"
        elif isinstance(term, ox.BlankNode):
            found = str(term)
        else:
            found = str(ox.Literal(term.value))  # the lexical form, N-Triples escaped
            if term.language:
                found += f"@{term.language}"
            elif term.datatype.value != XSD_STRING:
                found += "^^" + _turtle_term(term.datatype, cache)
        cache[term] = found
    return found


def turtle_of(triples: list) -> bytes:
    """Turtle grouped by subject and predicate, in the triples' (sorted) order."""
    cache: dict = {}
    out = [f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(_NAMESPACES)]
    subject = predicate = None
    for triple in triples:
        s, p, o = (_turtle_term(term, cache) for term in (triple.subject, triple.predicate, triple.object))
        if p == "rdf:type":
            p = "a"
        if s != subject:
            out.append(" .\n" if subject is not None else "\n")
            out.append(f"{s} {p} {o}")
            subject, predicate = s, p
        elif p != predicate:
            out.append(f" ;\n    {p} {o}")
            predicate = p
        else:
            out.append(f" ,\n        {o}")
    if subject is not None:
        out.append(" .\n")
    return "".join(out).encode("utf-8")


def ntriples(graph: Graph) -> bytes:
    return ox.serialize(canonical_triples(graph), format=ox.RdfFormat.N_TRIPLES)


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


def _node(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    value = {"@value": term.value}
    if term.language:
        value["@language"] = term.language
    elif term.datatype.value != XSD_STRING:
        value["@type"] = compact(term.datatype.value)
    return value


def jsonld(graph: Graph) -> bytes:
    return jsonld_of(canonical_triples(graph))


def jsonld_of(triples: list) -> bytes:
    """Compact JSON-LD: one node object per subject, properties and values as CURIEs under an inline
    context of our prefixes, everything in a stable order. RDF lists stay as rdf:first/rdf:rest
    nodes, so their order is kept exactly."""
    nodes: dict[str, dict] = {}
    cache: dict = {}  # each term is compacted once

    def value(term):
        found = cache.get(term)
        if found is None:
            found = cache[term] = _node(term)
        return found

    type_iri = str(RDF.type)
    for triple in triples:
        subject = value(triple.subject)["@id"]
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": subject}
        if triple.predicate.value == type_iri:
            node.setdefault("@type", []).append(value(triple.object)["@id"])
        else:
            node.setdefault(value(triple.predicate)["@id"], []).append(value(triple.object))
    # One node per line: readable, and json's C encoder (indentation would need the slow Python one).
    context = json.dumps(JSONLD_CONTEXT, ensure_ascii=False, sort_keys=True)
    lines = ",\n".join(json.dumps(nodes[k], ensure_ascii=False, sort_keys=True) for k in sorted(nodes))
    return f'{{"@context": {context},\n"@graph": [\n{lines}\n]}}\n'.encode("utf-8")

