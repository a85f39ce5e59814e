"""The `link` stage: every reference between documents resolves, and paths agree with contents."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import MAX_COMPONENT, TOP_FOLDERS, fold_twins
from generator.core.patterns import PatternError, compile_pattern
from generator.loading.repository import Doc, Repository
from generator.models import Case, Decision, Meeting, Panel, Record, Referral, Role
from generator.models.common import shown

_STRUCTURAL_WORDS = frozenset(
    {*TOP_FOLDERS, "case", "referrals", "meeting", "records", "roster", "authority", "md", "yml"}
)
_NAME_TOKEN = re.compile(r"[^\W\d_]{3,}")


def check_links(repo: Repository) -> list[Diagnostic]:
    """Every diagnostic about ids, references and file names."""
    found: list[Diagnostic] = []
    found += _check_paths(repo)
    for panel_doc in repo.panel_docs.values():
        found += _mismatch(panel_doc, "id", panel_doc.model.id, panel_doc.location.panel)
    for case_doc in repo.cases.values():
        found += _check_case(repo, case_doc)
    for referral in repo.referrals:
        found += _check_referral(repo, referral)
    for meeting in repo.meetings.values():
        found += _check_meeting(repo, meeting)
    for decision in repo.decisions:
        found += _check_decision(repo, decision)
    for record in repo.records:
        found += _check_record(repo, record)
    return found


def _mismatch(doc: Doc[Any], field: str, value: object, expected: object) -> list[Diagnostic]:
    if expected is None or str(value) == str(expected):
        return []
    return [
        d.make(
            d.ID_MISMATCH,
            doc.path,
            doc.line(field),
            f"'{field}' is '{value}' but the file's path says '{expected}'",
            "move the file to the right place or correct the field; nothing is renamed for you",
        )
    ]


def _suggest(value: str, known: Iterable[str]) -> str:
    options = sorted(known)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"known: {listed}" if options else "none are defined yet"


def _person(repo: Repository, doc: Doc[Any], person_id: str, *loc: str | int) -> list[Diagnostic]:
    if person_id in repo.roster or not repo.roster:
        return []
    return [
        d.make(
            d.UNKNOWN_PERSON,
            doc.path,
            doc.line(*loc),
            f"'{person_id}' is not in the roster",
            f"{_suggest(person_id, repo.roster)} (people are listed in panels/roster.yml)",
        )
    ]


def _panel(repo: Repository, doc: Doc[Any], panel_id: str) -> tuple[Panel | None, list[Diagnostic]]:
    panel = repo.panels.get(panel_id)
    if panel is not None:
        return panel, []
    hint = _suggest(panel_id, repo.panels)
    return None, [d.make(d.UNKNOWN_PANEL, doc.path, doc.line("panel"), f"there is no panel '{panel_id}'", hint)]


def _case(repo: Repository, doc: Doc[Any], case_id: str, *loc: str | int) -> tuple[Case | None, list[Diagnostic]]:
    case_doc = repo.cases.get(case_id)
    if case_doc is not None:
        return case_doc.model, []
    return None, [
        d.make(
            d.UNKNOWN_CASE,
            doc.path,
            doc.line(*loc),
            f"there is no valid case '{case_id}' (cases/{case_id}/case.md is missing or has errors)",
            "add the case with `panel new case`, or correct the id",
        )
    ]


def _children(doc: Doc[Any], case: Case | None, children: list[str], field: str = "children") -> list[Diagnostic]:
    if case is None:
        return []
    known = [c.id for c in case.children]
    return [
        d.make(
            d.UNKNOWN_CHILD,
            doc.path,
            doc.line(field, index),
            f"'{child}' is not one of case {case.id}'s children",
            _suggest(child, known),
        )
        for index, child in enumerate(children)
        if child not in known
    ]


def _check_case(repo: Repository, doc: Doc[Case]) -> list[Diagnostic]:
    case = doc.model
    found = _mismatch(doc, "id", case.id, doc.location.case)
    if repo.authority is not None:
        pattern = repo.authority.case_id_pattern
        try:
            matches = compile_pattern(pattern).matches(case.id)
        except PatternError:
            matches = True  # reported once, against the settings file, when it was loaded
        if not matches:
            found.append(
                d.make(
                    d.INVALID_ID,
                    doc.path,
                    doc.line("id"),
                    f"case id '{case.id}' does not match the authority's case id pattern '{pattern}'",
                    f"use the child's id from {repo.authority.case_system}",
                )
            )
    found += _person(repo, doc, case.worker, "worker")
    if case.manager:
        found += _person(repo, doc, case.manager, "manager")
    if repo.authority is not None and repo.authority.teams:
        teams = [t.id for t in repo.authority.teams]
        if case.team not in teams:
            found.append(
                d.make(
                    d.UNKNOWN_REFERENCE,
                    doc.path,
                    doc.line("team"),
                    f"there is no team '{case.team}'",
                    _suggest(case.team, teams),
                )
            )
    known = [c.id for c in case.children]
    for index, event in enumerate(case.events):
        found += [
            d.make(
                d.UNKNOWN_CHILD,
                doc.path,
                doc.line("events", index, "children"),
                f"event {index + 1} names '{child}', not one of this case's children",
                _suggest(child, known),
            )
            for child in event.children
            if child not in known
        ]
    return found


def _request_type(doc: Doc[Any], panel: Panel, request_id: str) -> list[Diagnostic]:
    if panel.request_type(request_id) is not None:
        return []
    return [
        d.make(
            d.UNKNOWN_REQUEST_TYPE,
            doc.path,
            doc.line("request"),
            f"panel '{panel.id}' does not hear requests of type '{request_id}'",
            _suggest(request_id, [r.id for r in panel.request_types]),
        )
    ]


def _about_case_at_meeting(
    repo: Repository, doc: Doc[Any], about: Referral | Decision
) -> tuple[Panel | None, list[Diagnostic]]:
    """What referrals and decision sheets share: path agrees, panel, case and children exist."""
    found = _mismatch(doc, "panel", about.panel, doc.location.panel)
    found += _mismatch(doc, "meeting", about.meeting, doc.location.date)
    found += _mismatch(doc, "case", about.case, doc.location.case)
    panel, problems = _panel(repo, doc, about.panel)
    found += problems
    case, problems = _case(repo, doc, about.case, "case")
    found += problems
    found += _children(doc, case, about.children)
    return panel, found


def _check_referral(repo: Repository, doc: Doc[Referral]) -> list[Diagnostic]:
    referral = doc.model
    panel, found = _about_case_at_meeting(repo, doc, referral)
    found += _person(repo, doc, referral.presenter, "presenter")
    for index, authorisation in enumerate(referral.authorisations):
        found += _person(repo, doc, authorisation.person, "authorisations", index, "person")
    for index, document in enumerate(referral.documents):
        if document.chaired_by:
            found += _person(repo, doc, document.chaired_by, "documents", index, "chaired_by")
    if panel is None:
        return found
    found += _request_type(doc, panel, referral.request)
    if referral.ground is not None and referral.ground not in {t.id for t in panel.triggers}:
        found.append(
            d.make(
                d.UNKNOWN_REFERENCE,
                doc.path,
                doc.line("ground"),
                f"panel '{panel.id}' has no eligibility ground '{referral.ground}'",
                _suggest(referral.ground, [t.id for t in panel.triggers]),
            )
        )
    catalogue = [spec.id for spec in panel.documents]
    for index, document in enumerate(referral.documents):
        if document.id not in catalogue:
            found.append(
                d.make(
                    d.UNKNOWN_REFERENCE,
                    doc.path,
                    doc.line("documents", index, "id"),
                    f"panel '{panel.id}' has no document type '{document.id}'",
                    _suggest(document.id, catalogue),
                )
            )
    return found


def _check_meeting(repo: Repository, doc: Doc[Meeting]) -> list[Diagnostic]:
    meeting = doc.model
    found = _mismatch(doc, "panel", meeting.panel, doc.location.panel)
    found += _mismatch(doc, "date", meeting.date, doc.location.date)
    panel, problems = _panel(repo, doc, meeting.panel)
    found += problems
    found += _person(repo, doc, meeting.chair, "chair")
    for index, attendee in enumerate(meeting.attendees):
        found += _person(repo, doc, attendee.person, "attendees", index, "person")
    for index, apology in enumerate(meeting.apologies):
        found += _person(repo, doc, apology.person, "apologies", index, "person")
    for index, conflict in enumerate(meeting.conflicts):
        found += _person(repo, doc, conflict.person, "conflicts", index, "person")
        found += _case(repo, doc, conflict.case, "conflicts", index, "case")[1]
    for index, case_id in enumerate(meeting.heard):
        found += _case(repo, doc, case_id, "heard", index)[1]
    for index, deferral in enumerate(meeting.deferred):
        found += _case(repo, doc, deferral.case, "deferred", index, "case")[1]
    for index, person_id in enumerate(meeting.distributed_to):
        found += _person(repo, doc, person_id, "distributed_to", index)
    if panel is not None:
        if meeting.venue and meeting.venue not in {v.id for v in panel.venues}:
            found.append(
                d.make(
                    d.UNKNOWN_REFERENCE,
                    doc.path,
                    doc.line("venue"),
                    f"panel '{panel.id}' has no venue '{meeting.venue}'",
                    _suggest(meeting.venue, [v.id for v in panel.venues]),
                )
            )
        if meeting.series and meeting.series not in {s.id for s in panel.series}:
            found.append(
                d.make(
                    d.UNKNOWN_REFERENCE,
                    doc.path,
                    doc.line("series"),
                    f"panel '{panel.id}' has no series '{meeting.series}'",
                    _suggest(meeting.series, [s.id for s in panel.series]),
                )
            )
    return found


def _check_decision(repo: Repository, doc: Doc[Decision]) -> list[Diagnostic]:
    decision = doc.model
    panel, found = _about_case_at_meeting(repo, doc, decision)
    found += _person(repo, doc, decision.chair, "chair")
    for index, action in enumerate(decision.actions):
        found += _person(repo, doc, action.owner, "actions", index, "owner")
    for index, view in enumerate(decision.views):
        found += _person(repo, doc, view.person, "views", index, "person")
    if doc.location.panel and doc.location.date and (doc.location.panel, doc.location.date) not in repo.meetings:
        found.append(
            d.make(
                d.DECISION_WITHOUT_MEETING,
                doc.path,
                1,
                f"there is no meeting record for {doc.location.panel} on {doc.location.date}",
                f"add decisions/{doc.location.panel}/{doc.location.date}/meeting.md",
            )
        )
    if decision.supersedes is not None and decision.supersedes not in repo.decision_by_path:
        found.append(
            d.make(
                d.UNKNOWN_REFERENCE,
                doc.path,
                doc.line("supersedes"),
                f"'{decision.supersedes}' is not a decision in the repository",
                "give the repository path of the decision this one replaces",
            )
        )
    if panel is not None:
        allowed = [o.id for o in panel.outcomes]
        request = panel.request_type(decision.request) if decision.request else None
        if decision.request:
            found += _request_type(doc, panel, decision.request)
        if request is not None and request.outcomes:
            allowed = list(request.outcomes)
        for index, outcome in enumerate(decision.outcomes):
            if outcome not in allowed:
                found.append(
                    d.make(
                        d.OUTCOME_NOT_ALLOWED,
                        doc.path,
                        doc.line("outcomes", index),
                        f"'{outcome}' is not an outcome panel '{panel.id}' can give here",
                        f"allowed: {', '.join(allowed)}",
                    )
                )
    return found


def _check_record(repo: Repository, doc: Doc[Record]) -> list[Diagnostic]:
    record = doc.model
    found = _person(repo, doc, record.by, "by")
    target = repo.decision_by_path.get(record.refers_to)
    if target is None:
        return [
            *found,
            d.make(
                d.UNKNOWN_REFERENCE,
                doc.path,
                doc.line("refers_to"),
                f"'{record.refers_to}' is not a decision in the repository",
                "give the repository path of the decision this record updates",
            ),
        ]
    if record.action is not None and record.action not in {a.id for a in target.model.actions}:
        found.append(
            d.make(
                d.UNKNOWN_REFERENCE,
                doc.path,
                doc.line("action"),
                f"the decision has no action '{record.action}'",
                _suggest(record.action, [a.id for a in target.model.actions]),
            )
        )
    if record.escalated_to is not None and not isinstance(record.escalated_to, Role):
        found.append(d.make(d.INVALID_VALUE, doc.path, doc.line("escalated_to"), "unknown role", "use a roster role"))
    return found


def _check_paths(repo: Repository) -> list[Diagnostic]:
    """Names that collide, are too long, are not plain ASCII, or carry a person's name."""
    found: list[Diagnostic] = []
    names = _name_tokens(repo)
    twins = fold_twins(repo.paths)
    for path in repo.paths:
        if path in twins:
            part, earlier = twins[path]
            found.append(
                d.make(
                    d.INVALID_ID,
                    path,
                    0,
                    f"'{shown(part)}' differs from '{shown(earlier)}' only in letter case or accents",
                    "the two collide on case-insensitive systems, so only the first is read; rename one",
                )
            )
        for component in path.split("/"):
            if len(component) > MAX_COMPONENT or not component.isascii():
                found.append(
                    d.make(
                        d.INVALID_ID,
                        path,
                        0,
                        f"the name '{shown(component[:40])}' is too long or not plain ASCII",
                        f"use ASCII letters, digits and hyphens, at most {MAX_COMPONENT} characters",
                    )
                )
        hits = sorted({names[token] for token in _tokens(path) if token in names})
        if hits:
            found.append(
                d.make(
                    d.NAME_IN_FILE_NAME,
                    path,
                    0,
                    f"the path contains part of {hits[0]}",
                    "name files by case id, date and panel only",
                )
            )
    return found


def _tokens(path: str) -> Iterator[str]:
    for match in _NAME_TOKEN.finditer(path.rsplit(".", 1)[0]):
        token = match.group(0).casefold()
        if token not in _STRUCTURAL_WORDS:
            yield token


def _name_tokens(repo: Repository) -> dict[str, str]:
    """Each word of a person's name, with whose it is, said without the name itself."""
    words: dict[str, str] = {}
    for case_id, case_doc in sorted(repo.cases.items()):
        for child in case_doc.model.children:
            for m in _NAME_TOKEN.finditer(child.name):
                words.setdefault(m.group(0).casefold(), f"a child's name from case {case_id}")
    for person in repo.roster.values():
        for m in _NAME_TOKEN.finditer(person.name):
            words.setdefault(m.group(0).casefold(), "a staff member's name from the roster")
    ids = set(repo.panels) | {t.id for t in (repo.authority.teams if repo.authority else [])}
    for word in {w for identifier in ids for w in identifier.split("-")} | _STRUCTURAL_WORDS:
        words.pop(word, None)
    return words
