"""Consistency checks: the inconsistencies the published reports really contain (recorded in each board's
notes.md) are found by `lscb check` as warnings naming the figure and both values, never as data errors;
and the four kinds of declared check in data/<year>/consistency.yml (same, percent, sum, rate) behave."""
from __future__ import annotations

import textwrap

import pytest

from core.engine import Engine
from plugins.checks.command import check_year

# --- the five published reports ---------------------------------------------------------------------

# (figure as named in the warning, value, other value): every one must be in a single warning's text.
KNOWN = {
    ("warwickshire", "2013-14"): [
        # declared in consistency.yml
        ("Referrals to children's social care, 2013/14", "8154", "8177"),
        ("Referrals moved on to initial assessments, 2013/14", "4427 of 8177 is 54.1%", "55.8%"),
        ("BME share of Warwickshire's 0-17 population", "14.8%", "10.6%"),
        ("Estimated % of children in poverty, Warwick district", "9%", "11%"),
        ("Child deaths reviewed by CDOP in which modifiable factors were found", "22 of 33 is 67%", "36%"),
        ("Working Together to Safeguard Children course delegates", "= 42", "43"),
        ("Young victims helped by the Blue Sky Centre in its first year", "41 + 54 + 36 = 131", "108"),
        ("Children seen by the Blue Sky Centre (SARC) in its first year", "108", "131"),
        ("Population aged 15-17, districts against the Warwickshire figure", "20,791", "11,061"),
        ("Population aged 0-17, district totals against the Warwickshire total", "112,872", "111,872"),
        ("Warwickshire 0-17 population", "111,872", "111,913"),
        ("Referrals by district against the Warwickshire total, 2013/14", "7,953", "8177"),
        ("West Midlands children on a plan at 31 March 2013, by latest category", "5,250", "5,240"),
        ("West Midlands plans closed after 2 years or more", "330 of 6,540 is 5.0%", "5.1"),
        ("West Midlands plans closed in 3 months or less", "1,490 of 6,540 is 22.8%", "22.7"),
        ("MARAC repeat cases within 12 months", "85 of 538 is 15.80%", "14.95%"),
        # table checks in the content files (total_row / percent_of)
        ("Police percentage", "2371 of 8,177 is 29.0%", "29.1%"),
        ("Warwickshire Profile 0-17 (Census 2011) ^Number total", "81,320", "111,913"),
        ("Warwickshire total", "102,872", "111,872"),
        ("North Warks total", "12,137", "12,407"),
        ("Police percentage", "468 of 538 is 86.99%", "87.24%"),
        ("IDVA percentage", "16 of 538 is 2.97%", "3.18%"),
        ("Other percentage", "22 of 538 is 4.09%", "3.80%"),
        ("Risk 'Removed' percentage", "48 of 422 is 11.37%", "9.97%"),
        ("Risk 'Accepted' percentage", "256 of 422 is 60.66%", "62.11%"),
    ],
    ("coventry", "2013-14"): [
        ("Children reported missing, April 2013 - March 2014", "323", "324"),
        ("Boys reported missing, April 2013 - March 2014", "115", "116"),
    ],
    ("coventry", "2023-24"): [],
    ("leicester", "2014-15"): [
        ("Referrals to children's social care, 2014-15", "4769", "4,809"),
        ("Children and young people under 18 living in Leicester", "69,369", "79,000"),
        ("Children in need / receiving a social care service at 31 March 2015", "2267", "2211"),
        ("LADO referrals involving misuse of technology or social media", "12 of 214 is 6%", "7%"),
        ("LADO referrals completed between 1 and 3 months", "40 of 214 is 18.7%", "19.6%"),
        ("LADO referrals completed between 3 and 6 months", "6 of 214 is 2.8%", "3.4%"),
        ("LADO referrals by time to complete", "= 209", "214"),
        ("Substantiated LADO referrals passed to the Disclosure and Barring service", "73%", "59%"),
        ("Stage 1 complaints answered within 20 working days, 2012/13", "74.6%", "74.7%"),
        ("Lay Member attendance", "4/4 is 100%", "75%"),
    ],
    ("cheshire_west", "2014-15"): [
        ("Premises / room hire spending this year", "4,873", "4,874"),
        ("MARAC victims aged 16/17, 2013/14", "10 of 443 is 2.3%", "3.7%"),
        ("Young people in direct work with the Catch 22 case worker", "8 + 17 = 25", "27"),
        ("Care leavers in education, employment or training at 19", "56.3%", "56.25%"),
        ("Private fostering notifications not already known", "= 7", "8"),
        ("LADO contacts that led to further investigation", "4 + 6 + 6 + 9 = 25", "45"),
        ("Child deaths reviewed by the Pan Cheshire CDOP that were of boys", "29 of 44 is 66%", "65%"),
        ("Child deaths reviewed by the Pan Cheshire CDOP with modifiable factors", "6 of 44 is 14%", "13%"),
    ],
}

