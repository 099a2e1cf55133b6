"""The built-in renderer: a board's book -> one self-contained, accessible HTML page."""
from __future__ import annotations

import hashlib
import html
import os
from datetime import date
from pathlib import Path

from core import __version__
from core.board import Board
from core.engine import Engine
from core.notebook import current_book, current_engine
from plugins.render.build import Report

from .execute import ChapterResult, RenderState, execute_chapter, resolve_xrefs
from .qmd import read_book, read_chapter

# One stylesheet for both renderers: the lscb Quarto extension's css (quarto/_extensions/lscb/lscb.css);
# style.css links to it in a checkout and is a copy of it in an installed wheel.
CSS_FILE = Path(__file__).with_name("style.css")


def stylesheet() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


def report_meta(board: Board, year: str, digest: str) -> dict[str, str]:
    """The report's metadata: in the page's <meta> tags and colophon, and the PDF and Word properties."""
    info = board.year_info(year)
    return {"board": board.display_name(year), "board-id": board.id, "year": year,
            "working-together": info["edition"], "engine": f"lscb-reports {__version__}", "data-hash": digest}


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


def execute_book(engine: Engine, year: str, use_cache: bool = False,
                 sources: str | None = None) -> tuple[str, list[ChapterResult]]:
    """Execute every chapter of a year's book (in-process, a fresh namespace each), reusing cached
    chapters whose notebook, data, plugins and engine are unchanged (``sources``: the engine's source hash,
    when the caller has it)."""
    from .cache import ChapterCache
    board = engine.board
    book_dir = board.book_dir(year)
    book = read_book(book_dir, book_label(board, book_dir / "_quarto.yml"))
    defaults = {"echo": False, **{k: v for k, v in book.execute.items() if k in ("echo", "output", "include")}}
    state = RenderState()
    params = {"board_id": board.id, "year": year}
    cache = ChapterCache(engine, year, use_cache, sources)
    data = engine.data(year)
    engine.rendered[year] = []
    token, book_token = current_engine.set(engine), current_book.set((board.id, year))
    try:
        results = []
        for path in book.chapters + book.appendices:
            key = cache.key(path, {**params, "execute": defaults}, state) if use_cache else ""  # _quarto.yml's too
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
        from plugins.checks.appendix import requirements_appendix
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


def render_report(engine: Engine, year: str, use_cache: bool = False, sources: str | None = None) -> Report:
    from plugins.charts.chart import page_caption_warnings
    board = engine.board
    board.check_year(year)
    title, chapters = execute_book(engine, year, use_cache, sources)
    meta = report_meta(board, year, data_hash(board, year))
    page_html = page(title, board, year, chapters, meta)
    # a chapter's figure caption may promise a breakdown its chart does not draw
    warnings = page_caption_warnings(page_html, f"boards/{board.id}/{year}")
    return Report(board, year, title, page_html, meta, warnings=warnings, cache=engine.last_cache)
