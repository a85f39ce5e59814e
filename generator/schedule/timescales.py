"""Deadlines a panel's rules set around a meeting: referral, after-meeting duties, triggers."""

from __future__ import annotations

from datetime import date, timedelta

from generator.core.errors import UsageError
from generator.models.panel import DeadlineRule, Panel, Trigger, TriggerKind
from generator.schedule.workdays import WorkingCalendar

_FRIDAY = 4


def referral_deadline(panel: Panel, meeting: date, cal: WorkingCalendar) -> date | None:
    """The last day a referral to the meeting on `meeting` may arrive, or None if there is none.

    - friday-before: the Friday strictly before the meeting (a Friday meeting's is a week
      earlier), moved to the working day before if that Friday is not a working day;
    - working-days-before: `days` working days before the meeting, the meeting day not counted;
    - days-before: `days` calendar days before, moved earlier if not a working day;
    - none: no deadline.
    """
    rules = panel.referral
    if rules.deadline is DeadlineRule.FRIDAY_BEFORE:
        return cal.on_or_before(_friday_before(meeting))
    if rules.deadline is DeadlineRule.NONE or rules.days is None:
        return None
    if rules.deadline is DeadlineRule.WORKING_DAYS_BEFORE:
        return cal.subtract_working_days(meeting, rules.days)
    return cal.on_or_before(meeting - timedelta(days=rules.days))


def due_dates(panel: Panel, meeting: date, cal: WorkingCalendar) -> dict[str, date]:
    """When each after-meeting duty and each outcome's follow-up falls due, counted from `meeting`.

    Keys are duty ids and the ids of outcomes that set a timescale. Raises ValueError if a duty
    and an outcome share an id, since their due dates could not be told apart.
    """
    duties = {duty.id: cal.after(meeting, duty.within) for duty in panel.after_meeting}
    follow_ups = {o.id: cal.after(meeting, o.within) for o in panel.outcomes if o.within}
    shared = sorted(duties.keys() & follow_ups.keys())
    if shared:
        raise ValueError(f"panel {panel.id}: {', '.join(shared)} is both a duty and an outcome id")
    return duties | follow_ups


def trigger_due(trigger: Trigger, start: date, cal: WorkingCalendar) -> date:
    """The date the trigger's clock, started on `start`, runs out.

    An anniversary (open six months, five days in s20, seven months on a plan) is the calendar
    date (`WorkingCalendar.anniversary`), never moved; a deadline (present within seven working
    days) moves as deadlines do (`WorkingCalendar.after`). Raises ValueError for a trigger
    without a clock (professional judgement).
    """
    if trigger.within is None:
        raise ValueError(f"trigger {trigger.id} has no timescale")
    if trigger.kind.is_anniversary:
        return cal.anniversary(start, trigger.within)
    return cal.after(start, trigger.within)


def present_by(panel: Panel, entered_care: date, cal: WorkingCalendar) -> date:
    """The last day a child who came into care unplanned on `entered_care` may be presented.

    Raises UsageError if the panel has no unplanned-entry-to-care trigger.
    """
    kind = TriggerKind.UNPLANNED_ENTRY_TO_CARE
    trigger = next((t for t in panel.triggers if t.kind is kind), None)
    if trigger is None:
        raise UsageError(f"panel {panel.id} has no {kind} trigger, so it sets no date to present by")
    return trigger_due(trigger, entered_care, cal)


def _friday_before(d: date) -> date:
    days_back = (d.weekday() - _FRIDAY) % 7 or 7
    return d - timedelta(days=days_back)
