"""What the preview serves: the report page exactly as ``lscb render`` writes it plus one small inline
script that reloads it when it changes, or, while the data or a chapter is broken, a page with the message
the command line prints."""
from __future__ import annotations

import html

EVENTS = "/__lscb/events"

#: Reloads the page when the server's generation differs from the one the page was served at; keeps the
#: reader's place. Inline (the report is self-contained and needs no network).
RELOAD = """<script data-lscb-preview>
(() => {
  const served = "%(generation)s";
  const place = "lscb-preview-scroll";
  const kept = sessionStorage.getItem(place);
  if (kept !== null) {
    sessionStorage.removeItem(place);
    addEventListener("load", () => scrollTo(0, Number(kept)));
  }
  const events = new EventSource("%(events)s");
  events.onmessage = (e) => {
    if (e.data === served) return;
    events.close();
    sessionStorage.setItem(place, String(scrollY));
    location.reload();
  };
})();
</script>
"""


def reload_script(generation: int) -> str:
    return RELOAD % {"generation": generation, "events": EVENTS}


def with_reload(page: str, generation: int) -> str:
    """The page with the reload script just before its last ``</body>``."""
    at = page.rfind("</body>")
    script = reload_script(generation)
    return page[:at] + script + page[at:] if at >= 0 else page + script


def message_page(title: str, message: str, generation: int, note: str) -> str:
    """A plain, accessible page for an error or for the first render still running."""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1d1d1b; line-height: 1.5; }}
pre {{ white-space: pre-wrap; background: #fdf2f2; border-left: 4px solid #a4262c; padding: 1rem; }}
</style>
</head>
<body>
<main>
<h1>{html.escape(title)}</h1>
{f'<pre role="alert">{html.escape(message)}</pre>' if message else ''}
<p>{html.escape(note)}</p>
</main>
{reload_script(generation)}</body>
</html>
"""


def error_page(message: str, generation: int) -> str:
    return message_page("The report could not be rendered", message, generation,
                        "Fix the file named above and save it: this page shows the report again by itself.")


def waiting_page(generation: int) -> str:
    return message_page("Rendering the report", "", generation,
                        "The first render is running; this page shows the report when it is ready.")
