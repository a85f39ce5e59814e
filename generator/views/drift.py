"""The drift radar: children who meet a panel's trigger on `as_of` but have not been brought to it.

Every rule comes from the panels' `triggers` and the cases' key events; nothing names a panel or a
number. For each trigger with a clock, each child's clock starts at an event and runs for the
trigger's `within`: where each kind starts, and when it is met, is `generator.schedule.clocks`
(its "on the radar on `as_of`" question, `radar_clock`).

A child is on the radar when the trigger is met and no referral to that panel (nor a decision of
it) for that child has a meeting on or after the day the clock started. Days past are working days
after the due date, as in the trackers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from generator.models.panel import Trigger
from generator.pipeline.workspace import Workspace
from generator.schedule.clocks import CLOCKED_KINDS, radar_clock
from generator.views.trackers import working_days_past


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
        if trigger.within is not None and trigger.kind in CLOCKED_KINDS
    ]
    for case_id, doc in sorted(data.repo.cases.items()):
        case = doc.model
        for panel_id, trigger in clocked:
            groups: dict[tuple[date, date], list[str]] = defaultdict(list)
            for child in case.children:
                clock = radar_clock(trigger, case, child, data.as_of, data.calendar)
                if clock is None:
                    continue
                dates = brought.get((case_id, panel_id, child.id), ())
                if not any(meeting >= clock.start for meeting in dates):
                    groups[(clock.start, clock.due)].append(child.id)
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
