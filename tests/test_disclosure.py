"""Disclosure control (plugins/disclosure.py): DfE suppression of small counts of children, as a pure
function over printed tables and end to end through a board's ``options: disclosure: dfe``."""
from __future__ import annotations

import textwrap
from decimal import Decimal

import pandas as pd
import pytest

from core.data import DataError
from plugins import disclosure
from plugins.blocks import Table
from plugins.contracts import Column, Contract
from plugins.disclosure import NOTE, Declaration, derived_figure, round_half_up, suppress

C = "[c]"


def table(rows: list[list[str]], columns: list[str], **kw) -> Table:
    return Table(pd.DataFrame(rows, columns=columns, dtype=object), caption="t", **kw)


def cells(t: Table) -> list[list[str]]:
    return [list(r) for r in t.frame.itertuples(index=False)]


def no_line_with_one_hidden(t: Table, count_cols: list[str], total_row: int | None, total_col: str | None):
    """The property secondary suppression guarantees: no total line has exactly one [c]."""
    f = t.frame
    if total_row is not None:
        for c in count_cols:
            assert sum(v == C for v in f[c]) != 1, f"column {c}: {list(f[c])}"
    if total_col:
        for r in range(len(f)):
            line = [f.iloc[r][c] for c in count_cols]
            assert sum(v == C for v in line) != 1, f"row {r}: {line}"


# --- the pure function --------------------------------------------------------------------------------

def test_primary_suppression_of_1_to_5_keeps_zero_and_larger_counts():
    t = table([["Neglect", "12"], ["Physical", "3"], ["Sexual", "0"], ["Emotional", "5"], ["Multiple", "6"],
               ["Other", "1"]], ["Category", "Children"])
    out = suppress(t, Declaration(counts=("Children",)))
    assert [r[1] for r in cells(out)] == ["12", C, "0", C, "6", C]
    assert out.footnotes == [NOTE]
    assert "[c] confidential" in NOTE and "1 to 5 children" in NOTE


def test_secondary_suppression_across_a_total_row():
    t = table([["Police", "3"], ["Schools", "12"], ["Health", "20"], ["Total", "35"]], ["Source", "Referrals"])
    out = suppress(t, Declaration(counts=("Referrals",), total_row="Total"))
    # 3 could be worked back as 35 - 12 - 20, so the next smallest (12) is hidden as well
    assert [r[1] for r in cells(out)] == [C, C, "20", "35"]


def test_a_row_labelled_total_is_taken_as_the_totals_row_when_none_is_declared():
    t = table([["A", "4"], ["B", "40"], ["Total", "44"]], ["Group", "n"])
    assert [r[1] for r in cells(suppress(t, Declaration(counts=("n",))))] == [C, C, "44"]


def test_secondary_suppression_across_a_total_column():
    t = table([["Under 5", "2", "9", "11"], ["5 to 9", "10", "12", "22"]], ["Age", "Boys", "Girls", "Total"])
    out = suppress(t, Declaration(counts=("Boys", "Girls")))     # "Total" column found by its name
    assert cells(out) == [["Under 5", C, C, "11"], ["5 to 9", "10", "12", "22"]]
    no_line_with_one_hidden(out, ["Boys", "Girls", "Total"], None, "Total")


def test_declared_total_column_and_row_iterate_until_stable():
    t = table([["X", "2", "10", "12"], ["Y", "8", "20", "28"], ["All", "10", "30", "40"]],
              ["Area", "A", "B", "Sum"])
    out = suppress(t, Declaration(counts=("A", "B"), total_row="All", total_column="Sum"))
    # 2 -> column A hides 8, row X hides 10, row Y then hides 20; totals stay
    assert cells(out) == [["X", C, C, "12"], ["Y", C, C, "28"], ["All", "10", "30", "40"]]
    no_line_with_one_hidden(out, ["A", "B", "Sum"], 2, "Sum")


def test_a_small_total_is_hidden_and_its_line_protected():
    t = table([["A", "3", "0"], ["B", "0", "0"], ["Total", "3", "0"]], ["Group", "n", "m"])
    out = suppress(t, Declaration(counts=("n", "m"), total_row="Total"))
    assert cells(out) == [["A", C, "0"], ["B", "0", "0"], ["Total", C, "0"]]


