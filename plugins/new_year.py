"""`lscb new-year BOARD YEAR [--from YEAR]`: next year's report, started from this year's.

What is carried over, and how (docs/next-year.md):

- ``board.yml`` gets the year, with the latest year's keys (title and period moved on a year) and the
  Working Together edition in force for the new year (:func:`core.board.default_edition`).
- The year's book is a copy of the latest year's chapters: the year parameter, titles, headings and
  captions moved on a year; every paragraph of prose starts with ``[to rewrite]``.
- ``data/<year>/`` holds every data file with its structure. Figures become ``[to fill]``. Where the data
  model has a comparison column or period, last year's figures fill it:
  ``indicators.csv`` gets rows for the new period (``[to fill]``) beside last year's rows; a printed table
  whose column headers name years ("2012/13", "2013/14") moves on a year, the column that was last year's
  keeping its figures and the new year's column to fill; ``attendance.csv`` and ``budget.csv`` keep their
  members and lines with the figures to fill. Text in content files (``text``, list items, progress) is
  marked ``[to rewrite]``; key figures and statuses are ``[to fill]``. ``consistency.yml`` starts empty,
  because last year's declared figures are not this year's.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from core import hookimpl
from core.board import Board, check_year, default_edition
from core.errors import BoardError
from plugins.blocks.figures import is_figure
from plugins.contracts import TO_FILL, TO_REWRITE

# --- moving text on a year ---------------------------------------------------------------------------

_YEARS = re.compile(r"(?<![\d.])(?:(\d{4}|\d{2})([/\-–])(\d{4}|\d{2})|(\d{4}))(?![\d])")


def roll(text: str, year: str) -> str:
    """Move every mention of ``year`` (and the year before it) on by one: "2013/14" -> "2014/15",
    "Total for 12/13" -> "Total for 13/14", "31 March 2014" -> "31 March 2015". Other years stay."""
    start = int(year[:4])

    def full(y: str) -> int:
        return int(y) if len(y) == 4 else 2000 + int(y) if start >= 2000 else 1900 + int(y)

    def shift(y: str) -> str:
        n = full(y) + 1
        return str(n) if len(y) == 4 else f"{n % 100:02d}"

    def sub(m: re.Match) -> str:
        if m.group(4):
            return shift(m.group(4)) if start - 1 <= int(m.group(4)) <= start + 1 else m.group(0)
        a, sep, b = m.group(1), m.group(2), m.group(3)
        if full(b) == full(a) + 1 and start - 1 <= full(a) <= start:
            return f"{shift(a)}{sep}{shift(b)}"
        return m.group(0)

    return _YEARS.sub(sub, text)


def rewrite(text: str) -> str:
    return text if text.lstrip().startswith(TO_REWRITE) else f"{TO_REWRITE} {text}"


_NUMBER = re.compile(r"[<>~]?[-+−]?£?\d[\d,]*(?:\.\d+)?\s?%?\*?")


def _figure_like(cell: str) -> bool:
    return bool(cell.strip()) and (is_figure(cell) or bool(_NUMBER.fullmatch(cell.strip())))


# --- CSV files ---------------------------------------------------------------------------------------

def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def roll_table(rows: list[list[str]], year: str) -> list[list[str]]:
    """A printed table: year columns move on (last year's keeps its figures), other figures to fill."""
    header, body = rows[0], rows[1:]
    rolled = [roll(h, year) for h in header]
    if len(set(rolled)) != len(rolled):
        rolled = header
    out = [rolled]
    for row in body:
        if len([c for c in row if c.strip()]) <= 1 and row and row[0].strip():
            out.append(row)                  # a group heading
            continue
        new = []
        for j, cell in enumerate(row):
            if j == 0:
                new.append(roll(cell, year))
            elif rolled[j] != header[j] and rolled[j] in header:
                new.append(row[header.index(rolled[j])])      # last year's figures: the comparison column
            elif rolled[j] != header[j]:
                new.append(TO_FILL if cell.strip() else "")     # the new year's column
            else:
                new.append(TO_FILL if _figure_like(cell) else cell)
        out.append(new)
    return out


def roll_indicators(rows: list[list[str]], year: str, new_year: str) -> list[list[str]]:
    """Rows for the new period to fill, beside last year's rows kept as the comparison."""
    header, body = rows[0], rows[1:]
    idx = {name: i for i, name in enumerate(header)}
    col, per, val, note = idx["column"], idx["period"], idx["value"], idx.get("note")
    old = {(r[idx["table"]], r[idx["indicator"]], r[col]): r for r in body}
    out, seen = [header], set()

    def add(row: list[str]) -> None:
        key = (row[idx["table"]], row[idx["indicator"]], row[col])
        if key not in seen:
            seen.add(key)
            out.append(row)

    for r in body:
        fresh = list(r)
        fresh[val] = TO_FILL
        if note is not None:
            fresh[note] = ""
        rolled = roll(r[col], year)
        if rolled == r[col]:                 # no year in the column: the new year beside the old
            fresh[col], fresh[per] = f"{r[col]} {new_year}", new_year
            kept = list(r)
            kept[col] = f"{r[col]} {year}"
            add(fresh)
            add(kept)
            continue
        fresh[col] = rolled
        fresh[per] = roll(r[per], year) if roll(r[per], year) != r[per] else new_year
        carried = old.get((r[idx["table"]], r[idx["indicator"]], rolled))
        add(list(carried) if carried else fresh)
    return out


def roll_attendance(rows: list[list[str]]) -> list[list[str]]:
    header = rows[0]
    figures = {i for i, h in enumerate(header) if h in ("attended", "possible", "percent")}
    comment = header.index("comment") if "comment" in header else None
    out = [header]
    for r in rows[1:]:
        r = [TO_FILL if i in figures else ("" if i == comment else c) for i, c in enumerate(r)]
        out.append(r)
    return out


def roll_budget(rows: list[list[str]]) -> list[list[str]]:
    header = rows[0]
    amount, note = header.index("amount"), header.index("note") if "note" in header else None
    return [header] + [[TO_FILL if i == amount else ("" if i == note else c) for i, c in enumerate(r)]
                       for r in rows[1:]]


# --- YAML files --------------------------------------------------------------------------------------

PROSE = {"text", "summary", "progress", "response", "finding", "intro", "description", "notes"}
PROSE_LISTS = {"items", "working_well", "worried_about", "needs_to_happen", "progress", "rows", "notes"}
TO_FILL_KEYS = {"status"}
COLUMN_KEYS = {"x", "y", "color", "column", "count", "percent", "total_column", "counts", "columns"}
ROLLED = {"caption", "title", "label", "alt", "period", "heading", "headers", "subtitle"}
DROPPED = {"printed"}      # last year's printed judgement (impact measures) is not this year's


def roll_yaml(node: Any, year: str, key: str = "", parent: dict | None = None,
              columns: dict[str, str] | None = None) -> Any:
    """``columns``: old -> new names of the columns that moved on a year (printed tables' headers and
    indicators' columns); where a content file names a column (a chart's y, a check, a note) it follows."""
    columns = columns or {}
    if isinstance(node, dict):
        if key == "derived":           # {percent column: count column}
            return {columns.get(k, k): columns.get(v, v) for k, v in node.items()}
        return {k: roll_yaml(v, year, str(k), node, columns) for k, v in node.items() if k not in DROPPED}
    if isinstance(node, list):
        if key in PROSE_LISTS and not (key == "rows" and parent is not None and ({"table", "indicators"} & set(parent))):
            # (a chart's rows: are the labels it shows, not prose)
            return [rewrite(x) if isinstance(x, str) else roll_yaml(x, year, key, parent, columns) for x in node]
        return [roll_yaml(x, year, key, parent, columns) for x in node]
    if isinstance(node, str):
        if key in COLUMN_KEYS and node in columns:
            return columns[node]
        if key == "value" and parent is not None and "label" in parent:
            return TO_FILL
        if key in TO_FILL_KEYS:
            return TO_FILL
        if key in PROSE:
            return rewrite(node)
        return roll(node, year) if key in ROLLED else node      # ids and file names never change
    return node


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# --- the book ----------------------------------------------------------------------------------------

def roll_chapter(text: str, year: str, new_year: str) -> str:
    """Front matter, headings, captions and the year parameter move on; each paragraph of prose is marked."""
    lines, out = text.split("\n"), []
    in_code = in_front = False
    para_start = True
    for n, line in enumerate(lines):
        stripped = line.strip()
        if n == 0 and stripped == "---":
            in_front = True
            out.append(line)
            continue
        if in_front:
            in_front = stripped != "---"
            out.append(roll(line, year))
            para_start = True
            continue
        if stripped.startswith("```"):
            in_code = not in_code
            out.append(line)
            para_start = True
            continue
        if in_code:
            line = re.sub(r'^(year\s*=\s*)"[^"]*"', rf'\g<1>"{new_year}"', line)
            out.append(roll(line, year) if stripped.startswith("#|") else line)
            continue
        if not stripped:
            out.append(line)
            para_start = True
            continue
        if stripped.startswith(("#", ":::", "<!--", "|", "{{")):
            out.append(roll(line, year) if stripped.startswith("#") else line)
            para_start = True
            continue
        if para_start:
            indent = line[: len(line) - len(line.lstrip())]
            bullet = re.match(r"^(\s*(?:[-*+]|\d+\.)\s+)(.*)$", line)
            line = f"{bullet.group(1)}{rewrite(bullet.group(2))}" if bullet else indent + rewrite(line.lstrip())
            para_start = bool(bullet)      # every item of a list is its own passage
        out.append(line)
    return "\n".join(out)


# --- board.yml ---------------------------------------------------------------------------------------

def add_year_to_board_yml(text: str, source: str, year: str) -> str:
    """Insert the new year after the source year's entry, keeping the file's layout and comments."""
    lines = text.split("\n")
    head = re.compile(rf"^(\s+)['\"]?{re.escape(source)}['\"]?\s*:\s*$")
    start = next((i for i, line in enumerate(lines) if head.match(line)), None)
    if start is None:
        raise BoardError(f"board.yml: cannot find the entry of {source} under years: to copy")
    indent = len(head.match(lines[start]).group(1))
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    entry = [" " * indent + f"{year}:"]
    body = [roll(line, source) for line in lines[start + 1:end]]
    edition = default_edition(year)
    if any(re.match(r"^\s+edition\s*:", b) for b in body):
        body = [re.sub(r"^(\s+edition\s*:\s*).*$", rf"\g<1>{edition}", b) for b in body]
    else:
        body.append(" " * (indent + 2) + f"edition: {edition}")
    return "\n".join(lines[:end] + entry + body + lines[end:])


# --- the command -------------------------------------------------------------------------------------

def new_year(board_id: str, year: str, source: str | None = None) -> dict[str, object]:
    """Roll ``board_id`` forward to ``year`` from ``source`` (default: its latest year)."""
    board = Board.load(board_id)
    check_year(year)
    if year in board.years:
        raise BoardError(f"{board_id}: board.yml already has {year}; choose another year or remove it first")
    source = board.check_year(source) if source else max(board.years)
    if source > year:
        raise BoardError(f"--from {source}: later than {year}; roll forward from an earlier year")
    src_data = board.root / "data" / source
    new_data = board.root / "data" / year
    src_book, new_book = board.book_dir(source), board.root / year
    for p in (new_data, new_book):
        if p.exists():
            raise BoardError(f"{p} already exists: remove it first, or choose another year")
    if not src_data.is_dir():
        raise BoardError(f"{board_id} {source}: no data folder {src_data}")

    work = Path(tempfile.mkdtemp(prefix=".new-year-", dir=board.root))
    try:
        files = _roll_data(src_data, work / "data", source, year)
        chapters = 0
        if src_book != board.root:      # a book per year; a shared book takes the year as a parameter
            chapters = _roll_book(src_book, work / "book", source, year)
        board_yml = add_year_to_board_yml((board.root / "board.yml").read_text(encoding="utf-8"), source, year)
        os.replace(work / "data", new_data)
        if chapters:
            os.replace(work / "book", new_book)
        tmp = board.root / ".board.yml.new"
        tmp.write_text(board_yml, encoding="utf-8")
        os.replace(tmp, board.root / "board.yml")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"data": new_data, "book": new_book if chapters else None, "files": files, "chapters": chapters,
            "edition": default_edition(year), "source": source}


