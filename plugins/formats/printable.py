"""The report page prepared for paper (PDF and Word alike), where the screen's answers do not hold.

- A chart's data table is folded away on screen; on paper it is printed after the chart, unless the same
  figures are already printed in a table right beside it: then it is left out (said in one line).
- A table with more columns than a page can hold is split into parts of at most ``SPLIT_DATA_COLUMNS``
  columns, each repeating the first column (the row headers), with "(part 1 of 2)" in its caption; its
  notes and source follow the last part.
- Tables with long text cells are marked so that their rows may break across pages (``long-text``): a
  row taller than the space left on a page otherwise starts a page of its own, one row per page.

These work on the HTML ``plugins.blocks.Table`` writes (``<div class="table-wrap">`` around one table).
"""
from __future__ import annotations

import html as html_lib
import math
import re

from plugins.blocks.table import PRINT_DATA_COLUMNS as SPLIT_DATA_COLUMNS  # columns beside the row headers per part
from plugins.charts.chart import repeats

WIDE_COLUMNS = 9           # more than eight columns: full width, smaller type ...
LANDSCAPE_COLUMNS = 9      # ... on landscape pages of their own (wider tables are split first, below)

LONG_TEXT = 180                  # characters: a cell this long makes rows that may break across pages

_WRAP = re.compile(r'<div class="table-wrap(?P<cls>[^"]*)"(?P<attrs>[^>]*)>(?P<table><table\b.*?</table>)'
                   r'(?P<after>.*?)</div>', re.DOTALL)
_PARTS = re.compile(r'(?P<open><table\b[^>]*>)(?:<caption>(?P<cap>.*?)</caption>)?<thead>(?P<head>.*?)</thead>'
                    r'<tbody>(?P<body>.*?)</tbody></table>', re.DOTALL)
_ROW = re.compile(r"<tr\b(?P<attrs>[^>]*)>(?P<cells>.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<(?P<tag>th|td)\b(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=tag)>", re.DOTALL)
_COLSPAN = re.compile(r'\scolspan="(\d+)"')
_TAGS = re.compile(r"<[^>]+>")


def _cells(row: str) -> list[re.Match]:
    return list(_CELL.finditer(row))


def column_count(table_html: str) -> int:
    m = _PARTS.search(table_html)
    if not m:
        return 0
    first = _ROW.search(m["head"])
    return sum(int((_COLSPAN.search(c["attrs"]) or [0, 1])[1]) for c in _cells(first["cells"])) if first else 0


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(_TAGS.sub(" ", fragment))).strip()


# --- wide tables: split, the first column repeated ---------------------------------------------------------

def _slice_row(row: re.Match, keep: list[int], ncols: int) -> str:
    cells = _cells(row["cells"])
    if len(cells) == 1 and _COLSPAN.search(cells[0]["attrs"]):          # a group heading across the table
        c = cells[0]
        attrs = _COLSPAN.sub(f' colspan="{len(keep)}"', c["attrs"])
        return f'<tr{row["attrs"]}><{c["tag"]}{attrs}>{c["body"]}</{c["tag"]}></tr>'
    if len(cells) != ncols:                                             # not a plain row: keep it whole
        return row.group(0)
    return f'<tr{row["attrs"]}>' + "".join(cells[i].group(0) for i in keep) + "</tr>"


def split_table(wrap: re.Match) -> str:
    """One table-wrap as several, each with the row headers and at most SPLIT_DATA_COLUMNS columns."""
    t = _PARTS.search(wrap["table"])
    ncols = column_count(wrap["table"])
    data = ncols - 1
    if not t or data <= SPLIT_DATA_COLUMNS:
        return wrap.group(0)
    parts = math.ceil(data / SPLIT_DATA_COLUMNS)
    size = math.ceil(data / parts)
    out = []
    for k in range(parts):
        keep = [0, *range(1 + k * size, min(ncols, 1 + (k + 1) * size))]
        head = "".join(_slice_row(r, keep, ncols) for r in _ROW.finditer(t["head"]))
        body = "".join(_slice_row(r, keep, ncols) for r in _ROW.finditer(t["body"]))
        cap = t["cap"] or "Table"
        caption = f"<caption>{cap} (part {k + 1} of {parts})</caption>"
        # the table's own id (a cross-reference target) stays on its first part only
        opening = t["open"] if k == 0 else re.sub(r'\sid="[^"]*"', "", t["open"])
        attrs = wrap["attrs"] if k == 0 else re.sub(r'\sid="[^"]*"', "", wrap["attrs"])
        attrs = re.sub(r'aria-label="([^"]*)"', rf'aria-label="\1 (part {k + 1} of {parts})"', attrs)
        after = wrap["after"] if k == parts - 1 else ""
        out.append(f'<div class="table-wrap{wrap["cls"]} split"{attrs}>{opening}{caption}<thead>{head}</thead>'
                   f"<tbody>{body}</tbody></table>{after}</div>")
    return "".join(out)


