"""Every book rendered by the real Quarto (skipped, with the reason, where `quarto` is not on PATH).

Each book is rendered once per test session (two at a time: the machines have two cores), on a copy of its
board, with QUARTO_PYTHON set to this test's own Python; one book is rendered with no flags (every format it
lists: HTML, Word, and the PDF through Typst). The tests then read those renders: the figures every section
shows in the built-in report are in the Quarto page; captions sit on their table or chart; the pages need
no network; axe-core finds no violation on any page; the Word and PDF files have real headings, tables,
images with alt text, A4 pages, page numbers and contents.
"""
from __future__ import annotations

import contextlib
import html
import io
import os
import re
import shutil
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from core.board import Board, list_boards

pytestmark = [pytest.mark.quarto,
              pytest.mark.skipif(shutil.which("quarto") is None,
                                 reason="quarto is not installed (not on PATH): these tests need Quarto 1.7.34 "
                                        "(https://quarto.org/docs/download/)")]

BOOKS = [(b, y) for b in list_boards() for y in Board.load(b).years]
assert BOOKS, "no books in boards/: every test here would pass on an empty parameter list"
IDS = [f"{b}-{y}" for b, y in BOOKS]
FULL = ("coventry", "2013-14")         # the book rendered to every format it lists


@dataclass
class QuartoBook:
    board: str
    year: str
    out: Path | None = None             # the book's _book/ folder
    error: str = ""
    seconds: float = 0.0
    chapters: list[str] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)   # files the render added to the board's folder

    def pages(self) -> list[Path]:
        assert self.out is not None
        return [self.out / (Path(c).stem + ".html") for c in self.chapters]


def _board_files(board: str) -> set[str]:
    root = Board.load(board).root
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if "__pycache__" not in p.parts}


def _render(board: str, year: str, work: Path) -> QuartoBook:
    from plugins.render.quarto.render import copy_board, run_quarto
    book = Board.load(board).book_dir(year)
    config = yaml.safe_load((book / "_quarto.yml").read_text(encoding="utf-8"))
    result = QuartoBook(board, year, chapters=config["book"]["chapters"])
    start = time.perf_counter()
    try:
        copy = copy_board(book, work / f"{board}-{year}")
        run_quarto(copy, [] if (board, year) == FULL else ["--to", "lscb-html"], shown=book)
        result.out = copy / "_book"
    except Exception as e:  # noqa: BLE001 - the book's own tests report it
        result.error = f"{type(e).__name__}: {e}"
    result.seconds = time.perf_counter() - start
    return result


@pytest.fixture(scope="session")
def quarto_books(tmp_path_factory) -> dict[tuple[str, str], QuartoBook]:
    """Every book rendered by Quarto once, two at a time, the biggest first."""
    work = tmp_path_factory.mktemp("quarto")
    order = sorted(BOOKS, key=lambda by: -len(list(Board.load(by[0]).book_dir(by[1]).glob("*.qmd"))))
    before = {by: _board_files(by[0]) for by in order}
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(order, pool.map(lambda by: _render(*by, work), order)))
    for by, book in done.items():
        book.left_behind = sorted(_board_files(by[0]) - before[by])
    total = sum(b.seconds for b in done.values())
    print(f"\nquarto renders: {total:.0f} s of rendering for {len(done)} books "
          + ", ".join(f"{b}-{y} {r.seconds:.0f} s" for (b, y), r in done.items()), file=sys.stderr)
    return done


@pytest.fixture(scope="session")
def builtin_pages(tmp_path_factory) -> dict[tuple[str, str], str]:
    """The built-in renderer's page of every book (no cache), for comparison."""
    from plugins.render.build import build_reports
    out = tmp_path_factory.mktemp("builtin")
    pages = {}
    for board, year in BOOKS:
        target = out / board / year
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                build_reports([(board, year)], target, ["html"], single=True, use_cache=False)
            pages[board, year] = (target / "index.html").read_text(encoding="utf-8")
        except Exception as e:  # noqa: BLE001
            pages[board, year] = f"ERROR {type(e).__name__}: {e}"
    return pages


