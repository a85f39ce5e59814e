"""What a meeting leaves behind, as values and text: who the minutes reached, and the case note for
each decision. The after-meeting duties against their due dates are `generator.views.duties`.

Pure computation over a meeting record, its decisions and the panel's `after_meeting` duties.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.models import Decision, Meeting, Panel, Person, Stance
from generator.models.panel import DutySpec
from generator.models.roles import Role


@dataclass(frozen=True)
class RoleReached:
    """Whether the minutes reached someone in one role a distribution duty names."""

    duty: DutySpec
    """The distribution duty."""
    role: Role
    """The role that must receive them."""
    people: tuple[str, ...]
    """Roster ids of the recipients holding that role (empty: not reached)."""


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
    superseded_by: str | None = None
    """The decision that replaced this one, in words ("CMR decision of 2026-10-20, version 2");
    None while it stands."""


def case_note(decision: Decision, context: NoteContext) -> str:
    """The plain text of a decision as a significant event for the case-management system.

    Plain text (no Markdown), lines of at most one paragraph each, ending with a newline. A
    superseded decision's note says so first and last and names the decision that replaced it,
    so that a note pasted late, or from an old download, is never taken for the standing decision.
    """
    children = "Child" if len(context.children) == 1 else "Children"
    lines = []
    if context.superseded_by:
        lines += [
            f"SUPERSEDED: this decision no longer stands. It was replaced by the {context.superseded_by}; "
            "record that decision's case note as the standing decision.",
            "",
        ]
    lines += [
        f"Significant event: {context.panel_name} decision, {decision.meeting.isoformat()}",
        # Initials end with a full stop already ("B. P."): never two.
        f"Case {decision.case}. {children}: {', '.join(context.children).removesuffix('.')}.",
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
    status = f"superseded by the {context.superseded_by}" if context.superseded_by else str(decision.status)
    lines += ["", f"Chair: {context.person(decision.chair)}. Decision sheet status: {status}."]
    text = "\n".join(lines) + "\n"
    # Control characters from a document would reach the case record unseen.
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def _one_line(text: str) -> str:
    return " ".join(text.split())
