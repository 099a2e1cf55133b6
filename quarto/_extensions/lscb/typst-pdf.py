"""Quarto post-render script: the book's PDF through Typst, from the Word document the book just rendered.

Quarto 1.7 renders books to HTML and Word but not to Typst (its typst format has no book support), and
LaTeX needs TeX. So a book lists lscb-html and lscb-docx and names this script in `project: post-render:`;
after a render that wrote <stem>.docx it writes <stem>.pdf beside it: pandoc (Quarto's) reads the Word
document (real headings, tables, images with their alt text) and writes Typst, A4 with page numbers and
a contents list; Quarto's Typst compiles it. Renders without a .docx (e.g. --to lscb-html) are left alone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
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
