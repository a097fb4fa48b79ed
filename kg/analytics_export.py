"""The analytics written out: JSON for programs, Markdown for people, RDF scores for the graph,
GEXF and GraphML for Gephi and Cytoscape. All deterministic.

JSON, GEXF and GraphML are written here rather than by json.dumps(indent=...) and NetworkX's writers,
which build them in pure Python value by value (together a minute for 80,000 edges); the bytes are
the same as theirs, which tests/test_analytics.py checks.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from itertools import count
from json.encoder import encode_basestring

import networkx as nx
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .analytics import SEED, Analytics
from .namespaces import AJK, ID, bind_prefixes

ACTIVITY = ID["graph-analytics"]
# GEXF stamps the day it was written; the data's own date keeps the file reproducible.
GEXF_DATE = "2023-12-17"
MEASURES = ("degree", "betweenness", "pagerank")


def community_iri(index: int):
    return ID[f"community-{index}"]


def summary(analytics: Analytics, top: int = 10) -> dict:
    """Everything computed, with each entity named in both languages."""
    name = cache(analytics.name)  # an entity is named many times over; the same dict serves each
    graph = analytics.graph
    return {
        "graph": {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "nodes_by_kind": dict(sorted(_count(d["kind"] for _, d in graph.nodes(data=True)).items())),
            "edges_by_relation": dict(sorted(_count(d["relation"] for _, _, d in graph.edges(data=True)).items())),
        },
        "method": method(),
        "top": {measure: analytics.top(measure, top) for measure in MEASURES},
        "scores": {analytics.graph.nodes[n]["curie"]: s for n, s in analytics.scores.items()},
        "communities": [
            {**c, "leaders": [name(n) for n in c["leaders"]], "members": [name(n) for n in c["members"]]}
            for c in analytics.communities
        ],
        "bridges": [{**name(b["node"]), "areas": [name(a) for a in b["areas"]], "betweenness": b["betweenness"]}
                    for b in analytics.bridges],
        "themes": [_named(p, name, ("theme",), ("narrower", "initiatives", "statement_list"), ("speakers",))
                   for p in analytics.themes],
        "actors": [_named(p, name, ("actor",), ("initiatives", "statement_list", "top_subjects", "frameworks", "concerns"), ())
                   for p in analytics.actors],
        "japan_initiatives_and_asean_priorities": {
            "spoken_of": [_named(e, name, ("initiative",), ("asean_statements",), ()) for e in analytics.links["spoken_of"]],
            "by_theme": [_named(e, name, ("theme",), ("asean_statements", "japan_initiatives"), ())
                         for e in analytics.links["by_theme"]],
        },
    }


def method() -> dict:
    return {
        "degree": "relations and statements at the node (multigraph degree)",
        "betweenness": "exact, normalised, on the undirected graph of linked pairs (igraph)",
        "pagerank": "directed multigraph, alpha 0.85",
        "communities": f"Louvain on the undirected graph weighted by links per pair, seed {SEED}",
        "policy_areas": "the top concepts of the policy-theme scheme",
    }


def _named(entry: dict, name, single: tuple, lists: tuple, keyed: tuple) -> dict:
    out = dict(entry)
    for key in single:
        out[key] = name(entry[key])
    for key in lists:
        out[key] = [name(n) for n in entry[key]]
    for key in keyed:
        out[key] = [{**name(n), "count": c} for n, c in entry[key].items()]
    return out


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def to_json(analytics: Analytics) -> bytes:
    return (indented_json(summary(analytics)) + "\n").encode("utf-8")


JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
SLOT = "\0"  # never in JSON text: the encoder escapes control characters


def indented_json(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True), byte for byte. With an indent,
    json.dumps runs its pure-Python encoder. Here only containers of containers are walked in Python;
    the containers of scalars (the bulk: entities' names, the same few thousand objects over and
    over) are encoded once per depth, all together by the C encoder, and cut apart."""
    out: list = []
    flat: dict[int, dict[int, list[int]]] = defaultdict(dict)  # depth -> container's id -> its places in out
    _walk(value, 0, out, flat)
    for depth, places in flat.items():
        for where, text in zip(places.values(), _flat_json([out[at[0]] for at in places.values()], depth)):
            for at in where:
                out[at] = text
    return "".join(out)


