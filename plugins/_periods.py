"""Reporting periods and a board's tidy indicators across its years (shared by the trend and impact plugins)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.data import load_csv

_PAIR = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[-/–]\s*(\d{4}|\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_EARLY_MONTH = re.compile(r"\b(jan|feb|mar)[a-z]*\b", re.I)


def period_start(period: str) -> int | None:
    """The first calendar year of the reporting year (April to March) a period falls in: "2013-14",
    "13/14", "2013/2014" -> 2013; "31 March 2014" -> 2013; "October 2013", "2013" -> 2013; else None."""
    text = str(period).strip()
    m = _PAIR.search(text)
    if m:
        a, b = (int(x) if len(x) == 4 else 2000 + int(x) for x in m.groups())
        return a if b == a + 1 else None
    m = _YEAR.search(text)
    if m:
        year = int(m.group(1))
        return year - 1 if _EARLY_MONTH.search(text) else year
    return None


def year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Figure:
    """One row of a year's indicators.csv."""
    file_year: str
    table: str
    area: str
    period: str
    value: str
    unit: str

    @property
    def start(self) -> int:
        """The reporting year the figure counts for: its period's, else the report year holding it."""
        found = period_start(self.period)
        return found if found is not None else int(self.file_year[:4])


def indicator_figures(board, year: str, indicator: str, touched: set[str] | None = None) -> list[Figure]:
    """The indicator's rows from this year's indicators.csv and every earlier year's, oldest file first.
    ``touched`` (a YearData's) hears of each file read, so a chapter's cache sees a change to any."""
    out = []
    for y in sorted(y for y in board.years if y <= year):
        path = board.root / "data" / y / "indicators.csv"
        if not path.is_file():
            continue
        if touched is not None:
            touched.add(f"../{y}/indicators.csv")
        frame = load_csv(path, str(path))
        for r in frame[frame["indicator"] == indicator].itertuples(index=False):
            out.append(Figure(y, r.table, r.area, r.period, r.value, r.unit))
    return out
