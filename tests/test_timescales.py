"""Referral deadlines, after-meeting due dates and trigger dates worked out from a meeting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generator.core.errors import UsageError
from generator.models.panel import Panel, Trigger
from generator.schedule.timescales import due_dates, present_by, referral_deadline, trigger_due
from generator.schedule.workdays import WorkingCalendar

CAL = WorkingCalendar()


def make_panel(**fields: Any) -> Panel:
    """A minimal valid panel, with `fields` replacing the defaults."""
    data: dict[str, Any] = {
        "id": "cmr",
        "name": "Case Management Review",
        "short_name": "CMR",
        "source": "test",
        "purpose": "Test panel.",
        "terms": {"review_due": "2030-01-01"},
        "chair": {"roles": ["head-of-service"], "description": "Head of service."},
        "quorum": {"description": "Chair only."},
        "cadence": {"frequency": "weekly", "weekday": "tuesday"},
        "timing": {"slot_minutes": 20},
        "agenda": [{"title": "Cases", "kind": "cases"}],
        "referral": {"route": "referral", "deadline": "none", "description": "Any time."},
        "request_types": [{"id": "review", "name": "Review", "description": "A review."}],
        "outcomes": [{"id": "continue", "name": "Continue the plan"}],
    }
    return Panel.model_validate(data | fields)


def deadline_panel(rule: str, days: int | None = None) -> Panel:
    """A panel whose referral deadline follows `rule`."""
    referral: dict[str, Any] = {"route": "referral", "deadline": rule, "description": "Rule."}
    if days is not None:
        referral["days"] = days
    return make_panel(referral=referral)


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        pytest.param(date(2026, 6, 15), date(2026, 6, 12), id="monday"),
        pytest.param(date(2026, 6, 16), date(2026, 6, 12), id="tuesday"),
        pytest.param(date(2026, 6, 17), date(2026, 6, 12), id="wednesday"),
        pytest.param(date(2026, 6, 18), date(2026, 6, 12), id="thursday"),
        pytest.param(date(2026, 6, 19), date(2026, 6, 12), id="friday-means-a-week-before"),
        pytest.param(date(2026, 4, 7), date(2026, 4, 2), id="good-friday-moves-to-thursday"),
        pytest.param(date(2026, 12, 29), date(2026, 12, 24), id="christmas-moves-to-thursday"),
    ],
)
def test_friday_before(meeting: date, expected: date) -> None:
    """The Friday strictly before the meeting, or the working day before it if a holiday."""
    assert expected == referral_deadline(deadline_panel("friday-before"), meeting, CAL)


@pytest.mark.parametrize(
    ("meeting", "days", "expected"),
    [
        pytest.param(date(2026, 12, 29), 2, date(2026, 12, 23), id="domain-example"),
        pytest.param(date(2026, 6, 17), 2, date(2026, 6, 15), id="ordinary-week"),
        pytest.param(date(2026, 6, 16), 2, date(2026, 6, 12), id="over-weekend"),
        pytest.param(date(2026, 4, 8), 2, date(2026, 4, 2), id="over-easter"),
    ],
)
def test_working_days_before(meeting: date, days: int, expected: date) -> None:
    """Counted back in working days, the meeting day not counted."""
    panel = deadline_panel("working-days-before", days)
    assert expected == referral_deadline(panel, meeting, CAL)


@pytest.mark.parametrize(
    ("meeting", "days", "expected"),
    [
        pytest.param(date(2026, 6, 17), 2, date(2026, 6, 15), id="lands-on-monday"),
        pytest.param(date(2026, 6, 16), 3, date(2026, 6, 12), id="saturday-moves-to-friday"),
        pytest.param(date(2026, 12, 29), 1, date(2026, 12, 24), id="bank-holiday-moves-back"),
    ],
)
def test_days_before(meeting: date, days: int, expected: date) -> None:
    """Counted back in calendar days, moved earlier if that is not a working day."""
    assert expected == referral_deadline(deadline_panel("days-before", days), meeting, CAL)


def test_no_deadline() -> None:
    """A panel without a deadline rule has no referral deadline."""
    assert None is referral_deadline(deadline_panel("none"), date(2026, 6, 16), CAL)


CMR_DUTIES = [
    {
        "id": "decision-on-file",
        "name": "Decision sheet on the child's file",
        "milestone": "decision-recorded",
        "within": {"within": 1, "unit": "working-days"},
        "role": "business-support",
    },
    {
        "id": "minutes-drafted",
        "name": "Minutes drafted",
        "milestone": "minutes-drafted",
        "within": {"within": 3, "unit": "working-days"},
        "role": "business-support",
    },
    {
        "id": "notes-written",
        "name": "Written notes",
        "milestone": "minutes-distributed",
        "within": {"within": 7, "unit": "days"},
        "role": "business-support",
    },
]
CMR_OUTCOMES = [
    {"id": "continue", "name": "Continue the plan"},
    {
        "id": "strategy-meeting",
        "name": "Strategy meeting",
        "follow_up": "Hold a strategy meeting.",
        "within": {"within": 3, "unit": "working-days"},
    },
]


def test_due_dates_over_christmas() -> None:
    """Each duty and each timed outcome falls due counted from the meeting."""
    panel = make_panel(after_meeting=CMR_DUTIES, outcomes=CMR_OUTCOMES)
    expected = {
        "decision-on-file": date(2026, 12, 29),
        "minutes-drafted": date(2026, 12, 31),
        "notes-written": date(2026, 12, 31),
        "strategy-meeting": date(2026, 12, 31),
    }
    assert expected == due_dates(panel, date(2026, 12, 24), CAL)


def test_due_dates_empty() -> None:
    """A panel with no duties and no timed outcomes has nothing due."""
    expected: dict[str, date] = {}
    assert expected == due_dates(make_panel(), date(2026, 6, 16), CAL)


def test_due_dates_refuses_shared_id() -> None:
    """A duty and an outcome with the same id cannot both be keys."""
    duty = CMR_DUTIES[0] | {"id": "strategy-meeting"}
    panel = make_panel(after_meeting=[duty], outcomes=CMR_OUTCOMES)
    with pytest.raises(ValueError, match="strategy-meeting"):
        due_dates(panel, date(2026, 6, 16), CAL)


UNPLANNED = {
    "id": "unplanned",
    "kind": "unplanned-entry-to-care",
    "description": "Came into care in an emergency.",
    "within": {"within": 7, "unit": "working-days"},
}


@pytest.mark.parametrize(
    ("entered", "expected"),
    [
        pytest.param(date(2026, 6, 12), date(2026, 6, 23), id="ordinary-fortnight"),
        pytest.param(date(2026, 12, 18), date(2026, 12, 31), id="over-christmas"),
        pytest.param(date(2026, 6, 13), date(2026, 6, 23), id="entered-on-saturday"),
    ],
)
def test_present_by(entered: date, expected: date) -> None:
    """CLAM: an unplanned entry is presented within 7 working days."""
    panel = make_panel(id="clam", triggers=[UNPLANNED])
    assert expected == present_by(panel, entered, CAL)


def test_present_by_needs_the_trigger() -> None:
    """A panel without an unplanned-entry trigger is a usage error that names the panel."""
    with pytest.raises(UsageError, match="panel cmr"):
        present_by(make_panel(), date(2026, 6, 12), CAL)


def _trigger(kind: str, within: int, unit: str) -> Trigger:
    return Trigger.model_validate(
        {"id": "clock", "kind": kind, "description": "A clock.", "within": {"within": within, "unit": unit}}
    )


@pytest.mark.parametrize(
    ("kind", "within", "unit", "start", "expected"),
    [
        pytest.param("cp-plan-longer-than", 7, "months", date(2026, 5, 20), date(2026, 12, 20), id="plan-on-a-sunday"),
        pytest.param("open-as-cin-or-cp", 6, "months", date(2026, 8, 31), date(2027, 2, 28), id="month-end"),
        pytest.param("open-as-cin-or-cp", 6, "months", date(2027, 8, 31), date(2028, 2, 29), id="leap-year"),
        pytest.param("open-as-cin-or-cp", 6, "months", date(2026, 6, 25), date(2026, 12, 25), id="christmas-day"),
        pytest.param(
            "s20-without-reunification-plan", 5, "days", date(2026, 12, 21), date(2026, 12, 26), id="boxing-day"
        ),
    ],
)
def test_anniversaries_are_never_moved(kind: str, within: int, unit: str, start: date, expected: date) -> None:
    """Open six months, five days in s20, seven months on a plan: the calendar date, weekend or holiday."""
    trigger = _trigger(kind, within, unit)
    assert trigger.kind.is_anniversary
    assert expected == trigger_due(trigger, start, CAL)


def test_a_deadline_still_moves() -> None:
    """Presenting within 7 working days is a deadline, counted in working days past Christmas."""
    trigger = _trigger("unplanned-entry-to-care", 7, "working-days")
    assert not trigger.kind.is_anniversary
    assert date(2027, 1, 7) == trigger_due(trigger, date(2026, 12, 24), CAL)


def test_a_calendar_deadline_moves_back_but_an_anniversary_does_not() -> None:
    """The same timescale from the same day: `after` moves off the Sunday, `anniversary` keeps it."""
    timescale = _trigger("cp-plan-longer-than", 7, "months").within
    assert timescale is not None
    assert date(2026, 12, 18) == CAL.after(date(2026, 5, 20), timescale)
    assert date(2026, 12, 20) == CAL.anniversary(date(2026, 5, 20), timescale)


def test_trigger_due_needs_a_clock() -> None:
    """A professional-judgement trigger has no due date."""
    trigger = Trigger.model_validate({"id": "judgement", "kind": "professional-judgement", "description": "Judged."})
    with pytest.raises(ValueError, match="no timescale"):
        trigger_due(trigger, date(2026, 6, 12), CAL)
