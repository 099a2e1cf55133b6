"""Coventry 2013/14 reports each priority with the work that served it underneath: the serious case
reviews and the Child Death Overview Panel under Priority 1, CAF training under Priority 2.

The ``priority`` block shows one priority of ``priorities.yml`` (its success measures and progress) and
then, one heading further down, each section named under ``work``, in the order given::

    - priority: "1"
      work:
        - {section: learning.serious-case-reviews, title: Serious case reviews}
        - {section: learning.child-deaths, title: Child Death Overview Panel (CDOP)}

The work sections are built by the engine as sections in their own right, so the serious case reviews
still count as the report's review section in ``lscb check``.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import Block
from core.data import DataError
from plugins.blocks import Group, PriorityList, heading_level

WORK_KEYS = {"section", "title"}


@dataclass
class PriorityWithWork(Block):
    """One priority, then the work reported under it as sub-sections of that priority."""
    priority: PriorityList
    work: list[Group]

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "".join(g.html(level + 1) for g in self.work)
        return f'<div class="priority-with-work">{self.priority.html(level)}{inner}</div>'

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        return "\n\n".join([self.priority.markdown(level), *(g.markdown(level + 1) for g in self.work)])

    def text_values(self):
        yield from self.priority.text_values()
        for g in self.work:
            yield from g.text_values()


def priority_block(ctx, spec) -> list[Block]:
    from plugins.priorities import load_priorities

    label = ctx.data.label(ctx.content_file)
    number = str(spec["priority"])
    rel = str(spec.get("from") or "priorities.yml")
    listing = load_priorities(ctx, rel)
    chosen = [p for p in listing.priorities if p.number == number]
    if not chosen:
        raise DataError(label, f"priority {number!r}",
                        f"the number of a priority in {ctx.data.label(rel)} "
                        f"({', '.join(p.number for p in listing.priorities)})", "no such priority")
    work = spec.get("work") or []
    if not isinstance(work, list):
        raise DataError(label, f"priority {number}: work", "a list of {section, title}", type(work).__name__)
    groups = []
    for i, item in enumerate(work, start=1):
        where = f"priority {number}: work[{i}]"
        if not isinstance(item, dict) or set(item) != WORK_KEYS:
            raise DataError(label, where, "a mapping {section: <section id>, title: <heading>}", repr(item)[:80])
        if str(item["section"]) == ctx.section:
            raise DataError(label, where, "another section", f"{item['section']!r}, this section itself")
        shown = ctx.engine.section(ctx.year, str(item["section"]))
        groups.append(Group(str(item["title"]), list(shown.blocks), cls="priority-work"))
    return [PriorityWithWork(PriorityList(chosen, listing.template), groups)]


@hookimpl
def lscb_register_block_types(register):
    register("priority", priority_block, ("from", "work"))
