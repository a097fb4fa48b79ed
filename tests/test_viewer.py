"""The offline viewer, without a browser: what the page holds, offline-ness, escaping, determinism,
and its search/filter logic run under Node.js. tests/test_viewer_browser.py drives it in Chromium."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pyvis.network import Network
from rdflib import Graph
from scipy.spatial import cKDTree

import kg.layout
from kg.layout import layout
from kg.namespaces import curie
from kg.projection import project
from kg.viewer import LAYOUT_SEED, write_viewer
from kg.viewer_assets import TEMPLATE_DIR, vendored

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile.ttl"
HOSTILE_TITLE = '<a href="javascript:window.__pwned=10">title</a>'
EVIL = "id:evil"


def page_data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.S)


@pytest.fixture(scope="module")
def analysis() -> nx.MultiDiGraph:
    return project(Graph().parse(HOSTILE, format="turtle"))


@pytest.fixture(scope="module")
def html_file(analysis, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("viewer") / "viewer.html"
    assert write_viewer(analysis, path, title=HOSTILE_TITLE) == (7, 7)
    return path


@pytest.fixture(scope="module")
def html(html_file) -> str:
    return html_file.read_text(encoding="utf-8")


def test_one_vis_node_per_node_and_one_vis_edge_per_multigraph_edge(analysis, html):
    data = page_data(html)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(curie(n) for n in analysis.nodes)
    assert len(data["edges"]) == analysis.number_of_edges() == 7
    # the two statements by Kishida about the fund are two edges, not one
    assert sum(1 for e in data["edges"] if (e["from"], e["to"]) == ("id:kishida", EVIL)) == 2
    assert sorted(data["info"]["edges"]) == sorted(e["id"] for e in data["edges"])
    pairs = sorted((curie(u), curie(v)) for u, v in analysis.edges())
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == pairs


def test_colour_and_shape_by_class_legend_and_edge_labels(analysis, html):
    data = page_data(html)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["id:japan"]["shape"] == nodes["id:kishida"]["shape"] == "dot"  # actors
    assert nodes[EVIL]["shape"] == "diamond" and nodes["id:theme-people"]["shape"] == "triangle"
    legend = {c["cls"]: c for kind in data["legend"] for c in kind["classes"]}
    assert {cls: c["count"] for cls, c in legend.items()} == {
        "AgendaItem": 1, "Fund": 1, "Person": 1, "PolicyTheme": 1, "Session": 1, "State": 2}
    for node in data["nodes"]:
        cls = data["info"]["nodes"][node["id"]]["cls"]
        assert node["group"] == cls
        assert data["options"]["groups"][cls]["color"]["background"] == legend[cls]["colour"]
    assert legend["State"]["colour"] != legend["Person"]["colour"]
    labels = sorted(e["label"] for e in data["edges"])
    assert labels == sorted(d["label_en"] for *_, d in analysis.edges(data=True))


def test_size_by_the_scores_given_else_pagerank(analysis, tmp_path):
    scores = {node: (1.0 if node.endswith("/japan") else 0.25) for node in analysis.nodes}
    write_viewer(analysis, tmp_path / "given.html", scores)
    values = {n["id"]: n["value"] for n in page_data((tmp_path / "given.html").read_text())["nodes"]}
    assert values["id:japan"] == 1.0 and values[EVIL] == 0.5  # square root of the relative score
    computed = {n["id"]: n["value"] for n in page_data(html_of(analysis, tmp_path))["nodes"]}
    rank = nx.pagerank(analysis)
    assert max(computed, key=computed.get) == curie(max(rank, key=rank.get))


def html_of(graph, tmp_path) -> str:
    path = tmp_path / "computed.html"
    write_viewer(graph, path)
    return path.read_text(encoding="utf-8")


def test_no_http_reference_anywhere(html):
    assert not re.search(r"https?://", html, re.I)
    # a URL inside the graph's text (this fixture has one) is JSON-escaped, so not a URL in the file
    assert r"https:\/\/evil.example\/x.js" in html
    # not even escaped outside vis-network's own strings (see kg/viewer_assets.py) and that text
    rest = html.replace(vendored("vis-network.min.js"), "").replace(vendored("vis-network.css"), "")
    assert not re.search(r"https?:", re.sub(r'id="kg-data">.*?</script>', "", rest, flags=re.S), re.I)
    assert not re.search(r"//[a-z0-9.-]+\.[a-z]{2,}", html, re.I)  # no scheme-relative URL either
    assert "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"<(?:script|img|iframe|embed|object|audio|video|source)\b[^>]*\ssrc\s*=", html, re.I)
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    assert "url(" in styles and not re.search(r"url\(\s*(?!['\"]?data:)", styles, re.I)  # CSS images: data: only
    assert "vis-network" in html and "new vis.Network(" in html
    assert len(html) > 400_000  # vis-network itself is inlined


def test_vendored_vis_network_is_only_neutralised():
    """`://` -> `:\\/\\/` is the whole change: the same strings to JavaScript, no URL in the file."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    for name in ("vis-network.min.js", "vis-network.css"):
        original = (lib / name).read_text(encoding="utf-8")
        assert vendored(name) == original.replace("://", r":\/\/")
        assert not re.search(r"https?://", vendored(name), re.I)