def _walk(value, depth: int, out: list, flat: dict) -> None:
    if not isinstance(value, (dict, list, tuple)):
        out.append(json_scalar(value))
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    places = flat[depth].get(id(value))
    if places is None and JSON_SCALARS.issuperset(map(type, value.values() if isinstance(value, dict) else value)):
        places = flat[depth][id(value)] = []
    if places is not None:
        places.append(len(out))
        out.append(value)
        return
    if isinstance(value, dict):
        pairs = sorted(value.items())
        heads, items, brackets = [json_key(key) + ": " for key, _ in pairs], [item for _, item in pairs], "{}"
    else:
        heads, items, brackets = [""] * len(value), value, "[]"
    inner = "\n" + "  " * (depth + 1)
    separator, known = brackets[0] + inner, flat[depth + 1]
    for head, item in zip(heads, items):
        out.append(separator + head)
        if id(item) in known:  # a container of scalars met before: no need to look at it again
            known[id(item)].append(len(out))
            out.append(item)
        else:
            _walk(item, depth + 1, out, flat)
        separator = "," + inner
    out.append(inner[:-2] + brackets[1])


def _flat_json(containers: list, depth: int, batch: int = 1000) -> list[str]:
    """Non-empty containers of scalars at one depth, each as json.dumps(indent=2) writes it there:
    encoded a batch at a time (small strings are cheaper to cut), separated as that depth requires."""
    inner = "\n" + "  " * (depth + 1)
    outer = inner[:-2]
    texts = []
    for start in range(0, len(containers), batch):
        text = json.dumps(containers[start:start + batch], ensure_ascii=False, sort_keys=True,
                          separators=("," + inner, ": "))
        # Items are separated as they should be; brackets need their line breaks. Where one container
        # ends and the next begins, a bracket is on each side of the separator (an item never is).
        text = text[1] + inner + text[2:-2] + outer + text[-2]
        for closing in "]}":
            for opening in "[{":
                text = text.replace(closing + "," + inner + opening, outer + closing + SLOT + opening + inner)
        texts += text.split(SLOT)
    return texts


