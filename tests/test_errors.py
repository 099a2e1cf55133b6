"""Errors cross process boundaries intact: `lscb render --all --jobs N` reports a board's data error as one
message, not a broken process pool."""
from __future__ import annotations

import inspect
import pickle

import pytest

from core import errors


def _examples():
    for name, cls in vars(errors).items():
        if inspect.isclass(cls) and issubclass(cls, errors.LscbError):
            if issubclass(cls, errors.DataError):
                yield cls("sections/x.yml", "block 2", "a count", "'tbc'")
            elif cls is errors.DataErrors:
                yield cls([errors.DataError("budget.csv", "row 3", "an amount", "'tbc'")])
            else:
                yield cls(f"{name}: something went wrong")


@pytest.mark.parametrize("error", list(_examples()), ids=lambda e: type(e).__name__)
def test_every_error_survives_pickling_with_its_message(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)


def test_render_all_in_processes_reports_a_data_error_as_one_message(boards, tmp_path, capsys):
    from core.cli import main
    boards.make("goodshire")
    boards.make("badshire", files={"sections/learning.training.yml": "kind: training\nblocks:\n  - facts: [{value: \"tbc\", label: trained}]\n"},
                chapters={"01-learning.qmd": ("1 Learning", "")})
    base = boards.root / "badshire" / "data" / "2014-15"
    (base / "budget.csv").write_text("part,line,amount,kind,note\nIncome,Council,tbc,line,\n", encoding="utf-8")
    (base / "sections" / "governance.budget.yml").write_text("kind: budget\nblocks:\n  - budget: budget.csv\n",
                                                             encoding="utf-8")
    (boards.root / "badshire" / "2014-15" / "01-learning.qmd").write_text(
        (boards.root / "goodshire" / "2014-15" / "01-governance.qmd").read_text().replace("goodshire", "badshire"))
    code = main(["render", "--all", "--out", str(tmp_path / "out"), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert "budget.csv" in err and "tbc" in err and "Traceback" not in err and "BrokenProcessPool" not in err


@pytest.mark.parametrize("command", [["list"], ["plugins", "coventry"]])   # little output, and more
def test_a_reader_that_stops_early_gets_no_error_message(command):
    """`lscb plugins coventry | head -1`: the pipe closes early; lscb stops quietly, as Unix tools do."""
    import os
    import subprocess
    import sys
    read_end, write_end = os.pipe()
    os.close(read_end)                       # the reader has already gone
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}   # output buffered, as usual
        done = subprocess.run([sys.executable, "-m", "core.cli", *command], stdout=write_end,
                              stderr=subprocess.PIPE, timeout=120, env=env)
    finally:
        os.close(write_end)
    err = done.stderr.decode()
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""
    assert done.returncode == 141
