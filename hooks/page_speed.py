"""MkDocs hook: fewer whole-page restyles while Material's bundle starts on a long page.

On the ViT theory page (about 2,100 elements) each time the browser has to restyle every element
costs 12–50 ms on this machine, four times that on Lighthouse's phone, and Material's bundle
caused five of them on every load, none needed: most of the page's blocking time. They were
found by tracing a page load in Chromium with style-invalidation tracking (benchmarks/README.md,
"The site on a phone"; tests/site/test_page_speed.py counts them). Steps 1 and 2 here remove
three, ``overrides/main.html`` the other two; steps 3 and 4 are smaller savings of the same
kind.

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
3. **Copy buttons.** With ``content.code.copy`` Material inserts a copy button into each code
   block and then measures the block, one block after the other: every measurement has to lay
   out again what the previous insertion changed (10 code blocks on the ViT theory page). The
   buttons are written here instead, exactly as Material renders them, so the bundle only
   measures; ``content.code.copy`` is off in ``mkdocs.yml``, and Material's clipboard handler,
   which serves any ``[data-clipboard-target]``, copies as before. Material renames each block's
   ``<pre>`` to ``__code_<its id>`` when it mounts it, so each gets an id here and its button
   points at the renamed block. Listings in a ``<template>`` (hooks/source_links.py) are not
   mounted by Material and get no button, as before. The buttons sit in a ``<div>``, not
   Material's ``<nav>``, so a page does not get one unnamed navigation landmark per code block.
4. **Tooltips that say nothing new.** With ``content.tooltips`` Material mounts a tooltip on every
   element with a ``title`` (94 on the ViT API page). Two kinds go: mkdocstrings' type names whose
   title repeats their text (``<span title="int">int</span>``), and the heading anchors' "Permanent
   link", which was English on the Korean pages too: it becomes the anchor's ``aria-label``, in
   the page's language, so a screen reader still names the link.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import material
from mkdocs.exceptions import PluginError

TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>")
SLOT_OPEN, SLOT_CLOSE = '<div class="table-slot">', "</div>"
CODE_BLOCK = re.compile(r"<pre(?P<attrs>[^>]*)>(?P<lead>(?:<span></span>)?)<code\b")
TEMPLATE = re.compile(r"<template\b.*?</template>", re.DOTALL)
MATERIAL = Path(material.__file__).parent / "templates"
REPEATED_TITLE = re.compile(r'<span title="(?P<text>[^"<]*)">(?P=text)</span>')
HEADERLINK = re.compile(r'<a [^>]*class="headerlink"[^>]*>')
ANCHOR_NAME = {"ko": "이 제목으로 가는 고정 링크", "en": "Permanent link to this heading"}
DONE = "\n/* hooks/page_speed.py removed the palette switching rule here */\n"
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def wrap_tables(html_text: str) -> str:
    """Put every table Material would wrap (``table:not([class])``) inside a ``table-slot`` div."""
    parts, open_tables, last = [], [], 0
    for match in TABLE_TAG.finditer(html_text):
        tag = match[0]
        if tag == "</table>":
            parts.append(html_text[last : match.end()])
            if open_tables and open_tables.pop():
                parts.append(SLOT_CLOSE)
        else:
            bare = re.search(r"\sclass\s*=", tag) is None
            open_tables.append(bare)
            parts += [html_text[last : match.start()], SLOT_OPEN if bare else "", tag]
        last = match.end()
    parts.append(html_text[last:])
    return "".join(parts)


def copy_title(language: str) -> str:
    """Material's own tooltip for its copy button ("clipboard.copy") in ``language``."""
    partial = MATERIAL / "partials" / "languages" / f"{language}.html"
    found = re.search(r'"clipboard\.copy": "([^"]*)"', partial.read_text(encoding="utf-8"))
    if found is None:
        raise PluginError(f"hooks/page_speed.py: no clipboard.copy in {partial}")
    return found[1]


def add_copy_buttons(html_text: str, title: str) -> str:
    """Give every code block Material would mount (``pre > code``, not in a ``<template>``, not
    a Mermaid diagram) an id and Material's copy button."""
    count = 0

    def button(match: re.Match) -> str:
        nonlocal count
        attrs = match["attrs"]
        if "mermaid" in attrs:
            return match[0]
        named = re.search(r'\bid="([^"]+)"', attrs)
        if named:
            block = named[1]
        else:
            count += 1
            block = f"code-block-{count}"
            attrs = f' id="{block}"{attrs}'
        return (
            f"<pre{attrs}>{match['lead']}"
            f'<div class="md-code__nav"><button class="md-code__button" '
            f'title="{html.escape(title)}" data-clipboard-target="#__code_{block} &gt; code" '
            f'data-md-type="copy"></button></div><code'
        )

    parts, last = [], 0
    for template in TEMPLATE.finditer(html_text):
        parts += [CODE_BLOCK.sub(button, html_text[last : template.start()]), template[0]]
        last = template.end()
    parts.append(CODE_BLOCK.sub(button, html_text[last:]))
    return "".join(parts)


def quiet_titles(html_text: str, language: str) -> str:
    """Drop titles that repeat their text; name heading anchors with ``aria-label`` instead."""
    html_text = REPEATED_TITLE.sub(lambda m: f"<span>{m['text']}</span>", html_text)
    named = f' aria-label="{ANCHOR_NAME[language]}"'
    return HEADERLINK.sub(lambda m: m[0].replace(' title="Permanent link"', named), html_text)


def on_page_content(content, page, config, files):
    return wrap_tables(add_copy_buttons(content, copy_title(config["theme"]["language"])))


def on_post_page(output, page, config):
    # after mkdocs-autorefs, which writes the type names of unresolved references at this stage
    return quiet_titles(output, config["theme"]["language"])


def on_post_build(config, **kwargs):
    sheets = sorted(Path(config["site_dir"], "assets", "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        raise PluginError(
            f"hooks/page_speed.py: expected one Material palette stylesheet, found {len(sheets)}"
        )
    css = sheets[0].read_text(encoding="utf-8")
    if css.endswith(DONE):  # `mkdocs serve --dirty` keeps the copy this hook already changed
        return
    if SWITCHING_RULE not in css:
        raise PluginError(
            f"hooks/page_speed.py: {sheets[0].name} no longer contains {SWITCHING_RULE!r}. "
            "Find how this Material writes the [data-md-color-switching] rule and update "
            "SWITCHING_RULE (or drop step 2 if Material no longer sets the attribute on load)."
        )
    sheets[0].write_text(css.replace(SWITCHING_RULE, "") + DONE, encoding="utf-8")
