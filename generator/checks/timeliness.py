"""Time rules: referral deadlines, meeting dates, eligibility clocks and terms past review.

Where each trigger's clock starts is `generator.schedule.clocks` (its "eligibility at a meeting"
question); here are only the diagnostics that say what the clocks show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Case, Panel, Referral
from generator.models.panel import DeadlineRule, Frequency, Series, Trigger, TriggerKind
from generator.schedule.clocks import eligibility_clock, reunification_plan_by, unplanned_entry
from generator.schedule.local_time import arrival_date
from generator.schedule.meetings import is_meeting_date
from generator.schedule.timescales import referral_deadline
from generator.schedule.workdays import WorkingCalendar

_NO_START = {
    TriggerKind.UNPLANNED_ENTRY_TO_CARE: "the case records no unplanned entry to care",
    TriggerKind.OPEN_AS_CIN_OR_CP: "the case records no date it was opened or a plan began",
    TriggerKind.CP_PLAN_LONGER_THAN: "no child protection plan is current at the meeting date",
    TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN: "the case records no entry to care",
}
"""Why a referral's ground does not apply when the trigger's clock has nothing to start from."""


def check_timeliness(
    repo: Repository, cal: WorkingCalendar, *, as_of: date, arrivals: Mapping[str, datetime | None]
) -> list[Diagnostic]:
    """Lateness, meeting dates, eligibility and presentation clocks, and terms past review."""
    found: list[Diagnostic] = []
    for doc in repo.referrals:
        panel = repo.panels.get(doc.model.panel)
        case_doc = repo.cases.get(doc.model.case)
        if panel is None:
            continue
        found += _meeting_date(repo, panel, doc, cal)
        found += _lateness(panel, doc, cal, arrivals.get(doc.path))
        if case_doc is not None:
            found += _eligibility(panel, doc, case_doc.model, cal)
    for panel_id, panel_doc in sorted(repo.panel_docs.items()):
        found += _holiday_rule(panel_doc)
        review_due = panel_doc.model.terms.review_due
        if review_due < as_of:
            found.append(
                d.make(
                    d.TERMS_PAST_REVIEW,
                    panel_doc.path,
                    panel_doc.line("terms", "review_due"),
                    f"the terms of reference of '{panel_id}' were due for review on {review_due}",
                    "review the terms and record the new approved and review_due dates",
                )
            )
    return found


def _holiday_rule(panel_doc: Doc[Panel]) -> list[Diagnostic]:
    """A warning for each series of scheduled meetings that does not say what a bank holiday does."""
    panel = panel_doc.model
    cadence = panel.cadence
    if cadence.frequency is Frequency.AS_REQUIRED or cadence.states_holiday_rule():
        return []
    where: list[tuple[Series | None, int]] = [(None, panel_doc.line("cadence"))] if not panel.series else []
    where += [(s, panel_doc.line("series", i)) for i, s in enumerate(panel.series) if s.on_holiday is None]
    return [
        d.make(
            d.HOLIDAY_RULE_UNSTATED,
            panel_doc.path,
            line,
            f"{panel.short_name}{f' ({series.name})' if series else ''} meets {cadence.frequency}"
            " but does not say what happens when its day is a bank holiday or closure day",
            "add `on_holiday: next-working-day` (or previous-working-day, skip, hold) under `cadence`",
        )
        for series, line in where
    ]


def _meeting_date(repo: Repository, panel: Panel, doc: Doc[Referral], cal: WorkingCalendar) -> list[Diagnostic]:
    meeting = doc.model.meeting
    if (panel.id, meeting) in repo.meetings:
        return []
    if panel.cadence.frequency is Frequency.AS_REQUIRED:
        if cal.is_working_day(meeting):
            return []
    elif is_meeting_date(panel, cal, meeting):
        return []
    return [
        d.make(
            d.NOT_A_MEETING_DATE,
            doc.path,
            doc.line("meeting"),
            f"panel '{panel.id}' does not sit on {meeting} ({meeting:%A})",
            f"see `panel meetings {panel.id}` for its dates; rename the file to match",
        )
    ]


def _lateness(panel: Panel, doc: Doc[Referral], cal: WorkingCalendar, arrived: datetime | None) -> list[Diagnostic]:
    if arrived is None or panel.referral.deadline is DeadlineRule.NONE:
        return []
    deadline = referral_deadline(panel, doc.model.meeting, cal)
    if deadline is None or arrival_date(arrived) <= deadline:
        return []
    request = panel.request_type(doc.model.request)
    if doc.model.emergency and panel.timing.emergency_slots > 0:
        return []
    if request is not None and request.first_slot:
        return []
    return [
        d.make(
            d.LATE_REFERRAL,
            doc.path,
            doc.line("meeting"),
            f"the referral entered the repository on {arrival_date(arrived)}, after the deadline of {deadline} "
            f"for the {panel.short_name} meeting on {doc.model.meeting}",
            "the chair may defer it; move it to a later meeting, or ask the coordinator for the emergency slot",
        )
    ]


def _eligibility(panel: Panel, doc: Doc[Referral], case: Case, cal: WorkingCalendar) -> list[Diagnostic]:
    referral = doc.model
    found: list[Diagnostic] = []
    request = panel.request_type(referral.request)
    if request is not None and request.present_within is not None:
        entry = unplanned_entry(case, referral.children)
        if entry is None:
            found.append(
                d.make(
                    d.INELIGIBLE_REFERRAL,
                    doc.path,
                    doc.line("request"),
                    f"a {request.name} request needs an unplanned entry to care, and the case records none",
                    "add the `entered-care` event with its basis to the case file, or choose another request type",
                )
            )
        else:
            due = cal.after(entry, request.present_within)
            if referral.meeting > due:
                found.append(_overdue(doc, entry, due))
    trigger = next((t for t in panel.triggers if t.id == referral.ground), None)
    if trigger is not None:
        found += _trigger(doc, trigger, case, cal)
    return found


def _trigger(doc: Doc[Referral], trigger: Trigger, case: Case, cal: WorkingCalendar) -> list[Diagnostic]:
    referral = doc.model
    meeting = referral.meeting
    kind = trigger.kind
    if kind is TriggerKind.PROFESSIONAL_JUDGEMENT:
        return []
    clock = eligibility_clock(trigger, case, referral.children, meeting, cal)
    if clock is None:
        return [_ineligible(doc, trigger, _NO_START[kind])]
    start, due, met = clock.start, clock.due, clock.met_on(meeting)
    if kind is TriggerKind.UNPLANNED_ENTRY_TO_CARE:
        return [_overdue(doc, start, due)] if met else []
    if kind is TriggerKind.OPEN_AS_CIN_OR_CP:
        return [] if met else [_ineligible(doc, trigger, f"it has been open since {start}, until {due}")]
    if kind is TriggerKind.CP_PLAN_LONGER_THAN:
        return [] if met else [_ineligible(doc, trigger, f"the plan began on {start}, so only after {due}")]
    plan = reunification_plan_by(case, referral.children, meeting)
    if plan is not None and plan <= due:
        return [_ineligible(doc, trigger, f"a reunification plan was agreed on {plan}")]
    return [] if met else [_ineligible(doc, trigger, f"the {trigger.within} have not passed since {start}")]


def _ineligible(doc: Doc[Referral], trigger: Trigger, why: str) -> Diagnostic:
    return d.make(
        d.INELIGIBLE_REFERRAL,
        doc.path,
        doc.line("ground"),
        f"the ground '{trigger.id}' does not apply at the meeting date: {why}",
        f"check the case's key events; the ground is: {trigger.description}",
    )


def _overdue(doc: Doc[Referral], entry: date, due: date) -> Diagnostic:
    return d.make(
        d.PRESENTATION_OVERDUE,
        doc.path,
        doc.line("meeting"),
        f"the child came into care on {entry} and had to be presented by {due}; the meeting is {doc.model.meeting}",
        "bring the case to the first available meeting (use the emergency slot) and record why it was late",
    )
