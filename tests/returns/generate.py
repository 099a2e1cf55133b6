"""Synthetic statutory returns: a children in need census (XML) and an SSDA903 return (CSV folder),
written at test time from small descriptions (the hand-worked cases) or at random for a whole year (the
worked example, the benchmark). The formats are the public specifications; every child is invented.

    python -m tests.returns.generate OUT --year 2023-24 --children 2000 --seed 1
"""
from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

# --- descriptions ------------------------------------------------------------------------------------


@dataclass
class Referral:
    referral: date
    closure: date | None = None
    source: str = "5A"
    need: str = "N1"
    nfa: bool = False
    reason_closed: str = "RC8"
    assessments: list[tuple[date, date | None]] = field(default_factory=list)
    enquiries: list[tuple[date, date | None]] = field(default_factory=list)     # S47 start, ICPC
    plans: list[tuple[date, date | None, str, int]] = field(default_factory=list)  # start, end, category, previous


@dataclass
class CinChild:
    key: str
    born: date
    referrals: list[Referral] = field(default_factory=list)


@dataclass
class Episode:
    start: date
    rne: str = "S"
    ls: str = "C2"
    need: str = "N1"
    place: str = "U1"
    end: date | None = None
    rec: str = ""


@dataclass
class LacChild:
    key: str
    born: date
    sex: str = "1"
    episodes: list[Episode] = field(default_factory=list)
    missing: list[tuple[str, date, date | None]] = field(default_factory=list)   # M/A, start, end


# --- writers -----------------------------------------------------------------------------------------

def _el(tag: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "1" if value else "0"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def cin_xml(children: list[CinChild], year: str = "2023-24") -> str:
    """The census as text, one element per line (so problems have their own line numbers)."""
    end = int(year[:4]) + 1
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Message>", "<Header>", "<CollectionDetails>",
           _el("Collection", "CIN"), _el("Year", end), _el("ReferenceDate", f"{end}-03-31"),
           "</CollectionDetails>", "</Header>", "<Children>"]
    for c in children:
        out += ["<Child>", "<ChildIdentifiers>", _el("LAchildID", c.key), _el("UPN", ""),
                _el("PersonBirthDate", c.born.isoformat()), _el("GenderCurrent", "1"), "</ChildIdentifiers>",
                "<ChildCharacteristics>", _el("Ethnicity", "WBRI"), "</ChildCharacteristics>"]
        for r in c.referrals:
            out += ["<CINdetails>", _el("CINreferralDate", r.referral.isoformat()),
                    _el("ReferralSource", r.source), _el("PrimaryNeedCode", r.need),
                    _el("CINclosureDate", r.closure.isoformat() if r.closure else ""),
                    _el("ReasonForClosure", r.reason_closed if r.closure else ""),
                    _el("ReferralNFA", r.nfa)]
            for start, done in r.assessments:
                out += ["<Assessments>", _el("AssessmentActualStartDate", start.isoformat()),
                        _el("AssessmentAuthorisationDate", done.isoformat() if done else ""),
                        "<FactorsIdentifiedAtAssessment>", _el("AssessmentFactors", "21"),
                        "</FactorsIdentifiedAtAssessment>", "</Assessments>"]
            for start, icpc in r.enquiries:
                out += ["<Section47>", _el("S47ActualStartDate", start.isoformat()),
                        _el("InitialCPCtarget", (start + timedelta(days=21)).isoformat()),
                        _el("DateOfInitialCPC", icpc.isoformat() if icpc else ""),
                        _el("ICPCnotRequired", icpc is None), "</Section47>"]
            for start, stop, category, previous in r.plans:
                out += ["<ChildProtectionPlans>", _el("CPPstartDate", start.isoformat()),
                        _el("CPPendDate", stop.isoformat() if stop else ""),
                        _el("InitialCategoryOfAbuse", category), _el("LatestCategoryOfAbuse", category),
                        _el("NumberOfPreviousCPP", previous), "</ChildProtectionPlans>"]
            out.append("</CINdetails>")
        out.append("</Child>")
    out += ["</Children>", "</Message>", ""]
    return "\n".join(out)


def _uk(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def write_cin(path: Path, children: list[CinChild], year: str = "2023-24") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cin_xml(children, year), encoding="utf-8")
    return path


