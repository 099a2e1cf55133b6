"""Engine rules for blocks (issue 12): blocks keep the promises a reader takes from them."""
from __future__ import annotations

import pytest

from core.data import DataError
from core.engine import Engine
from plugins.blocks import Fact
from plugins.blocks.figures import is_figure


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


# --- charts -------------------------------------------------------------------------------------------

def _frame(rows, cols):
    import pandas as pd
    return pd.DataFrame(rows, columns=cols, dtype=object)


MONTHS = _frame([["Apr", "47"], ["May", "59"], ["Jun", "27"], ["Total", "133"]], ["Month", "No. of Missing Episodes"])


def _marks(chart):
    """(category, label) of every bar and every bar label in the chart's Vega-Lite data."""
    spec = chart.spec()
    data = next(iter(spec["datasets"].values()))
    return [(d["category"], d["label"]) for d in data]


def test_a_totals_row_is_not_a_chart_category_and_is_said_instead():
    from plugins.charts.chart import Chart
    chart = Chart(MONTHS, x="Month", y="No. of Missing Episodes", title="Missing episodes by month")
    assert [c for c, _ in _marks(chart)] == ["Apr", "May", "Jun"]
    assert "Total: 133 (a total" in chart.alt and "3 bars" in chart.alt
    assert "Total: 133." in chart.html()
    assert "<td class=\"num\">133</td>" in chart.html()           # the data table keeps the printed total


def test_every_mark_has_its_label_even_when_the_column_name_has_a_dot():
    from plugins.charts.chart import Chart
    chart = Chart(MONTHS, x="Month", y="No. of Missing Episodes", title="Missing episodes by month")
    svg = chart.svg()
    assert "undefined" not in svg
    assert _marks(chart) == [("Apr", "47"), ("May", "59"), ("Jun", "27")]
    enc = chart.spec()["layer"][1]["encoding"]
    assert enc["text"]["field"] == "label"                        # a plain field name, no "." path


def test_long_labels_and_many_categories_give_horizontal_bars_in_data_order():
    from plugins.charts.chart import Chart
    courses = _frame([[f"Course number {i} on safeguarding", str(i)] for i in range(28)], ["Course", "Attendees"])
    chart = Chart(courses, x="Course", y="Attendees", title="Attendance by course")
    assert chart.horizontal
    enc = chart.spec()["layer"][0]["encoding"]
    assert enc["y"]["field"] == "category" and enc["x"]["field"] == "value"
    assert enc["y"]["sort"] == [f"Course number {i} on safeguarding" for i in range(28)]
    assert enc["y"]["axis"]["labelLimit"] >= 300                  # whole labels, not cut to a few letters
    assert chart.alt.startswith("Horizontal bar chart")
    short = Chart(MONTHS, x="Month", y="No. of Missing Episodes")
    assert not short.horizontal                                   # twelve months still fit side by side
    many = _frame([[f"Area {i:02}", "1"] for i in range(12)], ["Area", "n"])
    assert Chart(many, x="Area", y="n").horizontal                # twelve wider labels do not
    crowded = _frame([[f"Districts {i:03}", "1"] for i in range(6)], ["District", "n"])
    assert Chart(crowded, x="District", y="n").horizontal         # six 12-letter labels do not fit 520px


def test_a_caption_promising_an_unencoded_breakdown_warns():
    from plugins.charts.chart import Chart, caption_problems
    agencies = _frame([["Health", "589"], ["All Other Agencies", "155"], ["TOTAL", "744"]],
                      ["Category", "Trained"])
    chart = Chart(agencies, x="Category", y="Trained", title="Training attendance by agency and by level")
    assert [c for c, _ in _marks(chart)] == ["Health", "All Other Agencies"]    # "All Other ..." is a category
    warnings = chart.caption_warnings("sections/learning.training.yml")
    assert len(warnings) == 1 and "'by level'" in warnings[0].message
    assert caption_problems("Children on plans by category of abuse, March 2014", ["Abuse Category"]) == []
    assert caption_problems("Rate per 10,000 by district, 31 March 2014", ["District"]) == []


