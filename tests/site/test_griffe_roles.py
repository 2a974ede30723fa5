"""hooks/griffe_roles.py: Sphinx roles in docstrings become links on the API pages."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import griffe
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def roles():
    path = ROOT / "hooks" / "griffe_roles.py"
    spec = importlib.util.spec_from_file_location("griffe_roles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package(roles):
    return griffe.load("dlpapers", search_paths=[ROOT / "code"],
                       extensions=griffe.load_extensions(roles.SphinxRoles))


def test_names_resolve_from_the_docstring_s_scope_and_follow_re_exports(roles, package):
    vit = package["vit"]
    # In the package docstring `ViT` is the re-export; the link goes where ViT is documented.
    assert roles.resolve(vit, package, "ViT.attention_maps") == \
        "dlpapers.vit.model.ViT.attention_maps"
    assert roles.resolve(vit, package, "dlpapers.vit.ViT") == "dlpapers.vit.model.ViT"
    assert roles.resolve(vit, package, "torch.nn.Module") is None  # not ours: code, no link


def test_the_rewritten_docstrings_carry_links_and_no_roles(package):
    text = package["vit"].docstring.value
    assert ":meth:" not in text and ":class:" not in text
    assert "[`ViT.attention_maps`][dlpapers.vit.model.ViT.attention_maps]" in text
    assert "[`train_vit`][dlpapers.vit.experiment.train_vit]" in text  # `~` keeps the last part


def test_no_api_page_shows_a_role_as_text(built_site):
    role = re.compile(r":(class|meth|func|mod|attr|data):")
    for language in ("", "en/"):
        for path in (built_site.path / language / "reference").rglob("index.html"):
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for template in page.select("template"):
                template.decompose()  # the source listings keep the code as written
            text = page.select_one("article").get_text(" ")
            assert not role.search(text), (path, role.search(text).group(0))
