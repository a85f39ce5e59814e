"""Children's journeys in a period, from the cases' key events: child protection plans, section 20, permanence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.models import EntryBasis
from generator.views.reports.children import CareEntry, Plan
from generator.views.reports.figures import LENGTH_BANDS, Measure, Period, band_of, median, row, total_row

PLAN_DEFINITION = (
    "From the cases' key events, child by child: a plan runs from a cp-plan-started event to the next "
    "cp-plan-ended event; a plan with no end is open. Length is counted in whole calendar months. A repeat plan "
    "is a plan that started in the period for a child who had an earlier recorded plan (ended before it began), "
    "however long ago."
)
S20_DEFINITION = (
    "Children (not cases) with an entered-care event in the period whose basis is planned or emergency "
    "section 20 accommodation."
)
PERMANENCE_DEFINITION = (
    "For every child who entered care under section 20 (at any date), permanence is the first of these events "
    "after the entry: left-care (the child left care; the event does not say where to), or order-made for a "
    "final order - a care order, placement order, special guardianship order or child arrangements order. "
    "The order-made event does not say which order was made: it counts only when the child's recorded legal "
    "status is one of those orders and began on the day of the event. A reunification plan is a plan, not "
    "permanence, and interim orders are not counted. Time to permanence is from the entry to that event, in "
    "whole calendar months (bands) and days (median)."
)
_BAND_LABELS = tuple(b.label for b in LENGTH_BANDS)


@dataclass(frozen=True)
class PlanMeasures:
    """Child protection plans in the period."""

    started: Measure
    """Plans started in the period, first and repeat."""
    ended: Measure
    """Plans ended in the period, by length."""
    open: Measure
    """Plans open on the report's date, by length so far."""
    ended_median_days: float | None
    """Median length in days of the plans ended in the period."""


@dataclass(frozen=True)
class CareMeasures:
    """Children entering care under section 20, and time to permanence."""

    entered: Measure
    """Entries under section 20 in the period, planned and emergency."""
    permanence: Measure
    """Time to permanence (reached in the period) and time so far (not yet reached), by band."""
    reached: tuple[CareEntry, ...]
    """The entries whose permanence fell in the period, for the detail table."""
    median_days: float | None
    """Median days from entry to permanence, of those reached in the period."""


def plan_measures(plans: Sequence[Plan], period: Period) -> PlanMeasures:
    """Plans started (first or repeat), ended (by length) and open (by length so far)."""
    started = [p for p in plans if period.holds(p.start)]
    start_columns = ("Plans started",)
    start_rows = (
        row("First plan", start_columns, [[p.case for p in started if p.number == 1]]),
        row("Repeat plan (second or later)", start_columns, [[p.case for p in started if p.number > 1]]),
    )
    ended = [p for p in plans if p.end is not None and period.holds(p.end)]
    current = [p for p in plans if p.end is None]
    ended_groups: list[list[str]] = [[] for _ in LENGTH_BANDS]
    open_groups: list[list[str]] = [[] for _ in LENGTH_BANDS]
    for plan in ended:
        ended_groups[_band_index(plan.start, plan.end or period.to)].append(plan.case)
    for plan in current:
        open_groups[_band_index(plan.start, period.as_of)].append(plan.case)
    return PlanMeasures(
        Measure(
            "cp-started",
            "Child protection plans started, and repeat plans",
            PLAN_DEFINITION,
            "Plan",
            start_columns,
            start_rows,
            total_row(start_columns, start_rows),
        ),
        _banded("cp-ended", "Length of child protection plans that ended", ("Plans ended",), ended_groups),
        _banded("cp-open", "Child protection plans still open, by length so far", ("Open plans",), open_groups),
        median([((p.end or period.to) - p.start).days for p in ended]),
    )


def care_measures(entries: Sequence[CareEntry], period: Period) -> CareMeasures:
    """Section 20 entries in the period, and time to permanence."""
    entered = [e for e in entries if period.holds(e.entered)]
    columns = ("Children",)
    entry_rows = (
        row("Planned (section 20)", columns, [[e.case for e in entered if e.basis is EntryBasis.S20_PLANNED]]),
        row("Emergency (section 20)", columns, [[e.case for e in entered if e.basis is EntryBasis.S20_EMERGENCY]]),
    )
    reached = tuple(e for e in entries if e.permanence is not None and period.holds(e.permanence))
    waiting = [e for e in entries if e.permanence is None]
    reached_groups: list[list[str]] = [[] for _ in LENGTH_BANDS]
    waiting_groups: list[list[str]] = [[] for _ in LENGTH_BANDS]
    for entry in reached:
        reached_groups[_band_index(entry.entered, entry.permanence or period.to)].append(entry.case)
    for entry in waiting:
        waiting_groups[_band_index(entry.entered, period.as_of)].append(entry.case)
    permanence_columns = ("Reached permanence in the period", "Not yet: time in care so far")
    rows = tuple(
        row(label, permanence_columns, [reached_groups[i], waiting_groups[i]]) for i, label in enumerate(_BAND_LABELS)
    )
    return CareMeasures(
        Measure(
            "s20-entered",
            "Children entering care under section 20",
            S20_DEFINITION,
            "Basis",
            columns,
            entry_rows,
            total_row(columns, entry_rows),
        ),
        Measure(
            "permanence",
            "Time to permanence after entering care under section 20",
            PERMANENCE_DEFINITION,
            "Time from entry",
            permanence_columns,
            rows,
            total_row(permanence_columns, rows),
        ),
        tuple(sorted(reached, key=lambda e: (e.permanence, e.case, e.child))),
        median([((e.permanence or period.to) - e.entered).days for e in reached]),
    )


def _banded(key: str, title: str, columns: tuple[str], groups: list[list[str]]) -> Measure:
    rows = tuple(row(label, columns, [ids]) for label, ids in zip(_BAND_LABELS, groups, strict=True))
    return Measure(key, title, PLAN_DEFINITION, "Length", columns, rows, total_row(columns, rows))


def _band_index(start: date, end: date) -> int:
    return LENGTH_BANDS.index(band_of(start, end))
