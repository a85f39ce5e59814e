"""The demo repository: replayed from a timeline into real, reproducible git history."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.demo import MARKER, SETUP_EMAIL, build_demo_repo, read_timeline
from generator.errors import UsageError
from generator.history import read_history

if TYPE_CHECKING:
    from conftest import Files, GitFactory

ROSTER = """\
people:
  - id: p-ash
    name: Ash Example
    roles: [social-worker]
    email: ash@example.invalid
  - id: p-bay
    name: Bay Example
    roles: [head-of-service]
    email: bay@example.invalid
  - id: p-noemail
    name: No Email
    roles: [social-worker]
"""
REFERRAL = "cases/123456/referrals/2026-10-08-clam.md"
DECISION = "decisions/clam/2026-10-08/123456.md"
TIMELINE = """\
start: 2026-09-01T09:00:00+01:00
events:
  - at: 2026-09-14T10:05:00+01:00
    by: p-ash
    message: Refer case 123456 to CLAM
    paths:
      - cases/123456/case.md
      - cases/123456/referrals/2026-10-08-clam.md
  - at: 2026-10-09T16:30:00+01:00
    by: p-bay
    message: Record the decision
    paths:
      - decisions/clam/2026-10-08/123456.md
"""
PROJECT: dict[str, str | bytes | None] = {
    "panels/roster.yml": ROSTER,
    "panels/authority.yml": "name: Example\ncase_id_pattern: '[0-9]{6}'\n",
    "panels/clam.md": "---\nid: clam\n---\n",
    "cases/123456/case.md": "---\nid: '123456'\n---\n",
    REFERRAL: "---\npanel: clam\n---\n",
    DECISION: "---\npanel: clam\n---\n",
    "cases/654321/case.md": "---\nid: '654321'\n---\n",
    "demo/timeline.yml": TIMELINE,
}


@pytest.fixture
def project(make_files: Callable[[Files], Path], git_repo: GitFactory) -> Path:
    """A small project with a roster, three cases' documents and a timeline (git isolated from the user's config)."""
    return make_files(PROJECT)


def git(repo: Path, *args: str) -> str:
    """The output of a read-only git command in `repo`."""
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_replay_gives_the_same_commit_ids_every_time(project: Path, tmp_path: Path) -> None:
    """Two replays of the same project give identical commit ids."""
    first = build_demo_repo(project, tmp_path / "one")
    second = build_demo_repo(project, tmp_path / "two")
    assert git(first, "rev-list", "HEAD") == git(second, "rev-list", "HEAD")


def test_commit_dates_and_people_follow_the_timeline(project: Path, tmp_path: Path) -> None:
    """Each commit is authored and committed by the timeline's person at the timeline's time."""
    repo = build_demo_repo(project, tmp_path / "demo")
    log = git(repo, "log", "--reverse", "--format=%aI|%cI|%an <%ae>|%cn <%ce>|%s")
    expected = [
        f"2026-09-01T09:00:00+01:00|2026-09-01T09:00:00+01:00|Panel demo setup <{SETUP_EMAIL}>|"
        f"Panel demo setup <{SETUP_EMAIL}>|Set up the panels, roster and authority settings",
        "2026-09-14T10:05:00+01:00|2026-09-14T10:05:00+01:00|Ash Example <ash@example.invalid>|"
        "Ash Example <ash@example.invalid>|Refer case 123456 to CLAM",
        "2026-10-09T16:30:00+01:00|2026-10-09T16:30:00+01:00|Bay Example <bay@example.invalid>|"
        "Bay Example <bay@example.invalid>|Record the decision",
    ]
    assert expected == log.splitlines()


def test_history_of_the_demo_gives_timeline_arrivals(project: Path, tmp_path: Path) -> None:
    """Read back through the history stage, each document arrives when the timeline says."""
    arrivals = read_history(build_demo_repo(project, tmp_path / "demo")).arrivals
    start = datetime.fromisoformat("2026-09-01T09:00:00+01:00")
    expected = {
        "cases/123456/case.md": datetime.fromisoformat("2026-09-14T10:05:00+01:00"),
        REFERRAL: datetime.fromisoformat("2026-09-14T10:05:00+01:00"),
        DECISION: datetime.fromisoformat("2026-10-09T16:30:00+01:00"),
        "cases/654321/case.md": start,
        "panels/authority.yml": start,
        "panels/clam.md": start,
        "panels/roster.yml": start,
    }
    assert expected == arrivals


def test_working_tree_holds_the_documents(project: Path, tmp_path: Path) -> None:
    """The demo repository is checked out, with every document's content and nothing uncommitted."""
    repo = build_demo_repo(project, tmp_path / "demo")
    expected = (PROJECT[DECISION], "")
    assert expected == ((repo / DECISION).read_text(encoding="utf-8"), git(repo, "status", "--porcelain"))


