"""Timeliness in a period: referrals against their deadlines, decision sheets and minutes against the panels' duties.

Lateness of a referral is what the checker found (the `late-referral` diagnostic), never worked out
again here; the arrival times and deadlines only tell the cases the checker lets through apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from generator import diagnostics as d
from generator.checks.timeliness import arrival_date
from generator.diagnostics import Diagnostic
from generator.models import Decision, Panel
from generator.models.panel import DeadlineRule, Milestone
from generator.reports.figures import Figure, Measure, Period, Row, row, total_row
from generator.reports.hearings import panel_label, panel_order
from generator.repository import Doc, Repository
from generator.timescales import due_dates, referral_deadline
from generator.workdays import WorkingCalendar

REFERRAL_COLUMNS = ("On time", "Late", "After the deadline, allowed", "No deadline", "Arrival not known")
"""How each referral's arrival is classed."""
REFERRAL_DEFINITION = (
    "Referrals for meetings in the reporting year held in the repository on the report's date, including "
    "referrals already made for meetings still to come. A referral's arrival is the date of the commit that "
    "added it. Late: the checks found it arrived after its panel's deadline (the late-referral problem). "
    "After the deadline, allowed: it arrived after the deadline for the emergency slot or for a request the "
    "panel hears in the first slot of its next meeting, which the rules allow. No deadline: the panel takes "
    "cases by selection or as soon as possible. Arrival not known: the history does not date it (for example, "
    "documents that arrived before the audit start)."
)
DUTY_COLUMNS = ("On time", "Late", "Not done, overdue", "Not yet due")
"""How each after-meeting duty is classed."""
DECISION_SHEET_DEFINITION = (
    "Each case heard at a meeting in the period, against each of its panel's duties to put the decision on "
    "the child's record within a set time (the decision-recorded step). The date done is the one on the "
    "decision sheet, or else on the meeting record. On time: done by the due date; late: done after it; "
    "not done, overdue: no date recorded and the due date has passed; not yet due: no date recorded yet."
)
MINUTES_DEFINITION = (
    "Each meeting held in the period, against each of its panel's duties for the minutes (drafted, approved, "
    "uploaded, distributed) within a set time, using the dates on the meeting record. The cases are those "
    "heard at the meetings counted; the meeting dates are listed beside them."
)


def referral_timeliness(
    repo: Repository,
    period: Period,
    diagnostics: Iterable[Diagnostic],
    arrivals: Mapping[str, datetime | None],
    cal: WorkingCalendar,
) -> Measure:
    """Referrals for meetings in the year, panel by panel, classed by when they arrived."""
    late = {x.path for x in diagnostics if x.code == d.LATE_REFERRAL.code}
    groups: dict[str, list[list[str]]] = {}
    for doc in repo.referrals:
        referral = doc.model
        panel = repo.panels.get(referral.panel)
        if panel is None or not period.spans(referral.meeting):
            continue
        cells = groups.setdefault(referral.panel, [[] for _ in REFERRAL_COLUMNS])
        arrived = arrivals.get(doc.path)
        deadline = referral_deadline(panel, referral.meeting, cal)
        if doc.path in late:
            cells[1].append(referral.case)
        elif panel.referral.deadline is DeadlineRule.NONE or deadline is None:
            cells[3].append(referral.case)
        elif arrived is None:
            cells[4].append(referral.case)
        elif arrival_date(arrived) > deadline:
            cells[2].append(referral.case)
        else:
            cells[0].append(referral.case)
    rows = tuple(
        row(panel_label(repo, p), REFERRAL_COLUMNS, groups[p])
        for p in sorted(groups, key=lambda p: panel_order(repo, p))
    )
    return Measure(
        "referral-timeliness",
        "Timeliness of referrals",
        REFERRAL_DEFINITION,
        "Panel",
        REFERRAL_COLUMNS,
        rows,
        total_row(REFERRAL_COLUMNS, rows),
    )


