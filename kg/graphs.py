"""The named graphs of the dataset (dist/kg.nq, and the query store): which graph each triple lies in,
so that a question can be asked of one document, or of a few, instead of the whole corpus.

    graph/ontology            the ontology
    graph/dataset             the dataset's own description
    graph/analytics           the scores and communities the build computes over the whole graph
    graph/shared              the shared records (actors, frameworks, themes ...), and entailments about them
    graph/document/<doc>      the facts curated from one document, and entailments about them

A data triple, asserted or entailed, lies in the graph of the document its subject was minted from,
else in that of its object, else in the shared graph. A node is minted from a document when its
record is in that document's folder (with the nodes made from the record: its figures and its time),
or when it is a passage of the document's text (and the passage's selector). So a shared framework's
link to a passage of the summit's text is the summit document's fact, and so is Kishida's
ajk:madeStatement link to a statement in it; but a type a shared entity gets from the domain or range
of a property one document uses (Kishida is a prov:Agent, as the speaker of a statement) lies in the
shared graph. The one exception: an entailment of a property chain between two shared entities that
only one document's nodes lead to (Kishida attended the summit, through his participation recorded in
its readout) lies in that document's graph; reached through several documents' nodes, or through
shared ones, it lies in the shared graph.

The dataset's description says, of each document's graph, which document it is derived from (`described`).

Every triple lies in exactly one graph, so the union of the graphs is dist/kg.ttl, and a query over
that union gives the same rows as over kg.ttl (pyoxigraph does not merge a triple found in two graphs).
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain
from typing import TYPE_CHECKING, Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from .export import nt_line, parts_of
from .namespaces import BASE, ID

if TYPE_CHECKING:
    from .records import Located

GRAPH = BASE + "graph/"
ONTOLOGY = GRAPH + "ontology"
DATASET = GRAPH + "dataset"
ANALYTICS = GRAPH + "analytics"
SHARED = GRAPH + "shared"
DOCUMENT = GRAPH + "document/"
# Read with every document: what its facts mean and refer to. (Not the analytics, computed over the
# whole corpus, nor the dataset's description; and each graph more costs pyoxigraph a lookup more per
# pattern: a question about one document reads three graphs.)
ALWAYS_IN_SCOPE = (ONTOLOGY, SHARED)

_PASSAGE = str(ID) + "passage/"
_MADE_FROM_RECORD = re.compile(r"/(?:time|figure/[^/]+)$")  # a record's time and figures


def document_graph(document: str) -> str:
    return DOCUMENT + document


def scope(documents: Iterable[str]) -> list[str]:
    """The graphs a question about these documents reads: theirs, the ontology and the shared records."""
    return [*ALWAYS_IN_SCOPE, *(document_graph(d) for d in sorted(set(documents)))]


def chosen(graphs: str | Iterable[str] = (), documents: str | Iterable[str] = ()) -> tuple[str, ...]:
    """The graphs a query is asked of: those named, and the scope of the documents named (each given
    as one name or several); none, for the union of every graph."""
    documents = _one_or_more(documents)
    return _one_or_more(graphs) + (tuple(scope(documents)) if documents else ())


def _one_or_more(names: str | Iterable[str]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else tuple(names)


def document_ids(graphs: Iterable[str]) -> list[str]:
    """The documents whose graphs are among these graph names, sorted."""
    return sorted(g[len(DOCUMENT):] for g in graphs if g.startswith(DOCUMENT))


def record_of(iri: str) -> str:
    """The IRI of the record a node was made from: itself, or the record whose time or figure it is."""
    return _MADE_FROM_RECORD.sub("", iri)


class DocumentOf:
    """The document a node was minted from (None for a shared node), called with the node's IRI."""

    def __init__(self, records: list[Located]):
        self.documents = {str(ID[item.record.id]): item.document for item in records if item.document}

    def __call__(self, iri: str) -> str | None:
        if iri.startswith(_PASSAGE):  # passage/<doc>/<start>-<end>[/selector]
            return iri[len(_PASSAGE):].partition("/")[0]
        return self.documents.get(iri) or self.documents.get(record_of(iri))


class Placement:
    """The graph of each triple of a build, asked by N-Triples line (see `quad_lines`)."""

    def __init__(self, document_of: DocumentOf, by_part: dict[str, str], by_chain: dict[str, str]):
        self.document_of = document_of
        self.by_part = by_part  # line -> graph, for the ontology, the dataset and the analytics
        self.by_chain = by_chain  # line -> graph, for chain entailments between shared nodes (chain_graphs)

    def graph_of(self, line: str) -> str:
        found = self.by_part.get(line) or self.by_chain.get(line)
        if found:
            return found
        s, _, o = parts_of(line)
        document = self.document_of(s[1:-1]) or (self.document_of(o[1:-1]) if o.startswith("<") else None)
        return document_graph(document) if document else SHARED


def chain_graphs(chains: list, data: set, entailed: set, document_of: DocumentOf) -> dict[str, str]:
    """The graph of each entailment of a property chain (`chains`: (property, [links]) pairs, as in
    kg.rules) between two shared nodes, by the nodes its paths pass through; keyed by N-Triples line."""
    props = {prop for prop, _ in chains}
    wanted = {(s, p, o) for s, p, o in entailed
              if p in props and not document_of(str(s)) and not document_of(str(o))}
    if not wanted:
        return {}
    links = {link for _, chain_links in chains for link in chain_links}
    step = defaultdict(lambda: defaultdict(set))
    for s, p, o in chain(data, entailed):
        if p in links:
            step[p][s].add(o)
    found = {}
    for s, p, o in wanted:
        # the documents of each path's inner nodes; a path through shared nodes only has none
        passed = [{document_of(str(node)) for node in path[1:-1]} - {None}
                  for links_of_p in (chain_links for prop, chain_links in chains if prop == p)
                  for path in _paths(s, links_of_p, step) if path[-1] == o]
        documents = set().union(*passed)
        one = len(documents) == 1 and all(passed)
        found[nt_line(s, p, o)] = document_graph(documents.pop()) if one else SHARED
    return found


def described(records: list[Located]) -> Iterator[tuple]:
    """Each document's graph as an entity of the dataset's description: derived from its document and
    named after it, so that a consumer of kg.nq finds a triple's source from the graph it lies in."""
    for item in records:
        if item.document and item.record.id == item.document:  # the document's own record
            graph, title = URIRef(document_graph(item.document)), item.record.label
            yield graph, RDF.type, PROV.Entity
            yield graph, PROV.wasDerivedFrom, ID[item.document]
            yield graph, RDFS.label, Literal(f"Facts curated from: {title.en}", lang="en")
            yield graph, RDFS.label, Literal(f"「{title.ja}」から採った事実", lang="ja")


def _paths(start, links: list, step) -> Iterator[tuple]:
    paths = [(start,)]
    for link in links:
        paths = [path + (following,) for path in paths for following in step[link].get(path[-1], ())]
    yield from paths


def quad_lines(lines: Iterable[str], placement: Placement) -> Iterator[str]:
    """N-Quads lines, in the order of the N-Triples `lines`: each triple in its graph."""
    for line in lines:
        yield f"{line[:-1]}<{placement.graph_of(line)}> ."
