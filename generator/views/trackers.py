"""The trackers: agreed actions, cases due back for review, and after-meeting duties, as of a date.

Pure computation over the loaded repository (no rendering). Everything is worked out once per site
through `Workspace.memo` and shared by the tracker pages, the home page, the case timelines and the
CSV and XLSX exports.

Days overdue are counted in working days: the panels' escalation steps are set in working days
("5 working days overdue goes to the service manager"), so the count can be read against them
directly, and a weekend or a bank holiday does not make an action later for the people doing it.

Only what is known on `as_of` counts: decisions of later meetings and records dated after it are
left out. A superseded decision's actions, review date and duties give way to the decision that
replaces it; records written against the superseded decision follow its action ids to the new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from generator.loading.repository import Doc
from generator.models import Decision, Record, RecordKind
from generator.models.panel import EscalationStep
from generator.models.roles import Role
from generator.pipeline.workspace import Workspace
from generator.schedule.workdays import WorkingCalendar
from generator.views.duties import DutyCheck, DutyStatus, meeting_duty_checks

DUE_SOON_DAYS = 7
"""How many calendar days after `as_of` count as "due this week"."""


class ActionStatus(StrEnum):
    """Where an agreed action stands."""

    DONE = "done"
    """A record says it was done."""
    OPEN = "open"
    """Not done, and not yet past its due date."""
    OVERDUE = "overdue"
    """Not done, and its due date has passed."""


class ReviewStatus(StrEnum):
    """Whether a case due back for review has been booked."""

    BOOKED = "booked"
    """A referral to a later meeting of the panel exists."""
    NOT_BOOKED = "not booked"
    """No referral yet; the review date has not passed."""
    OVERDUE = "overdue"
    """No referral, and the review date has passed."""


@dataclass(frozen=True, slots=True)
class Escalation:
    """An escalation that a record says happened."""

    date: date
    """When it was escalated."""
    to: Role
    """The role it went to."""
    by: str
    """Who recorded it (roster id)."""
    note: str | None
    """A sentence of context."""
    path: str
    """The record's repository path."""


@dataclass(frozen=True, slots=True)
class StepReached:
    """The furthest step of the panel's escalation path an overdue action has reached."""

    number: int
    """1 for the first step of `panel.escalation`."""
    step: EscalationStep
    """The step itself."""
    since: date
    """The date the step was reached: its `after` timescale counted from the due date."""


@dataclass(frozen=True, slots=True)
class TrackedAction:
    """One agreed action of a current decision, as of `as_of`."""

    decision: Doc[Decision]
    """The decision sheet that agreed it."""
    action: str
    """The action id within the decision."""
    what: str
    """What must be done."""
    owner: str
    """Who is responsible (roster id)."""
    agreed_due: date
    """The due date the panel set."""
    due: date
    """The due date now: the panel's, or the latest new date the chair agreed."""
    status: ActionStatus
    """Done, open or overdue."""
    done_on: date | None
    """When it was done (the earliest action-done record)."""
    days_overdue: int
    """Working days past the due date on `as_of` (0 unless overdue)."""
    step: StepReached | None
    """The escalation step reached (overdue actions of panels with an escalation path only)."""
    escalations: tuple[Escalation, ...]
    """Escalations recorded, oldest first."""
    escalation_path: tuple[EscalationStep, ...] = ()
    """The panel's escalation path the action is judged against."""

    @property
    def panel(self) -> str:
        """The panel id."""
        return self.decision.model.panel

    @property
    def meeting(self) -> date:
        """The meeting that agreed the action."""
        return self.decision.model.meeting

    @property
    def case(self) -> str:
        """The case id."""
        return self.decision.model.case

    @property
    def escalated(self) -> bool:
        """Whether any escalation is recorded."""
        return bool(self.escalations)

    @property
    def escalation_missing(self) -> bool:
        """The step reached calls for an escalation to its role that no record shows.

        A role may appear at more than one step (the CP panel's group manager, then the dispute
        resolution process): each step reached with that role needs its own record.
        """
        if self.step is None:
            return False
        role = self.step.step.to
        needed = sum(1 for s in self.escalation_path[: self.step.number] if s.to == role)
        return sum(1 for e in self.escalations if e.to == role) < needed


