"""When a panel meets: its scheduled meetings worked out from its cadence and the calendar.

A meeting's position in its series' nominal sequence (every date the cadence names, counted
from the anchor, held or not) picks its venue from the rotation. Skipped dates still count, so
anyone can tell from a calendar where a given meeting will be.

A date the cadence names that is not a working day follows the series' `on_holiday` rule: moved to
the next or the previous working day (a moved meeting keeps its place in the sequence, so its venue,
and records the usual day as `moved_from`), skipped, or held all the same.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from generator.models.panel import Cadence, Frequency, OnHoliday, Panel, Series, Venue
from generator.schedule.timescales import referral_deadline
from generator.schedule.workdays import WorkingCalendar, add_months

MAX_COUNT = 500
"""Most meetings one call to `meetings_from` will list."""
UPCOMING = 3
"""How many of each panel's next meetings the site shows."""
SEARCH_YEARS = 10
"""How far past `first` `meetings_from` looks for meetings."""

_WEEK = timedelta(days=7)
_MOVE_REACH = timedelta(days=31)
"""How far a moved meeting may land from its usual day; the nominal dates are read this much wider."""


@dataclass(frozen=True, slots=True)
class ScheduledMeeting:
    """One meeting the cadence says will be held."""

    panel_id: str
    # `date` is also a field name, so the annotations reach the type through the module.
    date: dt.date
    start: str | None
    end: str | None
    venue: Venue | None
    series: Series | None
    referral_deadline: dt.date | None
    moved_from: dt.date | None = None
    """The usual day, when a bank holiday or closure day moved the meeting off it."""
    moved_because: str | None = None
    """The bank holiday's or closure's name on `moved_from`."""


def meetings_from(panel: Panel, cal: WorkingCalendar, first: date, count: int) -> list[ScheduledMeeting]:
    """The next `count` meetings on or after `first`, every series merged in date order.

    Looks no further than SEARCH_YEARS years ahead, so it may return fewer. An as-required
    panel has no scheduled meetings. Raises ValueError unless 1 <= count <= MAX_COUNT.
    """
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT}, not {count}")
    return list(itertools.islice(_merged(panel, cal, first, _years_after(first, SEARCH_YEARS)), count))


def meetings_between(panel: Panel, cal: WorkingCalendar, first: date, last: date) -> list[ScheduledMeeting]:
    """Every meeting from `first` to `last` inclusive, in date order (empty if `last` < `first`)."""
    return list(_merged(panel, cal, first, last))


def is_meeting_date(panel: Panel, cal: WorkingCalendar, d: date) -> bool:
    """Whether the panel's cadence holds a meeting (in any series) on `d`."""
    return bool(meetings_between(panel, cal, d, d))


def _merged(panel: Panel, cal: WorkingCalendar, first: date, last: date) -> Iterator[ScheduledMeeting]:
    if panel.cadence.frequency is Frequency.AS_REQUIRED:
        return iter(())
    runs: list[Series | None] = list(panel.series) or [None]
    streams = [_series_meetings(panel, cal, series, first, last) for series in runs]
    # merge is stable: on the same date, series keep the order the panel lists them in.
    return heapq.merge(*streams, key=attrgetter("date"))


def _series_meetings(
    panel: Panel, cal: WorkingCalendar, series: Series | None, first: date, last: date
) -> Iterator[ScheduledMeeting]:
    cadence = panel.cadence
    rule = cadence.holiday_rule(series)
    week_of_month = series.week_of_month if series and series.week_of_month else cadence.week_of_month
    wide_first = first - _MOVE_REACH if first - date.min > _MOVE_REACH else date.min
    wide_last = last + _MOVE_REACH if date.max - last > _MOVE_REACH else date.max
    nominal = _nominal_dates(cadence, week_of_month, wide_first, wide_last)
    for usual, held in _held_dates(nominal, rule, cal, first, last):
        yield ScheduledMeeting(
            panel_id=panel.id,
            date=held,
            start=cadence.start,
            end=cadence.end,
            venue=_venue(panel, series, usual),
            series=series,
            referral_deadline=referral_deadline(panel, held, cal),
            moved_from=usual if held != usual else None,
            moved_because=cal.holiday_name(usual) if held != usual else None,
        )


