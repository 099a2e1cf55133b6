"""Data contracts: what a printed figure is, the markers of figures still to fill, and the declared shape of a
CSV data file (its columns, their types, units and allowed values), checked when a block reads the file
(``YearData.csv(rel, contract)``) and offered to ``lscb data export`` through ``lscb_register_contracts``."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from core.errors import DataError

if TYPE_CHECKING:
    import pandas as pd


# A figure as printed: an optional < or >, a sign, £, digits with thousands separators, decimals, a % and
# footnote markers (*, †), or "104 per 10,000". Anything else (a word, "1,2,3", "nan") is not a number.
PRINTED = re.compile(r"^(?P<cmp>[<>]?)\s*(?P<sign>[-−+]?)\s*£?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?"
                      r"\s*(?P<pct>%?)\s*[*†‡]*(?:\s+per\s+[\d,]+)?$")
#: A figure not collected yet (written by ``lscb new-year``): it passes a column's type, ``lscb check``
#: lists it as still to fill, and a report holding one renders as a draft.
TO_FILL = "[to fill]"
#: Prose carried from last year that the analyst must rewrite (the marker starts the passage).
TO_REWRITE = "[to rewrite]"


def printed_number(v: str) -> float | None:
    """'1,918' -> 1918.0, '-2,000' -> -2000.0, '<1%' -> 1.0, '37*' -> 37.0; None when not a figure (the one
    number parser: every printed figure a check or chart reads goes through it)."""
    m = PRINTED.match(v.strip())
    if not m:
        return None
    x = float(m["n"].replace(",", "") + (m["dec"] or ""))
    return -x if m["sign"] in ("-", "−") else x


def round_half_up(value: Any, places: int = 0) -> Decimal:
    """Round as printed statistics do (halves away from zero: 2.5 -> 3, 0.125 -> 0.13), unlike ``round()``:
    the one rounding helper (checks, disclosure and the figures from the returns use it)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _is_int(v: str) -> bool:
    m = PRINTED.match(v.strip())
    return bool(m) and not m["dec"] and not m["pct"] and not m["cmp"]


def _is_count(v: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", v.strip()))


def _is_number(v: str) -> bool:
    return printed_number(v) is not None


def _is_percent(v: str) -> bool:
    x = printed_number(v)
    return x is not None and 0 <= x <= 100 and "per" not in v


TYPES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "text": ("text", lambda v: True),
    "int": ("a whole number", _is_int),
    "count": ("a count: a whole number, 0 or more, as printed (e.g. 1,918)", _is_count),
    "number": ("a number as printed (e.g. 1,918 or 845.4)", _is_number),
    "percent": ("a percentage from 0 to 100 as printed (e.g. 71% or <1%)", _is_percent),
}

#: The cell type a tidy row's unit asks for (a value whose unit says count must be a count).
UNIT_TYPES = {"count": "count", "percent": "percent", "rate_per_10000": "number", "gbp": "number",
              "ratio": "number", "days": "number", "text": "text"}


@dataclass(frozen=True)
class Column:
    """One column of a CSV contract. ``texts`` are printed words the column allows besides its type
    (e.g. "n/a"); ``unit_column`` names a column whose unit (UNIT_TYPES) gives this cell's type row by row."""
    name: str
    type: str = "text"
    required: bool = True
    allowed: tuple[str, ...] = ()
    unit: str = ""
    child_count: bool = False     # a count of children: subject to the board's disclosure policy
    description: str = ""
    texts: tuple[str, ...] = ()
    unit_column: str = ""


@dataclass(frozen=True)
class Contract:
    """The declared shape of a CSV data file: its columns, their types, units and allowed values, and the
    columns that identify a row (``key``: no two rows may share them; a blank key cell takes the value
    above it, as a printed heading does)."""
    file: str
    columns: tuple[Column, ...]
    description: str = ""
    key: tuple[str, ...] = ()

    def validate(self, frame: pd.DataFrame, label: str) -> list[DataError]:
        errors: list[DataError] = []
        names = [c.name for c in self.columns]
        missing = [n for n in names if n not in frame.columns and self._col(n).required]
        if missing:
            errors.append(DataError(label, "row 1 (header)", f"columns {names}",
                                    f"{list(frame.columns)} (missing {missing})"))
            return errors
        unknown = [c for c in frame.columns if c not in names]
        if unknown:
            errors.append(DataError(label, "row 1 (header)", f"only the columns {names}",
                                    f"unknown column(s) {unknown}"))
        rows = row_numbers(frame)
        for col in self.columns:
            if col.name not in frame.columns:
                continue
            units = frame[col.unit_column] if col.unit_column in frame.columns else None
            for n, (i, value) in enumerate(zip(rows, frame[col.name])):
                kind = UNIT_TYPES.get(units.iloc[n], col.type) if units is not None else col.type
                what, ok = TYPES[kind]
                if units is not None and kind != "text":
                    what = f"{what}, because its {col.unit_column} is {units.iloc[n]!r}"
                if value == "":
                    if col.required:
                        errors.append(DataError(label, f"row {i}, column {col.name!r}", what, "an empty cell"))
                    continue
                if value == TO_FILL:    # a figure still to collect: lscb check lists it, a render is a draft
                    continue
                if col.allowed and value not in col.allowed:
                    errors.append(DataError(label, f"row {i}, column {col.name!r}",
                                            f"one of {list(col.allowed)}", repr(value)))
                elif value not in col.texts and not ok(value):
                    if col.texts:
                        what = f"{what} or one of {list(col.texts)}"
                    errors.append(DataError(label, f"row {i}, column {col.name!r}", what, repr(value)))
        if not errors:
            errors.extend(self._duplicates(frame, label, rows))
        return errors

    def _duplicates(self, frame: pd.DataFrame, label: str, rows: list[int]) -> list[DataError]:
        key = [k for k in self.key if k in frame.columns]
        if not key:
            return []
        seen: dict[tuple, int] = {}
        last = [""] * len(key)
        out = []
        for i, values in zip(rows, zip(*(frame[k] for k in key))):
            values = tuple(v or last[j] for j, v in enumerate(values))
            last = list(values)
            if values in seen:
                shown = ", ".join(f"{k}={v!r}" for k, v in zip(key, values))
                out.append(DataError(label, f"rows {seen[values]} and {i}",
                                     f"one row per {' + '.join(key)}",
                                     f"the same {shown} twice (a pasted row? the later one would replace "
                                     "the earlier without a word)"))
            else:
                seen[values] = i
        return out

    def _col(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def row_numbers(frame: pd.DataFrame) -> list[int]:
    """The file row of each data row (row 1 is the header; blank rows count, as a spreadsheet shows them)."""
    return list(frame.attrs.get("rows") or range(2, len(frame) + 2))
