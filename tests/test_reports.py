"""The management reports: every measure on small repositories, periods and their boundaries, and the demo site."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, DemoSite

from generator.core import diagnostics as d
from generator.loading.repository import Repository, load_repository
from generator.models import Case
from generator.schedule.workdays import WorkingCalendar
from generator.tools.demo import copy_panels
from generator.views.reports import annual_report, financial_year, lac_reduction_report, months_to
from generator.views.reports.children import cp_plans, s20_entries
from generator.views.reports.figures import Measure, band_of, whole_months
from generator.views.reports.plans import care_measures, plan_measures

AS_OF = date(2026, 11, 25)
CAL = WorkingCalendar()
Events = list[dict[str, Any]]


def front(data: dict[str, Any]) -> str:
    """A document whose front matter is `data` (JSON is YAML)."""
    return f"---\n{json.dumps(data)}\n---\n"


def child(child_id: str = "c1", status: str = "cin", since: str = "2025-01-01") -> dict[str, Any]:
    """A child of a case."""
    return {
        "id": child_id,
        "name": f"Child {child_id}",
        "date_of_birth": "2015-01-01",
        "legal_status": status,
        "legal_status_since": since,
    }


def case_doc(
    case_id: str, events: Events | None = None, children: list[dict[str, Any]] | None = None
) -> dict[str, str]:
    """The case file of `case_id`."""
    data = {
        "id": case_id,
        "children": children or [child()],
        "worker": "p-worker",
        "team": "fieldwork",
        "events": events or [],
    }
    return {f"cases/{case_id}/case.md": front(data)}


def decision_doc(
    panel: str, meeting: str, case_id: str, request: str, outcomes: list[str], **extra: Any
) -> dict[str, str]:
    """A decision sheet."""
    data = {
        "panel": panel,
        "meeting": meeting,
        "case": case_id,
        "children": extra.pop("children", ["c1"]),
        "request": request,
        "outcomes": outcomes,
        "agreed": ["Agreed."],
        "rationale": "Because.",
        "chair": "p-chair",
        **extra,
    }
    return {f"decisions/{panel}/{meeting}/{case_id}.md": front(data)}


def meeting_doc(panel: str, day: str, heard: list[str], **extra: Any) -> dict[str, str]:
    """A meeting record."""
    data = {
        "panel": panel,
        "date": day,
        "chair": "p-chair",
        "attendees": [{"person": "p-chair", "role": "head-of-service", "capacity": "chair"}],
        "heard": heard,
        **extra,
    }
    return {f"decisions/{panel}/{day}/meeting.md": front(data)}


def referral_doc(panel: str, meeting: str, case_id: str, request: str, **extra: Any) -> dict[str, str]:
    """A referral."""
    data = {
        "panel": panel,
        "meeting": meeting,
        "case": case_id,
        "request": request,
        "children": ["c1"],
        "sought": "A decision.",
        "presenter": "p-worker",
        **extra,
    }
    return {f"cases/{case_id}/referrals/{meeting}-{panel}.md": front(data)}


def repository(tmp_path: Path, *docs: dict[str, str]) -> Repository:
    """The project's panels and `docs`, loaded; every document must load cleanly."""
    copy_panels(PROJECT_ROOT, tmp_path)
    for files in docs:
        for path, text in files.items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
    repo, problems = load_repository(tmp_path)
    assert [] == problems
    return repo


def case(events: Events, children: list[dict[str, Any]] | None = None, case_id: str = "100001") -> Case:
    """A case model with `events`."""
    return Case.model_validate(json.loads(case_doc(case_id, events, children)[f"cases/{case_id}/case.md"][4:-5]))


def values(measure: Measure) -> dict[str, tuple[int, ...]]:
    """Each row's figures, by row label."""
    return {row.label: tuple(f.value for f in row.figures) for row in measure.rows}


def cases_of(measure: Measure) -> dict[str, tuple[str, ...]]:
    """The cases behind each figure, by figure label."""
    return {f.label: f.cases for f in measure.figures()}


