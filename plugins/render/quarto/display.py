"""How a section presents itself to Quarto: one ``text/markdown`` output that carries every block twice.

Quarto keeps one representation of a cell output per format: ``text/html`` for HTML (and any ``text/html``
output makes it add require.js and jQuery from a CDN to the page), ``text/markdown`` for Word and Typst.
So a section gives Quarto markdown only, and in it each block as a fenced div holding

- a raw HTML block (the same HTML as the built-in renderer's, styled by the same lscb.css), and
- a ``.lscb-md`` div with the block's markdown (real headings, pipe tables, images with alt text).

The lscb extension's filter (``quarto/_extensions/lscb/lscb.lua``) keeps the HTML for HTML formats and the
markdown for the others, moves the blocks that come before a labelled cell's table or chart out of the
float (so ``tbl-cap`` and ``fig-cap`` attach to the table or chart they describe), and shifts the blocks'
headings to sit one level below the heading the cell is under.
"""
from __future__ import annotations

import html
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.blocks import Block, SectionOutput

#: the heading level blocks are rendered at; the filter shifts it (data-level tells it what to shift from)
LEVEL = 3


def in_quarto() -> bool:
    """True inside a kernel that Quarto started (Quarto sets these for every document it executes)."""
    return bool(os.environ.get("QUARTO_DOCUMENT_PATH") or os.environ.get("QUARTO_FIG_FORMAT"))


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks inside ``text``."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def block_markdown(block: Block) -> str:
    kind = type(block).__name__.lower()
    raw = block.html(LEVEL)
    md = block.markdown(LEVEL)
    fence = _fence(raw)
    return (f"::: {{.lscb-block .lscb-{kind}}}\n{fence}{{=html}}\n{raw}\n{fence}\n\n"
            f"::: {{.lscb-md}}\n{md}\n:::\n\n:::")


def section_markdown(section: SectionOutput) -> str:
    """The whole section as Quarto markdown (see the module docstring)."""
    ident = html.escape(section.section, quote=True)
    inner = "\n\n".join(block_markdown(b) for b in section.blocks)
    return f'::: {{.lscb-section data-section="{ident}" data-level="{LEVEL}"}}\n{inner}\n:::\n'


def quarto_bundle(obj: Block | SectionOutput) -> dict[str, str] | None:
    """The mime bundle for Quarto, or None outside Quarto (then the object gives html and markdown)."""
    if not in_quarto():
        return None
    from core.blocks import SectionOutput
    if isinstance(obj, SectionOutput):
        return {"text/markdown": section_markdown(obj)}
    return {"text/markdown": section_markdown(SectionOutput("", [obj]))}


def install_display() -> bool:
    """In a kernel Quarto started, show every block and section as Quarto markdown (see the module
    docstring): IPython asks a formatter registered for a type before the object's own
    ``_repr_mimebundle_``. False (nothing done) anywhere else."""
    if not in_quarto():
        return False
    try:
        from IPython import get_ipython
    except ImportError:     # pragma: no cover - a Quarto kernel always has IPython
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from core.blocks import Block, SectionOutput
    formatter = shell.display_formatter.mimebundle_formatter
    for kind in (Block, SectionOutput):
        formatter.for_type(kind, quarto_bundle)
    return True
