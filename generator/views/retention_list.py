"""What `panel retention` lists: each case due (or soon due) for review or destruction, and what to do.

Case ids only, never names. The dates come from `generator.schedule.retention`; this module adds
the words: what destruction means in this system, what a review is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.loading.repository import Repository
from generator.models.retention import EndAction, Erasure, Retention
from generator.schedule.retention import CaseRetention, Standing, add_months, retention_schedule

LISTED = (Standing.DUE, Standing.HELD, Standing.UPCOMING, Standing.NO_RULE, Standing.ERASED)
"""Standings listed by default; `--all` lists the kept and open cases too."""


@dataclass(frozen=True, slots=True)
class RetentionList:
    """The list as of a date."""

    as_of: date
    window_end: date
    confirmed_by: str | None
    entries: tuple[CaseRetention, ...]
    erased_elsewhere: tuple[Erasure, ...]
    """Ledger entries whose case's files are no longer in the repository (nothing left to do)."""
    kept: int
    open: int


def retention_list(
    repo: Repository,
    settings: Retention,
    *,
    as_of: date,
    erasures: dict[str, Erasure],
    window_months: int | None = None,
    every_case: bool = False,
) -> RetentionList:
    """The cases to act on as of `as_of` (all of them with `every_case`)."""
    months = settings.review_window_months if window_months is None else window_months
    if window_months is not None:
        settings = settings.model_copy(update={"review_window_months": months})
    schedule = retention_schedule((doc.model for doc in repo.cases.values()), settings, as_of=as_of, erasures=erasures)
    shown = tuple(r for r in schedule if every_case or r.standing in LISTED)
    return RetentionList(
        as_of=as_of,
        window_end=add_months(as_of, months),
        confirmed_by=settings.confirmed_by,
        entries=shown,
        erased_elsewhere=tuple(e for case, e in sorted(erasures.items()) if case not in repo.cases),
        kept=sum(1 for r in schedule if r.standing is Standing.KEPT),
        open=sum(1 for r in schedule if r.standing is Standing.OPEN),
    )


def what_to_do(entry: CaseRetention) -> str:
    """The step to take for a listed case, in words (ids and commands only)."""
    case = entry.case
    destroy = (
        f"run `panel erase {case} --by YOU{' --rule ' + entry.governing.kind if entry.governing else ''}` "
        f"(destroys the case's text key: its sealed narrative can no longer be read in any clone, fork or backup), "
        f"then `git rm -r cases/{case}` and the case's decision sheets and records, commit both, and ask the "
        "records team to destroy the case-management system's copy"
    )
    if entry.standing is Standing.ERASED and entry.erasure is not None:
        return (
            f"key destroyed on {entry.erasure.key_destroyed.isoformat()}; the case's files are still in the "
            f"repository: `git rm -r cases/{case}` and its decision sheets and records"
        )
    if entry.standing is Standing.NO_RULE:
        missing = ", ".join(b.kind for b in entry.bases if b.rule is None)
        return f"add a retention rule for {missing} (the information governance lead sets the period)"
    if entry.standing is Standing.HELD and entry.hold is not None:
        until = entry.hold.until.isoformat() if entry.hold.until else "it is lifted"
        return f"on hold until {until}: do not destroy; review the hold then"
    if entry.standing is Standing.OPEN:
        return "open: not counted until the case closes"
    if entry.standing is Standing.KEPT:
        return "kept: nothing to do yet" if entry.due else "kept: counted once the case closes or a birth is recorded"
    if entry.action is EndAction.DESTROY:
        prefix = "destroy" if entry.standing is Standing.DUE else "destroy when due"
        return f"{prefix}: {destroy}"
    prefix = "review" if entry.standing is Standing.DUE else "review when due"
    return (
        f"{prefix}: the information governance lead decides to keep the record longer (add a hold with a review "
        f"date in retention.holds) or to destroy it: {destroy}"
    )
