"""The basic offline viewer: projection, offline-ness, determinism, escaping."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.viewer import _vendored, project, write_viewer

ROOT = Path(__file__).resolve().parents[1]

FIXTURE = """
@prefix ajk: <https://w3id.org/asean-japan-kg/ontology#> .
@prefix id: <https://w3id.org/asean-japan-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ext: <https://example.org/other#> .

ajk:Summit rdfs:subClassOf ajk:Meeting .

id:japan a ajk:State ;
    rdfs:label "日本"@ja , "Japan"@en ;
    dct:description "An island country in East Asia."@en .
id:viet-nam a ajk:State ;
    rdfs:label "ベトナム"@ja , "Viet Nam"@en .
id:summit-2023 a ajk:Summit , ajk:Meeting ;
    rdfs:label "日ASEAN友好協力50周年特別首脳会議"@ja , "ASEAN-Japan Commemorative Summit 2023"@en ;
    ajk:hasParticipant id:japan , id:viet-nam ;
    ajk:hostedBy id:japan ;
    ajk:hasTime <https://w3id.org/asean-japan-kg/id/summit-2023/time> ;
    ajk:hasParticipation id:summit-2023-participation-japan ;
    prov:wasDerivedFrom <https://w3id.org/asean-japan-kg/id/passage/p1> ;
    rdfs:comment "not an edge: literal" .
id:ministerial-2022 a ajk:Meeting ;
    rdfs:label "日ASEAN外相会議"@ja , "ASEAN-Japan Foreign Ministers' Meeting"@en ;
    ajk:precedes id:summit-2023 ;
    prov:wasInformedBy id:summit-2023 .
id:evil a ajk:Initiative ;
    rdfs:label "<img src=x onerror=alert(1)>"@en , "\\"><script>alert(2)</script>"@ja ;
    dct:description "</script><script>alert(3)</script>"@en ;
    ajk:relatedTo id:japan ;
    ext:mentions id:viet-nam .

# excluded: bookkeeping types, passage/figure/time IRIs, other namespaces, non-ajk types
id:summit-2023-participation-japan a ajk:Participation ; rdfs:label "participation"@en ;
    ajk:participant id:japan .
