"""The drift radar: children who meet a panel's trigger on `as_of` but have not been brought to it.

Every rule comes from the panels' `triggers` and the cases' key events; nothing names a panel or a
number. For each trigger with a clock, each child's clock starts at an event and runs for the
trigger's `within`:

- open as CIN or CP: from the first `opened`, `cin-plan-started` or `cp-plan-started` since the
  child's case was last closed, for a child whose legal status is CIN or CP; met once the time has
  run (six months or more);
- CP plan longer than: from the start of the plan current on `as_of`; met once it has run longer;
- unplanned entry to care: from the latest emergency entry to care (s20 emergency, police
  protection, EPO); met once the time to present the child has passed;
- s20 without a reunification plan: from the latest entry to care under s20, for a child still
  accommodated under s20 with no `reunification-plan-agreed` since; met once the time has run.

A child is on the radar when the trigger is met and no referral to that panel (nor a decision of
it) for that child has a meeting on or after the day the clock started. Days past are working days
after the due date, as in the trackers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from generator.models import Case, Child, EntryBasis, EventKind, KeyEvent, LegalStatus
from generator.models.panel import Trigger, TriggerKind
from generator.pipeline.workspace import Workspace
from generator.schedule.timescales import trigger_due
from generator.views.trackers import working_days_past

EMERGENCY_BASES = frozenset({EntryBasis.S20_EMERGENCY, EntryBasis.POLICE_PROTECTION, EntryBasis.EPO})
"""Entries to care that count as unplanned (the same as the eligibility check's)."""
S20_BASES = frozenset({EntryBasis.S20_PLANNED, EntryBasis.S20_EMERGENCY})
"""Entries to care under section 20."""
_OPENING = frozenset({EventKind.OPENED, EventKind.CIN_PLAN_STARTED, EventKind.CP_PLAN_STARTED})
_OPEN_STATUSES = frozenset({LegalStatus.CIN, LegalStatus.CP})


@dataclass(frozen=True, slots=True)
class DriftEntry:
    """Children of one case who meet one panel's trigger and have not been brought to it."""

    case: str
    """The case id."""
    children: tuple[str, ...]
    """The children's ids within the case."""
    panel: str
    """The panel id."""
    trigger: Trigger
    """The trigger met."""
    since: date
    """The day the trigger's clock started (the event it is measured from)."""
    due: date
    """The day the clock ran out: the trigger is met from here (or, for presentation, the last day)."""
    days_past: int
    """Working days after `due` on `as_of`."""


def drift_radar(data: Workspace) -> tuple[DriftEntry, ...]:
    """Every child on the radar, most days past first, then by panel, case and trigger."""
    return data.view(_radar)


def _radar(data: Workspace) -> tuple[DriftEntry, ...]:
    brought = _brought(data)
    found: list[DriftEntry] = []
    clocked = [
        (panel_id, trigger)
        for panel_id, panel in sorted(data.repo.panels.items())
        for trigger in panel.triggers
        if trigger.within is not None and trigger.kind in _CLOCKS
    ]
    for case_id, doc in sorted(data.repo.cases.items()):
        case = doc.model
        for panel_id, trigger in clocked:
            groups: dict[tuple[date, date], list[str]] = defaultdict(list)
            for child in case.children:
                clock = trigger_clock(trigger, case, child, data)
                if clock is None:
                    continue
                since, due = clock
                dates = brought.get((case_id, panel_id, child.id), ())
                if not any(meeting >= since for meeting in dates):
                    groups[(since, due)].append(child.id)
            for (since, due), children in sorted(groups.items()):
                days = working_days_past(data, due)
                found.append(DriftEntry(case_id, tuple(children), panel_id, trigger, since, due, days))
    return tuple(sorted(found, key=lambda e: (-e.days_past, e.panel, e.case, e.trigger.id, e.since)))


def _brought(data: Workspace) -> dict[tuple[str, str, str], list[date]]:
    """Meeting dates each child was referred to, or decided on by, each panel."""
    brought: dict[tuple[str, str, str], list[date]] = defaultdict(list)
    for referral in data.repo.referrals:
        model = referral.model
        for child in model.children:
            brought[(model.case, model.panel, child)].append(model.meeting)
    for decision in data.repo.decisions:
        decided = decision.model
        for child in decided.children:
            brought[(decided.case, decided.panel, child)].append(decided.meeting)
    return brought


def trigger_clock(trigger: Trigger, case: Case, child: Child, data: Workspace) -> tuple[date, date] | None:
    """(start, due) of the trigger's clock for one child if the trigger is met on `data.as_of`, else None."""
    rule = _CLOCKS.get(trigger.kind)
    if rule is None or trigger.within is None:
        return None
    events = [e for e in case.events if e.date <= data.as_of and (not e.children or child.id in e.children)]
    start = rule(sorted(events, key=lambda e: e.date), child)
    if start is None:
        return None
    due = trigger_due(trigger, start, data.calendar)
    met = data.as_of > due if trigger.kind in _STRICTLY_AFTER else data.as_of >= due
    if not met:
        return None
    if trigger.kind is TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN and any(
        e.kind is EventKind.REUNIFICATION_PLAN_AGREED and e.date >= start for e in events
    ):
        return None
    return start, due


def _open_since(events: list[KeyEvent], child: Child) -> date | None:
    if child.legal_status not in _OPEN_STATUSES:
        return None
    closed = max((e.date for e in events if e.kind is EventKind.CLOSED), default=None)
    starts = [e.date for e in events if e.kind in _OPENING and (closed is None or e.date > closed)]
    return min(starts, default=None)


def _plan_since(events: list[KeyEvent], child: Child) -> date | None:
    start: date | None = None
    for event in events:
        if event.kind is EventKind.CP_PLAN_STARTED:
            start = start or event.date
        elif event.kind is EventKind.CP_PLAN_ENDED:
            start = None
    return start


def _entry(bases: Iterable[EntryBasis]) -> Callable[[list[KeyEvent], Child], date | None]:
    wanted = frozenset(bases)

    def latest(events: list[KeyEvent], child: Child) -> date | None:
        return max((e.date for e in events if e.kind is EventKind.ENTERED_CARE and e.basis in wanted), default=None)

    return latest


def _s20_since(events: list[KeyEvent], child: Child) -> date | None:
    if child.legal_status is not LegalStatus.S20:
        return None
    return _entry(S20_BASES)(events, child)


_CLOCKS: dict[TriggerKind, Callable[[list[KeyEvent], Child], date | None]] = {
    TriggerKind.OPEN_AS_CIN_OR_CP: _open_since,
    TriggerKind.CP_PLAN_LONGER_THAN: _plan_since,
    TriggerKind.UNPLANNED_ENTRY_TO_CARE: _entry(EMERGENCY_BASES),
    TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN: _s20_since,
}
"""Where each kind of trigger's clock starts for one child (None: the trigger cannot apply)."""
_STRICTLY_AFTER = frozenset({TriggerKind.CP_PLAN_LONGER_THAN, TriggerKind.UNPLANNED_ENTRY_TO_CARE})
"""Triggers met only after the clock runs out ("more than 7 months", "within 7 working days")."""