# Declared checks whose figures agree: they must not warn.
AGREE = {
    ("coventry", "2013-14"): ["Children reported missing by sex", "Young people who went missing by placement"],
    ("leicester", "2014-15"): ["Contacts to children's social care that became referrals",
                               "LADO referrals concerning adults working with looked after children",
                               "Children receiving a social care service at 31 March 2015, by sex",
                               "CIN child seen within last 60 working days"],
    ("cheshire_west", "2014-15"): ["MARAC victims aged 16/17, this year",
                                   "Child deaths reviewed by the Pan Cheshire CDOP before the age of one",
                                   "Child deaths reviewed by the Pan Cheshire CDOP that were unexpected"],
}

_results: dict = {}


def result(board: str, year: str):
    """check_year of a real board, once per test session (its own cache folder, set by conftest)."""
    if (board, year) not in _results:
        _results[(board, year)] = check_year(Engine.open(board), year)
    return _results[(board, year)]


@pytest.mark.parametrize("board,year", list(KNOWN))
def test_real_board_has_no_data_errors(board, year):
    r = result(board, year)
    assert r.errors == [], [str(e) for e in r.errors]
    assert r.exit_code == 0                 # warnings never fail the check (tests/expected_warnings.yml)


@pytest.mark.parametrize("board,year,figure,a,b", [
    pytest.param(board, year, *known, id=f"{board}-{year}: {known[0][:50]}")
    for (board, year), items in KNOWN.items() for known in items
])
def test_known_inconsistency_is_warned(board, year, figure, a, b):
    texts = [str(w) for w in result(board, year).warnings]
    hits = [t for t in texts if f": {figure}" in t and a in t and b in t]
    assert hits, f"no warning names {figure!r} with {a!r} and {b!r}:\n" + "\n".join(texts)


@pytest.mark.parametrize("board,year,figure", [
    (board, year, figure) for (board, year), figures in AGREE.items() for figure in figures
])
def test_declared_checks_that_hold_do_not_warn(board, year, figure):
    assert not [w for w in result(board, year).warnings if w.figure.startswith(figure)]


def test_every_board_year_declares_its_checks():
    for board, year in KNOWN:
        data = Engine.open(board).data(year)
        assert data.exists("consistency.yml"), (board, year)
        assert isinstance(data.yaml("consistency.yml").get("checks"), list), (board, year)


# --- the four declared kinds, on a small board ---------------------------------------------------------

FIGURES = textwrap.dedent("""\
    kind: training
    blocks:
      - facts:
          - {value: "1,918", label: professionals trained}
          - {value: "8154", label: referrals in the first table}
          - {value: "8,177", label: referrals in the text}
          - {value: "22 (36%)", label: "reviews with modifiable factors, of 33 (67% if worked out)"}
          - {value: "43", label: "course delegates: 3 education, 13 health, 21 council, 2 voluntary, 3 other"}
          - {value: "528", label: "children on plans, of 111,872 aged 0-17: 47 per 10,000 (4.7 per 1,000), or 49 as printed later"}
    """)

BASE = {
    "sections/governance.budget.yml": "kind: budget\nblocks:\n  - budget: budget.csv\n",
    "budget.csv": "part,line,amount,kind,note\nIncome,Council,\"1,000\",line,\n"
                  "Income,Police,500,line,\nIncome,Total income,\"1,500\",total,\n",
    "sections/learning.training.yml": FIGURES,
}
IN = "sections/learning.training.yml"


def check(boards, checks: str):
    boards.make(files={**BASE, "consistency.yml": "checks:\n" + textwrap.indent(textwrap.dedent(checks), "  ")})
    return check_year(Engine.open("testshire"), "2014-15")


def test_no_consistency_file_no_declared_checks(boards):
    boards.make(files=BASE)
    r = check_year(Engine.open("testshire"), "2014-15")
    assert r.errors == [] and r.warnings == [] and r.exit_code == 2      # the tiny board misses musts


