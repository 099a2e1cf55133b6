"""Publication formats: the PDF (WeasyPrint) and Word (pandoc) outputs of `lscb render --format`.

Coventry 2013-14 is rendered once through the CLI; its PDF pages are rasterised and read back with
pypdfium2, its docx is opened with python-docx, and LibreOffice (when installed) converts the docx to PDF.
A small made-up report checks what the seed report cannot pin down for sure: a table long enough to
break across pages, and the per-call temporary folder of the docx conversion.
"""
from __future__ import annotations

import html as html_lib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

pdfium = pytest.importorskip("pypdfium2")
docx = pytest.importorskip("docx")

REPO = Path(__file__).resolve().parent.parent
BOARD, YEAR = "coventry", "2013-14"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """Coventry 2013-14 in all three formats, through the CLI, with a cache of its own."""
    tmp = tmp_path_factory.mktemp("formats")
    env = {**os.environ, "LSCB_CACHE": str(tmp / "cache"), "LSCB_QUIET": "1"}
    env.pop("LSCB_BOARDS", None)
    target = tmp / "out"
    proc = subprocess.run([sys.executable, "-m", "core.cli", "render", BOARD, "--year", YEAR,
                           "--out", str(target), "--format", "html,pdf,docx"],
                          cwd=REPO, env=env, check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in ("index.html", "report.pdf", "report.docx"):
        assert (target / name).is_file(), f"{name} missing; stderr: {proc.stderr}"
    return target


@pytest.fixture(scope="module")
def pdf_text(out) -> list[str]:
    doc = pdfium.PdfDocument(str(out / "report.pdf"))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def html(out) -> str:
    return (out / "index.html").read_text(encoding="utf-8")


# --- PDF ----------------------------------------------------------------------------------------------------

def test_pdf_pages_are_a4_not_blank_and_carry_text(out, pdf_text):
    doc = pdfium.PdfDocument(str(out / "report.pdf"))
    try:
        assert len(doc) > 5
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            assert (round(w), round(h)) == (595, 842), f"page {i + 1} is not A4"
            image = page.render(scale=0.4, grayscale=True).to_pil()
            body = image.crop((0, int(image.height * 0.09), image.width, int(image.height * 0.93)))
            dark = sum(body.histogram()[:200])             # pixels clearly darker than the white page
            assert dark > 0.001 * body.width * body.height, f"page {i + 1} looks blank"
            text = squash(pdf_text[i].replace(f"Page {i + 1} of {len(doc)}", "")
                          .replace("Coventry Safeguarding Children Board", "")
                          .replace("1 April 2013 to 31 March 2014", ""))
            assert i == 0 or len(text) > 10, f"page {i + 1} has no text besides header and footer"
    finally:
        doc.close()


def overflowing_pages(doc, margin_pt: float = 20) -> list[int]:
    """Pages with a character closer to the right or left paper edge than ``margin_pt``: something (a wide
    table, a long word) ran out of the text area."""
    pages = []
    for i in range(len(doc)):
        page = doc[i]
        width = page.get_width()
        text = page.get_textpage()
        for k in range(text.count_chars()):
            left, _, right, _ = text.get_charbox(k)
            if right > width - margin_pt or (right > left and left < margin_pt):
                pages.append(i + 1)
                break
    return pages


def test_pdf_nothing_runs_off_the_page(out):
    doc = pdfium.PdfDocument(str(out / "report.pdf"))
    try:
        assert overflowing_pages(doc) == []
    finally:
        doc.close()


def test_pdf_has_page_numbers_and_running_header(pdf_text):
    n = len(pdf_text)
    for i, text in enumerate(pdf_text, start=1):
        assert f"Page {i} of {n}" in text
    for text in pdf_text[1:]:
        assert "Coventry Safeguarding Children Board" in text       # running header: the board ...
        assert "1 April 2013 to 31 March 2014" in text               # ... and the reporting period


def test_pdf_contents_page_numbers_point_at_the_headings(pdf_text, html):
    contents = squash(pdf_text[1])
    assert contents.startswith("Contents")
    entries = re.findall(r"(\S.*?) ?\.{3,} ?(\d+)(?= |$)", contents.removeprefix("Contents"))
    nav = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL).group(0)
    assert len(entries) >= len(re.findall(r"<li>", nav)) - 1 > 10
    for title, number in entries:
        page = int(number)
        assert 2 < page <= len(pdf_text), (title, page)
        head = squash(pdf_text[page - 1])
        assert squash(title)[:40] in head, f"{title!r} is not on page {page}"


def test_pdf_charts_are_vectors_with_alt_text_and_their_data_shown(out, pdf_text, html):
    charts = html.count('<figure class="chart"')
    assert charts > 0
    text = squash(" ".join(pdf_text))
    # each chart's data is printed: as its own table, or (when the same figures are printed beside the chart)
    # in that table, which one line points to
    assert text.count("Data for the chart:") + text.count("The figures are in the table") == charts
    assert "Show the data behind this chart" not in text
    doc = pdfium.PdfDocument(str(out / "report.pdf"))
    try:                                        # the SVG is drawn as paths and text: no bitmap anywhere
        images = sum(len(list(doc[i].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])))
                     for i in range(len(doc)))
    finally:
        doc.close()
    assert images == 0
    alts = figure_alts(out / "report.pdf")
    expected = [html_lib.unescape(a) for a in re.findall(r'<svg role="img" aria-label="([^"]*)"', html)]
    assert len(expected) == charts
    assert alts == list(dict.fromkeys(expected))


