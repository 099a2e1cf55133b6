"""The content model: what a section is made of.

Every block renders two ways: ``html(level)`` for the built-in renderer and Quarto's HTML, and
``markdown(level)`` for Quarto's Word/PDF. ``level`` is the heading level a block's own headings take
(one below the heading the chapter cell sits under). Text that comes from data is always escaped; only
fields declared as Markdown are interpreted as Markdown (with raw HTML disabled).
"""
from __future__ import annotations

import contextvars
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markdown_it import MarkdownIt

from .figures import FIGURE_EXPECTED, GSS_SHORTHAND, display_number, is_figure, what_it_is, year_or_code_column

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")

#: heading level for block headings; the renderer sets it per cell from the chapter's headings
heading_level: contextvars.ContextVar[int] = contextvars.ContextVar("heading_level", default=4)

NUMERIC = re.compile(r"^[<>~]?\s*[-+−]?£?\s*\d[\d,]*(\.\d+)?\s*(%|p|k|m)?$")


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def md_inline(text: str) -> str:
    """Markdown (declared Markdown fields only) to HTML; raw HTML in the source is shown as text."""
    return _md.render(str(text)).strip()


def md_escape(text: Any) -> str:
    """Plain text made safe inside Markdown output (pipes, asterisks, underscores, angle brackets)."""
    s = "" if text is None else str(text)
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", s).replace("\n", " ")


SHORTHAND = re.compile(rf"^(?:{GSS_SHORTHAND})+$")     # GSS shorthand in a figure's place: [c], [x] ...


def is_numeric(value: str) -> bool:
    """A figure (right-aligned), or GSS shorthand standing in for one (e.g. [c], suppressed)."""
    s = str(value).strip()
    return bool(NUMERIC.match(s) or SHORTHAND.match(s))


def _h(level: int, text: str, cls: str = "") -> str:
    level = max(2, min(level, 6))
    c = f' class="{cls}"' if cls else ""
    return f"<h{level}{c}>{esc(text)}</h{level}>"


