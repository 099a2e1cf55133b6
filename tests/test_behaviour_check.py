"""`lscb check`: each check fed the value that must trigger it, and the exact outcome asserted.

Every test copies the small board in ``tests/bad_inputs/mini`` into a temporary boards folder, changes one
value, runs ``lscb check mini`` in-process and asserts the exit code and the warning or error text. A value
just inside each tolerance gives no warning, so a loosened or tightened threshold fails a test too.
Exit codes: 0 sound, 1 data errors, 2 a *must* requirement missing, 3 a draft (tests/README.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import lscb

D = "data/2013-14/"
LABEL = "boards/mini/data/2013-14/"

# Sections whose kinds meet the WT2013 *must* requirements the mini board lacks (plugins' SectionType
# registrations): with them the board is sound and `lscb check` exits 0.
MUSTS = {
    "governance.foreword": ("foreword", "CA04-14A"),
    "governance.structure": ("structure", "CA04-14"),
    "governance.policy": ("policy", "LSCBR-5a"),
    "partners.police": ("partner", "LSCBR-5c"),
    "learning.child-deaths": ("child-deaths", "LSCBR-6"),
}


def edit(board: Path, rel: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) in the board file ``rel``."""
    p = board / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"fixture {rel} no longer holds {old!r}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_sound(board: Path) -> None:
    """Add a chapter whose sections meet every *must* requirement of WT2013."""
    cells = []
    for section, (kind, _) in MUSTS.items():
        (board / D / "sections" / f"{section}.yml").write_text(
            f"kind: {kind}\nblocks:\n  - text: Our own words about {kind}.\n", encoding="utf-8")
        cells.append(f"## {kind}\n\n```{{python}}\n#| echo: false\nboard.section(\"{section}\")\n```\n")
    opening = (board / "2013-14" / "02-governance.qmd").read_text(encoding="utf-8").split("## 2.1")[0]
    (board / "2013-14" / "03-musts.qmd").write_text(
        opening.replace("2 Governance", "3 Arrangements") + "\n".join(cells), encoding="utf-8")
    edit(board, "2013-14/_quarto.yml", "    - 02-governance.qmd\n", "    - 02-governance.qmd\n    - 03-musts.qmd\n")


def check(capsys) -> tuple[int, str]:
    code, out, err = lscb(["check", "mini"], capsys)
    assert "Traceback" not in out + err
    return code, out + err


def warnings_of(text: str) -> list[str]:
    return [line.strip()[len("warning "):] for line in text.splitlines() if line.strip().startswith("warning ")]


# --- exit codes ---------------------------------------------------------------------------------------------

def test_a_sound_board_exits_0_and_prints_no_warning(mini, capsys):
    make_sound(mini)
    code, text = check(capsys)
    assert code == 0, text
    assert "data: 0 error(s), 0 warning(s)" in text
    assert "MISSING" not in [w for line in text.splitlines() if " must " in line for w in line.split()]
    assert "missing must requirement" not in text


def test_a_missing_must_requirement_exits_2_and_names_it(mini, capsys):
    make_sound(mini)
    (mini / D / "sections" / "learning.child-deaths.yml").unlink()
    edit(mini, "2013-14/03-musts.qmd", 'board.section("learning.child-deaths")', "None")
    code, text = check(capsys)
    assert code == 2, text
    assert "missing must requirement(s): LSCBR-6\n" in text
    assert [line.split()[:3] for line in text.splitlines() if line.strip().startswith("LSCBR-6 ")] == \
        [["LSCBR-6", "must", "MISSING"]]


def test_an_empty_section_does_not_meet_a_requirement(mini, capsys):
    """A section with no blocks is in the report but says nothing: it meets no requirement."""
    make_sound(mini)
    (mini / D / "sections" / "learning.child-deaths.yml").write_text("kind: child-deaths\nblocks: []\n",
                                                                     encoding="utf-8")
    code, text = check(capsys)
    assert code == 2, text
    assert "missing must requirement(s): LSCBR-6\n" in text


def test_a_non_empty_section_meets_its_requirements(mini, capsys):
    make_sound(mini)
    code, text = check(capsys)
    line = next(line for line in text.splitlines() if line.strip().startswith("LSCBR-6 "))
    assert "03-musts.qmd learning.child-deaths" in line


def test_a_data_error_exits_1_and_names_file_row_and_value(mini, capsys):
    make_sound(mini)
    edit(mini, D + "attendance.csv", "Services,5,7", "Services,five,7")
    code, text = check(capsys)
    assert code == 1, text
    assert LABEL + "attendance.csv" in text and "'five'" in text
    assert "coverage: not computed until the data errors are fixed" in text


