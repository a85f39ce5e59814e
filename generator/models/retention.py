"""Retention rules (`retention:` in `panels/authority.yml`) and the erasure ledger (`retention/erasures.yml`).

The council decides the periods; the models only say what a rule may look like. What the rules
mean for each case is worked out by `generator.schedule.retention`; rules that cannot be right
(a looked-after rule shorter than the law's 75 years) are diagnosed by `generator.loading.retention_rules`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .common import CaseId, IsoDate, Slug, Strict, Text


class RetentionKind(StrEnum):
    """What kind of record a case's file is, for retention. A case is of every kind its history shows."""

    LOOKED_AFTER = "looked-after"
    """A child was looked after (came into care, or held s20, an EPO, an interim or full care order or a placement
    order). England: kept until the 75th anniversary of the child's birth (Care Planning, Placement and Case
    Review (England) Regulations 2010, regulation 50), or 15 years from death if the child died before 18."""
    ADOPTION = "adoption"
    """A placement order was made: the adoption case record. England: at least 100 years from the adoption order
    (Adoption Agencies Regulations 2005, regulation 42 and the Disclosure of Adoption Information regulations)."""
    CHILD_PROTECTION = "child-protection"
    """A child protection plan was made (and the child was never looked after). Local period."""
    CHILD_IN_NEED = "child-in-need"
    """A child in need (s17) plan was made, with no protection plan or care episode. Local period."""
    ASSESSMENT_ONLY = "assessment-only"
    """Open for assessment only, or closed with no plan and no care episode. Local period."""


class CountFrom(StrEnum):
    """The date a retention period counts from."""

    BIRTH = "birth"
    """The child's date of birth (for an unborn child, see `unborn`); the latest child's in a sibling group."""
    CLOSURE = "closure"
    """The case's last `closed` event. An open case is not counted: it is not due."""


class UnbornFrom(StrEnum):
    """What a rule counting from birth uses for a child recorded only as unborn."""

    DUE_DATE = "due-date"
    """The expected date of delivery (a `born` event's date is used once it is recorded)."""
    CLOSURE = "closure"
    """The case's closure, as if the rule counted from closure."""


class EndAction(StrEnum):
    """What happens when the period ends."""

    DESTROY = "destroy"
    """The record is destroyed: `panel erase` destroys the case's text key and its files are removed."""
    REVIEW = "review"
    """The information governance lead reviews the record and decides to keep it longer (a hold) or destroy it."""


class RetentionRule(Strict):
    """How long one kind of record is kept, and what then happens."""

    kind: RetentionKind
    """The kind of record."""
    years: int = Field(ge=1, le=150)
    """How many years it is kept."""
    count_from: CountFrom
    """The date the years count from."""
    unborn: UnbornFrom = UnbornFrom.DUE_DATE
    """For a rule counting from birth: what is used for a child recorded only as unborn."""
    action: EndAction = EndAction.REVIEW
    """What happens at the end of the period."""
    authority: Text | None = None
    """Where the period comes from (the regulation, or the council's retention schedule entry)."""


class Hold(Strict):
    """A case whose destruction is suspended (litigation, an inquiry, a complaint): never listed as due to destroy."""

    case: CaseId
    """The case id."""
    reason: Text
    """Why, in a few words, without names (a claim, an inquiry's request)."""
    until: IsoDate | None = None
    """When the hold is next reviewed; None: until lifted."""


class SealedText(StrEnum):
    """Whether the narrative of case documents must be sealed (encrypted with the case's key) before commit."""

    OFF = "off"
    """Narrative is plain text (the bundled example)."""
    OPTIONAL = "optional"
    """Sealed narrative is read when the key is present; plain narrative is accepted."""
    REQUIRED = "required"
    """`panel check` refuses plain narrative in any case document (`plaintext-narrative`)."""


class Retention(Strict):
    """The council's retention settings: one rule per kind of record, holds, and sealed narrative."""

    confirmed_by: Text | None = None
    """Who confirmed these periods for the council (the information governance lead's role, not a name), and when."""
    review_window_months: int = Field(default=12, ge=0, le=120)
    """`panel retention` also lists what falls due within this many months."""
    rules: list[RetentionRule] = Field(default_factory=list)
    """The rules, one per kind."""
    holds: list[Hold] = Field(default_factory=list)
    """Cases kept beyond their period."""
    sealed_text: SealedText = SealedText.OFF
    """Whether case narrative must be sealed with per-case keys kept outside git (docs/retention.md)."""
    sealed_text_from: IsoDate | None = None
    """With `required`: referrals, decision sheets and records of meetings before this day may stay plain (approved
    sheets cannot be edited to seal them); case files are always sealed. None: every document."""


class Erasure(Strict):
    """One case whose text key was destroyed: the ledger says when, by whom and under which rule, and nothing else."""

    case: CaseId
    """The case id (never a name)."""
    key_destroyed: IsoDate
    """The day the key was destroyed."""
    by: Slug
    """Who destroyed it (roster id)."""
    rule: RetentionKind | None = None
    """The retention rule that made it due, if it was retention (not a court order or an erasure request)."""


class ErasureLedger(Strict):
    """`retention/erasures.yml`: every erasure, appended by `panel erase`."""

    erasures: list[Erasure] = Field(default_factory=list)
    """The erasures, oldest first."""
