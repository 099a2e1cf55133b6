"""`lscb data from-returns`: what it writes into indicators.csv, what it leaves alone, how it refuses a
broken return (file, row, record key; nothing written), and that no child-level value reaches the
indicators file, the rendered report or the cache (the worked example in examples/newtown)."""
from __future__ import annotations

import re
import shutil
from datetime import date as d
from pathlib import Path

import pytest

from tests.conftest import REPO, lscb, nonempty
from tests.returns.generate import CinChild, Episode, LacChild, Referral, cin_xml, random_year, write_cin, write_ssda903

YEAR = "2014-15"
HAND = ("table,indicator,column,period,area,value,unit,source,note\n"
        "returns-children-in-need,Re-referrals within 12 months (%),England 2013/14,2013-14,England,23.4,"
        "percent,DfE,\n"
        "lado,Allegations,2014/15,2014-15,Testshire,41,count,LADO records,\n")


def cin_children() -> list[CinChild]:
    return [
        CinChild("ZQ100001", d(2008, 5, 17), [Referral(d(2013, 6, 1), d(2013, 7, 1)),
                                               Referral(d(2014, 5, 1), assessments=[(d(2014, 5, 2), d(2014, 6, 2))])]),
        CinChild("ZQ100002", d(2009, 11, 3), [Referral(d(2014, 9, 1), plans=[(d(2014, 10, 1), None, "NEG", 0)],
                                                       enquiries=[(d(2014, 9, 5), d(2014, 10, 1))])]),
    ]


def lac_children() -> list[LacChild]:
    return [LacChild("ZQ100003", d(2010, 2, 14), episodes=[Episode(d(2014, 6, 1))],
                     missing=[("M", d(2014, 8, 1), d(2014, 8, 2))]),
            LacChild("ZQ100004", d(2011, 3, 9), episodes=[Episode(d(2013, 1, 5), end=d(2014, 7, 1), rec="E11")])]


@pytest.fixture
def board(boards, tmp_path) -> Path:
    root = boards.make(year=YEAR)
    (root / "data" / YEAR / "indicators.csv").write_text(HAND, encoding="utf-8")
    (root / "data" / YEAR / "population.csv").write_text(
        'area,period,population,source\nTestshire,mid-2014,"20,000",ONS\n', encoding="utf-8")
    write_cin(tmp_path / "r" / "cin.xml", cin_children(), YEAR)
    write_ssda903(tmp_path / "r" / "903", lac_children())
    return root


def run(tmp_path, capsys, *extra: str, cin: bool = True, lac: bool = True):
    argv = ["data", "from-returns", "testshire", "--year", YEAR]
    argv += ["--cin", str(tmp_path / "r" / "cin.xml")] if cin else []
    argv += ["--ssda903", str(tmp_path / "r" / "903")] if lac else []
    return lscb(argv + list(extra), capsys)


def rows(board: Path) -> list[list[str]]:
    import csv
    return list(csv.reader((board / "data" / YEAR / "indicators.csv").open(encoding="utf-8")))


def value(board: Path, indicator: str, column: str = "Testshire 2014/15") -> str:
    found = [r[5] for r in rows(board) if r[1] == indicator and r[2] == column]
    assert len(found) == 1, (indicator, found)
    return found[0]


def test_writes_the_returns_rows_and_leaves_hand_entered_rows_alone(board, tmp_path, capsys):
    code, out, err = run(tmp_path, capsys)
    assert code == 0, err
    assert "row(s) added" in out and "Children in need census 2014-15" in out
    text = (board / "data" / YEAR / "indicators.csv").read_text(encoding="utf-8")
    for line in HAND.splitlines()[1:]:
        assert line in text.splitlines()                          # hand rows kept byte for byte
    assert value(board, "Referrals in the year") == "2"
    assert value(board, "Re-referrals within 12 months") == "1"   # 11 months after the June 2013 referral
    assert value(board, "Referrals – rate per 10,000") == "1.0"   # 2 of 20,000 children
    assert value(board, "Children looked after at 31 March") == "1"
    assert value(board, "Missing episodes") == "1"
    sources = {r[7] for r in rows(board)[1:] if r[0].startswith("returns-") and "England" not in r[2]}
    assert sources == {"Children in need census 2014-15", "SSDA903 return 2014-15"}
    table = [r[2] for r in rows(board) if r[1] == "Re-referrals within 12 months (%)"]
    assert table == ["Testshire 2014/15", "England 2013/14"]      # the board's column before the comparator

    code, out, _ = run(tmp_path, capsys)                         # the same returns again: nothing to do
    assert code == 0 and "unchanged" in out
    assert (board / "data" / YEAR / "indicators.csv").read_text(encoding="utf-8") == text