# --- periods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "label", "start", "end", "partial"),
    [
        (date(2026, 3, 31), "2025/26", date(2025, 4, 1), date(2026, 3, 31), False),
        (date(2026, 4, 1), "2026/27", date(2026, 4, 1), date(2027, 3, 31), True),
        (date(2027, 1, 15), "2026/27", date(2026, 4, 1), date(2027, 3, 31), True),
        (date(2099, 12, 31), "2099/00", date(2099, 4, 1), date(2100, 3, 31), True),
    ],
)
def test_financial_year_contains_as_of(as_of: date, label: str, start: date, end: date, partial: bool) -> None:
    """The reporting year runs 1 April to 31 March and contains the report's date."""
    year = financial_year(as_of)
    assert (label, start, end, partial, min(end, as_of)) == (year.label, year.start, year.end, year.partial, year.to)


@pytest.mark.parametrize(
    ("as_of", "first", "last", "last_to"),
    [
        (date(2026, 11, 25), "December 2025", "November 2026", date(2026, 11, 25)),
        (date(2026, 1, 31), "February 2025", "January 2026", date(2026, 1, 31)),
        (date(2024, 2, 29), "March 2023", "February 2024", date(2024, 2, 29)),
    ],
)
def test_twelve_months_end_with_the_month_of_as_of(as_of: date, first: str, last: str, last_to: date) -> None:
    """The monthly report's months are the one containing the date and the eleven before, covered to the date."""
    months = months_to(as_of)
    assert (12, first, last, last_to) == (len(months), months[0].label, months[-1].label, months[-1].to)
    assert all(a.end.toordinal() + 1 == b.start.toordinal() for a, b in itertools.pairwise(months))


@pytest.mark.parametrize(
    ("start", "end", "months", "band"),
    [
        (date(2026, 1, 15), date(2026, 4, 14), 2, "Under 3 months"),
        (date(2026, 1, 15), date(2026, 4, 15), 3, "3 months to under 6"),
        (date(2026, 1, 31), date(2026, 2, 28), 1, "Under 3 months"),
        (date(2025, 11, 30), date(2026, 5, 30), 6, "6 months to under 12"),
        (date(2024, 11, 25), date(2026, 11, 25), 24, "24 months or more"),
        (date(2026, 5, 1), date(2026, 5, 1), 0, "Under 3 months"),
    ],
)
def test_lengths_are_whole_calendar_months(start: date, end: date, months: int, band: str) -> None:
    """Lengths count complete calendar months (a month from 31 January ends on 28 February)."""
    assert (months, band) == (whole_months(start, end), band_of(start, end).label)


# --- child protection plans -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([{"date": "2026-01-05", "kind": "cp-plan-started"}], [("c1", "2026-01-05", None, 1)]),
        (
            [{"date": "2026-01-05", "kind": "cp-plan-started"}, {"date": "2026-06-01", "kind": "cp-plan-ended"}],
            [("c1", "2026-01-05", "2026-06-01", 1)],
        ),
        (
            [
                {"date": "2024-01-05", "kind": "cp-plan-started"},
                {"date": "2024-09-01", "kind": "cp-plan-ended"},
                {"date": "2026-05-01", "kind": "cp-plan-started"},
            ],
            [("c1", "2024-01-05", "2024-09-01", 1), ("c1", "2026-05-01", None, 2)],
        ),
        (
            [
                {"date": "2026-01-05", "kind": "cp-plan-ended"},
                {"date": "2026-02-01", "kind": "cp-plan-started"},
                {"date": "2026-03-01", "kind": "cp-plan-started"},
            ],
            [("c1", "2026-02-01", None, 1)],
        ),
        ([{"date": "2026-12-01", "kind": "cp-plan-started"}], []),
    ],
    ids=["open", "ended", "repeat", "stray-end-and-restart", "after-as-of"],
)
def test_cp_plans_from_events(events: Events, expected: list[tuple[str, str, str | None, int]]) -> None:
    """Plans run from a start to the next end; a later start after an end is the child's next plan."""
    plans = cp_plans(case(events), AS_OF)
    actual = [(p.child, p.start.isoformat(), p.end.isoformat() if p.end else None, p.number) for p in plans]
    assert expected == actual


def test_cp_plan_events_apply_to_the_children_they_name() -> None:
    """An event naming children is theirs only; one naming none is every child's."""
    events = [
        {"date": "2026-02-01", "kind": "cp-plan-started"},
        {"date": "2026-08-01", "kind": "cp-plan-ended", "children": ["c2"]},
    ]
    plans = cp_plans(case(events, [child("c1"), child("c2")]), AS_OF)
    assert [("c1", None), ("c2", date(2026, 8, 1))] == [(p.child, p.end) for p in plans]


