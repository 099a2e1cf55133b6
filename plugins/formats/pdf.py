"""A report's HTML page -> an accessible (tagged) A4 PDF with WeasyPrint.

The PDF is made from the very page the HTML output writes (``report.html``), with the print stylesheet
``print.css`` added after the screen one: a cover, a contents page whose entries carry page numbers, a running
header with the board and the reporting period, "Page N of M" in the footer, charts kept as vectors (the
inline SVG) with their data table printed after them (unless the same table is printed beside the chart),
long tables breaking with their header row repeated, rows of long text breaking across pages, tables of
more than eight columns on landscape pages, split with their first column repeated when wider still, and
no word broken in a table cell.

Tagging: PDF/UA-1 (``pdf_variant="pdf/ua-1"``) when the installed WeasyPrint offers it, else a tagged PDF
(``pdf_tags=True``), else an untagged one; the reason is logged. Nothing is fetched from the network.
"""
from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from core import hookimpl
from core.blocks import esc
from plugins.formats.printable import LANDSCAPE_COLUMNS, WIDE_COLUMNS, printable

log = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).with_name("print.css")
PDF_VARIANT = "pdf/ua-1"


def print_stylesheet() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


# --- the page, prepared for print ------------------------------------------------------------------------

_SVG_OPEN = re.compile(r'<svg\b([^>]*?)\baria-label="([^"]*)"([^>]*)>')


def _svg_titles(page: str) -> str:
    """Give each chart's SVG a <title> holding its alt text: WeasyPrint tags an inline SVG as a Figure and
    takes the Figure's alternate text from the SVG's <title> (it does not read aria-label)."""
    def add(m: re.Match) -> str:
        return f'{m.group(0)}<title>{m.group(2)}</title>'
    return _SVG_OPEN.sub(add, page)


_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
# vl-convert lays the charts out with its bundled Liberation Sans for "sans-serif"; WeasyPrint's "sans-serif"
# is fontconfig's (often the wider DejaVu Sans), which would push axis labels into the axis titles.
CHART_FONT = 'font-family="Liberation Sans, Arimo, Arial, Helvetica, sans-serif"'


def _chart_fonts(page: str) -> str:
    return _SVG.sub(lambda m: m.group(0).replace('font-family="sans-serif"', CHART_FONT), page)


_TABLE_HEAD = re.compile(r'<div class="table-wrap(?P<cls>[^"]*)"(?P<attrs>[^>]*)>'
                         r'(?=<table\b[^>]*>(?:<caption>.*?</caption>)?<thead>(?P<head>.*?)</thead>)', re.DOTALL)


def _wide_tables(page: str) -> str:
    """Mark tables with many columns (print.css sets them smaller, on landscape pages) so that a table
    printed across a report's spread fits an A4 page without breaking a word."""
    def mark(m: re.Match) -> str:
        columns = len(re.findall(r"<th\b", m.group("head")))
        if columns >= LANDSCAPE_COLUMNS:
            return f'<div class="table-wrap{m.group("cls")} wide landscape"{m.group("attrs")}>'
        if columns >= WIDE_COLUMNS:
            return f'<div class="table-wrap{m.group("cls")} wide"{m.group("attrs")}>'
        return m.group(0)
    return _TABLE_HEAD.sub(mark, page)


def metadata_tags(report) -> str:
    """<meta> elements WeasyPrint turns into the PDF's document information: Author (the board), Subject
    (description) and Keywords carry board, year, Working Together edition, engine version and data hash.
    The page's own ``lscb:*`` metas become custom keys (``custom_metadata``) as well."""
    meta = report.meta
    description = (f"{meta['board']}: annual report {meta['year']}. Working Together edition "
                   f"{meta['working-together']}; rendered by {meta['engine']} from data {meta['data-hash']}.")
    keywords = [meta["board"], f"board:{meta['board-id']}", f"year:{meta['year']}",
                f"working-together:{meta['working-together']}", f"engine:{meta['engine']}",
                f"data-hash:{meta['data-hash']}"]
    # A comma separates keywords: keep each keyword free of them.
    keywords = [k.replace(",", " ") for k in keywords]
    return (f'<meta name="author" content="{esc(meta["board"])}">'
            f'<meta name="description" content="{esc(description)}">'
            f'<meta name="keywords" content="{esc(", ".join(keywords))}">')


def print_html(report) -> str:
    """The report's page with the PDF's metadata and print stylesheet added (author origin, after the
    screen stylesheet so that it wins), SVG titles for tagging, the charts' own font
    and wide tables marked."""
    page = report.html
    extra = metadata_tags(report) + f"<style>{print_stylesheet()}</style>"
    head_end = page.find("</head>")
    if head_end < 0:
        raise ValueError("report.html has no </head>")
    page = page[:head_end] + extra + page[head_end:]
    return _wide_tables(printable(_chart_fonts(_svg_titles(page))))


# --- WeasyPrint ------------------------------------------------------------------------------------------

def _offline_fetcher():
    """A URL fetcher that serves data: URLs only (the page is self-contained) and refuses anything else, so
    rendering never waits on the network."""
    from weasyprint import urls

    def refuse(url: str):
        scheme = url.split(":", 1)[0].lower()
        raise ValueError(f"lscb PDF rendering is offline: refusing to fetch {scheme}: URL {url[:80]}")

    base = getattr(urls, "URLFetcher", None)
    if base is not None:   # WeasyPrint >= 66: a class whose fetch() does the work
        class OfflineFetcher(base):
            def __init__(self):
                super().__init__(allowed_protocols={"data"})

            def fetch(self, url, headers=None):
                if not url.lower().startswith("data:"):
                    refuse(url)
                return super().fetch(url, headers)
        return OfflineFetcher()

    def fetch(url, *args, **kwargs):   # older WeasyPrint: a plain function
        if not url.lower().startswith("data:"):
            refuse(url)
        return urls.default_url_fetcher(url, *args, **kwargs)
    return fetch


def _variant_options() -> tuple[dict, str]:
    """The tagging options the installed WeasyPrint supports, and why when it is not PDF/UA-1."""
    import weasyprint
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:
        VARIANTS = {}
    if PDF_VARIANT in VARIANTS:
        return {"pdf_variant": PDF_VARIANT}, ""
    defaults = getattr(weasyprint, "DEFAULT_OPTIONS", {})
    if "pdf_tags" in defaults:
        return {"pdf_tags": True}, (f"WeasyPrint {weasyprint.__version__} has no {PDF_VARIANT!r} variant; "
                                    "writing a tagged PDF (pdf_tags=True) instead")
    return {}, (f"WeasyPrint {weasyprint.__version__} supports neither {PDF_VARIANT!r} nor pdf_tags; "
                "the PDF is not tagged")


class _QuietWeasyPrint:
    """WeasyPrint logs every unsupported CSS property of the screen stylesheet as a warning; keep the
    errors (e.g. a missing alt text), drop the noise."""
    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def html_to_pdf(report) -> bytes:
    """Render ``report`` (plugins.render.builtin.report.Report) to PDF bytes."""
    from weasyprint import HTML

    options, reason = _variant_options()
    if reason:
        log.warning(reason)
    document = HTML(string=print_html(report), url_fetcher=_offline_fetcher(), media_type="print")
    out = io.BytesIO()
    with _QuietWeasyPrint():
        document.write_pdf(out, custom_metadata=True, **options)
    return out.getvalue()


@hookimpl
def lscb_register_output_formats(register):
    register("pdf", "report.pdf", html_to_pdf)
