"""A board: its board.yml, its report years and where each year's book and data live."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import project
from .data import DataError, YearData, load_yaml
from .errors import BoardError

BOARD_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
YEAR = re.compile(r"^(\d{4})-(\d{2})$")
#: the Working Together editions, each with the last report year (by its first calendar year) it governs when
#: board.yml does not name one
EDITIONS = {"WT2013": 2014, "WT2015": 2017, "WT2018": 2023, "WT2023": 9999}
BODIES = ("LSCB", "partnership")


def default_edition(year: str) -> str:
    """The Working Together edition that governs a report year when board.yml does not name one."""
    return next(edition for edition, last in EDITIONS.items() if int(year[:4]) <= last)


def normalise_year(year: str) -> str:
    """'2013/14', '2013/2014', '2013-2014' -> '2013-14'; anything else is returned as given."""
    m = re.match(r"^\s*(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})\s*$", str(year))
    if not m or (len(m.group(2)) == 4 and m.group(2)[:2] != str(int(m.group(1)) + 1)[:2]):
        return str(year)
    return f"{m.group(1)}-{m.group(2)[-2:]}"


def is_year(year: str) -> bool:
    """A report year like 2013-14 (the second part the year after the first)."""
    m = YEAR.match(str(year))
    return bool(m) and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def check_year(year: str, label: str = "year") -> str:
    if not is_year(year):
        raise BoardError(f"{label}: expected a report year like 2013-14, found {year!r}")
    return str(year)


NEEDED = {"name": "the board's name (name: ...)", "area": "the local area it covers (area: ...)",
          "years": "its report years (years: with an entry such as 2013-14:)"}
#: what board.yml may say of one report year: the check each value must pass, and what it expects
YEAR_KEYS = {"title": (lambda v: isinstance(v, str), "a text"),
             "edition": (EDITIONS.__contains__, f"one of {list(EDITIONS)}"),
             "body": (BODIES.__contains__, f"one of {list(BODIES)}")}


def _year_info(label: str, year: str, info: Any) -> dict[str, Any]:
    """One entry of board.yml's ``years:``, with its edition, body and title filled in when not given."""
    if not is_year(year):
        raise DataError(label, f"key years.{year}", "a report year like 2013-14", repr(year))
    if info is not None and not isinstance(info, dict):
        raise DataError(label, f"key years.{year}", "a mapping (title:, edition:, body:, period:)", repr(info))
    info = {"title": f"Annual Report {year}", "edition": default_edition(year),
            "body": "LSCB" if int(year[:4]) < 2019 else "partnership", **(info or {})}
    for key, (ok, expected) in YEAR_KEYS.items():
        if not ok(info[key]):
            raise DataError(label, f"key years.{year}.{key}", expected, repr(info[key]))
    return info


@dataclass
class Board:
    """A board folder: identity and options from board.yml, one entry per report year."""
    id: str
    root: Path
    name: str
    area: str
    years: dict[str, dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def extra_plugins(self) -> list[str]:
        """Optional plugin modules this board switches on in board.yml (``plugins: [...]``)."""
        return list(self.meta.get("plugins") or [])

    @classmethod
    def load(cls, board_id: str, base: Path | None = None) -> Board:
        if not BOARD_ID.match(board_id or ""):
            raise BoardError(f"board name {board_id!r}: expected lower-case letters, digits and _ "
                             "(the folder name under boards/)")
        base = base or project.boards_dir()
        root = base / board_id
        if not (root / "board.yml").is_file():
            known = ", ".join(list_boards(base))
            where = (f"boards with a board.yml: {known}" if known else
                     "no boards there yet: `lscb new-board NAME --area AREA` makes one; or work in another "
                     "project folder: cd into it, or name it with --project DIR or LSCB_PROJECT")
            raise BoardError(f"no board {board_id!r}: {root / 'board.yml'} does not exist ({where})")
        label = f"boards/{board_id}/board.yml"
        raw = load_yaml(root / "board.yml", label)
        if not isinstance(raw, dict):
            raise DataError(label, "file", "a mapping of keys (name, area, years, options)", type(raw).__name__)
        for key, what in NEEDED.items():
            if key not in raw:
                raise DataError(label, f"key {key!r}", what, "no such key")
            if key != "years" and (not isinstance(raw[key], str) or not raw[key].strip()):
                raise DataError(label, f"key {key!r}", "a non-empty text", repr(raw[key]))
        if not isinstance(raw["years"], dict) or not raw["years"]:
            raise DataError(label, "key 'years'", "a mapping of report years (e.g. 2013-14:)", repr(raw["years"]))
        years = {str(year): _year_info(label, str(year), info) for year, info in raw["years"].items()}
        options, extra = raw.get("options") or {}, raw.get("plugins") or []
        if not isinstance(options, dict):
            raise DataError(label, "key 'options'", "a mapping", repr(options))
        if not isinstance(extra, list) or not all(isinstance(m, str) and re.match(r"^[\w.]+$", m) for m in extra):
            raise DataError(label, "key 'plugins'", "a list of plugin module names (e.g. [plugins.scrutiny_response])",
                            repr(extra))
        meta = {k: v for k, v in raw.items() if k not in ("years", "options")}
        return cls(board_id, root, raw["name"], raw["area"], years, options, meta)

    # --- years -----------------------------------------------------------------------------------
    def check_year(self, year: str) -> str:
        """The year as the board's folders name it: ``2013/14`` and ``2013-2014`` are read as ``2013-14``;
        a year the board does not have lists the years it has."""
        year = normalise_year(year)
        try:
            check_year(year)
        except BoardError as e:
            raise BoardError(f"{e}; {self.id} has the years {', '.join(self.years)}") from None
        if year not in self.years:
            raise BoardError(f"{self.id}: no report year {year!r}; years with data: "
                             f"{', '.join(self.years)}")
        return year

    def book_dir(self, year: str) -> Path:
        """The Quarto book of a year: ``<board>/<year>/`` if it exists, else the board folder."""
        per_year = self.root / year
        return per_year if (per_year / "_quarto.yml").is_file() else self.root

    def data(self, year: str) -> YearData:
        self.check_year(year)
        root = self.root / "data" / year
        if not root.is_dir():
            raise BoardError(f"{self.id} {year}: no data folder boards/{self.id}/data/{year}/")
        return YearData(root, self.root)

    def year_info(self, year: str) -> dict[str, Any]:
        return self.years[self.check_year(year)]

    def options_for(self, year: str) -> dict[str, Any]:
        merged = dict(self.options)
        merged.update(self.year_info(year).get("options") or {})
        return merged

    def display_name(self, year: str) -> str:
        return self.year_info(year).get("name") or self.name


def list_boards(base: Path | None = None) -> list[str]:
    base = base or project.boards_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "board.yml").is_file() and BOARD_ID.match(p.name))
