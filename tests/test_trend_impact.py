"""The trend block (one indicator over every year the board has, gaps as gaps) and measured impact
(baseline -> this year -> target, a computed status, lscb check warns where there is none)."""
from __future__ import annotations

import re

import pytest

from core.cli import main
from plugins._periods import period_start
from plugins.impact import status

INDICATORS = "table,indicator,column,period,area,value,unit,source,note\n"


def two_years(boards, rows_2013: str, rows_2015: str, section: str):
    """A board with 2013-14 and 2015-16 (no 2014-15 data: a gap), the later year showing ``section``."""
    yml = ("name: Testshire Safeguarding Children Board\narea: Testshire\nyears:\n  2013-14:\n    title: A\n"
           "  2015-16:\n    title: B\noptions:\n  disclosure: as-published\n")
    boards.make(year="2013-14", board_yml=yml, files={"indicators.csv": INDICATORS + rows_2013,
                "sections/demographics.a.yml": "kind: indicators\nblocks:\n  - text: a\n"})
    return boards.make(year="2015-16", board_yml=yml, files={"indicators.csv": INDICATORS + rows_2015,
                       "sections/demographics.trend.yml": section},
                       chapters={"01-a.qmd": ("1 A", "\n```{python}\n#| echo: false\nboard.section(\"demographics.trend\")\n```\n")})


ROWS_2013 = ("t,Referrals per 10000,13/14,2013-14,Testshire,845.4,rate_per_10000,,\n"
             "t,Referrals per 10000,12/13,2012-13,Testshire,654.1,rate_per_10000,,\n"
             "t,Referrals per 10000,England 12/13,2012-13,England,520.7,rate_per_10000,,\n")
ROWS_2015 = ("t,Referrals per 10000,15/16,2015-16,Testshire,700,rate_per_10000,,\n"
             "t,Referrals per 10000,England 15/16,2015-16,England,532.2,rate_per_10000,,\n")
TREND = "kind: indicators\nblocks:\n  - trend: Referrals per 10000\n    title: Referrals per 10,000 children\n"


def test_a_trend_draws_every_year_the_board_has_with_gaps_as_gaps(boards, tmp_path):
    two_years(boards, ROWS_2013, ROWS_2015, TREND)
    assert main(["render", "testshire", "--year", "2015-16", "--out", str(tmp_path / "o")]) == 0
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    alt = re.search(r'aria-label="(Line chart: Referrals per 10,000 children[^"]*)"', page).group(1)
    assert "highest 845.4 (2013-14, Testshire)" in alt
    assert "No figure for 2013-14 (England), 2014-15 (England), 2014-15 (Testshire): shown as a gap." in alt
    data = re.sub(r"<[^>]+>", " ", page[page.index("Data for the chart: Referrals"):])
    data = " ".join(data.split())
    assert "2012-13 Testshire 654.1 2013-14 Testshire 845.4 2014-15 Testshire 2015-16 Testshire 700" in data
    svg = page[page.index('aria-label="Line chart: Referrals'):]
    svg = svg[:svg.index("</svg>")]
    testshire_line = [d for d in re.findall(r'd="(M[^"]*)"', svg) if d.count("L") >= 1]
    assert any(d.count("M") >= 2 for d in testshire_line), "the line breaks at the missing year"


def test_a_trend_of_an_unknown_indicator_names_the_content_file(boards, capsys):
    two_years(boards, ROWS_2013, ROWS_2015, "kind: indicators\nblocks:\n  - trend: Referals per 10000\n")
    assert main(["check", "testshire", "--year", "2015-16"]) == 1
    out = capsys.readouterr().out
    assert "sections/demographics.trend.yml" in out and "'Referals per 10000'" in out


def test_a_trend_keeps_only_the_areas_asked_for(boards, tmp_path):
    two_years(boards, ROWS_2013, ROWS_2015, TREND + "    areas: [England]\n")
    assert main(["render", "testshire", "--year", "2015-16", "--out", str(tmp_path / "o")]) == 0
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    data = page[page.index("Data for the chart: Referrals"):]
    data = data[:data.index("</table>")]
    assert "England" in data and "Testshire" not in data


@pytest.mark.parametrize("period,start", [("2013-14", 2013), ("13/14", 2013), ("2013/2014", 2013),
                                          ("31 March 2014", 2013), ("October 2013", 2013), ("2014", 2014),
                                          ("2011-2021", None), ("", None), ("Data period", None)])
def test_periods_are_read_as_reporting_years(period, start):
    assert period_start(period) == start


