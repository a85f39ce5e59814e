"""Nothing lost, nothing rewritten: final documents against a pull request's base, and supersession links."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory
from test_cli_check import case, referral

from generator.cli import cli
from generator.pipeline.gather import gather
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent
AS_OF = "2026-11-25"
BASE_TIME = "2026-10-01T09:00:00+01:00"
BRANCH_TIME = "2026-11-20T09:00:00+00:00"
DECISION = "decisions/cmr/2026-11-24/100001.md"
MEETING = "decisions/cmr/2026-11-24/meeting.md"
HEARD = "cases/100001/referrals/2026-11-24-cmr.md"
DRAFT = "decisions/cmr/2026-11-17/100002.md"
DRAFT_MEETING = "decisions/cmr/2026-11-17/meeting.md"
LATER = "decisions/cmr/2026-12-01/100001.md"
LATER_MEETING = "decisions/cmr/2026-12-01/meeting.md"


def meeting(date: str, heard: list[str], status: str = "approved", body: str = "Minutes.") -> str:
    """A quorate CMR meeting record."""
    listed = ", ".join(f'"{c}"' for c in heard)
    return (
        f"---\npanel: cmr\ndate: {date}\nvenue: wychbourne\nchair: p-orrelby-june\nattendees:\n"
        "  - person: p-orrelby-june\n    role: head-of-service\n    capacity: chair\n"
        "  - person: p-kestering-maud\n    role: service-manager\n    capacity: member\n"
        "  - person: p-pellinore-dax\n    role: service-manager\n    capacity: member\n"
        f"heard: [{listed}]\nstatus: {status}\n---\n{body}\n"
    )


def decision(
    date: str,
    case_id: str = "100001",
    *,
    status: str = "approved",
    supersedes: str | None = None,
    agreed: str = "Continue the plan",
) -> str:
    """A CMR decision sheet."""
    link = f"supersedes: {supersedes}\n" if supersedes else ""
    return (
        f'---\npanel: cmr\nmeeting: {date}\ncase: "{case_id}"\nchildren: [c1, c2]\nrequest: plan-review\n'
        f"outcomes: [continue-plan]\nagreed:\n  - {agreed}\nreview_date: 2027-02-23\n"
        f"rationale: Some progress.\nchair: p-orrelby-june\nstatus: {status}\n{link}---\nDecision sheet.\n"
    )


BASE_FILES = {
    "cases/100001/case.md": case("100001"),
    "cases/100002/case.md": case("100002"),
    HEARD: referral("100001").replace("2026-12-01", "2026-11-24"),
    "cases/100002/referrals/2026-12-01-cmr.md": referral("100002"),
    MEETING: meeting("2026-11-24", ["100001"]),
    DECISION: decision("2026-11-24"),
    DRAFT_MEETING: meeting("2026-11-17", ["100002"], status="draft"),
    DRAFT: decision("2026-11-17", "100002", status="draft"),
}


def main_repo(git_repo: GitFactory, extra: dict[str, str] | None = None) -> Path:
    """A repository whose main branch holds the panels and the base documents, then a branch `change`."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(repo, {**BASE_FILES, **(extra or {})}, when=BASE_TIME)
    git_repo.run(repo, "checkout", "-q", "-b", "change")
    return repo


