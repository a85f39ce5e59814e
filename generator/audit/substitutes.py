"""Replace refs and grafts: what would make plain git show another history than the objects hold.

`panel` never reads them (`generator.git.runner` passes `--no-replace-objects`, sets
`GIT_NO_REPLACE_OBJECTS` and points `GIT_GRAFT_FILE` at a path that cannot exist), but anyone
reading the repository with plain git would: `git log` would hide a commit, `git show` would print
a substitute decision. So `panel verify` refuses a repository that has them, in two git calls.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.git import runner as git

REPLACE_PREFIX = "refs/replace/"
"""Where git looks for replace refs (unless GIT_REPLACE_REF_BASE says otherwise)."""


def replace_refs(root: Path) -> list[str]:
    """Every ref under `refs/replace/` (and under `$GIT_REPLACE_REF_BASE`, when it is set), sorted."""
    bases = [REPLACE_PREFIX]
    other = os.environ.get("GIT_REPLACE_REF_BASE", "")
    if other and other != REPLACE_PREFIX:
        bases.append(other)
    return sorted(set(git.output(root, ["for-each-ref", "--format=%(refname)", *bases]).split()))


def graft_files(root: Path) -> list[Path]:
    """The grafts files plain git would read here: the repository's `info/grafts`, and `$GIT_GRAFT_FILE`."""
    common = git.output(root, ["rev-parse", "--path-format=absolute", "--git-common-dir"]).strip()
    found = [Path(common) / "info" / "grafts"]
    given = os.environ.get("GIT_GRAFT_FILE")
    if given:
        found.append(Path(given))
    return [path for path in dict.fromkeys(found) if path.is_file()]
