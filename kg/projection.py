"""The analysis graph: the RDF graph projected onto its entities, for NetworkX and the viewer.

Nodes are the things an analyst talks about (actors, frameworks, initiatives, themes, events,
situations, places). Edges are typed and directed:

* a curated relation between two entities (`launchedBy`, `theme`, `basedOn`, `skos:broader`...),
  always in the direction the curators asserted it, so an inverse pair is never counted twice;
* a statement, as an edge from its speaker to each thing it is about, labelled by its kind
  ("announced", "expressed concern"...) and carrying its quote, session and agenda item;
* a participation, as edges from the participant to the event and to whom they represented.

Bookkeeping resources (passages, figures, statements, participations, code lists) are not nodes;
what they say is kept as node and edge attributes. Everything is sorted: the same RDF gives the
same analysis graph, node for node and edge for edge.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from .namespaces import AJK, ID, SCHEMA, curie

# The most specific class decides a node's kind; the first matching row wins.
KINDS = (
    ("theme", AJK.PolicyTheme),
    ("initiative", AJK.Initiative),
    ("framework", AJK.Framework),
    ("situation", AJK.Situation),
    ("event", AJK.Meeting),
    ("event", AJK.Session),
    ("event", AJK.AgendaItem),
    ("event", AJK.HistoricalEvent),
    ("actor", AJK.Person),
    ("actor", AJK.State),
    ("actor", AJK.InternationalOrganisation),
    ("actor", AJK.GovernmentBody),
    ("actor", AJK.AgentGroup),
    ("indicator", AJK.EconomicIndicator),
    ("place", AJK.MaritimeArea),
    ("place", AJK.Region),
    ("place", SCHEMA.Place),
)

ROOT_ORDER = {root: index for index, (_, root) in reversed(list(enumerate(KINDS)))}

# Curated relations between entities, in their asserted direction (never their inverses).
RELATIONS = (
    AJK.theme, AJK.priorityArea, AJK.enshrinesPrinciple, AJK.launchedBy, AJK.implementedBy,
    AJK.partner, AJK.beneficiary, AJK.contributesTo, AJK.basedOn, AJK.launchedAt, AJK.adoptedAt,
    AJK.implements, AJK.commemorates, AJK.hostedBy, AJK.involvesActor, AJK.location,
    ORG.hasMember, ORG.subOrganizationOf, SKOS.broader, SKOS.related, SCHEMA.subEvent,
    SCHEMA.containedInPlace,
)


def text(graph: Graph, subject, predicate, lang: str) -> str | None:
    """The smallest literal in `lang` ("" = untagged), so the choice is deterministic."""
    values = sorted(
        str(o) for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (o.language or "") == lang
    )
    return values[0] if values else None


def labels(graph: Graph, node) -> dict:
    en = text(graph, node, RDFS.label, "en") or text(graph, node, RDFS.label, "")
    ja = text(graph, node, RDFS.label, "ja")
    return {"label_en": en or ja or curie(node), "label_ja": ja or en or curie(node)}


def class_kinds(graph: Graph) -> dict:
    """For every class: (kind, how many superclasses it has) when it falls under one of KINDS."""
    found = {}
    for cls in set(graph.objects(None, RDF.type)):
        above = set(graph.transitive_objects(cls, RDFS.subClassOf))
        for kind, root in KINDS:
            if root in above:
                found[cls] = (kind, root, len(above))
                break
    return found


def kind_of(types: set, kinds: dict) -> tuple[str, str] | None:
    """(kind, most specific class) for an entity with these types, or None for bookkeeping resources."""
    known = [(kinds[t], t) for t in types if t in kinds]
    if not known:
        return None
    (kind, root, _), _ = min(known, key=lambda k: ROOT_ORDER[k[0][1]])
    # The most specific of its classes of that kind: most superclasses, then by name.
    own = sorted((t for (k, r, _), t in known if r == root and str(t).startswith(str(AJK))),
                 key=lambda t: (-kinds[t][2], str(t)))
    named = own[0] if own else root
    return kind, str(named).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entities(graph: Graph) -> dict[URIRef, tuple[str, str]]:
    kinds = class_kinds(graph)
    types = defaultdict(set)
    for node, cls in graph.subject_objects(RDF.type):
        if isinstance(node, URIRef) and str(node).startswith(str(ID)):
            types[node].add(cls)
    found = {}
    for node in sorted(types):
        kind = kind_of(types[node], kinds)
        if kind:
            found[node] = kind
    return found


def passages(graph: Graph, node) -> list[dict]:
    """The verbatim source passages a resource was derived from, with where they stand."""
    found = []
    for passage in sorted(graph.objects(node, PROV.wasDerivedFrom)):
        if (passage, RDF.type, AJK.SourcePassage) not in graph:
            continue
        entry = {"iri": str(passage), "quote": str(graph.value(passage, PROV.value) or "")}
        for key, predicate in (("session", AJK.inSession), ("agenda", AJK.inAgendaItem)):
            where = graph.value(passage, predicate)
            if where is not None:
                entry[key] = str(where)
                entry[f"{key}_en"], entry[f"{key}_ja"] = labels(graph, where).values()
        found.append(entry)
    return found


def figures(graph: Graph, node) -> list[dict]:
    found = []
    for figure in sorted(graph.objects(node, AJK.hasFigure)):
        value = graph.value(figure, SCHEMA.value)
        measure = graph.value(figure, AJK.measure)
        qualifier = graph.value(figure, AJK.valueQualifier)
        found.append({
            "iri": str(figure),
            **labels(graph, figure),
            "measure": curie(measure) if measure else None,
            "value": float(value) if value is not None else None,
            "currency": str(graph.value(figure, SCHEMA.currency) or "") or None,
            "unit": str(graph.value(figure, SCHEMA.unitText) or "") or None,
            "qualifier": labels(graph, qualifier)["label_en"] if qualifier else None,
            "passages": passages(graph, figure),
        })
    return found


def node_attributes(graph: Graph, node, kind: str, cls: str) -> dict:
    alt = sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})
    date = graph.value(node, AJK.date)
    return {
        "iri": str(node),
        "curie": curie(node),
        "kind": kind,
        "cls": cls,
        **labels(graph, node),
        "alt_labels": alt,
        "description_en": text(graph, node, DCTERMS.description, "en"),
        "description_ja": text(graph, node, DCTERMS.description, "ja"),
        "date": str(date) if date is not None else None,
        "figures": figures(graph, node),
        "passages": passages(graph, node),
    }


def statement_edges(graph: Graph, nodes: dict) -> list[tuple]:
    edges = []
    for statement in sorted(graph.subjects(RDF.type, AJK.Statement)):
        speaker = graph.value(statement, AJK.speaker)
        kind = graph.value(statement, AJK.statementKind)
        if speaker not in nodes:
            continue
        agenda = graph.value(statement, AJK.madeDuring)
        attributes = {
            "relation": "statement",
            "predicate": curie(AJK.about),
            **labels(graph, kind),
            "statement": str(statement),
            "statement_kind": curie(kind) if kind else None,
            "statement_en": labels(graph, statement)["label_en"],
            "statement_ja": labels(graph, statement)["label_ja"],
            "on_behalf_of": str(graph.value(statement, AJK.onBehalfOf) or "") or None,
            "themes": sorted(str(t) for t in graph.objects(statement, AJK.theme)),
            "agenda": str(agenda) if agenda is not None else None,
            "passages": passages(graph, statement),
        }
        for target in sorted(graph.objects(statement, AJK.about)):
            if target in nodes and target != speaker:
                edges.append((str(speaker), str(target), f"{curie(statement)}>{curie(target)}", attributes))
    return edges


def participation_edges(graph: Graph, nodes: dict) -> list[tuple]:
    edges = []
    for participation in sorted(graph.subjects(RDF.type, AJK.Participation)):
        person = graph.value(participation, AJK.participant)
        if person not in nodes:
            continue
        roles = [labels(graph, role) for role in sorted(graph.objects(participation, AJK.role))]
        shared = {"relation": "participation", "participation": str(participation),
                  "passages": passages(graph, participation)}
        event = graph.value(participation, AJK.inEvent)
        if event in nodes:
            # One can take part in several roles (Kishida: host and co-chair): name them all.
            names = ({"label_en": ", ".join(sorted(r["label_en"] for r in roles)),
                      "label_ja": "、".join(sorted(r["label_ja"] for r in roles))}
                     if roles else {"label_en": "participant", "label_ja": "参加者"})
            edges.append((str(person), str(event), f"{curie(participation)}>event",
                          {**shared, "predicate": curie(AJK.inEvent), **names}))
        for represented in sorted(graph.objects(participation, AJK.representing)):
            if represented in nodes:
                edges.append((str(person), str(represented), f"{curie(participation)}>{curie(represented)}",
                              {**shared, "predicate": curie(AJK.representing),
                               "label_en": "represented", "label_ja": "代表"}))
    return edges


def relation_edges(graph: Graph, nodes: dict) -> list[tuple]:
    names = {predicate: relation_label(graph, predicate) for predicate in RELATIONS}
    edges = []
    for predicate in RELATIONS:
        for subject, target in graph.subject_objects(predicate):
            if subject in nodes and target in nodes and subject != target:
                edges.append((str(subject), str(target), f"{curie(predicate)}>{curie(target)}",
                              {"relation": "relation", "predicate": curie(predicate), **names[predicate]}))
    return edges


def relation_label(graph: Graph, predicate) -> dict:
    """A property's label, falling back to its local name (reused vocabularies may lack ours)."""
    local = str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return {"label_en": text(graph, predicate, RDFS.label, "en") or local,
            "label_ja": text(graph, predicate, RDFS.label, "ja") or text(graph, predicate, RDFS.label, "en") or local}


