"""Bookings against a meeting's capacity: the case cap and the emergency slots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Referral
from generator.schedule.booking import book_meeting


def check_capacity(repo: Repository, arrivals: Mapping[str, datetime | None]) -> list[Diagnostic]:
    """Referrals beyond a meeting's case cap, and emergency requests beyond its emergency slots.

    Bookings count in the order they arrived (see `generator.schedule.booking`).
    """
    booked: dict[tuple[str, date], list[Doc[Referral]]] = defaultdict(list)
    for doc in repo.referrals:
        booked[(doc.model.panel, doc.model.meeting)].append(doc)
    found: list[Diagnostic] = []
    for (panel_id, meeting), docs in sorted(booked.items()):
        panel = repo.panels.get(panel_id)
        if panel is None:
            continue
        record = repo.meetings.get((panel_id, meeting))
        booking = book_meeting(docs, arrivals, record.model.deferred if record else (), panel.timing)
        slots = panel.timing.emergency_slots
        for doc in booking.no_emergency_slot:
            have = f"has {slots} emergency slot{'s' if slots != 1 else ''}" if slots else "has no emergency slot"
            found.append(
                d.make(
                    d.EMERGENCY_SLOT_UNAVAILABLE,
                    doc.path,
                    doc.line("emergency"),
                    f"{panel.short_name} on {meeting} {have}, already taken" if slots else f"{panel.short_name} {have}",
                    "ask the coordinator for another meeting, or remove `emergency: true`",
                )
            )
        cap = panel.timing.max_cases
        ordinary = len(booking.ordinary)
        for doc in booking.tabled:
            found.append(
                d.make(
                    d.OVER_CAPACITY,
                    doc.path,
                    doc.line("meeting"),
                    f"{ordinary} cases are booked for {panel.short_name} on {meeting}; "
                    f"it hears at most {cap}, so this one would be tabled to the next meeting",
                    "agree with the chair which cases have priority, or book the next meeting",
                )
            )
    return found
