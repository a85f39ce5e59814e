"""The drift radar: each kind of trigger, its boundary dates, and a referral taking a child off the radar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import DemoSite
from test_trackers import World, case_file, example_data, make_world, referral_file, table_rows

from generator.models.panel import TriggerKind
from generator.views.drift import drift_radar

CASE = "100001"


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Small repositories built on the project's panels."""
    return make_world(tmp_path)


def event(when: str, kind: str, basis: str | None = None) -> str:
    """One key event as a YAML list item."""
    basis_line = f"\n    basis: {basis}" if basis else ""
    return f"\n  - date: {when}\n    kind: {kind}{basis_line}"


# Each clock is set so that it runs out on Wednesday 25 November 2026.
OPEN_6_MONTHS = case_file(CASE, status="cin", events=event("2026-05-25", "opened"))
CP_7_MONTHS = case_file(CASE, status="cp", events=event("2026-04-25", "cp-plan-started"))
EMERGENCY = case_file(CASE, status="s20", events=event("2026-11-16", "entered-care", "s20-emergency"))
S20_5_DAYS = case_file(CASE, status="s20", events=event("2026-11-20", "entered-care", "s20-planned"))


@pytest.mark.parametrize(
    ("case", "kind", "as_of", "on_radar"),
    [
        (OPEN_6_MONTHS, TriggerKind.OPEN_AS_CIN_OR_CP, date(2026, 11, 24), False),
        (OPEN_6_MONTHS, TriggerKind.OPEN_AS_CIN_OR_CP, date(2026, 11, 25), True),  # six months or more
        (CP_7_MONTHS, TriggerKind.CP_PLAN_LONGER_THAN, date(2026, 11, 25), False),
        (CP_7_MONTHS, TriggerKind.CP_PLAN_LONGER_THAN, date(2026, 11, 26), True),  # more than seven months
        (EMERGENCY, TriggerKind.UNPLANNED_ENTRY_TO_CARE, date(2026, 11, 25), False),  # the 7th working day
        (EMERGENCY, TriggerKind.UNPLANNED_ENTRY_TO_CARE, date(2026, 11, 26), True),
        (S20_5_DAYS, TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN, date(2026, 11, 24), False),
        (S20_5_DAYS, TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN, date(2026, 11, 25), True),  # no plan within 5 days
    ],
)
def test_each_trigger_kind_at_its_boundary(
    world: World, case: str, kind: TriggerKind, as_of: date, on_radar: bool
) -> None:
    """The clock runs out on 25 November; each kind is met on or after that day as its rule says."""
    entries = [e for e in drift_radar(world({f"cases/{CASE}/case.md": case}, as_of)) if e.case == CASE]
    kinds = [e.trigger.kind for e in entries]
    assert on_radar == (kind in kinds)
    if on_radar:
        (entry,) = [e for e in entries if e.trigger.kind is kind]
        assert (date(2026, 11, 25), ("c1",)) == (entry.due, entry.children)


def test_entry_fields(world: World) -> None:
    """An entry names the panel, the trigger, the day the clock started, the due date and working days past."""
    entries = drift_radar(world({f"cases/{CASE}/case.md": EMERGENCY}, date(2026, 11, 30)))
    (entry,) = [e for e in entries if e.case == CASE and e.trigger.kind is TriggerKind.UNPLANNED_ENTRY_TO_CARE]
    assert ("clam", date(2026, 11, 16), date(2026, 11, 25), 3) == (entry.panel, entry.since, entry.due, entry.days_past)


@pytest.mark.parametrize(
    ("meeting", "on_radar"),
    [("2026-05-20", True), ("2026-05-25", False), ("2026-12-01", False)],
)
def test_a_referral_after_the_clock_started_takes_the_child_off(world: World, meeting: str, on_radar: bool) -> None:
    """A referral to the panel for a meeting on or after the clock's start counts, even one still to come."""
    files = {
        f"cases/{CASE}/case.md": OPEN_6_MONTHS,
        f"cases/{CASE}/referrals/{meeting}-cmr.md": referral_file(
            "cmr", meeting, CASE, "plan-review", "open-as-cin-or-cp"
        ),
    }
    entries = [e for e in drift_radar(world(files, date(2026, 11, 26))) if e.case == CASE]
    assert on_radar == any(e.panel == "cmr" for e in entries)


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        (event("2026-11-23", "reunification-plan-agreed"), "s20"),  # a plan was agreed
        ("", "care-order"),  # no longer accommodated under s20
    ],
)
def test_s20_clock_stops(world: World, extra: str, status: str) -> None:
    """A reunification plan, or a change of legal status, takes the child off the s20 trigger."""
    case = case_file(CASE, status=status, events=event("2026-11-20", "entered-care", "s20-planned") + extra)
    entries = drift_radar(world({f"cases/{CASE}/case.md": case}, date(2026, 11, 30)))
    assert [] == [e for e in entries if e.case == CASE and e.trigger.kind is TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN]


def test_an_ended_plan_and_a_closed_case_stop_their_clocks(world: World) -> None:
    """A CP plan that ended, or a case closed and reopened, restarts the clock."""
    ended = case_file(
        CASE, status="cp", events=event("2025-01-06", "cp-plan-started") + event("2025-06-02", "cp-plan-ended")
    )
    reopened = case_file(
        "100002",
        status="cin",
        events=event("2025-01-06", "opened") + event("2025-03-03", "closed") + event("2026-10-01", "opened"),
    )
    entries = drift_radar(world({f"cases/{CASE}/case.md": ended, "cases/100002/case.md": reopened}, date(2026, 11, 25)))
    actual = [(e.case, e.trigger.kind) for e in entries if e.case in (CASE, "100002")]
    assert [(CASE, TriggerKind.OPEN_AS_CIN_OR_CP)] == actual  # still open, but no plan is current


def test_the_example_shows_every_trigger_kind_with_a_clock(tmp_path: Path) -> None:
    """On the demo date the example has at least one child on the radar for each kind the seeds define."""
    data = example_data(tmp_path, date(2026, 11, 25))
    entries = drift_radar(data)
    clocked = {t.kind for p in data.repo.panels.values() for t in p.triggers if t.within is not None}
    assert clocked == {e.trigger.kind for e in entries}
    assert entries == tuple(sorted(entries, key=lambda e: (-e.days_past, e.panel, e.case, e.trigger.id, e.since)))


def test_demo_site_drift_page_shows_every_clocked_trigger(demo_site: DemoSite) -> None:
    """The demo's drift radar has a table with at least one child under every trigger that has a clock."""
    markdown = (demo_site.docs / "trackers" / "drift.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert 4 <= len(headings)
    for heading in headings:
        rows = table_rows(markdown, heading)
        assert rows, heading
        assert all(row.startswith("| [") and "](../cases/" in row for row in rows)
