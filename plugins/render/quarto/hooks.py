"""The report hooks on Quarto's output: ``quarto render boards/<board>/<year>`` (and ``lscb render --engine
quarto``, which runs it) gives the same draft banner, requirements appendix and page additions as the
built-in renderer.

Quarto makes the pages, the Word document and (through it) the PDF itself, so there is no one finished page
to hand to ``lscb_report_page``. Instead the book's scripts call the hooks (``_quarto.yml``):

- ``pre-render: _extensions/lscb/report-page.py`` (:func:`write_page_additions`): the hooks get a page
  of the built-in renderer's shape with the chapters left out (:data:`SKELETON`, plus the requirements
  appendix when board.yml asks for it); what they add to its head, to the start of its body and to the end
  of its main content is written to ``.quarto/lscb-report.json``, and the extension's filter (lscb.lua)
  puts it into every document Quarto makes: the head in every HTML page, the start of the body at the top
  of every page and of the Word document, the end of the main content after the last chapter.
- ``post-render: _extensions/lscb/report-files.py`` (:func:`run_files_hook`): ``lscb_report_files`` on
  the HTML pages and ``report.docx`` Quarto wrote, before ``typst-pdf.py`` makes ``report.pdf`` from the
  Word document (so a page header a plugin gives the Word document is on every PDF page too).

A page hook's changes to the chapters' own text have no chapters to act on here (its additions do reach
Quarto's output); such a change belongs in ``lscb_report_files`` too, which sees Quarto's pages (the draft
plugin highlights each marker there).
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LscbError
from plugins.render.build import Report

#: where the pre-render script leaves the additions for the filter (Quarto's own scratch folder)
ADDITIONS = Path(".quarto") / "lscb-report.json"
_CHAPTERS = "<!-- lscb:chapters -->"
#: the built-in page's shape (plugins/render/builtin/report.py), without the chapters
SKELETON = ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n'
            '<div class="page">\n<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2>'
            '<ol>{toc}</ol></nav>\n<main id="main" tabindex="-1">\n' + _CHAPTERS + "{appendix}\n</main>\n</div>\n"
            "</body>\n</html>\n")


class QuartoHooksError(LscbError):
    """The book's scripts cannot tell which board and year the book is."""


@dataclass
class PageAdditions:
    """What the page hooks added, by where: ``head`` (HTML head), ``top`` (before the chapters), ``end``
    (after the chapters); ``appendix`` (title, id, body) when board.yml asks for it; ``last``: the book's
    last chapter, after which ``end`` goes in the HTML pages."""
    board: str
    year: str
    head: str = ""
    top: str = ""
    end: str = ""
    appendix: dict[str, str] = field(default_factory=dict)
    last: str = ""


def book_target(book: Path) -> tuple[Any, str]:
    """The engine and year of a year's book folder (``boards/<board>/<year>``, as Quarto's scripts see it:
    the project folder they run in). The boards are the book's own, whatever LSCB_BOARDS says."""
    from core.engine import Engine
    book = book.resolve()
    board_root = book.parent
    if not (board_root / "board.yml").is_file():
        raise QuartoHooksError(f"{book}: not a year's book of a board (no board.yml in {board_root}); lscb's "
                               "Quarto scripts render books at boards/<board>/<year>/")
    engine = Engine.open(board_root.name, board_root.parent)
    if book.name not in engine.board.years:
        raise QuartoHooksError(f"{book}: {book.name!r} is not a year of boards/{board_root.name}/board.yml "
                               f"(years: {', '.join(engine.board.years)})")
    return engine, book.name


