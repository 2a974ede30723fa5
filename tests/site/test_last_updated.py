""""Last update" on every page, from git, in the page's locale; never a failure for new files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


def plugin_config() -> dict:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "git-revision-date-localized" in plugin:
            options = plugin["git-revision-date-localized"]  # BaseLoader: every value a string
            return {k: {"true": True, "false": False}.get(v, v) for k, v in options.items()}
    raise AssertionError("git-revision-date-localized is not configured")


def test_the_pages_workflow_checks_out_the_whole_history():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert str(checkout["with"]["fetch-depth"]) == "0"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd,
                   check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is missing")
@pytest.mark.parametrize("with_git", [True, False], ids=["git-clone", "no-git"])
def test_a_strict_build_dates_committed_and_uncommitted_pages(tmp_path, with_git):
    """A small site with this project's plugin settings: a committed page gets its commit date,
    a page not yet committed (or a checkout without git) the build date, and --strict passes."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("index", "new"):
        for language in ("ko", "en"):
            (docs / f"{name}.{language}.md").write_text(f"# {name} {language}\n\ntext\n")
    config = {
        "site_name": "t",
        "theme": {"name": "material", "language": "ko"},
        "plugins": [
            {"i18n": {"docs_structure": "suffix", "languages": [
                {"locale": "ko", "name": "한국어", "default": True},
                {"locale": "en", "name": "English"}]}},
            {"git-revision-date-localized": plugin_config()},
        ],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    if with_git:
        git(tmp_path, "init", "-q")
        git(tmp_path, "add", "mkdocs.yml", "docs/index.ko.md", "docs/index.en.md")
        env_date = {"GIT_AUTHOR_DATE": "2024-03-05T12:00:00Z",
                    "GIT_COMMITTER_DATE": "2024-03-05T12:00:00Z"}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a"],
                       cwd=tmp_path, check=True, env={**os.environ, **env_date})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    def date(page: str) -> str:
        soup = BeautifulSoup((tmp_path / "site" / page).read_text(), "html.parser")
        return soup.select_one(".git-revision-date-localized-plugin").get_text()

    if with_git:  # the commit's date, in each page's own locale
        assert date("index.html") == "2024년 3월 5일"
        assert date("en/index.html") == "March 5, 2024"
    assert re.search(r"\d{4}년", date("new/index.html"))
    assert re.search(r"[A-Z][a-z]+ \d+, \d{4}", date("en/new/index.html"))


@pytest.mark.parametrize(("page", "pattern"), [
    ("assignments/vit/index.html", r"\d{4}년 \d+월 \d+일"),
    ("en/assignments/vit/index.html", r"[A-Z][a-z]+ \d+, \d{4}"),
    ("assignments/vit/notebook/index.html", r"\d{4}년 \d+월 \d+일"),
    ("en/glossary/index.html", r"[A-Z][a-z]+ \d+, \d{4}"),
])
def test_built_pages_show_their_last_update_in_their_locale(built_site, page, pattern):
    soup = BeautifulSoup((built_site.path / page).read_text(), "html.parser")
    fact = soup.select_one(".md-source-file .git-revision-date-localized-plugin")
    assert fact is not None, f"{page}: no last-update date"
    assert re.fullmatch(pattern, fact.get_text().strip())