@pytest.mark.parametrize("baseline,current,target,better,expected", [
    ("25.3", "5", "", "lower", "Better than the baseline"),
    ("72.9", "108.1", "", "lower", "Worse than the baseline"),
    ("", "12%", "25%", "higher", "Target not met"),
    ("", "43%", "40%", "lower", "Target not met"),
    ("10%", "30%", "25%", "higher", "Target met"),
    ("10%", "20%", "25%", "higher", "Better than the baseline, target not yet met"),
    ("5", "5", "", "higher", "Same as the baseline"),
    ("5", "", "", "higher", "No figure this year"),
    ("5", "[to fill]", "", "higher", "Figure to fill"),
])
def test_status_is_computed_from_the_figures(baseline, current, target, better, expected):
    assert status(baseline, current, target, better) == expected


def test_coventry_2013_14_shows_measured_impact_with_the_printed_status_beside(tmp_path):
    assert main(["render", "coventry", "--year", "2013-14", "--out", str(tmp_path / "o")]) == 0
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert ("Children on child protection plans per 10,000 children (early help should keep children out of "
            "the child protection process) 72.9 (2012-13) 108.1 (2013-14) – Worse than the baseline") in text
    assert ("Average days from a domestic abuse incident to joint screening 25.3 days (October 2013) "
            "5 days (February 2014) – Better than the baseline") in text
    assert ("12% (2013) 25% Target not met just 12% of cases came from partner agencies, against 25-40% "
            "expected") in text
    assert "How the status is set: a measure meets its target" in text


def test_check_warns_about_priorities_with_no_measured_impact(capsys):
    assert main(["check", "coventry", "--year", "2013-14"]) == 0
    out = capsys.readouterr().out
    assert "priorities[1] (Embed learning from recent serious cases): no measured impact" in out
    assert "priorities[2] (Challenge the effectiveness of early help): no measured impact" not in out


def test_a_measure_with_an_unknown_baseline_is_a_data_error(copy_board, capsys):
    root = copy_board("coventry")
    p = root / "data" / "2013-14" / "priorities.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("baseline: 2012-13", "baseline: 2011-12"), encoding="utf-8")
    assert main(["check", "coventry", "--year", "2013-14"]) == 1
    out = capsys.readouterr().out
    assert "priorities.yml: priorities[2].impact[1].baseline: expected a period of" in out and "'2011-12'" in out
    assert "  ERROR boards/coventry/data/2013-14/priorities.yml: priorities[2]" in out    # listed with the others


def test_measured_impact_follows_a_shared_priorities_block_by_itself(boards, tmp_path):
    boards.make(files={
        "indicators.csv": INDICATORS + "t,Re-referrals,2013-14,2013-14,Testshire,24%,percent,,\n"
                                       "t,Re-referrals,2014-15,2014-15,Testshire,19%,percent,,\n",
        "priorities.yml": "template: measures-progress\npriorities:\n  - number: \"1\"\n    title: Early help\n"
                          "    success_measures: [Fewer re-referrals]\n    impact:\n"
                          "      - {measure: Re-referrals, indicator: Re-referrals, baseline: 2013-14, target: \"20%\","
                          " better: lower}\n",
        "sections/priorities.p.yml": "kind: priorities\nblocks:\n  - priorities: priorities.yml\n"},
        chapters={"01-p.qmd": ("1 P", "\n```{python}\n#| echo: false\nboard.section(\"priorities.p\")\n```\n")})
    assert main(["render", "testshire", "--out", str(tmp_path / "o")]) == 0
    text = " ".join(re.sub(r"<[^>]+>", " ", (tmp_path / "o" / "index.html").read_text(encoding="utf-8")).split())
    assert "Re-referrals 24% (2013-14) 19% (2014-15) 20% Target met" in text


def test_a_change_to_an_earlier_years_figures_reaches_a_cached_trend(boards, tmp_path):
    root = two_years(boards, ROWS_2013, ROWS_2015, TREND)
    out = tmp_path / "o"
    assert main(["render", "testshire", "--year", "2015-16", "--out", str(out)]) == 0
    earlier = root / "data" / "2013-14" / "indicators.csv"
    earlier.write_text(earlier.read_text(encoding="utf-8").replace("845.4", "845.9"), encoding="utf-8")
    assert main(["render", "testshire", "--year", "2015-16", "--out", str(out)]) == 0
    assert "845.9" in (out / "index.html").read_text(encoding="utf-8")
