"""The returns' definitions on small synthetic returns whose answers were worked out by hand (year
2023-24: 1 April 2023 to 31 March 2024; bank holidays 25, 26 December 2023, 1 January, 29 March and
1 April 2024)."""
from __future__ import annotations

from datetime import date as d

import pytest

from plugins.returns import cin, definitions, ssda903
from plugins.returns.problems import Problems
from plugins.returns.workdays import working_days
from tests.returns.generate import CinChild, Episode, LacChild, Referral, write_cin, write_ssda903

YEAR = definitions.Year("2023-24")
COL = "Newtown 2023/24"


def figures(rows: list[definitions.Row]) -> dict[tuple[str, str], str]:
    return {(r.indicator, r.column): r.value for r in rows}


def cin_figures(tmp_path, children, population=10000):
    problems = Problems()
    read = cin.read_cin(write_cin(tmp_path / "cin.xml", children), problems)
    assert problems.errors == []
    return figures(definitions.cin_rows(read, YEAR, "Newtown", population))


def lac_figures(tmp_path, children, population=10000):
    problems = Problems()
    read = ssda903.read_ssda903(write_ssda903(tmp_path / "903", children), problems)
    assert problems.errors == []
    return figures(definitions.ssda903_rows(read, YEAR, "Newtown", population))


# --- working days ------------------------------------------------------------------------------------

def test_working_days_skip_weekends_and_the_christmas_and_new_year_bank_holidays():
    # Fri 1 Dec 2023 -> counted by hand: 18 working days left in December (25, 26 Dec off), Jan 1 off,
    # 22 in January, 7 Feb is the 45th working day, 8 Feb the 46th.
    assert working_days(d(2023, 12, 1), d(2024, 2, 7)) == 45
    assert working_days(d(2023, 12, 1), d(2024, 2, 8)) == 46
    assert working_days(d(2024, 3, 28), d(2024, 4, 2)) == 1       # Good Friday and Easter Monday
    assert working_days(d(2023, 6, 5), d(2023, 6, 5)) == 0


# --- children in need census -------------------------------------------------------------------------

def test_assessments_finishing_on_working_day_45_and_46_across_the_bank_holidays(tmp_path):
    children = [
        CinChild("ZQ000001", d(2015, 1, 1), [Referral(d(2023, 12, 1), assessments=[(d(2023, 12, 1), d(2024, 2, 7))])]),
        CinChild("ZQ000002", d(2016, 1, 1), [Referral(d(2023, 12, 1), assessments=[(d(2023, 12, 1), d(2024, 2, 8))])]),
        # started in the year, not yet authorised: not a completed assessment
        CinChild("ZQ000003", d(2016, 1, 1), [Referral(d(2024, 3, 1), assessments=[(d(2024, 3, 1), None)])]),
    ]
    f = cin_figures(tmp_path, children)
    assert f[("Assessments completed", COL)] == "2"
    assert f[("Assessments completed within 45 working days", COL)] == "1"
    assert f[("Assessments completed within 45 working days (%)", COL)] == "50.0"


def test_re_referrals_within_12_months_count_at_11_months_not_at_13(tmp_path):
    children = [
        CinChild("ZQ000011", d(2012, 2, 3), [Referral(d(2022, 6, 15), d(2022, 7, 1)), Referral(d(2023, 5, 15))]),
        CinChild("ZQ000013", d(2012, 2, 3), [Referral(d(2022, 4, 10), d(2022, 5, 1)), Referral(d(2023, 5, 10))]),
        CinChild("ZQ000014", d(2012, 2, 3), [Referral(d(2023, 9, 1), d(2023, 9, 1), nfa=True)]),
    ]
    f = cin_figures(tmp_path, children)
    assert f[("Referrals in the year", COL)] == "3"
    assert f[("Re-referrals within 12 months", COL)] == "1"
    assert f[("Re-referrals within 12 months (%)", COL)] == "33.3"
    assert f[("Referrals – rate per 10,000", COL)] == "3.0"


def test_children_in_need_at_31_march_include_an_episode_crossing_it_not_one_closed_on_it(tmp_path):
    children = [
        CinChild("ZQ000021", d(2010, 1, 1), [Referral(d(2023, 3, 20))]),                 # open across the year
        CinChild("ZQ000022", d(2010, 1, 1), [Referral(d(2023, 6, 1), d(2024, 3, 31))]),  # closed on 31 March
        CinChild("ZQ000023", d(2010, 1, 1), [Referral(d(2024, 3, 31))]),                 # referred on 31 March
    ]
    f = cin_figures(tmp_path, children, population=400)
    assert f[("Children in need at 31 March", COL)] == "2"
    assert f[("Children in need – rate per 10,000", COL)] == "50.0"
    assert f[("Referrals in the year", COL)] == "2"                  # the 2023-03-20 referral is last year's


def test_conferences_within_15_working_days_of_the_enquiry(tmp_path):
    # Fri 15 Dec 2023: 5 working days to 22 Dec, 27-29 Dec, 2-5 Jan -> 12; 10 Jan is the 15th, 11 Jan the 16th
    children = [
        CinChild("ZQ000031", d(2011, 1, 1), [Referral(d(2023, 12, 14), enquiries=[(d(2023, 12, 15), d(2024, 1, 10))])]),
        CinChild("ZQ000032", d(2011, 1, 1), [Referral(d(2023, 12, 14), enquiries=[(d(2023, 12, 15), d(2024, 1, 11))])]),
        CinChild("ZQ000033", d(2011, 1, 1), [Referral(d(2024, 2, 1), enquiries=[(d(2024, 2, 1), None)])]),
    ]
    f = cin_figures(tmp_path, children)
    assert f[("Section 47 enquiries started", COL)] == "3"
    assert f[("Initial child protection conferences", COL)] == "2"
    assert f[("Initial conferences within 15 working days of the enquiry starting", COL)] == "1"
    assert f[("Initial conferences within 15 working days of the enquiry starting (%)", COL)] == "50.0"


