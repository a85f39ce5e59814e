"""A meeting's booking: arrival order, deferrals, the case cap and the emergency slots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from generator.core.layout import Kind, Location
from generator.loading.repository import Doc
from generator.loading.safe_yaml import Parsed
from generator.models import Deferral, Referral
from generator.models.panel import Timing
from generator.schedule.booking import Booking, book_meeting, booking_order

MEETING = date(2026, 12, 1)

# (case, emergency, arrival): an arrival of None is unjudged (the mapping says None).
Spec = tuple[str, bool, datetime | None]


def referral(case: str, emergency: bool = False) -> Doc[Referral]:
    """A referral of `case` to the CMR meeting on 1 December 2026, as loaded."""
    path = f"cases/{case}/referrals/{MEETING.isoformat()}-cmr.md"
    data: dict[str, Any] = {
        "panel": "cmr",
        "meeting": MEETING.isoformat(),
        "case": case,
        "request": "plan-review",
        "children": ["c1"],
        "sought": "A review.",
        "presenter": "p-pennyroyal-saul",
        "emergency": emergency,
    }
    return Doc(Location(path, Kind.REFERRAL, "cmr", case, MEETING), Referral.model_validate(data), Parsed(data))


def at(day: int, hour: int = 9) -> datetime:
    """A time in November 2026 (UTC)."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def timing(emergency_slots: int = 0, max_cases: int | None = None) -> Timing:
    """A panel's timing with these emergency slots and this cap."""
    return Timing(slot_minutes=30, emergency_slots=emergency_slots, max_cases=max_cases)


def booked(specs: Sequence[Spec], deferred: Sequence[str] = (), slots: int = 0, cap: int | None = None) -> Booking:
    """The booking of referrals made from `specs`, given the cases deferred and the panel's capacity."""
    docs = [referral(case, emergency) for case, emergency, _ in specs]
    arrivals = {doc.path: arrived for doc, (_, _, arrived) in zip(docs, specs, strict=True)}
    deferrals = [Deferral(case=case, reason="Papers late.") for case in deferred]
    return book_meeting(docs, arrivals, deferrals, timing(slots, cap))


def cases(docs: Sequence[Doc[Referral]]) -> list[str]:
    """The case ids of `docs`, in order."""
    return [doc.model.case for doc in docs]


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        pytest.param([("100002", False, at(2)), ("100001", False, at(3))], ["100002", "100001"], id="by-arrival"),
        pytest.param([("100002", False, at(2)), ("100001", False, at(2))], ["100001", "100002"], id="tie-by-path"),
        pytest.param([("100001", False, at(2)), ("100002", False, None)], ["100002", "100001"], id="unjudged-first"),
        pytest.param([("100002", False, None), ("100001", False, None)], ["100001", "100002"], id="unjudged-by-path"),
        pytest.param(
            [("100001", False, at(2, 10)), ("100002", False, datetime(2026, 11, 2, 9, 30, tzinfo=UTC))],
            ["100002", "100001"],
            id="by-the-minute",
        ),
    ],
)
def test_booking_order(specs: list[Spec], expected: list[str]) -> None:
    """Referrals are booked by arrival time, unjudged ones first, ties and unjudged ones by path."""
    assert expected == cases(booked(specs).order)


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        pytest.param({}, float("-inf"), id="missing-from-the-arrivals"),
        pytest.param({"cases/100001/referrals/2026-12-01-cmr.md": None}, float("-inf"), id="unjudged"),
        pytest.param({"cases/100001/referrals/2026-12-01-cmr.md": at(2)}, at(2).timestamp(), id="judged"),
    ],
)
def test_booking_order_key(arrivals: dict[str, datetime | None], expected: float) -> None:
    """The key is the arrival's timestamp, or minus infinity when there is none, then the path."""
    doc = referral("100001")
    assert (expected, doc.path) == booking_order(doc, arrivals)


THREE_ORDINARY: list[Spec] = [("100001", False, at(2)), ("100002", False, at(3)), ("100003", False, at(4))]
TWO_EMERGENCIES: list[Spec] = [("100004", True, at(5)), ("100005", True, at(1))]