@pytest.mark.parametrize("kind,body", [
    ("same", f'[{{value: "1918", in: {IN}}}, {{value: "1,918", in: {IN}}}]'),
    ("percent", f'{{count: "22", of: "33", value: "67%", in: {IN}}}'),
    ("sum", f'{{parts: ["21", "22"], total: "43", in: {IN}}}'),
    ("sum", '{parts: ["1,000", "500"], total: "1,500", in: budget.csv}'),
    ("rate", f'{{count: "528", population: "111,872", value: "47", in: {IN}}}'),
    ("rate", f'{{count: "528", population: "111,872", value: "4.7", per: 1000, in: {IN}}}'),
], ids=["same", "percent", "sum", "sum-budget", "rate", "rate-per-1000"])
def test_a_consistent_declaration_gives_no_warning(boards, kind, body):
    r = check(boards, f"- figure: Something that agrees\n  {kind}: {body}\n")
    assert r.errors == [], [str(e) for e in r.errors]
    assert r.warnings == []
    assert r.exit_code == 2                  # no data error; the tiny board misses must requirements


@pytest.mark.parametrize("kind,body,expected", [
    ("same", f'[{{value: "8154", in: {IN}}}, {{value: "8,177", in: {IN}}}]',
     ["Referrals, 2013/14", "printed differently", "8154 in", "8,177 in", "learning.training.yml"]),
    ("percent", f'{{count: "22", of: "33", value: "36%", in: {IN}}}',
     ["Deaths with modifiable factors", "22 of 33 is 67% but 36% is printed"]),
    ("sum", f'{{parts: ["3", "13", "21", "2", "3"], total: "43", in: {IN}}}',
     ["Course delegates", "3 + 13 + 21 + 2 + 3 = 42 but the total printed is 43"]),
    ("rate", f'{{count: "528", population: "111,872", value: "49", in: {IN}}}',
     ["Children on plans per 10,000", "528 per 111,872 is 47 per 10,000 but 49 is printed"]),
], ids=["same", "percent", "sum", "rate"])
def test_an_inconsistent_declaration_warns_naming_both_values(boards, kind, body, expected):
    figure = expected[0]
    r = check(boards, f"- figure: {figure}\n  {kind}: {body}\n")
    assert r.errors == [], [str(e) for e in r.errors]
    assert len(r.warnings) == 1
    text = str(r.warnings[0])
    for piece in expected:
        assert piece in text, (piece, text)
    assert r.warnings[0].figure == figure
    assert r.exit_code == 2                  # a warning, never a data error (2: the tiny board misses musts)


def test_thousands_separators_are_optional(boards):
    r = check(boards, f"""\
        - figure: Referrals
          same: [{{value: "8,154", in: {IN}}}, {{value: "8177", in: {IN}}}]
        """)
    assert r.errors == []
    assert [w.figure for w in r.warnings] == ["Referrals"]


def test_a_value_not_in_its_file_is_a_data_error(boards):
    r = check(boards, f"""\
        - figure: Deaths with modifiable factors
          percent: {{count: "22", of: "33", value: "67%", in: {IN}}}
        - figure: Referrals
          same: [{{value: "8154", in: {IN}}}, {{value: "8200", in: {IN}}}]
        """)
    assert r.exit_code == 1
    (e,) = r.errors
    assert "consistency.yml" in str(e) and "checks[2]" in str(e)
    assert "8200" in str(e) and "learning.training.yml" in str(e)
    assert r.warnings == []                  # the broken declaration is not also compared


def test_a_value_in_another_file_only_is_a_data_error(boards):
    r = check(boards, """\
        - figure: Council contribution
          same: [{value: "1,918", in: budget.csv}, {value: "1,000", in: budget.csv}]
        """)
    (e,) = r.errors
    assert "consistency.yml" in str(e) and "checks[1]" in str(e) and "1,918" in str(e)


def test_a_file_that_does_not_exist_is_a_data_error(boards):
    r = check(boards, """\
        - figure: Referrals
          same: [{value: "8154", in: tables/referrals.csv}, {value: "8177", in: tables/referrals.csv}]
        """)
    (e,) = r.errors
    assert "consistency.yml" in str(e) and "checks[1]" in str(e) and "tables/referrals.csv" in str(e)


def test_an_unknown_kind_is_a_data_error(boards):
    r = check(boards, f"""\
        - figure: Course delegates
          sum: {{parts: ["21", "22"], total: "43", in: {IN}}}
        - figure: Deaths with modifiable factors
          ratio: {{count: "22", of: "33", value: "67%", in: {IN}}}
        """)
    assert r.exit_code == 1
    (e,) = r.errors
    assert "consistency.yml" in str(e) and "checks[2]" in str(e)
    for kind in ("same", "percent", "sum", "rate"):
        assert kind in e.expected


