"""What counts as a figure: the one rule key figures are checked against (docs/data-format.md).

A key figure holds a figure written in numerals — a count, money, a percentage, a rate, a rank, "11 out
of 119", a fraction, a change — so a tile never carries a name, a date or number words. The rule is a
small grammar rather than "contains a digit": "July 3 2014" and "27th March 2013" hold digits and are dates.
"""
from __future__ import annotations

import re

# 1,234 / 1 234 (GSS: display adds the comma) / 1234 / 52.3
_NUM = r"(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?:days?|weeks?|months?|years?|hours?|minutes?)"
_QTY = (rf"(?:£\s?{_NUM}(?:\s?(?:m|k|bn|million|billion))?"            # £207,946  £1.2m
        rf"|\d+(?:st|nd|rd|th)"                                        # 11th
        rf"|{_NUM}(?:\s?%|\s?pp"                                       # 71%  4.5 %  +3pp
        rf"|\s(?:per|in)\s{_NUM}"                                      # 52.3 per 10,000  1 in 20
        rf"|\s{_UNIT}(?:\sand\s{_NUM}\s{_UNIT})?"                      # 5 days  15 years and 5 months
        rf"|\s(?:out\s)?of\s(?:the\s)?{_NUM}"                          # 11 out of 119  12 of the 13
        rf"|/{_NUM})?)")                                               # 5/7
_QUALIFIER = (r"(?:[<>~≈≤≥]\s?|(?:over|under|around|about|almost|nearly|approximately|c\.|more than|"
              r"less than|fewer than|up to|at least)\s)")
_SIGNED = rf"{_QUALIFIER}?[-+−]?{_QTY}(?:\s?(?:to|-|–)\s?{_QTY})?"       # also ranges: 30 to 40%
#: GSS shorthand standing in for a figure: [c] confidential, [x] not available, [z] not applicable ...
GSS_SHORTHAND = r"\[(?:c|x|z|low|u|e|p|r)\]"
_SHORTHAND = rf"(?:{GSS_SHORTHAND}|\[to fill\])"                  # [to fill]: plugins.contracts.TO_FILL
FIGURE = re.compile(rf"^(?:{_SHORTHAND}+|{_SIGNED}(?:\s?\({_SIGNED}\))?(?:\s?{_SHORTHAND})?)$", re.I)

#: the words of the rule, for error messages
FIGURE_EXPECTED = ("a figure written in numerals: a count (1,234), money (£207,946, £1.2m), a percentage "
                   "(71%), a rate (52.3 per 10,000), a rank (11th), 11 out of 119, 5/7, a change (+12%), "
                   "optionally with <, >, ~, 'over'/'around' or GSS shorthand ([c]); names, dates and "
                   "number words belong in the text or the label")

_MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I)
_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|half|third|quarter|"
    r"first|second|fifth|sixth|seventh|eighth|ninth|tenth|twelfth|twice|several|many|all|none)\b", re.I)


def is_figure(value: str) -> bool:
    """True when ``value`` is a figure written in numerals (the key-figure rule)."""
    return bool(FIGURE.match(" ".join(str(value).split())))


def what_it_is(value: str) -> str:
    """A short description of a value that is not a figure, for the error message."""
    s = str(value)
    if _MONTHS.search(s) and re.search(r"\d", s):
        return "a date"
    if _NUMBER_WORDS.search(s):
        return "number words" if not re.search(r"\d", s) else "words around a number"
    if not re.search(r"\d", s):
        return "words (a name, an answer or a phrase), not a figure"
    return "a figure with words the rule does not allow"


# --- numbers one way: thousands separators as GSS asks, the stored value untouched ----------------------
_PLAIN = re.compile(rf"^(?P<pre>{_QUALIFIER}?[-+−]?£?\s?)"
                    r"(?P<int>[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+|[1-9]\d{3,})"
                    r"(?P<post>(?:\.\d+)?\s?(?:%|m|k|bn)?)$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: headers of columns (or stubs of rows) holding years, periods or dates: never given separators
# (the whole header: "As at 31 March 2014" or "Quarter 1" head columns of counts)
YEARISH = re.compile(r"^\W*(?:financial |academic |calendar |reporting )?"
                     r"(?:years?|periods?|dates?|quarters?|months?|yr|fy)\W*$", re.I)
#: headers of columns holding codes or identifiers
CODEISH = re.compile(r"^(?:code|id|ref\.?|reference|no\.?|urn|postcode|phone|telephone|tel\.?)$|"
                     r"\b(?:code|id)$", re.I)


def display_number(value: str) -> str:
    """A whole number shown with a comma between thousands ("2267" -> "2,267", "£207 946" -> "£207,946");
    anything else — text, a figure already separated, a code with a leading zero, a number inside words —
    unchanged. Callers keep years and codes away from it (a year reads 2013, not 2,013)."""
    s = str(value)
    share = re.match(r"^(?P<n>[^()]+?)(?P<share>\s?\([^()]*\))$", s.strip())    # "2267 (35%)": its count
    if share and _PLAIN.match(share["n"]):
        return display_number(share["n"]) + share["share"]
    m = _PLAIN.match(s.strip())
    if not m:
        return s
    digits = re.sub(r"\D", "", m["int"])
    return f"{m['pre']}{int(digits):,}{m['post']}"


def year_or_code_column(header: str, values: list[str]) -> bool:
    """A column of years, periods, dates, codes or identifiers: its numbers are shown exactly as stored."""
    filled = [v.strip() for v in values if v and v.strip()]
    return bool(YEARISH.match(header) or CODEISH.search(header.strip())
                or (filled and all(_YEAR.match(v) for v in filled)))
