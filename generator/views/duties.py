"""After-meeting duties and outcome follow-ups against their due dates: the one rule that the meeting
pages, the trackers and the annual report share.

Pure computation over one meeting: its record, its decision sheets, the panel's terms, the working
calendar and the date things are judged on. Nothing here reads the clock or knows about the site.

The rule, from the panels' terms of reference:

- a duty whose step is `decision-recorded` is owed for each child's record ("recorded on each of the
  children's files", "uploaded onto the child(ren)'s file"): it is checked once per decision sheet,
  done on that sheet's date for the step, or else the meeting record's;
- every other duty (minutes drafted, approved, uploaded, distributed) is owed once per meeting and is
  checked on the meeting record's date for its step; a meeting with no record owes only the per-child
  duties;
- an outcome's follow-up (CMR: a strategy meeting within 3 working days) is carried by the decision's
  agreed actions due on or before the follow-up's due date: done when all of them are, on the last
  one's date; with no such action nothing can show it was done ("no action set");
- only what is known on `as_of` counts: a date after it is treated as not recorded yet;
- done on or before the due date is on time, after it late; not done is overdue once `as_of` is after
  the due date, and not yet due until then;
- days late are working days, as the panels' timescales and escalation steps are: after the due date
  up to the day it was done, or (not done) up to and including `as_of`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from generator.loading.repository import Doc
from generator.models import Decision, Meeting, Panel
from generator.models.panel import Milestone
from generator.models.roles import Role
from generator.schedule.timescales import due_dates
from generator.schedule.workdays import WorkingCalendar


class DutyStatus(StrEnum):
    """Where an after-meeting duty or an outcome's follow-up stands on `as_of`."""

    ON_TIME = "done on time"
    """Done on or before its due date."""
    LATE = "done late"
    """Done after its due date."""
    OVERDUE = "overdue"
    """Not done, and past its due date."""
    NOT_YET_DUE = "not yet due"
    """Not done, and not yet due."""
    NO_ACTION = "no action set"
    """A follow-up the decision set no action for, so nothing records whether it was done."""


class DutyKind(StrEnum):
    """Whether a checked step comes from the panel's terms or from an outcome."""

    DUTY = "after-meeting duty"
    """One of the panel's `after_meeting` duties."""
    FOLLOW_UP = "outcome follow-up"
    """The follow-up an outcome of the decision sets."""


class ActionProgress(Protocol):
    """What a follow-up needs to know of an agreed action (the trackers' `TrackedAction` is one)."""

    @property
    def agreed_due(self) -> date:
        """The due date the panel set."""
        ...

    @property
    def done_on(self) -> date | None:
        """When it was done, if a record says so."""
        ...


@dataclass(frozen=True, slots=True)
class DutyCheck:
    """One after-meeting duty (of the meeting or of one child's record) or outcome follow-up, judged on `as_of`."""

    panel: str
    """The panel id."""
    meeting: date
    """The meeting that set it."""
    kind: DutyKind
    """A duty from the panel's terms, or an outcome's follow-up."""
    duty: str
    """The duty id or the outcome id."""
    name: str
    """What must be done, in words."""
    role: Role | None
    """Who does it (the duty's role); None for a follow-up, which the actions' owners carry."""
    due: date
    """When it falls due."""
    done_on: date | None
    """When it was done, if recorded on or before `as_of`."""
    status: DutyStatus
    """On time, late, overdue, not yet due, or no action set."""
    days_late: int
    """Working days after the due date it was done, or (overdue) up to and including `as_of`; else 0."""
    decision: Doc[Decision] | None = None
    """The decision sheet, for duties owed per child and for follow-ups; None for the meeting's own."""
    milestone: Milestone | None = None
    """The step whose date shows a duty was done (None for follow-ups, carried by actions)."""

    @property
    def case(self) -> str | None:
        """The case id, for duties owed per child and follow-ups."""
        return self.decision.model.case if self.decision else None

    @property
    def late_or_overdue(self) -> bool:
        """Done late, or not done and past due."""
        return self.status in (DutyStatus.LATE, DutyStatus.OVERDUE)


