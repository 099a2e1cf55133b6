"""When the browser cannot start, the browser tests fail once, with the cause, and the rest are skipped
(issue 18: a minimal Debian without libatomic1 gave 62 errors, each only "Connection closed while reading
from the driver"). A copy of tests/browser's conftest and probe runs a tiny browser test file in a
subprocess pytest, with Chromium or Playwright's Node.js pointed at a missing binary or at one that cannot
load a shared library, or with axe-core (the axe-playwright-python package) not importable."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROWSER = Path(__file__).resolve().parent / "browser"
PROBE_ID = "test_browser_starts.py::test_browser_starts"

TINY = '''
def test_page_one(new_page):
    page = new_page()
    page.set_content("<h1>One</h1>")
    assert page.text_content("h1") == "One"

def test_page_two(new_page):
    assert new_page().evaluate("1 + 1") == 2

def test_browser_itself(browser):
    assert browser.is_connected()

def test_without_browser():
    assert True
'''

LOADER_ERROR = ("error while loading shared libraries: {lib}: cannot open shared object file: "
                "No such file or directory")


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """tests/browser's conftest and probe test and the tiny test file (axe-core is the installed package's)."""
    here = tmp_path / "browser"
    here.mkdir()
    shutil.copy(BROWSER / "conftest.py", here / "conftest.py")
    shutil.copy(BROWSER / "test_browser_starts.py", here / "test_browser_starts.py")
    (here / "test_tiny.py").write_text(TINY, encoding="utf-8")
    (here / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: needs Chromium\n", encoding="utf-8")
    return here


def fake_binary(path: Path, lib: str) -> Path:
    """An executable that fails as a binary does when the loader cannot find one of its libraries."""
    path.write_text(f'#!/bin/sh\necho "$0: {LOADER_ERROR.format(lib=lib)}" >&2\nexit 127\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def without_axe(tmp: Path) -> dict[str, str]:
    """A PYTHONPATH whose axe_playwright_python, found before the installed one, fails to import as a package
    that is not installed does."""
    shadow = tmp / "shadow" / "axe_playwright_python"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'axe_playwright_python'\", name='axe_playwright_python')\n",
        encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(shadow.parent), os.environ.get("PYTHONPATH")]))}


def run_pytest(here: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTEST_", "LSCB_CHROMIUM", "LSCB_SKIP_BROWSER", "PLAYWRIGHT_NODEJS"))}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                          "--rootdir", str(here), *args], cwd=here, env={**clean, **env},
                         capture_output=True, text=True, timeout=300)
    return run.returncode, run.stdout + run.stderr


def counts(output: str) -> dict[str, int]:
    summary = output.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)", summary)}


CASES = {
    "chromium missing": (lambda tmp: {"LSCB_CHROMIUM": str(tmp / "no-such" / "chromium")},
                         r".*no-such/chromium is missing: run \.ci/install-browser"),
    "axe-core missing": (without_axe, r"axe-core is missing: the axe-playwright-python package is not installed: "
                                      r"pip install -e '\.\[test\]'"),
    "chromium lacks a library": (
        lambda tmp: {"LSCB_CHROMIUM": str(fake_binary(tmp / "chromium", "libnss3.so"))},
        r".*chromium does not start: .*libnss3\.so: cannot open shared object file"),
    "driver's node lacks libatomic": (
        lambda tmp: {"PLAYWRIGHT_NODEJS_PATH": str(fake_binary(tmp / "node", "libatomic.so.1"))},
        r"Playwright's driver cannot start \(exit 127\): .*libatomic\.so\.1: cannot open shared object file"),
    "driver's node missing": (lambda tmp: {"PLAYWRIGHT_NODEJS_PATH": str(tmp / "no-such" / "node")},
                              r"Playwright's driver cannot start: .*no-such/node: No such file or directory"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_browser_that_cannot_start_fails_once_with_the_cause(suite: Path, tmp_path: Path, case: str):
    make_env, cause = CASES[case]
    rc, out = run_pytest(suite, make_env(tmp_path))
    assert rc == 1, out
    assert counts(out) == {"failed": 1, "skipped": 3, "passed": 1}, out
    assert re.search(rf"FAILED {re.escape(PROBE_ID)}|_ test_browser_starts _", out), out
    assert re.search(r"browser could not start: " + cause, out), out
    # Every browser test but the probe is skipped, pointing at it; the driver's own message never shows.
    assert re.search(rf"SKIPPED \[3\] .*browser could not start: see {re.escape(PROBE_ID)}", out), out
    assert "Connection closed" not in out, out


def test_without_the_probe_the_first_browser_test_reports_the_cause(suite: Path, tmp_path: Path):
    rc, out = run_pytest(suite, {"LSCB_CHROMIUM": str(tmp_path / "no-such" / "chromium")}, "test_tiny.py")
    assert rc == 1, out
    assert counts(out) == {"error": 1, "skipped": 2, "passed": 1}, out
    assert re.search(r"test_page_one.*\n.*browser could not start: .*no-such/chromium is missing", out), out
    assert re.search(r"SKIPPED \[2\] .*browser could not start: see test_tiny\.py::test_page_one", out), out


def test_skip_on_purpose(suite: Path):
    rc, out = run_pytest(suite, {"LSCB_SKIP_BROWSER": "1"})
    assert rc == 0, out
    assert counts(out) == {"skipped": 4, "passed": 1}, out
    assert re.search(r"SKIPPED \[4\] .*LSCB_SKIP_BROWSER is set", out), out


@pytest.mark.browser
def test_working_browser_runs_the_tests(suite: Path):
    from tests.browser.conftest import missing_browser_reason
    reason = missing_browser_reason()
    if reason:
        pytest.fail(f"the browser tests cannot run here: {reason}")
    rc, out = run_pytest(suite, {})
    assert rc == 0, out
    assert counts(out) == {"passed": 5}, out
