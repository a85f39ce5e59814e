"""The calendars area of the site: a `.ics` file per panel series and per booked slot, and the page listing them.

Files live under `calendars/`, named by panel, series, meeting date and case id, never by a name.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import jinja2

from generator.agenda import meeting_agendas
from generator.exports.calendar import Invite, SeriesCalendar, series_calendars, slot_invites, window
from generator.site.meetings import meeting_page
from generator.site.render import (
    Asset,
    NavItem,
    NavLink,
    Page,
    PageBuilder,
    Renderer,
    SiteData,
    _checked_id,
    case_page,
    panel_page,
)

PAGE = "calendars.md"
"""The page listing every calendar file."""
FOLDER = "calendars"

_TEMPLATE = """\
{% extends "_page.md.j2" %}
{% block content %}
# Calendars

Calendar files (`.ics`) of the panels' scheduled meetings from {{ first }} to {{ last }}, one per panel
or, where a panel meets in several series, one per series, and an invite for each case booked
into a coming meeting. They carry the meeting's time (UK time), venue and referral deadline.

## Panel meetings

{% if series %}
| Panel | Series | Meetings | First | Last | Calendar file |
| --- | --- | --- | --- | --- | --- |
{% for item in series %}
| {{ link(item.panel.short_name, panel_page(item.panel_id)) }} | {{ item.series_name }} \
| {{ item.calendar.meetings | length }} | {{ item.first }} | {{ item.last }} \
| {{ link(item.label, item.path) }} |
{% endfor %}
{% else %}
No panel has scheduled meetings in this period.
{% endif %}
{% if unscheduled %}

Meeting as required, so without a calendar: {{ unscheduled | join(", ") }}.
{% endif %}

## Adding a panel's meetings to Outlook

**Subscribe** when your Outlook can reach this site's address: the calendar then updates itself
(Outlook checks about once a day).

1. Right-click the calendar file's link above and choose *Copy link*.
2. In Outlook for Windows (classic): *Home* → *Add Calendar* → *From Internet*, paste the address
   and choose *OK*, then *Yes*.
3. In the new Outlook or Outlook on the web: *Calendar* → *Add calendar* → *Subscribe from web*,
   paste the address, give it a name and choose *Import*.

Outlook on the web and the new Outlook fetch subscribed calendars from Microsoft's servers, which
cannot reach a closed intranet: there, import the file instead.

**Import** a copy when subscribing is not possible. An imported copy does not update itself: import
it again after the schedule changes.

1. Download the calendar file.
2. In Outlook for Windows (classic): *File* → *Open & Export* → *Open Calendar*, choose the file;
   it opens as a calendar of its own beside yours (delete the old one before importing a newer copy).
3. In the new Outlook or Outlook on the web: *Calendar* → *Add calendar* → *Upload from file*.

Every meeting keeps the same identifier from one build to the next, so calendar programs that
match on it update a meeting rather than adding it twice.

## Invites for booked cases

{% if invites %}
An invite per case booked into a coming meeting, for the social worker presenting it and the
case's manager, at the time its slot starts on the agenda. The coordinator opens the file in
Outlook, checks it and sends it{% if organizer %} (the invites name {{ organizer }} as the
organiser){% endif %}. Invites carry the case id, never a child's name.

| Meeting | Case (item) | Time | Readiness | Invited | Invite file |
| --- | --- | --- | --- | --- | --- |
{% for invite in invites %}
| {{ link(invite.meeting, invite.meeting_path) }} \
| {{ link(invite.case, invite.case_path) if invite.case_path else invite.case }} ({{ invite.item }}) \
| {{ invite.time }} | {{ invite.readiness }} | {{ invite.invited }} | {{ link(invite.label, invite.path) }} |
{% endfor %}
{% else %}
No case is booked into a coming meeting with a slot time.
{% endif %}
{% endblock %}
"""


def series_path(calendar: SeriesCalendar) -> str:
    """Where a series calendar is published: `calendars/<panel>.ics` or `calendars/<panel>--<series>.ics`.

    Ids are single-hyphen slugs, so `--` cannot be part of either and no two names collide.
    """
    panel_id = _checked_id(calendar.panel_id)
    name = f"{panel_id}--{_checked_id(calendar.series.id)}" if calendar.series else panel_id
    return f"{FOLDER}/{name}.ics"


def _series(data: SiteData) -> list[SeriesCalendar]:
    def compute() -> list[SeriesCalendar]:
        return [
            calendar
            for panel_id, panel in sorted(data.repo.panels.items())
            for calendar in series_calendars(panel, data.calendar, data.as_of, panel_id=panel_id)
        ]

    return data.memo("calendars:series", compute)


def invite_path(invite: Invite) -> str:
    """Where a slot's invite is published: `calendars/invites/<panel>/<date>-<case id>.ics`."""
    agenda = invite.agenda
    return (
        f"{FOLDER}/invites/{_checked_id(agenda.panel_id)}/{agenda.date.isoformat()}-{_checked_id(invite.slot.case)}.ics"
    )


def _invites(data: SiteData) -> list[Invite]:
    return data.memo("calendars:invites", lambda: slot_invites(meeting_agendas(data), data.repo, data.as_of))


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
                "case_path": case_page(slot.case) if slot.case in data.repo.cases else None,
                "time": f"{slot.start:%H:%M}" + (f" to {slot.end:%H:%M}" if slot.end else ""),
                "readiness": slot.readiness.value,
                "invited": ", ".join(person.name for person in invite.attendees) or "nobody with an email",
                "label": f"Invite, case {slot.case}",
                "path": invite_path(invite),
            }
        )
    organizers = {invite.organizer.name for invite in _invites(data) if invite.organizer is not None}
    first, last = window(data.as_of)
    yield _with_template(r).page(
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


def _with_template(r: Renderer) -> Renderer:
    """The renderer, able to find this area's page template besides the shared ones."""
    own = copy.copy(r)
    loaders: list[jinja2.BaseLoader] = [jinja2.DictLoader({"calendars.md.j2": _TEMPLATE})]
    if r.env.loader is not None:
        loaders.append(r.env.loader)
    own.env = r.env.overlay(loader=jinja2.ChoiceLoader(loaders))
    return own


BUILDERS: tuple[PageBuilder, ...] = (_files, _calendars_page)
"""The builders of this area's pages and files."""


def nav(data: SiteData) -> tuple[NavItem, ...]:
    """This area's navigation entry: the calendars page."""
    return (NavLink("Calendars", PAGE),)
