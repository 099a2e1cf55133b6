"""Every rendered report, opened in Chromium: axe-core's WCAG 2.x A/AA rules and the structural checks that
the report's accessibility statement lists (plugins.accessibility.CHECKS: one list, so the statement
claims what these tests verify). A deliberately broken page shows the checks can fail."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.accessibility import ANCHOR, AXE_TAGS, CHECKS
from tests.browser.conftest import axe_js

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SCREENSHOTS = HERE.parent.parent / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}


# --- helpers ---------------------------------------------------------------------------------------------

def open_page(new_page, url: str, viewport: dict | None = None, device_scale_factor: float = 1):
    page = new_page(viewport=viewport, device_scale_factor=device_scale_factor)
    page.goto(url, wait_until="load")
    return page


#: Rules that axe-core 4.14 runs under AXE_TAGS but the packaged 4.12.1 still tags "experimental", so runs only
#: when asked for by id: asked for, the tests run the same WCAG rules as with 4.14 (label-content-name-mismatch
#: is WCAG 2.5.3, level A).
AXE_EXPERIMENTAL_IN_4_12 = ("label-content-name-mismatch",)


def run_axe(page, tags=AXE_TAGS, extra_rules: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the page: rules with any of ``tags``, plus ``extra_rules`` by id."""
    page.add_script_tag(path=str(axe_js()))      # found before any browser test runs (missing_browser_reason)
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"],
               "rules": {r: {"enabled": True} for r in (*AXE_EXPERIMENTAL_IN_4_12, *extra_rules)}}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return result["violations"]


def describe_violations(violations: list[dict], first: int = 3) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:first]]
        more = f" (+{len(v['nodes']) - first} more)" if len(v["nodes"]) > first else ""
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}; {len(v['nodes'])} element(s): "
                     + "; ".join(targets) + more)
    return "\n".join(lines)


# The JavaScript of the structural checks: each returns a list of problems (empty = passes).

JS_HEADINGS = """() => {
  const problems = [];
  let prev = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    const text = h.textContent.trim().slice(0, 60);
    if (prev === 0 && level !== 1) problems.push(`first heading is h${level} "${text}", not h1`);
    if (prev && level > prev + 1) problems.push(`h${prev} is followed by h${level} "${text}" (skips a level)`);
    prev = level;
  }
  return problems;
}"""

JS_CONTENTS = """() => {
  const navs = [...document.querySelectorAll('nav, [role=navigation]')];
  const name = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    return (ids.map((i) => (document.getElementById(i) || {}).textContent || '').join(' ')
            || el.getAttribute('aria-label') || '').trim();
  };
  const toc = navs.find((n) => /contents/i.test(name(n)));
  if (!toc) return [`no navigation landmark named "Contents" (navs: ${navs.map(name).join(', ') || 'none'})`];
  const links = [...toc.querySelectorAll('a[href]')];
  if (!links.length) return ['the contents have no links'];
  const problems = [];
  for (const a of links) {
    const href = a.getAttribute('href');
    const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    if (!target) problems.push(`contents link "${a.textContent.trim()}" -> ${href}: no such element`);
    else if (!/^H[1-6]$/.test(target.tagName))
      problems.push(`contents link "${a.textContent.trim()}" -> ${href}: a ${target.tagName}, not a heading`);
  }
  for (const h of document.querySelectorAll('main h2[id]')) {
    if (!links.some((a) => a.getAttribute('href') === '#' + h.id))
      problems.push(`chapter heading "${h.textContent.trim()}" is not in the contents`);
  }
  return problems;
}"""

JS_TABLES = """() => {
  const problems = [];
  const scopes = ['col', 'row', 'colgroup', 'rowgroup'];
  document.querySelectorAll('table').forEach((t, i) => {
    const cap = t.querySelector(':scope > caption');
    const label = cap && cap.textContent.trim() ? `"${cap.textContent.trim().slice(0, 50)}"` : `table ${i + 1}`;
    if (!cap || !cap.textContent.trim()) problems.push(`${label} (id=${t.id || '-'}) has no caption`);
    t.querySelectorAll('th').forEach((th) => {
      if (!scopes.includes(th.getAttribute('scope')))
        problems.push(`${label}: header cell "${th.textContent.trim()}" has no scope`);
    });
  });
  return problems;
}"""

