"""Nothing rewritten: what was final at the base stays exactly as it was.

An approved decision sheet, an approved meeting record, a referral the panel has heard and any
record under `records/` are never edited or deleted; corrections arrive as new files. The base's
versions are read at the point where the branch left the base, through one `git cat-file --batch`
process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import Kind, Location, classify, meeting_folder
from generator.git.branch_changes import BranchChanges
from generator.git.runner import BlobReader
from generator.loading.safe_yaml import read_markdown

_APPROVED = "approved"


def check_immutability(root: Path, changes: BranchChanges, reader: BlobReader) -> list[Diagnostic]:
    """A diagnostic for each final document (at the base) that the branch edits or deletes."""
    found: list[Diagnostic] = []
    for path, status in sorted(changes.status.items()):
        location = classify(path)
        if status == "A" or location is None:
            continue
        before = reader.read(f"{changes.fork}:{path}")
        if before is None:
            continue
        final = _why_final(location, before, changes.fork, reader)
        if final is None:
            continue
        rule, what, hint = final
        line = 0 if status == "D" else _first_difference(before, root / path)
        done = "deleted" if status == "D" else "edited"
        found.append(d.make(rule, path, line, f"{what} at the base ({changes.fork[:12]}) and has been {done}", hint))
    return found


def _why_final(location: Location, before: bytes, fork: str, reader: BlobReader) -> tuple[d.Rule, str, str] | None:
    restore = f"restore it with `git restore --source={fork[:12]} -- {location.path}`"
    if location.kind is Kind.DECISION and _front_matter(location.path, before).get("status") == _APPROVED:
        return (
            d.APPROVED_DECISION_CHANGED,
            "this decision sheet was approved",
            f"{restore}; to correct it, add a new decision sheet with `supersedes: {location.path}`",
        )
    if location.kind is Kind.MEETING and _front_matter(location.path, before).get("status") == _APPROVED:
        return (
            d.APPROVED_MINUTES_CHANGED,
            "these minutes were approved",
            f"{restore}; record what happened since as a new file under records/",
        )
    if location.kind is Kind.RECORD:
        return (
            d.RECORD_CHANGED,
            "this record was committed",
            f"{restore}; add a new record for what has happened since",
        )
    if location.kind is Kind.REFERRAL and location.panel and location.date and location.case:
        folder = meeting_folder(location.panel, location.date)
        meeting_path = f"{folder}/meeting.md"
        meeting = reader.read(f"{fork}:{meeting_path}")
        heard = _front_matter(meeting_path, meeting).get("heard") if meeting is not None else None
        listed = isinstance(heard, list) and location.case in {str(case) for case in heard}
        if listed or reader.read(f"{fork}:{folder}/{location.case}.md") is not None:
            return (
                d.HEARD_REFERRAL_CHANGED,
                f"the {location.panel} meeting of {location.date} heard this referral",
                f"{restore}; send new information in a new referral to a later meeting",
            )
    return None


def _front_matter(path: str, raw: bytes) -> dict[str, Any]:
    """The base version's fields, read leniently: a protected file stays protected even if it fails validation."""
    parsed, _ = read_markdown(path, raw)
    return parsed.data if parsed is not None else {}


def _first_difference(before: bytes, now: Path) -> int:
    """The 1-based line of the working tree's file where it first differs from `before` (1 if unreadable)."""
    try:
        after = now.read_bytes()
    except OSError:
        return 1
    old, new = before.split(b"\n"), after.split(b"\n")
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return index + 1
    return min(len(old), len(new))
