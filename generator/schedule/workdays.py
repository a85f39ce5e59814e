"""Working days in England: Monday to Friday, less bank holidays and local closure days.

Nothing here reads the clock: every date is passed in.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import holidays

from generator.models.panel import Timescale, TimeUnit
from generator.models.people import Authority

LOCAL_CLOSURE = "Local closure day"
"""What `holiday_name` shows for a closure day given without a reason."""

_ONE_DAY = timedelta(days=1)
# No run of non-working days is anywhere near this long; reaching it means a broken closure list.
_LONGEST_CLOSURE = 366


class WorkingCalendar:
    """Which days are working days, and counting in them.

    Bank holidays in England come from the `holidays` package (offline), loaded a year at a
    time as they are needed and kept.
    """

    def __init__(self, closures: Mapping[date, str] | Iterable[date] = ()) -> None:
        """A calendar with these local closure days (a mapping to reasons, or plain dates)."""
        if isinstance(closures, Mapping):
            self._closures: dict[date, str] = dict(closures)
        else:
            self._closures = dict.fromkeys(closures, LOCAL_CLOSURE)
        self._bank_holidays: dict[int, dict[date, str]] = {}

    @classmethod
    def for_authority(cls, authority: Authority) -> WorkingCalendar:
        """The calendar of an authority: bank holidays in England plus its closure days."""
        return cls({closure.date: closure.reason for closure in authority.closure_days})

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, not a bank holiday in England, not a local closure day."""
        return d.weekday() < 5 and self.holiday_name(d) is None

    def holiday_name(self, d: date) -> str | None:
        """The closure's reason or the bank holiday's name on `d`, for display; None otherwise."""
        if d in self._closures:
            return self._closures[d]
        return self._holidays_in(d.year).get(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The `n`-th working day after `d`: day 1 is the first working day after `d`.

        `d` itself never counts, so `n = 0` gives `d` unchanged.
        """
        return self._count(d, n, _ONE_DAY)

    def subtract_working_days(self, d: date, n: int) -> date:
        """The `n`-th working day before `d`: day 1 is the first working day before `d`.

        `d` itself never counts, so `n = 0` gives `d` unchanged.
        """
        return self._count(d, n, -_ONE_DAY)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not after `start`).

        Counted without walking the days: five weekdays a whole week, the rest day by day, less the
        bank holidays and closure days that fall on a weekday in between.
        """
        span = (end - start).days
        if span <= 0:
            return 0
        weeks, rest = divmod(span, 7)
        weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start.weekday() + n) % 7 < 5)
        closed = {d for d in self._closures if start < d <= end and d.weekday() < 5}
        for year in range(start.year, end.year + 1):
            closed.update(d for d in self._holidays_in(year) if start < d <= end and d.weekday() < 5)
        return weekdays - len(closed)

    def on_or_before(self, d: date) -> date:
        """`d` if it is a working day, otherwise the last working day before it."""
        if self.is_working_day(d):
            return d
        return self._count(d, 1, -_ONE_DAY)

    def after(self, d: date, timescale: Timescale) -> date:
        """The date a timescale counted from `d` runs out.

        Working days count from the next working day; calendar days and months count on the
        calendar (a month from 31 January is the last day of February), and a result that is
        not a working day moves to the working day before.
        """
        if timescale.unit is TimeUnit.WORKING_DAYS:
            return self.add_working_days(d, timescale.within)
        if timescale.unit is TimeUnit.DAYS:
            return self.on_or_before(d + timedelta(days=timescale.within))
        return self.on_or_before(add_months(d, timescale.within))

    def anniversary(self, d: date, timescale: Timescale) -> date:
        """The calendar date a timescale counted from `d` reaches, never moved to a working day.

        For facts rather than deadlines: a case open for six months from 31 August is six months
        old on 28 February (29 in a leap year), a Saturday or Christmas Day included. Working
        days still count in working days.
        """
        if timescale.unit is TimeUnit.WORKING_DAYS:
            return self.add_working_days(d, timescale.within)
        if timescale.unit is TimeUnit.DAYS:
            return d + timedelta(days=timescale.within)
        return add_months(d, timescale.within)

    def _count(self, d: date, n: int, step: timedelta) -> date:
        if n < 0:
            raise ValueError(f"cannot count {n} working days: give a number of 0 or more")
        day, counted, idle = d, 0, 0
        while counted < n:
            day += step
            if self.is_working_day(day):
                counted, idle = counted + 1, 0
            else:
                idle += 1
                if idle > _LONGEST_CLOSURE:
                    raise ValueError(f"no working day for a year around {day}: check closure days")
        return day

    def _holidays_in(self, year: int) -> dict[date, str]:
        if year not in self._bank_holidays:
            found = holidays.country_holidays("GB", subdiv="ENG", years=year)
            self._bank_holidays[year] = {day: str(name) for day, name in found.items()}
        return self._bank_holidays[year]


def add_months(d: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the end of a shorter month."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last_day))
