"""The figures, as the Department for Education's statistical releases define them (docs/returns.md says
which release each follows). In: the children read from a return, the reporting year, the population
of children under 18. Out: tidy indicator rows (aggregates only; nothing about any one child).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plugins.contracts import round_half_up

from . import cin, codes, ssda903
from .workdays import working_days_many

CIN_SOURCE = "Children in need census"
SSDA903_SOURCE = "SSDA903 return"
RATE_NOTE = "Rates per 10,000 children aged under 18 (ONS mid-year population estimate)."

PLANS_TOTAL = "All children on plans"
LOOKED_AFTER_TOTAL = "All children looked after"
ASSESSMENT_DAYS = 45     # working days: Working Together's timescale for an assessment
CONFERENCE_DAYS = 15     # working days from the start of the section 47 enquiry to the initial conference


@dataclass(frozen=True)
class Row:
    """One row of the tidy indicators file (docs/data-format.md)."""
    table: str
    indicator: str
    column: str
    period: str
    area: str
    value: str
    unit: str
    source: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.table, self.indicator, self.column


@dataclass(frozen=True)
class Year:
    """A reporting year, 1 April to 31 March."""
    label: str           # 2023-24

    @property
    def start(self) -> date:
        return date(int(self.label[:4]), 4, 1)

    @property
    def end(self) -> date:
        return date(int(self.label[:4]) + 1, 3, 31)

    @property
    def printed(self) -> str:       # 2023/24
        return self.label.replace("-", "/")

    @property
    def at_end(self) -> str:        # 31 March 2024
        return f"31 March {self.end.year}"

    def within(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end


def rounded(value: Decimal | float, places: int = 1) -> str:
    """Half away from zero, as the Department's tables round (2.25 -> 2.3)."""
    return str(round_half_up(value, places))


def percent(part: int, whole: int) -> str | None:
    return rounded(Decimal(part) * 100 / whole) if whole else None


def rate(count: int, population: int | None) -> str | None:
    return rounded(Decimal(count) * 10000 / population) if population else None


def twelve_months_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:               # 29 February
        return d.replace(year=d.year - 1, day=28)