def test_plan_measures_count_started_repeat_ended_and_open() -> None:
    """Started in the year (first or repeat), ended by length, open by length so far, with the median."""
    plans = [
        *cp_plans(
            case(
                [
                    {"date": "2025-01-10", "kind": "cp-plan-started"},
                    {"date": "2025-03-01", "kind": "cp-plan-ended"},
                    {"date": "2026-05-01", "kind": "cp-plan-started"},
                ],
                case_id="100001",
            ),
            AS_OF,
        ),
        *cp_plans(
            case(
                [{"date": "2025-12-01", "kind": "cp-plan-started"}, {"date": "2026-04-01", "kind": "cp-plan-ended"}],
                case_id="100002",
            ),
            AS_OF,
        ),
        *cp_plans(case([{"date": "2026-03-31", "kind": "cp-plan-started"}], case_id="100003"), AS_OF),
    ]
    measures = plan_measures(plans, financial_year(AS_OF))
    assert {"First plan": (0,), "Repeat plan (second or later)": (1,)} == values(measures.started)
    assert ("100001",) == cases_of(measures.started)["Repeat plan (second or later)"]
    assert (1,) == values(measures.ended)["3 months to under 6"]
    assert {"6 months to under 12": (2,)} == {k: v for k, v in values(measures.open).items() if v != (0,)}
    assert ("100001", "100003") == cases_of(measures.open)["6 months to under 12"]
    assert 121.0 == measures.ended_median_days


# --- section 20 and permanence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "children", "expected"),
    [
        (
            [
                {"date": "2026-05-01", "kind": "entered-care", "basis": "s20-planned"},
                {"date": "2026-08-01", "kind": "left-care"},
            ],
            None,
            [("s20-planned", "2026-08-01", "left care")],
        ),
        (
            [
                {"date": "2026-05-01", "kind": "entered-care", "basis": "s20-emergency"},
                {"date": "2026-10-12", "kind": "order-made"},
            ],
            [child("c1", "sgo", "2026-10-12")],
            [("s20-emergency", "2026-10-12", "special guardianship order")],
        ),
        (
            [
                {"date": "2026-05-01", "kind": "entered-care", "basis": "s20-planned"},
                {"date": "2026-06-01", "kind": "order-made"},
            ],
            [child("c1", "interim-care-order", "2026-06-01")],
            [("s20-planned", None, None)],
        ),
        (
            [
                {"date": "2026-05-01", "kind": "entered-care", "basis": "s20-planned"},
                {"date": "2026-06-01", "kind": "reunification-plan-agreed"},
            ],
            None,
            [("s20-planned", None, None)],
        ),
        ([{"date": "2026-05-01", "kind": "entered-care", "basis": "interim-care-order"}], None, []),
    ],
    ids=["left-care", "sgo", "interim-order-is-not-permanence", "plan-is-not-permanence", "not-s20"],
)
def test_s20_entries_and_permanence(
    events: Events, children: list[dict[str, Any]] | None, expected: list[tuple[str, str | None, str | None]]
) -> None:
    """Permanence is leaving care or a final order the legal status names; plans and interim orders are not."""
    entries = s20_entries(case(events, children), AS_OF)
    actual = [(e.basis.value, e.permanence.isoformat() if e.permanence else None, e.route) for e in entries]
    assert expected == actual


def test_care_measures_count_entries_in_the_year_and_time_to_permanence() -> None:
    """Entries before the year are not counted as entries but still reach (or wait for) permanence."""
    entries = [
        *s20_entries(
            case(
                [
                    {"date": "2026-03-20", "kind": "entered-care", "basis": "s20-planned"},
                    {"date": "2026-04-10", "kind": "left-care"},
                ],
                case_id="100001",
            ),
            AS_OF,
        ),
        *s20_entries(
            case([{"date": "2026-04-01", "kind": "entered-care", "basis": "s20-emergency"}], case_id="100002"), AS_OF
        ),
        *s20_entries(
            case([{"date": "2026-10-01", "kind": "entered-care", "basis": "s20-planned"}], case_id="100003"), AS_OF
        ),
    ]
    measures = care_measures(entries, financial_year(AS_OF))
    assert {"Planned (section 20)": (1,), "Emergency (section 20)": (1,)} == values(measures.entered)
    assert (1, 1) == values(measures.permanence)["Under 3 months"]
    assert (0, 1) == values(measures.permanence)["6 months to under 12"]
    assert (["100001"], 21.0) == ([e.case for e in measures.reached], measures.median_days)


