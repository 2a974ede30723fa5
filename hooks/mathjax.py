"""MkDocs hook: serve MathJax 3 from the site itself, so math renders offline.

MathJax comes from the PyPI wheel ``django-static-mathjax`` (MathJax 3.2.2's ``es5`` build).
After each language's build, the combined ``tex-mml-chtml.js`` component, its CHTML web fonts, the
TeX extensions and the UI/a11y components it loads lazily are copied to ``assets/mathjax/``
(about 2.5 MB). ``docs/javascripts/mathjax-config.js`` configures it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import mathjax

ES5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
PARTS = [
    "tex-mml-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
]


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / "assets" / "mathjax"
    for part in PARTS:
        source = ES5 / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        elif source.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
