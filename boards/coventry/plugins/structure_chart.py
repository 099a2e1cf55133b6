"""Coventry's structure chart (Appendix One of the 2013/14 report) drawn as a diagram.

The ``structure-chart`` block draws tiers of boxes joined by connectors: the bodies the Board answers to,
the Board with its support, the subgroups reporting to it (and the groups under a subgroup). The diagram is
made of real text: a figure (``role="figure"``) named by its caption, holding a nested list (tier -> unit -> groups under the
unit) that CSS lays out as boxes. Screen readers, Word (pandoc) and text extraction read the same nested
list, so the chart is its own text alternative; the PDF (WeasyPrint) draws it with the same CSS::

    - structure-chart:
        caption: Coventry Safeguarding Children Board structure, 2013/14
        summary: One sentence saying what the chart shows.
        tiers:
          - name: The Board
            units:
              - {name: Coventry Safeguarding Children Board, detail: Independent Chair}
              - {name: LSCB Business Unit, detail: ..., under: [Business Manager]}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import md_escape

SPEC_KEYS = {"caption", "summary", "tiers"}
TIER_KEYS = {"name", "units"}
UNIT_KEYS = {"name", "detail", "under", "main"}

# Scoped to .structure-chart so that nothing else in the report changes; boxes wrap, so the chart fits a
# phone, an A4 page and a Word page alike (in Word the nested list is shown as it is).
CSS = """
.structure-chart{margin:1.5rem 0;}
.structure-chart .sc-caption{margin:0 0 .5rem;}
.structure-chart .sc-sep{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;}
.structure-chart .sc-summary{margin:0 0 .75rem 0;}
.structure-chart ol.sc-tiers,.structure-chart ul.sc-units,.structure-chart ul.sc-under{list-style:none;margin:0;padding:0;}
.structure-chart li.sc-tier{position:relative;border:1px solid var(--lscb-rule,#B1B4B6);padding:.5rem .75rem .75rem;
  margin:0 0 1.75rem 0;break-inside:avoid;page-break-inside:avoid;}
.structure-chart li.sc-tier + li.sc-tier::before{content:"";position:absolute;left:50%;top:-1.75rem;height:1.75rem;
  border-left:3px solid var(--lscb-accent,#12436D);}
.structure-chart .sc-tier-name{display:block;font-weight:bold;color:var(--lscb-muted,#505A5F);margin:0 0 .5rem;}
.structure-chart ul.sc-units{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:center;}
.structure-chart li.sc-unit{flex:1 1 12rem;max-width:20rem;border:2px solid var(--lscb-accent,#12436D);
  background:#fff;padding:.4rem .6rem;}
.structure-chart li.sc-unit.sc-main{flex-basis:100%;max-width:none;background:var(--lscb-accent,#12436D);color:#fff;
  text-align:center;}
.structure-chart .sc-name{display:block;font-weight:bold;}
.structure-chart .sc-detail{display:block;font-size:.9em;}
.structure-chart ul.sc-under{margin-top:.35rem;border-top:1px dashed var(--lscb-rule,#B1B4B6);padding-top:.25rem;}
.structure-chart ul.sc-under li{font-size:.9em;padding-left:1rem;text-indent:-1rem;}
.structure-chart ul.sc-under li::before{content:"\\2514\\00A0";}
"""


@dataclass
class Unit:
    name: str
    detail: str = ""
    under: list[str] = field(default_factory=list)
    main: bool = False


@dataclass
class Tier:
    name: str
    units: list[Unit]


@dataclass
class StructureChart(Block):
    """Tiers of units, top to bottom, as a figure whose boxes are a nested list."""
    caption: str
    tiers: list[Tier]
    summary: str = ""

    def html(self, level=None) -> str:
        tiers = []
        for tier in self.tiers:
            units = []
            for u in tier.units:
                # the separator is read aloud and kept by Word, but not drawn: the box sets the detail apart
                detail = (f'<span class="sc-sep">, </span><span class="sc-detail">{esc(u.detail)}</span>'
                          if u.detail else "")
                under = ("<ul class=\"sc-under\">" + "".join(f"<li>{esc(g)}</li>" for g in u.under) + "</ul>"
                         if u.under else "")
                cls = "sc-unit sc-main" if u.main else "sc-unit"
                units.append(f'<li class="{cls}"><span class="sc-name">{esc(u.name)}</span>{detail}{under}</li>')
            tiers.append(f'<li class="sc-tier"><span class="sc-tier-name">{esc(tier.name)}</span>'
                         f'<ul class="sc-units">{"".join(units)}</ul></li>')
        summary = f'<p class="sc-summary">{esc(self.summary)}</p>' if self.summary else ""
        ident = "sc-" + re.sub(r"[^a-z0-9]+", "-", self.caption.lower()).strip("-")
        # role="figure" named by its caption rather than <figure>: pandoc turns a <figure> holding a list
        # into a two-column table in Word, and drops the caption from the text
        return (f'<div class="structure-chart" role="figure" aria-labelledby="{ident}"><style>{CSS}</style>'
                f'<p class="sc-caption" id="{ident}"><strong>{esc(self.caption)}</strong></p>{summary}'
                f'<ol class="sc-tiers">{"".join(tiers)}</ol></div>')

    def markdown(self, level=None) -> str:
        lines = [f"**{md_escape(self.caption)}**", ""]
        if self.summary:
            lines += [md_escape(self.summary), ""]
        for n, tier in enumerate(self.tiers, start=1):
            lines.append(f"{n}. {md_escape(tier.name)}")
            for u in tier.units:
                detail = f": {md_escape(u.detail)}" if u.detail else ""
                lines.append(f"    - **{md_escape(u.name)}**{detail}")
                lines.extend(f"        - {md_escape(g)}" for g in u.under)
        return "\n".join(lines)

    def text_values(self):
        for tier in self.tiers:
            yield tier.name
            for u in tier.units:
                yield u.name
                yield from u.under


def _text(label: str, where: str, value, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise DataError(label, where, "a text", repr(value)[:80])
    return value.strip()


def structure_chart_block(ctx, spec) -> list[Block]:
    label = ctx.data.label(ctx.content_file)
    body = spec["structure-chart"]
    if not isinstance(body, dict) or set(body) - SPEC_KEYS:
        raise DataError(label, "structure-chart", f"a mapping with keys {sorted(SPEC_KEYS)}",
                        repr(body)[:80] if not isinstance(body, dict) else f"unknown {sorted(set(body) - SPEC_KEYS)}")
    raw_tiers = body.get("tiers")
    if not isinstance(raw_tiers, list) or not raw_tiers:
        raise DataError(label, "structure-chart.tiers", "a list of tiers {name, units}", repr(raw_tiers)[:80])
    tiers = []
    for i, t in enumerate(raw_tiers, start=1):
        where = f"structure-chart.tiers[{i}]"
        if not isinstance(t, dict) or set(t) - TIER_KEYS or not isinstance(t.get("units"), list) or not t["units"]:
            raise DataError(label, where, "a mapping {name, units: [ ... ]} with at least one unit", repr(t)[:80])
        units = []
        for j, u in enumerate(t["units"], start=1):
            uw = f"{where}.units[{j}]"
            if not isinstance(u, dict) or set(u) - UNIT_KEYS:
                raise DataError(label, uw, f"a mapping with keys among {sorted(UNIT_KEYS)}", repr(u)[:80])
            under = u.get("under") or []
            if not isinstance(under, list):
                raise DataError(label, f"{uw}.under", "a list of the groups under this unit", repr(under)[:80])
            units.append(Unit(_text(label, f"{uw}.name", u.get("name")),
                              _text(label, f"{uw}.detail", u.get("detail"), required=False),
                              [_text(label, f"{uw}.under[{k}]", g) for k, g in enumerate(under, start=1)],
                              bool(u.get("main"))))
        tiers.append(Tier(_text(label, f"{where}.name", t.get("name")), units))
    return [StructureChart(_text(label, "structure-chart.caption", body.get("caption")), tiers,
                           _text(label, "structure-chart.summary", body.get("summary"), required=False))]


@hookimpl
def lscb_register_block_types(register):
    register("structure-chart", structure_chart_block, ())