# --- the annual report on a small repository --------------------------------------------------------


@pytest.fixture
def year_repo(tmp_path: Path) -> Repository:
    """Meetings either side of the year's start, a superseded sheet, a deferral, repeat referrals and duties."""
    return repository(
        tmp_path,
        case_doc("100001"),
        case_doc("100002"),
        case_doc("100003"),
        meeting_doc("cmr", "2026-03-31", ["100001"]),
        decision_doc("cmr", "2026-03-31", "100001", "plan-review", ["continue-plan"], review_date="2026-04-28"),
        meeting_doc(
            "cmr",
            "2026-04-01",
            ["100002"],
            deferred=[{"case": "100003", "reason": "Papers late", "to": "2026-05-05"}],
            milestones={"minutes-drafted": "2026-04-03", "minutes-approved": "2026-04-20"},
        ),
        decision_doc(
            "cmr",
            "2026-04-01",
            "100002",
            "plan-review",
            ["continue-plan", "refer-to-lpm"],
            milestones={"decision-recorded": "2026-04-02"},
        ),
        decision_doc(
            "cmr",
            "2026-11-24",
            "100001",
            "plan-review",
            ["plan-for-closure"],
            milestones={"decision-recorded": "2026-11-26"},
        ),
        meeting_doc("cmr", "2026-11-24", ["100001", "100003"]),
        decision_doc("cmr", "2026-11-24", "100003", "complexity", ["strategy-meeting"]),
        decision_doc(
            "cp",
            "2026-11-06",
            "100003",
            "long-cp-plan",
            ["plan-on-track"],
            supersedes="decisions/cmr/2026-11-24/100003.md",
        ),
        referral_doc("cmr", "2026-11-24", "100001", "plan-review"),
        referral_doc("cmr", "2026-04-01", "100002", "plan-review"),
        referral_doc("cmr", "2027-03-30", "100002", "plan-review"),
        referral_doc("cmr", "2027-04-06", "100003", "complexity"),
        referral_doc("clam", "2026-11-26", "100003", "supported-lodgings", emergency=True),
        referral_doc("cp", "2026-11-06", "100003", "long-cp-plan"),
    )


def test_cases_heard_by_panel_and_request_count_the_year_only(year_repo: Repository) -> None:
    """A meeting on 31 March is last year's; one on 1 April is this year's; a superseded sheet is not counted."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    heard = values(report.heard)
    assert ((2,), (1,), (0,)) == (heard["CMR"], heard["CP panel"], heard["CLAM"])
    assert ("100001", "100002") == cases_of(report.heard)["CMR"]
    assert ("100001", "100002") == cases_of(report.requests)["CMR: Review of a long-running plan"]
    assert "CMR: Complex case needing management consideration" not in cases_of(report.requests)


def test_outcomes_count_each_outcome_recorded(year_repo: Repository) -> None:
    """A sheet with two outcomes counts under both; kinds add up to the outcomes recorded."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    outcomes = values(report.outcomes)
    assert (1, 1, 1) == (
        outcomes["CMR: Continue the child's plan"][0],
        outcomes["CMR: Case to proceed to a legal planning meeting"][0],
        outcomes["CMR: Plan for closure"][0],
    )
    assert sum(v[0] for v in outcomes.values()) == report.outcome_kinds.total.figures[0].value


def test_deferrals_count_cases_booked_and_deferred(year_repo: Repository) -> None:
    """Booked is heard plus deferred at the year's meetings; each deferral is listed with its reason."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    assert (4, 1) == values(report.deferrals)["CMR"]
    assert [("100003", "Papers late", date(2026, 5, 5))] == [(x.case, x.reason, x.to) for x in report.deferral_lines]


def test_repeat_referrals_within_twelve_months_planned_or_not(year_repo: Repository) -> None:
    """A referral after a hearing of the same case at the same panel in the previous 12 months is a repeat."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    # 100001 heard 2026-03-31 (review date set), referred for 2026-11-24: planned return.
    # 100002 heard 2026-04-01 (no review date), referred for 2027-03-30: unplanned.
    # 100003 referred for 2027-04-06: outside the year.
    assert (3, 2, 1, 1) == values(report.repeats)["CMR"]
    figures = cases_of(report.repeats)
    assert (("100001",), ("100002",)) == (figures["CMR: Planned returns"], figures["CMR: Unplanned repeats"])


