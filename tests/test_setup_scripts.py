"""The README's two set-up commands (issue 18): executable in a fresh clone, `.ci/run` running the test command
and nothing else, and the post-install library check naming a missing library with the binary that needs it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["scripts/render-all", "scripts/test", ".ci/run", ".ci/install-system-packages",
           ".ci/install-browser", ".ci/check-libraries"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_is_committed_executable_and_parses(script: str):
    # A clone gets the mode git records, not this checkout's: the README runs them as `scripts/test`.
    # Without git (the fresh-Debian run clones from outside), the clone's own file mode says the same.
    if shutil.which("git") and (ROOT / ".git").exists():
        staged = subprocess.run(["git", "ls-files", "-s", "--", script], cwd=ROOT, capture_output=True,
                                text=True, check=True)
        assert staged.stdout.startswith("100755 "), f"{script} is not committed executable: {staged.stdout!r}"
    assert os.access(ROOT / script, os.X_OK), f"{script} is not executable"
    check = subprocess.run(["bash", "-n", script], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_ci_runs_the_test_command_and_nothing_else():
    commands = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
    assert commands == ['exec "$(dirname "$0")/../scripts/test"'], commands


def test_both_commands_check_the_libraries_after_installing():
    for script, call in [("scripts/test", "bash .ci/check-libraries\n"),
                         ("scripts/render-all", "bash .ci/check-libraries --render\n")]:
        text = (ROOT / script).read_text(encoding="utf-8")
        assert call in text, f"{script} does not run {call.strip()}"
        assert text.index("install_project") < text.index(call) < text.index("exec "), script


def needs_a_missing_library(source: Path, target: Path) -> Path:
    """A copy of a compiled module whose needed libpthread.so.0 is renamed: the loader cannot find it."""
    data = source.read_bytes()
    assert data.count(b"libpthread.so.0\x00") == 1, f"{source} does not name libpthread.so.0 once"
    target.write_bytes(data.replace(b"libpthread.so.0\x00", b"libpthreaX.so.0\x00"))
    return target


def test_check_libraries_names_the_missing_library_and_who_needs_it(tmp_path: Path):
    import _cffi_backend
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run([venv / "bin" / "python", "-c",
                           "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    broken = needs_a_missing_library(Path(_cffi_backend.__file__), Path(site) / "broken_module.so")
    shutil.copy(_cffi_backend.__file__, Path(site) / "sound_module.so")
    run = subprocess.run(["bash", str(ROOT / ".ci" / "check-libraries"), "--render"], cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "LSCB_VENV": str(venv)}, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"check-libraries: {broken} needs libpthreaX.so.0, which is not installed" in run.stderr, run.stderr
    assert "sound_module" not in run.stderr, run.stderr
    # No WeasyPrint in this venv: said, with Python's own last line.
    assert "WeasyPrint cannot load" in run.stderr and "No module named 'weasyprint'" in run.stderr, run.stderr


def test_check_libraries_passes_on_this_environment():
    run = subprocess.run(["bash", str(ROOT / ".ci" / "check-libraries"), "--render"], cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "LSCB_VENV": str(Path(sys.prefix))},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "every shared library found" in run.stdout
