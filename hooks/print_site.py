"""MkDocs hook: the whole site as one printable page, in each language (mkdocs-print-site-plugin).

mkdocs-print-site-plugin combines every page of the navigation into ``print_page/``. With
mkdocs-static-i18n it builds only the default language (upstream issue
timvink/mkdocs-print-site-plugin#70, open): the i18n plugin builds the other languages by running
the whole build again with the same ``site_dir``, writing each page of another language under
its locale (``en/...``). print-site's page has no locale, so the English print page overwrote the
Korean one. This hook, after the i18n plugin's ``on_config`` in each language build:

1. puts the print page under the language's folder (``en/print_page/``) and gives it, and its
   table of contents, the language's title;
2. removes the duplicate print-site CSS/JS entries that every further ``on_config`` prepends;
3. hands print-site each page's *final* HTML: print-site keeps the HTML of ``on_page_content``
   at priority 0, before the other hooks (the notebook action box, link fixes) have run;
4. repairs the links print-site leaves broken on the combined page: the permalinks (``¶``,
   useless on paper) go; code line anchors get the page-prefixed id their links already use;
   a link to a page left out of the print page (the API reference) goes to that page; and
   images and attachments (figures, notebook downloads) are linked from where the print page
   of the language really is (print-site writes them as if it were at the site's root).
5. gives the print page what the other hooks' ``on_post_page`` gives every other page (print-site
   writes it after them): no hreflang head links, and the math stylesheet; and its images load
   at once (lazy loading waits for scrolling, which printing does not do).
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

import mkdocs.plugins
from mkdocs.structure.files import File
from mkdocs_print_site_plugin.urls import get_page_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audits import HREFLANG  # noqa: E402  (sibling hooks, not a package)
from build_math import CSS_URI  # noqa: E402

TITLES = {"ko": "사이트 전체 인쇄", "en": "Print the whole site"}
TOC_TITLES = {"ko": "차례", "en": "Contents"}


def _plugin(config):
    return config.plugins.get("print-site")


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for item in items:
        key = str(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@mkdocs.plugins.event_priority(-150)  # after i18n's on_config (-100) set this language's site_dir
def on_config(config, **kwargs):
    plugin = _plugin(config)
    if plugin is None or not plugin.config.get("enabled"):
        return config
    language = config.theme.get("language", "ko")
    i18n = config.plugins.get("i18n")
    folder = "" if i18n is None or i18n.is_default_language_build else f"{i18n.current_language}/"
    page = plugin.print_page
    page.file = File(
        path=f"{folder}{plugin.config['print_page_basename']}.md",
        src_dir="",
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )
    plugin.print_file = page.file
    page.title = TITLES.get(language, TITLES["en"])
    plugin.config["toc_title"] = TOC_TITLES.get(language, TOC_TITLES["en"])
    config.extra_css = _dedupe(list(config.extra_css))
    config.extra_javascript = _dedupe(list(config.extra_javascript))
    return config


_page_urls: dict[str, str] = {}  # print-site's page key -> the page's URL, in this language


@mkdocs.plugins.event_priority(-200)  # the last word on a page's HTML
def on_page_content(html, page, config, files, **kwargs):
    plugin = _plugin(config)
    if plugin is not None and page is not plugin.print_page:
        page.html = html
        _page_urls[get_page_key(page.url)] = page.url
    return html


HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
LINE_ANCHOR = re.compile(r'<a id="(__codelineno-[\w-]+)" name="\1" href="#([^"]+)"')
ANCHOR_HREF = re.compile(r'href="#([^"]+)"')
IDS = re.compile(r'\sid="([^"]+)"')
RELATIVE = re.compile(r'\b(href|src)="\.\./(?!\.\./)')


def repair(html: str, print_url: str, language_folder: str) -> str:
    """Fix the combined page's links (item 4 above); ``print_url`` is ``en/print_page/``."""
    html = HEADERLINK.sub("", html)
    html = LINE_ANCHOR.sub(lambda m: f'<a id="{m[2]}" name="{m[2]}" href="#{m[2]}"', html)
    if language_folder:  # print-site writes relative URLs as if the page were at the root
        start = html.find('id="print-site-page"')
        end = html.find("</article>", start)
        if start != -1 and end != -1:
            body = RELATIVE.sub(lambda m: f'{m[1]}="../../', html[start:end])
            html = html[:start] + body + html[end:]
    ids = set(IDS.findall(html))

    def to_page(match: re.Match) -> str:
        key = match[1]
        if key in ids or key not in _page_urls:
            return match[0]
        target = _page_urls[key]
        return f'href="{posixpath.relpath(target or ".", print_url.rstrip("/")) + "/"}"'

    return ANCHOR_HREF.sub(to_page, html)


def finish_head(html: str, dest_uri: str) -> str:
    """What the other hooks' ``on_post_page`` does to every page, done to the print page, which
    print-site writes after them: no hreflang head links (``audits``), and the math stylesheet
    when the page holds math (``build_math``); images load at once, not lazily."""
    head, separator, body = html.partition("</head>")
    head = HREFLANG.sub("", head)
    body = body.replace(' loading="lazy"', "")  # printing scrolls nothing into view
    if "<mjx-container" in body and "math.css" not in head:
        href = posixpath.relpath(CSS_URI, posixpath.dirname(dest_uri))
        head += f'<link rel="stylesheet" href="{href}">\n'
    return head + separator + body


@mkdocs.plugins.event_priority(-50)  # after print-site wrote the page, before i18n's next build
def on_post_build(config, **kwargs):
    plugin = _plugin(config)
    if plugin is None or not plugin.config.get("enabled"):
        return
    path = Path(plugin.print_page.file.abs_dest_path)
    folder = plugin.print_page.file.src_uri.rpartition("/")[0]
    folder = f"{folder}/" if folder else ""
    html = repair(path.read_text(encoding="utf-8"), plugin.print_page.file.url, folder)
    path.write_text(finish_head(html, plugin.print_page.file.dest_uri), encoding="utf-8")
    _page_urls.clear()
