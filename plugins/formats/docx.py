"""A report's HTML page -> a Word document (.docx) with pandoc (pypandoc).

The document is made from the very page the HTML output writes (``report.html``), prepared for Word first:

- each chart's inline SVG becomes a PNG ``<img>`` carrying the chart's alt text (pandoc cannot embed inline
  SVG in a docx; the alt text lands in the picture's ``wp:docPr/@descr``), and the chart's data table, folded
  away in a ``<details>`` in HTML, follows the figure in full;
- the page's own contents list, cover header and skip link are dropped: pandoc writes the title block and a
  real Word table of contents field (``--toc``), and the chapters' ``h2`` become Word's "Heading 1";
- tables keep their ``<thead>``, which pandoc writes as a repeating header row (``w:tblHeader``); the
  document is checked for that, and header rows are marked if a pandoc version does not do it.

Then the package is finished: A4 pages; the TOC field's result filled with the linked headings (Word
refreshes it, with page numbers, on opening); tables of many columns at full width with columns sized by
their content and smaller type, the widest in a landscape section of their own (as in the PDF).

Core properties: title, author (the board), subject, description and keywords carrying the year, Working
Together edition, engine version and data hash, language en-GB; the ``lscb:*`` values as custom properties.
Every call works in its own temporary folder. Pandoc runs sandboxed: it reads no file and no URL beyond its
inputs.
"""
from __future__ import annotations

import base64
import html as html_lib
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

from core import hookimpl
from plugins.formats.printable import LANDSCAPE_COLUMNS, WIDE_COLUMNS, printable

MARGINS = ('<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" '
           'w:gutter="0"/>')
A4 = '<w:pgSz w:w="11906" w:h="16838"/>' + MARGINS
A4_LANDSCAPE = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' + MARGINS
TEXT_WIDTH = {False: 11906 - 2 * 1134, True: 16838 - 2 * 1134}     # twips, portrait / landscape
NARROW_CELL_MARGINS = ('<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
                       "</w:tblCellMar>")
TEXT_WIDTH_PX = 642     # A4 less 2 x 2 cm margins: 17 cm in CSS pixels (96 per inch)

_CHART = re.compile(
    r'<figure class="chart"(?P<attrs>[^>]*)><figcaption>(?P<cap>.*?)</figcaption>'
    r'<div class="chart-image">(?P<svg><svg\b.*?</svg>)</div>(?P<mid>.*?)'
    r'<details class="chart-data"><summary>.*?</summary>(?P<data>.*?)</details></figure>', re.DOTALL)
_SVG = re.compile(r'<svg\b[^>]*>.*?</svg>', re.DOTALL)
_ARIA = re.compile(r'\baria-label="([^"]*)"')
_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"')
_DROP = [re.compile(p, re.DOTALL) for p in (
    r'<a class="skip-link"[^>]*>.*?</a>',
    r'<header class="report-header">.*?</header>',
    r'<nav class="toc"[^>]*>.*?</nav>',
    r'<style\b[^>]*>.*?</style>',
    r'<meta\b[^>]*>',          # metadata comes from metadata(): one name per property, no viewport
)]
_DETAILS = re.compile(r'<details\b[^>]*>\s*(?:<summary>.*?</summary>)?(?P<body>.*?)</details>', re.DOTALL)
_KEY_VALUE = re.compile(r'<span class="value">(.*?)</span>', re.DOTALL)
_NUM_CELL = re.compile(r'<(th|td)([^>]*?) class="num"')


# --- charts: SVG -> PNG ----------------------------------------------------------------------------------

def svg_to_png(svg: str) -> bytes:
    """Rasterise one chart at twice its size. vl-convert (a dependency, already used for the charts) has
    ``svg_to_png``; cairosvg is the fallback when an old vl-convert lacks it."""
    try:
        import vl_convert as vlc
        if hasattr(vlc, "svg_to_png"):
            return vlc.svg_to_png(svg, scale=2)
    except ImportError:
        pass
    try:
        import cairosvg
    except ImportError as exc:
        raise RuntimeError("DOCX charts need vl-convert-python >= 1.3 (svg_to_png) or cairosvg to turn the "
                           "inline SVG into PNG; neither is installed") from exc
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2)


