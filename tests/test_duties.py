"""After-meeting duties and outcome follow-ups against their due dates: the rule every page shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.core.layout import Kind, Location
from generator.loading.repository import Doc, Repository, load_repository
from generator.loading.safe_yaml import Parsed
from generator.models import Decision, Meeting, Panel
from generator.models.panel import Milestone, OutcomeSpec
from generator.models.roles import Role
from generator.schedule.workdays import WorkingCalendar
from generator.views.duties import DutyCheck, DutyKind, DutyStatus, meeting_duty_checks

PROJECT = Path(__file__).resolve().parents[1]
CMR_DAY = date(2026, 11, 17)
"""A Tuesday CMR: decision on file due Wednesday 18th, minutes drafted Friday 20th, approved Tuesday 24th."""
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def repo() -> Repository:
    """The project's panels (and example), loaded once."""
    loaded, problems = load_repository(PROJECT)
    assert [] == problems
    return loaded


@pytest.fixture(scope="module")
def cal(repo: Repository) -> WorkingCalendar:
    """The example authority's working days."""
    assert repo.authority is not None
    return WorkingCalendar.for_authority(repo.authority)


def meeting(panel: str, day: date, milestones: dict[str, str] | None = None) -> Meeting:
    """A meeting record dating the given steps."""
    return Meeting.model_validate(
        {
            "panel": panel,
            "date": day.isoformat(),
            "chair": "p-orrelby-june",
            "attendees": [{"person": "p-orrelby-june", "role": "head-of-service", "capacity": "chair"}],
            "milestones": milestones or {},
        }
    )


def sheet(
    panel: str,
    day: date,
    case: str,
    outcomes: tuple[str, ...] = ("continue-plan",),
    milestones: dict[str, str] | None = None,
) -> Doc[Decision]:
    """A decision sheet as loaded, dating the given steps for its child."""
    path = f"decisions/{panel}/{day.isoformat()}/{case}.md"
    data: dict[str, Any] = {
        "panel": panel,
        "meeting": day.isoformat(),
        "case": case,
        "children": ["c1"],
        "outcomes": list(outcomes),
        "agreed": ["Agreed."],
        "rationale": "Because.",
        "chair": "p-orrelby-june",
        "milestones": milestones or {},
    }
    return Doc(Location(path, Kind.DECISION, panel, case, day), Decision.model_validate(data), Parsed(data))


@dataclass(frozen=True)
class Progress:
    """An agreed action's due date and when it was done."""

    agreed_due: date
    done_on: date | None


def by_duty(checks: list[DutyCheck], duty: str) -> list[DutyCheck]:
    """The checks of one duty or outcome id."""
    return [c for c in checks if c.duty == duty]


@pytest.mark.parametrize(
    ("done", "as_of", "status", "done_on", "days_late"),
    [
        pytest.param("2026-11-19", AS_OF, DutyStatus.ON_TIME, date(2026, 11, 19), 0, id="before-due"),
        pytest.param("2026-11-20", AS_OF, DutyStatus.ON_TIME, date(2026, 11, 20), 0, id="on-the-due-day"),
        pytest.param("2026-11-21", AS_OF, DutyStatus.LATE, date(2026, 11, 21), 0, id="saturday-after-late-0-days"),
        pytest.param("2026-11-23", AS_OF, DutyStatus.LATE, date(2026, 11, 23), 1, id="monday-after-1-working-day"),
        pytest.param("2026-11-26", AS_OF, DutyStatus.OVERDUE, None, 3, id="dated-after-as-of-not-known"),
        pytest.param(None, date(2026, 11, 19), DutyStatus.NOT_YET_DUE, None, 0, id="not-done-before-due"),
        pytest.param(None, date(2026, 11, 20), DutyStatus.NOT_YET_DUE, None, 0, id="not-done-due-today"),
        pytest.param(None, date(2026, 11, 21), DutyStatus.OVERDUE, None, 0, id="not-done-saturday-after"),
        pytest.param(None, date(2026, 11, 23), DutyStatus.OVERDUE, None, 1, id="not-done-monday-after"),
        pytest.param(None, AS_OF, DutyStatus.OVERDUE, None, 3, id="not-done-working-days-to-as-of"),
    ],
)
def test_meeting_duty_status_and_working_days_late(
    repo: Repository,
    cal: WorkingCalendar,
    done: str | None,
    as_of: date,
    status: DutyStatus,
    done_on: date | None,
    days_late: int,
) -> None:
    """Minutes drafted within 3 working days of a Tuesday: due Friday; judged on the meeting record's date."""
    record = meeting("cmr", CMR_DAY, {"minutes-drafted": done} if done else None)
    [check] = by_duty(meeting_duty_checks(repo.panels["cmr"], CMR_DAY, record, [], cal, as_of), "minutes-drafted")
    expected = (date(2026, 11, 20), status, done_on, days_late, None, Milestone.MINUTES_DRAFTED)
    assert expected == (check.due, check.status, check.done_on, check.days_late, check.decision, check.milestone)


