"""Basic offline HTML viewer of the knowledge graph's entities (pyvis / vis-network).

The page is self-contained: vis-network's JS and CSS, shipped inside the pyvis package, are
inlined, pyvis' Bootstrap links are not emitted (we render our own template,
kg/templates/viewer.html.j2), and a Content-Security-Policy forbids every network fetch.

Untrusted text (labels, descriptions) only ever reaches the page as JSON inside an inert
``<script type="application/json">`` block (Jinja's ``tojson`` escapes ``< > & '``) and is put on
screen with ``textContent`` / as vis-network canvas labels, never as HTML.

The output is byte-for-byte deterministic: nodes and edges are sorted, JSON keys are sorted, the
layout is seeded, and physics stabilises for a bounded number of iterations and then stops.
"""
from __future__ import annotations

import colorsys
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.namespaces import AJK, ID

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "viewer.html.j2"
VIS_VERSION = "vis-9.1.2"  # the vis-network build shipped inside pyvis 0.3.2
DEFAULT_TITLE = "ASEAN–Japan knowledge graph"
LAYOUT_SEED = 20231217
STABILISATION_ITERATIONS = 400

# Bookkeeping classes that are not entities worth drawing.
EXCLUDED_TYPES = frozenset(
    AJK[name]
    for name in (
        "SourcePassage",
        "Figure",
        "Participation",
        "StatementKind",
        "Measure",
        "ValueQualifier",
        "ParticipationRole",
        "SourceDocument",
    )
)
EXCLUDED_IRI_PARTS = ("/passage/", "/figure/")
EXCLUDED_IRI_SUFFIXES = ("/time",)

# Okabe-Ito + Tableau colours; further groups get golden-angle hues (still deterministic).
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F", "#76B7B2", "#EDC948",
    "#FF9DA7", "#BAB0AC",
)


@dataclass(frozen=True)
class ViewerNode:
    iri: str
    label: str  # English rdfs:label (fallbacks: untagged, Japanese, local name)
    label_ja: str | None
    group: str  # local name of the most specific ajk: class
    description: str | None


@dataclass(frozen=True)
class ViewerEdge:
    source: str
    predicate: str
    target: str
    label: str  # local name of the predicate


@dataclass(frozen=True)
class Projection:
    nodes: list[ViewerNode]
    edges: list[ViewerEdge]


def project(graph: Graph) -> Projection:
    """The entities of `graph` and the relations among them, sorted (see module docstring)."""
    ajk_types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and isinstance(cls, URIRef) and str(cls).startswith(str(AJK)):
            ajk_types[subject].add(cls)
    instance_counts = Counter(cls for classes in ajk_types.values() for cls in classes)

    entities = {
        iri: classes
        for iri, classes in ajk_types.items()
        if str(iri).startswith(str(ID))
        and not classes & EXCLUDED_TYPES
        and not any(part in str(iri) for part in EXCLUDED_IRI_PARTS)
        and not str(iri).endswith(EXCLUDED_IRI_SUFFIXES)
    }
    nodes = [
        ViewerNode(
            iri=str(iri),
            label=_text(graph, iri, RDFS.label, "en") or _text(graph, iri, RDFS.label, "")
            or _text(graph, iri, RDFS.label, "ja") or local_name(iri),
            label_ja=_text(graph, iri, RDFS.label, "ja"),
            group=local_name(_most_specific(graph, classes, instance_counts)),
            description=_text(graph, iri, DCTERMS.description, "en"),
        )
        for iri, classes in sorted(entities.items())
    ]
    edges = sorted(
        {
            ViewerEdge(str(s), str(p), str(o), local_name(p))
            for s in entities
            for p, o in graph.predicate_objects(s)
            if o in entities and p != RDF.type and not str(p).startswith(str(PROV))
        },
        key=lambda e: (e.source, e.predicate, e.target),
    )
    return Projection(nodes, edges)