def held_on(usual: date, rule: OnHoliday, cal: WorkingCalendar) -> date | None:
    """The day a meeting whose usual day is `usual` is held under `rule` (None: not held)."""
    if cal.is_working_day(usual) or rule is OnHoliday.HOLD:
        return usual
    if rule is OnHoliday.NEXT_WORKING_DAY:
        return cal.add_working_days(usual, 1)
    if rule is OnHoliday.PREVIOUS_WORKING_DAY:
        return cal.subtract_working_days(usual, 1)
    return None


def _held_dates(
    nominal: Iterator[date], rule: OnHoliday, cal: WorkingCalendar, first: date, last: date
) -> Iterator[tuple[date, date]]:
    """(usual day, day held) from `first` to `last` in order of the day held, one meeting a day.

    A move never reaches past the next usual day in practice, but a long closure could make two
    meetings land on one day or out of order, so a short window of dates is kept and sorted.
    """
    pending: list[tuple[date, date]] = []
    seen: set[date] = set()
    for usual in nominal:
        held = held_on(usual, rule, cal)
        if held is not None and first <= held <= last and held not in seen:
            seen.add(held)
            heapq.heappush(pending, (held, usual))
        while pending and pending[0][0] < usual - _MOVE_REACH:
            day, from_day = heapq.heappop(pending)
            yield from_day, day
    while pending:
        day, from_day = heapq.heappop(pending)
        yield from_day, day


def _nominal_dates(cadence: Cadence, week_of_month: int | None, first: date, last: date) -> Iterator[date]:
    """Every date the cadence names from `first` to `last`, whether or not it is a working day."""
    if cadence.weekday is None:
        return iter(())
    if cadence.frequency in (Frequency.WEEKLY, Frequency.FORTNIGHTLY):
        return _weekly_dates(cadence, cadence.weekday.number, first, last)
    return _monthly_dates(cadence, cadence.weekday.number, week_of_month or 1, first, last)


def _weekly_dates(cadence: Cadence, weekday: int, first: date, last: date) -> Iterator[date]:
    d = first + timedelta(days=(weekday - first.weekday()) % 7)
    step = _WEEK
    if cadence.frequency is Frequency.FORTNIGHTLY:
        step = 2 * _WEEK
        if _position(cadence, d) % 2:
            d += _WEEK
    while d <= last:
        yield d
        if last - d < step:
            return
        d += step


def _monthly_dates(cadence: Cadence, weekday: int, week_of_month: int, first: date, last: date) -> Iterator[date]:
    month = date(first.year, first.month, 1)
    while month <= last:
        d = _nth_weekday(month, weekday, week_of_month)
        in_phase = cadence.frequency is Frequency.MONTHLY or _position(cadence, d) % 2 == 0
        if first <= d <= last and in_phase:
            yield d
        if (month.year, month.month) == (date.max.year, 12):
            return
        month = add_months(month, 1)


def _position(cadence: Cadence, d: date) -> int:
    """Weeks (weekly, fortnightly) or months (monthly, bimonthly) from the anchor to `d`.

    Floor division keeps dates before the anchor in the same phase, counting backwards.
    """
    if cadence.anchor is None:
        return 0
    if cadence.frequency in (Frequency.WEEKLY, Frequency.FORTNIGHTLY):
        return (d - cadence.anchor).days // 7
    return (d.year - cadence.anchor.year) * 12 + d.month - cadence.anchor.month


def _sequence_number(cadence: Cadence, d: date) -> int:
    """The meeting's place in the nominal sequence counted from the anchor (the anchor is 0)."""
    if cadence.frequency in (Frequency.FORTNIGHTLY, Frequency.BIMONTHLY):
        return _position(cadence, d) // 2
    return _position(cadence, d)


def _venue(panel: Panel, series: Series | None, d: date) -> Venue | None:
    venue_id = series.venue if series and series.venue else None
    rotation = panel.cadence.venues
    if venue_id is None and rotation:
        venue_id = rotation[_sequence_number(panel.cadence, d) % len(rotation)]
    return next((v for v in panel.venues if v.id == venue_id), None)


def _nth_weekday(month: date, weekday: int, n: int) -> date:
    return month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (n - 1))


def _years_after(d: date, years: int) -> date:
    try:
        return add_months(d, 12 * years)
    except (ValueError, OverflowError):
        return date.max


def upcoming_meetings(
    panels: Mapping[str, Panel], calendar: WorkingCalendar, as_of: date, count: int = UPCOMING
) -> dict[str, list[ScheduledMeeting]]:
    """Each panel's next `count` scheduled meetings on or after `as_of` (empty for as-required panels)."""
    return {panel_id: meetings_from(panel, calendar, as_of, count) for panel_id, panel in sorted(panels.items())}
