"""The orchestrator: everything a command needs, gathered once into one `Workspace`.

load (files → validated models, indexed) → calendar (the authority's working days) → history
(one pass over `git log`) → arrivals (when each referral entered the repository) → check (every
rule) → schedule (each panel's next meetings). `panel check`, `panel build`, `panel serve` and the
benchmark call `gather`; the pre-receive hook runs `panel check`. Nothing else loads the
repository or walks history for them.

With `base` (a pull request's check), only the documents the change touches are loaded and only
the diagnostics it causes are kept, and what the branch does to its base is judged too.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from generator.audit.provenance import Histories, read_histories
from generator.checks.every_rule import check_against_base, check_repository
from generator.checks.personal_data import check_paths, finder
from generator.core.diagnostics import Diagnostic
from generator.core.layout import Kind, classify
from generator.git.history import added_paths, arrival_of, changed_paths, read_history, uncommitted_paths
from generator.loading.repository import Repository, document_paths, load_repository
from generator.loading.sealed_text import KeyRing, read_erasures, unseal_repository
from generator.pipeline.scope import affected_paths, depends_on, unloaded_targets
from generator.pipeline.workspace import Workspace
from generator.schedule.local_time import LOCAL_TIME
from generator.schedule.meetings import upcoming_meetings
from generator.schedule.workdays import WorkingCalendar


def gather(
    root: Path,
    *,
    as_of: date,
    as_of_time: datetime | None = None,
    base: str | None = None,
    branch: str | None = None,
    signatures: bool = False,
    keys: KeyRing | None = None,
) -> Workspace:
    """The repository at `root` and everything the pipeline finds in it, as of `as_of`.

    `as_of_time` is the moment of the check (default: midday UK time on `as_of`): files not yet
    committed, and those a pull request adds, arrive then. With `base`, only what changed since
    it and what that affects is checked (see `generator.pipeline.scope`), and the branch's commit
    messages and name (`branch`, default: the branch checked out) are searched for every child's
    and staff member's name and every child's date of birth. With `signatures`, the
    history pass also reads each commit's signature and the seals, for the pages that show them.
    Raises UsageError (never a traceback) when git refuses, e.g. an unknown `base`.
    Sealed narrative is opened with `keys` (the per-case text keys; none: each sealed section shows a notice).
    """
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
    if only is not None and unloaded_targets(repo):
        only |= unloaded_targets(repo)
        repo, problems = load_repository(root, only=only)
    repo, problems = _unsealed(repo, problems, keys)
    calendar = WorkingCalendar.for_authority(repo.authority) if repo.authority else WorkingCalendar()
    histories = _histories(repo, signatures)
    if histories.shallow:
        notes.append("this is a shallow clone: arrival times may be wrong; fetch the full history")
    arrivals = {
        doc.path: arrival_of(histories.history, doc.path, histories.uncommitted, now, entering=entering)
        for doc in repo.referrals
    }
    found = set(problems) | set(check_repository(repo, as_of=as_of, arrivals=arrivals, calendar=calendar))
    diagnostics: list[Diagnostic] = sorted(found)
    if only is not None:
        diagnostics = [x for x in diagnostics if x.path in changed or (x.path in only and depends_on(x.path, changed))]
    if base is not None:
        people = repo if only is None else _people(root)
        found_in = finder(people)
        on_branch = check_against_base(root, base, people=found_in, branch=branch)
        in_paths = [x for x in check_paths(repo, found_in) if x.path in changed]
        diagnostics = sorted(set(diagnostics) | set(on_branch) | set(in_paths))
    return Workspace(
        repo,
        tuple(diagnostics),
        as_of,
        upcoming=upcoming_meetings(repo.panels, calendar, as_of),
        calendar=calendar,
        arrivals=arrivals,
        histories=histories,
        notes=tuple(notes),
    )


def _unsealed(
    repo: Repository, problems: list[Diagnostic], keys: KeyRing | None
) -> tuple[Repository, list[Diagnostic]]:
    """The repository with its sealed narrative opened where the key is present (docs/retention.md)."""
    erasures, ledger_problems = read_erasures(repo.root)
    unsealed, found = unseal_repository(repo, keys or KeyRing(None), erasures)
    return unsealed, [*problems, *ledger_problems, *found]


def _people(root: Path) -> Repository:
    """The cases and the roster alone: every name and date of birth a branch's text must not hold."""
    paths, _ = document_paths(root, tops=("cases",))
    cases = {p for p in paths if (location := classify(p)) is not None and location.kind is Kind.CASE}
    repo, _ = load_repository(root, only=cases)
    return repo


def check_time(as_of: date) -> datetime:
    """The moment a check "as of" a date happens: midday, UK time."""
    return datetime.combine(as_of, time(12, 0), LOCAL_TIME)


def _histories(repo: Repository, signatures: bool) -> Histories:
    """The one pass over git: with signatures and seals for the site, without them for a check."""
    audit_start = repo.authority.audit_start if repo.authority else None
    if signatures:
        return read_histories(repo.root, audit_start)
    history = read_history(repo.root, audit_start)
    return Histories(history, uncommitted=frozenset(uncommitted_paths(repo.root)))