@pytest.mark.parametrize(
    ("panel", "day", "duty", "done", "as_of", "expected"),
    [
        pytest.param(
            "cmr",
            date(2026, 12, 22),
            "minutes-drafted",
            "2026-12-30",
            date(2027, 1, 8),
            (date(2026, 12, 29), DutyStatus.LATE, 1),
            id="working-days-over-christmas",
        ),
        pytest.param(
            "cdm",
            date(2026, 12, 18),
            "written-notes",
            "2026-12-29",
            date(2027, 1, 8),
            (date(2026, 12, 24), DutyStatus.LATE, 1),
            id="7-days-onto-christmas-moves-earlier",
        ),
        pytest.param(
            "cdm",
            date(2026, 12, 18),
            "written-notes",
            None,
            date(2027, 1, 4),
            (date(2026, 12, 24), DutyStatus.OVERDUE, 3),
            id="overdue-counts-working-days-only",
        ),
    ],
)
def test_due_dates_and_days_late_around_bank_holidays(
    repo: Repository,
    cal: WorkingCalendar,
    panel: str,
    day: date,
    duty: str,
    done: str | None,
    as_of: date,
    expected: tuple[date, DutyStatus, int],
) -> None:
    """Due dates count in the duty's own unit; days late always count working days."""
    milestone = next(d.milestone for d in repo.panels[panel].after_meeting if d.id == duty)
    record = meeting(panel, day, {milestone.value: done} if done else None)
    [check] = by_duty(meeting_duty_checks(repo.panels[panel], day, record, [], cal, as_of), duty)
    assert expected == (check.due, check.status, check.days_late)


@pytest.mark.parametrize(
    ("sheet_dates", "record_date", "expected"),
    [
        pytest.param(
            {"100001": "2026-11-18", "100002": None},
            None,
            {"100001": (DutyStatus.ON_TIME, date(2026, 11, 18)), "100002": (DutyStatus.OVERDUE, None)},
            id="each-sheet-on-its-own",
        ),
        pytest.param(
            {"100001": "2026-11-18", "100002": None},
            "2026-11-19",
            {"100001": (DutyStatus.ON_TIME, date(2026, 11, 18)), "100002": (DutyStatus.LATE, date(2026, 11, 19))},
            id="record-date-for-a-sheet-without-one",
        ),
        pytest.param(
            {"100001": "2026-11-19"},
            "2026-11-18",
            {"100001": (DutyStatus.LATE, date(2026, 11, 19))},
            id="the-sheets-own-date-comes-first",
        ),
        pytest.param({}, "2026-11-18", {}, id="no-sheet-no-per-child-check"),
    ],
)
def test_per_child_duty_is_checked_on_each_sheet(
    repo: Repository,
    cal: WorkingCalendar,
    sheet_dates: dict[str, str | None],
    record_date: str | None,
    expected: dict[str, tuple[DutyStatus, date | None]],
) -> None:
    """The decision on each child's file is owed per sheet: its own date, else the meeting record's."""
    sheets = [
        sheet("cmr", CMR_DAY, case, milestones={"decision-recorded": done} if done else None)
        for case, done in sheet_dates.items()
    ]
    record = meeting("cmr", CMR_DAY, {"decision-recorded": record_date} if record_date else None)
    checks = by_duty(
        meeting_duty_checks(repo.panels["cmr"], CMR_DAY, record, sheets, cal, AS_OF), "decision-sheet-on-file"
    )
    assert expected == {c.case: (c.status, c.done_on) for c in checks}
    assert all(c.decision is not None and c.milestone is Milestone.DECISION_RECORDED for c in checks)


