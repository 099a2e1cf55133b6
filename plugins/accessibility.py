"""The accessibility statement printed in every report, generated from the checks the browser tests run.

The Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 ask for
"a detailed, comprehensive and clear statement" on a published page's compliance. What this statement
says was checked is :data:`CHECKS`, and ``tests/browser/test_accessibility.py`` runs exactly those checks on
every rendered report (a test fails if the two lists ever differ), so the statement claims no more than
the tests verify.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import hookimpl
from core.blocks import esc

#: the standard the reports claim
STANDARD = "WCAG 2.2 level AA"
STANDARD_URL = "https://www.w3.org/TR/WCAG22/"

#: the axe-core rule tags run on every report (axe's own names for WCAG 2.0/2.1/2.2 levels A and AA)
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

ANCHOR = "accessibility-statement"


@dataclass(frozen=True)
class Check:
    id: str           # the name the browser tests register their implementation under
    criteria: str     # WCAG 2.2 success criteria it bears on
    text: str         # what the statement says was verified (a sentence, no final full stop)


#: every check run on every report, in the order the statement lists them
CHECKS: tuple[Check, ...] = (
    Check("axe", "levels A and AA",
          "the automated rules of axe-core for WCAG 2.0, 2.1 and 2.2 levels A and AA (tags "
          + ", ".join(AXE_TAGS) + ") find no violations in the page as shown by the Chromium browser"),
    Check("language", "3.1.1", 'the page declares its language as British English (lang="en-GB")'),
    Check("title", "2.4.2", "the page has a title naming the board and the report"),
    Check("one-h1", "1.3.1, 2.4.6", "the page has exactly one main heading (h1)"),
    Check("heading-levels", "1.3.1, 2.4.6", "headings go down one level at a time, never skipping a level"),
    Check("skip-link", "2.4.1", "the first thing the keyboard reaches is a link that skips to the report, "
          "and it moves focus to the report"),
    Check("contents-nav", "1.3.1, 2.4.5", "the contents are a navigation landmark whose links all lead "
          "to a heading in the page"),
    Check("tables", "1.3.1", "every table has a caption and every header cell a scope"),
    Check("charts", "1.1.1", "every chart is an image with a text alternative that is not empty, and has "
          "its data as a table beside it"),
    Check("reflow", "1.4.10", "at a width of 320 CSS pixels the page reflows into one column and does not "
          "scroll sideways (wide data tables scroll within their own box)"),
    Check("zoom", "1.4.4", "at 200% zoom (a 1280 pixel window shown at twice the size) all content fits "
          "the window without the page scrolling sideways"),
)

LIMITATIONS = (
    ("Automated checks find only part of the accessibility problems a page can have; the reports have "
     "not yet been tested by disabled people or with every screen reader."),
    ("Charts are drawn as SVG images with a text alternative and a table of their data. The colours of "
     "charts come from the Analysis Function's accessible palette, but whether every pair of adjacent "
     "colours has a contrast of at least 3:1 (WCAG 1.4.11) is not checked automatically."),
    ("Some abbreviations common in safeguarding work (for example LADO, MASH or CDOP) are not spelled "
     "out where they are first used."),
    ("The PDF version is produced from this page by WeasyPrint; whether it is a tagged PDF (PDF/UA) "
     "depends on WeasyPrint's PDF/UA support, and it has not been checked with a PDF accessibility "
     "checker. This web page is the accessible version of the report."),
    "The Word version is converted by pandoc; it has not been checked with Word's accessibility checker.",
)


def statement_html(report_meta: dict) -> str:
    """The accessibility statement as a section of the report page.

    ``report_meta`` is the report's metadata (``Report.meta``: board, year, engine ...), optionally with the
    board's own keys from board.yml (e.g. ``website``); only keys present are used.
    """
    board = report_meta.get("board") or "the board"
    year = report_meta.get("year", "")
    website = str(report_meta.get("website") or "").strip()
    checks = "".join(f"<li>{esc(c.text)} (WCAG {esc(c.criteria)}).</li>" for c in CHECKS)
    limits = "".join(f"<li>{esc(t)}</li>" for t in LIMITATIONS)
    if website:
        href = website if website.startswith(("http://", "https://")) else f"https://{website}"
        contact = (f'<p>If you need this report in another format, or find a problem with its accessibility, '
                   f'contact {esc(board)} through its website, <a href="{esc(href)}">{esc(website)}</a>.</p>')
    else:
        contact = (f"<p>If you need this report in another format, or find a problem with its "
                   f"accessibility, contact {esc(board)}.</p>")
    engine = report_meta.get("engine", "")
    made = f" by {esc(engine)}" if engine else ""
    return (
        f'<section class="chapter accessibility-statement" aria-labelledby="{ANCHOR}">'
        f'<h2 id="{ANCHOR}">Accessibility statement</h2>'
        f"<p>{esc(board)} wants as many people as possible to be able to read this annual report"
        f"{' for ' + esc(year) if year else ''}. This statement covers this web page; it is required by the "
        f"Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>"
        f'<h3 id="{ANCHOR}-standard">Compliance status</h3>'
        f'<p>This page aims to meet the <a href="{STANDARD_URL}">Web Content Accessibility Guidelines '
        f"(WCAG) version 2.2</a> at level AA, and was checked against it as described below. The known "
        f"limitations are listed.</p>"
        f'<h3 id="{ANCHOR}-checks">How this page was checked</h3>'
        f"<p>This page was generated{made} from the board's data, and every report generated this way is "
        f"opened in the Chromium browser by automated tests, which verify that:</p>"
        f"<ul>{checks}</ul>"
        f'<h3 id="{ANCHOR}-limitations">Known limitations</h3>'
        f"<ul>{limits}</ul>"
        f'<h3 id="{ANCHOR}-contact">Feedback and contact</h3>'
        f"{contact}"
        f'<h3 id="{ANCHOR}-enforcement">Enforcement procedure</h3>'
        f"<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility "
        f"regulations. If you are not happy with how the board responds to your complaint, contact the "
        f'<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service '
        f"(EASS)</a>.</p>"
        f"</section>"
    )


def add_statement(page: str, report_meta: dict) -> str:
    """The page with the statement at the end of its main content and an entry for it in the contents."""
    entry = f'<li><a href="#{ANCHOR}">Accessibility statement</a></li>'
    page = page.replace("</ol></nav>", entry + "</ol></nav>", 1)
    head, sep, tail = page.rpartition("\n</main>")
    return f"{head}\n{statement_html(report_meta)}{sep}{tail}" if sep else page


@hookimpl(tryfirst=True)        # before other plugins change the page (a draft's banner, say)
def lscb_report_page(engine, year, report):
    # The statement describes the checks run on the built-in renderer's page (and its WeasyPrint PDF and
    # pandoc Word file); Quarto's pages are made and checked otherwise, so it would claim what was not checked.
    if report.meta.get("renderer", "builtin") != "builtin":
        return
    if report.html:
        report.html = add_statement(report.html, {**report.board.meta, **report.meta})
