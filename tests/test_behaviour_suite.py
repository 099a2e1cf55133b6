"""The suite itself: no test can pass on an empty parameter list.

Parameter lists built from the boards folder at collection time (the books, the reports) must stop the
run when the folder is empty, not collect zero tests and pass ("got empty parameter set").
"""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

#: test modules whose parameter lists come from the boards folder in use (LSCB_BOARDS) at collection time
FROM_BOARDS = ["tests/test_quarto_project.py", "tests/test_quarto_render.py"]


def collect(paths: list[str], boards) -> subprocess.CompletedProcess:
    env = {**os.environ, "LSCB_BOARDS": str(boards)}
    return subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_an_empty_boards_folder_stops_collection(tmp_path):
    empty = tmp_path / "boards"
    empty.mkdir()
    done = collect(FROM_BOARDS, empty)
    assert done.returncode != 0, done.stdout
    for path in FROM_BOARDS:
        assert f"ERROR {path} - AssertionError: no books in boards/" in done.stdout, done.stdout


def test_the_real_boards_folder_collects_tests():
    done = collect(FROM_BOARDS, REPO / "boards")
    assert done.returncode == 0, done.stdout + done.stderr
    assert " tests collected" in done.stdout or "tests collected" in done.stdout


def test_an_empty_parametrize_fails_at_collection(tmp_path):
    """pyproject's empty_parameter_set_mark = fail_at_collect: any other empty list fails too."""
    (tmp_path / "test_empty.py").write_text(
        "import pytest\n\n\n@pytest.mark.parametrize('board', [])\ndef test_x(board):\n    pass\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
                           str(REPO / "pyproject.toml"), "--rootdir", str(tmp_path), str(tmp_path / "test_empty.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Empty parameter set" in done.stdout, done.stdout
