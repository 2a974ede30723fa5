"""The inverse-transform-sampling demo (issue 12, demo 4) in headless Chromium, in both languages.

The page maps u through the package's quantile functions (``dlpapers.mdn.sampling``), fills a
histogram from seeded uniform numbers, stays on 127.0.0.1, and axe-core finds nothing in light or
dark. Screenshots (light/dark, ko/en, a 390 px phone) go to the test run's temporary folder.
"""

from __future__ import annotations

import json
import math
import re

import pytest
import torch
from bs4 import BeautifulSoup

from dlpapers.mdn import sampling
from tests.site.chromium import AXE, needs_chromium

playwright = pytest.importorskip("playwright.sync_api")

PATH = "assignments/mdn/sampling-demo/"
LANGUAGES = {"ko": "", "en": "en/"}
SLIDER = '[data-demo="sampling-u"]'
OUTPUT = '[data-demo-output="sampling-x"]'
HISTOGRAM = '[data-demo="sampling-histogram"]'


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_page_carries_the_package_targets_and_its_own_script(built_site, language):
    path = built_site.path / LANGUAGES[language] / PATH / "index.html"
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert json.loads(page.select_one("#sampling-targets").string) == sampling.demo_targets()
    script = page.select_one('script[src$="javascripts/sampling-demo.js"]')
    assert script is not None and script.has_attr("defer")
    assert (path.parent / script["src"]).resolve().is_file()
    sheet = page.select_one('head link[rel=stylesheet][href$="sampling-demo.css"]')
    assert sheet is not None and (path.parent / sheet["href"]).resolve().is_file()
    other = (built_site.path / LANGUAGES[language] / "assignments/mdn/index.html").read_text()
    assert "sampling-demo.js" not in other and "sampling-targets" not in other


@pytest.fixture
def open_demo(browser, served_site):
    """``open_demo(language, scheme=..., width=...)``: the demo page, loaded, with every request
    recorded; none may leave 127.0.0.1."""
    contexts, outside = [], []

    def open_demo(language: str, scheme: str = "light", width: int = 1280, touch: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch,
                                      color_scheme=scheme, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: None if request.url.startswith(
            (served_site, "data:", "blob:")) else outside.append(request.url))
        page.goto(f"{served_site}/{LANGUAGES[language]}{PATH}", wait_until="networkidle")
        page.wait_for_selector(f"{OUTPUT}[data-x]")
        return page

    yield open_demo
    for context in contexts:
        context.close()
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


def mapped(page) -> tuple[float, float]:
    output = page.locator(OUTPUT)
    return float(output.get_attribute("data-u")), float(output.get_attribute("data-x"))


def exponential_quantile(u: float) -> float:
    return -math.log1p(-u) / sampling.EXPONENTIAL_RATE


@needs_chromium
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_moving_u_maps_it_through_the_exponential_quantile(open_demo, language):
    page = open_demo(language)
    slider = page.locator(SLIDER)
    seen = []
    slider.fill("0.9")  # set the value and fire `input`, as a script would
    seen.append(mapped(page))
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    seen.append(mapped(page))
    page.keyboard.press("End")
    seen.append(mapped(page))
    box = slider.bounding_box()  # drag with the mouse from the left quarter to the middle
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    seen.append(mapped(page))
    us = [u for u, _ in seen]
    assert us[:3] == pytest.approx([0.9, 0.903, 0.999], abs=1e-12)
    assert 0.4 < us[3] < 0.6
    for u, x in seen:
        assert x == pytest.approx(exponential_quantile(u), abs=1e-6)
    text = page.locator(OUTPUT).inner_text()
    assert f"{us[3]:.3f}" in text and f"{seen[3][1]:.3f}" in text
    assert page.locator(SLIDER).get_attribute("aria-valuetext").endswith(f"{seen[3][1]:.3f}")


