"""Statistical disclosure control for counts of children, following the DfE conventions for children in
need, child protection and looked-after children statistics (see docs/disclosure.md).

- primary suppression: a count of children from 1 to 5 is not shown;
- secondary suppression: in a line (row or column) that has a total, one hidden cell could be worked
  back from the total, so the next smallest cell of that line is hidden too, until no line has exactly
  one hidden cell;
- a percentage or rate derived from a hidden count is hidden too; a true 0 stays 0;
- hidden cells show the GSS shorthand ``[c]``, and the table gets a footnote explaining it.

:func:`suppress` is pure: a :class:`~plugins.blocks.Table` of printed strings and a :class:`Declaration` in,
a new Table out. Nothing is ever computed from a hidden value. The rest of the module reads the
declaration from a content file and the policy from ``board.yml`` (``options: disclosure:``), and applies it
to every table the ``table`` and ``indicators`` directives build, through the ``lscb_show_table`` hook.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from core import hookimpl
from core.data import DataError
from plugins.blocks import Table
from plugins.checks.consistency import table_checks
from plugins.contracts import Contract, round_half_up
from plugins.options import Option

POLICIES = ("as-published", "dfe")
DEFAULT_POLICY = "as-published"
LSCB_OPTIONS = (Option("disclosure", str, POLICIES, "suppress small counts of children (docs/disclosure.md)"),)
SYMBOL = "[c]"
NOTE = "[c] confidential: a count of 1 to 5 children, or a figure from which one could be worked out, is not shown."
SMALLEST, LARGEST = 1, 5                      # DfE primary suppression: 1 to 5 inclusive
DERIVED_UNITS = ("percent", "rate_per_10000", "ratio")   # indicator units computed from a count

Cell = tuple[int, str]                        # (row position in the frame, column name)

# A printed count: 4, 1,918, or with a footnote mark as some reports print it (37*, 12¹).
_COUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]*$")
_HIDDEN = {"[c]", "c"}


@dataclass
class Declaration:
    """Which cells of a table are counts of children, which figures derive from them, and the totals.

    ``counts`` and ``derived`` name columns (printed tables); ``cells`` and ``derived_cells`` name single
    cells as (row position, column) (indicators, where the unit is per cell). A column named ``Total``
    and a row whose first cell is ``Total`` are taken as totals when none is declared."""
    counts: tuple[str, ...] = ()
    derived: Mapping[str, str] = field(default_factory=dict)      # percent/rate column -> count column
    total_row: str | None = None                                  # first-column label of the totals row
    total_column: str | None = None
    cells: frozenset[Cell] = frozenset()
    derived_cells: Mapping[Cell, tuple[Cell, ...]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.counts or self.cells)


def declaration_from_contract(contract: Contract, derived: Mapping[str, str] | None = None,
                              total_row: str | None = None, total_column: str | None = None) -> Declaration:
    """A declaration for a typed CSV: its ``Column(child_count=True)`` columns are the counts."""
    counts = tuple(c.name for c in contract.columns if c.child_count)
    return Declaration(counts, dict(derived or {}), total_row, total_column)


def derived_figure(count: str, base: str, per: int = 100, places: int = 1) -> str:
    """A percentage (per=100) or rate (per=10000) of two printed figures, as text; ``[c]`` when either is
    hidden or not a number, so nothing is ever computed from a suppressed value."""
    c, b = _count(count), _count(base)
    if c is None or b is None or isinstance(c, str) or isinstance(b, str) or b == 0:
        return SYMBOL
    return str(round_half_up(Decimal(c) * per / Decimal(b), places))


# --- the suppression itself ------------------------------------------------------------------------------

def _count(value: Any) -> int | str | None:
    """A printed count as an int, SYMBOL when already hidden, None when the cell is not a count."""
    s = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    if s.lower() in _HIDDEN:
        return SYMBOL
    m = _COUNT.match(s)
    return int(m.group(1).replace(",", "")) if m else None


def _find_row(frame: pd.DataFrame, label: str) -> int | None:
    want = str(label).strip().lower()
    for i, v in enumerate(frame.iloc[:, 0]):
        if str(v).strip().lower() == want:
            return i
    return None


def _total_column(frame: pd.DataFrame, decl: Declaration) -> str | None:
    if decl.total_column:
        return decl.total_column
    return next((c for c in frame.columns[1:] if str(c).strip().lower() == "total"), None)


def suppressed_cells(frame: pd.DataFrame, decl: Declaration) -> set[Cell]:
    """The cells to hide: primary (1 to 5), then secondary until stable, then derived figures."""
    stub = frame.columns[0]
    for col in [*decl.counts, *decl.derived, *decl.derived.values()]:
        if col not in frame.columns or col == stub:
            raise ValueError(f"declared column {col!r} is not a data column of the table")
    total_col = _total_column(frame, decl)
    total_row = _find_row(frame, decl.total_row or "Total")
    if decl.total_row and total_row is None:
        raise ValueError(f"declared total row {decl.total_row!r} is not in the table")
    if decl.empty:
        return set()

    count_cols = list(dict.fromkeys([*decl.counts, *([total_col] if total_col and decl.counts else [])]))
    declared = {(r, c) for c in count_cols for r in range(len(frame))} | set(decl.cells)
    if total_col and decl.cells:          # cell-level tables: a row's total is a count when its parts are
        declared |= {(r, total_col) for r, _ in decl.cells}
    values: dict[Cell, int | str] = {}
    for r, c in declared:
        v = _count(frame.iloc[r][c])
        if v is not None:
            values[(r, c)] = v
    hidden = {cell for cell, v in values.items() if v == SYMBOL or SMALLEST <= v <= LARGEST}

    # Lines with a total: each column across the body rows + the totals row, each row across the count
    # columns + the total column.
    lines: list[tuple[list[Cell], Cell]] = []
    columns = [c for c in frame.columns if any((r, c) in values for r in range(len(frame)))]
    if total_row is not None:
        for c in columns:
            body = [(r, c) for r in range(len(frame)) if r != total_row and (r, c) in values]
            if body and (total_row, c) in values:
                lines.append((body, (total_row, c)))
    if total_col:
        for r in range(len(frame)):
            body = [(r, c) for c in columns if c != total_col and (r, c) in values]
            if body and (r, total_col) in values:
                lines.append((body, (r, total_col)))

    position = {c: i for i, c in enumerate(frame.columns)}
    order = {cell: (cell[0], position[cell[1]]) for cell in values}      # ties: first in reading order
    changed = True
    while changed:
        changed = False
        for body, total in lines:
            line = [*body, total]
            if sum(cell in hidden for cell in line) != 1:
                continue
            # The next smallest figure of the line; a true 0 stays 0 (it hides nothing).
            candidates = sorted((values[cell], order[cell], cell) for cell in line
                                if cell not in hidden and values[cell] > 0)
            if candidates:
                hidden.add(candidates[0][2])
                changed = True

    derived: dict[Cell, tuple[Cell, ...]] = dict(decl.derived_cells)
    for pct, count in decl.derived.items():
        for r in range(len(frame)):
            derived[(r, pct)] = (*derived.get((r, pct), ()), (r, count))
    for cell, sources in derived.items():
        r, c = cell
        if any(s in hidden for s in sources) and str(frame.iloc[r][c]).strip() not in ("", "nan"):
            hidden.add(cell)
    return hidden


def suppress(table: Table, decl: Declaration) -> Table:
    """A new Table with the suppressed cells shown as ``[c]`` and, when any is hidden, the footnote
    explaining ``[c]``. The input table is not changed."""
    hidden = suppressed_cells(table.frame, decl)
    frame = table.frame.copy()
    for r, c in hidden:
        frame.iat[r, frame.columns.get_loc(c)] = SYMBOL
    footnotes = list(table.footnotes)
    if hidden and NOTE not in footnotes:
        footnotes.append(NOTE)
    return dataclasses.replace(table, frame=frame, footnotes=footnotes, notes=list(table.notes),
                               checks=dict(table.checks))


# --- policy and declarations from a board's files --------------------------------------------------------

def policy(ctx) -> str:
    """The board's disclosure policy for the year: ``as-published`` (default) or ``dfe``."""
    value = ctx.options.get("disclosure", DEFAULT_POLICY)
    if value not in POLICIES:
        per_year = "disclosure" in (ctx.board.year_info(ctx.year).get("options") or {})
        key = f"years.{ctx.year}.options.disclosure" if per_year else "options.disclosure"
        raise DataError(f"boards/{ctx.board.id}/board.yml", f"key {key}", "|".join(POLICIES), repr(value))
    return value


