"""Every rule at once: the checks over a loaded repository, and what a branch may not do to its base."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from generator.checks.audiences import check_audiences
from generator.checks.capacity import check_capacity
from generator.checks.completeness import check_completeness
from generator.checks.example_keys import check_example_keys
from generator.checks.immutability import check_immutability
from generator.checks.links import check_links
from generator.checks.machinery import check_machinery
from generator.checks.meetings import check_meetings
from generator.checks.personal_data import Finder, check_branch, check_paths, finder
from generator.checks.retention import check_retention
from generator.checks.supersession import check_supersession
from generator.checks.timeliness import check_timeliness
from generator.core.diagnostics import Diagnostic
from generator.core.layout import ROSTER_PATH
from generator.git.branch_changes import read_branch
from generator.git.runner import BlobReader
from generator.loading.repository import Repository, symlinked_part
from generator.schedule.workdays import WorkingCalendar


def check_repository(
    repo: Repository,
    *,
    as_of: date,
    arrivals: Mapping[str, datetime | None] | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Diagnostic]:
    """Every rule over a loaded repository, sorted. `arrivals` gives each referral's arrival time (None: not judged).

    `calendar` is the authority's working days (default: worked out from the repository's settings).
    """
    if calendar is None:
        calendar = WorkingCalendar.for_authority(repo.authority) if repo.authority else WorkingCalendar()
    found = check_links(repo)
    found += check_completeness(repo)
    found += check_timeliness(repo, calendar, as_of=as_of, arrivals=arrivals or {})
    found += check_meetings(repo)
    found += check_capacity(repo, arrivals or {})
    found += check_supersession(repo)
    found += check_example_keys(repo)
    found += check_paths(repo, finder(repo))
    found += check_retention(repo)
    found += check_audiences(repo)
    return sorted(set(found))


def check_against_base(
    root: Path, base: str, *, people: Finder | None = None, branch: str | None = None
) -> list[Diagnostic]:
    """What a branch may not do to its base: rewrite what was final, or change machinery or roles unless a maintainer.

    With `people` (the names and dates of birth the repository holds), the branch's commit messages
    and its name (`branch`, default: the branch checked out) are searched for them too.
    A constant number of git calls (see `generator.git.branch_changes`) and one `git cat-file --batch` process.
    """
    changes = read_branch(root, base)
    roster = root / ROSTER_PATH
    raw = roster.read_bytes() if roster.is_file() and symlinked_part(root, ROSTER_PATH) is None else None
    found = check_branch(changes, branch or changes.branch, people) if people is not None else []
    with BlobReader(root) as reader:
        return found + check_immutability(root, changes, reader) + check_machinery(raw, changes, reader)
