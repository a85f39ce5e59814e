"""Working days in England: weekends, bank holidays, substitute days, closures, counting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.models.panel import Timescale, TimeUnit
from generator.models.people import Authority
from generator.schedule.workdays import LOCAL_CLOSURE, WorkingCalendar, add_months

CAL = WorkingCalendar()
CHRISTMAS_EVE_CLOSED = WorkingCalendar({date(2026, 12, 24): "Christmas Eve closure"})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 12), True, id="ordinary-friday"),
        pytest.param(date(2026, 6, 13), False, id="saturday"),
        pytest.param(date(2026, 6, 14), False, id="sunday"),
        pytest.param(date(2026, 6, 15), True, id="ordinary-monday"),
        pytest.param(date(2026, 1, 1), False, id="new-year-2026"),
        pytest.param(date(2026, 4, 2), True, id="maundy-thursday"),
        pytest.param(date(2026, 4, 3), False, id="good-friday-2026"),
        pytest.param(date(2026, 4, 6), False, id="easter-monday-2026"),
        pytest.param(date(2027, 3, 26), False, id="good-friday-2027"),
        pytest.param(date(2027, 3, 29), False, id="easter-monday-2027"),
        pytest.param(date(2026, 5, 4), False, id="early-may-2026"),
        pytest.param(date(2026, 5, 25), False, id="spring-2026"),
        pytest.param(date(2026, 8, 31), False, id="late-summer-2026"),
        pytest.param(date(2026, 12, 24), True, id="christmas-eve-2026"),
        pytest.param(date(2026, 12, 25), False, id="christmas-friday-2026"),
        pytest.param(date(2026, 12, 28), False, id="boxing-day-substitute-monday-2026"),
        pytest.param(date(2026, 12, 29), True, id="after-christmas-2026"),
        pytest.param(date(2027, 12, 27), False, id="christmas-substitute-monday-2027"),
        pytest.param(date(2027, 12, 28), False, id="boxing-day-substitute-tuesday-2027"),
        pytest.param(date(2027, 12, 29), True, id="after-christmas-2027"),
        pytest.param(date(2022, 12, 26), False, id="boxing-day-monday-2022"),
        pytest.param(date(2022, 12, 27), False, id="christmas-substitute-tuesday-2022"),
        pytest.param(date(2022, 12, 28), True, id="after-christmas-2022"),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    """Weekends and bank holidays in England (with substitute days) are not working days."""
    assert expected == CAL.is_working_day(day)


def test_local_closure_is_not_a_working_day() -> None:
    """A local closure day is not a working day, though it is a weekday."""
    assert False is CHRISTMAS_EVE_CLOSED.is_working_day(date(2026, 12, 24))
    assert True is CHRISTMAS_EVE_CLOSED.is_working_day(date(2026, 12, 23))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 6, 11), 1, date(2026, 6, 12), id="thursday-to-friday"),
        pytest.param(date(2026, 6, 12), 1, date(2026, 6, 15), id="friday-over-weekend"),
        pytest.param(date(2026, 6, 13), 1, date(2026, 6, 15), id="from-saturday"),
        pytest.param(date(2026, 6, 12), 0, date(2026, 6, 12), id="day-0-is-the-day-itself"),
        pytest.param(date(2026, 6, 12), 5, date(2026, 6, 19), id="a-working-week"),
        pytest.param(date(2026, 4, 2), 1, date(2026, 4, 7), id="over-easter"),
        pytest.param(date(2026, 5, 1), 1, date(2026, 5, 5), id="over-early-may"),
        pytest.param(date(2026, 5, 22), 1, date(2026, 5, 26), id="over-spring"),
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 29), id="over-christmas-2026"),
        pytest.param(date(2026, 12, 23), 2, date(2026, 12, 29), id="christmas-eve-is-day-1"),
        pytest.param(date(2026, 12, 18), 7, date(2026, 12, 31), id="clam-seven-days-2026"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 4), id="over-new-year-2027"),
        pytest.param(date(2027, 12, 24), 1, date(2027, 12, 29), id="over-christmas-2027"),
        pytest.param(date(2022, 12, 23), 1, date(2022, 12, 28), id="over-christmas-2022"),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    """Day 1 is the first working day after the start; the start itself never counts."""
    assert expected == CAL.add_working_days(start, n)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 12, 29), 2, date(2026, 12, 23), id="domain-example"),
        pytest.param(date(2026, 12, 29), 1, date(2026, 12, 24), id="back-over-christmas"),
        pytest.param(date(2026, 6, 15), 1, date(2026, 6, 12), id="monday-to-friday"),
        pytest.param(date(2026, 6, 15), 0, date(2026, 6, 15), id="day-0-is-the-day-itself"),
        pytest.param(date(2026, 4, 7), 1, date(2026, 4, 2), id="back-over-easter"),
        pytest.param(date(2027, 1, 4), 1, date(2026, 12, 31), id="back-over-new-year"),
        pytest.param(date(2027, 12, 29), 1, date(2027, 12, 24), id="back-over-christmas-2027"),
    ],
)
def test_subtract_working_days(start: date, n: int, expected: date) -> None:
    """Day 1 is the first working day before the start; the start itself never counts."""
    assert expected == CAL.subtract_working_days(start, n)


def test_counting_skips_a_local_closure() -> None:
    """A closure day is skipped both ways, like a bank holiday."""
    assert date(2026, 12, 29) == CHRISTMAS_EVE_CLOSED.add_working_days(date(2026, 12, 23), 1)
    assert date(2026, 12, 22) == CHRISTMAS_EVE_CLOSED.subtract_working_days(date(2026, 12, 29), 2)


def test_negative_count_is_refused() -> None:
    """Counting a negative number of working days is a programming error."""
    with pytest.raises(ValueError, match="-1 working days"):
        CAL.add_working_days(date(2026, 6, 12), -1)


@pytest.mark.parametrize(
    ("cal", "start", "end", "expected"),
    [
        pytest.param(CAL, date(2026, 6, 12), date(2026, 6, 12), 0, id="same-day"),
        pytest.param(CAL, date(2026, 6, 15), date(2026, 6, 12), 0, id="end-before-start"),
        pytest.param(CAL, date(2026, 6, 12), date(2026, 6, 13), 0, id="friday-to-saturday"),
        pytest.param(CAL, date(2026, 6, 12), date(2026, 6, 15), 1, id="friday-to-monday"),
        pytest.param(CAL, date(2026, 6, 13), date(2026, 6, 15), 1, id="from-saturday"),
        pytest.param(CAL, date(2026, 6, 12), date(2026, 6, 19), 5, id="a-working-week"),
        pytest.param(CAL, date(2026, 4, 2), date(2026, 4, 7), 1, id="over-easter"),
        pytest.param(CAL, date(2026, 12, 23), date(2026, 12, 29), 2, id="over-christmas-2026"),
        pytest.param(CHRISTMAS_EVE_CLOSED, date(2026, 12, 23), date(2026, 12, 29), 1, id="closure-day"),
        pytest.param(CAL, date(2026, 12, 31), date(2027, 1, 4), 1, id="over-new-year"),
        pytest.param(CAL, date(2026, 1, 1), date(2026, 12, 31), 253, id="a-whole-year"),
    ],
)
def test_working_days_between(cal: WorkingCalendar, start: date, end: date, expected: int) -> None:
    """Working days after the start up to and including the end: the start never counts."""
    assert expected == cal.working_days_between(start, end)


def test_working_days_between_agrees_with_counting_day_by_day() -> None:
    """Every span of up to 40 days starting in December 2026 counts as a day-by-day walk does."""
    for first in range(31):
        start = date(2026, 12, 1) + timedelta(days=first)
        for length in range(40):
            end = start + timedelta(days=length)
            walked = sum(1 for n in range(1, length + 1) if CHRISTMAS_EVE_CLOSED.is_working_day(start + timedelta(n)))
            assert walked == CHRISTMAS_EVE_CLOSED.working_days_between(start, end)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 12), date(2026, 6, 12), id="working-day-stays"),
        pytest.param(date(2026, 6, 14), date(2026, 6, 12), id="sunday-to-friday"),
        pytest.param(date(2026, 12, 28), date(2026, 12, 24), id="boxing-substitute-to-thursday"),
        pytest.param(date(2026, 4, 6), date(2026, 4, 2), id="easter-monday-to-thursday"),
    ],
)
def test_on_or_before(day: date, expected: date) -> None:
    """A non-working day moves back to the last working day before it."""
    assert expected == CAL.on_or_before(day)


@pytest.mark.parametrize(
    ("start", "within", "unit", "expected"),
    [
        pytest.param(date(2026, 6, 12), 1, "working-days", date(2026, 6, 15), id="1-working-day"),
        pytest.param(date(2026, 6, 12), 0, "working-days", date(2026, 6, 12), id="0-working-days"),
        pytest.param(date(2026, 6, 12), 7, "days", date(2026, 6, 19), id="7-days"),
        pytest.param(date(2026, 6, 11), 2, "days", date(2026, 6, 12), id="days-onto-saturday"),
        pytest.param(date(2026, 12, 18), 7, "days", date(2026, 12, 24), id="days-onto-christmas"),
        pytest.param(date(2026, 3, 31), 1, "months", date(2026, 4, 30), id="month-clamped"),
        pytest.param(date(2026, 1, 30), 1, "months", date(2026, 2, 27), id="clamped-to-saturday"),
        pytest.param(date(2026, 5, 20), 7, "months", date(2026, 12, 18), id="7-months-to-sunday"),
        pytest.param(date(2024, 2, 29), 12, "months", date(2025, 2, 28), id="leap-day"),
    ],
)
def test_after(start: date, within: int, unit: str, expected: date) -> None:
    """Timescales count in their unit; a calendar result on a non-working day moves earlier."""
    timescale = Timescale(within=within, unit=TimeUnit(unit))
    assert expected == CAL.after(start, timescale)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 12, 28), "Boxing Day (observed)", id="substitute"),
        pytest.param(date(2026, 4, 3), "Good Friday", id="good-friday"),
        pytest.param(date(2026, 6, 13), None, id="weekend-is-no-holiday"),
        pytest.param(date(2026, 6, 12), None, id="ordinary-day"),
    ],
)
def test_holiday_name(day: date, expected: str | None) -> None:
    """Bank holidays are named for display; other days have no name."""
    assert expected == CAL.holiday_name(day)


def test_closure_names() -> None:
    """A closure shows its reason, or a generic name when given as a plain date."""
    expected = "Christmas Eve closure"
    assert expected == CHRISTMAS_EVE_CLOSED.holiday_name(date(2026, 12, 24))
    plain = WorkingCalendar([date(2026, 12, 24)])
    expected = LOCAL_CLOSURE
    assert expected == plain.holiday_name(date(2026, 12, 24))


def test_for_authority_uses_closure_days() -> None:
    """An authority's calendar closes on its closure days."""
    authority = Authority.model_validate(
        {
            "name": "Test Council",
            "case_id_pattern": "[0-9]+",
            "closure_days": [{"date": "2026-12-24", "reason": "Office closed"}],
        }
    )
    cal = WorkingCalendar.for_authority(authority)
    assert False is cal.is_working_day(date(2026, 12, 24))
    expected = "Office closed"
    assert expected == cal.holiday_name(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="short-month"),
        pytest.param(date(2026, 11, 15), 2, date(2027, 1, 15), id="over-year-end"),
        pytest.param(date(2026, 3, 31), -1, date(2026, 2, 28), id="backwards"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    """Months keep the day of the month, clamped to the end of a shorter month."""
    assert expected == add_months(start, months)