def _dues(panel: Panel, day: date, cal: WorkingCalendar) -> dict[str, date]:
    try:
        return due_dates(panel, day, cal)
    except ValueError:
        return {}  # a duty and an outcome share an id: `panel check` reports the panel file


def _class(done: date | None, due: date, as_of: date) -> int:
    """The index in DUTY_COLUMNS of a duty due on `due` and done on `done` (None: not recorded)."""
    if done is not None and done <= as_of:
        return 0 if done <= due else 1
    return 2 if due < as_of else 3


def decision_sheet_timeliness(
    repo: Repository, period: Period, heard: Iterable[Doc[Decision]], cal: WorkingCalendar
) -> Measure:
    """Each case heard against its panel's duties to record the decision on the child's record."""
    groups: dict[tuple[str, str], list[list[str]]] = {}
    dues: dict[tuple[str, date], dict[str, date]] = {}
    for doc in heard:
        decision = doc.model
        panel = repo.panels.get(decision.panel)
        if panel is None:
            continue
        meeting = repo.meetings.get((decision.panel, decision.meeting))
        recorded = decision.milestones.get(Milestone.DECISION_RECORDED) or (
            meeting.model.milestones.get(Milestone.DECISION_RECORDED) if meeting else None
        )
        key = (decision.panel, decision.meeting)
        if key not in dues:
            dues[key] = _dues(panel, decision.meeting, cal)
        for duty in panel.after_meeting:
            due = dues[key].get(duty.id)
            if duty.milestone is Milestone.DECISION_RECORDED and due is not None:
                cells = groups.setdefault((decision.panel, duty.name), [[] for _ in DUTY_COLUMNS])
                cells[_class(recorded, due, period.as_of)].append(decision.case)
    rows = tuple(
        row(f"{panel_label(repo, p)}: {name}", DUTY_COLUMNS, groups[(p, name)])
        for p, name in sorted(groups, key=lambda key: (panel_order(repo, key[0]), key[1]))
    )
    return Measure(
        "decision-sheets",
        "Timeliness of decision sheets",
        DECISION_SHEET_DEFINITION,
        "Panel and duty",
        DUTY_COLUMNS,
        rows,
        total_row(DUTY_COLUMNS, rows),
    )


def minutes_timeliness(repo: Repository, period: Period, cal: WorkingCalendar) -> Measure:
    """Each meeting in the period against its panel's duties for the minutes; figures count meetings."""
    cases: dict[tuple[str, int, str], list[list[str]]] = {}
    dates: dict[tuple[str, int, str], list[list[str]]] = {}
    for (panel_id, day), doc in sorted(repo.meetings.items()):
        panel = repo.panels.get(panel_id)
        if panel is None or not period.holds(day):
            continue
        dues = _dues(panel, day, cal)
        for order, duty in enumerate(panel.after_meeting):
            due = dues.get(duty.id)
            if duty.milestone is Milestone.DECISION_RECORDED or due is None:
                continue
            key = (panel_id, order, duty.name)
            index = _class(doc.model.milestones.get(duty.milestone), due, period.as_of)
            cases.setdefault(key, [[] for _ in DUTY_COLUMNS])[index] += doc.model.heard
            dates.setdefault(key, [[] for _ in DUTY_COLUMNS])[index].append(day.isoformat())
    rows = []
    for key in sorted(cases, key=lambda key: (panel_order(repo, key[0]), key[1:])):
        label = f"{panel_label(repo, key[0])}: {key[2]}"
        cells = zip(DUTY_COLUMNS, cases[key], dates[key], strict=True)
        figures = tuple(
            Figure(f"{label}: {column}", len(days), tuple(sorted(set(ids))), tuple(days)) for column, ids, days in cells
        )
        rows.append(Row(label, figures))
    return Measure(
        "minutes",
        "Timeliness of minutes",
        MINUTES_DEFINITION,
        "Panel and duty",
        DUTY_COLUMNS,
        tuple(rows),
        total_row(DUTY_COLUMNS, rows),
    )