def write_ssda903(folder: Path, children: list[LacChild]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "header.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for c in children:
            w.writerow([c.key, c.sex, _uk(c.born), "WBRI", "UN1", "", ""])
    with open(folder / "episodes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"])
        for c in children:
            for e in c.episodes:
                w.writerow([c.key, _uk(e.start), e.rne, e.ls, e.need, e.place, "PR1", _uk(e.end), e.rec,
                            "", "ZZ1 1ZZ", "ZZ2 2ZZ", "SC000000"])
    with open(folder / "missing.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
        for c in children:
            for kind, start, end in c.missing:
                w.writerow([c.key, _uk(c.born), kind, _uk(start), _uk(end)])
    return folder


# --- a random but valid year -------------------------------------------------------------------------

NEEDS = ["N1"] * 6 + ["N2", "N3", "N4", "N5", "N6", "N7", "N8"]
CATEGORIES = ["NEG"] * 5 + ["EMO"] * 4 + ["PHY", "SAB", "MUL"]
LEGAL = ["C2"] * 6 + ["C1", "C1", "V2", "V2", "E1", "J2", "L2"]
PLACES = ["U1", "U3", "U4", "U5", "U6"] * 4 + ["A5", "P1", "P2", "H5", "K2", "K2", "R1", "S1", "T1", "Z1"]


def random_year(year: str = "2023-24", children: int = 2000, seed: int = 1,
                prefix: str = "ZQ") -> tuple[list[CinChild], list[LacChild]]:
    """About ``children`` children in need over the year, a fifth of them looked after; child ids are
    ``prefix`` + 6 digits so a test can search for them."""
    rnd = random.Random(seed)
    first = date(int(year[:4]), 4, 1)
    last = date(int(year[:4]) + 1, 3, 31)
    span = (last - first).days

    def day(lo: date, hi: date) -> date:
        return lo + timedelta(days=rnd.randint(0, max(0, (hi - lo).days)))

    cin_children, lac_children = [], []
    ids = rnd.sample(range(100000, 999999), children)
    for n in range(children):
        key = f"{prefix}{ids[n]}"
        born = first - timedelta(days=rnd.randint(30, 17 * 365))
        start = first + timedelta(days=rnd.randint(-500, span))
        referrals: list[Referral] = []
        when = start
        for _ in range(rnd.choice([1, 1, 1, 2])):
            if when > last:
                break
            nfa = rnd.random() < 0.1
            close = None if rnd.random() < 0.45 else when + timedelta(days=0 if nfa else rnd.randint(10, 400))
            if close and close > last:
                close = None
            r = Referral(when, close, rnd.choice(["1A", "3A", "3E", "5A", "5B", "6", "8"]),
                         rnd.choice(NEEDS), nfa)
            if not nfa:
                a_start = when + timedelta(days=rnd.randint(0, 5))
                done = a_start + timedelta(days=rnd.randint(5, 80))
                r.assessments.append((a_start, done if done <= (close or last + timedelta(400)) else None))
                if rnd.random() < 0.35:
                    s_start = when + timedelta(days=rnd.randint(0, 10))
                    icpc = s_start + timedelta(days=rnd.randint(5, 30)) if rnd.random() < 0.5 else None
                    r.enquiries.append((s_start, icpc))
                    if icpc and rnd.random() < 0.8:
                        end = icpc + timedelta(days=rnd.randint(60, 900))
                        if close is not None:           # the episode closes once the plan has ended
                            close = r.closure = max(close, end) if max(close, end) <= last else None
                        stop = end if close is not None else None
                        r.plans.append((icpc, stop, rnd.choice(CATEGORIES), rnd.choice([0, 0, 0, 1, 2])))
            referrals.append(r)
            if close is None:
                break
            when = close + timedelta(days=rnd.randint(1, 500))
        cin_children.append(CinChild(key, born, referrals))

        if rnd.random() < 0.2:
            c = LacChild(key, born, rnd.choice("12"))
            d = first + timedelta(days=rnd.randint(-900, span - 10))
            rne = "S"
            for _ in range(rnd.choice([1, 1, 2, 3])):
                end = d + timedelta(days=rnd.randint(20, 700))
                if end > last:
                    c.episodes.append(Episode(d, rne, rnd.choice(LEGAL), rnd.choice(NEEDS), rnd.choice(PLACES)))
                    break
                rec = rnd.choice(["X1", "X1", "E11", "E41", "E13", "E8"])
                c.episodes.append(Episode(d, rne, rnd.choice(LEGAL), rnd.choice(NEEDS), rnd.choice(PLACES),
                                          end, rec))
                if rec == "X1":
                    d, rne = end, rnd.choice(["P", "L", "T", "U", "B"])
                else:
                    d, rne = end + timedelta(days=rnd.randint(1, 200)), "S"
                    if d > last:
                        break
            for _ in range(rnd.choice([0, 0, 0, 1, 3])):
                s = day(first, last)
                c.missing.append((rnd.choice("MMA"), s, s + timedelta(days=rnd.randint(0, 3))))
            lac_children.append(c)
    return cin_children, lac_children


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--year", default="2023-24")
    ap.add_argument("--children", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    cin_children, lac_children = random_year(args.year, args.children, args.seed)
    write_cin(args.out / "cin.xml", cin_children, args.year)
    write_ssda903(args.out / "ssda903", lac_children)
    print(f"{args.out}: cin.xml ({len(cin_children)} children), ssda903/ ({len(lac_children)} children)")


if __name__ == "__main__":
    main()
