"""Next year's report in an afternoon: new-year -> check lists what to fill (non-zero) -> a draft in every
format -> export -> fill the workbook -> import -> check exits 0 and the report is final, with the new year
beside last year and in the trends."""
from __future__ import annotations

import re

import pypdfium2
import pytest
import yaml
from openpyxl import load_workbook

from core.board import Board
from core.cli import main
from plugins.contracts import TO_FILL, TO_REWRITE
from plugins.new_year import add_year_to_board_yml, roll, roll_chapter, roll_indicators, roll_table

TREND = ("  - trend: Primary pupils attending a good or outstanding school\n"
         "    title: Primary pupils attending a good or outstanding school\n")


def fill_workbook(path) -> int:
    """What a partner does: a figure in every highlighted cell."""
    wb = load_workbook(path)
    filled = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == TO_FILL:
                    what = str(ws.cell(row=cell.row, column=3).value) if ws.title == "figures" else ""
                    cell.value = "On track" if what.startswith("status") else 97
                    filled += 1
    wb.save(path)
    return filled


def rewrite_prose(folder) -> int:
    """What the analyst does with last year's prose: writes this year's (here: drops the marker)."""
    n = 0
    for p in folder.rglob("*"):
        if p.is_file() and p.suffix in (".qmd", ".yml", ".csv"):
            text = p.read_text(encoding="utf-8")
            if TO_REWRITE in text:
                n += text.count(TO_REWRITE)
                p.write_text(text.replace(f"{TO_REWRITE} ", "").replace(TO_REWRITE, ""), encoding="utf-8")
    return n


