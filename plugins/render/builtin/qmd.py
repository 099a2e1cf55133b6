"""Reading a board's Quarto book: `_quarto.yml` and its `.qmd` chapters.

jupytext reads the chapters. Its own `.qmd` reader calls the quarto binary, which these machines lack,
so Quarto's executable fences (```` ```{python} ````) are first normalised to the Markdown fences
jupytext's Markdown format understands; the `#|` cell options are then parsed the way Quarto does
(YAML after the `#|` prefix).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import yaml

from ..data import load_yaml, read_text
from ..errors import BoardError, NotebookError

FENCE = re.compile(r"^(\s*)(`{3,})\{python([^}]*)\}\s*$", re.MULTILINE)
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass
class Cell:
    kind: str                     # "markdown" or "code"
    source: str
    line: int                     # 1-based line in the .qmd where the cell starts
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chapter:
    path: Path
    front: dict[str, Any]
    cells: list[Cell]

    @property
    def title(self) -> str:
        return str(self.front.get("title", ""))


def read_chapter(path: Path, label: str | None = None) -> Chapter:
    label = label or str(path)
    text = read_text(path, label)
    front: dict[str, Any] = {}
    m = FRONT.match(text)
    if m:
        try:
            front = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as e:
            raise NotebookError(f"{label}: front matter is not valid YAML ({_yaml_problem(e, 2)})") from None
        if not isinstance(front, dict):
            raise NotebookError(f"{label}: front matter must be a mapping of keys, found {front!r}")
    normalised = FENCE.sub(lambda f: f"{f.group(1)}{f.group(2)}python", text)
    notebook = jupytext.reads(normalised, fmt="md")
    cells: list[Cell] = []
    pos = text[: m.end()].count("\n") if m else 0     # a line index (m.end() counts characters)
    lines = text.splitlines()
    for c in notebook.cells:
        if c.cell_type == "raw" and c.source.startswith("---"):
            continue                            # the front matter
        src = c.source
        if c.cell_type == "code":
            start = _find_code_line(lines, src, pos)
            options, body = parse_options(src, label, start)
            cells.append(Cell("code", body, start, options))
            pos = start
        else:
            start = _find_line(text, src, pos)
            cells.append(Cell("markdown", src, start))
    return Chapter(path, front, cells)


def _find_line(text: str, source: str, after_line: int) -> int:
    first = source.strip().splitlines()[0] if source.strip() else ""
    lines = text.splitlines()
    for i in range(max(after_line, 0), len(lines)):
        if first and lines[i].strip() == first.strip():
            return i + 1
    return after_line + 1


def _find_code_line(lines: list[str], source: str, after: int) -> int:
    for i in range(max(after, 0), len(lines)):
        if re.match(r"^\s*`{3,}\{?python", lines[i]):
            return i + 1
    return after + 1


def _yaml_problem(e: yaml.YAMLError, first_line: int) -> str:
    """'line N: problem' in the .qmd's own line numbers (YAML counts from the start of the snippet)."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    return f"line {first_line + mark.line}: {problem}" if mark else str(problem)


def parse_options(source: str, label: str, line: int) -> tuple[dict[str, Any], str]:
    """Split Quarto's `#| key: value` header from the code of a cell."""
    head, body = [], []
    lines = source.splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("#|"):
        head.append(lines[i][2:].strip())
        i += 1
    body = lines[i:]
    options: dict[str, Any] = {}
    if head:
        try:
            options = yaml.safe_load("\n".join(head)) or {}
        except yaml.YAMLError as e:
            raise NotebookError(f"{label}, cell at line {line}: the #| options are not valid YAML "
                                f"({_yaml_problem(e, line + 1)})") from None
        if not isinstance(options, dict):
            raise NotebookError(f"{label}, cell at line {line}: #| options must be key: value lines")
    return options, "\n".join(body)


# --- _quarto.yml -------------------------------------------------------------------------------------

@dataclass
class Book:
    root: Path
    config: dict[str, Any]
    chapters: list[Path]
    appendices: list[Path]

    @property
    def title(self) -> str:
        return str((self.config.get("book") or {}).get("title", ""))

    @property
    def execute(self) -> dict[str, Any]:
        return dict(self.config.get("execute") or {})


def _chapter_list(entries: Any, label: str, key: str) -> list[str]:
    out: list[str] = []
    if entries is None:
        return out
    if not isinstance(entries, list):
        raise BoardError(f"{label}: book.{key} must be a list of .qmd files, found {entries!r}")
    for e in entries:
        if isinstance(e, str):
            out.append(e)
        elif isinstance(e, dict) and "chapters" in e:      # a book part: {part: ..., chapters: [...]}
            if isinstance(e.get("part"), str) and e["part"].endswith(".qmd"):
                out.append(e["part"])
            out.extend(_chapter_list(e["chapters"], label, key))
        elif isinstance(e, dict) and "href" in e:
            out.append(str(e["href"]))
        else:
            raise BoardError(f"{label}: book.{key}: cannot read entry {e!r}")
    return out


def read_book(root: Path, label: str | None = None) -> Book:
    label = label or str(root / "_quarto.yml")
    config = load_yaml(root / "_quarto.yml", label)
    if not isinstance(config, dict) or not isinstance(config.get("book"), dict):
        raise BoardError(f"{label}: expected a Quarto book (project: type: book, with a book: key)")
    book = config["book"]
    chapters = _chapter_list(book.get("chapters"), label, "chapters")
    appendices = _chapter_list(book.get("appendices"), label, "appendices")
    if not chapters:
        raise BoardError(f"{label}: book.chapters lists no chapters")
    paths = []
    for name in chapters + appendices:
        p = (root / name)
        if not p.is_file():
            raise BoardError(f"{label}: chapter {name!r} is listed but {p} does not exist")
        paths.append(p)
    return Book(root, config, paths[: len(chapters)], paths[len(chapters):])


# --- checking a chapter as text, before anything runs ---------------------------------------------------

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
_SETS = re.compile(r"^\s*(board_id|year)\s*(?::[^=]*)?=\s*([\"'])([^\"']*)\2\s*(?:#.*)?$")
_OPEN_BOARD = re.compile(r"open_board\(\s*([\"'])(.*?)\1(?:\s*,\s*([\"'])(.*?)\3)?")
_YEAR_FOLDER = re.compile(r"^\d{4}-\d{2}$")


def check_chapter_text(path: Path, board: Any, year: str, label: str | None = None) -> None:
    """Refuse a chapter whose text would render wrongly, before any cell runs (both renderers call this):
    a code fence never closed (it swallows the headings after it), a first cell that is not the
    ``parameters`` cell, a cell that sets another board or year than the book's. ``board`` is a board id
    or a :class:`core.board.Board`. Raises NotebookError naming the chapter file and line."""
    board_id = str(getattr(board, "id", board))
    label = label or _chapter_label(path)
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
                    from ..board import normalise_year
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


def _chapter_label(path: Path) -> str:
    """boards/<board>/<year>/<chapter>.qmd as a user sees it."""
    import os
    for folder in Path(path).resolve().parents:
        if (folder / "board.yml").is_file():
            return os.path.relpath(Path(path).resolve(), folder.parent.parent)
    return str(path)
