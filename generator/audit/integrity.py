"""Are a range's objects intact? Each object a range brings is read once and hashed again.

`git fsck --full` re-hashes every object in the repository, which on a large council's history
(tens of thousands of commits) takes minutes: too long for every pull request and every push.
A range (`A..B`) brings only its own commits, trees and blobs, so those are listed with one
`git rev-list --objects` and read through one `git cat-file --batch` process; an object whose
content no longer hashes to its id has been altered inside `.git/objects`. Verification without
a range still runs the whole `git fsck`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.git import runner as git
from generator.git.runner import BlobReader


@dataclass(frozen=True, slots=True)
class Damage:
    """One object that is missing or no longer matches its id."""

    object_id: str
    """The object's id."""
    path: str | None
    """The path rev-list names the object by (trees and blobs), if any."""
    problem: str
    """What is wrong, in words."""


def damaged_objects(root: Path, revision: str, reader: BlobReader) -> list[Damage]:
    """The objects of `revision` (a range) that are missing or altered; an empty list when all are intact."""
    listing = git.run(root, ["rev-list", "--objects", "--end-of-options", revision])
    if listing.returncode != 0:
        return [Damage("", None, f"git rev-list could not walk {revision}: {git.message(listing)}")]
    found: list[Damage] = []
    for line in git.decode(listing.stdout).splitlines():
        object_id, _, path = line.partition(" ")
        read = reader.read_object(object_id)
        if read is None:
            found.append(Damage(object_id, path or None, "the object is missing"))
            continue
        kind, content = read
        digest = hashlib.new("sha1" if len(object_id) == 40 else "sha256")
        digest.update(f"{kind} {len(content)}\0".encode("ascii") + content)
        if digest.hexdigest() != object_id:
            found.append(Damage(object_id, path or None, f"the {kind}'s content no longer matches its id"))
    return found
