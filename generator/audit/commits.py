"""One `git log` pass over a range: each commit's signature, identities, parents and changed files.

The pass reads `%H %P %G? %GK %GF %GS %ce %ae %cI` and `--raw` changes, walked by
`generator.git.log.walk_log`. `--raw` is `--name-status` plus the blob ids, which lets every
file's content be read later through one `git cat-file --batch`. Merge commits are listed with
`--cc`: only the files a merge changed itself (content that matches none of its parents, such as
an edit made while resolving a conflict) appear for it, so an "evil merge" is judged like any
other change. Raw emails (`%ce`, `%ae`) are read rather than the `.mailmap`-respecting ones:
`.mailmap` is repository content anyone can edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.core.errors import UsageError
from generator.git import runner as git
from generator.git.log import log_options, walk_log

_FIELDS = ("%H", "%P", "%G?", "%GK", "%GF", "%GS", "%ce", "%ae", "%cI")
_ZERO = re.compile(r"0+", re.ASCII)


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a commit added, modified or deleted."""

    path: str
    """Repository-relative path."""
    status: str
    """`A`, `M`, `D` or `T` (for a merge: the combined letters, one per parent)."""
    blob: str | None
    """The file's blob id after the commit; None when the commit deleted it."""


@dataclass(frozen=True)
class Commit:
    """What the pass says about one commit."""

    id: str
    """Full commit id."""
    parents: tuple[str, ...]
    """Parent ids; two or more for a merge."""
    status: str
    """Git's `%G?`: `G` good, `N` none, `B` bad, `U` unknown key, `X`/`Y` expired, `R` revoked, `E` cannot check."""
    key: str
    """The signing key's fingerprint (`%GK`, or `%GF` when that is empty); empty when unsigned."""
    principal: str
    """The allowed-signers principal git matched (`%GS`); empty unless the key is in the file."""
    committer: str
    """Committer email, as recorded."""
    author: str
    """Author email, as recorded."""
    time: datetime
    """Committer time: chosen by whoever committed, so evidence, not proof."""
    changes: list[FileChange] = field(default_factory=list)
    """Files the commit changed (for a merge, only those it changed itself)."""

    @property
    def is_merge(self) -> bool:
        """Whether this is a merge commit."""
        return len(self.parents) > 1


def read_commits(root: Path, revision: str, allowed_signers: Path) -> list[Commit]:
    """Every commit of `revision` (a range such as `A..HEAD`, or a commit), children before parents.

    `allowed_signers` is the file git checks signatures against. Raises UsageError when git does
    not know the range.
    """
    result = git.run(
        root,
        [
            "log",
            "--topo-order",
            "--no-abbrev",
            "--root",
            "--cc",
            "--raw",
            *log_options(_FIELDS),
            "--end-of-options",
            revision,
        ],
        config={"gpg.ssh.allowedSignersFile": str(allowed_signers), "log.showSignature": "false"},
        paths=(),
    )
    if result.returncode != 0:
        reason = git.message(result, default="git log failed")
        raise UsageError(f"'{revision}' is not a range of commits in this repository ({reason})")
    return parse(git.decode(result.stdout))


def parse(text: str) -> list[Commit]:
    """Commits from the pass's `-z` output (exposed for tests of odd file names)."""
    commits: list[Commit] = []
    for fields, token, path in walk_log(text, len(_FIELDS), lambda token: token.startswith(":")):
        if fields is None:
            commits[-1].changes.append(_change(token, path))
            continue
        commit_id, parents, status, key, key_fingerprint, principal, committer, author, when = fields
        commits.append(
            Commit(
                id=commit_id,
                parents=tuple(parents.split()),
                status=status,
                key=key or key_fingerprint,
                principal=principal,
                committer=committer,
                author=author,
                time=datetime.fromisoformat(when),
            )
        )
    return commits


def _change(meta: str, path: str) -> FileChange:
    """A raw line: `:old new oldid newid S` (one commit) or `::m1 m2 m ids... SS` (a merge)."""
    parts = meta.lstrip(":").split()
    status = parts[-1]
    new_blob = parts[-2]
    return FileChange(path, status, None if _ZERO.fullmatch(new_blob) else new_blob)
