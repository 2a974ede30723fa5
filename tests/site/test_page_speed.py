"""Fewer whole-page restyles while Material's bundle starts (hooks/page_speed.py and the scripts in
overrides/main.html): the pieces one by one, then a trace of the ViT theory page in Chromium."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.site.chromium import needs_chromium

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("page_speed", ROOT / "hooks" / "page_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tables_material_wraps_go_into_a_slot_and_others_stay_as_they_are(hook):
    html = (
        "<p>a</p><table>\n<tr><td>1</td></tr></table>"
        '<table class="highlighttable"><tr><td>'
        "<table><tr><td>in</td></tr></table>"
        "</td></tr></table>"
        "<p>b</p>"
    )
    assert hook.wrap_tables(html) == (
        '<p>a</p><div class="table-slot"><table>\n<tr><td>1</td></tr></table></div>'
        '<table class="highlighttable"><tr><td><div class="table-slot"><table><tr><td>in</td></tr>'
        "</table></div></td></tr></table><p>b</p>"
    )
    assert hook.wrap_tables("<p>no table</p>") == "<p>no table</p>"


def test_code_blocks_material_mounts_get_its_copy_button_at_build_time(hook):
    html = (
        '<div class="highlight"><pre><span></span><code>a = 1</code></pre></div>'
        '<pre id="mine"><code>b</code></pre>'
        '<pre class="mermaid"><code>graph</code></pre>'
        '<template class="doc-source"><pre><span></span><code>c</code></pre></template>'
        "<pre>plain text</pre>"
    )
    out = hook.add_copy_buttons(html, "Copy & paste")
    nav = (
        '<div class="md-code__nav"><button class="md-code__button" title="Copy &amp; paste" '
        'data-clipboard-target="#__code_{} &gt; code" data-md-type="copy"></button></div>'
    )
    assert out == (
        '<div class="highlight"><pre id="code-block-1"><span></span>'
        + nav.format("code-block-1")
        + "<code>a = 1</code></pre></div>"
        + '<pre id="mine">'
        + nav.format("mine")
        + "<code>b</code></pre>"
        '<pre class="mermaid"><code>graph</code></pre>'
        '<template class="doc-source"><pre><span></span><code>c</code></pre></template>'
        "<pre>plain text</pre>"
    )


def test_copy_buttons_speak_the_page_language(built_site):
    for prefix, title in (("", "클립보드로 복사"), ("en/", "Copy to clipboard")):
        page = built_site.path / prefix / "assignments" / "vit" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert html.count(f'<button class="md-code__button" title="{title}"') >= 5, prefix


def test_titles_that_repeat_their_text_go_and_heading_anchors_are_named_in_the_language(hook):
    html = (
        '<span title="int">int</span> <span title="torch.Tensor">Tensor</span>'
        '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
        '<a href="#b" class="headerlink" title="Permanent link">&para;</a>'
    )
    assert hook.quiet_titles(html, "ko") == (
        '<span>int</span> <span title="torch.Tensor">Tensor</span>'
        '<h2 id="a">A<a class="headerlink" href="#a" aria-label="이 제목으로 가는 고정 링크">'
        "&para;</a></h2>"
        '<a href="#b" class="headerlink" aria-label="이 제목으로 가는 고정 링크">&para;</a>'
    )


def test_no_page_says_permanent_link_in_a_tooltip(built_site):
    for prefix, name in (
        ("", "이 제목으로 가는 고정 링크"),
        ("en/", "Permanent link to this heading"),
    ):
        html = (built_site.path / prefix / "reference" / "vit" / "index.html").read_text("utf-8")
        assert 'title="Permanent link"' not in html
        assert 'class="headerlink" href="#' in html and f'aria-label="{name}"' in html
        assert '<span title="int">' not in html


def test_the_built_theory_page_has_its_tables_in_slots(built_site):
    html = (built_site.path / "assignments" / "vit" / "index.html").read_text(encoding="utf-8")
    tables = html.count("<table>")
    assert tables >= 1
    assert html.count('<div class="table-slot"><table>') == tables


def test_the_palette_stylesheet_has_no_switching_rule(built_site):
    (sheet,) = (built_site.path / "assets" / "stylesheets").glob("palette.*.min.css")
    css = sheet.read_text(encoding="utf-8")
    assert "data-md-color-switching" not in css
    assert "[data-md-color-scheme=slate]" in css  # the rest of the palette is still there


def test_the_switching_rule_is_removed_once_and_a_second_pass_changes_nothing(hook, tmp_path):
    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    sheet = sheets / "palette.0123.min.css"
    sheet.write_text("a{color:red}" + hook.SWITCHING_RULE + "b{color:blue}")
    hook.on_post_build({"site_dir": str(tmp_path)})
    once = sheet.read_text()
    assert once.startswith("a{color:red}b{color:blue}") and "switching] *" not in once
    hook.on_post_build({"site_dir": str(tmp_path)})  # as `mkdocs serve --dirty` would
    assert sheet.read_text() == once


def test_a_missing_switching_rule_fails_the_build_with_what_to_change(hook, tmp_path):
    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    (sheets / "palette.0123.min.css").write_text("[data-md-color-scheme=slate]{color:red}")
    with pytest.raises(Exception, match="SWITCHING_RULE"):
        hook.on_post_build({"site_dir": str(tmp_path)})


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
    )
    yield context.new_page()
    context.close()


@needs_chromium
def test_one_color_scheme_that_follows_the_palette_and_material_still_works(phone, served_site):
    phone.goto(served_site + "/assignments/vit/")
    assert phone.evaluate("document.documentElement.className").split() >= ["js"]
    assert "no-js" not in phone.evaluate("document.documentElement.className")
    schemes = phone.locator('meta[name="color-scheme"]')
    assert schemes.count() == 1
    assert schemes.get_attribute("content") == "light"
    # the bundle did its work: code blocks renamed as their copy buttons expect, tables wrapped
    first = phone.locator("pre").first
    target = first.locator(".md-code__button").get_attribute("data-clipboard-target")
    assert target == f"#{first.get_attribute('id')} > code"
    assert phone.locator("nav.md-code__nav").count() == 0  # no landmark per code block
    wrapped = ".table-slot > .md-typeset__scrollwrap > .md-typeset__table > table"
    assert phone.locator(wrapped).count() >= 1
    assert phone.locator('meta[name="theme-color"]').count() == 1
    for _ in range(3):  # auto -> light -> dark
        if phone.locator("body").get_attribute("data-md-color-scheme") == "slate":
            break
        phone.locator("form[data-md-component='palette'] label:visible").first.click()
    assert phone.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert schemes.count() == 1
    assert schemes.get_attribute("content") == "dark"
    phone.reload()  # the stored palette is dark from the first paint on
    assert phone.locator('meta[name="color-scheme"]').get_attribute("content") == "dark"


@needs_chromium
def test_the_whole_theory_page_is_restyled_at_most_twice_while_it_loads(browser, served_site):
    """Chromium's trace of a page load: each ``UpdateLayoutTree`` says how many elements it
    restyled. Before hooks/page_speed.py and the scripts in overrides/main.html, Material's bundle
    restyled the whole ViT theory page five times (color-scheme meta twice, palette switching
    attribute twice, tables); now once, when it first reads the layout of the parsed page. The
    second one allowed is the parser's own first styling, when it happens to cover the page.
    Measured: [2095, 2095, 2095, 2097, 2096] of 2283 elements before, [2098] of 2286 after."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    browser.start_tracing(
        page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"]
    )
    page.goto(served_site + "/assignments/vit/", wait_until="load")
    page.wait_for_timeout(1500)
    elements = page.evaluate("document.getElementsByTagName('*').length")
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    threads = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"]["name"] == "CrRendererMain"
    }
    restyled = [
        e["args"].get("elementCount", 0)
        for e in events
        if e.get("name") == "UpdateLayoutTree" and (e["pid"], e["tid"]) in threads
    ]
    whole = [n for n in restyled if n >= 0.9 * elements]
    assert restyled, "the trace has no style recalculations: did the categories change?"
    assert len(whole) <= 2, f"{len(whole)} whole-page restyles of {elements} elements: {whole}"