class Block:
    """Base class. Subclasses implement ``html`` and ``markdown``."""

    def html(self, level: int | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def markdown(self, level: int | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from .render.quarto_output import quarto_bundle  # under Quarto: one markdown output (see there)
        return quarto_bundle(self) or {"text/html": self.html(), "text/markdown": self.markdown()}

    def text_values(self) -> Iterable[str]:
        """Every figure/text the block shows (used by checks and tests)."""
        return ()


@dataclass
class Markdown(Block):
    """Prose in Markdown (our own words; may hold figures)."""
    text: str

    def html(self, level=None) -> str:
        return md_inline(self.text)

    def markdown(self, level=None) -> str:
        return self.text.strip()


@dataclass
class Fact:
    """One headline figure: the value exactly as printed and a label saying what it is."""
    value: str
    label: str
    period: str = ""
    area: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self):
        # The key-figure rule holds for plugins that build facts in code, too (content files are
        # checked earlier, with the file and block named: plugins/_spec.py).
        if not is_figure(self.value):
            raise ValueError(f"key figure {self.value!r} ({self.label}): expected {FIGURE_EXPECTED}; "
                             f"found {what_it_is(self.value)}")

    def context(self) -> str:
        bits = [b for b in (self.area, self.period) if b]
        return f" ({', '.join(bits)})" if bits else ""


@dataclass
class KeyFigures(Block):
    """Headline numbers, each with its label."""
    facts: list[Fact]
    title: str = ""

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        items = []
        for f in self.facts:
            extra = f'<span class="note"> {esc(f.note)}</span>' if f.note else ""
            src = f'<span class="source"> Source: {esc(f.source)}.</span>' if f.source else ""
            items.append(f'<li><span class="value">{esc(display_number(f.value))}</span> '
                         f'<span class="label">{esc(f.label)}{esc(f.context())}</span>{extra}{src}</li>')
        head = _h(level, self.title) if self.title else ""
        return f'{head}<ul class="key-figures">{"".join(items)}</ul>'

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        head = f"{'#' * level} {md_escape(self.title)}\n\n" if self.title else ""
        lines = [f"- **{md_escape(display_number(f.value))}** {md_escape(f.label)}{md_escape(f.context())}"
                 + (f" {md_escape(f.note)}" if f.note else "") for f in self.facts]
        return head + "\n".join(lines)

    def text_values(self):
        for f in self.facts:
            yield f.value


@dataclass
class BulletList(Block):
    """A list of points (our own words); an optional title becomes a heading."""
    items: list[str]
    title: str = ""
    ordered: bool = False

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        tag = "ol" if self.ordered else "ul"
        head = _h(level, self.title) if self.title else ""
        lis = "".join(f"<li>{esc(i)}</li>" for i in self.items)
        return f"{head}<{tag}>{lis}</{tag}>"

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        head = f"{'#' * level} {md_escape(self.title)}\n\n" if self.title else ""
        mark = (lambda n: f"{n}.") if self.ordered else (lambda n: "-")
        return head + "\n".join(f"{mark(n)} {md_escape(i)}" for n, i in enumerate(self.items, 1))

    def text_values(self):
        return list(self.items)


@dataclass
class TableNote:
    """A footnote on one row, one column or one cell of a table; the table gives it its marker (a, b ...).

    ``row`` is the row's first-cell text, ``column`` a header; either or both. A plain string in
    ``Table.notes`` is a note on the whole table.
    """
    text: str
    row: str = ""
    column: str = ""


def _marker(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < len(letters) else letters[n // 26 - 1] + letters[n % 26]


#: on paper, a table is split into parts of at most this many columns beside its row headers
PRINT_DATA_COLUMNS = 12


def _note_prefix(text: str) -> str:
    return "" if re.match(r"(?i)notes?\b", text.strip()) else "Note: "


@dataclass
class Table(Block):
    """A table as printed: cells are strings exactly as the report prints them.

    The first column is the row header (stub). A row with only its first cell filled is a group
    heading inside the table. Numeric cells are right-aligned.
    """
    frame: pd.DataFrame
    caption: str = ""
    source: str = ""
    notes: list[str | TableNote] = field(default_factory=list)
    id: str = ""
    footnotes: list[str] = field(default_factory=list)   # added by disclosure control etc.
    checks: dict = field(default_factory=dict)            # consistency checks declared in the data
    origin: str = ""                                      # the data file the table came from
    consistency: list = field(default_factory=list)       # warnings its builder found (lscb check prints)

    def _rows(self) -> list[list[str]]:
        return [["" if pd.isna(v) else str(v) for v in row] for row in self.frame.itertuples(index=False)]

    def display_rows(self) -> list[list[str]]:
        """The cells as shown: numbers with thousands separators (GSS), except in the row-header column,
        in columns of years, periods, codes or identifiers, and in a row of years; stored values unchanged."""
        rows = self._rows()
        cols = [str(c) for c in self.frame.columns]
        plain = [True] + [year_or_code_column(cols[i], [r[i] for r in rows]) for i in range(1, len(cols))]
        return [row if year_or_code_column(row[0], row[1:]) else
                [v if plain[i] else display_number(v) for i, v in enumerate(row)] for row in rows]

    def is_group_row(self, row: list[str]) -> bool:
        return len(row) > 2 and bool(row[0]) and not any(c for c in row[1:])

    def missing_note_targets(self) -> list[tuple[TableNote, str, str]]:
        """Notes whose row or column is not in the table: (note, 'row'|'column', the value)."""
        rows = {r[0] for r in self._rows()}
        cols = {str(c) for c in self.frame.columns}
        out = []
        for n in self.notes:
            if isinstance(n, TableNote):
                if n.row and n.row not in rows:
                    out.append((n, "row", n.row))
                if n.column and n.column not in cols:
                    out.append((n, "column", n.column))
        return out

    def _anchor(self) -> str:
        """The id note links point into: the table's own id, else one derived from what it shows."""
        if self.id:
            return self.id
        key = "|".join([self.caption, self.origin, *map(str, self.frame.columns), *map(str, self.frame.iloc[:, 0])])
        return "tbl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]

    def _marks(self) -> tuple[dict[tuple[int, int], list[str]], list[tuple[str, str]]]:
        """Markers per (row index, column index) — row -1 is the header row, column 0 the row header —
        and the notes as listed under the table: (marker or '', text)."""
        rows = [r[0] for r in self._rows()]
        cols = [str(c) for c in self.frame.columns]
        marks: dict[tuple[int, int], list[str]] = {}
        listing, n = [], 0
        for note in self.notes:
            if not isinstance(note, TableNote):
                listing.append(("", str(note)))
                continue
            if (note.row and note.row not in rows) or (note.column and note.column not in cols):
                listing.append(("", note.text))       # refused on load; built in code, shown plainly
                continue
            m = _marker(n)
            n += 1
            r = rows.index(note.row) if note.row else -1
            c = cols.index(note.column) if note.column else 0
            marks.setdefault((r, c), []).append(m)
            listing.append((m, note.text))
        return marks, listing

    def _sup_html(self, marks: list[str] | None) -> str:
        if not marks:
            return ""
        anchor = esc(self._anchor())
        return "".join(f'<sup class="note-ref"><a href="#{anchor}-note-{m}" aria-label="Note {m}">{m}</a></sup>'
                       for m in marks)

    def html(self, level=None) -> str:
        cols = [str(c) for c in self.frame.columns]
        marks, listing = self._marks()
        anchor = self._anchor() if marks else ""
        ident = f' id="{esc(self.id or anchor)}"' if (self.id or anchor) else ""
        cap = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        rows = self.display_rows()
        numeric = self._numeric_cols(rows)
        num = ' class="num"'
        head = "".join(f'<th scope="col"{num if i and numeric[i] else ""}>{esc(c)}'
                       f'{self._sup_html(marks.get((-1, i)) if i else None)}</th>'
                       for i, c in enumerate(cols))
        if marks.get((-1, 0)):       # a note on the stub column's header
            head = head.replace("</th>", self._sup_html(marks[(-1, 0)]) + "</th>", 1)
        body = []
        for r, row in enumerate(rows):
            if self.is_group_row(row):
                body.append(f'<tr class="group"><th scope="rowgroup" colspan="{len(cols)}">'
                            f'{esc(row[0])}{self._sup_html(marks.get((r, 0)))}</th></tr>')
                continue
            cells = [f'<th scope="row">{esc(row[0])}{self._sup_html(marks.get((r, 0)))}</th>']
            for c, v in enumerate(row[1:], start=1):
                cls = ' class="num"' if is_numeric(v) else ""
                cells.append(f"<td{cls}>{esc(v)}{self._sup_html(marks.get((r, c)))}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        after = ""
        for m, text in listing:
            if m:
                after += (f'<p class="table-note" id="{esc(anchor)}-note-{m}"><sup class="note-marker">{m}</sup> '
                          f'{esc(text)}</p>')
            else:
                after += f'<p class="table-note">{_note_prefix(text)}{esc(text)}</p>'
        after += "".join(f'<p class="table-note">{esc(n)}</p>' for n in self.footnotes)
        if self.source:
            after += f'<p class="source">Source: {esc(self.source)}</p>'
        # a wide table scrolls in its own box (WCAG 1.4.10); the box is focusable so keyboards can scroll it
        wrap = f'<div class="table-wrap" role="region" aria-label="{esc(self.caption or "Table")}" tabindex="0">'
        return (f'{wrap}<table{ident}>{cap}<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>{after}</div>')

    @staticmethod
    def _numeric_cols(rows: list[list[str]]) -> list[bool]:
        """Per column: are most of its filled cells numbers (so it is right-aligned)?"""
        out = []
        for i in range(len(rows[0]) if rows else 0):
            vals = [r[i] for r in rows if r[i]]
            out.append(bool(vals) and sum(is_numeric(v) for v in vals) >= len(vals) / 2)
        return out

    def figures(self) -> set[tuple[str, str]]:
        """(row header, cell) pairs of the body as stored: what the table prints, for comparing tables."""
        return {(row[0], v) for row in self._rows() for v in row[1:] if v}

    def markdown(self, level=None) -> str:
        """Markdown for paper (Quarto's Word and PDF): a table wider than a page is split into parts of at
        most PRINT_DATA_COLUMNS columns, each repeating the row headers, its notes after the last part."""
        marks, listing = self._marks()

        def sup(key) -> str:
            return "".join(f"^{m}^" for m in marks.get(key, ()))
        cols = [(md_escape(c) + sup((-1, i))) or " " for i, c in enumerate(self.frame.columns)]
        rows = self.display_rows()
        numeric = self._numeric_cols(rows) or [False] * len(cols)
        data = list(range(1, len(cols)))
        parts = max(1, -(-len(data) // PRINT_DATA_COLUMNS))
        size = -(-len(data) // parts) if data else 0
        lines = []
        for k in range(parts):
            keep = [0, *data[k * size:(k + 1) * size]]
            if self.caption:
                part = f" (part {k + 1} of {parts})" if parts > 1 else ""
                lines.append(f"**{md_escape(self.caption)}{part}**\n")
            lines.append("| " + " | ".join(cols[i] for i in keep) + " |")
            lines.append("|" + "|".join("---:" if i and numeric[i] else "---" for i in keep) + "|")
            for r, row in enumerate(rows):
                lines.append("| " + " | ".join(md_escape(row[c]) + sup((r, c)) for c in keep) + " |")
            if k < parts - 1:
                lines.append("")
        notes = [f"^{m}^ {md_escape(t)}" if m else md_escape(_note_prefix(t) + t) for m, t in listing]
        tail = [*notes, *(md_escape(t) for t in self.footnotes)] + \
            ([md_escape(f"Source: {self.source}")] if self.source else [])
        if tail:
            lines.append("")
            lines.extend(t + "\n" for t in tail)
        return "\n".join(lines)

    def text_values(self):
        yield from (str(c) for c in self.frame.columns)
        for row in self._rows():
            yield from row


@dataclass
class Priority:
    """One priority: as success measures and progress, or as working well / worried / next."""
    number: str
    title: str
    status: str = ""
    success_measures: list[str] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    working_well: list[str] = field(default_factory=list)
    worried_about: list[str] = field(default_factory=list)
    needs_to_happen: list[str] = field(default_factory=list)
    partner_contributions: list[tuple[str, list[str]]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    summary: str = ""


PRIORITY_TEMPLATES = {
    "measures-progress": (("success_measures", "Success measures"), ("progress", "Progress")),
    "wwr": (("working_well", "What's working well"), ("worried_about", "What are we worried about"),
            ("needs_to_happen", "What needs to happen")),
}


@dataclass
class PriorityList(Block):
    """The year's priorities with their measures/progress or working-well/worried/next statements."""
    priorities: list[Priority]
    template: str = "measures-progress"

    def _parts(self, p: Priority):
        for attr, label in PRIORITY_TEMPLATES[self.template]:
            items = getattr(p, attr)
            if items:
                yield label, items

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        out = []
        for p in self.priorities:
            title = f"Priority {p.number}: {p.title}" if p.number else p.title
            parts = [_h(level, title)]
            if p.status:
                parts.append(f'<p class="status"><strong>Status:</strong> '
                             f'<span class="rag">{esc(p.status)}</span></p>')
            if p.summary:
                parts.append(md_inline(p.summary))
            for label, items in self._parts(p):
                parts.append(_h(level + 1, label))
                parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
            if p.facts:
                parts.append(KeyFigures(p.facts).html(level + 1))
            if p.partner_contributions:
                parts.append(_h(level + 1, "What partners did"))
                for partner, items in p.partner_contributions:
                    parts.append(f'<p class="partner"><strong>{esc(partner)}</strong></p><ul>'
                                 + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
            out.append(f'<section class="priority">{"".join(parts)}</section>')
        return "".join(out)

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        out = []
        for p in self.priorities:
            title = f"Priority {p.number}: {p.title}" if p.number else p.title
            out.append(f"{'#' * level} {md_escape(title)}\n")
            if p.status:
                out.append(f"**Status:** {md_escape(p.status)}\n")
            if p.summary:
                out.append(p.summary + "\n")
            for label, items in self._parts(p):
                out.append(f"{'#' * (level + 1)} {label}\n")
                out.append("\n".join(f"- {md_escape(i)}" for i in items) + "\n")
            if p.facts:
                out.append(KeyFigures(p.facts).markdown(level + 1) + "\n")
            for partner, items in p.partner_contributions:
                out.append(f"**{md_escape(partner)}**\n")
                out.append("\n".join(f"- {md_escape(i)}" for i in items) + "\n")
        return "\n".join(out)

    def text_values(self):
        for p in self.priorities:
            yield p.title
            for f in p.facts:
                yield f.value


@dataclass
class Group(Block):
    """Blocks under a heading of their own (e.g. one review with its recommendations)."""
    title: str
    blocks: list[Block]
    cls: str = ""

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "".join(b.html(level + 1) for b in self.blocks)
        cls = f' class="{esc(self.cls)}"' if self.cls else ""
        return f"<section{cls}>{_h(level, self.title)}{inner}</section>"

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "\n\n".join(b.markdown(level + 1) for b in self.blocks)
        return f"{'#' * level} {md_escape(self.title)}\n\n{inner}"

    def text_values(self):
        for b in self.blocks:
            yield from b.text_values()


@dataclass
class SectionOutput:
    """What ``board.section(id)`` returns: the section's blocks, displayed as one output."""
    section: str
    blocks: list[Block]
    plugin: str = ""

    def __post_init__(self):
        # On paper a chart's data table is printed after it, unless the table beside it prints the same
        # figures (core/render/printable.py does the same for the built-in renderer's PDF and Word).
        for i, block in enumerate(self.blocks):
            if not hasattr(block, "data_table") or not hasattr(block, "shown_beside"):
                continue
            figures = block.data_table().figures()
            for j, where in ((i + 1, "below"), (i - 1, "above")):
                if 0 <= j < len(self.blocks) and isinstance(self.blocks[j], Table) and figures \
                        and figures <= self.blocks[j].figures():
                    block.shown_beside = where
                    break

    def html(self, level: int | None = None) -> str:
        inner = "\n".join(b.html(level) for b in self.blocks)
        return f'<div class="lscb-section" data-section="{esc(self.section)}">{inner}</div>'

    def markdown(self, level: int | None = None) -> str:
        return "\n\n".join(b.markdown(level) for b in self.blocks)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from .render.quarto_output import quarto_bundle  # under Quarto: one markdown output (see there)
        return quarto_bundle(self) or {"text/html": self.html(), "text/markdown": self.markdown()}

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def empty(self) -> bool:
        return not self.blocks
