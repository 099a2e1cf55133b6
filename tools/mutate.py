"""Mutation testing for lscb-reports: apply one-line changes to the engine and its plugins, run a fast,
relevant part of the suite against each, and say which changes the tests caught and which survived.

    .venv/bin/python tools/mutate.py                    # the named mutations (issue 19's list and more)
    .venv/bin/python tools/mutate.py --only attendance  # named mutations whose name contains a word
    .venv/bin/python tools/mutate.py --scan plugins/checks/consistency.py --sample 20
    .venv/bin/python tools/mutate.py --list             # the named mutations, where each is found now

Each run copies the working tree (core/, plugins/, tests/, boards/, ...) into a temporary folder and
mutates the copy, never the checkout, so other work in the checkout (and its running tests) is untouched.
The tests run in the copy with bytecode caching off (a same-size edit within a second would otherwise
reuse a stale .pyc) and a fresh report cache per mutant. The suite is first run unmutated: a mutant is
only "caught" by a suite that passes without it.

Named mutations are located by code text, not by file and line, because modules move between files;
a pattern found nowhere (or in two places) is reported, so the list cannot go stale silently.
--scan generates mutants from the tokens of the files given: comparison flips, and/or swapped,
integer constants off by one, esc() dropped, a returned exit code set to 0, an if's test set to False.
See tests/README.md for the habit and the survivors judged harmless.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPY = ("core", "plugins", "tests", "boards", "docs", "quarto", "examples", "scripts", "pyproject.toml",
        "README.md")
SKIP = shutil.ignore_patterns("__pycache__", "node_modules", ".quarto", ".lscb-cache", "*.pyc", "_book", "out")
ROOTS = ("core", "plugins")           # where mutants are looked for

CHECK = ["tests/test_behaviour_check.py"]
RENDER = ["tests/test_behaviour_render.py"]
#: the fast subset a --scan mutant runs against (about a minute unmutated on a shared 2-core machine)
FAST = [*CHECK, *RENDER, "tests/test_consistency.py", "tests/test_disclosure.py", "tests/test_blocks.py"]


@dataclass
class Mutation:
    name: str
    old: str             # code text to find (may span lines for context; the change is on one line)
    new: str
    tests: list[str]
    why: str = ""        # the behaviour that must break


NAMED = [
    # --- issue 19: the eight the suite missed ------------------------------------------------------------
    Mutation("attendance-flipped", "if a > p:", "if a < p:", CHECK,
             "attending more meetings than possible warns"),
    Mutation("escape-dropped-table-cells", '<td{cls}>{esc(v)}', "<td{cls}>{v}", RENDER,
             "a table cell from data is escaped"),
    Mutation("escape-dropped-key-figure-value", '<span class="value">{esc(display_number(f.value))}</span>',
             '<span class="value">{display_number(f.value)}</span>', RENDER, "a key figure's value is escaped"),
    Mutation("escape-dropped-key-figure-label", '<span class="label">{esc(f.label)}',
             '<span class="label">{f.label}', RENDER, "a key figure's label is escaped"),
    Mutation("check-exit-2-to-0", "return 2 if self.missing_musts else 0", "return 0 if self.missing_musts else 0",
             CHECK, "a missing must requirement exits 2"),
    Mutation("budget-tolerance-tenfold", "abs(s - total) > 0.5:", "abs(s - total) > 5:", CHECK,
             "a budget total off by just over 50p warns"),
    Mutation("table-not-shown-dropped", "if rel not in used:", "if False:", CHECK,
             "a printed table no section shows warns"),
    Mutation("empty-section-meets-requirement", "if sec.empty or sec.kind not in section_types:",
             "if sec.kind not in section_types:", CHECK, "an empty section meets no requirement"),
    # --- issue 19: the six it caught, and one per check, escape, exit code and policy --------------------
    Mutation("check-exit-1-to-0", "if self.errors:\n            return 1", "if self.errors:\n            return 0",
             CHECK, "data errors exit 1"),
    Mutation("check-draft-exit-3-to-0", "if self.pending:\n            return 3",
             "if self.pending:\n            return 0", CHECK, "a draft exits 3"),
    Mutation("attendance-percent-tolerance", "abs(Decimal(str(printed)) - expected) > 1:",
             "abs(Decimal(str(printed)) - expected) > 2:", CHECK, "an attendance % two points off warns"),
    Mutation("table-total-check-dropped", "if abs(s - total) > 0.5 * 10 ** -_decimals(printed) + 1e-9:",
             "if False:", CHECK, "a table total that does not add up warns"),
    Mutation("total-row-not-found-dropped", "if totals.empty:", "if False:", CHECK,
             "a declared totals row that is missing warns"),
    Mutation("percent-tolerance", 'Decimal("0.51") * Decimal(1).scaleb(-places)',
             'Decimal("1.51") * Decimal(1).scaleb(-places)', CHECK,
             "a printed % or rate one unit off in its last place warns"),
    Mutation("half-up-rounding", "    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)",
             "    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))", CHECK,
             "12.5% rounds to 13% (half up), not 12% (half to even)"),
    Mutation("declared-sum-tolerance", "if abs(s - to_number(total)) > 1e-6:", "if abs(s - to_number(total)) > 1:",
             CHECK, "a declared sum one off warns"),
    Mutation("declared-same-dropped", "if len({to_number(v) for _, v in places}) > 1:",
             "if len({to_number(v) for _, v in places}) > 2:", CHECK, "one figure printed two ways warns"),
    Mutation("indicator-twice-dropped", 'if rows["table"].nunique() < 2:', 'if rows["table"].nunique() < 3:',
             CHECK, "an indicator printed differently in two tables warns"),
    Mutation("unknown-option-accepted", "if option is None:\n                near", "if False:\n                near",
             CHECK, "a misspelt option is a data error naming the nearest"),
    Mutation("key-figure-rule-off", 'return bool(FIGURE.match(" ".join(str(value).split())))', "return True", CHECK,
             "a date or words as a key figure is a data error"),
    Mutation("disclosure-largest-4", "SMALLEST, LARGEST = 1, 5", "SMALLEST, LARGEST = 1, 4", RENDER,
             "a count of 5 children is hidden"),
    Mutation("disclosure-largest-6", "SMALLEST, LARGEST = 1, 5", "SMALLEST, LARGEST = 1, 6", RENDER,
             "a count of 6 children is shown"),
    Mutation("disclosure-zero-hidden", "SMALLEST, LARGEST = 1, 5", "SMALLEST, LARGEST = 0, 5", RENDER,
             "a true 0 stays 0"),
    Mutation("disclosure-secondary-dropped", "if sum(cell in hidden for cell in line) != 1:", "if True:", RENDER,
             "one hidden cell in a line with a total hides the next smallest"),
    Mutation("disclosure-derived-dropped", "if any(s in hidden for s in sources)", "if False", RENDER,
             "a percentage of a hidden count is hidden"),
    Mutation("cache-report-key-ignores-data", '    _walk(h, board_root / "data" / year)\n', "    pass\n", RENDER,
             "a data edit misses the report cache"),
    Mutation("cache-chapter-ignores-data", 'if fingerprint(data.root, set(entry["files"])) != entry["files"]:',
             "if False:", RENDER, "a data edit misses the chapter cache"),
    Mutation("cache-key-ignores-external-plugins", "        _module_sources(h, str(module))\n", "        pass\n",
             RENDER, "an edit to a plugin module board.yml names, outside the project, misses the report cache"),
    Mutation("escape-dropped-table-markdown", "md_escape(row[c]) + sup((r, c))", "row[c] + sup((r, c))", RENDER,
             "a table cell is escaped in the Markdown given to Quarto (Word, PDF)"),
    Mutation("no-measured-impact-dropped", 'if isinstance(p, dict) and not p.get("impact"):', "if False:", CHECK,
             "a priority without a measured impact warns"),
    Mutation("chapter-parameters-cell-unchecked", 'if not (isinstance(tags, list) and "parameters" in tags):',
             "if False:", CHECK, "a chapter whose first cell is not its parameters cell is refused"),
    Mutation("chapter-other-year-accepted", "                if value != want:", "                if False:", CHECK,
             "a cell showing another year's data is refused"),
    Mutation("chapter-open-fence-accepted", "    if fence:\n        raise NotebookError", "    if False:\n        raise NotebookError",
             CHECK, "a code fence never closed is refused"),
    Mutation("check-year-error-exit-2", "            code = max(code, 1)\n", "            code = max(code, 2)\n", CHECK,
             "a year whose check stops on an error exits 1"),
    Mutation("check-last-year-wins", "code = max(code, result.exit_code) if code != 1 else 1", "code = result.exit_code",
             CHECK, "the worst year decides lscb check's exit code"),
    Mutation("render-strict-ignored", "if strict and", "if False and", RENDER,
             "--strict with a warning exits 1 and writes nothing"),
]


# --- the working copy ---------------------------------------------------------------------------------------

def make_copy(dest: Path) -> Path:
    for name in COPY:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=SKIP, symlinks=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def sources(root: Path, paths: list[str] | None = None) -> list[Path]:
    picked = [root / p for p in paths] if paths else [root / r for r in ROOTS]
    out: list[Path] = []
    for p in picked:
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return [p for p in out if "__pycache__" not in p.parts]


def locate(root: Path, m: Mutation) -> tuple[list[tuple[Path, int]], str]:
    """Where the mutation's code text is: [(file, line)], and a problem ('' when found exactly once)."""
    hits = []
    for path in sources(root):
        text = path.read_text(encoding="utf-8")
        start = 0
        while (i := text.find(m.old, start)) >= 0:
            hits.append((path, text.count("\n", 0, i) + 1))
            start = i + 1
    if not hits:
        return hits, "code not found (moved or rewritten? update NAMED in tools/mutate.py)"
    if len(hits) > 1:
        return hits, "code found in several places: " + ", ".join(f"{p.relative_to(root)}:{n}" for p, n in hits)
    return hits, ""


