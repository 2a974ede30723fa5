"""MkDocs hook: make mkdocs-jupyter work with mkdocs-static-i18n, Korean headings and our package.

What it fixes (see TOOLCHAIN.md):

1. The i18n plugin rebuilds every ``File`` and drops mkdocs-jupyter's notebook wrapper, so
   notebooks would be copied raw. Registering ``.ipynb`` as a page extension keeps them pages.
2. mkdocs-jupyter's slugify is ASCII-only: Korean headings got ``id=""``. Header ids and the
   table of contents now use ``pymdownx.slugs.slugify`` like the Markdown pages.
3. The execution cache key hashes the notebook only; it now also hashes the ``code/dlpapers``
   modules the notebook imports (and what they import), so a change in the package re-executes
   exactly the notebooks that depend on it.
4. Each language build evicted the cache entries of the other language. Entries are now kept
   until the whole (all-language) build is over, then the ones no language used are evicted.
5. Relative links in notebook markdown cells (`index.md`, `notebook.ipynb#...`) point to the
   built pages, as they do in Markdown pages; a link to a missing page is a warning.
6. Every notebook page gets a box with: download the notebook, view its source, open it in
   Colab, run it locally, right under the page title.
7. Notebook pages load fast: the JupyterLab CSS that nbconvert inlines into every page becomes one
   cached stylesheet, and base64 figures become image files with width, height and lazy loading.
8. Every figure a notebook draws gets a real alternative text, in the page's language, from its
   cell's metadata (``{"alt": "..."}``) instead of nbconvert's "No description has been provided
   for this image"; a figure cell without one is a warning (an error under ``--strict``).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import html
import itertools
import json
import logging
import posixpath
import re
import struct
from pathlib import Path

import mkdocs.plugins
import mkdocs.utils
import mkdocs_jupyter.convert
import mkdocs_jupyter.plugin
import nbconvert.filters.strings
from markdown.extensions.toc import TocExtension
from pymdownx.slugs import slugify as make_slugify

log = logging.getLogger("mkdocs.hooks.notebooks")
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "code" / "dlpapers"

# 1. Notebooks stay documentation pages after the i18n plugin rebuilds the files.
if ".ipynb" not in mkdocs.utils.markdown_extensions:
    mkdocs.utils.markdown_extensions = (*mkdocs.utils.markdown_extensions, ".ipynb")

# 2. One slugify for Markdown pages and notebooks: `어텐션 시각화` -> `어텐션-시각화`.
_slugify = make_slugify(case="lower")


def slugify(text: str) -> str:
    return _slugify(text, "-")


def _markdown_toc(markdown_source: str, toc_depth: int):
    md = mkdocs_jupyter.plugin.markdown.Markdown(
        extensions=[TocExtension(toc_depth=toc_depth, slugify=_slugify)]
    )
    md.convert(markdown_source)
    return md.toc_tokens


mkdocs_jupyter.convert.slugify = slugify
# nbconvert percent-encodes non-ASCII ids (`%EC%96%B4...`); the slug is already a valid fragment.
nbconvert.filters.strings._convert_header_id = lambda text: text.replace(" ", "-")
mkdocs_jupyter.plugin._get_markdown_toc = _markdown_toc


# 3. The cache key also depends on the package modules the notebook imports (transitively).
def _module_file(name: str) -> Path | None:
    """The source file of the dotted module ``name`` (``dlpapers.vit.model`` ->
    ``code/dlpapers/vit/model.py``; a package gives its ``__init__.py``), or ``None``."""
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _all_modules() -> set[str]:
    return {".".join(("dlpapers", *path.relative_to(PACKAGE).with_suffix("").parts))
            .removesuffix(".__init__") for path in PACKAGE.rglob("*.py")}


def _imported_modules(source: str) -> set[str]:
    """Dotted names of the ``dlpapers`` modules that ``source`` imports, with the packages that
    contain them (importing ``dlpapers.vit.plots`` runs ``dlpapers/vit/__init__.py`` too)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: fall back to depending on every module
        return _all_modules()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "dlpapers":
                names.add(node.module)  # `from dlpapers.vit import plots`: plots may be a module
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == "dlpapers"}
    with_parents = {".".join(n.split(".")[:i]) for n in names for i in range(1, n.count(".") + 2)}
    return {name for name in with_parents if _module_file(name)}


def notebook_dependencies(nb_path: str | Path) -> list[Path]:
    """The package files a notebook depends on: what its code cells import, and what those
    modules import in turn, plus ``__init__.py``."""
    notebook = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    code = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"
    )
    todo, seen = _imported_modules(code) | {"dlpapers"}, set()
    while todo:
        name = todo.pop()
        seen.add(name)
        todo |= _imported_modules(_module_file(name).read_text()) - seen
    return sorted(_module_file(name) for name in seen)


