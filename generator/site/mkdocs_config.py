"""The MkDocs configuration of one build: the project's own `mkdocs.yml`, pointed at the work folder.

The configuration is always the copy packaged with the generator, never a `mkdocs.yml` found in
the repository being built: `mkdocs.yml` is code (hooks run Python), and a pull request to a
panel repository must not be able to change what the build runs.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.site.content_policy import CONTENT_SECURITY_POLICY
from generator.site.pages import NavItem, NavLink, NavSection
from generator.site.templates import TEMPLATES

CONFIG_NAME = "mkdocs.yml"
OVERRIDES = "overrides"
"""The theme override beside the packaged `mkdocs.yml`: the Content-Security-Policy, no inline scripts."""


def template_path() -> Path:
    """The packaged `mkdocs.yml` (identical to the one at the project's root)."""
    path = Path(str(resources.files("generator").joinpath(TEMPLATES, CONFIG_NAME)))
    if not path.is_file():
        raise FileNotFoundError(f"the site configuration {path} is missing from the installation")
    return path


def mkdocs_nav(nav: Sequence[NavItem]) -> list[dict[str, Any]]:
    """The navigation in MkDocs' form, titles HTML-escaped (MkDocs' templates do not escape them)."""
    entries: list[dict[str, Any]] = []
    for item in nav:
        if isinstance(item, NavLink):
            entries.append({html.escape(item.title): item.path})
        elif isinstance(item, NavSection):
            entries.append({html.escape(item.title): mkdocs_nav(item.children)})
    return entries


def load_site_config(*, docs_dir: Path, site_dir: Path, site_name: str, nav: Sequence[NavItem]) -> MkDocsConfig:
    """The validated MkDocs configuration for building `docs_dir` into `site_dir`.

    Raises `mkdocs.exceptions.MkDocsException` (a click exception) if MkDocs refuses it.
    """
    config = load_config(
        config_file=str(template_path()),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        site_name=html.escape(site_name),
        nav=mkdocs_nav(nav),
    )
    # Not `custom_dir` in mkdocs.yml: its twin at the project's root would point at a folder that
    # is not there. The override's templates come first, as a custom_dir's would.
    config.theme.dirs.insert(0, str(template_path().parent / OVERRIDES))
    config.extra["content_security_policy"] = CONTENT_SECURITY_POLICY
    return config
