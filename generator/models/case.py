"""A child's (or sibling group's) case: `cases/<case-id>/case.md` front matter."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from .common import CaseId, IsoDate, Slug, Strict, Text


class LegalStatus(StrEnum):
    """A child's legal status."""

    OPEN_ASSESSMENT = "open-assessment"
    """Open for assessment; no plan yet."""
    CIN = "cin"
    """Child in need (s17) plan."""
    CP = "cp"
    """Child protection plan."""
    S20 = "s20"
    """Accommodated under section 20 (voluntary)."""
    POLICE_PROTECTION = "police-protection"
    """Police protection (s46)."""
    EPO = "epo"
    """Emergency protection order."""
    INTERIM_CARE_ORDER = "interim-care-order"
    """Interim care order."""
    CARE_ORDER = "care-order"
    """Full care order (s31)."""
    PLACEMENT_ORDER = "placement-order"
    """Placement order (adoption)."""
    SGO = "sgo"
    """Special guardianship order."""
    CHILD_ARRANGEMENTS_ORDER = "child-arrangements-order"
    """Child arrangements order (private law)."""
    UNBORN = "unborn"
    """Unborn baby (pre-birth assessment or plan)."""
    CLOSED = "closed"
    """No longer open to children's services."""


class Child(Strict):
    """A child in the case."""

    personal_fields = frozenset({"name", "date_of_birth", "due_date", "gender", "ethnicity", "disability"})

    id: Slug
    """Id within the case (e.g. `c1`), used by referrals and decisions."""
    name: Text
    """The child's name (never used in file names)."""
    date_of_birth: IsoDate | None = None
    """Date of birth."""
    due_date: IsoDate | None = None
    """Expected date of delivery, for an unborn child."""
    gender: Text | None = None
    """Gender as recorded."""
    ethnicity: Text | None = None
    """Ethnicity as recorded."""
    disability: Text | None = None
    """Disability or special needs, if any."""
    legal_status: LegalStatus
    """Current legal status."""
    legal_status_since: IsoDate
    """Date the current legal status began."""

    @model_validator(mode="after")
    def _born_or_due(self) -> Self:
        if (self.date_of_birth is None) == (self.due_date is None):
            raise ValueError("give either date_of_birth or due_date (for an unborn child), not both")
        if self.due_date is not None and self.legal_status is not LegalStatus.UNBORN:
            raise ValueError("a child with a due_date has legal_status unborn")
        return self


class EventKind(StrEnum):
    """A key event in the case's life."""

    OPENED = "opened"
    """Case opened to children's services."""
    CIN_PLAN_STARTED = "cin-plan-started"
    """Child in need plan started."""
    CP_PLAN_STARTED = "cp-plan-started"
    """Child protection plan started."""
    CP_PLAN_ENDED = "cp-plan-ended"
    """Child protection plan ended."""
    ENTERED_CARE = "entered-care"
    """Came into care; `basis` says how."""
    LEFT_CARE = "left-care"
    """Left care."""
    REUNIFICATION_PLAN_AGREED = "reunification-plan-agreed"
    """A plan for return home agreed."""
    PLO_STARTED = "plo-started"
    """Pre-proceedings under the Public Law Outline started."""
    PLO_ENDED = "plo-ended"
    """Pre-proceedings ended."""
    PROCEEDINGS_ISSUED = "proceedings-issued"
    """Care proceedings issued."""
    ORDER_MADE = "order-made"
    """A court order made (see note)."""
    BORN = "born"
    """An unborn child was born."""
    CLOSED = "closed"
    """Case closed."""


class EntryBasis(StrEnum):
    """How a child came into care."""

    S20_PLANNED = "s20-planned"
    """Planned section 20 accommodation."""
    S20_EMERGENCY = "s20-emergency"
    """Unplanned, emergency section 20 accommodation."""
    POLICE_PROTECTION = "police-protection"
    """Police protection."""
    EPO = "epo"
    """Emergency protection order."""
    INTERIM_CARE_ORDER = "interim-care-order"
    """Interim care order."""
    REMAND = "remand"
    """Youth remand."""


class KeyEvent(Strict):
    """A dated event the panels' triggers and timescales are measured from."""

    personal_fields = frozenset({"note"})

    date: IsoDate
    """When it happened."""
    kind: EventKind
    """What happened."""
    children: list[Slug] = Field(default_factory=list)
    """Which children (empty: all the case's children)."""
    basis: EntryBasis | None = None
    """For entered-care: on what basis."""
    note: Text | None = None
    """A few words of context (no narrative: that lives in the case-management system)."""

    @model_validator(mode="after")
    def _basis_only_for_entry(self) -> Self:
        if (self.kind is EventKind.ENTERED_CARE) != (self.basis is not None):
            raise ValueError("basis is given for entered-care events, and only for them")
        return self


class Case(Strict):
    """A case: one family's children known to children's services."""

    id: CaseId
    """Case id from the case-management system; equals the folder name."""
    children: list[Child] = Field(min_length=1)
    """The children."""
    worker: Slug
    """Allocated social worker (roster id)."""
    team: Slug
    """Allocated team (authority team id)."""
    manager: Slug | None = None
    """Team or practice manager (roster id)."""
    events: list[KeyEvent] = Field(default_factory=list)
    """Key events, oldest first."""

    @model_validator(mode="after")
    def _children_unique(self) -> Self:
        ids = [c.id for c in self.children]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"children repeats {', '.join(duplicates)}")
        return self

    def child(self, child_id: str) -> Child | None:
        """The child with this id."""
        return next((c for c in self.children if c.id == child_id), None)
