"""The built-in renderer: a board's book -> one self-contained, accessible HTML page."""
from __future__ import annotations

import hashlib
import html
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import __version__
from ..board import Board
from ..engine import Engine
from ..notebook import current_book, current_engine
from ..output import swap_into_place, write_atomically  # noqa: F401 - re-exported
from .accessibility import ANCHOR as STATEMENT_ANCHOR
from .accessibility import statement_html
from .execute import ChapterResult, RenderState, execute_chapter, resolve_xrefs
from .qmd import check_chapter_text, read_book, read_chapter

# One stylesheet for both renderers: the lscb Quarto extension's css (quarto/_extensions/lscb/lscb.css);
# style.css links to it in a checkout and is a copy of it in an installed wheel.
CSS_FILE = Path(__file__).with_name("style.css")


def stylesheet() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


@dataclass
class Report:
    """A rendered report: the page and what went into it."""
    board: Board
    year: str
    title: str
    html: str
    chapters: list[ChapterResult]
    data_hash: str

    @property
    def meta(self) -> dict[str, str]:
        info = self.board.year_info(self.year)
        return {"board": self.board.display_name(self.year), "board-id": self.board.id, "year": self.year,
                "working-together": info["edition"], "engine": f"lscb-reports {__version__}",
                "data-hash": self.data_hash}


def data_hash(board: Board, year: str) -> str:
    """A hash of every file under the year's data folder and board.yml: printed in the colophon."""
    h = hashlib.sha256()
    files = sorted((board.root / "data" / year).rglob("*")) + [board.root / "board.yml"]
    for p in files:
        if p.is_file():
            h.update(str(p.relative_to(board.root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def book_label(board: Board, path: Path) -> str:
    return os.path.relpath(path, board.root.parent.parent)


def execute_book(engine: Engine, year: str, use_cache: bool = False) -> tuple[str, list[ChapterResult]]:
    """Execute every chapter of a year's book (in-process, a fresh namespace each), reusing cached
    chapters whose notebook, data, plugins and engine are unchanged."""
    from .cache import ChapterCache
    board = engine.board
    book_dir = board.book_dir(year)
    book = read_book(book_dir, book_label(board, book_dir / "_quarto.yml"))
    defaults = {"echo": False, **{k: v for k, v in book.execute.items() if k in ("echo", "output", "include")}}
    state = RenderState()
    params = {"board_id": board.id, "year": year}
    cache = ChapterCache(engine, year, use_cache)
    data = engine.data(year)
    engine.rendered[year] = []
    for path in book.chapters + book.appendices:      # every chapter checked as text before any runs
        check_chapter_text(path, board, year, book_label(board, path))
    token, book_token = current_engine.set(engine), current_book.set((board.id, year))
    try:
        results = []
        for path in book.chapters + book.appendices:
            key = cache.key(path, params, state) if use_cache else ""
            hit = cache.get(key, state)
            if hit is not None:
                result, rendered = hit
                engine.rendered[year].extend(rendered)
                results.append(result)
                continue
            label = book_label(board, path)
            chapter = read_chapter(path, label)
            engine.chapter = path.name
            before = RenderState(set(state.ids), state.tables, state.figures, dict(state.xrefs))
            first = len(engine.rendered[year])
            data.reset_touched()
            result = execute_chapter(chapter, params, state, defaults, label)
            cache.put(key, result, before, state, data.reset_touched(), engine.rendered[year][first:])
            results.append(result)
    finally:
        current_engine.reset(token)
        current_book.reset(book_token)
        engine.chapter = ""
    engine.last_cache = (cache.hits, cache.misses)
    if board.options_for(year).get("requirements_appendix"):
        from .appendix import requirements_appendix
        results.append(requirements_appendix(engine, year, state))
    for r in results:
        r.html = resolve_xrefs(r.html, state)
    return book.title, results


def toc(chapters: list[ChapterResult]) -> str:
    items = []
    for ch in chapters:
        subs = [h for h in ch.headings if h.level == 3]
        top = next((h for h in ch.headings if h.level == 2), None)
        if top is None:
            continue
        inner = "".join(f'<li><a href="#{h.id}">{html.escape(h.text)}</a></li>' for h in subs)
        items.append(f'<li><a href="#{top.id}">{html.escape(top.text)}</a>'
                     + (f"<ol>{inner}</ol>" if inner else "") + "</li>")
    items.append(f'<li><a href="#{STATEMENT_ANCHOR}">Accessibility statement</a></li>')
    return ('<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


def page(report_title: str, board: Board, year: str, chapters: list[ChapterResult], meta: dict) -> str:
    info = board.year_info(year)
    name = board.display_name(year)
    body = []
    for ch in chapters:
        top = next((h for h in ch.headings if h.level == 2 and h.id == ch.id), None)
        head = f'<h2 id="{ch.id}">{html.escape(ch.title)}</h2>' if top else ""
        body.append(f'<section class="chapter" aria-labelledby="{ch.id}">{head}{ch.html}</section>'
                    if top else f'<section class="chapter">{ch.html}</section>')
    metas = "".join(f'<meta name="lscb:{k}" content="{html.escape(v)}">' for k, v in meta.items())
    colophon = "".join(f"<dt>{html.escape(k.replace('-', ' ').capitalize())}</dt><dd>{html.escape(v)}</dd>"
                       for k, v in meta.items())
    title = info.get("title") or report_title
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(name)}: {html.escape(title)}</title>
<meta name="generator" content="{html.escape(meta['engine'])}">
{metas}
<style>{stylesheet()}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to the report</a>
<header class="report-header">
<p class="board">{html.escape(name)}</p>
<h1>{html.escape(title)}</h1>
<p class="period">{html.escape(str(info.get('period', year)))}</p>
</header>
<div class="page">
{toc(chapters)}
<main id="main" tabindex="-1">
{''.join(body)}
{statement_html({**board.meta, **meta})}
</main>
</div>
<footer class="colophon">
<h2>About this report</h2>
<p>Rendered from data on {date.today().isoformat()}.</p>
<dl>{colophon}</dl>
</footer>
</body>
</html>
"""


def render_report(engine: Engine, year: str, use_cache: bool = False) -> Report:
    board = engine.board
    board.check_year(year)
    title, chapters = execute_book(engine, year, use_cache)
    digest = data_hash(board, year)
    report = Report(board, year, title, "", chapters, digest)
    report.html = page(title, board, year, chapters, report.meta)
    return report