def test_whole_meeting_duties_need_the_record_and_come_in_the_panels_order(
    repo: Repository, cal: WorkingCalendar
) -> None:
    """Without a meeting record only per-child duties are owed; a sheet's date never stands for the meeting's."""
    panel = repo.panels["cmr"]
    sheets = [
        sheet("cmr", CMR_DAY, "100001", milestones={"decision-recorded": "2026-11-18", "minutes-drafted": "2026-11-19"})
    ]
    assert [("decision-sheet-on-file", "100001")] == [
        (c.duty, c.case) for c in meeting_duty_checks(panel, CMR_DAY, None, sheets, cal, AS_OF)
    ]
    checks = meeting_duty_checks(panel, CMR_DAY, meeting("cmr", CMR_DAY), sheets, cal, AS_OF)
    expected = [
        ("decision-sheet-on-file", "100001", DutyStatus.ON_TIME, Role.BUSINESS_SUPPORT),
        ("minutes-drafted", None, DutyStatus.OVERDUE, Role.BUSINESS_SUPPORT),
        ("minutes-approved", None, DutyStatus.OVERDUE, Role.HEAD_OF_SERVICE),
        ("minutes-uploaded", None, DutyStatus.OVERDUE, Role.BUSINESS_SUPPORT),
    ]
    assert expected == [(c.duty, c.case, c.status, c.role) for c in checks]
    assert {DutyKind.DUTY} == {c.kind for c in checks}


@pytest.mark.parametrize(
    ("actions", "status", "done_on", "days_late"),
    [
        pytest.param([], DutyStatus.NO_ACTION, None, 0, id="no-action"),
        pytest.param([(date(2026, 12, 18), None)], DutyStatus.NO_ACTION, None, 0, id="only-a-later-action"),
        pytest.param([(date(2026, 11, 20), None)], DutyStatus.OVERDUE, None, 3, id="action-not-done"),
        pytest.param([(date(2026, 11, 20), date(2026, 11, 19))], DutyStatus.ON_TIME, date(2026, 11, 19), 0, id="done"),
        pytest.param(
            [(date(2026, 11, 20), date(2026, 11, 20))], DutyStatus.ON_TIME, date(2026, 11, 20), 0, id="done-on-due-day"
        ),
        pytest.param(
            [(date(2026, 11, 20), date(2026, 11, 23))], DutyStatus.LATE, date(2026, 11, 23), 1, id="done-late"
        ),
        pytest.param(
            [(date(2026, 11, 19), date(2026, 11, 18)), (date(2026, 11, 20), None)],
            DutyStatus.OVERDUE,
            None,
            3,
            id="one-of-two-not-done",
        ),
        pytest.param(
            [(date(2026, 11, 19), date(2026, 11, 18)), (date(2026, 11, 20), date(2026, 11, 20))],
            DutyStatus.ON_TIME,
            date(2026, 11, 20),
            0,
            id="done-on-the-last-ones-date",
        ),
        pytest.param(
            [(date(2026, 11, 20), date(2026, 11, 26))], DutyStatus.OVERDUE, None, 3, id="done-after-as-of-not-known"
        ),
    ],
)
def test_follow_up_is_carried_by_the_actions_due_by_its_date(
    repo: Repository,
    cal: WorkingCalendar,
    actions: list[tuple[date, date | None]],
    status: DutyStatus,
    done_on: date | None,
    days_late: int,
) -> None:
    """CMR's strategy meeting within 3 working days (due Friday 20th) is done when its actions are."""
    doc = sheet("cmr", CMR_DAY, "100001", ("strategy-meeting",))
    progress = {doc.path: [Progress(due, done) for due, done in actions]}
    checks = meeting_duty_checks(repo.panels["cmr"], CMR_DAY, None, [doc], cal, AS_OF, progress)
    [check] = [c for c in checks if c.kind is DutyKind.FOLLOW_UP]
    expected = ("strategy-meeting", date(2026, 11, 20), status, done_on, days_late, None, "100001")
    assert expected == (check.duty, check.due, check.status, check.done_on, check.days_late, check.role, check.case)
    assert (status in (DutyStatus.LATE, DutyStatus.OVERDUE)) == check.late_or_overdue


def test_follow_ups_only_when_actions_are_given(repo: Repository, cal: WorkingCalendar) -> None:
    """A caller that does not track actions gets the panel's duties only."""
    doc = sheet("cmr", CMR_DAY, "100001", ("strategy-meeting",))
    checks = meeting_duty_checks(repo.panels["cmr"], CMR_DAY, None, [doc], cal, AS_OF)
    assert [DutyKind.DUTY] == [c.kind for c in checks]


def test_a_duty_and_an_outcome_sharing_an_id_give_no_checks(repo: Repository, cal: WorkingCalendar) -> None:
    """Due dates that cannot be told apart are not guessed at: `panel check` reports the panel file."""
    cmr = repo.panels["cmr"]
    clash = OutcomeSpec.model_validate(
        {"id": "minutes-drafted", "name": "Clash", "follow_up": "Clash.", "within": {"within": 1, "unit": "days"}}
    )
    panel = Panel.model_validate(cmr.model_dump() | {"outcomes": [*cmr.model_dump()["outcomes"], clash.model_dump()]})
    assert [] == meeting_duty_checks(panel, CMR_DAY, meeting("cmr", CMR_DAY), [], cal, AS_OF)
