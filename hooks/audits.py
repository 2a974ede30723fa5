"""MkDocs hook: what Lighthouse and axe-core flag in Material's own HTML, fixed after rendering.

1. No ``<link rel="alternate" hreflang>`` in page heads. mkdocs-static-i18n sets
   ``extra.alternate`` per page, so Material writes a relative hreflang link per language into
   every head. Material's bundle takes each such link for the root of another version of the site
   and fetches ``<that URL>/sitemap.xml`` (a 404 per page and language, logged in the console),
   and Lighthouse's SEO audit rejects relative hreflang URLs. The same pairs, absolute, are in
   ``sitemap.xml`` (``xhtml:link``, written by the i18n plugin), where search engines read them;
   the language switcher in the header does not use the head links.
2. The search overlay is ``role="dialog"`` without a name (axe ``aria-dialog-name``): it gets the
   search box's own label.
3. With ``navigation.indexes`` a section's ``<nav>`` is labelled by an icon-only ``<label>``, so
   every section landmark has an empty name (axe ``landmark-unique``): it gets the section title.
4. Two headings with the same text, whatever the case (an API page's ``vit`` module and its
   ``ViT`` class), give two table-of-contents ``<nav>`` landmarks with the same name (axe
   ``landmark-unique``, which ignores case): the second is numbered.
5. Images in page content load lazily (``loading="lazy"``) unless they say otherwise. A figure
   drawn in a light and a dark version (``#only-light``/``#only-dark``) is then fetched only in the
   theme that shows it: a hidden lazy image is never loaded.
6. The "last update" line under each page (git-revision-date-localized) is an ``<aside>`` inside
   the main landmark, which axe 4.10 flags (``landmark-complementary-is-top-level``): it becomes a
   ``<div>`` with the same class, so it looks the same and is no landmark.
"""

from __future__ import annotations

import html
import re
from collections import Counter

HREFLANG = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" '
                          r'aria-label="(?P<label>[^"]*)"')
SECTION_NAV = re.compile(
    r'<nav class="md-nav" data-md-level="(?P<level>\d+)" aria-labelledby="[^"]*"'
    r'(?P<rest>[^>]*>\s*<label class="md-nav__title" for="[^"]*">\s*'
    r'<span class="md-nav__icon md-icon"></span>\s*(?P<title>[^<]*?)\s*</label>)'
)

SOURCE_FILE = re.compile(r'<aside class="md-source-file">(?P<facts>.*?)</aside>', re.DOTALL)
IMG = re.compile(r"<img\b(?![^>]*\bloading=)")


def on_page_content(content, page, config, files):
    return IMG.sub('<img loading="lazy" decoding="async"', content)


NAV_LABEL = re.compile(r'<nav class="md-nav" aria-label="(?P<name>[^"]*)"')


def on_post_page(output, page, config):
    head, separator, body = output.partition("</head>")
    head = HREFLANG.sub("", head)
    label = SEARCH_LABEL.search(body)
    if label:
        body = body.replace(
            SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label["label"]}">', 1
        )
    body = SECTION_NAV.sub(
        lambda m: f'<nav class="md-nav" data-md-level="{m["level"]}" '
        f'aria-label="{html.escape(html.unescape(m["title"]))}"{m["rest"]}',
        body,
    )
    seen: Counter[str] = Counter()

    def number(match: re.Match) -> str:
        key = html.unescape(match["name"]).strip().casefold()  # as axe compares names
        seen[key] += 1
        if seen[key] == 1:
            return match[0]
        return f'<nav class="md-nav" aria-label="{match["name"]} ({seen[key]})"'

    body = NAV_LABEL.sub(number, body)
    body = SOURCE_FILE.sub(lambda m: f'<div class="md-source-file">{m["facts"]}</div>', body)
    return head + separator + body
