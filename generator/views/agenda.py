"""Each meeting's agenda, computed from its panel's own rules: standing items, case slots, times, readiness.

Pure computation: nothing here renders. The site's meeting pages, packs and calendar invites all
read the same `Agenda` values, worked out once per site through `Workspace.memo`.

The rules come from the panel file, never from a panel id:

- business first (`timing.business_minutes`), shared by the standing items before the cases item;
- each case a slot of `slot_minutes`, plus `sibling_extra_minutes` for each further child in the
  item; `case_parts` split a slot into timed parts (the sibling extra goes to the longest part);
- `max_cases` caps the ordinary cases, counted in booking order as the capacity check counts
  them (`generator.schedule.booking`); the rest are tabled to the series' next scheduled meeting;
- `emergency_slots` are kept: an emergency referral fills one, otherwise it is shown kept free;
  an emergency beyond them is heard in an ordinary case slot, after the others;
- request types with `first_slot` are heard first;
- a panel whose cadence gives no start time gets its slots in order, without times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from generator.core.diagnostics import LATE_REFERRAL, Severity
from generator.loading.repository import Doc
from generator.models import Decision, Deferral, Meeting, Panel, Referral
from generator.models.common import minutes_of
from generator.models.panel import AgendaItemKind, Series, Timing, Venue
from generator.pipeline.workspace import Workspace
from generator.schedule.booking import book_meeting
from generator.schedule.meetings import ScheduledMeeting, meetings_between, meetings_from
from generator.schedule.timescales import referral_deadline
from generator.schedule.workdays import WorkingCalendar

_DAY_MINUTES = 24 * 60


class Readiness(StrEnum):
    """Whether a booked case can be heard as it stands."""

    READY = "ready"
    """The referral has no error: it can be heard."""
    INCOMPLETE = "incomplete"
    """The referral has errors other than lateness (papers, authorisations, sections)."""
    LATE = "late"
    """The referral arrived after the panel's referral deadline."""


class SlotKind(StrEnum):
    """What a case slot holds."""

    CASE = "case"
    """An ordinary booked (or selected) case."""
    EMERGENCY = "emergency"
    """An emergency referral in one of the meeting's emergency slots."""
    KEPT_FREE = "kept-free"
    """An emergency slot no referral has taken: kept free for an emergency or late request."""


@dataclass(frozen=True)
class Slot:
    """One case's place on the agenda (or an emergency slot kept free)."""

    case: str
    """The case id ("" for a slot kept free)."""
    referral: Doc[Referral] | None
    """The referral booking it (None for a slot kept free, or a case heard without a referral)."""
    children: tuple[str, ...]
    """Ids of the children the item is about."""
    start: time | None
    """When the slot starts (None where the panel sets no start time)."""
    end: time | None
    """When the slot ends."""
    parts: tuple[tuple[str, time, time], ...]
    """The timed parts of the slot (CMR: summary, discussion, decisions), with their times."""
    emergency: bool
    """The referral asked for the emergency slot."""
    readiness: Readiness
    """Ready, incomplete or late."""
    reasons: tuple[str, ...]
    """Why it is not ready: the messages of the referral's error diagnostics."""
    kind: SlotKind = SlotKind.CASE
    """Case, emergency, or an emergency slot kept free."""
    minutes: int = 0
    """How long the slot lasts."""
    first_slot: bool = False
    """The request type is heard in the first slot."""
    number: str = ""
    """The item number on the agenda ("3.2"); empty for tabled cases."""


@dataclass(frozen=True)
class AgendaEntry:
    """One standing item of the agenda, in order."""

    number: str
    """Its number on the agenda ("1", "2", ...)."""
    title: str
    """The item's title from the panel's standing agenda."""
    kind: AgendaItemKind
    """Standing business, the cases, the conduct statement, or previous actions."""
    start: time | None
    """When the item (or the block of items it belongs to) starts."""
    end: time | None
    """When it ends (None where not known)."""
    statement: str | None = None
    """The statement of conduct and confidentiality, for the conduct item."""
    slots: tuple[Slot, ...] = ()
    """The case slots, for the cases item."""


@dataclass(frozen=True)
class Tabled:
    """A case over the meeting's capacity, tabled to a later meeting."""

    slot: Slot
    """The case as it would have been heard (no times)."""
    to: date | None
    """The series' next scheduled meeting (None for a panel that meets as required)."""