def test_csp_allows_exactly_the_page_scripts_and_no_fetch(html):
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    expected = {
        "'sha256-%s'" % base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        for body in inline_scripts(html)
    }
    assert len(expected) == 3  # vis-network, the core logic, the page script
    assert set(directives["script-src"].split()) == expected
    for fetch in ("connect-src", "frame-src", "worker-src", "manifest-src", "media-src", "object-src"):
        assert fetch not in directives  # covered by default-src 'none'


def test_hostile_text_only_as_escaped_json(html):
    assert "<img" not in html and "<svg" not in html and "<iframe" not in html
    assert "<script>window" not in html and "<script>alert" not in html
    assert "\\u003cimg src=x onerror=" in html
    assert html.count('<script type="application/json" id="kg-data">') == 1
    # vis, data, core, page: nothing else opens a script (vis-network's own text holds a "<script>" string)
    assert len(re.findall(r"<script\b", html.replace(vendored("vis-network.min.js"), ""))) == 4
    # the title is autoescaped where it is shown
    assert "<title>&lt;a href=&#34;javascript:window.__pwned=10&#34;&gt;title&lt;/a&gt;</title>" in html
    assert "<h1>&lt;a href=" in html


def test_hostile_text_survives_intact_for_display(analysis, html):
    """Escaping is lossless: the page gets exactly the graph's text, to show as text."""
    info = page_data(html)["info"]["nodes"][EVIL]
    node = analysis.nodes["https://w3id.org/asean-japan-kg/id/evil"]
    assert info["label_en"] == node["label_en"] == '<img src=x onerror="window.__pwned=1;alert(1)">'
    assert info["label_ja"] == node["label_ja"]
    assert info["description_en"] == node["description_en"]
    assert info["passages"][0]["quote"] == node["passages"][0]["quote"]
    assert info["figures"][0]["amount"] == "1,234,567 JPY"


def test_filters_come_from_theme_and_agenda_nodes(html):
    filters = page_data(html)["filters"]
    assert [(t["id"], t["label_en"]) for t in filters["themes"]] == [("id:theme-people", "People-to-people <i>exchange</i>")]
    assert filters["agenda"] == [{"id": "id:session-1", "label_en": "Session 1", "label_ja": "セッション１", "items": [
        {"id": "id:agenda-1", "label_en": "Agenda 1: <b onmouseover=window.__pwned=11>bold</b>",
         "label_ja": "アジェンダ１：<b>太字</b>"}]}]


def test_seeded_layout_and_bounded_physics(analysis, html):
    data = page_data(html)
    assert data["options"]["layout"]["randomSeed"] == LAYOUT_SEED
    stabilisation = data["options"]["physics"]["stabilization"]
    assert stabilisation["enabled"] and 0 < stabilisation["iterations"] <= 20
    positions = layout(analysis, LAYOUT_SEED)
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]} == {curie(k): v for k, v in positions.items()}
    assert layout(analysis, LAYOUT_SEED) == positions
    page = (TEMPLATE_DIR / "viewer.js").read_text(encoding="utf-8")
    assert 'network.once("stabilizationIterationsDone"' in page and "physics: { enabled: false }" in page


def test_large_layout_is_the_arithmetic_on_the_position_array(monkeypatch):
    """Past EXACT_UP_TO nodes repulsion works on 1-D arrays in place; the same operations as on the
    (n, 2) array of positions, so the very same coordinates."""
    def on_the_array(pos, k):
        i, j = cKDTree(pos).query_pairs(kg.layout.CUTOFF * k, output_type="ndarray").T
        delta = pos[i] - pos[j]
        push = delta * (k * k / np.maximum((delta ** 2).sum(axis=1), 1e-2))[:, None]
        return kg.layout.scatter(i, push, len(pos)) - kg.layout.scatter(j, push, len(pos))

    graph = nx.MultiDiGraph(nx.relabel_nodes(nx.gnm_random_graph(kg.layout.EXACT_UP_TO + 200, 1500, seed=3), str))
    fast = layout(graph, LAYOUT_SEED)
    monkeypatch.setattr(kg.layout, "repulsion", on_the_array)
    assert layout(graph, LAYOUT_SEED) == fast


