"""Leicester's key messages by audience (chapter 7 of the 2014/15 report).

The Board closes its report with messages addressed to each audience in turn — the children's workforce,
the community, the local media, children and young people — each with what it asks of them, and for the
community the numbers to ring. The ``audience-messages`` block shows each audience as its own section
under its own heading (so the contents of a screen reader's heading list read as the list of audiences),
its messages as a list, and its contact numbers as a description list whose numbers are ``tel:`` links::

    - audience-messages:
        - audience: Messages to the Community
          intro: One sentence before the messages (optional).
          messages: [...]
          contacts:
            - {who: "Leicester's Children's Services", number: "0116 4541004"}

The section stays ``kind: themes`` in its content file, so it still meets LSCBR-5b (key messages to
audiences); this plugin only lays the messages out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import heading_level, md_escape

AUDIENCE_KEYS = {"audience", "intro", "messages", "contacts"}
CONTACT_KEYS = {"who", "number"}
PHONE = re.compile(r"^\d[\d ]{1,14}\d$")

# Scoped to .audience-messages: each audience is a box, so the four read as separate messages on screen
# and on paper, and a box is never split across a PDF page.
CSS = """
.audience-messages .audience{border-left:4px solid var(--lscb-accent,#12436D);padding:.25rem 0 .25rem 1rem;
  margin:0 0 1.25rem 0;break-inside:avoid;page-break-inside:avoid;}
.audience-messages .audience-intro{font-weight:bold;}
.audience-messages dl.contacts{display:grid;grid-template-columns:minmax(0,max-content) auto;gap:.25rem 1rem;
  margin:.5rem 0;}
.audience-messages dl.contacts dt{font-weight:normal;overflow-wrap:anywhere;}
.audience-messages dl.contacts dd{margin:0;font-weight:bold;white-space:nowrap;}
"""


@dataclass
class Contact:
    who: str
    number: str

    @property
    def tel(self) -> str:
        return "tel:" + self.number.replace(" ", "")


@dataclass
class Audience:
    name: str
    messages: list[str]
    intro: str = ""
    contacts: list[Contact] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return "key-messages-" + re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass
class AudienceMessages(Block):
    """The Board's messages, grouped by the audience they are addressed to, in the board's order."""
    audiences: list[Audience]

    def html(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        out = []
        for a in self.audiences:
            parts = [f'<h{level} id="{esc(a.slug)}">{esc(a.name)}</h{level}>']
            if a.intro:
                parts.append(f'<p class="audience-intro">{esc(a.intro)}</p>')
            parts.append('<ul class="messages">' + "".join(f"<li>{esc(m)}</li>" for m in a.messages) + "</ul>")
            if a.contacts:
                parts.append('<dl class="contacts">' + "".join(
                    f'<dt>{esc(c.who)}</dt><dd><a href="{esc(c.tel)}">{esc(c.number)}</a></dd>'
                    for c in a.contacts) + "</dl>")
            out.append(f'<section class="audience" aria-labelledby="{esc(a.slug)}">{"".join(parts)}</section>')
        return f'<div class="audience-messages"><style>{CSS}</style>{"".join(out)}</div>'

    def markdown(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        out = []
        for a in self.audiences:
            out.append(f"{'#' * level} {md_escape(a.name)}\n")
            if a.intro:
                out.append(f"**{md_escape(a.intro)}**\n")
            out.append("\n".join(f"- {md_escape(m)}" for m in a.messages) + "\n")
            out.extend(f"{md_escape(c.who)}: **{md_escape(c.number)}**\n" for c in a.contacts)
        return "\n".join(out)

    def text_values(self):
        for a in self.audiences:
            yield a.name
            yield from a.messages
            for c in a.contacts:
                yield c.number


def _text(label: str, where: str, value, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise DataError(label, where, "a text", repr(value)[:80])
    return " ".join(value.split())


def audience_messages_block(ctx, spec) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    body = spec["audience-messages"]
    if not isinstance(body, list) or not body:
        raise DataError(label, "audience-messages", "a list of audiences {audience, messages, intro, contacts}",
                        repr(body)[:80])
    audiences = []
    for i, raw in enumerate(body, start=1):
        where = f"audience-messages[{i}]"
        if not isinstance(raw, dict) or set(raw) - AUDIENCE_KEYS:
            found = f"unknown {sorted(set(raw) - AUDIENCE_KEYS)}" if isinstance(raw, dict) else repr(raw)[:80]
            raise DataError(label, where, f"a mapping with keys among {sorted(AUDIENCE_KEYS)}", found)
        messages = raw.get("messages")
        if not isinstance(messages, list) or not messages:
            raise DataError(label, f"{where}.messages", "a list of at least one message", repr(messages)[:80])
        contacts = []
        for j, c in enumerate(raw.get("contacts") or [], start=1):
            cw = f"{where}.contacts[{j}]"
            if not isinstance(c, dict) or set(c) != CONTACT_KEYS:
                raise DataError(label, cw, "a mapping {who, number}", repr(c)[:80])
            number = _text(label, f"{cw}.number", c["number"])
            if not PHONE.match(number):
                raise DataError(label, f"{cw}.number", 'a telephone number in digits and spaces, in quotes '
                                '(number: "0116 454 1004")', repr(number))
            contacts.append(Contact(_text(label, f"{cw}.who", c["who"]), number))
        audiences.append(Audience(
            _text(label, f"{where}.audience", raw.get("audience")),
            [_text(label, f"{where}.messages[{k}]", m) for k, m in enumerate(messages, start=1)],
            _text(label, f"{where}.intro", raw.get("intro"), required=False), contacts))
    names = [a.name for a in audiences]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise DataError(label, "audience-messages", "each audience once", f"{dupes} more than once")
    return [AudienceMessages(audiences)]


@hookimpl
def lscb_register_block_types(register):
    register("audience-messages", audience_messages_block, ())
