"""The in-browser demos in headless Chromium, in both languages: the real models, run by
onnxruntime-web from the site, answer to a mouse, the keyboard and the test hooks.

Screenshots (light, dark, a 390 px phone) go to the test run's temporary folder (printed).
"""

from __future__ import annotations

import math

import pytest

from tests.site.chromium import AXE, needs_chromium

playwright = pytest.importorskip("playwright.sync_api")

LANGUAGES = {"ko": "", "en": "en/"}
DEMOS = ("vit", "aae", "mdn")

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def open_demo(browser, served_site):
    """``open_demo(paper, language, scheme=..., width=...)``: a demo page whose model was loaded
    by pointing at the demo (not before); every request must stay on 127.0.0.1."""
    contexts, outside = [], []

    def open_demo(paper: str, language: str = "ko", scheme: str = "light", width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 1000},
                                      color_scheme=scheme, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("request", lambda request: None if request.url.startswith(
            (served_site, "data:", "blob:")) else outside.append(request.url))
        page.goto(f"{served_site}/{LANGUAGES[language]}assignments/{paper}/demo/")
        root = page.locator(f'[data-demo-root="{paper}"]')
        assert root.get_attribute("data-demo-ready") is None, "the model loaded before any use"
        root.hover(position={"x": 4, "y": 4})  # pointing at the demo loads the model
        page.wait_for_selector(f'[data-demo-root="{paper}"][data-demo-ready="true"]',
                               timeout=60_000)
        return page

    yield open_demo
    for context in contexts:
        context.close()
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


def stroke(page, selector: str, points: list[tuple[float, float]]) -> None:
    """Drag the mouse through ``points`` (fractions of the element's box)."""
    box = page.locator(selector).bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def probabilities(page) -> list[float]:
    return page.evaluate("""() => Array.from(
        document.querySelectorAll('[data-demo-output="probabilities"] .dl-demo__bar span'),
        s => parseFloat(s.style.width))""")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_mouse_stroke_changes_the_vit_prediction(open_demo, language):
    page = open_demo("vit", language)
    prediction = page.locator('[data-demo-output="prediction"]')
    before = prediction.inner_text()
    assert prediction.get_attribute("data-class") is None
    stroke(page, '[data-demo="vit-draw"]', [(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)])  # a "1"
    page.wait_for_function("() => document.querySelector('[data-demo-output=\"prediction\"]')"
                           ".hasAttribute('data-class')")
    after_one, bars_one = prediction.inner_text(), probabilities(page)
    assert after_one != before and abs(sum(bars_one) - 100) < 1
    assert float(page.locator('[data-demo-output="input"]').get_attribute("data-sum")) > 0
    page.locator('[data-demo-action="clear"]').click()
    circle = [(0.5 + 0.3 * math.sin(a * math.pi / 5), 0.5 - 0.35 * math.cos(a * math.pi / 5))
              for a in range(11)]
    stroke(page, '[data-demo="vit-draw"]', circle)  # a "0"
    page.wait_for_function("(old) => document.querySelector('[data-demo-output=\"prediction\"]')"
                           ".innerText !== old", arg=after_one)
    assert probabilities(page) != bars_one
    assert not page.errors, page.errors


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_test_digits_through_the_hook_give_pytorchs_probabilities(open_demo, language):
    page = open_demo("vit", language)
    worst = page.evaluate("""async () => {
        const vit = window.dlpapersDemos.vit, digits = vit.samples();
        let worst = {probabilities: 0, rollout: 0};
        for (let i = 0; i < digits.labels.length; i++) {
            const out = await vit.predict(digits.counts[i].map(v => v / 16));
            for (const key of ["probabilities", "rollout"]) {
                out[key].forEach((v, k) => {
                    worst[key] = Math.max(worst[key], Math.abs(v - digits[key][i][k]));
                });
            }
        }
        return worst;
    }""")
    assert worst["probabilities"] <= 1e-4 and worst["rollout"] <= 1e-4, worst


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_sample_button_shows_a_test_digit_and_its_label(open_demo, language):
    page = open_demo("vit", language)
    page.locator('[data-demo-action="sample"]').click()
    prediction = page.locator('[data-demo-output="prediction"]')
    page.wait_for_function("() => document.querySelector('[data-demo-output=\"prediction\"]')"
                           ".hasAttribute('data-class')")
    expected = page.evaluate("""() => {
        const p = window.dlpapersDemos.vit.samples().probabilities[0];
        return String(p.indexOf(Math.max(...p))); }""")
    assert prediction.get_attribute("data-class") == expected  # PyTorch's class for that digit
    assert prediction.inner_text().endswith("0")  # and its label: the first sample is a 0
    assert float(page.locator('[data-demo-output="input"]').get_attribute("data-sum")) > 100