@needs_chromium
def test_the_mixture_is_inverted_as_the_package_inverts_it(open_demo):
    page = open_demo("en")
    page.locator('input[name="sampling-target"][value="mixture"]').check()
    mixture = sampling.two_mode_mixture()
    for value in ("0.001", "0.25", "0.3", "0.31", "0.75", "0.999"):
        page.locator(SLIDER).fill(value)
        u, x = mapped(page)
        expected = sampling.quantile(mixture, torch.tensor([u], dtype=torch.float64)).item()
        assert x == pytest.approx(expected, abs=1e-6), u
    label = page.locator('[data-demo-param="mixture"]').inner_text()
    assert label.startswith(f"{sampling.MIXTURE_WEIGHTS[0]}·N(")


@needs_chromium
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_drawing_samples_fills_the_histogram_around_the_true_mean(open_demo, language):
    page = open_demo(language)
    histogram = page.locator(HISTOGRAM)
    assert histogram.get_attribute("data-count") == "0"
    assert histogram.locator("rect").count() == 0
    page.locator('[data-demo-draw="10000"]').click()
    assert histogram.get_attribute("data-count") == "10000"
    assert int(histogram.get_attribute("data-filled-bins")) >= 30
    assert histogram.locator("rect").count() >= 30
    mean = float(histogram.get_attribute("data-mean"))
    target = sampling.exponential()
    assert mean == pytest.approx(target.mean.item(), abs=4 * target.stddev.item() / 100)
    assert "10,000" in page.locator('[data-demo-output="sampling-summary"]').inner_text()
    page.locator('[data-demo-draw="1000"]').click()
    assert histogram.get_attribute("data-count") == "11000"
    page.locator("[data-demo-reset]").click()  # the same seed again: the same samples
    assert histogram.get_attribute("data-count") == "0"
    page.locator('[data-demo-draw="10000"]').click()
    assert float(histogram.get_attribute("data-mean")) == mean


@needs_chromium
@pytest.mark.skipif(AXE is None, reason="npm package axe-core missing: run make install")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_axe_finds_no_violation_and_the_drawing_follows_the_theme(open_demo, shots, language,
                                                                   scheme):
    page = open_demo(language, scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    page.locator('[data-demo-draw="10000"]').click()
    page.locator(SLIDER).fill("0.8")
    page.locator(".sampling-demo").screenshot(path=shots / f"demo-{language}-{scheme}.png")
    stroke = page.locator(".sampling-demo .sd-curve").first.evaluate(
        "el => getComputedStyle(el).stroke")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    brightness = [sum(float(c) for c in re.findall(r"[\d.]+", color)[:3])
                  for color in (stroke, background)]
    assert (brightness[0] > brightness[1]) == (scheme == "dark"), (stroke, background)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""")
    assert violations == [], violations


@needs_chromium
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_on_a_phone_the_demo_fits_and_a_tap_on_the_cdf_sets_u(open_demo, shots, language):
    page = open_demo(language, width=390, touch=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    plot = page.locator('[data-demo-plot="cdf"]')
    plot.scroll_into_view_if_needed()
    article = page.locator("article").bounding_box()
    box = plot.bounding_box()
    assert box["x"] >= article["x"] and box["x"] + box["width"] <= article["x"] + article["width"]
    svg = plot.locator("svg").bounding_box()
    assert svg["width"] <= box["width"] + 0.5
    # The plot area runs from y = 10 (u = 1) to y = height - 26 (u = 0): a tap a quarter of the
    # way down sets u near 0.75.
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + 10 + (svg["height"] - 36) * 0.25)
    u, x = mapped(page)
    assert u == pytest.approx(0.75, abs=0.01)
    assert x == pytest.approx(exponential_quantile(u), abs=1e-6)
    page.locator('[data-demo-draw="1000"]').click()
    page.locator(".sampling-demo").scroll_into_view_if_needed()
    page.screenshot(path=shots / f"demo-{language}-phone.png", full_page=False)
