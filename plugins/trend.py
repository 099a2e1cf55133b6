"""The ``trend`` block: one indicator over every period the board's years provide.

```yaml
- trend: Referrals – rate per 10000        # the indicator, as in indicators.csv
  table: service-activity                  # optional: only rows of this printed table
  areas: [Coventry, England]               # optional: which areas (default: every area found)
  title: Referrals per 10,000 children
  caption: ...                             # optional
```

The rows come from this year's ``indicators.csv`` and every earlier year's, so rolling forward a year
extends every trend with no edit. Periods are read as reporting years ("2013-14", "13/14", "2013/2014",
"31 March 2014" -> 2013-14, "2014" -> 2014-15); a row whose period is none of these counts for the report
year whose file holds it. The same figure carried into a later year's file (a comparison column) is
counted once, for its first year; otherwise the latest file's figure for a period wins. A year with no
figure is a gap in the line, said in the alt text and blank in the data table; values still to fill
are not drawn.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from core import hookimpl
from core.errors import DataError
from plugins.charts.chart import FONT, Chart, describe, to_number
from plugins.charts.palette import CATEGORICAL, TEXT
from plugins.contracts import TO_FILL

from . import _spec
from ._periods import indicator_figures, year_label

KEYS = ("table", "areas", "title", "caption", "source", "alt")


def trend_rows(board, year: str, indicator: str, table: str | None, touched: set[str]) -> pd.DataFrame:
    """start, area, value (as printed): the indicator's figures from this year's file and every earlier
    year's; a figure carried into a later file as its comparison counts once, for its first year."""
    found: dict[tuple[int, str], str] = {}
    seen: set[tuple[str, str, str]] = set()
    for f in indicator_figures(board, year, indicator, touched):
        if table and f.table != table:
            continue
        key = (f.area, f.period, f.value)
        if key in seen and f.value != TO_FILL:
            continue
        seen.add(key)
        found[(f.start, f.area)] = f.value
    return pd.DataFrame([(s, a, v) for (s, a), v in sorted(found.items())], columns=["start", "area", "value"],
                        dtype=object)


class TrendChart(Chart):
    """A line per area over every reporting year from the first to the last: a missing year is a gap."""

    def spec(self) -> dict:
        frame = pd.DataFrame({"category": self.data[self.x].astype(str),
                              "label": self.data[self.y].astype(str),
                              "value": self.data[self.y].map(lambda v: None if v == TO_FILL else to_number(v)),
                              "series": self.data[self.color].astype(str)})
        order = list(dict.fromkeys(frame["category"]))
        axis = {"labelColor": TEXT, "titleColor": TEXT, "labelFont": FONT, "titleFont": FONT}
        base = alt.Chart(frame).properties(width=520, height=240)
        enc = {"x": alt.X("category:O", sort=order, title="Year", axis=alt.Axis(labelAngle=0, **axis)),
               "y": alt.Y("value:Q", title=self.y, axis=alt.Axis(**axis)),
               "color": alt.Color("series:N", scale=alt.Scale(range=list(CATEGORICAL)),
                                  legend=alt.Legend(orient="top", title=None, labelColor=TEXT, labelFont=FONT))}
        # null values break the line (Vega-Lite's default for invalid values): a gap, not a join
        lines = base.mark_line(point=True).encode(**enc, tooltip=["category:O", "series:N", "label:N"])
        labels = base.mark_text(dy=-8, fontSize=10, color=TEXT).encode(x=enc["x"], y=enc["y"], text="label:N")
        return (lines + labels).configure(font=FONT).configure_view(stroke=None).to_dict()


def trend_blocks(ctx, spec) -> list:
    where = ctx.data.label(ctx.content_file)
    indicator = _spec.text(ctx, spec, "trend", required=True)
    table = _spec.text(ctx, spec, "table") or None
    areas = spec.get("areas")
    if areas is not None and (not isinstance(areas, list) or not all(isinstance(a, str) for a in areas)):
        raise DataError(where, "trend.areas", "a list of area names, e.g. [Coventry, England]", repr(areas))
    rows = trend_rows(ctx.board, ctx.year, indicator, table, ctx.data.touched)
    if areas:
        rows = rows[rows["area"].isin(areas)]
    if rows.empty:
        raise DataError(where, f"trend {indicator!r}", "rows of indicators.csv with indicator == "
                        f"{indicator!r}{f' and table == {table!r}' if table else ''} in this year's or an "
                        "earlier year's file", "none")
    series = list(areas or dict.fromkeys(rows["area"]))
    starts = range(int(rows["start"].min()), int(rows["start"].max()) + 1)
    cells = {(s, a): v for s, a, v in zip(rows["start"], rows["area"], rows["value"])}
    data = pd.DataFrame([(year_label(s), a, cells.get((s, a), "")) for a in series for s in starts],
                        columns=["Year", "Area", "Value"], dtype=object)
    title = _spec.text(ctx, spec, "title") or indicator
    gaps = [f"{y} ({a})" for y, a, v in data.itertuples(index=False) if v in ("", TO_FILL)]
    alt_text = _spec.text(ctx, spec, "alt")
    if not alt_text:
        drawn = data[data["Value"].map(lambda v: v != TO_FILL and to_number(v) is not None)]
        alt_text = describe(drawn, "Year", "Value", "Area", "line", title)
        if gaps:
            alt_text += f" No figure for {', '.join(gaps)}: shown as a gap."
    return [TrendChart(data, x="Year", y="Value", color="Area", kind="line", title=title, alt=alt_text,
                       caption=_spec.text(ctx, spec, "caption"), source=_spec.text(ctx, spec, "source"))]


@hookimpl
def lscb_register_block_types(register):
    register("trend", trend_blocks, KEYS)