def test_the_unsound_mini_board_exits_2_not_0(mini, capsys):
    code, text = check(capsys)
    assert code == 2, text
    assert "missing must requirement(s): CA04-14, CA04-14A, LSCBR-5a, LSCBR-5c, LSCBR-5d, LSCBR-6, WT13-01" in text


def test_a_draft_exits_3(mini, capsys):
    from plugins.contracts import TO_FILL
    make_sound(mini)
    edit(mini, D + "attendance.csv", "Services,5,7,71%", f"Services,{TO_FILL},7,")
    code, text = check(capsys)
    assert code == 3, text
    assert "draft: 1 figure to fill in 1 file" in text


def test_data_errors_win_over_a_missing_requirement(mini, capsys):
    edit(mini, D + "budget.csv", '"14,677"', "lots")
    code, text = check(capsys)
    assert code == 1, text


# --- attendance ---------------------------------------------------------------------------------------------

def test_attending_more_meetings_than_possible_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%')
    code, text = check(capsys)
    assert code == 0, text
    assert LABEL + "attendance.csv: Independent Chair, LSCB attendance: attended 8 of only 7 meetings" \
        in warnings_of(text)


@pytest.mark.parametrize("attended,possible,percent", [("7", "7", "100%"), ("0", "7", "0%"), ("6", "7", "86%")])
def test_attending_at_most_the_meetings_possible_is_quiet(mini, capsys, attended, possible, percent):
    make_sound(mini)
    edit(mini, D + "attendance.csv", 'LSCB",7,7,100%', f'LSCB",{attended},{possible},{percent}')
    code, text = check(capsys)
    assert (code, warnings_of(text)) == (0, []), text


def test_an_attendance_percentage_off_by_more_than_one_point_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "attendance.csv", "5,7,71%", "5,7,73%")    # 5/7 is 71%
    code, text = check(capsys)
    assert warnings_of(text) == [LABEL + "attendance.csv: Director of Children's Services attendance: "
                                 "5/7 is 71% but 73% is printed"]


def test_an_attendance_percentage_off_by_one_point_is_quiet(mini, capsys):
    make_sound(mini)
    edit(mini, D + "attendance.csv", "5,7,71%", "5,7,72%")
    assert warnings_of(check(capsys)[1]) == []


# --- budget ---------------------------------------------------------------------------------------------------

def test_a_budget_total_off_by_just_over_the_tolerance_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "budget.csv", '"14,677"', '"14,677.6"')        # lines 155,875.6; total 155,875
    code, text = check(capsys)
    assert code == 0
    assert warnings_of(text) == [LABEL + "budget.csv: Income: Total income: "
                                 "the lines add up to 155,875.6 but 155,875 is printed"]


def test_a_budget_total_off_by_just_under_the_tolerance_is_quiet(mini, capsys):
    make_sound(mini)
    edit(mini, D + "budget.csv", '"14,677"', '"14,677.4"')
    assert warnings_of(check(capsys)[1]) == []


def test_a_budget_total_off_by_a_few_pounds_warns(mini, capsys):
    """Between the tolerance and ten times it (a tolerance raised tenfold would hide it)."""
    make_sound(mini)
    edit(mini, D + "budget.csv", '"155,875"', '"155,872"')
    assert warnings_of(check(capsys)[1]) == [LABEL + "budget.csv: Income: Total income: "
                                             "the lines add up to 155,875 but 155,872 is printed"]


# --- printed tables -----------------------------------------------------------------------------------------

def test_a_table_no_section_shows_warns(mini, capsys):
    make_sound(mini)
    (mini / D / "tables" / "orphan.csv").write_text("Area,Count\nNorth,1\n", encoding="utf-8")
    code, text = check(capsys)
    assert code == 0
    assert warnings_of(text) == [LABEL + "tables/orphan.csv: table: not shown by any section"]


def test_a_table_total_that_does_not_add_up_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "  - table: categories\n",
         "  - table: categories\n    checks: {total_row: Total}\n")
    edit(mini, D + "tables/categories.csv", "Total,165", "Total,166")
    assert warnings_of(check(capsys)[1]) == [LABEL + "tables/categories.csv: Count total: "
                                             "the rows add up to 165 but the printed total is 166"]


def test_a_table_total_that_adds_up_is_quiet(mini, capsys):
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "  - table: categories\n",
         "  - table: categories\n    checks: {total_row: Total}\n")
    assert warnings_of(check(capsys)[1]) == []


