"""The history stage: arrivals, changes, audit start, shallow clones and working-tree changes from real git."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.core.errors import UsageError
from generator.git.history import (
    History,
    added_paths,
    arrival_of,
    changed_paths,
    read_history,
    uncommitted_paths,
)

if TYPE_CHECKING:
    from conftest import GitFactory

ALICE = ("Alice Example", "alice@example.invalid")
BOB = ("Bob Example", "bob@example.invalid")
SPACED = "cases/123456/referrals/a referral with spaces.md"
DASHED = "cases/123456/-dash.md"
NEWLINE = "cases/123456/new\nline.md"
NOON = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    """A timezone-aware datetime from ISO text."""
    return datetime.fromisoformat(text)


@pytest.fixture
def lifecycle(git_repo: GitFactory) -> Path:
    """One file added, modified, deleted and re-added, beside files named with spaces, a dash, a newline."""
    repo = git_repo.make_repo(
        {"panels/roster.yml": "people: []\n", "cases/123456/case.md": "one\n"},
        when="2024-01-08T09:00:00+00:00",
        author=ALICE,
    )
    git_repo.commit(repo, {SPACED: "s\n", DASHED: "d\n", NEWLINE: "n\n"}, when="2024-02-01T10:30:00+00:00", author=BOB)
    git_repo.commit(repo, {"cases/123456/case.md": "two\n"}, when="2024-03-01T09:00:00+00:00", author=BOB)
    git_repo.commit(repo, {"cases/123456/case.md": None}, when="2024-04-01T09:00:00+01:00", author=ALICE)
    git_repo.commit(repo, {"cases/123456/case.md": "three\n"}, when="2024-05-01T09:00:00+01:00", author=BOB)
    return repo


def test_arrival_is_the_earliest_adding_commit(lifecycle: Path) -> None:
    """Each path arrives with the first commit that added it, even after a delete and re-add."""
    expected = {
        "panels/roster.yml": at("2024-01-08T09:00:00+00:00"),
        "cases/123456/case.md": at("2024-01-08T09:00:00+00:00"),
        SPACED: at("2024-02-01T10:30:00+00:00"),
        DASHED: at("2024-02-01T10:30:00+00:00"),
        NEWLINE: at("2024-02-01T10:30:00+00:00"),
    }
    assert expected == read_history(lifecycle).arrivals


def test_changes_record_every_commit_to_a_path(lifecycle: Path) -> None:
    """A path's changes list add, modify, delete and re-add with author and committer time, oldest first."""
    expected = [
        ("A", "Alice Example", at("2024-01-08T09:00:00+00:00")),
        ("M", "Bob Example", at("2024-03-01T09:00:00+00:00")),
        ("D", "Alice Example", at("2024-04-01T09:00:00+01:00")),
        ("A", "Bob Example", at("2024-05-01T09:00:00+01:00")),
    ]
    changes = read_history(lifecycle).changes["cases/123456/case.md"]
    assert expected == [(c.status, c.author_name, c.time) for c in changes]


def test_times_keep_their_offset(lifecycle: Path) -> None:
    """Committer times are timezone-aware and keep the offset they were committed with."""
    change = read_history(lifecycle).changes["cases/123456/case.md"][2]
    assert timedelta(hours=1) == change.time.utcoffset()


def test_head_and_commit_count(lifecycle: Path, git_repo: GitFactory) -> None:
    """The history names HEAD and counts the commits it read."""
    history = read_history(lifecycle)
    expected = (git_repo.run(lifecycle, "rev-parse", "HEAD").strip(), 5, True, False)
    assert expected == (history.head, history.commits, history.is_repository, history.shallow)


