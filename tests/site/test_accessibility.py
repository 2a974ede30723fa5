"""The site in headless Chromium: axe-core finds nothing, no math script, search loads on use.

axe-core is the npm package installed by ``make install`` (the same 4.10 line that Lighthouse
12.2 bundles), injected into each page. Screenshots of a notebook page in dark mode and on a
390 px phone go to the test run's temporary folder (printed) for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.site.chromium import AXE, needs_chromium

playwright = pytest.importorskip("playwright.sync_api")

PAGES = {
    "home": "",
    "qa": "office-hour/qa/first-papers/",
    "theory": "assignments/vit/",
    "notebook": "assignments/vit/notebook/",
    "api": "reference/vit/",
    "demo-vit": "assignments/vit/demo/",
    "demo-aae": "assignments/aae/demo/",
    "demo-mdn": "assignments/mdn/demo/",
    "exercises": "assignments/vit/exercises/",
}
LANGUAGES = {"ko": "", "en": "en/"}

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def open_page(browser, served_site):
    """``open_page(path, scheme=..., width=...)``: a loaded page whose requests are recorded and
    must all stay on 127.0.0.1."""
    contexts, outside = [], []

    def open_page(path: str, scheme: str = "light", width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      color_scheme=scheme, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("request", lambda request: None if request.url.startswith(
            (served_site, "data:", "blob:")) else outside.append(request.url))
        page.goto(f"{served_site}/{path}", wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


@pytest.mark.skipif(AXE is None, reason="npm package axe-core missing: run make install")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_violation(open_page, kind, language, scheme):
    page = open_page(LANGUAGES[language] + PAGES[kind], scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""")
    assert violations == [], violations


@pytest.mark.parametrize("path", ["", PAGES["qa"], "reference/cli/"])
def test_pages_without_math_request_no_math_script(open_page, path):
    page = open_page(path)
    assert page.locator("article mjx-container").count() == 0
    math = [url for url in page.requests if any(
        word in url.lower() for word in ("mathjax", "katex", "math.css", "tex-"))]
    assert not math, math


def test_pages_with_math_show_it_without_any_script(open_page):
    page = open_page(PAGES["theory"])
    formulas = page.locator("article mjx-container svg")
    assert formulas.count() >= 5
    box = formulas.first.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5
    assert not [url for url in page.requests if url.endswith(".js") and "math" in url.lower()]


@pytest.mark.parametrize("path", [PAGES["theory"], "en/assignments/mdn/"])
def test_display_math_is_visible_on_a_phone(open_page, shots, path):
    page = open_page(path, width=390)
    widths = page.evaluate("""() => [...document.querySelectorAll('div.arithmatex svg')]
        .map(svg => svg.getBoundingClientRect().width)""")
    assert widths, "no display equation on the page"
    assert min(widths) > 20, f"display equations collapse on a phone: widths {widths}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("div.arithmatex").first.scroll_into_view_if_needed()
    page.screenshot(path=shots / f"math-390-{path.strip('/').replace('/', '-')}.png")


def test_search_index_is_fetched_only_when_search_is_used(open_page):
    page = open_page("")
    index = [url for url in page.requests if "search_index" in url]
    assert not index, "the search index was fetched on load"
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("트랜스포머")
    box.press("End")  # Material's search reacts to key-up
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert [url for url in page.requests if url.endswith("search/search_index.json")]


def test_notebook_page_in_dark_mode_and_on_a_phone(open_page, shots):
    page = open_page(PAGES["notebook"], scheme="dark", width=390)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    figures = page.locator(".jp-OutputArea-output img").all()
    assert figures
    for figure in figures:  # lazy: each loads when it comes near the viewport
        figure.scroll_into_view_if_needed()
        handle = figure.element_handle()
        page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=handle)
    page.screenshot(path=shots / "notebook-dark-390.png", full_page=True)
    # Only a code block may be wider than the phone: the page itself never scrolls sideways,
    # and every figure fits inside the text column.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    column = page.locator("article").bounding_box()
    for figure in figures:
        box = figure.bounding_box()
        assert box["x"] >= column["x"] and box["x"] + box["width"] <= column["x"] + column["width"]
    # Long code lines scroll inside their block instead of overflowing the page.
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.highlight-ipynb pre')]
        .filter(pre => pre.scrollWidth > pre.clientWidth)
        .map(pre => getComputedStyle(pre).overflowX)""")
    assert all(value in ("auto", "scroll") for value in overflowing), overflowing
    page.goto(page.url.replace("/assignments/", "/en/assignments/"), wait_until="networkidle")
    page.screenshot(path=shots / "notebook-dark-390-en.png", full_page=False)


def test_an_api_source_listing_appears_when_opened(open_page):
    page = open_page(PAGES["api"])
    details = page.locator("details.mkdocstrings-source").first
    assert details.locator("table.highlighttable").count() == 0
    details.locator("summary").click()
    assert details.locator("table.highlighttable").first.is_visible()