@dataclass(frozen=True)
class Deferred:
    """A case booked for the meeting that the meeting record says was not heard."""

    deferral: Deferral
    """The case, the reason and where it moves to."""
    referral: Doc[Referral] | None
    """Its referral to this meeting, if there is one."""


@dataclass(frozen=True)
class Agenda:
    """One meeting of one panel: the computed agenda and what the meeting record adds."""

    panel_id: str
    """The panel's id."""
    panel: Panel
    """The panel's terms of reference."""
    date: dt.date
    """The meeting date."""
    series: Series | None
    """The series (locality), for panels that meet per locality."""
    start: time | None
    """Scheduled start (the panel's cadence)."""
    end: time | None
    """Latest finish (the panel's cadence)."""
    venue: Venue | None
    """Where it meets: the meeting record's venue, else the schedule's."""
    items: tuple[AgendaEntry, ...]
    """The standing items in order, the case slots under the cases item."""
    slots: tuple[Slot, ...]
    """The case slots in the order heard (emergency slots kept free included)."""
    tabled: tuple[Tabled, ...]
    """Cases over capacity, tabled to the next meeting."""
    deferred: tuple[Deferred, ...]
    """Cases the meeting record defers."""
    record: Doc[Meeting] | None
    """The meeting record, once the meeting is held."""
    referral_deadline: dt.date | None = None
    """The last day a referral may arrive (None: the panel sets no deadline)."""
    scheduled: bool = False
    """The panel's cadence holds a meeting on this date."""
    moved_from: dt.date | None = None
    """The meeting's usual day, when a bank holiday or closure day moved it (the panel's `on_holiday`)."""
    moved_because: str | None = None
    """The bank holiday's or closure's name on `moved_from`."""

    @property
    def cases(self) -> tuple[Slot, ...]:
        """The slots that hold a case (not those kept free)."""
        return tuple(slot for slot in self.slots if slot.kind is not SlotKind.KEPT_FREE)

    @property
    def ready(self) -> int:
        """How many booked cases are ready."""
        return sum(1 for slot in self.cases if slot.readiness is Readiness.READY)

    @property
    def overruns(self) -> bool:
        """The case slots run past the panel's latest finish time."""
        ends = [slot.end for slot in self.slots if slot.end is not None]
        return self.end is not None and bool(ends) and max(ends) > self.end


def meeting_agendas(data: Workspace) -> list[Agenda]:
    """Every meeting's agenda: each (panel, date) with a referral, a meeting record or a decision,
    and each panel's upcoming scheduled meetings; sorted by date, then panel id. Computed once per site.
    """
    return data.view(_all_agendas)


def agenda_for(data: Workspace, panel_id: str, meeting: date) -> Agenda | None:
    """The agenda of one meeting, if the site has it."""
    return data.view(_agenda_index).get((panel_id, meeting))


def _agenda_index(data: Workspace) -> dict[tuple[str, date], Agenda]:
    return {(a.panel_id, a.date): a for a in meeting_agendas(data)}


def slot_minutes(timing: Timing, children: int) -> int:
    """How long a case item about `children` children lasts: the slot plus the extra per further sibling."""
    return timing.slot_minutes + timing.sibling_extra_minutes * max(children - 1, 0)


def readiness_of(data: Workspace, doc: Doc[Referral]) -> tuple[Readiness, tuple[str, ...]]:
    """A referral's readiness and the reasons, from the diagnostics the checks found in its file."""
    errors = [d for d in data.problems(doc.path) if d.severity is Severity.ERROR]
    reasons = tuple(d.message for d in errors)
    if any(d.code == LATE_REFERRAL.code for d in errors):
        return Readiness.LATE, reasons
    if errors:
        return Readiness.INCOMPLETE, reasons
    return Readiness.READY, ()


# --- gathering -----------------------------------------------------------------------------------