def test_audit_start_excludes_earlier_paths(git_repo: GitFactory) -> None:
    """Paths added at or before the audit start commit are not judged; later ones are."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n"}, when="2024-01-08T09:00:00+00:00")
    start = git_repo.commit(repo, {"cases/2/case.md": "y\n"}, when="2024-01-09T09:00:00+00:00")
    git_repo.commit(repo, {"cases/3/case.md": "z\n", "cases/1/case.md": "x2\n"}, when="2024-01-10T09:00:00+00:00")
    history = read_history(repo, audit_start=start)
    assert frozenset({"cases/1/case.md", "cases/2/case.md"}) == history.before_audit
    judged = {path: arrival_of(history, path, set(), NOON) for path in sorted(history.arrivals)}
    expected = {"cases/1/case.md": None, "cases/2/case.md": None, "cases/3/case.md": at("2024-01-10T09:00:00+00:00")}
    assert expected == judged


def test_unknown_audit_start_is_a_usage_error(git_repo: GitFactory) -> None:
    """An audit start that is not a commit of the repository is refused with a message naming it."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n"})
    with pytest.raises(UsageError) as raised:
        read_history(repo, audit_start="0" * 40)
    assert "panels/authority.yml: audit_start '0000000000000000000000000000000000000000'" in str(raised.value)


def test_audit_start_must_be_a_commit_id(git_repo: GitFactory) -> None:
    """An audit start that looks like an option is refused before git sees it."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n"})
    with pytest.raises(UsageError, match="not a full commit id"):
        read_history(repo, audit_start="--all")


def test_shallow_clone_is_detected(git_repo: GitFactory) -> None:
    """A `--depth 1` clone is shallow, and paths from its boundary commit have no known arrival."""
    origin = git_repo.make_repo({"cases/1/case.md": "x\n"}, when="2024-01-08T09:00:00+00:00")
    git_repo.commit(origin, {"cases/2/case.md": "y\n"}, when="2024-01-09T09:00:00+00:00")
    git_repo.run(git_repo.base, "clone", "-q", "--depth", "1", f"file://{origin}", "shallow")
    history = read_history(git_repo.base / "shallow")
    expected = (True, frozenset({"cases/1/case.md", "cases/2/case.md"}), None)
    assert expected == (history.shallow, history.arrival_unknown, arrival_of(history, "cases/2/case.md", set(), NOON))


def test_full_clone_is_not_shallow(git_repo: GitFactory) -> None:
    """A full clone is not shallow and every arrival is known."""
    origin = git_repo.make_repo({"cases/1/case.md": "x\n"})
    git_repo.run(git_repo.base, "clone", "-q", f"file://{origin}", "full")
    history = read_history(git_repo.base / "full")
    assert (False, frozenset()) == (history.shallow, history.arrival_unknown)


def test_not_a_repository_gives_an_empty_history(tmp_path: Path, git_repo: GitFactory) -> None:
    """A plain folder gives an empty history, no uncommitted paths and no arrivals to judge."""
    plain = tmp_path / "plain"
    (plain / "cases").mkdir(parents=True)
    (plain / "cases" / "x.md").write_text("x\n", encoding="utf-8")
    history = read_history(plain)
    expected = (History(), set(), None)
    assert expected == (history, uncommitted_paths(plain), arrival_of(history, "cases/x.md", set(), NOON))


def test_missing_folder_gives_an_empty_history(tmp_path: Path) -> None:
    """A folder that does not exist is not a repository either."""
    assert History() == read_history(tmp_path / "missing")


def test_subfolder_of_a_repository_is_not_a_repository(git_repo: GitFactory) -> None:
    """Only the top of a work tree is read: a folder inside someone else's repository is not one."""
    repo = git_repo.make_repo({"inner/cases/1/case.md": "x\n"})
    assert History() == read_history(repo / "inner")


def test_repository_without_commits(git_repo: GitFactory) -> None:
    """A repository with no commits is a repository with no head and no arrivals."""
    repo = git_repo.make_repo()
    assert History(is_repository=True) == read_history(repo)