def moved_columns(src: Path, source: str) -> dict[str, str]:
    """Columns whose name changes: a printed table's year headers, and the indicators' columns (a column
    with no year in it becomes last year's comparison, "England" -> "England 2013-14")."""
    out = {h: roll(h, source) for p in src.glob("tables/*.csv") for h in (_read_csv(p) or [[]])[0]
           if roll(h, source) != h}
    if (src / "indicators.csv").is_file():
        rows = _read_csv(src / "indicators.csv")
        col = rows[0].index("column") if rows and "column" in rows[0] else None
        for r in rows[1:] if col is not None else []:
            out.setdefault(r[col], roll(r[col], source) if roll(r[col], source) != r[col] else f"{r[col]} {source}")
    return out


def _roll_data(src: Path, dst: Path, source: str, year: str) -> int:
    count = 0
    columns = moved_columns(src, source)
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(src)
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        count += 1
        if rel.as_posix() == "notes.md":
            target.write_text(f"# Data notes {year}\n\nStarted from {source} with lscb new-year on "
                              f"{date.today().isoformat()}. Say here where each figure comes from, and "
                              "anything that could not be recovered.\n", encoding="utf-8")
        elif rel.as_posix() == "consistency.yml":
            target.write_text("# Figures that should agree (docs/data-format.md); last year's checks are in "
                              f"data/{source}/consistency.yml.\nchecks: []\n", encoding="utf-8")
        elif path.suffix == ".csv":
            rows = _read_csv(path)
            if not rows:
                shutil.copyfile(path, target)
            elif rel.as_posix() == "indicators.csv":
                target.write_text(_csv_text(roll_indicators(rows, source, year)), encoding="utf-8")
            elif rel.as_posix() == "attendance.csv":
                target.write_text(_csv_text(roll_attendance(rows)), encoding="utf-8")
            elif rel.as_posix() == "budget.csv":
                target.write_text(_csv_text(roll_budget(rows)), encoding="utf-8")
            else:
                target.write_text(_csv_text(roll_table(rows, source)), encoding="utf-8")
        elif path.suffix in (".yml", ".yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            target.write_text(dump_yaml(roll_yaml(data, source, columns=columns)), encoding="utf-8")
        else:
            shutil.copyfile(path, target)
    return count


def _roll_book(src: Path, dst: Path, source: str, year: str) -> int:
    chapters = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.parts[0].startswith(("_book", ".quarto", "_freeze")):
            continue
        target = dst / rel
        if path.is_symlink():           # e.g. _extensions -> ../../../quarto/_extensions: a link stays a link
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(path), target)
            continue
        if not path.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".qmd":
            chapters += 1
            target.write_text(roll_chapter(path.read_text(encoding="utf-8"), source, year), encoding="utf-8")
        elif path.name == "_quarto.yml":
            target.write_text(roll(path.read_text(encoding="utf-8"), source), encoding="utf-8")
        else:
            shutil.copyfile(path, target)
    from plugins.render.quarto.render import link_extension
    link_extension(dst)          # the lscb Quarto extension (rglob does not follow the _extensions link)
    return chapters


def _cmd_new_year(args) -> int:
    done = new_year(args.board, args.year, args.source)
    print(f"added {args.year} to boards/{args.board}/board.yml (Working Together edition {done['edition']})")
    if done["book"]:
        print(f"wrote {done['book']} ({done['chapters']} chapters from {done['source']})")
    print(f"wrote {done['data']} ({done['files']} data files from {done['source']})")
    print(f"next: lscb check {args.board} --year {args.year} lists the figures to fill and the prose to rewrite")
    return 0


@hookimpl
def lscb_register_commands(subparsers):
    p = subparsers.add_parser("new-year", help="start next year's report from this year's (figures to fill)")
    p.add_argument("board")
    p.add_argument("year", help="the new report year, e.g. 2024-25")
    p.add_argument("--from", dest="source", help="the year to start from (default: the latest)")
    p.set_defaults(func=_cmd_new_year)
