"""Building reports into an output folder: every format from the same executed chapters, atomically."""
from __future__ import annotations

import sys
from pathlib import Path

from .engine import Engine
from .render.report import Report, render_report, write_atomically

MARKER = ".lscb-output"


def report_files(report: Report, formats: list[str]) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {"index.html": report.html}
    if "pdf" in formats:
        from .render.pdf import html_to_pdf
        files["report.pdf"] = html_to_pdf(report)
    if "docx" in formats:
        from .render.docx import html_to_docx
        files["report.docx"] = html_to_docx(report)
    return files


def render_one(board_id: str, year: str, formats: list[str], engines: dict[str, Engine] | None = None) -> dict:
    engines = engines if engines is not None else {}
    if board_id not in engines:
        engines[board_id] = Engine.open(board_id)
    report = render_report(engines[board_id], year)
    return report_files(report, formats)


def build_reports(targets: list[tuple[str, str]], out: Path, formats: list[str], single: bool,
                  jobs: int = 1, use_cache: bool = True) -> None:
    """Render every (board, year) and only then put the results in place: a failure anywhere leaves
    an earlier ``out`` untouched."""
    files: dict[str, bytes | str] = {MARKER: "written by lscb render; safe to delete\n"}
    engines: dict[str, Engine] = {}
    for board_id, year in targets:
        print(f"rendering {board_id} {year}", file=sys.stderr)
        rendered = render_one(board_id, year, formats, engines)
        prefix = "" if single else f"{board_id}/{year}/"
        files.update({prefix + k: v for k, v in rendered.items()})
    write_atomically(out, files)
    for rel in sorted(files):
        if rel != MARKER:
            print(out / rel)
