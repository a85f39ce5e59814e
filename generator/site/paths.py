"""Where each thing is published: page paths and anchors, named by ids only (never by a person's name)."""

from __future__ import annotations

import posixpath
import re

from generator.core.layout import classify
from generator.loading.repository import Doc
from generator.models import Decision, Referral
from generator.pipeline.workspace import Workspace

HOME = "index.md"
CASES = "cases.md"
PROBLEMS = "problems.md"

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)


def panel_page(panel_id: str) -> str:
    """The page of a panel."""
    return f"panels/{checked_id(panel_id)}.md"


def case_page(case_id: str) -> str:
    """The page of a case: named by the case id only, never by a name."""
    return f"cases/{checked_id(case_id)}.md"


def referral_anchor(doc: Doc[Referral]) -> str:
    """The anchor of a referral's section on its case page."""
    return f"referral-{doc.model.meeting.isoformat()}-{checked_id(doc.model.panel)}"


def decision_anchor(doc: Doc[Decision]) -> str:
    """The anchor of a decision's section on its case page (a correction's carries its version)."""
    version = f"-v{doc.location.version}" if doc.location.version > 1 else ""
    return f"decision-{doc.model.meeting.isoformat()}-{checked_id(doc.model.panel)}{version}"


def checked_id(value: str) -> str:
    """`value` if it is safe as a part of a page path; ValueError otherwise (loading refuses such ids first)."""
    if not _SAFE_ID.fullmatch(value):
        raise ValueError(f"id {value!r} cannot be used in a page path")
    return value


def case_page_ids(data: Workspace) -> frozenset[str]:
    """The cases that have a page: every case the repository's paths or loaded documents name.

    A case whose `case.md` is missing or invalid still has a page (its referrals and decisions,
    and what is wrong), so that nothing linking to it breaks. Of two ids that differ only in
    letter case, one page is built (the one with a valid case file, else the first): the two
    pages would be one file on a case-insensitive file system.
    """
    return data.view(_case_page_ids)


def _case_page_ids(data: Workspace) -> frozenset[str]:
    named = set(data.repo.cases) | set(data.referrals) | set(data.decisions)
    named.update(location.case for location in map(classify, data.repo.paths) if location and location.case)
    chosen: dict[str, str] = {}
    for case_id in sorted(named, key=lambda c: (c not in data.repo.cases, c)):
        if _SAFE_ID.fullmatch(case_id):
            chosen.setdefault(case_id.casefold(), case_id)
    return frozenset(chosen.values())


def has_case_page(data: Workspace, case_id: str) -> bool:
    """Whether the site builds a page for this case (see `case_page_ids`)."""
    return case_id in case_page_ids(data)


def places(data: Workspace) -> dict[str, tuple[str, str]]:
    """Where each document is shown: its page and the anchor of its section ("" for the top)."""
    places = {doc.path: (panel_page(panel_id), "") for panel_id, doc in data.repo.panel_docs.items()}
    for case_id in case_page_ids(data):
        doc = data.repo.cases.get(case_id)
        if doc is not None:
            places[doc.path] = (case_page(case_id), "")
        places.update((r.path, (case_page(case_id), referral_anchor(r))) for r in data.referrals.get(case_id, ()))
        places.update((d.path, (case_page(case_id), decision_anchor(d))) for d in data.decisions.get(case_id, ()))
    return places


def relative_link(here: str, target: str, anchor: str = "") -> str:
    """The link from page `here` to page `target` (both docs-folder paths), as written in Markdown."""
    url = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return f"{url}#{anchor}" if anchor else url