def meeting_duty_checks(
    panel: Panel,
    meeting_date: date,
    meeting: Meeting | None,
    decisions: Sequence[Doc[Decision]],
    calendar: WorkingCalendar,
    as_of: date,
    actions: Mapping[str, Sequence[ActionProgress]] | None = None,
) -> list[DutyCheck]:
    """The panel's after-meeting duties for one meeting and, given `actions`, its outcomes' follow-ups.

    `meeting` is the meeting record (None when there is none yet), `decisions` the decision sheets that
    count, in the order to list them. `actions` maps a decision's path to its agreed actions with their
    done dates; without it follow-ups are left out (the caller does not track actions). Duties come in
    the panel's order, a per-child duty once per sheet in the order given, then the follow-ups sheet by
    sheet. A panel whose duty and outcome share an id gives no checks (`panel check` reports its file).
    """
    try:
        dues = due_dates(panel, meeting_date, calendar)
    except ValueError:
        return []
    recorded = meeting.milestones if meeting is not None else {}
    checks: list[DutyCheck] = []
    for duty in panel.after_meeting:
        owed: list[tuple[Doc[Decision] | None, date | None]] = []
        if duty.milestone is Milestone.DECISION_RECORDED:
            owed = [(d, d.model.milestones.get(duty.milestone) or recorded.get(duty.milestone)) for d in decisions]
        elif meeting is not None:
            owed = [(None, recorded.get(duty.milestone))]
        for decision, dated in owed:
            done = _known(dated, as_of)
            status, late = _judge(dues[duty.id], done, calendar, as_of)
            checks.append(
                DutyCheck(
                    panel.id,
                    meeting_date,
                    DutyKind.DUTY,
                    duty.id,
                    duty.name,
                    duty.role,
                    dues[duty.id],
                    done,
                    status,
                    late,
                    decision,
                    duty.milestone,
                )
            )
    if actions is not None:
        for decision in decisions:
            checks += _follow_ups(panel, meeting_date, decision, actions.get(decision.path, ()), dues, calendar, as_of)
    return checks


def _follow_ups(
    panel: Panel,
    meeting_date: date,
    decision: Doc[Decision],
    actions: Sequence[ActionProgress],
    dues: Mapping[str, date],
    calendar: WorkingCalendar,
    as_of: date,
) -> Iterator[DutyCheck]:
    outcomes = {o.id: o for o in panel.outcomes}
    for outcome_id in decision.model.outcomes:
        outcome = outcomes.get(outcome_id)
        due = dues.get(outcome_id)
        if outcome is None or outcome.follow_up is None or due is None:
            continue
        carrying = [_known(a.done_on, as_of) for a in actions if a.agreed_due <= due]
        done = max(d for d in carrying if d is not None) if carrying and None not in carrying else None
        status, late = _judge(due, done, calendar, as_of) if carrying else (DutyStatus.NO_ACTION, 0)
        yield DutyCheck(
            panel.id,
            meeting_date,
            DutyKind.FOLLOW_UP,
            outcome.id,
            outcome.follow_up,
            None,
            due,
            done,
            status,
            late,
            decision,
        )


def _known(done: date | None, as_of: date) -> date | None:
    return done if done is not None and done <= as_of else None


def _judge(due: date, done: date | None, calendar: WorkingCalendar, as_of: date) -> tuple[DutyStatus, int]:
    """The status and working days late of a step due on `due` and done on `done` (None: not known on `as_of`)."""
    if done is not None:
        status = DutyStatus.LATE if done > due else DutyStatus.ON_TIME
        return status, calendar.working_days_between(due, done)
    if as_of > due:
        return DutyStatus.OVERDUE, calendar.working_days_between(due, as_of)
    return DutyStatus.NOT_YET_DUE, 0
