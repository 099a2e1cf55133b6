"""Engine rules for blocks (issue 12): blocks keep the promises a reader takes from them."""
from __future__ import annotations

import pytest

from core.blocks import Fact
from core.data import DataError
from core.engine import Engine
from core.figures import is_figure


def _facts_file(*values: str) -> dict:
    rows = "".join(f"      - {{value: \"{v}\", label: label {i}}}\n" for i, v in enumerate(values, 1))
    return {"sections/learning.training.yml":
            "kind: training\nblocks:\n  - text: Training.\n  - facts:\n" + rows}


# --- key figures hold figures -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "1,234", "37", "2267", "£207,946", "£207 946", "£1.2m", "71%", "4.5 %", "52.3", "52.3 per 10,000",
    "1st", "11th", "11 out of 119", "12 of the 13", "5/7", "+12%", "-3", "−3", "<5", "> 90%", "~40",
    "over 100", "Around 100", "[c]", "12 [p]", "81 (13.3%)", "30 to 40%", "5 days", "1 in 20"])
def test_figures_in_numerals_are_figures(value):
    assert is_figure(value)


@pytest.mark.parametrize("value", [
    "July 3 2014", "27th March 2013", "six lowest", "twelve", "No", "Amy Weir MA MBA", "two years and two months",
    "Eight out of twelve", '"good"', "10, 547", "7% (12 referrals)", "", "12%%", "35-point"])
def test_names_dates_and_words_are_not_figures(value):
    assert not is_figure(value)


def test_a_fact_that_is_not_a_figure_is_refused_on_load(boards):
    boards.make(files=_facts_file("1,918", "July 3 2014"))
    with pytest.raises(DataError) as err:
        Engine.open("testshire").section("2014-15", "learning.training")
    msg = str(err.value)
    assert "boards/testshire/data/2014-15/sections/learning.training.yml" in msg
    assert "blocks[2] (facts): facts[2].value" in msg          # the block position and the fact
    assert "a figure written in numerals" in msg               # what was expected
    assert "'July 3 2014' (a date), labelled 'label 2'" in msg  # what was found
    assert "Traceback" not in msg


def test_number_words_in_a_priority_fact_are_refused_naming_the_priority(boards):
    files = {"priorities.yml": "priorities:\n  - number: '1'\n    title: Early help\n"
                               "    facts: [{value: six lowest, label: areas}]\n",
             "sections/priorities.priorities.yml": "kind: priorities\nblocks:\n  - priorities: priorities.yml\n"}
    boards.make(files=files, chapters={"01-p.qmd": ("1 Priorities", "")})
    with pytest.raises(DataError) as err:
        Engine.open("testshire").section("2014-15", "priorities.priorities")
    assert "priorities.yml" in str(err.value) and "priorities[1].facts[1].value" in str(err.value)
    assert "'six lowest' (number words)" in str(err.value)


def test_a_fact_built_in_code_keeps_the_rule():
    assert Fact("1,918", "professionals trained").value == "1,918"
    with pytest.raises(ValueError, match="Chris Hallett"):
        Fact("Chris Hallett", "chair")
