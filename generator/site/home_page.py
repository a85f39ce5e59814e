"""The home page: the coming meetings of every panel, what is overdue and what falls due this week."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.diagnostics import Severity
from generator.site import tracker_pages
from generator.site.meeting_pages import meeting_page, time_span, venue_label
from generator.site.pages import Page
from generator.site.paths import CASES, HOME, PROBLEMS, case_page, decision_anchor, panel_page
from generator.site.templates import Renderer
from generator.views.agenda import meeting_agendas
from generator.views.trackers import due_soon
from generator.views.words import cadence_label


def home_page(r: Renderer) -> Iterator[Page]:
    """The site's front page."""
    data = r.data
    authority = data.repo.authority
    soon = due_soon(data)
    agendas = meeting_agendas(data)

    yield r.page(
        "home.md.j2",
        HOME,
        authority.name if authority else "Decision panels",
        authority=authority,
        panels=sorted(data.repo.panels.items()),
        coming=[agenda for agenda in agendas if agenda.date >= data.as_of],
        with_pages={(agenda.panel_id, agenda.date) for agenda in agendas},
        soon=soon,
        person=data.person,
        panel_name=data.panel_name,
        meeting_page=meeting_page,
        time_span=time_span,
        where=venue_label,
        panel_page=panel_page,
        case_page=case_page,
        decision_anchor=decision_anchor,
        cadence_label=cadence_label,
        actions_page=tracker_pages.ACTIONS,
        reviews_page=tracker_pages.REVIEWS,
        duties_page=tracker_pages.DUTIES,
        cases=len(data.repo.cases),
        referrals=len(data.repo.referrals),
        errors=sum(1 for d in data.diagnostics if d.severity is Severity.ERROR),
        warnings=sum(1 for d in data.diagnostics if d.severity is Severity.WARNING),
        cases_page=CASES,
        problems_page=PROBLEMS,
    )
