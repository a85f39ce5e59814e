"""Scheduled meetings from a panel's cadence: frequencies, series, venues and skipped days."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generator.models.panel import Panel
from generator.schedule.meetings import (
    MAX_COUNT,
    ScheduledMeeting,
    is_meeting_date,
    meetings_between,
    meetings_from,
)
from generator.schedule.workdays import WorkingCalendar

CAL = WorkingCalendar()
VENUES = [
    {"id": "chn", "name": "Horsham"},
    {"id": "chd", "name": "Worthing"},
]


def make_panel(cadence: dict[str, Any], **fields: Any) -> Panel:
    """A minimal valid panel meeting on `cadence`, with `fields` replacing the defaults."""
    data: dict[str, Any] = {
        "id": "clam",
        "name": "Children Looked After Monitoring",
        "short_name": "CLAM",
        "source": "test",
        "purpose": "Test panel.",
        "terms": {"review_due": "2030-01-01"},
        "chair": {"roles": ["head-of-service"], "description": "Head of service."},
        "quorum": {"description": "Chair only."},
        "cadence": cadence,
        "venues": VENUES,
        "timing": {"slot_minutes": 15},
        "agenda": [{"title": "Cases", "kind": "cases"}],
        "referral": {"route": "referral", "deadline": "none", "description": "Any time."},
        "request_types": [{"id": "review", "name": "Review", "description": "A review."}],
        "outcomes": [{"id": "agree", "name": "Agree"}],
    }
    return Panel.model_validate(data | fields)


def dates(meetings: list[ScheduledMeeting]) -> list[date]:
    """The meetings' dates, in order."""
    return [m.date for m in meetings]


def venues(meetings: list[ScheduledMeeting]) -> list[str | None]:
    """The meetings' venue ids, in order."""
    return [m.venue.id if m.venue else None for m in meetings]


ALTERNATING_FRIDAYS = {
    "frequency": "weekly",
    "weekday": "friday",
    "anchor": "2026-12-04",
    "venues": ["chn", "chd"],
    "start": "13:00",
    "end": "16:30",
}


def test_weekly_skips_bank_holidays_and_keeps_the_rotation() -> None:
    """Christmas Day and New Year's Day are not held, but still count in the venue rotation."""
    meetings = meetings_from(make_panel(ALTERNATING_FRIDAYS), CAL, date(2026, 12, 14), 4)
    expected_dates = [date(2026, 12, 18), date(2027, 1, 8), date(2027, 1, 15), date(2027, 1, 22)]
    assert expected_dates == dates(meetings)
    expected_venues = ["chn", "chd", "chn", "chd"]
    assert expected_venues == venues(meetings)


def test_weekly_held_on_holidays_when_not_skipping() -> None:
    """With skip_non_working_days off, a meeting on a bank holiday is still listed."""
    panel = make_panel(ALTERNATING_FRIDAYS | {"skip_non_working_days": False})
    meetings = meetings_from(panel, CAL, date(2026, 12, 14), 3)
    expected = [date(2026, 12, 18), date(2026, 12, 25), date(2027, 1, 1)]
    assert expected == dates(meetings)
    expected_venues = ["chn", "chd", "chn"]
    assert expected_venues == venues(meetings)


def test_rotation_before_the_anchor_runs_backwards() -> None:
    """Dates before the anchor alternate consistently with those after it."""
    meetings = meetings_from(make_panel(ALTERNATING_FRIDAYS), CAL, date(2026, 11, 20), 3)
    expected = [date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 4)]
    assert expected == dates(meetings)
    expected_venues = ["chn", "chd", "chn"]
    assert expected_venues == venues(meetings)


def test_meeting_carries_times_and_deadline() -> None:
    """Each meeting has the cadence's times and its referral deadline."""
    referral = {"route": "referral", "deadline": "friday-before", "description": "Friday."}
    panel = make_panel(ALTERNATING_FRIDAYS, referral=referral)
    meeting = meetings_from(panel, CAL, date(2027, 1, 5), 1)[0]
    expected = ScheduledMeeting(
        panel_id="clam",
        date=date(2027, 1, 8),
        start="13:00",
        end="16:30",
        venue=panel.venues[1],
        series=None,
        referral_deadline=date(2026, 12, 31),
    )
    assert expected == meeting


