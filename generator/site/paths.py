"""Where each thing is published: page paths and anchors, named by ids only (never by a person's name)."""

from __future__ import annotations

import posixpath
import re

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
    if not _SAFE_ID.fullmatch(value):
        raise ValueError(f"id {value!r} cannot be used in a page path")
    return value


def places(data: Workspace) -> dict[str, tuple[str, str]]:
    """Where each document is shown: its page and the anchor of its section ("" for the top)."""
    places = {doc.path: (panel_page(panel_id), "") for panel_id, doc in data.repo.panel_docs.items()}
    for case_id, doc in data.repo.cases.items():
        places[doc.path] = (case_page(case_id), "")
        places.update((r.path, (case_page(case_id), referral_anchor(r))) for r in data.referrals.get(case_id, ()))
        places.update((d.path, (case_page(case_id), decision_anchor(d))) for d in data.decisions.get(case_id, ()))
    return places


def relative_link(here: str, target: str, anchor: str = "") -> str:
    """The link from page `here` to page `target` (both docs-folder paths), as written in Markdown."""
    url = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return f"{url}#{anchor}" if anchor else url