def figure_alts(path: Path) -> list[str]:
    """The alternate texts of the tagged PDF's Figure elements (pdfium's structure tree API)."""
    import ctypes

    from pypdfium2 import raw

    def text(fn, el) -> str:
        n = fn(el, None, 0)
        if n <= 2:
            return ""
        buf = ctypes.create_string_buffer(n)
        fn(el, buf, n)
        return buf.raw.decode("utf-16-le").rstrip("\x00")

    alts: list[str] = []

    def walk(el):
        if text(raw.FPDF_StructElement_GetType, el) == "Figure":
            alts.append(text(raw.FPDF_StructElement_GetAltText, el))
        for k in range(raw.FPDF_StructElement_CountChildren(el)):
            child = raw.FPDF_StructElement_GetChildAtIndex(el, k)
            if child:
                walk(child)

    doc = pdfium.PdfDocument(str(path))
    try:
        assert raw.FPDFCatalog_IsTagged(doc.raw), "the PDF is not tagged"
        for i in range(len(doc)):
            page = doc[i]
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            for j in range(raw.FPDF_StructTree_CountChildren(tree)):
                walk(raw.FPDF_StructTree_GetChildAtIndex(tree, j))
            raw.FPDF_StructTree_Close(tree)
    finally:
        doc.close()
    return list(dict.fromkeys(alts))      # an element spanning pages is met once per page


def test_pdf_metadata(out, html):
    doc = pdfium.PdfDocument(str(out / "report.pdf"))
    try:
        meta = doc.get_metadata_dict()
        lang = catalog_language(doc)
    finally:
        doc.close()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert meta["Title"] == html_lib.unescape(title)
    assert meta["Author"] == "Coventry Safeguarding Children Board"
    data_hash = re.search(r'<meta name="lscb:data-hash" content="([0-9a-f]+)"', html).group(1)
    for part in (f"year:{YEAR}", "working-together:WT2013", "engine:lscb-reports", f"data-hash:{data_hash}"):
        assert part in meta["Keywords"]
    assert "WT2013" in meta["Subject"] and data_hash in meta["Subject"]
    assert lang in ("en-GB", None)          # None: a pdfium build without FPDFCatalog_GetLanguage


