"""The children in need census (XML): read in memory, checked before use.

Only the elements the definitions need are kept, as plain dates, codes and counts; names of the
elements follow the census specification (Message / Children / Child / ChildIdentifiers, CINdetails,
Assessments, Section47, ChildProtectionPlans). Identifiers other than LAchildID and dates of birth are
read only to check that they parse, then dropped.
"""
from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import codes
from .problems import Problems


class Node:
    """An element holding other elements. Its leaf elements (a date, a code) are kept by name in
    ``fields`` as (text, line): the first of each name, which is all the specification allows."""
    __slots__ = ("tag", "line", "children", "fields", "text")

    def __init__(self, tag: str, line: int):
        self.tag, self.line = tag, line
        self.children: list[Node] = []
        self.fields: dict[str, tuple[str, int]] = {}
        self.text = ""

    def first(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str:
        return self.fields.get(tag, ("", 0))[0]

    def line_of(self, tag: str) -> int:
        """The line of a leaf element, or the element's own line when the leaf is missing."""
        return self.fields.get(tag, ("", self.line))[1]

    def deep(self, tag: str) -> list[Node]:
        """Elements named ``tag`` among the children, or one wrapper level down (the specification
        wraps repeated modules, e.g. ChildProtectionPlans/ChildProtectionPlan, in some years)."""
        out = self.all(tag)
        for c in self.children:
            if c.tag != tag:
                out += c.all(tag)
        return out


def parse_xml(path: Path, label: str, problems: Problems) -> Node | None:
    """The XML as a tree of Nodes with their line numbers (expat: no external entities are fetched)."""
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    root = Node("#document", 0)
    stack = [root]

    def start(tag, _attrs):
        stack.append(Node(tag.rpartition(":")[2], parser.CurrentLineNumber))

    def end(_tag):
        node = stack.pop()
        parent = stack[-1]
        if node.children or node.fields:
            parent.children.append(node)
        elif node.tag not in parent.fields:
            parent.fields[node.tag] = (node.text.strip(), node.line)

    def text(data):
        stack[-1].text += data

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError as e:
        problems.add(label, e.lineno, "", "the file", "well-formed XML", xml.parsers.expat.ErrorString(e.code))
        return None
    return root


@dataclass
class Assessment:
    start: date
    authorised: date | None


@dataclass
class Enquiry:                 # a section 47 enquiry
    start: date
    conference: date | None    # the initial child protection conference


@dataclass
class Plan:                    # a child protection plan
    start: date
    end: date | None
    category: str              # initial category of abuse
    previous: int              # NumberOfPreviousCPP
    line: int = 0


@dataclass
class Episode:                 # one CINdetails module: a referral and what followed
    referral: date
    closure: date | None
    nfa: bool
    assessments: list[Assessment] = field(default_factory=list)
    enquiries: list[Enquiry] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    conference: date | None = None   # an initial conference recorded on the episode itself
    line: int = 0


@dataclass
class Child:
    key: str
    episodes: list[Episode] = field(default_factory=list)


def read_cin(path: Path, problems: Problems, reference: date | None = None) -> list[Child]:
    """The children of a census file; every problem goes to ``problems`` (file, line, LAchildID). With
    ``reference`` (31 March of the reporting year), a header naming another census date is refused: last
    year's file would otherwise give a year of near-zero figures without a word."""
    label = path.name
    doc = parse_xml(path, label, problems)
    if doc is None:
        return []
    message = doc.first("Message")
    children = message.first("Children") if message is not None else None
    if children is None:
        problems.add(label, 1, "", "the file", "a Message element holding Children (the CIN census XML)",
                     "no Message/Children")
        return []
    details = message.first("Header").first("CollectionDetails") if message.first("Header") else None
    if reference is not None and details is not None and details.value("ReferenceDate"):
        if details.value("ReferenceDate") != reference.isoformat():
            problems.add(label, details.line_of("ReferenceDate"), "", "ReferenceDate",
                         f"the census of the reporting year ({reference.isoformat()})",
                         f"the census dated {details.value('ReferenceDate')}")
    out: list[Child] = []
    seen: dict[str, int] = {}
    for node in children.all("Child"):
        ids = node.first("ChildIdentifiers")
        key = ids.value("LAchildID") if ids is not None else ""
        who = f"LAchildID {key}" if key else "LAchildID missing"
        if not key:
            problems.add(label, node.line, "", "LAchildID", "the child's LAchildID", "an empty or missing field")
            continue
        if key in seen:
            problems.add(label, node.line, who, "Child", "one Child element per LAchildID",
                         f"a second Child element for it (the first on line {seen[key]})")
            continue
        seen[key] = node.line
        born = ids.value("PersonBirthDate")
        expected = ids.value("ExpectedPersonBirthDate")
        if born or not expected:                 # an unborn child has an expected date instead
            problems.date(label, ids.line_of("PersonBirthDate"), who, "PersonBirthDate", born)
        else:
            problems.date(label, ids.line_of("ExpectedPersonBirthDate"), who, "ExpectedPersonBirthDate", expected)
        child = Child(key)
        for cin in node.all("CINdetails"):
            episode = _episode(cin, label, who, problems)
            if episode is not None:
                child.episodes.append(episode)
        _check_child(child, label, who, problems)
        out.append(child)
    return out


def _episode(cin: Node, label: str, who: str, problems: Problems) -> Episode | None:
    def d(n: Node, tag: str, required: bool = False) -> date | None:
        return problems.date(label, n.line_of(tag), who, tag, n.value(tag), required)

    referral = d(cin, "CINreferralDate", True)
    closure = d(cin, "CINclosureDate")
    problems.code(label, cin.line_of("ReferralSource"), who, "ReferralSource", cin.value("ReferralSource"),
                  codes.REFERRAL_SOURCES)
    problems.code(label, cin.line_of("PrimaryNeedCode"), who, "PrimaryNeedCode", cin.value("PrimaryNeedCode"),
                  codes.PRIMARY_NEED)
    if closure is not None:
        problems.code(label, cin.line_of("ReasonForClosure"), who, "ReasonForClosure",
                      cin.value("ReasonForClosure"), codes.REASONS_FOR_CLOSURE)
    nfa = problems.code(label, cin.line_of("ReferralNFA"), who, "ReferralNFA", cin.value("ReferralNFA").lower(),
                        codes.BOOLEAN, required=False)
    conference = d(cin, "DateOfInitialCPC")
    episode = Episode(referral, closure, codes.BOOLEAN.get(nfa or "0", False), conference=conference,
                      line=cin.line) if referral else None
    if referral and closure and closure < referral:
        problems.add(label, cin.line_of("CINclosureDate"), who, "CINclosureDate",
                     "a date on or after CINreferralDate", "an earlier date")

    for a in cin.deep("Assessments"):
        start = d(a, "AssessmentActualStartDate", True)
        done = d(a, "AssessmentAuthorisationDate")
        if start and done and done < start:
            problems.add(label, a.line_of("AssessmentAuthorisationDate"), who, "AssessmentAuthorisationDate",
                         "a date on or after AssessmentActualStartDate", "an earlier date")
        elif start and referral and start < referral:
            problems.add(label, a.line_of("AssessmentActualStartDate"), who, "AssessmentActualStartDate",
                         "a date on or after the episode's CINreferralDate", "an earlier date")
        elif episode and start:
            episode.assessments.append(Assessment(start, done))
    for s in cin.deep("Section47"):
        start = d(s, "S47ActualStartDate", True)
        icpc = d(s, "DateOfInitialCPC")
        d(s, "InitialCPCtarget")
        problems.code(label, s.line_of("ICPCnotRequired"), who, "ICPCnotRequired", s.value("ICPCnotRequired").lower(),
                      codes.BOOLEAN, required=False)
        if start and icpc and icpc < start:
            problems.add(label, s.line_of("DateOfInitialCPC"), who, "DateOfInitialCPC",
                         "a date on or after S47ActualStartDate", "an earlier date")
        elif episode and start:
            episode.enquiries.append(Enquiry(start, icpc))
    for p in cin.deep("ChildProtectionPlans"):
        start = d(p, "CPPstartDate", True)
        end = d(p, "CPPendDate")
        category = problems.code(label, p.line_of("InitialCategoryOfAbuse"), who, "InitialCategoryOfAbuse",
                                 p.value("InitialCategoryOfAbuse"), codes.ABUSE_CATEGORIES)
        problems.code(label, p.line_of("LatestCategoryOfAbuse"), who, "LatestCategoryOfAbuse",
                      p.value("LatestCategoryOfAbuse"), codes.ABUSE_CATEGORIES, required=False)
        previous = p.value("NumberOfPreviousCPP")
        if not previous.isdigit():
            problems.add(label, p.line_of("NumberOfPreviousCPP"), who, "NumberOfPreviousCPP",
                         "a whole number, 0 or more", "an empty field" if not previous else "something else")
        if start and end and end < start:
            problems.add(label, p.line_of("CPPendDate"), who, "CPPendDate", "a date on or after CPPstartDate",
                         "an earlier date")
        elif episode and start and category and previous.isdigit():
            episode.plans.append(Plan(start, end, category, int(previous), p.line))
    return episode


def _check_child(child: Child, label: str, who: str, problems: Problems) -> None:
    """A child's episodes, and a child's plans, follow one another: the next starts on or after the day
    the one before closed, and only the last may still be open. The later one's line is named."""
    episodes = sorted(child.episodes, key=lambda e: e.referral)
    for before, after in zip(episodes, episodes[1:]):
        if before.closure is None or before.closure > after.referral:
            problems.add(label, after.line, who, "CINdetails", "episodes that do not overlap (each closed on or "
                         "before the next referral)", "two episodes open at the same time")
    plans = sorted((p for e in child.episodes for p in e.plans), key=lambda p: p.start)
    for before, after in zip(plans, plans[1:]):
        if before.end is None or before.end > after.start:
            problems.add(label, after.line, who, "ChildProtectionPlans", "plans that do not overlap (each ended on "
                         "or before the next started)", "two plans open at the same time")
