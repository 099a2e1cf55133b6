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

from core.data import load_yaml, read_text
from core.errors import BoardError, NotebookError

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