def agenda_of(graph: nx.MultiDiGraph) -> None:
    """Each node's agenda items: where its passages stand, and where statements by or about it were made."""
    items = defaultdict(set)
    for node, data in graph.nodes(data=True):
        items[node].update(p["agenda"] for p in data["passages"] if "agenda" in p)
    for source, target, data in graph.edges(data=True):
        if data.get("agenda"):
            items[source].add(data["agenda"])
            items[target].add(data["agenda"])
    for node in graph.nodes:
        graph.nodes[node]["agenda"] = sorted(items[node])


def themes_of(graph: nx.MultiDiGraph) -> None:
    """Each node's themes: those it is tagged with, and those of statements made about it."""
    found = defaultdict(set)
    for source, target, data in graph.edges(data=True):
        if data["predicate"] == curie(AJK.theme):
            found[source].add(target)
        for theme in data.get("themes", ()):
            found[target].add(theme)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "theme":
            found[node].add(node)
        data["themes"] = sorted(found[node])


def project(graph: Graph) -> nx.MultiDiGraph:
    """The analysis graph of an RDF graph (see the module docstring)."""
    nodes = entities(graph)
    analysis = nx.MultiDiGraph()
    for node, (kind, cls) in nodes.items():
        analysis.add_node(str(node), **node_attributes(graph, node, kind, cls))
    edges = relation_edges(graph, nodes) + statement_edges(graph, nodes) + participation_edges(graph, nodes)
    for source, target, key, attributes in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        analysis.add_edge(source, target, key=key, **attributes)
    agenda_of(analysis)
    themes_of(analysis)
    return analysis
