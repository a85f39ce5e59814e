"""Calendar files (iCalendar, RFC 5545): each panel series' coming meetings, and an invite per booked slot.

The same repository and `as_of` give byte-identical files: DTSTAMP is midnight UTC of `as_of`,
UIDs are made from the panel, series, date (and case), and Europe/London is written out as its
rules rather than read from the machine's time zone database. Invites name only the case id, never
a child: they travel by email.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur  # type: ignore[import-untyped]

from generator.loading.repository import Repository
from generator.models import Panel, Person
from generator.models.panel import Series
from generator.models.roles import Role
from generator.schedule.meetings import ScheduledMeeting, meetings_between
from generator.schedule.workdays import WorkingCalendar, add_months
from generator.views.agenda import Agenda, Slot

DOMAIN = "panel.invalid"
"""The right-hand side of every UID: fixed, so UIDs never depend on where the site is served."""
ZONE = "Europe/London"
LONDON = ZoneInfo(ZONE)
PRODID = "-//Panel generator//Decision panels//EN"
WINDOW_MONTHS = 12
"""How far ahead of `as_of` a series calendar lists meetings."""
# Control characters have no place in iCalendar TEXT; line breaks are kept (escaped as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class SeriesCalendar:
    """One series' calendar file: a panel's meetings (or one series' of a panel that has several)."""

    panel_id: str
    """The panel, by the id the repository knows it by."""
    series: Series | None
    """The series, or None for a panel without series."""
    title: str
    """The calendar's name, as a subscriber sees it."""
    meetings: tuple[ScheduledMeeting, ...]
    """The meetings the file holds, in date order."""
    ics: bytes
    """The iCalendar file."""


@dataclass(frozen=True)
class Invite:
    """A calendar invite to one booked slot, for the presenting social worker and the case's manager."""

    agenda: Agenda
    """The meeting."""
    slot: Slot
    """The slot (with its start and end times)."""
    attendees: tuple[Person, ...]
    """Who is invited: people the roster gives an email, in the order named."""
    organizer: Person | None
    """Who sends it: the panel coordinator, or else the meeting's chair; None if neither has an email."""
    ics: bytes
    """The iCalendar file."""


def window(as_of: date) -> tuple[date, date]:
    """The first and last day a series calendar covers: WINDOW_MONTHS months from `as_of`."""
    return as_of, add_months(as_of, WINDOW_MONTHS) - timedelta(days=1)


def meeting_uid(panel_id: str, series_id: str | None, day: date) -> str:
    """The UID of a scheduled meeting: the same meeting keeps it in every build."""
    parts = [panel_id, *([series_id] if series_id else []), day.strftime("%Y%m%d")]
    return f"{'.'.join(parts)}@{DOMAIN}"


def slot_uid(panel_id: str, day: date, case_id: str) -> str:
    """The UID of a booked slot: one case at one meeting."""
    return f"{panel_id}.{day.strftime('%Y%m%d')}.case-{case_id}@{DOMAIN}"


def series_calendars(
    panel: Panel, cal: WorkingCalendar, as_of: date, *, panel_id: str | None = None, sequence: int = 0
) -> list[SeriesCalendar]:
    """A calendar per series of `panel` (one for a panel without series), of its meetings in `window(as_of)`.

    `panel_id` is the id the repository knows the panel by (its file name; default `panel.id`): it
    names the calendar and goes into the UIDs. `sequence` is every event's SEQUENCE (see
    `revision_sequence`). An as-required panel has no scheduled meetings, so no calendar.
    """
    key = panel_id if panel_id is not None else panel.id
    first, last = window(as_of)
    meetings = meetings_between(panel, cal, first, last)
    if not meetings:
        return []
    runs: list[Series | None] = list(panel.series) or [None]
    calendars = []
    for series in runs:
        series_id = series.id if series else None
        mine = tuple(m for m in meetings if (m.series.id if m.series else None) == series_id)
        title = f"{panel.name}: {series.name}" if series else panel.name
        ical = _calendar(title, subscription=True)
        for meeting in mine:
            ical.add_component(_meeting_event(key, panel, meeting, as_of, sequence))
        calendars.append(SeriesCalendar(key, series, _clean(title), mine, bytes(ical.to_ical())))
    return calendars


def slot_invites(
    agendas: Iterable[Agenda],
    repo: Repository,
    as_of: date,
    sequence_of: Callable[[Agenda, Slot], int] = lambda agenda, slot: 0,
) -> list[Invite]:
    """An invite per booked slot with a start time, at every meeting on or after `as_of`.

    The presenting social worker (the referral's presenter, else the case's worker) and the case's
    manager are invited; people without an email in the roster are left out. `sequence_of` gives
    each invite's SEQUENCE (see `revision_sequence`).
    """
    invites = []
    for agenda in agendas:
        if agenda.date < as_of:
            continue
        for slot in agenda.cases:
            if slot.start is None or not slot.case:
                continue
            begins = slot.start
            invitees = _invitees(repo, slot)
            chair = agenda.record.model.chair if agenda.record is not None else None
            organizer = panel_organizer(repo.roster, chair)
            ics = _invite_calendar(agenda, slot, begins, invitees, organizer, as_of, sequence_of(agenda, slot))
            invites.append(Invite(agenda, slot, tuple(invitees), organizer, ics))
    return invites


SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
"""Revision numbers count minutes from here."""


def revision_sequence(last_changed: datetime | None) -> int:
    """An event's SEQUENCE: whole minutes from 2020 to the last commit that changed what the event is made of.

    Calendar programs ignore an update whose SEQUENCE is not higher than the one they hold, so a
    moved meeting must carry a higher number. Counting from the time of the latest change keeps the
    number rising with the history while the same repository always gives the same file; 0 when
    nothing it is made of has been committed.
    """
    if last_changed is None:
        return 0
    return max(0, int((last_changed - SEQUENCE_EPOCH).total_seconds() // 60))


def panel_organizer(roster: Mapping[str, Person], chair: str | None = None) -> Person | None:
    """Who sends invites: the roster's first panel coordinator with an email (by id), else `chair` if they have one."""
    for person_id in sorted(roster):
        person = roster[person_id]
        if Role.PANEL_COORDINATOR in person.roles and person.email:
            return person
    found = roster.get(chair) if chair else None
    return found if found is not None and found.email else None


def _invitees(repo: Repository, slot: Slot) -> list[Person]:
    case = repo.cases.get(slot.case)
    presenter = slot.referral.model.presenter if slot.referral is not None else None
    ids = [presenter or (case.model.worker if case else None), case.model.manager if case else None]
    people = [repo.roster[i] for i in ids if i is not None and i in repo.roster]
    return _unique(p for p in people if p.email)


def _invite_calendar(
    agenda: Agenda,
    slot: Slot,
    begins: time,
    invitees: Sequence[Person],
    organizer: Person | None,
    as_of: date,
    sequence: int,
) -> bytes:
    panel, meeting = agenda.panel, agenda.date
    start = datetime.combine(meeting, begins, LONDON)
    end = datetime.combine(meeting, slot.end, LONDON) if slot.end is not None and slot.end > begins else None
    ical = _calendar(f"{panel.name}: case {slot.case}", subscription=False)
    if organizer is not None:
        ical.add("method", "REQUEST")
    event = Event()
    event.add("uid", slot_uid(agenda.panel_id, meeting, slot.case))
    event.add("dtstamp", _stamp(as_of))
    event.add("sequence", sequence)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", _clean(f"{panel.short_name}: case {slot.case}"))
    if agenda.venue is not None:
        event.add("location", _clean(agenda.venue.name))
    event.add("description", _clean("\n".join(_slot_lines(agenda, slot))))
    if organizer is not None:
        event.add("organizer", _address(organizer, organizer=True))
    for person in invitees:
        event.add("attendee", _address(person, organizer=False))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    ical.add_component(event)
    return bytes(ical.to_ical())


def _slot_lines(agenda: Agenda, slot: Slot) -> list[str]:
    panel = agenda.panel
    times = f"{slot.start:%H:%M} to {slot.end:%H:%M}" if slot.end is not None else f"from {slot.start:%H:%M}"
    request = panel.request_type(slot.referral.model.request) if slot.referral is not None else None
    children = len(slot.children)
    lines = [
        f"Case {slot.case}, item {slot.number} at {panel.name} on {_day(agenda.date)}, {times}.",
        f"Request: {request.name}." if request else "",
        f"About {children} child{'ren' if children != 1 else ''}." if children else "",
        f"Venue: {agenda.venue.name}{' (online)' if agenda.venue.remote else ''}." if agenda.venue else "",
        f"Readiness when the invite was made: {slot.readiness.value}.",
        "The papers are on the referral's page of the panel site.",
    ]
    return [line for line in lines if line]


# --- building blocks ------------------------------------------------------------------------------


def _calendar(name: str, *, subscription: bool) -> Calendar:
    ical = Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", _clean(name))
    ical.add("x-wr-timezone", ZONE)
    if subscription:
        # Outlook and others refresh a subscribed calendar at this interval.
        ical.add("x-published-ttl", "P1D")
    ical.add_component(london_timezone())
    return ical


def london_timezone() -> Timezone:
    """Europe/London as RFC 5545 rules: BST from 01:00 UTC on the last Sunday of March to the last of October.

    Written out (as Outlook does) instead of generated from the machine's tz database, so the file
    is the same on every machine; a test checks the rules against the tz database.
    """
    zone = Timezone()
    zone.add("tzid", ZONE)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _meeting_event(panel_id: str, panel: Panel, meeting: ScheduledMeeting, as_of: date, sequence: int) -> Event:
    series_id = meeting.series.id if meeting.series else None
    event = Event()
    event.add("uid", meeting_uid(panel_id, series_id, meeting.date))
    event.add("dtstamp", _stamp(as_of))
    event.add("sequence", sequence)
    if meeting.start is None:
        # No time in the cadence: an all-day entry marks the day without blocking it.
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start = datetime.combine(meeting.date, time.fromisoformat(meeting.start), LONDON)
        event.add("dtstart", start)
        if meeting.end is not None and meeting.end > meeting.start:
            event.add("dtend", datetime.combine(meeting.date, time.fromisoformat(meeting.end), LONDON))
        event.add("transp", "OPAQUE")
    title = f"{panel.name}: {meeting.series.name}" if meeting.series else panel.name
    event.add("summary", _clean(title))
    if meeting.venue is not None:
        event.add("location", _clean(meeting.venue.name))
    event.add("description", _clean("\n".join(_meeting_lines(panel, meeting))))
    event.add("status", "CONFIRMED")
    return event


def _meeting_lines(panel: Panel, meeting: ScheduledMeeting) -> list[str]:
    deadline = meeting.referral_deadline
    lines = [
        f"Referral deadline: {_day(deadline)}." if deadline else "No referral deadline.",
    ]
    if meeting.moved_from is not None:
        because = f" ({meeting.moved_because})" if meeting.moved_because else ""
        lines.insert(0, f"Moved from {_day(meeting.moved_from)}{because}, not a working day.")
    if meeting.series is not None:
        lines.append(f"Series: {meeting.series.name}.")
    if meeting.venue is not None:
        lines.append(f"Venue: {meeting.venue.name}{' (online)' if meeting.venue.remote else ''}.")
    lines.append(f"Purpose: {panel.purpose}")
    return lines


def _address(person: Person, *, organizer: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = _clean(person.name).replace("\n", " ")
    if not organizer:
        address.params["role"] = "REQ-PARTICIPANT"
        address.params["partstat"] = "NEEDS-ACTION"
        address.params["rsvp"] = "TRUE"
    return address


def _unique(people: Iterable[Person]) -> list[Person]:
    seen: set[str] = set()
    out = []
    for person in people:
        if person.id not in seen:
            seen.add(person.id)
            out.append(person)
    return out


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _stamp(as_of: date) -> datetime:
    return datetime.combine(as_of, time(0, 0), UTC)


def _clean(text: str) -> str:
    """Text fit for an iCalendar value: line breaks normalised, other control characters removed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