def _all_agendas(data: Workspace) -> list[Agenda]:
    repo = data.repo
    booked: dict[tuple[str, date], list[Doc[Referral]]] = defaultdict(list)
    for doc in repo.referrals:
        booked[(doc.model.panel, doc.model.meeting)].append(doc)
    decided: dict[tuple[str, date], list[Doc[Decision]]] = defaultdict(list)
    for decision in repo.decisions:
        decided[(decision.model.panel, decision.model.meeting)].append(decision)
    scheduled = {(panel_id, m.date): m for panel_id, meetings in data.upcoming.items() for m in meetings}
    keys = set(booked) | set(repo.meetings) | set(decided) | set(scheduled)
    agendas = [
        _agenda(
            data,
            panel_id,
            meeting,
            booked.get((panel_id, meeting), []),
            decided.get((panel_id, meeting), []),
            scheduled.get((panel_id, meeting)),
        )
        for panel_id, meeting in keys
        if panel_id in repo.panels
    ]
    return sorted(agendas, key=lambda a: (a.date, a.panel_id))


def _agenda(
    data: Workspace,
    panel_id: str,
    meeting: date,
    referrals: Sequence[Doc[Referral]],
    decisions: Sequence[Doc[Decision]],
    scheduled: ScheduledMeeting | None,
) -> Agenda:
    panel = data.repo.panels[panel_id]
    record = data.repo.meetings.get((panel_id, meeting))
    if scheduled is None:
        scheduled = next(iter(meetings_between(panel, data.calendar, meeting, meeting)), None)
    series = _series(panel, record.model if record else None, scheduled)
    deferrals = {x.case: x for x in record.model.deferred} if record else {}
    booking = book_meeting(referrals, data.arrivals, deferrals.values(), panel.timing)
    by_case = {doc.model.case: doc for doc in referrals}
    deferred = tuple(Deferred(x, by_case.get(x.case)) for x in sorted(deferrals.values(), key=lambda x: x.case))

    unbooked = _heard_without_referral(record.model if record else None, booking.active, deferrals, decisions)
    slots = [_case_slot(data, panel, doc) for doc in booking.within_cap]
    slots += [_unbooked_slot(case, decision) for case, decision in unbooked]
    slots += [_case_slot(data, panel, doc) for doc in booking.no_emergency_slot]
    slots += [_case_slot(data, panel, doc, SlotKind.EMERGENCY) for doc in booking.in_emergency_slot]
    slots += [_free_slot(panel.timing) for _ in range(booking.free_emergency_slots)]
    slots.sort(key=lambda slot: not slot.first_slot)

    start = _clock_minutes(panel.cadence.start)
    end = _clock_minutes(panel.cadence.end)
    items, timed = _place(panel, slots, start, end)
    next_date = _next_meeting(panel, data.calendar, meeting, series) if booking.tabled else None
    return Agenda(
        panel_id=panel_id,
        panel=panel,
        date=meeting,
        series=series,
        start=_clock(start),
        end=_clock(end),
        venue=_venue(panel, record.model if record else None, scheduled),
        items=items,
        slots=timed,
        tabled=tuple(Tabled(_case_slot(data, panel, doc), next_date) for doc in booking.tabled),
        deferred=deferred,
        record=record,
        referral_deadline=referral_deadline(panel, meeting, data.calendar),
        scheduled=scheduled is not None,
        moved_from=scheduled.moved_from if scheduled else None,
        moved_because=scheduled.moved_because if scheduled else None,
    )


def _heard_without_referral(
    record: Meeting | None,
    active: Sequence[Doc[Referral]],
    deferrals: Mapping[str, Deferral],
    decisions: Sequence[Doc[Decision]],
) -> list[tuple[str, Doc[Decision] | None]]:
    """Cases the record says were heard (or that have a decision) but that no referral booked."""
    booked = {doc.model.case for doc in active} | set(deferrals)
    by_case = {doc.model.case: doc for doc in decisions}
    heard = list(record.heard) if record else []
    heard += sorted(case for case in by_case if case not in heard)
    return [(case, by_case.get(case)) for case in heard if case not in booked]


def _case_slot(data: Workspace, panel: Panel, doc: Doc[Referral], kind: SlotKind = SlotKind.CASE) -> Slot:
    referral = doc.model
    readiness, reasons = readiness_of(data, doc)
    request = panel.request_type(referral.request)
    return Slot(
        case=referral.case,
        referral=doc,
        children=tuple(referral.children),
        start=None,
        end=None,
        parts=(),
        emergency=referral.emergency,
        readiness=readiness,
        reasons=reasons,
        kind=kind,
        minutes=slot_minutes(panel.timing, len(referral.children)),
        first_slot=bool(request and request.first_slot),
    )


def _unbooked_slot(case: str, decision: Doc[Decision] | None) -> Slot:
    children = tuple(decision.model.children) if decision else ()
    return Slot(case, None, children, None, None, (), False, Readiness.READY, (), SlotKind.CASE)


