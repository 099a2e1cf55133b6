"""Working days as the Department counts timeliness: weekdays that are not bank holidays in England
(England and Wales share them), from the maintained ``holidays`` library."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=8)
def bank_holidays(first: int, last: int) -> np.ndarray:
    """England's bank holidays of the calendar years first..last, as numpy dates."""
    import holidays
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``: an assessment started on a Monday and
    authorised on the Tuesday took 1 working day; one authorised the same day took 0."""
    return int(working_days_many([start], [end])[0])


def working_days_many(starts: list[date], ends: list[date]) -> np.ndarray:
    """:func:`working_days` for many pairs at once (tens of thousands of assessments in a few ms)."""
    if not starts:
        return np.zeros(0, dtype=int)
    a = np.array(starts, dtype="datetime64[D]") + 1
    b = np.array(ends, dtype="datetime64[D]") + 1
    lo, hi = min(starts).year, max(max(ends), max(starts) + timedelta(days=1)).year
    return np.busday_count(a, b, holidays=bank_holidays(lo, hi))