def rendered(quarto_books, board: str, year: str) -> QuartoBook:
    book = quarto_books[board, year]
    if book.out is None:
        pytest.fail(f"quarto render of {board} {year} failed: {book.error}")
    return book


# --- reading the pages --------------------------------------------------------------------------------

class SectionFigures(HTMLParser):
    """Per engine section (``div.lscb-section[data-section]``): its text, and the figures it shows (key
    figures' values and table cells)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: dict[str, list[str]] = {}
        self.figures: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str | None, bool]] = []     # (tag, section, is a figure)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"):
            return
        a = dict(attrs)
        section = self._stack[-1][1] if self._stack else None
        if tag == "div" and "lscb-section" in (a.get("class") or "").split():
            section = a.get("data-section") or ""
            self.text.setdefault(section, [])
            self.figures.setdefault(section, [])
        figure = section is not None and (tag == "td" or "value" in (a.get("class") or "").split())
        self._stack.append((tag, section, figure))
        if figure:
            self.figures[section].append("")

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1][1] is not None:
            section = self._stack[-1][1]
            self.text[section].append(data)
            if any(f for _, s, f in self._stack if s == section):
                self.figures[section][-1] += data


def norm(text: str) -> str:
    """Text to compare: Quarto lays out the same HTML with other white space between elements."""
    return re.sub(r"\s+", "", html.unescape(text))


def sections_of(pages: list[str]) -> SectionFigures:
    parser = SectionFigures()
    for page in pages:
        parser.feed(page)
    return parser


class Floats(HTMLParser):
    """The inner HTML of every Quarto float (div.quarto-float) by its id."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.floats: dict[str, list[str]] = {}
        self._open: list[tuple[str, int]] = []     # (id, depth at which it opened)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr", "col", "source", "wbr", "path", "rect",
                   "line", "circle"):
            self._emit(self.get_starttag_text())
            return
        self._emit(self.get_starttag_text())
        self._depth += 1
        a = dict(attrs)
        if tag == "div" and "quarto-float" in (a.get("class") or "").split() and a.get("id"):
            self.floats[a["id"]] = []
            self._open.append((a["id"], self._depth))

    def handle_startendtag(self, tag, attrs):
        self._emit(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in ("path", "rect", "line", "circle"):
            self._emit(f"</{tag}>")
            return
        if self._open and self._open[-1][1] == self._depth and tag == "div":
            self._open.pop()
        self._depth -= 1
        self._emit(f"</{tag}>")

    def handle_data(self, data):
        self._emit(data)

    def _emit(self, text):
        for ident, _ in self._open:
            self.floats[ident].append(text)


# --- the tests ------------------------------------------------------------------------------------------

def test_quarto_runs_chapters_with_this_python():
    from plugins.render.quarto.render import quarto_env
    assert quarto_env()["QUARTO_PYTHON"] == sys.executable


@pytest.mark.parametrize("board,year", BOOKS, ids=IDS)
def test_book_renders_one_offline_page_per_chapter(quarto_books, board, year):
    book = rendered(quarto_books, board, year)
    for page in book.pages():
        assert page.is_file(), f"{page.name}: no page for the chapter"
        text = page.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|img|iframe)[^>]+src="(?:https?:)?//[^"]*"'
                            r'|<link[^>]+href="(?:https?:)?//[^"]*"', text)
        assert not remote, f"{page.name}: loads from the network: {remote[:3]}"
        assert "require.min.js" not in text and "jquery" not in text.lower(), page.name
        assert 'src="data:' not in text, f"{page.name}: embeds resources (books do not support it)"
    for css in book.out.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"@import\s+url\(|url\(\s*['\"]?(https?:)?//", text), f"{css.name} fetches from the web"


@pytest.mark.parametrize("board,year", BOOKS, ids=IDS)
def test_a_render_leaves_the_boards_folder_as_it_was(quarto_books, board, year):
    """Quarto renders a copy: no .quarto/, _book/ or *.quarto_ipynb appears in the board's own folder."""
    assert rendered(quarto_books, board, year).left_behind == []


