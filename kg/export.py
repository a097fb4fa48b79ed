"""Deterministic serialisations: the same graph always gives the same bytes."""
from __future__ import annotations

import json

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from .namespaces import PREFIXES, bind_prefixes

JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}


def canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled by content, so labels do not vary between runs."""
    relabelled = bind_prefixes(Graph())
    relabelled += to_canonical_graph(graph)
    return relabelled


def turtle(graph: Graph) -> bytes:
    # rdflib's Turtle serialiser sorts subjects, predicates and objects.
    return canonical(graph).serialize(format="turtle", encoding="utf-8")


def ntriples(graph: Graph) -> bytes:
    lines = canonical(graph).serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(set(line for line in lines if line.strip())))


def _sorted_values(node):
    if isinstance(node, dict):
        # An @list is an RDF collection: its order is meaning (owl:members, owl:propertyChainAxiom).
        return {key: ([_sorted_values(v) for v in value] if key == "@list" else _sorted_values(value))
                for key, value in node.items()}
    if isinstance(node, list):
        values = [_sorted_values(value) for value in node]
        return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with our prefixes as its context; nodes and values in a stable order.
    (Order carries no meaning in JSON-LD except inside @list, which is left as it is.)"""
    data = json.loads(canonical(graph).serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    nodes = data.get("@graph", [data])
    stable = []
    for node in nodes:
        stable.append(_sorted_values(node))
    stable.sort(key=lambda n: n.get("@id", ""))
    document = {"@context": JSONLD_CONTEXT, "@graph": stable}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
