"""Leicester's Improvement and Business Plan 2015-2017 (the executive summary that closes the 2014/15 report).

The plan is a grid of six strategic priority areas against five headings (objective, key activities,
responsible leads, desired outcomes, timescales and review points) whose cells hold lists of sentences.
Set as one wide table, each priority became a single row taller than a page. The ``improvement-plan``
block shows each priority under its own heading, with the Ofsted recommendation it answers, and a
two-column table whose row headers are the plan's headings and whose cells hold the lists — a real table
with headers, a row at a time, that breaks between rows on paper. Word gets the same as headings, bold
labels and lists (a Markdown table cannot hold a list)::

    - improvement-plan: business-plan.yml      # priorities: [{number, title, ofsted, objective,
                                               #   activities, leads, outcomes, timescales}]
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import heading_level, md_escape

#: the plan's headings, in its column order: (key in the YAML, heading shown)
FIELDS = (("objective", "Objective"), ("activities", "Key activities"), ("leads", "Responsible lead"),
          ("outcomes", "Desired outcome"), ("timescales", "Timescale and progress review points"))
LISTS = ("activities", "leads", "outcomes", "timescales")
KEYS = {"number", "title", "ofsted", *(k for k, _ in FIELDS)}

CSS = """
.improvement-plan table.plan-priority th[scope=row]{width:11rem;vertical-align:top;text-align:left;}
.improvement-plan table.plan-priority td{vertical-align:top;}
.improvement-plan table.plan-priority td ul{margin:0;padding-left:1.1rem;}
.improvement-plan table.plan-priority tr{break-inside:avoid;page-break-inside:avoid;}
.improvement-plan .plan-ofsted{font-style:italic;}
.improvement-plan table.plan-priority caption{text-align:left;}
"""


@dataclass
class PlanPriority:
    number: str
    title: str
    objective: str
    ofsted: str = ""
    activities: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    timescales: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Priority {self.number}: {self.title}"

    def rows(self) -> list[tuple[str, list[str]]]:
        """(heading, items) for each heading the plan fills for this priority, in the plan's order."""
        out = []
        for key, label in FIELDS:
            value = getattr(self, key)
            items = value if isinstance(value, list) else [value]
            if any(items):
                out.append((label, items))
        return out


@dataclass
class ImprovementPlan(Block):
    priorities: list[PlanPriority]

    def html(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        out = []
        for p in self.priorities:
            ident = f"plan-priority-{esc(p.number)}"
            parts = [f'<h{level} id="{ident}">{esc(p.heading)}</h{level}>']
            if p.ofsted:
                parts.append(f'<p class="plan-ofsted">Ofsted recommendation {esc(p.ofsted)}</p>')
            body = []
            for label, items in p.rows():
                cell = (esc(items[0]) if len(items) == 1 and label == "Objective"
                        else "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
                body.append(f'<tr><th scope="row">{esc(label)}</th><td>{cell}</td></tr>')
            # column widths in the markup as well as the CSS: pandoc reads them for Word
            parts.append(f'<table class="plan-priority"><caption>The plan for priority {esc(p.number)}</caption>'
                         '<colgroup><col style="width:25%" width="25%"><col style="width:75%" width="75%"></colgroup>'
                         f'<thead><tr><th scope="col">Priority {esc(p.number)}</th><th scope="col">{esc(p.title)}</th></tr></thead>'
                         f'<tbody>{"".join(body)}</tbody></table>')
            out.append(f'<section class="plan-priority">{"".join(parts)}</section>')
        return f'<div class="improvement-plan"><style>{CSS}</style>{"".join(out)}</div>'

    def markdown(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        out = []
        for p in self.priorities:
            out.append(f"{'#' * level} {md_escape(p.heading)}\n")
            if p.ofsted:
                out.append(f"*Ofsted recommendation {md_escape(p.ofsted)}*\n")
            for label, items in p.rows():
                out.append(f"**{md_escape(label)}**\n")
                out.append("\n".join(f"- {md_escape(i)}" for i in items) + "\n")
        return "\n".join(out)

    def text_values(self):
        for p in self.priorities:
            yield p.heading
            for _, items in p.rows():
                yield from items


def _text(label: str, where: str, value, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, (dict, list)) or value is None or not str(value).strip():
        raise DataError(label, where, "a text", repr(value)[:80])
    return " ".join(str(value).split())


def improvement_plan_block(ctx, spec) -> list[Block]:
    rel = spec["improvement-plan"]
    content = ctx.data.label(ctx.content_file)
    if not isinstance(rel, str) or not rel.endswith(".yml"):
        raise DataError(content, "improvement-plan", "the name of a YAML file in the year's folder "
                        "(improvement-plan: business-plan.yml)", repr(rel)[:80])
    if not ctx.data.exists(rel):
        raise DataError(content, "improvement-plan", f"a file {ctx.data.label(rel)}", "no such file")
    label = ctx.data.label(rel)
    raw = ctx.data.yaml(rel)
    if not isinstance(raw, dict) or not isinstance(raw.get("priorities"), list) or not raw["priorities"]:
        raise DataError(label, "key 'priorities'", "a list of priority areas", repr(raw)[:80])
    priorities = []
    for i, p in enumerate(raw["priorities"], start=1):
        where = f"priorities[{i}]"
        if not isinstance(p, dict) or set(p) - KEYS:
            found = f"unknown {sorted(set(p) - KEYS)}" if isinstance(p, dict) else repr(p)[:80]
            raise DataError(label, where, f"a mapping with keys among {sorted(KEYS)}", found)
        lists = {}
        for key in LISTS:
            value = p.get(key) or []
            if not isinstance(value, list):
                raise DataError(label, f"{where}.{key}", "a list of texts", repr(value)[:80])
            lists[key] = [_text(label, f"{where}.{key}[{k}]", v) for k, v in enumerate(value, start=1)]
        if not lists["activities"]:
            raise DataError(label, f"{where}.activities", "at least one key activity", "none")
        priorities.append(PlanPriority(_text(label, f"{where}.number", p.get("number")),
                                       _text(label, f"{where}.title", p.get("title")),
                                       _text(label, f"{where}.objective", p.get("objective")),
                                       _text(label, f"{where}.ofsted", p.get("ofsted"), required=False),
                                       **lists))
    numbers = [p.number for p in priorities]
    if len(set(numbers)) != len(numbers):
        raise DataError(label, "priorities", "each priority number once", f"numbers {numbers}")
    return [ImprovementPlan(priorities)]


@hookimpl
def lscb_register_block_types(register):
    register("improvement-plan", improvement_plan_block, ())
