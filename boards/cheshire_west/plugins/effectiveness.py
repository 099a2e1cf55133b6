"""Cheshire West and Chester's effectiveness pages (Section 4 of the annual report).

The board reports each area of practice (the front door, children in need, child protection, children
in care, ...) the same way: a few headline figures and how the area compares with England, statistical
neighbours, the North West and the year before, then what the Board did, what impact it had and what
comes next. This plugin gives that layout its own pieces:

* block ``scorecard`` - the headline figures (at most three) and the comparison table of an area, read
  from ``indicators.csv``, kept together in one panel;
* block ``commentary`` - "What have we done? / What impact has it had? / Next steps", always in that
  order, used wherever the board reports progress; each part is a text, a list of points, or a list of
  blocks (an impact shown with a table, say);
* the area itself: a section whose content file opens with a scorecard is an area of Section 4 and is
  built here - one scorecard, first, and its commentary (where the Board reports its own work on the
  area) last, so every area reads the same way. The content file keeps its own ``kind`` (front-door,
  effectiveness, lado, private-fostering), so the statutory requirements it meets are unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins import _spec
from plugins.blocks import BulletList, KeyFigures, Markdown, Table, heading_level, md_escape
from plugins.demographics import indicator_blocks

#: the board's three questions, in the order it always asks them
QUESTIONS = (("done", "What have we done?"), ("impact", "What impact has it had?"), ("next", "Next steps"))
MAX_HEADLINES = 3   # key figures are for headline numbers; the rest of an area's figures go in its table


@dataclass
class Scorecard(Block):
    """An area's headline figures and its comparison table, shown together as one panel."""
    headline: KeyFigures | None
    table: Table | None
    title: str = ""

    def _parts(self) -> list[Block]:
        return [b for b in (self.headline, self.table) if b is not None]

    def html(self, level=None) -> str:
        label = self.title or (self.table.caption if self.table else "") or "Headline figures"
        inner = "".join(b.html(level) for b in self._parts())
        return f'<section class="scorecard" aria-label="{esc(label)}">{inner}</section>'

    def markdown(self, level=None) -> str:
        return "\n\n".join(b.markdown(level) for b in self._parts())

    def text_values(self):
        for b in self._parts():
            yield from b.text_values()


@dataclass
class Commentary(Block):
    """What the Board did, the impact it had and its next steps, under the board's own headings."""
    parts: list[tuple[str, list[Block]]]

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        h = max(2, min(level, 6))
        out = []
        for title, blocks in self.parts:
            out.append(f"<h{h}>{esc(title)}</h{h}>" + "".join(b.html(level + 1) for b in blocks))
        return f'<div class="commentary">{"".join(out)}</div>'

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        return "\n\n".join(f"{'#' * level} {md_escape(title)}\n\n" + "\n\n".join(b.markdown(level + 1) for b in blocks)
                           for title, blocks in self.parts)

    def text_values(self):
        for _, blocks in self.parts:
            for b in blocks:
                yield from b.text_values()


def scorecard_blocks(ctx, spec: dict) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    body = spec["scorecard"]
    if not isinstance(body, dict):
        raise DataError(label, "scorecard", "a mapping {headline, indicators, caption, notes}", type(body).__name__)
    _spec.only_keys(ctx, body, {"title", "headline", "indicators", "caption", "notes", "stub"}, "scorecard")
    headline = None
    if body.get("headline") is not None:
        facts = _spec.facts(ctx, body["headline"], "scorecard.headline")
        if not 1 <= len(facts) <= MAX_HEADLINES:
            raise DataError(label, "scorecard.headline", f"1 to {MAX_HEADLINES} headline figures (put the others "
                            "in the scorecard's table or in the text)", f"{len(facts)} figures")
        headline = KeyFigures(facts)
    table = None
    if body.get("indicators") is not None:
        table_spec = {"indicators": _spec.text(ctx, body, "indicators"), "stub": body.get("stub", "Measure"),
                      "caption": _spec.text(ctx, body, "caption"), "notes": body.get("notes", [])}
        table = indicator_blocks(ctx, table_spec)[0]
    if headline is None and table is None:
        raise DataError(label, "scorecard", "headline figures, an indicators table, or both", "neither")
    return [Scorecard(headline, table, _spec.text(ctx, body, "title"))]


def commentary_blocks(ctx, spec: dict) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    body = spec["commentary"]
    if not isinstance(body, dict):
        raise DataError(label, "commentary", "a mapping {done, impact, next}", type(body).__name__)
    _spec.only_keys(ctx, body, {key for key, _ in QUESTIONS}, "commentary")
    parts = []
    for key, title in QUESTIONS:
        value = body.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, str):       # a paragraph of prose (Markdown)
            parts.append((title, [Markdown(value)]))
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            # blocks of their own under the heading: an impact told with a table and a list, say
            parts.append((title, ctx.blocks(value)))
        elif isinstance(value, list):
            parts.append((title, [BulletList(_spec.strings(ctx, value, f"commentary.{key}"))]))
        else:
            raise DataError(label, f"commentary.{key}", "a text, a list of points, or a list of blocks "
                            "({text: ...}, {pairs: ...})", type(value).__name__)
    if not parts:
        raise DataError(label, "commentary", "at least one of done, impact, next", "none of them")
    return [Commentary(parts)]


def area_blocks(ctx) -> list[Block] | None:
    """A section that opens with a scorecard is laid out as an effectiveness area: one scorecard, first,
    and its commentary (if any) last. Other sections are left to the shared plugins."""
    raw = ctx.content()
    if raw is None or not raw["blocks"] or not (isinstance(raw["blocks"][0], dict) and "scorecard" in raw["blocks"][0]):
        return None
    blocks = ctx.blocks(raw["blocks"])
    label = ctx.data.label(ctx.content_file)
    extra = [i for i, b in enumerate(blocks, start=1) if isinstance(b, Scorecard) and i != 1]
    if extra:
        raise DataError(label, f"blocks[{extra[0]}]", "one scorecard per area, as its first block",
                        "a second scorecard")
    late = [i for i, b in enumerate(blocks, start=1) if isinstance(b, Commentary) and i != len(blocks)]
    if late:
        raise DataError(label, f"blocks[{late[0]}]", "the area's commentary last (what we did, its impact, "
                        "next steps), after its figures", f"{len(blocks) - late[0]} block(s) after it")
    return blocks


@hookimpl
def lscb_register_block_types(register):
    register("scorecard", scorecard_blocks, ())
    register("commentary", commentary_blocks, ())


@hookimpl
def lscb_demographics(ctx):
    return area_blocks(ctx)


@hookimpl
def lscb_learning(ctx):
    # private fostering and allegations against staff are Section 4 areas too
    return area_blocks(ctx)
