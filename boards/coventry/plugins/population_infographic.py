"""Coventry's population figures page (2023/24) as an infographic: a grid of panels, each with a heading,
its figures in large numerals with their labels, and a sentence that puts them in context.

Everything is real text: each panel is a ``<section>`` with a heading at the chapter's next level, and its
figures are a list (value, then label), so the page reads in order with a screen reader, in Word and in
the PDF. Figures follow the key-figure rule (numerals, checked on load)::

    - infographic:
        panels:
          - heading: Population growth
            figures:
              - {value: "345,300", label: people lived in Coventry in 2021}
            text: Higher growth than the West Midlands (6.2%) and England (6.6%).
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import Fact, heading_level, md_escape, md_inline

PANEL_KEYS = {"heading", "figures", "text"}

# Scoped to .infographic; a grid of as many columns as fit (one on a phone), two on an A4 page. (A flex
# row of panels is not split across PDF pages by WeasyPrint: the grid is.)
CSS = """
.infographic{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;margin:1rem 0 1.5rem;}
.infographic .ig-panel{border-top:6px solid var(--lscb-accent,#12436D);background:#F3F2F1;
  padding:.75rem 1rem 1rem;break-inside:avoid;page-break-inside:avoid;}
.infographic .ig-panel:nth-child(3n+2){border-top-color:var(--lscb-cat-2,#28A197);}
.infographic .ig-panel:nth-child(3n+3){border-top-color:var(--lscb-cat-3,#801650);}
.infographic .ig-panel > :first-child{margin-top:0;}
.infographic ul.ig-figures{list-style:none;margin:0;padding:0;}
.infographic ul.ig-figures li{margin:.25rem 0 .6rem;}
.infographic .ig-value{display:block;font-size:2rem;font-weight:bold;line-height:1.1;color:var(--lscb-accent,#12436D);}
.infographic .ig-label{display:block;}
.infographic .ig-text{margin:.5rem 0 0;font-size:.95em;}
@media print{.infographic{grid-template-columns:1fr 1fr;gap:4mm;}}
"""


@dataclass
class Panel:
    heading: str
    figures: list[Fact]
    text: str = ""


@dataclass
class Infographic(Block):
    """Panels of headline figures; a panel's heading sits one level below the chapter's heading."""
    panels: list[Panel]

    def html(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        panels = []
        for p in self.panels:
            figs = "".join(f'<li><span class="ig-value">{esc(f.value)}</span> '
                           f'<span class="ig-label">{esc(f.label)}</span></li>' for f in p.figures)
            text = f'<div class="ig-text">{md_inline(p.text)}</div>' if p.text else ""
            panels.append(f'<section class="ig-panel"><h{level}>{esc(p.heading)}</h{level}>'
                          f'<ul class="ig-figures">{figs}</ul>{text}</section>')
        # the style sits outside the grid so that :nth-child counts panels only
        return f'<div class="infographic-page"><style>{CSS}</style><div class="infographic">{"".join(panels)}</div></div>'

    def markdown(self, level=None) -> str:
        level = max(2, min(level or heading_level.get(), 6))
        out = []
        for p in self.panels:
            out.append(f"{'#' * level} {md_escape(p.heading)}\n")
            out.append("\n".join(f"- **{md_escape(f.value)}** {md_escape(f.label)}" for f in p.figures) + "\n")
            if p.text:
                out.append(p.text.strip() + "\n")
        return "\n".join(out)

    def text_values(self):
        for p in self.panels:
            for f in p.figures:
                yield f.value


def infographic_block(ctx, spec) -> list[Block]:
    from plugins import _spec

    label = ctx.data.label(ctx.content_file)
    body = spec["infographic"]
    if not isinstance(body, dict) or set(body) != {"panels"} or not isinstance(body["panels"], list) \
            or not body["panels"]:
        raise DataError(label, "infographic", "a mapping {panels: [{heading, figures, text}, ...]}", repr(body)[:80])
    panels = []
    for i, p in enumerate(body["panels"], start=1):
        where = f"infographic.panels[{i}]"
        if not isinstance(p, dict) or set(p) - PANEL_KEYS or not p.get("heading") or not p.get("figures"):
            raise DataError(label, where, "a mapping with a heading, figures and (optionally) text", repr(p)[:80])
        panels.append(Panel(str(p["heading"]), _spec.facts(ctx, p["figures"], f"{where}.figures"),
                            str(p.get("text") or "")))
    return [Infographic(panels)]


@hookimpl
def lscb_register_block_types(register):
    register("infographic", infographic_block, ())
