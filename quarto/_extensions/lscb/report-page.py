"""Quarto pre-render script: what the report's plugins add to its page (a draft's banner, the requirements
appendix, ...), worked out once per render for the extension's filter (lscb.lua) to put into every page and
the Word document. See plugins/render/quarto/hooks.py. Runs with the Python Quarto runs the chapters with
(QUARTO_PYTHON), which has lscb-reports installed, or the chapters could not run either."""
import sys

from plugins.render.quarto.hooks import write_page_additions

if __name__ == "__main__":
    write_page_additions()
    sys.exit(0)
