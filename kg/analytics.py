"""What matters in the graph: centrality, communities, bridges, profiles, and what links Japan's
initiatives to the priorities the ASEAN side voiced. Computed on the analysis graph
(kg.projection), deterministically: exact algorithms, a seeded community detection, sorted output.
Betweenness runs on igraph's C core, the rest on NetworkX.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import itemgetter

import igraph
import networkx as nx

from .namespaces import AJK, ID, curie

SEED = 20231217  # the summit's date: Louvain's random order is seeded so communities are stable
DIGITS = 6
JAPAN = str(ID["japan"])
ASEAN = str(ID["asean"])
# The source reports most ASEAN remarks collectively ("ＡＳＥＡＮ諸国からは"); that group speaks for ASEAN.
ASEAN_COLLECTIVE = str(ID["asean-countries"])
BROADER = "skos:broader"
THEME = curie(AJK.theme)
LAUNCHED_BY = curie(AJK.launchedBy)
CONCERN_KINDS = {"id:expressed-concern", "id:condemned"}


@dataclass
class Analytics:
    graph: nx.MultiDiGraph
    scores: dict[str, dict]
    communities: list[dict]
    bridges: list[dict]
    themes: list[dict]
    actors: list[dict]
    links: dict
    statements: dict[str, dict]

    def name(self, node: str) -> dict:
        """An entity or a statement, named in both languages."""
        if node in self.statements:
            said = self.statements[node]
            return {"iri": node, "curie": curie(node), "en": said["statement_en"], "ja": said["statement_ja"],
                    "kind": "statement"}
        data = self.graph.nodes[node]
        return {"iri": node, "curie": data["curie"], "en": data["label_en"], "ja": data["label_ja"], "kind": data["kind"]}

    def top(self, measure: str, n: int = 10) -> list[dict]:
        ranked = sorted(self.scores, key=lambda node: (-self.scores[node][measure], node))[:n]
        return [{**self.name(node), measure: self.scores[node][measure]} for node in ranked]


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One edge per linked pair, weighted by how many relations and statements link them."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for source, target in sorted((s, t) for s, t, _ in graph.edges(keys=True)):
        if simple.has_edge(source, target):
            simple[source][target]["weight"] += 1
        else:
            simple.add_edge(source, target, weight=1)
    return simple


def betweenness(simple: nx.Graph) -> dict[str, float]:
    """Exact betweenness on the unweighted shape (a path through one statement is as short as
    through five), normalised as NetworkX's betweenness_centrality(normalized=True) normalises it.
    igraph's C core takes a second or two for 4,000 nodes and 23,000 linked pairs, where NetworkX's
    pure-Python one took minutes (and an estimate from 500 sources, most of a minute)."""
    nodes = list(simple)
    index = {node: i for i, node in enumerate(nodes)}
    found = igraph.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t in simple.edges()]).betweenness(directed=False)
    # igraph counts each unordered pair once; NetworkX counts both orders and divides by (n-1)(n-2).
    n = len(nodes)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {node: value * scale for node, value in zip(nodes, found)}


def centrality(graph: nx.MultiDiGraph, simple: nx.Graph) -> dict[str, dict]:
    between = betweenness(simple)
    pagerank = nx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000)
    return {
        node: {
            "degree": graph.degree(node),
            "in_degree": graph.in_degree(node),
            "out_degree": graph.out_degree(node),
            "betweenness": round(between[node], DIGITS),
            "pagerank": round(pagerank[node], DIGITS),
        }
        for node in sorted(graph.nodes)
    }


def communities(graph: nx.MultiDiGraph, simple: nx.Graph, scores: dict) -> list[dict]:
    found = nx.community.louvain_communities(simple, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    result = []
    for index, members in enumerate(ordered, start=1):
        ranked = sorted(members, key=lambda node: (-scores[node]["pagerank"], node))
        for node in members:
            scores[node]["community"] = index
        result.append({
            "index": index,
            "size": len(members),
            "kinds": dict(sorted(Counter(graph.nodes[n]["kind"] for n in members).items())),
            "leaders": ranked[:5],
            "members": ranked,
        })
    return result


def ancestors(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each theme's broader themes, transitively, itself included."""
    broader = nx.DiGraph()
    broader.add_nodes_from(n for n, d in graph.nodes(data=True) if d["kind"] == "theme")
    broader.add_edges_from((s, t) for s, t, d in graph.edges(data=True) if d["predicate"] == BROADER)
    return {theme: nx.descendants(broader, theme) | {theme} for theme in broader}


