"""Quarto post-render script: the report's plugins change the files Quarto wrote (lscb_report_files: a
draft's header on every page of the Word document, ...), before typst-pdf.py makes the PDF from the Word
document. See plugins/render/quarto/hooks.py."""
import sys

from plugins.render.quarto.hooks import run_files_hook

if __name__ == "__main__":
    for name in run_files_hook():
        print(f"lscb: {name} changed by the report's plugins")
    sys.exit(0)
