"""Every board-year is a valid Quarto book that `quarto render` renders with the lscb extension
(quarto/_extensions/lscb): its documented schema, the extension's formats, one stylesheet for both renderers,
and how a section presents itself to Quarto. The real renders are in test_quarto_render.py."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from core.board import Board, list_boards
from plugins.render.builtin.qmd import read_chapter

REPO = Path(__file__).resolve().parent.parent
BOOKS = [(b, y) for b in list_boards() for y in Board.load(b).years]
assert BOOKS, "no books in boards/: every test here would pass on an empty parameter list"

# Keys documented at quarto.org (project, book, format and execution options) that the books use.
TOP_KEYS = {"project", "book", "format", "execute", "lang", "jupyter", "number-sections",
            "toc", "bibliography", "crossref"}
BOOK_KEYS = {"title", "subtitle", "author", "date", "chapters", "appendices", "output-file", "downloads"}
CELL_OPTIONS = {"echo", "eval", "output", "include", "warning", "error", "label", "fig-cap", "fig-alt",
                "tbl-cap", "tags", "fig-width", "fig-height", "code-fold", "tbl-colwidths", "message",
                "fig-subcap", "tbl-subcap"}
EXTENSION = REPO / "quarto" / "_extensions" / "lscb"


@pytest.mark.parametrize("board,year", BOOKS)
def test_book_config_follows_quartos_schema_and_uses_the_lscb_formats(board, year):
    book_dir = Board.load(board).book_dir(year)
    config = yaml.safe_load((book_dir / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "book"
    assert set(config) <= TOP_KEYS, set(config) - TOP_KEYS
    assert set(config["book"]) <= BOOK_KEYS, set(config["book"]) - BOOK_KEYS
    chapters = config["book"]["chapters"]
    assert chapters[0] == "index.qmd"           # Quarto books start with index.qmd
    for ch in chapters + config["book"].get("appendices", []):
        assert (book_dir / ch).is_file(), ch
    # every format the book lists is the extension's; the PDF comes from the post-render script
    assert config["format"] == {"lscb-html": "default", "lscb-docx": "default"}
    assert config["number-sections"] is False     # Quarto's chapter numbers would mislabel the page links
    # the report's page and file hooks run around Quarto's render, and the PDF is made after the files hook
    assert config["project"]["pre-render"] == "_extensions/lscb/report-page.py"
    assert config["project"]["post-render"] == ["_extensions/lscb/report-files.py", "_extensions/lscb/typst-pdf.py"]
    assert config["book"]["output-file"] == "report"       # report.docx, report.pdf as lscb render names them
    # the book reaches the extension through a relative link into quarto/ (so a fresh clone works)
    link = book_dir / "_extensions"
    assert link.is_symlink() and not os.path.isabs(os.readlink(link)), link
    assert link.resolve() == EXTENSION.parent.resolve()
    for script in [config["project"]["pre-render"], *config["project"]["post-render"]]:
        assert (book_dir / script).is_file(), script


@pytest.mark.parametrize("board,year", BOOKS)
def test_chapters_are_quarto_notebooks_with_a_parameters_cell(board, year):
    book_dir = Board.load(board).book_dir(year)
    config = yaml.safe_load((book_dir / "_quarto.yml").read_text(encoding="utf-8"))
    labels = set()
    for name in config["book"]["chapters"] + config["book"].get("appendices", []):
        text = (book_dir / name).read_text(encoding="utf-8")
        chapter = read_chapter(book_dir / name)
        assert chapter.title or text.lstrip().startswith("#"), f"{name}: no title"
        fences = re.findall(r"^```+[ \t]*\{?(\w+)", text, re.M)
        assert all(f == "python" for f in fences), f"{name}: only python cells"
        code = [c for c in chapter.cells if c.kind == "code"]
        if not code:
            continue
        assert "parameters" in (code[0].options.get("tags") or []), f"{name}: first cell is the parameters cell"
        assert f'board_id = "{board}"' in code[0].source and f'year = "{year}"' in code[0].source
        for c in code:
            assert set(c.options) <= CELL_OPTIONS, f"{name}:{c.line}: {set(c.options) - CELL_OPTIONS}"
            label = c.options.get("label")
            if label:
                assert re.match(r"^(tbl|fig)-[\w-]+$", label), f"{name}: label {label}"
                assert label not in labels, f"{name}: label {label} used twice in the book"
                labels.add(label)
                if label.startswith("tbl-"):
                    assert c.options.get("tbl-cap"), f"{name}: {label} has no tbl-cap"


def test_extension_contributes_offline_formats():
    ext = yaml.safe_load((EXTENSION / "_extension.yml").read_text(encoding="utf-8"))
    formats = ext["contributes"]["formats"]
    assert {"html", "docx", "typst"} <= set(formats)
    html = formats["html"]
    assert html["html-math-method"] == "plain"            # no MathJax from a CDN
    assert "embed-resources" not in html                  # Quarto does not support it for books
    assert html["css"] == "lscb.css"
    assert html["html-table-processing"] == "none"        # the engine's accessible tables stay as they are
    # a Bootswatch theme imports web fonts from Google; the default theme plus lscb.scss does not
    assert html["theme"] == ["default", "lscb.scss"]
    assert formats["typst"]["papersize"] == "a4" and formats["docx"]["fig-format"] == "png"
    for name in ["lscb.css", "lscb.scss", "lscb.lua", "typst-pdf.py", "typst-images.lua", "reference.docx",
                 "report-page.py", "report-files.py"]:
        assert (EXTENSION / name).is_file(), name
    filters = formats["common"]["filters"]
    assert filters == [{"path": "lscb.lua", "at": "pre-ast"}]   # before Quarto parses captions into floats
    scss = (EXTENSION / "lscb.scss").read_text(encoding="utf-8")
    assert "/*-- scss:defaults --*/" in scss and "/*-- scss:rules --*/" in scss
    for text in [scss, (EXTENSION / "lscb.css").read_text(encoding="utf-8")]:
        assert not re.search(r"@import|url\(\s*['\"]?https?:", text)          # nothing fetched from the web


def test_one_stylesheet_for_both_renderers():
    from plugins.render.builtin.report import CSS_FILE, stylesheet
    css = (EXTENSION / "lscb.css").read_text(encoding="utf-8")
    # in a checkout the engine's style.css is a link to the extension's; an installed wheel holds a copy
    assert CSS_FILE.resolve() == (EXTENSION / "lscb.css").resolve() or CSS_FILE.read_text(encoding="utf-8") == css
    assert stylesheet() == css
    for selector in ["ul.key-figures", "td.num", ".table-note", "figure.chart", "section.priority"]:
        assert selector in css, selector


def test_stylesheet_palette_matches_the_engines_palette():
    from plugins.charts.palette import CATEGORICAL, CSS_VARIABLES
    css = (EXTENSION / "lscb.css").read_text(encoding="utf-8")
    root = re.search(r":root\s*\{([^}]*)\}", css).group(1)
    declared = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root))
    assert declared == CSS_VARIABLES
    scss = (EXTENSION / "lscb.scss").read_text(encoding="utf-8")
    assert f"$lscb-accent: {CATEGORICAL[0]};" in scss


# --- how a section presents itself to Quarto ----------------------------------------------------------

def _section():
    import pandas as pd

    from core.blocks import SectionOutput
    from plugins.blocks import Fact, KeyFigures, Table
    table = Table(pd.DataFrame({"Line": ["Total"], "Amount": ["£274,023"]}), caption="Budget")
    return SectionOutput("governance.budget", [KeyFigures([Fact("7", "meetings")]), table])


def test_outside_quarto_a_section_offers_html_and_markdown(monkeypatch):
    for var in ("QUARTO_DOCUMENT_PATH", "QUARTO_FIG_FORMAT"):
        monkeypatch.delenv(var, raising=False)
    bundle = _section()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown"}


def test_under_quarto_a_section_is_one_markdown_output_with_both_representations(monkeypatch):
    # any text/html output makes Quarto add require.js and jQuery from a CDN to the page
    from plugins.render.quarto.display import quarto_bundle
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", "/book")
    bundle = quarto_bundle(_section())
    assert set(bundle) == {"text/markdown"}
    md = bundle["text/markdown"]
    assert md.startswith('::: {.lscb-section data-section="governance.budget" data-level="3"}')
    blocks = re.findall(r"^::: \{\.lscb-block \.lscb-(\w+)\}$", md, re.M)
    assert blocks == ["keyfigures", "table"]
    assert md.count("```{=html}") == 2 and md.count("::: {.lscb-md}") == 2
    assert '<ul class="key-figures">' in md and "| Total | £274,023 |" in md
    # every fenced div is closed
    assert len(re.findall(r"^::: \{", md, re.M)) == len(re.findall(r"^:::$", md, re.M))


def test_in_a_kernel_quarto_started_the_quarto_plugin_gives_blocks_their_display(monkeypatch):
    """IPython asks the formatter the plugin registers for the block types, before _repr_mimebundle_."""
    from IPython.core.interactiveshell import InteractiveShell

    from plugins.render.quarto.display import install_display
    shell = InteractiveShell.instance()
    monkeypatch.delenv("QUARTO_DOCUMENT_PATH", raising=False)
    monkeypatch.delenv("QUARTO_FIG_FORMAT", raising=False)
    assert not install_display()                  # outside Quarto nothing changes
    assert "text/html" in shell.display_formatter.format(_section())[0]
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", "/book")
    formatter = shell.display_formatter.mimebundle_formatter
    saved = dict(formatter.type_printers)
    try:
        assert install_display()
        data, _ = shell.display_formatter.format(_section())
        assert "text/html" not in data and data["text/markdown"].startswith("::: {.lscb-section")
    finally:
        formatter.type_printers.clear()
        formatter.type_printers.update(saved)
        InteractiveShell.clear_instance()


def test_raw_html_fence_is_longer_than_any_backticks_inside():
    from plugins.render.quarto.display import _fence
    assert _fence("no ticks") == "```"
    assert _fence("a ```` b") == "`````"


# --- the Quarto engine behind `lscb render --engine quarto` -------------------------------------------

QUARTO_FAILURE = """\
Executing '02-governance.quarto_ipynb'
  Cell 1/6: ''....................Done
  Cell 2/6: ''....................Done
  Cell 6/6: 'tbl-budget'..........
