"""Completeness: the documents, authorisations, sections and scaling each referral needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from generator.checks.sections import PROMPT_PREFIX, normalise_heading, sections_of
from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Panel, Referral
from generator.models.panel import DocumentSpec


def check_completeness(repo: Repository) -> list[Diagnostic]:
    """Every referral against its panel's requirements for its request type; template prompts left in."""
    found: list[Diagnostic] = []
    documents: list[Doc[Any]] = [*repo.cases.values(), *repo.referrals, *repo.meetings.values(), *repo.decisions]
    for document in documents:
        found += _prompts_left(document, document.parsed.data, ())
    for doc in repo.referrals:
        panel = repo.panels.get(doc.model.panel)
        if panel is not None and panel.request_type(doc.model.request) is not None:
            found += check_referral(repo, panel, doc)
    return found


def check_referral(repo: Repository, panel: Panel, doc: Doc[Referral]) -> list[Diagnostic]:
    """One referral's completeness."""
    referral = doc.model
    needs = panel.requirements_for(referral.request)
    specs = {spec.id: spec for spec in panel.documents}
    request_name = panel.request_type(referral.request).name  # type: ignore[union-attr]
    found: list[Diagnostic] = []
    for document_id in needs.documents:
        found += _document(repo, doc, specs[document_id], request_name)
    found += _authorisations(repo, panel, doc, needs.authorisations, request_name)
    found += _sections(panel, doc, needs.sections)
    if needs.scaling and not referral.scaling:
        found.append(
            d.make(
                d.MISSING_SCALING,
                doc.path,
                doc.line("scaling") if "scaling" in doc.parsed.data else 1,
                f"{panel.short_name} asks for a Signs of Safety scaling (0-10) with reasons",
                "add `scaling:` entries with `by`, `score` and `reasons`, at least the worker's",
            )
        )
    for index, document in enumerate(referral.documents):
        if document.date > referral.meeting:
            found.append(_after_meeting(doc, ("documents", index, "date"), f"document '{document.id}'", document.date))
    return found


def _document(repo: Repository, doc: Doc[Referral], spec: DocumentSpec, request_name: str) -> list[Diagnostic]:
    referral = doc.model
    entries = [(i, x) for i, x in enumerate(referral.documents) if x.id == spec.id]
    if not entries:
        return [
            d.make(
                d.MISSING_DOCUMENT,
                doc.path,
                doc.line("documents") if "documents" in doc.parsed.data else 1,
                f"'{spec.name}' ({spec.id}) is required for a {request_name} request",
                f"list it under documents: with `id: {spec.id}`, its `date` and its `location`",
            )
        ]
    index, entry = max(entries, key=lambda pair: pair[1].date)
    found: list[Diagnostic] = []
    age = (referral.meeting - entry.date).days
    if spec.max_age_days is not None and age > spec.max_age_days:
        found.append(
            d.make(
                d.STALE_DOCUMENT,
                doc.path,
                doc.line("documents", index, "date"),
                f"'{spec.name}' is dated {entry.date}, {age} days before the meeting; "
                f"it must be at most {spec.max_age_days} days old",
                f"update it on or after {referral.meeting - timedelta(days=spec.max_age_days)} and record the new date",
            )
        )
    if spec.chaired_by:
        roles = ", ".join(spec.chaired_by)
        chair = repo.roster.get(entry.chaired_by) if entry.chaired_by else None
        if entry.chaired_by is None:
            found.append(
                d.make(
                    d.AUTHORISER_LACKS_ROLE,
                    doc.path,
                    doc.line("documents", index),
                    f"'{spec.name}' does not say who chaired it; it must be chaired by a {roles}",
                    "add `chaired_by:` with the chair's roster id",
                )
            )
        elif chair is not None and not set(chair.roles) & set(spec.chaired_by):
            found.append(
                d.make(
                    d.AUTHORISER_LACKS_ROLE,
                    doc.path,
                    doc.line("documents", index, "chaired_by"),
                    f"'{spec.name}' was chaired by '{chair.id}', who is not a {roles}",
                    f"it must be chaired by a {roles}; hold a new one or correct the chair",
                )
            )
    return found


def _authorisations(
    repo: Repository, panel: Panel, doc: Doc[Referral], roles: Sequence[str], request_name: str
) -> list[Diagnostic]:
    referral = doc.model
    found: list[Diagnostic] = []
    for role in roles:
        entries = [(i, a) for i, a in enumerate(referral.authorisations) if a.role == role]
        if not entries:
            found.append(
                d.make(
                    d.MISSING_AUTHORISATION,
                    doc.path,
                    doc.line("authorisations") if "authorisations" in doc.parsed.data else 1,
                    f"{panel.short_name} needs the agreement of a {role} for a {request_name} request",
                    f"add `- role: {role}` with the `person` (roster id) and the `date` under authorisations:",
                )
            )
            continue
        for index, entry in entries:
            person = repo.roster.get(entry.person)
            if person is not None and role not in person.roles:
                found.append(
                    d.make(
                        d.AUTHORISER_LACKS_ROLE,
                        doc.path,
                        doc.line("authorisations", index, "person"),
                        f"'{entry.person}' authorised as {role} but the roster does not give them that role",
                        f"ask a {role} to authorise, or correct the roster",
                    )
                )
            if entry.date > referral.meeting:
                found.append(
                    _after_meeting(doc, ("authorisations", index, "date"), f"the {role}'s agreement", entry.date)
                )
    return found


def _sections(panel: Panel, doc: Doc[Referral], section_ids: list[str]) -> list[Diagnostic]:
    written = sections_of(doc.parsed.body, doc.parsed.body_line)
    specs = {spec.id: spec for spec in panel.sections}
    found: list[Diagnostic] = []
    for section_id in section_ids:
        spec = specs[section_id]
        line, text = written.get(normalise_heading(spec.heading), (0, None))
        if text is None:
            found.append(
                d.make(
                    d.MISSING_SECTION,
                    doc.path,
                    doc.parsed.body_line,
                    f"the section '## {spec.heading}' is missing",
                    f"add a heading '## {spec.heading}' and write: {spec.prompt}",
                )
            )
        elif not text:
            found.append(
                d.make(
                    d.MISSING_SECTION,
                    doc.path,
                    line,
                    f"the section '## {spec.heading}' has nothing written under it",
                    f"write: {spec.prompt}",
                )
            )
    return found


def _after_meeting(doc: Doc[Referral], loc: tuple[str | int, ...], what: str, when: object) -> Diagnostic:
    return d.make(
        d.DOCUMENT_DATED_AFTER_MEETING,
        doc.path,
        doc.line(*loc),
        f"{what} is dated {when}, after the meeting on {doc.model.meeting}",
        "check the date; papers and agreement must exist before the panel sits",
    )


def _prompts_left(doc: Doc[Any], value: Any, loc: tuple[str | int, ...]) -> list[Diagnostic]:
    """Front matter values that still hold a template's `_To complete:` prompt."""
    if isinstance(value, str):
        if not value.startswith(PROMPT_PREFIX):
            return []
        where = ".".join(str(part) for part in loc)
        return [
            d.make(
                d.MISSING_FIELD,
                doc.path,
                doc.line(*loc),
                f"'{where}' still holds the template's prompt",
                "replace the prompt with the real value",
            )
        ]
    if isinstance(value, dict):
        return [x for key, item in value.items() for x in _prompts_left(doc, item, (*loc, key))]
    if isinstance(value, list):
        return [x for index, item in enumerate(value) for x in _prompts_left(doc, item, (*loc, index))]
    return []