@dataclass(frozen=True, slots=True)
class ReviewDue:
    """A case due back at a panel on a decision's review date."""

    decision: Doc[Decision]
    """The decision that set the review date."""
    review_date: date
    """When the case is due back."""
    booked_for: date | None
    """The meeting of the earliest later referral of the case to the panel, if any."""
    status: ReviewStatus
    """Booked, not booked, or overdue."""
    days_overdue: int
    """Working days past the review date on `as_of` (0 unless overdue)."""

    @property
    def panel(self) -> str:
        """The panel id."""
        return self.decision.model.panel

    @property
    def case(self) -> str:
        """The case id."""
        return self.decision.model.case

    @property
    def booked_after_review_date(self) -> bool:
        """Booked, but for a meeting after the review date."""
        return self.booked_for is not None and self.booked_for > self.review_date


@dataclass(frozen=True, slots=True)
class DueSoon:
    """What is overdue on `as_of` and what falls due from `as_of` to `until` (the home page's list)."""

    as_of: date
    """The date it describes."""
    until: date
    """The last day counted as due soon (`as_of` plus `DUE_SOON_DAYS`)."""
    overdue_actions: tuple[TrackedAction, ...]
    """Actions not done and past due, most overdue first."""
    due_actions: tuple[TrackedAction, ...]
    """Actions not done and due from `as_of` to `until`, soonest first."""
    overdue_reviews: tuple[ReviewDue, ...]
    """Reviews past their date with no referral, most overdue first."""
    due_reviews: tuple[ReviewDue, ...]
    """Reviews falling due from `as_of` to `until` with no referral yet, soonest first."""
    overdue_duties: tuple[DutyCheck, ...]
    """Duties and follow-ups not done and past due, most overdue first."""
    due_duties: tuple[DutyCheck, ...]
    """Duties and follow-ups not done and due from `as_of` to `until`, soonest first."""

    @property
    def empty(self) -> bool:
        """Nothing overdue and nothing due soon."""
        return not (
            self.overdue_actions
            or self.due_actions
            or self.overdue_reviews
            or self.due_reviews
            or self.overdue_duties
            or self.due_duties
        )


# --- working days past a date ---------------------------------------------------------------------


def working_days_past(data: Workspace, d: date) -> int:
    """Working days after `d` up to and including `data.as_of` (0 if `d` is not before it)."""
    return data.calendar.working_days_between(d, data.as_of)


# --- current decisions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decisions:
    current: tuple[Doc[Decision], ...]
    replaced_by: dict[str, str]


def _decisions(data: Workspace) -> _Decisions:
    return data.view(_decisions_view)


def _decisions_view(data: Workspace) -> _Decisions:
    known = [doc for doc in data.repo.decisions if doc.model.meeting <= data.as_of]
    replaced_by: dict[str, str] = {}
    for doc in sorted(known, key=lambda d: (d.model.meeting, d.path)):
        if doc.model.supersedes and doc.model.supersedes != doc.path:
            replaced_by[doc.model.supersedes] = doc.path
    current = tuple(doc for doc in known if doc.path not in replaced_by)
    return _Decisions(current, replaced_by)


def current_decisions(data: Workspace) -> tuple[Doc[Decision], ...]:
    """Decisions of meetings on or before `as_of` that no later decision supersedes, by meeting then path."""
    return _decisions(data).current


def replacement(data: Workspace, path: str) -> str | None:
    """The decision that directly supersedes the decision at `path`, if one does."""
    return _decisions(data).replaced_by.get(path)


def replaced_decision(data: Workspace, doc: Doc[Decision]) -> Doc[Decision] | None:
    """The decision this one supersedes, when its `supersedes:` names one in the repository."""
    return data.repo.decision_by_path.get(doc.model.supersedes or "")


def replacing_decision(data: Workspace, doc: Doc[Decision]) -> Doc[Decision] | None:
    """The decision that supersedes this one, if any (of a meeting on or before the as-of date)."""
    return data.repo.decision_by_path.get(replacement(data, doc.path) or "")


def current_path(data: Workspace, path: str) -> str:
    """The decision now standing in for the decision at `path` (itself unless superseded)."""
    replaced_by = _decisions(data).replaced_by
    seen = {path}
    while path in replaced_by and replaced_by[path] not in seen:
        path = replaced_by[path]
        seen.add(path)
    return path