JS_CHARTS = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement.closest('svg')) continue;
    if (svg.getAttribute('aria-hidden') === 'true') continue;
    if (svg.getAttribute('role') !== 'img') { problems.push(`an svg without role="img" or aria-hidden`); continue; }
    if (!(svg.getAttribute('aria-label') || '').trim()) problems.push('an svg[role=img] with an empty aria-label');
  }
  document.querySelectorAll('figure.chart').forEach((f) => {
    const cap = (f.querySelector('figcaption') || {}).textContent || '(no caption)';
    if (!f.querySelector('svg[role=img]')) problems.push(`chart "${cap.trim()}" has no svg[role=img]`);
    if (!f.querySelector('details table')) problems.push(`chart "${cap.trim()}" has no data table`);
  });
  return problems;
}"""

# Content that sticks out of the window (outside the scroll box of a data table, which WCAG 1.4.10 allows
# to scroll on its own), and a page that scrolls sideways. Closed <details> are opened first.
JS_FITS = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const W = document.documentElement.clientWidth;
  const problems = [];
  const sw = document.scrollingElement.scrollWidth;
  if (sw > W) problems.push(`the page scrolls sideways: ${sw}px of content in a ${W}px window`);
  const path = (el) => {
    const bits = [];
    for (let e = el; e && e !== document.body && bits.length < 4; e = e.parentElement)
      bits.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                   (e.classList.length ? '.' + [...e.classList].join('.') : ''));
    return bits.join(' > ');
  };
  const inTableScroller = (el) => {
    if (!el.closest('table')) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  let count = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || r.right <= W + 1 || inTableScroller(el)) continue;
    if (count++ < 8) problems.push(`${path(el)} reaches ${Math.round(r.right)}px in a ${W}px window`);
  }
  // text that runs out of its box (a long word, an e-mail address) moves no element's edge
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest('svg') || inTableScroller(n.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.right > W + 1 && count++ < 8)
      problems.push(`text "${n.textContent.trim().slice(0, 60)}" in ${path(n.parentElement)} reaches ` +
                    `${Math.round(r.right)}px in a ${W}px window`);
  }
  if (count > 8) problems.push(`... and ${count - 8} more`);
  return problems;
}"""


def check_axe(new_page, url: str) -> list[str]:
    page = open_page(new_page, url)
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    violations = run_axe(page)
    return [describe_violations(violations)] if violations else []


def check_language(new_page, url: str) -> list[str]:
    lang = open_page(new_page, url).evaluate("() => document.documentElement.getAttribute('lang')")
    return [] if lang == "en-GB" else [f'<html lang="{lang}">, expected "en-GB"']


def check_title(new_page, url: str) -> list[str]:
    page = open_page(new_page, url)
    title, h1, board = page.evaluate("""() => [document.title,
        (document.querySelector('h1') || {}).textContent || '',
        (document.querySelector('meta[name="lscb:board"]') || {}).content || '']""")
    problems = []
    if not title.strip():
        problems.append("the page has no <title>")
    for what, value in (("report title (h1)", h1.strip()), ("board", board.strip())):
        if not value or value not in title:
            problems.append(f"<title> {title!r} does not name the {what} {value!r}")
    return problems


def check_one_h1(new_page, url: str) -> list[str]:
    texts = open_page(new_page, url).evaluate(
        "() => [...document.querySelectorAll('h1')].map((h) => h.textContent.trim())")
    return [] if len(texts) == 1 else [f"{len(texts)} h1 elements: {texts}"]


def check_heading_levels(new_page, url: str) -> list[str]:
    return open_page(new_page, url).evaluate(JS_HEADINGS)