def test_vis_nodes_and_edges_are_what_pyvis_network_makes(dist):
    """The page builds them with pyvis' Node and Edge; its Network, given the same, makes the same."""
    data = page_data((dist / "viewer.html").read_text(encoding="utf-8"))
    net = Network(directed=True)
    for node in data["nodes"]:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in data["edges"]:
        net.add_edge(edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to", "arrows")})
    assert net.nodes == data["nodes"] and net.edges == data["edges"]


def test_page_scripts_never_parse_text_as_html():
    for name in ("viewer.js", "viewer-core.js"):
        script = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
            assert sink not in script, (name, sink)


def test_byte_identical_rewrite(analysis, html_file, tmp_path):
    again = tmp_path / "again.html"
    write_viewer(analysis, again, title=HOSTILE_TITLE)
    assert again.read_bytes() == html_file.read_bytes()


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_byte_identical_under_other_hash_seed(html_file, tmp_path, seed):
    out = tmp_path / "sub.html"
    code = (
        "import sys; from pathlib import Path; from rdflib import Graph; from kg.projection import project;"
        "from kg.viewer import write_viewer;"
        "print(write_viewer(project(Graph().parse(sys.argv[1], format='turtle')), Path(sys.argv[2]), title=sys.argv[3]))"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code, str(HOSTILE), str(out), HOSTILE_TITLE], check=True, cwd=ROOT, env=env)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(html_file.read_bytes()).hexdigest()


def test_summit_viewer_draws_the_analysis_graph(dist, kg_graph):
    html = (dist / "viewer.html").read_text(encoding="utf-8")
    analysis = project(kg_graph)
    data = page_data(html)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(curie(n) for n in analysis.nodes)
    assert len(data["edges"]) == analysis.number_of_edges()
    assert f"{analysis.number_of_nodes()} entities, {analysis.number_of_edges()} relations" in html
    assert not re.search(r"https?://", html, re.I)
    assert not re.search(r"https?:", html.replace(vendored("vis-network.min.js"), ""), re.I)
    assert not [n for n, d in data["info"]["nodes"].items() if not d["label_en"] or not d["label_ja"]]


def test_core_logic_under_node(html, tmp_path):
    """Search (Japanese, English, acronym, full-width) and filters, on the page's own data."""
    assert shutil.which("node"), "this test runs the page's core script with Node.js: install nodejs"
    harness = tmp_path / "harness.js"
    harness.write_text(
        """
const core = require(%s);
const data = %s;
const entities = data.info.nodes, ids = Object.keys(entities).sort();
const check = (cond, what) => { if (!cond) { throw new Error(what); } };
check(core.normalise("ＡＺＥＣ　Ｘ") === "azec x", "NFKC folding");
check(core.search(entities, ids, "ＥＶＩＬ", "en")[0] === "id:evil", "full-width alt label");
check(core.search(entities, ids, "evil", "en")[0] === "id:evil", "half-width query, full-width label");
check(core.search(entities, ids, "ベトナム", "ja")[0] === "id:viet-nam", "Japanese name");
check(core.search(entities, ids, "viet", "en")[0] === "id:viet-nam", "English prefix");
check(core.search(entities, ids, "", "en").length === 0, "empty query");
check(core.search(entities, ids, "japan", "en")[0] === "id:japan", "exact before substring");
const none = { hiddenClasses: {}, theme: null, agenda: null };
check(ids.every((id) => core.nodeVisible(entities[id], none)), "no filter hides nothing");
const noState = { hiddenClasses: { State: true }, theme: null, agenda: null };
check(ids.filter((id) => core.nodeVisible(entities[id], noState)).length === ids.length - 2, "class filter");
const theme = { hiddenClasses: {}, theme: "id:theme-people", agenda: null };
check(JSON.stringify(ids.filter((id) => core.nodeVisible(entities[id], theme))) ===
      JSON.stringify(["id:evil", "id:theme-people"]), "theme filter");
const choices = core.agendaChoices(data.filters.agenda);
check(JSON.stringify(choices["id:session-1"]) === JSON.stringify(["id:agenda-1"]), "session = its items");
const agenda = { hiddenClasses: {}, theme: null, agenda: choices["id:agenda-1"] };
check(!core.edgeVisible({ agenda: "id:agenda-2" }, true, true, agenda), "statement from another agenda item");
check(core.edgeVisible({ agenda: "id:agenda-1" }, true, true, agenda), "statement from this agenda item");
check(!core.edgeVisible({}, true, false, none), "edge to a hidden node");
check(core.label(entities["id:japan"], "ja") === "日本" && core.otherLabel(entities["id:japan"], "ja") === "Japan", "labels");
console.log("ok");
"""
        % (json.dumps(str(TEMPLATE_DIR / "viewer-core.js")), json.dumps(page_data(html))),
        encoding="utf-8",
    )
    result = subprocess.run(["node", str(harness)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
