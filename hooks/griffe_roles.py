"""Griffe extension (loaded by mkdocstrings, not a MkDocs hook): Sphinx roles become links.

The docstrings name other objects the way the Python world reads them in source,
``:class:`ViT``` or ``:func:`~dlpapers.vit.experiment.train_vit```, but mkdocstrings renders
Markdown, where a role is just text: the API pages showed ":class:" in front of every name.
This rewrites each role, once the whole package is loaded, into a mkdocstrings cross-reference,
``[`ViT`][dlpapers.vit.model.ViT]``: the name is resolved from the object's own scope (its
members, then its parents', then its module's imports, as Python would), a re-export is followed
to where the object is documented (``dlpapers.vit.ViT`` -> ``dlpapers.vit.model.ViT``), and
``~`` shows only the last part of the name, as in Sphinx. A name outside ``dlpapers`` (``torch``,
``numpy``), or one the API pages do not show (private, or without a docstring), stays code
without a link: the site has no offline inventory of other projects.

Suggested upstream for this job (mkdocstrings/mkdocstrings discussion #596: "pre-process
docstrings with a Griffe extension"); no published extension does it for Sphinx roles.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:py:)?(?:class|meth|func|mod|attr|data|exc|obj):`(?P<tilde>~?)(?P<name>[\w.]+)`"
)
PACKAGE = "dlpapers"


def _documented_path(package: griffe.Module, path: str) -> str | None:
    """``path`` followed through re-exports to the object itself; ``None`` if it is not ours."""
    if path != PACKAGE and not path.startswith(PACKAGE + "."):
        return None
    obj: Any = package
    try:
        for part in path.split(".")[1:]:
            obj = obj.members[part]
            if obj.is_alias:
                obj = obj.final_target
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    # mkdocstrings shows neither private names nor objects without a docstring: no anchor to link.
    if any(part.startswith("_") for part in obj.path.split(".")) or not obj.has_docstring:
        return None
    return obj.path


def resolve(obj: griffe.Object, package: griffe.Module, name: str) -> str | None:
    """The documented path of ``name`` as written in ``obj``'s docstring, or ``None``."""
    first, _, rest = name.partition(".")
    try:
        head = obj.resolve(first)
    except griffe.NameResolutionError:
        head = first
    return _documented_path(package, f"{head}.{rest}" if rest else head)


def rewrite(text: str, obj: griffe.Object, package: griffe.Module) -> str:
    def link(match: re.Match) -> str:
        name = match["name"]
        shown = name.rsplit(".", 1)[-1] if match["tilde"] else name
        path = resolve(obj, package, name)
        return f"[`{shown}`][{path}]" if path else f"`{shown}`"

    return ROLE.sub(link, text)


class SphinxRoles(griffe.Extension):
    """Rewrite ``:role:`name``` in every docstring of the package into a cross-reference."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = rewrite(obj.docstring.value, obj, pkg)
            stack.extend(member for member in obj.members.values() if not member.is_alias)
