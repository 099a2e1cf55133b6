"""`lscb render --engine quarto`: a board's book rendered by a real Quarto (on a copy of the board) into the
same output layout as the built-in renderer (the book's pages, ``report.pdf``, ``report.docx``); the build
(plugins.render.build) puts them in place atomically, as it does every renderer's files.

Each year folder ``boards/<board>/<year>/`` is a Quarto book that uses the lscb extension
(``quarto/_extensions/lscb``, reached through the book's ``_extensions`` link): formats ``lscb-html`` and
``lscb-docx``, a post-render script that writes the PDF through Typst (Quarto 1.7 books do not render
Typst themselves, and LaTeX would need TeX), and the scripts that run the report's page and file hooks
(:mod:`plugins.render.quarto.hooks`).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from core.errors import LscbError

#: where the extension lives in a checkout of this project
EXTENSIONS = Path(__file__).resolve().parent.parent.parent.parent / "quarto" / "_extensions"

#: what every book's _quarto.yml holds besides its title and chapters (the scaffold writes the same)
BOOK_PROJECT = ("project:\n  type: book\n"
                "  # the report's plugins (a draft's banner, the requirements appendix) reach Quarto's pages and "
                "Word file\n"
                "  pre-render: _extensions/lscb/report-page.py\n"
                "  post-render:\n"
                "    - _extensions/lscb/report-files.py\n"
                "    # Quarto 1.7 books cannot render Typst: the lscb extension writes the PDF from the Word document\n"
                "    - _extensions/lscb/typst-pdf.py\n")
BOOK_FORMATS = ("# chapter titles carry the report's own numbering\nnumber-sections: false\n"
                "format:\n  lscb-html: default\n  lscb-docx: default\n")

#: lscb's output formats -> the Quarto format that produces them (the PDF comes from the Word render)
QUARTO_FORMATS = {"html": "lscb-html", "docx": "lscb-docx", "pdf": "lscb-docx"}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class QuartoError(LscbError):
    """Quarto ran and failed: the message names the chapter and the cell."""


class QuartoNotFound(LscbError):
    """`--engine quarto` asked for, but no quarto binary on PATH."""


def link_extension(book: Path) -> bool:
    """Give a book the lscb extension: see :func:`plugins.project.link_extension` (a link to the project's
    ``_extensions``, or a copy)."""
    from plugins.project import link_extension as link
    return link(book)


def quarto_binary() -> str:
    quarto = shutil.which("quarto")
    if not quarto:
        raise QuartoNotFound("quarto is not on PATH: install Quarto (https://quarto.org) or use the "
                             "built-in renderer (lscb render without --engine quarto)")
    return quarto


def quarto_env() -> dict[str, str]:
    """Quarto runs the chapters with the Python that runs lscb, so the engine is importable there."""
    return {**os.environ, "QUARTO_PYTHON": sys.executable}


def explain_failure(book: Path, output: str, shown: Path | None = None) -> str:
    """Quarto's log of a failed render -> one line naming the chapter, the cell and the error (chapters
    are read from ``book``, and named as in ``shown``)."""
    shown = shown or book
    log = _ANSI.sub("", output)
    chapters = re.findall(r"Executing '([^']+?)(?:\.quarto_ipynb|\.ipynb)'", log)
    cells = re.findall(r"Cell (\d+)/\d+: '([^']*)'", log)
    errors = [m for m in re.findall(r"^(\w*(?:Error|Exception|Errors)): (.+)$", log, re.M)]
    if not chapters or not cells or "An error occurred while executing" not in log:
        lines = [ln.strip() for ln in log.splitlines() if ln.strip() and not ln.startswith(("Starting", "["))]
        tail = next((ln for ln in reversed(lines) if re.search(r"error|failed", ln, re.I)), lines[-1] if lines else "")
        return f"quarto render {_show(shown)} failed: {tail}"
    chapter = book / f"{chapters[-1]}.qmd"
    number, label = int(cells[-1][0]), cells[-1][1]
    where = f"{_show(shown / chapter.name)}, cell {number}"
    try:
        from plugins.render.builtin.qmd import read_chapter
        code = [c for c in read_chapter(chapter).cells if c.kind == "code"]
        where = f"{_show(shown / chapter.name)}, cell at line {code[number - 1].line}"
    except (LscbError, OSError, IndexError):
        pass
    if label:
        where += f" ({label})"
    kind, message = errors[-1] if errors else ("Error", "see quarto's output above")
    return f"{where}: {kind}: {message}"


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def copy_board(book: Path, work: Path, fresh: bool = False) -> Path:
    """Copy the book's board (board.yml, data, plugins, the year folders; links followed, so the copy has
    its own extension) to ``work/boards/<board>/``: Quarto writes its intermediate files beside the
    chapters, and a render must not leave them in the board's folder. ``fresh``: without the book's
    ``_freeze`` folder, so every chapter runs. Returns the copied book."""
    board_root = book.parent
    copy = work / "boards" / board_root.name
    shutil.copytree(board_root, copy, ignore=shutil.ignore_patterns(
        "_book", ".quarto", "*.quarto_ipynb", "*_files", "site_libs", "__pycache__", *(["_freeze"] if fresh else [])))
    return copy / book.name


def run_quarto(book: Path, args: list[str], shown: Path | None = None) -> subprocess.CompletedProcess:
    """``quarto render BOOK ARGS`` with the engine's Python; a failure raises one QuartoError naming the
    chapter and the cell (paths shown as ``shown``, the book the user knows, when it ran on a copy)."""
    cmd = [quarto_binary(), "render", str(book), *args]
    env = {**quarto_env(), "LSCB_BOARDS": str(book.parent.parent)}
    done = subprocess.run(cmd, env=env, cwd=book, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace")
    if done.returncode != 0:
        raise QuartoError(explain_failure(book, done.stdout, shown or book))
    return done


def render_book(book: Path, formats: list[str], dest: Path, fresh: bool = False) -> list[str]:
    """Render one book with Quarto (on a copy of its board) into ``dest``; returns the files it holds.
    ``fresh`` (``lscb render --no-cache``): every chapter executed, whatever the book's freeze or cache."""
    if not (book / "_extensions" / "lscb" / "_extension.yml").is_file():
        raise QuartoError(f"{_show(book)}: no lscb Quarto extension (_extensions/lscb); run `lscb init` in your "
                          "project folder (it gives the project the extension) and link the book's _extensions to "
                          "the project's, as lscb new-board does (README: rendering with Quarto)")
    wanted = sorted({QUARTO_FORMATS[f] for f in formats})
    args = ["--output-dir", str(dest), *(["--cache-refresh"] if fresh else [])]
    if wanted != sorted(set(QUARTO_FORMATS.values())):
        args += ["--to", ",".join(wanted)]
    with tempfile.TemporaryDirectory(prefix="lscb-quarto-") as work:
        run_quarto(copy_board(book, Path(work), fresh), args, shown=book)
    for name, file in (("docx", "report.docx"), ("pdf", "report.pdf")):
        if name not in formats:          # made on the way (the PDF comes from the Word render): not asked for
            (dest / file).unlink(missing_ok=True)
    missing = [name for f, name in (("html", "index.html"), ("pdf", "report.pdf"), ("docx", "report.docx"))
               if f in formats and not (dest / name).is_file()]
    if missing:
        raise QuartoError(f"quarto render {_show(book)} finished but wrote no {', '.join(missing)} "
                          f"(is the book using the lscb formats? its _quarto.yml needs:\n{BOOK_FORMATS})")
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