def policy_areas(graph: nx.MultiDiGraph, up: dict[str, set[str]]) -> dict[str, set[str]]:
    """The top-level themes (policy areas) each entity touches: its own themes', those of the
    statements made by or about it, and the theme nodes it links to."""
    roots = {theme for theme, above in up.items() if above == {theme}}
    touched = defaultdict(set)
    kind = {}
    for node, data in graph.nodes(data=True):
        touched[node].update(data["themes"])
        kind[node] = data["kind"]
    for source, target, data in graph.edges(data=True):
        for theme in data.get("themes", ()):
            touched[source].add(theme)
            touched[target].add(theme)
        if kind[target] == "theme" and data["predicate"] != BROADER:
            touched[source].add(target)
    return {node: {root for theme in themes for root in up.get(theme, ()) if root in roots}
            for node, themes in touched.items()}


def bridges(graph: nx.MultiDiGraph, areas: dict[str, set[str]], scores: dict) -> list[dict]:
    """Entities that join two or more policy areas, most areas and most between first."""
    found = [node for node, touched in areas.items() if len(touched) >= 2]
    found.sort(key=lambda node: (-len(areas[node]), -scores[node]["betweenness"], node))
    return [{"node": node, "areas": sorted(areas[node]), "betweenness": scores[node]["betweenness"]} for node in found]


def statements(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """One entry per statement (its edges share everything but the target)."""
    found: dict[str, dict] = {}
    edges = [(s, t, d) for s, t, d in graph.edges(data=True) if d["relation"] == "statement"]
    for source, target, data in sorted(edges, key=lambda e: (e[0], e[1], e[2]["statement"])):
        entry = found.get(data["statement"])
        if entry is None:
            entry = found[data["statement"]] = {**data, "speaker": source, "targets": []}
        entry["targets"].append(target)
    return found


def money(graph: nx.MultiDiGraph, initiatives) -> dict[str, float]:
    """Stated amounts per currency (a sum of what the source states, qualifiers such as 'about' aside)."""
    totals: dict[str, float] = defaultdict(float)
    for node in initiatives:
        for figure in graph.nodes[node]["figures"]:
            if figure["currency"] and figure["value"] is not None:
                totals[figure["currency"]] += figure["value"]
    return dict(sorted(totals.items()))


def launched_by(graph: nx.MultiDiGraph, actor: str) -> list[str]:
    return sorted(s for s, _, d in graph.in_edges(actor, data=True) if d["predicate"] == LAUNCHED_BY)


def theme_profiles(graph: nx.MultiDiGraph, up: dict[str, set[str]], said: dict[str, dict]) -> list[dict]:
    """Per theme, narrower themes included: its initiatives, their money, the statements on it."""
    tagged, initiatives_on = defaultdict(set), defaultdict(set)
    for source, target, data in graph.edges(data=True):
        if data["predicate"] == THEME:
            tagged[source].add(target)
            if graph.nodes[source]["kind"] == "initiative":
                initiatives_on[target].add(source)
    on = statements_on(up, said, tagged)
    profiles = []
    for theme in sorted(up):
        within = {t for t, above in up.items() if theme in above}
        initiatives = sorted(set().union(*(initiatives_on[t] for t in within)))
        on_theme = on[theme]
        profiles.append({
            "theme": theme,
            "narrower": sorted(within - {theme}),
            "initiatives": initiatives,
            "money": money(graph, initiatives),
            "statements": len(on_theme),
            "statement_list": sorted(map(itemgetter("statement"), on_theme)),
            "statement_kinds": dict(sorted(Counter(map(itemgetter("label_en"), on_theme)).items())),
            "speakers": dict(sorted(Counter(map(itemgetter("speaker"), on_theme)).items())),
        })
    return profiles


def statements_on(up: dict[str, set[str]], said: dict[str, dict], tagged: dict[str, set[str]]) -> dict[str, list[dict]]:
    """Theme -> the statements on it or on a narrower theme, in the order of `said`: those tagged
    with it, about it, or about something tagged with it (a statement about a situation tagged
    "regional situations" is on that theme too). One pass: each statement goes to every theme
    above what it names."""
    on, reach = defaultdict(list), {}  # reach: a target -> the themes a statement about it is on
    for statement in said.values():
        themes = set().union(*(up[t] for t in statement["themes"] if t in up))
        for target in statement["targets"]:
            if target not in reach:
                reach[target] = set().union(up.get(target, ()), *(up[t] for t in tagged.get(target, ()) if t in up))
            themes |= reach[target]
        for theme in themes:
            on[theme].append(statement)
    return on


def actor_profiles(graph: nx.MultiDiGraph, said: dict[str, dict]) -> list[dict]:
    """Per actor that launched something or spoke: initiatives, money, statements by kind, concerns."""
    by_speaker, on_behalf = defaultdict(list), defaultdict(list)
    for statement in said.values():
        by_speaker[statement["speaker"]].append(statement)
        if statement["on_behalf_of"] != statement["speaker"]:
            on_behalf[statement["on_behalf_of"]].append(statement)
    profiles = []
    for actor in sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "actor"):
        own, behalf = by_speaker[actor], on_behalf[actor]
        launched = launched_by(graph, actor)
        if not (own or behalf or launched):
            continue
        targets = Counter(t for s in own for t in s["targets"])
        profiles.append({
            "actor": actor,
            "initiatives": launched,
            "money": money(graph, launched),
            "statements": len(own),
            "statements_on_its_behalf": len(behalf),
            "statement_list": sorted(s["statement"] for s in own + behalf),
            "statement_kinds": dict(sorted(Counter(s["label_en"] for s in own + behalf).items())),
            "top_subjects": [t for t, _ in sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))[:5]],
            "frameworks": sorted({t for s in own + behalf for t in s["targets"] if graph.nodes[t]["kind"] == "framework"}),
            "concerns": sorted({t for s in own + behalf if s["statement_kind"] in CONCERN_KINDS for t in s["targets"]}),
        })
    return profiles


