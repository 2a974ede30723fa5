"""MkDocs hook: link every "Source code in code/dlpapers/x.py" block of the API pages to GitHub.

mkdocstrings shows each object's source inline (``show_source``); this adds a link to the same
lines in the repository, derived from ``repo_url`` and ``edit_uri`` like every other source link.

The source listing itself goes into a ``<template>`` inside its closed ``<details>``, and a few
lines in ``overrides/main.html`` put it in place when a reader opens it. An API page shows the
source of every class and function: half its elements, which the browser and Material's code-block
script would otherwise style and measure on every load (issue #13: the API page's blocking time).
"""

from __future__ import annotations

import re

SOURCE_BLOCK = re.compile(
    r"<summary>Source code in <code>(?P<path>[^<]+)</code></summary>"
    r'(?P<table>\s*<div class="highlight"><table class="highlighttable"><tr><td class="linenos">'
    r'<div class="linenodiv"><pre><span></span><span class="normal"><a href="[^"]*">'
    r" *(?P<line>\d+)</a>)"  # Pygments pads the numbers of a listing that reaches 3 digits
)

LISTING = re.compile(
    r'(?P<head><details class="mkdocstrings-source">\s*<summary>Source code in .*?</summary>'
    r'(?:<p class="doc-source-link">.*?</p>)?)(?P<listing>.*?)</details>',
    re.DOTALL,
)


def on_page_content(content, page, config, files):
    if "Source code in" not in content:
        return content
    branch = config["edit_uri"].strip("/").split("/")[1]  # edit/main/docs/ -> main
    blob = f"{config['repo_url'].rstrip('/')}/blob/{branch}"

    def link(match: re.Match) -> str:
        url = f"{blob}/{match['path']}#L{match['line']}"
        # The link goes under the summary, not into it: a link inside <summary> is an
        # interactive element inside another (axe `nested-interactive`).
        return (
            f'<summary>Source code in <code>{match["path"]}</code></summary>'
            f'<p class="doc-source-link"><a href="{url}">GitHub: {match["path"]}#L{match["line"]}'
            f"</a></p>{match['table']}"
        )

    return LISTING.sub(
        lambda m: f'{m["head"]}<template class="doc-source">{m["listing"]}</template></details>',
        SOURCE_BLOCK.sub(link, content),
    )
