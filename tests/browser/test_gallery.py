"""The gallery `lscb render --all` writes, opened in Chromium from the folder with no network: axe-core
finds no violation, and every link opens its report."""
from __future__ import annotations

import contextlib
import io

import pytest
from test_accessibility import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    from core.board import Board, list_boards
    from plugins.render.build import build_reports
    out = tmp_path_factory.mktemp("gallery") / "out"
    targets = [(b, y) for b in list_boards() for y in Board.load(b).years]
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(io.StringIO()):
        mp.setenv("LSCB_CACHE", str(out.parent / "cache"))       # never the project's cache
        build_reports(targets, out, ["html"], single=False)
    return out / "index.html", targets


def test_gallery_has_no_axe_violation(gallery, new_page):
    index, _ = gallery
    page = new_page()
    page.goto(index.as_uri(), wait_until="load")
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)


def test_every_link_opens_its_report_offline(gallery, new_page):
    index, targets = gallery
    page = new_page()
    page.goto(index.as_uri(), wait_until="load")
    hrefs = page.eval_on_selector_all(".reports a[href]", "els => els.map(a => a.href)")
    assert len(hrefs) == len(targets) >= 5
    for href in hrefs:
        report = new_page()
        report.goto(href, wait_until="load")
        assert report.locator("h1").count() == 1 and report.locator("nav.toc").count() == 1, href
