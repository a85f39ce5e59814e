"""A workspace cut down to what one audience may see, before anything is rendered.

`for_audience` is applied after every check has run, so the diagnostics are the repository's own;
it then takes away, from the data itself, what the audience may not see: other panels' documents
(and the cases only they concern), children's names beyond their initials, and the documents'
text. What is not in the data cannot reach a page, a search index or a download, whichever
template prints it. Dates of birth stay in the data (ages are worked out from them); the pages
show them as the audience's `birth` form says (`generator.views.words.birth_label`), and for an
audience shown ages the `born` key events, dated on the day of birth, go.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from pydantic import BaseModel

from generator.core.layout import Kind, classify
from generator.loading.repository import Doc, Repository
from generator.models import Case, Decision, EventKind, Meeting, Record, Referral
from generator.models.audience import Audience, BirthForm, NameForm, initials
from generator.pipeline.workspace import Workspace

WITHHELD = "(withheld from this site)"
"""What a free-text field reads as in a site built without the documents' text."""

M = TypeVar("M", bound=BaseModel)


def for_audience(data: Workspace, audience: Audience) -> Workspace:
    """`data` as `audience` may see it: its panels only, names and text as its rule says."""
    repo = data.repo
    if audience.panels is not None:
        repo = _panels_only(repo, frozenset(audience.panels))
    if not audience.narrative:
        repo = _without_text(repo)
    if audience.names is NameForm.INITIALS:
        repo = _initials_only(repo)
    if audience.birth is BirthForm.AGE:
        repo = _without_births(repo)
    if audience.outside_teams:
        repo = _outside_by_role(repo, frozenset(audience.outside_teams))
    dropped = set(data.repo.paths) - set(repo.paths)
    return dataclasses.replace(
        data,
        repo=repo,
        diagnostics=tuple(x for x in data.diagnostics if x.path not in dropped),
        upcoming={key: value for key, value in data.upcoming.items() if key in repo.panels},
        arrivals={path: when for path, when in data.arrivals.items() if path not in dropped},
        audience=audience,
    )


# --- panels ---------------------------------------------------------------------------------------


def _panels_only(repo: Repository, panels: frozenset[str]) -> Repository:
    """The repository holding only `panels`' documents and the cases they concern."""
    referrals = tuple(doc for doc in repo.referrals if doc.model.panel in panels)
    decisions = tuple(doc for doc in repo.decisions if doc.model.panel in panels)
    meetings = {key: doc for key, doc in repo.meetings.items() if key[0] in panels}
    cases = {doc.model.case for doc in referrals} | {doc.model.case for doc in decisions}
    for meeting in meetings.values():
        cases.update(meeting.model.heard)
        cases.update(deferral.case for deferral in meeting.model.deferred)
    return dataclasses.replace(
        repo,
        panels={key: panel for key, panel in repo.panels.items() if key in panels},
        panel_docs={key: doc for key, doc in repo.panel_docs.items() if key in panels},
        cases={key: doc for key, doc in repo.cases.items() if key in cases},
        referrals=referrals,
        meetings=meetings,
        decisions=decisions,
        records=tuple(doc for doc in repo.records if doc.location.panel in panels),
        paths=tuple(path for path in repo.paths if _kept(path, panels, cases)),
    )


def _kept(path: str, panels: frozenset[str], cases: set[str]) -> bool:
    """Whether a document path (loaded or not) belongs to the panels kept."""
    location = classify(path)
    if location is None:
        return False
    if location.kind in (Kind.AUTHORITY, Kind.ROSTER):
        return True
    if location.kind is Kind.CASE:
        return location.case in cases
    return location.panel in panels


# --- text -----------------------------------------------------------------------------------------


def _without_text(repo: Repository) -> Repository:
    """Every case document without its narrative body and its free-text fields (which may name anyone)."""
    return dataclasses.replace(
        repo,
        cases={key: _textless(doc, _case_text(doc.model)) for key, doc in repo.cases.items()},
        referrals=tuple(_textless(doc, _referral_text(doc.model)) for doc in repo.referrals),
        meetings={key: _textless(doc, _meeting_text(doc.model)) for key, doc in repo.meetings.items()},
        decisions=tuple(_textless(doc, _decision_text(doc.model)) for doc in repo.decisions),
        records=tuple(_textless(doc, _record_text(doc.model)) for doc in repo.records),
    )


def _textless(doc: Doc[M], model: M) -> Doc[M]:
    """The document with `model` and no body; the raw front matter goes too (only its lines stay)."""
    parsed = dataclasses.replace(doc.parsed, data={}, body="")
    return dataclasses.replace(doc, model=model, parsed=parsed)


def _case_text(case: Case) -> Case:
    events = [event.model_copy(update={"note": None}) for event in case.events]
    return case.model_copy(update={"events": events})


def _referral_text(referral: Referral) -> Referral:
    documents = [ref.model_copy(update={"location": WITHHELD}) for ref in referral.documents]
    scaling = [s.model_copy(update={"by": WITHHELD, "reasons": WITHHELD}) for s in referral.scaling]
    return referral.model_copy(update={"sought": WITHHELD, "documents": documents, "scaling": scaling})


def _meeting_text(meeting: Meeting) -> Meeting:
    conflicts = [c.model_copy(update={"nature": WITHHELD}) for c in meeting.conflicts]
    deferred = [x.model_copy(update={"reason": WITHHELD}) for x in meeting.deferred]
    return meeting.model_copy(update={"conflicts": conflicts, "deferred": deferred})


def _decision_text(decision: Decision) -> Decision:
    actions = [a.model_copy(update={"what": WITHHELD}) for a in decision.actions]
    views = [v.model_copy(update={"note": None}) for v in decision.views]
    return decision.model_copy(update={"agreed": [WITHHELD], "actions": actions, "rationale": WITHHELD, "views": views})


def _record_text(record: Record) -> Record:
    return record.model_copy(update={"note": None})


# --- names ----------------------------------------------------------------------------------------


def _initials_only(repo: Repository) -> Repository:
    """Every child named by their initials; the raw front matter of the case files goes too."""
    return dataclasses.replace(repo, cases={key: _initialled(doc) for key, doc in repo.cases.items()})


def _initialled(doc: Doc[Case]) -> Doc[Case]:
    children = [child.model_copy(update={"name": initials(child.name)}) for child in doc.model.children]
    return dataclasses.replace(
        doc,
        model=doc.model.model_copy(update={"children": children}),
        parsed=dataclasses.replace(doc.parsed, data={}),
    )


# --- births ---------------------------------------------------------------------------------------


def _without_births(repo: Repository) -> Repository:
    """No `born` key event: its date is the child's date of birth, which an audience shown ages never sees."""
    cases = {}
    for key, doc in repo.cases.items():
        events = [event for event in doc.model.events if event.kind is not EventKind.BORN]
        model = doc.model.model_copy(update={"events": events})
        cases[key] = dataclasses.replace(doc, model=model, parsed=dataclasses.replace(doc.parsed, data={}))
    return dataclasses.replace(repo, cases=cases)


# --- people outside the council -------------------------------------------------------------------


def _outside_by_role(repo: Repository, teams: frozenset[str]) -> Repository:
    """The roster's people of `teams` (partner agencies) named by their role only, with no email."""
    roster = {}
    for person_id, person in repo.roster.items():
        if person.team in teams:
            role = person.roles[0].value.replace("-", " ")
            name = f"{role[:1].upper()}{role[1:]} (outside the council)"
            roster[person_id] = person.model_copy(update={"name": name, "email": None})
        else:
            roster[person_id] = person
    return dataclasses.replace(repo, roster=roster)