def _free_slot(timing: Timing) -> Slot:
    return Slot("", None, (), None, None, (), True, Readiness.READY, (), SlotKind.KEPT_FREE, timing.slot_minutes)


# --- placing items and slots in time ---------------------------------------------------------------


def _place(
    panel: Panel, slots: list[Slot], start: int | None, end: int | None
) -> tuple[tuple[AgendaEntry, ...], tuple[Slot, ...]]:
    """Number the items and slots and give them times, the business block first."""
    cases_at = next(i for i, item in enumerate(panel.agenda) if item.kind is AgendaItemKind.CASES)
    number = str(cases_at + 1)
    cursor = None if start is None else start + panel.timing.business_minutes
    timed: list[Slot] = []
    for index, slot in enumerate(slots, 1):
        slot_end = None if cursor is None else cursor + slot.minutes
        timed.append(
            dataclasses.replace(
                slot,
                number=f"{number}.{index}",
                start=_clock(cursor),
                end=_clock(slot_end),
                parts=_parts(panel.timing, slot, cursor),
            )
        )
        cursor = slot_end
    cases_end = cursor
    entries: list[AgendaEntry] = []
    for index, item in enumerate(panel.agenda):
        if index < cases_at:
            span = (start, None if start is None else start + panel.timing.business_minutes)
        elif index == cases_at:
            span = (start + panel.timing.business_minutes if start is not None else None, cases_end)
        else:
            span = (cases_end, end if end is not None and cases_end is not None and end > cases_end else None)
        entries.append(
            AgendaEntry(
                number=str(index + 1),
                title=item.title,
                kind=item.kind,
                start=_clock(span[0]),
                end=_clock(span[1]),
                statement=panel.conduct_statement if item.kind is AgendaItemKind.CONDUCT else None,
                slots=tuple(timed) if index == cases_at else (),
            )
        )
    return tuple(entries), tuple(timed)


def _parts(timing: Timing, slot: Slot, start: int | None) -> tuple[tuple[str, time, time], ...]:
    if start is None or not timing.case_parts or slot.kind is SlotKind.KEPT_FREE:
        return ()
    extra = slot.minutes - timing.slot_minutes
    longest = max(range(len(timing.case_parts)), key=lambda i: (timing.case_parts[i].minutes, -i))
    parts: list[tuple[str, time, time]] = []
    cursor = start
    for index, part in enumerate(timing.case_parts):
        length = part.minutes + (extra if index == longest else 0)
        begins, ends = _clock(cursor), _clock(cursor + length)
        if begins is None or ends is None:
            return ()
        parts.append((part.name, begins, ends))
        cursor += length
    return tuple(parts)


def _clock_minutes(value: str | None) -> int | None:
    return minutes_of(value) if value else None


def _clock(minutes: int | None) -> time | None:
    """The time of day `minutes` after midnight; None when unknown or past the end of the day."""
    if minutes is None or not 0 <= minutes < _DAY_MINUTES:
        return None
    return time(minutes // 60, minutes % 60)


# --- where and which series ----------------------------------------------------------------------


def _series(panel: Panel, record: Meeting | None, scheduled: ScheduledMeeting | None) -> Series | None:
    if record is not None and record.series is not None:
        return next((s for s in panel.series if s.id == record.series), None)
    return scheduled.series if scheduled else None


def _venue(panel: Panel, record: Meeting | None, scheduled: ScheduledMeeting | None) -> Venue | None:
    if record is not None and record.venue is not None:
        found = next((v for v in panel.venues if v.id == record.venue), None)
        if found is not None:
            return found
    if scheduled is not None and scheduled.venue is not None:
        return scheduled.venue
    if len(panel.cadence.venues) == 1:
        return next((v for v in panel.venues if v.id == panel.cadence.venues[0]), None)
    return None


def _next_meeting(panel: Panel, cal: WorkingCalendar, after: date, series: Series | None) -> date | None:
    """The next scheduled meeting after `after` in the same series (None for a panel meeting as required)."""
    runs = max(len(panel.series), 1)
    coming = meetings_from(panel, cal, after + timedelta(days=1), 2 * runs)
    same = [m for m in coming if series is None or (m.series is not None and m.series.id == series.id)]
    return same[0].date if same else None