# --- numbers one way ----------------------------------------------------------------------------------

@pytest.mark.parametrize("stored,shown", [
    ("2267", "2,267"), ("£207 946", "£207,946"), ("1,920", "1,920"), ("22197", "22,197"), ("-2000", "-2,000"),
    ("1234.5", "1,234.5"), ("<1000", "<1,000"), ("845.4", "845.4"), ("12%", "12%"), ("2013/14", "2013/14"),
    ("01926 742510", "01926 742510"), ("0123", "0123"), ("Not published", "Not published"),
    ("2267 (35%)", "2,267 (35%)"), ("over 2000", "over 2,000"), ("Around 1500", "Around 1,500"), ("Table 2014 (revised)", "Table 2014 (revised)")])
def test_display_number_adds_thousands_separators_only_to_numbers(stored, shown):
    from plugins.blocks.figures import display_number
    assert display_number(stored) == shown


def test_tables_show_separators_keep_the_stored_value_and_leave_years_and_codes_alone():
    from plugins.blocks import Table
    frame = _frame([["Contacts", "1,920", "2267", "2014", "01234"], ["Budget", "£207 946", "207,946", "2015", "1234"]],
                   ["Measure", "2012/13", "2013/14", "Year", "LSOA code"])
    table = Table(frame)
    html = table.html()
    assert '<td class="num">1,920</td><td class="num">2,267</td>' in html          # one way in a row
    assert '<td class="num">£207,946</td><td class="num">207,946</td>' in html
    assert ">2014</td>" in html and ">2015</td>" in html                           # a column of years
    assert ">1234</td>" in html and ">01234</td>" in html                          # codes as stored
    assert "| Contacts | 1,920 | 2,267 | 2014 | 01234 |" in table.markdown()
    assert list(table.frame.iloc[0]) == ["Contacts", "1,920", "2267", "2014", "01234"]  # stored value unchanged
    counts = Table(_frame([["Referrals", "2267"]], ["", "As at 31 March 2014"]))
    assert '<td class="num">2,267</td>' in counts.html()                          # a period in a header
    years = Table(_frame([["Period", "2013", "2014"], ["Referrals", "2267", "2411"]], ["", "A", "B"]))
    assert "<th scope=\"row\">Period</th><td class=\"num\">2013</td>" in years.html()   # a row of years
    assert '<td class="num">2,267</td>' in years.html()


def test_key_figures_show_separators_keeping_the_stored_value():
    # A key figure is a figure (a year is refused as prose), so 1918 professionals read "1,918".
    from plugins.blocks import KeyFigures
    facts = KeyFigures([Fact("1918", "professionals trained"), Fact("£207 946", "spent")])
    assert '<span class="value">1,918</span>' in facts.html() and "**£207,946** spent" in facts.markdown()
    assert [f.value for f in facts.facts] == ["1918", "£207 946"]


# --- on paper: chart data not printed twice, wide tables split, no broken words, no row per page ----------

def _missing_chart_and_table(same: bool = True) -> str:
    from plugins.blocks import Table
    from plugins.charts.chart import Chart
    chart = Chart(MONTHS, x="Month", y="No. of Missing Episodes", title="Missing episodes by month")
    table = MONTHS if same else _frame([["Apr", "1"], ["May", "2"]], ["Month", "No. of Missing Episodes"])
    return chart.html() + "\n" + Table(table, caption="Missing episodes").html()


def test_a_charts_data_table_is_not_printed_twice_when_the_same_table_follows():
    from plugins.formats.printable import printable
    page = printable(_missing_chart_and_table())
    assert page.count("<table") == 1                                # only the printed table is left
    assert "The figures are in the table below." in page
    kept = printable(_missing_chart_and_table(same=False))           # a different table: the data stays
    assert kept.count("<table") == 2 and "chart-data-ref" not in kept


