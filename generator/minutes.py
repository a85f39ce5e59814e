"""What a meeting leaves behind, as values and text: the after-meeting duties against their due dates,
who the minutes reached, and the case note for each decision.

Pure computation over a meeting record, its decisions and the panel's `after_meeting` duties.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from generator.models import Decision, Meeting, Panel, Person, Stance
from generator.models.panel import DutySpec, Milestone
from generator.models.roles import Role
from generator.timescales import due_dates
from generator.workdays import WorkingCalendar


class DutyStatus(StrEnum):
    """Where an after-meeting duty stands on the site's date."""

    ON_TIME = "on time"
    """Done on or before its due date."""
    LATE = "late"
    """Done, but after its due date."""
    OVERDUE = "overdue"
    """Not done, and its due date has passed."""
    NOT_YET_DUE = "not yet due"
    """Not done, and still within its time."""


@dataclass(frozen=True)
class DutyCheck:
    """One after-meeting duty of one meeting."""

    duty: DutySpec
    """The duty from the panel's terms."""
    due: date
    """When it falls due."""
    done: date | None
    """When the meeting record (or every decision sheet) dates its milestone."""
    status: DutyStatus
    """On time, late, overdue or not yet due."""

    @property
    def days_late(self) -> int:
        """Calendar days between the due date and the day it was done late (0 if on time or not done)."""
        return 0 if self.done is None or self.done <= self.due else (self.done - self.due).days


@dataclass(frozen=True)
class RoleReached:
    """Whether the minutes reached someone in one role a distribution duty names."""

    duty: DutySpec
    """The distribution duty."""
    role: Role
    """The role that must receive them."""
    people: tuple[str, ...]
    """Roster ids of the recipients holding that role (empty: not reached)."""


def done_on(milestone: Milestone, meeting: Meeting, decisions: Sequence[Decision]) -> date | None:
    """When a milestone was reached: the meeting record's date for it, or, failing that, the latest
    date on the meeting's decision sheets when every one of them dates it (the decision recorded on
    each child's file is dated per sheet)."""
    if milestone in meeting.milestones:
        return meeting.milestones[milestone]
    dated = [d.milestones.get(milestone) for d in decisions]
    if dated and all(d is not None for d in dated):
        return max(d for d in dated if d is not None)
    return None


def duty_checks(
    panel: Panel, meeting: Meeting, decisions: Sequence[Decision], cal: WorkingCalendar, as_of: date
) -> list[DutyCheck]:
    """Every after-meeting duty of the panel for this meeting, in the panel's order, with its status on `as_of`."""
    due = due_dates(panel, meeting.date, cal)
    checks: list[DutyCheck] = []
    for duty in panel.after_meeting:
        done = done_on(duty.milestone, meeting, decisions)
        if done is not None:
            status = DutyStatus.ON_TIME if done <= due[duty.id] else DutyStatus.LATE
        else:
            status = DutyStatus.OVERDUE if as_of > due[duty.id] else DutyStatus.NOT_YET_DUE
        checks.append(DutyCheck(duty, due[duty.id], done, status))
    return checks


def roles_reached(panel: Panel, meeting: Meeting, roster: Mapping[str, Person]) -> list[RoleReached]:
    """For each role a distribution duty names, who among the recipients holds it (as the meeting check counts)."""
    found: list[RoleReached] = []
    for duty in panel.after_meeting:
        for role in duty.recipients:
            people = tuple(
                person_id
                for person_id in meeting.distributed_to
                if person_id in roster and role in roster[person_id].roles
            )
            found.append(RoleReached(duty, role, people))
    return found


@dataclass(frozen=True)
class NoteContext:
    """The names a case note needs, resolved from the roster, the case and the panel."""

    panel_name: str
    """The panel's full name."""
    children: Sequence[str]
    """The children's names (ids where the case does not name them)."""
    request: str | None
    """The request type's name."""
    outcomes: Sequence[str]
    """The outcomes' names."""
    person: Callable[[str], str]
    """A roster id's name."""


def case_note(decision: Decision, context: NoteContext) -> str:
    """The plain text of a decision as a significant event for the case-management system.

    Plain text (no Markdown), lines of at most one paragraph each, ending with a newline.
    """
    lines = [
        f"Significant event: {context.panel_name} decision, {decision.meeting.isoformat()}",
        f"Case {decision.case}. Children: {', '.join(context.children)}.",
    ]
    if context.request:
        lines.append(f"Request: {context.request}.")
    label = "Outcomes" if len(context.outcomes) > 1 else "Outcome"
    lines += [f"{label}: {'; '.join(context.outcomes)}.", "", "The panel agreed:"]
    lines += [f"{index}. {_one_line(item)}" for index, item in enumerate(decision.agreed, 1)]
    if decision.actions:
        lines += ["", "Actions:"]
        lines += [
            f"- {_one_line(a.what)} Owner: {context.person(a.owner)}. Due: {a.due.isoformat()}."
            for a in decision.actions
        ]
    lines += ["", f"Review date: {decision.review_date.isoformat() if decision.review_date else 'none set'}."]
    lines += [f"Rationale: {_one_line(decision.rationale)}"]
    dissent = [v for v in decision.views if v.stance is Stance.DISAGREE]
    for view in dissent:
        lines.append(f"Dissent: {context.person(view.person)}: {_one_line(view.note or 'no reason recorded')}")
    if not decision.chair_followed_majority:
        lines.append("The chair decided against the majority view of the panel.")
    lines += ["", f"Chair: {context.person(decision.chair)}. Decision sheet status: {decision.status}."]
    text = "\n".join(lines) + "\n"
    # Control characters from a document would reach the case record unseen.
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def _one_line(text: str) -> str:
    return " ".join(text.split())
