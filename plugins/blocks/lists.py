"""Key figures, bullet lists and groups of blocks under a heading."""
from __future__ import annotations

from dataclasses import dataclass

from core.blocks import Block, esc

from .figures import FIGURE_EXPECTED, display_number, is_figure, what_it_is
from .text import heading, heading_level, md_escape


@dataclass
class Fact:
    """One headline figure: the value exactly as printed and a label saying what it is."""
    value: str
    label: str
    period: str = ""
    area: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self):
        # The key-figure rule holds for plugins that build facts in code, too (content files are
        # checked earlier, with the file and block named: plugins/_spec.py).
        if not is_figure(self.value):
            raise ValueError(f"key figure {self.value!r} ({self.label}): expected {FIGURE_EXPECTED}; "
                             f"found {what_it_is(self.value)}")

    def context(self) -> str:
        bits = [b for b in (self.area, self.period) if b]
        return f" ({', '.join(bits)})" if bits else ""


@dataclass
class KeyFigures(Block):
    """Headline numbers, each with its label."""
    facts: list[Fact]
    title: str = ""

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        items = []
        for f in self.facts:
            extra = f'<span class="note"> {esc(f.note)}</span>' if f.note else ""
            src = f'<span class="source"> Source: {esc(f.source)}.</span>' if f.source else ""
            items.append(f'<li><span class="value">{esc(display_number(f.value))}</span> '
                         f'<span class="label">{esc(f.label)}{esc(f.context())}</span>{extra}{src}</li>')
        head = heading(level, self.title) if self.title else ""
        return f'{head}<ul class="key-figures">{"".join(items)}</ul>'

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        head = f"{'#' * level} {md_escape(self.title)}\n\n" if self.title else ""
        lines = [f"- **{md_escape(display_number(f.value))}** {md_escape(f.label)}{md_escape(f.context())}"
                 + (f" {md_escape(f.note)}" if f.note else "") for f in self.facts]
        return head + "\n".join(lines)

    def text_values(self):
        for f in self.facts:
            yield f.value


@dataclass
class BulletList(Block):
    """A list of points (our own words); an optional title becomes a heading."""
    items: list[str]
    title: str = ""
    ordered: bool = False

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        tag = "ol" if self.ordered else "ul"
        head = heading(level, self.title) if self.title else ""
        lis = "".join(f"<li>{esc(i)}</li>" for i in self.items)
        return f"{head}<{tag}>{lis}</{tag}>"

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        head = f"{'#' * level} {md_escape(self.title)}\n\n" if self.title else ""
        mark = (lambda n: f"{n}.") if self.ordered else (lambda n: "-")
        return head + "\n".join(f"{mark(n)} {md_escape(i)}" for n, i in enumerate(self.items, 1))

    def text_values(self):
        return list(self.items)


@dataclass
class Group(Block):
    """Blocks under a heading of their own (e.g. one review with its recommendations)."""
    title: str
    blocks: list[Block]
    cls: str = ""

    def html(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "".join(b.html(level + 1) for b in self.blocks)
        cls = f' class="{esc(self.cls)}"' if self.cls else ""
        return f"<section{cls}>{heading(level, self.title)}{inner}</section>"

    def markdown(self, level=None) -> str:
        level = level or heading_level.get()
        inner = "\n\n".join(b.markdown(level + 1) for b in self.blocks)
        return f"{'#' * level} {md_escape(self.title)}\n\n{inner}"

    def text_values(self):
        for b in self.blocks:
            yield from b.text_values()
