"""The computed agenda: slot times from each panel's own timing rules, capacity, order and readiness."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from generator.core import diagnostics as d
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.schedule.meetings import meetings_from
from generator.schedule.workdays import WorkingCalendar
from generator.views.agenda import Agenda, Readiness, SlotKind, meeting_agendas

Files = Mapping[str, str]
AS_OF = date(2026, 3, 2)

PANEL = """\
---
id: {id}
name: Panel {id}
short_name: {id}
source: Invented for the tests.
purpose: Tests agendas.
terms:
  review_due: 2030-01-01
chair:
  roles: [head-of-service]
  description: A head of service chairs.
quorum:
  description: The chair.
cadence:
{cadence}
venues:
  - id: hq
    name: Head Office
timing:
{timing}
agenda:
  - title: Welcome and conduct
    kind: conduct
  - title: Actions from last time
    kind: previous-actions
  - title: Cases
    kind: cases
  - title: Close
conduct_statement: What is said here stays here.
referral:
  route: referral
  deadline: working-days-before
  days: 2
  description: Two working days before.
request_types:
  - id: ordinary
    name: Ordinary request
    description: An ordinary request.
  - id: urgent
    name: Urgent request
    description: Heard first.
    first_slot: true
outcomes:
  - id: agree
    name: Agreed
---
"""
WEEKLY_THURSDAY = """\
  frequency: weekly
  weekday: thursday
  start: "13:00"
  end: "16:30"
  venues: [hq]"""
WEEKLY_TUESDAY = """\
  frequency: weekly
  weekday: tuesday
  start: "09:30"
  end: "12:00"
  venues: [hq]"""
AS_REQUIRED = """\
  frequency: as-required
  venues: [hq]"""
CLAM_TIMING = """\
  business_minutes: 15
  slot_minutes: 15
  sibling_extra_minutes: 15
  emergency_slots: 1"""
CMR_TIMING = """\
  business_minutes: 15
  slot_minutes: 20
  max_cases: 6
  case_parts:
    - name: Summary
      minutes: 5
    - name: Discussion
      minutes: 10
    - name: Decisions
      minutes: 5"""

CASE = """\
---
id: "{case}"
children:
  - id: c1
    name: First Child
    date_of_birth: 2016-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
  - id: c2
    name: Second Child
    date_of_birth: 2018-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
  - id: c3
    name: Third Child
    date_of_birth: 2020-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