def known_records(data: Workspace) -> tuple[Doc[Record], ...]:
    """Records dated on or before `as_of`, by date then path."""
    return data.view(_known_records_view)


def _known_records_view(data: Workspace) -> tuple[Doc[Record], ...]:
    known = (r for r in data.repo.records if r.model.date <= data.as_of)
    return tuple(sorted(known, key=lambda r: (r.model.date, r.path)))


# --- actions --------------------------------------------------------------------------------------


def tracked_actions(data: Workspace) -> tuple[TrackedAction, ...]:
    """Every agreed action of every current decision, by due date, panel, meeting, case and action id."""
    return data.view(_track_actions)


def _track_actions(data: Workspace) -> tuple[TrackedAction, ...]:
    by_action: dict[tuple[str, str], list[Record]] = defaultdict(list)
    paths: dict[int, str] = {}
    for doc in known_records(data):
        record = doc.model
        if record.action is not None:
            by_action[(current_path(data, record.refers_to), record.action)].append(record)
            paths[id(record)] = doc.path
    found: list[TrackedAction] = []
    for decision in current_decisions(data):
        panel = data.repo.panels.get(decision.model.panel)
        steps = tuple(panel.escalation) if panel else ()
        for action in decision.model.actions:
            records = by_action.get((decision.path, action.id), [])
            found.append(_track(data, decision, action.id, records, paths, steps))
    return tuple(sorted(found, key=lambda a: (a.due, a.panel, a.meeting, a.case, a.action)))


def _track(
    data: Workspace,
    decision: Doc[Decision],
    action_id: str,
    records: Sequence[Record],
    paths: dict[int, str],
    steps: tuple[EscalationStep, ...],
) -> TrackedAction:
    action = next(a for a in decision.model.actions if a.id == action_id)
    due = action.due
    done_on: date | None = None
    escalations: list[Escalation] = []
    for record in records:
        if record.kind is RecordKind.ACTION_DUE_CHANGED and record.new_due is not None:
            due = record.new_due
        elif record.kind is RecordKind.ACTION_DONE and done_on is None:
            done_on = record.date
        elif record.kind is RecordKind.ACTION_ESCALATED and record.escalated_to is not None:
            escalations.append(Escalation(record.date, record.escalated_to, record.by, record.note, paths[id(record)]))
    if done_on is not None:
        status = ActionStatus.DONE
    elif due < data.as_of:
        status = ActionStatus.OVERDUE
    else:
        status = ActionStatus.OPEN
    overdue = status is ActionStatus.OVERDUE
    return TrackedAction(
        decision=decision,
        action=action.id,
        what=action.what,
        owner=action.owner,
        agreed_due=action.due,
        due=due,
        status=status,
        done_on=done_on,
        days_overdue=working_days_past(data, due) if overdue else 0,
        step=step_reached(steps, due, data.as_of, data.calendar) if overdue else None,
        escalations=tuple(escalations),
        escalation_path=steps,
    )


def step_reached(steps: Sequence[EscalationStep], due: date, as_of: date, cal: WorkingCalendar) -> StepReached | None:
    """The furthest escalation step an action due on `due` and not done has reached on `as_of`.

    A step is reached once the action is overdue (`as_of` after `due`) and its `after` timescale,
    counted from the due date, has run out (`as_of` on or after that date). None if no step is reached.
    """
    if as_of <= due:
        return None
    reached: StepReached | None = None
    for number, step in enumerate(steps, start=1):
        since = cal.after(due, step.after)
        if as_of >= since:
            reached = StepReached(number, step, max(since, due + timedelta(days=1)))
    return reached


# --- reviews --------------------------------------------------------------------------------------


def reviews_due(data: Workspace) -> tuple[ReviewDue, ...]:
    """Cases due back on a current decision's review date and not yet heard again by that panel.

    Sorted by review date, panel and case.
    """
    return data.view(_reviews)


