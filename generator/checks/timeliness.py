"""Time rules: referral deadlines, meeting dates, eligibility clocks and terms past review."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Case, EntryBasis, EventKind, Panel, Referral
from generator.models.panel import DeadlineRule, Frequency, Trigger, TriggerKind
from generator.schedule.meetings import is_meeting_date
from generator.schedule.timescales import referral_deadline, trigger_due
from generator.schedule.workdays import WorkingCalendar

LOCAL_TIME = ZoneInfo("Europe/London")
"""Deadlines are days in England: an arrival time is judged by its date in UK local time."""

_EMERGENCY_BASES = frozenset({EntryBasis.S20_EMERGENCY, EntryBasis.POLICE_PROTECTION, EntryBasis.EPO})


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


def arrival_date(arrived: datetime) -> date:
    """The UK date of an arrival time (naive times are taken as UK local time)."""
    if arrived.tzinfo is None:
        return arrived.date()
    return arrived.astimezone(LOCAL_TIME).date()


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
        entry = _emergency_entry(case, referral.children)
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
    if kind is TriggerKind.UNPLANNED_ENTRY_TO_CARE:
        entry = _emergency_entry(case, referral.children)
        if entry is None:
            return [_ineligible(doc, trigger, "the case records no unplanned entry to care")]
        due = trigger_due(trigger, entry, cal)
        return [_overdue(doc, entry, due)] if meeting > due else []
    if kind is TriggerKind.OPEN_AS_CIN_OR_CP:
        kinds = {EventKind.OPENED, EventKind.CIN_PLAN_STARTED, EventKind.CP_PLAN_STARTED}
        start = _first(case, referral.children, kinds, before=meeting)
        if start is None:
            return [_ineligible(doc, trigger, "the case records no date it was opened or a plan began")]
        due = trigger_due(trigger, start, cal)
        return [] if meeting >= due else [_ineligible(doc, trigger, f"it has been open since {start}, until {due}")]
    if kind is TriggerKind.CP_PLAN_LONGER_THAN:
        start = _current_plan_start(case, referral.children, meeting)
        if start is None:
            return [_ineligible(doc, trigger, "no child protection plan is current at the meeting date")]
        due = trigger_due(trigger, start, cal)
        return [] if meeting > due else [_ineligible(doc, trigger, f"the plan began on {start}, so only after {due}")]
    entry = _first(case, referral.children, {EventKind.ENTERED_CARE}, before=meeting)
    if entry is None:
        return [_ineligible(doc, trigger, "the case records no entry to care")]
    due = trigger_due(trigger, entry, cal)
    plan = _first(case, referral.children, {EventKind.REUNIFICATION_PLAN_AGREED}, before=meeting)
    if plan is not None and plan <= due:
        return [_ineligible(doc, trigger, f"a reunification plan was agreed on {plan}")]
    return [] if meeting >= due else [_ineligible(doc, trigger, f"the {trigger.within} have not passed since {entry}")]


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


def _applies(children: list[str], referred: list[str]) -> bool:
    return not children or bool(set(children) & set(referred))


def _emergency_entry(case: Case, referred: list[str]) -> date | None:
    entries = [
        e.date
        for e in case.events
        if e.kind is EventKind.ENTERED_CARE and e.basis in _EMERGENCY_BASES and _applies(e.children, referred)
    ]
    return max(entries) if entries else None


def _first(case: Case, referred: list[str], kinds: set[EventKind], *, before: date) -> date | None:
    dates = [e.date for e in case.events if e.kind in kinds and e.date <= before and _applies(e.children, referred)]
    return min(dates) if dates else None


def _current_plan_start(case: Case, referred: list[str], at: date) -> date | None:
    start: date | None = None
    for event in sorted(case.events, key=lambda e: e.date):
        if event.date > at or not _applies(event.children, referred):
            continue
        if event.kind is EventKind.CP_PLAN_STARTED:
            start = start or event.date
        elif event.kind is EventKind.CP_PLAN_ENDED:
            start = None
    return start
