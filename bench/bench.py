"""Render-time benchmarks for this machine. A script, not a test: it prints figures.

    .venv/bin/python bench/bench.py [--synthetic 100] [--skip-baseline]

1. full built-in render of every report (HTML, no cache): wall, CPU, peak memory
2. the baseline: the same chapters executed the way Quarto's Jupyter engine does it, one fresh kernel per
   .qmd through nbclient, and whether each section's output matches the built-in render
3. a no-op rebuild (nothing changed)
4. a rebuild after one data file changed: which chapters re-executed
5. N synthetic boards (scaffolded with generated data) rendered with all cores
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
LSCB = [PY, "-m", "core.cli"]


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, int, str]:
    """wall seconds, CPU seconds (user+sys of the child), peak RSS in MiB, stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024, proc.stderr


def targets() -> list[tuple[str, str]]:
    sys.path.insert(0, str(REPO))
    from core.board import Board, list_boards
    return [(b, y) for b in list_boards() for y in Board.load(b).years]


def quiet_stderr():
    """The kernels' start-up warnings go to /dev/null, not into the figures."""
    import contextlib
    @contextlib.contextmanager
    def cm():
        saved = os.dup(2)
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
    return cm()


def baseline(tmp: Path) -> tuple[float, int, int, int]:
    """One fresh kernel per chapter via nbclient, as Quarto's Jupyter engine runs a book.
    Returns wall seconds, chapters, section outputs compared, and how many were identical."""
    import nbformat
    from nbclient import NotebookClient

    from core.board import Board
    from plugins.render.builtin.qmd import read_book, read_chapter
    compared = same = chapters = 0
    t0 = time.perf_counter()
    built = {}
    for board_id, year in targets():
        page = (tmp / "full" / board_id / year / "index.html").read_text(encoding="utf-8")
        built[(board_id, year)] = normalise(page)
        board = Board.load(board_id)
        book = read_book(board.book_dir(year))
        for path in book.chapters + book.appendices:
            chapter = read_chapter(path)
            cells = []
            for c in chapter.cells:
                if c.kind == "markdown":
                    cells.append(nbformat.v4.new_markdown_cell(c.source))
                else:
                    cell = nbformat.v4.new_code_cell(c.source)
                    if "parameters" in (c.options.get("tags") or []):
                        cells.append(cell)
                        cell = nbformat.v4.new_code_cell(f"board_id = {board_id!r}\nyear = {year!r}")
                    cells.append(cell)
            nb = nbformat.v4.new_notebook(cells=cells)
            NotebookClient(nb, kernel_name="python3", timeout=600,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            chapters += 1
            for cell in nb.cells:
                for out in cell.get("outputs", []):
                    html = out.get("data", {}).get("text/html")
                    if html and "lscb-section" in html:
                        compared += 1
                        same += normalise(html) in built[(board_id, year)]
    return time.perf_counter() - t0, chapters, compared, same


def normalise(html: str) -> str:
    """Captions are numbered by the renderer ("Table 3: ..."); compare the content, not the numbering."""
    html = re.sub(r"<caption>.*?</caption>", "", html)
    html = re.sub(r' (id|aria-label)="[^"]*"', "", html)
    html = re.sub(r' href="#[^"]*"', "", html)        # links to those ids (a table note's marker)
    html = re.sub(r"<figcaption>.*?</figcaption>", "", html)
    return re.sub(r"<(/?)h[2-6]", r"<\1h", html)     # heading depth follows the chapter's headings


def synthetic(n: int, tmp: Path) -> tuple[float, float, int]:
    """N scaffolded boards with generated figures, rendered in parallel with all cores."""
    boards = tmp / "synthetic-boards"
    boards.mkdir()
    env = {"LSCB_BOARDS": str(boards), "LSCB_CACHE": str(tmp / "synthetic-cache")}
    sys.path.insert(0, str(REPO))
    from plugins.scaffold import new_board
    rng = random.Random(2026)
    for i in range(n):
        root = new_board(f"synth_{i:03d}", f"Synthtown {i}", base=boards)
        data = root / "data" / "2024-25"
        rows = ["Course,Attendees"] + [f"Course {j},{rng.randint(5, 400)}" for j in range(12)]
        (data / "tables" / "training.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    wall, cpu, peak, _ = run(LSCB + ["render", "--all", "--out", str(tmp / "synthetic-out"),
                                      "--jobs", str(os.cpu_count() or 1)], env)
    return wall, cpu, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=100)
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lscb-bench-"))
    cache = {"LSCB_CACHE": str(tmp / "cache")}
    reports = targets()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"reports: {len(reports)} ({', '.join(f'{b} {y}' for b, y in reports)})")

    full = run(LSCB + ["render", "--all", "--out", str(tmp / "full"), "--no-cache"], cache)
    print(f"full built-in render, HTML, no cache: {full[0]:.2f} s wall, {full[1]:.2f} s CPU, "
          f"peak {full[2]} MiB")

    if not args.skip_baseline:
        with quiet_stderr():
            wall, chapters, compared, same = baseline(tmp)
        print(f"baseline, one fresh kernel per .qmd (nbclient): {wall:.2f} s for {chapters} chapters; "
              f"section outputs identical to the built-in render: {same}/{compared}")
        print(f"  speed-up of the built-in renderer: {wall / full[0]:.1f}x")

    cold = run(LSCB + ["render", "--all", "--out", str(tmp / "warm")], cache)
    noop = run(LSCB + ["render", "--all", "--out", str(tmp / "warm")], cache)
    print(f"no-op rebuild: {noop[0]:.2f} s wall ({100 * noop[0] / full[0]:.1f}% of a full build; "
          f"first cached build {cold[0]:.2f} s)")

    board_id, year = reports[0]
    data_dir = REPO / "boards" / board_id / "data" / year
    victim = sorted(data_dir.glob("*.csv"))[0]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + b"\n")
        one = run(LSCB + ["render", "--all", "--out", str(tmp / "warm")], cache)
    finally:
        victim.write_bytes(original)
    executed = re.findall(r"^(.*?): (\d+) chapters \((\d+) from cache, (\d+) executed\)", one[3], re.M)
    print(f"rebuild after changing {victim.relative_to(REPO)}: {one[0]:.2f} s wall "
          f"({100 * one[0] / full[0]:.1f}% of a full build)")
    for name, total, hits, runs in executed:
        print(f"  {name}: {runs} of {total} chapters re-executed")
    others = [ln for ln in one[3].splitlines() if "report cache" in ln]
    print(f"  {len(others)} other reports taken unchanged from the report cache")

    if args.synthetic:
        wall, cpu, peak = synthetic(args.synthetic, tmp)
        print(f"{args.synthetic} synthetic boards, --jobs {os.cpu_count()}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"peak {peak} MiB per process")
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({"full_s": round(full[0], 2)}))


if __name__ == "__main__":
    main()
