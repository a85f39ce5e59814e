"""Trigger clocks from a case's key events: where each kind of trigger's clock starts, and when it runs out.

Two questions are asked of the same events, and each has its own functions here:

- eligibility at a meeting (`eligibility_start`, `eligibility_clock`, `unplanned_entry`,
  `reunification_plan_by`): for the children a referral names, on its meeting date. The
  `ineligible-referral` and `presentation-overdue` checks ask it.
- on the radar on `as_of` (`radar_start`, `radar_clock`): for one child, on the day the site
  describes. The drift radar asks it.

They share the events that concern some children (`events_of`), the child protection plan walk
(`cp_plan_spans`, `open_plan_start`, `cp_plan_start`), the latest entry to care on given bases
(`latest_entry`), the due date (`generator.schedule.timescales.trigger_due`) and when a clock is
met (`Clock.met_on`). They differ, and keep their differences, here:

- open as CIN or CP: at a meeting, the first `opened`, `cin-plan-started` or `cp-plan-started`
  on or before it; on the radar, the first since the child's case was last `closed`, and only for
  a child whose legal status is CIN or CP;
- CP plan longer than: the start of the plan current on the day, for both;
- unplanned entry to care: the latest emergency entry; at a meeting whenever it is recorded (even
  after the meeting), on the radar on or before `as_of`;
- s20 without a reunification plan: at a meeting, the first entry to care on any basis on or
  before it, stopped by a reunification plan agreed (on or before the meeting) by the due date;
  on the radar, the latest entry under section 20 for a child whose legal status is s20, stopped
  by a reunification plan agreed since that entry.

A trigger with no clock (professional judgement) has no start in either.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from generator.models import Case, Child, EntryBasis, EventKind, KeyEvent, LegalStatus
from generator.models.panel import Trigger, TriggerKind
from generator.schedule.timescales import trigger_due
from generator.schedule.workdays import WorkingCalendar

EMERGENCY_BASES = frozenset({EntryBasis.S20_EMERGENCY, EntryBasis.POLICE_PROTECTION, EntryBasis.EPO})
"""Entries to care that count as unplanned: emergency section 20, police protection, an EPO."""
S20_BASES = frozenset({EntryBasis.S20_PLANNED, EntryBasis.S20_EMERGENCY})
"""Entries to care under section 20 (planned or emergency accommodation)."""
OPENING_EVENTS = frozenset({EventKind.OPENED, EventKind.CIN_PLAN_STARTED, EventKind.CP_PLAN_STARTED})
"""The events an open-as-CIN-or-CP clock starts from."""
OPEN_STATUSES = frozenset({LegalStatus.CIN, LegalStatus.CP})
"""The legal statuses of a child open as CIN or CP, on the radar."""
CLOCKED_KINDS = frozenset(
    {
        TriggerKind.OPEN_AS_CIN_OR_CP,
        TriggerKind.CP_PLAN_LONGER_THAN,
        TriggerKind.UNPLANNED_ENTRY_TO_CARE,
        TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN,
    }
)
"""The kinds of trigger with a clock (every kind but professional judgement)."""
STRICTLY_AFTER = frozenset({TriggerKind.CP_PLAN_LONGER_THAN, TriggerKind.UNPLANNED_ENTRY_TO_CARE})
"""Triggers met only after the clock runs out ("more than 7 months", "within 7 working days")."""


@dataclass(frozen=True, slots=True)
class Clock:
    """One trigger's clock for some children: the day it started and the day it runs out."""

    kind: TriggerKind
    """The kind of trigger it measures."""
    start: date
    """The day the clock started (the event it is measured from)."""
    due: date
    """The day it runs out: the trigger is met from here (or, for presentation, this is the last day)."""

    def met_on(self, day: date) -> bool:
        """The clock has run out on `day`: after `due` for the kinds in `STRICTLY_AFTER`, else on or after it."""
        return day > self.due if self.kind in STRICTLY_AFTER else day >= self.due


@dataclass(frozen=True, slots=True)
class PlanSpan:
    """One child protection plan, from its `cp-plan-started` to its `cp-plan-ended`."""

    start: date
    """When the plan started."""
    end: date | None
    """When it ended (None: still open at the last event walked)."""


def start_clock(trigger: Trigger, start: date, cal: WorkingCalendar) -> Clock:
    """The trigger's clock started on `start`, due by `trigger_due`."""
    return Clock(trigger.kind, start, trigger_due(trigger, start, cal))


def concerns(event: KeyEvent, children: Collection[str]) -> bool:
    """The event is about one of `children` (an event naming no children is about every child)."""
    return not event.children or bool(set(event.children) & set(children))


def events_of(case: Case, children: Collection[str], *, until: date | None = None) -> list[KeyEvent]:
    """The case's events about any of `children`, on or before `until` (None: all), oldest first."""
    chosen = (e for e in case.events if (until is None or e.date <= until) and concerns(e, children))
    return sorted(chosen, key=lambda e: e.date)


def cp_plan_spans(events: Iterable[KeyEvent]) -> list[PlanSpan]:
    """The child protection plans in `events` (oldest first), from `cp-plan-started` and `cp-plan-ended`.

    A start while a plan is open continues it; an end with no open plan is ignored.
    """
    spans: list[PlanSpan] = []
    start: date | None = None
    for event in events:
        if event.kind is EventKind.CP_PLAN_STARTED and start is None:
            start = event.date
        elif event.kind is EventKind.CP_PLAN_ENDED and start is not None:
            spans.append(PlanSpan(start, event.date))
            start = None
    if start is not None:
        spans.append(PlanSpan(start, None))
    return spans


