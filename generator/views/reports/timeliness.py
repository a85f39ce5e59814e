"""Timeliness in a period: referrals against their deadlines, decision sheets and minutes against the panels' duties.

Lateness of a referral is what the checker found (the `late-referral` diagnostic), never worked out
again here; the arrival times and deadlines only tell the cases the checker lets through apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Decision
from generator.models.panel import DeadlineRule
from generator.schedule.local_time import arrival_date
from generator.schedule.timescales import referral_deadline
from generator.schedule.workdays import WorkingCalendar
from generator.views.duties import DutyCheck, DutyKind, DutyStatus, meeting_duty_checks
from generator.views.reports.figures import Figure, Measure, Period, Row, row, total_row
from generator.views.reports.hearings import panel_label, panel_order

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


_COLUMN = {DutyStatus.ON_TIME: 0, DutyStatus.LATE: 1, DutyStatus.OVERDUE: 2, DutyStatus.NOT_YET_DUE: 3}
"""The index in DUTY_COLUMNS of each status a duty (never a follow-up) can have."""


def duty_checks_in(
    repo: Repository, period: Period, heard: Iterable[Doc[Decision]], cal: WorkingCalendar
) -> tuple[DutyCheck, ...]:
    """The after-meeting duties of the meetings in the period, judged on the report's date by `generator.views.duties`.

    Per-child duties are owed for each case `heard`; the meeting's own duties for each meeting record
    in the covered part of the period. Follow-ups are not reported. One pass over the meetings, with
    the decision sheets indexed by meeting once.
    """
    sheets: dict[tuple[str, date], list[Doc[Decision]]] = defaultdict(list)
    for doc in heard:
        sheets[(doc.model.panel, doc.model.meeting)].append(doc)
    held = {key for key in repo.meetings if period.holds(key[1])} | sheets.keys()
    checks: list[DutyCheck] = []
    for key in sorted(held):
        panel = repo.panels.get(key[0])
        if panel is None:
            continue
        record = repo.meetings.get(key)
        checks += meeting_duty_checks(
            panel, key[1], record.model if record else None, sheets.get(key, []), cal, period.as_of
        )
    return tuple(checks)


def decision_sheet_timeliness(repo: Repository, checks: Iterable[DutyCheck]) -> Measure:
    """Each case heard against its panel's duties to record the decision on the child's record."""
    groups: dict[tuple[str, str], list[list[str]]] = {}
    for check in checks:
        if check.kind is DutyKind.DUTY and check.case is not None:
            cells = groups.setdefault((check.panel, check.name), [[] for _ in DUTY_COLUMNS])
            cells[_COLUMN[check.status]].append(check.case)
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


def minutes_timeliness(repo: Repository, checks: Iterable[DutyCheck]) -> Measure:
    """Each meeting in the period against its panel's duties for the minutes; figures count meetings."""
    cases: dict[tuple[str, int, str], list[list[str]]] = {}
    dates: dict[tuple[str, int, str], list[list[str]]] = {}
    for check in checks:
        record = repo.meetings.get((check.panel, check.meeting))
        panel = repo.panels.get(check.panel)
        if check.kind is not DutyKind.DUTY or check.decision is not None or record is None or panel is None:
            continue
        order = next(i for i, duty in enumerate(panel.after_meeting) if duty.id == check.duty)
        key = (check.panel, order, check.name)
        index = _COLUMN[check.status]
        cases.setdefault(key, [[] for _ in DUTY_COLUMNS])[index] += record.model.heard
        dates.setdefault(key, [[] for _ in DUTY_COLUMNS])[index].append(check.meeting.isoformat())
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