worker: p-worker
team: north
---
"""
REFERRAL = """\
---
panel: {panel}
meeting: {meeting}
case: "{case}"
request: {request}
children: [{children}]
sought: A decision.
presenter: p-worker
emergency: {emergency}
---
"""


def panel_file(panel_id: str, cadence: str, timing: str) -> dict[str, str]:
    """A panel file with the given cadence and timing blocks."""
    return {f"panels/{panel_id}.md": PANEL.format(id=panel_id, cadence=cadence, timing=timing)}


def referral(
    panel: str, meeting: str, case: str, children: str = "c1", request: str = "ordinary", emergency: bool = False
) -> dict[str, str]:
    """A case file and its referral to one meeting."""
    text = REFERRAL.format(
        panel=panel, meeting=meeting, case=case, request=request, children=children, emergency=str(emergency).lower()
    )
    return {f"cases/{case}/case.md": CASE.format(case=case), f"cases/{case}/referrals/{meeting}-{panel}.md": text}


def agendas_of(
    root: Path,
    diagnostics: tuple[d.Diagnostic, ...] = (),
    arrivals: Mapping[str, datetime | None] | None = None,
    upcoming: bool = False,
) -> dict[tuple[str, date], Agenda]:
    """The agendas of the repository at `root`, by (panel, date)."""
    repo, problems = load_repository(root)
    assert [] == problems
    cal = WorkingCalendar()
    scheduled = {pid: meetings_from(panel, cal, AS_OF, 2) for pid, panel in repo.panels.items()} if upcoming else {}
    data = Workspace(repo, tuple(sorted(diagnostics)), AS_OF, scheduled, cal, arrivals or {})
    return {(a.panel_id, a.date): a for a in meeting_agendas(data)}


def hm(text: str) -> time:
    """A time of day from `HH:MM`."""
    return time.fromisoformat(text)


def test_clam_business_then_slots_with_sibling_extra_and_emergency_slot(make_files: Callable[[Files], Path]) -> None:
    """CLAM: 15 minutes' business, 15-minute slots with 15 more per further sibling, the emergency slot kept."""
    files = panel_file("wk", WEEKLY_THURSDAY, CLAM_TIMING)
    files |= referral("wk", "2026-03-05", "100001", children="c1, c2, c3")
    files |= referral("wk", "2026-03-05", "100002")
    agenda = agendas_of(make_files(files))[("wk", date(2026, 3, 5))]
    expected = [
        ("3.1", "100001", hm("13:15"), hm("14:00"), SlotKind.CASE),
        ("3.2", "100002", hm("14:00"), hm("14:15"), SlotKind.CASE),
        ("3.3", "", hm("14:15"), hm("14:30"), SlotKind.KEPT_FREE),
    ]
    assert expected == [(s.number, s.case, s.start, s.end, s.kind) for s in agenda.slots]
    items = [(i.number, i.title, i.start, i.end) for i in agenda.items]
    assert [
        ("1", "Welcome and conduct", hm("13:00"), hm("13:15")),
        ("2", "Actions from last time", hm("13:00"), hm("13:15")),
        ("3", "Cases", hm("13:15"), hm("14:30")),
        ("4", "Close", hm("14:30"), hm("16:30")),
    ] == items
    assert ("What is said here stays here.", 3) == (agenda.items[0].statement, len(agenda.items[2].slots))


def test_emergency_referral_fills_the_emergency_slot(make_files: Callable[[Files], Path]) -> None:
    """An emergency referral takes the kept slot, after the ordinary cases; none is left kept free."""
    files = panel_file("wk", WEEKLY_THURSDAY, CLAM_TIMING)
    files |= referral("wk", "2026-03-05", "100001", emergency=True)
    files |= referral("wk", "2026-03-05", "100002")
    agenda = agendas_of(make_files(files))[("wk", date(2026, 3, 5))]
    expected = [("100002", SlotKind.CASE, hm("13:15")), ("100001", SlotKind.EMERGENCY, hm("13:30"))]
    assert expected == [(s.case, s.kind, s.start) for s in agenda.slots]


def test_cmr_six_cases_with_parts_and_the_seventh_tabled(make_files: Callable[[Files], Path]) -> None:
    """CMR: at most 6 cases of 5/10/5 minutes from 09:45; the 7th booked is tabled to the next meeting date."""
    files = panel_file("rv", WEEKLY_TUESDAY, CMR_TIMING)
    cases = [f"20000{n}" for n in range(1, 8)]
    for case in cases:
        files |= referral("rv", "2026-03-03", case)
    root = make_files(files)
    # Booked in reverse order of case id: the 7th to arrive is the first case.
    arrivals = {
        f"cases/{case}/referrals/2026-03-03-rv.md": datetime(2026, 2, 20, 9, 7 - n, tzinfo=UTC)
        for n, case in enumerate(cases)
    }
    agenda = agendas_of(root, arrivals=arrivals)[("rv", date(2026, 3, 3))]
    assert list(reversed(cases))[:6] == [s.case for s in agenda.slots]
    first = agenda.slots[0]
    parts = [("Summary", hm("09:45"), hm("09:50")), ("Discussion", hm("09:50"), hm("10:00"))]
    assert [*parts, ("Decisions", hm("10:00"), hm("10:05"))] == list(first.parts)
    assert (hm("11:25"), hm("11:45")) == (agenda.slots[-1].start, agenda.slots[-1].end)
    assert [("200001", date(2026, 3, 10))] == [(t.slot.case, t.to) for t in agenda.tabled]
    assert (False, "3.6") == (agenda.overruns, agenda.slots[-1].number)


