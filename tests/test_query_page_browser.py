"""The service's query page in a real browser (Playwright driving Debian's Chromium), against a running
`kg serve` on a build of two documents: a named query asked of the whole graph and of one document."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service_process import http, start

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():  # a missing browser fails the suite: a skipped check would pass unseen
    pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
                ".ci/run installs it)", pytrace=False)
from playwright import sync_api  # noqa: E402  (the test extra installs it)

SECOND, SUMMIT = "second-readout", "mofa-session-summaries"


@pytest.fixture(scope="module")
def served(two_documents_dist):
    server = start(two_documents_dist)
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def page(served):
    with sync_api.sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # as the viewer's tests launch it
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        page = browser.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(served.url + "query")
        yield page
        browser.close()


def statements_shown(page) -> set[str]:
    """The statements in the results table, once the run started by the last action is done."""
    page.wait_for_selector("#status:has-text('rows in')", timeout=30_000)
    return {cell.inner_text() for cell in page.query_selector_all("#results td a")
            if cell.inner_text().startswith("id:s-")}


def test_the_page_offers_each_document_by_its_title(page):
    options = {o.get_attribute("value"): o.inner_text() for o in page.query_selector_all("#document option")}
    assert options[""].startswith("the whole graph")
    assert options[SECOND] == f"Summary of an ASEAN-Japan foreign ministers' meeting ({SECOND})"
    assert set(options) == {"", SECOND, SUMMIT}


def test_a_named_query_asked_of_one_document_and_of_the_whole_graph(page):
    page.select_option("#document", "")
    page.click("button[data-name=aoip-supporters]")
    everywhere = statements_shown(page)
    assert {"id:s-second-aoip", "id:s-a1-kishida-supports-aoip"} <= everywhere
    page.select_option("#document", SECOND)  # asks again, of that document
    assert statements_shown(page) == {"id:s-second-aoip"}
    page.select_option("#document", SUMMIT)
    summit = statements_shown(page)
    assert "id:s-a1-kishida-supports-aoip" in summit and "id:s-second-aoip" not in summit
    assert summit | {"id:s-second-aoip"} == everywhere
    assert page.errors == []


def test_the_downloads_ask_the_chosen_document(page, served):
    page.select_option("#document", SECOND)
    page.click("button[data-name=aoip-supporters]")
    statements_shown(page)
    link = page.get_attribute("#dl-csv", "href")
    answer = http(served.url + link.lstrip("/"))
    assert answer.status == 200
    assert "s-second-aoip" in answer.text and "s-a1-kishida-supports-aoip" not in answer.text


def test_a_late_answer_to_an_earlier_question_is_dropped(page):
    """A question asked while another is running: the earlier answer, arriving last, does not replace it."""
    page.select_option("#document", "")  # (asks the last question again, of the whole graph)
    statements_shown(page)
    page.evaluate("""() => {
        window.realFetch = window.fetch;
        let calls = 0;
        window.fetch = (...args) => {  // the first answer held back until after the second has come
            const answer = window.realFetch(...args);
            return ++calls === 1 ? answer.then((r) => new Promise((done) => setTimeout(() => done(r), 1500))) : answer;
        };
    }""")
    try:
        page.click("button[data-name=participants]")
        page.click("button[data-name=aoip-supporters]")
        statements_shown(page)
        page.wait_for_timeout(2000)  # the held-back answer to `participants` has arrived meanwhile
        assert {"id:s-second-aoip", "id:s-a1-kishida-supports-aoip"} <= statements_shown(page)
        tables = page.query_selector_all("#results table")  # the one answer, and its count in the status
        assert len(tables) == 1
        assert page.inner_text("#status").startswith(f"{len(tables[0].query_selector_all('tbody tr'))} rows in")
    finally:
        page.evaluate("() => { window.fetch = window.realFetch; }")
    assert page.errors == []