def years_later(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


class Writer:
    """Collects rows for one return: the column names the area and year, the source the return."""

    def __init__(self, year: Year, area: str, source: str):
        self.year, self.area = year, area
        self.source = f"{source} {year.label}"
        self.column = f"{area} {year.printed}"
        self.rows: list[Row] = []

    def add(self, table: str, indicator: str, value: int | str | None, unit: str, at_end: bool = False,
            column: str | None = None, note: str = "") -> None:
        if value is None:              # a rate without a population, a percentage of nothing
            return
        period = self.year.at_end if at_end else self.year.label
        self.rows.append(Row(table, indicator, column or self.column, period, self.area, str(value), unit,
                             self.source, note))

    def counted(self, table: str, at_end: bool, counts: Counter, labels: list[str], total: str) -> None:
        """A breakdown: each group's count and its share of the total, in the release's order, then the
        total row (named for what it counts, so two breakdowns' totals are never taken for one figure)."""
        whole = sum(counts.values())
        for label in [*labels, total]:
            n = counts.get(label, 0) if label != total else whole
            self.add(table, label, n, "count", at_end)
            self.add(table, label, percent(n, whole), "percent", at_end, column=f"{self.column} (%)")


# --- children in need census -------------------------------------------------------------------------

def cin_rows(children: list[cin.Child], year: Year, area: str, population: int | None) -> list[Row]:
    """Characteristics of children in need: children in need, referrals, assessments, section 47
    enquiries and conferences, child protection plans."""
    w = Writer(year, area, CIN_SOURCE)
    t = "returns-children-in-need"

    in_need = sum(any(e.referral <= year.end and (e.closure is None or e.closure > year.end)
                      for e in c.episodes) for c in children)
    w.add(t, "Children in need at 31 March", in_need, "count", True)
    w.add(t, "Children in need – rate per 10,000", rate(in_need, population), "rate_per_10000", True, note=RATE_NOTE)

    referrals = re_referrals = 0
    for c in children:
        dates = sorted(e.referral for e in c.episodes)
        for i, d in enumerate(dates):
            if year.within(d):
                referrals += 1
                if i and dates[i - 1] >= twelve_months_before(d):
                    re_referrals += 1
    w.add(t, "Referrals in the year", referrals, "count")
    w.add(t, "Referrals – rate per 10,000", rate(referrals, population), "rate_per_10000", note=RATE_NOTE)
    w.add(t, "Re-referrals within 12 months", re_referrals, "count")
    w.add(t, "Re-referrals within 12 months (%)", percent(re_referrals, referrals), "percent")

    done = [a for c in children for e in c.episodes for a in e.assessments if year.within(a.authorised)]
    days = working_days_many([a.start for a in done], [a.authorised for a in done])
    on_time = int((days <= ASSESSMENT_DAYS).sum())
    w.add(t, "Assessments completed", len(done), "count")
    w.add(t, f"Assessments completed within {ASSESSMENT_DAYS} working days", on_time, "count")
    w.add(t, f"Assessments completed within {ASSESSMENT_DAYS} working days (%)", percent(on_time, len(done)),
          "percent")

    enquiries = [s for c in children for e in c.episodes for s in e.enquiries]
    started = sum(year.within(s.start) for s in enquiries)
    w.add(t, "Section 47 enquiries started", started, "count")
    w.add(t, "Section 47 enquiries – rate per 10,000", rate(started, population), "rate_per_10000", note=RATE_NOTE)
    held = [s for s in enquiries if year.within(s.conference)]
    # A conference recorded on the episode without an enquiry of that date is still a conference held.
    extra = sum(1 for c in children for e in c.episodes
                if year.within(e.conference) and all(s.conference != e.conference for s in e.enquiries))
    days = working_days_many([s.start for s in held], [s.conference for s in held])
    in_time = int((days <= CONFERENCE_DAYS).sum())
    w.add(t, "Initial child protection conferences", len(held) + extra, "count")
    w.add(t, f"Initial conferences within {CONFERENCE_DAYS} working days of the enquiry starting", in_time, "count")
    w.add(t, f"Initial conferences within {CONFERENCE_DAYS} working days of the enquiry starting (%)",
          percent(in_time, len(held)), "percent")

    t = "returns-child-protection"
    plans = [(c.key, p) for c in children for e in c.episodes for p in e.plans]
    open_at_end = {key: p for key, p in sorted(plans, key=lambda kp: kp[1].start)
                   if p.start <= year.end and (p.end is None or p.end > year.end)}
    w.add(t, "Children on child protection plans at 31 March", len(open_at_end), "count", True)
    w.add(t, "Children on child protection plans – rate per 10,000", rate(len(open_at_end), population),
          "rate_per_10000", True, note=RATE_NOTE)
    earliest: dict[str, date] = {}
    for key, p in plans:
        earliest[key] = min(p.start, earliest.get(key, p.start))
    begun = [(key, p) for key, p in plans if year.within(p.start)]
    second = sum(1 for key, p in begun if p.previous > 0 or earliest[key] < p.start)
    w.add(t, "Child protection plans started", len(begun), "count")
    w.add(t, "Plans started that were a second or subsequent plan", second, "count")
    w.add(t, "Plans started that were a second or subsequent plan (%)", percent(second, len(begun)), "percent")
    ended = [p for _, p in plans if year.within(p.end)]
    long = sum(1 for p in ended if p.end >= years_later(p.start, 2))
    w.add(t, "Child protection plans ended", len(ended), "count")
    w.add(t, "Plans ended that had lasted two years or more", long, "count")
    w.add(t, "Plans ended that had lasted two years or more (%)", percent(long, len(ended)), "percent")

    by_category = Counter(codes.ABUSE_CATEGORIES[p.category] for p in open_at_end.values())
    w.counted("returns-abuse-category", True, by_category, codes.ordered(codes.ABUSE_CATEGORIES),
              PLANS_TOTAL)
    return w.rows


# --- SSDA903 -----------------------------------------------------------------------------------------

def ssda903_rows(children: list[ssda903.Child], year: Year, area: str, population: int | None) -> list[Row]:
    """Children looked after in England: at 31 March, starting and ceasing in the year, by legal status,
    category of need and placement; children who went missing or were away from placement."""
    w = Writer(year, area, SSDA903_SOURCE)
    t = "returns-looked-after"
    at_end: list[ssda903.Episode] = []
    started = ceased = 0
    for c in children:
        episodes = [e for e in c.episodes if e.legal_status not in codes.SHORT_BREAKS]
        current = [e for e in episodes if e.start <= year.end and (e.end is None or e.end > year.end)]
        if current:
            at_end.append(max(current, key=lambda e: e.start))
        started += any(e.reason_new == codes.STARTED and year.within(e.start) for e in episodes)
        ceased += any(year.within(e.end) and e.reason_end != codes.SAME_PERIOD for e in episodes)
    w.add(t, "Children looked after at 31 March", len(at_end), "count", True)
    w.add(t, "Children looked after – rate per 10,000", rate(len(at_end), population), "rate_per_10000", True,
          note=RATE_NOTE)
    w.add(t, "Children who started to be looked after", started, "count")
    w.add(t, "Children who ceased to be looked after", ceased, "count")

    for kind, who, what in (("M", "Children who went missing", "Missing episodes"),
                            ("A", "Children away from placement without authorisation", "Away from placement episodes")):
        spells = [(c.key, m) for c in children for m in c.missing if m.kind == kind and year.within(m.start)]
        w.add(t, who, len({key for key, _ in spells}), "count")
        w.add(t, what, len(spells), "count")

    legal = [s for s in codes.ordered(codes.LEGAL_STATUS) if s != "Short breaks"]
    w.counted("returns-legal-status", True, Counter(codes.LEGAL_STATUS[e.legal_status] for e in at_end), legal,
              LOOKED_AFTER_TOTAL)
    w.counted("returns-category-of-need", True, Counter(codes.CATEGORY_OF_NEED[e.need] for e in at_end),
              codes.ordered(codes.CATEGORY_OF_NEED), LOOKED_AFTER_TOTAL)
    w.counted("returns-placement", True, Counter(codes.PLACEMENT[e.placement] for e in at_end),
              codes.ordered(codes.PLACEMENT), LOOKED_AFTER_TOTAL)
    return w.rows
