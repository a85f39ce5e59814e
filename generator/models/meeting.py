"""A meeting record: `decisions/<panel-id>/<meeting-date>/meeting.md` front matter."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, StrictBool

from .common import CaseId, IsoDate, Slug, Strict, Text, TimeOfDay
from .panel import Milestone
from .roles import Role


class Capacity(StrEnum):
    """In what capacity someone attended."""

    CHAIR = "chair"
    """Chaired the meeting."""
    MEMBER = "member"
    """Panel member: counts for quorum."""
    ADVISER = "adviser"
    """Invited adviser for particular items: does not count for quorum."""
    PRESENTER = "presenter"
    """Presented a case."""
    MINUTE_TAKER = "minute-taker"
    """Took the minutes."""
    OBSERVER = "observer"
    """Observed (newly qualified staff, students)."""


class Attendee(Strict):
    """Someone present."""

    person: Slug
    """Roster id."""
    role: Role
    """The role they attended in."""
    capacity: Capacity
    """How they took part."""
    items: list[CaseId] = Field(default_factory=list)
    """Case ids they attended for (presenters and advisers); empty: the whole meeting."""


class Apology(Strict):
    """Someone expected who sent apologies."""

    person: Slug
    """Roster id."""
    role: Role
    """Their role on the panel."""


class Conflict(Strict):
    """A declared interest in a case."""

    person: Slug
    """Who declared it (roster id)."""
    case: CaseId
    """Which case."""
    nature: Text
    """The involvement or prior knowledge, in a few words."""
    withdrew: StrictBool
    """Whether they left for that item."""


class Deferral(Strict):
    """A case booked for the meeting but not heard."""

    case: CaseId
    """Which case."""
    reason: Text
    """Why (late, incomplete, unsigned, time ran out)."""
    to: IsoDate | None = None
    """The meeting it moves to, if known."""


class Status(StrEnum):
    """Whether a record is final."""

    DRAFT = "draft"
    """Still being written; can be edited."""
    APPROVED = "approved"
    """Approved by the chair: never edited again, only superseded."""


class Meeting(Strict):
    """What happened at one meeting."""

    panel: Slug
    """Panel id; equals the folder."""
    date: IsoDate
    """Meeting date; equals the folder."""
    series: Slug | None = None
    """Series (locality), for panels that meet per locality."""
    venue: Slug | None = None
    """Venue id, if different from the schedule's."""
    start: TimeOfDay | None = None
    """Actual start time."""
    end: TimeOfDay | None = None
    """Actual end time."""
    chair: Slug
    """Who chaired (roster id)."""
    attendees: list[Attendee] = Field(min_length=1)
    """Who was present."""
    apologies: list[Apology] = Field(default_factory=list)
    """Who sent apologies."""
    conflicts: list[Conflict] = Field(default_factory=list)
    """Declared conflicts of interest."""
    heard: list[CaseId] = Field(default_factory=list)
    """Case ids heard, in agenda order."""
    deferred: list[Deferral] = Field(default_factory=list)
    """Cases not heard and why."""
    milestones: dict[Milestone, IsoDate] = Field(default_factory=dict)
    """Dates the after-meeting steps were done."""
    distributed_to: list[Slug] = Field(default_factory=list)
    """Who the minutes were sent to (roster ids)."""
    status: Status = Status.DRAFT
    """Draft or approved."""