def test_percentages_and_rates_derived_from_a_hidden_count_are_hidden():
    t = table([["Physical", "3", "7.9%", "1.2"], ["Neglect", "35", "92.1%", "14.0"], ["Total", "38", "100%", "15.2"]],
              ["Category", "#", "%", "Rate per 10,000"])
    out = suppress(t, Declaration(counts=("#",), derived={"%": "#", "Rate per 10,000": "#"}, total_row="Total"))
    assert cells(out) == [["Physical", C, C, C], ["Neglect", C, C, C], ["Total", "38", "100%", "15.2"]]


def test_true_zero_stays_zero_and_is_never_the_secondary_cell():
    t = table([["A", "0"], ["B", "4"], ["C", "30"], ["Total", "34"]], ["Group", "n"])
    out = suppress(t, Declaration(counts=("n",), total_row="Total"))
    assert [r[1] for r in cells(out)] == ["0", C, C, "34"]


def test_nothing_suppressed_means_no_footnote_and_the_same_cells():
    t = table([["A", "6", "0"], ["B", "40", "12"]], ["Group", "n", "Other"], notes=["As printed."])
    out = suppress(t, Declaration(counts=("n",)))
    assert out.frame.equals(t.frame)
    assert out.footnotes == [] and out.notes == ["As printed."]


def test_only_declared_columns_are_touched_and_the_input_is_not_changed():
    t = table([["A", "3", "3"], ["B", "40", "4"]], ["Group", "Children", "Meetings"])
    before = t.frame.copy()
    out = suppress(t, Declaration(counts=("Children",)))
    assert cells(out) == [["A", C, "3"], ["B", "40", "4"]]
    assert t.frame.equals(before) and t.footnotes == []


def test_printed_forms_of_counts():
    t = table([["A", "1,204"], ["B", "4*"], ["C", "<5"], ["D", "Not published"], ["E", ""], ["F", "c"]],
              ["Group", "n"])
    out = suppress(t, Declaration(counts=("n",)))
    assert [r[1] for r in cells(out)] == ["1,204", C, "<5", "Not published", "", C]


def test_suppression_is_idempotent():
    t = table([["A", "2", "5%"], ["B", "38", "95%"], ["Total", "40", "100%"]], ["Group", "n", "%"])
    decl = Declaration(counts=("n",), derived={"%": "n"}, total_row="Total")
    once = suppress(t, decl)
    twice = suppress(once, decl)
    assert twice.frame.equals(once.frame) and twice.footnotes == [NOTE]


def test_cell_level_declaration_for_indicators():
    t = table([["Leicester", "125", "34%", "79,000"], ["Rutland", "4", "1%", "8,000"], ["LLR", "129", "100%", ""]],
              ["Area", "Children identified", "Share", "Population"])
    decl = Declaration(total_row="LLR", cells=frozenset({(0, "Children identified"), (1, "Children identified"),
                                                         (2, "Children identified")}),
                       derived_cells={(0, "Share"): ((0, "Children identified"),),
                                      (1, "Share"): ((1, "Children identified"),)})
    out = suppress(t, decl)
    assert cells(out) == [["Leicester", C, C, "79,000"], ["Rutland", C, C, "8,000"], ["LLR", "129", "100%", ""]]


def test_declaration_from_a_typed_contract():
    contract = Contract("marac.csv", (Column("month"), Column("cases", "int", child_count=True),
                                      Column("meetings", "int")))
    decl = disclosure.declaration_from_contract(contract, total_row="Total")
    assert decl.counts == ("cases",) and decl.total_row == "Total"


def test_half_up_rounding_helper():
    assert round(2.5) == 2 and round_half_up(2.5) == Decimal(3)          # not banker's rounding
    assert round_half_up(0.125, 2) == Decimal("0.13")
    assert round_half_up(2.675, 2) == Decimal("2.68")                       # float 2.675 is 2.67499...
    assert round_half_up(-2.5) == Decimal(-3)                             # halves away from zero
    assert round_half_up("84.45", 1) == Decimal("84.5")
    assert derived_figure("3", "38") == "7.9"
    assert derived_figure("45", "90,000", per=10000, places=1) == "5.0"
    assert derived_figure(C, "38") == C and derived_figure("3", C) == C     # never from a hidden value


# --- end to end: a board in a temporary folder --------------------------------------------------------

LADO_CSV = textwrap.dedent("""\
    Category,#,%
    Physical,31,73.8%
    Sexual,4,9.5%
    Neglect,7,16.7%
    Total,42,100%
    """)