def test_a_declared_totals_row_that_is_missing_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "  - table: categories\n",
         "  - table: categories\n    checks: {total_row: All children}\n")
    assert warnings_of(check(capsys)[1]) == [LABEL + "tables/categories.csv: row 'All children': "
                                             "declared as the totals row but not found"]


@pytest.mark.parametrize("printed,warns", [("72.7%", False), ("72.8%", True), ("72.6%", True), ("73%", False),
                                           ("74%", True)])
def test_a_percentage_column_is_checked_against_its_count(mini, capsys, printed, warns):
    """120 of 165 is 72.7% (to the places printed); one unit off in the last place warns."""
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "  - table: categories\n",
         "  - table: categories\n    checks: {total_row: Total, percent_of: {count: Count, percent: Share}}\n")
    (mini / D / "tables" / "categories.csv").write_text(
        f"Category,Count,Share\nNeglect,120,{printed}\nEmotional abuse,45,27.3%\nTotal,165,100%\n", encoding="utf-8")
    found = warnings_of(check(capsys)[1])
    expected = "72.7" if "." in printed else "73"
    assert found == ([LABEL + f"tables/categories.csv: Neglect percentage: 120 of 165 is {expected}% but "
                      f"{printed} is printed"] if warns else []), found


def test_a_printed_percentage_is_rounded_half_up(mini, capsys):
    """1 of 8 is 12.5%: printed 13% (half up, as official statistics round) is right; 12% is not."""
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "  - table: categories\n",
         "  - table: categories\n    checks: {percent_of: {count: Count, percent: Share}}\n")
    (mini / D / "tables" / "categories.csv").write_text(
        "Category,Count,Share\nNeglect,1,13%\nEmotional abuse,7,88%\n", encoding="utf-8")
    assert warnings_of(check(capsys)[1]) == []
    (mini / D / "tables" / "categories.csv").write_text(
        "Category,Count,Share\nNeglect,1,12%\nEmotional abuse,7,88%\n", encoding="utf-8")
    assert warnings_of(check(capsys)[1]) == [LABEL + "tables/categories.csv: Neglect percentage: "
                                             "1 of 8 is 13% but 12% is printed"]


# --- declared checks (consistency.yml) -------------------------------------------------------------------------

def declare(board: Path, body: str) -> None:
    (board / D / "consistency.yml").write_text("checks:\n" + body, encoding="utf-8")


@pytest.mark.parametrize("value,warns", [("38.5%", False), ("38.6%", True), ("38.4%", True)])
def test_a_declared_percent(mini, capsys, value, warns):
    """845 of 2,197 is 38.46...%: 38.5% to one place."""
    make_sound(mini)
    edit(mini, D + "indicators.csv", "activity,Referrals,2013/14,2013-14,Mini,845,count,,",
         f"activity,Referrals,2013/14,2013-14,Mini,845,count,,{value} of contacts")
    declare(mini, f'  - figure: Referrals as a share of contacts\n    percent: {{count: "845", of: "2,197", '
                  f'value: "{value}", in: indicators.csv}}\n')
    code, text = check(capsys)
    assert code == 0, text
    assert warnings_of(text) == ([LABEL + f"indicators.csv: Referrals as a share of contacts: 845 of 2,197 is "
                                  f"38.5% but {value} is printed"] if warns else [])


@pytest.mark.parametrize("total,warns", [("165", False), ("166", True), ("164", True)])
def test_a_declared_sum(mini, capsys, total, warns):
    make_sound(mini)
    edit(mini, D + "tables/categories.csv", "Total,165", f"Total,{total}")
    declare(mini, f'  - figure: Children on plans\n    sum: {{parts: ["120", "45"], total: "{total}", '
                  f'in: tables/categories.csv}}\n')
    assert warnings_of(check(capsys)[1]) == (
        [LABEL + f"tables/categories.csv: Children on plans: 120 + 45 = 165 but the total printed is {total}"]
        if warns else [])


@pytest.mark.parametrize("value,warns", [("3,846.2", False), ("3,846.3", True)])
def test_a_declared_rate(mini, capsys, value, warns):
    """845 per 2,197 is 3,846.15 per 10,000: 3,846.2 to one place."""
    make_sound(mini)
    edit(mini, D + "indicators.csv", "activity,Referrals,2013/14,2013-14,Mini,845,count,,",
         f'activity,Referrals,2013/14,2013-14,Mini,845,count,,"rate {value}"')
    declare(mini, f'  - figure: Referral rate\n    rate: {{count: "845", population: "2,197", value: "{value}", '
                  f'in: indicators.csv}}\n')
    assert warnings_of(check(capsys)[1]) == (
        [LABEL + f"indicators.csv: Referral rate: 845 per 2,197 is 3846.2 per 10,000 but {value} is printed"]
        if warns else [])