def _wide_table(columns: int = 25, rows: int = 3):
    from plugins.blocks import Table
    head = ["2012-2014 (DOMESTIC ABUSE)"] + [f"Children's Social Care {i} 2012/13" for i in range(1, columns)]
    body = [["Group heading"] + [""] * (columns - 1)] + \
        [[f"Month {r}"] + [str(100 * r + c) for c in range(1, columns)] for r in range(rows)]
    return Table(_frame(body, head), caption="Police referrals", notes=["Does not include MARAC."])


def test_a_wide_table_is_split_with_its_first_column_repeated():
    import re

    from plugins.formats.printable import SPLIT_DATA_COLUMNS, split_wide_tables
    page = split_wide_tables(_wide_table().html())
    parts = re.findall(r'<div class="table-wrap split".*?</div>', page, re.DOTALL)
    assert len(parts) == 2
    for k, part in enumerate(parts, start=1):
        assert f"(part {k} of 2)</caption>" in part
        assert part.count('<th scope="row">Month 1</th>') == 1           # the row headers in every part
        assert part.count('<th scope="col"') <= SPLIT_DATA_COLUMNS + 1
        assert 'colspan="13"' in part or 'colspan="12"' in part           # group heading spans the part
    assert "Social Care 24 2012/13" in parts[1] and "Social Care 1 2012/13" in parts[0]
    assert "Does not include MARAC." in parts[1] and "Does not include MARAC." not in parts[0]
    assert page.count("<td") == _wide_table().html().count("<td")          # every cell printed once


class _Report:
    """What plugins.formats.pdf and plugins.formats.docx need of a report: its page, metadata, board and year."""
    meta = {"board": "Testshire Safeguarding Children Board", "board-id": "testshire", "year": "2014-15",
            "working-together": "WT2013", "engine": "test", "data-hash": "0"}
    year, title = "2014-15", "Test report"

    class board:            # noqa: N801 - stands in for core.board.Board
        id = "testshire"

        @staticmethod
        def year_info(year: str) -> dict:
            return {"edition": "WT2013", "period": "2014-15"}

    def __init__(self, body: str):
        self.html = (f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>t</title></head>"
                     f"<body><main>{body}</main></body></html>")


@pytest.fixture(scope="module")
def printed_pdf(tmp_path_factory):
    """A PDF holding a 25-column table and a table of tall rows of text, made by the real print path."""
    from plugins.blocks import Table
    from plugins.formats.pdf import html_to_pdf
    words = "safeguarding partnership practitioners understanding children's arrangements"
    tall = [[f"Priority {r}", " ".join(f"row{r}tok {words}" for _ in range(14)),
             " ".join(f"row{r}tok {words}" for _ in range(10)), f"Lead {r}"] for r in range(1, 9)]
    tall_table = Table(_frame(tall, ["Priority", "Objective", "Key activity", "Lead"]), caption="Business plan")
    path = tmp_path_factory.mktemp("pdf") / "t.pdf"
    path.write_bytes(html_to_pdf(_Report(_wide_table(25, 12).html() + tall_table.html())))
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    return [(doc[i].get_size(), doc[i].get_textpage().get_text_range()) for i in range(len(doc))]


def test_a_wide_table_in_the_pdf_breaks_no_word_and_shows_every_column(printed_pdf):
    import re
    text = "\n".join(t for _, t in printed_pdf)
    broken = re.findall(r"[A-Za-z]+[\u2010\u00ad\ufffe-]\r?\n[a-z]+", text)
    assert not broken, broken[:5]                                       # e.g. "Chil-\ndren's"
    assert "Children's" in text and "Chil" not in text.replace("Children's", "")
    for c in range(1, 25):
        assert f"Social Care {c} 2012/13" in re.sub(r"\s+", " ", text), c   # every column printed
    wide_pages = [size for size, t in printed_pdf if "Police referrals" in t or "Month 1" in t]
    assert wide_pages and all(w > h for w, h in wide_pages)                 # on landscape pages


