"""Browser tests: every report rendered once, opened in Debian's Chromium through Playwright.

Chromium is the system one (/usr/bin/chromium, installed by .ci/install-browser; `LSCB_CHROMIUM` points
elsewhere); Playwright never downloads a browser here. axe-core is the axe.min.js that the
axe-playwright-python wheel ships (pinned in pyproject.toml's test extra): no Node.js or npm needed.

The browser is started once per session, before the first test that needs it (test_browser_starts.py is
ordered first). When it cannot start - Chromium or axe-core missing, Playwright's Node.js driver or Chromium
unable to load a shared library - that one test fails with the cause, and every other browser test is
skipped with "browser could not start: see <that test>", instead of each erroring with the driver's
"Connection closed". `LSCB_SKIP_BROWSER=1` skips them all on purpose (a machine without a browser).
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("LSCB_CHROMIUM", "/usr/bin/chromium"))
AXE_PACKAGE = "axe_playwright_python"     # the axe-playwright-python wheel; only its axe.min.js is used
AXE_HINT = "pip install -e '.[test]' in this environment (the test extra pins it; scripts/test does this)"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
FIXTURES = HERE / "fixtures"
PROBE_FILE = HERE / "test_browser_starts.py"
SKIP_ENV = "LSCB_SKIP_BROWSER"
INSTALL_HINT = "run .ci/install-browser (scripts/test runs it)"

#: Chromium's switches: no network, no first-run, no background services (this machine has no network
#: for the browser). Playwright adds --headless and gives every launch a fresh temporary profile
#: (--user-data-dir in a new temporary folder, removed on close).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

DESKTOP = {"width": 1280, "height": 800}


def axe_js() -> Path | None:
    """axe-core's axe.min.js in the installed axe-playwright-python package, or None when it is not installed
    (test_accessibility.run_axe injects the same file)."""
    try:
        return Path(str(files(AXE_PACKAGE) / "axe.min.js"))
    except ModuleNotFoundError:
        return None


def missing_browser_reason() -> str | None:
    """What the browser tests need that is not there (Chromium, axe-core, playwright), or None."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: {INSTALL_HINT}, which installs Debian's chromium"
    axe = axe_js()
    if axe is None:
        return f"axe-core is missing: the axe-playwright-python package is not installed: {AXE_HINT}"
    if not axe.is_file():
        return (f"axe-core is missing: {axe} does not exist (a broken axe-playwright-python install): "
                f"pip uninstall -y axe-playwright-python, then {AXE_HINT}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed in this environment (pip install -e '.[test]')"
    return None


def _stderr_cause(text: str, limit: int = 3) -> str:
    """The lines of a failed start's stderr that say why: a loader error first, else the last lines."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    loader = [ln for ln in lines if "error while loading shared libraries" in ln or "not found" in ln]
    return " | ".join(dict.fromkeys(loader or lines[-limit:]).keys()) or "(nothing on stderr)"


def driver_failure() -> str | None:
    """Playwright's Node.js driver run on its own (`node cli.js --version`), so that when it cannot start
    its stderr (e.g. a missing libatomic.so.1) is the cause, not "Connection closed while reading"."""
    try:
        from playwright._impl._driver import compute_driver_executable, get_driver_env
        node, cli = compute_driver_executable()
    except ImportError:
        return None                    # another playwright layout: the launch below reports what it can
    except Exception as e:  # noqa: BLE001 - playwright's own "does not include Node.js" error
        return f"Playwright's driver cannot start: {e}"
    try:
        run = subprocess.run([node, cli, "--version"], capture_output=True, text=True, timeout=60,
                             env=get_driver_env())
    except OSError as e:
        return f"Playwright's driver cannot start: {node}: {e.strerror}"
    except subprocess.TimeoutExpired:
        return f"Playwright's driver ({node}) did not answer within 60 s"
    if run.returncode != 0:
        return (f"Playwright's driver cannot start (exit {run.returncode}): {_stderr_cause(run.stderr)}; "
                f"{INSTALL_HINT}")
    return None


def launch_failure(error: Exception) -> str:
    """Playwright's launch error cut to the cause: Chromium's own stderr lines ("[pid=N][err] ...")."""
    text = str(error)
    err = [ln.split("[err]", 1)[1] for ln in text.splitlines() if "[err]" in ln]
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    cause = _stderr_cause("\n".join(err)) if err else first
    hint = f"; {INSTALL_HINT}" if "shared libraries" in cause else ""
    return f"{CHROMIUM} does not start: {cause}{hint}"


class BrowserStart:
    """One attempt per session to start Playwright and Chromium: the browser, or why it could not start."""

    def __init__(self) -> None:
        self.tried = False
        self.cause: str | None = None
        self.reported_by: str | None = None     # the test id that failed with the cause
        self.browser = None
        self._pw = None

    def start(self) -> None:
        if self.tried:
            return
        self.tried = True
        self.cause = missing_browser_reason() or driver_failure()
        if self.cause:
            return
        from playwright.sync_api import sync_playwright
        try:
            self._pw = sync_playwright().start()
            self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                    args=CHROMIUM_ARGS)
        except Exception as e:  # noqa: BLE001 - reported once, as the cause
            self.cause = launch_failure(e)
            self.stop()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            if self.browser is not None:
                self.browser.close()
        with contextlib.suppress(Exception):
            if self._pw is not None:
                self._pw.stop()
        self.browser = self._pw = None


START = BrowserStart()


def uses_browser(item: pytest.Item) -> bool:
    return bool({"browser", "browser_start"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items: list[pytest.Item]) -> None:
    # The probe goes just before the first test that needs the browser, so it is the one that fails.
    probes = [i for i in items if Path(str(i.path)) == PROBE_FILE]
    if not probes:
        return
    rest = [i for i in items if Path(str(i.path)) != PROBE_FILE]
    at = next((n for n, i in enumerate(rest) if uses_browser(i)), len(rest))
    items[:] = rest[:at] + probes + rest[at:]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture (the session's renders included): one failure with the cause, then skips.
    if not uses_browser(item):
        return
    if os.environ.get(SKIP_ENV):
        pytest.skip(f"{SKIP_ENV} is set: browser tests not run")
    START.start()
    if START.cause is None:
        return
    if START.reported_by is None:
        START.reported_by = item.nodeid
        if Path(str(item.path)) != PROBE_FILE:      # the probe test fails by itself, as a failed test
            pytest.fail(f"browser could not start: {START.cause}", pytrace=False)
    elif START.reported_by != item.nodeid:
        pytest.skip(f"browser could not start: see {START.reported_by}")


def pytest_sessionfinish(session) -> None:
    START.stop()


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
    from plugins.render.build import build_reports
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
def browser_start() -> BrowserStart:
    """The session's start of the browser (started before the test by pytest_runtest_setup)."""
    START.start()
    return START


@pytest.fixture(scope="session")
def browser(browser_start):
    if browser_start.browser is None:     # only when the hook above did not run (it skips first)
        pytest.skip(f"browser could not start: {browser_start.cause}")
    return browser_start.browser


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