def decoded(page) -> tuple[str, str]:
    canvas = page.locator('[data-demo-output="decoded"]')
    return canvas.get_attribute("data-z"), canvas.evaluate("c => c.toDataURL()")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_moving_over_the_aae_plane_and_pressing_arrows_changes_the_decoded_image(
        open_demo, language):
    page = open_demo("aae", language)
    plane = page.locator('[data-demo="aae-latent"]')
    box = plane.bounding_box()
    page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.4 * box["height"])
    page.wait_for_function("() => document.querySelector('[data-demo-output=\"decoded\"]')"
                           ".getAttribute('data-z') !== '0.000,0.000'")
    first = decoded(page)
    page.mouse.move(box["x"] + 0.75 * box["width"], box["y"] + 0.7 * box["height"], steps=5)
    page.wait_for_function("(z) => document.querySelector('[data-demo-output=\"decoded\"]')"
                           ".getAttribute('data-z') !== z", arg=first[0])
    second = decoded(page)
    assert second[0] != first[0] and second[1] != first[1]
    plane.focus()
    for _ in range(5):
        plane.press("ArrowUp")
    page.wait_for_function("(z) => document.querySelector('[data-demo-output=\"decoded\"]')"
                           ".getAttribute('data-z') !== z", arg=second[0])
    assert decoded(page)[1] != second[1]
    page.locator('[data-demo-action="prior"]').click()
    assert not page.errors, page.errors


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_moving_the_mdn_slider_redraws_the_density(open_demo, language):
    page = open_demo("mdn", language)
    density = page.locator('[data-demo-output="density"]')
    page.wait_for_function("() => window.dlpapersDemos.mdn.runs > 0 "
                           "&& window.dlpapersDemos.mdn.idle()")
    before = density.get_attribute("data-t"), density.evaluate("c => c.toDataURL()")
    runs = page.evaluate("() => window.dlpapersDemos.mdn.runs")
    slider = page.locator('[data-demo="mdn-slider"]')
    slider.focus()
    for _ in range(10):
        slider.press("ArrowRight")
    page.wait_for_function("(n) => window.dlpapersDemos.mdn.runs > n "
                           "&& window.dlpapersDemos.mdn.idle()", arg=runs)
    after = density.get_attribute("data-t"), density.evaluate("c => c.toDataURL()")
    assert float(after[0]) == pytest.approx(float(before[0]) + 0.1)
    assert after[1] != before[1]
    assert "t = " in slider.get_attribute("aria-valuetext")
    assert page.locator('[data-demo-output="readout"]').inner_text()
    assert not page.errors, page.errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("paper", DEMOS)
def test_demos_in_light_and_dark_mode_and_on_a_phone(open_demo, shots, paper, scheme):
    for language in LANGUAGES:
        page = open_demo(paper, language, scheme=scheme)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        if paper == "vit":
            page.locator('[data-demo-action="sample"]').click()
        page.wait_for_timeout(300)
        page.locator(".dl-demo").screenshot(path=shots / f"{paper}-{language}-{scheme}.png")
        if AXE is not None:  # the demo as used, with its generated content (the whole page,
            page.add_script_tag(path=str(AXE))  # as loaded, is test_accessibility's)
            violations = page.evaluate("""async () => (await axe.run(".dl-demo",
                {resultTypes: ["violations"]})).violations.map(v => v.id + ": " +
                v.nodes.slice(0, 2).map(n => n.target.join(" ")).join(", "))""")
            assert violations == [], violations
    phone = open_demo(paper, "ko", scheme=scheme, width=390)
    overflow = phone.evaluate("() => document.scrollingElement.scrollWidth")
    assert overflow <= 390, f"the page scrolls sideways on a phone: {overflow} px"
    phone.screenshot(path=shots / f"{paper}-phone-{scheme}.png", full_page=True)


def test_a_finger_draws_on_a_390_px_phone(browser, served_site, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2, locale="ko-KR")
    page = context.new_page()
    page.goto(f"{served_site}/assignments/vit/demo/")
    pad = page.locator('[data-demo="vit-draw"]')
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    cdp = context.new_cdp_session(page)
    points = [(box["x"] + 0.5 * box["width"], box["y"] + f * box["height"])
              for f in (0.15, 0.3, 0.45, 0.6, 0.75, 0.85)]
    for kind, (x, y) in zip(["touchStart"] + ["touchMove"] * 5, points, strict=True):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("() => document.querySelector('[data-demo-output=\"prediction\"]')"
                           ".hasAttribute('data-class')", timeout=60_000)
    assert float(page.locator('[data-demo-output="input"]').get_attribute("data-sum")) > 0
    page.screenshot(path=shots / "vit-phone-touch.png", full_page=True)
    context.close()