def test_no_pdf_page_holds_a_single_row_of_a_table_of_long_rows(printed_pdf):
    import re
    pages = [set(re.findall(r"row(\d)tok", t)) for _, t in printed_pdf]
    with_rows = [p for p in pages if p]
    assert len(with_rows) >= 2
    # every page the table runs over, but its last, carries text of two rows or more
    assert all(len(p) >= 2 for p in with_rows[:-1]), with_rows


def test_a_figure_caption_from_the_chapter_is_checked_against_the_chart_drawn():
    from plugins.charts.chart import Chart, page_caption_warnings
    chart = Chart(_frame([["Neglect", "233"], ["Emotional Abuse", "374"]], ["Abuse Category", "Count"]),
                  x="Abuse Category", y="Count", title="Plans by category")
    chart.caption = "Figure 1: Children on plans by category of abuse and by age group"     # a cell's fig-cap
    warnings = page_caption_warnings(chart.html(), "boards/testshire/2014-15")
    assert len(warnings) == 1 and "'by age group'" in warnings[0] and "'Abuse Category'" in warnings[0]
    chart.caption = "Figure 1: Children on plans by category of abuse"
    assert page_caption_warnings(chart.html(), "x") == []


def test_a_wide_table_in_word_is_split_onto_landscape_pages():
    import io

    import docx
    from docx.enum.section import WD_ORIENT

    from plugins.formats.docx import html_to_docx
    document = docx.Document(io.BytesIO(html_to_docx(_Report(_wide_table(25, 4).html()))))
    assert len(document.tables) == 2                                     # two parts ...
    for table in document.tables:
        assert len(table.columns) <= 13
        assert table.rows[2].cells[0].text == "Month 0"                  # ... each with the row headers
    assert WD_ORIENT.LANDSCAPE in [s.orientation for s in document.sections]


def test_a_coloured_chart_with_long_labels_lies_down_and_labels_every_bar():
    from plugins.charts.chart import Chart
    frame = _frame([["Children's Social Care", "2012/13", "337"], ["Children's Social Care", "2013/14", "187"],
                    ["Adult Social Care", "2012/13", "19"], ["Adult Social Care", "2013/14", "7"],
                    ["Total", "2012/13", "356"]], ["Agency", "Year", "Referrals"])
    chart = Chart(frame, x="Agency", y="Referrals", color="Year", title="Referrals by agency and year")
    assert chart.horizontal and chart.caption_warnings("f") == []
    assert [label for _, label in _marks(chart)] == ["337", "187", "19", "7"]
    svg = chart.svg()
    assert "undefined" not in svg and ">Total<" not in svg


def test_markdown_for_paper_splits_a_wide_table_and_does_not_repeat_a_charts_data():
    from core.blocks import SectionOutput
    from plugins.blocks import Table
    from plugins.charts.chart import Chart
    md = _wide_table(25, 2).markdown()
    assert "**Police referrals (part 1 of 2)**" in md and "**Police referrals (part 2 of 2)**" in md
    assert md.count("| Month 1 |") == 2                                    # the row headers in each part
    assert max(line.count("|") for line in md.splitlines()) <= 14           # at most 13 columns a part
    chart = Chart(MONTHS, x="Month", y="No. of Missing Episodes", title="Missing episodes by month")
    section = SectionOutput("learning.missing", [chart, Table(MONTHS, caption="Missing episodes")])
    assert chart.shown_beside == "below"
    assert "The figures are in the table below." in section.markdown()
    assert "Data for the chart" not in section.markdown()
    alone = Chart(MONTHS, x="Month", y="No. of Missing Episodes", title="Missing episodes by month")
    SectionOutput("learning.missing", [alone])
    assert "Data for the chart" in alone.markdown()