def asean_side(graph: nx.MultiDiGraph) -> set[str]:
    """ASEAN, its members, those who represented them, and the collective voice of ASEAN countries."""
    members = {t for _, t, d in graph.out_edges(ASEAN, data=True) if d["predicate"] == "org:hasMember"}
    states = {ASEAN, ASEAN_COLLECTIVE} | members
    people = {s for s, t, d in graph.edges(data=True)
              if d["relation"] == "participation" and d["predicate"] == curie(AJK.representing) and t in states}
    return states | people


def initiative_links(graph: nx.MultiDiGraph, up: dict[str, set[str]], said: dict[str, dict]) -> dict:
    """What links Japan's initiatives to what the ASEAN side voiced: the initiatives it spoke of
    directly, and for each theme it voiced, Japan's initiatives on that theme or a narrower one
    (never through a top-level policy area, which would link everything)."""
    side = asean_side(graph)
    roots = {theme for theme, above in up.items() if above == {theme}}
    japanese = launched_by(graph, JAPAN)
    is_japanese = set(japanese)
    spoken = [s for s in said.values() if s["speaker"] in side or s["on_behalf_of"] in side]
    direct = defaultdict(list)
    voiced: dict[str, list[dict]] = defaultdict(list)
    for statement in spoken:
        for target in statement["targets"]:
            if target in is_japanese:
                direct[target].append(statement)
        for theme in set(statement["themes"]) | {t for t in statement["targets"] if t in up}:
            voiced[theme].append(statement)
    # Each initiative's themes and all themes above them: the themes it is "on".
    on = {i: set().union(*(up[t] for _, t, d in graph.out_edges(i, data=True) if d["predicate"] == THEME))
          for i in japanese}
    return {
        "spoken_of": [
            {"initiative": initiative, "asean_statements": sorted({s["statement"] for s in direct[initiative]}),
             "asean_kinds": dict(sorted(Counter(s["label_en"] for s in direct[initiative]).items()))}
            for initiative in sorted(direct)
        ],
        "by_theme": [
            {"theme": theme,
             "asean_statements": sorted({s["statement"] for s in voiced[theme]}),
             "asean_kinds": dict(sorted(Counter(s["label_en"] for s in voiced[theme]).items())),
             "japan_initiatives": [i for i in japanese if theme in on[i]]}
            for theme in sorted(set(voiced) - roots)
        ],
    }


def analyse(graph: nx.MultiDiGraph) -> Analytics:
    simple = undirected(graph)
    scores = centrality(graph, simple)
    found = communities(graph, simple, scores)
    up = ancestors(graph)
    said = statements(graph)
    return Analytics(
        graph=graph,
        scores=scores,
        communities=found,
        bridges=bridges(graph, policy_areas(graph, up), scores),
        themes=theme_profiles(graph, up, said),
        actors=actor_profiles(graph, said),
        links=initiative_links(graph, up, said),
        statements=said,
    )
