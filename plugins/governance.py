"""Governance: structure, membership and attendance, budget and spend, scrutiny and inspection."""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.sections import SectionType
from plugins.blocks import Table
from plugins.checks.consistency import attendance_checks, budget_checks
from plugins.contracts import Column, Contract

from . import _spec

ATTENDANCE = Contract("attendance.csv", (
    Column("group", required=False, description="printed heading, e.g. MEMBERS"),
    Column("member", description="role or agency as printed"),
    Column("attended", "count", required=False, description="meetings attended"),
    Column("possible", "count", required=False, description="meetings the member could attend"),
    Column("percent", "percent", required=False, description="attendance as printed"),
    Column("comment", required=False),
), "Membership and attendance of the board.", key=("group", "member"))

BUDGET = Contract("budget.csv", (
    Column("part", description="printed heading, e.g. Income or Expenditure"),
    Column("line", description="the budget line as printed"),
    Column("amount", "number", unit="GBP", description="as printed, without the £ sign"),
    Column("kind", allowed=("line", "total")),
    Column("note", required=False),
), "Income and expenditure; the lines of a part add up to its first total.",
   key=("part", "line"))


def attendance_table(ctx, spec) -> Table:
    rel = _spec.text(ctx, spec, "attendance", required=True)
    frame = ctx.data.csv(rel, ATTENDANCE)
    rows, group = [], None
    for r in frame.itertuples(index=False):
        if r.group and r.group != group:
            group = r.group
            rows.append([group, "", "", ""])
        meetings = f"{r.attended}/{r.possible}" if r.attended and r.possible else ""
        rows.append([r.member, r.percent, meetings, r.comment])
    table = Table(pd.DataFrame(rows, columns=["Member", "Attendance", "Meetings attended", "Comments"],
                               dtype=object),
                  caption=_spec.text(ctx, spec, "caption"), source=_spec.text(ctx, spec, "source"),
                  notes=_spec.notes(ctx, spec), origin=ctx.data.label(rel))
    table.consistency = attendance_checks(frame, ctx.data.label(rel))
    _spec.check_note_targets(ctx, table, "attendance")
    return table


def budget_table(ctx, spec) -> Table:
    rel = _spec.text(ctx, spec, "budget", required=True)
    frame = ctx.data.csv(rel, BUDGET)
    rows, part = [], None
    for r in frame.itertuples(index=False):
        if r.part != part:
            part = r.part
            rows.append([part, "", ""])
        rows.append([r.line, r.amount, r.note])
    columns = ["Line", "Amount (£)", "Note"]
    out = pd.DataFrame(rows, columns=columns, dtype=object)
    if "note" not in frame or not frame["note"].astype(bool).any():
        out = out.drop(columns=["Note"])
    table = Table(out, caption=_spec.text(ctx, spec, "caption"), source=_spec.text(ctx, spec, "source"),
                  notes=_spec.notes(ctx, spec), origin=ctx.data.label(rel),
                  consistency=budget_checks(frame, ctx.data.label(rel)))
    _spec.check_note_targets(ctx, table, "budget")
    return table


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("attendance", lambda ctx, spec: [attendance_table(ctx, spec)], ("caption", "source", "notes"))
    register("budget", lambda ctx, spec: [budget_table(ctx, spec)], ("caption", "source", "notes"))


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    fam = "governance"
    register(SectionType("structure", "Role, structure and relationships of the board", fam,
                         ("CA04-14", "LSCBR-5d")))
    register(SectionType("membership", "Membership", fam, ("WT18-11", "WT23-06")))
    register(SectionType("attendance", "Membership and attendance", fam, ("WT18-11",)))
    register(SectionType("budget", "Budget, contributions and spend", fam,
                         ("WT13-07", "WT13-08", "WT18-14", "WT23-09")))
    register(SectionType("scrutiny", "Independent scrutiny", fam, ("WT18-03", "WT18-10", "WT23-07")))
    register(SectionType("inspection", "Inspection findings and actions", fam, ("WT13-04", "WT13-05")))
    register(SectionType("policy", "Policies, procedures and thresholds", fam, ("LSCBR-5a",)))


@hookimpl(trylast=True)
def lscb_governance(ctx):
    return ctx.content_blocks()


@hookimpl(trylast=True)
def lscb_register_contracts(register):
    register(ATTENDANCE)
    register(BUDGET)
