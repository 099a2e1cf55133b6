"""Learning and improvement: case reviews with their recommendations, child deaths, training, audits,
allegations against staff, missing children and the other areas of scrutiny."""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.data import DataError
from core.sections import SectionType
from plugins.blocks import Group, KeyFigures, Markdown, Table

from . import _spec

REVIEW_KEYS = {"name", "type", "published", "summary", "facts", "recommendations", "learning"}
REC_KEYS = {"number", "text", "progress", "status"}


def review_groups(ctx, rel: str, only: list | None = None) -> list[Group]:
    label = ctx.data.label(rel)
    raw = ctx.data.yaml(rel)
    if not isinstance(raw, dict) or not isinstance(raw.get("reviews"), list):
        raise DataError(label, "key 'reviews'", "a list of reviews", repr(raw)[:60])
    groups = []
    for i, r in enumerate(raw["reviews"], start=1):
        where = f"reviews[{i}]"
        if not isinstance(r, dict) or "name" not in r:
            raise DataError(label, where, "a mapping with at least a name", repr(r)[:60])
        if set(r) - REVIEW_KEYS:
            raise DataError(label, where, f"keys among {sorted(REVIEW_KEYS)}", f"unknown {sorted(set(r) - REVIEW_KEYS)}")
        if only and str(r["name"]) not in {str(o) for o in only}:
            continue
        blocks = []
        meta = [m for m in (r.get("type"), f"published {r['published']}" if r.get("published") else "") if m]
        if meta:
            line = ", ".join(str(m) for m in meta)
            blocks.append(Markdown(_plain(line[:1].upper() + line[1:] + ".")))
        if r.get("summary"):
            blocks.append(Markdown(str(r["summary"])))
        if r.get("facts"):
            blocks.append(KeyFigures(_spec.facts(ctx, r["facts"], f"{where}.facts", label)))
        if r.get("learning"):
            from plugins.blocks import BulletList
            blocks.append(BulletList(_spec.strings(ctx, r["learning"], f"{where}.learning", label),
                                     title="Learning"))
        recs = r.get("recommendations") or []
        if recs:
            rows = []
            for j, rec in enumerate(recs, start=1):
                if not isinstance(rec, dict) or "text" not in rec:
                    raise DataError(label, f"{where}.recommendations[{j}]", "a mapping with text", repr(rec)[:60])
                if set(rec) - REC_KEYS:
                    raise DataError(label, f"{where}.recommendations[{j}]", f"keys among {sorted(REC_KEYS)}",
                                    f"unknown {sorted(set(rec) - REC_KEYS)}")
                rows.append([str(rec.get("number", j)), str(rec["text"]), str(rec.get("progress", "")),
                             str(rec.get("status", ""))])
            frame = pd.DataFrame(rows, columns=["No.", "Recommendation", "Progress", "Status"], dtype=object)
            frame = frame[[c for c in frame.columns if frame[c].astype(bool).any()]]
            blocks.append(Table(frame, caption=f"{r['name']}: recommendations", origin=label))
        groups.append(Group(str(r["name"]), blocks, cls="review"))
    return groups


def _plain(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_")


def review_blocks(ctx, spec):
    return review_groups(ctx, _spec.text(ctx, spec, "reviews", required=True), _spec.items(ctx, spec, "only"))


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("reviews", review_blocks, ("only",))


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    fam = "learning"
    register(SectionType("reviews", "Serious case and practice reviews, and their recommendations", fam,
                         ("LSCBR-5e", "WT13-06", "WT18-02", "WT18-06", "WT18-15", "WT23-01", "WT23-03",
                          "WT23-08", "EVAL-03")))
    register(SectionType("child-deaths", "Child death reviews", fam, ("LSCBR-6", "WT13-06", "WT18-16")))
    register(SectionType("training", "Multi-agency training and its evaluation", fam,
                         ("LSCBR-5a", "WT13-12", "WT18-04", "WT18-13", "EVAL-02")))
    register(SectionType("audits", "Audits and quality assurance", fam, ("WT13-10", "WT13-11", "WT13-13")))
    register(SectionType("lado", "Allegations against people who work with children", fam, ("LSCBR-5a",)))
    register(SectionType("missing", "Missing children and exploitation", fam, ("LSCBR-5c",)))
    register(SectionType("private-fostering", "Private fostering", fam, ("LSCBR-5a",)))
    register(SectionType("marac", "MARAC", fam, ("LSCBR-5c",)))
    register(SectionType("mappa", "MAPPA", fam, ("LSCBR-5c",)))


@hookimpl(trylast=True)
def lscb_learning(ctx):
    return ctx.content_blocks()
