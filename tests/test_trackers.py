"""The trackers: actions (status, new due dates, escalation, superseded decisions), reviews, duties, due soon."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import DemoSite, Files, write_files

from generator.loading.repository import load_repository
from generator.models.roles import Role
from generator.pipeline.workspace import Workspace
from generator.schedule.workdays import WorkingCalendar
from generator.views.duties import DutyStatus
from generator.views.trackers import (
    ActionStatus,
    ReviewStatus,
    current_decisions,
    due_soon,
    duty_checks,
    reviews_due,
    step_reached,
    tracked_actions,
)

PROJECT = Path(__file__).resolve().parents[1]
World = Callable[..., Workspace]


def case_file(case_id: str, *, status: str = "cin", since: str = "2026-01-05", events: str = "") -> str:
    """A case with one child, and the key events given as YAML list items."""
    return (
        f'---\nid: "{case_id}"\nchildren:\n  - id: c1\n    name: Test Child\n    date_of_birth: 2018-03-01\n'
        f"    legal_status: {status}\n    legal_status_since: {since}\n"
        f"worker: p-nettlebed-kit\nteam: ashmere-safeguarding\nevents:{events or ' []'}\n---\n"
    )


def decision_file(
    panel: str, meeting: str, case_id: str, *, actions: str = "", review: str | None = None, extra: str = ""
) -> str:
    """A decision sheet; `actions` as YAML list items."""
    review_line = f"review_date: {review}\n" if review else ""
    outcome = {"cp": "actions-agreed", "cmr": "continue-plan"}.get(panel, "actions-agreed")
    return (
        f'---\npanel: {panel}\nmeeting: {meeting}\ncase: "{case_id}"\nchildren: [c1]\noutcomes: [{outcome}]\n'
        f"agreed: [Agreed.]\nactions:{actions or ' []'}\n{review_line}rationale: Because.\n"
        f"chair: p-saltmarsh-eira\nstatus: approved\n{extra}---\n"
    )


def action(action_id: str, due: str) -> str:
    """One action as a YAML list item."""
    return f"\n  - id: {action_id}\n    what: Do it.\n    owner: p-nettlebed-kit\n    due: {due}"


def record(refers_to: str, kind: str, when: str, action_id: str = "a1", extra: str = "") -> str:
    """A later record."""
    head = f"---\nkind: {kind}\nrefers_to: {refers_to}\naction: {action_id}\n"
    return f"{head}date: {when}\nby: p-saltmarsh-eira\n{extra}---\n"


def referral_file(panel: str, meeting: str, case_id: str, request: str, ground: str | None = None) -> str:
    """A referral with just the fields the trackers read."""
    ground_line = f"ground: {ground}\n" if ground else ""
    return (
        f'---\npanel: {panel}\nmeeting: {meeting}\ncase: "{case_id}"\nrequest: {request}\nchildren: [c1]\n'
        f"{ground_line}sought: A decision.\npresenter: p-nettlebed-kit\n---\n"
    )


def make_world(base: Path) -> World:
    """A factory: the project's panels, roster and settings plus `files` under `base`, as Workspace on `as_of`."""
    counter = iter(range(1000))

    def make(files: Files, as_of: date) -> Workspace:
        root = base / f"world-{next(counter)}"
        shutil.copytree(PROJECT / "panels", root / "panels")
        write_files(root, files)
        repo, problems = load_repository(root)
        assert [] == problems
        assert repo.authority is not None
        return Workspace(repo, (), as_of, calendar=WorkingCalendar.for_authority(repo.authority))

    return make


def example_data(base: Path, as_of: date) -> Workspace:
    """The project's example repository as Workspace on `as_of`."""
    repo, problems = load_repository(PROJECT)
    assert [] == problems
    assert repo.authority is not None
    return Workspace(repo, (), as_of, calendar=WorkingCalendar.for_authority(repo.authority))


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Small repositories built on the project's panels."""
    return make_world(tmp_path)


CP = "decisions/cp/2026-11-06/100001.md"