def open_plan_start(events: Iterable[KeyEvent]) -> date | None:
    """The start of the child protection plan still open after `events` (oldest first; None: none is)."""
    spans = cp_plan_spans(events)
    return spans[-1].start if spans and spans[-1].end is None else None


def cp_plan_start(case: Case, children: Collection[str], at: date) -> date | None:
    """The start of the child protection plan of any of `children` current on `at` (None: none is)."""
    return open_plan_start(events_of(case, children, until=at))


def latest_entry(events: Iterable[KeyEvent], bases: Collection[EntryBasis]) -> date | None:
    """The latest entry to care in `events` on one of `bases`."""
    return max((e.date for e in events if e.kind is EventKind.ENTERED_CARE and e.basis in bases), default=None)


def _first(events: Iterable[KeyEvent], kinds: Collection[EventKind]) -> date | None:
    return min((e.date for e in events if e.kind in kinds), default=None)


# --- eligibility at a meeting --------------------------------------------------------------------


def unplanned_entry(case: Case, children: Collection[str]) -> date | None:
    """Eligibility at a meeting: the latest unplanned entry to care of any of `children`, whenever recorded."""
    return latest_entry(events_of(case, children), EMERGENCY_BASES)


def reunification_plan_by(case: Case, children: Collection[str], meeting: date) -> date | None:
    """Eligibility at a meeting: the first reunification plan agreed for any of `children` on or before `meeting`."""
    return _first(events_of(case, children, until=meeting), {EventKind.REUNIFICATION_PLAN_AGREED})


def eligibility_start(kind: TriggerKind, case: Case, children: Collection[str], meeting: date) -> date | None:
    """Eligibility at a meeting: where a trigger's clock starts for the referred `children` (None: it cannot).

    Open as CIN or CP: the first opening or plan on or before the meeting. CP plan longer than:
    the start of the plan current at the meeting. Unplanned entry: the latest emergency entry
    (`unplanned_entry`). s20 without a reunification plan: the first entry to care, on any basis,
    on or before the meeting.
    """
    if kind is TriggerKind.OPEN_AS_CIN_OR_CP:
        return _first(events_of(case, children, until=meeting), OPENING_EVENTS)
    if kind is TriggerKind.CP_PLAN_LONGER_THAN:
        return cp_plan_start(case, children, meeting)
    if kind is TriggerKind.UNPLANNED_ENTRY_TO_CARE:
        return unplanned_entry(case, children)
    if kind is TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN:
        return _first(events_of(case, children, until=meeting), {EventKind.ENTERED_CARE})
    return None


def eligibility_clock(
    trigger: Trigger, case: Case, children: Collection[str], meeting: date, cal: WorkingCalendar
) -> Clock | None:
    """Eligibility at a meeting: the trigger's clock for the referred `children` (None: it cannot start)."""
    start = eligibility_start(trigger.kind, case, children, meeting)
    return None if start is None else start_clock(trigger, start, cal)


# --- on the radar on as_of -----------------------------------------------------------------------


def _open_since(events: list[KeyEvent], child: Child) -> date | None:
    if child.legal_status not in OPEN_STATUSES:
        return None
    closed = max((e.date for e in events if e.kind is EventKind.CLOSED), default=None)
    return _first((e for e in events if closed is None or e.date > closed), OPENING_EVENTS)


def _plan_since(events: list[KeyEvent], child: Child) -> date | None:
    return open_plan_start(events)


def _unplanned_since(events: list[KeyEvent], child: Child) -> date | None:
    return latest_entry(events, EMERGENCY_BASES)


def _s20_since(events: list[KeyEvent], child: Child) -> date | None:
    return latest_entry(events, S20_BASES) if child.legal_status is LegalStatus.S20 else None


_RADAR_STARTS: dict[TriggerKind, Callable[[list[KeyEvent], Child], date | None]] = {
    TriggerKind.OPEN_AS_CIN_OR_CP: _open_since,
    TriggerKind.CP_PLAN_LONGER_THAN: _plan_since,
    TriggerKind.UNPLANNED_ENTRY_TO_CARE: _unplanned_since,
    TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN: _s20_since,
}
"""Where each kind of trigger's clock starts for one child, from the child's events up to `as_of`."""


def radar_start(kind: TriggerKind, case: Case, child: Child, as_of: date) -> date | None:
    """On the radar on `as_of`: where a trigger's clock starts for one child (None: the trigger cannot apply).

    Open as CIN or CP: the first opening or plan since the case was last closed, for a child whose
    legal status is CIN or CP. CP plan longer than: the start of the plan current on `as_of`.
    Unplanned entry: the latest emergency entry. s20 without a reunification plan: the latest
    entry under section 20, for a child whose legal status is s20.
    """
    rule = _RADAR_STARTS.get(kind)
    return None if rule is None else rule(events_of(case, [child.id], until=as_of), child)


def radar_clock(trigger: Trigger, case: Case, child: Child, as_of: date, cal: WorkingCalendar) -> Clock | None:
    """On the radar on `as_of`: the trigger's clock for one child if the trigger is met that day, else None.

    An s20 clock is stopped by a reunification plan agreed on or after its start.
    """
    start = radar_start(trigger.kind, case, child, as_of)
    if start is None or trigger.within is None:
        return None
    clock = start_clock(trigger, start, cal)
    if not clock.met_on(as_of):
        return None
    if trigger.kind is TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN and any(
        e.kind is EventKind.REUNIFICATION_PLAN_AGREED and e.date >= start
        for e in events_of(case, [child.id], until=as_of)
    ):
        return None
    return clock
