"""The block types beyond the engine's base (core.blocks: Block, Markdown, SectionOutput): tables, key
figures, bullet lists, priorities and groups. Content-file directives build them (plugins.content registers
those through ``lscb_register_block_types``); plugins import them from here."""
from .lists import BulletList, Fact, Group, KeyFigures
from .priority_list import PRIORITY_TEMPLATES, Priority, PriorityList
from .table import Table, TableNote

__all__ = ["PRIORITY_TEMPLATES", "BulletList", "Fact", "Group", "KeyFigures", "Priority", "PriorityList", "Table",
           "TableNote"]
