"""Every board-year is a valid Quarto book that `quarto render` would render from the same notebooks.
Quarto cannot be installed here: its documented schema is checked, and the real render is skipped
(with the reason) unless a quarto binary is on PATH."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from core.board import Board, list_boards
from core.render.qmd import read_chapter

REPO = Path(__file__).resolve().parent.parent
BOOKS = [(b, y) for b in list_boards() for y in Board.load(b).years]

# Keys documented at quarto.org (project, book, format and execution options) that the books use.
TOP_KEYS = {"project", "book", "format", "metadata-files", "execute", "lang", "jupyter", "number-sections",
            "toc", "bibliography", "crossref"}
BOOK_KEYS = {"title", "subtitle", "author", "date", "chapters", "appendices", "output-file", "downloads"}
CELL_OPTIONS = {"echo", "eval", "output", "include", "warning", "error", "label", "fig-cap", "fig-alt",
                "tbl-cap", "tags", "fig-width", "fig-height", "code-fold", "tbl-colwidths", "message",
                "fig-subcap", "tbl-subcap"}


@pytest.mark.parametrize("board,year", BOOKS)
def test_book_config_follows_quartos_schema(board, year):
    book_dir = Board.load(board).book_dir(year)
    config = yaml.safe_load((book_dir / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "book"
    assert set(config) <= TOP_KEYS, set(config) - TOP_KEYS
    assert set(config["book"]) <= BOOK_KEYS, set(config["book"]) - BOOK_KEYS
    for meta in config.get("metadata-files", []):
        assert (book_dir / meta).is_file(), meta
    chapters = config["book"]["chapters"]
    assert chapters[0] == "index.qmd"           # Quarto books start with index.qmd
    for ch in chapters + config["book"].get("appendices", []):
        assert (book_dir / ch).is_file(), ch


@pytest.mark.parametrize("board,year", BOOKS)
def test_chapters_are_quarto_notebooks_with_a_parameters_cell(board, year):
    book_dir = Board.load(board).book_dir(year)
    config = yaml.safe_load((book_dir / "_quarto.yml").read_text(encoding="utf-8"))
    labels = set()
    for name in config["book"]["chapters"] + config["book"].get("appendices", []):
        text = (book_dir / name).read_text(encoding="utf-8")
        chapter = read_chapter(book_dir / name)
        assert chapter.title or text.lstrip().startswith("#"), f"{name}: no title"
        fences = re.findall(r"^```+[ \t]*\{?(\w+)", text, re.M)
        assert all(f == "python" for f in fences), f"{name}: only python cells"
        code = [c for c in chapter.cells if c.kind == "code"]
        if not code:
            continue
        assert "parameters" in (code[0].options.get("tags") or []), f"{name}: first cell is the parameters cell"
        assert f'board_id = "{board}"' in code[0].source and f'year = "{year}"' in code[0].source
        for c in code:
            assert set(c.options) <= CELL_OPTIONS, f"{name}:{c.line}: {set(c.options) - CELL_OPTIONS}"
            label = c.options.get("label")
            if label:
                assert re.match(r"^(tbl|fig)-[\w-]+$", label), f"{name}: label {label}"
                assert label not in labels, f"{name}: label {label} used twice in the book"
                labels.add(label)
                if label.startswith("tbl-"):
                    assert c.options.get("tbl-cap"), f"{name}: {label} has no tbl-cap"


def test_shared_metadata_and_theme_are_valid():
    meta = yaml.safe_load((REPO / "quarto" / "_metadata.yml").read_text(encoding="utf-8"))
    assert meta["format"]["html"]["html-math-method"] == "plain"      # offline: no MathJax from a CDN
    assert meta["format"]["html"]["embed-resources"] is True
    assert set(meta["format"]) == {"html", "docx", "pdf"}
    scss = (REPO / "quarto" / "theme.scss").read_text(encoding="utf-8")
    assert "/*-- scss:defaults --*/" in scss and "/*-- scss:rules --*/" in scss


def test_theme_palette_matches_the_engines_palette():
    from core.palette import CATEGORICAL
    scss = (REPO / "quarto" / "theme.scss").read_text(encoding="utf-8")
    for i, colour in enumerate(CATEGORICAL, start=1):
        assert f"$lscb-cat-{i}: {colour};" in scss


@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="quarto is not on PATH (it cannot be installed on this machine)")
@pytest.mark.parametrize("board,year", BOOKS[:1])
def test_quarto_renders_the_same_report(board, year, tmp_path):
    book = Board.load(board).book_dir(year)
    dest = tmp_path / "book"
    shutil.copytree(book.parent.parent.parent, tmp_path / "repo", dirs_exist_ok=True)
    subprocess.run(["quarto", "render", str(book), "--to", "html", "-P", f"year:{year}",
                    "--output-dir", str(dest)], check=True)
    assert any(dest.rglob("*.html"))