@pytest.mark.parametrize(("earlier", "repeat"), [("2025-11-24", 1), ("2025-11-23", 0), ("2026-11-24", 0)])
def test_repeat_window_is_twelve_months_before_the_meeting(tmp_path: Path, earlier: str, repeat: int) -> None:
    """A hearing exactly 12 months before counts; a day earlier, or on the same day, does not."""
    repo = repository(
        tmp_path,
        case_doc("100001"),
        decision_doc("cmr", earlier, "100001", "plan-review", ["continue-plan"]),
        referral_doc("cmr", "2026-11-24", "100001", "plan-review"),
    )
    report = annual_report(repo, as_of=date(2026, 11, 25), calendar=CAL)
    assert repeat == values(report.repeats)["CMR"][1]


def test_referral_timeliness_reuses_the_late_referral_diagnostic(year_repo: Repository) -> None:
    """Late is what the checks found; after the deadline for the emergency slot is allowed; selection has none."""
    late = d.make(d.LATE_REFERRAL, "cases/100001/referrals/2026-11-24-cmr.md", 2, "late", "hint")
    arrivals: dict[str, datetime | None] = {
        "cases/100001/referrals/2026-11-24-cmr.md": datetime(2026, 11, 23, 9, 0),
        "cases/100002/referrals/2026-04-01-cmr.md": datetime(2026, 3, 20, 9, 0),
        "cases/100003/referrals/2026-11-26-clam.md": datetime(2026, 11, 24, 9, 0),
    }
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL, diagnostics=[late], arrivals=arrivals)
    rows = values(report.referrals)
    assert {"CLAM": (0, 0, 1, 0, 0), "CMR": (1, 1, 0, 0, 1), "CP panel": (0, 0, 0, 1, 0)} == rows
    assert ("100001",) == cases_of(report.referrals)["CMR: Late"]