@needs_chromium
@pytest.mark.parametrize("system", ["light", "dark"])
def test_a_first_visit_is_in_the_system_theme_before_the_content_is_parsed(
    browser, served_site, system
):
    """No palette stored yet: the page is in the system's theme when the parser reaches the
    content. Before, a phone in dark mode got the light page until the bundle switched it, and
    then the whole page was restyled."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, color_scheme=system
    )
    page = context.new_page()
    page.add_init_script(
        """new MutationObserver((records, observer) => {
             if (!document.querySelector(".md-content")) return;
             window.schemeAtContent = document.body.getAttribute("data-md-color-scheme");
             window.metaAtContent = document.querySelector('meta[name="color-scheme"]').content;
             observer.disconnect();
           }).observe(document, { childList: true, subtree: true });"""
    )
    page.goto(served_site + "/en/assignments/vit/", wait_until="load")
    early = page.evaluate("[window.schemeAtContent, window.metaAtContent]")
    late = [
        page.locator("body").get_attribute("data-md-color-scheme"),
        page.locator('meta[name="color-scheme"]').get_attribute("content"),
    ]
    context.close()
    expected = ["default", "light"] if system == "light" else ["slate", "dark"]
    assert early == expected
    assert late == expected


@needs_chromium
def test_the_copy_button_copies_the_code(browser, served_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(served_site + "/en/assignments/vit/")
    block = page.locator("pre").first
    block.hover()
    block.locator(".md-code__button").click()
    page.wait_for_selector(".md-dialog--active")
    copied = page.evaluate("navigator.clipboard.readText()")
    code = block.locator("code").inner_text()
    alert = page.locator(".md-dialog").inner_text()
    context.close()
    assert copied.strip() == code.strip() and "import torch" in copied
    assert alert == "Copied to clipboard"