def check_skip_link(new_page, url: str) -> list[str]:
    page = open_page(new_page, url)
    page.keyboard.press("Tab")
    first = page.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
        return {tag: a.tagName, href: a.getAttribute('href'), text: a.textContent.trim(),
                visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 &&
                         r.right <= innerWidth && r.bottom <= innerHeight}; }""")
    if first["tag"] != "A" or not (first["href"] or "").startswith("#"):
        return [f"the first Tab stop is {first['tag']} {first['text']!r}, not a skip link"]
    problems = []
    if not first["visible"]:
        problems.append(f"the skip link {first['text']!r} is not visible when it has focus")
    target = first["href"][1:]
    if not page.evaluate("(id) => !!document.getElementById(id)", target):
        return [*problems, f"the skip link points to #{target}, which does not exist"]
    page.keyboard.press("Enter")
    focused = page.evaluate("(id) => { const t = document.getElementById(id); "
                            "return document.activeElement === t || t.contains(document.activeElement); }",
                            target)
    if not focused:
        problems.append(f"following the skip link does not move focus to #{target}")
    return problems


def check_contents_nav(new_page, url: str) -> list[str]:
    return open_page(new_page, url).evaluate(JS_CONTENTS)


def check_tables(new_page, url: str) -> list[str]:
    return open_page(new_page, url).evaluate(JS_TABLES)


def check_charts(new_page, url: str) -> list[str]:
    return open_page(new_page, url).evaluate(JS_CHARTS)


def check_reflow(new_page, url: str) -> list[str]:
    """WCAG 1.4.10: content at 320 CSS px wide (1280 px at 400%) needs no horizontal scrolling."""
    return open_page(new_page, url, viewport={"width": 320, "height": 256}).evaluate(JS_FITS)


def check_zoom(new_page, url: str) -> list[str]:
    """WCAG 1.4.4: at 200% zoom a 1280x800 window is 640x400 CSS px at two device pixels each (what
    Chromium's own zoom does); the content must still fit."""
    w, h = DESKTOP["width"] // 2, DESKTOP["height"] // 2
    page = open_page(new_page, url, viewport={"width": w, "height": h}, device_scale_factor=2)
    ratio = page.evaluate("() => window.devicePixelRatio")
    problems = [] if ratio == 2 else [f"devicePixelRatio is {ratio}, not 2: the zoom was not applied"]
    return problems + page.evaluate(JS_FITS)


#: the implementation of every check the accessibility statement lists (plugins.accessibility.CHECKS)
IMPLEMENTED: dict[str, Callable[..., list[str]]] = {
    "axe": check_axe,
    "language": check_language,
    "title": check_title,
    "one-h1": check_one_h1,
    "heading-levels": check_heading_levels,
    "skip-link": check_skip_link,
    "contents-nav": check_contents_nav,
    "tables": check_tables,
    "charts": check_charts,
    "reflow": check_reflow,
    "zoom": check_zoom,
}


# --- the tests -------------------------------------------------------------------------------------------

def test_statement_lists_exactly_the_checks_run():
    """What the accessibility statement says was checked is what this module checks."""
    assert list(IMPLEMENTED) == [c.id for c in CHECKS]


@pytest.mark.parametrize("check", [c.id for c in CHECKS])
def test_report_passes(new_page, report, check):
    problems = IMPLEMENTED[check](new_page, report.url)
    assert not problems, f"{report.name}: {check} check failed:\n" + "\n".join(problems)


def test_report_has_statement(report):
    text = report.path.read_text(encoding="utf-8")
    assert f'aria-labelledby="{ANCHOR}"' in text and ">Accessibility statement</h2>" in text
    assert "WCAG) version 2.2</a> at level AA" in text and "Equality and Human Rights Commission" in text
    for c in CHECKS:
        assert c.text.replace('"', "&quot;") in text, f"the statement does not list the {c.id} check"


def test_screenshot(new_page, report):
    """The first screen of each report, for people to look at: test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{report.name}.png"
    open_page(new_page, report.url).screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 5000


# --- the checks can fail -------------------------------------------------------------------------------

BROKEN = FIXTURES / "broken.html"


def test_axe_fails_on_broken_fixture(new_page):
    """An <img> without alt and a skipped heading level: axe names both rules (heading-order is one of
    axe's best-practice rules, so it is asked for by id)."""
    violations = run_axe(open_page(new_page, BROKEN.as_uri()), extra_rules=("heading-order",))
    ids = {v["id"] for v in violations}
    assert {"image-alt", "heading-order"} <= ids, describe_violations(violations)
    message = describe_violations(violations)
    assert "image-alt [critical]" in message and "img" in message


def test_axe_runs_label_content_name_mismatch(new_page):
    """A link and a button whose accessible names do not contain their visible text (WCAG 2.5.3): the tags alone
    skip the rule in axe-core 4.12.1 ("experimental" there), so run_axe asks for it by id."""
    page = new_page()
    page.set_content('<!DOCTYPE html><html lang="en-GB"><head><title>Names</title></head><body><main><h1>Names</h1>'
                     '<p><a href="#top" aria-label="Go to the contents">Read the full report</a></p>'
                     '<button aria-label="Close">Download</button></main></body></html>')
    violations = run_axe(page)
    found = {v["id"]: len(v["nodes"]) for v in violations}
    assert found.get("label-content-name-mismatch") == 2, describe_violations(violations)


def test_structural_checks_fail_on_broken_fixture(new_page):
    url = BROKEN.as_uri()
    assert any("skips a level" in p and "h4" in p for p in check_heading_levels(new_page, url))
    assert check_axe(new_page, url), "the WCAG tags alone must still catch the missing alt text"
