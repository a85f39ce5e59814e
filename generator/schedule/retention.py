"""When each case's record falls due for review or destruction, under the council's retention rules.

A case is of every kind its record shows (`kinds_of`); each kind's rule gives a date; the latest
date governs, with its rule's action (review or destroy). Open cases are never due: a rule counts
from the case's closure or from a birth, and a live record is not destroyed. Holds suspend
destruction; erased cases (the erasure ledger) are reported as such. Nothing here reads the clock:
the "as of" date is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from generator.models.case import Case, EventKind, LegalStatus
from generator.models.retention import (
    CountFrom,
    EndAction,
    Erasure,
    Hold,
    Retention,
    RetentionKind,
    RetentionRule,
    UnbornFrom,
)

LOOKED_AFTER_STATUSES = frozenset(
    {
        LegalStatus.S20,
        LegalStatus.EPO,
        LegalStatus.INTERIM_CARE_ORDER,
        LegalStatus.CARE_ORDER,
        LegalStatus.PLACEMENT_ORDER,
    }
)
"""Legal statuses under which a child is looked after by the council (Children Act 1989, s22)."""


class Standing(StrEnum):
    """Where a case stands for retention as of a date."""

    OPEN = "open"
    """Not closed: not counted."""
    KEPT = "kept"
    """Closed, its date further off than the review window."""
    UPCOMING = "upcoming"
    """Falls due within the review window."""
    DUE = "due"
    """Its date has passed: review or destroy now."""
    HELD = "held"
    """Due or upcoming, but a hold suspends destruction."""
    ERASED = "erased"
    """Its text key was destroyed (the erasure ledger)."""
    NO_RULE = "no-rule"
    """A kind the case holds has no rule (`retention-rule-missing`)."""


@dataclass(frozen=True, slots=True)
class Basis:
    """What one kind's rule gives for one case."""

    kind: RetentionKind
    rule: RetentionRule | None
    due: date | None
    """None: the rule counts from a closure the case does not have, or the kind has no rule."""
    counted_from: str
    """What the date counts from, in words (never a date of birth)."""
    unborn_children: tuple[str, ...] = ()
    """Children's ids counted from a due date or closure because only a due date is recorded."""


@dataclass(frozen=True, slots=True)
class CaseRetention:
    """One case's retention: its kinds, the governing rule and date, and where it stands."""

    case: str
    kinds: tuple[RetentionKind, ...]
    standing: Standing
    governing: Basis | None
    """The kind whose date is latest; None when open, erased or a rule is missing."""
    bases: tuple[Basis, ...]
    hold: Hold | None = None
    erasure: Erasure | None = None

    @property
    def due(self) -> date | None:
        """The date the record falls due, if counted."""
        return self.governing.due if self.governing is not None else None

    @property
    def action(self) -> EndAction | None:
        """The governing rule's action."""
        return self.governing.rule.action if self.governing is not None and self.governing.rule else None


def kinds_of(case: Case) -> tuple[RetentionKind, ...]:
    """The kinds of record a case is, from its children's statuses and its key events."""
    statuses = {child.legal_status for child in case.children}
    events = {event.kind for event in case.events}
    kinds: list[RetentionKind] = []
    if statuses & LOOKED_AFTER_STATUSES or EventKind.ENTERED_CARE in events:
        kinds.append(RetentionKind.LOOKED_AFTER)
    if LegalStatus.PLACEMENT_ORDER in statuses:
        kinds.append(RetentionKind.ADOPTION)
    if LegalStatus.CP in statuses or EventKind.CP_PLAN_STARTED in events:
        kinds.append(RetentionKind.CHILD_PROTECTION)
    if LegalStatus.CIN in statuses or EventKind.CIN_PLAN_STARTED in events:
        kinds.append(RetentionKind.CHILD_IN_NEED)
    if not kinds:
        kinds.append(RetentionKind.ASSESSMENT_ONLY)
    return tuple(kinds)


def closure_of(case: Case) -> date | None:
    """The day the case closed: its last `closed` event, if no `opened` event came after it."""
    closed: date | None = None
    for event in sorted(case.events, key=lambda e: e.date):
        if event.kind is EventKind.CLOSED:
            closed = event.date
        elif event.kind is EventKind.OPENED and closed is not None and event.date > closed:
            closed = None
    return closed