def test_uncommitted_and_untracked_files_are_detected(git_repo: GitFactory) -> None:
    """New, staged, modified and untracked document files are listed; deleted and outside files are not."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n", "cases/2/case.md": "y\n", "cases/3/case.md": "z\n"})
    (repo / "cases/1/case.md").write_text("changed\n", encoding="utf-8")
    (repo / "cases/2/case.md").unlink()
    (repo / "cases/4/referrals").mkdir(parents=True)
    (repo / "cases/4/referrals/2024-02-01-clam.md").write_text("new\n", encoding="utf-8")
    (repo / "cases/5").mkdir()
    (repo / "cases/5/case with space.md").write_text("staged\n", encoding="utf-8")
    git_repo.run(repo, "add", "--", "cases/5/case with space.md")
    (repo / "notes.txt").write_text("outside\n", encoding="utf-8")
    expected = {"cases/1/case.md", "cases/4/referrals/2024-02-01-clam.md", "cases/5/case with space.md"}
    assert expected == uncommitted_paths(repo)


def test_new_file_arrives_at_the_time_of_the_check(git_repo: GitFactory) -> None:
    """An uncommitted new file arrives as of the check; a committed but modified one keeps its commit time."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n"}, when="2024-01-08T09:00:00+00:00")
    write = repo / "cases/2/case.md"
    write.parent.mkdir(parents=True)
    write.write_text("new\n", encoding="utf-8")
    (repo / "cases/1/case.md").write_text("changed\n", encoding="utf-8")
    history = read_history(repo)
    uncommitted = uncommitted_paths(repo)
    expected = {"cases/1/case.md": at("2024-01-08T09:00:00+00:00"), "cases/2/case.md": NOON}
    assert expected == {path: arrival_of(history, path, uncommitted, NOON) for path in sorted(uncommitted)}


def test_file_git_knows_nothing_about_is_not_judged(git_repo: GitFactory) -> None:
    """A path neither committed nor reported by git status (e.g. ignored) has no arrival."""
    repo = git_repo.make_repo({"cases/1/case.md": "x\n"})
    assert None is arrival_of(read_history(repo), "cases/9/case.md", set(), NOON)


def branched(git_repo: GitFactory) -> Path:
    """A repository whose branch `work` left `main` after one commit and then changed three files."""
    repo = git_repo.make_repo(
        {"cases/1/case.md": "x\n", "cases/2/case.md": "y\n", "cases/3/case.md": "z\n"},
        when="2024-01-08T09:00:00+00:00",
    )
    git_repo.run(repo, "checkout", "-q", "-b", "work")
    git_repo.commit(
        repo,
        {"cases/1/case.md": "x2\n", "cases/2/case.md": None, "cases/4/-new case.md": "n\n"},
        when="2024-01-09T09:00:00+00:00",
    )
    git_repo.run(repo, "checkout", "-q", "main")
    git_repo.commit(repo, {"cases/3/case.md": "z2\n"}, when="2024-01-10T09:00:00+00:00")
    git_repo.run(repo, "checkout", "-q", "work")
    return repo


def test_changed_paths_against_a_base_branch(git_repo: GitFactory) -> None:
    """Changes since the branch left the base, plus uncommitted ones; the base's own later changes are not."""
    repo = branched(git_repo)
    (repo / "cases/5").mkdir()
    (repo / "cases/5/case.md").write_text("untracked\n", encoding="utf-8")
    expected = {"cases/1/case.md", "cases/2/case.md", "cases/4/-new case.md", "cases/5/case.md"}
    assert expected == changed_paths(repo, "main")


def test_added_paths_enter_at_the_time_of_the_check(git_repo: GitFactory) -> None:
    """A pull request's new files arrive as of the check, not at the time their commit claims."""
    repo = branched(git_repo)
    entering = added_paths(repo, "main")
    history = read_history(repo)
    assert {"cases/4/-new case.md"} == entering
    assert NOON == arrival_of(history, "cases/4/-new case.md", set(), NOON, entering=entering)


@pytest.mark.parametrize("base", ["no-such-branch", "--output=/tmp/x", "", "main\n"])
def test_bad_base_is_a_usage_error(git_repo: GitFactory, base: str) -> None:
    """A base that names no commit (or looks like an option) is a usage error that quotes it."""
    repo = branched(git_repo)
    with pytest.raises(UsageError) as raised:
        changed_paths(repo, base)
    assert f"'{base}' is not a branch, tag or commit" in str(raised.value)


def test_changed_paths_outside_a_repository(tmp_path: Path) -> None:
    """Comparing with a base outside a git repository is a usage error."""
    with pytest.raises(UsageError, match="not a git repository"):
        changed_paths(tmp_path, "main")
