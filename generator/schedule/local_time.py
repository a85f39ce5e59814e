"""UK local time: the zone deadlines are judged in, and the UK date of an arrival time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/London")
"""Deadlines are days in England: an arrival time is judged by its date in UK local time."""


def arrival_date(arrived: datetime) -> date:
    """The UK date of an arrival time (naive times are taken as UK local time)."""
    if arrived.tzinfo is None:
        return arrived.date()
    return arrived.astimezone(LOCAL_TIME).date()