@pytest.mark.parametrize("board,year", BOOKS, ids=IDS)
def test_every_figure_of_every_section_is_in_the_quarto_pages(quarto_books, builtin_pages, board, year):
    book = rendered(quarto_books, board, year)
    page = builtin_pages[board, year]
    if page.startswith("ERROR "):
        pytest.fail(f"the built-in render of {board} {year} failed: {page[6:]}")
    builtin = sections_of([page])
    quarto = sections_of([p.read_text(encoding="utf-8") for p in book.pages()])
    assert builtin.figures, "the built-in page shows no sections"
    assert set(quarto.text) == set(builtin.text), "sections shown differ"
    missing = []
    for section, figures in builtin.figures.items():
        shown = norm(" ".join(quarto.text[section]))
        missing += [f"{section}: {f!r}" for f in map(norm, figures) if f and f not in shown]
    assert not missing, f"{len(missing)} figure(s) missing from the Quarto pages: {missing[:10]}"


@pytest.mark.parametrize("board,year", BOOKS, ids=IDS)
def test_captions_and_labels_attach_to_their_table_or_chart(quarto_books, board, year):
    book = rendered(quarto_books, board, year)
    floats = {}
    for page in book.pages():
        parser = Floats()
        parser.feed(page.read_text(encoding="utf-8"))
        floats.update({k: "".join(v) for k, v in parser.floats.items()})
    labels = [c for c in floats if c.startswith(("tbl-", "fig-"))]
    assert labels, "no captioned tables or charts"
    for ident in labels:
        inner = floats[ident]
        assert 'class="key-figures"' not in inner, f"{ident}: the caption's float holds key figures"
        assert "quarto-float-caption" in inner, f"{ident}: no caption"
        if ident.startswith("tbl-"):
            assert inner.count("<table") == 1, f"{ident}: {inner.count('<table')} tables under one caption"
            assert inner.index("quarto-float-caption") < inner.index("<table"), f"{ident}: caption below"
            assert "<caption>" not in inner, f"{ident}: a second caption inside the table"
        else:
            charts = len(re.findall(r'<figure class="chart[ "]', inner))      # Quarto adds its own classes
            assert charts == 1, f"{ident}: {charts} charts under one caption"
            assert 'role="img" aria-label="' in inner, f"{ident}: chart without alt text"
            assert "Show the data behind this chart" in inner, f"{ident}: chart without its data table"


def test_full_render_writes_word_and_a_typst_pdf(quarto_books):
    book = rendered(quarto_books, *FULL)
    docx, pdf = book.out / "report.docx", book.out / "report.pdf"
    assert docx.is_file() and pdf.is_file(), sorted(p.name for p in book.out.iterdir())

    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert re.search(r'<w:pStyle w:val="Heading[12]"', xml), "Word: no real headings"
    assert xml.count("<w:tbl>") >= 3, "Word: no real tables"
    pictures = re.findall(r"<wp:docPr [^>]*>", xml)
    assert pictures and all(re.search(r'descr="[^"]{10,}"', p) for p in pictures), f"Word: images without alt {pictures[:2]}"
    assert "TOC \\o" in xml, "Word: no contents"
    size = re.search(r"<w:pgSz [^>]*>", xml)
    assert size and 'w:w="11906"' in size.group(0) and 'w:h="16838"' in size.group(0), f"Word: not A4: {size}"
    assert "<w:footerReference" in xml, "Word: no footer (page numbers)"

    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        w, h = doc[0].get_size()
        assert (round(w), round(h)) == (595, 842), f"PDF: not A4 ({w:.0f} x {h:.0f} pt)"
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        assert len(doc) > 5
        assert "Contents" in texts[0], "PDF: no contents on the first page"
        numbers = [t.rstrip().rsplit(None, 1)[-1] for t in texts[:5]]
        assert numbers == [str(i) for i in range(1, 6)], f"PDF: pages are not numbered: {numbers}"
        assert "Membership and attendance of the LSCB" in " ".join(texts)
        assert doc.get_metadata_dict()["Creator"].startswith("Typst"), "PDF: not made by Typst"
    finally:
        doc.close()


