"""Trigger clocks: events by children, the CP-plan walk, entries, each kind's start at a meeting and on the radar."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generator.models import Case, EntryBasis, KeyEvent
from generator.models.panel import Timescale, TimeUnit, Trigger, TriggerKind
from generator.schedule.clocks import (
    EMERGENCY_BASES,
    S20_BASES,
    Clock,
    PlanSpan,
    cp_plan_spans,
    cp_plan_start,
    eligibility_clock,
    eligibility_start,
    events_of,
    latest_entry,
    open_plan_start,
    radar_clock,
    radar_start,
    reunification_plan_by,
    unplanned_entry,
)
from generator.schedule.workdays import WorkingCalendar

CAL = WorkingCalendar()
OPEN = TriggerKind.OPEN_AS_CIN_OR_CP
CP = TriggerKind.CP_PLAN_LONGER_THAN
UNPLANNED = TriggerKind.UNPLANNED_ENTRY_TO_CARE
S20 = TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN
JUDGEMENT = TriggerKind.PROFESSIONAL_JUDGEMENT

Events = list[dict[str, Any]]


def ev(day: str, kind: str, *children: str, basis: str | None = None) -> dict[str, Any]:
    """A key event on `day` (ISO), about `children` (none: every child)."""
    event: dict[str, Any] = {"date": day, "kind": kind, "children": list(children)}
    return event | ({"basis": basis} if basis else {})


def entry(day: str, basis: str, *children: str) -> dict[str, Any]:
    """An entry to care on `day` (ISO) on `basis`, of `children` (none: every child)."""
    return ev(day, "entered-care", *children, basis=basis)


def case(events: Events, status: str = "cin", children: tuple[str, ...] = ("c1",)) -> Case:
    """A case whose children all have legal status `status`, with `events`."""
    people = [
        {
            "id": child,
            "name": f"Child {child}",
            "date_of_birth": "2016-04-02",
            "legal_status": status,
            "legal_status_since": "2025-01-01",
        }
        for child in children
    ]
    return Case.model_validate(
        {"id": "100001", "children": people, "worker": "p-pennyroyal-saul", "team": "t", "events": events}
    )


def trigger(kind: TriggerKind, within: int = 6, unit: TimeUnit = TimeUnit.MONTHS) -> Trigger:
    """A trigger of `kind` with a clock of `within` units (none for professional judgement)."""
    clock = None if kind is JUDGEMENT else Timescale(within=within, unit=unit)
    return Trigger(id="ground", kind=kind, description="The ground.", within=clock)


def dates(events: list[KeyEvent]) -> list[str]:
    """The events' dates (ISO) in order."""
    return [e.date.isoformat() for e in events]


def d(text: str | None) -> date | None:
    """An ISO date, or None."""
    return None if text is None else date.fromisoformat(text)


# --- events, plans and entries ---------------------------------------------------------------------

FAMILY = case(
    [
        ev("2026-03-01", "opened"),
        ev("2026-01-01", "cin-plan-started", "c2"),
        ev("2026-02-01", "cp-plan-started", "c1", "c2"),
        ev("2026-12-01", "closed"),
    ],
    children=("c1", "c2", "c3"),
)


@pytest.mark.parametrize(
    ("children", "until", "expected"),
    [
        pytest.param(["c1"], None, ["2026-02-01", "2026-03-01", "2026-12-01"], id="one-child"),
        pytest.param(["c2"], None, ["2026-01-01", "2026-02-01", "2026-03-01", "2026-12-01"], id="named-only-c2"),
        pytest.param(["c3"], None, ["2026-03-01", "2026-12-01"], id="events-naming-no-one"),
        pytest.param(["c1", "c3"], None, ["2026-02-01", "2026-03-01", "2026-12-01"], id="any-of-the-children"),
        pytest.param(["c1"], date(2026, 3, 1), ["2026-02-01", "2026-03-01"], id="until-counts-the-day"),
        pytest.param([], None, ["2026-03-01", "2026-12-01"], id="no-children"),
    ],
)
def test_events_of(children: list[str], until: date | None, expected: list[str]) -> None:
    """The events about any of the children, up to a day, oldest first; an event naming no one is everyone's."""
    assert expected == dates(events_of(FAMILY, children, until=until))