def _chart_image(svg: str) -> str:
    alt = _ARIA.search(svg.split(">", 1)[0])
    alt_text = alt.group(1) if alt else ""          # already HTML-escaped in the page
    m = _WIDTH.search(svg)
    width = min(float(m.group(1)), TEXT_WIDTH_PX) if m else TEXT_WIDTH_PX
    png = base64.b64encode(svg_to_png(svg)).decode("ascii")
    return f'<img src="data:image/png;base64,{png}" alt="{alt_text}" width="{int(width)}px">'


def _chart(m: re.Match) -> str:
    """A chart as Word wants it: a figure holding only the picture and its caption (pandoc lays out a figure
    of several blocks as a table), then notes, source and the data table."""
    img = _chart_image(m.group("svg"))
    return (f'<figure{m.group("attrs")}>{img}<figcaption>{m.group("cap")}</figcaption></figure>'
            f'{m.group("mid")}<div class="chart-data">{m.group("data")}</div>')


# --- the page, prepared for pandoc -------------------------------------------------------------------------

def docx_html(page: str) -> str:
    page = printable(page)          # as in the PDF: no repeated chart data, wide tables split
    page = _CHART.sub(_chart, page)
    # Any SVG left (outside the chart structure) still gets a picture with its alt text.
    page = _SVG.sub(lambda m: _chart_image(m.group(0)), page)
    for pattern in _DROP:
        page = pattern.sub("", page)
    page = _DETAILS.sub(lambda m: f'<div>{m.group("body")}</div>', page)
    page = _KEY_VALUE.sub(r"<strong>\1</strong>", page)
    # Pandoc takes a column's alignment from the cells' style: numbers right-aligned as on screen.
    page = _NUM_CELL.sub(r'<\1\2 class="num" style="text-align: right"', page)
    return page


def metadata(report, title: str) -> dict:
    meta = report.meta
    info = report.board.year_info(report.year)
    subject = (f"Annual report {meta['year']}; Working Together edition {meta['working-together']}; "
               f"{meta['engine']}; data hash {meta['data-hash']}")
    return {
        "title": title,
        "subtitle": str(info.get("period") or meta["year"]),
        "author": [meta["board"]],
        "subject": subject,
        "description": f"{meta['board']}: {subject}.",
        "keywords": [meta["board"], f"board:{meta['board-id']}", f"year:{meta['year']}",
                     f"working-together:{meta['working-together']}", f"engine:{meta['engine']}",
                     f"data-hash:{meta['data-hash']}"],
        "lang": "en-GB",
        "toc-title": "Contents",
        # The page's <meta name="lscb:*"> values, as the docx's custom properties.
        **{f"lscb:{k}": v for k, v in meta.items()},
    }


def _title(page: str, fallback: str) -> str:
    m = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    return html_lib.unescape(m.group(1)).strip() if m else fallback


# --- post-processing the package ----------------------------------------------------------------------------

_WT = re.compile(r"<w:t(?:\s[^>]*)?>(.*?)</w:t>", re.DOTALL)     # a run's text (not <w:tc>, <w:tab/> ...)
_TR = re.compile(r"<w:tr\b[^>]*>(?:(?!</w:tr>).)*?</w:tr>", re.DOTALL)


