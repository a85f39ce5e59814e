"""A referral to a panel: `cases/<case-id>/referrals/<meeting-date>-<panel-id>.md` front matter.

The body holds the narrative sections as `## ` headings.
"""

from __future__ import annotations

from pydantic import Field, StrictBool, StrictInt

from .common import CaseId, IsoDate, Slug, Strict, Text
from .roles import Role


class DocumentRef(Strict):
    """A paper the referral relies on; the paper itself stays in the case-management system."""

    id: Slug
    """Document id from the panel's catalogue (chronology, genogram, ...)."""
    date: IsoDate
    """Date the document was last updated (or, for a meeting record, the meeting)."""
    location: Text
    """Where it lives in the case-management system."""
    chaired_by: Slug | None = None
    """For a meeting record: who chaired it (roster id)."""


class Authorisation(Strict):
    """One link in the chain of agreement."""

    role: Role
    """The role in which the person authorised."""
    person: Slug
    """Who (roster id)."""
    date: IsoDate
    """When."""


class Scaling(Strict):
    """A Signs of Safety scaling judgement."""

    by: Text
    """Who scaled: a roster id, or a family member's relation to the child."""
    score: StrictInt = Field(ge=0, le=10)
    """0: so dangerous the child must be removed; 10: safe enough to close."""
    reasons: Text
    """Why this score."""


class Referral(Strict):
    """A request for a case to be heard at a meeting."""

    panel: Slug
    """Panel id; equals the file name's suffix."""
    meeting: IsoDate
    """Meeting date; equals the file name's prefix."""
    case: CaseId
    """Case id; equals the case folder."""
    request: Slug
    """Request type id from the panel."""
    children: list[Slug] = Field(min_length=1)
    """Children the request is about (ids from the case)."""
    ground: Slug | None = None
    """Eligibility trigger id from the panel, where the panel has triggers."""
    sought: Text
    """What decision or recommendation is sought, in a sentence."""
    presenter: Slug
    """Who presents (roster id): the social worker or their manager."""
    emergency: StrictBool = False
    """Asks for the meeting's emergency slot."""
    family_network_meeting_held: StrictBool | None = None
    """Whether a family network meeting has taken place."""
    safety_plan_in_place: StrictBool | None = None
    """Whether a safety plan is in place."""
    documents: list[DocumentRef] = Field(default_factory=list)
    """Papers relied on."""
    authorisations: list[Authorisation] = Field(default_factory=list)
    """The chain of agreement."""
    scaling: list[Scaling] = Field(default_factory=list)
    """Signs of Safety scaling."""
