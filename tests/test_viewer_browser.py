"""The viewer in a real browser: Playwright driving Debian's Chromium, from file:// with the network cut.

CI installs `chromium` and `fonts-ipafont-gothic` (.ci/run); where Chromium is missing these tests
skip, saying so. Expected values come from the analysis graph of the session build.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from kg.namespaces import curie
from kg.projection import project
from kg.viewer import write_viewer

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():  # a missing browser fails the suite: a skipped check would pass unseen
    pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
                ".ci/run installs it)", pytrace=False)
from playwright import sync_api  # noqa: E402  (the test extra installs it)

HOSTILE = Path(__file__).parent / "fixtures" / "hostile.ttl"
FADED = 0.15  # the opacity of what the selection's neighbourhood leaves out (kg/templates/viewer.js)


class Page:
    """A loaded viewer page and what it did: requests attempted, console errors, dialogs."""

    def __init__(self, browser, path: Path):
        self.requests, self.errors, self.dialogs = [], [], []
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        # a selector, not wait_for_function: the page's CSP forbids the eval that would need
        self.page.wait_for_selector("body[data-settled=true]", timeout=60_000)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:  # the network is cut: anything else is recorded and refused
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def search(self, text: str) -> None:
        self.page.fill("#kg-search", text)
        self.page.press("#kg-search", "Enter")

    def panel(self) -> str:
        return self.page.inner_text("#kg-panel")

    def click_node(self, node_id: str) -> None:
        """A real mouse click on the node where it is drawn (after centring it, unselected)."""
        self.js("id => { const v = window.__viewer; v.network.unselectAll(); "
                "v.network.focus(id, {scale: 1.5, animation: false}); }", node_id)
        box = self.page.locator("#kg-network canvas").bounding_box()
        at = self.js("id => window.__viewer.domPosition(id)", node_id)
        self.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def analysis(kg_graph):
    return project(kg_graph)


@pytest.fixture(scope="module")
def summit(browser, dist) -> Page:
    page = Page(browser, dist / "viewer.html")
    yield page
    page.page.close()


def node_with_alt_label(analysis, alt: str) -> str:
    (found,) = [n for n, d in analysis.nodes(data=True) if alt in d["alt_labels"]]
    return found


def test_loads_offline_with_the_analysis_graphs_counts(summit, analysis):
    counts = summit.js("window.__viewer.counts")
    assert counts == {"nodes": analysis.number_of_nodes(), "edges": analysis.number_of_edges()}
    assert summit.js("window.__viewer.nodes.getIds().sort()") == sorted(curie(n) for n in analysis.nodes)
    assert summit.js("window.__viewer.network.physics.options.enabled") is False  # settled and stopped
    assert summit.requests == []
    assert summit.errors == []


@pytest.mark.parametrize("query", ["AZEC", "ＡＺＥＣ", "azec"])
def test_search_focuses_the_node(summit, analysis, query):
    azec = curie(node_with_alt_label(analysis, "AZEC"))
    summit.js("window.__viewer.network.moveTo({position: {x: 5000, y: 5000}, scale: 0.3})")
    summit.search(query)
    assert summit.js("window.__viewer.selected") == azec
    assert summit.js("window.__viewer.network.getSelectedNodes()") == [azec]
    view = summit.js("window.__viewer.network.getViewPosition()")
    node = summit.js("id => window.__viewer.network.getPosition(id)", azec)
    assert abs(view["x"] - node["x"]) < 1 and abs(view["y"] - node["y"]) < 1  # centred on it
    assert analysis.nodes[node_with_alt_label(analysis, "AZEC")]["label_en"] in summit.panel()


def test_search_lists_matches_by_japanese_name(summit, analysis):
    japan = analysis.nodes[next(n for n in analysis.nodes if n.endswith("/id/japan"))]
    summit.page.fill("#kg-search", japan["label_ja"])
    first = summit.page.locator("#kg-results button").first
    assert first.get_attribute("data-id") == japan["curie"]
    summit.page.fill("#kg-search", "")


def test_class_filter_hides_that_class_and_its_edges(summit, analysis):
    persons = {curie(n) for n, d in analysis.nodes(data=True) if d["cls"] == "Person"}
    assert persons
    box = summit.page.locator('#kg-legend input[data-cls="Person"]')
    box.uncheck()
    visible = set(summit.js("window.__viewer.visibleNodeIds()"))
    assert visible == {curie(n) for n in analysis.nodes} - persons
    touching = sum(1 for u, v in analysis.edges() if curie(u) in persons or curie(v) in persons)
    assert len(summit.js("window.__viewer.visibleEdgeIds()")) == analysis.number_of_edges() - touching
    box.check()
    assert len(summit.js("window.__viewer.visibleNodeIds()")) == analysis.number_of_nodes()


def test_theme_and_agenda_filters(summit, analysis):
    theme = next(n for n in analysis.nodes if n.endswith("/id/theme-people-to-people"))
    summit.page.select_option("#kg-theme", curie(theme))
    expected = {curie(n) for n, d in analysis.nodes(data=True) if theme in d["themes"]}
    assert set(summit.js("window.__viewer.visibleNodeIds()")) == expected
    summit.page.select_option("#kg-theme", "")
    agenda = next(n for n in analysis.nodes if n.endswith("/id/agenda-3"))
    summit.page.select_option("#kg-agenda", curie(agenda))
    expected = {curie(n) for n, d in analysis.nodes(data=True) if agenda in d["agenda"]}
    assert set(summit.js("window.__viewer.visibleNodeIds()")) == expected
    summit.page.select_option("#kg-agenda", "")
    assert len(summit.js("window.__viewer.visibleNodeIds()")) == analysis.number_of_nodes()


def test_clicking_the_partnership_shows_budget_and_source(summit, analysis):
    iri = node_with_alt_label(analysis, "次世代共創パートナーシップ")
    node = analysis.nodes[iri]
    (budget,) = [f for f in node["figures"] if f["currency"]]
    summit.click_node(node["curie"])
    assert summit.js("window.__viewer.selected") == node["curie"]
    panel = summit.panel()
    assert node["label_en"] in panel and node["label_ja"] in panel
    assert f"{budget['value']:,.0f} {budget['currency']}" in panel  # 40,000,000,000 JPY
    assert budget["qualifier"] in panel
    for passage in budget["passages"] + node["passages"]:
        assert passage["quote"] in panel  # ４００億円規模, and the whole announcement
        assert passage["agenda_en"] in panel and passage["session_en"] in panel
    # neighbourhood highlight: a node not linked to it is faded, a neighbour is not
    neighbours = set(analysis.successors(iri)) | set(analysis.predecessors(iri))
    stranger = next(n for n in sorted(analysis.nodes) if n not in neighbours and n != iri)
    opacity = "id => window.__viewer.nodes.get(id).opacity"
    assert summit.js(opacity, curie(stranger)) == FADED
    assert summit.js(opacity, curie(sorted(neighbours)[0])) != FADED


def test_relation_in_the_panel_opens_the_statement_with_its_source(summit, analysis):
    iri = node_with_alt_label(analysis, "次世代共創パートナーシップ")
    summit.click_node(analysis.nodes[iri]["curie"])
    statements = [d for _, _, d in analysis.in_edges(iri, data=True) if d["relation"] == "statement"]
    label = statements[0]["label_en"]
    summit.page.locator("#kg-panel .kg-relations button", has_text=label).first.click()
    assert summit.js("window.__viewer.selectedEdge") is not None
    panel = summit.panel()
    assert any(s["statement_en"] in panel and all(p["quote"] in panel for p in s["passages"]) for s in statements)


def test_language_switch_changes_labels(summit, analysis):
    japan = analysis.nodes[next(n for n in analysis.nodes if n.endswith("/id/japan"))]
    label = "id => window.__viewer.nodes.get(id).label"
    assert summit.js(label, "id:japan") == japan["label_en"]
    summit.page.select_option("#kg-lang", "ja")
    assert summit.js(label, "id:japan") == japan["label_ja"]
    edge = summit.js("window.__viewer.edges.get()[0]")
    first = next(iter(analysis.edges(data=True)))[2]
    assert edge["label"] == first["label_ja"]
    assert summit.js("document.documentElement.lang") == "ja"
    summit.page.select_option("#kg-lang", "en")
    assert summit.js(label, "id:japan") == japan["label_en"]
    assert summit.errors == [] and summit.requests == []


def test_hostile_text_executes_nothing_and_shows_as_text(browser, tmp_path):
    analysis = project(Graph().parse(HOSTILE, format="turtle"))
    path = tmp_path / "hostile.html"
    write_viewer(analysis, path, title='<a href="javascript:window.__pwned=10">title</a>')
    page = Page(browser, path)
    evil = analysis.nodes["https://w3id.org/asean-japan-kg/id/evil"]
    page.search("ＥＶＩＬ")
    assert page.js("window.__viewer.selected") == "id:evil"
    assert page.page.inner_text("#kg-panel h2") == evil["label_en"]  # the markup, as text
    panel = page.panel()
    for text in (evil["label_ja"], evil["description_en"], evil["passages"][0]["quote"]):
        assert text in panel
    page.page.select_option("#kg-lang", "ja")
    assert page.page.inner_text("#kg-panel h2") == evil["label_ja"]
    page.page.fill("#kg-search", "script")
    assert evil["label_ja"] in page.page.inner_text("#kg-results")
    page.page.select_option("#kg-lang", "en")
    # hover what could have been live markup; open a statement (hostile label) through the panel
    page.page.hover("#kg-panel h2")
    shown = set()
    for i in range(2):  # the fund's two "announced" statements
        page.search("ＥＶＩＬ")
        page.page.locator("#kg-panel .kg-relations button", has_text="announced").nth(i).click()
        shown.add(page.page.inner_text("#kg-panel .kg-description"))
    assert "<img src=x onerror=window.__pwned=8> said" in shown
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.js("document.querySelector('img[src=x]')") is None
    assert page.js("document.querySelectorAll('img, iframe, svg, a[href]').length") == 0
    assert page.js("document.scripts.length") == 4
    assert page.page.title() == '<a href="javascript:window.__pwned=10">title</a>'
    assert page.requests == []
    assert page.errors == []
    page.page.close()