def _finish(docx: bytes) -> bytes:
    """A4 pages, the contents filled in, wide tables fitted, and a repeating header row on every table."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = _fix_document(data.decode("utf-8")).encode("utf-8")
            elif item.filename == "word/styles.xml":
                data = _add_styles(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


# Table text in wide tables: pandoc's "Compact" (its table cell style) at 8pt / 7pt.
SMALL_STYLES = {16: "CompactSmall", 14: "CompactTiny"}


def _add_styles(xml: str) -> str:
    styles = "".join(
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="Compact {pt // 2}pt"/>'
        f'<w:basedOn w:val="Compact"/><w:qFormat/><w:rPr><w:sz w:val="{pt}"/><w:szCs w:val="{pt}"/></w:rPr>'
        f"</w:style>" for pt, sid in SMALL_STYLES.items())
    return xml.replace("</w:styles>", styles + "</w:styles>", 1)


_CAPTIONED_TABLE = re.compile(
    r'(?P<cap>(?:<w:bookmarkStart [^>]*/>\s*)?<w:p><w:pPr><w:pStyle w:val="TableCaption" ?/></w:pPr>'
    r'(?:(?!</w:p>).)*</w:p>\s*)?(?P<tbl><w:tbl>.*?</w:tbl>)', re.DOTALL)


def _section_break(page: str) -> str:
    """A paragraph ending a section laid out with ``page`` (pgSz + pgMar)."""
    return f"<w:p><w:pPr><w:sectPr>{page}</w:sectPr></w:pPr></w:p>"


def _column_widths(tbl: str, total: int) -> list[int]:
    """Share ``total`` between the columns by their content: the longest cell (capped) of the body rows
    and the longest word of the header, so that row labels get room and numbers are not squeezed."""
    rows = re.findall(r"<w:tr\b.*?</w:tr>", tbl, re.DOTALL)
    n = len(re.findall(r"<w:gridCol\b", tbl))
    weight: list[float] = [4] * n
    for r, row in enumerate(rows):
        if "w:gridSpan" in row:
            continue
        cells = re.findall(r"<w:tc>.*?</w:tc>", row, re.DOTALL)
        for j, cell in enumerate(cells[:n]):
            text = html_lib.unescape("".join(_WT.findall(cell)))
            words = max((len(w) for w in text.split()), default=0)
            size = min(words * 0.6, 8) if r == 0 else min(len(text), 18)
            weight[j] = max(weight[j], size)
    weight = [w + 2 for w in weight]            # the cell's margins
    return [max(1, int(total * w / sum(weight))) for w in weight]


def _fit_wide_tables(xml: str) -> str:
    """Tables of many columns (a report's spread) as in the PDF: full width, columns sized by content, 8pt
    type; the widest in a landscape section of their own with 7pt type."""
    def fit(m: re.Match) -> str:
        tbl = m.group("tbl")
        n = len(re.findall(r"<w:gridCol\b", tbl))
        if n < WIDE_COLUMNS:
            return m.group(0)
        landscape = n >= LANDSCAPE_COLUMNS
        widths = _column_widths(tbl, TEXT_WIDTH[landscape])
        grid = "".join(f'<w:gridCol w:w="{w}" />' for w in widths)
        tbl = re.sub(r"<w:tblGrid>.*?</w:tblGrid>", f"<w:tblGrid>{grid}</w:tblGrid>", tbl, count=1, flags=re.DOTALL)
        tbl = re.sub(r'<w:tblW w:type="auto" w:w="0" ?/>', '<w:tblW w:type="pct" w:w="5000" />', tbl, count=1)
        tbl = tbl.replace("<w:tblLook ", NARROW_CELL_MARGINS + "<w:tblLook ", 1)
        style = SMALL_STYLES[14 if landscape else 16]
        tbl = re.sub(r'<w:pStyle w:val="Compact" ?/>', f'<w:pStyle w:val="{style}" />', tbl)
        cap = m.group("cap") or ""
        if not landscape:
            return cap + tbl
        return _section_break(A4) + cap + tbl + _section_break(A4_LANDSCAPE)
    return _CAPTIONED_TABLE.sub(fit, xml)


def _fix_document(xml: str) -> str:
    body_sect = xml.rfind("<w:sectPr")
    if body_sect >= 0 and "<w:pgSz" not in xml[body_sect:]:
        end = xml.find("</w:footnotePr>", body_sect)
        at = end + len("</w:footnotePr>") if end >= 0 else xml.find(">", body_sect) + 1
        xml = xml[:at] + A4 + xml[at:]
    return _mark_header_rows(_fit_wide_tables(_fill_toc(xml)))


_HEADING = re.compile(r'<w:bookmarkStart w:id="\d+" w:name="(?P<name>[^"]+)" />\s*'
                      r'<w:p><w:pPr><w:pStyle w:val="Heading(?P<level>[12])" /></w:pPr>(?P<runs>.*?)</w:p>', re.DOTALL)
_TOC_FIELD = re.compile(r'<w:p><w:r><w:fldChar w:fldCharType="begin"(?P<dirty>[^>]*)/>'
                        r'(?P<instr><w:instrText[^>]*>TOC .*?</w:instrText>)'
                        r'<w:fldChar w:fldCharType="separate" ?/><w:fldChar w:fldCharType="end" ?/></w:r></w:p>', re.DOTALL)


def _fill_toc(xml: str) -> str:
    """Pandoc writes the contents as an empty TOC field that Word fills (with page numbers) when it opens
    the file. Put the headings, linked to their bookmarks, into the field's result, so that the contents
    show in readers that do not update fields (LibreOffice, previews); the field stays marked dirty."""
    field = _TOC_FIELD.search(xml)
    if field is None:
        return xml
    entries = []
    for m in _HEADING.finditer(xml):
        text = "".join(_WT.findall(m.group("runs")))
        if text.strip():
            entries.append((int(m.group("level")), m.group("name"), text))
    if not entries:
        return xml

    def ppr(level: int) -> str:
        return (f'<w:pPr><w:pStyle w:val="TOC{level}" /><w:spacing w:before="0" w:after="60" />'
                f'<w:ind w:left="{(level - 1) * 400}" /></w:pPr>')

    def link(name: str, text: str) -> str:
        return (f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:t xml:space="preserve">{text}</w:t>'
                f'</w:r></w:hyperlink>')
    level, name, text = entries[0]
    first = (f'<w:p>{ppr(level)}<w:r><w:fldChar w:fldCharType="begin"{field.group("dirty")}/></w:r>'
             f'<w:r>{field.group("instr")}</w:r><w:r><w:fldChar w:fldCharType="separate" /></w:r>'
             f'{link(name, text)}</w:p>')
    paras = [first]
    paras += [f"<w:p>{ppr(level)}{link(name, text)}</w:p>" for level, name, text in entries[1:]]
    paras.append('<w:p><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>')
    return xml[:field.start()] + "".join(paras) + xml[field.end():]


def _mark_header_rows(xml: str) -> str:
    """Pandoc 3 writes ``<w:tblHeader/>`` on the rows of a table's head; older versions did not. For a
    table whose look says it has a header row (``w:firstRow="1"``) and whose first row is not marked, mark
    it."""
    def fix_table(tbl: str) -> str:
        if 'w:firstRow="1"' not in tbl.split("</w:tblPr>", 1)[0]:
            return tbl
        first = _TR.search(tbl)
        if first is None or "w:tblHeader" in first.group(0):
            return tbl
        row = first.group(0)
        if "<w:trPr>" in row:
            row = row.replace("<w:trPr>", "<w:trPr><w:tblHeader/>", 1)
        else:
            row = re.sub(r"(<w:tr\b[^>]*>)", r"\1<w:trPr><w:tblHeader/></w:trPr>", row, count=1)
        return tbl[:first.start()] + row + tbl[first.end():]
    # Tables do not nest in our reports (pandoc nests them only for multi-block figures, which we avoid).
    return re.sub(r"<w:tbl>.*?</w:tbl>", lambda m: fix_table(m.group(0)), xml, flags=re.DOTALL)


# --- pandoc ----------------------------------------------------------------------------------------------

def html_to_docx(report) -> bytes:
    """Render ``report`` (plugins.render.builtin.report.Report) to .docx bytes."""
    import pypandoc

    page = docx_html(report.html)
    title = _title(report.html, report.title)
    with tempfile.TemporaryDirectory(prefix=f"lscb-docx-{report.board.id}-{report.year}-") as tmp:
        tmp_path = Path(tmp)
        meta_file = tmp_path / "metadata.json"
        # JSON is YAML: no quoting surprises in titles with colons.
        meta_file.write_text(json.dumps(metadata(report, title), ensure_ascii=False), encoding="utf-8")
        target = tmp_path / "report.docx"
        pypandoc.convert_text(
            page, "docx", format="html", outputfile=str(target),
            extra_args=["--sandbox", "--toc", "--toc-depth=2", "--shift-heading-level-by=-1",
                        f"--metadata-file={meta_file}", f"--resource-path={tmp}"],
            cworkdir=tmp)
        return _finish(target.read_bytes())


@hookimpl
def lscb_register_output_formats(register):
    register("docx", "report.docx", html_to_docx)
