"""Set-based materialisation of the entailments users rely on, and the consistency checks that
scale: the part of OWL reasoning that grows with the number of documents.

The rules are read off the ontology, not written by hand: named superclasses, super-properties,
inverses, symmetric and transitive properties, domains and ranges, property chains; and for
consistency, disjoint classes and functional properties. They run over plain Python sets, so their
cost grows linearly with the data. HermiT still reasons over the ontology and the shared records
(kg/reasoning.py); tests check that on the real data these rules entail exactly what HermiT does.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .namespaces import curie
from .reasoning import InconsistentOntologyError

_BUILTIN = (str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")


def _named(term) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(_BUILTIN)


def _closure(pairs: dict) -> dict:
    """Reflexive-transitive closure of a 'directly above' relation."""
    above: dict = {}

    def up(node, seen=()):
        if node not in above:
            found = {node}
            for parent in pairs.get(node, ()):
                if parent not in seen:
                    found |= up(parent, seen + (node,))
            above[node] = found
        return above[node]

    for node in list(pairs):
        up(node)
    return above


@dataclass
class Rules:
    superclasses: dict = field(default_factory=dict)  # class -> named classes it is a subclass of (itself included)
    superproperties: dict = field(default_factory=dict)
    inverses: dict = field(default_factory=lambda: defaultdict(set))
    symmetric: set = field(default_factory=set)
    transitive: set = field(default_factory=set)
    domains: dict = field(default_factory=lambda: defaultdict(set))
    ranges: dict = field(default_factory=lambda: defaultdict(set))
    chains: list = field(default_factory=list)  # (property, [p1, p2 ...])
    disjoint: list = field(default_factory=list)  # pairs of disjoint classes
    functional: set = field(default_factory=set)
    object_properties: set = field(default_factory=set)

    @classmethod
    def of(cls, ontology: Graph) -> "Rules":
        rules = cls()
        subclass, subproperty = defaultdict(set), defaultdict(set)
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            if _named(sub) and _named(sup):
                subclass[sub].add(sup)
        for a, b in ontology.subject_objects(OWL.equivalentClass):
            if _named(a) and _named(b):
                subclass[a].add(b)
                subclass[b].add(a)
        for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
            if _named(sub) and _named(sup):
                subproperty[sub].add(sup)
        for cls_ in set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, RDFS.Class)):
            if _named(cls_):
                subclass.setdefault(cls_, set())
        rules.superclasses = {c: {s for s in above if _named(s)} for c, above in _closure(subclass).items()}
        kinds = (OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty)
        for kind in kinds:
            for prop in ontology.subjects(RDF.type, kind):
                if _named(prop):
                    subproperty.setdefault(prop, set())
        rules.object_properties = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if _named(p)}
        rules.superproperties = _closure(subproperty)
        for a, b in ontology.subject_objects(OWL.inverseOf):
            rules.inverses[a].add(b)
            rules.inverses[b].add(a)
        rules.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        rules.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
        rules.functional = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if p in rules.object_properties}
        for prop, cls_ in ontology.subject_objects(RDFS.domain):
            if _named(cls_):
                rules.domains[prop].add(cls_)
        for prop, cls_ in ontology.subject_objects(RDFS.range):
            if _named(cls_):
                rules.ranges[prop].add(cls_)
        for prop, links in ontology.subject_objects(OWL.propertyChainAxiom):
            rules.chains.append((prop, list(Collection(ontology, links))))
        for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [m for m in Collection(ontology, ontology.value(axiom, OWL.members)) if _named(m)]
            rules.disjoint += [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        rules.disjoint += [(a, b) for a, b in ontology.subject_objects(OWL.disjointWith) if _named(a) and _named(b)]
        return rules

    @property
    def joined(self) -> set:
        """The properties the transitive and chain rules join on."""
        return set(self.transitive) | {link for _, links in self.chains for link in links}

    def up(self, prop) -> set:
        return self.superproperties.get(prop, {prop})

    def materialise(self, data) -> set:
        """The entailed types and object-property values among named individuals, not in `data`
        (an iterable of triples)."""
        data = data if isinstance(data, (set, frozenset)) else set(data)
        type_ = RDF.type  # an rdflib Namespace attribute costs a Python call each time
        types = {(s, o) for s, p, o in data if p == type_ and o in self.superclasses and _named(s)}
        individuals = {s for s, _ in types}
        edges = {(s, p, o) for s, p, o in data
                 if p in self.superproperties and s in individuals and o in individuals}
        delta, joined = set(edges), self.joined
        while delta:  # semi-naive: only the triples new in the last round are expanded again
            grown = set()
            for s, p, o in delta:
                for q in self.up(p):
                    grown.add((s, q, o))
                    for inverse in self.inverses.get(q, ()):
                        grown.add((o, inverse, s))
                    if q in self.symmetric:
                        grown.add((o, q, s))
            by_property = defaultdict(set)
            for s, p, o in chain(edges, grown):
                if p in joined:
                    by_property[p].add((s, o))
            for prop in self.transitive:
                pairs = by_property.get(prop, set())
                following = defaultdict(set)
                for s, o in pairs:
                    following[s].add(o)
                for s, o in list(pairs):
                    for further in following.get(o, ()):
                        grown.add((s, prop, further))
            for prop, links in self.chains:
                reached = {(s, s) for s in individuals}
                for link in links:
                    step = defaultdict(set)
                    for s, o in by_property.get(link, ()):
                        step[s].add(o)
                    reached = {(start, o) for start, middle in reached for o in step.get(middle, ())}
                grown |= {(s, prop, o) for s, o in reached}
            delta = grown - edges
            edges |= delta
        for s, p, o in edges:
            types |= {(s, c) for c in self.domains.get(p, ())} | {(o, c) for c in self.ranges.get(p, ())}
        types = {(s, sup) for s, c in types for sup in self.superclasses.get(c, {c})}
        return ({(s, type_, c) for s, c in types} | edges | self.literal_values(data, individuals)) - data

    def literal_values(self, data: set, individuals: set) -> set:
        """The super-property values of the individuals' literal values (ajk:date ⊑ dct:date ...)."""
        return {(s, q, o) for s, p, o in data if isinstance(o, Literal) and s in individuals
                for q in self.superproperties.get(p, ()) if q != p}

    def hierarchy_closure(self, data) -> set:
        """`data` with every named superclass and super-property value added: what SHACL should see
        (no domains and ranges: types guessed from use would hide a misused resource)."""
        return set(self.closed(data))

    def closed(self, data) -> Iterator[tuple]:
        """The hierarchy closure as a stream (with repeats): no copy of the data is held."""
        type_ = RDF.type
        for s, p, o in data:
            if p == type_:
                yield from ((s, type_, sup) for sup in self.superclasses.get(o, (o,)))
            else:
                yield from ((s, q, o) for q in self.superproperties.get(p, (p,)))

    def check(self, data, entailed) -> None:
        """Raise InconsistentOntologyError for an individual in two disjoint classes or with two
        values of a functional property, naming the individuals."""
        types, values = defaultdict(set), defaultdict(lambda: defaultdict(set))
        type_, functional = RDF.type, self.functional
        for graph in (data, entailed):
            for s, p, o in graph:
                if p in functional:
                    values[p][s].add(o)
                elif p == type_:
                    types[s].add(o)
        disjoint = defaultdict(set)
        for a, b in self.disjoint:
            disjoint[a].add(b)
        problems = []
        for node, classes in types.items():  # sorted below, with the other problems
            for a in classes & disjoint.keys():
                problems += [f"{curie(node)} is both a {curie(a)} and a {curie(b)}, which are disjoint"
                             for b in disjoint[a] & classes]
        for prop in functional:
            problems += [f"{curie(node)} has {len(found)} values of the functional {curie(prop)}: "
                         + ", ".join(sorted(curie(v) for v in found))
                         for node, found in values[prop].items() if len(found) > 1]
        problems.sort()
        if problems:
            raise InconsistentOntologyError("The graph is inconsistent:\n" + "\n".join(f"  {p}" for p in problems))
