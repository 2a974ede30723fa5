"""MkDocs hook: typeset every formula at build time, so pages carry SVG and no math JavaScript.

Where math comes from:

- Markdown pages: ``pymdownx.arithmatex`` (generic mode) writes ``<span class="arithmatex">\\(..\\)
  </span>`` and ``<div class="arithmatex">\\[..\\]</div>``;
- notebook pages: markdown cells keep ``$..$`` and ``$$..$$`` as text (outside ``<pre>`` and
  ``<code>``).

Each formula goes to MathJax 3 (npm ``mathjax-full``, installed by ``make install`` into the
virtual environment's ``node_modules``), run by ``hooks/tex2svg.cjs`` in ONE Node process for the
whole build (both languages). The page gets an SVG (``currentColor``: it follows the light/dark
theme) and the formula as hidden MathML for screen readers. A page with math links the small
stylesheet ``assets/stylesheets/math.css``; a page without math gets nothing. A TeX error is a
build warning, so ``mkdocs build --strict`` fails on it.
"""

from __future__ import annotations

import html
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mkdocs.plugins
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.build_math")
HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "tex2svg.cjs"
CSS_URI = "assets/stylesheets/math.css"
MARKER = "data-build-math"  # set on pages that got math, read by on_post_page

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL
)
# Notebook markdown cells: from the rendered-markdown block to the next cell (or the end).
MARKDOWN_CELL = re.compile(
    r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown.*?(?=<div class="jp-Cell |\Z)',
    re.DOTALL,
)
VERBATIM = re.compile(r"(<(pre|code|script|style)\b.*?</\2>)", re.DOTALL)
DOLLARS = re.compile(
    r"(?<![\\$])\$\$(?P<display>.+?)(?<!\\)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$(?!\$)",
    re.DOTALL,
)
EXTRA_CSS = """
/* Build-time math (hooks/build_math.py). Wide formulas scroll inside the column on a phone. */
mjx-container[jax="SVG"][display="true"] { overflow-x: auto; overflow-y: hidden; max-width: 100%;
  padding: 0.1em 0; }
.md-typeset div.arithmatex > mjx-container { margin: 0 auto; }
"""


def node_modules() -> Path:
    """``$DLPAPERS_NODE_MODULES``, or ``node_modules`` of ``make install`` (in the venv)."""
    for candidate in (os.environ.get("DLPAPERS_NODE_MODULES"), Path(sys.prefix) / "node_modules",
                      HERE.parent / ".venv" / "node_modules"):
        if candidate and (Path(candidate) / "mathjax-full").is_dir():
            return Path(candidate)
    raise FileNotFoundError(
        "npm package mathjax-full is missing: run `make install` (it needs node and npm)"
    )


class Renderer:
    """One Node process running ``tex2svg.cjs``; one request line per page."""

    def __init__(self):
        node = shutil.which("node")
        if node is None:
            raise FileNotFoundError("node is missing: the math is typeset at build time by Node")
        env = {**os.environ, "NODE_PATH": str(node_modules())}
        self.process = subprocess.Popen(
            [node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            text=True, encoding="utf-8",
        )
        self.cache: dict[tuple[str, bool], str] = {}

    def render(self, items: list[tuple[str, bool]], where: str) -> list[str]:
        todo = sorted({item for item in items if item not in self.cache})
        if todo:
            request = [{"tex": tex, "display": display} for tex, display in todo]
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answers = json.loads(self.process.stdout.readline())
            for (tex, display), answer in zip(todo, answers, strict=True):
                if "error" in answer:
                    log.warning("%s: TeX error %r in %r", where, answer["error"], tex)
                    answer["html"] = f'<code class="math-error">{html.escape(tex)}</code>'
                self.cache[tex, display] = answer["html"]
        return [self.cache[item] for item in items]

    def stylesheet(self) -> str:
        env = {**os.environ, "NODE_PATH": str(node_modules())}
        css = subprocess.run([shutil.which("node"), str(SCRIPT), "--css"], env=env, check=True,
                             capture_output=True, text=True).stdout
        return css + EXTRA_CSS

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


_renderer: Renderer | None = None
_depth = 0


def renderer() -> Renderer:
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    return _renderer


def find_math(content: str, notebook: bool) -> list[tuple[int, int, str, bool, str, str]]:
    """``(start, end, tex, display, before, after)`` of every formula in a page's HTML; ``before``
    and ``after`` are the markup kept around the rendered formula."""
    found = []
    for match in ARITHMATEX.finditer(content):
        body = html.unescape(match["body"]).strip()
        display = match["tag"] == "div"
        for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
            if body.startswith(left) and body.endswith(right):
                body = body[len(left) : -len(right)]
        tag = match["tag"]
        found.append((match.start(), match.end(), body, display,
                      f'<{tag} class="arithmatex">', f"</{tag}>"))
    if notebook:
        for cell in MARKDOWN_CELL.finditer(content):
            start, outside = cell.start(), []  # the stretches outside <pre>, <code>, <script>
            for verbatim in VERBATIM.finditer(content, cell.start(), cell.end()):
                outside.append((start, verbatim.start()))
                start = verbatim.end()
            outside.append((start, cell.end()))
            for begin, end in outside:
                for math in DOLLARS.finditer(content, begin, end):
                    display = math["display"] is not None
                    tex = html.unescape(math["display"] if display else math["inline"])
                    found.append((math.start(), math.end(), tex.strip(), display, "", ""))
    return sorted(found)


def typeset(content: str, where: str, notebook: bool) -> tuple[str, int]:
    """``content`` with every formula replaced by its SVG, and how many there were."""
    found = find_math(content, notebook)
    if not found:
        return content, 0
    rendered = renderer().render([(tex, display) for _, _, tex, display, _, _ in found], where)
    pieces, last = [], 0
    for (start, end, _, _, before, after), svg in zip(found, rendered, strict=True):
        pieces += [content[last:start], before, svg, after]
        last = end
    pieces.append(content[last:])
    return "".join(pieces), len(found)


@mkdocs.plugins.event_priority(-100)  # after the other hooks have shaped the page's HTML
def on_page_content(content, page, config, files):
    content, count = typeset(content, page.file.src_uri, page.file.src_uri.endswith(".ipynb"))
    page.meta[MARKER] = count > 0
    return content


def on_post_page(output, page, config):
    if not page.meta.get(MARKER):
        return output
    href = posixpath.relpath(CSS_URI, posixpath.dirname(page.file.dest_uri))
    return output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)


def on_pre_build(config, **kwargs):
    global _depth
    _depth += 1


@mkdocs.plugins.event_priority(-150)  # after the i18n plugin, which wants files on disk
def on_files(files, config, **kwargs):
    files.append(File.generated(config, CSS_URI, content=renderer().stylesheet()))
    return files


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin has built the other languages
def on_post_build(config, **kwargs):
    global _depth, _renderer
    _depth -= 1
    if _depth == 0 and _renderer is not None:
        _renderer.close()
        _renderer = None
