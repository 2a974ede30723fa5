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
   at priority 0, before the other hooks (the notebook action box, link fixes) have run.
"""

from __future__ import annotations

import mkdocs.plugins
from mkdocs.structure.files import File

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


@mkdocs.plugins.event_priority(-200)  # the last word on a page's HTML
def on_page_content(html, page, config, files, **kwargs):
    plugin = _plugin(config)
    if plugin is not None and page is not plugin.print_page:
        page.html = html
    return html