def json_scalar(value) -> str:
    """A JSON number, string, boolean or null, as json.dumps writes it (bool before int: it is one)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return float.__repr__(value)
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_key(key) -> str:
    """A key as json.dumps writes it: numbers, booleans and null become strings."""
    return encode_basestring(key if isinstance(key, str) else json_scalar(key))


def to_rdf(analytics: Analytics) -> Graph:
    """Scores and communities under our own properties, generated by one described activity."""
    graph = bind_prefixes(Graph())
    graph.add((ACTIVITY, RDF.type, PROV.Activity))
    graph.add((ACTIVITY, RDFS.label, Literal("Graph analytics of the knowledge graph", lang="en")))
    graph.add((ACTIVITY, RDFS.label, Literal("知識グラフのネットワーク分析", lang="ja")))
    graph.add((ACTIVITY, DCTERMS.description, Literal(
        "NetworkX and igraph over the analysis graph of entities: "
        + "; ".join(f"{k}: {v}" for k, v in method().items()) + ".",
        lang="en")))
    for node, scores in analytics.scores.items():
        subject = ID[node[len(str(ID)):]]
        graph.add((subject, AJK.degree, Literal(scores["degree"], datatype=XSD.nonNegativeInteger)))
        graph.add((subject, AJK.betweenness, Literal(Decimal(str(scores["betweenness"])), datatype=XSD.decimal)))
        graph.add((subject, AJK.pageRank, Literal(Decimal(str(scores["pagerank"])), datatype=XSD.decimal)))
        graph.add((subject, AJK.inCommunity, community_iri(scores["community"])))
    for community in analytics.communities:
        iri = community_iri(community["index"])
        leaders = [analytics.graph.nodes[n] for n in community["leaders"][:3]]
        graph.add((iri, RDF.type, AJK.Community))
        graph.add((iri, RDFS.label, Literal(
            f"Community {community['index']}: " + ", ".join(d["label_en"] for d in leaders), lang="en")))
        graph.add((iri, RDFS.label, Literal(
            f"コミュニティ{community['index']}：" + "、".join(d["label_ja"] for d in leaders), lang="ja")))
        graph.add((iri, PROV.wasGeneratedBy, ACTIVITY))
    return graph


# What NetworkX's writers call each Python type.
XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
GEXF_HEAD = (
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    f'  <meta lastmodifieddate="{GEXF_DATE}">\n    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n'
    '  <graph defaultedgetype="directed" mode="static" name="">\n'
)
GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)


def xml_type(kind: type) -> str:
    try:
        return XML_TYPES[kind]
    except KeyError:
        raise TypeError(f"GEXF and GraphML hold no {kind.__name__} values") from None


# How ElementTree (NetworkX's GEXF writer) and libxml2 (its GraphML writer, by lxml) escape text.
ET_ATTRIBUTE = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
LIBXML_ATTRIBUTE = {**ET_ATTRIBUTE, "\t": "&#9;"}
LIBXML_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def escaper(entities: dict[str, str]) -> Callable[[str], str]:
    """Escapes text as `entities` say, remembering: the same labels and quotes recur on thousands of edges."""
    pattern = re.compile("[" + "".join(entities) + "]")
    return cache(lambda text: pattern.sub(lambda found: entities[found.group()], text))


def to_gexf(analytics: Analytics) -> bytes:
    """GEXF 1.2 of the analysis graph's scalar attributes and the scores: the bytes NetworkX's
    generate_gexf writes (its creator line included) for any text XML can hold, dated the summit's
    day rather than the day written. (NetworkX gives attributes named id, weight, type, start, end,
    pid, viz, parents or spells a meaning of their own in GEXF; the analysis graph has none.)"""
    escape = escaper(ET_ATTRIBUTE)
    declared: dict[str, dict[str, tuple[str, str]]] = {}  # class -> title -> (id, type), in order of first use
    ids = count()
    elements = Elements(lambda cls, names, types: gexf_template(cls, names, types, declared, ids), escape, gexf_value)
    nodes = [elements.write("node", f'id="{escape(node)}" label="{escape(data["label_en"])}"',
                            {**data, **analytics.scores[node]})
             for node, data in analytics.graph.nodes(data=True)]
    edges = [elements.write("edge", f'source="{escape(source)}" target="{escape(target)}" id="{number}" '
                                    f'label="{escape(data["label_en"])}"', {**data, "networkx_key": key})
             for number, (source, target, key, data) in enumerate(analytics.graph.edges(keys=True, data=True))]
    # NetworkX inserts a class's declarations first in the graph when it meets the class's first attribute.
    attributes = [f'    <attributes mode="static" class="{cls}">\n'
                  + "".join(f'      <attribute id="{i}" title="{escape(title)}" type="{kind}" />\n'
                            for title, (i, kind) in titles.items())
                  + "    </attributes>\n"
                  for cls, titles in reversed(declared.items())]
    text = GEXF_HEAD + "".join(attributes) + _block("nodes", nodes) + _block("edges", edges) + "  </graph>\n</gexf>\n"
    return text.encode("ascii", "xmlcharrefreplace")


class Elements:
    """Writes the elements of one file. Once per shape of an element's attributes (their names and
    types) it finds which are scalars (GEXF and GraphML hold no lists) and has `template` make the
    element's text, with blanks for its head and their values, declaring attributes it meets first."""

    def __init__(self, template: Callable[[str, tuple, tuple], str], escape: Callable[[str], str],
                 convert: Callable[[object], str]):
        self.template, self.escape, self.convert = template, escape, convert
        self.made: dict[tuple, tuple] = {}

    def write(self, tag: str, head: str, attributes: dict) -> str:
        shape = (tag, tuple(attributes), tuple(map(type, attributes.values())))
        if shape not in self.made:
            scalars = [(name, type(value)) for name, value in attributes.items() if isinstance(value, (str, int, float))]
            names, types = tuple(name for name, _ in scalars), tuple(kind for _, kind in scalars)
            self.made[shape] = (names, self.template(tag, names, types), all(kind is str for kind in types))
        names, text, strings = self.made[shape]
        values = map(attributes.__getitem__, names)
        return text.format(head, *map(self.escape, values if strings else map(self.convert, values)))


def gexf_template(cls: str, titles: tuple, types: tuple, declared: dict, ids) -> str:
    known = declared.setdefault(cls, {})
    for title, kind in zip(titles, types):
        if title not in known:
            known[title] = (str(next(ids)), xml_type(kind))
    lines = "".join(f'          <attvalue for="{known[title][0]}" value="{{}}" />\n' for title in titles)
    return f"      <{cls} {{}}>\n        <attvalues>\n{lines}        </attvalues>\n      </{cls}>\n"


