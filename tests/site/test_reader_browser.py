"""Reader features in Chromium: glossary tooltips (hover and keyboard), the reproducibility card,
and the print page (print styles, nothing cut off, a PDF from Chromium).

Screenshots go to the test run's temporary folder (printed at the start) for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.site.chromium import needs_chromium

playwright = pytest.importorskip("playwright.sync_api")
pypdf = pytest.importorskip("pypdf")


pytestmark = needs_chromium


@pytest.fixture
def page(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((served_site, "data:", "blob:"))
            else outside.append(r.url))
    page.base = served_site
    yield page
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


FOCUSABLE = ('a[href], button, input, select, textarea, summary, '
             '[tabindex]:not([tabindex="-1"])')


def tooltip_of(page, term):
    """The tooltip Material shows for ``term``: the element its ``aria-describedby`` names."""
    page.wait_for_function("t => t.getAttribute('aria-describedby')", arg=term.element_handle(),
                           timeout=5000)
    tooltip = page.locator(f"#{term.get_attribute('aria-describedby')}")
    tooltip.wait_for(state="visible", timeout=5000)
    page.wait_for_function("e => e.classList.contains('md-tooltip2--active')",
                           arg=tooltip.element_handle(), timeout=5000)
    page.wait_for_timeout(400)  # let the fade-in finish before a screenshot
    return tooltip


@pytest.mark.parametrize(("prefix", "language"), [("", "ko"), ("/en", "en")])
def test_a_glossary_term_shows_its_tooltip_on_hover_and_on_keyboard_focus(page, shots, prefix,
                                                                           language):
    page.goto(f"{page.base}{prefix}/assignments/aae/")
    term = page.locator("article abbr.glossary").first
    title = term.get_attribute("title")
    other_term, meaning = title.split(": ", 1)
    hangul = re.compile("[가-힣]")
    assert bool(hangul.search(other_term)) == (language == "en")  # the *other* language's term

    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = tooltip_of(page, term)
    assert tooltip.inner_text().strip() == title
    page.screenshot(path=shots / f"tooltip-hover-{language}.png")

    page.mouse.move(5, 890)  # away: the tooltip hides
    page.wait_for_function("t => !t.hasAttribute('aria-describedby')",
                           arg=term.element_handle(), timeout=5000)

    # Keyboard: focus whatever comes just before the term, then Tab onto the term.
    page.evaluate("""([term, selector]) => {
        const all = [...document.querySelectorAll(selector)];
        all[all.indexOf(term) - 1].focus();
    }""", [term.element_handle(), FOCUSABLE])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('glossary')")
    tooltip = tooltip_of(page, term)
    assert tooltip.inner_text().strip() == title
    page.screenshot(path=shots / f"tooltip-focus-{language}.png")


def test_the_reproducibility_card_is_shown_at_the_end_of_a_notebook(page, shots):
    page.goto(f"{page.base}/assignments/vit/notebook/")
    card = page.locator(".reproducibility-card")
    card.scroll_into_view_if_needed()
    assert card.is_visible()
    rows = card.locator("tr[data-field]")
    assert rows.count() == 10
    page.screenshot(path=shots / "reproducibility-card.png")


@pytest.mark.parametrize(("prefix", "language"), [("", "ko"), ("/en", "en")])
def test_the_print_page_prints_without_navigation_and_without_cut_code(page, shots, prefix,
                                                                      language, capsys):
    page.goto(f"{page.base}{prefix}/print_page/", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('mjx-container').length > 0",
                           timeout=60_000)  # MathJax typeset the math
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer",
                     ".md-tabs"):
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"{selector} is printed"
    cut = page.evaluate("""() => [...document.querySelectorAll('#print-site-page pre')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.textContent.slice(0, 60))""")
    assert not cut, f"code cut off in print: {cut[:3]}"
    figures = page.locator("#print-site-page .jp-OutputArea-output img")
    assert figures.count() >= 20
    # loaded (the print page loads its figures eagerly: a PDF has no scrolling to trigger them)
    page.wait_for_function("""() => [...document.querySelectorAll(
        '#print-site-page .jp-OutputArea-output img')].every(i => i.complete && i.naturalWidth)""")
    page.screenshot(path=shots / f"print-page-{language}.png")

    pdf = shots / f"site-{language}.pdf"
    page.pdf(path=pdf, format="A4", print_background=True)
    pages = len(pypdf.PdfReader(pdf).pages)
    with capsys.disabled():
        print(f"\nprint page ({language}): {pages} PDF pages (A4), {pdf}")
    assert pages > 20
