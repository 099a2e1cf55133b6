"""The optional appendix "How this report meets Working Together" (board option requirements_appendix,
declared by plugins/requirements.py): the built-in renderer adds it after the last chapter."""
from __future__ import annotations

import pandas as pd

from core.engine import Engine
from plugins.blocks import Table
from plugins.render.builtin.execute import ChapterResult, Heading, RenderState
from plugins.requirements import coverage, requirements


def requirements_appendix(engine: Engine, year: str, state: RenderState) -> ChapterResult:
    edition = engine.board.year_info(year)["edition"]
    rows = []
    for c in coverage(requirements(engine), engine.section_types, engine.rendered.get(year, []), edition):
        req = c.requirement
        where = "; ".join(sorted({engine.section_types[k].title for k in _kinds(engine, year, c)})) \
            if c.met_by else "Not covered in this report"
        rows.append([req.id, req.force, req.text, where, req.source])
    frame = pd.DataFrame(rows, columns=["Requirement", "Force", "What is required", "Where this report meets it",
                                        "Source"], dtype=object)
    ident = state.unique("how-this-report-meets-working-together")
    title = "How this report meets Working Together"
    state.tables += 1
    table = Table(frame, caption=f"Table {state.tables}: Requirements of Working Together ({edition}) and "
                                 "the sections that meet them")
    intro = (f"<p>This report year is governed by Working Together edition {edition}. The table lists each "
             "requirement for the annual report and the sections of this report whose content meets it; "
             "the engine works this out from the sections the report shows.</p>")
    return ChapterResult(engine.board.root, title, ident, intro + table.html(3), [Heading(2, title, ident)])


def _kinds(engine: Engine, year: str, cov) -> set[str]:
    ids = {sec for _, sec in cov.met_by}
    return {s.kind for s in engine.rendered.get(year, []) if s.id in ids and s.kind in engine.section_types
            and cov.requirement.id in engine.section_types[s.kind].satisfies}
