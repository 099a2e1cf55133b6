"""Hook specifications: the public API of lscb-reports.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are the hooks below.
Plugins come from three places, in this order (see :mod:`core.plugins`): the shared plugins in
``plugins/`` (built-ins, always ``trylast`` so they are fallbacks), installed packages that declare an
entry point in the ``lscb`` group, and the board's own ``boards/<board>/plugins/*.py``.

Hooks are always called with keyword arguments. Add parameters you do not need to your implementation's
signature only if you use them: pluggy passes just the arguments a function names.

The ``ctx`` argument of the section hooks is a :class:`core.context.SectionContext`:

* ``ctx.board`` – the :class:`core.board.Board` (``name``, ``area``, ``options``, ``root``)
* ``ctx.year`` – the report year, e.g. ``"2013-14"``; ``ctx.year_info`` its entry in board.yml
* ``ctx.data`` – the :class:`core.data.YearData` of that year: ``ctx.data.yaml("reviews.yml")``,
  ``ctx.data.table("lado-categories")``, ``ctx.data.csv("budget.csv", contract)``; every file read is
  recorded, so caches and checks know what a section depends on
* ``ctx.options`` – the board's options merged with the year's
* ``ctx.section`` – the section id shown by the chapter cell, e.g. ``"governance.budget"``;
  ``ctx.name`` is the part after the family, e.g. ``"budget"``
* ``ctx.content()`` – the section's content file ``sections/<id>.yml`` as a dict, or ``None``
* ``ctx.blocks(spec_list)`` – build blocks from a list of content-file block specs

Section hooks return a list of :mod:`core.blocks` blocks, or ``None`` to say "not mine". They are
``firstresult``: the first non-``None`` answer wins. pluggy calls the most recently registered plugin
first, so a board's plugin is asked before installed packages, which are asked before the shared
fallbacks. When nobody answers, the engine raises :class:`core.errors.SectionError` naming the section
and the content file it looked for.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("lscb")


# --- Registration hooks ------------------------------------------------------------------------------

@hookspec
def lscb_register_section_types(register):
    """Declare section types: the kinds of section a report can contain.

    Called once per board when its PluginManager is built. Call ``register(SectionType(...))`` once per
    type (see :class:`core.sections.SectionType`): ``name`` (the ``kind`` a content file names, or the
    id prefix of a section with its own builder), ``title``, ``family`` (one of the five families, or
    ``None`` for a new family of your own), ``satisfies`` (the Working Together requirement ids its
    content meets, e.g. ``("WT13-08", "WT18-14")``) and, for a new kind of section that is not built
    from a family hook, ``build(ctx) -> list[Block]``.

    A name registered twice is an error that names both plugins. Return value: ignored.

    Example::

        @hookimpl
        def lscb_register_section_types(register):
            register(SectionType("scrutiny-response", "Independent scrutiny and our response",
                                 family=None, satisfies=("WT23-07",), build=build_scrutiny))
    """


@hookspec
def lscb_register_block_types(register):
    """Declare the block directives that content files (``sections/<id>.yml``) may use.

    Call ``register(name, builder, keys)``; a content file block ``{name: value, ...}`` is then built by
    ``builder(ctx, spec)`` where ``spec`` is that block's mapping, returning a list of blocks. ``keys``
    (optional) lists the other keys the block may have, e.g. ``("caption", "source")``: any other key is
    reported as a data error (a misspelt ``captoin:`` never passes silently). Builders
    validate their ``spec`` and raise :class:`core.errors.DataError` naming the content file and the
    block's position. A directive registered twice is an error. Return value: ignored.

    Example::

        @hookimpl
        def lscb_register_block_types(register):
            register("budget", budget_blocks, ("caption", "source", "notes"))  # [{budget: budget.csv}]
    """


@hookspec
def lscb_register_requirements(register):
    """Declare statutory requirements a report can be checked against.

    Call ``register(Requirement(...))`` (see :class:`core.requirements.Requirement`): a stable ``id``
    (e.g. ``"WT23-07"``), the ``editions`` of Working Together whose report years it governs, its
    ``force`` (``"must"`` or ``"should"``), a short ``text`` in your own words and its ``source``
    (document, chapter, paragraph). Section types name these ids in ``satisfies``; ``lscb check``
    prints, for the edition of a report year, each requirement and the section that meets it, or
    MISSING. An id registered twice is an error. Return value: ignored.

    Example (a plugin for a new edition adds one requirement)::

        @hookimpl
        def lscb_register_requirements(register):
            register(Requirement("WT26-01", ("WT2026",), "must", "...", "Working Together 2026, ch. 2"))
    """


@hookspec
def lscb_register_commands(subparsers):
    """Add subcommands to the ``lscb`` command line.

    Called once per run of ``lscb``, on a plugin manager of the built-ins and installed packages only
    (the command line is not per board, so a board's own ``plugins/`` are not asked). It is called only
    when the command asked for is not one of the engine's own (``render``, ``check``, ``plugins``,
    ``list``), or for ``lscb --help``, so a rebuild from the cache never imports plugin code.

    ``subparsers`` is the :mod:`argparse` sub-parser group of ``lscb``: call
    ``subparsers.add_parser(name, help=...)``, add its arguments and ``set_defaults(func=handler)``.
    ``handler(args)`` returns the exit code; raise :class:`core.errors.LscbError` (or a subclass) for a
    user error, which ``lscb`` prints in one line with no traceback. A command name registered twice
    (or one of the engine's own) is an error that names it. Return value: ignored.

    Example (a plugin module that adds ``lscb hello BOARD``)::

        @hookimpl
        def lscb_register_commands(subparsers):
            p = subparsers.add_parser("hello", help="greet a board")
            p.add_argument("board")
            p.set_defaults(func=lambda args: print(f"hello {args.board}") or 0)
    """


@hookspec
def lscb_register_contracts(register):
    """Declare the contract of a typed CSV data file a plugin reads (``attendance.csv``, ``budget.csv`` ...).

    Call ``register(contract)`` with a :class:`core.data.Contract`: its ``file`` (relative to the year's
    data folder), its columns with their types, allowed values and descriptions. Tools that handle a
    year's data outside a render use it: ``lscb data export`` turns it into the workbook's data validation
    and column notes, ``lscb data import`` checks each cell against it. Called when such a tool opens a
    board (built-ins, installed packages and the board's own plugins are asked). A file registered twice
    is an error naming both plugins. Return value: ignored.

    Example::

        MEETINGS = Contract("meetings.csv", (Column("date", description="date of the meeting"),
                                             Column("attended", "count", description="members present")))

        @hookimpl
        def lscb_register_contracts(register):
            register(MEETINGS)
    """


@hookspec
def lscb_register_renderers(register):
    """Add a renderer that ``lscb render --engine NAME`` can choose (``builtin`` and ``quarto`` come this way).

    Called when a render starts, on the board's plugin manager. Call ``register(name, make, help="",
    writes=())``: ``make()`` returns the object that renders for one build, with ``render(engine, year, *,
    use_cache, formats)`` returning a :class:`core.build.Report` and optionally ``close()`` (called when
    the build ends). ``writes`` names the output formats the renderer makes itself (their files go in
    ``report.files``); for the others its ``report.html`` is handed to the output-format plugins. The
    first registration of a name wins (a board's own plugin is asked first). Return value: ignored.

    Example::

        class PlainText:
            def render(self, engine, year, *, use_cache, formats):
                title = engine.board.year_info(year)["title"]
                return Report(engine.board, year, title, files={"report.txt": title})

        @hookimpl
        def lscb_register_renderers(register):
            register("text", PlainText, help="the title only", writes=("text",))
    """


@hookspec
def lscb_register_output_formats(register):
    """Add an output format for ``lscb render --format NAME`` (as datasette's ``register_output_renderer``).

    Called when a render starts, on the board's plugin manager. Call ``register(name, filename, write)``:
    ``write(report)`` returns the file's content (``str`` or ``bytes``) made from the rendered report
    (``report.html``, ``report.meta``, ``report.board``, ``report.year``); it is written as ``filename``
    in the report's folder. ``html`` (``index.html``), ``pdf`` and ``docx`` are built-in plugins; the
    page (``html``) is always written when offered. Return value: ignored.

    Example::

        @hookimpl
        def lscb_register_output_formats(register):
            register("txt", "report.txt", lambda report: re.sub(r"<[^>]+>", "", report.html))
    """


# --- Checks and finished reports ---------------------------------------------------------------------

@hookspec
def lscb_check_year(engine, year):
    """Check one report year: every check of ``lscb check`` (and of each ``lscb render``) is a plugin of this hook.

    Called once per checked year, before any chapter runs; every implementation is called and the answers
    are combined (:func:`core.findings.check_year`), the built-in data checks (``plugins.checks``, ``tryfirst``)
    first. Return a list of findings, or ``None``: a :class:`core.errors.DataError` (or any ``LscbError``)
    is a data problem (``lscb check`` exits 1, a render stops); a :class:`core.findings.Warning_` is printed
    and does not change the exit code; a :class:`core.findings.Pending` is something still to do before
    the report is final (``lscb check`` counts them per kind and exits 3). Examples in ``docs/hooks.md``.
    """


@hookspec(firstresult=True)
def lscb_show_table(ctx, table, spec, rows):
    """Change a table built from data before the report shows it (disclosure control hides small counts).

    Called by the ``table`` and ``indicators`` block directives for each table they build: ``spec`` is the
    block's mapping in the content file, ``rows`` the tidy ``indicators.csv`` rows behind an indicators
    table (``None`` for a printed table). Return a new :class:`plugins.blocks.Table`, or ``None`` to show
    the table as built; the first answer wins. Raise :class:`core.errors.DataError` for a bad declaration.
    """


@hookspec
def lscb_report_page(engine, year, report):
    """Change a rendered report's page before the formats are made from it.

    Called once per render of a board-year made by a renderer that gives a page (the built-in one), after
    the chapters are assembled into ``report.html`` and before the output formats are made from it; a plugin may replace
    ``report.html`` (e.g. mark a draft on every page). Every implementation is called, the last
    registered first. Return value: ignored.

    Example::

        @hookimpl
        def lscb_report_page(engine, year, report):
            report.html = report.html.replace("<body>", "<body><p>Embargoed until 1 October</p>", 1)
    """


@hookspec
def lscb_report_files(engine, year, report, files):
    """Change the files of a rendered report before they are written.

    Called after every format asked for has been made: ``files`` maps a file name (``index.html``,
    ``report.pdf``, ``report.docx``) to its content (``str`` or ``bytes``); change it in place. Every
    implementation is called. Return value: ignored.

    Example (ship the data notes with the report)::

        @hookimpl
        def lscb_report_files(engine, year, report, files):
            files["notes.md"] = (engine.board.root / "data" / year / "notes.md").read_text()
    """


# --- Section families --------------------------------------------------------------------------------

@hookspec(firstresult=True)
def lscb_demographics(ctx):
    """Local context: population, children in need, child protection plans, looked-after children,
    and comparisons with England, the region and statistical neighbours.

    Called for every chapter cell ``board.section("demographics.<name>")``. Return a list of blocks,
    or ``None`` to leave the section to the next plugin. The shared fallback builds the section from
    ``sections/demographics.<name>.yml`` (indicators from the tidy ``indicators.csv``, tables, charts).

    Example (a board plugin that adds a chart of its own to one section)::

        @hookimpl
        def lscb_demographics(ctx):
            if ctx.name != "population":
                return None
            blocks = ctx.blocks(ctx.content()["blocks"])
            return blocks + [Markdown("Figures are ONS mid-year estimates.")]
    """


@hookspec(firstresult=True)
def lscb_governance(ctx):
    """How the board or partnership works: structure, membership and attendance, relationships with
    other strategic bodies, budget and spend, independent scrutiny.

    Called for ``board.section("governance.<name>")``; return blocks or ``None``. The shared fallback
    reads ``sections/governance.<name>.yml``; its ``attendance`` and ``budget`` directives read the
    typed files ``attendance.csv`` and ``budget.csv`` and check them (attendance against meetings held,
    budget lines against their totals).

    Example::

        @hookimpl
        def lscb_governance(ctx):
            if ctx.name == "chair":
                return [KeyFigures([Fact("7/7", "board meetings the Independent Chair attended")])]
    """


@hookspec(firstresult=True)
def lscb_priorities(ctx):
    """The year's priorities and the progress made against them, in the board's own template.

    Called for ``board.section("priorities.<name>")``; return blocks or ``None``. The shared fallback
    renders ``priorities.yml`` as a :class:`core.blocks.PriorityList`, either as success measures and
    progress (``template: measures-progress``) or as what is working well / what we are worried about /
    what needs to happen (``template: wwr``), with partner contributions inside each priority.

    Example::

        @hookimpl
        def lscb_priorities(ctx):
            if ctx.name == "progress":
                data = ctx.data.yaml("priorities.yml")
                return [Markdown(f"{len(data['priorities'])} priorities this year.")]
    """


@hookspec(firstresult=True)
def lscb_partner_contributions(ctx):
    """What each partner agency did for safeguarding children (one section per partner, or a summary).

    Called for ``board.section("partners.<name>")``; return blocks or ``None``. The shared fallback reads
    ``sections/partners.<name>.yml``.

    Example::

        @hookimpl
        def lscb_partner_contributions(ctx):
            if ctx.name == "police":
                return ctx.blocks([{"table": "police-referrals",
                                    "caption": "Referrals made by the police"}])
    """


@hookspec(firstresult=True)
def lscb_learning(ctx):
    """Learning and improvement: serious case and practice reviews, child death reviews, training,
    audits, allegations against staff (LADO), missing children, MARAC, MAPPA and other scrutiny.

    Called for ``board.section("learning.<name>")``; return blocks or ``None``. The shared fallback
    reads ``sections/learning.<name>.yml``; its ``reviews`` directive renders ``reviews.yml`` (each
    review with its recommendations and their progress).

    Example::

        @hookimpl
        def lscb_learning(ctx):
            if ctx.name == "reviews":
                reviews = ctx.data.yaml("reviews.yml")["reviews"]
                return [Markdown(f"{len(reviews)} reviews were published this year.")]
    """


FAMILY_HOOKS = {
    "demographics": "lscb_demographics",
    "governance": "lscb_governance",
    "priorities": "lscb_priorities",
    "partners": "lscb_partner_contributions",
    "learning": "lscb_learning",
}
"""Section id prefix -> the family hook that builds it."""