def catalog_language(doc) -> str | None:
    import ctypes

    from pypdfium2 import raw
    fn = getattr(raw, "FPDFCatalog_GetLanguage", None)
    if fn is None:
        return None
    n = fn(doc.raw, None, 0)
    buf = (ctypes.c_ushort * (n // 2 + 1))()
    fn(doc.raw, buf, n)
    return bytes(buf).decode("utf-16-le").rstrip("\x00")


# --- a made-up report: long tables, temporary folders, no network ----------------------------------------------

def fake_report(body: str):
    meta = {"board": "Testshire Safeguarding Children Board", "board-id": "testshire", "year": "2014-15",
            "working-together": "WT2013", "engine": "lscb-reports test", "data-hash": "0123456789abcdef"}
    page = (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Testshire: report</title>'
            f'</head><body><header class="report-header"><p class="board">{meta["board"]}</p>'
            f'<h1>Annual Report</h1><p class="period">2014-15</p></header><main>{body}</main></body></html>')
    board = SimpleNamespace(id="testshire", year_info=lambda year: {"edition": "WT2013", "period": "2014-15"})
    return SimpleNamespace(board=board, year="2014-15", title="Test report", html=page, chapters=[],
                           data_hash=meta["data-hash"], meta=meta)


LONG_TABLE = ('<section class="chapter"><h2 id="c">1 Long table</h2><div class="table-wrap"><table>'
              '<caption>Many rows</caption><thead><tr><th scope="col">Agency name</th>'
              '<th scope="col" class="num">Meetings held</th></tr></thead><tbody>'
              + "".join(f'<tr><th scope="row">Agency {i}</th><td class="num">{i}</td></tr>' for i in range(150))
              + "</tbody></table></div></section>")


def test_pdf_long_table_repeats_its_header_row_on_every_page():
    from plugins.formats.pdf import html_to_pdf
    data = html_to_pdf(fake_report(LONG_TABLE))
    doc = pdfium.PdfDocument(data)
    try:
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    table_pages = [t for t in texts if "Agency 1" in t]
    assert len(table_pages) >= 2
    assert all("Agency name" in t and "Meetings held" in t for t in table_pages)


def test_docx_long_table_has_a_repeating_header_row_and_uses_its_own_temporary_folder(tmp_path, monkeypatch):
    from plugins.formats.docx import html_to_docx
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = html_to_docx(fake_report(LONG_TABLE))
    assert list(tmp_path.iterdir()) == []          # the per-call folder is gone afterwards
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Agency name", "Meetings held"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert len(table.rows) == 151


WIDE_TABLE = ('<section class="chapter"><h2 id="w">2 Wide table</h2><p>Before the table.</p>'
              '<div class="table-wrap" role="region" tabindex="0"><table><caption>Referrals by month and agency'
              '</caption><thead><tr><th scope="col">Month</th>'
              + "".join(f'<th scope="col" class="num">Children\'s Social Care {y}</th>' for y in range(2000, 2024))
              + "</tr></thead><tbody>"
              + "".join(f'<tr><th scope="row">September {m}</th>'
                        + "".join(f'<td class="num">{1000 + m * y % 9000}</td>' for y in range(24)) + "</tr>"
                        for m in range(12))
              + "</tbody></table></div><p>After the table.</p></section>")


def test_wide_tables_go_on_landscape_pages_and_fit():
    from docx.enum.section import WD_ORIENT

    from plugins.formats.docx import html_to_docx
    from plugins.formats.pdf import html_to_pdf
    report = fake_report(WIDE_TABLE)
    doc = pdfium.PdfDocument(html_to_pdf(report))
    try:
        landscape = [i for i in range(len(doc)) if doc[i].get_width() > doc[i].get_height()]
        assert landscape, "the 25-column table is not on a landscape page"
        # every column on landscape pages (a table wider than one is split, its first column repeated)
        text = squash(" ".join(doc[i].get_textpage().get_text_range() for i in landscape))
        assert "Social Care 2000" in text and "Social Care 2023" in text and "September 11" in text
        assert overflowing_pages(doc) == []
    finally:
        doc.close()
    document = docx.Document(io.BytesIO(html_to_docx(report)))
    sections = document.sections
    orientations = [s.orientation for s in sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT
    wide = next(s for s in sections if s.orientation == WD_ORIENT.LANDSCAPE)
    grid = document.tables[0]._tbl.tblGrid
    total = sum(int(col.get(f"{W}w")) for col in grid.iterchildren(f"{W}gridCol"))
    assert total <= wide.page_width.twips - wide.left_margin.twips - wide.right_margin.twips


def test_pdf_rendering_refuses_network_urls():
    from plugins.formats.pdf import _offline_fetcher
    fetcher = _offline_fetcher()
    for url in ("http://example.org/logo.png", "https://example.org/style.css"):
        with pytest.raises(ValueError, match="offline"):
            fetcher(url)


# --- Word ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def word(out):
    return docx.Document(str(out / "report.docx"))


def test_docx_has_real_headings_matching_the_chapters(word, html):
    headings = {1: [], 2: []}
    for p in word.paragraphs:
        m = re.fullmatch(r"Heading ([12])", p.style.name)
        if m:
            headings[int(m.group(1))].append(squash(p.text))
    chapters = [squash(re.sub(r"<[^>]+>", "", h)) for h in
                re.findall(r'<section class="chapter"[^>]*><h2 id="[^"]*">(.*?)</h2>', html)]
    assert chapters and all(html_lib.unescape(c) in headings[1] for c in chapters)
    assert len(headings[2]) > 10


def test_docx_tables_have_repeating_header_rows(word, html):
    from plugins.formats.printable import printable  # as printed: no chart data repeated, wide tables split
    assert len(word.tables) == printable(html).count("<table")
    for table in word.tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None, [c.text for c in table.rows[0].cells]


def test_docx_images_carry_the_chart_alt_text(word, html):
    alts = [el.get("descr") for el in word.element.body.iter(f"{WP}docPr")]
    expected = [html_lib.unescape(a) for a in re.findall(r'<svg role="img" aria-label="([^"]*)"', html)]
    assert alts == expected and len(alts) > 0
    assert len(word.inline_shapes) == len(expected)


def test_docx_contents_field_and_properties(out, word, html):
    with zipfile.ZipFile(out / "report.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
        custom = z.read("docProps/custom.xml").decode("utf-8")
    assert re.search(r"<w:instrText[^>]*>TOC \\o", document)            # a real Word TOC field ...
    assert "w:anchor=" in document                                       # ... filled with linked entries
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document                 # A4
    props = word.core_properties
    assert props.title.startswith("Coventry Safeguarding Children Board")
    assert props.author == "Coventry Safeguarding Children Board"
    assert props.language == "en-GB"
    data_hash = re.search(r'<meta name="lscb:data-hash" content="([0-9a-f]+)"', html).group(1)
    for part in (f"year:{YEAR}", "working-together:WT2013", "engine:lscb-reports", f"data-hash:{data_hash}"):
        assert part in props.keywords
    assert "WT2013" in props.subject and data_hash in props.subject
    assert 'name="lscb:data-hash"' in custom and data_hash in custom


def test_docx_converts_with_libreoffice(out, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice/libreoffice) is not on PATH; .ci/install-system-packages installs it")
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(out / "report.docx")],
                          check=False, capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stdout + proc.stderr
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) > 5
        text = squash(" ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))
    finally:
        doc.close()
    assert "Contents" in text and "2.4 Membership and attendance of the LSCB" in text