def test_first_slot_requests_go_first(make_files: Callable[[Files], Path]) -> None:
    """A request type with first_slot is heard before earlier bookings."""
    files = panel_file("rv", WEEKLY_TUESDAY, CMR_TIMING)
    files |= referral("rv", "2026-03-03", "300001")
    files |= referral("rv", "2026-03-03", "300002", request="urgent")
    files |= referral("rv", "2026-03-03", "300003")
    agenda = agendas_of(make_files(files))[("rv", date(2026, 3, 3))]
    expected = [("300002", True, hm("09:45")), ("300001", False, hm("10:05")), ("300003", False, hm("10:25"))]
    assert expected == [(s.case, s.first_slot, s.start) for s in agenda.slots]


def _diagnostic(path: str, rule: d.Rule, message: str) -> d.Diagnostic:
    return d.make(rule, path, 1, message, "fix it")


@pytest.mark.parametrize(
    ("problems", "expected"),
    [
        ((), (Readiness.READY, ())),
        (((d.LATE_REFERRAL, "arrived after the deadline"),), (Readiness.LATE, ("arrived after the deadline",))),
        (
            ((d.MISSING_DOCUMENT, "no chronology"), (d.LATE_REFERRAL, "arrived late")),
            (Readiness.LATE, ("no chronology", "arrived late")),
        ),
        (((d.MISSING_DOCUMENT, "no chronology"),), (Readiness.INCOMPLETE, ("no chronology",))),
        (((d.OVER_CAPACITY, "a warning only"),), (Readiness.READY, ())),
    ],
    ids=["ready", "late", "late-and-incomplete", "incomplete", "warning-is-ready"],
)
def test_readiness_from_the_referral_diagnostics(
    make_files: Callable[[Files], Path],
    problems: tuple[tuple[d.Rule, str], ...],
    expected: tuple[Readiness, tuple[str, ...]],
) -> None:
    """Late with a late-referral diagnostic, else incomplete with any other error, else ready; reasons are messages."""
    files = panel_file("wk", WEEKLY_THURSDAY, CLAM_TIMING) | referral("wk", "2026-03-05", "100001")
    path = "cases/100001/referrals/2026-03-05-wk.md"
    diagnostics = tuple(_diagnostic(path, rule, message) for rule, message in problems)
    slot = agendas_of(make_files(files), diagnostics)[("wk", date(2026, 3, 5))].slots[0]
    assert expected == (slot.readiness, slot.reasons)


def test_panel_without_start_time_gets_slots_without_times(make_files: Callable[[Files], Path]) -> None:
    """A panel meeting as required, with no start time, lists its cases in order with no invented times."""
    files = panel_file("ar", AS_REQUIRED, "  slot_minutes: 60")
    files |= referral("ar", "2026-03-04", "400001")
    files |= referral("ar", "2026-03-04", "400002")
    agenda = agendas_of(make_files(files))[("ar", date(2026, 3, 4))]
    expected = [("3.1", "400001", None, None), ("3.2", "400002", None, None)]
    assert expected == [(s.number, s.case, s.start, s.end) for s in agenda.slots]
    assert (None, None, False, "Head Office") == (
        agenda.start,
        agenda.items[0].start,
        agenda.scheduled,
        agenda.venue.name if agenda.venue else None,
    )


def test_upcoming_meetings_are_covered_and_sorted(make_files: Callable[[Files], Path]) -> None:
    """Every panel's upcoming meetings have an agenda, even with nothing booked; sorted by date, then panel."""
    files = panel_file("wk", WEEKLY_THURSDAY, CLAM_TIMING) | panel_file("rv", WEEKLY_TUESDAY, CMR_TIMING)
    keys = list(agendas_of(make_files(files), upcoming=True))
    expected = [
        ("rv", date(2026, 3, 3)),
        ("wk", date(2026, 3, 5)),
        ("rv", date(2026, 3, 10)),
        ("wk", date(2026, 3, 12)),
    ]
    assert expected == keys
