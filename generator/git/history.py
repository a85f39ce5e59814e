"""The `history` stage: one pass over `git log` gives every document's arrival and changes.

Git is the audit trail. A referral "arrives" when it enters the repository, not on a date typed
into its front matter (DESIGN.md, "Time is an input"). This module reads the whole history of
`HEAD` with a constant number of git calls, however many files there are:

- `git rev-parse` (twice) to see whether `root` is a repository, whether it is shallow, and HEAD;
- one `git log --reverse --date-order --no-renames --name-status -z` for every change, read by
  `generator.git.log.walk_log`;
- one `git rev-list <audit_start>` when the authority names an audit start commit.

The other questions asked here take one call each: `git status --porcelain -z` for the
uncommitted documents, `git diff --name-only -z <base>...HEAD` for what a branch changes or adds
(after `git rev-parse` of the base), `git rev-parse` for a commit id.

Rules, kept deliberately simple:

- A path's arrival is the committer time of the earliest commit (parents before children,
  otherwise by commit time) that added it. Renames count as a delete and an add; a path deleted
  and added again keeps its first arrival. Merge commits list no changes of their own, so a file
  added on a branch arrives with the branch commit that added it.
- Committer times are chosen by whoever commits: they are evidence, not proof. A pull request's
  new files are judged by the time of the check, which the check passes in as `as_of_time`.
- In a shallow clone the boundary commits appear to add every file they hold. Paths whose arrival
  is such a commit have no known arrival (`History.arrival_unknown`).

Every git call goes through `generator.git.runner` (exactly this repository, no replace refs, no
optional locks) with a fixed argument list, `-z` output, and `--end-of-options` or `--` before
anything taken from outside; nothing is printed or executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from generator.core.errors import UsageError
from generator.core.layout import AUTHORITY_PATH, TOP_FOLDERS
from generator.git import runner as git
from generator.git.log import log_options, walk_log

ChangeStatus = Literal["A", "M", "D"]
"""How a commit touched a path: added, modified (content or file type) or deleted."""

_STATUS: dict[str, ChangeStatus] = {"A": "A", "M": "M", "T": "M", "D": "D"}
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}", re.ASCII)
# One header per commit: id, author name and email, committer name and email, committer time.
_FIELDS = ("%H", "%an", "%ae", "%cn", "%ce", "%cI")
# With an allowed-signers file, also the signature status and the key (`%GK`, or `%GF` when that is empty).
_SIGNED_FIELDS = (*_FIELDS, "%G?", "%GK", "%GF")


@dataclass(frozen=True, slots=True)
class Change:
    """One commit's change to one path."""

    commit: str
    """Full commit id."""
    author_name: str
    """Author's name as recorded in the commit."""
    author_email: str
    """Author's email as recorded in the commit."""
    committer_name: str
    """Committer's name (the person who put the change into the repository)."""
    committer_email: str
    """Committer's email."""
    time: datetime
    """Committer time, timezone-aware."""
    status: ChangeStatus
    """Added, modified or deleted."""
    signature: str = ""
    """Git's `%G?` (`G` good, `N` none, `U` key not allowed, `B` bad...); empty when signatures were not read."""
    key: str = ""
    """The signing key's fingerprint; empty when unsigned or when signatures were not read."""


@dataclass(frozen=True)
class History:
    """What git says about every path that ever existed on HEAD's history."""

    is_repository: bool = False
    """Whether `root` is (the top of) a git repository."""
    head: str | None = None
    """The commit id of HEAD; None when there are no commits (or no repository)."""
    shallow: bool = False
    """The repository is a shallow clone: history before its boundary is missing."""
    arrivals: dict[str, datetime] = field(default_factory=dict)
    """Committer time of the earliest commit that added each path."""
    arrival_commits: dict[str, str] = field(default_factory=dict)
    """The commit id behind each arrival."""
    changes: dict[str, list[Change]] = field(default_factory=dict)
    """Every change to each path, oldest first."""
    audit_start: str | None = None
    """The authority's audit start commit, if one was given."""
    before_audit: frozenset[str] = frozenset()
    """Paths added by the audit start commit or one of its ancestors: their arrival is not judged."""
    arrival_unknown: frozenset[str] = frozenset()
    """Paths whose apparent arrival is a shallow clone's boundary commit, so the real one is unknown."""
    commits: int = 0
    """How many commits were read."""
    signatures: bool = False
    """Whether each change's `signature` and `key` were read (an allowed-signers file was given)."""


