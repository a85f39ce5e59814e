"""A case's timeline across every panel: key events, referrals, meetings, decisions, actions, records.

Pure computation: one index over the whole repository, built once per site (`Workspace.memo`), from
which each case page takes its own entries in date order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from generator.loading.repository import Doc
from generator.models import Decision, Panel, Record, RecordKind
from generator.pipeline.workspace import Workspace
from generator.schedule.local_time import arrival_date
from generator.views.trackers import ActionStatus, current_path, known_records, replacement, tracked_actions


class EntryKind(IntEnum):
    """What a timeline entry records; the value orders entries that share a date."""

    EVENT = 1
    """A key event of the case."""
    REFERRAL = 2
    """A referral entered the repository (or, if its arrival is not known, the meeting it is for)."""
    HEARD = 3
    """The case was heard at a meeting."""
    DEFERRED = 4
    """The case was booked for a meeting and not heard."""
    DECISION = 5
    """A panel's decision."""
    ACTION_DUE = 6
    """An agreed action falls due."""
    ACTION_DONE = 7
    """An agreed action was done."""
    RECORD = 8
    """A later record: an escalation, a new due date, a note."""

    @property
    def label(self) -> str:
        """The kind in words."""
        return self.name.replace("_", " ").lower()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated line of a case's timeline."""

    when: date
    """When."""
    kind: EntryKind
    """What sort of entry."""
    panel: str | None
    """The panel concerned, if any."""
    text: str
    """What happened, in plain words."""
    decision: Doc[Decision] | None = None
    """The decision to link to, if any."""

    def key(self) -> tuple[date, int, str, str]:
        """The sort order: date, kind, panel, text."""
        return (self.when, int(self.kind), self.panel or "", self.text)


def case_timeline(data: Workspace, case_id: str) -> tuple[TimelineEntry, ...]:
    """Every dated entry of one case, oldest first (empty for an unknown case)."""
    return data.view(_index).get(case_id, ())


def _index(data: Workspace) -> dict[str, tuple[TimelineEntry, ...]]:
    entries: dict[str, list[TimelineEntry]] = defaultdict(list)
    repo = data.repo
    for case_id, doc in repo.cases.items():
        for event in doc.model.events:
            text = event.kind.value.replace("-", " ")
            if event.basis is not None:
                text += f" ({event.basis.value.replace('-', ' ')})"
            if event.note:
                text += f": {event.note}"
            entries[case_id].append(TimelineEntry(event.date, EntryKind.EVENT, None, text))
    for referral in repo.referrals:
        model = referral.model
        arrived = data.arrivals.get(referral.path)
        when = arrival_date(arrived) if arrived is not None else model.meeting
        request = _request_name(repo.panels.get(model.panel), model.request)
        text = f"referral for the meeting on {model.meeting.isoformat()}: {request}"
        entries[model.case].append(TimelineEntry(when, EntryKind.REFERRAL, model.panel, text))
    for (panel_id, meeting_date), meeting in repo.meetings.items():
        for case_id in meeting.model.heard:
            entries[case_id].append(TimelineEntry(meeting_date, EntryKind.HEARD, panel_id, "heard"))
        for deferral in meeting.model.deferred:
            moved = f", moved to {deferral.to.isoformat()}" if deferral.to else ""
            text = f"deferred: {deferral.reason}{moved}"
            entries[deferral.case].append(TimelineEntry(meeting_date, EntryKind.DEFERRED, panel_id, text))
    for decision in repo.decisions:
        decided = decision.model
        panel = repo.panels.get(decided.panel)
        text = "decision: " + ", ".join(_outcome_name(panel, o) for o in decided.outcomes)
        if decision.location.version > 1:
            text += f" (corrected sheet, version {decision.location.version})"
        elif decided.supersedes:
            text += " (replaces an earlier decision)"
        if replacement(data, decision.path) is not None:
            text += " (superseded)"
        entries[decided.case].append(TimelineEntry(decided.meeting, EntryKind.DECISION, decided.panel, text, decision))
    for action in tracked_actions(data):
        decision = action.decision
        what = f"action {action.action}: {action.what}"
        due = TimelineEntry(action.due, EntryKind.ACTION_DUE, action.panel, f"{what} ({action.status.value})", decision)
        entries[action.case].append(due)
        if action.status is ActionStatus.DONE and action.done_on is not None:
            done = TimelineEntry(action.done_on, EntryKind.ACTION_DONE, action.panel, what, decision)
            entries[action.case].append(done)
    for record in known_records(data):
        target = repo.decision_by_path.get(current_path(data, record.model.refers_to))
        if target is None or record.model.kind is RecordKind.ACTION_DONE:
            continue
        entries[target.model.case].append(
            TimelineEntry(record.model.date, EntryKind.RECORD, target.model.panel, _record_text(record.model), target)
        )
    return {case_id: _sorted(found) for case_id, found in entries.items()}


def _record_text(record: Record) -> str:
    action = f"action {record.action}" if record.action else ""
    if record.kind is RecordKind.ACTION_ESCALATED and record.escalated_to is not None:
        text = f"{action} escalated to the {record.escalated_to.value.replace('-', ' ')}"
    elif record.kind is RecordKind.ACTION_DUE_CHANGED and record.new_due is not None:
        text = f"{action} now due {record.new_due.isoformat()}"
    else:
        text = "note"
    return f"{text}: {record.note}" if record.note else text


def _request_name(panel: Panel | None, request_id: str) -> str:
    request = panel.request_type(request_id) if panel else None
    return request.name if request else request_id


def _outcome_name(panel: Panel | None, outcome_id: str) -> str:
    outcomes = panel.outcomes if panel else []
    return next((o.name for o in outcomes if o.id == outcome_id), outcome_id)


def _sorted(entries: Sequence[TimelineEntry]) -> tuple[TimelineEntry, ...]:
    return tuple(sorted(entries, key=TimelineEntry.key))
