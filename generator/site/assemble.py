"""The whole site: every area's page builders run in turn, and the navigation joined from each area.

Each area of the site lives in a module of its own (`meetings`, `trackers`, `reports`, `calendars`)
exposing `BUILDERS` (functions yielding pages and files) and `nav(data)` (its navigation entries).
The navigation names panels, meetings, trackers and reports, never single cases: MkDocs renders the
whole navigation into every page, so one entry per case would make the build grow quadratically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from generator.audit.provenance import Histories
from generator.core.diagnostics import Diagnostic
from generator.git.history import History
from generator.loading.repository import Repository
from generator.schedule.meetings import ScheduledMeeting
from generator.schedule.workdays import WorkingCalendar
from generator.site import audit, calendars, meetings, reports, trackers
from generator.site.home import home_page
from generator.site.panels import panel_pages
from generator.site.render import (
    CASES,
    CORE_BUILDERS,
    HOME,
    PROBLEMS,
    Asset,
    Files,
    NavItem,
    NavLink,
    NavSection,
    PageBuilder,
    Renderer,
    Site,
    SiteData,
    panel_page,
    static_assets,
)

PAGE_BUILDERS: tuple[PageBuilder, ...] = (
    home_page,
    panel_pages,
    *meetings.BUILDERS,
    *CORE_BUILDERS,
    *trackers.BUILDERS,
    *reports.BUILDERS,
    *calendars.BUILDERS,
    *audit.BUILDERS,
)
"""Every builder, in the order their pages are produced."""


def site_nav(data: SiteData) -> tuple[NavItem, ...]:
    """Home, the panels, each area's entries, then the cases index and the problems page."""
    panels = tuple(
        NavLink(doc.model.short_name, panel_page(panel_id)) for panel_id, doc in sorted(data.repo.panel_docs.items())
    )
    items: list[NavItem] = [NavLink("Home", HOME)]
    if panels:
        items.append(NavSection("Panels", panels))
    for area in (meetings, trackers, reports, calendars, audit):
        items += area.nav(data)
    items += [NavLink("Cases", CASES), NavLink("Problems", PROBLEMS)]
    return tuple(items)


def render_site(
    repo: Repository,
    diagnostics: Iterable[Diagnostic],
    *,
    as_of: date,
    upcoming: Mapping[str, Sequence[ScheduledMeeting]] | None = None,
    calendar: WorkingCalendar | None = None,
    arrivals: Mapping[str, datetime | None] | None = None,
    histories: Histories | None = None,
) -> Site:
    """Every page and file of the site and its navigation, gathered in memory.

    `diagnostics` are shown on the pages of the documents they concern and on the problems page;
    `upcoming` gives each panel's next meetings (leave it out when no schedule is worked out);
    `calendar` is the authority's working days (default: England's bank holidays only);
    `arrivals` gives when each referral arrived (default: none judged);
    `histories` gives every document's history (default: none, as outside a repository).
    Raises DuplicatePageError if two pages would share a path.
    """
    data = SiteData(
        repo,
        tuple(sorted(diagnostics)),
        as_of,
        upcoming or {},
        calendar if calendar is not None else WorkingCalendar(),
        arrivals or {},
        histories if histories is not None else Histories(History()),
    )
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
    name = repo.authority.name if repo.authority else "Decision panels"
    return Site(tuple(files.pages), tuple(files.assets), site_nav(data), name)
