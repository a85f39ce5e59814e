"""What a branch changes against its base, and who changed it, in a constant number of git calls.

A pull request is checked on its head commit against the branch it will merge into. Whatever the
number of files, this module makes these calls:

- `git rev-parse` for the base commit and `git merge-base` for the point the branch left it;
- one `git diff --name-status -z` from that fork point to the working tree: what the branch and
  any uncommitted edit change (renames count as a deletion and an addition);
- one `git log --name-status -z base..HEAD`: the commits the branch brings, with their author,
  committer and the paths each touched (read by `generator.git.log.walk_log`);
- one `git log -z --format=%H%n%B base..HEAD`: each commit's message, for the personal-data check;
- `git symbolic-ref` for the branch's name;
- `git var` (author and committer) only when a change is in no commit of its own, so its
  people are whoever would commit it now.

The base's versions of files are read afterwards through one `git cat-file --batch` process
(`generator.git.runner.BlobReader`), as `<fork>:<path>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.git.history import ChangeStatus, commit_id
from generator.git.log import log_options, walk_log
from generator.git.runner import output, run

_STATUS: dict[str, ChangeStatus] = {"A": "A", "D": "D"}
_LOG_FIELDS = ("%H", "%ae", "%ce", "%P")
# The status letters of `git log --name-status` without rename detection (so no R or C).
_LOG_CHANGES = frozenset("ADMTUXB")
_IDENT_EMAIL = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True)
class BranchCommit:
    """One commit the branch brings (in `base..HEAD`)."""

    id: str
    """Full commit id."""
    author: str
    """Author's email as recorded."""
    committer: str
    """Committer's email as recorded."""
    merge: bool
    """Whether it has more than one parent (its own changes are not listed)."""
    paths: frozenset[str]
    """Paths it touched (empty for a merge)."""
    message: str = ""
    """The commit message, as recorded."""


@dataclass(frozen=True)
class BranchChanges:
    """A branch's change against its base."""

    base: str
    """The base commit's full id (the tip of the branch merged into)."""
    fork: str
    """The commit where the branch left the base (their merge base): the base's versions are read here."""
    status: dict[str, ChangeStatus]
    """Each path the branch adds (A), modifies (M) or deletes (D), up to the working tree."""
    commits: tuple[BranchCommit, ...] = ()
    """The branch's commits, newest first."""
    local: tuple[str, ...] = ()
    """Emails (author, committer) an uncommitted change would be committed as; empty when unknown or not needed."""
    branch: str | None = None
    """The name of the branch checked out (None on a detached HEAD, as in many CI checkouts)."""

    def changed_by(self, path: str) -> frozenset[str]:
        """Emails of the people behind the change to `path`: author and committer of each commit that touched it.

        A change that no ordinary commit made (a merge's conflict resolution, or an edit not yet
        committed) is put down to the merge commits' people and to whoever would commit it now.
        Empty when nobody can be named.
        """
        direct = {e for c in self.commits if not c.merge and path in c.paths for e in (c.author, c.committer)}
        if direct:
            return frozenset(direct)
        merged = {e for c in self.commits if c.merge for e in (c.author, c.committer)}
        return frozenset(merged | set(self.local))


def read_branch(root: Path, base: str) -> BranchChanges:
    """What the working tree of `root` changes against the branch `base`, and who made each change.

    Raises `UsageError` when `base` names no commit or the repository has no commits.
    """
    base_id = commit_id(root, base)
    fork = output(root, ["merge-base", "--end-of-options", base_id, "HEAD"]).strip()
    diff_options = ["--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-relative", "--ignore-submodules=all"]
    diff = output(root, ["diff", *diff_options, fork], paths=())
    status = _parse_status(diff)
    log = output(root, ["log", "--name-status", *log_options(_LOG_FIELDS), f"{base_id}..HEAD"], paths=())
    messages = _messages(output(root, ["log", "--no-color", "-z", "--format=%H%n%B", f"{base_id}..HEAD"], paths=()))
    commits = tuple(replace(c, message=messages.get(c.id, "")) for c in _parse_commits(log))
    touched = {path for commit in commits for path in commit.paths}
    local = _local_identity(root) if any(path not in touched for path in status) else ()
    return BranchChanges(base_id, fork, status, commits, local, current_branch(root))


def current_branch(root: Path) -> str | None:
    """The short name of the branch checked out in `root`; None on a detached HEAD."""
    result = run(root, ["symbolic-ref", "--quiet", "--short", "HEAD"])
    name = result.stdout.decode("utf-8", errors="replace").strip()
    return name if result.returncode == 0 and name else None


def _messages(log: str) -> dict[str, str]:
    """Each commit's message from `git log -z --format=%H%n%B` (records NUL-separated)."""
    messages: dict[str, str] = {}
    for record in log.split("\0"):
        commit, _, body = record.lstrip("\n").partition("\n")
        if commit:
            messages[commit] = body
    return messages


def _parse_status(diff: str) -> dict[str, ChangeStatus]:
    tokens = diff.split("\0")
    status: dict[str, ChangeStatus] = {}
    for letter, path in zip(tokens[0::2], tokens[1::2], strict=False):
        if not letter or not path:
            continue
        # Modified, type changed or unmerged: the file is there on both sides and differs.
        status[path] = _STATUS.get(letter[0], "M")
    return status


def _parse_commits(log: str) -> list[BranchCommit]:
    records: list[tuple[list[str], set[str]]] = []
    for fields, _, path in walk_log(log, len(_LOG_FIELDS), lambda token: token in _LOG_CHANGES):
        if fields is None:
            records[-1][1].add(path)
        else:
            records.append((fields, set()))
    return [
        BranchCommit(commit, author, committer, len(parents.split()) > 1, frozenset(paths))
        for (commit, author, committer, parents), paths in records
    ]


def _local_identity(root: Path) -> tuple[str, ...]:
    emails: list[str] = []
    for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        result = run(root, ["var", variable])
        match = _IDENT_EMAIL.search(result.stdout.decode("utf-8", errors="replace"))
        if result.returncode == 0 and match:
            emails.append(match[1])
    return tuple(emails)