def _digest(paths: list[Path]) -> str:
    hasher = hashlib.sha256()
    for path in paths:
        hasher.update(path.relative_to(PACKAGE).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


_original_cache_key = mkdocs_jupyter.plugin._compute_cache_key


def _cache_key(nb_path, config, exec_nb):
    own = _original_cache_key(nb_path, config, exec_nb)
    return hashlib.sha256((own + _digest(notebook_dependencies(nb_path))).encode()).hexdigest()


mkdocs_jupyter.plugin._compute_cache_key = _cache_key


# 4. Keep every entry while the languages build; evict the unused ones once all are built.
class _UsedAcrossLanguages(set):
    """Collects the cache paths any language used; claims to hold all, so nothing is evicted
    by mkdocs-jupyter's per-language ``on_post_build``."""

    def __contains__(self, item) -> bool:
        return True


_used = _UsedAcrossLanguages()
_depth = 0


@mkdocs.plugins.event_priority(-50)  # after mkdocs-jupyter's on_pre_build reset its set
def on_pre_build(config, **kwargs):
    global _depth
    if _depth == 0:
        _used.clear()
    _depth += 1
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is not None:
        plugin._used_cache_paths = _used


@mkdocs.plugins.event_priority(-200)  # after the i18n plugin has built the other languages
def on_post_build(config, **kwargs):
    global _depth
    _depth -= 1
    for uri, css in _stylesheets.items():
        path = Path(config["site_dir"], uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
    plugin = config.plugins.get("mkdocs-jupyter")
    if _depth > 0 or plugin is None or not plugin.config["cache"]:
        return
    cache_dir = Path(plugin.config["cache_dir"])
    used = {Path(p).resolve() for p in set.__iter__(_used)}
    for entry in cache_dir.glob("*.json"):
        if entry.resolve() not in used:
            entry.unlink()
            log.info("Evicted stale notebook cache entry %s", entry.name)


# 5. Links in notebook markdown cells: mkdocs-jupyter leaves `index.md`/`notebook.ipynb` as they
# are; turn them into the URLs of the built pages, as MkDocs does for Markdown pages.
NOTEBOOK_LINK = re.compile(r'href="(?P<path>[^":#]+\.(?:md|ipynb))(?P<fragment>#[^"]*)?"')


def _resolve_links(content: str, page, files) -> str:
    folder = posixpath.dirname(page.file.src_uri)

    def resolve(match: re.Match) -> str:
        target = files.get_file_from_path(posixpath.normpath(posixpath.join(folder, match["path"])))
        if target is None:
            log.warning("%s links to %s, which is not a page", page.file.src_uri, match["path"])
            return match[0]
        return f'href="{target.url_relative_to(page.file)}{match["fragment"] or ""}"'

    return NOTEBOOK_LINK.sub(resolve, content)


# 6. Download / view source / run locally, on every notebook page.
LABELS = {
    "ko": {
        "title": "이 노트북",
        "download": "노트북 내려받기",
        "view": "GitHub에서 소스 보기",
        "colab": "Colab에서 열기",
        "run": "로컬에서 실행하기 (저장소 루트에서):",
        "cli": "같은 실험을 명령줄에서:",
    },
    "en": {
        "title": "This notebook",
        "download": "Download the notebook",
        "view": "View the source on GitHub",
        "colab": "Open in Colab",
        "run": "Run it locally (from the repository root):",
        "cli": "The same experiment from the command line:",
    },
}


def colab_url(repo_url: str, edit_uri: str, src_uri: str) -> str:
    """Colab opens a notebook straight from GitHub: ``colab.research.google.com/github/`` followed
    by ``owner/repo/blob/<branch>/<path>``, all derived from ``repo_url`` and ``edit_uri``."""
    owner_repo = repo_url.rstrip("/").removeprefix("https://github.com/")
    blob_uri = edit_uri.strip("/").replace("edit/", "blob/", 1)  # edit/main/docs -> blob/main/docs
    return f"https://colab.research.google.com/github/{owner_repo}/{blob_uri}/{src_uri}"


def on_page_content(content, page, config, files):
    src_uri = page.file.src_uri
    if not src_uri.endswith(".ipynb"):
        return content
    language = "en" if src_uri.endswith(".en.ipynb") else "ko"
    label = LABELS[language]
    name = Path(src_uri).name
    blob_uri = config["edit_uri"].replace("edit/", "blob/", 1)  # edit/main/docs/ -> blob/main/docs/
    source_url = f"{config['repo_url'].rstrip('/')}/{blob_uri.strip('/')}/{src_uri}"
    colab = colab_url(config["repo_url"], config["edit_uri"], src_uri)
    command = (
        "make install\n"
        f".venv/bin/jupyter nbconvert --to notebook --execute docs/{src_uri} --output-dir runs/"
    )
    # A notebook may name its command-line twin in its metadata: {"dlpapers": {"command": ...}}.
    metadata = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["metadata"]
    cli = metadata.get("dlpapers", {}).get("command")
    cli_block = (
        f'<p>{label["cli"]}</p>\n<div class="highlight"><pre><code>{html.escape(cli)}'
        "</code></pre></div>"
        if cli
        else ""
    )
    box = f"""
<div class="admonition info notebook-actions">
<p class="admonition-title">{label["title"]}</p>
<p><a class="md-button" href="{name}" download>{label["download"]}</a>
<a class="md-button" href="{source_url}">{label["view"]}</a>
<a class="md-button notebook-colab" href="{colab}">{label["colab"]}</a></p>
<p>{label["run"]}</p>
<div class="highlight"><pre><code>{html.escape(command)}</code></pre></div>
{cli_block}
</div>
"""
    content = _resolve_links(content, page, files)
    content = _describe_figures(content, page)
    content = _externalize(content, page, config)
    # mkdocs-jupyter's template loads MathJax 2 from `custom_mathjax_url` (empty here: an empty
    # <script src="">) and configures it; the site's own MathJax 3 typesets the notebook instead.
    content = re.sub(r'<script src="">\s*</script>', "", content)
    content = re.sub(
        r'<script type="text/x-mathjax-config">.*?</script>', "", content, flags=re.DOTALL
    )
    return _under_title(box, content)


def _under_title(box: str, content: str) -> str:
    """``box`` right after the notebook's first heading (its title), or first if it has none."""
    end = content.find("</h1>")
    return box + content if end < 0 else content[: end + 5] + box + content[end + 5 :]


# 8. Alternative text for the figures, from the cell metadata.
NO_ALT = 'alt="No description has been provided for this image"'
CELL = re.compile(r'<div class="jp-Cell[^"]*"[^>]*\bid="cell-id=(?P<id>[^"]+)"')


def _describe_figures(content: str, page) -> str:
    if NO_ALT not in content:
        return content
    cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["cells"]
    alts = {cell.get("id"): cell.get("metadata", {}).get("alt") for cell in cells}
    starts = [match.start() for match in CELL.finditer(content)] + [len(content)]
    out = [content[: starts[0]]]
    for start, end in itertools.pairwise(starts):
        part = content[start:end]
        if NO_ALT in part:
            cell_id = CELL.match(part)["id"]
            alt = alts.get(cell_id)
            if alt:
                part = part.replace(NO_ALT, f'alt="{html.escape(alt)}"')
            else:
                log.warning('%s: cell "%s" draws a figure but has no alternative text: add '
                            '{"alt": "what the figure shows"} to the cell\'s metadata',
                            page.file.src_uri, cell_id)
        out.append(part)
    return "".join(out)


# 7. One stylesheet for all notebook pages; figures as files.
STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.DOTALL)
# nbconvert's Mermaid loader (imports mermaid from a CDN if a notebook has a diagram; none has).
MERMAID = re.compile(
    r"<!-- Load mermaid.*?<!-- End of mermaid configuration -->|<script type=\"module\">"
    r"(?:(?!</script>).)*?jp-Mermaid.*?</script>",
    re.DOTALL,
)
PNG = re.compile(
    r'<img(?P<attrs>[^>]*?) src="data:image/png;base64,(?P<data>[^"]+)"(?P<rest>[^>]*)>'
)
NOTEBOOK_CSS = "assets/stylesheets/notebook.{digest}.css"
_stylesheets: dict[str, str] = {}  # site path -> CSS, written after the build


def _externalize(content: str, page, config) -> str:
    folder = posixpath.dirname(page.file.dest_uri)
    if "jp-Mermaid" not in content.split("<!-- End of mermaid configuration -->")[-1]:
        content = MERMAID.sub("", content)
    css = "\n".join(dict.fromkeys(m.group(1).strip() for m in STYLE.finditer(content)))
    content = STYLE.sub("", content)
    if css:
        uri = NOTEBOOK_CSS.format(digest=hashlib.sha256(css.encode()).hexdigest()[:8])
        _stylesheets[uri] = css
        page.meta["notebook_css"] = posixpath.relpath(uri, folder or ".")

    def figure(match: re.Match) -> str:
        data = base64.b64decode(match["data"])
        name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.png"
        target = Path(config["site_dir"], folder, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        width, height = struct.unpack(">II", data[16:24])  # the PNG's IHDR chunk
        return (f'<img{match["attrs"]} src="{name}" width="{width}" height="{height}" '
                f'loading="lazy" decoding="async"{match["rest"]}>')

    # A code cell that scrolls sideways on a phone must be reachable by keyboard (axe
    # scrollable-region-focusable), as Material makes its own code blocks.
    content = content.replace('<div class="highlight-ipynb hl-python"><pre>',
                              '<div class="highlight-ipynb hl-python"><pre tabindex="0">')
    return PNG.sub(figure, content)


def on_post_page(output, page, config):
    href = page.meta.get("notebook_css")
    if not href:
        return output
    return output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