def test_events_on_one_day_keep_their_recorded_order() -> None:
    """Sorting by date keeps the case file's order within a day, which the plan walk relies on."""
    same_day = case(
        [ev("2026-05-01", "cp-plan-started"), ev("2026-05-01", "cp-plan-ended"), ev("2026-04-01", "opened")]
    )
    assert ["opened", "cp-plan-started", "cp-plan-ended"] == [e.kind.value for e in events_of(same_day, ["c1"])]


def plan_events(*steps: str) -> Events:
    """Child protection plan events: "+2026-01-05" starts a plan that day, "-2026-06-01" ends one."""
    return [ev(step[1:], "cp-plan-started" if step[0] == "+" else "cp-plan-ended") for step in steps]


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        pytest.param(plan_events("+2026-01-05"), [("2026-01-05", None)], id="open"),
        pytest.param(plan_events("+2026-01-05", "-2026-06-01"), [("2026-01-05", "2026-06-01")], id="ended"),
        pytest.param(
            plan_events("+2024-01-05", "-2024-09-01", "+2026-05-01"),
            [("2024-01-05", "2024-09-01"), ("2026-05-01", None)],
            id="ended-and-restarted",
        ),
        pytest.param(plan_events("-2026-01-05", "+2026-02-01"), [("2026-02-01", None)], id="a-stray-end-is-ignored"),
        pytest.param(plan_events("+2026-02-01", "+2026-03-01"), [("2026-02-01", None)], id="a-start-continues-a-plan"),
        pytest.param(
            plan_events("+2026-02-01", "-2026-05-01", "+2026-05-01"),
            [("2026-02-01", "2026-05-01"), ("2026-05-01", None)],
            id="ended-and-restarted-on-one-day",
        ),
        pytest.param([ev("2026-02-01", "opened")], [], id="no-plan"),
    ],
)
def test_cp_plan_spans(events: Events, expected: list[tuple[str, str | None]]) -> None:
    """A plan runs from a start to the next end; a start after an end is the next plan."""
    spans = cp_plan_spans(events_of(case(events), ["c1"]))
    assert [PlanSpan(date.fromisoformat(s), d(e)) for s, e in expected] == spans


RESTARTED = [*plan_events("+2025-01-06", "-2025-06-02", "+2026-04-25"), ev("2026-09-01", "cp-plan-ended", "c2")]


@pytest.mark.parametrize(
    ("children", "at", "expected"),
    [
        pytest.param(["c1"], date(2025, 1, 5), None, id="before-the-first-plan"),
        pytest.param(["c1"], date(2025, 1, 6), "2025-01-06", id="on-the-day-it-starts"),
        pytest.param(["c1"], date(2025, 6, 1), "2025-01-06", id="during-the-first-plan"),
        pytest.param(["c1"], date(2025, 6, 2), None, id="on-the-day-it-ends"),
        pytest.param(["c1"], date(2026, 11, 25), "2026-04-25", id="the-restarted-plan"),
        pytest.param(["c2"], date(2026, 11, 25), None, id="ended-for-the-child-it-names"),
        pytest.param(["c1", "c2"], date(2026, 11, 25), None, id="one-childs-end-ends-the-groups-plan"),
        pytest.param(["c1", "c2"], date(2026, 8, 31), "2026-04-25", id="the-group-before-that-end"),
    ],
)
def test_cp_plan_start(children: list[str], at: date, expected: str | None) -> None:
    """The start of the plan current on a day, from the walk over the children's events up to it."""
    assert d(expected) == cp_plan_start(case(RESTARTED, "cp", ("c1", "c2")), children, at)


def test_open_plan_start_is_the_start_of_a_plan_left_open() -> None:
    """After the events walked, the plan still open (if any) gives the start."""
    walked = events_of(case(RESTARTED, "cp", ("c1", "c2")), ["c1"])
    assert (date(2026, 4, 25), None) == (open_plan_start(walked), open_plan_start(walked[:2]))


ENTRIES = case(
    [
        entry("2025-03-01", "s20-planned"),
        entry("2025-06-01", "epo"),
        entry("2026-02-01", "interim-care-order"),
        entry("2026-05-01", "s20-emergency"),
        entry("2026-09-01", "police-protection"),
    ]
)


