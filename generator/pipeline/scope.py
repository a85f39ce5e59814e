"""What a change touches: the documents `panel check --changed` must read, and the diagnostics it reports.

A change to one referral is checked with its case file, its meeting's other documents and the
decisions of its case (supersession links stay within a case); a change to a panel's terms, the
roster or the authority's settings affects everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.core.layout import Kind, classify, meeting_folder
from generator.loading.repository import Repository


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


def unloaded_targets(repo: Repository) -> set[str]:
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


def depends_on(path: str, changed: set[str]) -> bool:
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
