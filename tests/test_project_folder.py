"""lscb works in a partnership's own project folder: it finds the boards from where it runs, as git finds
its repository, and keeps its cache there, not beside the engine."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core import project

from .conftest import BoardMaker

LSCB = [sys.executable, "-m", "core.cli"]


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("LSCB_BOARDS", "LSCB_CACHE")}
    environ.update(env)
    return subprocess.run([*LSCB, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "my-partnership"
    (root / "boards").mkdir(parents=True)
    BoardMaker(root / "boards").make("newtown", "2024-25")
    return root


def test_boards_are_found_from_the_project_folder_and_below(tmp_path):
    root = _project(tmp_path)
    for cwd in (root, root / "boards", root / "boards" / "newtown", root / "boards" / "newtown" / "2024-25"):
        assert project.boards_dir(cwd) == root / "boards", cwd
        assert project.project_dir(cwd) == root


def test_lscb_lists_and_renders_the_project_boards_not_the_engines(tmp_path):
    root = _project(tmp_path)
    listed = _run(["list"], root)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\t")[0] == "newtown"
    assert "coventry" not in listed.stdout             # the engine's own boards are not the user's

    done = _run(["render", "newtown", "--out", "out"], root / "boards" / "newtown")
    assert done.returncode == 0, done.stderr
    page = (root / "boards" / "newtown" / "out" / "index.html").read_text(encoding="utf-8")
    assert "1,918" in page and "professionals trained" in page
    assert (root / ".lscb-cache").is_dir()               # the cache lives in the project
    assert not (Path(project.__file__).parent.parent / ".lscb-cache" / "newtown").exists()


def test_an_explicit_boards_folder_wins(tmp_path):
    root = _project(tmp_path)
    other = tmp_path / "elsewhere"
    BoardMaker(other).make("oldtown", "2014-15")
    listed = _run(["list"], root, LSCB_BOARDS=str(other))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("oldtown\t") and "newtown" not in listed.stdout


def test_outside_any_project_the_message_says_where_boards_are_looked_for(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(project, "ENGINE_BOARDS", tmp_path / "no-boards-here")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.delenv("LSCB_BOARDS", raising=False)
    from core.cli import main
    assert main(["render", "newtown"]) == 1
    err = capsys.readouterr().err
    assert "no board 'newtown'" in err and "project folder" in err and "LSCB_BOARDS" in err