def test_coventry_rolled_forward_filled_through_excel_is_final_with_both_years(copy_board, tmp_path, capsys):
    root = copy_board("coventry")
    population = root / "data" / "2023-24" / "sections" / "demographics.population.yml"
    population.write_text(population.read_text(encoding="utf-8") + TREND, encoding="utf-8")

    # 1. new-year: board.yml, the book and the data folder
    assert main(["new-year", "coventry", "2024-25"]) == 0
    board = Board.load("coventry")
    assert board.years["2024-25"]["edition"] == "WT2023"            # in force from December 2023
    assert board.years["2024-25"]["period"] == "1 April 2024 to 31 March 2025"
    assert board.years["2023-24"]["edition"] == "WT2018"            # last year untouched
    assert 'year = "2024-25"' in (root / "2024-25" / "02-population.qmd").read_text(encoding="utf-8")
    indicators = (root / "data" / "2024-25" / "indicators.csv").read_text(encoding="utf-8")
    assert "Coventry 2024-25,2024-25,Coventry,[to fill],percent" in indicators
    assert "Coventry 2023-24,,Coventry,91%,percent" in indicators   # last year's figure: the comparison

    # 2. check lists the figures to fill, per file and row, with a count, and exits non-zero
    capsys.readouterr()
    assert main(["check", "coventry", "--year", "2024-25"]) == 3
    out = capsys.readouterr().out
    summary = re.search(r"draft: (\d+) figures to fill in (\d+) files; (\d+) passages to rewrite in (\d+) files", out)
    assert summary and int(summary.group(1)) > 20
    assert ("data/2024-25/indicators.csv: row 2 (Population growth 2011 to 2021 / Coventry 2024-25), "
            "column 'value': figure to fill") in out

    # 3. render: a draft in HTML, PDF and Word, said aloud
    out_dir = tmp_path / "draft"
    assert main(["render", "coventry", "--year", "2024-25", "--out", str(out_dir), "--format", "html,pdf,docx"]) == 0
    assert "coventry 2024-25: DRAFT – not for publication" in capsys.readouterr().err
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "lscb-draft-banner" in page and '<mark class="lscb-to-fill">[to fill]</mark>' in page
    pdf = pypdfium2.PdfDocument(str(out_dir / "report.pdf"))
    assert all("DRAFT" in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    import docx
    assert docx.Document(str(out_dir / "report.docx")).sections[0].header.paragraphs[0].text.startswith("DRAFT")

    # 4. export, fill, import
    book = tmp_path / "coventry-2024-25.xlsx"
    assert main(["data", "export", "coventry", "--year", "2024-25", str(book)]) == 0
    assert fill_workbook(book) == int(summary.group(1))
    assert main(["data", "import", "coventry", "--year", "2024-25", str(book)]) == 0
    assert "indicators.csv:" in capsys.readouterr().out
    assert main(["check", "coventry", "--year", "2024-25"]) == 3     # the prose is still last year's
    assert "figures to fill" not in capsys.readouterr().out
    assert rewrite_prose(root / "2024-25") + rewrite_prose(root / "data" / "2024-25") == int(summary.group(3))

    # 5. complete: check passes, the report is final, 2024-25 beside 2023-24 and in the trend
    assert main(["check", "coventry", "--year", "2024-25"]) == 0
    assert "draft:" not in capsys.readouterr().out
    final = tmp_path / "final"
    assert main(["render", "coventry", "--year", "2024-25", "--out", str(final), "--format", "html,pdf"]) == 0
    assert "DRAFT" not in capsys.readouterr().err
    page = (final / "index.html").read_text(encoding="utf-8")
    assert "lscb-draft-banner" not in page and "[to fill]" not in page and "[to rewrite]" not in page
    assert re.search(r"<th[^>]*>Coventry 2024-25</th>\s*<th[^>]*>Coventry 2023-24</th>", page)
    trend = page[page.index("Data for the chart: Primary pupils"):]
    assert re.search(r"2023-24</t[hd]>\s*<td[^>]*>Coventry</td>\s*<td[^>]*>91%", trend)
    assert re.search(r"2024-25</t[hd]>\s*<td[^>]*>Coventry</td>\s*<td[^>]*>97", trend)
    pdf = pypdfium2.PdfDocument(str(final / "report.pdf"))
    assert not any("DRAFT" in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_rolling_forward_again_extends_the_trend_with_no_edit(copy_board, tmp_path):
    root = copy_board("coventry")
    population = root / "data" / "2023-24" / "sections" / "demographics.population.yml"
    population.write_text(population.read_text(encoding="utf-8") + TREND, encoding="utf-8")
    assert main(["new-year", "coventry", "2024-25"]) == 0
    assert main(["new-year", "coventry", "2025-26"]) == 0
    assert main(["render", "coventry", "--year", "2025-26", "--out", str(tmp_path / "o")]) == 0
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    trend = page[page.index("Data for the chart: Primary pupils"):][:6000]
    assert all(y in trend for y in ("2023-24", "2024-25", "2025-26"))
    assert "shown as a gap" in page       # the years still to fill are gaps, said in the alt text


@pytest.mark.parametrize("text,expected", [
    ("Annual Report 2013/2014", "Annual Report 2014/2015"),
    ("Total for 13/14", "Total for 14/15"),
    ("Total for 12/13", "Total for 13/14"),
    ("1 April 2013 to 31 March 2014", "1 April 2014 to 31 March 2015"),
    ("Population growth 2011 to 2021", "Population growth 2011 to 2021"),
    ("2011-2021", "2011-2021"),
    ("5/7 meetings", "5/7 meetings"),
])
def test_roll_moves_this_year_and_last_on_by_one(text, expected):
    assert roll(text, "2013-14") == expected


def test_a_printed_table_keeps_last_years_column_and_leaves_this_years_to_fill():
    rows = [["Measure", "2012/13", "2013/14", "Change"], ["Referrals", "1,200", "1,350", "+12%"],
            ["Group heading", "", "", ""], ["Assessments", "900", "", "n/a"]]
    assert roll_table(rows, "2013-14") == [
        ["Measure", "2013/14", "2014/15", "Change"], ["Referrals", "1,350", TO_FILL, TO_FILL],
        ["Group heading", "", "", ""], ["Assessments", "", "", "n/a"]]


def test_indicators_get_the_new_period_beside_last_years_comparison():
    header = ["table", "indicator", "column", "period", "area", "value", "unit", "source", "note"]
    rows = [header,
            ["t", "Referrals", "Total for 13/14", "2013-14", "Coventry", "845.4", "rate_per_10000", "", "x"],
            ["t", "Referrals", "Total for 12/13", "2012-13", "Coventry", "654.1", "rate_per_10000", "", ""],
            ["t", "Growth", "England", "", "England", "6.6%", "percent", "", ""]]
    assert roll_indicators(rows, "2013-14", "2014-15")[1:] == [
        ["t", "Referrals", "Total for 14/15", "2014-15", "Coventry", TO_FILL, "rate_per_10000", "", ""],
        ["t", "Referrals", "Total for 13/14", "2013-14", "Coventry", "845.4", "rate_per_10000", "", "x"],
        ["t", "Growth", "England 2014-15", "2014-15", "England", TO_FILL, "percent", "", ""],
        ["t", "Growth", "England 2013-14", "", "England", "6.6%", "percent", "", ""]]


def test_board_yml_gets_the_year_after_the_source_keeping_comments():
    text = ("name: X\n# our years\nyears:\n  2013-14:\n    title: Annual Report 2013/14\n    edition: WT2013\n"
            "    period: 1 April 2013 to 31 March 2014\noptions:\n  disclosure: dfe  # keep\n")
    out = add_year_to_board_yml(text, "2013-14", "2023-24")
    assert "# our years" in out and "disclosure: dfe  # keep" in out
    data = yaml.safe_load(out)
    assert data["years"]["2023-24"]["edition"] == "WT2023" or data["years"]["2023-24"]["edition"] == "WT2018"
    assert list(data["years"]) == ["2013-14", "2023-24"]


def test_prose_is_marked_to_rewrite_and_cells_keep_working():
    text = ('---\ntitle: "2 Governance 2013/14"\n---\n\n```{python}\n#| tags: [parameters]\nyear = "2013-14"\n```\n\n'
            "## 2.1 Budget 2013/14\n\nThe board met seven times.\nIt had a budget.\n\n- first point\n- second\n\n"
            '```{python}\n#| tbl-cap: "Budget, 2013/14"\nboard.section("governance.budget")\n```\n')
    out = roll_chapter(text, "2013-14", "2014-15")
    assert 'title: "2 Governance 2014/15"' in out and 'year = "2014-15"' in out
    assert "## 2.1 Budget 2014/15" in out and '#| tbl-cap: "Budget, 2014/15"' in out
    assert f"{TO_REWRITE} The board met seven times.\nIt had a budget." in out
    assert f"- {TO_REWRITE} first point\n- {TO_REWRITE} second" in out
    assert 'board.section("governance.budget")' in out


def test_new_year_refuses_an_existing_year_and_an_unknown_source(copy_board, capsys):
    copy_board("coventry")
    assert main(["new-year", "coventry", "2023-24"]) == 1
    assert "already has 2023-24" in capsys.readouterr().err
    assert main(["new-year", "coventry", "2024-25", "--from", "2019-20"]) == 1
    assert "no report year '2019-20'" in capsys.readouterr().err or "2019-20" in capsys.readouterr().err


def test_an_lscb_year_rolls_attendance_and_budget_and_measures(copy_board, capsys):
    root = copy_board("coventry")
    assert main(["new-year", "coventry", "2014-15", "--from", "2013-14"]) == 0
    data = root / "data" / "2014-15"
    budget = (data / "budget.csv").read_text(encoding="utf-8").splitlines()
    assert budget[1] == "Budget & Income,Coventry City Council Contribution,[to fill],line,"
    attendance = (data / "attendance.csv").read_text(encoding="utf-8").splitlines()
    assert attendance[1] == 'MEMBERS,"Independent Chair, LSCB",[to fill],[to fill],[to fill],'
    priorities = yaml.safe_load((data / "priorities.yml").read_text(encoding="utf-8"))
    measure = priorities["priorities"][1]["impact"][0]
    assert measure["baseline"] == "2012-13" and measure["better"] == "lower"   # measures carry over as set
    assert priorities["priorities"][0]["progress"][0].startswith(TO_REWRITE)
    capsys.readouterr()
    assert main(["check", "coventry", "--year", "2014-15"]) == 3
    out = capsys.readouterr().out
    assert "budget.csv: row 2 (Budget & Income), column 'amount': figure to fill" in out


@pytest.mark.parametrize("board", ["coventry", "warwickshire", "leicester", "cheshire_west"])
def test_every_board_rolls_forward_to_a_draft_that_checks_and_renders(copy_board, tmp_path, board, capsys):
    copy_board(board)
    latest = max(Board.load(board).years)
    start = int(latest[:4]) + 1
    year = f"{start}-{(start + 1) % 100:02d}"
    assert main(["new-year", board, year]) == 0
    capsys.readouterr()
    assert main(["check", board, "--year", year]) == 3, capsys.readouterr().out[-3000:]
    assert re.search(r"draft: \d+ figures to fill in \d+ files", capsys.readouterr().out)
    assert main(["render", board, "--year", year, "--out", str(tmp_path / "o")]) == 0
    assert f"{board} {year}: DRAFT – not for publication" in capsys.readouterr().err


def test_the_new_book_keeps_links_as_links(boards):
    import os
    root = boards.make()
    os.symlink("../../../quarto/_extensions", root / "2014-15" / "_extensions")
    assert main(["new-year", "testshire", "2015-16"]) == 0
    link = root / "2015-16" / "_extensions"
    assert link.is_symlink() and os.readlink(link) == "../../../quarto/_extensions"