def _reviews(data: Workspace) -> tuple[ReviewDue, ...]:
    referred: dict[tuple[str, str], list[date]] = defaultdict(list)
    for referral in data.repo.referrals:
        referred[(referral.model.case, referral.model.panel)].append(referral.model.meeting)
    heard: dict[tuple[str, str], list[date]] = defaultdict(list)
    for decision in current_decisions(data):
        heard[(decision.model.case, decision.model.panel)].append(decision.model.meeting)
    found: list[ReviewDue] = []
    for decision in current_decisions(data):
        model = decision.model
        if model.review_date is None:
            continue
        key = (model.case, model.panel)
        if any(meeting > model.meeting for meeting in heard.get(key, ())):
            continue
        booked = min((m for m in referred.get(key, ()) if m > model.meeting), default=None)
        if booked is not None:
            status = ReviewStatus.BOOKED
        elif model.review_date < data.as_of:
            status = ReviewStatus.OVERDUE
        else:
            status = ReviewStatus.NOT_BOOKED
        late = working_days_past(data, model.review_date) if status is ReviewStatus.OVERDUE else 0
        found.append(ReviewDue(decision, model.review_date, booked, status, late))
    return tuple(sorted(found, key=lambda r: (r.review_date, r.panel, r.case, r.decision.path)))


# --- after-meeting duties -------------------------------------------------------------------------


def duty_checks(data: Workspace) -> tuple[DutyCheck, ...]:
    """Every after-meeting duty and outcome follow-up of meetings on or before `as_of`, by the rule of
    `generator.views.duties`: per child on each current decision sheet, per meeting on the meeting record,
    follow-ups through the decision's tracked actions.

    Sorted by due date, panel, meeting, case and duty.
    """
    return data.view(_duties)


def late_duties(data: Workspace) -> tuple[DutyCheck, ...]:
    """The duties and follow-ups done late, or not done and past due."""
    return tuple(d for d in duty_checks(data) if d.late_or_overdue)


def _duties(data: Workspace) -> tuple[DutyCheck, ...]:
    decisions_of: dict[tuple[str, date], list[Doc[Decision]]] = defaultdict(list)
    for decision in current_decisions(data):
        decisions_of[(decision.model.panel, decision.model.meeting)].append(decision)
    actions_of: dict[str, list[TrackedAction]] = defaultdict(list)
    for action in tracked_actions(data):
        actions_of[action.decision.path].append(action)
    meetings = {key for key in data.repo.meetings if key[1] <= data.as_of} | set(decisions_of)
    found: list[DutyCheck] = []
    for panel_id, meeting_date in sorted(meetings):
        panel = data.repo.panels.get(panel_id)
        if panel is None:
            continue
        record = data.repo.meetings.get((panel_id, meeting_date))
        found += meeting_duty_checks(
            panel,
            meeting_date,
            record.model if record else None,
            decisions_of.get((panel_id, meeting_date), []),
            data.calendar,
            data.as_of,
            actions_of,
        )
    return tuple(sorted(found, key=lambda d: (d.due, d.panel, d.meeting, d.case or "", d.duty)))


# --- what is due ----------------------------------------------------------------------------------


def due_soon(data: Workspace) -> DueSoon:
    """What is overdue on `data.as_of`, and what falls due from then to `DUE_SOON_DAYS` days later.

    Actions (not done), reviews (not booked) and after-meeting duties and follow-ups (not done).
    Overdue lists are most overdue first; due lists soonest first.
    """

    return data.view(_due_soon_view)


def _due_soon_view(data: Workspace) -> DueSoon:
    as_of = data.as_of
    until = as_of + timedelta(days=DUE_SOON_DAYS)
    actions = [a for a in tracked_actions(data) if a.status is not ActionStatus.DONE]
    reviews = [r for r in reviews_due(data) if r.status is not ReviewStatus.BOOKED]
    duties = [d for d in duty_checks(data) if d.status in (DutyStatus.OVERDUE, DutyStatus.NOT_YET_DUE)]
    return DueSoon(
        as_of=as_of,
        until=until,
        overdue_actions=tuple(a for a in actions if a.status is ActionStatus.OVERDUE),
        due_actions=tuple(a for a in actions if as_of <= a.due <= until),
        overdue_reviews=tuple(r for r in reviews if r.status is ReviewStatus.OVERDUE),
        due_reviews=tuple(r for r in reviews if as_of <= r.review_date <= until),
        overdue_duties=tuple(d for d in duties if d.status is DutyStatus.OVERDUE),
        due_duties=tuple(d for d in duties if as_of <= d.due <= until),
    )
