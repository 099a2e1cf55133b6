"""`quarto render` gives the report what `lscb render` gives it through the report hooks (the book's scripts,
plugins/render/quarto/hooks.py): a draft year's banner on every page of every format, the requirements
appendix when board.yml asks for it, and the coverage the gallery shows. Skipped, with the reason, where
`quarto` is not on PATH.

One copy of the small board (tests/bad_inputs/mini, made a Quarto book) is rendered twice by the real Quarto,
in parallel: its finished year 2013-14, and 2014-15 made from it by `lscb new-year` (a draft: its figures are
`[to fill]`), with `requirements_appendix: true` for that year only.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import re
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.test_quarto_render import pytestmark  # noqa: F401 - the Quarto tests' marker and skip reason

MINI = Path(__file__).parent / "bad_inputs" / "mini"
DRAFT, FINISHED = "2014-15", "2013-14"
BANNER = "DRAFT – not for publication: "
APPENDIX = "How this report meets Working Together"
ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(must|should)</td><td>([^<]*)</td><td>([^<]*)</td>')


def _make_book(book: Path) -> None:
    """The mini year folder as a Quarto book, as lscb new-board writes one."""
    from plugins.render.quarto.render import BOOK_FORMATS, BOOK_PROJECT
    (book / "01-context.qmd").rename(book / "index.qmd")
    (book / "_quarto.yml").write_text(f"{BOOK_PROJECT}book:\n  title: Mini\n  output-file: report\n  chapters:\n"
                                      f"    - index.qmd\n    - 02-governance.qmd\n{BOOK_FORMATS}", encoding="utf-8")


def _give_extension(book: Path) -> None:
    from plugins.project import link_extension
    link = book / "_extensions"
    if link.is_symlink() and not link.exists():        # a link copied from another year, leading nowhere here
        link.unlink()
    assert link_extension(book) and (link / "lscb" / "_extension.yml").is_file()


@pytest.fixture(scope="module")
def mini_renders(tmp_path_factory):
    """(boards folder, {year: the _book folder Quarto wrote}, {year: the built-in page})."""
    from core.cli import main
    from plugins.render.quarto.render import copy_board, run_quarto
    work = tmp_path_factory.mktemp("quarto-hooks")
    boards = work / "boards"
    shutil.copytree(MINI, boards / "mini")
    _make_book(boards / "mini" / FINISHED)
    _give_extension(boards / "mini" / FINISHED)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LSCB_BOARDS", str(boards))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["new-year", "mini", DRAFT]) == 0
        _give_extension(boards / "mini" / DRAFT)
        yml = boards / "mini" / "board.yml"
        board = yaml.safe_load(yml.read_text(encoding="utf-8"))
        board["years"][DRAFT]["options"] = {"requirements_appendix": True}
        yml.write_text(yaml.safe_dump(board, sort_keys=False, allow_unicode=True), encoding="utf-8")

        def render(year: str) -> Path:
            copy = copy_board(boards / "mini" / year, work / f"quarto-{year}")
            run_quarto(copy, [])
            return copy / "_book"
        with ThreadPoolExecutor(max_workers=2) as pool:
            books = dict(zip((FINISHED, DRAFT), pool.map(render, (FINISHED, DRAFT))))
        builtin = {}
        for year in (FINISHED, DRAFT):
            out = work / f"builtin-{year}"
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                assert main(["render", "mini", "--year", year, "--out", str(out), "--no-cache"]) == 0
            builtin[year] = (out / "index.html").read_text(encoding="utf-8")
        yield boards, books, builtin


def _pages(book: Path) -> dict[str, str]:
    return {name: (book / name).read_text(encoding="utf-8") for name in ("index.html", "02-governance.html")}


def _word(book: Path) -> tuple[str, str]:
    """(the Word document's body text, the text of its page headers)."""
    with zipfile.ZipFile(book / "report.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
        headers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if re.match(r"word/.*header.*\.xml$", n))
    text = lambda xml: "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))  # noqa: E731
    return text(body), text(headers)


def _pdf_pages(book: Path) -> list[str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(book / "report.pdf"))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_a_draft_year_shows_the_banner_on_every_page_of_every_format(mini_renders):
    _, books, builtin = mini_renders
    book = books[DRAFT]
    summary = re.search(r'<p class="lscb-draft-banner" role="note">DRAFT – not for publication: ([^<]+)</p>',
                        builtin[DRAFT]).group(1)            # what the built-in page's banner says
    assert "to fill" in summary
    for name, page in _pages(book).items():
        banner = re.findall(r'<p class="lscb-draft-banner" role="note">([^<]+)</p>', page)
        assert banner == [BANNER + summary], f"{name}: {banner}"
        assert ".lscb-draft-banner{position:sticky" in page, f"{name}: the banner's style is missing"
    # each marker highlighted as in the built-in page, and none left plain
    mark = re.compile(r'<mark class="lscb-to-fill">\[to fill\]</mark>')
    bodies = [page.split("<body", 1)[1] for page in _pages(book).values()]
    assert sum(len(mark.findall(b)) for b in bodies) == len(mark.findall(builtin[DRAFT])) > 0
    assert not any("[to fill]" in re.sub(r"<[^>]*>", "", mark.sub("", b)) for b in bodies)   # (attributes aside)
    body, headers = _word(book)
    assert BANNER + summary in body, "Word: no banner at the top of the document"
    assert BANNER + summary in headers, "Word: no draft header on its pages"
    assert "DRAFT" not in body.replace(BANNER + summary, ""), "Word: the screen-only watermark came along"
    pdf = _pdf_pages(book)
    assert len(pdf) >= 2
    assert all(BANNER in text for text in pdf), "PDF: a page without the draft header"


def test_a_finished_year_has_no_banner_and_no_appendix_it_did_not_ask_for(mini_renders):
    _, books, builtin = mini_renders
    assert "lscb-draft-banner" not in builtin[FINISHED]
    for name, page in _pages(books[FINISHED]).items():
        assert "DRAFT" not in page and 'name="lscb:status"' not in page, name
        assert APPENDIX not in page, name
    body, headers = _word(books[FINISHED])
    assert "DRAFT" not in body and "DRAFT" not in headers
    assert APPENDIX not in body
    assert not any("DRAFT" in text for text in _pdf_pages(books[FINISHED]))


def test_the_appendix_is_after_the_last_chapter_as_the_built_in_report_has_it(mini_renders):
    _, books, builtin = mini_renders
    expected = ROW.findall(builtin[DRAFT])
    assert ("LSCBR-5b", "must") in {(r[0], r[1]) for r in expected}
    pages = _pages(books[DRAFT])
    assert APPENDIX not in pages["index.html"]
    last = pages["02-governance.html"]
    heading = re.search(r'<h2[^>]*id="how-this-report-meets-working-together"[^>]*>(.*?)</h2>', last, re.S)
    assert heading and APPENDIX in heading.group(1), "no appendix heading on the last chapter's page"
    assert 'href="#how-this-report-meets-working-together"' in last          # and in the page's contents
    # the same rows in the same order (Quarto writes the page out again: entities may be spelled otherwise)
    assert [tuple(map(html.unescape, r)) for r in ROW.findall(last)] == [tuple(map(html.unescape, r)) for r in expected]
    body, _ = _word(books[DRAFT])
    assert APPENDIX in body
    for rid, _, text, _ in expected:
        assert rid in body and html.unescape(text) in html.unescape(body).replace("’", "'"), f"Word: {rid} missing"


def test_the_gallery_shows_the_requirements_of_a_quarto_report(mini_renders, monkeypatch, tmp_path):
    from plugins.gallery import COVERAGE_META, lscb_build_finished, page_meta
    boards, books, builtin = mini_renders
    monkeypatch.setenv("LSCB_BOARDS", str(boards))
    reports, files = {}, {}
    for year in (FINISHED, DRAFT):
        page = (books[year] / "index.html").read_text(encoding="utf-8")
        # the coverage Quarto's page keeps is the built-in page's
        assert json.loads(page_meta(page, COVERAGE_META)) == json.loads(page_meta(builtin[year], COVERAGE_META))
        reports["mini", year] = ({"index.html": page}, (0, 0), [])
    lscb_build_finished(out=tmp_path, reports=reports, files=files)
    gallery = files["index.html"]
    assert "not worked out by this renderer" not in gallery
    met = re.findall(r"Working Together requirements: (\d+) of (\d+) met", gallery)
    assert len(met) == 2 and all(int(total) > 0 for _, total in met), met
    assert gallery.count("Not final: DRAFT") == 1                # the draft year, not the finished one
