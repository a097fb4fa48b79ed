"""A read-only view of a set of triples with the lookups the projection makes (rdflib Graph's method
names), indexed per predicate on first use.

Loading a million triples into an rdflib Graph costs minutes and gigabytes (it indexes every triple
three ways, with contexts); the projection asks only about some thirty predicates, by subject or by
object. Lookups with no predicate are refused rather than answered slowly.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .export import XSD_STRING


class TripleIndex:
    def __init__(self, triples: Iterable[tuple]):
        self._pairs: dict = defaultdict(list)  # predicate -> [(subject, object)]
        for s, p, o in triples:
            self._pairs[p].append((s, o))
        self._forward: dict = {}  # predicate -> subject -> [objects]
        self._backward: dict = {}  # predicate -> object -> [subjects]

    def _index(self, predicate, cache: dict, forward: bool) -> dict:
        found = cache.get(predicate)
        if found is None:
            found = cache[predicate] = defaultdict(list)
            for s, o in self._pairs.get(predicate, ()):
                if forward:
                    found[s].append(o)
                else:
                    found[o].append(s)
        return found

    def objects(self, subject, predicate) -> Iterator:
        return self._lookup(predicate, subject, forward=True)

    def subjects(self, predicate, obj) -> Iterator:
        return self._lookup(predicate, obj, forward=False)

    def _lookup(self, predicate, known, forward: bool) -> Iterator:
        """The objects (forward) or subjects of `predicate` from `known`, or all of them for None."""
        if predicate is None:
            raise ValueError("TripleIndex answers lookups by predicate only")
        if known is None:
            return iter({pair[1] if forward else pair[0] for pair in self._pairs.get(predicate, ())})
        index = self._index(predicate, self._forward if forward else self._backward, forward)
        return iter(index.get(known, ()))

    def subject_objects(self, predicate) -> Iterator:
        return iter(self._pairs.get(predicate, ()))

    def value(self, subject, predicate):
        """One object (the smallest, so the choice is deterministic), or None."""
        found = self._index(predicate, self._forward, True).get(subject)
        return min(found) if found else None

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self._index(p, self._forward, True).get(s, ())

    def transitive_objects(self, subject, predicate) -> Iterator:
        """`subject` and everything reachable from it along `predicate`."""
        seen, todo = {subject}, [subject]
        while todo:
            for o in self.objects(todo.pop(), predicate):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
        return iter(seen)


def of_quads(path: Path) -> TripleIndex:
    """The triples of a build's kg.nq, read by pyoxigraph's parser, as the rdflib terms the projection
    compares with its own (`kg analytics` took 110 s and 1.8 GB at 1.5 million triples with rdflib's
    Turtle parser). pyoxigraph lowercases language tags, which rdflib compares ignoring case; the
    build writes them lowercase."""
    made: dict = {}  # one rdflib term per distinct term: most recur many times

    def term(node):
        found = made.get(node)
        if found is None:
            if isinstance(node, ox.NamedNode):
                found = URIRef(node.value)
            elif isinstance(node, ox.BlankNode):
                found = BNode(node.value)
            elif node.language:
                found = Literal(node.value, lang=node.language)
            elif node.datatype.value == XSD_STRING:
                found = Literal(node.value)
            else:
                found = Literal(node.value, datatype=URIRef(node.datatype.value))
            made[node] = found
        return found

    return TripleIndex((term(q.subject), term(q.predicate), term(q.object))
                       for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