def anniversary(day: date, years: int) -> date:
    """The `years`-th anniversary of `day`; a 29 February counts as 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def add_months(day: date, months: int) -> date:
    """`day` moved on by whole months, kept within the month (31 January + 1 month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def basis_for(case: Case, kind: RetentionKind, rule: RetentionRule | None) -> Basis:
    """The date `rule` gives the case for `kind` (None if it cannot be counted yet)."""
    closed = closure_of(case)
    if rule is None:
        return Basis(kind, None, None, "no rule")
    if rule.count_from is CountFrom.CLOSURE:
        due = anniversary(closed, rule.years) if closed is not None else None
        return Basis(kind, rule, due, f"{rule.years} years from the case's closure")
    anchors: list[date | None] = []
    unborn: list[str] = []
    for child in case.children:
        if child.date_of_birth is not None:
            anchors.append(child.date_of_birth)
            continue
        birth_event = next(
            (e.date for e in case.events if e.kind is EventKind.BORN and (not e.children or child.id in e.children)),
            None,
        )
        if birth_event is not None:
            anchors.append(birth_event)
            continue
        unborn.append(child.id)
        anchors.append(child.due_date if rule.unborn is UnbornFrom.DUE_DATE else closed)
    if any(anchor is None for anchor in anchors):
        words = f"{rule.years} years from birth (an unborn child: from the case's closure)"
        return Basis(kind, rule, None, words, tuple(unborn))
    latest = max(a for a in anchors if a is not None)
    words = f"{rule.years}th anniversary of the youngest child's birth"
    if unborn:
        words += " (an unborn child: its due date)" if rule.unborn is UnbornFrom.DUE_DATE else " (unborn: closure)"
    return Basis(kind, rule, anniversary(latest, rule.years), words, tuple(unborn))


def case_retention(
    case: Case,
    settings: Retention,
    *,
    as_of: date,
    erasures: Mapping[str, Erasure] | None = None,
) -> CaseRetention:
    """Where one case stands as of `as_of` under the settings."""
    rules: dict[RetentionKind, RetentionRule] = {}
    for rule in settings.rules:
        rules.setdefault(rule.kind, rule)
    kinds = kinds_of(case)
    bases = tuple(basis_for(case, kind, rules.get(kind)) for kind in kinds)
    hold = next((h for h in settings.holds if h.case == case.id and (h.until is None or h.until >= as_of)), None)
    erasure = (erasures or {}).get(case.id)
    if erasure is not None:
        return CaseRetention(case.id, kinds, Standing.ERASED, None, bases, hold, erasure)
    if any(basis.rule is None for basis in bases):
        return CaseRetention(case.id, kinds, Standing.NO_RULE, None, bases, hold)
    if closure_of(case) is None:
        return CaseRetention(case.id, kinds, Standing.OPEN, None, bases, hold)
    if any(basis.due is None for basis in bases):
        return CaseRetention(case.id, kinds, Standing.KEPT, None, bases, hold)
    governing = max(bases, key=lambda b: (b.due or date.min, b.kind))
    due = governing.due or date.max
    window_end = add_months(as_of, settings.review_window_months)
    if due > window_end:
        standing = Standing.KEPT
    elif hold is not None:
        standing = Standing.HELD
    else:
        standing = Standing.DUE if due <= as_of else Standing.UPCOMING
    return CaseRetention(case.id, kinds, standing, governing, bases, hold)


def retention_schedule(
    cases: Iterable[Case],
    settings: Retention,
    *,
    as_of: date,
    erasures: Mapping[str, Erasure] | None = None,
) -> list[CaseRetention]:
    """Every case's retention, due first, then by date and case id."""
    order = {
        Standing.DUE: 0,
        Standing.HELD: 1,
        Standing.UPCOMING: 2,
        Standing.NO_RULE: 3,
        Standing.ERASED: 4,
        Standing.KEPT: 5,
        Standing.OPEN: 6,
    }
    found = [case_retention(case, settings, as_of=as_of, erasures=erasures) for case in cases]
    return sorted(found, key=lambda r: (order[r.standing], r.due or date.max, r.case))
