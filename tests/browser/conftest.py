"""Browser tests: every report rendered once, opened in Debian's Chromium through Playwright.

Chromium is the system one (/usr/bin/chromium, installed by .ci/install-browser); Playwright never
downloads a browser here. axe-core comes from the npm registry, pinned in tests/browser/package-lock.json.
Everything is skipped, with the reason, when either is missing.
"""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("LSCB_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
FIXTURES = HERE / "fixtures"

#: Chromium's switches: no network, no first-run, no background services (this machine has no network
#: for the browser). Playwright adds --headless and gives every launch a fresh temporary profile
#: (--user-data-dir in a new temporary folder, removed on close).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 800}


def missing_browser_reason() -> str | None:
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: run .ci/install-browser (installs Debian's chromium)"
    if not AXE_JS.is_file():
        return (f"{AXE_JS.relative_to(ROOT)} is missing: run .ci/install-browser "
                "(npm ci in tests/browser)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed in this environment (pip install -e '.[test]')"
    return None


def report_targets() -> list[tuple[str, str]]:
    """Every (board, year) that has a board.yml entry, as `lscb list` shows them."""
    from core.board import Board, list_boards
    return [(b, y) for b in list_boards() for y in Board.load(b).years]


def pytest_generate_tests(metafunc):
    if "report" in metafunc.fixturenames:
        targets = report_targets()
        metafunc.parametrize("report", targets, ids=[f"{b}-{y}" for b, y in targets], indirect=True)


@dataclass
class RenderedReport:
    board: str
    year: str
    path: Path | None
    error: str = ""

    @property
    def name(self) -> str:
        return f"{self.board}-{self.year}"

    @property
    def url(self) -> str:
        assert self.path is not None
        return self.path.as_uri()


@pytest.fixture(scope="session")
def rendered_reports(tmp_path_factory) -> dict[tuple[str, str], RenderedReport]:
    """Every board/year rendered once with the built-in renderer, each into its own folder, so one board
    whose data is still being transcribed does not stop the others being checked."""
    from core.build import build_reports
    out = tmp_path_factory.mktemp("reports")
    done: dict[tuple[str, str], RenderedReport] = {}
    for board, year in report_targets():
        target = out / board / year
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                build_reports([(board, year)], target, ["html"], single=True, use_cache=False)
            done[board, year] = RenderedReport(board, year, target / "index.html")
        except Exception as e:  # noqa: BLE001 - reported as the skip reason
            first = " ".join(str(e).strip().splitlines()[:2]) or type(e).__name__
            done[board, year] = RenderedReport(board, year, None, f"{type(e).__name__}: {first}")
    return done


@pytest.fixture
def report(request, rendered_reports) -> RenderedReport:
    r = rendered_reports[tuple(request.param)]
    if r.path is None:
        pytest.fail(f"{r.name} does not render: {r.error}")
    return r


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=..., device_scale_factor=...) -> a page in a fresh browser context."""
    contexts = []

    def make(viewport: dict | None = None, device_scale_factor: float = 1):
        ctx = browser.new_context(viewport=viewport or DESKTOP, device_scale_factor=device_scale_factor,
                                  locale="en-GB", java_script_enabled=True)
        ctx.route("http*://**", lambda route: route.abort())   # offline: a report must need no network
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
