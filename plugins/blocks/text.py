"""Text blocks and the helpers every block type uses to write HTML and Markdown: prose in Markdown, a
block's own headings, and text made safe inside Markdown output (HTML escaping is core.blocks.esc)."""
from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from core.blocks import Block, esc

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")

#: heading level for block headings; the renderer sets it per cell from the chapter's headings
heading_level: contextvars.ContextVar[int] = contextvars.ContextVar("heading_level", default=4)


def md_inline(text: str) -> str:
    """Markdown (declared Markdown fields only) to HTML; raw HTML in the source is shown as text."""
    return _md.render(str(text)).strip()


def md_escape(text: Any) -> str:
    """Plain text made safe inside Markdown output (pipes, asterisks, underscores, angle brackets)."""
    s = "" if text is None else str(text)
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", s).replace("\n", " ")


def heading(level: int, text: str, cls: str = "") -> str:
    """A block's own heading, its level kept between h2 and h6."""
    level = max(2, min(level, 6))
    c = f' class="{cls}"' if cls else ""
    return f"<h{level}{c}>{esc(text)}</h{level}>"


@dataclass
class Markdown(Block):
    """Prose in Markdown (our own words; may hold figures)."""
    text: str

    def html(self, level=None) -> str:
        return md_inline(self.text)

    def markdown(self, level=None) -> str:
        return self.text.strip()
