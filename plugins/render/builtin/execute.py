"""Executing a chapter in-process: one fresh namespace per chapter, no kernel start-up.

Outputs are turned into HTML the way Quarto treats them: an object's ``text/html`` representation when it
has one, Markdown rendered, altair charts made static SVG, anything else shown as text.
"""
from __future__ import annotations

import ast
import contextlib
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from core.blocks import SectionOutput
from core.errors import LscbError, NotebookError
from core.plugins import engine_bug
from plugins.blocks import Table, heading_level
from plugins.charts.chart import Chart

from .qmd import Chapter

_prose = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{([^}]*)\})?\s*$")
INLINE = re.compile(r"`\{python\}\s*([^`]+)`")
XREF = re.compile(r"@((?:tbl|fig|sec)-[A-Za-z0-9_\-]+)")


def slug(text: str) -> str:
    s = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    return re.sub(r"[\s_]+", "-", s)[:60] or "section"


@dataclass
class Heading:
    level: int          # level in the final page (chapter titles are 2)
    text: str
    id: str


@dataclass
class RenderState:
    """Numbering and ids shared by all chapters of one report."""
    ids: set[str] = field(default_factory=set)
    tables: int = 0
    figures: int = 0
    xrefs: dict[str, str] = field(default_factory=dict)     # label -> "Table 3"

    def unique(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident


@dataclass
class ChapterResult:
    path: Path
    title: str
    id: str
    html: str
    headings: list[Heading]


def _capture_display(sink: list):
    def display(*objs, **kwargs):
        sink.extend(objs)
    return display


@contextlib.contextmanager
def _patched_display(sink: list):
    """Route IPython's display() into this chapter's outputs while it runs."""
    targets = []
    try:
        import IPython.core.display_functions as df
        import IPython.display as dd
        targets = [(df, "display", df.display), (dd, "display", dd.display)]
    except ImportError:  # pragma: no cover - ipykernel brings IPython
        pass
    fn = _capture_display(sink)
    for mod, name, _ in targets:
        setattr(mod, name, fn)
    try:
        yield fn
    finally:
        for mod, name, orig in targets:
            setattr(mod, name, orig)


def run_code(code: str, namespace: dict, filename: str) -> tuple[list[Any], str]:
    """Run a cell; return what it displayed (display() calls, then its last expression) and stdout."""
    tree = ast.parse(code, filename=filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    outputs: list[Any] = []
    out = io.StringIO()
    with _patched_display(outputs) as display, contextlib.redirect_stdout(out):
        namespace.setdefault("display", display)
        exec(compile(tree, filename, "exec"), namespace)  # noqa: S102 - running the analyst's notebook
        if last is not None:
            value = eval(compile(last, filename, "eval"), namespace)
            if value is not None:
                outputs.append(value)
    return outputs, out.getvalue()


def output_html(obj: Any, options: dict, state: RenderState, level: int) -> str:
    """One displayed object as HTML, with the cell's caption/label/alt options applied."""
    label = str(options.get("label", "") or "")
    if isinstance(obj, SectionOutput):
        return _section_html(obj, options, state, level)
    if hasattr(obj, "to_dict") and type(obj).__module__.startswith("altair"):
        return _altair_html(obj, options, state)
    if hasattr(obj, "_repr_mimebundle_"):
        bundle = obj._repr_mimebundle_() or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        if "text/html" in bundle:
            return str(bundle["text/html"])
        if "text/markdown" in bundle:
            return _prose.render(str(bundle["text/markdown"]))
    for attr, conv in (("_repr_html_", str), ("_repr_markdown_", _prose.render), ("_repr_svg_", str)):
        if hasattr(obj, attr):
            value = getattr(obj, attr)()
            if value is not None:
                return conv(value)
    ident = f' id="{html.escape(label)}"' if label else ""
    return f"<pre{ident}>{html.escape(repr(obj) if not isinstance(obj, str) else obj)}</pre>"


def _section_html(section: SectionOutput, options: dict, state: RenderState, level: int) -> str:
    label = str(options.get("label", "") or "")
    tables = [b for b in section.blocks if isinstance(b, Table)]
    charts = [b for b in section.blocks if isinstance(b, Chart)]
    if label and label in state.xrefs:      # else the second would be renamed and @label point at the first
        raise NotebookError(f"label {label!r} is already used for {state.xrefs[label]}; "
                            "labels must be unique within the book")
    if options.get("tbl-cap") and tables:
        state.tables += 1
        first = tables[0]
        first.caption = f"Table {state.tables}: {options['tbl-cap']}"
        if label:
            first.id = state.unique(label)
            state.xrefs[label] = f"Table {state.tables}"
    if (options.get("fig-cap") or options.get("fig-alt")) and charts:
        first = charts[0]
        if options.get("fig-cap"):
            state.figures += 1
            first.caption = f"Figure {state.figures}: {options['fig-cap']}"
            if label:
                first.id = state.unique(label)
                state.xrefs[label] = f"Figure {state.figures}"
        if options.get("fig-alt"):
            first.alt = str(options["fig-alt"])
    return section.html(level)


def _altair_html(chart: Any, options: dict, state: RenderState) -> str:
    import json

    from plugins.charts.chart import _svg
    alt_text = str(options.get("fig-alt") or options.get("fig-cap") or "Chart")
    svg = _svg(json.dumps(chart.to_dict(), sort_keys=True, default=str))
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{html.escape(alt_text)}"', svg, 1)
    cap = ""
    if options.get("fig-cap"):
        state.figures += 1
        cap = f"<figcaption>Figure {state.figures}: {html.escape(str(options['fig-cap']))}</figcaption>"
    return f'<figure class="chart">{cap}{svg}</figure>'


def render_markdown(source: str, state: RenderState, headings: list[Heading], namespace: dict,
                    label: str = "", first_line: int = 1) -> str:
    """Prose of a chapter: headings shifted one level down (the report title is the only h1), ids kept,
    inline `{python} expr` evaluated, Quarto div fences dropped."""
    lines = []
    for line in source.splitlines():
        if line.lstrip().startswith(":::"):
            continue
        m = HEADING.match(line)
        if m:
            level = min(len(m.group(1)) + 1, 6)
            text = m.group(2)
            attrs = m.group(4) or ""
            given = re.search(r"#([\w\-:.]+)", attrs)
            ident = state.unique(given.group(1) if given else slug(text))
            headings.append(Heading(level, text, ident))
            lines.append(f'<h{level} id="{ident}">{html.escape(text)}</h{level}>')
            lines.append("")
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = INLINE.sub(lambda m: html.escape(str(_inline(m, source, namespace, label, first_line))), text)
    return _prose.render(text)


def _inline(m: re.Match, source: str, namespace: dict, label: str, line: int) -> Any:
    """An inline `{python} expr` of the prose; a failure names the chapter, the line and the expression."""
    try:
        return eval(m.group(1), namespace)  # noqa: S307 - the analyst's own expression, as Quarto runs it
    except Exception as e:  # noqa: BLE001 - any error in an analyst's expression is reported, not raised
        at = line + source[: source.find(m.group(0))].count("\n") if m.group(0) in source else line
        raise NotebookError(f"{label}, line {at}: the inline expression `{{python}} {m.group(1).strip()}` "
                            f"failed: expected a value to print, found {type(e).__name__}: {e}") from e


def execute_chapter(chapter: Chapter, params: dict, state: RenderState, defaults: dict,
                    label: str) -> ChapterResult:
    namespace: dict[str, Any] = {"__name__": "__main__", **params}
    parts: list[str] = []
    headings: list[Heading] = []
    title = chapter.title
    ident = state.unique(str(chapter.front.get("id") or slug(title or chapter.path.stem)))
    if title:
        headings.append(Heading(2, title, ident))
    level = 3
    injected = False
    for cell in chapter.cells:
        if cell.kind == "markdown":
            before = len(headings)
            parts.append(render_markdown(cell.source, state, headings, namespace, label, cell.line))
            if len(headings) > before:
                level = min(headings[-1].level + 1, 6)
            continue
        opts = {**defaults, **cell.options}
        tags = opts.get("tags") or []
        try:
            outputs, stdout = run_code(cell.source, namespace, f"{label}:{cell.line}")
            if "parameters" in tags and not injected:
                namespace.update(params)     # papermill/Quarto: -P values override the cell's defaults
                injected = True
        except LscbError as e:
            raise NotebookError(f"{label}, cell at line {cell.line}: {e}") from e
        except Exception as e:
            if engine_bug(e):      # not the cell's fault: shown as the engine's bug (core.cli)
                raise
            raise NotebookError(f"{label}, cell at line {cell.line}: {type(e).__name__}: {e}") from e
        if opts.get("include") is False:
            continue
        if opts.get("echo") is True:
            parts.append(f'<pre class="code"><code>{html.escape(cell.source)}</code></pre>')
        if opts.get("output") is False:
            continue
        token = heading_level.set(level)
        try:
            rendered = [output_html(o, opts, state, level) for o in outputs]
        except LscbError as e:
            raise NotebookError(f"{label}, cell at line {cell.line}: {e}") from e
        finally:
            heading_level.reset(token)
        if stdout.strip():
            rendered.append(f"<pre>{html.escape(stdout)}</pre>")
        if rendered:
            parts.append(f'<div class="cell-output">{"".join(rendered)}</div>')
    return ChapterResult(chapter.path, title, ident, "\n".join(parts), headings)


def resolve_xrefs(text: str, state: RenderState) -> str:
    def sub(m: re.Match) -> str:
        label = m.group(1)
        if label in state.xrefs:
            return f'<a href="#{html.escape(label)}">{html.escape(state.xrefs[label])}</a>'
        return m.group(0)
    return XREF.sub(sub, text)
