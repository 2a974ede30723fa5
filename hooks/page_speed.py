"""MkDocs hook: fewer whole-page restyles while Material's bundle starts on a long page.

On the ViT theory page (about 2,100 elements) each time the browser has to restyle every element
costs 12–50 ms on this machine, four times that on Lighthouse's phone, and Material's bundle
caused six of them on every load, none needed: most of the page's blocking time. They were
found by tracing a page load in Chromium with style-invalidation tracking (benchmarks/README.md,
"The site on a phone"). Two are fixed here, the others in ``overrides/main.html``.

1. **Tables.** Material wraps each ``table:not([class])`` in a scroll container by replacing the
   table in its parent. When that parent is the article, Chromium restyles every element of the
   article (Material's CSS has rules such as ``.md-content__inner > :last-child`` on the article's
   children). So each such table is written inside a plain ``<div class="table-slot">`` here, and
   Material's replacement happens inside that one ``<div>``. It has no style of its own: the
   page looks the same, with or without JavaScript.
2. **``[data-md-color-switching] *``** in Material's palette stylesheet. Material sets that
   attribute on ``<body>`` while it applies the colour palette, which it does on every page load,
   not only when the reader switches, and removes it a moment later: two whole-page restyles. The
   rule only stops colour transitions during a switch; without it a switch fades over Material's
   own 125–250 ms transitions instead of jumping. It is removed from the built site's copy of the
   stylesheet; the build fails if a new Material writes the rule differently, so the
   change is never silently lost.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>")
SLOT_OPEN, SLOT_CLOSE = '<div class="table-slot">', "</div>"
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def wrap_tables(html: str) -> str:
    """Put every table Material would wrap (``table:not([class])``) inside a ``table-slot`` div."""
    parts, open_tables, last = [], [], 0
    for match in TABLE_TAG.finditer(html):
        tag = match[0]
        if tag == "</table>":
            parts.append(html[last : match.end()])
            if open_tables and open_tables.pop():
                parts.append(SLOT_CLOSE)
        else:
            bare = re.search(r"\sclass\s*=", tag) is None
            open_tables.append(bare)
            parts += [html[last : match.start()], SLOT_OPEN if bare else "", tag]
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def on_page_content(content, page, config, files):
    return wrap_tables(content)


def on_post_build(config, **kwargs):
    sheets = sorted(Path(config["site_dir"], "assets", "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(
            f"hooks/page_speed.py: expected one Material palette stylesheet, found {len(sheets)}"
        )
    css = sheets[0].read_text(encoding="utf-8")
    if SWITCHING_RULE not in css:
        raise PluginError(
            f"hooks/page_speed.py: {sheets[0].name} no longer contains {SWITCHING_RULE!r}. "
            "Find how this Material writes the [data-md-color-switching] rule and update "
            "SWITCHING_RULE (or drop step 2 if Material no longer sets the attribute on load)."
        )
    sheets[0].write_text(css.replace(SWITCHING_RULE, ""), encoding="utf-8")
