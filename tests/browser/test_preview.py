"""`lscb preview` in Chromium: a figure changed in a CSV shows on the open page without a reload by hand; a
broken file replaces the page with the command line's message, and fixing it brings the report back; Ctrl-C
stops the server. The preview runs as its own process on a copy of a board, bound to 127.0.0.1."""
from __future__ import annotations

import signal
import socket
from urllib.parse import urlparse

import pytest
from preview_process import PreviewProcess, replace_in

pytestmark = pytest.mark.browser

BOARD, YEAR = "cheshire_west", "2014-15"
LADO_ROW = "lado-contacts,Contacts to the LADO,2014/15,2014/15,Cheshire West and Chester,{},count"
WAIT_MS = 60_000          # a render on a busy 2-core machine; Playwright polls until then


@pytest.fixture
def preview(tmp_path):
    running = PreviewProcess(tmp_path, BOARD)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def local_page(browser):
    """A page that may reach the preview on 127.0.0.1 and nothing else."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    ctx.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
              else route.abort())
    yield ctx.new_page()
    ctx.close()


def lado_cell(page):
    row = page.locator("tr", has=page.locator("th", has_text="Contacts to the LADO")).first
    return row.locator("td").first


def test_edit_shows_without_reload_and_errors_recover(preview, local_page):
    from playwright.sync_api import expect
    page = local_page
    data = preview.boards / BOARD / "data" / YEAR / "indicators.csv"
    page.goto(preview.url, wait_until="load")
    expect(lado_cell(page)).to_have_text("102", timeout=WAIT_MS)
    page.evaluate("() => { window.lscbOpenedOnce = true; }")    # gone only if the page reloads itself

    replace_in(data, LADO_ROW.format(102), LADO_ROW.format(777))
    expect(lado_cell(page)).to_have_text("777", timeout=WAIT_MS)
    assert page.evaluate("() => window.lscbOpenedOnce === undefined"), "the page did not reload itself"
    assert page.url == preview.url

    replace_in(data, LADO_ROW.format(777), LADO_ROW.format("many"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("indicators.csv", timeout=WAIT_MS)
    expect(alert).to_contain_text("row 36, column 'value'")        # the row and column, as lscb render says
    expect(alert).to_contain_text("found 'many'")
    expect(page.get_by_role("heading", level=1)).to_have_text("The report could not be rendered")

    replace_in(data, LADO_ROW.format("many"), LADO_ROW.format(778))
    expect(lado_cell(page)).to_have_text("778", timeout=WAIT_MS)
    expect(page.get_by_role("alert")).to_have_count(0)

    assert preview.stop(signal.SIGINT) == 0                 # Ctrl-C
    assert "Preview stopped." in preview.output
    port = urlparse(preview.url).port
    with socket.socket() as s:                              # nothing listens any more
        assert s.connect_ex(("127.0.0.1", port)) != 0