def read_history(root: Path, audit_start: str | None = None, *, signers: Path | None = None) -> History:
    """Read the history of `root`'s HEAD in one pass over `git log`.

    A folder that is not a git repository gives an empty History with `is_repository` False; a
    repository without commits gives an empty one with `head` None. `audit_start` (the
    authority's `audit_start`) must be a full commit id known to the repository, unless the
    repository is shallow and the commit lies beyond its boundary. With `signers` (git's
    allowed-signers file), the same pass also reads each commit's signature status and key.
    """
    info = _repository_info(root)
    if info is None:
        return History()
    shallow, grafts = info
    head = _head(root)
    if head is None:
        return History(is_repository=True, shallow=shallow)
    fields = _FIELDS if signers is None else _SIGNED_FIELDS
    config = {} if signers is None else {"gpg.ssh.allowedSignersFile": str(signers), "log.showSignature": "false"}
    log = git.output(
        root,
        ["log", "--reverse", "--date-order", "--name-status", *log_options(fields), "HEAD"],
        config=config,
        paths=(),
    )
    arrivals: dict[str, datetime] = {}
    arrival_commits: dict[str, str] = {}
    changes: dict[str, list[Change]] = {}
    commits = 0
    for commit, header, status, path in _parse_log(log, len(fields)):
        if status is None:
            commits += 1
            continue
        change = Change(commit, *header[:5], status=status, signature=header[5], key=header[6] or header[7])
        changes.setdefault(path, []).append(change)
        if status == "A" and path not in arrivals:
            arrivals[path] = change.time
            arrival_commits[path] = commit
    before: frozenset[str] = frozenset()
    if audit_start is not None:
        ancestors = _ancestors(root, audit_start, shallow)
        before = frozenset(path for path, commit in arrival_commits.items() if commit in ancestors)
    unknown = frozenset(path for path, commit in arrival_commits.items() if commit in grafts)
    return History(
        is_repository=True,
        head=head,
        shallow=shallow,
        arrivals=arrivals,
        arrival_commits=arrival_commits,
        changes=changes,
        audit_start=audit_start,
        before_audit=before,
        arrival_unknown=unknown,
        commits=commits,
        signatures=signers is not None,
    )


def is_repository(root: Path) -> bool:
    """Whether `root` is (the top of) a git repository (one `git rev-parse`)."""
    return _repository_info(root) is not None


def uncommitted_paths(root: Path) -> set[str]:
    """Paths under the document folders that are new, modified or untracked in the working tree.

    One `git status` call. Deleted files are left out (there is nothing to judge). Outside a git
    repository the set is empty.
    """
    if _repository_info(root) is None:
        return set()
    return _uncommitted(root)


def changed_paths(root: Path, base: str) -> set[str]:
    """Paths changed on this branch since it left `base` (`base...HEAD`), plus uncommitted ones.

    Deleted paths are included: a check of the changes needs to see deletions. Raises
    `UsageError` when `root` is not a git repository or `base` is not a commit.
    """
    return _branch_diff(root, base, added_only=False) | _uncommitted(root)


def added_paths(root: Path, base: str) -> set[str]:
    """Paths this branch adds since it left `base`: in a pull request they arrive at the time of the check.

    Pass them to `arrival_of` as `entering`. Raises `UsageError` like `changed_paths`.
    """
    return _branch_diff(root, base, added_only=True)


def commit_id(root: Path, ref: str) -> str:
    """The full id of the commit `ref` names (one `git rev-parse`); a UsageError when it names none."""
    return _commit_of(root, ref)


def arrival_of(
    history: History,
    path: str,
    uncommitted: Iterable[str],
    as_of_time: datetime,
    *,
    entering: Iterable[str] = (),
) -> datetime | None:
    """When a document arrived, by DESIGN's rule; None when its arrival is not judged.

    - A path in `entering` (a pull request's new files, from `added_paths`) arrives at
      `as_of_time`, the time of the check, whatever time its commit claims.
    - A path git has a commit for arrived at that commit's committer time, unless it was added
      before the audit start (None) or its arrival lies beyond a shallow clone's boundary (None).
    - A path in `uncommitted` (from `uncommitted_paths`) that no commit has added yet arrives
      at `as_of_time`: it is entering the repository now.
    - Anything else (not a repository, or a file git ignores) is not judged: None.
    """
    if path in entering:
        return as_of_time
    arrived = history.arrivals.get(path)
    if arrived is not None:
        if path in history.before_audit or path in history.arrival_unknown:
            return None
        return arrived
    if path in uncommitted:
        return as_of_time
    return None