def test_one_venue_is_always_used() -> None:
    """A single venue needs no anchor and is used every time."""
    panel = make_panel({"frequency": "weekly", "weekday": "monday", "venues": ["chd"]})
    expected_venues = ["chd", "chd", "chd"]
    assert expected_venues == venues(meetings_from(panel, CAL, date(2026, 6, 1), 3))


def test_no_venue() -> None:
    """A panel without venues schedules meetings with no venue."""
    panel = make_panel({"frequency": "weekly", "weekday": "monday"}, venues=[])
    expected_venues = [None, None]
    assert expected_venues == venues(meetings_from(panel, CAL, date(2026, 6, 1), 2))


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        pytest.param(
            date(2026, 6, 3),
            [date(2026, 6, 16), date(2026, 6, 30), date(2026, 7, 14)],
            id="after-anchor",
        ),
        pytest.param(
            date(2026, 5, 1),
            [date(2026, 5, 5), date(2026, 5, 19), date(2026, 6, 2)],
            id="before-anchor",
        ),
        pytest.param(
            date(2026, 6, 2),
            [date(2026, 6, 2), date(2026, 6, 16), date(2026, 6, 30)],
            id="on-anchor",
        ),
    ],
)
def test_fortnightly_keeps_phase(first: date, expected: list[date]) -> None:
    """Fortnightly meetings fall every other week in phase with the anchor."""
    panel = make_panel({"frequency": "fortnightly", "weekday": "tuesday", "anchor": "2026-06-02"})
    assert expected == dates(meetings_from(panel, CAL, first, 3))


def test_fortnightly_rotation_counts_meetings_not_weeks() -> None:
    """Two venues alternate fortnight by fortnight."""
    cadence = {
        "frequency": "fortnightly",
        "weekday": "tuesday",
        "anchor": "2026-06-02",
        "venues": ["chn", "chd"],
    }
    meetings = meetings_from(make_panel(cadence), CAL, date(2026, 5, 1), 4)
    expected_venues = ["chn", "chd", "chn", "chd"]
    assert expected_venues == venues(meetings)


def test_monthly() -> None:
    """Monthly meetings fall on the n-th weekday of each month."""
    panel = make_panel({"frequency": "monthly", "weekday": "wednesday", "week_of_month": 2})
    meetings = meetings_between(panel, CAL, date(2026, 1, 1), date(2026, 4, 30))
    expected = [date(2026, 1, 14), date(2026, 2, 11), date(2026, 3, 11), date(2026, 4, 8)]
    assert expected == dates(meetings)


def test_monthly_skips_easter_and_early_may() -> None:
    """The first Monday falls on Easter Monday in April 2026 and the May bank holiday in May."""
    panel = make_panel({"frequency": "monthly", "weekday": "monday", "week_of_month": 1})
    meetings = meetings_between(panel, CAL, date(2026, 4, 1), date(2026, 6, 30))
    expected = [date(2026, 6, 1)]
    assert expected == dates(meetings)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        pytest.param(
            date(2026, 2, 1),
            [date(2026, 3, 19), date(2026, 5, 21), date(2026, 7, 16)],
            id="after-anchor",
        ),
        pytest.param(
            date(2025, 10, 1),
            [date(2025, 11, 20), date(2026, 1, 15), date(2026, 3, 19)],
            id="before-anchor",
        ),
    ],
)
def test_bimonthly(first: date, expected: list[date]) -> None:
    """Bimonthly meetings fall in every other month counted from the anchor's month."""
    cadence = {
        "frequency": "bimonthly",
        "weekday": "thursday",
        "week_of_month": 3,
        "anchor": "2026-01-15",
    }
    assert expected == dates(meetings_from(make_panel(cadence), CAL, first, 3))


