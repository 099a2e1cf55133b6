"""The report's page as ``index.html``: the page the renderer assembled, as it is (with what the
``lscb_report_page`` plugins added)."""
from __future__ import annotations

from core import hookimpl


def page(report) -> str:
    return report.html


@hookimpl
def lscb_register_output_formats(register):
    register("html", "index.html", page)
