"""The site in a real browser: Debian's headless Chromium driven by Playwright.

Screenshots go to the test run's temporary folder (printed at the end of the session) so a person
can look at them.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.site.chromium import needs_chromium

playwright = pytest.importorskip("playwright.sync_api")


pytestmark = needs_chromium


@pytest.fixture
def page(browser, served_site):
    """A fresh page whose requests must all stay on the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None
        if request.url.startswith((served_site, "data:", "blob:"))
        else outside.append(request.url),
    )
    page.base = served_site
    yield page
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


def test_home_page_renders_in_both_languages(page, shots):
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert re.search("[가-힣]", page.locator("article h1").first.inner_text())
    page.screenshot(path=shots / "home-ko.png", full_page=True)

    page.goto(page.base + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert not re.search("[가-힣]", page.locator("article h1").first.inner_text())
    page.screenshot(path=shots / "home-en.png", full_page=True)


def test_language_switcher_goes_to_the_same_qa_page(page, shots):
    page.goto(page.base + "/office-hour/qa/first-papers/")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator("a.md-select__link[hreflang='en']").click()
    page.wait_for_url(re.compile(r"/en/office-hour/qa/first-papers/$"))
    assert "paper" in page.locator("article h1").first.inner_text().lower()
    page.screenshot(path=shots / "qa-en.png")


def search(page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material's search reacts to key-up
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return [
        a.get_attribute("href")
        for a in page.locator(".md-search-result__item > a.md-search-result__link").all()
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The learning-path page writes 게이트는/게이트를 and 게이트가: never the bare word.
        ("게이트", "office-hour/learning-path/"),
        # A word inside parentheses on the AAE page: (판별기)-style punctuation is split off.
        ("생성기", "assignments/aae/"),
    ],
)
def test_korean_search_finds_words_with_particles_and_punctuation(page, shots, query, expected):
    page.goto(page.base + "/")
    hrefs = search(page, query)
    page.screenshot(path=shots / f"search-{expected.strip('/').replace('/', '-')}.png")
    assert any(expected in (href or "") for href in hrefs), hrefs


def test_a_tag_lists_the_questions_that_carry_it(page, shots):
    page.goto(page.base + "/office-hour/qa/first-papers/")
    tag = page.locator("a.md-tag", has_text="학습 경로").first
    tag.click()
    page.wait_for_load_state()
    assert "tag:" in page.url
    listing = page.locator(f"[id='{unquote(page.url.split('#')[1])}']")
    entries = listing.locator("xpath=following-sibling::ul[1]//a").all_inner_texts()
    assert len(entries) >= 3, entries
    page.screenshot(path=shots / "tag-listing.png")


def test_notebook_page_shows_its_figures_and_math(page, shots):
    page.goto(page.base + "/assignments/mdn/sampling/")
    figure = page.locator(".jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.complete && img.naturalWidth") > 200
    page.wait_for_selector("mjx-container", timeout=15_000)  # MathJax typeset, offline
    page.screenshot(path=shots / "notebook.png", full_page=True)


def test_dark_mode_toggles(page, shots):
    page.goto(page.base + "/")
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    for _ in range(3):
        if scheme == "slate":
            break
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
    assert scheme == "slate"
    page.screenshot(path=shots / "home-dark.png")
