"""Later, append-only records: `decisions/<panel-id>/<meeting-date>/records/<name>.md` front matter."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import model_validator

from .common import DocumentPath, IsoDate, Slug, Strict, Text
from .roles import Role


class RecordKind(StrEnum):
    """What the record says happened."""

    ACTION_DONE = "action-done"
    """An agreed action was completed."""
    ACTION_ESCALATED = "action-escalated"
    """An overdue action was escalated."""
    ACTION_DUE_CHANGED = "action-due-changed"
    """The chair agreed a new due date for an action."""
    NOTE = "note"
    """A note added to a decision (a correction is a superseding decision, not a note)."""


class Record(Strict):
    """An update to an earlier decision, never an edit of it."""

    kind: RecordKind
    """What happened."""
    refers_to: DocumentPath
    """Repository path of the decision it updates."""
    action: Slug | None = None
    """The action id, for action records."""
    date: IsoDate
    """When it happened."""
    by: Slug
    """Who records it (roster id)."""
    escalated_to: Role | None = None
    """For escalations: the role escalated to."""
    new_due: IsoDate | None = None
    """For due-date changes: the new date."""
    note: Text | None = None
    """A sentence of context."""

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Self:
        if self.kind is not RecordKind.NOTE and self.action is None:
            raise ValueError(f"a {self.kind} record names the action")
        if (self.kind is RecordKind.ACTION_ESCALATED) != (self.escalated_to is not None):
            raise ValueError("escalated_to is given for action-escalated records, and only for them")
        if (self.kind is RecordKind.ACTION_DUE_CHANGED) != (self.new_due is not None):
            raise ValueError("new_due is given for action-due-changed records, and only for them")
        return self
