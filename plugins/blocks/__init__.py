"""The block types on the engine's base (core.blocks: Block, SectionOutput): Markdown prose, tables, key
figures, bullet lists, priorities and groups, and the helpers they write HTML and Markdown with. Content-file directives build them (plugins.content registers
those through ``lscb_register_block_types``); plugins import them from here."""
from .lists import BulletList, Fact, Group, KeyFigures
from .priority_list import PRIORITY_TEMPLATES, Priority, PriorityList
from .table import Table, TableNote
from .text import Markdown, heading, heading_level, md_escape, md_inline

__all__ = ["PRIORITY_TEMPLATES", "BulletList", "Fact", "Group", "KeyFigures", "Markdown", "Priority", "PriorityList",
           "Table", "TableNote", "heading", "heading_level", "md_escape", "md_inline"]