def test_a_missing_file_is_refused_with_its_line(project: Path, tmp_path: Path) -> None:
    """A timeline naming a file the project does not have is refused, naming the line."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("123456.md", "999999.md"), encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        build_demo_repo(project, tmp_path / "demo")
    expected = (
        "the demo timeline has problems:\n"
        "demo/timeline.yml:13: 'decisions/clam/2026-10-08/999999.md' does not exist in the project's "
        "panels, cases, decisions"
    )
    assert expected == str(raised.value)
    assert False is (tmp_path / "demo").exists()


def test_every_problem_is_reported_at_once(project: Path) -> None:
    """A path listed twice, an unknown person and a person without an email are all reported together."""
    broken = (
        TIMELINE.replace("2026-10-09T16:30", "2026-09-10T16:30")
        .replace("by: p-bay", "by: p-nobody")
        .replace("by: p-ash", "by: p-noemail")
        .replace("      - decisions/clam/2026-10-08/123456.md", "      - cases/123456/case.md")
    )
    (project / "demo/timeline.yml").write_text(broken, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    expected = [
        "the demo timeline has problems:",
        "demo/timeline.yml:4: 'p-noemail' is not a person in panels/roster.yml with a name and an email",
        "demo/timeline.yml:10: 'p-nobody' is not a person in panels/roster.yml with a name and an email",
        "demo/timeline.yml:13: 'cases/123456/case.md' is already listed on line 7",
    ]
    assert expected == str(raised.value).splitlines()


def test_events_out_of_time_order_are_refused(project: Path) -> None:
    """An event earlier than the one before it is refused."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("2026-10-09T16:30", "2026-09-10T16:30"), "utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    assert "demo/timeline.yml:9: 2026-09-10T16:30:00+01:00 is earlier than the time above it" in str(raised.value)


def test_a_time_without_offset_is_refused(project: Path) -> None:
    """A time with no offset from UTC is ambiguous and refused."""
    (project / "demo/timeline.yml").write_text(TIMELINE.replace("2026-09-01T09:00:00+01:00", "2026-09-01"), "utf-8")
    with pytest.raises(UsageError) as raised:
        read_timeline(project)
    assert "demo/timeline.yml:1: '2026-09-01' is not a date and time with an offset" in str(raised.value)


def test_a_previous_demo_is_replaced(project: Path, tmp_path: Path) -> None:
    """Building twice at the same place replaces the first build (it carries the marker)."""
    dest = tmp_path / "demo"
    build_demo_repo(project, dest)
    (dest / "stray.txt").write_text("left over\n", encoding="utf-8")
    build_demo_repo(project, dest)
    assert (False, True) == ((dest / "stray.txt").exists(), (dest / ".git" / MARKER).is_file())


def test_a_folder_not_made_by_the_demo_is_not_deleted(project: Path, tmp_path: Path) -> None:
    """A non-empty destination without the marker is refused and left alone."""
    dest = tmp_path / "precious"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to replace"):
        build_demo_repo(project, dest)
    assert ["keep.txt"] == [p.name for p in dest.iterdir()]


def test_the_project_itself_is_refused(project: Path) -> None:
    """The project folder is never a destination."""
    with pytest.raises(UsageError, match="holds the project itself"):
        build_demo_repo(project, project)


def test_cli_prints_the_path_and_commit_count(project: Path, tmp_path: Path) -> None:
    """`panel demo repo` prints where it built the repository and how many commits it made."""
    dest = tmp_path / "cli-demo"
    result = CliRunner().invoke(cli, ["demo", "repo", "--project", str(project), "--dest", str(dest)])
    assert (0, f"{dest}: 3 commits\n") == (result.exit_code, result.output)
