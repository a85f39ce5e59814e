"""The orchestrator of `panel check`: load, link, check; optionally only what a change affects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from generator.checks.capacity import check_capacity
from generator.checks.completeness import check_completeness
from generator.checks.example_keys import check_example_keys
from generator.checks.immutability import check_immutability
from generator.checks.links import check_links
from generator.checks.machinery import check_machinery
from generator.checks.meetings import check_meetings
from generator.checks.supersession import check_supersession
from generator.checks.timeliness import LOCAL_TIME, check_timeliness
from generator.core.diagnostics import Diagnostic
from generator.core.layout import ROSTER_PATH, Kind, classify, meeting_folder
from generator.git.branch_changes import read_branch
from generator.git.history import History, added_paths, arrival_of, changed_paths, read_history, uncommitted_paths
from generator.git.runner import BlobReader
from generator.loading.repository import Repository, load_repository
from generator.schedule.workdays import WorkingCalendar


@dataclass(frozen=True)
class CheckResult:
    """What `panel check` found."""

    diagnostics: list[Diagnostic]
    """Every problem, sorted by path, line and code."""
    checked: int
    """How many documents were read."""
    notes: tuple[str, ...] = ()
    """Remarks about how the check ran (a shallow clone, a full check forced by a settings change)."""


def check_repository(
    repo: Repository, *, as_of: date, arrivals: Mapping[str, datetime | None] | None = None
) -> list[Diagnostic]:
    """Every rule over a loaded repository. `arrivals` gives each referral's arrival time (None: not judged)."""
    cal = WorkingCalendar.for_authority(repo.authority) if repo.authority else WorkingCalendar()
    found = check_links(repo)
    found += check_completeness(repo)
    found += check_timeliness(repo, cal, as_of=as_of, arrivals=arrivals or {})
    found += check_meetings(repo)
    found += check_capacity(repo, arrivals or {})
    found += check_supersession(repo)
    found += check_example_keys(repo)
    return sorted(set(found))


def run_check(root: Path, *, as_of: date, as_of_time: datetime | None = None, base: str | None = None) -> CheckResult:
    """Check the repository at `root` as of a date; with `base`, only what changed since it and what that affects."""
    now = as_of_time or check_time(as_of)
    notes: list[str] = []
    only: set[str] | None = None
    changed: set[str] = set()
    entering: set[str] = set()
    if base is not None:
        changed = changed_paths(root, base)
        # A pull request's new files arrive when they are checked, not at a committer-chosen date.
        entering = added_paths(root, base)
        only = affected_paths(root, changed)
        if only is None:
            notes.append("settings or a panel's terms changed: every document was checked")
    repo, problems = load_repository(root, only=only)
    if only is not None and _unloaded_targets(repo):
        only |= _unloaded_targets(repo)
        repo, problems = load_repository(root, only=only)
    arrivals, history = referral_arrivals(repo, now, entering=entering)
    if history.shallow:
        notes.append("this is a shallow clone: arrival times may be wrong; fetch the full history")
    found = sorted(set(problems) | set(check_repository(repo, as_of=as_of, arrivals=arrivals)))
    if only is not None:
        found = [x for x in found if x.path in changed or (x.path in only and _depends_on(x.path, changed))]
    if base is not None:
        found = sorted(set(found) | set(check_against_base(root, base)))
    return CheckResult(found, len(repo.paths), tuple(notes))


def check_against_base(root: Path, base: str) -> list[Diagnostic]:
    """What a branch may not do to its base: rewrite what was final, or change machinery or roles unless a maintainer.

    A constant number of git calls (see `generator.git.branch_changes`) and one `git cat-file --batch` process.
    """
    changes = read_branch(root, base)
    roster = root / ROSTER_PATH
    raw = roster.read_bytes() if roster.is_file() and not roster.is_symlink() else None
    with BlobReader(root) as reader:
        return check_immutability(root, changes, reader) + check_machinery(raw, changes, reader)


def check_time(as_of: date) -> datetime:
    """The moment a check "as of" a date happens: midday, UK time."""
    return datetime.combine(as_of, time(12, 0), LOCAL_TIME)


def referral_arrivals(
    repo: Repository, now: datetime, *, entering: Iterable[str] = ()
) -> tuple[dict[str, datetime | None], History]:
    """When each referral entered the repository (None: not judged), from one pass over history."""
    history = read_history(repo.root, repo.authority.audit_start if repo.authority else None)
    uncommitted = uncommitted_paths(repo.root)
    arrivals = {doc.path: arrival_of(history, doc.path, uncommitted, now, entering=entering) for doc in repo.referrals}
    return arrivals, history


def affected_paths(root: Path, changed: Iterable[str]) -> set[str] | None:
    """The documents to read to check a change; None when the change affects everything."""
    wanted: set[str] = set()
    for path in changed:
        location = classify(path)
        if location is None:
            if path.startswith(("panels/", "cases/", "decisions/")):
                wanted.add(path)
            continue
        if location.kind in (Kind.PANEL, Kind.ROSTER, Kind.AUTHORITY):
            return None
        wanted.add(path)
        if location.case:
            wanted.add(f"cases/{location.case}/case.md")
        if location.kind is Kind.DECISION and location.case:
            # Supersession links stay within a case: its other decisions (and their meetings) are what they point at.
            versions = root.glob(f"decisions/*/*/{location.case}.v*.md")
            for other in [*root.glob(f"decisions/*/*/{location.case}.md"), *versions]:
                folder = other.parent.relative_to(root).as_posix()
                wanted.update((f"{folder}/{other.name}", f"{folder}/meeting.md"))
        if location.kind is Kind.CASE and location.case:
            wanted.update(_under(root, f"cases/{location.case}/referrals"))
        if location.panel and location.date and location.kind in (Kind.DECISION, Kind.RECORD, Kind.MEETING):
            folder = meeting_folder(location.panel, location.date)
            wanted.update(_under(root, folder))
            heard = (classify(p) for p in _under(root, folder))
            wanted.update(f"cases/{h.case}/case.md" for h in heard if h is not None and h.case)
    return {p for p in wanted if (root / p).is_file()}


def _unloaded_targets(repo: Repository) -> set[str]:
    """Decisions that loaded decisions supersede but a partial load left out (another case's, by mistake)."""
    named = {doc.model.supersedes for doc in repo.decisions if doc.model.supersedes}
    return {
        path
        for path in named
        if path not in repo.decision_by_path and _is_decision(path) and (repo.root / path).is_file()
    }


def _is_decision(path: str) -> bool:
    location = classify(path)
    return location is not None and location.kind is Kind.DECISION


def _under(root: Path, folder: str) -> set[str]:
    base = root / folder
    if not base.is_dir() or base.is_symlink():
        return set()
    return {p.relative_to(root).as_posix() for p in base.rglob("*.md") if p.is_file() and not p.is_symlink()}


def _depends_on(path: str, changed: set[str]) -> bool:
    """Whether a diagnostic on an unchanged document is caused by the change (same case or meeting)."""
    location = classify(path)
    if location is None:
        return False
    for other in changed:
        other_location = classify(other)
        if other_location is None:
            continue
        if location.case and location.case == other_location.case:
            return True
        if (
            location.panel
            and location.date
            and (location.panel, location.date)
            == (
                other_location.panel,
                other_location.date,
            )
        ):
            return True
    return False
