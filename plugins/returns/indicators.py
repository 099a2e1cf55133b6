"""Writing computed rows into a year's tidy ``indicators.csv``: the rows a return owns (its ``source``,
e.g. "SSDA903 return 2023-24") are replaced, every other row is left exactly as it was, and the file is
replaced in one move, so a reader sees the old file or the new one, never half of each."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from core.errors import DataError, DataErrors

from .definitions import Row

SHOWN = 40          # rows listed one by one; the rest are counted
HEADER = ["table", "indicator", "column", "period", "area", "value", "unit", "source", "note"]


def read(path: Path, label: str) -> tuple[list[list[str]], str]:
    """The file's rows (header first) and its line ending; a new file is just the header."""
    if not path.is_file():
        return [HEADER], "\n"
    raw = path.read_bytes().decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(raw)) if any(c.strip() for c in r)]
    if not rows or rows[0] != HEADER:
        raise DataError(label, "row 1 (header)", f"the columns {HEADER}", f"{rows[0] if rows else 'an empty file'}")
    return rows, "\r\n" if "\r\n" in raw else "\n"


def merge(rows: list[list[str]], new: list[Row], owned: set[str], label: str) -> list[list[str]]:
    """The file with the rows of the ``owned`` sources replaced by ``new``. A table's new rows go where
    its old computed rows were, or else before the table's first hand-entered row (so the board's own
    column comes before the England and region comparators), or else at the end. A hand-entered row
    with the key of a computed one is refused: the command never overwrites what someone typed."""
    header, body = rows[0], rows[1:]
    src = header.index("source")
    kept = [(n, r) for n, r in enumerate(body, start=2) if r[src] not in owned]
    keys = {tuple(r.key) for r in new}
    clashes = [DataError(label, f"row {n}", "a key (table, indicator, column) the returns do not write, or "
                         f"source {sorted(owned)[0]!r} to let them replace it",
                         f"{r[0]} / {r[1]} / {r[2]} entered with source {r[src]!r}")
               for n, r in kept if tuple(r[:3]) in keys]
    if clashes:
        raise clashes[0] if len(clashes) == 1 else DataErrors(clashes)
    by_table: dict[str, list[list[str]]] = {}
    for r in new:
        by_table.setdefault(r.table, []).append([r.table, r.indicator, r.column, r.period, r.area, r.value,
                                                 r.unit, r.source, r.note])
    anchor: dict[str, int] = {}
    for i, r in enumerate(body):                 # where each table's computed rows were
        if r[src] in owned and r[0] in by_table:
            anchor.setdefault(r[0], i)
    out: list[list[str]] = []
    placed: set[str] = set()
    for i, r in enumerate(body):
        table = r[0]
        if table in by_table and table not in placed and anchor.get(table, i) == i:
            out += by_table[table]
            placed.add(table)
        if r[src] not in owned:
            out.append(r)
    for table, rows_ in by_table.items():
        if table not in placed:
            out += rows_
    return [header] + out


def changes(old: list[list[str]], new: list[list[str]]) -> list[str]:
    """What changed, row by row, keyed by table / indicator / column (aggregates only)."""
    def keyed(rows):
        return {tuple(r[:3]): r for r in rows[1:]}
    a, b = keyed(old), keyed(new)
    value = HEADER.index("value")
    lines = []
    added = [k for k in b if k not in a]
    removed = [k for k in a if k not in b]
    changed = [k for k in b if k in a and a[k] != b[k]]
    for k in changed:
        was, now = a[k], b[k]
        what = (f"{was[value]!r} -> {now[value]!r}" if was[value] != now[value] else
                ", ".join(f"{h} {x!r} -> {y!r}" for h, x, y in zip(HEADER, was, now) if x != y))
        lines.append(f"  changed {' / '.join(k)}: {what}")
    lines += [f"  added   {' / '.join(k)}: {b[k][value]!r}" for k in added]
    lines += [f"  removed {' / '.join(k)} (was {a[k][value]!r})" for k in removed]
    summary = f"{len(added)} row(s) added, {len(changed)} changed, {len(removed)} removed"
    if len(lines) > SHOWN:
        lines = lines[:SHOWN] + [f"  ... and {len(lines) - SHOWN} more"]
    return [summary] + lines


def write(path: Path, rows: list[list[str]], newline: str) -> None:
    """Written beside the file, then moved over it."""
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    tmp = path.with_name(f".{path.name}.returns")
    try:
        tmp.write_text(out.getvalue(), encoding="utf-8", newline="")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
