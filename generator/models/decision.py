"""A decision sheet: `decisions/<panel-id>/<meeting-date>/<case-id>.md` front matter.

The body holds the discussion summary for the minutes.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .common import CaseId, DocumentPath, IsoDate, Slug, Strict, Text
from .meeting import Status
from .panel import Milestone


class Action(Strict):
    """A SMART action agreed by the panel."""

    id: Slug
    """Id within the decision (`a1`, `a2`), used by later records."""
    what: Text
    """What must be done, specifically."""
    owner: Slug
    """Who is responsible (roster id)."""
    due: IsoDate
    """By when."""


class Stance(StrEnum):
    """A member's view of the decision."""

    AGREE = "agree"
    """Agrees."""
    DISAGREE = "disagree"
    """Disagrees (dissent)."""
    ABSTAIN = "abstain"
    """Gives no view."""


class View(Strict):
    """A member's view, recorded on request or where they dissent."""

    person: Slug
    """Roster id."""
    stance: Stance
    """Agree, disagree or abstain."""
    note: Text | None = None
    """Their view in a sentence (required for dissent)."""


class Decision(Strict):
    """What the panel decided about one case at one meeting."""

    panel: Slug
    """Panel id; equals the folder."""
    meeting: IsoDate
    """Meeting date; equals the folder."""
    case: CaseId
    """Case id; equals the file name."""
    children: list[Slug] = Field(min_length=1)
    """Children the decision is about."""
    request: Slug | None = None
    """The request type heard."""
    outcomes: list[Slug] = Field(min_length=1)
    """Outcome ids from the panel's vocabulary."""
    agreed: list[Text] = Field(min_length=1)
    """What the panel agreed, item by item (numbered on the sheet)."""
    actions: list[Action] = Field(default_factory=list)
    """SMART actions."""
    review_date: IsoDate | None = None
    """When the case returns to panel."""
    rationale: Text
    """Why."""
    views: list[View] = Field(default_factory=list)
    """Members' views (every dissent must be here)."""
    chair_followed_majority: bool = True
    """False where the chair decided against the majority view."""
    chair: Slug
    """Who chaired and signs the sheet (roster id)."""
    status: Status = Status.DRAFT
    """Draft or approved."""
    milestones: dict[Milestone, IsoDate] = Field(default_factory=dict)
    """Dates after-meeting steps were done for this child (e.g. decision recorded on file)."""
    supersedes: DocumentPath | None = None
    """Repository path of the decision this one replaces."""
    legal_papers_received: IsoDate | None = None
    """The day legal services received the papers (needed where an outcome needs legal advice)."""
