"""Consistency checks: warnings, never errors, because published reports contain real inconsistencies
that must stay as printed. Each warning names the figure, where it comes from and both values."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd

from plugins.blocks import Table
from plugins.checks.findings import Warning_
from plugins.contracts import TO_FILL, printed_number, round_half_up


def to_number(value: Any) -> float | None:
    """A printed figure as a number to check (plugins.contracts.printed_number), or None when it cannot be checked:
    not a figure, or a bound such as "<1%" (the figure behind it is not printed)."""
    text = "" if value is None else str(value).strip()
    return None if text[:1] in ("<", ">") else printed_number(text)


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _worked_out(value: float, printed: str) -> Decimal:
    """``value`` rounded half up to as many decimals as the printed figure has."""
    return round_half_up(value, _decimals(printed))


def _differs(printed: float, expected: Decimal, places: int) -> bool:
    """A printed percentage or rate disagrees with the one worked out when they differ by more than half a
    unit of its last decimal place (0.51: a figure exactly on the half agrees)."""
    return abs(Decimal(str(printed)) - expected) > Decimal("0.51") * Decimal(1).scaleb(-places)


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
                if not any(v is not None for v in values):
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
            expected = _worked_out(100 * c / base, str(percent))
            if _differs(p, expected, _decimals(str(percent))):
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
        if not (r.attended and r.possible) or TO_FILL in (r.attended, r.possible):    # a draft's blanks
            continue
        a, p = int(r.attended.replace(",", "")), int(r.possible.replace(",", ""))
        if a > p:
            out.append(Warning_(label, f"{r.member} attendance", f"attended {a} of only {p} meetings"))
        if r.percent and p:
            printed = to_number(r.percent)
            expected = round_half_up(100 * a / p, 0)
            if printed is not None and abs(Decimal(str(printed)) - expected) > 1:
                out.append(Warning_(label, f"{r.member} attendance",
                                    f"{a}/{p} is {expected}% but {r.percent} is printed"))
    return out


def indicator_checks(frame: pd.DataFrame, label: str) -> list[Warning_]:
    """One figure (same indicator, column, period, area and unit) printed in two tables with different
    values."""
    out: list[Warning_] = []
    keys = ["indicator", "column", "period", "area", "unit"]
    for key, rows in frame.groupby(keys, sort=False):
        if rows["table"].nunique() < 2:
            continue
        if len({to_number(v) if to_number(v) is not None else v for v in rows["value"]}) > 1:
            where = ", ".join(f"{v} in table {t}" for v, t in zip(rows["value"], rows["table"]))
            out.append(Warning_(label, f"{key[0]}, {key[1]} ({key[3]}, {key[2]})", f"printed differently: {where}"))
    return out


# --- declared checks: data/<year>/consistency.yml ---------------------------------------------------

KINDS = ("same", "percent", "sum", "rate")


def _appears(text: str, value: str) -> bool:
    """The value as a figure in the file's text (thousands separators optional)."""
    bare = value.replace(",", "")
    for v in {value, bare, f"{int(bare):,}" if bare.isdigit() else value}:
        if re.search(r"(?<![\w.])" + re.escape(v) + r"(?![\w])", text):
            return True
    return False


