"""Independent scrutiny and the partners' response: a section for a requirement new in Working Together
2023 (WT23-07). An optional plugin: a board switches it on with one line in its board.yml,

    plugins: [plugins.scrutiny_response]

then shows it from a chapter with ``board.section("scrutiny-response")``. It reads
``data/<year>/scrutiny.yml``:

    scrutineer: Jane Doe, independent scrutineer        # who carried out the scrutiny
    period: April 2024 to March 2025
    findings:
      - finding: Partners do not yet share one data set   # our own words
        response: An agreed data set from June 2025       # what the partners are doing about it
        status: In progress                               # optional

This module is the worked example of docs/new-requirement.md: no change to core/ was needed.
"""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.data import DataError
from core.sections import SectionType
from plugins.blocks import Markdown, Table

FILE = "scrutiny.yml"


def build(ctx) -> list:
    label = ctx.data.label(FILE)
    raw = ctx.data.yaml(FILE)
    if not isinstance(raw, dict) or not isinstance(raw.get("findings"), list) or not raw["findings"]:
        raise DataError(label, "key 'findings'", "a list of {finding, response}", repr(raw)[:60])
    rows = []
    for i, item in enumerate(raw["findings"], start=1):
        if not isinstance(item, dict) or not item.get("finding") or not item.get("response"):
            raise DataError(label, f"findings[{i}]", "a finding and the partners' response", repr(item)[:60])
        rows.append([str(item["finding"]), str(item["response"]), str(item.get("status", ""))])
    frame = pd.DataFrame(rows, columns=["What scrutiny found", "How the partners responded", "Status"], dtype=object)
    if not frame["Status"].astype(bool).any():
        frame = frame.drop(columns=["Status"])
    who = str(raw.get("scrutineer", "")).strip()
    when = str(raw.get("period", "")).strip()
    intro = "Independent scrutiny" + (f" by {who}" if who else "") + (f", {when}" if when else "") + \
        f": {len(rows)} finding{'s' if len(rows) != 1 else ''} and the partners' response."
    return [Markdown(intro), Table(frame, caption="Findings of independent scrutiny and the partners' response",
                                   origin=label)]


@hookimpl
def lscb_register_section_types(register):
    register(SectionType("scrutiny-response", "Independent scrutiny: findings and the partners' response",
                         "governance", ("WT23-07", "WT18-10"), build=build))
