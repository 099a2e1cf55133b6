"""Hook specifications: the public API of lscb-reports. A worked example of each is in ``docs/hooks.md``
(``tests/test_hook_docs.py`` runs them all).

A plugin is a module with functions marked ``@hookimpl`` (``from core import hookimpl``) named as the hooks
below. Plugins come from (see :mod:`core.plugins`): the built-ins in ``plugins/`` (``trylast``, so they are
fallbacks), installed packages with an entry point in the ``lscb`` group, modules ``board.yml`` names under
``plugins:``, and the board's own ``boards/<board>/plugins/*.py``. pluggy asks the last registered first, so
a board's own plugin answers before the shared ones. Hooks are called with keyword arguments; an
implementation names only the arguments it uses. Every implementation is called and its return value ignored,
unless the hook says otherwise. ``LSCB_TRACE_PLUGINS=1`` traces every call.

The ``ctx`` of the section hooks is a :class:`core.engine.SectionContext`: ``ctx.board``
(:class:`core.board.Board`), ``ctx.year`` (e.g. ``"2013-14"``) and ``ctx.year_info``, ``ctx.data`` (the
year's :class:`core.data.YearData`: ``yaml(rel)``, ``csv(rel, contract)``, ``table(name)``; every file read
is recorded for caches and checks), ``ctx.options``, ``ctx.section`` (e.g. ``"governance.budget"``) and
``ctx.name`` (``"budget"``), ``ctx.content()`` (the content file ``sections/<id>.yml`` or ``None``),
``ctx.content_blocks()`` and ``ctx.blocks(specs)`` (blocks built from content-file block specs).

An exception a plugin raises (other than :class:`core.errors.LscbError`) is reported as a
:class:`core.errors.PluginError` naming the plugin, the hook and the line.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("lscb")


# --- Registration: called once per plugin manager; each plugin calls ``register`` ---------------------------

@hookspec
def lscb_register_section_types(register):
    """Declare kinds of section: ``register(SectionType(name, title, family, satisfies, build=None))``
    (:class:`core.sections.SectionType`). ``satisfies`` names the Working Together requirement ids a
    non-empty section of this kind meets; with ``build(ctx) -> list[Block]`` the type is a section of its
    own (``board.section(name)``), not built by a family hook. Called when a board's engine is built. A
    name registered twice is an error naming both plugins."""


@hookspec
def lscb_register_block_types(register):
    """Declare a content-file directive: ``register(name, builder, keys=None)``. A block ``{name: ...}`` in
    ``sections/<id>.yml`` is built by ``builder(ctx, spec) -> list[Block]``; ``keys`` lists the other keys
    the block may have (any other is a data error). A builder raises :class:`core.errors.DataError` for bad
    input. Called when a board's engine is built; a name registered twice is an error."""


@hookspec
def lscb_register_requirements(register):
    """Declare statutory requirements: ``register(Requirement(id, editions, force, text, source))``
    (:class:`plugins.requirements.Requirement`, ``force`` "must" or "should"). ``lscb check`` lists each
    requirement of a year's Working Together edition with the section that meets it, or MISSING. Called
    each time a year's coverage is worked out (check, appendix, gallery); an id registered twice is an
    error."""


@hookspec
def lscb_register_commands(subparsers):
    """Add ``lscb`` subcommands: ``p = subparsers.add_parser(name, help=...)``, its arguments, and
    ``p.set_defaults(func=handler)`` where ``handler(args)`` returns the exit code (raise
    :class:`core.errors.LscbError` for a user's error: printed in one line). Called once per run of
    ``lscb`` on the built-ins and installed packages (not a board's own plugins); ``plugins.commands``
    (render, check, plugins, list) is asked alone first when it has the command. A command added twice is
    refused naming both plugins."""


@hookspec
def lscb_register_contracts(register):
    """Declare the contract of a typed CSV file a plugin reads: ``register(Contract(file, columns))``
    (:class:`plugins.contracts.Contract`). ``lscb data export``/``import`` turn it into the workbook's validation
    and check each cell against it. Called when such a tool opens a board; a file registered twice is an
    error naming both plugins."""


