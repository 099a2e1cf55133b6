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


# --- table footnotes with markers ---------------------------------------------------------------------

TABLE_CSV = "Category,2013/14,2014/15\nNeglect,120,130\nPhysical,40,45\nTotal,160,175\n"


def _table_board(boards, notes_yaml: str):
    files = {"tables/plans.csv": TABLE_CSV,
             "sections/demographics.context.yml": "kind: context\nblocks:\n  - table: plans\n"
                                                  "    caption: Children on plans\n    notes:\n" + notes_yaml}
    boards.make(files=files, chapters={"01-c.qmd": ("1 Context", "")})
    return Engine.open("testshire").section("2014-15", "demographics.context")


NOTES = ("      - Figures as at 31 March.\n"
         "      - {text: Includes two unborn children., row: Neglect}\n"
         "      - {text: Provisional., column: '2014/15'}\n"
         "      - {text: Revised in May., row: Physical, column: '2013/14'}\n")


def test_note_markers_point_at_their_row_column_and_cell_in_html(boards):
    html = _table_board(boards, NOTES).blocks[0].html()
    import re
    table_id = re.search(r'<table id="([^"]+)"', html).group(1)

    def ref(m):
        return f'<sup class="note-ref"><a href="#{table_id}-note-{m}" aria-label="Note {m}">{m}</a></sup>'
    assert f'<th scope="row">Neglect{ref("a")}</th>' in html                     # the row header
    assert f'<th scope="col" class="num">2014/15{ref("b")}</th>' in html          # the column header
    assert f'<th scope="row">Physical</th><td class="num">40{ref("c")}</td>' in html  # the cell
    assert f'<p class="table-note" id="{table_id}-note-a"><sup class="note-marker">a</sup> Includes two' in html
    assert f'id="{table_id}-note-c"><sup class="note-marker">c</sup> Revised in May.' in html
    assert '<p class="table-note">Note: Figures as at 31 March.</p>' in html      # a plain note: no marker
    assert html.count('class="note-ref"') == 3


def test_note_markers_in_markdown(boards):
    md = _table_board(boards, NOTES).blocks[0].markdown()
    assert "| Neglect^a^ | 120 | 130 |" in md
    assert "| Category | 2013/14 | 2014/15^b^ |" in md
    assert "| Physical | 40^c^ | 45 |" in md
    assert "^a^ Includes two unborn children." in md and "^c^ Revised in May." in md
    assert "Note: Figures as at 31 March." in md


def test_a_note_on_a_missing_row_names_the_rows_the_table_has(boards):
    with pytest.raises(DataError) as err:
        _table_board(boards, "      - {text: x, row: Emotional}\n")
    msg = str(err.value)
    assert "sections/demographics.context.yml" in msg and "blocks[1] (table): table plans: notes[1].row" in msg
    assert "['Neglect', 'Physical', 'Total']" in msg and "'Emotional', which is not a row" in msg


def test_a_note_on_a_missing_column_names_the_columns(boards):
    with pytest.raises(DataError) as err:
        _table_board(boards, "      - {text: x, column: '2015/16'}\n")
    assert "notes[1].column" in str(err.value) and "['Category', '2013/14', '2014/15']" in str(err.value)


def test_a_note_mapping_needs_a_text_and_a_target(boards):
    with pytest.raises(DataError, match=r"notes\[1\].*row and/or column"):
        _table_board(boards, "      - {text: x}\n")