def declared_checks(data, errors: list) -> list[Warning_]:
    """Run the checks a board declared in consistency.yml. Every value must be printed in the file it
    names (so a declaration cannot drift from the data); each check then warns if the figures disagree."""
    from core.data import DataError
    rel = "consistency.yml"
    if not data.exists(rel):
        return []
    label = data.label(rel)
    raw = data.yaml(rel)
    if not isinstance(raw, dict) or not isinstance(raw.get("checks"), list):
        errors.append(DataError(label, "key 'checks'", "a list of checks", repr(raw)[:60]))
        return []
    out: list[Warning_] = []
    texts: dict[str, str] = {}

    def located(where: str, value, i: int) -> str | None:
        if not isinstance(value, str) or not re.search(r"\d", value):
            hint = " without quotes (in {...} or [...] a comma splits 8,154 into 8 and 154)" if isinstance(value, int) else ""
            errors.append(DataError(label, f"checks[{i}]", "each figure quoted as printed, e.g. \"8,177\"",
                                    repr(value) + hint))
            return None
        if where not in texts:
            try:
                present = data.exists(where)
            except DataError as e:        # a path outside the year's folder
                errors.append(DataError(label, f"checks[{i}].in", e.expected, f"{where!r}, {e.found}"))
                return None
            if not present:
                errors.append(DataError(label, f"checks[{i}]", "a data file of this year in 'in'", repr(where)))
                return None
            texts[where] = data.path(where).read_text(encoding="utf-8-sig")
        if not _appears(texts[where], value):
            errors.append(DataError(label, f"checks[{i}]", f"the figure {value} printed in {where}", "it is not there"))
            return None
        return value

    for i, item in enumerate(raw["checks"], start=1):
        kinds = [k for k in KINDS if isinstance(item, dict) and k in item]
        if not isinstance(item, dict) or "figure" not in item or len(kinds) != 1:
            errors.append(DataError(label, f"checks[{i}]", f"a figure and one of {list(KINDS)}", repr(item)[:80]))
            continue
        figure, kind, body = str(item["figure"]), kinds[0], item[kinds[0]]
        try:
            listed = body if kind == "same" else body.get("parts") if kind == "sum" else []
            if not isinstance(listed, list):     # a text would be checked character by character
                errors.append(DataError(label, f"checks[{i}] ({kind})", _SHAPES[kind], f"{listed!r:.60}"))
                continue
            if kind == "same":
                places = [(str(p["in"]), located(str(p["in"]), p["value"], i)) for p in body]
                if any(v is None for _, v in places):
                    continue
                if len({to_number(v) for _, v in places}) > 1:
                    shown = "; ".join(f"{v} in {data.label(w)}" for w, v in places)
                    out.append(Warning_(data.label(places[0][0]), figure, f"printed differently: {shown}"))
                continue
            where = str(body["in"])
            if kind == "percent":
                c, of, v = (located(where, body[k], i) for k in ("count", "of", "value"))
                if None in (c, of, v):
                    continue
                if not to_number(of):        # a percentage of nothing: say so, never divide by zero
                    errors.append(DataError(label, f"checks[{i}] (percent).of", "a figure other than 0 to take "
                                            "the percentage of", repr(of)))
                    continue
                expected = _worked_out(100 * to_number(c) / to_number(of), v)
                if _differs(to_number(v), expected, _decimals(v)):
                    out.append(Warning_(data.label(where), figure, f"{c} of {of} is {expected}% but {v} is printed"))
            elif kind == "sum":
                parts = [located(where, p, i) for p in body["parts"]]
                total = located(where, body["total"], i)
                if None in parts or total is None:
                    continue
                s = sum(to_number(p) for p in parts)
                if abs(s - to_number(total)) > 1e-6:
                    out.append(Warning_(data.label(where), figure,
                                        f"{' + '.join(parts)} = {_fmt(s)} but the total printed is {total}"))
            elif kind == "rate":
                c, pop, v = (located(where, body[k], i) for k in ("count", "population", "value"))
                if None in (c, pop, v):
                    continue
                per = _per(body.get("per", 10000))
                if per is None:
                    errors.append(DataError(label, f"checks[{i}] (rate).per", "a whole number such as 10000 "
                                            "or \"10,000\"", repr(body.get("per"))))
                    continue
                if not to_number(pop):
                    errors.append(DataError(label, f"checks[{i}] (rate).population", "a figure other than 0 to "
                                            "take the rate of", repr(pop)))
                    continue
                expected = _worked_out(per * to_number(c) / to_number(pop), v)
                if _differs(to_number(v), expected, _decimals(v)):
                    out.append(Warning_(data.label(where), figure,
                                        f"{c} per {pop} is {expected} per {per:,} but {v} is printed"))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            errors.append(DataError(label, f"checks[{i}] ({kind})", _SHAPES[kind], f"missing or wrong {e}"))
    return out


def _per(value) -> int | None:
    """``per: 10000``, ``per: "10,000"`` (YAML reads an unquoted 10,000 in block style as that text): a whole
    number above 0, read as every printed figure is (plugins.contracts.printed_number)."""
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[\d,]+", text):
        return None
    number = printed_number(text)
    return int(number) if number else None


_SHAPES = {
    "same": "a list of {value, in}",
    "percent": "{count, of, value, in}",
    "sum": "{parts: [...], total, in}",
    "rate": "{count, population, value, in, per (default 10000)}",
}
