"""Warwickshire's partner template: every partner agency reports under the same headings, in the same
order (its role, what it achieved in the year, its figures, its challenges, its safeguarding priorities
for the next year), as the partners' own reports to the Board do.

A partner's content file holds one ``partner:`` block::

    kind: partner
    blocks:
      - partner: Warwickshire Youth Justice Service
        role: |            # Markdown, a list of points, or a list of blocks ({facts: ...}, {table: ...})
          ...
        achievements: ...
        figures: [{facts: [...]}, {table: police-referrals-domestic-abuse, caption: ...}]
        challenges: ...
        safeguarding_priorities: [..., ...]

Parts may be left out (a partner that reported no figures has no "In figures" heading), but their order
is the template's, never the file's, and every partner states its priorities.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import BulletList, Group, Markdown, heading_level, md_escape

#: (key, heading); ``{year}`` is the report year, ``{next}`` the year after, both as 2013/14.
PARTS = (
    ("role", "Role"),
    ("achievements", "Achievements in {year}"),
    ("figures", "In figures"),
    ("challenges", "Challenges"),
    ("safeguarding_priorities", "Safeguarding priorities for {next}"),
)
REQUIRED = ("safeguarding_priorities",)


def _years(year: str) -> tuple[str, str]:
    """'2013-14' -> ('2013/14', '2014/15')."""
    start = int(year[:4])
    return f"{start}/{(start + 1) % 100:02d}", f"{start + 1}/{(start + 2) % 100:02d}"


@dataclass
class PartnerReport(Block):
    """One partner's report: its parts as headed sections, in the template's order."""
    partner: str
    parts: list[Group]

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "".join(p.html(level) for p in self.parts)
        return f'<div class="partner-report" data-partner="{esc(self.partner)}">{inner}</div>'

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        return "\n\n".join(p.markdown(level) for p in self.parts) or md_escape(self.partner)

    def text_values(self):
        for p in self.parts:
            yield from p.text_values()


def _part_blocks(ctx, key: str, value) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    if isinstance(value, str):
        return [Markdown(value)]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [BulletList([str(v) for v in value])]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return ctx.blocks(value)
    raise DataError(label, f"partner: {key}",
                    "a text, a list of points, or a list of blocks such as {facts: [...]} or {table: name}",
                    repr(value)[:80])


def partner_blocks(ctx, spec: dict) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    name = spec.get("partner")
    if not isinstance(name, str) or not name.strip():
        raise DataError(label, "partner", "the partner agency's name", repr(name))
    missing = [k for k in REQUIRED if not spec.get(k)]
    if missing:
        raise DataError(label, f"partner: {name}", f"the parts {list(REQUIRED)} of the partner template",
                        f"no {', '.join(missing)}")
    this_year, next_year = _years(ctx.year)
    parts = []
    for key, heading in PARTS:
        if spec.get(key):
            title = heading.format(year=this_year, next=next_year)
            parts.append(Group(title, _part_blocks(ctx, key, spec[key]), cls=f"partner-part partner-{key}"))
    return [PartnerReport(name.strip(), parts)]


@hookimpl
def lscb_register_block_types(register):
    register("partner", partner_blocks, tuple(k for k, _ in PARTS))


@hookimpl
def lscb_partner_contributions(ctx):
    """Every partner section of the board goes through the template: a content file that does not use
    it is an error, so the chapter never mixes layouts again."""
    blocks = ctx.content_blocks()
    if blocks is None:
        return None
    if ctx.kind == "partner" and not any(isinstance(b, PartnerReport) for b in blocks):
        raise DataError(ctx.data.label(ctx.content_file), "blocks",
                        "one partner: block (the board's partner template, see boards/warwickshire/plugins/"
                        "partner_template.py)", "none")
    return blocks