def test_decision_sheet_and_minutes_timeliness_against_the_duties(year_repo: Repository) -> None:
    """Recorded by the due date is on time, after it late; unrecorded is overdue once due, else not yet due."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    sheets = {label.split(":", 1)[0]: v for label, v in values(report.decision_sheets).items()}
    # CMR: 100002 recorded the next working day (on time); 100001's date, 2026-11-26, is after the
    # report's date and its due date (2026-11-25) has not passed. CP panel: 100003, nothing recorded.
    assert {"CMR": (1, 0, 0, 1), "CP panel": (0, 0, 1, 0)} == sheets
    minutes = {label.split(": ", 1)[1]: v for label, v in values(report.minutes).items()}
    assert (1, 0, 0, 1) == minutes["Minutes written by the minute taker and sent to the chair for review"]
    assert (0, 1, 0, 1) == minutes["Minutes approved by the chair"]
    assert (0, 0, 1, 1) == minutes["The relevant part of the approved minutes uploaded to each child's record"]
    approved = {
        f.label.rsplit(": ", 1)[1]: f for f in report.minutes.figures() if "Minutes approved by the chair" in f.label
    }
    assert (("2026-04-01",), ("100002",)) == (approved["Late"].detail, approved["Late"].cases)


def test_every_figure_names_its_cases(year_repo: Repository) -> None:
    """No figure is above zero without cases behind it, and no case is named that the repository lacks."""
    report = annual_report(year_repo, as_of=AS_OF, calendar=CAL)
    measures = [value for value in vars(report).values() if isinstance(value, Measure)]
    figures = [f for m in measures for f in m.figures()]
    assert [] == [f.label for f in figures if f.value and not f.cases]
    assert set() == {c for f in figures for c in f.cases} - set(year_repo.cases)


# --- the LAC reduction report -----------------------------------------------------------------------


def test_lac_reduction_counts_children_by_route_and_outcome_month_by_month(tmp_path: Path) -> None:
    """Decisions count their children under their route and outcomes; events give SGOs made and leavers."""
    repo = repository(
        tmp_path,
        case_doc("100001", children=[child("c1", "care-order"), child("c2", "care-order")]),
        case_doc(
            "100002",
            [{"date": "2026-10-12", "kind": "order-made"}],
            [child("c1", "sgo", "2026-10-12")],
        ),
        case_doc("100003", [{"date": "2025-11-30", "kind": "left-care"}, {"date": "2026-11-02", "kind": "left-care"}]),
        decision_doc(
            "lac-reduction", "2026-11-23", "100001", "discharge-care-order", ["proceed"], children=["c1", "c2"]
        ),
        decision_doc("lac-reduction", "2026-10-26", "100002", "sgo", ["not-yet", "actions-agreed"]),
        decision_doc("lac-reduction", "2025-11-24", "100003", "placement-with-parents", ["proceed"]),
    )
    report = lac_reduction_report(repo, as_of=AS_OF)
    routes = {m.title: m for m in report.routes}
    assert ["Discharge of a care order", "Special guardianship order", "Placement with parents"] == list(routes)
    assert (2, 2, 0, 0) == values(routes["Discharge of a care order"])["November 2026"]
    assert (1, 0, 1, 1) == values(routes["Special guardianship order"])["October 2026"]
    assert 0 == routes["Placement with parents"].total.figures[0].value
    assert {"October 2026": (1, 0), "November 2026": (0, 1)} == {
        k: v for k, v in values(report.events).items() if v != (0, 0)
    }
    assert [("November 2026", "100001", ("c1", "c2"))] == [
        (x.month, x.case, x.children) for x in report.decisions if x.route == "Discharge of a care order"
    ]


def test_lac_reduction_without_the_panel_shows_events_only(tmp_path: Path) -> None:
    """A repository with no LAC reduction meeting still reports orders made and children leaving care."""
    repo = repository(tmp_path, case_doc("100003", [{"date": "2026-11-02", "kind": "left-care"}]))
    repo.panels.pop("lac-reduction")
    report = lac_reduction_report(repo, as_of=AS_OF)
    assert (None, (), 1) == (report.panel, report.routes, report.events.total.figures[1].value)


# --- the demo site ----------------------------------------------------------------------------------


def _number(page: str, label: str) -> int:
    """The first number in the table row whose first cell is `label`."""
    match = re.search(rf"^\| {re.escape(label)} \| (?:\*\*)?([0-9]+)", page, re.M)
    assert match, label
    return int(match.group(1))


def test_demo_site_shows_both_reports_with_real_figures(demo_site: DemoSite) -> None:
    """The demo's reports count real cases, with charts, tables and links to the cases behind the figures."""
    annual = (demo_site.docs / "reports/annual.md").read_text(encoding="utf-8")
    lac = (demo_site.docs / "reports/lac-reduction.md").read_text(encoding="utf-8")
    figures = {
        "heard": _number(annual, "**Total**"),
        "s20": _number(annual, "Planned (section 20)"),
        "emergency s20": _number(annual, "Emergency (section 20)"),
        "lac": _number(lac, "Discharge of a care order: Children considered"),
        "pwp": _number(lac, "Placement with parents: Children considered"),
    }
    assert all(figures.values()), figures
    twelve_months = {
        "sgo": re.search(r"^\| Special guardianship orders made \| [0-9]+ \| ([0-9]+) \|", lac, re.M),
        "left care": re.search(r"^\| Children who left care \| [0-9]+ \| ([0-9]+) \|", lac, re.M),
        "repeat plans": re.search(r"plans started in the period, ([0-9]+) of them a repeat plan", annual),
        "ended plans": re.search(r"The median length of the plans that ended in the period was ([0-9])", annual),
    }
    assert all(match and int(match.group(1)) > 0 for match in twelve_months.values()), twelve_months
    for page, charts in ((annual, "charts/annual-"), (lac, "charts/lac-")):
        images = re.findall(r"!\[[^\]]+\]\((charts/[^)]+\.svg)\)", page)
        assert images and all(image.startswith(charts) for image in images)
        assert all((demo_site.site / "reports" / image).is_file() for image in images)
        assert "](../cases/" in page
    built = (demo_site.site / "reports/annual.html").read_text(encoding="utf-8")
    assert 'href="../cases/' in built and "<img" in built