@pytest.mark.parametrize("other,warns", [("845", False), ("846", True)])
def test_a_declared_same_figure(mini, capsys, other, warns):
    make_sound(mini)
    (mini / D / "tables" / "referrals.csv").write_text(f"Measure,Count\nReferrals,{other}\n", encoding="utf-8")
    edit(mini, D + "sections/demographics.context.yml", "  - indicators: activity\n",
         "  - table: referrals\n  - indicators: activity\n")
    declare(mini, f'  - figure: Referrals\n    same:\n      - {{value: "845", in: indicators.csv}}\n'
                  f'      - {{value: "{other}", in: tables/referrals.csv}}\n')
    assert warnings_of(check(capsys)[1]) == (
        [LABEL + f"indicators.csv: Referrals: printed differently: 845 in {LABEL}indicators.csv; "
                 f"{other} in {LABEL}tables/referrals.csv"] if warns else [])


def test_a_declared_percent_of_zero_is_a_data_error_not_a_traceback(mini, capsys):
    make_sound(mini)
    edit(mini, D + "indicators.csv", "Mini,845,count,,", "Mini,845,count,,0 and 5%")
    declare(mini, '  - figure: Share\n    percent: {count: "845", of: "0", value: "5%", in: indicators.csv}\n')
    code, text = check(capsys)
    assert code == 1, text
    assert LABEL + "consistency.yml" in text and "checks[1]" in text


def test_a_declared_figure_not_in_its_file_is_a_data_error(mini, capsys):
    make_sound(mini)
    declare(mini, '  - figure: Referrals\n    same:\n      - {value: "845", in: indicators.csv}\n'
                  '      - {value: "999", in: tables/categories.csv}\n')
    code, text = check(capsys)
    assert code == 1, text
    assert "the figure 999 printed in tables/categories.csv" in text and "it is not there" in text


# --- indicators printed twice ----------------------------------------------------------------------------------

def test_one_indicator_printed_differently_in_two_tables_warns(mini, capsys):
    make_sound(mini)
    p = mini / D / "indicators.csv"
    p.write_text(p.read_text(encoding="utf-8") + "summary,Referrals,2013/14,2013-14,Mini,846,count,,\n",
                 encoding="utf-8")
    found = warnings_of(check(capsys)[1])
    assert found == [LABEL + "indicators.csv: Referrals, 2013/14 (Mini, 2013-14): printed differently: "
                     "845 in table activity, 846 in table summary"]


def test_one_indicator_printed_alike_in_two_tables_is_quiet(mini, capsys):
    make_sound(mini)
    p = mini / D / "indicators.csv"
    p.write_text(p.read_text(encoding="utf-8") + "summary,Referrals,2013/14,2013-14,Mini,845,count,,\n",
                 encoding="utf-8")
    assert warnings_of(check(capsys)[1]) == []


# --- options and key figures -----------------------------------------------------------------------------------

def test_an_unknown_option_is_a_data_error_naming_the_nearest(mini, capsys):
    edit(mini, "board.yml", "  disclosure: as-published", "  disclosure: as-published\n  disclsure: dfe")
    code, text = check(capsys)
    assert code == 1, text
    assert "boards/mini/board.yml" in text and "key options.disclsure" in text and "did you mean 'disclosure'?" in text


def test_an_option_of_the_wrong_value_is_a_data_error(mini, capsys):
    edit(mini, "board.yml", "  disclosure: as-published", "  disclosure: secret")
    code, text = check(capsys)
    assert code == 1, text
    assert "key options.disclosure" in text and "'secret'" in text


@pytest.mark.parametrize("value,ok", [("1,918", True), ("71%", True), ("5/7", True), ("<5", True), ("[c]", True),
                                      ("July 3 2014", False), ("twelve", False), ("Ofsted", False)])
def test_the_key_figure_rule(mini, capsys, value, ok):
    edit(mini, D + "sections/demographics.context.yml", 'value: "1,918"', f'value: "{value}"')
    code, text = check(capsys)
    if ok:
        assert code == 2 and "data: 0 error(s)" in text, text
    else:
        assert code == 1, text
        assert LABEL + "sections/demographics.context.yml" in text and repr(value) in text


# --- priorities, charts and chapters -----------------------------------------------------------------------------

