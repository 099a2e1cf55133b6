"""Edit-to-page time of `lscb preview`: a script, not a test; it prints figures for this machine.

    .venv/bin/python bench/preview.py [--edits 9] [--board cheshire_west --year 2014-15]

Starts `lscb preview` on a copy of a board (a fresh cache, its own process, 127.0.0.1), waits for the first
render, then changes one figure in the year's indicators.csv --edits times. Each edit is timed from the
moment the file is saved (written and renamed into place, as an editor does) to the moment the page served
after the server's reload event shows the new figure: what an open browser tab does when the event
arrives. Prints the first render and the median, fastest and slowest edit.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
from preview_process import PreviewProcess  # noqa: E402

EVENTS = "__lscb/events"


def count_row(path: Path, indicator: str) -> tuple[int, list[list[str]]]:
    """The first row of ``indicator`` counted in whole numbers, and every row of the file."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    for i, row in enumerate(rows[1:], start=1):
        if row[head.index("indicator")] == indicator and row[head.index("unit")] == "count":
            return i, rows
    raise SystemExit(f"{path}: no count of {indicator!r} to change")


def save(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def next_event(stream) -> str:
    for raw in stream:
        line = raw.decode("utf-8").strip()
        if line.startswith("data:"):
            return line[5:].strip()
    raise SystemExit("the event stream ended")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=9)
    ap.add_argument("--board", default="cheshire_west")
    ap.add_argument("--year", default="2014-15")
    ap.add_argument("--indicator", default="Contacts to the LADO", help="the figure changed (a count in a table)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lscb-bench-preview-") as tmp:
        started = time.perf_counter()
        preview = PreviewProcess(Path(tmp), args.board, "--year", args.year)
        try:
            url = preview.start()
            preview.wait_for(r"^rendered in")
            first = time.perf_counter() - started
            data = preview.boards / args.board / "data" / args.year / "indicators.csv"
            row, rows = count_row(data, args.indicator)
            value_col = rows[0].index("value")
            times = []
            with urllib.request.urlopen(url + EVENTS, timeout=60) as events:
                next_event(events)                   # the generation the page was served at
                for n in range(args.edits):
                    value = str(700 + n)            # under 1,000: printed as written
                    rows[row][value_col] = value
                    saved = time.perf_counter()
                    save(data, rows)
                    deadline = saved + 120
                    while True:
                        if time.perf_counter() > deadline:
                            raise SystemExit(f"edit {n + 1}: {value} not on the page after 120 s:\n{preview.output}")
                        next_event(events)
                        page = urllib.request.urlopen(url, timeout=60).read().decode("utf-8")
                        if f">{value}<" in page:
                            break
                    times.append(time.perf_counter() - saved)
        finally:
            code = preview.stop()
    print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"board: {args.board} {args.year}; edited: data/{args.year}/indicators.csv ({args.edits} edits of {args.indicator!r})")
    print(f"start to first page (cold cache, includes the imports): {first:.2f} s")
    print(f"save to reloaded page: median {statistics.median(times):.3f} s, fastest {min(times):.3f} s, "
          f"slowest {max(times):.3f} s")
    others = sorted({f for line in preview.lines if line.startswith("changed: ")
                     for f in line[len("changed: "):].split(", ") if not f.endswith("/indicators.csv")})
    if others:          # e.g. someone saving a shared plugin meanwhile: that render starts a fresh process
        print(f"other files changed during the run: {', '.join(others)}")
    print(f"preview exit code after Ctrl-C: {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