def _names(ctx, value: Any, where: str, known: Iterable[str], what: str) -> list[str]:
    known = list(known)
    label = ctx.data.label(ctx.content_file)
    if not isinstance(value, list) or not value or any(isinstance(v, (dict, list)) or v is None for v in value):
        raise DataError(label, where, f"a list of {what}", repr(value))
    for v in value:
        if str(v) not in known:
            raise DataError(label, where, f"{what} among {known}", repr(str(v)))
    return [str(v) for v in value]


def _mapping(ctx, value: Any, where: str, known: Iterable[str], targets: Iterable[str], what: str) -> dict:
    known, targets = list(known), list(targets)
    label = ctx.data.label(ctx.content_file)
    if not isinstance(value, dict):
        raise DataError(label, where, f"a mapping {{<percent or rate {what}>: <count {what}>}}", repr(value))
    for k, v in value.items():
        if str(k) not in known:
            raise DataError(label, where, f"{what} among {known}", repr(str(k)))
        if str(v) not in targets:
            raise DataError(label, f"{where}.{k}", f"a count {what} declared as children ({targets})",
                            repr(str(v)))
    return {str(k): str(v) for k, v in value.items()}


def _totals(ctx, frame: pd.DataFrame, spec: dict, where: str, file: str) -> tuple[str | None, str | None]:
    """total_row / total_column of the block (or of its checks), checked against the table."""
    checks = spec.get("checks") if isinstance(spec.get("checks"), dict) else {}
    label = ctx.data.label(ctx.content_file)
    row = spec.get("total_row", checks.get("total_row"))
    col = spec.get("total_column", checks.get("total_column"))
    if row is not None:
        if isinstance(row, (dict, list)) or _find_row(frame, str(row)) is None:
            raise DataError(label, f"{where}: total_row", f"a first-column label of {file}",
                            repr(row))
        row = str(row)
    if col is not None:
        if str(col) not in list(frame.columns[1:]):
            raise DataError(label, f"{where}: total_column", f"a column of {file} {list(frame.columns[1:])}",
                            repr(col))
        col = str(col)
    return row, col


