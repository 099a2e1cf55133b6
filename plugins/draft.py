"""Draft until complete: a year holding figures still to fill or prose still to rewrite is a draft.

``lscb new-year`` writes the markers :data:`plugins.contracts.TO_FILL` (a figure not collected yet) and
:data:`plugins.contracts.TO_REWRITE` (last year's prose, to be rewritten). This plugin finds them: ``lscb check``
lists each one and exits 3, and a render of such a year is marked as a draft on every page of every
format (a banner in HTML, a header and a watermark on every PDF page, a header in Word) with each marker
highlighted. Once the last marker is gone, the same render is the final report.
"""
from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from pathlib import Path

import yaml

from core import hookimpl
from plugins.checks.command import pending_summary
from plugins.checks.findings import Pending
from plugins.contracts import TO_FILL, TO_REWRITE

FIGURE = "figure to fill"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PASSAGE = "passage to rewrite"


# --- finding the markers -----------------------------------------------------------------------------

def _csv_pending(path: Path, label: str) -> list[Pending]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if not rows:
        return []
    header, out = rows[0], []
    for n, row in enumerate(rows[1:], start=2):
        if "indicator" in header and "column" in header and len(row) == len(header):
            key = f"{row[header.index('indicator')]} / {row[header.index('column')]}"
        else:
            key = next((c for c in row if c.strip() and c != TO_FILL), "")
        for i, cell in enumerate(row):
            column = header[i] if i < len(header) else str(i + 1)
            where = f"row {n} ({key[:70]}), column {column!r}"
            if cell.strip() == TO_FILL:
                out.append(Pending(label, where, FIGURE))
            elif cell.strip().startswith(TO_REWRITE):
                out.append(Pending(label, where, PASSAGE))
    return out


def _yaml_pending(node, label: str, where: str = "") -> list[Pending]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _yaml_pending(v, label, f"{where}.{k}" if where else str(k))]
    if isinstance(node, list):
        # numbered from 1, as the engine's own messages number blocks and items
        return [p for i, v in enumerate(node, start=1) for p in _yaml_pending(v, label, f"{where}[{i}]")]
    if isinstance(node, str):
        if node.strip() == TO_FILL:
            return [Pending(label, where, FIGURE)]
        if node.lstrip().startswith(TO_REWRITE):
            return [Pending(label, where, PASSAGE)]
    return []


def _qmd_pending(path: Path, label: str) -> list[Pending]:
    return [Pending(label, f"line {n}", PASSAGE if TO_REWRITE in line else FIGURE)
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if TO_REWRITE in line or TO_FILL in line]


def find_pending(board, year: str) -> list[Pending]:
    """Every marker left in the year's data folder and its book, in file order."""
    root = board.root / "data" / year
    top = board.root.parent.parent

    def label(p: Path) -> str:
        try:
            return str(p.relative_to(top))
        except ValueError:
            return str(p)

    out: list[Pending] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in (".csv", ".yml", ".yaml"):
            continue
        text = path.read_bytes()
        if TO_FILL.encode() not in text and TO_REWRITE.encode() not in text:
            continue          # a finished file (the usual case): nothing to parse
        if path.suffix == ".csv":
            out += _csv_pending(path, label(path))
        elif path.suffix in (".yml", ".yaml"):
            try:
                out += _yaml_pending(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER), label(path))
            except yaml.YAMLError:
                continue      # the data checks report a broken file
    book = board.book_dir(year)
    if book != board.root:
        for path in sorted(book.glob("*.qmd")):
            out += _qmd_pending(path, label(path))
    return out


@hookimpl
def lscb_check_year(engine, year):
    return find_pending(engine.board, year)


# --- marking a draft ---------------------------------------------------------------------------------

DRAFT_CSS = """
.lscb-draft-banner{position:sticky;top:0;z-index:20;margin:0;padding:.6rem 1rem;background:#fff4d6;
  color:#5a3200;border-bottom:3px solid #a04f00;font-weight:bold}
mark.lscb-to-fill{background:#ffe08a;color:#000;outline:1px dashed #a04f00;font-weight:bold}
mark.lscb-to-rewrite{background:#ffd0d0;color:#000;font-weight:bold}
.lscb-draft-watermark{display:none}
@media print{
  .lscb-draft-banner{position:static}
  .lscb-draft-watermark{display:block;position:fixed;top:45%;left:0;right:0;text-align:center;
    font:bold 88pt Arial,"Liberation Sans",sans-serif;color:rgba(160,79,0,.13);transform:rotate(-35deg)}
}
@page{@top-center{content:"DRAFT \\2013  not for publication";color:#a04f00;
  font:bold 9pt Arial,"Liberation Sans","DejaVu Sans",sans-serif}}
"""