@pytest.mark.parametrize(
    ("specs", "deferred", "slots", "cap", "expected"),
    [
        pytest.param(THREE_ORDINARY, (), 0, None, (["100001", "100002", "100003"], [], [], [], 0), id="no-cap"),
        pytest.param(THREE_ORDINARY, (), 0, 3, (["100001", "100002", "100003"], [], [], [], 0), id="at-the-cap"),
        pytest.param(THREE_ORDINARY, (), 0, 2, (["100001", "100002"], ["100003"], [], [], 0), id="over-the-cap"),
        pytest.param(THREE_ORDINARY, (), 0, 1, (["100001"], ["100002", "100003"], [], [], 0), id="two-over"),
        pytest.param(
            [*THREE_ORDINARY[:2], ("100003", False, None)],
            (),
            0,
            2,
            (["100003", "100001"], ["100002"], [], [], 0),
            id="unjudged-arrival-booked-first",
        ),
        pytest.param(
            THREE_ORDINARY, ("100001",), 0, 2, (["100002", "100003"], [], [], [], 0), id="deferral-frees-a-place"
        ),
        pytest.param(
            THREE_ORDINARY, ("100009",), 0, 2, (["100001", "100002"], ["100003"], [], [], 0), id="deferral-unbooked"
        ),
        pytest.param(TWO_EMERGENCIES, (), 2, None, ([], [], ["100005", "100004"], [], 0), id="emergencies-in-slots"),
        pytest.param(TWO_EMERGENCIES, (), 3, None, ([], [], ["100005", "100004"], [], 1), id="a-slot-kept-free"),
        pytest.param(TWO_EMERGENCIES, (), 1, None, ([], [], ["100005"], ["100004"], 0), id="second-has-no-slot"),
        pytest.param(TWO_EMERGENCIES, (), 0, None, ([], [], [], ["100005", "100004"], 0), id="no-emergency-slots"),
        pytest.param(
            TWO_EMERGENCIES, ("100005",), 1, None, ([], [], ["100004"], [], 0), id="deferred-emergency-frees-its-slot"
        ),
        pytest.param(
            [*THREE_ORDINARY, *TWO_EMERGENCIES],
            (),
            1,
            2,
            (["100001", "100002"], ["100003"], ["100005"], ["100004"], 0),
            id="emergencies-never-count-against-the-cap",
        ),
        pytest.param([], (), 2, 2, ([], [], [], [], 2), id="nothing-booked"),
    ],
)
def test_book_meeting(
    specs: list[Spec],
    deferred: tuple[str, ...],
    slots: int,
    cap: int | None,
    expected: tuple[list[str], list[str], list[str], list[str], int],
) -> None:
    """Ordinary cases fill the cap and emergencies the emergency slots, in booking order, deferred cases aside."""
    booking = booked(specs, deferred, slots, cap)
    actual = (
        cases(booking.within_cap),
        cases(booking.tabled),
        cases(booking.in_emergency_slot),
        cases(booking.no_emergency_slot),
        booking.free_emergency_slots,
    )
    assert expected == actual


def test_deferred_referrals_are_set_aside_but_keep_their_place_in_the_order() -> None:
    """The order lists every referral; deferred and active split it, each in booking order."""
    booking = booked([*THREE_ORDINARY, *TWO_EMERGENCIES], deferred=("100002", "100005"), slots=1, cap=2)
    actual = (cases(booking.order), cases(booking.deferred), cases(booking.active), cases(booking.ordinary))
    expected = (
        ["100005", "100001", "100002", "100003", "100004"],
        ["100005", "100002"],
        ["100001", "100003", "100004"],
        ["100001", "100003"],
    )
    assert expected == actual


def test_ordinary_counts_those_within_the_cap_and_those_over_it() -> None:
    """The ordinary cases are the ones kept then the ones tabled: the count the over-capacity message quotes."""
    booking = booked([*THREE_ORDINARY, *TWO_EMERGENCIES], slots=0, cap=1)
    assert ["100001", "100002", "100003"] == cases(booking.ordinary)
