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


# --- errors by kind: data, a plugin's bug, an engine bug ------------------------------------------------------

BUGGY_HOOK = '''from core import hookimpl


@hookimpl
def lscb_governance(ctx):
    return [{"chair": 1}[ctx.name]]
'''

BUGGY_BUILDER = '''from core import hookimpl


def mash_blocks(ctx, spec):
    return [spec["mash"]["contacts"]]


@hookimpl
def lscb_register_block_types(register):
    register("mash", mash_blocks, ())
'''

BUGGY_LIBRARY_CALL = '''import pandas as pd

from core import hookimpl


@hookimpl
def lscb_governance(ctx):
    pd.DataFrame({"a": [1]}).loc[:, "no such column"]
'''


def _lscb(argv, capsys) -> tuple[int, str]:
    from core.cli import main
    code = main(argv)
    return code, capsys.readouterr().err


def test_a_data_problem_is_a_data_error_naming_file_and_row(boards, tmp_path, capsys):
    boards.make(files={"sections/learning.training.yml":
                       'kind: training\nblocks:\n  - text: "Training."\n  - facts: [{value: "tbc", label: trained}]\n'})
    code, err = _lscb(["render", "testshire", "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "sections/learning.training.yml" in err and "blocks[2]" in err and "'tbc'" in err
    assert "Traceback" not in err and "plugin" not in err


def test_a_plugin_hook_that_raises_is_a_plugin_error_naming_plugin_hook_and_line(boards, tmp_path, capsys):
    boards.make(plugins={"buggy.py": BUGGY_HOOK})
    code, err = _lscb(["render", "testshire", "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "plugin board:testshire/buggy" in err and "plugins/buggy.py:6" in err
    assert "KeyError" in err and "hook lscb_governance" in err and "section 'governance.budget'" in err
    assert "Traceback" not in err and "can read" not in err and "please report" not in err


def test_a_block_builder_that_raises_is_a_plugin_error_not_bad_data(boards, tmp_path, capsys):
    boards.make(plugins={"mash.py": BUGGY_BUILDER},
                files={"sections/governance.budget.yml": "kind: budget\nblocks:\n  - mash: {referrals: 5}\n"})
    code, err = _lscb(["render", "testshire", "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "plugin board:testshire/mash" in err and "plugins/mash.py:5" in err and "KeyError: 'contacts'" in err
    assert "block type 'mash'" in err and "sections/governance.budget.yml, blocks[1]" in err
    assert "Traceback" not in err and "can read" not in err


def test_a_plugin_bug_inside_a_library_call_names_the_plugin_line_not_the_library(boards):
    from core.engine import Engine
    boards.make(plugins={"lib.py": BUGGY_LIBRARY_CALL})
    with pytest.raises(errors.PluginError) as caught:
        Engine.open("testshire").section("2014-15", "governance.budget")
    message = str(caught.value)
    assert "plugins/lib.py:8" in message and "KeyError" in message and "pandas" not in message


def test_an_engine_bug_is_a_traceback_asking_for_a_bug_report(boards, tmp_path, capsys, monkeypatch):
    import core.engine
    boards.make()
    # a core bug: the engine looks up a hook that does not exist
    monkeypatch.setitem(core.engine.FAMILY_HOOKS, "governance", "lscb_governence")
    code, err = _lscb(["render", "testshire", "--out", str(tmp_path / "out")], capsys)
    assert code == 70
    assert "Traceback" in err and "core/engine.py" in err and "AttributeError" in err
    assert "bug in the lscb engine" in err and "please report it" in err
    assert "expected" not in err.split("Traceback")[0]          # not dressed up as a data or plugin error
