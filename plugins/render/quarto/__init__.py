"""The Quarto engine (``lscb render --engine quarto``): a board's book rendered by a real Quarto with the
lscb extension, into the same output layout as the built-in renderer (the book's pages, ``report.pdf``,
``report.docx``). Registered through ``lscb_register_renderers``; it makes its formats itself.

Inside a kernel that Quarto started, importing this plugin (the engine does, when a chapter opens a board)
gives blocks and sections their Quarto display (see :mod:`plugins.render.quarto.display`)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from core import hookimpl
from plugins.render.build import Report

from .display import install_display
from .render import QUARTO_FORMATS, quarto_binary, render_book


class QuartoRenderer:
    """Renders each report with the quarto binary (checked when the build starts)."""

    def __init__(self) -> None:
        quarto_binary()

    def render(self, engine, year: str, *, use_cache: bool, formats: list[str]) -> Report:
        from plugins.render.builtin.qmd import read_book
        board = engine.board
        book = board.book_dir(year)
        with tempfile.TemporaryDirectory(prefix="lscb-quarto-out-") as tmp:
            dest = Path(tmp)
            render_book(book, formats, dest, fresh=not use_cache)
            files = {str(p.relative_to(dest)): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file()}
        read = read_book(book)
        chapters = len(read.chapters) + len(read.appendices)
        return Report(board, year, read.title, files=files, cache=(0, chapters))


@hookimpl
def lscb_register_renderers(register):
    register("quarto", QuartoRenderer, help="the book rendered by Quarto, which must be on PATH",
             writes=tuple(QUARTO_FORMATS))


install_display()
