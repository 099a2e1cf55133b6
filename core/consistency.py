"""Consistency checks: warnings, never errors, because published reports contain real inconsistencies
that must stay as printed. Each warning names the figure, where it comes from and both values."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .blocks import Table
from .charts import to_number


@dataclass(frozen=True)
class Warning_:
    file: str
    figure: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.figure}: {self.message}"


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def half_up(x: float, places: int) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimals(printed: str) -> int:
    m = re.search(r"\.(\d+)", printed)
    return len(m.group(1)) if m else 0


def table_checks(table: Table) -> list[Warning_]:
    out: list[Warning_] = []
    frame = table.frame
    stub = frame.columns[0]
    checks = table.checks or {}
    label = table.origin or table.caption
    total_label = checks.get("total_row")
    if total_label:
        totals = frame[frame[stub].astype(str).str.strip().str.lower() == str(total_label).lower()]
        if totals.empty:
            out.append(Warning_(label, f"row {total_label!r}", "declared as the totals row but not found"))
        else:
            body = frame[(frame[stub].astype(str).str.lower() != str(total_label).lower())]
            total_row = totals.iloc[0]
            for col in frame.columns[1:]:
                printed = str(total_row[col])
                total = to_number(printed)
                if total is None or printed.endswith("%"):
                    continue
                values = [to_number(v) for v in body[col]]
                if any(v is None for v in values if v is not None) or not any(v is not None for v in values):
                    continue
                s = sum(v for v in values if v is not None)
                if abs(s - total) > 0.5 * 10 ** -_decimals(printed) + 1e-9:
                    out.append(Warning_(label, f"{col} total",
                                        f"the rows add up to {_fmt(s)} but the printed total is {printed}"))
    pct = checks.get("percent_of")
    if pct:
        counts, percents = frame[pct["count"]], frame[pct["percent"]]
        rows = frame[stub].astype(str)
        base = None
        if total_label:
            tot = frame[rows.str.lower() == str(total_label).lower()]
            if not tot.empty:
                base = to_number(tot.iloc[0][pct["count"]])
        if base is None:
            nums = [to_number(c) for c in counts]
            base = sum(n for n in nums if n is not None)
        for name, count, percent in zip(rows, counts, percents):
            c, p = to_number(count), to_number(percent)
            if c is None or p is None or not base or (total_label and name.lower() == str(total_label).lower()):
                continue
            expected = half_up(100 * c / base, _decimals(str(percent)))
            if abs(Decimal(str(p)) - expected) > Decimal("0.51") * Decimal(1).scaleb(-_decimals(str(percent))):
                out.append(Warning_(label, f"{name} percentage",
                                    f"{count} of {_fmt(base)} is {expected}% but {percent} is printed"))
    return out


def budget_checks(frame: pd.DataFrame, label: str) -> list[Warning_]:
    """Lines of each part against the first total that follows them."""
    out: list[Warning_] = []
    for part, rows in frame.groupby("part", sort=False):
        lines, checked = [], False
        for r in rows.itertuples(index=False):
            if r.kind == "line":
                lines.append(to_number(r.amount) or 0.0)
            elif not checked and lines:
                checked = True
                total = to_number(r.amount)
                s = sum(lines)
                if total is not None and abs(s - total) > 0.5:
                    out.append(Warning_(label, f"{part}: {r.line}",
                                        f"the lines add up to {_fmt(s)} but {r.amount} is printed"))
    return out


def attendance_checks(frame: pd.DataFrame, label: str) -> list[Warning_]:
    out: list[Warning_] = []
    for r in frame.itertuples(index=False):
        if not (r.attended and r.possible):
            continue
        a, p = int(r.attended.replace(",", "")), int(r.possible.replace(",", ""))
        if a > p:
            out.append(Warning_(label, f"{r.member} attendance", f"attended {a} of only {p} meetings"))
        if r.percent and p:
            printed = to_number(r.percent)
            expected = half_up(100 * a / p, 0)
            if printed is not None and abs(Decimal(str(printed)) - expected) > 1:
                out.append(Warning_(label, f"{r.member} attendance",
                                    f"{a}/{p} is {expected}% but {r.percent} is printed"))
    return out


def indicator_checks(frame: pd.DataFrame, label: str) -> list[Warning_]:
    """One indicator (same name, period, area and unit) printed with different values in two tables."""
    out: list[Warning_] = []
    keyed = frame[(frame["period"] != "") & (frame["area"] != "")]
    for key, rows in keyed.groupby(["indicator", "period", "area", "unit"], sort=False):
        values = list(dict.fromkeys(rows["value"]))
        numbers = {to_number(v) for v in values}
        if len(numbers) > 1:
            where = ", ".join(f"{v} in table {t}" for v, t in zip(rows["value"], rows["table"]))
            out.append(Warning_(label, f"{key[0]} ({key[2]}, {key[1]})", f"printed differently: {where}"))
    return out
