"""MkDocs hook: the inverse-transform-sampling demo gets its targets, script and stylesheet.

A page that holds ``<div data-demo-root="sampling">`` (``docs/assignments/mdn/sampling-demo``)
gets, and no other page does:

- the targets' parameters from :func:`dlpapers.mdn.sampling.demo_targets` as
  ``<script type="application/json" id="sampling-targets">`` at the end of its content, so the
  numbers are written once, in the package, and the page's JavaScript reads them;
- ``stylesheets/sampling-demo.css`` in its head and ``javascripts/sampling-demo.js`` (``defer``)
  at the end of its body, linked relative to the page (both languages share the root's copy).
"""

from __future__ import annotations

import html
import json
import posixpath
import sys
from pathlib import Path

PACKAGE_PARENT = Path(__file__).resolve().parent.parent / "code"
MARKER = 'data-demo-root="sampling"'
SCRIPT = "javascripts/sampling-demo.js"
STYLE = "stylesheets/sampling-demo.css"
META = "sampling_demo_links"


def targets_json() -> str:
    """The package's demo targets as JSON that is safe inside a ``<script>`` element."""
    if str(PACKAGE_PARENT) not in sys.path:
        sys.path.insert(0, str(PACKAGE_PARENT))
    from dlpapers.mdn.sampling import demo_targets

    return json.dumps(demo_targets()).replace("<", "\\u003c")


def on_page_content(content, page, config, files):
    if MARKER not in content:
        return content
    links = {}
    for path in (SCRIPT, STYLE):
        if not (Path(config.docs_dir) / path).is_file():
            raise FileNotFoundError(f"{page.file.src_uri} holds the sampling demo: add docs/{path}")
        # The default language's build copies docs/ to the site's root; an English page, under
        # en/, links to that one copy (the i18n plugin leaves unsuffixed assets out of en/).
        links[path] = html.escape(posixpath.relpath(path, posixpath.dirname(page.file.dest_uri)))
    page.meta[META] = links
    data = f'<script type="application/json" id="sampling-targets">{targets_json()}</script>'
    return content + "\n" + data


def on_post_page(output, page, config):
    links = page.meta.get(META)
    if not links:
        return output
    output = output.replace("</head>", f'<link rel="stylesheet" href="{links[STYLE]}">\n</head>', 1)
    body, end, rest = output.rpartition("</body>")
    return f'{body}<script src="{links[SCRIPT]}" defer></script>\n{end}{rest}'
