"""Measured impact: a priority's success measure names an indicator, a baseline and a target, and the
report shows baseline -> this year -> target with a status computed from the figures.

```yaml
priorities:
  - number: "4"
    title: Improve multi-agency responses to domestic abuse
    impact:
      - measure: Time from a domestic abuse incident to joint screening   # what is measured, our words
        indicator: Average days from incident to joint screening         # as in indicators.csv
        area: Coventry                # optional: the board's area by default
        baseline: October 2013        # optional: a period of the indicator, this year's file or earlier
        target: "40%"                 # optional: a figure
        better: lower                 # lower | higher: which way is progress
        printed: fell from 25.3 days to 5 days   # optional: the judgement the report printed
```

The table follows a section's ``priorities:`` block by itself; a section that shows its priorities another
way places it with ``- impact: "4"`` (a priority's number, a list, or ``all``).

"This year" is the indicator's figure in this year's ``indicators.csv`` for the latest period. The status
is never typed: see :func:`status`. ``lscb check`` warns about every priority with no measured impact.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import hookimpl
from core.errors import DataError
from plugins.blocks import Table
from plugins.charts.chart import to_number
from plugins.checks.findings import Warning_
from plugins.contracts import TO_FILL

from ._periods import Figure, indicator_figures

KEYS = {"measure", "indicator", "area", "baseline", "target", "better", "printed"}
HOW = ("How the status is set: a measure meets its target when this year's figure "
       "is at or beyond the target in the direction that counts as progress (lower or higher); otherwise, "
       "or without a target, this year's figure is compared with the baseline.")


@dataclass
class Measure:
    priority: str
    measure: str
    indicator: str
    area: str
    better: str
    baseline: Figure | None
    current: Figure | None
    target: str
    printed: str

    @property
    def status(self) -> str:
        return status(self.baseline.value if self.baseline else "", self.current.value if self.current else "",
                      self.target, self.better)


def status(baseline: str, current: str, target: str, better: str) -> str:
    """The status of a measure from its figures: target met / improving / no better than the baseline."""
    if current == TO_FILL:
        return "Figure to fill"
    now = to_number(current) if current else None
    if now is None:
        return "No figure this year"
    sign = -1 if better == "lower" else 1
    goal = to_number(target) if target else None
    base = to_number(baseline) if baseline else None
    if goal is not None and sign * (now - goal) >= 0:
        return "Target met"
    if base is None:
        return "Target not met" if goal is not None else "No baseline or target to compare with"
    if sign * (now - base) > 0:
        return "Better than the baseline" + (", target not yet met" if goal is not None else "")
    if now == base:
        return "Same as the baseline"
    return "Worse than the baseline"


def _shown(f: Figure | None) -> str:
    if f is None:
        return ""
    value = f.value if f.unit != "days" or f.value.endswith("day") or f.value.endswith("days") or f.value == TO_FILL \
        else f"{f.value} days"
    return f"{value} ({f.period})" if f.period else value


def measures(board, year: str, raw: dict, label: str, touched: set[str] | None = None) -> list[Measure]:
    """Every measured success measure in a priorities.yml, its figures looked up in the indicators."""
    out = []
    for i, p in enumerate(raw.get("priorities") or [], start=1):
        items = p.get("impact") if isinstance(p, dict) else None
        if items is None:
            continue
        where = f"priorities[{i}].impact"
        if not isinstance(items, list):
            raise DataError(label, where, "a list of measures ({measure, indicator, better, baseline, target})",
                            type(items).__name__)
        for j, m in enumerate(items, start=1):
            at = f"{where}[{j}]"
            if not isinstance(m, dict) or not {"measure", "indicator", "better"} <= set(m):
                raise DataError(label, at, "a mapping with measure, indicator and better (and baseline or target)",
                                repr(m)[:80])
            if set(m) - KEYS:
                raise DataError(label, at, f"keys among {sorted(KEYS)}", f"unknown {sorted(set(m) - KEYS)}")
            if m["better"] not in ("lower", "higher"):
                raise DataError(label, f"{at}.better", "lower or higher (which way is progress)", repr(m["better"]))
            if "baseline" not in m and "target" not in m:
                raise DataError(label, at, "a baseline or a target to measure against", "neither")
            area = str(m.get("area") or board.area)
            figures = [f for f in indicator_figures(board, year, str(m["indicator"]), touched) if f.area == area]
            if not figures:
                raise DataError(label, f"{at}.indicator", f"rows of indicators.csv with indicator == "
                                f"{m['indicator']!r} and area == {area!r}, this year or earlier", "none")
            baseline = None
            if "baseline" in m:
                wanted = str(m["baseline"]).strip()
                baseline = next((f for f in figures if f.period.strip() == wanted), None)
                if baseline is None:
                    raise DataError(label, f"{at}.baseline", f"a period of {m['indicator']!r} for {area} "
                                    f"(periods found: {sorted({f.period for f in figures})})", repr(wanted))
            this_year = [f for f in figures if f.file_year == year and f is not baseline]
            current = max(reversed(this_year), key=lambda f: f.start) if this_year else None
            target = str(m.get("target") or "")
            if target and to_number(target) is None:
                raise DataError(label, f"{at}.target", "a figure (e.g. 25% or 40)", repr(target))
            out.append(Measure(str(p.get("number", i)), str(m["measure"]), str(m["indicator"]), area,
                               m["better"], baseline, current, target, str(m.get("printed") or "")))
    return out


def impact_table(found: list[Measure], caption: str) -> Table:
    printed = any(m.printed for m in found)
    rows = [[m.measure, _shown(m.baseline) or "–", _shown(m.current) or "–", m.target or "–", m.status]
            + ([m.printed or "–"] if printed else []) for m in found]
    columns = ["Success measure", "Baseline", "This year", "Target", "Status"] + \
        (["Status as reported"] if printed else [])
    return Table(pd.DataFrame(rows, columns=columns, dtype=object), caption=caption, notes=[HOW])


def impact_blocks(ctx, spec) -> list:
    """The ``impact`` directive: ``- impact: "4"`` (a priority's number, a list of them, or ``all``), from
    ``priorities.yml`` or the file named by ``file:``. For layouts that show priorities their own way."""
    rel = str(spec.get("file") or "priorities.yml")
    wanted = spec["impact"]
    wanted = [str(x) for x in wanted] if isinstance(wanted, list) else [] if wanted == "all" else [str(wanted)]
    found = measures(ctx.board, ctx.year, ctx.data.yaml(rel), ctx.data.label(rel), ctx.data.touched)
    found = [m for m in found if not wanted or m.priority in wanted]
    if not found:
        raise DataError(ctx.data.label(ctx.content_file), f"impact {spec['impact']!r}",
                        f"a priority of {rel} with measured impact (impact: under the priority)", "none")
    numbers = sorted(dict.fromkeys(m.priority for m in found))
    return [impact_table(found, f"Measured impact: priority {', '.join(numbers)}, baseline, this year and target")]


@hookimpl
def lscb_register_block_types(register):
    register("impact", impact_blocks, ("file",))


@hookimpl
def lscb_priorities(ctx):
    """The priorities section as the shared plugin builds it, followed by its measured impact (unless the
    section places it itself with an ``impact`` block)."""
    content = ctx.content()
    blocks_spec = (content or {}).get("blocks") or []
    specs = [b for b in blocks_spec if isinstance(b, dict) and "priorities" in b]
    if not specs or any(isinstance(b, dict) and "impact" in b for b in blocks_spec):
        return None
    tables = []
    for spec in specs:
        rel = str(spec["priorities"])
        found = measures(ctx.board, ctx.year, ctx.data.yaml(rel), ctx.data.label(rel), ctx.data.touched)
        wanted = [str(x) for x in spec.get("only") or []]
        found = [m for m in found if not wanted or m.priority in wanted]
        if found:
            numbers = sorted(dict.fromkeys(m.priority for m in found))
            tables.append(impact_table(found, f"Measured impact: priority {', '.join(numbers)}, baseline, this "
                                              "year and target"))
    if not tables:
        return None                # nothing measured: the section is the shared plugin's, untouched
    return ctx.content_blocks() + tables


@hookimpl
def lscb_check_year(engine, year):
    data = engine.data(year)
    if not data.exists("priorities.yml"):
        return None
    raw = data.yaml("priorities.yml")
    label = data.label("priorities.yml")
    try:
        measures(engine.board, year, raw, label)   # a wrong measure is a data error, listed with the others
    except DataError as e:
        return [e]
    out = []
    for i, p in enumerate(raw.get("priorities") or [], start=1):
        if isinstance(p, dict) and not p.get("impact"):
            out.append(Warning_(label, f"priorities[{i}] ({p.get('title', '')})",
                                "no measured impact: name an indicator with a baseline or a target (impact:), "
                                "as the national reviews of these reports ask"))
    return out
