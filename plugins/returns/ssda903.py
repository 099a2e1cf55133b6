"""The SSDA903 return (children looked after): header.csv, episodes.csv and missing.csv from one folder,
read in memory and checked before use. Column names follow the return's specification; the other files
of the return (uasc, reviews, ...) are not needed by the definitions and are not read."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import codes
from .problems import Problems

FILES = {
    "header.csv": ("CHILD", "SEX", "DOB"),
    "episodes.csv": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "DEC", "REC"),
    "missing.csv": ("CHILD", "MISSING", "MIS_START", "MIS_END"),
}
LEGAL_STATUSES = frozenset(codes.LEGAL_STATUS)
NEEDS = frozenset(codes.CATEGORY_OF_NEED)
PLACEMENTS = frozenset(codes.PLACEMENT)


@dataclass
class Episode:
    start: date              # DECOM
    reason_new: str          # RNE
    legal_status: str        # LS
    need: str                # CIN
    placement: str           # PLACE
    end: date | None         # DEC
    reason_end: str | None   # REC


@dataclass
class Missing:
    kind: str                # M missing, A away from placement without authorisation
    start: date
    end: date | None


@dataclass
class Child:
    key: str
    episodes: list[Episode] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _rows(path: Path, needed: tuple[str, ...], problems: Problems) -> list[tuple[int, dict[str, str]]]:
    label = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(label, "file", "", "the file", f"{label} in the SSDA903 folder", "no such file")
        return []
    except UnicodeDecodeError:
        problems.add(label, "file", "", "the file", "UTF-8 text", "bytes that are not UTF-8")
        return []
    reader = csv.reader(text.splitlines())
    header = [h.strip().upper() for h in next(reader, [])]
    missing = [c for c in needed if c not in header]
    if missing:
        problems.add(label, 1, "", "the header", f"the columns {list(needed)}", f"no column(s) {missing}")
        return []
    out = []
    for n, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.add(label, n, "", "the row", f"{len(header)} cells (as the header)", f"{len(row)} cells")
            continue
        out.append((n, dict(zip(header, (c.strip() for c in row)))))
    return out


def read_ssda903(folder: Path, problems: Problems) -> list[Child]:
    """The children of the return; every problem goes to ``problems`` (file, row, CHILD)."""
    if not folder.is_dir():
        problems.add(str(folder), "folder", "", "--ssda903", "a folder holding header.csv, episodes.csv, "
                     "missing.csv", "no such folder")
        return []
    children: dict[str, Child] = {}
    first_row: dict[str, int] = {}
    for n, row in _rows(folder / "header.csv", FILES["header.csv"], problems):
        key = row["CHILD"]
        who = f"CHILD {key}"
        if not key:
            problems.add("header.csv", n, "", "CHILD", "the child's identifier", "an empty field")
            continue
        if key in children:
            problems.add("header.csv", n, who, "CHILD", "one header row per child",
                         f"a second row (the first is row {first_row[key]})")
            continue
        first_row[key] = n
        problems.code("header.csv", n, who, "SEX", row["SEX"], codes.SEX)
        problems.date("header.csv", n, who, "DOB", row["DOB"], uk=True)
        children[key] = Child(key)

    where: dict[str, list[tuple[int, Episode]]] = {}
    for n, row in _rows(folder / "episodes.csv", FILES["episodes.csv"], problems):
        key, file = row["CHILD"], "episodes.csv"
        who = f"CHILD {key}"
        if not _in_header(problems, file, n, key, children):
            continue
        start = problems.date(file, n, who, "DECOM", row["DECOM"], uk=True)
        end = problems.date(file, n, who, "DEC", row["DEC"], required=False, uk=True)
        rne = problems.code(file, n, who, "RNE", row["RNE"], codes.REASON_NEW_EPISODE)
        ls = problems.code(file, n, who, "LS", row["LS"], LEGAL_STATUSES)
        need = problems.code(file, n, who, "CIN", row["CIN"], NEEDS)
        place = problems.code(file, n, who, "PLACE", row["PLACE"], PLACEMENTS)
        rec = None
        if end is not None:
            rec = problems.code(file, n, who, "REC", row["REC"], codes.REASON_EPISODE_CEASED)
        elif row["REC"] not in ("", "X"):
            problems.add(file, n, who, "REC", "an empty REC while DEC is empty (the episode is open)",
                         "a reason for an episode with no end date")
        if start and end and end < start:
            problems.add(file, n, who, "DEC", "a date on or after DECOM", "an earlier date")
            continue
        if None in (start, rne, ls, need, place) or (end is not None and rec is None):
            continue
        episode = Episode(start, rne, ls, need, place, end, rec)
        children[key].episodes.append(episode)
        where.setdefault(key, []).append((n, episode))

    missing_path = folder / "missing.csv"
    if missing_path.is_file():               # a year with no missing episodes may send no file
        for n, row in _rows(missing_path, FILES["missing.csv"], problems):
            key, file = row["CHILD"], "missing.csv"
            who = f"CHILD {key}"
            if not _in_header(problems, file, n, key, children):
                continue
            kind = problems.code(file, n, who, "MISSING", row["MISSING"], codes.MISSING_KINDS)
            start = problems.date(file, n, who, "MIS_START", row["MIS_START"], uk=True)
            end = problems.date(file, n, who, "MIS_END", row["MIS_END"], required=False, uk=True)
            if start and end and end < start:
                problems.add(file, n, who, "MIS_END", "a date on or after MIS_START", "an earlier date")
            elif kind and start:
                children[key].missing.append(Missing(kind, start, end))

    for key, rows in where.items():
        _check_episodes(key, rows, problems)
    return list(children.values())


def _check_episodes(key: str, rows: list[tuple[int, Episode]], problems: Problems) -> None:
    """One child's episodes follow one another without overlapping; an episode that ends with X1 (a
    change within the same period of care) is followed the same day by one that is not a new start,
    and a new period of care starts with RNE S."""
    who, file = f"CHILD {key}", "episodes.csv"
    rows = sorted(rows, key=lambda r: r[1].start)
    for (_, before), (n, after) in zip(rows, rows[1:]):
        if before.end is None or before.end > after.start:
            problems.add(file, n, who, "DECOM", "an episode starting on or after the previous episode's DEC",
                         "episodes that overlap")
        elif before.reason_end == codes.SAME_PERIOD:
            if after.start != before.end or after.reason_new == codes.STARTED:
                problems.add(file, n, who, "RNE", "after an episode ending X1, the next starting the same day "
                             "with a reason other than S", "a new period of care or a gap")
        elif after.reason_new != codes.STARTED:
            problems.add(file, n, who, "RNE", "S (a new period of care) after an episode that left care",
                         "a change within a period of care")


def _in_header(problems, file: str, n: int, key: str, children: dict) -> bool:
    """A row of episodes.csv or missing.csv must name a child of header.csv; otherwise one problem."""
    if key in children:
        return True
    problems.add(file, n, f"CHILD {key}" if key else "", "CHILD", "a child listed in header.csv",
                 "a child not in header.csv" if key else "an empty field")
    return False