# --- generated mutants (--scan) -----------------------------------------------------------------------------

HEADS = (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT)
FLIPS = {">": ">=", ">=": ">", "<": "<=", "<=": "<", "==": "!=", "!=": "=="}


@dataclass
class Spot:
    path: Path
    line: int        # 1-based
    col: int
    old: str
    new: str
    kind: str


def scan(path: Path) -> list[Spot]:
    """One-line mutants from the file's tokens (never inside strings or comments)."""
    text = path.read_text(encoding="utf-8")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    spots: list[Spot] = []
    for i, tok in enumerate(tokens):
        (line, col), s = tok.start, tok.string
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].string if i else ""
        if tok.type == tokenize.OP and s in FLIPS and prev not in ("->",):
            spots.append(Spot(path, line, col, s, FLIPS[s], "comparison"))
        elif tok.type == tokenize.NAME and s in ("and", "or"):
            spots.append(Spot(path, line, col, s, "or" if s == "and" else "and", "boolean"))
        elif tok.type == tokenize.NUMBER and re.fullmatch(r"\d+", s) and prev not in ("[", ":") and nxt != "]":
            spots.append(Spot(path, line, col, s, str(int(s) + 1), "constant"))
        elif tok.type == tokenize.NAME and s == "return" and tokens[i + 1].type == tokenize.NUMBER \
                and tokens[i + 1].string in ("1", "2", "3") and tokens[i + 2].type in (tokenize.NEWLINE, tokenize.COMMENT):
            t = tokens[i + 1]
            spots.append(Spot(path, t.start[0], t.start[1], t.string, "0", "exit code"))
        elif tok.type == tokenize.NAME and s in ("if", "elif") and (i == 0 or tokens[i - 1].type in HEADS):
            # the whole test of a one-line `if ...:` header set to False
            j = i + 1
            while j + 1 < len(tokens) and tokens[j].start[0] == line and not (
                    tokens[j].string == ":" and tokens[j + 1].type in (tokenize.NEWLINE, tokenize.COMMENT)):
                j += 1
            if j + 1 < len(tokens) and tokens[j].start[0] == line and tokens[j].string == ":":
                lo, hi = tokens[i + 1].start[1], tokens[j].start[1]
                src = text.splitlines()[line - 1]
                spots.append(Spot(path, line, lo, src[lo:hi], "False", "if removed"))
    # escapes, also inside f-strings (one STRING token before Python 3.12): esc(x) / md_escape(x) -> x
    for n, src in enumerate(text.splitlines(), 1):
        if src.lstrip().startswith(("def ", "#")):
            continue
        for m in re.finditer(r"\b(?:esc|md_escape)\(", src):
            depth, end = 1, m.end()
            while end < len(src) and depth:
                depth += {"(": 1, ")": -1}.get(src[end], 0)
                end += 1
            if not depth:
                spots.append(Spot(path, n, m.start(), src[m.start():end], src[m.end():end - 1], "escape"))
    return spots


