"""lscb works in a partnership's own project folder: it finds the boards from where it runs, as git finds
its repository, and keeps its cache there, not beside the engine."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from core import project
from plugins.project import PACKAGED_EXTENSIONS, link_extension
from plugins.render import report_cache

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


def test_outside_any_project_the_message_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    for var in ("LSCB_BOARDS", "LSCB_PROJECT"):
        monkeypatch.delenv(var, raising=False)
    from core.cli import main
    for argv in (["render", "newtown"], ["list"], ["new-board", "newtown", "--area", "Newtown"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "no lscb project here" in err and "lscb init" in err and "--project" in err, err
    assert list(empty.iterdir()) == []
    assert not (project.ENGINE_ROOT / "boards" / "newtown").exists()    # never the toolkit's own checkout


def test_a_project_file_marks_a_project_before_it_has_a_board(tmp_path):
    root = tmp_path / "p"
    (root / "boards").mkdir(parents=True)
    (root / "lscb.yml").write_text("# an lscb project\n", encoding="utf-8")
    (root / "notes").mkdir()
    assert project.project_dir(root / "notes") == root
    assert project.boards_dir(root / "notes") == root / "boards"
    listed = _run(["list"], root / "notes")
    assert listed.returncode == 0 and listed.stdout == "", listed.stderr


def test_project_option_and_variable_name_the_project_from_anywhere(tmp_path):
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    by_option = _run(["--project", str(root), "list"], elsewhere)
    assert by_option.returncode == 0 and by_option.stdout.startswith("newtown\t"), by_option.stderr
    by_variable = _run(["list"], elsewhere, LSCB_PROJECT=str(root))
    assert by_variable.returncode == 0 and by_variable.stdout.startswith("newtown\t"), by_variable.stderr
    # --project wins over a boards folder named in the environment
    other = tmp_path / "other"
    BoardMaker(other).make("oldtown", "2014-15")
    both = _run(["--project", str(root), "list"], elsewhere, LSCB_BOARDS=str(other))
    assert both.stdout.startswith("newtown\t") and "oldtown" not in both.stdout
    missing = _run(["--project", str(tmp_path / "nowhere"), "list"], elsewhere)
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "lscb init" in missing.stderr


def test_new_board_writes_into_the_current_project_and_links_its_extension(tmp_path):
    root = tmp_path / "p"
    assert _run(["init", str(root)], tmp_path).returncode == 0
    (root / "boards" / "old").mkdir()
    made = _run(["new-board", "newtown", "--area", "Newtown"], root / "boards" / "old")
    assert made.returncode == 0, made.stderr
    assert (root / "boards" / "newtown" / "board.yml").is_file()
    assert not (project.ENGINE_ROOT / "boards" / "newtown").exists()
    link = root / "boards" / "newtown" / "2024-25" / "_extensions"
    assert link.is_symlink() and os.readlink(link) == "../../../_extensions"
    done = _run(["render", "newtown"], root / "boards")                  # default output: <project>/out
    assert done.returncode == 0, done.stderr
    assert "Newtown" in (root / "out" / "index.html").read_text(encoding="utf-8")


def test_init_again_refreshes_the_extension_and_keeps_the_partnerships_files(tmp_path):
    from plugins.project import init_project
    root = tmp_path / "p"
    init_project(root)
    (root / "README.md").write_text("our own notes\n", encoding="utf-8")
    stale = root / "_extensions" / "lscb" / "lscb.css"
    stale.write_text("/* old */", encoding="utf-8")
    written = init_project(root)
    assert (root / "README.md").read_text(encoding="utf-8") == "our own notes\n"
    assert stale.read_bytes() == (PACKAGED_EXTENSIONS / "lscb" / "lscb.css").read_bytes()
    assert written == [root / "_extensions" / "lscb"]
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    init_file = _run(["init", "afile"], tmp_path)
    assert init_file.returncode == 1 and "expected a folder" in init_file.stderr


def test_books_in_a_checkout_of_lscb_reports_link_to_its_quarto_folder(tmp_path):
    checkout = tmp_path / "lscb-reports"
    shutil.copytree(PACKAGED_EXTENSIONS, checkout / "quarto" / "_extensions")
    BoardMaker(checkout / "boards").make("newtown", "2024-25")
    book = checkout / "boards" / "newtown" / "2024-25"
    assert link_extension(book)
    assert os.readlink(book / "_extensions") == "../../../quarto/_extensions"      # as this repository's books
    assert not (checkout / "_extensions").exists()


def test_a_book_finds_its_own_board_whatever_the_environment_names(tmp_path, monkeypatch):
    from core.notebook import open_board
    root = _project(tmp_path)
    other = tmp_path / "other"
    BoardMaker(other).make("newtown", "2024-25", board_yml=(
        "name: Wrong Board\narea: Wrong\nyears:\n  2024-25:\n    title: x\n"))
    monkeypatch.setenv("LSCB_BOARDS", str(other))
    monkeypatch.chdir(root / "boards" / "newtown" / "2024-25")          # where Quarto runs a chapter
    board = open_board()
    assert board.name.startswith("Newtown") and board.year == "2024-25"


def test_new_section_goes_into_a_board_of_the_project_never_into_the_toolkit(tmp_path):
    root = _project(tmp_path)
    made = _run(["new-section", "local-offer", "--board", "newtown"], root)
    assert made.returncode == 0, made.stderr
    assert (root / "boards" / "newtown" / "plugins" / "local_offer.py").is_file()
    refused = _run(["new-section", "local-offer"], root)
    assert refused.returncode == 1 and "--board BOARD" in refused.stderr
    assert not (project.ENGINE_ROOT / "plugins" / "local_offer.py").exists()


def test_a_read_only_project_caches_in_the_user_cache_folder(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.delenv("LSCB_CACHE", raising=False)
    monkeypatch.delenv("LSCB_BOARDS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(root)
    assert report_cache.cache_dir() == root / ".lscb-cache"
    monkeypatch.setattr(project.os, "access", lambda path, mode: False)   # as on a read-only disk
    cache = report_cache.cache_dir()
    assert cache.parent == tmp_path / "xdg" / "lscb" and cache.name.startswith("my-partnership-")


def test_the_report_key_covers_the_extension_of_the_projects_own_books(tmp_path, monkeypatch):
    from core.board import Board
    from plugins.render.report_cache import report_key
    root = tmp_path / "p"
    assert _run(["init", str(root)], tmp_path).returncode == 0
    assert _run(["new-board", "newtown", "--area", "Newtown"], root).returncode == 0
    monkeypatch.setenv("LSCB_BOARDS", str(root / "boards"))
    board = Board.load("newtown")
    before = report_key(board, "2024-25", ["html"], renderer="quarto")
    with (root / "_extensions" / "lscb" / "lscb.lua").open("a", encoding="utf-8") as lua:
        lua.write("-- the partnership's own change\n")       # e.g. after `lscb init` refreshed it
    assert report_key(board, "2024-25", ["html"], renderer="quarto") != before