<https://w3id.org/asean-japan-kg/id/passage/p1> a ajk:SourcePassage ; rdfs:label "passage"@en ; ajk:mentions id:japan .
<https://w3id.org/asean-japan-kg/id/figure/f1> a ajk:Figure ; rdfs:label "figure"@en ; ajk:about id:japan .
id:doc a ajk:SourceDocument ; rdfs:label "document"@en .
id:kind a ajk:StatementKind ; rdfs:label "kind"@en .
id:measure a ajk:Measure ; rdfs:label "measure"@en .
id:qualifier a ajk:ValueQualifier ; rdfs:label "qualifier"@en .
id:role a ajk:ParticipationRole ; rdfs:label "role"@en .
<https://w3id.org/asean-japan-kg/id/summit-2023/time> a ajk:Situation ; rdfs:label "time"@en .
<https://w3id.org/asean-japan-kg/id/odd/figure/x> a ajk:Plan ; rdfs:label "figure path"@en .
<https://example.org/elsewhere> a ajk:State ; rdfs:label "Elsewhere"@en ; ajk:relatedTo id:japan .
id:untyped-in-ajk a <https://schema.org/Thing> ; rdfs:label "schema only"@en .
"""

EXPECTED_NODES = [
    "https://w3id.org/asean-japan-kg/id/evil",
    "https://w3id.org/asean-japan-kg/id/japan",
    "https://w3id.org/asean-japan-kg/id/ministerial-2022",
    "https://w3id.org/asean-japan-kg/id/summit-2023",
    "https://w3id.org/asean-japan-kg/id/viet-nam",
]
EXPECTED_EDGES = [
    ("evil", "mentions", "viet-nam"),
    ("evil", "relatedTo", "japan"),
    ("ministerial-2022", "precedes", "summit-2023"),
    ("summit-2023", "hasParticipant", "japan"),
    ("summit-2023", "hasParticipant", "viet-nam"),
    ("summit-2023", "hostedBy", "japan"),
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(data=FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def html_file(graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("viewer") / "viewer.html"
    assert write_viewer(graph, path) == (len(EXPECTED_NODES), len(EXPECTED_EDGES))
    return path


@pytest.fixture(scope="module")
def html(html_file) -> str:
    return html_file.read_text(encoding="utf-8")


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_projection_nodes_and_groups(graph):
    projection = project(graph)
    assert [n.iri for n in projection.nodes] == EXPECTED_NODES
    by_name = {_short(n.iri): n for n in projection.nodes}
    assert by_name["summit-2023"].group == "Summit"  # most specific of Summit / Meeting
    assert by_name["ministerial-2022"].group == "Meeting"
    assert by_name["japan"].group == "State"
    assert by_name["japan"].label == "Japan"
    assert by_name["japan"].label_ja == "日本"
    assert by_name["japan"].description == "An island country in East Asia."
    assert by_name["viet-nam"].description is None


def test_projection_edges(graph):
    edges = project(graph).edges
    assert [(_short(e.source), e.label, _short(e.target)) for e in edges] == EXPECTED_EDGES
    assert all("prov#" not in e.predicate for e in edges)


def test_group_choice_without_subclass_axiom_uses_fewest_instances(graph):
    g = Graph()
    for triple in graph:
        g.add(triple)
    from rdflib.namespace import RDFS

    g.remove((None, RDFS.subClassOf, None))
    nodes = {_short(n.iri): n for n in project(g).nodes}
    # Meeting has 2 instances, Summit 1: Summit is still chosen.
    assert nodes["summit-2023"].group == "Summit"


def test_html_is_offline(html):
    # nothing the browser would fetch: no http(s) in src/href/url()/@import
    assert not re.search(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html
    assert "<link" not in html.lower()
    assert not re.search(r"<script[^>]*\ssrc\s*=", html, re.I)
    for host in ("cdnjs", "jsdelivr", "unpkg", "cloudflare", "bootstrap", "googleapis"):
        assert host not in html.lower(), host
    assert "cdn" not in html  # (case-sensitive: vis' CSS has base64 images containing 'cDn')
    # outside the vendored vis-network text and the inert JSON data block, no URL at all
    rest = html.replace(_vendored("vis-network.min.js", "</script"), "")
    rest = rest.replace(_vendored("vis-network.css", "</style"), "")
    rest = re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", rest, flags=re.S)
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}", rest, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_html_inlines_vis_network(html):
    assert "vis-network" in html
    assert "stabilizationIterationsDone" in html
    assert "new vis.Network(" in html
    assert len(html) > 400_000  # the library itself is inlined
    assert '"randomSeed": ' in html


def test_html_contents(html):
    assert "<title>ASEAN–Japan knowledge graph</title>" in html
    assert "日本" in html and "日ASEAN友好協力50周年特別首脳会議" in html
    assert "Viet Nam" in html
    # legend lists each group once with its count
    for group, count in (("Initiative", 1), ("Meeting", 1), ("State", 2), ("Summit", 1)):
        assert f"{group} <span class=\"kg-count\">({count})</span>" in html
    assert '"label": "hasParticipant"' in html  # edge labels
    # every node is drawn in its legend colour
    legend = dict(re.findall(r'background-color: (#[0-9A-Fa-f]{6})"></span><span>(\w+) ', html))
    legend = {group: colour for colour, group in legend.items()}
    assert sorted(legend) == ["Initiative", "Meeting", "State", "Summit"]
    assert len(set(legend.values())) == 4
    for group, colour in legend.items():
        assert re.search(r'"color": "%s", "group": "%s"' % (colour, group), html)


def test_hostile_labels_only_escaped(html):
    assert "<img src=x" not in html
    assert "<script>alert(" not in html
    assert "alert(2)</script>" not in html
    assert "onerror=alert(1)" in html  # present, but only as escaped text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "\\u003cscript\\u003ealert(2)\\u003c/script\\u003e" in html
    # exactly one data block and it is closed where we expect
    assert html.count('<script type="application/json" id="kg-data">') == 1


def test_byte_identical_rewrite(graph, html_file, tmp_path):
    again = tmp_path / "again.html"
    write_viewer(graph, again)
    assert again.read_bytes() == html_file.read_bytes()


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_byte_identical_under_other_hash_seed(html_file, tmp_path, seed):
    fixture = tmp_path / "fixture.ttl"
    fixture.write_text(FIXTURE, encoding="utf-8")
    out = tmp_path / "sub.html"
    code = (
        "import sys; from pathlib import Path; from rdflib import Graph; from kg.viewer import write_viewer;"
        "g = Graph().parse(sys.argv[1], format='turtle'); print(write_viewer(g, Path(sys.argv[2])))"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code, str(fixture), str(out)], check=True, cwd=ROOT, env=env)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(html_file.read_bytes()).hexdigest()


def test_page_script_runs_against_a_stub_dom(html, tmp_path):
    """Our inline script parses and builds text-only tooltips (vis and the DOM are stubbed)."""
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1)
    ours = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    harness = tmp_path / "harness.js"
    harness.write_text(
        """
const data = %s;
const created = [];
function el(tag) { const e = {tag, children: [], className: "", _text: "",
  set textContent(v) { this._text = String(v); }, get textContent() { return this._text; },
  set innerHTML(v) { throw new Error("innerHTML used"); },
  appendChild(c) { this.children.push(c); return c; } }; created.push(e); return e; }
global.document = {
  getElementById: (id) => id === "kg-data" ? { textContent: JSON.stringify(data) } : el("div"),
  createElement: el,
  createTextNode: (t) => ({ tag: "#text", textContent: String(t) }),
};
let handlers = {}, options = null, ds = [];
global.vis = {
  DataSet: function (items) { ds.push(items); this.items = items; },
  Network: function (c, d, o) { options = o;
    this.once = (ev, f) => { handlers[ev] = f; };
    this.setOptions = (o2) => { options = Object.assign({}, options, o2); };
    this.fit = () => {}; },
};
%s
handlers["stabilizationIterationsDone"]();
if (options.physics.enabled !== false) throw new Error("physics still on");
const [nodes, edges] = ds;
if (nodes.length !== %d || edges.length !== %d) throw new Error("counts");
const evil = nodes.find((n) => n.id.endsWith("/evil"));
const texts = evil.title.children.map((line) => line.children.map((c) => c.textContent).join(""));
if (!texts.includes("English: <img src=x onerror=alert(1)>")) throw new Error(JSON.stringify(texts));
if (nodes.some((n) => "tooltip" in n)) throw new Error("tooltip leaked");
console.log("ok");
"""
        % (data, ours, len(EXPECTED_NODES), len(EXPECTED_EDGES)),
        encoding="utf-8",
    )
    assert shutil.which("node"), "this test runs the page script with Node.js: install nodejs"
    result = subprocess.run(["node", str(harness)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
