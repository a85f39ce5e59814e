"""The calendars area of the site: a `.ics` file per panel series and per booked slot, and the page listing them.

Files live under `calendars/`, named by panel, series, meeting date and case id, never by a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from generator.core.layout import AUTHORITY_PATH, ROSTER_PATH, meeting_folder
from generator.exports.calendar import (
    Invite,
    SeriesCalendar,
    revision_sequence,
    series_calendars,
    slot_invites,
    window,
)
from generator.pipeline.workspace import Workspace
from generator.site.meeting_pages import meeting_page
from generator.site.pages import Asset, NavItem, NavLink, Page
from generator.site.paths import case_page, has_case_page, panel_page
from generator.site.paths import checked_id as _checked_id
from generator.site.templates import PageBuilder, Renderer
from generator.views.agenda import Agenda, Slot, meeting_agendas

PAGE = "calendars.md"
"""The page listing every calendar file."""
FOLDER = "calendars"


def series_path(calendar: SeriesCalendar) -> str:
    """Where a series calendar is published: `calendars/<panel>.ics` or `calendars/<panel>--<series>.ics`.

    Ids are single-hyphen slugs, so `--` cannot be part of either and no two names collide.
    """
    panel_id = _checked_id(calendar.panel_id)
    name = f"{panel_id}--{_checked_id(calendar.series.id)}" if calendar.series else panel_id
    return f"{FOLDER}/{name}.ics"


def _series(data: Workspace) -> list[SeriesCalendar]:
    return data.view(_series_view)


def _series_view(data: Workspace) -> list[SeriesCalendar]:
    return [
        calendar
        for panel_id, panel in sorted(data.repo.panels.items())
        for calendar in series_calendars(
            panel, data.calendar, data.as_of, panel_id=panel_id, sequence=_series_sequence(data, panel_id)
        )
    ]


def invite_path(invite: Invite) -> str:
    """Where a slot's invite is published: `calendars/invites/<panel>/<date>-<case id>.ics`."""
    agenda = invite.agenda
    return (
        f"{FOLDER}/invites/{_checked_id(agenda.panel_id)}/{agenda.date.isoformat()}-{_checked_id(invite.slot.case)}.ics"
    )


def _invites(data: Workspace) -> list[Invite]:
    return data.view(_invites_view)


def _invites_view(data: Workspace) -> list[Invite]:
    def sequence_of(agenda: Agenda, slot: Slot) -> int:
        return _invite_sequence(data, agenda, slot)

    return slot_invites(meeting_agendas(data), data.repo, data.as_of, sequence_of)


def _last_changed(data: Workspace, paths: Iterable[str]) -> datetime | None:
    """When the last commit that changed any of `paths` was made (None if none was committed)."""
    changes = data.histories.history.changes
    return max((change.time for path in paths for change in changes.get(path, ())), default=None)


def _series_sequence(data: Workspace, panel_id: str) -> int:
    """A series' meetings come from the panel's terms and the authority's closure days."""
    panel_doc = data.repo.panel_docs.get(panel_id)
    paths = [AUTHORITY_PATH] + ([panel_doc.path] if panel_doc else [])
    return revision_sequence(_last_changed(data, paths))


def _invite_sequence(data: Workspace, agenda: Agenda, slot: Slot) -> int:
    """A slot's time, place and invitees come from the panel's terms, the meeting record, every referral booked
    to the meeting (they decide the order), the case file and the roster."""
    panel_doc = data.repo.panel_docs.get(agenda.panel_id)
    paths = [AUTHORITY_PATH, ROSTER_PATH, f"{meeting_folder(agenda.panel_id, agenda.date)}/meeting.md"]
    paths += [panel_doc.path] if panel_doc else []
    paths += [other.referral.path for other in agenda.cases if other.referral is not None]
    paths += [data.repo.cases[slot.case].path] if slot.case in data.repo.cases else []
    return revision_sequence(_last_changed(data, paths))


def _files(r: Renderer) -> Iterator[Asset]:
    for calendar in _series(r.data):
        yield Asset(series_path(calendar), calendar.ics)
    for invite in _invites(r.data):
        yield Asset(invite_path(invite), invite.ics)


def _calendars_page(r: Renderer) -> Iterator[Page]:
    data = r.data
    rows = []
    for calendar in _series(data):
        panel = data.repo.panels[calendar.panel_id]
        series_name = calendar.series.name if calendar.series else "all meetings"
        label = f"{panel.short_name} {calendar.series.name if calendar.series else 'meetings'} (.ics)"
        rows.append(
            {
                "panel": panel,
                "panel_id": calendar.panel_id,
                "series_name": series_name,
                "calendar": calendar,
                "path": series_path(calendar),
                "label": label,
                "first": calendar.meetings[0].date if calendar.meetings else None,
                "last": calendar.meetings[-1].date if calendar.meetings else None,
            }
        )
    scheduled = {c.panel_id for c in _series(data)}
    unscheduled = [
        panel.short_name for panel_id, panel in sorted(data.repo.panels.items()) if panel_id not in scheduled
    ]
    invites = []
    for invite in _invites(data):
        agenda, slot = invite.agenda, invite.slot
        invites.append(
            {
                "meeting": f"{agenda.panel.short_name} {agenda.date.isoformat()}",
                "meeting_path": meeting_page(agenda.panel_id, agenda.date),
                "item": slot.number,
                "case": slot.case,
                "case_path": case_page(slot.case) if has_case_page(data, slot.case) else None,
                "time": f"{slot.start:%H:%M}" + (f" to {slot.end:%H:%M}" if slot.end else ""),
                "readiness": slot.readiness.value,
                "invited": ", ".join(person.name for person in invite.attendees) or "nobody with an email",
                "label": f"Invite, case {slot.case}",
                "path": invite_path(invite),
            }
        )
    organizers = {invite.organizer.name for invite in _invites(data) if invite.organizer is not None}
    first, last = window(data.as_of)
    yield r.page(
        "calendars.md.j2",
        PAGE,
        "Calendars",
        series=rows,
        unscheduled=unscheduled,
        invites=invites,
        organizer=", ".join(sorted(organizers)),
        first=first,
        last=last,
        panel_page=panel_page,
    )


BUILDERS: tuple[PageBuilder, ...] = (_files, _calendars_page)
"""The builders of this area's pages and files."""


def nav(data: Workspace) -> tuple[NavItem, ...]:
    """This area's navigation entry: the calendars page."""
    return (NavLink("Calendars", PAGE),)
