"""The bundled example: clean under `panel check` here and in its replayed demo, and rich enough to show every rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import GitFactory

from generator.core.diagnostics import Severity
from generator.git.history import read_history
from generator.loading.repository import Repository, load_repository
from generator.models import EntryBasis, EventKind, LegalStatus, RecordKind, Stance
from generator.pipeline.gather import gather
from generator.schedule.local_time import arrival_date
from generator.schedule.timescales import referral_deadline
from generator.schedule.workdays import WorkingCalendar
from generator.tools.demo import build_demo_repo, read_timeline

PROJECT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def example() -> Repository:
    """The example repository as loaded from the project."""
    repo, problems = load_repository(PROJECT)
    assert [] == problems
    return repo


@pytest.fixture(scope="module")
def demo_date(example: Repository) -> date:
    """The demo date kept in the example's settings."""
    assert example.authority is not None
    assert example.authority.demo_date is not None
    return example.authority.demo_date


def errors(root: Path, as_of: date) -> list[tuple[str, int, str]]:
    """The errors `panel check` reports for the repository at `root`."""
    result = gather(root, as_of=as_of)
    return [(x.path, x.line, x.name) for x in result.diagnostics if x.severity is Severity.ERROR]


def test_project_example_passes_check(demo_date: date) -> None:
    """`panel check` finds no error in the project's own example (its arrival is before the audit start)."""
    assert [] == errors(PROJECT, demo_date)


def test_demo_repository_passes_check(git_repo: GitFactory, tmp_path: Path, demo_date: date) -> None:
    """The replayed demo repository, judged by its real commit times, has no error either."""
    demo = build_demo_repo(PROJECT, tmp_path / "demo")
    assert [] == errors(demo, demo_date)
    history = read_history(demo)
    assert read_timeline(PROJECT).commits == history.commits
    assert b"audit_start" not in (demo / "panels" / "authority.yml").read_bytes()


def test_demo_has_a_real_late_arrival_in_the_emergency_slot(
    git_repo: GitFactory, tmp_path: Path, example: Repository
) -> None:
    """One coming referral really arrived after its deadline and is heard in the emergency slot."""
    demo = build_demo_repo(PROJECT, tmp_path / "demo")
    history = read_history(demo)
    assert example.authority is not None
    cal = WorkingCalendar.for_authority(example.authority)
    late = []
    for doc in example.referrals:
        deadline = referral_deadline(example.panels[doc.model.panel], doc.model.meeting, cal)
        arrived = history.arrivals.get(doc.path)
        if deadline is not None and arrived is not None and arrival_date(arrived) > deadline:
            late.append((doc.path, doc.model.emergency))
    assert [("cases/206353/referrals/2026-11-26-clam.md", True)] == late


def test_example_covers_every_panel_request_and_outcome(example: Repository) -> None:
    """Every panel has a meeting record; every request type and every outcome is used somewhere."""
    met = {panel for panel, _ in example.meetings}
    requested = {(r.model.panel, r.model.request) for r in example.referrals}
    decided = {(x.model.panel, outcome) for x in example.decisions for outcome in x.model.outcomes}
    assert set(example.panels) == met
    expected_requests = {(p.id, r.id) for p in example.panels.values() for r in p.request_types}
    assert set() == expected_requests - requested
    expected_outcomes = {(p.id, o.id) for p in example.panels.values() for o in p.outcomes}
    assert set() == expected_outcomes - decided


def test_example_tells_the_stories_the_issue_asks_for(example: Repository, demo_date: date) -> None:
    """Siblings, an unborn baby, an emergency admission, a PLO journey, long plans, deferral, conflict, dissent."""
    cases = [doc.model for doc in example.cases.values()]
    assert 20 <= len(cases)
    assert any(len(r.model.children) >= 2 for r in example.referrals)
    assert any(c.legal_status is LegalStatus.UNBORN for case in cases for c in case.children)
    assert any(e.basis is EntryBasis.S20_EMERGENCY for case in cases for e in case.events)
    plo = {r.model.case for r in example.referrals if r.model.panel == "cdm"} & {
        r.model.case for r in example.referrals if r.model.panel == "lpm"
    }
    assert plo
    assert any(e.kind is EventKind.CP_PLAN_STARTED for case in cases for e in case.events)
    grounds = {(r.model.panel, r.model.ground) for r in example.referrals}
    assert ("cmr", "open-as-cin-or-cp") in grounds
    assert any(m.model.deferred for m in example.meetings.values())
    assert any(m.model.conflicts for m in example.meetings.values())
    assert any(v.stance is Stance.DISAGREE for x in example.decisions for v in x.model.views)
    assert any(not x.model.chair_followed_majority for x in example.decisions)
    kinds = {r.model.kind for r in example.records}
    assert {RecordKind.ACTION_DONE, RecordKind.ACTION_ESCALATED, RecordKind.ACTION_DUE_CHANGED} <= kinds


def test_example_has_actions_overdue_on_the_demo_date(example: Repository, demo_date: date) -> None:
    """Some agreed actions are past due with no record that they were done."""
    done = {(r.model.refers_to, r.model.action) for r in example.records if r.model.kind is RecordKind.ACTION_DONE}
    overdue = [
        (x.path, a.id)
        for x in example.decisions
        for a in x.model.actions
        if a.due < demo_date and (x.path, a.id) not in done
    ]
    assert 3 <= len(overdue)