_TAG = re.compile(r"(<[^>]*>)")
_RAW = ("style", "script", "title", "textarea")


def _mark_text(page: str) -> str:
    """Highlight the markers in the page's text, never inside a tag, a style or the title."""
    parts, raw = _TAG.split(page), None
    for i, part in enumerate(parts):
        if part.startswith("<"):
            m = re.match(r"<(/?)(\w+)", part)
            if m and m.group(2).lower() in _RAW:
                raw = None if m.group(1) else m.group(2).lower()
            continue
        if raw is None and ("[to " in part):
            part = part.replace(TO_FILL, f'<mark class="lscb-to-fill">{TO_FILL}</mark>')
            parts[i] = part.replace(TO_REWRITE, f'<mark class="lscb-to-rewrite">{TO_REWRITE}</mark>')
    return "".join(parts)


def draft_page(page: str, summary: str) -> str:
    note = f"DRAFT – not for publication: {summary}"
    banner = (f'<p class="lscb-draft-banner" role="note">{html.escape(note)}</p>'
              '<div class="lscb-draft-watermark" aria-hidden="true">DRAFT</div>')
    page = _mark_text(page)
    page = page.replace("</head>", f'<meta name="lscb:status" content="{html.escape(note)}">'
                                   f"<style>{DRAFT_CSS}</style></head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, page, count=1)


@hookimpl
def lscb_report_page(engine, year, report):
    pending = find_pending(engine.board, year)
    if pending:
        report.html = draft_page(report.html, pending_summary(pending))
        report.draft = pending_summary(pending)


# --- Word: a header on every page --------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER_PART = "word/lscb-draft-header.xml"
HEADER_ID = "rIdLscbDraft"


def docx_with_header(docx: bytes, text: str) -> bytes:
    """Add a default header holding ``text`` to every section of a .docx package."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    header = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}"><w:p><w:pPr>'
              '<w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="A04F00"/></w:rPr>'
              f'<w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p></w:hdr>')
    parts[HEADER_PART] = header.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace("</Relationships>", f'<Relationship Id="{HEADER_ID}" Type="http://schemas.openxmlformats.org/'
                        f'officeDocument/2006/relationships/header" Target="{HEADER_PART[5:]}"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace("</Types>", f'<Override PartName="/{HEADER_PART}" ContentType="application/'
                          'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    doc = parts["word/document.xml"].decode("utf-8")
    if 'xmlns:r="' not in doc[:2000]:
        doc = doc.replace("<w:document ", '<w:document xmlns:r="http://schemas.openxmlformats.org/'
                          'officeDocument/2006/relationships" ', 1)
    ref = f'<w:headerReference w:type="default" r:id="{HEADER_ID}"/>'
    doc = re.sub(r"<w:sectPr(\s[^>]*)?/>", lambda m: f"<w:sectPr{m.group(1) or ''}>{ref}</w:sectPr>", doc)
    doc = re.sub(r"<w:sectPr(\s[^>]*)?>(?!<w:headerReference)", lambda m: m.group(0) + ref, doc)
    parts["word/document.xml"] = doc.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


@hookimpl
def lscb_report_files(engine, year, report, files):
    summary = getattr(report, "draft", None)
    if summary and "report.docx" in files:
        files["report.docx"] = docx_with_header(files["report.docx"], f"DRAFT – not for publication: {summary}")
    if summary:
        # pages the page hook did not see (Quarto writes one per chapter): their markers highlighted too
        for name, content in files.items():
            if name.endswith(".html") and isinstance(content, (str, bytes)):
                page = content.decode("utf-8") if isinstance(content, bytes) else content
                marked = page if 'class="lscb-to-' in page else _mark_text(page)
                if marked != page:
                    files[name] = marked
