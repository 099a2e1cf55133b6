"""Charts: altair specifications made static with vl-convert, always with alt text and their data."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import altair as alt
import pandas as pd

from .blocks import Block, Table, TableNote, _note_prefix, esc, heading_level, md_escape
from .palette import CATEGORICAL, TEXT

_NUM = re.compile(r"[^\d.\-]")
# The font vl-convert measures text with, then the report's own: labels keep their measured width.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def to_number(value) -> float | None:
    """'1,918' -> 1918.0, '51.0%' -> 51.0, '<1%' / 'Not published' -> None."""
    s = str(value).strip()
    if not s or s.startswith("<") or not re.search(r"\d", s):
        return None
    try:
        return float(_NUM.sub("", s.replace("−", "-")))
    except ValueError:
        return None


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    import vl_convert as vlc
    return vlc.vegalite_to_svg(vl_spec=spec_json)


@lru_cache(maxsize=512)
def _png(spec_json: str) -> bytes:
    import vl_convert as vlc
    return vlc.vegalite_to_png(vl_spec=spec_json, scale=2)


def describe(data: pd.DataFrame, x: str, y: str, color: str | None, kind: str, title: str) -> str:
    """Alt text derived from the data: what is shown, how many values, the highest and the lowest."""
    values = data.assign(_v=data[y].map(to_number)).dropna(subset=["_v"])
    what = f"{'Line' if kind == 'line' else 'Bar'} chart: {title or y}."
    if values.empty:
        return what
    hi = values.loc[values["_v"].idxmax()]
    lo = values.loc[values["_v"].idxmin()]

    def name(row) -> str:
        return f"{row[x]}" + (f", {row[color]}" if color else "")
    return (f"{what} {len(values)} values of {y} by {x}"
            + (f" and {color}" if color else "")
            + f"; highest {hi[y]} ({name(hi)}), lowest {lo[y]} ({name(lo)}).")


@dataclass
class Chart(Block):
    """An altair bar or line chart built from a table of printed values, with its data table."""
    data: pd.DataFrame
    x: str
    y: str
    color: str | None = None
    kind: str = "bar"
    title: str = ""
    alt: str = ""
    source: str = ""
    id: str = ""
    caption: str = ""
    notes: list[str | TableNote] = field(default_factory=list)   # row/cell notes go to the data table

    def __post_init__(self):
        for col in (self.x, self.y, self.color):
            if col and col not in self.data.columns:
                raise KeyError(col)
        if not self.alt:
            self.alt = describe(self.data, self.x, self.y, self.color, self.kind, self.title)

    def spec(self) -> dict:
        frame = self.data.copy()
        frame["_value"] = frame[self.y].map(to_number)
        frame = frame.dropna(subset=["_value"])
        order = list(dict.fromkeys(frame[self.x]))
        base = alt.Chart(frame).properties(width=520, height=260)
        xenc = alt.X(f"{self.x}:N", sort=order, title=self.x, axis=alt.Axis(labelAngle=0, labelLimit=140))
        yenc = alt.Y("_value:Q", title=self.y)
        tooltip = [self.x, self.y] + ([self.color] if self.color else [])
        enc = {"x": xenc, "y": yenc, "tooltip": tooltip}
        if self.color:
            enc["color"] = alt.Color(f"{self.color}:N", scale=alt.Scale(range=list(CATEGORICAL)),
                                     legend=alt.Legend(orient="top", title=self.color))
            if self.kind == "bar":
                enc["xOffset"] = alt.XOffset(f"{self.color}:N")
        mark = (base.mark_line(point=True, color=CATEGORICAL[0]) if self.kind == "line"
                else base.mark_bar(color=CATEGORICAL[0]))
        chart = mark.encode(**enc)
        labels = base.mark_text(dy=-6, fontSize=11, color=TEXT).encode(
            x=xenc, y=yenc, text=alt.Text(f"{self.y}:N"),
            **({"xOffset": alt.XOffset(f"{self.color}:N")} if self.color and self.kind == "bar" else {}))
        layered = (chart + labels).configure(font=FONT) \
            .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFont=FONT, titleFont=FONT) \
            .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFont=FONT, titleFont=FONT) \
            .configure_view(stroke=None)
        return layered.to_dict()

    def _spec_json(self) -> str:
        return json.dumps(self.spec(), sort_keys=True, default=str)

    def svg(self) -> str:
        svg = _svg(self._spec_json())
        # The picture is described by the alt text; its own text nodes are hidden from assistive tech.
        svg = re.sub(r'\s(aria-roledescription|aria-label|role)="[^"]*"', "", svg)
        return re.sub(r"<svg\b", f'<svg role="img" aria-label="{esc(self.alt)}" focusable="false"', svg, 1)

    def data_table(self) -> Table:
        cols = [self.x] + ([self.color] if self.color else []) + [self.y]
        return Table(self.data[cols].reset_index(drop=True), caption=f"Data for the chart: {self.title}",
                     source=self.source, notes=[n for n in self.notes if isinstance(n, TableNote)])

    def html(self, level=None) -> str:
        ident = f' id="{esc(self.id)}"' if self.id else ""
        cap = self.caption or self.title
        notes = "".join(f'<p class="table-note">{_note_prefix(n)}{esc(n)}</p>' for n in self.notes
                        if not isinstance(n, TableNote))
        src = f'<p class="source">Source: {esc(self.source)}</p>' if self.source else ""
        return (f'<figure class="chart"{ident}><figcaption>{esc(cap)}</figcaption>'
                f'<div class="chart-image">{self.svg()}</div>{notes}{src}'
                f'<details class="chart-data"><summary>Show the data behind this chart</summary>'
                f'{self.data_table().html(level)}</details></figure>')

    def markdown(self, level=None) -> str:
        png = base64.b64encode(_png(self._spec_json())).decode()
        cap = self.caption or self.title
        alt_text = self.alt.replace("]", ")").replace("[", "(")
        return (f'![{md_escape(cap)}](data:image/png;base64,{png}){{fig-alt="{alt_text}"}}\n\n'
                + self.data_table().markdown(level or heading_level.get()))

    def text_values(self):
        yield from self.data_table().text_values()