@hookspec
def lscb_register_renderers(register):
    """Add a renderer for ``lscb render --engine NAME``: ``register(name, make, help="", writes=())``.
    ``make()`` returns an object with ``render(engine, year, *, use_cache, formats)`` giving a
    :class:`plugins.render.build.Report` (and optionally ``close()``, called when the build ends); ``writes`` names
    the formats it makes itself. Called when a render starts; the first registration of a name wins."""


@hookspec
def lscb_register_output_formats(register):
    """Add an output format for ``lscb render --format NAME``: ``register(name, filename, write)``, where
    ``write(report)`` returns the file's content (str or bytes) made from the rendered report
    (``report.html``, ``report.meta``). Called when a render starts."""


# --- Checks and finished reports --------------------------------------------------------------------------

@hookspec
def lscb_engine_opened(engine):
    """Called once when a board's engine is built (every plugin and type registered), before any year is
    read: check the board's own settings (``engine.board``, its board.yml) and raise a
    :class:`core.errors.DataError` to refuse the board."""


@hookspec
def lscb_check_year(engine, year):
    """Check one report year (every check of ``lscb check`` and of each render is a plugin of this hook).
    Called once per checked year before any chapter runs; all answers are combined
    (:func:`plugins.checks.findings.check_year`). Return a list of findings or ``None``: a
    :class:`core.errors.DataError` (exit 1, a render stops), a :class:`plugins.checks.findings.Warning_`
    (printed), a :class:`plugins.checks.findings.Pending` (still to do: ``lscb check`` exits 3)."""


@hookspec(firstresult=True)
def lscb_show_table(ctx, table, spec, rows):
    """Change a table built from data before the report shows it (disclosure control is built on it).
    Called by the ``table`` and ``indicators`` directives for each table: ``spec`` is the block's mapping,
    ``rows`` the tidy ``indicators.csv`` rows of an indicators table (``None`` otherwise). Return a new
    :class:`plugins.blocks.Table`, or ``None`` to show it as built; the first answer wins. Disclosure
    control wraps the hook, so it applies to whatever table is shown."""


@hookspec
def lscb_report_page(engine, year, report):
    """Change a rendered report's page (``report.html``) before the output formats are made from it.
    Called once per board-year by the renderer (Quarto's: on a page without the chapters; docs/hooks.md)."""


@hookspec
def lscb_report_files(engine, year, report, files):
    """Change the files of a rendered report before they are written: ``files`` maps a file name
    (``index.html``, ``report.pdf`` ...) to its content; change it in place. Called after every format asked
    for is made."""


@hookspec
def lscb_build_finished(out, reports, files):
    """Add files of a whole build of several reports (``lscb render --all``), e.g. an index page. Called once,
    on the built-ins and installed packages, after every report rendered and before anything is written:
    ``reports`` maps (board, year) to (its files by name, (chapters from cache, executed), its warnings);
    ``files`` maps paths under ``out`` (``<board>/<year>/index.html`` ...) to content: change it in place."""


# --- Section families: called for each chapter cell ``board.section("<family>.<name>")`` ---------------------
# Return a list of blocks, or None to leave the section to the next plugin (firstresult: the first answer
# wins). The shared fallback builds ``sections/<id>.yml``; when nobody answers the engine raises a
# SectionError naming the section and the content file it looked for.

@hookspec(firstresult=True)
def lscb_demographics(ctx):
    """Local context: population, children in need, child protection plans, looked-after children, and
    comparisons with England, the region and statistical neighbours (``demographics.<name>``)."""


@hookspec(firstresult=True)
def lscb_governance(ctx):
    """How the board or partnership works: structure, membership and attendance, budget and spend,
    independent scrutiny (``governance.<name>``)."""


@hookspec(firstresult=True)
def lscb_priorities(ctx):
    """The year's priorities and the progress made against them, in the board's own template
    (``priorities.<name>``)."""


@hookspec(firstresult=True)
def lscb_partner_contributions(ctx):
    """What each partner agency did for safeguarding children (``partners.<name>``)."""


@hookspec(firstresult=True)
def lscb_learning(ctx):
    """Learning and improvement: case reviews, child deaths, training, audits, allegations against staff,
    missing children and other scrutiny (``learning.<name>``)."""


#: section id prefix -> the family hook that builds it
FAMILY_HOOKS = {"demographics": "lscb_demographics", "governance": "lscb_governance", "priorities": "lscb_priorities",
                "partners": "lscb_partner_contributions", "learning": "lscb_learning"}
