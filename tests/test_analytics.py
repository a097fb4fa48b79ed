"""The analysis graph and its analytics, checked against the real graph (counted independently in SPARQL)."""
from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from networkx.readwrite.graphml import write_graphml_lxml
from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS

from conftest import run_kg
from kg.analytics import (DIGITS, THEME, Analytics, analyse, ancestors, betweenness, launched_by, statements,
                          undirected)
from kg.analytics_export import GEXF_DATE, indented_json, summary, to_gexf, to_graphml, to_json
from kg.namespaces import AJK, ID, curie
from kg.projection import project
from kg.queries import run
from kg.triple_index import of_quads

JAPAN, KISHIDA, NGCCP = str(ID["japan"]), str(ID["kishida-fumio"]), str(ID["next-generation-co-creation-partnership"])


@pytest.fixture(scope="module")
def analytics(built):
    return built.analytics


@pytest.fixture(scope="module")
def graph(analytics):
    return analytics.graph


def count(kg_graph, where: str) -> int:
    return int(run(kg_graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").bindings[0]["n"])


# --- the projection ------------------------------------------------------------------------------

def test_every_initiative_theme_and_state_is_a_node(graph, kg_graph):
    kinds = nx.get_node_attributes(graph, "cls")
    for cls in ("PolicyTheme", "State", "Situation"):
        assert sum(1 for k in kinds.values() if k == cls) == count(kg_graph, f"?x a ajk:{cls}")
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "initiative") == count(kg_graph, "?x a ajk:Initiative")


def test_no_bookkeeping_resource_is_a_node(graph, kg_graph):
    for cls in ("Statement", "SourcePassage", "Figure", "Participation", "StatementKind", "Community"):
        for node in kg_graph.subjects(RDF.type, AJK[cls]):
            assert str(node) not in graph, f"{curie(node)} ({cls}) should not be a node"


def test_each_statement_is_an_edge_from_its_speaker_to_each_entity_it_is_about(graph, kg_graph):
    pairs = run(kg_graph, """SELECT ?speaker ?about ?statement WHERE {
        ?statement a ajk:Statement ; ajk:speaker ?speaker ; ajk:about ?about . ?about a ?type .
        FILTER(?about != ?speaker && ?type IN (ajk:PolicyTheme, ajk:Initiative, ajk:Framework, ajk:State))
    }""").bindings
    edges = {(s, t, d["statement"]) for s, t, d in graph.edges(data=True) if d["relation"] == "statement"}
    assert pairs
    for row in pairs:
        assert (str(row["speaker"]), str(row["about"]), str(row["statement"])) in edges


def test_inverse_relations_are_not_counted_twice(graph):
    predicates = {d["predicate"] for _, _, d in graph.edges(data=True)}
    assert "ajk:subjectOfStatement" not in predicates and "ajk:madeStatement" not in predicates
    assert not any(p.startswith(("prov:", "rdf:", "owl:")) for p in predicates)


def test_statement_edges_carry_their_quote_and_agenda_item(graph):
    edge = next(d for s, t, d in graph.edges(data=True) if d.get("statement", "").endswith("s-a3-kishida-next-generation-partnership"))
    assert edge["label_en"] == "announced"
    assert edge["agenda"] == str(ID["agenda-3"])
    assert "次世代共創パートナーシップ" in edge["passages"][0]["quote"]


def test_node_figures_come_from_the_graph(graph, kg_graph):
    budget = next(f for f in graph.nodes[NGCCP]["figures"] if f["measure"] == "id:budget")
    stated = run(kg_graph, "SELECT ?v WHERE { id:next-generation-co-creation-partnership ajk:hasFigure ?f . "
                           "?f ajk:measure id:budget ; schema:value ?v }").bindings[0]["v"]
    assert budget["value"] == float(stated) and budget["currency"] == "JPY"


def test_the_projection_of_the_published_graph_equals_the_build_s(graph, kg_graph):
    again = project(kg_graph)
    assert sorted(again.nodes) == sorted(graph.nodes)
    assert sorted(again.edges(keys=True)) == sorted(graph.edges(keys=True))


# --- the measures ----------------------------------------------------------------------------------

def test_kishida_is_the_main_broker_and_the_summit_s_actors_are_its_hubs(analytics):
    assert analytics.top("betweenness", 1)[0]["iri"] == KISHIDA
    top5 = {row["iri"] for row in analytics.top("degree", 5)}
    assert {KISHIDA, JAPAN, str(ID["asean"]), str(ID["summit-2023"])} <= top5


def test_degree_counts_the_node_s_edges(analytics, graph):
    assert analytics.scores[JAPAN]["degree"] == graph.in_degree(JAPAN) + graph.out_degree(JAPAN)
    assert analytics.scores[KISHIDA]["out_degree"] >= 59  # at least one edge per statement Kishida made


def test_pagerank_is_a_distribution(analytics):
    total = sum(s["pagerank"] for s in analytics.scores.values())
    assert math.isclose(total, 1.0, abs_tol=1e-3)
    assert all(s["pagerank"] > 0 for s in analytics.scores.values())


def test_communities_partition_the_graph(analytics, graph):
    members = [m for c in analytics.communities for m in c["members"]]
    assert sorted(members) == sorted(graph.nodes)
    assert len(analytics.communities) >= 3
    assert all(analytics.scores[m]["community"] == c["index"] for c in analytics.communities for m in c["members"])


def test_the_regional_situations_form_one_community(analytics, graph):
    situations = [n for n, d in graph.nodes(data=True) if d["kind"] == "situation"]
    communities = {analytics.scores[n]["community"] for n in situations}
    assert len(communities) == 1, "the situations (Myanmar, Ukraine, South China Sea ...) should cluster together"


def test_analytics_are_deterministic(graph):
    first, second = analyse(graph), analyse(project_copy(graph))
    assert first.scores == second.scores and first.communities == second.communities


def project_copy(graph):
    """The same graph built in reverse insertion order: results must not depend on it."""
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(reversed(list(graph.nodes(data=True))))
    copy.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    return copy


# --- bridges, profiles and links -----------------------------------------------------------------

def test_bridges_touch_several_policy_areas(analytics):
    assert analytics.bridges
    assert all(len(b["areas"]) >= 2 for b in analytics.bridges)
    assert analytics.bridges[0]["node"] == KISHIDA
    assert str(ID["aoip"]) in {b["node"] for b in analytics.bridges}


def test_japan_s_profile_counts_its_initiatives_and_money(analytics, kg_graph):
    japan = next(p for p in analytics.actors if p["actor"] == JAPAN)
    assert len(japan["initiatives"]) == count(kg_graph, "?i ajk:launchedBy id:japan")
    for currency in ("JPY", "USD"):
        total = run(kg_graph, f"""SELECT (SUM(?v) AS ?total) WHERE {{
            ?i ajk:launchedBy id:japan ; ajk:hasFigure ?f . ?f schema:currency "{currency}" ; schema:value ?v }}""")
        assert japan["money"][currency] == float(total.bindings[0]["total"])
    assert japan["statements_on_its_behalf"] == count(kg_graph, "?s ajk:onBehalfOf id:japan ; ajk:speaker ?p FILTER(?p != id:japan)")


def test_people_to_people_profile_includes_the_new_partnership_and_its_budget(analytics):
    profile = next(p for p in analytics.themes if p["theme"] == str(ID["theme-people-to-people"]))
    assert NGCCP in profile["initiatives"]
    assert profile["money"]["JPY"] >= 40e9
    assert str(ID["theme-youth-exchange"]) in profile["narrower"]


def test_asean_expectations_link_to_japan_s_initiatives(analytics):
    spoken = {e["initiative"]: e for e in analytics.links["spoken_of"]}
    assert NGCCP in spoken and "expressed expectation" in spoken[NGCCP]["asean_kinds"]
    connectivity = next(e for e in analytics.links["by_theme"] if e["theme"] == str(ID["theme-connectivity"]))
    assert str(ID["comprehensive-connectivity-initiative"]) in connectivity["japan_initiatives"]


# --- outputs ---------------------------------------------------------------------------------------

def test_scores_are_asserted_in_the_published_graph(analytics, kg_graph):
    for node, scores in analytics.scores.items():
        subject = ID[node[len(str(ID)):]]
        assert float(kg_graph.value(subject, AJK.pageRank)) == scores["pagerank"]
        assert int(kg_graph.value(subject, AJK.degree)) == scores["degree"]
        community = kg_graph.value(subject, AJK.inCommunity)
        assert (community, RDF.type, AJK.Community) in kg_graph
    labels = {o.language for c in kg_graph.subjects(RDF.type, AJK.Community)
              for o in kg_graph.objects(c, RDFS.label) if isinstance(o, Literal)}
    assert labels == {"ja", "en"}


def test_analytics_json_names_entities_in_both_languages(dist, analytics):
    data = json.loads((dist / "analytics.json").read_text(encoding="utf-8"))
    top = data["top"]["betweenness"][0]
    assert (top["curie"], top["en"], top["ja"]) == ("id:kishida-fumio", "KISHIDA Fumio", "岸田文雄")
    assert data["graph"]["nodes"] == analytics.graph.number_of_nodes()
    assert data["scores"]["id:japan"]["pagerank"] == analytics.scores[JAPAN]["pagerank"]


def test_analytics_md_has_the_tables(dist):
    text = (dist / "analytics.md").read_text(encoding="utf-8")
    for heading in ("## Most central entities", "## Communities", "## Bridges between policy areas",
                    "## Policy themes", "## Actors", "## Japan's initiatives and the ASEAN side's priorities"):
        assert heading in text
    assert "| 1 | 岸田文雄 / KISHIDA Fumio | actor | 0.6" in text


@pytest.mark.parametrize("name, reader", [("analysis.gexf", nx.read_gexf), ("analysis.graphml", nx.read_graphml)])
def test_gephi_and_cytoscape_files_hold_the_analysis_graph(dist, graph, name, reader):
    loaded = reader(dist / name)
    assert loaded.number_of_nodes() == graph.number_of_nodes()
    assert loaded.number_of_edges() == graph.number_of_edges()
    assert loaded.nodes[KISHIDA]["label_ja"] == "岸田文雄"
    # and a plain XML parser agrees on the counts
    root = ET.parse(dist / name).getroot()
    assert sum(1 for e in root.iter() if e.tag.endswith("}node")) == graph.number_of_nodes()
    assert sum(1 for e in root.iter() if e.tag.endswith("}edge")) == graph.number_of_edges()


def test_kg_analytics_prints_the_summary_written_by_the_build(dist):
    result = run_kg("analytics", "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (dist / "analytics.md").read_text(encoding="utf-8")
    as_json = run_kg("analytics", "--dist", str(dist), "--format", "json", "--top", "3")
    assert [row["curie"] for row in json.loads(as_json.stdout)["top"]["degree"]] == \
        ["id:kishida-fumio", "id:asean-countries", "id:japan"]


def test_kg_analytics_without_a_build_says_what_to_do(tmp_path):
    result = run_kg("analytics", "--dist", str(tmp_path))
    assert result.returncode == 64
    assert "run `kg build`" in result.stderr


def test_actor_profiles_list_every_statement_the_actor_made(analytics, kg_graph):
    kishida = next(p for p in analytics.actors if p["actor"] == KISHIDA)
    made = run(kg_graph, "SELECT ?s WHERE { ?s ajk:speaker id:kishida-fumio }").bindings
    assert kishida["statements"] == len(made)
    assert kishida["statement_list"] == sorted(str(row["s"]) for row in made)


# --- the fast paths give what the plain computations give ---------------------------------------

def test_betweenness_is_networkx_s_exact_betweenness(analytics, graph):
    """igraph computes it; NetworkX's exact Brandes on the same graph of linked pairs is the reference."""
    exact = nx.betweenness_centrality(undirected(graph), normalized=True)
    assert {n: s["betweenness"] for n, s in analytics.scores.items()} == {n: round(v, DIGITS) for n, v in exact.items()}


@pytest.mark.parametrize("nodes, edges", [(1, 0), (2, 1), (3, 2), (60, 90), (200, 1000)])
def test_betweenness_is_normalised_as_networkx_s(nodes, edges):
    """Unrounded, on small, disconnected and isolated-node graphs too."""
    simple = nx.relabel_nodes(nx.gnm_random_graph(nodes, edges, seed=nodes), str)
    simple.add_nodes_from(["isolated-a", "isolated-b"])
    fast, exact = betweenness(simple), nx.betweenness_centrality(simple, normalized=True)
    assert fast.keys() == exact.keys()
    assert all(math.isclose(fast[n], exact[n], rel_tol=1e-9, abs_tol=1e-12) for n in exact)


def test_theme_actor_and_link_profiles_are_the_per_theme_and_per_actor_scans(analytics, graph):
    """The profiles are computed in one pass over the statements; here, as they were defined: a scan
    of every edge and statement per theme and per actor."""
    up, said = ancestors(graph), statements(graph)
    tagged = {s: {t for _, t, d in graph.out_edges(s, data=True) if d["predicate"] == THEME} for s in graph}
    for profile in analytics.themes:
        within = {t for t, above in up.items() if profile["theme"] in above}
        on = [s["statement"] for s in said.values()
              if within & (set(s["themes"]) | set(s["targets"]) | {t for x in s["targets"] for t in tagged[x]})]
        initiatives = {s for s, t, d in graph.edges(data=True)
                       if t in within and d["predicate"] == THEME and graph.nodes[s]["kind"] == "initiative"}
        assert (profile["statement_list"], profile["initiatives"]) == (sorted(on), sorted(initiatives))
    for profile in analytics.actors:
        actor = profile["actor"]
        behalf = [s["statement"] for s in said.values() if s["on_behalf_of"] == actor and s["speaker"] != actor]
        own = [s["statement"] for s in said.values() if s["speaker"] == actor]
        assert (profile["statements"], profile["statements_on_its_behalf"]) == (len(own), len(behalf))
        assert profile["statement_list"] == sorted(own + behalf)
    japanese = launched_by(graph, JAPAN)
    themes_of = {i: {t for _, t, d in graph.out_edges(i, data=True) if d["predicate"] == THEME} for i in japanese}
    assert analytics.links["by_theme"]
    for entry in analytics.links["by_theme"]:
        on_theme = [i for i in japanese if any(entry["theme"] in up[t] for t in themes_of[i])]
        assert entry["japan_initiatives"] == sorted(on_theme)


def test_analytics_json_is_what_json_dumps_writes(analytics):
    expected = json.dumps(summary(analytics), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert to_json(analytics) == expected.encode("utf-8")


@pytest.mark.parametrize("value", [
    [], {}, "text", 3, -0.0, 1e-7, 10**30, None, True, [[], [[]], {}],
    [1, 2.5, float("nan"), float("inf"), -float("inf"), True, False, None, "é\u2028\"\\\n<>&\x00", ()],
    {"b": {"x": [{"q": None}, [1], {}, [], {"a": "},\n  {"}]}, "a": [{"k": 1}, {"k": 2}], "": ("t", ("u",))},
    {"numbers": {1: "one", 2.5: "two and a half"}, "null": {None: [1]}, "true": {True: {"x": [1]}}},
])
def test_indented_json_writes_what_json_dumps_writes(value):
    shared = {"a": 1}  # the same container twice, at two depths
    for whole in (value, [value, shared, [shared, {"s": shared}]]):
        assert indented_json(whole) == json.dumps(whole, ensure_ascii=False, indent=2, sort_keys=True)


def scalar_graph(analytics: Analytics) -> nx.MultiDiGraph:
    """The graph NetworkX's writers were given for GEXF and GraphML: scalar attributes, labels, scores."""
    out = nx.MultiDiGraph()
    for node, data in analytics.graph.nodes(data=True):
        scalars = {k: v for k, v in data.items() if isinstance(v, (str, int, float))}
        out.add_node(node, label=data["label_en"], **scalars, **analytics.scores[node])
    for source, target, key, data in analytics.graph.edges(keys=True, data=True):
        scalars = {k: v for k, v in data.items() if isinstance(v, (str, int, float))}
        out.add_edge(source, target, key=key, label=data["label_en"], **scalars)
    return out


def hostile_analytics() -> Analytics:
    """Text to escape (markup, quotes, line breaks, tabs, non-ASCII, beyond the BMP), values of every
    type, an attribute whose type changes, lists and None (not written)."""
    graph = nx.MultiDiGraph()
    graph.add_node('a&<b>"c\'\r\n\td', label_en='A & <B> "c" \'d\'\r\n\te ]]> 日本 😀', kind="x", flag=True,
                   count=3, share=0.5, huge=float("inf"), nothing=None, items=[1], empty="", shifting="text")
    graph.add_node("plain", label_en="Plain", kind="y", shifting=7, ratio=float("nan"), low=-float("inf"))
    graph.add_edge("plain", 'a&<b>"c\'\r\n\td', key='k>&"1', label_en="to <a>", weight_note="1 < 2", themes=["t"])
    graph.add_edge("plain", "plain", key="k2", label_en="loop", shifting=2.5)
    scores = {node: {"degree": 1, "betweenness": 0.25, "pagerank": 0.5, "community": 1} for node in graph}
    return Analytics(graph, scores, [], [], [], [], {}, {})


@pytest.mark.parametrize("case", ["summit", "hostile"])
def test_gexf_and_graphml_are_what_networkx_writes(analytics, case):
    """Byte for byte: NetworkX's GEXF writer (dated the summit's day) and its lxml GraphML writer."""
    subject = analytics if case == "summit" else hostile_analytics()
    flat = scalar_graph(subject)
    gexf = "\n".join(nx.generate_gexf(flat)) + "\n"
    assert to_gexf(subject) == re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{GEXF_DATE}"', gexf).encode("utf-8")
    graphml = io.BytesIO()
    write_graphml_lxml(flat, graphml)
    assert to_graphml(subject) == graphml.getvalue()


def test_the_method_says_betweenness_is_exact(dist):
    data = json.loads((dist / "analytics.json").read_text(encoding="utf-8"))
    assert data["method"]["betweenness"] == "exact, normalised, on the undirected graph of linked pairs (igraph)"


def test_kg_nq_read_for_the_analytics_holds_the_terms_rdflib_reads_in_kg_ttl(dist, kg_graph):
    index = of_quads(dist / "kg.nq")

    def named(pairs) -> set:  # blank nodes are labelled apart by each parser
        return {(s, o) for s, o in pairs if not isinstance(s, BNode) and not isinstance(o, BNode)}
    predicates = set(kg_graph.predicates())
    assert len(predicates) > 100
    for predicate in predicates:  # literals with their datatypes and languages, as rdflib made them
        assert named(index.subject_objects(predicate)) == named(kg_graph.subject_objects(predicate)), predicate