def check(repo: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    """`panel check --format json` on `repo`: exit code and diagnostics, without the panels' own warnings."""
    result = CliRunner().invoke(cli, ["check", "--repo", str(repo), "--as-of", AS_OF, "--format", "json", *extra])
    items = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, [x for x in items if not str(x["path"]).startswith("panels/")]


def pull_request(repo: Path) -> tuple[int, set[tuple[str, object, str]]]:
    """The pull request check, `--changed --base main`: exit code and (path, line, name) of each diagnostic."""
    code, items = check(repo, "--changed", "--base", "main")
    return code, {(str(x["path"]), x["line"], str(x["name"])) for x in items}


def test_base_is_clean(git_repo: GitFactory) -> None:
    """The world these tests start from passes the whole check and an empty pull request."""
    repo = main_repo(git_repo)
    assert (0, []) == check(repo)
    assert (0, set()) == pull_request(repo)


def test_editing_an_approved_decision_is_refused_at_the_line(git_repo: GitFactory) -> None:
    """Changing what the panel agreed in an approved sheet is refused, at the first line that differs."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {DECISION: decision("2026-11-24", agreed="Close the case")}, when=BRANCH_TIME)
    assert (1, {(DECISION, 9, "approved-decision-changed")}) == pull_request(repo)


def test_deleting_an_approved_decision_is_refused(git_repo: GitFactory) -> None:
    """Deleting an approved sheet is refused on the file as a whole."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {DECISION: None}, when=BRANCH_TIME)
    code, found = pull_request(repo)
    assert 1 == code
    assert (DECISION, 0, "approved-decision-changed") in found


def test_renaming_an_approved_decision_is_a_deletion(git_repo: GitFactory) -> None:
    """Moving an approved sheet elsewhere deletes it at its path: refused."""
    repo = main_repo(git_repo)
    moved = "decisions/cmr/2026-11-17/100001.md"
    files = {DECISION: None, moved: decision("2026-11-17"), DRAFT_MEETING: meeting("2026-11-17", ["100002", "100001"])}
    git_repo.commit(repo, files, when=BRANCH_TIME)
    code, found = pull_request(repo)
    assert 1 == code
    assert (DECISION, 0, "approved-decision-changed") in found


def test_an_uncommitted_edit_is_refused_too(git_repo: GitFactory) -> None:
    """The working tree is compared with the base, so the pre-commit check refuses the edit before it is committed."""
    repo = main_repo(git_repo)
    (repo / DECISION).write_text(decision("2026-11-24", agreed="Close the case"), encoding="utf-8")
    assert (1, {(DECISION, 9, "approved-decision-changed")}) == pull_request(repo)


def test_editing_approved_minutes_is_refused(git_repo: GitFactory) -> None:
    """Approved minutes edited afterwards are refused at the first changed line."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {MEETING: meeting("2026-11-24", ["100001"], body="Minutes, amended.")}, when=BRANCH_TIME)
    assert (1, {(MEETING, 19, "approved-minutes-changed")}) == pull_request(repo)


def test_deleting_approved_minutes_is_refused(git_repo: GitFactory) -> None:
    """Approved minutes deleted are refused."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {MEETING: None}, when=BRANCH_TIME)
    code, found = pull_request(repo)
    assert 1 == code
    assert (MEETING, 0, "approved-minutes-changed") in found


def test_editing_a_heard_referral_is_refused(git_repo: GitFactory) -> None:
    """A referral the meeting lists as heard cannot be edited afterwards."""
    repo = main_repo(git_repo)
    edited = BASE_FILES[HEARD].replace("sought: A review", "sought: Another review")
    git_repo.commit(repo, {HEARD: edited}, when=BRANCH_TIME)
    assert (1, {(HEARD, 8, "heard-referral-changed")}) == pull_request(repo)


def test_deleting_a_heard_referral_is_refused(git_repo: GitFactory) -> None:
    """A referral the meeting heard cannot be deleted."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {HEARD: None}, when=BRANCH_TIME)
    assert (1, {(HEARD, 0, "heard-referral-changed")}) == pull_request(repo)


def test_a_referral_with_a_decision_counts_as_heard(git_repo: GitFactory) -> None:
    """A referral whose case has a decision sheet at that meeting is heard even if `heard:` leaves it out."""
    repo = main_repo(git_repo, {MEETING: meeting("2026-11-24", [], status="draft")})
    edited = BASE_FILES[HEARD].replace("sought: A review", "sought: Another review")
    git_repo.commit(repo, {HEARD: edited}, when=BRANCH_TIME)
    assert (1, {(HEARD, 8, "heard-referral-changed")}) == pull_request(repo)


RECORD = "decisions/cmr/2026-11-24/records/100001-note.md"


def record(note: str = "The family moved to a new address.") -> str:
    """A note added to the approved decision."""
    return f"---\nkind: note\nrefers_to: {DECISION}\ndate: 2026-11-25\nby: p-orrelby-june\nnote: {note}\n---\n"


@pytest.mark.parametrize(("change", "line"), [(record("Nothing happened."), 6), (None, 0)], ids=["edited", "deleted"])
def test_records_are_append_only(git_repo: GitFactory, change: str | None, line: int) -> None:
    """A record at the base may not be edited or deleted; a new record beside it is fine."""
    repo = main_repo(git_repo, {RECORD: record()})
    assert (0, set()) == pull_request(repo)
    git_repo.commit(repo, {RECORD: change}, when=BRANCH_TIME)
    assert (1, {(RECORD, line, "record-changed")}) == pull_request(repo)


def test_new_superseding_decision_is_allowed(git_repo: GitFactory) -> None:
    """The correction the rules ask for, a new approved sheet that supersedes the old one, passes."""
    repo = main_repo(git_repo)
    files = {
        LATER_MEETING: meeting("2026-12-01", ["100001"]),
        LATER: decision("2026-12-01", supersedes=DECISION, agreed="Close the case"),
    }
    git_repo.commit(repo, files, when=BRANCH_TIME)
    assert (0, set()) == pull_request(repo)


def test_drafts_may_be_edited_and_approved(git_repo: GitFactory) -> None:
    """A draft decision and draft minutes may be edited, approval included."""
    repo = main_repo(git_repo)
    files = {
        DRAFT: decision("2026-11-17", "100002", agreed="Step up to a child protection conference"),
        DRAFT_MEETING: meeting("2026-11-17", ["100002"], body="Minutes, approved."),
    }
    git_repo.commit(repo, files, when=BRANCH_TIME)
    assert (0, set()) == pull_request(repo)


def test_unheard_and_new_referrals_are_allowed(git_repo: GitFactory) -> None:
    """A referral no meeting has heard may be edited, and a new referral added."""
    repo = main_repo(git_repo)
    unheard = "cases/100002/referrals/2026-12-01-cmr.md"
    files = {
        unheard: BASE_FILES[unheard].replace("sought: A review", "sought: Another review"),
        "cases/100001/referrals/2026-12-01-cmr.md": referral("100001"),
    }
    git_repo.commit(repo, files, when=BRANCH_TIME)
    assert (0, set()) == pull_request(repo)


def test_dangling_supersedes_is_an_unknown_reference(git_repo: GitFactory) -> None:
    """`supersedes:` naming no decision is refused, by the whole check and by the pull request check."""
    repo = main_repo(git_repo)
    missing = "decisions/cmr/2026-11-10/100001.md"
    files = {
        LATER_MEETING: meeting("2026-12-01", ["100001"]),
        LATER: decision("2026-12-01", supersedes=missing),
    }
    git_repo.commit(repo, files, when=BRANCH_TIME)
    expected = {(LATER, 14, "unknown-reference")}
    assert (1, expected) == pull_request(repo)
    code, items = check(repo)
    assert (1, expected) == (code, {(str(x["path"]), x["line"], str(x["name"])) for x in items})


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                LATER_MEETING: meeting("2026-12-01", ["100001"]),
                LATER: decision("2026-12-01", supersedes=DECISION),
                "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100001"]),
                "decisions/cmr/2026-11-10/100001.md": decision("2026-11-10", supersedes=DECISION),
            },
            {(LATER, 14, "superseded-twice"), ("decisions/cmr/2026-11-10/100001.md", 14, "superseded-twice")},
            id="superseded-twice",
        ),
        pytest.param(
            {
                LATER_MEETING: meeting("2026-12-01", ["100001"]),
                LATER: decision("2026-12-01", supersedes=LATER),
            },
            {(LATER, 14, "supersession-loop")},
            id="supersedes-itself",
        ),
        pytest.param(
            {
                LATER_MEETING: meeting("2026-12-01", ["100001"]),
                LATER: decision("2026-12-01", supersedes="decisions/cmr/2026-11-10/100001.md"),
                "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100001"]),
                "decisions/cmr/2026-11-10/100001.md": decision("2026-11-10", supersedes=LATER),
            },
            {(LATER, 14, "supersession-loop"), ("decisions/cmr/2026-11-10/100001.md", 14, "supersession-loop")},
            id="loop",
        ),
        pytest.param(
            {
                "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100002"]),
                "decisions/cmr/2026-11-10/100002.md": decision("2026-11-10", "100002", supersedes=DRAFT),
            },
            {("decisions/cmr/2026-11-10/100002.md", 14, "draft-superseded")},
            id="draft-superseded",
        ),
        pytest.param(
            {
                DRAFT_MEETING: meeting("2026-11-17", ["100002"]),
                DRAFT: decision("2026-11-17", "100002", supersedes=DECISION),
            },
            {(DRAFT, 14, "supersession-mismatch")},
            id="other-case",
        ),
    ],
)
def test_supersession_is_checked_both_ways(
    git_repo: GitFactory, files: dict[str, str], expected: set[tuple[str, int, str]]
) -> None:
    """Each bad supersession is refused by the pull request check and by the whole check, on the `supersedes:` line."""
    refused_both_ways(git_repo, files, expected)


def refused_both_ways(
    git_repo: GitFactory, files: dict[str, str], expected: set[tuple[str, int, str]]
) -> list[dict[str, object]]:
    """Commit `files` on the branch: the pull request check and the whole check each refuse exactly `expected`.

    Returns the whole check's diagnostics.
    """
    repo = main_repo(git_repo)
    git_repo.commit(repo, files, when=BRANCH_TIME)
    assert (1, expected) == pull_request(repo)
    code, items = check(repo)
    assert (1, expected) == (code, {(str(x["path"]), x["line"], str(x["name"])) for x in items})
    return items


def test_git_calls_do_not_grow_with_the_change(
    git_repo: GitFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking a branch that deletes one approved meeting or twelve takes the same number of git calls."""
    logged = tmp_path / "git-calls.log"
    shim = tmp_path / "bin"
    shim.mkdir()
    real = shutil.which("git")
    assert real is not None
    (shim / "git").write_text(f'#!/bin/sh\necho "$1" >> "{logged}"\nexec "{real}" "$@"\n', encoding="utf-8")
    (shim / "git").chmod(0o755)

    def calls(count: int) -> tuple[int, int]:
        factory = GitFactory(git_repo.base / f"n{count}", git_repo.home)
        extra = {}
        for day in range(1, count + 1):
            folder = f"decisions/cmr/2026-10-{day:02d}"
            extra[f"{folder}/meeting.md"] = meeting(f"2026-10-{day:02d}", ["100001"])
            extra[f"{folder}/100001.md"] = decision(f"2026-10-{day:02d}")
        repo = main_repo(factory, extra)
        factory.commit(repo, dict.fromkeys(extra), when=BRANCH_TIME)
        logged.write_text("", encoding="utf-8")
        with monkeypatch.context() as patch:
            patch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
            found = gather(repo, as_of=date.fromisoformat(AS_OF), base="main").diagnostics
        refused = sum(1 for x in found if x.name in {"approved-minutes-changed", "approved-decision-changed"})
        return refused, len(logged.read_text(encoding="utf-8").splitlines())

    few, many = calls(1), calls(12)
    assert (2, 24) == (few[0], many[0])
    assert few[1] == many[1]
