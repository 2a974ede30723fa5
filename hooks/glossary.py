"""MkDocs hook: one glossary (``docs/glossary.yml``) makes the glossary pages and the tooltips.

1. The glossary page of each language gets its tables generated where it says
   ``<!-- glossary -->``, so the two languages can never list different terms.
2. Every other Markdown page gets a tooltip on the first use of each glossary term: on a Korean
   page the Korean term shows the English term and the one-line Korean meaning; on an English page
   the English term shows the Korean term and the English meaning. Material's ``content.tooltips``
   feature turns the ``<abbr title>`` into its styled tooltip, on hover and on keyboard focus
   (the hook adds ``tabindex="0"`` so that a keyboard can reach the term).

Why not Python-Markdown's ``abbr`` with an auto-appended snippet (``pymdownx.snippets``'s
``auto_append``), as Material documents: ``abbr`` matches on ``\\b`` word boundaries, and a Korean
term is followed by a particle with no boundary in between (``사전 분포는``: ``는`` is a word
character, so ``사전 분포`` never matches); ``auto_append`` is one list for the whole site, while
the i18n plugin builds each language with the same configuration; and ``abbr`` also marks terms
in headings and link texts. So this is a small tree processor of its own, with the same output
(``<abbr title>``), that skips code, headings, links and math, and knows the page's language.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.yml"
MARKER = "<!-- glossary -->"
LANGUAGES = ("ko", "en")
OTHER = {"ko": "en", "en": "ko"}
HEADERS = {"ko": ("한국어", "English", "뜻"), "en": ("English", "한국어", "Meaning")}
# Elements whose text never gets a tooltip.
SKIP_TAGS = {"a", "abbr", "code", "pre", "kbd", "script", "style", "math", "svg", "summary",
             "label", "h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_CLASSES = {"arithmatex", "admonition-title", "headerlink"}
HANGUL = "가-힣ㄱ-ㅎㅏ-ㅣ"


@dataclass(frozen=True)
class Term:
    ko: str
    en: str
    meaning: dict[str, str]
    match: dict[str, list[str]]

    def forms(self, language: str) -> list[str]:
        """The words a tooltip attaches to in ``language``: ``match`` if given, else the term
        split on `` / `` with any parenthesis as an alternative of its own."""
        if language in self.match:
            return list(self.match[language])
        forms = []
        for part in getattr(self, language).split(" / "):
            inner = re.search(r"\(([^)]*)\)", part)
            if inner:
                forms.append(inner.group(1).strip())
            forms.append(re.sub(r"\s*\([^)]*\)", "", part).strip())
        return [form for form in forms if form]

    def tooltip(self, language: str) -> str:
        """On a page in ``language``: the term in the other language, then the meaning."""
        return f"{getattr(self, OTHER[language])}: {self.meaning[language]}"


@dataclass(frozen=True)
class Section:
    title: dict[str, str]
    terms: list[Term]


def load(path: Path = GLOSSARY) -> list[Section]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = []
    for section in data["sections"]:
        terms = []
        for item in section["terms"]:
            for key in ("ko", "en"):
                if not item.get(key) or not item.get("meaning", {}).get(key):
                    raise ValueError(f"{path.name}: term {item!r} lacks {key} or meaning.{key}")
            terms.append(Term(item["ko"], item["en"], item["meaning"], item.get("match", {})))
        sections.append(Section(section["title"], terms))
    return sections


def tables(sections: list[Section], language: str) -> str:
    """The glossary page's body in ``language``: one heading and one table per section."""
    first, second, meaning = HEADERS[language]
    out = []
    for section in sections:
        out += [f"## {section.title[language]}", "", f"| {first} | {second} | {meaning} |",
                "| --- | --- | --- |"]
        for term in section.terms:
            cells = (getattr(term, language), getattr(term, OTHER[language]),
                     term.meaning[language])
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


def pattern(terms: list[Term], language: str) -> tuple[re.Pattern, dict[str, Term]]:
    """One regular expression for all of a language's forms, longest first.

    Korean: no boundary after the term (a particle may follow: 사전 분포는), none of Hangul
    before it (so 지도 학습 is not found inside 비지도 학습), and a space inside the term is
    optional (잔차연결). English: whole words or a plural (-s, -es), not inside a hyphenated word;
    a lowercase term also matches capitalised at the start of a sentence.
    """
    by_form: dict[str, Term] = {}
    for term in terms:
        for form in term.forms(language):
            by_form.setdefault(form, term)
    pieces = []
    for form in sorted(by_form, key=len, reverse=True):
        words = [re.escape(word) for word in form.split()]
        if language == "ko":
            pieces.append(f"(?<![{HANGUL}\\w])" + " ?".join(words))
        else:
            body = r"\s+".join(words)
            if form.islower():
                body = f"(?i:{body})"
            plural = "(?:s|es)?" if form[-1].isalpha() else ""
            pieces.append(f"(?<![\\w-]){body}{plural}(?![\\w-])")
    return re.compile("|".join(f"(?:{p})" for p in pieces)), by_form


