"""The gallery: ``lscb render --all`` also writes ``OUT/index.html``, one page that leads to every report.

For each board and year: its title, period and Working Together edition, links to the formats written
(relative, so the folder works offline and anywhere it is copied), the result ``lscb check`` gives (data
sound, requirements met or missing, warnings) and, side by side, the headline indicators boards share
(``plugins/data/headline_indicators.yml``, read from each year's tidy ``indicators.csv``).

The check result comes from the render itself: the data checks ran before the report did (a data error
stops the build), their warnings come back with each report, and the requirements coverage is worked out
from the sections the report showed and kept in the page's head (``<meta name="lscb:requirements">``),
so a report taken from the cache still carries it. Quarto's pages carry it too: the book's pre-render script
runs this page hook for them (plugins/render/quarto/hooks.py).
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from core import hookimpl
from core.board import Board
from core.data import load_yaml

HEADLINES = Path(__file__).with_name("data") / "headline_indicators.yml"
COVERAGE_META = "lscb:requirements"
FORMATS = (("index.html", "Web page"), ("report.pdf", "PDF"), ("report.docx", "Word"))


# --- in each report: the requirements coverage, kept in the page ---------------------------------------

@hookimpl
def lscb_report_page(engine, year, report):
    from plugins.requirements import coverage, requirements
    edition = engine.board.year_info(year)["edition"]
    found = coverage(requirements(engine), engine.section_types, engine.rendered.get(year, []), edition)
    summary = {"edition": edition, "met": sum(not c.missing for c in found), "total": len(found),
               "missing_must": [c.requirement.id for c in found if c.missing and c.requirement.force == "must"],
               "missing_should": [c.requirement.id for c in found if c.missing and c.requirement.force == "should"]}
    meta = f'<meta name="{COVERAGE_META}" content="{html.escape(json.dumps(summary))}">\n'
    report.html = report.html.replace("</head>", meta + "</head>", 1)


def page_meta(page: str, name: str) -> str:
    head = page.split("</head>", 1)[0]
    m = re.search(rf'<meta name="{re.escape(name)}" content="([^"]*)"', head)
    return html.unescape(m.group(1)) if m else ""


# --- the build's index page -------------------------------------------------------------------------------

@dataclass
class Entry:
    board: Board
    year: str
    files: dict[str, bytes | str]
    warnings: list[str]
    coverage: dict = field(default_factory=dict)
    status: str = ""

    @property
    def folder(self) -> str:
        return f"{self.board.id}/{self.year}"

    @property
    def anchor(self) -> str:
        return f"{self.board.id}-{self.year}"

    @property
    def year_label(self) -> str:
        return self.year.replace("-", "/")

    @property
    def short(self) -> str:
        return f"{self.board.area} {self.year_label}"

    @property
    def period(self) -> str:
        return str(self.board.year_info(self.year).get("period") or self.year.replace("-", "/"))


@hookimpl
def lscb_build_finished(out, reports, files):
    entries = []
    for (board_id, year), (rendered, _, warnings) in reports.items():
        page = rendered.get("index.html", b"")
        page = page.decode("utf-8") if isinstance(page, bytes) else page
        raw = page_meta(page, COVERAGE_META)
        entries.append(Entry(Board.load(board_id), year, rendered, list(warnings),
                             json.loads(raw) if raw else {}, page_meta(page, "lscb:status")))
    entries.sort(key=lambda e: (e.board.display_name(e.year), e.year))
    files["index.html"] = gallery_page(entries)


def headline_values(entries: list[Entry], headlines_file: Path = HEADLINES) -> list[tuple[str, list]]:
    """[(label, [(value, period) or None per entry])], only headlines that two reports or more have."""
    headlines = load_yaml(headlines_file, f"plugins/data/{headlines_file.name}")["headlines"]
    rows = {e.anchor: _indicator_rows(e) for e in entries}
    out = []
    for h in headlines:
        names = {n.casefold() for n in h.get("names", [])}
        tables = set(h.get("tables", []))
        cells = []
        for e in entries:
            found = [r for r in rows[e.anchor] if r.get("unit") == h["unit"]
                     and (r.get("indicator", "").casefold() in names or r.get("table") in tables)
                     and r.get("area") == e.board.area]
            cells.append(_this_year(found, e.year))
        if sum(c is not None for c in cells) >= 2:
            out.append((h["label"], cells))
    return out


def _indicator_rows(e: Entry) -> list[dict]:
    path = e.board.root / "data" / e.year / "indicators.csv"
    if not path.is_file():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _end_year(period: str) -> int | None:
    """'2014/15', '2013-14' -> 2015, 2014; '31 March 2014' -> 2014; no year -> None."""
    m = re.search(r"(\d{4})\s*[-/\u2013]\s*(\d{2,4})\b", period)
    if m:
        tail = m.group(2)
        return int(tail) if len(tail) == 4 else int(m.group(1)[:2] + tail)
    years = re.findall(r"\b(\d{4})\b", period)
    return int(years[-1]) if years else None


def _this_year(rows: list[dict], year: str) -> tuple[str, str] | None:
    """The value for the period ending in the report year (the last such row, as the file lists them)."""
    end = int(year[:4]) + 1
    match = [r for r in rows if _end_year(r.get("period", "")) == end]
    if not match:
        return None
    return match[-1]["value"], match[-1]["period"]


def _size(content: bytes | str) -> str:
    n = len(content.encode("utf-8") if isinstance(content, str) else content)
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


def _check_summary(e: Entry) -> tuple[str, list[str]]:
    """('Check passes' or what stops it, [detail lines]) as lscb check would judge the report."""
    lines = ["Data sound: no data errors" + (f"; {len(e.warnings)} warning{'s' if len(e.warnings) != 1 else ''}"
                                             if e.warnings else "; no warnings")]
    c = e.coverage
    if c:
        met = f"Working Together requirements: {c['met']} of {c['total']} met"
        missing = [f"{r} (must)" for r in c["missing_must"]] + [f"{r} (should)" for r in c["missing_should"]]
        lines.append(met + (f"; missing {', '.join(missing)}" if missing else ""))
    else:
        lines.append("Working Together requirements: not worked out by this renderer (run lscb check)")
    if e.status:
        return f"Not final: {e.status}", lines
    if c and c["missing_must"]:
        return "A must requirement is missing", lines
    return ("Check passes" if c else "Data sound"), lines


CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1b; background: #fff;
       margin: 0; line-height: 1.5; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 2rem; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.15rem; margin: 0 0 0.25rem; }
.reports { list-style: none; padding: 0; display: grid; gap: 1rem;
           grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); }
.reports > li { border: 1px solid #6b6b6b; border-radius: 6px; padding: 1rem; }
.board { margin: 0; color: #3d3d3d; }
dl { margin: 0.5rem 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.75rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.formats { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
a { color: #0b4f8a; }
a:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
.verdict { font-weight: 600; margin: 0.5rem 0 0; }
.check { margin: 0.25rem 0 0; padding-left: 1.2rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
                   white-space: nowrap; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
th, td { border: 1px solid #6b6b6b; padding: 0.4rem 0.6rem; vertical-align: top; }
thead th { background: #eef1f4; }
tbody th { text-align: left; font-weight: 600; }
td { text-align: right; }
.period { display: block; font-size: 0.85rem; color: #3d3d3d; }
footer { margin: 2rem auto; color: #3d3d3d; }
"""


