"""Each real report's `lscb check` warnings against its declared list: no more, no fewer.

tests/expected_warnings.yml holds, for every board and year in boards/, the exit code and the exact
warnings `lscb check BOARD --year YEAR` prints. Each warning is a real inconsistency printed in the
published report (kept as printed), or a known gap (a priority without a measured impact). A change to the
data, a check or a plugin that adds, drops or rewords a warning fails here and shows the difference.

After a deliberate change, regenerate the list and read the diff before committing it:

    .venv/bin/python -m tests.test_behaviour_warnings --write
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, lscb, nonempty

EXPECTED = Path(__file__).with_name("expected_warnings.yml")


def real_reports() -> list[tuple[str, str]]:
    from core.board import Board, list_boards
    return [(b, y) for b in list_boards(REPO / "boards") for y in Board.load(b, REPO / "boards").years]


def declared() -> dict[str, dict]:
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8")) or {}


def printed(text: str) -> list[str]:
    return [line.strip()[len("warning "):] for line in text.splitlines() if line.strip().startswith("warning ")]


REPORTS = nonempty(real_reports(), "reports in boards/")


def test_every_report_has_a_declared_list_and_every_list_a_report():
    assert sorted(declared()) == sorted(f"{b} {y}" for b, y in REPORTS)


@pytest.mark.parametrize("board,year", REPORTS, ids=[f"{b}-{y}" for b, y in REPORTS])
def test_a_report_prints_exactly_its_declared_warnings(board, year, capsys, monkeypatch):
    monkeypatch.delenv("LSCB_BOARDS", raising=False)
    monkeypatch.chdir(REPO)
    expected = declared()[f"{board} {year}"]
    code, out, err = lscb(["check", board, "--year", year], capsys)
    found = printed(out)
    assert f"data: 0 error(s), {len(found)} warning(s)" in out, out + err
    unexpected = [w for w in found if w not in expected["warnings"]]
    gone = [w for w in expected["warnings"] if w not in found]
    assert not unexpected and not gone, (
        f"{board} {year}: warnings differ from tests/expected_warnings.yml\n"
        + "".join(f"  new:  {w}\n" for w in unexpected) + "".join(f"  gone: {w}\n" for w in gone))
    assert len(found) == len(expected["warnings"])          # none printed twice
    assert code == expected["exit"], out


def write() -> None:
    """Regenerate tests/expected_warnings.yml from what `lscb check` prints now."""
    import contextlib
    import io

    from core.cli import main
    out: dict[str, dict] = {}
    for board, year in real_reports():
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(["check", board, "--year", year])
        out[f"{board} {year}"] = {"exit": code, "warnings": printed(buffer.getvalue())}
    header = "# " + __doc__.strip().split("\n\n")[1].replace("\n", "\n# ") + "\n# Written by: .venv/bin/python " \
             "-m tests.test_behaviour_warnings --write\n"
    EXPECTED.write_text(header + yaml.safe_dump(out, allow_unicode=True, sort_keys=True, width=10000),
                        encoding="utf-8")
    print(f"wrote {EXPECTED} ({sum(len(v['warnings']) for v in out.values())} warnings, {len(out)} reports)")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import os
    os.environ.pop("LSCB_BOARDS", None)
    os.chdir(REPO)
    write()