def test_a_second_plan_and_plans_that_lasted_two_years(tmp_path):
    children = [
        # an earlier plan in an earlier episode, then a second plan in the year
        CinChild("ZQ000041", d(2014, 1, 1), [
            Referral(d(2022, 4, 1), d(2023, 2, 1), plans=[(d(2022, 5, 1), d(2023, 2, 1), "NEG", 0)]),
            Referral(d(2023, 7, 1), plans=[(d(2023, 8, 1), None, "EMO", 1)])]),
        # a first plan in the year
        CinChild("ZQ000042", d(2014, 1, 1), [Referral(d(2023, 8, 1), plans=[(d(2023, 9, 1), None, "NEG", 0)])]),
        # exactly two years: counts; one day short: does not
        CinChild("ZQ000043", d(2014, 1, 1), [Referral(d(2021, 5, 1), d(2023, 6, 1),
                                                      plans=[(d(2021, 6, 1), d(2023, 6, 1), "PHY", 0)])]),
        CinChild("ZQ000044", d(2014, 1, 1), [Referral(d(2021, 5, 1), d(2023, 6, 1),
                                                      plans=[(d(2021, 6, 2), d(2023, 6, 1), "SAB", 0)])]),
    ]
    f = cin_figures(tmp_path, children)
    assert f[("Child protection plans started", COL)] == "2"
    assert f[("Plans started that were a second or subsequent plan", COL)] == "1"
    assert f[("Plans started that were a second or subsequent plan (%)", COL)] == "50.0"
    assert f[("Child protection plans ended", COL)] == "2"
    assert f[("Plans ended that had lasted two years or more", COL)] == "1"
    assert f[("Children on child protection plans at 31 March", COL)] == "2"
    assert f[("Emotional abuse", COL)] == "1" and f[("Neglect", COL)] == "1" and f[("Physical abuse", COL)] == "0"
    assert f[("Neglect", f"{COL} (%)")] == "50.0" and f[("All children on plans", COL)] == "2"


# --- SSDA903 -----------------------------------------------------------------------------------------

def test_looked_after_at_31_march_started_and_ceased(tmp_path):
    children = [
        LacChild("ZQ000051", d(2012, 1, 1), episodes=[Episode(d(2023, 1, 10), ls="C2", place="U1")]),  # crosses 1 April
        LacChild("ZQ000052", d(2012, 1, 1), episodes=[Episode(d(2023, 6, 1), end=d(2024, 3, 31), rec="E11")]),
        LacChild("ZQ000053", d(2012, 1, 1), episodes=[Episode(d(2024, 3, 31), ls="V2", place="U4")]),
        # a change of placement within one period of care: one child, started once, placed in a children's home
        LacChild("ZQ000054", d(2012, 1, 1), episodes=[
            Episode(d(2023, 5, 1), ls="C1", need="N4", place="U1", end=d(2023, 9, 1), rec="X1"),
            Episode(d(2023, 9, 1), rne="P", ls="C1", need="N4", place="K2")]),
        # short breaks are left out altogether
        LacChild("ZQ000055", d(2012, 1, 1), episodes=[Episode(d(2023, 5, 1), ls="V3", place="T1")]),
    ]
    f = lac_figures(tmp_path, children, population=800)
    assert f[("Children looked after at 31 March", COL)] == "3"
    assert f[("Children looked after – rate per 10,000", COL)] == "37.5"
    assert f[("Children who started to be looked after", COL)] == "3"
    assert f[("Children who ceased to be looked after", COL)] == "1"
    assert f[("Full care orders", COL)] == "1" and f[("Interim care orders", COL)] == "1"
    assert f[("Voluntary agreements under section 20", COL)] == "1"
    assert f[("Secure units, children's homes and semi-independent living", COL)] == "1"
    assert f[("Foster placements", COL)] == "2"
    assert f[("Family in acute stress", COL)] == "1" and f[("Abuse or neglect", COL)] == "2"
    assert f[("All children looked after", f"{COL} (%)")] == "100.0"


def test_a_missing_episode_and_an_away_episode(tmp_path):
    children = [
        LacChild("ZQ000061", d(2009, 1, 1), episodes=[Episode(d(2022, 1, 1))],
                 missing=[("M", d(2023, 7, 1), d(2023, 7, 2)), ("M", d(2023, 8, 10), None),
                          ("A", d(2023, 9, 1), d(2023, 9, 1)), ("M", d(2023, 3, 1), d(2023, 3, 2))]),
        LacChild("ZQ000062", d(2009, 1, 1), episodes=[Episode(d(2022, 1, 1))]),
    ]
    f = lac_figures(tmp_path, children)
    assert f[("Children who went missing", COL)] == "1"
    assert f[("Missing episodes", COL)] == "2"                      # the March 2023 one was last year
    assert f[("Children away from placement without authorisation", COL)] == "1"
    assert f[("Away from placement episodes", COL)] == "1"


def test_no_population_no_rates(tmp_path):
    f = lac_figures(tmp_path, [LacChild("ZQ000071", d(2009, 1, 1), episodes=[Episode(d(2022, 1, 1))])],
                    population=None)
    assert f[("Children looked after at 31 March", COL)] == "1"
    assert not any("rate" in indicator for indicator, _ in f)


@pytest.mark.parametrize("value, expected", [(2.25, "2.3"), (0.05, "0.1"), (12.349, "12.3")])
def test_rounding_is_half_away_from_zero(value, expected):
    assert definitions.rounded(value) == expected