def test_a_priority_without_a_measured_impact_warns(mini, capsys):
    make_sound(mini)
    p = mini / D / "priorities.yml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text[:text.index("    impact:")], encoding="utf-8")
    assert warnings_of(check(capsys)[1]) == [
        LABEL + "priorities.yml: priorities[1] (Early help): no measured impact: name an indicator with a baseline "
                "or a target (impact:), as the national reviews of these reports ask"]


def test_a_chart_caption_promising_what_is_not_drawn_warns(mini, capsys):
    make_sound(mini)
    edit(mini, D + "sections/demographics.context.yml", "title: Children on plans by category",
         "title: Children on plans by age group")
    found = warnings_of(check(capsys)[1])
    assert len(found) == 1 and found[0].startswith(LABEL + "sections/demographics.context.yml: chart "
                                                   "'Children on plans by age group': the caption says 'by age group'"), found


@pytest.mark.parametrize("old,new,fragments", [
    ("#| tags: [parameters]\n", "", ["01-context.qmd, line", "parameters"]),
    ('year = "2013-14"', 'year = "2012-13"', ["01-context.qmd, line 9", "'2013-14'", "'2012-13'"]),
    ("board.section(\"priorities.2013-14\")\n```", "board.section(\"priorities.2013-14\")\n",
     ["01-context.qmd, line", "never closed"]),
], ids=["first-cell-not-parameters", "another-year", "fence-never-closed"])
def test_a_chapter_that_would_render_wrongly_is_a_data_error(mini, capsys, old, new, fragments):
    make_sound(mini)
    edit(mini, "2013-14/01-context.qmd", old, new)
    code, text = check(capsys)
    assert code == 1, text
    for fragment in fragments:
        assert fragment in text, (fragment, text)


def test_a_section_no_plugin_provides_is_an_error_exit_1(mini, capsys):
    """A chapter asking for a section nobody builds stops the check of that year: exit 1, not 2."""
    make_sound(mini)
    edit(mini, "2013-14/03-musts.qmd", 'board.section("learning.child-deaths")', 'board.section("learning.nope")')
    code, text = check(capsys)
    assert code == 1, text
    assert "mini 2013-14" in text and "'learning.nope'" in text


def test_the_worst_year_decides_the_exit_code(mini, capsys):
    """Two years: the first missing a must requirement (2), the second sound (0): lscb check exits 2."""
    import shutil
    make_sound(mini)
    shutil.copytree(mini / "data" / "2013-14", mini / "data" / "2014-15")
    shutil.copytree(mini / "2013-14", mini / "2014-15")
    for qmd in (mini / "2014-15").glob("*.qmd"):
        qmd.write_text(qmd.read_text(encoding="utf-8").replace('year = "2013-14"', 'year = "2014-15"'),
                       encoding="utf-8")
    (mini / "data" / "2013-14" / "sections" / "learning.child-deaths.yml").write_text(
        "kind: child-deaths\nblocks: []\n", encoding="utf-8")
    edit(mini, "board.yml", "options:", "  2014-15:\n    title: Annual Report 2014/2015\n    edition: WT2013\n"
                                        "    body: LSCB\noptions:")
    code, text = check(capsys)
    assert code == 2, text
    assert text.count("missing must requirement(s): LSCBR-6") == 1



@pytest.mark.parametrize("item", ["just a text", "{id: X-1, editions: [WT2013], force: must}"],
                         ids=["not-a-mapping", "keys-missing"])
def test_a_broken_requirements_registry_is_a_data_error(tmp_path, item):
    """The Working Together registry is data: an entry that is not a mapping, or lacks keys, is refused by
    name (requirements[1]), never a traceback."""
    from core.errors import DataError
    from plugins.requirements import load_registry
    registry = tmp_path / "working_together.yml"
    registry.write_text(f"requirements:\n  - {item}\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_registry(registry)
    assert "requirements[1]" in str(e.value) and "working_together.yml" in str(e.value)


@pytest.mark.parametrize("per", ['"-10000"', "10000.5", "true", '"ten thousand"'])
def test_a_declared_rate_per_that_is_not_a_whole_number_above_0_is_a_data_error(mini, capsys, per):
    make_sound(mini)
    edit(mini, D + "indicators.csv", "activity,Referrals,2013/14,2013-14,Mini,845,count,,",
         'activity,Referrals,2013/14,2013-14,Mini,845,count,,"rate 3,846.2"')
    declare(mini, f'  - figure: Referral rate\n    rate: {{count: "845", population: "2,197", value: "3,846.2", '
                  f'per: {per}, in: indicators.csv}}\n')
    code, text = check(capsys)
    assert code == 1, text
    assert "checks[1] (rate).per" in text
