"""Tables as printed: cells are strings exactly as the report prints them, with notes, sources and
thousands separators shown the GSS way."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from core.blocks import Block, esc

from .figures import GSS_SHORTHAND, display_number, year_or_code_column
from .text import md_escape

NUMERIC = re.compile(r"^[<>~]?\s*[-+−]?£?\s*\d[\d,]*(\.\d+)?\s*(%|p|k|m)?$")
SHORTHAND = re.compile(rf"^(?:{GSS_SHORTHAND})+$")     # GSS shorthand in a figure's place: [c], [x] ...


def is_numeric(value: str) -> bool:
    """A figure (right-aligned), or GSS shorthand standing in for one (e.g. [c], suppressed)."""
    s = str(value).strip()
    return bool(NUMERIC.match(s) or SHORTHAND.match(s))


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


def note_prefix(text: str) -> str:
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
                after += f'<p class="table-note">{note_prefix(text)}{esc(text)}</p>'
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
        notes = [f"^{m}^ {md_escape(t)}" if m else md_escape(note_prefix(t) + t) for m, t in listing]
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
