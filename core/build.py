"""Building reports into an output folder: every format from the same executed chapters, atomically,
boards and years in parallel processes when asked."""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import fastpath
from .board import Board
from .errors import LscbError
from .output import write_atomically

MARKER = ".lscb-output"
MARKER_TEXT = "written by lscb render; safe to delete\n"
WARNINGS = ".lscb-warnings"     # kept beside a cached report (never written to the output folder)
_engines: dict = {}      # per process: plugins are loaded once per board


def report_files(report, formats: list[str]) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {"index.html": report.html}
    if "pdf" in formats:
        from .render.pdf import html_to_pdf
        files["report.pdf"] = html_to_pdf(report)
    if "docx" in formats:
        from .render.docx import html_to_docx
        files["report.docx"] = html_to_docx(report)
    return files


def render_target(board_id: str, year: str, formats: list[str], use_cache: bool = True,
                  check: bool = True) -> tuple[dict[str, bytes | str], tuple[int, int], list[str]]:
    """Render one board-year (in this process): the data checks first, then every format. A report
    whose inputs are all unchanged since it was last rendered comes from the report cache, with the
    warnings its checks gave (so a cached render still shows them). Returns files, (chapters from cache,
    chapters executed) and the warnings."""
    key = fastpath.report_key(Board.load(board_id).root, year, formats) if use_cache else ""
    if use_cache:
        cached = fastpath.lookup(key)
        if cached is not None:
            notes = cached.pop(WARNINGS, b"")
            notes = notes.decode("utf-8") if isinstance(notes, bytes) else notes
            return cached, (-1, 0), [w for w in notes.split("\n") if w]
    from . import chart_worker
    chart_worker.prestart()            # vl-convert warms up on the other core while the report is read
    from .board import boards_dir
    from .engine import Engine
    from .errors import DataErrors
    from .render.report import render_report
    slot = (str(boards_dir()), board_id)
    if slot not in _engines:
        _engines[slot] = Engine.open(board_id)
    engine = _engines[slot]
    engine.forget_data(year)           # read the files afresh on every render
    warnings: list[str] = []
    if check:
        from .check import check_data
        errors, found = check_data(engine, year)
        if errors:
            raise DataErrors(errors)
    report = render_report(engine, year, use_cache)       # a chapter's own error is reported first
    if check:
        from .check import plugin_findings
        found += plugin_findings(engine, year)[1]      # the same warnings lscb check prints
        warnings = list(dict.fromkeys(str(w) for w in found))     # each once, in the order found
        # a chapter's figure caption may promise a breakdown its chart does not draw
        from .charts import page_caption_warnings
        warnings += [w for w in page_caption_warnings(report.html, f"boards/{board_id}/{year}") if w not in warnings]
    engine.pm.hook.lscb_report_page(engine=engine, year=year, report=report)
    files = report_files(report, formats)
    engine.pm.hook.lscb_report_files(engine=engine, year=year, report=report, files=files)
    if use_cache:
        fastpath.store(key, {**files, WARNINGS: "\n".join(warnings)})
    return files, engine.last_cache, warnings


def _progress(total: int):
    """A progress bar on a terminal; nothing when output goes to a file or CI log."""
    if not sys.stderr.isatty() or os.environ.get("LSCB_QUIET"):
        return None
    from rich.progress import Progress
    bar = Progress(transient=True)
    bar.start()
    return bar, bar.add_task("rendering", total=total)


def build_reports(targets: list[tuple[str, str]], out: Path, formats: list[str], single: bool,
                  jobs: int = 1, use_cache: bool = True, strict: bool = False) -> dict[str, tuple[int, int]]:
    """Render every (board, year) and only then put the results in place: a failure anywhere leaves
    an earlier ``out`` untouched. The warnings the data checks find are printed (stderr) and do not fail
    the build, unless ``strict``: then they fail it like an error, before anything is written.
    Returns per-report (chapters from cache, chapters executed)."""
    _engines.clear()     # plugins and data are loaded afresh for every build, even in a long-lived process
    files: dict[str, bytes | str] = {MARKER: MARKER_TEXT}
    stats: dict[str, tuple[int, int]] = {}
    progress = _progress(len(targets))
    try:
        if jobs > 1 and len(targets) > 1:
            with ProcessPoolExecutor(max_workers=min(jobs, len(targets))) as pool:
                futures = {pool.submit(render_target, b, y, formats, use_cache): (b, y) for b, y in targets}
                results = {}
                for fut, (b, y) in futures.items():
                    results[(b, y)] = fut.result()
                    if progress:
                        progress[0].advance(progress[1])
        else:
            results = {}
            for b, y in targets:
                results[(b, y)] = render_target(b, y, formats, use_cache)
                if progress:
                    progress[0].advance(progress[1])
    finally:
        if progress:
            progress[0].stop()
    warned = {f"{b} {y}": notes for (b, y), (_, _, notes) in results.items() if notes}
    print_warnings(warned, strict)
    if strict and warned:
        total = sum(len(n) for n in warned.values())
        raise LscbError(f"--strict: {total} warning(s) in {', '.join(warned)} (listed above); expected none, "
                        "so nothing was written")
    for (b, y), (rendered, cache, _) in results.items():
        prefix = "" if single else f"{b}/{y}/"
        files.update({prefix + k: v for k, v in rendered.items()})
        stats[f"{b} {y}"] = cache
    write_atomically(out, files)
    return stats


def print_warnings(warned: dict[str, list[str]], strict: bool = False, out=None) -> None:
    """A count per report, then each warning (file, row or figure, and what disagrees) once."""
    out = out or sys.stderr
    for name, notes in warned.items():
        tail = "" if strict else " (the report keeps what it printed; --strict makes these fail)"
        print(f"{name}: {len(notes)} warning(s){tail}", file=out)
        for note in notes:
            print(f"  warning {note}", file=out)