def write_viewer(graph: Graph, path: Path, *, title: str = DEFAULT_TITLE) -> tuple[int, int]:
    """Write a self-contained, offline HTML viewer of the graph's entities to `path`; return (nodes, edges)."""
    projection = project(graph)
    html = render_viewer(projection, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode("utf-8"))
    return len(projection.nodes), len(projection.edges)


def render_viewer(projection: Projection, *, title: str = DEFAULT_TITLE) -> str:
    groups = Counter(node.group for node in projection.nodes)
    colours = {group: _colour(i) for i, group in enumerate(sorted(groups))}

    # pyvis only assembles the vis-network node/edge dicts; we never call show() or its template
    # (which links Bootstrap from a CDN and has no autoescaping).
    net = Network(directed=True, cdn_resources="in_line", heading=title)
    for node in projection.nodes:
        net.add_node(
            node.iri,
            label=node.label,
            group=node.group,
            shape="dot",
            tooltip=_rows(
                ("日本語", node.label_ja),
                ("English", node.label),
                ("Class", node.group),
                ("Description", node.description),
                ("IRI", node.iri),
            ),
        )
        # pyvis' add_node silently drops `color` when `group` is given; set it so the legend holds.
        net.node_map[node.iri]["color"] = colours[node.group]
    for i, edge in enumerate(projection.edges):
        net.add_edge(
            edge.source, edge.target, id=f"e{i}", label=edge.label,
            tooltip=_rows(("Property", edge.predicate)),
        )

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    # tojson still escapes < > & ' ; keep non-ASCII (Japanese labels) readable in the file.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env.get_template(TEMPLATE_NAME).render(
        title=title,
        node_count=len(net.nodes),
        edge_count=len(net.edges),
        legend=[{"name": g, "colour": colours[g], "count": groups[g]} for g in sorted(groups)],
        data={"nodes": net.nodes, "edges": net.edges, "options": _vis_options()},
        vis_css=Markup(_vendored("vis-network.css", "</style")),
        vis_js=Markup(_vendored("vis-network.min.js", "</script")),
    )


def local_name(iri) -> str:
    return re.split(r"[#/]", str(iri).rstrip("#/"))[-1] or str(iri)


def _text(graph: Graph, subject, predicate, lang: str) -> str | None:
    """Smallest literal value in `lang` ("" = untagged), so the choice is deterministic."""
    values = sorted(
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (o.language or "").split("-")[0].lower() == lang
    )
    return values[0] if values else None


def _most_specific(graph: Graph, classes: set[URIRef], counts: Counter) -> URIRef:
    """Drop classes that are declared superclasses of another of the entity's classes, then take the
    one with the fewest instances (ties by name)."""
    supers = {c: set(graph.transitive_objects(c, RDFS.subClassOf)) - {c} for c in classes}
    specific = [c for c in classes if not any(c in supers[o] for o in classes if o != c)] or list(classes)
    return min(specific, key=lambda c: (counts[c], local_name(c), str(c)))


def _rows(*pairs: tuple[str, str | None]) -> list[list[str]]:
    return [[key, value] for key, value in pairs if value]


def _colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    r, g, b = colorsys.hls_to_rgb((index * 0.618033988749895) % 1.0, 0.5, 0.6)
    return "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255))


def _vis_options() -> dict:
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": True},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {
                "enabled": True,
                "iterations": STABILISATION_ITERATIONS,
                "updateInterval": 50,
                "fit": True,
            },
        },
        "nodes": {"shape": "dot", "size": 14, "font": {"size": 14}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9AA0A6", "highlight": "#444444"},
            "font": {"size": 10, "align": "middle", "color": "#555555"},
            "smooth": {"enabled": True, "type": "continuous"},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def _vendored(name: str, closing_tag: str) -> str:
    """A vis-network file shipped inside pyvis, checked to be safe to inline."""
    text = (Path(pyvis.__file__).parent / "templates" / "lib" / VIS_VERSION / name).read_text(encoding="utf-8")
    lowered = text.lower()
    if closing_tag in lowered or "<!--" in lowered:
        raise ValueError(f"{name} cannot be inlined safely: it contains {closing_tag!r} or '<!--'")
    return text