def _find_term(text: str, by_form: dict[str, Term], language: str) -> Term:
    normal = re.sub(r"\s+", " ", text)
    for form, term in by_form.items():
        if language == "ko":
            if normal.replace(" ", "") == form.replace(" ", ""):
                return term
        elif re.fullmatch(f"{re.escape(form)}(?:s|es)?", normal, flags=re.IGNORECASE):
            return term
    raise KeyError(text)


class GlossaryTreeprocessor(Treeprocessor):
    """Wraps the first use of each term in ``<abbr class="glossary" title=... tabindex="0">``."""

    def __init__(self, md, extension: GlossaryExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        language = self.extension.language
        if language is None:
            return
        self.regex, self.by_form = self.extension.compiled(language)
        self.language = language
        self.seen: set[str] = set()
        self._walk(root)

    def _skip(self, element: etree.Element) -> bool:
        classes = set((element.get("class") or "").split())
        return element.tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)

    def _walk(self, element: etree.Element) -> None:
        if self._skip(element):
            return
        if element.text and not isinstance(element.text, AtomicString):
            element.text, new = self._wrap(element.text)
            for offset, child in enumerate(new):
                element.insert(offset, child)
        for child in list(element):
            self._walk(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail, new = self._wrap(child.tail)
                index = list(element).index(child) + 1
                for offset, item in enumerate(new):
                    element.insert(index + offset, item)

    def _wrap(self, text: str) -> tuple[str, list[etree.Element]]:
        """``text`` up to the first new term, and the ``abbr`` elements (with their tails)."""
        head, elements, position = None, [], 0
        for match in self.regex.finditer(text):
            term = _find_term(match.group(0), self.by_form, self.language)
            if term.en in self.seen:
                continue
            self.seen.add(term.en)
            before = text[position:match.start()]
            if elements:
                elements[-1].tail = before
            else:
                head = before
            abbr = etree.Element("abbr", {"class": "glossary", "title": term.tooltip(self.language),
                                          "tabindex": "0"})
            abbr.text = AtomicString(match.group(0))
            elements.append(abbr)
            position = match.end()
        if not elements:
            return text, []
        elements[-1].tail = text[position:]
        return head, elements


class GlossaryExtension(Extension):
    """Set :attr:`language` before a page renders (``None``: no tooltips on that page)."""

    def __init__(self, sections: list[Section]):
        super().__init__()
        self.terms = [term for section in sections for term in section.terms]
        self.language: str | None = None
        self._compiled: dict[str, tuple[re.Pattern, dict[str, Term]]] = {}

    def compiled(self, language: str) -> tuple[re.Pattern, dict[str, Term]]:
        if language not in self._compiled:
            self._compiled[language] = pattern(self.terms, language)
        return self._compiled[language]

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After the inline patterns (priority 20) and before abbr (7): the text is final.
        md.treeprocessors.register(GlossaryTreeprocessor(md, self), "glossary", 8)


def page_language(src_uri: str) -> str:
    match = re.search(r"\.(ko|en)\.\w+$", src_uri)
    return match.group(1) if match else "ko"


def wants_tooltips(src_uri: str) -> bool:
    """Prose pages do; the glossary itself and the API reference (docstrings) do not."""
    return not (src_uri.split(".")[0] == "glossary" or src_uri.startswith("reference/"))


_extension: GlossaryExtension | None = None


def on_config(config, **kwargs):
    """Add the extension once per configuration: the i18n plugin runs ``on_config`` again for
    each language; ``mkdocs serve`` reloads the configuration (and the glossary) on a change."""
    global _extension
    extensions = config.markdown_extensions
    if not any(isinstance(e, GlossaryExtension) for e in extensions):
        _extension = GlossaryExtension(load())
        extensions.append(_extension)
    return config


def on_page_markdown(markdown, page, config, files, **kwargs):
    language = page_language(page.file.src_uri)
    is_glossary = page.file.src_uri.split(".")[0] == "glossary"
    if _extension is not None:
        _extension.language = language if wants_tooltips(page.file.src_uri) else None
    if is_glossary and MARKER in markdown:
        markdown = markdown.replace(MARKER, tables(load(), language))
    return markdown
