"""The content model: what a section is made of.

Every block renders two ways: ``html(level)`` for the built-in renderer and Quarto's HTML, and
``markdown(level)`` for Quarto's Word/PDF. ``level`` is the heading level a block's own headings take
(one below the heading the chapter cell sits under). Text that comes from data is always escaped; only
fields declared as Markdown are interpreted as Markdown (with raw HTML disabled). The block types themselves
(Markdown, Table, KeyFigures ...) are built-in plugins: ``plugins.blocks``.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def esc(text: Any) -> str:
    """Text from data made safe in HTML (the one HTML-escape helper)."""
    return html.escape("" if text is None else str(text), quote=True)


class Block:
    """Base class. Subclasses implement ``html`` and ``markdown``."""

    def html(self, level: int | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def markdown(self, level: int | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        # under Quarto the Quarto plugin installs its own display for blocks (plugins/render/quarto/display.py)
        return {"text/html": self.html(), "text/markdown": self.markdown()}

    def text_values(self) -> Iterable[str]:
        """Every figure/text the block shows (used by checks and tests)."""
        return ()

    def placed(self, blocks: list[Block], index: int) -> None:
        """Called once the section's blocks are known (``blocks[index]`` is this one), e.g. so a chart can
        see the table beside it. Nothing by default."""


@dataclass
class SectionOutput:
    """What ``board.section(id)`` returns: the section's blocks, displayed as one output."""
    section: str
    blocks: list[Block]
    plugin: str = ""

    def __post_init__(self):
        for i, block in enumerate(self.blocks):
            block.placed(self.blocks, i)

    def html(self, level: int | None = None) -> str:
        inner = "\n".join(b.html(level) for b in self.blocks)
        return f'<div class="lscb-section" data-section="{esc(self.section)}">{inner}</div>'

    def markdown(self, level: int | None = None) -> str:
        return "\n\n".join(b.markdown(level) for b in self.blocks)

    _repr_mimebundle_ = Block._repr_mimebundle_