def gexf_value(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and not math.isfinite(value):
        return {"inf": "INF", "-inf": "-INF", "nan": "NaN"}[str(value)]
    return str(value)


def _block(tag: str, lines: list[str]) -> str:
    return f"    <{tag}>\n" + "".join(lines) + f"    </{tag}>\n" if lines else f"    <{tag} />\n"


def to_graphml(analytics: Analytics) -> bytes:
    """GraphML of the analysis graph's scalar attributes and the scores: the bytes NetworkX's
    write_graphml writes when lxml is installed (as the test extras install it), for any text XML can hold."""
    attribute = escaper(LIBXML_ATTRIBUTE)
    keys: dict[tuple, str] = {}  # (name, type, scope) -> key id, in order of first use
    elements = Elements(lambda tag, names, types: graphml_template(tag, names, types, keys), escaper(LIBXML_TEXT), str)
    nodes = [elements.write("node", f'id="{attribute(node)}"',
                            {"label": data["label_en"], **data, **analytics.scores[node]})
             for node, data in analytics.graph.nodes(data=True)]
    edges = [elements.write("edge", f'source="{attribute(source)}" target="{attribute(target)}" id="{attribute(key)}"',
                            {"label": data["label_en"], **data})
             for source, target, key, data in analytics.graph.edges(keys=True, data=True)]
    # NetworkX inserts each key first when it meets it: the last one met comes first.
    declared = "".join(f'<key id="{key}" for="{scope}" attr.name="{attribute(name)}" attr.type="{kind}"/>\n'
                       for (name, kind, scope), key in reversed(keys.items()))
    document = (GRAPHML_HEAD + declared + '<graph edgedefault="directed">' + "".join(nodes) + "".join(edges)
                + "</graph></graphml>")
    return document.encode("utf-8")


def graphml_template(tag: str, names: tuple, types: tuple, keys: dict) -> str:
    lines = "".join(f'  <data key="{keys.setdefault((name, xml_type(kind), tag), f"d{len(keys)}")}">{{}}</data>\n'
                    for name, kind in zip(names, types))
    return f"<{tag} {{}}>\n{lines}</{tag}>\n"


def _money(totals: dict) -> str:
    return ", ".join(f"{value:,.0f} {currency}" for currency, value in totals.items()) or "–"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def to_markdown(analytics: Analytics, top: int = 10) -> str:
    data = summary(analytics, top)
    both = lambda n: f"{n['ja']} / {n['en']}"  # noqa: E731 - a one-line formatter
    g = data["graph"]
    lines = [
        "# Graph analytics: ASEAN-Japan Commemorative Summit 2023",
        "",
        f"Analysis graph: {g['nodes']} entities, {g['edges']} typed edges "
        f"({', '.join(f'{v} {k}' for k, v in g['edges_by_relation'].items())}). Entities by kind: "
        + ", ".join(f"{v} {k}" for k, v in g["nodes_by_kind"].items()) + ".",
        "",
        "Method: " + "; ".join(f"{k}: {v}" for k, v in data["method"].items()) + ".",
        "",
        "## Most central entities",
        "",
    ]
    for measure in MEASURES:
        lines += [f"### {measure}", ""]
        lines += _table(["#", "日本語 / English", "kind", measure],
                        [[i, both(n), n["kind"], n[measure]] for i, n in enumerate(data["top"][measure], 1)])
    lines += ["## Communities", ""]
    lines += _table(["#", "size", "kinds", "leading members"],
                    [[c["index"], c["size"], ", ".join(f"{v} {k}" for k, v in c["kinds"].items()),
                      "; ".join(both(n) for n in c["leaders"])] for c in data["communities"]])
    lines += ["## Bridges between policy areas", "",
              "Entities that touch two or more top-level policy areas, most areas first.", ""]
    lines += _table(["entity", "kind", "areas", "betweenness"],
                    [[both(b), b["kind"], ", ".join(a["en"] for a in b["areas"]), b["betweenness"]]
                     for b in data["bridges"]])
    lines += ["## Policy themes", "", "Narrower themes included; money is the sum of the amounts the source states.", ""]
    lines += _table(["theme", "initiatives", "money", "statements"],
                    [[both(p["theme"]), len(p["initiatives"]), _money(p["money"]), p["statements"]]
                     for p in sorted(data["themes"], key=lambda p: p["theme"]["en"].lower())
                     if p["initiatives"] or p["statements"]])
    lines += ["## Actors", ""]
    lines += _table(["actor", "initiatives launched", "money", "statements made", "on its behalf", "concerns"],
                    [[both(p["actor"]), len(p["initiatives"]), _money(p["money"]), p["statements"],
                      p["statements_on_its_behalf"], "; ".join(c["en"] for c in p["concerns"]) or "–"]
                     for p in data["actors"]])
    links = data["japan_initiatives_and_asean_priorities"]
    lines += ["## Japan's initiatives and the ASEAN side's priorities", "",
              "Japan's initiatives the ASEAN side spoke of directly:", ""]
    lines += _table(["initiative", "ASEAN side"],
                    [[both(e["initiative"]), ", ".join(f"{k} ({v})" for k, v in e["asean_kinds"].items())]
                     for e in links["spoken_of"]])
    lines += ["Themes the ASEAN side voiced, and Japan's initiatives on the same or a narrower theme:", ""]
    lines += _table(["theme voiced", "ASEAN side", "Japan's initiatives"],
                    [[both(e["theme"]), ", ".join(f"{k} ({v})" for k, v in e["asean_kinds"].items()),
                      "; ".join(i["en"] for i in e["japan_initiatives"]) or "–"] for e in links["by_theme"]])
    return "\n".join(lines)
