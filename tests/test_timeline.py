"""Per-case timelines: every panel's entries for one case, in date order, and on the case page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import DemoSite
from test_trackers import CP, World, action, case_file, decision_file, example_data, make_world, record

from generator.views.timeline import EntryKind, TimelineEntry, case_timeline


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Small repositories built on the project's panels."""
    return make_world(tmp_path)


def test_entries_of_every_kind_in_date_order(world: World) -> None:
    """Key events, the meeting's decision, actions due and done, and an escalation, oldest first."""
    files = {
        "cases/100001/case.md": case_file(
            "100001", status="cp", events="\n  - date: 2026-02-16\n    kind: cp-plan-started"
        ),
        CP: decision_file(
            "cp", "2026-11-06", "100001", actions=action("a1", "2026-11-13") + action("a2", "2026-11-20")
        ),
        "decisions/cp/2026-11-06/records/100001-a2-done.md": record(CP, "action-done", "2026-11-17", "a2"),
        "decisions/cp/2026-11-06/records/100001-a1-escalated.md": record(
            CP, "action-escalated", "2026-11-20", extra="escalated_to: group-manager\n"
        ),
    }
    actual = [(e.when, e.kind, e.panel) for e in case_timeline(world(files, date(2026, 11, 25)), "100001")]
    expected = [
        (date(2026, 2, 16), EntryKind.EVENT, None),
        (date(2026, 11, 6), EntryKind.DECISION, "cp"),
        (date(2026, 11, 13), EntryKind.ACTION_DUE, "cp"),
        (date(2026, 11, 17), EntryKind.ACTION_DONE, "cp"),
        (date(2026, 11, 20), EntryKind.ACTION_DUE, "cp"),
        (date(2026, 11, 20), EntryKind.RECORD, "cp"),
    ]
    assert expected == actual


def test_unknown_case_has_no_timeline(world: World) -> None:
    """A case id with nothing recorded gives an empty timeline."""
    assert () == case_timeline(world({}, date(2026, 11, 25)), "999999")


def test_example_timeline_spans_panels(tmp_path: Path) -> None:
    """A PLO journey's timeline holds CDM and LPM entries, sorted, with referrals, hearings and decisions."""
    entries = case_timeline(example_data(tmp_path, date(2026, 11, 25)), "204117")
    assert {"cdm", "lpm"} <= {e.panel for e in entries}
    assert {EntryKind.EVENT, EntryKind.REFERRAL, EntryKind.HEARD, EntryKind.DECISION, EntryKind.ACTION_DONE} <= {
        e.kind for e in entries
    }
    assert list(entries) == sorted(entries, key=TimelineEntry.key)


def test_case_page_shows_the_timeline(demo_site: DemoSite) -> None:
    """The built case page has a Timeline table linking each decision entry to its section."""
    page = (demo_site.docs / "cases" / "205519.md").read_text(encoding="utf-8")
    assert "## Timeline" in page
    assert "| Date | Panel | Entry | What |" in page
    assert "(205519.md#decision-2026-11-06-cp)" in page.split("## Timeline")[1]
    html = (demo_site.site / "cases" / "205519.html").read_text(encoding="utf-8")
    assert "escalated to the group manager" in html
