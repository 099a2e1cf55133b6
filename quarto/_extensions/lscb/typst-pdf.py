"""Quarto post-render script: the book's PDF through Typst, from the Word document the book just rendered.

Quarto 1.7 renders books to HTML and Word but not to Typst (its typst format has no book support), and
LaTeX needs TeX. So a book lists lscb-html and lscb-docx and names this script in `project: post-render:`;
after a render that wrote <stem>.docx it writes <stem>.pdf beside it: pandoc (Quarto's) reads the Word
document (real headings, tables, images with their alt text) and writes Typst, A4 with page numbers and
a contents list; Quarto's Typst compiles it. Renders without a .docx (e.g. --to lscb-html) are left alone.
pandoc does not read a Word document's page header, so the header it has (the draft's, added by
report-files.py before this script runs) is given to every PDF page here.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def quarto() -> str:
    bin_dir = os.environ.get("QUARTO_BIN_PATH")
    if bin_dir and (Path(bin_dir) / "quarto").is_file():
        return str(Path(bin_dir) / "quarto")
    return shutil.which("quarto") or "quarto"


def output_files() -> list[str]:
    listed = os.environ.get("QUARTO_USE_FILE_FOR_PROJECT_OUTPUT_FILES")
    text = Path(listed).read_text(encoding="utf-8") if listed else os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", "")
    return [line for line in text.splitlines() if line.strip()]


def word_header(docx: Path) -> str:
    """The text of the Word document's default page header ('' when it has none)."""
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
        refs = re.findall(r'<w:headerReference w:type="default" r:id="([^"]+)"', document)
        if not refs:
            return ""
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        target = re.search(rf'<Relationship [^>]*Id="{re.escape(refs[-1])}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{re.escape(refs[-1])}"', rels)
        if not target:
            return ""
        header = z.read("word/" + target.group(1).lstrip("/").removeprefix("word/")).decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", header))
    return html.unescape(text).strip()


def typst_header(text: str) -> list[str]:
    """pandoc options that put ``text`` at the top of every page (none for no text)."""
    if not text:
        return []
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return ["-V", 'header-includes=#set page(header: align(center, text(size: 9pt, weight: "bold", '
            f'fill: rgb("#a04f00"), "{quoted}")))']


def docx_to_pdf(docx: Path) -> Path:
    pdf = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix=".lscb-typst-", dir=docx.parent) as tmp:
        typ = Path(tmp) / "report.typ"
        subprocess.run([quarto(), "pandoc", str(docx), "--from", "docx", "--to", "typst", "--standalone",
                        "--toc", "--extract-media", tmp, "--lua-filter", str(HERE / "typst-images.lua"),
                        "-V", "papersize=a4", "-V", "mainfont=Liberation Sans", "-V", "fontsize=10.5pt",
                        "-V", "toc-title=Contents", "-V", "lang=en", "-V", "region=GB",
                        # ragged right, as the web page and the Word document are
                        "-V", "include-before=#set par(justify: false)",
                        *typst_header(word_header(docx)),
                        "-o", str(typ)], check=True)
        subprocess.run([quarto(), "typst", "compile", "--root", tmp, str(typ), str(pdf)], check=True)
    return pdf


def main() -> int:
    for name in output_files():
        path = Path(name)
        if path.suffix == ".docx" and path.is_file():
            print(f"lscb: {docx_to_pdf(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