@pytest.mark.parametrize(
    ("bases", "until", "expected"),
    [
        pytest.param(EMERGENCY_BASES, None, "2026-09-01", id="emergency"),
        pytest.param(EMERGENCY_BASES, date(2026, 8, 31), "2026-05-01", id="emergency-until"),
        pytest.param(EMERGENCY_BASES, date(2025, 5, 31), None, id="no-emergency-yet"),
        pytest.param(S20_BASES, None, "2026-05-01", id="s20"),
        pytest.param(S20_BASES, date(2026, 4, 30), "2025-03-01", id="s20-until"),
        pytest.param(frozenset({EntryBasis.REMAND}), None, None, id="no-such-basis"),
    ],
)
def test_latest_entry(bases: frozenset[EntryBasis], until: date | None, expected: str | None) -> None:
    """The latest entry to care on one of the given bases."""
    assert d(expected) == latest_entry(events_of(ENTRIES, ["c1"], until=until), bases)


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        pytest.param(OPEN, date(2026, 11, 24), False, id="open-the-day-before"),
        pytest.param(OPEN, date(2026, 11, 25), True, id="open-on-the-day"),
        pytest.param(S20, date(2026, 11, 25), True, id="s20-on-the-day"),
        pytest.param(CP, date(2026, 11, 25), False, id="cp-on-the-day"),
        pytest.param(CP, date(2026, 11, 26), True, id="cp-the-day-after"),
        pytest.param(UNPLANNED, date(2026, 11, 25), False, id="unplanned-on-the-last-day"),
        pytest.param(UNPLANNED, date(2026, 11, 26), True, id="unplanned-the-day-after"),
    ],
)
def test_clock_met_on(kind: TriggerKind, day: date, expected: bool) -> None:
    """A clock due on 25 November is met on the day, or only after it for "longer than" and "within"."""
    assert expected == Clock(kind, date(2026, 5, 25), date(2026, 11, 25)).met_on(day)


# --- eligibility at a meeting ------------------------------------------------------------------------

MEETING = date(2026, 12, 1)
REOPENED = [ev("2025-01-06", "opened"), ev("2025-03-03", "closed"), ev("2026-10-01", "opened")]


@pytest.mark.parametrize(
    ("kind", "events", "expected"),
    [
        pytest.param(OPEN, [ev("2026-05-25", "opened")], "2026-05-25", id="open"),
        pytest.param(
            OPEN, [ev("2026-06-01", "opened"), ev("2026-05-01", "cin-plan-started")], "2026-05-01", id="open-first"
        ),
        pytest.param(OPEN, REOPENED, "2025-01-06", id="open-ignores-a-closure"),
        pytest.param(OPEN, [ev("2026-12-02", "opened")], None, id="open-after-the-meeting"),
        pytest.param(CP, RESTARTED, "2026-04-25", id="cp-restarted"),
        pytest.param(CP, RESTARTED[:2], None, id="cp-ended"),
        pytest.param(
            UNPLANNED,
            [entry("2026-11-16", "s20-emergency"), entry("2026-11-20", "epo")],
            "2026-11-20",
            id="unplanned-latest",
        ),
        pytest.param(
            UNPLANNED,
            [entry("2026-11-16", "epo"), entry("2026-12-10", "epo")],
            "2026-12-10",
            id="unplanned-after-the-meeting",
        ),
        pytest.param(UNPLANNED, [entry("2026-11-16", "s20-planned")], None, id="unplanned-not-planned"),
        pytest.param(
            S20,
            [entry("2026-01-10", "epo"), entry("2026-11-20", "s20-planned")],
            "2026-01-10",
            id="s20-first-entry-any-basis",
        ),
        pytest.param(S20, [entry("2026-12-02", "s20-planned")], None, id="s20-after-the-meeting"),
        pytest.param(JUDGEMENT, [ev("2026-05-25", "opened")], None, id="professional-judgement"),
    ],
)
def test_eligibility_start(kind: TriggerKind, events: Events, expected: str | None) -> None:
    """Where each kind of clock starts for the referred child at a meeting on 1 December 2026."""
    assert d(expected) == eligibility_start(kind, case(events), ["c1"], MEETING)


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        pytest.param(["c1"], None, id="another-childs-event"),
        pytest.param(["c1", "c2"], "2026-05-25", id="one-of-the-referred"),
        pytest.param(["c2"], "2026-05-25", id="the-child-it-names"),
    ],
)
def test_eligibility_start_of_the_referred_children(children: list[str], expected: str | None) -> None:
    """At a meeting an event counts when it names any of the referred children."""
    family = case([ev("2026-05-25", "opened", "c2")], children=("c1", "c2"))
    assert d(expected) == eligibility_start(OPEN, family, children, MEETING)


