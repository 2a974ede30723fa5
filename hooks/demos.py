"""MkDocs hook: the in-browser demos' models, data and runtime, made and copied at build time.

For each paper, ``dlpapers.<paper>.export.export(folder)`` trains the model with the paper's
recipe and writes its ONNX file(s) and JSON assets; they are added to every language build as
``assets/demos/<name>``. Like the figures (``hooks/figures.py``, whose :func:`source_key` this
reuses), they are cached in ``.cache/demos/<paper>-<key>/``, the key hashing the paper's folder
and the shared modules, so a warm rebuild trains nothing and a change in the package retrains
exactly that paper.

The runtime is onnxruntime-web (npm, pinned in the Makefile's ``npm install``): its WebAssembly
build, ``ort.wasm.min.js`` plus ``ort-wasm-simd-threaded.{mjs,wasm}``, copied to
``assets/demos/ort/``. Nothing is fetched from a CDN.

A page opts in with ``demo: vit`` (or ``aae``, ``mdn``) in its front matter; it then gets the
demos' stylesheet and scripts (``stylesheets/demos.css``, ``javascripts/demos/runtime.js`` and
``javascripts/demos/<demo>.js``) and, on its ``<body>``, the relative URLs of the assets and the
runtime. Other pages get nothing. The scripts fetch the runtime and the model only when the demo
scrolls into view or is first used.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import posixpath
import shutil
import sys
import time
from pathlib import Path

from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import PACKAGE, source_key  # noqa: E402  (a sibling hook, not a package)

log = logging.getLogger("mkdocs.hooks.demos")
ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(".cache") / "demos"
PAPERS = ("vit", "aae", "mdn")
ASSETS = "assets/demos"
RUNTIME = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
STYLESHEET = "stylesheets/demos.css"
SCRIPTS = "javascripts/demos"


def demo_key(paper: str) -> str:
    """:func:`figures.source_key` of the paper, plus a hash of the shared ``export.py``."""
    shared = hashlib.sha256((PACKAGE / "export.py").read_bytes()).hexdigest()[:8]
    return f"{source_key(paper)}-{shared}"


def runtime_folder() -> Path:
    """``onnxruntime-web/dist`` in ``$DLPAPERS_NODE_MODULES`` or the venv's ``node_modules``."""
    for candidate in (os.environ.get("DLPAPERS_NODE_MODULES"), Path(sys.prefix) / "node_modules",
                      ROOT / ".venv" / "node_modules"):
        if candidate and (Path(candidate) / "onnxruntime-web" / "dist" / RUNTIME[0]).is_file():
            return Path(candidate) / "onnxruntime-web" / "dist"
    raise FileNotFoundError(
        "npm package onnxruntime-web is missing: run `make install` (it needs node and npm)"
    )


def cached_exports() -> list[Path]:
    """Every paper's demo files, exported now if the cache has none for the current source."""
    if str(PACKAGE.parent) not in sys.path:
        sys.path.insert(0, str(PACKAGE.parent))
    found = []
    for paper in PAPERS:
        cached = CACHE / f"{paper}-{demo_key(paper)}"
        if not cached.exists():
            start = time.perf_counter()
            partial = cached.with_name(cached.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            importlib.import_module(f"dlpapers.{paper}.export").export(partial)
            partial.rename(cached)
            log.info(f"demos: trained and exported {paper} in "
                     f"{time.perf_counter() - start:.1f} s")
        for stale in CACHE.glob(f"{paper}-*"):
            if stale != cached and not stale.name.endswith(".partial"):
                shutil.rmtree(stale, ignore_errors=True)
        found += sorted(p for p in cached.iterdir() if p.is_file())
    return found


def on_files(files, config, **kwargs):
    for path in cached_exports():
        files.append(File.generated(config, f"{ASSETS}/{path.name}", abs_src_path=str(path)))
    runtime = runtime_folder()
    for name in RUNTIME:
        source = (runtime / name).resolve()
        files.append(File.generated(config, f"{ASSETS}/ort/{source.name}",
                                    abs_src_path=str(source)))
    return files


_heads: dict[str, str] = {}  # page URL -> what its <head> gets


def on_page_content(html, page, config, files, **kwargs):
    demo = page.meta.get("demo")
    if not demo:
        return html
    if demo not in PAPERS:
        raise ValueError(f"{page.file.src_uri}: demo must be one of {PAPERS}, got {demo!r}")
    here = posixpath.dirname(page.file.dest_uri)

    def url(uri: str) -> str:
        # another language's build may not list the shared static files: they are at the root
        found = files.get_file_from_path(uri)
        if found is None and not (Path(config.docs_dir) / uri).is_file():
            raise FileNotFoundError(f"{uri} is not in the site (needed by {page.file.src_uri})")
        return posixpath.relpath(found.dest_uri if found else uri, here)

    runtime = posixpath.dirname(url(f"{ASSETS}/ort/{RUNTIME[0]}"))
    _heads[page.url] = (
        f'<link rel="stylesheet" href="{url(STYLESHEET)}">'
        f'<script defer src="{url(f"{SCRIPTS}/runtime.js")}"></script>'
        f'<script defer src="{url(f"{SCRIPTS}/{demo}.js")}"></script>'
    )
    page.meta["demo_body"] = (f' data-demo-assets="{posixpath.dirname(runtime)}/"'
                              f' data-demo-runtime="{runtime}/"')
    return html


def on_post_page(output, page, config, **kwargs):
    head = _heads.get(page.url)
    if head is None:
        return output
    output = output.replace("</head>", head + "</head>", 1)
    return output.replace("<body ", "<body" + page.meta["demo_body"] + " ", 1)
