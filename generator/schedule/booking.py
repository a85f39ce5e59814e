"""A meeting's booking: its referrals in booking order, within its case cap and its emergency slots.

The one rule, read by the capacity check (`emergency-slot-unavailable`, `over-capacity`) and by the
agenda (kept, tabled and emergency slots):

- booking order is arrival order: referrals with no judged arrival time first, then by the time
  they entered the repository, ties (and the unjudged among themselves) by path;
- a referral whose case the meeting record defers is set aside, and takes no place;
- emergency referrals fill the panel's `emergency_slots` in booking order; the rest have no
  emergency slot, which the check reports;
- ordinary referrals fill `max_cases` in booking order; the rest are over capacity, tabled to the
  next meeting (with no cap, none is);
- an emergency never counts against the cap, in a slot or not: the check counts only ordinary
  cases, and the agenda hears an emergency without a slot in an ordinary case slot after the
  others, never tabling it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from generator.loading.repository import Doc
from generator.models import Deferral, Referral
from generator.models.panel import Timing


@dataclass(frozen=True, slots=True)
class Booking:
    """Where each referral to one meeting stands against the meeting's capacity."""

    order: tuple[Doc[Referral], ...]
    """Every referral to the meeting, in booking order."""
    deferred: tuple[Doc[Referral], ...]
    """The referrals whose case the meeting record defers, in booking order."""
    in_emergency_slot: tuple[Doc[Referral], ...]
    """Emergency referrals that have one of the emergency slots, in booking order."""
    no_emergency_slot: tuple[Doc[Referral], ...]
    """Emergency referrals beyond the emergency slots, in booking order."""
    within_cap: tuple[Doc[Referral], ...]
    """Ordinary referrals within the case cap (all of them where the panel sets no cap)."""
    tabled: tuple[Doc[Referral], ...]
    """Ordinary referrals over the case cap, to be tabled to the next meeting."""
    free_emergency_slots: int
    """Emergency slots no referral has taken."""

    @property
    def active(self) -> tuple[Doc[Referral], ...]:
        """The referrals not deferred, in booking order."""
        deferred = {doc.path for doc in self.deferred}
        return tuple(doc for doc in self.order if doc.path not in deferred)

    @property
    def ordinary(self) -> tuple[Doc[Referral], ...]:
        """The ordinary (not emergency) referrals not deferred, in booking order."""
        return self.within_cap + self.tabled


def booking_order(doc: Doc[Referral], arrivals: Mapping[str, datetime | None]) -> tuple[float, str]:
    """The key referrals are booked by: arrival (unjudged first), then path."""
    arrived = arrivals.get(doc.path)
    return (arrived.timestamp() if arrived is not None else float("-inf"), doc.path)


def book_meeting(
    referrals: Iterable[Doc[Referral]],
    arrivals: Mapping[str, datetime | None],
    deferrals: Iterable[Deferral],
    timing: Timing,
) -> Booking:
    """The booking of one meeting's referrals, from when each arrived, the record's deferrals and the panel's timing."""
    order = tuple(sorted(referrals, key=lambda doc: booking_order(doc, arrivals)))
    deferred_cases = {deferral.case for deferral in deferrals}
    deferred = tuple(doc for doc in order if doc.model.case in deferred_cases)
    active = [doc for doc in order if doc.model.case not in deferred_cases]
    emergencies = tuple(doc for doc in active if doc.model.emergency)
    ordinary = tuple(doc for doc in active if not doc.model.emergency)
    slots, cap = timing.emergency_slots, timing.max_cases
    return Booking(
        order=order,
        deferred=deferred,
        in_emergency_slot=emergencies[:slots],
        no_emergency_slot=emergencies[slots:],
        within_cap=ordinary if cap is None else ordinary[:cap],
        tabled=() if cap is None else ordinary[cap:],
        free_emergency_slots=max(slots - len(emergencies), 0),
    )