# --- accessibility: axe-core on every Quarto page ------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_ready():
    from tests.browser.conftest import missing_browser_reason
    reason = missing_browser_reason()
    if reason:
        pytest.skip(reason)


def axe_failures(pages: list[Path]) -> list[str]:
    """axe-core's violations on each page, in Chromium offline. Runs in a thread of its own: the browser
    tests' session keeps Playwright's sync API busy in the main thread, and it allows one per thread."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.test_accessibility import describe_violations, run_axe
    failures = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
            ctx.route("http*://**", lambda route: route.abort())    # offline: the pages must need no network
            for page_file in pages:
                page = ctx.new_page()
                page.goto(page_file.as_uri(), wait_until="load")
                violations = run_axe(page)
                if violations:
                    failures.append(f"{page_file.name}:\n{describe_violations(violations)}")
                page.close()
        finally:
            browser.close()
    return failures


@pytest.mark.browser
@pytest.mark.parametrize("board,year", BOOKS, ids=IDS)
def test_axe_finds_no_violation_on_any_quarto_page(quarto_books, chromium_ready, board, year):
    book = rendered(quarto_books, board, year)
    with ThreadPoolExecutor(max_workers=1) as thread:
        failures = thread.submit(axe_failures, book.pages()).result()
    assert not failures, "\n".join(failures)


# --- lscb render --engine quarto: a failing cell ------------------------------------------------------

def test_a_failing_cell_is_reported_by_chapter_and_cell_and_leaves_the_output_alone(tmp_path, monkeypatch):
    from plugins.render.build import MARKER, build_reports
    from plugins.render.builtin.qmd import read_chapter
    from plugins.render.quarto.render import BOOK_FORMATS, BOOK_PROJECT, QuartoError, link_extension
    boards = tmp_path / "boards"
    shutil.copytree(Path(__file__).parent / "bad_inputs" / "mini", boards / "mini")
    book = boards / "mini" / "2013-14"
    (book / "01-context.qmd").rename(book / "index.qmd")
    governance = book / "02-governance.qmd"
    governance.write_text(governance.read_text(encoding="utf-8").replace('"governance.budget"', '"governance.nope"'),
                          encoding="utf-8")
    (book / "_quarto.yml").write_text(f"{BOOK_PROJECT}book:\n  title: Mini\n  output-file: report\n  chapters:\n"
                                      f"    - index.qmd\n    - 02-governance.qmd\n{BOOK_FORMATS}", encoding="utf-8")
    assert link_extension(book)
    monkeypatch.setenv("LSCB_BOARDS", str(boards))
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("earlier render\n", encoding="utf-8")
    (out / "index.html").write_text("the earlier report", encoding="utf-8")

    with pytest.raises(QuartoError) as failed:
        build_reports([("mini", "2013-14")], out, ["html"], single=True, engine="quarto")
    line = next(c.line for c in read_chapter(governance).cells if "governance.nope" in c.source)
    message = str(failed.value)
    assert "\n" not in message
    assert f"02-governance.qmd, cell at line {line}: SectionError: " in message and "governance.nope" in message
    assert (out / "index.html").read_text(encoding="utf-8") == "the earlier report"
    # no half-written folder left (link_extension gave the project, tmp_path, its _extensions folder)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "_extensions") == ["boards", "out"]
    assert not list(book.glob("*.quarto_ipynb")), "Quarto ran in the board's own folder"

    # fixed, the same call puts the new report in place, readable like the built-in renderer's (umask, not 0700)
    governance.write_text(governance.read_text(encoding="utf-8").replace('"governance.nope"', '"governance.budget"'),
                          encoding="utf-8")
    old_mask = os.umask(0o022)
    try:
        build_reports([("mini", "2013-14")], out, ["html"], single=True, engine="quarto")
    finally:
        os.umask(old_mask)
    assert (out / "index.html").read_text(encoding="utf-8") != "the earlier report"
    assert (out / MARKER).read_text(encoding="utf-8").startswith("written by lscb render")
    assert oct(out.stat().st_mode & 0o777) == oct(0o755)
