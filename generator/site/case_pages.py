"""The cases index, a page per case and the problems page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from generator.core.diagnostics import Diagnostic
from generator.core.layout import case_folder, classify
from generator.loading.repository import Doc
from generator.models import Case
from generator.models.panel import (
    Milestone,
)
from generator.pipeline.workspace import Workspace
from generator.site.pages import Page
from generator.site.paths import (
    CASES,
    PROBLEMS,
    case_page,
    case_page_ids,
    decision_anchor,
    has_case_page,
    panel_page,
    places,
    referral_anchor,
)
from generator.site.templates import Renderer
from generator.views.timeline import case_timeline
from generator.views.trackers import replaced_decision, replacing_decision
from generator.views.words import child_age, document_name, ground_label, outcome_names, request_name


def case_pages(r: Renderer) -> Iterator[Page]:
    """The cases index and one page per case (named by case id), a case whose file cannot be read included."""
    data = r.data
    ids = sorted(case_page_ids(data))
    rows = [
        (
            case_id,
            _model(data.repo.cases.get(case_id)),
            len(data.referrals.get(case_id, ())),
            len(data.by_case.get(case_id, ())),
        )
        for case_id in ids
    ]
    yield r.page("cases.md.j2", CASES, "Cases", rows=rows, case_page=case_page)
    for case_id in ids:
        yield _case(r, case_id, data.repo.cases.get(case_id))


def _model(doc: Doc[Case] | None) -> Case | None:
    return doc.model if doc is not None else None


def _case(r: Renderer, case_id: str, doc: Doc[Case] | None) -> Page:
    data = r.data
    case = _model(doc)
    case_path = doc.path if doc is not None else f"{case_folder(case_id)}/case.md"
    referrals = [(ref, data.repo.panels.get(ref.model.panel)) for ref in data.referrals.get(case_id, ())]
    decisions = [(dec, data.repo.panels.get(dec.model.panel)) for dec in data.decisions.get(case_id, ())]
    shown = {case_path} | {ref.path for ref, _ in referrals} | {dec.path for dec, _ in decisions}
    unread: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in data.by_case.get(case_id, ()):
        if diagnostic.path not in shown:
            unread[diagnostic.path].append(diagnostic)
    page = r.page(
        "case.md.j2",
        case_page(case_id),
        f"Case {case_id}",
        case_id=case_id,
        case_path=case_path,
        case=case,
        children=[(child, child_age(child, data.as_of, data.audience.birth)) for child in case.children]
        if case
        else [],
        child_names=lambda ids: ", ".join(_child_name(case, i) for i in ids) if ids else "all",
        referrals=referrals,
        decisions=decisions,
        unread=sorted(unread.items()),
        referral_anchor=referral_anchor,
        decision_anchor=decision_anchor,
        replaced_by=partial(replacing_decision, data),
        replaces=partial(replaced_decision, data),
        panel_page=panel_page,
        milestone_label=lambda m: Milestone(m).value.replace("-", " "),
        request_name=request_name,
        document_name=document_name,
        outcome_names=outcome_names,
        ground_label=ground_label,
        problems=data.problems,
        timeline=case_timeline(data, case_id),
    )
    return replace(page, search_text=_search_text(data, case_id))


def _search_text(data: Workspace, case_id: str) -> str:
    """What a minimised search index holds of a case: its id and the panels it went to."""
    panels = sorted(
        {data.panel_name(doc.model.panel) for doc in data.referrals.get(case_id, ())}
        | {data.panel_name(doc.model.panel) for doc in data.decisions.get(case_id, ())}
    )
    return f"Case {case_id}" + (f": {', '.join(panels)}" if panels else "")


def _child_name(case: Case | None, child_id: str) -> str:
    child = case.child(child_id) if case is not None else None
    return child.name if child else child_id


def problems_page(r: Renderer) -> Iterator[Page]:
    """Every diagnostic, each linked to where its document is shown."""
    data = r.data
    shown_at = places(data)
    for path in data.by_path:
        location = classify(path)
        if path not in shown_at and location is not None and location.case and has_case_page(data, location.case):
            shown_at[path] = (case_page(location.case), "")  # listed under "Files that could not be shown"
    rows = [(diagnostic, shown_at.get(diagnostic.path)) for diagnostic in data.diagnostics]
    yield r.page("problems.md.j2", PROBLEMS, "Problems", rows=rows)
