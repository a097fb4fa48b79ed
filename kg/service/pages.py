"""Dereferenceable IRIs: what the service says about one entity, as an HTML page or as RDF.

These are fixed queries with the entity bound by substitution (never pasted into query text), run
on the HTTP process's own store: they are quick, and no user-written query reaches this module."""
from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from ..graphs import document_ids, scope
from ..sorted_lines import subject_lines
from ..store import BASE, PREFIXES, UNION

ID_SPACE = PREFIXES["id"]
ONTOLOGY_SPACE = PREFIXES["ajk"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
# predicates the page shows apart from the relations: in its head, and in sections of their own
SHOWN_APART = {RDF_TYPE, RDFS_LABEL, PREFIXES["skos"] + "altLabel", PREFIXES["dct"] + "description"}
SHOWN_ELSEWHERE = {PREFIXES["ajk"] + "hasFigure", PREFIXES["prov"] + "wasDerivedFrom"}  # FIGURES, PASSAGES

# How many things the entity links to, or is linked from, by each property; then, by one property, at
# most {limit} of them, in the store's order (at 1.5M triples Kishida made 16,000 statements and Japan
# is the object of 21,000 triples: pages of 4 MB that took 2 s to make). ?e and ?p are projected:
# pyoxigraph substitutes only those.
OUTGOING_COUNTS = "SELECT ?e ?p (COUNT(*) AS ?n) WHERE { ?e ?p ?o } GROUP BY ?e ?p"
INCOMING_COUNTS = "SELECT ?e ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?e } GROUP BY ?e ?p"
OUTGOING = """SELECT ?e ?p ?o ?p_label ?o_label WHERE {{
  ?e ?p ?o .
  OPTIONAL {{ ?p rdfs:label ?p_label FILTER(lang(?p_label) = "en") }}
  OPTIONAL {{ ?o rdfs:label ?o_label FILTER(lang(?o_label) = "en") }}
}} LIMIT {limit}"""
INCOMING = """SELECT ?e ?p ?s ?p_label ?s_label WHERE {{
  ?s ?p ?e .
  OPTIONAL {{ ?p rdfs:label ?p_label FILTER(lang(?p_label) = "en") }}
  OPTIONAL {{ ?s rdfs:label ?s_label FILTER(lang(?s_label) = "en") }}
}} LIMIT {limit}"""
PASSAGES = """SELECT ?e ?passage ?text ?start ?end ?session ?agenda WHERE {
  ?e prov:wasDerivedFrom ?passage . ?passage prov:value ?text .
  OPTIONAL { ?passage ajk:startOffset ?start ; ajk:endOffset ?end }
  OPTIONAL { ?passage ajk:inSession/rdfs:label ?session FILTER(lang(?session) = "en") }
  OPTIONAL { ?passage ajk:inAgendaItem/rdfs:label ?agenda FILTER(lang(?agenda) = "en") }
} ORDER BY ?start ?passage"""
FIGURES = """SELECT ?e ?figure ?label ?value ?unit ?qualifier ?period WHERE {
  ?e ajk:hasFigure ?figure .
  OPTIONAL { ?figure rdfs:label ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?figure schema:value ?value }
  OPTIONAL { ?figure schema:currency ?currency }
  OPTIONAL { ?figure schema:unitText ?unit_text }
  BIND(COALESCE(?currency, STR(?unit_text)) AS ?unit)
  OPTIONAL { ?figure ajk:valueQualifier/rdfs:label ?qualifier FILTER(lang(?qualifier) = "en") }
  OPTIONAL { ?figure ajk:periodDuration ?period }
} ORDER BY ?figure"""
TERMS = """SELECT ?term ?kind ?label ?comment WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind . FILTER(STRSTARTS(STR(?term), STR(ajk:)))
  OPTIONAL { ?term rdfs:label ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?term rdfs:comment ?comment FILTER(lang(?comment) = "en" || lang(?comment) = "") }
} ORDER BY ?kind ?term"""


def href(iri: str) -> str:
    """Where a link to an IRI goes: our own IRIs to this service's paths, others as they are."""
    if iri.startswith(ID_SPACE):
        return "/id/" + iri[len(ID_SPACE):]
    if iri.startswith(BASE + "ontology"):
        return "/ontology" + iri[len(BASE + "ontology"):]
    return iri


def short(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass(frozen=True)
class Link:
    iri: str
    label: str
    href: str


def _link(term, label=None) -> Link | str:
    if isinstance(term, ox.NamedNode):
        return Link(term.value, label.value if label is not None else short(term.value), href(term.value))
    if isinstance(term, ox.Literal):
        suffix = f" @{term.language}" if term.language else ""
        return term.value + suffix
    return str(term)


@dataclass
class Entity:
    iri: str
    labels: dict = field(default_factory=dict)  # lang -> [labels]
    alt_labels: list = field(default_factory=list)
    types: list = field(default_factory=list)
    descriptions: list = field(default_factory=list)
    outgoing: dict = field(default_factory=dict)  # predicate Link -> [Link | str]
    incoming: dict = field(default_factory=dict)
    more_out: dict = field(default_factory=dict)  # predicate IRI -> how many more the entity links to by it
    more_in: dict = field(default_factory=dict)  # predicate IRI -> how many more link to the entity by it
    figures: list = field(default_factory=list)
    passages: list = field(default_factory=list)

    @property
    def title(self) -> str:
        for lang in ("en", "", "ja"):
            if self.labels.get(lang):
                return self.labels[lang][0]
        return short(self.iri)


class Pages:
    def __init__(self, store: ox.Store, quads: Path, shown: int = 200):
        self.store, self.shown = store, shown  # shown: things listed per property, each way
        # The build's kg.nq (sorted: kg.sorted_lines), held open, so that a rebuild swapping dist/ in
        # leaves the pages reading the build their store holds; one reader at a time moves its position.
        self.quads, self.quads_lock = open(quads, "rb"), threading.Lock()
        self.templates = Environment(loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(["j2"]),
                                     trim_blocks=True, lstrip_blocks=True)

    def _ask(self, query: str, iri: str, predicate: ox.NamedNode | None = None):
        """The query's answer with ?e bound to the entity (and ?p to `predicate`), over every graph."""
        bound = {ox.Variable("e"): ox.NamedNode(iri)}
        if predicate is not None:
            bound[ox.Variable("p")] = predicate
        return self.store.query(query, prefixes=PREFIXES, substitutions=bound, **UNION)

    def _select(self, query: str, iri: str) -> list:
        answer = self._ask(query, iri)
        names = [v.value for v in answer.variables]
        return [{n: row[n] for n in names} for row in answer]

    def close(self) -> None:
        self.quads.close()

    def exists(self, iri: str) -> bool:
        return bool(self._ask("ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", iri))

    def entity(self, iri: str) -> Entity:
        entity = Entity(iri)
        outgoing, incoming = defaultdict(list), defaultdict(list)
        for count in self._select(OUTGOING_COUNTS, iri):
            p, total = count["p"], int(count["n"].value)
            if p.value in SHOWN_ELSEWHERE:
                continue
            whole = p.value in SHOWN_APART  # labels, types, descriptions: all of them, in the page's head
            for row in self._ask(OUTGOING.format(limit=total if whole else self.shown), iri, p):
                o = row["o"]
                if p.value == RDFS_LABEL:
                    entity.labels.setdefault(o.language or "", []).append(o.value)
                elif p.value == PREFIXES["skos"] + "altLabel":
                    entity.alt_labels.append(_link(o))
                elif p.value == RDF_TYPE:
                    entity.types.append(_link(o, row["o_label"]))
                elif p.value == PREFIXES["dct"] + "description":
                    entity.descriptions.append(o.value)
                else:
                    outgoing[(p.value, _label(row["p_label"], p.value))].append(_link(o, row["o_label"]))
            if not whole and total > self.shown:
                entity.more_out[p.value] = total - self.shown
        for count in self._select(INCOMING_COUNTS, iri):
            p, total = count["p"], int(count["n"].value)
            for row in self._ask(INCOMING.format(limit=self.shown), iri, p):
                incoming[(p.value, _label(row["p_label"], p.value))].append(_link(row["s"], row["s_label"]))
            if total > self.shown:
                entity.more_in[p.value] = total - self.shown
        entity.outgoing = _grouped(outgoing)
        entity.incoming = _grouped(incoming)
        entity.figures = self._select(FIGURES, iri)
        entity.passages = self._select(PASSAGES, iri)
        return entity

    def entity_html(self, iri: str) -> bytes:
        entity = self.entity(iri)
        return self.templates.get_template("service-entity.html.j2").render(
            e=entity, href=href, short=short, data=data_path(iri)).encode("utf-8")

    def description(self, iri: str) -> list:
        """The triples a linked-data client gets for an entity: what it says, exactly as kg.nq states
        it (the store keeps numbers by value: "43"^^xsd:nonNegativeInteger comes back as xsd:integer),
        and what points at it, from the store (no blank node points at an entity)."""
        with self.quads_lock:
            said = subject_lines(self.quads, iri)
        said = ox.parse(b"".join(said), format=ox.RdfFormat.N_QUADS)
        pointing = self._ask("SELECT ?s ?p ?e WHERE { ?s ?p ?e }", iri)
        return sorted({q.triple for q in said}
                      | {ox.Triple(row["s"], row["p"], ox.NamedNode(iri)) for row in pointing}, key=str)

    @cached_property
    def terms(self) -> list:
        answer = self.store.query(TERMS, prefixes=PREFIXES, **UNION)
        seen, terms = set(), []
        for row in answer:
            if row["term"].value in seen:
                continue
            seen.add(row["term"].value)
            terms.append({"iri": row["term"].value, "name": row["term"].value[len(ONTOLOGY_SPACE):],
                          "kind": short(row["kind"].value), "label": row["label"].value if row["label"] else "",
                          "comment": row["comment"].value if row["comment"] else ""})
        return terms

    def ontology_html(self) -> bytes:
        return self.templates.get_template("service-ontology.html.j2").render(
            terms=self.terms, ontology=BASE + "ontology").encode("utf-8")

    def documents(self, graphs: Iterable[str]) -> list[dict]:
        """The documents a query may be asked of, each with its graphs (kg.graphs.scope) and title."""
        titles = {row["doc"].value: row["title"].value for row in self.store.query(
            "SELECT ?doc ?title WHERE { ?doc a ajk:SourceDocument ; rdfs:label ?title FILTER(lang(?title) = 'en') }",
            prefixes=PREFIXES, **UNION)}
        return [{"id": d, "title": titles.get(BASE + "id/" + d, d), "graphs": scope([d])} for d in document_ids(graphs)]

    def query_html(self, named: list[dict], settings: dict, documents: list[dict]) -> bytes:
        return self.templates.get_template("service-query.html.j2").render(
            named=named, settings=settings, documents=documents).encode("utf-8")


def _label(label, iri: str) -> str:
    return label.value if label is not None else short(iri)


def _grouped(groups: dict) -> dict:
    """Predicates in label order, each with its values in label order: a stable page."""
    return {Link(p, label, href(p)): sorted(values, key=lambda v: (v.label if isinstance(v, Link) else v))
            for (p, label), values in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0]))}


def data_path(iri: str) -> str:
    """/id/x is the thing; /page/x its HTML page; /data/x.ttl etc. its data (the Cool URIs' 303 pattern)."""
    return iri[len(ID_SPACE):]
