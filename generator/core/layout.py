"""The repository's layout: which kind of document a path holds, and what the path says about it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

TOP_FOLDERS = ("panels", "cases", "decisions")
"""The folders that hold documents; everything else in the repository is machinery."""
IGNORED_NAMES = frozenset({"README.md", ".gitkeep"})
"""Files allowed anywhere in the document folders and never read as documents."""
ROSTER_PATH = "panels/roster.yml"
AUTHORITY_PATH = "panels/authority.yml"

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_ID = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
_VERSION = r"[2-9]|[1-9][0-9]{1,2}"
"""A correction's version number: 2 to 999 (the original sheet is version 1 and carries none)."""
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("panel", re.compile(rf"panels/(?P<panel>{_SLUG})\.md", re.ASCII)),
    ("case", re.compile(rf"cases/(?P<case>{_ID})/case\.md", re.ASCII)),
    ("referral", re.compile(rf"cases/(?P<case>{_ID})/referrals/(?P<date>{_DATE})-(?P<panel>{_SLUG})\.md", re.ASCII)),
    ("meeting", re.compile(rf"decisions/(?P<panel>{_SLUG})/(?P<date>{_DATE})/meeting\.md", re.ASCII)),
    ("record", re.compile(rf"decisions/(?P<panel>{_SLUG})/(?P<date>{_DATE})/records/(?P<name>{_SLUG})\.md", re.ASCII)),
    (
        "decision",
        re.compile(
            rf"decisions/(?P<panel>{_SLUG})/(?P<date>{_DATE})/(?P<case>{_ID})(?:\.v(?P<version>{_VERSION}))?\.md",
            re.ASCII,
        ),
    ),
)
MAX_COMPONENT = 100
"""Longest file or folder name accepted (longer names fail to check out on some systems)."""


class Kind(StrEnum):
    """What a file in the repository is."""

    AUTHORITY = "authority"
    """The authority's settings."""
    ROSTER = "roster"
    """The roster of people."""
    PANEL = "panel"
    """A panel's terms of reference."""
    CASE = "case"
    """A case file."""
    REFERRAL = "referral"
    """A referral to a panel."""
    MEETING = "meeting"
    """A meeting record."""
    DECISION = "decision"
    """A decision sheet."""
    RECORD = "record"
    """A later, append-only record."""


@dataclass(frozen=True, slots=True)
class Location:
    """What a path says: its kind and the ids and date in its name."""

    path: str
    kind: Kind
    panel: str | None = None
    case: str | None = None
    date: date | None = None
    name: str | None = None
    version: int = 1
    """A decision sheet's version at its meeting: 1 for the original, 2 and up for corrections."""


def classify(path: str) -> Location | None:
    """The document a repository-relative POSIX path holds, or None if the layout has no place for it."""
    if path == ROSTER_PATH:
        return Location(path, Kind.ROSTER)
    if path == AUTHORITY_PATH:
        return Location(path, Kind.AUTHORITY)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        groups = match.groupdict()
        try:
            when = date.fromisoformat(groups["date"]) if groups.get("date") else None
        except ValueError:
            return None
        version = int(groups["version"]) if groups.get("version") else 1
        return Location(path, Kind(kind), groups.get("panel"), groups.get("case"), when, groups.get("name"), version)
    return None


def is_document_path(path: str) -> bool:
    """Whether the path lies in a document folder and is not an ignored helper file."""
    parts = path.split("/")
    return len(parts) > 1 and parts[0] in TOP_FOLDERS and parts[-1] not in IGNORED_NAMES


def fold_twins(paths: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Paths that a case-insensitive or Unicode-normalising checkout would merge with an earlier one.

    Each later path (in sorted order) maps to its part that collides and the earlier spelling of
    that part, compared folder by folder: `cases/ab1/case.md` collides with `cases/AB1/case.md`,
    and `cases/ab1/referrals/2026-03-09-tp.md` with the folder `cases/AB1` (the same folder there).
    """
    spelling: dict[str, str] = {}
    twins: dict[str, tuple[str, str]] = {}
    for path in sorted(paths):
        parts = path.split("/")
        for end in range(1, len(parts) + 1):
            prefix = "/".join(parts[:end])
            earlier = spelling.setdefault(unicodedata.normalize("NFC", prefix).casefold(), prefix)
            if earlier != prefix:
                twins[path] = (prefix, earlier)
                break
    return twins


def case_folder(case_id: str) -> str:
    """The folder of a case."""
    return f"cases/{case_id}"


def referral_path(case_id: str, meeting: date, panel_id: str) -> str:
    """Where a referral of this case to this meeting lives."""
    return f"cases/{case_id}/referrals/{meeting.isoformat()}-{panel_id}.md"


def decision_path(panel_id: str, meeting: date, case_id: str, version: int = 1) -> str:
    """Where a case's decision sheet at a meeting lives: `<case>.md`, or `<case>.v<n>.md` for the n-th version."""
    suffix = "" if version == 1 else f".v{version}"
    return f"{meeting_folder(panel_id, meeting)}/{case_id}{suffix}.md"


def meeting_folder(panel_id: str, meeting: date) -> str:
    """The folder of one meeting's records."""
    return f"decisions/{panel_id}/{meeting.isoformat()}"
