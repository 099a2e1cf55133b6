"""What is wrong with a return, one message per problem, in the local-authority validators' manner:
the file, the row (line of the XML, row of the CSV) and the record's own key (LAchildID or CHILD).

A message never carries a child's other values: no date of birth, no postcode, not even the bad date
or code itself (the field name and the row find it), because a message can end up in a ticket or a log.
"""
from __future__ import annotations

import re
from datetime import date

from core.errors import DataError, DataErrors, LscbError

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_UK = re.compile(r"\d{2}/\d{2}/\d{4}")


class ReturnError(DataErrors):
    """A return refused before use: every problem found, by file, row and key; nothing was written."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        shown = errors[:200]
        lines = "\n".join(f"  {e}" for e in shown)
        more = f"\n  ... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        LscbError.__init__(self, f"{len(errors)} problem(s) in the returns; nothing was written:\n{lines}{more}")


class Problems:
    """Collects the problems of one file; ``raise_if_any`` refuses the whole return."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, file: str, row: int | str, key: str, field: str, expected: str, found: str) -> None:
        where = f"row {row}" if isinstance(row, int) else row
        who = f" ({key})" if key else ""
        self.errors.append(DataError(file, f"{where}{who}, {field}", expected, found))

    def date(self, file: str, row: int, key: str, field: str, text: str, required: bool = True,
             uk: bool = False) -> date | None:
        """A date field: YYYY-MM-DD (the census), DD/MM/YYYY or YYYY-MM-DD (SSDA903)."""
        text = (text or "").strip()
        if not text:
            if required:
                self.add(file, row, key, field, "a date", "an empty field")
            return None
        try:
            if _ISO.fullmatch(text):
                return date.fromisoformat(text)
            if uk and _UK.fullmatch(text):
                return date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            self.add(file, row, key, field, "a real calendar date", "a day or month out of range")
            return None
        self.add(file, row, key, field, "a date as DD/MM/YYYY" if uk else "a date as YYYY-MM-DD",
                 "text in another form")
        return None

    def code(self, file: str, row: int, key: str, field: str, text: str, allowed, required: bool = True) -> str | None:
        text = (text or "").strip()
        if not text:
            if required:
                self.add(file, row, key, field, "a code from the return's code list", "an empty field")
            return None
        if text not in allowed:
            self.add(file, row, key, field, f"one of the codes {sorted(allowed)}", "a code not in that list")
            return None
        return text

    def raise_if_any(self) -> None:
        if self.errors:
            raise ReturnError(self.errors)
