"""The meetings area of the site (being built: see issue 3)."""

from __future__ import annotations

from generator.site.render import NavItem, PageBuilder, SiteData

BUILDERS: tuple[PageBuilder, ...] = ()
"""The builders of this area's pages and files."""


def nav(data: SiteData) -> tuple[NavItem, ...]:
    """This area's navigation entries."""
    return ()
