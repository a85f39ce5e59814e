"""What a case's key events say about each child: child protection plans, entries to care, permanence, orders.

Everything here reads one case at a time and only its `events` and the children's legal status, so a
report is one pass over the cases. Events after `as_of` are ignored: the report describes that date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from generator.models import Case, EntryBasis, EventKind
from generator.models.case import Child, KeyEvent, LegalStatus
from generator.schedule.clocks import S20_BASES, cp_plan_spans, events_of

PERMANENCE_ORDERS: dict[LegalStatus, str] = {
    LegalStatus.CARE_ORDER: "care order",
    LegalStatus.PLACEMENT_ORDER: "placement order",
    LegalStatus.SGO: "special guardianship order",
    LegalStatus.CHILD_ARRANGEMENTS_ORDER: "child arrangements order",
}
"""Final orders that count as permanence, by the legal status they give the child."""

LEFT_CARE = "left care"
"""The permanence route of a `left-care` event (the event does not say where the child went)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """One child protection plan of one child."""

    case: str
    """Case id."""
    child: str
    """Child id within the case."""
    start: date
    """When the plan started."""
    end: date | None
    """When it ended (None: still open on the report's date)."""
    number: int
    """1 for the child's first recorded plan, 2 for the second, and so on."""


@dataclass(frozen=True, slots=True)
class CareEntry:
    """A child's entry to care under section 20, and when (if at all) they reached permanence."""

    case: str
    """Case id."""
    child: str
    """Child id within the case."""
    entered: date
    """The date of the `entered-care` event."""
    basis: EntryBasis
    """Planned or emergency section 20."""
    permanence: date | None
    """The date of the first permanence event after entry (None: none by the report's date)."""
    route: str | None
    """"left care", or the final order made ("care order", ...), or None."""


@dataclass(frozen=True, slots=True)
class ChildEvent:
    """A dated event of one child (an order made, leaving care)."""

    case: str
    """Case id."""
    child: str
    """Child id within the case."""
    date: date
    """When it happened."""


def events_by_child(case: Case, as_of: date) -> dict[str, list[KeyEvent]]:
    """Each child's events up to `as_of`, oldest first (an event naming no children is every child's)."""
    return {child.id: events_of(case, [child.id], until=as_of) for child in sorted(case.children, key=lambda c: c.id)}


def cp_plans(case: Case, as_of: date) -> list[Plan]:
    """Every child protection plan of every child of the case, from `cp-plan-started` and `cp-plan-ended`.

    A start while a plan is open continues it; an end with no open plan is ignored (`cp_plan_spans`).
    """
    return [
        Plan(case.id, child_id, span.start, span.end, number)
        for child_id, events in events_by_child(case, as_of).items()
        for number, span in enumerate(cp_plan_spans(events), 1)
    ]


def order_made(child: Child, event: KeyEvent) -> LegalStatus | None:
    """The final order an `order-made` event made for `child`, where the record can tell.

    The event does not say which order; the child's legal status does, when it began on the day
    of the event. Anything else (an interim order, a status that has changed since) gives None.
    """
    if event.kind is not EventKind.ORDER_MADE or child.legal_status_since != event.date:
        return None
    return child.legal_status if child.legal_status in PERMANENCE_ORDERS else None


def s20_entries(case: Case, as_of: date) -> list[CareEntry]:
    """Every entry to care under section 20, with the first permanence event after it.

    Permanence is the first, on or after the entry, of: leaving care (`left-care`), or a final
    order (`order-made` whose order `order_made` can tell).
    """
    entries: list[CareEntry] = []
    for child_id, events in events_by_child(case, as_of).items():
        child = case.child(child_id)
        if child is None:
            continue
        for index, event in enumerate(events):
            if event.kind is not EventKind.ENTERED_CARE or event.basis is None or event.basis not in S20_BASES:
                continue
            reached = next(_permanence(child, events[index + 1 :]), None)
            entries.append(
                CareEntry(
                    case.id,
                    child_id,
                    event.date,
                    event.basis,
                    reached[0] if reached else None,
                    reached[1] if reached else None,
                )
            )
    return entries


def _permanence(child: Child, later: list[KeyEvent]) -> Iterator[tuple[date, str]]:
    for event in later:
        if event.kind is EventKind.LEFT_CARE:
            yield event.date, LEFT_CARE
        order = order_made(child, event)
        if order is not None:
            yield event.date, PERMANENCE_ORDERS[order]


def orders_of(case: Case, as_of: date, status: LegalStatus) -> list[ChildEvent]:
    """The orders of one kind (e.g. special guardianship) made for the case's children, as `order_made` tells."""
    found: list[ChildEvent] = []
    for child_id, events in events_by_child(case, as_of).items():
        child = case.child(child_id)
        if child is not None:
            found += [ChildEvent(case.id, child_id, e.date) for e in events if order_made(child, e) is status]
    return found


def left_care(case: Case, as_of: date) -> list[ChildEvent]:
    """Every `left-care` event, child by child."""
    return [
        ChildEvent(case.id, child_id, e.date)
        for child_id, events in events_by_child(case, as_of).items()
        for e in events
        if e.kind is EventKind.LEFT_CARE
    ]
