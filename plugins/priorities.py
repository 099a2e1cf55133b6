"""Priorities and progress, in the board's own template (success measures and progress, or what is
working well / what we are worried about / what needs to happen)."""
from __future__ import annotations

from core import hookimpl
from core.data import DataError
from core.sections import SectionType
from plugins.blocks import PRIORITY_TEMPLATES, Priority, PriorityList
from plugins.options import Option

from . import _spec

LSCB_OPTIONS = (Option("priorities_template", values=tuple(PRIORITY_TEMPLATES),
                       description="the template of priorities.yml when it names none"),)
LISTS = ("success_measures", "progress", "working_well", "worried_about", "needs_to_happen")
KEYS = {"number", "title", "status", "summary", "partner_contributions", "facts", *LISTS,
        "impact"}    # impact: measured impact, shown by plugins/impact.py


def load_priorities(ctx, rel: str) -> PriorityList:
    label = ctx.data.label(rel)
    raw = ctx.data.yaml(rel)
    if not isinstance(raw, dict) or not isinstance(raw.get("priorities"), list):
        raise DataError(label, "key 'priorities'", "a list of priorities", repr(raw)[:60])
    template = raw.get("template") or ctx.options.get("priorities_template", "measures-progress")
    if template not in PRIORITY_TEMPLATES:
        raise DataError(label, "key 'template'", f"one of {list(PRIORITY_TEMPLATES)}", repr(template))
    out = []
    for i, p in enumerate(raw["priorities"], start=1):
        where = f"priorities[{i}]"
        if not isinstance(p, dict) or "title" not in p:
            raise DataError(label, where, "a mapping with at least a title", repr(p)[:60])
        unknown = set(p) - KEYS
        if unknown:
            raise DataError(label, where, f"keys among {sorted(KEYS)}", f"unknown {sorted(unknown)}")
        lists = {k: _spec.strings(ctx, p.get(k) or [], f"{where}.{k}", label) for k in LISTS}
        partners = []
        for j, c in enumerate(p.get("partner_contributions") or [], start=1):
            if not isinstance(c, dict) or "partner" not in c:
                raise DataError(label, f"{where}.partner_contributions[{j}]", "{partner, items}", repr(c)[:60])
            partners.append((str(c["partner"]),
                             _spec.strings(ctx, c.get("items") or [], f"{where}.partner_contributions[{j}]",
                                           label)))
        out.append(Priority(number=str(p.get("number", "")), title=str(p["title"]),
                            status=str(p.get("status", "")), summary=str(p.get("summary", "")),
                            partner_contributions=partners,
                            facts=_spec.facts(ctx, p.get("facts") or [], f"{where}.facts", label), **lists))
    return PriorityList(out, template)


def priority_blocks(ctx, spec):
    block = load_priorities(ctx, _spec.text(ctx, spec, "priorities", required=True))
    only = _spec.items(ctx, spec, "only")
    if only:
        wanted = {str(n) for n in only}
        block.priorities = [p for p in block.priorities if p.number in wanted]
    return [block]


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("priorities", priority_blocks, ("only",))


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    fam = "priorities"
    register(SectionType("priorities", "Priorities and progress against them", fam,
                         ("LSCBR-5b", "WT13-04", "WT13-05", "WT18-02", "WT18-03", "WT18-04", "WT18-05",
                          "WT23-01", "WT23-08", "EVAL-01")))
    register(SectionType("priorities-next", "Priorities for the coming year", fam, ("WT13-05",)))
    register(SectionType("business-plan", "Business plan", fam, ("WT13-05", "WT18-05")))
    register(SectionType("voice", "Voice of children and families", fam, ("WT18-07", "WT23-08")))


@hookimpl(trylast=True)
def lscb_priorities(ctx):
    return ctx.content_blocks()