def gallery_page(entries: list[Entry]) -> str:
    cards = "".join(_card(e) for e in entries)
    headlines = headline_values(entries)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Safeguarding children annual reports</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Safeguarding children annual reports</h1>
<p>{len(entries)} annual report{'s' if len(entries) != 1 else ''} of {len({e.board.id for e in entries})} safeguarding
children boards and partnerships, each with the result of its checks.</p>
</header>
<main>
<h2 id="reports">Reports</h2>
<ul class="reports" aria-labelledby="reports">{cards}</ul>
{_headline_table(entries, headlines)}
</main>
<footer><p>Every link leads to a file in this folder; the pages need no network.</p></footer>
</body>
</html>
"""


def _card(e: Entry) -> str:
    info = e.board.year_info(e.year)
    esc = html.escape
    heading = f"{e.anchor}-title"
    links = []
    for name, label in FORMATS:
        if name in e.files:
            size = "" if name == "index.html" else f" ({_size(e.files[name])})"
            links.append(f'<li><a href="{esc(e.folder)}/{name}">{label}{size}'
                         f'<span class="visually-hidden">: {esc(e.short)}</span></a></li>')
    verdict, details = _check_summary(e)
    return f"""
<li id="{esc(e.anchor)}">
<h3 id="{esc(heading)}">{esc(info.get('title') or e.year)}</h3>
<p class="board">{esc(e.board.display_name(e.year))}</p>
<dl>
<dt>Period</dt><dd>{esc(e.period)}</dd>
<dt>Working Together</dt><dd>{esc(info['edition'])}</dd>
</dl>
<ul class="formats" aria-label="Formats of this report">{''.join(links)}</ul>
<p class="verdict">{esc(verdict)}</p>
<ul class="check">{''.join(f'<li>{esc(d)}</li>' for d in details)}</ul>
</li>"""


def _headline_table(entries: list[Entry], headlines: list[tuple[str, list]]) -> str:
    if not headlines:
        return ""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(e.board.area)}<span class="period">{esc(e.year_label)}</span></th>'
                   for e in entries)
    body = []
    for label, cells in headlines:
        tds = "".join(f'<td>{esc(c[0])}<span class="period">{esc(c[1])}</span></td>' if c else
                      '<td><span aria-hidden="true">–</span><span class="visually-hidden">not reported</span></td>'
                      for c in cells)
        body.append(f'<tr><th scope="row">{esc(label)}</th>{tds}</tr>')
    return f"""<h2 id="headlines">Headline indicators side by side</h2>
<p>As each report gives them, for the board's own area and the period ending in the report year; a dash
where a report does not give the figure.</p>
<div class="table-wrap" role="region" aria-labelledby="headlines" tabindex="0">
<table>
<caption>Headline indicators in each report</caption>
<thead><tr><th scope="col">Indicator</th>{head}</tr></thead>
<tbody>{''.join(body)}</tbody>
</table>
</div>"""
