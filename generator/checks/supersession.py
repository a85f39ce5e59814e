"""Supersession links, both ways: each decision is replaced at most once, by a sheet of its own panel and case.

A numbered correction at a meeting (`<case>.v<n>.md`) supersedes the version just before it, so the
versions of a meeting's decision form one line.

A link to a decision that does not exist is `unknown-reference`, reported by the link stage.
"""

from __future__ import annotations

from collections import defaultdict

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import decision_path
from generator.loading.repository import Doc, Repository
from generator.models import Decision, Status


def check_supersession(repo: Repository) -> list[Diagnostic]:
    """Every supersession problem among the decisions loaded."""
    by_path = repo.decision_by_path
    found: list[Diagnostic] = []
    replacements: dict[str, list[Doc[Decision]]] = defaultdict(list)
    for doc in repo.decisions:
        found += _out_of_line(doc)
        target = by_path.get(doc.model.supersedes or "")
        if target is None:
            continue
        replacements[target.path].append(doc)
        found += _mismatch(doc, target)
        if target.model.status is Status.DRAFT:
            found.append(
                _at_link(
                    d.DRAFT_SUPERSEDED,
                    doc,
                    f"'{target.path}' is a draft, and only approved decisions are superseded",
                    f"edit {target.path} instead and remove this sheet's `supersedes:`",
                )
            )
    for target_path, docs in replacements.items():
        if len(docs) > 1:
            for doc in docs:
                others = ", ".join(sorted(o.path for o in docs if o is not doc))
                found.append(
                    _at_link(
                        d.SUPERSEDED_TWICE,
                        doc,
                        f"'{target_path}' is also superseded by {others}",
                        "supersede the latest sheet in the chain, so that one decision replaces another",
                    )
                )
    found += _loops(repo)
    return found


def _mismatch(doc: Doc[Decision], target: Doc[Decision]) -> list[Diagnostic]:
    new, old = doc.model, target.model
    if (new.panel, new.case) == (old.panel, old.case):
        return []
    return [
        _at_link(
            d.SUPERSESSION_MISMATCH,
            doc,
            f"'{target.path}' is panel {old.panel}'s decision about case {old.case}, "
            f"but this sheet is panel {new.panel}'s about case {new.case}",
            "supersede a decision of the same panel about the same case",
        )
    ]


def _out_of_line(doc: Doc[Decision]) -> list[Diagnostic]:
    location = doc.location
    if location.version == 1 or location.panel is None or location.date is None or location.case is None:
        return []
    before = decision_path(location.panel, location.date, location.case, location.version - 1)
    if doc.model.supersedes == before:
        return []
    named = f"names '{doc.model.supersedes}'" if doc.model.supersedes else "has no `supersedes:`"
    line = doc.line("supersedes") if doc.model.supersedes else 1
    return [
        d.make(
            d.CORRECTION_OUT_OF_LINE,
            doc.path,
            line,
            f"this is version {location.version} of the decision, and it {named}: it corrects the version before it",
            f"write `supersedes: {before}`",
        )
    ]


def _loops(repo: Repository) -> list[Diagnostic]:
    by_path = repo.decision_by_path
    cycles: dict[str, list[str]] = {}
    for start in repo.decisions:
        seen: list[str] = []
        path: str | None = start.path
        while path is not None and path in by_path and path not in seen and path not in cycles:
            seen.append(path)
            path = by_path[path].model.supersedes
        if path is not None and path in seen:
            cycle = seen[seen.index(path) :]
            cycles.update((member, cycle) for member in cycle)
    return [
        _at_link(
            d.SUPERSESSION_LOOP,
            by_path[path],
            f"`supersedes:` links go round in a circle: {' -> '.join([*cycle, cycle[0]])}",
            "correct the `supersedes:` of the sheet added last, so that the chain ends at the original decision",
        )
        for path, cycle in sorted(cycles.items())
    ]


def _at_link(rule: d.Rule, doc: Doc[Decision], message: str, hint: str) -> Diagnostic:
    return d.make(rule, doc.path, doc.line("supersedes"), message, hint)
