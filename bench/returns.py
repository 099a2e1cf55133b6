"""Time `lscb data from-returns` on a large generated year: a script that prints figures, not a test.

    .venv/bin/python bench/returns.py                       # 30,000 children in need, ~6,000 looked after
    .venv/bin/python bench/returns.py --children 20000 --runs 3

It generates a children in need census and an SSDA903 return (tests/returns/generate.py), scaffolds a
board in a temporary folder, and times, as the command does them: reading and checking both returns,
working out the figures, and writing them into the year's indicators.csv; then the whole command as a
fresh process (interpreter and imports included).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plugins.returns import cin, definitions, from_returns, ssda903  # noqa: E402
from plugins.returns.problems import Problems  # noqa: E402
from tests.returns.generate import random_year, write_cin, write_ssda903  # noqa: E402

YEAR = "2023-24"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--children", type=int, default=30000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="lscb-bench-returns-") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        children_cin, children_lac = random_year(YEAR, args.children, seed=2024)
        cin_path = write_cin(root / "returns" / "cin.xml", children_cin, YEAR)
        lac_dir = write_ssda903(root / "returns" / "ssda903", children_lac)
        generated = time.perf_counter() - t
        referrals = sum(len(c.referrals) for c in children_cin)
        episodes = sum(len(c.episodes) for c in children_lac)
        missing = sum(len(c.missing) for c in children_lac)
        size = cin_path.stat().st_size + sum(p.stat().st_size for p in lac_dir.iterdir())

        boards = root / "boards"
        board = boards / "benchton"
        (board / "data" / YEAR).mkdir(parents=True)
        (board / "board.yml").write_text(f"name: Benchton Safeguarding Children Partnership\narea: Benchton\n"
                                         f"years:\n  {YEAR}:\n    title: Yearly report\n", encoding="utf-8")
        (board / "data" / YEAR / "population.csv").write_text(
            'area,period,population,source\nBenchton,mid-2023,"950,000",invented\n', encoding="utf-8")
        os.environ["LSCB_BOARDS"] = str(boards)

        # (wall, CPU) seconds per stage: on a shared machine the CPU time is the steadier figure
        read_s, figures_s, command_s = [], [], []
        for _ in range(args.runs):
            problems = Problems()
            t, c = time.perf_counter(), time.process_time()
            a = cin.read_cin(cin_path, problems)
            b = ssda903.read_ssda903(lac_dir, problems)
            read_s.append((time.perf_counter() - t, time.process_time() - c))
            assert not problems.errors, problems.errors[:3]
            t, c = time.perf_counter(), time.process_time()
            rows = definitions.cin_rows(a, definitions.Year(YEAR), "Benchton", 950000)
            rows += definitions.ssda903_rows(b, definitions.Year(YEAR), "Benchton", 950000)
            figures_s.append((time.perf_counter() - t, time.process_time() - c))
            (board / "data" / YEAR / "indicators.csv").unlink(missing_ok=True)
            t, c = time.perf_counter(), time.process_time()
            from_returns("benchton", YEAR, cin_path, lac_dir)
            command_s.append((time.perf_counter() - t, time.process_time() - c))

        (board / "data" / YEAR / "indicators.csv").unlink()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([str(REPO / ".venv" / "bin" / "lscb"), "data", "from-returns", "benchton", "--year", YEAR,
                        "--cin", str(cin_path), "--ssda903", str(lac_dir)], check=True, capture_output=True,
                       env={**os.environ, "LSCB_BOARDS": str(boards)})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = (time.perf_counter() - t,
                   after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    def med(pairs: list[tuple[float, float]]) -> str:
        return (f"{statistics.median(w for w, _ in pairs):.2f} s wall, "
                f"{statistics.median(c for _, c in pairs):.2f} s CPU")

    load = os.getloadavg()[0]
    print(f"generated year: {len(children_cin):,} children in need ({referrals:,} referrals), "
          f"{len(children_lac):,} looked-after children ({episodes:,} episodes, {missing:,} missing/away "
          f"episodes), {size / 2**20:.1f} MiB of returns, generated in {generated:.1f} s")
    print(f"read and check both returns: {med(read_s)} (median of {args.runs})")
    print(f"work out the {len(rows)} figures: {med(figures_s)}")
    print(f"from_returns() (read, check, figures, write indicators.csv): {med(command_s)}")
    print(f"lscb data from-returns as a fresh process: {med([process])}")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the end")


if __name__ == "__main__":
    main()
