"""Scaffolding: a new board renders at once, in every format; a new section plugin works with its test."""
from __future__ import annotations

import os

import pytest

from core.cli import main
from core.errors import BoardError
from core.notebook import open_board
from plugins.scaffold import new_board, new_section


def test_a_new_board_renders_to_html_pdf_and_docx(boards, tmp_path, capsys):
    assert main(["new-board", "newtown", "--area", "Newtown"]) == 0
    out = tmp_path / "out"
    assert main(["render", "newtown", "--out", str(out), "--format", "html,pdf,docx"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Newtown Safeguarding Children Partnership" in page and "EXAMPLE ROW" in page
    assert "How this report meets Working Together" in page            # the template turns the appendix on
    assert "[c]" in page                                               # and disclosure control (3 children)
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "report.docx").read_bytes()[:2] == b"PK"
    assert main(["check", "newtown"]) == 0
    assert "WT23-07" in capsys.readouterr().out


def test_new_board_refuses_bad_names_and_existing_folders(boards):
    with pytest.raises(BoardError, match="lower-case letters"):
        new_board("../evil", "X")
    new_board("newtown", "Newtown")
    with pytest.raises(BoardError, match="already exists"):
        new_board("newtown", "Newtown")


def test_new_section_writes_a_plugin_that_works(boards, tmp_path):
    root = tmp_path / "repo"
    (root / "plugins").mkdir(parents=True)
    (root / "tests").mkdir()
    plugin, test = new_section("local-offer", "learning", root=root)
    assert plugin == root / "plugins" / "local_offer.py"
    # the generated test is run, not only compiled: it renders a board with the new plugin and reads the page
    found: dict = {"__file__": str(test), "__name__": "test_section_local_offer"}
    exec(compile(test.read_text(encoding="utf-8"), str(test), "exec"), found)
    generated = [f for name, f in found.items() if name.startswith("test_") and callable(f)]
    assert len(generated) == 1
    generated[0](boards, tmp_path)
    assert "example figure" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_a_years_book_refuses_another_years_data(boards, tmp_path):
    root = boards.make()
    cwd = os.getcwd()
    os.chdir(root / "2014-15")                       # where Quarto runs this book's chapters
    try:
        assert open_board().year == "2014-15"
        with pytest.raises(BoardError, match="belongs to the 2014-15 book"):
            open_board("testshire", "2015-16")
    finally:
        os.chdir(cwd)
