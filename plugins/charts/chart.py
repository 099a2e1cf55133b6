"""Charts: altair specifications made static with vl-convert, always with alt text and their data."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import altair as alt
import pandas as pd

from core.blocks import Block, esc
from plugins.blocks import heading_level, md_escape
from plugins.blocks.figures import display_number
from plugins.blocks.table import Table, TableNote, note_prefix
from plugins.contracts import printed_number

from . import worker as chart_worker
from .palette import CATEGORICAL, TEXT

# The font vl-convert measures text with, then the report's own: labels keep their measured width.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def to_number(value) -> float | None:
    """A figure to draw: '1,918' -> 1918.0, '51.0%' -> 51.0; a bound ('<1%') or text ('Not published') is
    not drawn (None)."""
    s = str(value).strip()
    return None if s.startswith("<") else printed_number(s)


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    return chart_worker.convert("svg", spec_json).decode("utf-8")


@lru_cache(maxsize=512)
def _png(spec_json: str) -> bytes:
    return chart_worker.convert("png", spec_json)


# A totals row is said, not drawn: "Total", "TOTAL", "Grand total", "Sub-total", "All", "Overall".
# ("All Other Agencies" is a category, not a total.)
TOTAL = re.compile(r"^\s*(?:(?:grand|sub)[\s-]?)?totals?\b|^\s*(?:all|overall)\s*$|"
                   r"^\s*all (?:agencies|children|ages|areas|categories|groups|districts)\s*$", re.I)
LONG_LABEL = 12       # characters: longer category labels make the bars horizontal
MANY = 8              # more categories than this lie down, unless their labels are as short as "Apr"
_BY = re.compile(r"\bby ([^,;:()\d]+)", re.I)        # "by agency and by level, 2013/14" -> "agency and by level"
_STOP = {"the", "each", "of", "a", "an", "their", "its", "type", "types"}
_END = re.compile(r"\s(?:in|at|for|from|to|during|on|per|as|between|since|until)\s.*$", re.I)


def is_total(label) -> bool:
    """A totals row (its first cell or category reads Total/All/Overall ...): never a chart category."""
    return bool(TOTAL.match(str(label)))


def _stem(word: str) -> str:
    w = word.lower().strip("'’")
    for end, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if w.endswith(end) and len(w) > len(end) + 2:
            return w[: -len(end)] + repl
    return w


def caption_problems(caption: str, fields: list[str], values: list[str] = ()) -> list[str]:
    """Each "by X" in a caption must name what the chart encodes — a field (x, colour) or a word of its
    categories ("by agency" over categories such as "All Other Agencies"): the phrases that name none."""
    encoded = {_stem(w) for f in [*fields, *values] if f for w in re.findall(r"[\w'’]+", str(f))}
    out = []
    for match in _BY.finditer(caption or ""):
        for part in re.split(r"\s+and\s+(?:by\s+)?", _END.sub("", " " + match.group(1).strip()).strip()):
            words = [w for w in re.findall(r"[\w'’]+", part) if w.lower() not in _STOP]
            if words and not any(_stem(w) in encoded for w in words):
                out.append(f"by {part}")
    return out


def describe(data: pd.DataFrame, x: str, y: str, color: str | None, kind: str, title: str,
             horizontal: bool = False, totals: pd.DataFrame | None = None) -> str:
    """Alt text derived from what is drawn: the marks, how many, the highest and the lowest, and any
    totals row left out of the marks."""
    values = data.assign(_v=data[y].map(to_number)).dropna(subset=["_v"])
    shape = "Line chart" if kind == "line" else ("Horizontal bar chart" if horizontal else "Bar chart")
    what = f"{shape}: {title or y}."
    said = ""
    if totals is not None and not totals.empty:
        said = " " + "; ".join(f"{r[x]}{', ' + str(r[color]) if color else ''}: {r[y]}"
                               for _, r in totals.iterrows()) + " (a total, in the data table, not drawn)."
    if values.empty:
        return what + said
    hi = values.loc[values["_v"].idxmax()]
    lo = values.loc[values["_v"].idxmin()]

    def name(row) -> str:
        return f"{row[x]}" + (f", {row[color]}" if color else "")
    marks = "points" if kind == "line" else "bars"
    return (f"{what} {len(values)} {marks} of {y} by {x}"
            + (f" and {color}" if color else "")
            + f"; highest {hi[y]} ({name(hi)}), lowest {lo[y]} ({name(lo)}).{said}")


def repeats(figures: set[tuple[str, str]], beside: set[tuple[str, str]]) -> bool:
    """Does the table beside a chart print every figure of the chart's data ((row, cell) pairs)? Then, on
    paper, the chart's data table is left out: for Quarto's paper formats (:meth:`Chart.placed`) and for the
    built-in renderer's PDF and Word (plugins/formats/printable.py) alike."""
    return bool(figures) and figures <= beside