@pytest.mark.parametrize("checks,where", [
    # two kinds in one check
    (f'- figure: Both\n  same: [{{value: "43", in: {IN}}}]\n  sum: {{parts: ["43"], total: "43", in: {IN}}}\n',
     "checks[1]"),
    # no figure
    (f'- percent: {{count: "22", of: "33", value: "67%", in: {IN}}}\n', "checks[1]"),
    # a figure not quoted as printed
    (f'- figure: Unquoted\n  percent: {{count: 22, of: "33", value: "67%", in: {IN}}}\n', "checks[1]"),
    # a kind missing one of its keys
    (f'- figure: No base\n  percent: {{count: "22", value: "67%", in: {IN}}}\n', "checks[1] (percent)"),
    (f'- figure: No parts\n  sum: {{total: "43", in: {IN}}}\n', "checks[1] (sum)"),
], ids=["two-kinds", "no-figure", "unquoted", "percent-without-of", "sum-without-parts"])
def test_malformed_declarations_are_data_errors(boards, checks, where):
    r = check(boards, checks)
    assert r.exit_code == 1
    (e,) = r.errors
    assert "consistency.yml" in str(e) and where in str(e)


def test_checks_must_be_a_list(boards):
    boards.make(files={**BASE, "consistency.yml": "checks:\n  figure: Referrals\n"})
    r = check_year(Engine.open("testshire"), "2014-15")
    (e,) = r.errors
    assert "consistency.yml" in str(e) and "checks" in str(e)


# --- a percentage or rate of zero ---------------------------------------------------------------------

@pytest.mark.parametrize("kind,body,where", [
    ("percent", f'{{count: "22", of: "0", value: "36%", in: {IN}}}', "checks[1] (percent).of"),
    ("rate", f'{{count: "528", population: "0", value: "49", in: {IN}}}', "checks[1] (rate).population"),
], ids=["percent-of-0", "rate-of-population-0"])
def test_dividing_by_a_printed_zero_is_a_data_error_not_a_traceback(boards, capsys, kind, body, where):
    from tests.conftest import lscb
    r = check(boards, f"- figure: Share of nothing\n  {kind}: {body}\n")
    assert [(e.file, e.where, e.found) for e in r.errors] == [
        ("boards/testshire/data/2014-15/consistency.yml", where, "'0'")]
    assert r.warnings == [] and r.exit_code == 1
    code, out, err = lscb(["check", "testshire"], capsys)
    assert code == 1
    assert f"consistency.yml: {where}: expected a figure other than 0" in out
    assert "Traceback" not in out + err and "ZeroDivisionError" not in out + err


# --- a check of one's own, through the lscb_check_year hook -------------------------------------------

CHECK_PLUGIN = """\
    from core import hookimpl
    from core.errors import DataError
    from plugins.checks.findings import Pending, Warning_

    @hookimpl
    def lscb_check_year(engine, year):
        data = engine.data(year)
        kind = data.path("budget.csv").read_text().splitlines()[-1].split(",")[-1]
        return {{"warn": [Warning_(data.label("budget.csv"), "sign-off", "not signed off by the chair")],
                 "todo": [Pending(data.label("budget.csv"), "sign-off", "signature to collect")],
                 "error": [DataError(data.label("budget.csv"), "sign-off", "a date", "'soon'")]}}.get(kind)
"""


@pytest.mark.parametrize("note,code,line", [
    ("", 0, None),
    ("warn", 0, "  warning boards/testshire/data/2014-15/budget.csv: sign-off: not signed off by the chair"),
    ("todo", 3, "  TODO boards/testshire/data/2014-15/budget.csv: sign-off: signature to collect"),
    ("error", 1, "  ERROR boards/testshire/data/2014-15/budget.csv: sign-off: expected a date, found 'soon'"),
], ids=["nothing", "warning", "pending", "data-error"])
def test_a_plugins_own_check_reaches_the_output_and_the_exit_code(boards, capsys, note, code, line):
    from tests.conftest import lscb
    files = {**BASE, "budget.csv": BASE["budget.csv"].rstrip("\n") + note + "\n"}
    boards.make(files=files, plugins={"signoff.py": CHECK_PLUGIN.format()})
    got, out, err = lscb(["check", "testshire"], capsys)
    assert "Traceback" not in out + err
    if line is None:
        assert "sign-off" not in out
    else:
        assert line in out.splitlines()
    # the tiny board misses must requirements: without a finding of its own it exits 2, as printed
    assert got == (2 if code == 0 else code), out


def test_a_check_plugin_that_raises_is_a_plugin_error_naming_it(boards, capsys):
    from tests.conftest import lscb
    boards.make(files=BASE, plugins={"signoff.py": """\
        from core import hookimpl

        @hookimpl
        def lscb_check_year(engine, year):
            return [1 / 0]
        """})
    code, out, err = lscb(["check", "testshire"], capsys)
    assert code == 1
    assert "board:testshire/signoff" in out + err and "lscb_check_year" in out + err
    assert "ZeroDivisionError" in out + err and "Traceback" not in out + err
