"""Partner contributions: what each agency did for safeguarding, and the engagement of education."""
from __future__ import annotations

from core import hookimpl
from core.sections import SectionType


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    register(SectionType("partner", "Partner agency contribution", "partners",
                         ("LSCBR-5c", "WT13-10", "WT18-11")))
    register(SectionType("education", "Engagement of schools and education", "partners",
                         ("WT18-11", "WT23-05")))


@hookimpl(trylast=True)
def lscb_partner_contributions(ctx):
    return ctx.content_blocks()
