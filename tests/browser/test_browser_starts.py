"""The browser tests' first test (conftest.py orders it first): Playwright's driver and Chromium start.

When they cannot, this one test fails with the cause (the missing binary or shared library, from the
driver's or Chromium's stderr) and every other browser test is skipped with "browser could not start: see
tests/browser/test_browser_starts.py::test_browser_starts"."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_browser_starts(browser_start):
    if browser_start.cause:
        pytest.fail(f"browser could not start: {browser_start.cause}", pytrace=False)
    page = browser_start.browser.new_page()
    try:
        page.set_content("<main><p>Chromium renders this.</p></main>")
        assert page.text_content("main p") == "Chromium renders this."
    finally:
        page.close()
