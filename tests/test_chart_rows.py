"""A chart's `rows:` picks rows by the first column the reader sees: the indicator's name for indicators."""
from __future__ import annotations

from tests.conftest import cell, lscb

INDICATORS = (
    "table,indicator,column,period,area,value,unit,source,note\n"
    "kpi,Children on a plan,Testshire,2014/15,Testshire,246,count,,\n"
    "kpi,Children on a plan,England,2014/15,England,48300,count,,\n"
    "kpi,Children in care,Testshire,2014/15,Testshire,506,count,,\n"
    "kpi,Children in care,England,2014/15,England,69540,count,,\n"
)


def _board(boards, rows: str):
    section = ("kind: indicators\nblocks:\n  - indicators: kpi\n  - chart:\n      indicators: kpi\n"
               f"      x: column\n      y: value\n      rows: {rows}\n      title: Children on a plan\n")
    return boards.make(files={"indicators.csv": INDICATORS, "sections/demographics.kpi.yml": section},
                       chapters={"01-context.qmd": ("1 Context", cell("demographics.kpi"))})


def test_rows_of_an_indicators_chart_pick_indicators(boards, tmp_path, capsys):
    _board(boards, "[Children on a plan]")
    code, out, err = lscb(["render", "testshire", "--year", "2014-15", "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    page = "".join(p.read_text() for p in (tmp_path / "out").glob("*.html"))
    chart = page[page.index("<figure"):]
    assert "48,300" in chart and "69,540" not in chart.split("</figure>")[0]


def test_unknown_rows_are_a_data_error_naming_the_key(boards, tmp_path, capsys):
    _board(boards, "[Children on plans]")
    code, out, err = lscb(["render", "testshire", "--year", "2014-15", "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "demographics.kpi.yml" in err and "chart.rows" in err and "Children on plans" in err
    assert "bug" not in err.lower()
    assert not (tmp_path / "out").exists()