def table_declaration(ctx, name: str, frame: pd.DataFrame, spec: dict) -> Declaration | None:
    """The ``children: {counts: [...], derived: {...}}`` of a table block, validated against its CSV."""
    body = spec.get("children")
    if body is None:
        return None
    where, file = f"table {name}: children", f"tables/{name}.csv"
    label = ctx.data.label(ctx.content_file)
    if not isinstance(body, dict) or "counts" not in body or set(body) - {"counts", "derived"}:
        raise DataError(label, where, "{counts: [<column>, ...], derived: {<percent column>: <count column>}}",
                        repr(body))
    columns = list(frame.columns[1:])
    counts = _names(ctx, body["counts"], f"{where}.counts", columns, f"columns of {file}")
    derived = _mapping(ctx, body.get("derived") or {}, f"{where}.derived", columns, counts, f"column of {file}")
    total_row, total_column = _totals(ctx, frame, spec, f"table {name}", file)
    return Declaration(tuple(counts), derived, total_row, total_column)


def indicators_declaration(ctx, name: str, rows: pd.DataFrame, frame: pd.DataFrame,
                           spec: dict) -> Declaration | None:
    """The ``children:`` of an indicators block: ``true`` (every count row of the table), a list of
    indicators, or ``{indicators: [...] | true, derived: {<indicator>: <count indicator>}}``. Percent,
    rate and ratio cells of a declared indicator derive from its counts (of the same period when there
    is one); ``derived`` links another indicator's row to a count row, column by column."""
    body = spec.get("children")
    if body is None or body is False:
        return None
    where, file = f"indicators {name}: children", f"indicators.csv (table {name})"
    label = ctx.data.label(ctx.content_file)
    indicators = list(dict.fromkeys(rows["indicator"]))
    derived_rows: dict[str, str] = {}
    if isinstance(body, dict):
        if set(body) - {"indicators", "derived"}:
            raise DataError(label, where, "{indicators: [...] or true, derived: {<indicator>: <indicator>}}",
                            repr(body))
        chosen = body.get("indicators", True)
        declared = indicators if chosen is True else _names(ctx, chosen, f"{where}.indicators", indicators,
                                                            f"indicators of {file}")
        derived_rows = _mapping(ctx, body.get("derived") or {}, f"{where}.derived", indicators, declared,
                                f"indicator of {file}")
    elif body is True:
        declared = indicators
    elif isinstance(body, list):
        declared = _names(ctx, body, where, indicators, f"indicators of {file}")
    else:
        raise DataError(label, where, "true, a list of indicators, or {indicators, derived}", repr(body))

    position = {ind: i for i, ind in enumerate(indicators)}
    counts: dict[int, list[tuple[str, str]]] = {}         # row -> [(column, period)]
    for r in rows.itertuples(index=False):
        if r.unit == "count" and r.indicator in declared:
            counts.setdefault(position[r.indicator], []).append((r.column, r.period))
    cells = frozenset((row, col) for row, cols in counts.items() for col, _ in cols)
    derived: dict[Cell, tuple[Cell, ...]] = {}
    for r in rows.itertuples(index=False):
        if r.unit not in DERIVED_UNITS:
            continue
        if r.indicator in declared:
            row = position[r.indicator]
            own = counts.get(row, [])
            same = [c for c, p in own if p and p == r.period] or [c for c, _ in own]
            derived[(row, r.column)] = tuple((row, c) for c in same)
        elif r.indicator in derived_rows:
            row = position[derived_rows[r.indicator]]
            own = [c for c, _ in counts.get(row, [])]
            sources = [r.column] if r.column in own else own
            derived[(position[r.indicator], r.column)] = tuple((row, c) for c in sources)
    total_row, total_column = _totals(ctx, frame, spec, f"indicators {name}", file)
    return Declaration((), {}, total_row, total_column, cells, derived)


def apply(ctx, table: Table, decl: Declaration | None) -> Table:
    """The table as the board's policy shows it. Under ``dfe`` a declared table is suppressed; its
    consistency checks are then run here on the figures as held (never on ``[c]``) and kept on the
    table for ``lscb check``, while the published table carries no checks to recompute."""
    if policy(ctx) != "dfe" or decl is None or decl.empty:
        return table
    out = suppress(table, decl)
    if not out.frame.equals(table.frame):
        out.checks = {}
        out.consistency = [*table.consistency, *table_checks(table)]
    return out


@hookimpl(wrapper=True)
def lscb_show_table(ctx, table, spec, rows):
    """A wrapper, so the board's policy applies to whatever table another plugin shows instead: no plugin can
    show a count of children that the policy hides."""
    shown = yield
    base = table if shown is None else shown
    # the declaration is checked under every policy: a wrong one is an error before a board switches to dfe
    if rows is None:
        decl = table_declaration(ctx, str(spec["table"]), base.frame, spec)
    else:
        decl = indicators_declaration(ctx, str(spec["indicators"]), rows, base.frame, spec)
    out = apply(ctx, base, decl)
    return None if out is table else out