_Header = tuple[str, str, str, str, datetime, str, str, str]


def _parse_log(output: str, width: int) -> Iterator[tuple[str, _Header, ChangeStatus | None, str]]:
    """Yield (commit, header, None, "") for each commit, then (commit, header, status, path) per change.

    A header is (author name, author email, committer name, committer email, time, `%G?`, `%GK`,
    `%GF`); the last three are empty when the record has only the `_FIELDS` (`width` fields).
    """
    commit = ""
    header: _Header | None = None
    for fields, token, path in walk_log(output, width, lambda token: token in _STATUS):
        if fields is None:
            if header is not None:  # always: walk_log yields changes only after a record
                yield commit, header, _STATUS[token], path
            continue
        commit = fields[0]
        extra = [*fields[len(_FIELDS) :], "", "", ""]
        header = (
            fields[1],
            fields[2],
            fields[3],
            fields[4],
            datetime.fromisoformat(fields[5]),
            extra[0],
            extra[1],
            extra[2],
        )
        yield commit, header, None, ""


def _branch_diff(root: Path, base: str, *, added_only: bool) -> set[str]:
    if _repository_info(root) is None:
        raise UsageError(f"{root} is not a git repository, so there is nothing to compare with '{base}'")
    base_id = _commit_of(root, base)
    if _head(root) is None:
        raise UsageError("the repository has no commits yet, so there is nothing to compare with a base")
    only = ["--diff-filter=A"] if added_only else []
    diff = git.output(
        root, ["diff", "--name-only", "-z", "--no-renames", "--no-relative", *only, f"{base_id}...HEAD"], paths=()
    )
    return {path for path in diff.split("\0") if path}


def _commit_of(root: Path, ref: str) -> str:
    """The full id of the commit `ref` names, or a UsageError that says it names none."""
    problem = UsageError(f"'{ref}' is not a branch, tag or commit in this repository (was it fetched?)")
    if not ref or ref.startswith("-") or any(ord(c) < 32 for c in ref):
        raise problem
    result = git.run(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
    commit = git.decode(result.stdout).strip()
    if result.returncode != 0 or not _COMMIT_ID.fullmatch(commit):
        raise problem
    return commit


def _ancestors(root: Path, audit_start: str, shallow: bool) -> frozenset[str]:
    """The audit start commit and all its ancestors (one `git rev-list` call)."""
    where = f"{AUTHORITY_PATH}: audit_start"
    if not _COMMIT_ID.fullmatch(audit_start):
        raise UsageError(f"{where} '{audit_start}' is not a full commit id (40 hexadecimal digits)")
    result = git.run(root, ["rev-list", "--end-of-options", audit_start], paths=())
    if result.returncode != 0:
        if shallow:
            # Beyond the boundary: every path the clone knows was added after it, or is unknown.
            return frozenset()
        raise UsageError(f"{where} '{audit_start}' is not a commit in this repository")
    return frozenset(git.decode(result.stdout).split())


def _uncommitted(root: Path) -> set[str]:
    output = git.output(
        root,
        ["status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--ignore-submodules=all"],
        paths=TOP_FOLDERS,
    )
    found: set[str] = set()
    for entry in output.split("\0"):
        if len(entry) < 4:
            continue
        index_status, tree_status, path = entry[0], entry[1], entry[3:]
        if tree_status == "D" or (index_status == "D" and tree_status == " "):
            continue
        found.add(path)
    return found


def _repository_info(root: Path) -> tuple[bool, frozenset[str]] | None:
    """None outside a repository; else whether it is shallow and its boundary commits."""
    if not root.is_dir():
        return None
    result = git.run(root, ["rev-parse", "--is-shallow-repository", "--git-path", "shallow"])
    if result.returncode != 0:
        if "not a git repository" in git.decode(result.stderr):
            return None
        raise UsageError(f"git cannot read the repository at {root}: {git.message(result, default='')}")
    lines = git.decode(result.stdout).splitlines()
    shallow = bool(lines) and lines[0] == "true"
    grafts: frozenset[str] = frozenset()
    if shallow and len(lines) > 1:
        shallow_file = root / lines[1]
        if shallow_file.is_file():
            grafts = frozenset(shallow_file.read_text(encoding="ascii").split())
    return shallow, grafts


def _head(root: Path) -> str | None:
    result = git.run(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
    head = git.decode(result.stdout).strip()
    return head if result.returncode == 0 and _COMMIT_ID.fullmatch(head) else None
