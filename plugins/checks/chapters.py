"""The chapter-text check: a chapter whose text would render wrongly is refused before any cell runs — a
code fence never closed (it swallows the headings after it), a first cell that is not the ``parameters``
cell, a cell that sets another board or year than the book's. A plugin of ``lscb_check_year``: each
problem is a data error of ``lscb check`` and stops ``lscb render``."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from core import hookimpl
from core.board import normalise_year
from core.data import read_text
from core.errors import NotebookError
from plugins.render.builtin.qmd import read_book

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
_SETS = re.compile(r"^\s*(board_id|year)\s*(?::[^=]*)?=\s*([\"'])([^\"']*)\2\s*(?:#.*)?$")
_OPEN_BOARD = re.compile(r"open_board\(\s*([\"'])(.*?)\1(?:\s*,\s*([\"'])(.*?)\3)?")
_YEAR_FOLDER = re.compile(r"^\d{4}-\d{2}$")


def check_chapter_text(path: Path, board: Any, year: str, label: str | None = None) -> None:
    """Refuse a chapter whose text would render wrongly, before any cell runs (for either renderer):
    a code fence never closed (it swallows the headings after it), a first cell that is not the
    ``parameters`` cell, a cell that sets another board or year than the book's. ``board`` is a board id
    or a :class:`core.board.Board`. Raises NotebookError naming the chapter file and line."""
    board_id = str(getattr(board, "id", board))
    label = label or chapter_label(path)
    lines = read_text(path, label).splitlines()
    start = 0
    if lines and lines[0].strip() == "---":              # front matter: not Markdown, not cells
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    cells = _fenced_cells(lines, start, label)
    code = [(line, body) for line, info, body in cells if info.startswith("{python")]
    if not code:
        return
    first_line, first_body = code[0]
    options = [ln[2:].strip() for ln in first_body if ln.startswith("#|")]
    try:
        parsed = yaml.safe_load("\n".join(options)) or {} if options else {}
    except yaml.YAMLError:
        parsed = {}
    tags = parsed.get("tags") if isinstance(parsed, dict) else None
    if not (isinstance(tags, list) and "parameters" in tags):
        raise NotebookError(f"{label}, line {first_line}: expected the chapter's first cell to be its parameters "
                            "cell (#| tags: [parameters], setting board_id and year), found a cell without "
                            "that tag")
    per_year_book = bool(_YEAR_FOLDER.match(path.parent.name))
    for n, (line, body) in enumerate(code):
        for offset, text in enumerate(body, start=1):
            found = [(m.group(1), m.group(3)) for m in [_SETS.match(text)] if m]
            m = _OPEN_BOARD.search(text)
            if m:
                found += [("board_id", m.group(2))] + ([("year", m.group(4))] if m.group(4) is not None else [])
            for name, value in found:
                if name == "year" and n == 0 and not per_year_book:
                    continue          # a board-wide book's parameters cell holds a default; -P year overrides it
                want = board_id if name == "board_id" else year
                if name == "year":
                    value = normalise_year(value)
                if value != want:
                    raise NotebookError(
                        f"{label}, line {line + offset}: expected {name} {want!r} (this is the {board_id} "
                        f"{year} book), found {value!r}: a cell must not show another "
                        f"{'board' if name == 'board_id' else 'year'}'s data in this report")


def _fenced_cells(lines: list[str], start: int, label: str) -> list[tuple[int, str, list[str]]]:
    """(line of the opening fence, its info string, the lines inside) for every fenced block; an opening
    fence that is never closed, or a new cell opened inside an open one, is refused."""
    cells: list[tuple[int, str, list[str]]] = []
    open_at, fence, info, body = 0, "", "", []
    for i in range(start, len(lines)):
        m = _FENCE_LINE.match(lines[i])
        if not fence:
            if m:
                open_at, fence, info, body = i + 1, m.group(1), m.group(2), []
            continue
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2):
            cells.append((open_at, info, body))
            fence = ""
            continue
        if m and m.group(2).startswith("{") and info.startswith("{"):
            raise NotebookError(f"{label}, line {i + 1}: a new cell opens ({lines[i].strip()}) inside the cell "
                                f"opened at line {open_at}: expected {fence} to close that cell first, found "
                                "none")
        body.append(lines[i])
    if fence:
        raise NotebookError(f"{label}, line {open_at}: the fence {fence}{info} opened here is never closed: "
                            f"expected a closing {fence} line, found the end of the file (everything after "
                            "it, headings included, would be read as code)")
    return cells


def chapter_label(path: Path) -> str:
    """boards/<board>/<year>/<chapter>.qmd as a user sees it."""
    import os
    for folder in Path(path).resolve().parents:
        if (folder / "board.yml").is_file():
            return os.path.relpath(Path(path).resolve(), folder.parent.parent)
    return str(path)


@hookimpl(tryfirst=True)
def lscb_check_year(engine, year):
    board = engine.board
    book_dir = board.book_dir(year)
    book = read_book(book_dir, chapter_label(book_dir / "_quarto.yml"))
    errors = []
    for path in book.chapters + book.appendices:
        try:
            check_chapter_text(path, board, year)
        except NotebookError as e:
            errors.append(e)
    return errors