An error occurred while executing the following cell:
------------------
board.section("governance.nope")
------------------
SectionError                              Traceback (most recent call last)
Cell In[6], line 1
----> 1 board.section("governance.nope")
SectionError: coventry 2013-14: no plugin provides section 'governance.nope'
"""


def test_a_quarto_failure_is_one_line_naming_chapter_cell_and_error():
    from plugins.render.quarto.render import explain_failure
    book = Board.load("coventry").book_dir("2013-14")
    code = [c for c in read_chapter(book / "02-governance.qmd").cells if c.kind == "code"]
    message = explain_failure(book, "\x1b[31m" + QUARTO_FAILURE + "\x1b[39m")
    assert "\n" not in message
    assert message.endswith("02-governance.qmd, cell at line "
                            f"{code[5].line} (tbl-budget): SectionError: coventry 2013-14: no plugin provides "
                            "section 'governance.nope'"), message
    # a failure outside any cell still gives one line
    other = explain_failure(book, "Starting python3 kernel...\nERROR: YAMLError: bad indentation of a mapping entry\n")
    assert other.endswith("failed: ERROR: YAMLError: bad indentation of a mapping entry"), other


def test_engine_quarto_without_quarto_says_so_in_one_line(monkeypatch, tmp_path, capsys):
    from core.cli import main
    monkeypatch.setenv("PATH", str(tmp_path))          # no quarto here
    assert main(["render", "coventry", "--year", "2013-14", "--engine", "quarto", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("lscb: quarto is not on PATH") and "\n" not in err, err
    assert not (tmp_path / "o").exists()


def test_a_new_book_outside_the_checkout_gets_a_copy_of_the_extension(tmp_path):
    from plugins.render.quarto.render import link_extension
    book = tmp_path / "myboard" / "2024-25"
    book.mkdir(parents=True)
    assert link_extension(book)
    ext = book / "_extensions" / "lscb"
    assert not (book / "_extensions").is_symlink()
    assert (ext / "_extension.yml").read_bytes() == (EXTENSION / "_extension.yml").read_bytes()
    assert (ext / "lscb.css").read_text(encoding="utf-8") == (EXTENSION / "lscb.css").read_text(encoding="utf-8")
