"""The offline HTML viewer of the analysis graph (kg.projection): one self-contained page.

pyvis assembles vis-network's node and edge dicts (its Node and Edge classes; its Network's add_edge
looks through the list of all nodes, quadratic in a large graph); we render them with our own
autoescaping template (kg/templates/viewer.html.j2) rather than pyvis' (which links a CDN and does
not escape), and never call `show()`. What makes the page offline, URL-free and inert to hostile
text is in kg/viewer_assets.py; what it does in the browser is in kg/templates/viewer-core.js and
viewer.js.

One vis node per analysis-graph node and one vis edge per multigraph edge, so the counts agree.
Nodes are identified by CURIE (id:japan): readable, and no IRI is spelled out in the page.
Node size is a centrality score (PageRank unless the caller passes scores). Everything is sorted
and the layout seeded, so the same graph gives a byte-identical page.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.node import Node

from kg import namespaces
from kg.layout import layout
from kg.viewer_assets import CSP_PLACEHOLDER, TEMPLATE_DIR, own, script_json, vendored, with_script_hashes

TEMPLATE_NAME = "viewer.html.j2"
DEFAULT_TITLE = "ASEAN–Japan knowledge graph"
LAYOUT_SEED = 20231217
DEFAULT_LANGUAGE = "en"
# Every edge names its ends and passages: the same IRIs over and over, each costing a prefix search.
curie = lru_cache(maxsize=1 << 17)(namespaces.curie)

# Shape per kind of node; a colour family per kind, one shade per class (assigned in name order).
KIND_STYLE = {
    "actor": ("dot", "●", ("#1F6FB2", "#4C9BE0", "#0B4F85", "#7FB8EA", "#2E86C1", "#5DADE2")),
    "initiative": ("diamond", "◆", ("#E07B00", "#F5A623", "#B85C00", "#FFC15E", "#D35400", "#F39C12",
                                     "#C0701A", "#FFB347")),
    "framework": ("square", "■", ("#1E8E5A", "#3CB371", "#0E6B40", "#7DCEA0", "#27AE60")),
    "theme": ("triangle", "▲", ("#8E6CC0", "#B39DDB")),
    "event": ("star", "★", ("#C0392B", "#E74C3C", "#922B21", "#F1948A", "#A93226", "#EC7063")),
    "situation": ("triangleDown", "▼", ("#7B4F2C", "#A0522D")),
    "place": ("hexagon", "⬢", ("#138D90", "#48C9B0", "#0E6655")),
    "indicator": ("dot", "◎", ("#6C757D", "#95A5A6")),
}
OTHER_STYLE = ("dot", "●", ("#7F8C8D",))
EDGE_STYLE = {  # relation -> (colour, dashed)
    "relation": ("#9AA0A6", False),
    "statement": ("#5B8FD9", False),
    "participation": ("#58A55C", True),
}


def write_viewer(graph: nx.MultiDiGraph, path: Path, scores: dict[str, float] | None = None, *,
                 title: str = DEFAULT_TITLE) -> tuple[int, int]:
    """Write the viewer of an analysis graph to `path`; return its (node, edge) counts.

    `scores` maps node IRI -> a centrality (PageRank) used for node size; computed when None.
    """
    page = render_viewer(graph, scores, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.encode("utf-8"))
    return graph.number_of_nodes(), graph.number_of_edges()


def render_viewer(graph: nx.MultiDiGraph, scores: dict[str, float] | None = None, *,
                  title: str = DEFAULT_TITLE) -> str:
    data = viewer_data(graph, scores if scores is not None else pagerank(graph))
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    html = env.get_template(TEMPLATE_NAME).render(
        title=title,
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        csp=CSP_PLACEHOLDER,
        data=Markup(script_json(data)),
        vis_css=Markup(vendored("vis-network.css")),
        vis_js=Markup(vendored("vis-network.min.js")),
        own_css=Markup(own("viewer.css")),
        core_js=Markup(own("viewer-core.js")),
        own_js=Markup(own("viewer.js")),
    )
    return with_script_hashes(html)


def pagerank(graph: nx.MultiDiGraph) -> dict[str, float]:
    return nx.pagerank(graph) if graph.number_of_nodes() else {}


def viewer_data(graph: nx.MultiDiGraph, scores: dict[str, float]) -> dict:
    """Everything the page script needs, as plain JSON-able data (sorted for determinism)."""
    colours = class_colours(graph)
    top = max(scores.values(), default=0.0) or 1.0
    positions = layout(graph, LAYOUT_SEED)
    nodes, info_nodes = [], {}
    for iri in sorted(graph.nodes):
        node = graph.nodes[iri]
        nodes.append(Node(
            # colour comes from the class's vis group (one style object per class, not per node: cheaper)
            curie(iri), KIND_STYLE.get(node["kind"], OTHER_STYLE)[0], label=node["label_en"], group=node["cls"],
            x=positions[iri][0], y=positions[iri][1],
            # square root of the relative score: tames PageRank's skew; rounded so float noise cannot change the page
            value=round((scores.get(iri, 0.0) / top) ** 0.5, 4),
        ).options)
        info_nodes[curie(iri)] = node_info(node, scores.get(iri, 0.0))
    edges, info_edges, made = [], {}, {}
    for i, (source, target, _key, edge) in enumerate(graph.edges(keys=True, data=True)):
        colour, dashed = EDGE_STYLE.get(edge["relation"], EDGE_STYLE["relation"])
        edge_id = f"e{i}"
        style = {} if edge["relation"] == "relation" else {"color": {"color": colour}}  # else the default
        edges.append(Edge(curie(source), curie(target), directed=True, id=edge_id, label=edge["label_en"], **style,
                          **({"dashes": True} if dashed else {})).options)
        # A statement's edges to each thing it is about share their attribute values (kg.projection):
        # the same attributes holding the same objects give the same info, made once.
        same = (tuple(edge), tuple(map(id, edge.values())))
        if same not in made:
            made[same] = edge_info(edge)
        info_edges[edge_id] = made[same]
    return {
        "lang": DEFAULT_LANGUAGE,
        "nodes": nodes,
        "edges": edges,
        "info": {"nodes": info_nodes, "edges": info_edges},
        "legend": legend(graph, colours),
        "edgeLegend": [{"relation": r, "colour": c, "dashed": d} for r, (c, d) in EDGE_STYLE.items()],
        "filters": {"themes": theme_filter(graph), "agenda": agenda_filter(graph)},
        "options": {**vis_options(graph.number_of_nodes()), "groups": groups(graph, colours)},
    }


def groups(graph: nx.MultiDiGraph, colours: dict[str, str]) -> dict:
    """vis-network groups: one per class, in its colour (the shape is per node, from its kind)."""
    kinds = {node["cls"]: node["kind"] for _, node in graph.nodes(data=True)}
    return {
        cls: {"color": {"background": colours[cls], "border": colours[cls],
                        "highlight": {"background": colours[cls], "border": "#111111"},
                        "hover": {"background": colours[cls], "border": "#111111"}},
              **({"shapeProperties": {"borderDashes": [3, 3]}} if kinds[cls] == "indicator" else {})}
        for cls in sorted(colours)
    }


def class_colours(graph: nx.MultiDiGraph) -> dict[str, str]:
    by_kind = defaultdict(set)
    for _, node in graph.nodes(data=True):
        by_kind[node["kind"]].add(node["cls"])
    colours = {}
    for kind, classes in by_kind.items():
        palette = KIND_STYLE.get(kind, OTHER_STYLE)[2]
        for i, cls in enumerate(sorted(classes)):
            colours[cls] = palette[i % len(palette)]
    return colours


def legend(graph: nx.MultiDiGraph, colours: dict[str, str]) -> list[dict]:
    counts = Counter((node["kind"], node["cls"]) for _, node in graph.nodes(data=True))
    kinds = sorted({kind for kind, _ in counts}, key=lambda k: (list(KIND_STYLE).index(k) if k in KIND_STYLE else 99, k))
    return [
        {"kind": kind, "glyph": KIND_STYLE.get(kind, OTHER_STYLE)[1],
         "classes": [{"cls": cls, "colour": colours[cls], "count": counts[(k, cls)]}
                     for (k, cls) in sorted(counts) if k == kind]}
        for kind in kinds
    ]


def node_info(node: dict, score: float) -> dict:
    return {
        "curie": node["curie"],
        "kind": node["kind"],
        "cls": node["cls"],
        "label_en": node["label_en"],
        "label_ja": node["label_ja"],
        "alt": node.get("alt_labels", []),
        "description_en": node.get("description_en"),
        "description_ja": node.get("description_ja"),
        "date": node.get("date"),
        "score": float(f"{score:.6g}"),
        "figures": [figure_info(figure, node) for figure in node.get("figures", [])],
        "passages": [passage_info(p) for p in node.get("passages", [])],
        "themes": [curie(t) for t in node.get("themes", [])],
        "agenda": [curie(a) for a in node.get("agenda", [])],
    }


def edge_info(edge: dict) -> dict:
    info = {
        "relation": edge["relation"],
        "predicate": edge["predicate"],
        "label_en": edge["label_en"],
        "label_ja": edge["label_ja"],
        "passages": [passage_info(p) for p in edge.get("passages", [])],
    }
    if edge["relation"] == "statement":
        info.update({
            "statement": curie(edge["statement"]),
            "statement_en": edge.get("statement_en"),
            "statement_ja": edge.get("statement_ja"),
            "statement_kind": edge.get("statement_kind"),
            "themes": [curie(t) for t in edge.get("themes", [])],
            "agenda": curie(edge["agenda"]) if edge.get("agenda") else None,
        })
    return info


def figure_info(figure: dict, node: dict) -> dict:
    """A figure as the panel shows it: its own label (without the entity's name), amount, quotes."""
    return {
        "label_en": strip_owner(figure.get("label_en") or "", node["label_en"]),
        "label_ja": strip_owner(figure.get("label_ja") or "", node["label_ja"]),
        "amount": amount(figure),
        "qualifier": figure.get("qualifier"),
        "passages": [passage_info(p) for p in figure.get("passages", [])],
    }


def strip_owner(label: str, owner: str) -> str:
    for separator in (": ", "："):
        if label.startswith(owner + separator):
            return label[len(owner) + len(separator):]
    return label


def amount(figure: dict) -> str | None:
    """'40,000,000,000 JPY': the value with thousands separators and its currency or unit."""
    value = figure.get("value")
    if value is None:
        return None
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    unit = figure.get("currency") or figure.get("unit")
    return f"{number} {unit}" if unit else number


def passage_info(passage: dict) -> dict:
    return {
        "id": curie(passage["iri"]),
        "quote": passage.get("quote", ""),
        **{key: passage.get(key) for key in ("session_en", "session_ja", "agenda_en", "agenda_ja")},
    }


def theme_filter(graph: nx.MultiDiGraph) -> list[dict]:
    counts = Counter(theme for _, node in graph.nodes(data=True) for theme in node.get("themes", []))
    themes = [(iri, node) for iri, node in graph.nodes(data=True) if node["kind"] == "theme"]
    return [{"id": curie(iri), "label_en": node["label_en"], "label_ja": node["label_ja"], "count": counts[iri]}
            for iri, node in sorted(themes, key=lambda item: (item[1]["label_en"].lower(), item[0]))]


def agenda_filter(graph: nx.MultiDiGraph) -> list[dict]:
    """Sessions with their agenda items, in the order they stand in the source text."""
    items = {iri for _, node in graph.nodes(data=True) for iri in node.get("agenda", [])}
    items |= {iri for iri, node in graph.nodes(data=True) if node["cls"] == "AgendaItem"}
    session_of = {}
    for source, target, edge in graph.edges(data=True):
        if target in items and graph.nodes[source]["cls"] == "Session" and edge["predicate"] == "schema:subEvent":
            session_of[target] = source
    groups = defaultdict(list)
    for item in items:
        if item in graph:
            groups[session_of.get(item)].append(item)

    def entry(iri: str) -> dict:
        node = graph.nodes[iri]
        return {"id": curie(iri), "label_en": node["label_en"], "label_ja": node["label_ja"]}

    sessions = sorted(groups, key=lambda s: (s is None, source_order(graph, s) if s else (), s or ""))
    return [
        {**(entry(session) if session else {"id": None, "label_en": "Other", "label_ja": "その他"}),
         "items": [entry(item) for item in sorted(groups[session], key=lambda i: (source_order(graph, i), i))]}
        for session in sessions
    ]


def source_order(graph: nx.MultiDiGraph, iri: str) -> tuple:
    """Where a node is first quoted in the source (its passages' character offsets), for ordering."""
    starts = [int(m.group(1)) for p in graph.nodes[iri].get("passages", [])
              if (m := re.search(r"/(\d+)-\d+$", p["iri"]))]
    starts += [source_order(graph, child)[0] for _, child, e in graph.out_edges(iri, data=True)
               if e["predicate"] == "schema:subEvent" and graph.nodes[child].get("passages")]
    return (min(starts),) if starts else (float("inf"),)


def vis_options(node_count: int) -> dict:
    """Seeded layout; a bounded stabilisation sized to the graph; then the page turns physics off."""
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "centralGravity": 0.01, "springLength": 110,
                                 "springConstant": 0.08, "damping": 0.5, "avoidOverlap": 0.2},
            "minVelocity": 1.0,
            "adaptiveTimestep": False,  # halves the cost of a step
            "stabilization": {"enabled": True, "iterations": stabilisation_iterations(node_count),
                              "updateInterval": 1000, "fit": True},
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 220},  # long names wrap instead of spanning the graph
            # labels grow with the score; at a distance only the larger ones are drawn
            "scaling": {"min": 8, "max": 40,
                        "label": {"enabled": True, "min": 11, "max": 30, "maxVisible": 30, "drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": EDGE_STYLE["relation"][0], "highlight": "#333333", "hover": "#333333"},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 2},
            # edge labels are drawn only once zoomed in (font size x zoom >= 8)
            "scaling": {"label": {"enabled": False, "drawThreshold": 8}},
            "smooth": False,
            "width": 1,
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "hideEdgesOnDrag": node_count > 1000, "tooltipDelay": 200},
    }


def stabilisation_iterations(node_count: int) -> int:
    """A polish of the build-time layout (kg.layout): fewer steps as graphs grow, as each costs more."""
    return max(3, min(20, 4_000 // max(node_count, 1)))