def apply_spot(spot: Spot) -> str:
    """The file's text with the spot mutated; returns the original text."""
    original = spot.path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    src = lines[spot.line - 1]
    assert src[spot.col:spot.col + len(spot.old)] == spot.old, (spot, src)
    lines[spot.line - 1] = src[:spot.col] + spot.new + src[spot.col + len(spot.old):]
    spot.path.write_text("".join(lines), encoding="utf-8")
    return original


# --- running the tests --------------------------------------------------------------------------------------

def run_tests(root: Path, tests: list[str], deadline: float, cache: Path) -> tuple[str, str, float]:
    """('passed' | 'failed' | 'timeout', first failing test, seconds)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "LSCB_CACHE": str(cache), "LSCB_QUIET": "1"}
    env.pop("LSCB_BOARDS", None)
    env.pop("PYTHONPATH", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not browser", *tests]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)       # pytest and any helper process it started
        proc.communicate()
        return "timeout", "", time.monotonic() - start
    except BaseException:                         # interrupted: leave no test run behind
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    took = time.monotonic() - start
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", out, re.M)
    if proc.returncode == 0:
        return "passed", "", took
    return "failed", failed.group(1) if failed else out.strip().splitlines()[-1:][0] if out.strip() else "?", took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="tools/mutate.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], help="named mutations whose name contains this")
    ap.add_argument("--list", action="store_true", help="list the named mutations and where they are found")
    ap.add_argument("--scan", nargs="+", metavar="PATH", help="generate mutants from these files/folders")
    ap.add_argument("--kinds", default="", help="--scan: only these kinds (comparison,boolean,constant,escape,"
                                                "exit code,if removed)")
    ap.add_argument("--sample", type=int, default=0, help="--scan: test a random sample of N mutants")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--tests", nargs="+", help="tests to run for every mutant (default: per mutation / FAST)")
    ap.add_argument("--deadline", type=float, default=180, help="seconds per mutant (a hang counts as caught)")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))     # `kill PID`: clean up the copy too

    work = Path(tempfile.mkdtemp(prefix="lscb-mutate-"))
    try:
        root = make_copy(work / "tree")
        if args.list:
            for m in NAMED:
                hits, problem = locate(root, m)
                where = problem or f"{hits[0][0].relative_to(root)}:{hits[0][1]}"
                print(f"{m.name:36} {where}")
            return 0
        if args.scan:
            kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
            spots = [s for p in sources(root, args.scan) for s in scan(p) if not kinds or s.kind in kinds]
            if args.sample and args.sample < len(spots):
                spots = sorted(random.Random(args.seed).sample(spots, args.sample),
                               key=lambda s: (str(s.path), s.line, s.col))
            jobs = [(f"{s.kind}: {s.old!r} -> {s.new!r}", s, args.tests or FAST) for s in spots]
        else:
            named = [m for m in NAMED if not args.only or any(w in m.name for w in args.only)]
            jobs = []
            for m in named:
                hits, problem = locate(root, m)
                if problem:
                    print(f"NOT FOUND {m.name}: {problem}")
                    continue
                path, line = hits[0]
                jobs.append((m.name, (m, path, line), args.tests or m.tests))
        if not jobs:
            print("no mutants to run")
            return 1
        # the unmutated suite must pass, or nothing it says about mutants means anything
        every = sorted({t for *_, tests in jobs for t in tests})
        status, failing, took = run_tests(root, every, args.deadline * 3, work / "cache-baseline")
        print(f"baseline: {len(every)} test file(s) {status} in {took:.0f}s" + (f" ({failing})" if failing else ""))
        if status != "passed":
            print("the unmutated suite does not pass: fix that first")
            return 2
        caught = survived = 0
        survivors = []
        for n, (label, target, tests) in enumerate(jobs, 1):
            if isinstance(target, Spot):
                original = apply_spot(target)
                path, line = target.path, target.line
            else:
                m, path, line = target
                original = path.read_text(encoding="utf-8")
                path.write_text(original.replace(m.old, m.new, 1), encoding="utf-8")
            try:
                status, failing, took = run_tests(root, tests, args.deadline, work / f"cache-{n}")
            finally:
                path.write_text(original, encoding="utf-8")
            where = f"{path.relative_to(root)}:{line}"
            if status == "passed":
                survived += 1
                survivors.append(f"{label}  {where}")
                print(f"SURVIVED {label}  {where}  ({took:.0f}s)", flush=True)
            else:
                caught += 1
                print(f"caught   {label}  {where}  by {failing or status} ({took:.0f}s)", flush=True)
        print(f"\n{len(jobs)} mutants: {caught} caught, {survived} survived")
        for s in survivors:
            print(f"  survived: {s}")
        return 0 if not survived else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