@dataclass
class Chart(Block):
    """An altair bar or line chart built from a table of printed values, with its data table.

    Rules every chart keeps: a totals row is never a category (it is said in the alt text and kept in
    the data table); every mark has a label (fields are renamed for Vega-Lite, so a column such as
    "No. of Missing Episodes" is not read as a nested field); long or many category labels give
    horizontal bars in the data's order; the alt text is derived from what is drawn.
    """
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
    consistency: list = field(default_factory=list)   # warnings (caption promising an unencoded "by X")
    shown_beside: str = ""    # "below"/"above": the table beside the chart prints its figures (SectionOutput)

    def __post_init__(self):
        for col in (self.x, self.y, self.color):
            if col and col not in self.data.columns:
                raise KeyError(col)
        if not self.alt:
            self.alt = describe(self.drawn, self.x, self.y, self.color, self.kind, self.title,
                                self.horizontal, self.totals)

    def _total_mask(self) -> pd.Series:
        mask = self.data[self.x].map(is_total) | self.data[self.data.columns[0]].map(is_total)
        if self.color:
            mask |= self.data[self.color].map(is_total)
        return mask

    @property
    def drawn(self) -> pd.DataFrame:
        """The rows drawn as marks: every row but totals."""
        return self.data[~self._total_mask()]

    @property
    def totals(self) -> pd.DataFrame:
        return self.data[self._total_mask()]

    @property
    def horizontal(self) -> bool:
        """Bars lie down when their labels are long or many, so every label can be read."""
        cats = [str(c) for c in dict.fromkeys(self.drawn[self.x])]
        if self.kind != "bar" or not cats:
            return False
        longest = max(map(len, cats))
        # Many short labels (twelve months) still sit side by side; many longer ones do not.
        side_by_side = len(cats) * (longest * 7 + 10) <= 520 and (len(cats) <= MANY or longest <= 4)
        return longest > LONG_LABEL or not side_by_side

    def caption_warnings(self, where: str) -> list:
        from plugins.checks.findings import Warning_
        return [Warning_(where, f"chart {self.title!r}",
                         f"the caption says {phrase!r} but the chart encodes only {self.x!r}"
                         + (f" and {self.color!r}" if self.color else "") + "; say what is drawn")
                for phrase in caption_problems(self.caption or self.title, [self.x, self.color or ""],
                                               self._categories())]

    def _categories(self) -> list[str]:
        cols = [self.x] + ([self.color] if self.color else [])
        return [str(v) for c in cols for v in dict.fromkeys(self.drawn[c])]

    def spec(self) -> dict:
        # Vega-Lite reads "." and "[" in a field name as a path: plot plain field names, title them.
        frame = pd.DataFrame({"category": self.drawn[self.x].astype(str),
                              "label": self.drawn[self.y].astype(str).map(display_number),
                              "value": self.drawn[self.y].map(to_number)})
        if self.color:
            frame["series"] = self.drawn[self.color].astype(str)
        frame = frame.dropna(subset=["value"])
        order = list(dict.fromkeys(frame["category"]))
        series = len(set(frame["series"])) if self.color else 1
        tooltip = [alt.Tooltip("category:N", title=self.x), alt.Tooltip("label:N", title=self.y)] + \
            ([alt.Tooltip("series:N", title=self.color)] if self.color else [])
        axis_text = {"labelColor": TEXT, "titleColor": TEXT, "labelFont": FONT, "titleFont": FONT}
        if self.horizontal:
            base = alt.Chart(frame).properties(width=300, height=max(60, len(order) * series * 18 + 10))
            # The category title sits above the labels, level, so it never runs across them.
            cat = alt.Y("category:N", sort=order, title=self.x,
                        axis=alt.Axis(labelLimit=320, labelFontSize=11, titleAngle=0, titleAlign="right",
                                      titleBaseline="bottom", titleX=-6, titleY=-6, **axis_text))
            val = alt.X("value:Q", title=self.y, axis=alt.Axis(tickCount=6, **axis_text))
            offset = {"yOffset": alt.YOffset("series:N")} if self.color else {}
            text = {"align": "left", "baseline": "middle", "dx": 3}
        else:
            base = alt.Chart(frame).properties(width=520, height=260)
            cat = alt.X("category:N", sort=order, title=self.x,
                        axis=alt.Axis(labelAngle=0, labelLimit=140, **axis_text))
            val = alt.Y("value:Q", title=self.y, axis=alt.Axis(**axis_text))
            offset = {"xOffset": alt.XOffset("series:N")} if self.color and self.kind == "bar" else {}
            text = {"dy": -6}
        pos = {"y": cat, "x": val} if self.horizontal else {"x": cat, "y": val}
        enc = {**pos, "tooltip": tooltip}
        if self.color:
            enc["color"] = alt.Color("series:N", scale=alt.Scale(range=list(CATEGORICAL)),
                                     legend=alt.Legend(orient="top", title=self.color))
        mark = (base.mark_line(point=True, color=CATEGORICAL[0]) if self.kind == "line"
                else base.mark_bar(color=CATEGORICAL[0]))
        chart = mark.encode(**enc, **offset)
        labels = base.mark_text(fontSize=11, color=TEXT, **text).encode(
            **pos, text=alt.Text("label:N"), **offset)
        layered = (chart + labels).configure(font=FONT) \
            .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFont=FONT, titleFont=FONT) \
            .configure_view(stroke=None)
        return layered.to_dict(validate=False)   # built by this code and tested; schema validation cost ~0.1 s a chart

    def _spec_json(self) -> str:
        return json.dumps(self.spec(), sort_keys=True, default=str)

    def svg(self) -> str:
        svg = _svg(self._spec_json())
        # The picture is described by the alt text; its own text nodes are hidden from assistive tech.
        svg = re.sub(r'\s(aria-roledescription|aria-label|role)="[^"]*"', "", svg)
        return re.sub(r"<svg\b", f'<svg role="img" aria-label="{esc(self.alt)}" focusable="false"', svg, 1)

    def placed(self, blocks: list[Block], index: int) -> None:
        figures = self.data_table().figures()
        for j, where in ((index + 1, "below"), (index - 1, "above")):
            if 0 <= j < len(blocks) and hasattr(blocks[j], "figures") and repeats(figures, blocks[j].figures()):
                self.shown_beside = where
                return

    def data_table(self) -> Table:
        cols = [self.x] + ([self.color] if self.color else []) + [self.y]
        return Table(self.data[cols].reset_index(drop=True), caption=f"Data for the chart: {self.title}",
                     source=self.source, notes=[n for n in self.notes if isinstance(n, TableNote)])

    def _said(self) -> list[str]:
        """Lines under the chart: its plain notes, and the totals it does not draw."""
        out = [note_prefix(n) + n for n in self.notes if not isinstance(n, TableNote)]
        for _, r in self.totals.iterrows():
            who = ", ".join(str(r[c]) for c in (self.x, self.color) if c)
            out.append(f"{who}: {display_number(str(r[self.y]))}.")   # said under the chart, not drawn
        return out

    def html(self, level=None) -> str:
        ident = f' id="{esc(self.id)}"' if self.id else ""
        cap = self.caption or self.title
        notes = "".join(f'<p class="table-note">{esc(t)}</p>' for t in self._said())
        src = f'<p class="source">Source: {esc(self.source)}</p>' if self.source else ""
        return (f'<figure class="chart"{ident}><figcaption>{esc(cap)}</figcaption>'
                f'<div class="chart-image">{self.svg()}</div>{notes}{src}'
                f'<details class="chart-data"><summary>Show the data behind this chart</summary>'
                f'{self.data_table().html(level)}</details></figure>')

    def markdown(self, level=None) -> str:
        png = base64.b64encode(_png(self._spec_json())).decode()
        cap = self.caption or self.title
        alt_text = self.alt.replace("]", ")").replace("[", "(").replace('"', "'")
        said = "".join(md_escape(t) + "\n\n" for t in self._said())
        data = (md_escape(f"The figures are in the table {self.shown_beside}.") if self.shown_beside
                else self.data_table().markdown(level or heading_level.get()))
        return f'![{md_escape(cap)}](data:image/png;base64,{png}){{fig-alt="{alt_text}"}}\n\n{said}{data}'

    def text_values(self):
        yield from self.data_table().text_values()



_FIGURE = re.compile(r'<figure class="chart"[^>]*><figcaption>(?P<cap>.*?)</figcaption>.*?'
                     r"<thead>(?P<head>.*?)</thead><tbody>(?P<body>.*?)</tbody>", re.DOTALL)


def page_caption_warnings(page: str, where: str) -> list[str]:
    """The captions of a rendered page's charts checked against what each chart draws (its data table's
    columns and categories): a chapter's ``fig-cap`` may promise a breakdown the chart does not have."""
    import html as html_lib

    def text(fragment: str) -> str:
        return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    out = []
    for m in _FIGURE.finditer(page):
        caption = re.sub(r"^Figure \d+:\s*", "", text(m["cap"]))
        fields = [text(c) for c in re.findall(r"<th\b[^>]*>(.*?)</th>", m["head"], re.DOTALL)][:-1]
        categories = [text(c) for c in re.findall(r'<th scope="row">(.*?)</th>', m["body"], re.DOTALL)]
        for phrase in caption_problems(caption, fields, categories):
            out.append(f"{where}: chart {text(m['cap'])!r}: the caption says {phrase!r} but the chart draws "
                       f"only {', '.join(repr(f) for f in fields)}; say what is drawn")
    return out
