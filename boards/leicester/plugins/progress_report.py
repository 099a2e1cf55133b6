"""Leicester's sub-group progress reports, set out under the Board's outcome questions.

In chapter five of the 2014/15 report the sub-groups and services (thresholds and assessment, early help,
procedures, CSE, the LADO) report in one template: *How much have we done? How well did we do it? Is anyone
better off? What is the evidence for that? What are the priorities for the next 12 months?* The
``progress-report`` block keeps that template: each part is the question as a heading with the part's
own blocks under it, and the chair's or officer's name closes the report::

    - progress-report:
        parts:
          - heading: Thresholds                  # a sub-heading of the report's own
            blocks: [{text: ...}, {facts: [...]}]
          - ask: how-well                        # one of QUESTIONS; heading: overrides the wording
            blocks: [{indicators: lado-outcomes, caption: ...}]
          - ask: better-off
            blocks: [...]
        signed: Steve Tee, Interim LADO

A part's blocks are ordinary content blocks (text, list, facts, table, indicators ...), built by the
engine's own directives. Every report answers "Is anyone better off?" and asks each question once.

The parts are returned as a flat list of blocks — the question's heading, then its blocks one heading
level further down — so a table inside a part is still the section's own table: the chapter cell's
``tbl-cap`` numbers it and ``lscb check`` checks it as before.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from core.errors import DataErrors
from plugins.blocks import Table, heading_level, md_escape
from plugins.charts.chart import Chart

#: the Board's outcome questions: key in the content file -> the heading the report prints
QUESTIONS = {
    "what-done": "What have we done?",
    "how-much": "How much have we done?",
    "why": "Why did we do it? How did we know there was a need to do it?",
    "how-well": "How well did we do it?",
    "better-off": "Is anyone better off? How do we know they are better off?",
    "evidence": "What is the evidence for that?",
    "priorities": "What are the priorities for the work over the next 12 months?",
}
REQUIRED = "better-off"
SPEC_KEYS = {"parts", "signed"}
PART_KEYS = {"ask", "heading", "blocks"}


@dataclass
class Question(Block):
    """The heading of one part of a progress report."""
    text: str
    ask: str = ""

    def html(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        cls = f"progress-question progress-{self.ask}" if self.ask else "progress-question"
        return f'<h{level} class="{cls}">{esc(self.text)}</h{level}>'

    def markdown(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        return f"{'#' * level} {md_escape(self.text)}"

    def text_values(self):
        yield self.text


@dataclass
class Deeper(Block):
    """A block shown one heading level below its part's question (its titles nest under the question)."""
    block: Block

    def html(self, level=None) -> str:
        return self.block.html((level or heading_level.get()) + 1)

    def markdown(self, level=None) -> str:
        return self.block.markdown((level or heading_level.get()) + 1)

    def text_values(self):
        return self.block.text_values()


@dataclass
class Signed(Block):
    """Who gave the report."""
    by: str

    def html(self, level=None) -> str:
        return f'<p class="progress-signed"><strong>{esc(self.by)}</strong></p>'

    def markdown(self, level=None) -> str:
        return f"**{md_escape(self.by)}**"

    def text_values(self):
        yield self.by


def _text(label: str, where: str, value) -> str:
    if isinstance(value, (dict, list, bool)) or value is None or not str(value).strip():
        raise DataError(label, where, "a text", repr(value)[:80])
    return " ".join(str(value).split())


def _within(e: DataError, label: str, where: str) -> DataError:
    """A problem in a part's block, placed within the part (problems in other files keep their place)."""
    return DataError(e.file, f"{where}.{e.where}", e.expected, e.found) if e.file == label else e


def progress_report_block(ctx, spec) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    body = spec["progress-report"]
    if not isinstance(body, dict) or set(body) - SPEC_KEYS:
        found = f"unknown {sorted(set(body) - SPEC_KEYS)}" if isinstance(body, dict) else repr(body)[:80]
        raise DataError(label, "progress-report", "a mapping {parts: [...], signed: ...}", found)
    parts = body.get("parts")
    if not isinstance(parts, list) or not parts:
        raise DataError(label, "progress-report.parts", "a list of parts {ask or heading, blocks}", repr(parts)[:80])
    out: list[Block] = []
    asked: list[str] = []
    for j, part in enumerate(parts, start=1):
        where = f"progress-report.parts[{j}]"
        if not isinstance(part, dict) or set(part) - PART_KEYS:
            found = f"unknown {sorted(set(part) - PART_KEYS)}" if isinstance(part, dict) else repr(part)[:80]
            raise DataError(label, where, f"a mapping with keys among {sorted(PART_KEYS)}", found)
        ask = part.get("ask")
        if ask is not None and ask not in QUESTIONS:
            raise DataError(label, f"{where}.ask", f"one of the questions {list(QUESTIONS)}", repr(ask))
        if ask is None and "heading" not in part:
            raise DataError(label, where, "a question (ask: one of " + ", ".join(QUESTIONS) + ") or a heading",
                            "neither")
        if ask in asked:
            raise DataError(label, f"{where}.ask", "each question once in a report", f"{ask!r} again")
        heading = _text(label, f"{where}.heading", part["heading"]) if "heading" in part else QUESTIONS[ask]
        specs = part.get("blocks")
        if not isinstance(specs, list) or not specs:
            raise DataError(label, f"{where}.blocks", "a list of at least one content block", repr(specs)[:80])
        try:
            blocks = ctx.blocks(specs)
        except DataError as e:
            raise _within(e, label, where) from None
        except DataErrors as e:
            raise DataErrors([_within(x, label, where) for x in e.errors]) from None
        if ask:
            asked.append(ask)
        out.append(Question(heading, ask or ""))
        # tables and charts stay the section's own (tbl-cap, checks); the rest nest under the question
        out.extend(b if isinstance(b, (Table, Chart)) else Deeper(b) for b in blocks)
    if REQUIRED not in asked:
        raise DataError(label, "progress-report.parts", f"a part that answers {QUESTIONS[REQUIRED]!r} "
                        f"(ask: {REQUIRED})", f"questions {asked}")
    if "signed" in body:
        out.append(Signed(_text(label, "progress-report.signed", body["signed"])))
    return out


@hookimpl
def lscb_register_block_types(register):
    register("progress-report", progress_report_block, ())
