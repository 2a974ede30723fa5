"""One glossary source: the glossary pages and the tooltips on terms in the text, both languages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def glossary():
    spec = importlib.util.spec_from_file_location("glossary_hook", ROOT / "hooks" / "glossary.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def render(glossary, text: str, language: str) -> BeautifulSoup:
    extension = glossary.GlossaryExtension(glossary.load())
    extension.language = language
    html = markdown.markdown(text, extensions=["admonition", "toc", extension])
    return BeautifulSoup(html, "html.parser")


def tooltips(soup) -> dict[str, str]:
    return {a.get_text(): a["title"] for a in soup.select("abbr.glossary")}


def test_every_term_has_both_languages_and_a_meaning_in_each(glossary):
    terms = [t for s in glossary.load() for t in s.terms]
    assert len(terms) > 40
    for term in terms:
        assert term.forms("ko") and term.forms("en"), term
        assert all(term.meaning[lang].strip() for lang in ("ko", "en")), term


def test_a_korean_term_followed_by_a_particle_gets_the_english_term_and_meaning(glossary):
    soup = render(glossary, "잠재 코드는 사전 분포를 따르고, 잔차연결은 깊은 망을 돕습니다.", "ko")
    found = tooltips(soup)
    assert found["사전 분포"].startswith("prior (prior distribution): ")
    assert "잠재 코드" in found and "잔차연결" in found
    assert soup.select_one("abbr.glossary")["tabindex"] == "0"  # reachable by keyboard


def test_a_korean_term_is_not_found_inside_a_longer_word(glossary):
    found = tooltips(render(glossary, "비지도 학습만 씁니다.", "ko"))
    assert list(found) == ["비지도 학습"]


def test_an_english_term_matches_plurals_and_sentence_case_and_shows_the_korean_term(glossary):
    found = tooltips(render(glossary, "Residual connections help. Patches become tokens.", "en"))
    assert found["Residual connections"].startswith("잔차 연결: ")
    assert set(found) == {"Residual connections", "Patches", "tokens"}
    assert not tooltips(render(glossary, "self-attention-free", "en")).get("attention")


def test_only_the_first_use_on_a_page_gets_a_tooltip(glossary):
    soup = render(glossary, "토큰과 토큰.\n\n다시 토큰.", "ko")
    assert len(soup.select("abbr.glossary")) == 1


def test_no_tooltip_in_code_headings_links_or_admonition_titles(glossary):
    text = ("## 사전 분포\n\n`사전 분포` [사전 분포](x.md)\n\n```\n사전 분포\n```\n\n"
            '!!! note "사전 분포"\n    본문\n')
    assert not render(glossary, text, "ko").select("abbr")


def test_no_tooltips_where_the_language_is_not_set(glossary):
    assert not render(glossary, "사전 분포", None).select("abbr")
    assert not glossary.wants_tooltips("glossary.ko.md")
    assert not glossary.wants_tooltips("reference/vit.en.md")
    assert glossary.wants_tooltips("assignments/aae/index.ko.md")


def test_the_glossary_pages_list_every_term_from_the_one_source(glossary):
    sections = glossary.load()
    for language, other in (("ko", "en"), ("en", "ko")):
        page = (ROOT / "docs" / f"glossary.{language}.md").read_text()
        assert glossary.MARKER in page and "| ---" not in page, "tables are generated, not typed"
        html = markdown.markdown(glossary.tables(sections, language), extensions=["tables"])
        rows = BeautifulSoup(html, "html.parser").select("tbody tr")
        terms = [t for s in sections for t in s.terms]
        assert len(rows) == len(terms)
        for row, term in zip(rows, terms, strict=True):
            cells = [td.get_text() for td in row.find_all("td")]
            assert cells == [getattr(term, language), getattr(term, other), term.meaning[language]]


# --- the built site --------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), [("ko", ""), ("en", "en/")])
def test_built_theory_pages_carry_tooltips_in_their_language(built_site, glossary, language,
                                                             prefix):
    page = built_site.path / prefix / "assignments/aae/index.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    terms = soup.select("article abbr.glossary")
    assert len(terms) >= 5
    other = {"ko": "en", "en": "ko"}[language]
    # Korean pages: the English term and the Korean meaning; English pages: the other way round
    expected = {f"{getattr(t, other)}: {t.meaning[language]}"
                for s in glossary.load() for t in s.terms}
    for abbr in terms:
        assert abbr.find_parent(["a", "code", "pre", "h1", "h2", "h3", "h4"]) is None
        assert abbr["title"] in expected, abbr["title"]
        assert abbr["tabindex"] == "0"


@pytest.mark.parametrize(("language", "prefix"), [("ko", ""), ("en", "en/")])
def test_built_glossary_pages_hold_every_term(built_site, glossary, language, prefix):
    soup = BeautifulSoup((built_site.path / prefix / "glossary/index.html").read_text(),
                         "html.parser")
    first_column = {tr.td.get_text() for tr in soup.select("article tbody tr")}
    expected = {getattr(t, language) for s in glossary.load() for t in s.terms}
    assert first_column == expected
