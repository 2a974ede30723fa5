"""MkDocs hook: serve MathJax 3 from the site itself, so math renders offline.

MathJax comes from the PyPI wheel ``django-static-mathjax`` (MathJax 3.2.2's ``es5`` build). The
combined ``tex-mml-chtml.js`` component, its CHTML web fonts, the TeX extensions and the UI/a11y
components it loads lazily (about 2.5 MB) join every language build's files as
``assets/mathjax/...``; ``docs/javascripts/mathjax-config.js`` configures it.

(Not named ``mathjax.py``: MkDocs registers a hook module under its file name, which would shadow
the ``mathjax`` package imported here.)
"""

from __future__ import annotations

from pathlib import Path

import mathjax
from mkdocs.structure.files import File

ES5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
PARTS = [
    "tex-mml-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
]


def on_files(files, config, **kwargs):
    for part in PARTS:
        source = ES5 / part
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing: reinstall django-static-mathjax")
        for path in [source] if source.is_file() else sorted(source.rglob("*")):
            if path.is_file():
                uri = f"assets/mathjax/{path.relative_to(ES5).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
