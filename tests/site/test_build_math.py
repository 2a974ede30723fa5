"""hooks/build_math.py on its own: which text is math, and what MathJax makes of it."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("build_math", ROOT / "hooks" / "build_math.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.node_modules()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    if shutil.which("node") is None:
        pytest.skip("node is missing")
    yield module
    if module._renderer is not None:
        module._renderer.close()


CELL = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">{}</div>'


def test_markdown_page_math_keeps_its_arithmatex_wrapper(hook):
    html, count = hook.typeset(
        '<p>A <span class="arithmatex">\\(z \\sim q(z \\mid x)\\)</span> and</p>'
        '<div class="arithmatex">\\[\\begin{aligned} a &amp;= b \\\\ c &amp;= d \\end{aligned}\\]'
        "</div>",
        "page.md",
        notebook=False,
    )
    assert count == 2
    assert html.startswith('<p>A <span class="arithmatex"><mjx-container')
    assert '<div class="arithmatex"><mjx-container class="MathJax" jax="SVG" display="true"' in html
    assert "<mo>∼</mo>" in html  # \sim
    assert "<mtable" in html and 'columnalign="right left' in html  # aligned
    assert "\\(" not in html and "&amp;" not in html


def test_notebook_cells_dollars_become_math_but_code_and_escapes_stay(hook):
    cell = CELL.format(
        "<p>$U \\sim \\mathrm{Uniform}(0, 1)$ costs \\$5, see <code>$HOME</code></p>"
        "<pre><code>echo $PATH $x$</code></pre><p>$$F^{-1}(u) = \\inf\\{x : F(x) \\ge u\\}$$</p>"
    )
    html, count = hook.typeset(cell, "nb.ipynb", notebook=True)
    assert count == 2
    assert "<code>$HOME</code>" in html and "echo $PATH $x$" in html and "\\$5" in html
    assert 'display="true"' in html
    # Outside a markdown cell (a code cell's output, say) dollars are left alone.
    assert hook.typeset("<pre>$a$</pre><p>$b$</p>", "nb.ipynb", notebook=True)[1] == 0


def test_a_page_without_math_is_returned_unchanged(hook):
    text = "<p>No math here, only $ signs: 5$ and $6.</p>"
    assert hook.typeset(text, "page.md", notebook=False) == (text, 0)


def test_a_tex_error_is_a_build_warning(hook, caplog):
    html, _ = hook.typeset('<span class="arithmatex">\\(\\frac{1}\\)</span>', "bad.md", False)
    assert "TeX error" in caplog.text and "bad.md" in caplog.text
    assert 'class="math-error"' in html


def test_the_stylesheet_hides_the_mathml_copy_visually(hook):
    css = hook.renderer().stylesheet()
    assert "mjx-assistive-mml" in css and "clip" in css
