"""The panel pages: terms of reference rendered from the panel file, its coming and past meetings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from generator.models import Panel
from generator.models.panel import Requirements
from generator.site.meeting_pages import meeting_page, time_span, venue_label
from generator.site.pages import Page
from generator.site.paths import PROBLEMS, panel_page
from generator.site.templates import Renderer
from generator.views.agenda import Agenda, meeting_agendas
from generator.views.words import cadence_label, deadline_label, outcome_names, role_label


def panel_pages(r: Renderer) -> Iterator[Page]:
    """One page per panel file: members, quorum, deadlines, what a referral needs, outcomes, meetings."""
    data = r.data
    agendas: dict[str, list[Agenda]] = defaultdict(list)
    for agenda in meeting_agendas(data):
        agendas[agenda.panel_id].append(agenda)
    for panel_id, doc in sorted(data.repo.panel_docs.items()):
        panel = doc.model
        meetings = agendas.get(panel_id, [])
        request_types = [(request, panel.requirements_for(request.id)) for request in panel.request_types]
        page = r.page(
            "panel.md.j2",
            panel_page(panel_id),
            panel.name,
            doc=doc,
            panel=panel,
            documents={d.id: d for d in panel.documents},
            sections={s.id: s for s in panel.sections},
            outcomes={o.id: o for o in panel.outcomes},
            venues={v.id: v for v in panel.venues},
            rotation=[venue.name for v in panel.cadence.venues for venue in panel.venues if venue.id == v],
            outcome_names=partial(outcome_names, panel),
            request_types=request_types,
            requirement_rows=requirement_rows,
            coming=[agenda for agenda in meetings if agenda.date >= data.as_of],
            past=[agenda for agenda in reversed(meetings) if agenda.date < data.as_of],
            meeting_page=meeting_page,
            time_span=time_span,
            where=venue_label,
            past_review=panel.terms.review_due < data.as_of,
            cadence_label=cadence_label,
            deadline_label=deadline_label,
            problems=data.problems(doc.path),
            problems_page=PROBLEMS,
        )
        # The panel's terms: its meetings appear by date and count only, so it is indexed in full.
        yield replace(page, case_material=False)


def requirement_rows(panel: Panel, requirements: Requirements) -> list[tuple[str, str]]:
    """What a request type needs, as (kind, item) rows in words."""
    documents = {d.id: d for d in panel.documents}
    sections = {s.id: s for s in panel.sections}
    rows: list[tuple[str, str]] = []
    for doc_id in requirements.documents:
        spec = documents.get(doc_id)
        age = f" (no older than {spec.max_age_days} days)" if spec and spec.max_age_days is not None else ""
        rows.append(("Document", (spec.name if spec else doc_id) + age))
    rows += [("Section", sections[s].heading if s in sections else s) for s in requirements.sections]
    rows += [("Authorisation", role_label(role)) for role in requirements.authorisations]
    if requirements.scaling:
        rows.append(("Scaling", "Signs of Safety scaling, 0 to 10, with reasons"))
    return rows
