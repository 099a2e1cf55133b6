"""The year's priorities, in one of the boards' two templates."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.blocks import Block, esc

from .lists import Fact, KeyFigures
from .text import heading, heading_level, md_escape, md_inline


@dataclass
class Priority:
    """One priority: as success measures and progress, or as working well / worried / next."""
    number: str
    title: str
    status: str = ""
    success_measures: list[str] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    working_well: list[str] = field(default_factory=list)
    worried_about: list[str] = field(default_factory=list)
    needs_to_happen: list[str] = field(default_factory=list)
    partner_contributions: list[tuple[str, list[str]]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    summary: str = ""


PRIORITY_TEMPLATES = {
    "measures-progress": (("success_measures", "Success measures"), ("progress", "Progress")),
    "wwr": (("working_well", "What's working well"), ("worried_about", "What are we worried about"),
            ("needs_to_happen", "What needs to happen")),
}


@dataclass
class PriorityList(Block):
    """The year's priorities with their measures/progress or working-well/worried/next statements."""
    priorities: list[Priority]
    template: str = "measures-progress"

    def _parts(self, p: Priority):
        for attr, label in PRIORITY_TEMPLATES[self.template]:
            items = getattr(p, attr)
            if items:
                yield label, items

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        out = []
        for p in self.priorities:
            title = f"Priority {p.number}: {p.title}" if p.number else p.title
            parts = [heading(level, title)]
            if p.status:
                parts.append(f'<p class="status"><strong>Status:</strong> '
                             f'<span class="rag">{esc(p.status)}</span></p>')
            if p.summary:
                parts.append(md_inline(p.summary))
            for label, items in self._parts(p):
                parts.append(heading(level + 1, label))
                parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
            if p.facts:
                parts.append(KeyFigures(p.facts).html(level + 1))
            if p.partner_contributions:
                parts.append(heading(level + 1, "What partners did"))
                for partner, items in p.partner_contributions:
                    parts.append(f'<p class="partner"><strong>{esc(partner)}</strong></p><ul>'
                                 + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
            out.append(f'<section class="priority">{"".join(parts)}</section>')
        return "".join(out)

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        out = []
        for p in self.priorities:
            title = f"Priority {p.number}: {p.title}" if p.number else p.title
            out.append(f"{'#' * level} {md_escape(title)}\n")
            if p.status:
                out.append(f"**Status:** {md_escape(p.status)}\n")
            if p.summary:
                out.append(p.summary + "\n")
            for label, items in self._parts(p):
                out.append(f"{'#' * (level + 1)} {label}\n")
                out.append("\n".join(f"- {md_escape(i)}" for i in items) + "\n")
            if p.facts:
                out.append(KeyFigures(p.facts).markdown(level + 1) + "\n")
            for partner, items in p.partner_contributions:
                out.append(f"**{md_escape(partner)}**\n")
                out.append("\n".join(f"- {md_escape(i)}" for i in items) + "\n")
        return "\n".join(out)

    def text_values(self):
        for p in self.priorities:
            yield p.title
            for f in p.facts:
                yield f.value