INDICATORS_CSV = textwrap.dedent("""\
    table,indicator,column,period,area,value,unit,source,note
    cse,Leicester City,Children identified,2014-15,Leicester,125,count,,
    cse,Leicester City,Share,2014-15,Leicester,34%,percent,,
    cse,Leicester City,Under-18 population,census,Leicester,"79,000",count,,
    cse,Leicestershire,Children identified,2014-15,Leicestershire,233,count,,
    cse,Leicestershire,Share,2014-15,Leicestershire,65%,percent,,
    cse,Leicestershire,Under-18 population,census,Leicestershire,"140,000",count,,
    cse,Rutland,Children identified,2014-15,Rutland,3,count,,
    cse,Rutland,Share,2014-15,Rutland,1%,percent,,
    cse,Rutland,Under-18 population,census,Rutland,"8,000",count,,
    cse,All areas,Children identified,2014-15,All,361,count,,
    """)
LADO_YML = textwrap.dedent("""\
    kind: lado
    blocks:
      - table: lado
        caption: Allegations by category
        children: {counts: ["#"], derived: {"%": "#"}}
        checks:
          total_row: Total
          percent_of: {count: "#", percent: "%"}
    """)
CSE_YML = textwrap.dedent("""\
    kind: indicators
    blocks:
      - indicators: cse
        caption: Children identified at risk of CSE
        children: true
        total_row: All areas
    """)


def make_board(boards, policy: str = "dfe", lado_yml: str = LADO_YML):
    from tests.conftest import cell
    yml = textwrap.dedent(f"""\
        name: Testshire Safeguarding Children Board
        area: Testshire
        years:
          2014-15:
            title: Annual Report 2014-15
        options:
          disclosure: {policy}
        """)
    files = {"tables/lado.csv": LADO_CSV, "sections/learning.lado.yml": lado_yml,
             "indicators.csv": INDICATORS_CSV, "sections/demographics.cse.yml": CSE_YML}
    chapters = {"01-data.qmd": ("1 Data", "## 1.1 LADO\n\n" + cell("learning.lado", "tbl-lado")
                                + "\n## 1.2 CSE\n\n" + cell("demographics.cse", "tbl-cse"))}
    return boards.make(board_yml=yml, files=files, chapters=chapters)


def section_tables(section: str):
    from core.notebook import open_board
    return [b for b in open_board("testshire", "2014-15").section(section).blocks if isinstance(b, Table)]


def test_dfe_board_shows_c_and_the_footnote_and_not_the_small_numbers(boards):
    make_board(boards, "dfe")
    (lado,) = section_tables("learning.lado")
    assert cells(lado) == [["Physical", "31", "73.8%"], ["Sexual", C, C], ["Neglect", C, C], ["Total", "42", "100%"]]
    assert lado.footnotes == [NOTE]
    (cse,) = section_tables("demographics.cse")
    assert cells(cse) == [["Leicester City", C, C, "79,000"], ["Leicestershire", "233", "65%", "140,000"],
                          ["Rutland", C, C, "8,000"], ["All areas", "361", "", ""]]
    assert NOTE in cse.footnotes
    html = lado.html() + cse.html()
    assert '<td class="num">[c]</td>' in html and "[c] confidential" in html
    for small in (">4<", ">7<", ">9.5%<", ">16.7%<", ">3<", ">1%<", ">125<"):
        assert small not in html