def split_wide_tables(page: str) -> str:
    return _WRAP.sub(split_table, page)


# --- tall rows ------------------------------------------------------------------------------------------

def mark_long_text(page: str) -> str:
    """Mark tables holding long text cells: print.css lets their rows break across pages."""
    def mark(m: re.Match) -> str:
        t = _PARTS.search(m["table"])
        if not t or not any(len(_text(c["body"])) >= LONG_TEXT for c in _CELL.finditer(t["body"])):
            return m.group(0)
        return m.group(0).replace(f'<div class="table-wrap{m["cls"]}"', f'<div class="table-wrap{m["cls"]} long-text"', 1)
    return _WRAP.sub(mark, page)


# --- a chart's data table, when the same figures are printed beside it --------------------------------------

_CHART = re.compile(r'(?P<figure><figure class="chart"[^>]*>.*?)<details class="chart-data">(?P<details>.*?)'
                    r"</details></figure>", re.DOTALL)
_NEXT_TABLE = re.compile(r'\s*(?:</div>\s*<div class="lscb-section"[^>]*>\s*)?(?P<wrap><div class="table-wrap.*?'
                         r"</table>)", re.DOTALL)
# what may stand between a table and the chart right after it: the table's notes, its closing tags
_BETWEEN = re.compile(r'^(?:\s|</table>|<p class="(?:table-note|source)"[^>]*>.*?</p>|</div>|'
                      r'<div class="lscb-section"[^>]*>)*$', re.DOTALL)


def _table_before(page: str, start: int) -> str | None:
    """The table that ends right where a chart starts (only its notes and closing tags between), if any."""
    at = page.rfind('<div class="table-wrap', 0, start)
    end = page.find("</table>", at, start) if at >= 0 else -1
    if end < 0 or not _BETWEEN.match(page[end:start]):
        return None
    return page[at:end + len("</table>")]


def _figures(table_html: str) -> set[tuple[str, str]]:
    """(row header, cell) pairs of a table's body, as text."""
    t = _PARTS.search(table_html)
    out = set()
    for row in _ROW.finditer(t["body"] if t else ""):
        cells = [_text(c["body"]) for c in _cells(row["cells"])]
        out |= {(cells[0], v) for v in cells[1:] if v}
    return out


def shown_beside(data_table: str, neighbour: str) -> bool:
    """Does the neighbouring table print every figure of the chart's data table, in the same rows?"""
    return repeats(_figures(data_table), _figures(neighbour))


def drop_repeated_chart_data(page: str) -> str:
    """Leave out a chart's data table on paper when the table right after (or right before) the chart prints
    the same figures; one line says where they are."""
    out, pos = [], 0
    for m in _CHART.finditer(page):
        before = page[pos:m.start()]
        nxt = _NEXT_TABLE.match(page, m.end())
        prev = _table_before(page, m.start())
        where = ("below" if nxt and shown_beside(m["details"], nxt["wrap"]) else
                 "above" if prev and shown_beside(m["details"], prev) else "")
        if where:       # the chart keeps its structure (Word's preparation relies on it), minus the table
            summary = re.match(r"\s*(<summary>.*?</summary>)?", m["details"], re.DOTALL).group(1) or ""
            out.append(before + m["figure"] + f'<details class="chart-data">{summary}'
                       f'<p class="chart-data-ref">The figures are in the table {where}.</p></details></figure>')
        else:
            out.append(before + m.group(0))
        pos = m.end()
    out.append(page[pos:])
    return "".join(out)


def printable(page: str) -> str:
    """The page as printed: repeated chart data left out, wide tables split, long-text tables marked."""
    return mark_long_text(split_wide_tables(drop_repeated_chart_data(page)))