@pytest.mark.parametrize(
    ("as_of", "status", "days"),
    [
        (date(2026, 11, 12), ActionStatus.OPEN, 0),  # before the due date
        (date(2026, 11, 13), ActionStatus.OPEN, 0),  # on the due date: not yet overdue
        (date(2026, 11, 14), ActionStatus.OVERDUE, 0),  # Saturday after a Friday due date: no working day yet
        (date(2026, 11, 16), ActionStatus.OVERDUE, 1),  # the Monday after
        (date(2026, 11, 20), ActionStatus.OVERDUE, 5),
    ],
)
def test_status_and_working_days_overdue(world: World, as_of: date, status: ActionStatus, days: int) -> None:
    """An action is overdue the day after its due date; days overdue count working days only."""
    data = world(
        {
            "cases/100001/case.md": case_file("100001"),
            CP: decision_file("cp", "2026-11-06", "100001", actions=action("a1", "2026-11-13")),
        },
        as_of,
    )
    (tracked,) = tracked_actions(data)
    assert (status, days) == (tracked.status, tracked.days_overdue)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 13), None),  # due today
        (date(2026, 11, 16), (1, Role.IRS_SERVICE_MANAGER)),  # overdue: the 0-day step at once
        (date(2026, 11, 19), (1, Role.IRS_SERVICE_MANAGER)),  # 4 working days overdue
        (date(2026, 11, 20), (2, Role.GROUP_MANAGER)),  # 5 working days: the group manager
        (date(2026, 12, 10), (2, Role.GROUP_MANAGER)),
        (date(2026, 12, 11), (3, Role.GROUP_MANAGER)),  # 20 working days: the dispute resolution process
    ],
)
def test_escalation_step_reached(world: World, as_of: date, expected: tuple[int, Role] | None) -> None:
    """The CP panel's path (0, 5 and 20 working days) is counted from the due date with the working calendar."""
    data = world(
        {
            "cases/100001/case.md": case_file("100001"),
            CP: decision_file("cp", "2026-11-06", "100001", actions=action("a1", "2026-11-13")),
        },
        as_of,
    )
    (tracked,) = tracked_actions(data)
    actual = (tracked.step.number, tracked.step.step.to) if tracked.step else None
    assert expected == actual


def test_step_reached_without_a_path_is_none() -> None:
    """A panel with no escalation path never reaches a step."""
    assert None is step_reached((), date(2026, 11, 13), date(2026, 12, 31), WorkingCalendar())


def test_escalation_records_and_a_repeated_role(world: World) -> None:
    """One escalation to the group manager covers step 2; step 3 goes to the group manager again and needs another."""
    escalated = record(CP, "action-escalated", "2026-11-20", extra="escalated_to: group-manager\n")
    files = {
        "cases/100001/case.md": case_file("100001"),
        CP: decision_file("cp", "2026-11-06", "100001", actions=action("a1", "2026-11-13")),
        "decisions/cp/2026-11-06/records/100001-a1-escalated.md": escalated,
    }
    at_step_2 = tracked_actions(world(files, date(2026, 11, 25)))[0]
    at_step_3 = tracked_actions(world(files, date(2026, 12, 14)))[0]
    before_record = tracked_actions(world(files, date(2026, 11, 19)))[0]
    assert (True, False) == (at_step_2.escalated, at_step_2.escalation_missing)
    assert (3, True) == (at_step_3.step.number if at_step_3.step else 0, at_step_3.escalation_missing)
    assert (False, True) == (before_record.escalated, before_record.escalation_missing)


def test_done_and_due_changed_records(world: World) -> None:
    """A new due date replaces the panel's; a done record closes the action; records after as_of do not count yet."""
    files = {
        "cases/100001/case.md": case_file("100001"),
        CP: decision_file(
            "cp", "2026-11-06", "100001", actions=action("a1", "2026-11-13") + action("a2", "2026-11-13")
        ),
        "decisions/cp/2026-11-06/records/100001-a1-moved.md": record(
            CP, "action-due-changed", "2026-11-10", extra="new_due: 2026-11-27\n"
        ),
        "decisions/cp/2026-11-06/records/100001-a2-done.md": record(CP, "action-done", "2026-11-24", "a2"),
    }
    before = {a.action: a for a in tracked_actions(world(files, date(2026, 11, 23)))}
    after = {a.action: a for a in tracked_actions(world(files, date(2026, 11, 24)))}
    assert (date(2026, 11, 13), date(2026, 11, 27), ActionStatus.OPEN) == (
        before["a1"].agreed_due,
        before["a1"].due,
        before["a1"].status,
    )
    assert ActionStatus.OVERDUE == before["a2"].status
    assert (ActionStatus.DONE, date(2026, 11, 24), 0, None) == (
        after["a2"].status,
        after["a2"].done_on,
        after["a2"].days_overdue,
        after["a2"].step,
    )


