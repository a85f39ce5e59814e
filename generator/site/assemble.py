"""The whole site: every area's page builders run in turn, and the navigation joined from each area.

Each area of the site lives in a module of its own (`meetings`, `trackers`, `reports`, `calendars`)
exposing `BUILDERS` (functions yielding pages and files) and `nav(data)` (its navigation entries).
The navigation names panels, meetings, trackers and reports, never single cases: MkDocs renders the
whole navigation into every page, so one entry per case would make the build grow quadratically.
"""

from __future__ import annotations

from generator.pipeline.workspace import Workspace
from generator.site import audit_pages, calendar_pages, meeting_pages, report_pages, tracker_pages
from generator.site.case_pages import case_pages, problems_page
from generator.site.home_page import home_page
from generator.site.pages import Asset, Files, NavItem, NavLink, NavSection, Site
from generator.site.panel_pages import panel_pages
from generator.site.paths import CASES, HOME, PROBLEMS, panel_page
from generator.site.templates import PageBuilder, Renderer, static_assets

PAGE_BUILDERS: tuple[PageBuilder, ...] = (
    home_page,
    panel_pages,
    *meeting_pages.BUILDERS,
    case_pages,
    problems_page,
    *tracker_pages.BUILDERS,
    *report_pages.BUILDERS,
    *calendar_pages.BUILDERS,
    *audit_pages.BUILDERS,
)
"""Every builder, in the order their pages are produced."""


def site_nav(data: Workspace) -> tuple[NavItem, ...]:
    """Home, the panels, each area's entries, then the cases index and the problems page."""
    panels = tuple(
        NavLink(doc.model.short_name, panel_page(panel_id)) for panel_id, doc in sorted(data.repo.panel_docs.items())
    )
    items: list[NavItem] = [NavLink("Home", HOME)]
    if panels:
        items.append(NavSection("Panels", panels))
    for area in (meeting_pages, tracker_pages, report_pages, calendar_pages, audit_pages):
        items += area.nav(data)
    items += [NavLink("Cases", CASES), NavLink("Problems", PROBLEMS)]
    return tuple(items)


def render_site(data: Workspace) -> Site:
    """Every page and file of the site and its navigation, gathered in memory.

    Diagnostics are shown on the pages of the documents they concern and on the problems page.
    Raises DuplicatePageError if two pages would share a path.
    """
    renderer = Renderer(data)
    files = Files()
    for builder in PAGE_BUILDERS:
        for output in builder(renderer):
            if isinstance(output, Asset):
                files.add_asset(output)
            else:
                files.add_page(output)
    for asset in static_assets():
        files.add_asset(asset)
    name = data.repo.authority.name if data.repo.authority else "Decision panels"
    return Site(tuple(files.pages), tuple(files.assets), site_nav(data), name)