def test_dfe_board_renders_the_report_without_the_small_numbers(boards, tmp_path):
    from plugins.render.build import build_reports
    make_board(boards, "dfe")
    out = tmp_path / "out"
    build_reports([("testshire", "2014-15")], out, ["html"], single=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count(">[c]<") == 8 and "[c] confidential: a count of 1 to 5 children" in html
    assert ">9.5%<" not in html and ">4<" not in html and ">Rutland<" in html


def test_consistency_checks_run_on_the_figures_as_held_not_on_c(boards):
    from core.engine import Engine
    from plugins.checks.data import check_data
    make_board(boards, "dfe")
    errors, warnings = check_data(Engine.open("testshire"), "2014-15")
    assert errors == [] and warnings == []       # 31 + 4 + 7 = 42: no spurious "rows add up to 31"


def test_as_published_board_shows_the_printed_numbers(boards):
    make_board(boards, "as-published")
    (lado,) = section_tables("learning.lado")
    assert cells(lado) == [["Physical", "31", "73.8%"], ["Sexual", "4", "9.5%"], ["Neglect", "7", "16.7%"],
                           ["Total", "42", "100%"]]
    assert lado.footnotes == []
    (cse,) = section_tables("demographics.cse")
    assert cse.frame.iloc[2].tolist() == ["Rutland", "3", "1%", "8,000"] and cse.footnotes == []


def test_default_policy_is_as_published(boards):
    make_board(boards, "as-published")
    yml = boards.root / "testshire" / "board.yml"
    yml.write_text(yml.read_text().replace("options:\n  disclosure: as-published\n", ""))
    (lado,) = section_tables("learning.lado")
    assert lado.frame.iloc[1, 1] == "4"


def test_year_options_override_the_board_option(boards):
    make_board(boards, "as-published")
    yml = boards.root / "testshire" / "board.yml"
    yml.write_text(yml.read_text().replace("    title: Annual Report 2014-15\n",
                                           "    title: Annual Report 2014-15\n    options: {disclosure: dfe}\n"))
    (lado,) = section_tables("learning.lado")
    assert lado.frame.iloc[1, 1] == C


def test_unknown_policy_is_a_data_error_naming_board_yml(boards):
    make_board(boards, "suppress-all")
    with pytest.raises(DataError) as e:
        section_tables("learning.lado")
    assert e.value.file == "boards/testshire/board.yml"
    # checked when the board opens (plugins.options), so it names the choices as every option does
    assert "options.disclosure" in e.value.where and e.value.expected == "one of ['as-published', 'dfe']"
    assert "suppress-all" in str(e.value)


@pytest.mark.parametrize("children, where, found", [
    ('{counts: ["No."]}', "children.counts", "'No.'"),
    ('{counts: ["#"], derived: {"Percent": "#"}}', "children.derived", "'Percent'"),
    ('{counts: ["#"], derived: {"%": "Category"}}', "children.derived", "'Category'"),
    ('["#"]', "children", "['#']"),
])
def test_children_declaration_must_name_existing_columns(boards, children, where, found):
    make_board(boards, "as-published",
               LADO_YML.replace('children: {counts: ["#"], derived: {"%": "#"}}', f"children: {children}"))
    with pytest.raises(DataError) as e:
        section_tables("learning.lado")
    assert e.value.file == "boards/testshire/data/2014-15/sections/learning.lado.yml"
    assert where in e.value.where and found in e.value.found


def test_indicators_declaration_must_name_existing_indicators(boards):
    make_board(boards, "dfe")
    p = boards.root / "testshire" / "data" / "2014-15" / "sections" / "demographics.cse.yml"
    p.write_text(p.read_text().replace("children: true", "children: [Rutland, Wessex]"))
    with pytest.raises(DataError) as e:
        section_tables("demographics.cse")
    assert e.value.file.endswith("sections/demographics.cse.yml") and "'Wessex'" in e.value.found


def test_declared_total_row_must_exist(boards):
    make_board(boards, "dfe", LADO_YML.replace("total_row: Total", "total_row: All"))
    with pytest.raises(DataError) as e:
        section_tables("learning.lado")
    assert "total_row" in e.value.where and "'All'" in e.value.found


# --- the seed boards publish as printed -----------------------------------------------------------------

def seed_targets():
    from core.board import Board, list_boards
    from core.project import boards_dir
    from tests.conftest import REPO
    assert boards_dir() == REPO / "boards"
    return [(b, y) for b in list_boards() for y in Board.load(b).years]


def test_seed_boards_tables_are_unchanged(boards, monkeypatch):
    from core.data import load_csv
    from core.engine import Engine, SectionContext
    from plugins.checks.data import _tables
    monkeypatch.delenv("LSCB_BOARDS", raising=False)

    # A spy, not a function that raises: the engine turns an exception in a block builder into a data
    # error, so a raising stand-in would be reported as bad data and could pass unnoticed.
    calls = []
    real = disclosure.suppress
    monkeypatch.setattr(disclosure, "suppress", lambda t, decl: calls.append(t.origin) or real(t, decl))
    targets = seed_targets()
    assert len(targets) == 5
    tables = 0
    for board_id, year in targets:
        engine = Engine.open(board_id)
        assert engine.board.options_for(year).get("disclosure", "as-published") == "as-published"
        data = engine.data(year)
        for path in sorted((data.root / "sections").glob("*.yml")):
            ctx = SectionContext(engine, engine.board, year, data, path.stem)
            blocks = ctx.content_blocks() or []     # the seed boards have no data errors: none is skipped
            for t in _tables(blocks):
                tables += 1
                assert C not in list(t.text_values()) and NOTE not in t.footnotes, (board_id, path.name)
                if "/tables/" in t.origin:
                    printed = load_csv(data.root / "tables" / t.origin.rsplit("/", 1)[1])
                    assert t.frame.equals(printed), (board_id, year, t.origin)
    assert tables > 20
    assert calls == [], f"suppress() called for as-published boards: {calls}"
    # and the spy is where the engine calls: a dfe board's table goes through it
    monkeypatch.setenv("LSCB_BOARDS", str(boards.root))
    make_board(boards, "dfe")
    (lado,) = section_tables("learning.lado")
    assert calls and C in list(lado.text_values())


def test_switching_the_policy_is_not_served_from_the_cache(boards, tmp_path):
    from plugins.render.build import build_reports
    root = make_board(boards, "as-published")
    out = tmp_path / "out"
    build_reports([("testshire", "2014-15")], out, ["html"], single=True)
    assert ">9.5%<" in (out / "index.html").read_text(encoding="utf-8")
    yml = root / "board.yml"
    yml.write_text(yml.read_text().replace("disclosure: as-published", "disclosure: dfe"))
    build_reports([("testshire", "2014-15")], out, ["html"], single=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert ">9.5%<" not in html and ">[c]<" in html


def test_charts_plot_what_the_table_shows_under_dfe(boards, tmp_path):
    """A chart of a declared table does not draw a suppressed count of children (nor give it away in its
    data table or alt text)."""
    from core.cli import main
    from tests.conftest import cell
    yml = ("name: Testshire Board\narea: Testshire\nyears:\n  2014-15: {}\noptions:\n  disclosure: dfe\n")
    boards.make(board_yml=yml, files={
        "tables/ages.csv": "Age group,Children\nUnder 1,4\n1-4,120\n5-9,230\nTotal,354\n",
        "sections/demographics.ages.yml": (
            "kind: context\nblocks:\n  - table: ages\n    children: {counts: [Children]}\n    total_row: Total\n"
            "  - chart: {table: ages, x: Age group, y: Children, title: Children by age}\n"),
    }, chapters={"01-a.qmd": ("1 A", cell("demographics.ages"))})
    out = tmp_path / "o"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    figure = page[page.index('<figure class="chart"'):]
    data = figure.split("<details", 1)[1]
    assert "[c]" in data and ">4<" not in data and ">120<" not in data    # secondary: 1-4 hidden too
    assert "(Under 1)" not in figure.split("<details", 1)[0]               # alt text never names it


def test_without_the_disclosure_plugin_a_dfe_board_renders_as_printed(boards, tmp_path, monkeypatch):
    """Disclosure control is a built-in plugin (lscb_show_table): left out, the engine still renders, the
    board's disclosure option is still accepted, and nothing is suppressed."""
    from plugins.render.build import build_reports
    make_board(boards, "dfe")
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.disclosure")
    (lado,) = section_tables("learning.lado")
    assert cells(lado) == [["Physical", "31", "73.8%"], ["Sexual", "4", "9.5%"], ["Neglect", "7", "16.7%"],
                           ["Total", "42", "100%"]]
    assert lado.footnotes == []
    out = tmp_path / "out"
    build_reports([("testshire", "2014-15")], out, ["html"], single=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert ">[c]<" not in html and "[c] confidential" not in html
    assert ">9.5%<" in html and ">4<" in html and ">125<" in html


def test_a_plugin_that_shows_a_table_its_own_way_cannot_bypass_suppression(boards):
    """lscb_show_table is firstresult, but disclosure wraps it: a board plugin's answer is suppressed too."""
    root = make_board(boards, "dfe")
    (root / "plugins").mkdir(exist_ok=True)
    (root / "plugins" / "provisional.py").write_text(textwrap.dedent("""\
        import dataclasses
        from core import hookimpl

        @hookimpl
        def lscb_show_table(ctx, table, spec, rows):
            return dataclasses.replace(table, footnotes=[*table.footnotes, "Figures provisional."])
        """), encoding="utf-8")
    (lado,) = section_tables("learning.lado")
    assert cells(lado) == [["Physical", "31", "73.8%"], ["Sexual", C, C], ["Neglect", C, C], ["Total", "42", "100%"]]
    assert lado.footnotes == ["Figures provisional.", NOTE]