def test_a_superseded_decision_gives_way_and_its_records_follow(world: World) -> None:
    """Only the superseding decision's actions are tracked; a done record on the old sheet's a1 carries over."""
    old = "decisions/cmr/2026-10-20/100001.md"
    new = "decisions/cmr/2026-10-27/100001.md"
    files = {
        "cases/100001/case.md": case_file("100001"),
        old: decision_file(
            "cmr", "2026-10-20", "100001", actions=action("a1", "2026-10-30") + action("a2", "2026-10-30")
        ),
        new: decision_file(
            "cmr",
            "2026-10-27",
            "100001",
            actions=action("a1", "2026-10-30") + action("a3", "2026-11-06"),
            extra=f"supersedes: {old}\n",
        ),
        "decisions/cmr/2026-10-20/records/100001-a1-done.md": record(old, "action-done", "2026-10-29"),
    }
    data = world(files, date(2026, 11, 25))
    actual = [(a.decision.path, a.action, a.status) for a in tracked_actions(data)]
    expected = [(new, "a1", ActionStatus.DONE), (new, "a3", ActionStatus.OVERDUE)]
    assert expected == actual
    assert [new] == [d.path for d in current_decisions(data)]


@pytest.mark.parametrize(
    ("referral", "as_of", "status", "booked"),
    [
        (None, date(2026, 12, 3), ReviewStatus.NOT_BOOKED, None),
        (None, date(2026, 12, 4), ReviewStatus.NOT_BOOKED, None),  # on the review date: not yet overdue
        (None, date(2026, 12, 7), ReviewStatus.OVERDUE, None),
        ("2026-12-04", date(2026, 12, 7), ReviewStatus.BOOKED, date(2026, 12, 4)),
        ("2027-01-01", date(2026, 12, 7), ReviewStatus.BOOKED, date(2027, 1, 1)),
    ],
)
def test_reviews_due(
    world: World, referral: str | None, as_of: date, status: ReviewStatus, booked: date | None
) -> None:
    """A review is booked by a referral to a later meeting of the same panel, else overdue once its date passes."""
    files: dict[str, str | bytes | None] = {
        "cases/100001/case.md": case_file("100001"),
        CP: decision_file("cp", "2026-11-06", "100001", review="2026-12-04"),
    }
    if referral:
        files[f"cases/100001/referrals/{referral}-cp.md"] = referral_file("cp", referral, "100001", "follow-up-review")
    (review,) = reviews_due(world(files, as_of))
    assert (status, booked) == (review.status, review.booked_for)
    assert (booked is not None and booked > date(2026, 12, 4)) == review.booked_after_review_date


def test_a_review_heard_again_leaves_the_list(world: World) -> None:
    """Once the panel decides on the case at a later meeting, the earlier review date is met."""
    files = {
        "cases/100001/case.md": case_file("100001"),
        CP: decision_file("cp", "2026-11-06", "100001", review="2026-12-04"),
        "decisions/cp/2026-12-04/100001.md": decision_file("cp", "2026-12-04", "100001", review="2027-01-08"),
    }
    assert [date(2027, 1, 8)] == [r.review_date for r in reviews_due(world(files, date(2026, 12, 10)))]


MEETING = """\
---
panel: cmr
date: 2026-11-17
chair: p-orrelby-june
attendees:
  - person: p-orrelby-june
    role: head-of-service
    capacity: chair
milestones:
  minutes-drafted: 2026-11-23
  minutes-approved: 2026-11-24
status: approved
---
"""


