"""Quarto against the built-in renderer, book by book, side by side in one run. A script, not a test.

    .venv/bin/python bench/quarto_vs_builtin.py [--runs 1] [--format html] [BOARD-YEAR ...]

For each book it times, as whole processes and in turn (built-in, Quarto, built-in, Quarto ...):
- `lscb render BOARD --year YEAR --no-cache` (the built-in renderer, every chapter executed), and
- `quarto render BOOK --to lscb-html` on a copy of the board (what `lscb render --engine quarto` runs),
and prints the median wall seconds of each and their ratio. Needs quarto on PATH.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUARTO_TO = {"html": "lscb-html", "docx": "lscb-docx", "all": None}


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace")
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout[-3000:]}")
    return wall


def bench_book(board: str, year: str, runs: int, fmt: str) -> tuple[float, float]:
    from core.board import Board
    from plugins.render.quarto.render import copy_board, quarto_env
    book = Board.load(board).book_dir(year)
    builtin, quarto = [], []
    env = {**os.environ, "LSCB_QUIET": "1"}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            out = Path(tmp) / "out"
            builtin_fmt = "html,pdf,docx" if fmt == "all" else fmt
            builtin.append(timed([sys.executable, "-m", "core.cli", "render", board, "--year", year, "--no-cache",
                                  "--format", builtin_fmt, "--out", str(out)], REPO, env))
            copy = copy_board(book, Path(tmp) / "work")
            to = QUARTO_TO[fmt]
            cmd = [shutil.which("quarto") or "quarto", "render", str(copy)] + (["--to", to] if to else [])
            quarto.append(timed(cmd, copy, {**quarto_env(), "LSCB_BOARDS": str(copy.parent.parent)}))
    return statistics.median(builtin), statistics.median(quarto)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("books", nargs="*", help="board-year, e.g. coventry-2013-14 (default: every book)")
    ap.add_argument("--runs", type=int, default=1, help="runs of each (the median is printed)")
    ap.add_argument("--format", choices=tuple(QUARTO_TO), default="html",
                    help="html (default), docx, or all (Quarto: every format the book lists; built-in: html,pdf,docx)")
    args = ap.parse_args()
    if not shutil.which("quarto"):
        sys.exit("quarto is not on PATH: this benchmark compares it with the built-in renderer")
    from core.board import Board, list_boards
    books = [(b, y) for b in list_boards() for y in Board.load(b).years]
    if args.books:
        books = [(b, y) for b, y in books if f"{b}-{y}" in args.books]
    version = subprocess.run(["quarto", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Quarto {version}; format {args.format}; median of {args.runs} run(s); wall seconds")
    print(f"{'book':<26}{'chapters':>9}{'built-in':>10}{'quarto':>10}{'ratio':>9}")
    totals = [0.0, 0.0]
    for board, year in books:
        chapters = len(list(Board.load(board).book_dir(year).glob("*.qmd")))
        b, q = bench_book(board, year, args.runs, args.format)
        totals[0] += b
        totals[1] += q
        print(f"{board + ' ' + year:<26}{chapters:>9}{b:>10.2f}{q:>10.2f}{q / b:>8.1f}x", flush=True)
    print(f"{'all books':<26}{'':>9}{totals[0]:>10.2f}{totals[1]:>10.2f}{totals[1] / totals[0]:>8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