def test_a_second_run_replaces_only_what_changed_and_only_the_returns_given(board, tmp_path, capsys):
    assert run(tmp_path, capsys)[0] == 0
    more = cin_children() + [CinChild("ZQ100009", d(2012, 1, 1), [Referral(d(2015, 1, 5))])]
    write_cin(tmp_path / "r" / "cin.xml", more, YEAR)
    code, out, _ = run(tmp_path, capsys, lac=False)
    assert code == 0
    assert "changed returns-children-in-need / Referrals in the year / Testshire 2014/15: '2' -> '3'" in out
    assert value(board, "Referrals in the year") == "3"
    assert value(board, "Children looked after at 31 March") == "1"   # the SSDA903 rows were not touched


def test_a_row_typed_by_hand_with_a_computed_key_is_never_overwritten(board, tmp_path, capsys):
    path = board / "data" / YEAR / "indicators.csv"
    path.write_text(HAND + "returns-children-in-need,Referrals in the year,Testshire 2014/15,2014-15,Testshire,"
                    "7,count,typed in,\n", encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run(tmp_path, capsys)
    assert code == 1
    assert "indicators.csv: row 4" in err and "typed in" in err
    assert path.read_bytes() == before


def test_without_a_population_file_the_counts_are_written_and_the_rates_are_not(board, tmp_path, capsys):
    (board / "data" / YEAR / "population.csv").unlink()
    code, out, _ = run(tmp_path, capsys)
    assert code == 0 and "rates per 10,000 are not written" in out
    assert value(board, "Referrals in the year") == "2"
    assert not [r for r in rows(board) if r[6] == "rate_per_10000"]


def test_under_dfe_a_table_of_small_counts_shown_without_declaring_them_is_named(board, tmp_path, capsys):
    yml = board / "board.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("as-published", "dfe"), encoding="utf-8")
    sections = board / "data" / YEAR / "sections"
    (sections / "demographics.cp.yml").write_text(
        "kind: child-protection\nblocks:\n  - text: Plans.\n  - indicators: returns-abuse-category\n", encoding="utf-8")
    (sections / "demographics.cla.yml").write_text(
        "kind: looked-after\nblocks:\n  - indicators: returns-looked-after\n    children: true\n", encoding="utf-8")
    code, out, _ = run(tmp_path, capsys)
    assert code == 0
    assert "under the board's disclosure option 'dfe'" in out
    warned = [line for line in out.splitlines() if line.startswith("warning ")]
    assert warned == [f"warning boards/testshire/data/{YEAR}/sections/demographics.cp.yml: blocks[2] shows table "
                      "returns-abuse-category without children: (counts of children), so its counts of 1 to 5 are "
                      "printed as they are"]


def test_no_return_named_is_refused(board, capsys):
    code, _, err = lscb(["data", "from-returns", "testshire", "--year", YEAR], capsys)
    assert code == 1 and "--cin" in err and "--ssda903" in err


# --- broken returns ----------------------------------------------------------------------------------

def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


CIN_BREAKS = nonempty([
    # (what is broken, text to replace, replacement, key, field)
    ("a date that is not a date", "<CINreferralDate>2014-05-01", "<CINreferralDate>2014-13-01", "ZQ100001",
     "CINreferralDate"),
    ("a code outside the list", "<PrimaryNeedCode>N1</PrimaryNeedCode>\n<CINclosureDate>2013",
     "<PrimaryNeedCode>N12</PrimaryNeedCode>\n<CINclosureDate>2013", "ZQ100001", "PrimaryNeedCode"),
    ("a category of abuse outside the list", "<InitialCategoryOfAbuse>NEG", "<InitialCategoryOfAbuse>XXX",
     "ZQ100002", "InitialCategoryOfAbuse"),
    ("an episode closed before it began", "<CINclosureDate>2013-07-01", "<CINclosureDate>2013-05-01",
     "ZQ100001", "CINclosureDate"),
    ("overlapping episodes", "<CINclosureDate>2013-07-01", "<CINclosureDate>2014-07-01", "ZQ100001",
     "CINdetails"),
], "broken census")


@pytest.mark.parametrize("what, old, new, key, field", CIN_BREAKS, ids=[c[0] for c in CIN_BREAKS])
def test_a_broken_census_is_refused_naming_file_line_and_child_and_nothing_is_written(
        board, tmp_path, capsys, what, old, new, key, field):
    path = tmp_path / "r" / "cin.xml"
    text = cin_xml(cin_children(), YEAR)
    assert old in text
    broken = text.replace(old, new, 1)
    path.write_text(broken, encoding="utf-8")
    before = (board / "data" / YEAR / "indicators.csv").read_bytes()
    code, out, err = run(tmp_path, capsys)
    assert code == 1 and "nothing was written" in err and "Traceback" not in err
    if field == "CINdetails":           # the later of the two episodes: the child's second CINdetails
        line = [n for n, x in enumerate(broken.splitlines(), start=1) if x == "<CINdetails>"][1]
    else:
        line = _line(broken, new.split("\n")[0])
    assert f"cin.xml: row {line} (LAchildID {key}), {field}" in err, err
    assert (board / "data" / YEAR / "indicators.csv").read_bytes() == before    # the SSDA903 rows neither
    for born in ("2008-05-17", "2009-11-03", "17/05/2008"):
        assert born not in err + out


def test_last_years_census_is_refused(board, tmp_path, capsys):
    write_cin(tmp_path / "r" / "cin.xml", cin_children(), "2013-14")
    text = (tmp_path / "r" / "cin.xml").read_text(encoding="utf-8")
    code, _, err = run(tmp_path, capsys)
    assert code == 1
    assert (f"cin.xml: row {_line(text, '<ReferenceDate>')}, ReferenceDate: expected the census of the reporting "
            "year (2015-03-31), found the census dated 2014-03-31") in err


def test_a_census_that_is_not_xml_is_refused_with_its_line(board, tmp_path, capsys):
    (tmp_path / "r" / "cin.xml").write_text("<Message>\n<Children>\n<Child>\n</Children>\n", encoding="utf-8")
    code, _, err = run(tmp_path, capsys)
    assert code == 1 and "cin.xml: row 4" in err and "well-formed XML" in err


TAIL = ",,ZZ1 1ZZ,ZZ2 2ZZ,SC000000"      # the rest of a generated episodes.csv row
LAC_BREAKS = nonempty([
    ("episodes that overlap", "episodes.csv", "ZQ100003,01/06/2014,S,C2,N1,U1,PR1,,",
     "ZQ100003,01/06/2014,S,C2,N1,U1,PR1,01/09/2014,X1" + TAIL + "\nZQ100003,01/08/2014,P,C2,N1,K2,PR1,,", 3, "DECOM"),
    ("a legal status outside the list", "episodes.csv", "ZQ100003,01/06/2014,S,C2",
     "ZQ100003,01/06/2014,S,Q9", 2, "LS"),
    ("a child not in the header", "missing.csv", "ZQ100003,", "ZQ100099,", 2, "CHILD"),
    ("an episode of a child not in the header", "episodes.csv", "ZQ100003,01/06/2014,S,C2",
     "ZQ100098,01/06/2014,S,C2", 2, "CHILD"),
    ("a date of birth that does not parse", "header.csv", "ZQ100004,1,09/03/2011", "ZQ100004,1,31/02/2011", 3,
     "DOB"),
    ("a new period of care after a change within one", "episodes.csv", "ZQ100003,01/06/2014,S,C2,N1,U1,PR1,,",
     "ZQ100003,01/06/2014,S,C2,N1,U1,PR1,01/09/2014,X1" + TAIL + "\nZQ100003,01/09/2014,S,C2,N1,K2,PR1,,", 3, "RNE"),
], "broken SSDA903")


@pytest.mark.parametrize("what, file, old, new, row, field", LAC_BREAKS, ids=[c[0] for c in LAC_BREAKS])
def test_a_broken_ssda903_is_refused_naming_file_row_and_child_and_nothing_is_written(
        board, tmp_path, capsys, what, file, old, new, row, field):
    path = tmp_path / "r" / "903" / file
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    key = new.split(",")[0]
    before = (board / "data" / YEAR / "indicators.csv").read_bytes()
    code, out, err = run(tmp_path, capsys)
    assert code == 1 and "nothing was written" in err
    assert f"{file}: row {row} (CHILD {key}), {field}" in err, err
    assert (board / "data" / YEAR / "indicators.csv").read_bytes() == before
    for value_ in ("31/02/2011", "09/03/2011", "14/02/2010", "ZZ1 1ZZ", "Q9"):
        assert value_ not in err + out


# --- the worked example: figures from the returns, and no child's values anywhere ------------------

EXAMPLE = REPO / "examples" / "newtown"


@pytest.fixture
def example(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "newtown"
    shutil.copytree(EXAMPLE, root, symlinks=True, ignore=shutil.ignore_patterns(".lscb-cache"))
    book = root / "boards" / "newtown" / "2023-24"
    (book / "_extensions").unlink()
    (book / "_extensions").symlink_to(REPO / "quarto" / "_extensions")
    monkeypatch.setenv("LSCB_BOARDS", str(root / "boards"))
    return root


def test_the_worked_example_comes_from_the_returns_and_no_child_value_reaches_output_cache_or_data(
        example, tmp_path, capsys):
    from plugins.returns import definitions
    cin_children_, lac_children_ = random_year("2023-24", 3000, 16)       # as examples/newtown/README.md
    write_cin(tmp_path / "returns" / "cin.xml", cin_children_, "2023-24")
    write_ssda903(tmp_path / "returns" / "ssda903", lac_children_)
    data = example / "boards" / "newtown" / "data" / "2023-24"
    committed = (data / "indicators.csv").read_text(encoding="utf-8")

    code, out, err = lscb(["data", "from-returns", "newtown", "--year", "2023-24",
                           "--cin", str(tmp_path / "returns" / "cin.xml"),
                           "--ssda903", str(tmp_path / "returns" / "ssda903")], capsys)
    assert code == 0, err
    assert "unchanged" in out                 # the committed indicators are exactly what the returns give

    (data / "indicators.csv").write_text("\n".join(line for line in committed.splitlines()
                                                   if "Illustrative comparator" in line or line.startswith("table,"))
                                         + "\n", encoding="utf-8")
    code, out, err = lscb(["data", "from-returns", "newtown", "--year", "2023-24",
                           "--cin", str(tmp_path / "returns" / "cin.xml"),
                           "--ssda903", str(tmp_path / "returns" / "ssda903")], capsys)
    assert code == 0 and "row(s) added" in out
    assert (data / "indicators.csv").read_text(encoding="utf-8") == committed   # rebuilt from the returns alone

    code, _, err = lscb(["render", "newtown", "--year", "2023-24", "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    looked_after = [r for r in definitions.ssda903_rows(
        _read_903(tmp_path / "returns" / "ssda903"), definitions.Year("2023-24"), "Newtown", 48350)
        if r.indicator == "Children looked after – rate per 10,000"]
    assert looked_after and f">{looked_after[0].value}<" in page
    assert ">342.7<" in page and ">371.2<" in page            # England and region comparators entered by hand
    assert "Comparators in this worked example are illustrative" in page
    assert "[c]" in page                                       # the board's disclosure option is applied

    ids = {c.key for c in cin_children_} | {c.key for c in lac_children_}
    births = {c.born for c in cin_children_} | {c.born for c in lac_children_}
    births_text = {b.isoformat() for b in births} | {b.strftime("%d/%m/%Y") for b in births}
    assert len(ids) == 3000 and len(births) > 1000
    cache = Path(__import__("os").environ["LSCB_CACHE"])
    files = [p for root in (tmp_path / "out", cache) for p in root.rglob("*") if p.is_file()]
    files.append(data / "indicators.csv")
    assert len(files) > 3 and any(p.is_relative_to(cache) for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        assert not set(re.findall(r"ZQ\d{6}", text)) & ids, path
        found = set(re.findall(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", text))
        assert not found & births_text, (path, sorted(found & births_text)[:3])


def _read_903(folder: Path):
    from plugins.returns import ssda903
    from plugins.returns.problems import Problems
    problems = Problems()
    children = ssda903.read_ssda903(folder, problems)
    assert not problems.errors
    return children