# Each clock runs out on Wednesday 25 November 2026: (trigger, legal status, events, start).
RUNS_OUT = date(2026, 11, 25)
CLOCKS: dict[TriggerKind, tuple[Trigger, str, Events, date]] = {
    OPEN: (trigger(OPEN, 6, TimeUnit.MONTHS), "cin", [ev("2026-05-25", "opened")], date(2026, 5, 25)),
    CP: (trigger(CP, 7, TimeUnit.MONTHS), "cp", [ev("2026-04-25", "cp-plan-started")], date(2026, 4, 25)),
    UNPLANNED: (
        trigger(UNPLANNED, 7, TimeUnit.WORKING_DAYS),
        "s20",
        [entry("2026-11-16", "s20-emergency")],
        date(2026, 11, 16),
    ),
    S20: (
        trigger(S20, 5, TimeUnit.DAYS),
        "s20",
        [entry("2026-11-20", "s20-planned")],
        date(2026, 11, 20),
    ),
}


@pytest.mark.parametrize("kind", [OPEN, CP, UNPLANNED, S20])
def test_eligibility_clock(kind: TriggerKind) -> None:
    """The clock at a meeting starts at its event and runs out by the trigger's timescale."""
    rule, status, events, start = CLOCKS[kind]
    assert Clock(kind, start, RUNS_OUT) == eligibility_clock(rule, case(events, status), ["c1"], MEETING, CAL)


def test_eligibility_clock_needs_a_start() -> None:
    """With no event to start from, there is no clock."""
    rule, status, _, _ = CLOCKS[OPEN]
    assert None is eligibility_clock(rule, case([], status), ["c1"], MEETING, CAL)


@pytest.mark.parametrize(
    ("events", "children", "expected"),
    [
        pytest.param([ev("2026-11-23", "reunification-plan-agreed")], ["c1"], "2026-11-23", id="agreed"),
        pytest.param(
            [ev("2026-11-23", "reunification-plan-agreed"), ev("2026-06-01", "reunification-plan-agreed")],
            ["c1"],
            "2026-06-01",
            id="the-first",
        ),
        pytest.param([ev("2026-12-02", "reunification-plan-agreed")], ["c1"], None, id="after-the-meeting"),
        pytest.param([ev("2026-11-23", "reunification-plan-agreed", "c2")], ["c1"], None, id="for-another-child"),
    ],
)
def test_reunification_plan_by(events: Events, children: list[str], expected: str | None) -> None:
    """The first reunification plan agreed for the referred children on or before the meeting."""
    assert d(expected) == reunification_plan_by(case(events, "s20", ("c1", "c2")), children, MEETING)


def test_unplanned_entry_is_the_latest_emergency_entry_of_the_referred_children() -> None:
    """Only the referred children's emergency entries count, the latest of them."""
    events = [entry("2026-11-16", "epo", "c1"), entry("2026-11-20", "epo", "c2")]
    family = case(events, "epo", ("c1", "c2"))
    assert (date(2026, 11, 16), date(2026, 11, 20)) == (
        unplanned_entry(family, ["c1"]),
        unplanned_entry(family, ["c1", "c2"]),
    )


# --- on the radar on as_of ---------------------------------------------------------------------------

