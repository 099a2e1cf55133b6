"""The board's population file: children aged under 18 in the area (ONS mid-year estimates), the
denominator of every rate per 10,000."""
from __future__ import annotations

from pathlib import Path

from core.data import load_csv
from core.errors import DataError, DataErrors
from plugins.contracts import Column, Contract

POPULATION = Contract("population.csv", (
    Column("area", description="the area as board.yml names it (area:), or a comparator area"),
    Column("period", description="the estimate's date, e.g. mid-2023"),
    Column("population", "count", description="children aged 0 to 17 in the area"),
    Column("source", required=False, description="e.g. ONS mid-year population estimates, mid-2023"),
), "Children aged under 18 by area: the denominator of rates per 10,000 worked out from the returns.",
   key=("area",))


def children_under_18(path: Path, label: str, area: str) -> int:
    """The area's population of children under 18 from a population file."""
    frame = load_csv(path, label)
    errors = POPULATION.validate(frame, label)
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    rows = frame[frame["area"] == area]
    if rows.empty:
        raise DataError(label, "column 'area'", f"a row for {area!r} (the area in board.yml)",
                        f"areas {sorted(set(frame['area']))}")
    return int(rows.iloc[0]["population"].replace(",", ""))