def quarto_report(engine, year: str) -> tuple[Report, dict[str, str]]:
    """A :class:`Report` of the year as Quarto renders it, after every ``lscb_report_page`` hook ran on the
    skeleton page; and the appendix (title, id, its section's HTML) when board.yml asks for it. The book
    is executed by the built-in executor, as ``lscb check`` does (a second or two, and without its chapter
    cache, so a Quarto render writes nothing into the project), so hooks that read the sections shown
    (``engine.rendered``: the gallery's coverage) see them."""
    from plugins.render.builtin.report import data_hash, execute_book, report_meta
    board = engine.board
    try:
        title, chapters = execute_book(engine, year)
    except LscbError:
        # a failing cell: Quarto's own run of the chapter reports it by chapter and cell, so the hooks run
        # here without the sections shown rather than fail first with a message about this script
        title, chapters = "", []
        engine.rendered[year] = []
    appendix: dict[str, str] = {}
    toc, section = "", ""
    if board.options_for(year).get("requirements_appendix") and chapters:
        last = chapters[-1]
        appendix = {"title": last.title, "id": last.id, "html": last.html}
        name = html.escape(last.title)
        toc = f'<li><a href="#{last.id}">{name}</a></li>'
        section = (f'\n<section class="chapter" aria-labelledby="{last.id}"><h2 id="{last.id}">{name}</h2>'
                   f"{last.html}</section>")
    meta = {**report_meta(board, year, data_hash(board, year)), "renderer": "quarto"}
    report = Report(board, year, title, SKELETON.format(toc=toc, appendix=section), meta)
    engine.pm.hook.lscb_report_page(engine=engine, year=year, report=report)
    if section:
        appendix["section"] = section
    return report, appendix


def _between(page: str, start: str, end: str) -> str:
    """The text between ``start`` and the next ``end`` (empty when either is gone)."""
    i = page.find(start)
    j = page.find(end, i + len(start)) if i >= 0 else -1
    return page[i + len(start):j] if j >= 0 else ""


def page_additions(book: Path) -> PageAdditions:
    """What the page hooks add to the year's report, by where it goes (see :class:`PageAdditions`)."""
    from plugins.render.builtin.qmd import read_book
    engine, year = book_target(book)
    report, appendix = quarto_report(engine, year)
    page = report.html
    end = _between(page, _CHAPTERS, "\n</main>")
    section = appendix.pop("section", "")
    if section and section in end:
        end = end.replace(section, "", 1)       # the filter adds the appendix with a heading of its own
    elif section:
        appendix = {}                           # a hook rewrote it: it stays in ``end`` as they left it
    read = read_book(book)
    chapters = read.chapters + read.appendices
    return PageAdditions(
        engine.board.id, year,
        head=_between(page, '<meta charset="utf-8">\n', "</head>").strip(),
        # before the chapters: at the top of the body, before <main> or at the start of it
        top="".join(_between(page, a, b).strip() for a, b in (("<body>", '<div class="page">'), ("</nav>\n", "<main"),
                                                                ('<main id="main" tabindex="-1">\n', _CHAPTERS))),
        end=end.strip(), appendix=appendix, last=chapters[-1].name if chapters else "")


def write_page_additions(book: Path | None = None) -> Path:
    """The pre-render step: the page additions as JSON in the book's ``.quarto/`` folder, for lscb.lua."""
    book = (book or Path.cwd()).resolve()
    additions = page_additions(book)
    target = book / ADDITIONS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(additions.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def output_files() -> list[Path]:
    """The files this Quarto render wrote (as Quarto tells post-render scripts)."""
    listed = os.environ.get("QUARTO_USE_FILE_FOR_PROJECT_OUTPUT_FILES")
    text = Path(listed).read_text(encoding="utf-8") if listed else os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", "")
    return [Path(line) for line in text.splitlines() if line.strip()]


def run_files_hook(book: Path | None = None, written: list[Path] | None = None) -> list[str]:
    """The post-render step: ``lscb_report_files`` on the pages and Word document Quarto wrote (by their
    names in the output folder: ``index.html``, ``report.docx`` ...); what a hook changes or adds is
    written back. Returns the names written."""
    book = (book or Path.cwd()).resolve()
    written = output_files() if written is None else written
    out_dir = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or book / "_book")
    out_dir = out_dir if out_dir.is_absolute() else book / out_dir
    paths = {}
    for p in written:
        path = p if p.is_absolute() else book / p
        if path.suffix in (".html", ".docx") and path.is_file():
            paths[path.resolve().relative_to(out_dir.resolve()).as_posix()] = path
    if not paths:
        return []
    engine, year = book_target(book)
    report, _ = quarto_report(engine, year)
    files: dict[str, bytes | str] = {name: p.read_bytes() for name, p in paths.items()}
    before = dict(files)
    engine.pm.hook.lscb_report_files(engine=engine, year=year, report=report, files=files)
    changed = [name for name, content in files.items() if before.get(name) != content]
    for name in changed:
        content = files[name]
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return changed
