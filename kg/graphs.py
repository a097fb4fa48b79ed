"""The named graphs of the dataset (dist/kg.nq, and the query store): which graph each triple lies in,
so that a question can be asked of one document, or of a few, instead of the whole corpus.

    graph/ontology            the ontology
    graph/dataset             the dataset's own description
    graph/analytics           the scores and communities the build computes over the whole graph
    graph/shared              the shared records (actors, frameworks, themes ...) and what they entail
    graph/document/<doc>      the facts curated from one document, and what they entail

A data triple lies in the graph of the document its subject was minted from, else in that of its
object, else in the shared graph. A node is minted from a document when its record is in that
document's folder (with the nodes made from the record: its figures and its time), or when it is a
passage of the document's text (and the passage's selector). So a shared framework's link to a
passage of the summit's text is the summit document's fact. The one exception: an entailment between
two shared entities that a property chain reaches through one document's node (Kishida attended the
summit, through his participation recorded in its readout) lies in that document's graph; reached
through the nodes of several documents, it lies in the shared graph.

Every triple lies in exactly one graph, so the union of the graphs is dist/kg.ttl, and a query over
that union gives the same rows as over kg.ttl (pyoxigraph does not merge a triple found in two graphs).
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

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


def record_of(iri: str) -> str:
    """The IRI of the record a node was made from: itself, or the record whose time or figure it is."""
    return _MADE_FROM_RECORD.sub("", iri)


class Homes:
    """The document each node was minted from (None for shared nodes)."""

    def __init__(self, records: list[Located]):
        self.documents = {str(ID[item.record.id]): item.document for item in records if item.document}

    def __call__(self, iri: str) -> str | None:
        if iri.startswith(_PASSAGE):  # passage/<doc>/<start>-<end>[/selector]
            return iri[len(_PASSAGE):].partition("/")[0]
        return self.documents.get(iri) or self.documents.get(record_of(iri))


class Placement:
    """The graph of each triple of a build, asked by N-Triples line (see `quad_lines`)."""

    def __init__(self, homes: Homes, fixed: dict[str, str], chained: dict[str, str]):
        self.homes = homes
        self.fixed = fixed  # line -> graph, for the ontology, the dataset and the analytics
        self.chained = chained  # line -> graph, for chain entailments between shared nodes

    def graph_of(self, line: str) -> str:
        found = self.fixed.get(line) or self.chained.get(line)
        if found:
            return found
        s, _, rest = line.partition(" ")
        o = rest.partition(" ")[2][:-2]
        home = self.homes(s[1:-1]) or (self.homes(o[1:-1]) if o.startswith("<") else None)
        return document_graph(home) if home else SHARED


def chained(chains: list, data: set, entailed: set, homes: Homes, line: Callable[..., str]) -> dict[str, str]:
    """The graph of each entailment of a property chain (`chains`: (property, [links]) pairs, as in
    kg.rules) between two shared nodes, by the documents of the nodes its paths pass through; keyed by
    N-Triples line (`line`)."""
    props = {prop for prop, _ in chains}
    wanted = {(s, p, o) for s, p, o in entailed
              if p in props and not homes(str(s)) and not homes(str(o))}
    if not wanted:
        return {}
    links = {link for _, chain_links in chains for link in chain_links}
    step = defaultdict(lambda: defaultdict(set))
    for s, p, o in chain(data, entailed):
        if p in links:
            step[p][s].add(o)
    found = {}
    for s, p, o in wanted:
        documents = set()
        for links_of_p in (chain_links for prop, chain_links in chains if prop == p):
            for path in _paths(s, links_of_p, step):
                if path[-1] == o:
                    documents |= {homes(str(node)) for node in path[1:-1]} - {None}
        found[line(s, p, o)] = document_graph(documents.pop()) if len(documents) == 1 else SHARED
    return found


def _paths(start, links: list, step) -> Iterator[tuple]:
    paths = [(start,)]
    for link in links:
        paths = [path + (following,) for path in paths for following in step[link].get(path[-1], ())]
    yield from paths


def quad_lines(lines: Iterable[str], placement: Placement) -> Iterator[str]:
    """N-Quads lines, in the order of the N-Triples `lines`: each triple in its graph."""
    for line in lines:
        yield f"{line[:-1]}<{placement.graph_of(line)}> ."