LOCALITIES = [
    {"id": "north", "name": "North", "week_of_month": 1, "venue": "chn"},
    {"id": "south", "name": "South", "week_of_month": 3, "venue": "chd"},
]


def test_series_each_meet_and_merge_in_date_order() -> None:
    """Each locality series meets on its own week, with its own venue, merged by date."""
    cadence = {"frequency": "monthly", "weekday": "tuesday", "week_of_month": 2}
    panel = make_panel(cadence, series=LOCALITIES)
    meetings = meetings_between(panel, CAL, date(2026, 6, 1), date(2026, 7, 31))
    expected_dates = [date(2026, 6, 2), date(2026, 6, 16), date(2026, 7, 7), date(2026, 7, 21)]
    assert expected_dates == dates(meetings)
    expected_series = ["north", "south", "north", "south"]
    assert expected_series == [m.series.id if m.series else "" for m in meetings]
    expected_venues = ["chn", "chd", "chn", "chd"]
    assert expected_venues == venues(meetings)


def test_series_venue_overrides_rotation() -> None:
    """A series' venue wins over the rotation; a series without one follows the rotation."""
    series = [{"id": "north", "name": "North", "venue": "chd"}, {"id": "south", "name": "South"}]
    panel = make_panel(ALTERNATING_FRIDAYS, series=series)
    meetings = meetings_from(panel, CAL, date(2026, 12, 4), 4)
    expected_dates = [date(2026, 12, 4), date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 11)]
    assert expected_dates == dates(meetings)
    expected_venues = ["chd", "chn", "chd", "chd"]
    assert expected_venues == venues(meetings)


def test_local_closure_day_is_skipped() -> None:
    """A meeting that falls on a local closure day is not held."""
    cal = WorkingCalendar([date(2026, 6, 8)])
    panel = make_panel({"frequency": "weekly", "weekday": "monday"})
    expected = [date(2026, 6, 1), date(2026, 6, 15)]
    assert expected == dates(meetings_from(panel, cal, date(2026, 6, 1), 2))


def test_as_required_has_no_scheduled_meetings() -> None:
    """An as-required panel meets only when a meeting record says so."""
    panel = make_panel({"frequency": "as-required"})
    expected: list[ScheduledMeeting] = []
    assert expected == meetings_from(panel, CAL, date(2026, 6, 1), 5)
    assert False is is_meeting_date(panel, CAL, date(2026, 6, 2))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 6, 16), True, id="a-tuesday"),
        pytest.param(date(2026, 6, 17), False, id="a-wednesday"),
        pytest.param(date(2026, 12, 29), True, id="tuesday-after-christmas-2026"),
        pytest.param(date(2027, 12, 28), False, id="boxing-day-substitute-2027"),
    ],
)
def test_is_meeting_date(day: date, expected: bool) -> None:
    """Only held meetings count as meeting dates."""
    panel = make_panel({"frequency": "weekly", "weekday": "tuesday"})
    assert expected == is_meeting_date(panel, CAL, day)


def test_meetings_between_backwards_range_is_empty() -> None:
    """A range that ends before it starts holds no meetings."""
    panel = make_panel({"frequency": "weekly", "weekday": "tuesday"})
    expected: list[ScheduledMeeting] = []
    assert expected == meetings_between(panel, CAL, date(2026, 6, 30), date(2026, 6, 1))


@pytest.mark.parametrize("count", [0, -1, MAX_COUNT + 1])
def test_count_out_of_range(count: int) -> None:
    """A count below 1 or above the maximum is refused with a clear message."""
    panel = make_panel({"frequency": "weekly", "weekday": "tuesday"})
    with pytest.raises(ValueError, match="count must be between 1 and"):
        meetings_from(panel, CAL, date(2026, 6, 1), count)


def test_search_stops_at_the_end_of_the_calendar() -> None:
    """Near the last representable date the search ends instead of overflowing."""
    panel = make_panel({"frequency": "weekly", "weekday": "friday"})
    assert date(9999, 12, 31) == meetings_from(panel, CAL, date(9999, 12, 1), 10)[-1].date