AS_OF = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("kind", "status", "events", "expected"),
    [
        pytest.param(OPEN, "cin", [ev("2026-05-25", "opened")], "2026-05-25", id="open-cin"),
        pytest.param(OPEN, "cp", [ev("2026-05-25", "cp-plan-started")], "2026-05-25", id="open-cp"),
        pytest.param(OPEN, "s20", [ev("2026-05-25", "opened")], None, id="open-needs-cin-or-cp"),
        pytest.param(OPEN, "cin", REOPENED, "2026-10-01", id="open-since-the-last-closure"),
        pytest.param(
            OPEN, "cin", [ev("2025-03-03", "closed"), ev("2025-03-03", "opened")], None, id="open-closure-day"
        ),
        pytest.param(OPEN, "cin", [ev("2026-11-26", "opened")], None, id="open-after-as-of"),
        pytest.param(OPEN, "cin", [ev("2026-05-25", "opened", "c2")], None, id="open-for-another-child"),
        pytest.param(CP, "cp", RESTARTED, "2026-04-25", id="cp-restarted"),
        pytest.param(CP, "cp", RESTARTED[:2], None, id="cp-ended"),
        pytest.param(
            UNPLANNED,
            "epo",
            [entry("2026-11-16", "s20-emergency"), entry("2026-11-30", "epo")],
            "2026-11-16",
            id="unplanned-latest-by-as-of",
        ),
        pytest.param(UNPLANNED, "s20", [entry("2026-11-16", "s20-planned")], None, id="unplanned-not-planned"),
        pytest.param(
            S20,
            "s20",
            [
                entry("2026-01-10", "s20-planned"),
                entry("2026-11-20", "s20-emergency"),
            ],
            "2026-11-20",
            id="s20-latest",
        ),
        pytest.param(S20, "s20", [entry("2026-11-20", "epo")], None, id="s20-only-s20-entries"),
        pytest.param(S20, "care-order", [entry("2026-11-20", "s20-planned")], None, id="s20-needs-s20-status"),
        pytest.param(JUDGEMENT, "cin", [ev("2026-05-25", "opened")], None, id="professional-judgement"),
    ],
)
def test_radar_start(kind: TriggerKind, status: str, events: Events, expected: str | None) -> None:
    """Where each kind of clock starts for one child on the radar on 25 November 2026."""
    family = case(events, status, ("c1", "c2"))
    child = family.children[0]
    assert d(expected) == radar_start(kind, family, child, AS_OF)


@pytest.mark.parametrize(
    ("kind", "as_of", "met"),
    [
        pytest.param(OPEN, date(2026, 11, 24), False, id="open-the-day-before"),
        pytest.param(OPEN, RUNS_OUT, True, id="open-six-months-or-more"),
        pytest.param(CP, RUNS_OUT, False, id="cp-on-the-day"),
        pytest.param(CP, date(2026, 11, 26), True, id="cp-more-than-seven-months"),
        pytest.param(UNPLANNED, RUNS_OUT, False, id="unplanned-the-last-day-to-present"),
        pytest.param(UNPLANNED, date(2026, 11, 26), True, id="unplanned-overdue"),
        pytest.param(S20, date(2026, 11, 24), False, id="s20-the-day-before"),
        pytest.param(S20, RUNS_OUT, True, id="s20-no-plan-within-five-days"),
    ],
)
def test_radar_clock_at_its_boundary(kind: TriggerKind, as_of: date, met: bool) -> None:
    """A child's clock is on the radar once met, as each kind's rule says."""
    rule, status, events, start = CLOCKS[kind]
    family = case(events, status)
    expected = Clock(kind, start, RUNS_OUT) if met else None
    assert expected == radar_clock(rule, family, family.children[0], as_of, CAL)


@pytest.mark.parametrize(
    ("agreed", "stopped"),
    [
        pytest.param("2026-11-20", True, id="on-the-day-of-entry"),
        pytest.param("2026-11-25", True, id="on-the-due-date"),
        pytest.param("2026-06-01", False, id="before-the-entry"),
        pytest.param("2026-11-26", False, id="after-as-of-not-known-yet"),
    ],
)
def test_radar_s20_clock_stopped_by_a_reunification_plan(agreed: str, stopped: bool) -> None:
    """On the radar a reunification plan agreed since the entry, up to `as_of`, stops the s20 clock."""
    rule, status, events, start = CLOCKS[S20]
    family = case([*events, ev(agreed, "reunification-plan-agreed")], status)
    expected = None if stopped else Clock(S20, start, RUNS_OUT)
    assert expected == radar_clock(rule, family, family.children[0], RUNS_OUT, CAL)


def test_radar_clock_of_professional_judgement() -> None:
    """A trigger with no clock is never on the radar."""
    family = case([ev("2026-05-25", "opened")])
    assert None is radar_clock(trigger(JUDGEMENT), family, family.children[0], RUNS_OUT, CAL)


def test_the_two_questions_differ_where_the_check_and_the_radar_differ() -> None:
    """At a meeting the open clock runs from the first opening ever; on the radar from the last reopening."""
    reopened = case(REOPENED)
    actual = (
        eligibility_start(OPEN, reopened, ["c1"], AS_OF),
        radar_start(OPEN, reopened, reopened.children[0], AS_OF),
    )
    assert (date(2025, 1, 6), date(2026, 10, 1)) == actual