def test_duty_checks_cover_meetings_sheets_and_recorded_actions(world: World) -> None:
    """The tracker feeds `generator.views.duties` the meeting records, current sheets and action-done records.

    The rule itself (statuses, boundaries, per child, follow-ups) is tested in test_duties.py.
    """
    path = "decisions/cmr/2026-11-17/100001.md"
    sheet = decision_file(
        "cmr",
        "2026-11-17",
        "100001",
        actions=action("a1", "2026-11-20"),
        extra="milestones:\n  decision-recorded: 2026-11-18\n",
    ).replace("outcomes: [continue-plan]", "outcomes: [strategy-meeting]")
    files = {
        "cases/100001/case.md": case_file("100001"),
        "decisions/cmr/2026-11-17/meeting.md": MEETING,
        path: sheet,
        "decisions/cmr/2026-11-17/records/100001-a1-done.md": record(path, "action-done", "2026-11-23"),
    }
    actual = {(d.duty, d.case): (d.due, d.status, d.days_late) for d in duty_checks(world(files, date(2026, 11, 25)))}
    expected = {
        ("decision-sheet-on-file", "100001"): (date(2026, 11, 18), DutyStatus.ON_TIME, 0),
        ("minutes-drafted", None): (date(2026, 11, 20), DutyStatus.LATE, 1),  # Friday due, done Monday
        ("minutes-approved", None): (date(2026, 11, 24), DutyStatus.ON_TIME, 0),
        ("minutes-uploaded", None): (date(2026, 11, 24), DutyStatus.OVERDUE, 1),
        ("strategy-meeting", "100001"): (date(2026, 11, 20), DutyStatus.LATE, 1),
    }
    assert expected == actual


def test_due_soon_on_the_example(tmp_path: Path) -> None:
    """On the demo date the example has overdue actions, an escalated one, due actions and an overdue duty."""
    data = example_data(tmp_path, date(2026, 11, 25))
    soon = due_soon(data)
    assert (date(2026, 11, 25), date(2026, 12, 2)) == (soon.as_of, soon.until)
    assert soon.overdue_actions and all(a.status is ActionStatus.OVERDUE for a in soon.overdue_actions)
    assert any(a.escalated for a in soon.overdue_actions)
    assert all(date(2026, 11, 25) <= a.due <= date(2026, 12, 2) for a in soon.due_actions)
    assert soon.due_actions and soon.overdue_duties
    assert [DutyStatus.OVERDUE] * len(soon.overdue_duties) == [d.status for d in soon.overdue_duties]
    assert False is soon.empty
    assert any(a.status is ActionStatus.DONE for a in tracked_actions(data))


def table_rows(markdown: str, heading: str) -> list[str]:
    """The body rows of the first table under `## heading` in a generated page."""
    # A heading may carry attributes (`{ data-search-exclude }`) after its text.
    section = re.split(rf"^## {re.escape(heading)}(?: \{{[^}}]*\}})?$", markdown, maxsplit=1, flags=re.M)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return rows[2:]


@pytest.mark.parametrize(
    ("page", "heading", "must_show"),
    [
        ("actions.md", "Overdue", "step 2: group manager"),
        ("actions.md", "Overdue", "no: escalation due"),
        ("actions.md", "Open", "open"),
        ("actions.md", "Done", "done on"),
        ("reviews.md", "Not yet booked", "not booked"),
        ("reviews.md", "Booked", "booked"),
        ("duties.md", "Late or overdue", "overdue"),
    ],
)
def test_demo_site_tracker_pages_show_real_entries(
    demo_site: DemoSite, page: str, heading: str, must_show: str
) -> None:
    """Each tracker page of the demo has rows under its headings, with case and decision links and status in words."""
    markdown = (demo_site.docs / "trackers" / page).read_text(encoding="utf-8")
    rows = table_rows(markdown, heading)
    assert rows
    assert any(must_show in row for row in rows)
    assert all("](../cases/" in row for row in rows if heading != "Late or overdue")
    html = (demo_site.site / "trackers" / page.replace(".md", ".html")).read_text(encoding="utf-8")
    assert "<th>Case</th>" in html or "<th>Panel</th>" in html
