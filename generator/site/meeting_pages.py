"""The meetings area of the site: the meetings index, a page per meeting, and its printouts: the
minutes, a decision sheet per case (with the case note as a text file beside it) and a meeting pack.

Every page reads the agendas `generator.views.agenda` works out once per site; nothing here decides
times, order or readiness. The navigation gets one entry, the index: never one per meeting.
Printouts are standalone HTML files (`Renderer.printout`), never MkDocs pages: their paths end `.html`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from functools import partial

from generator.core.diagnostics import (
    INVITED_WITHOUT_ITEMS,
    ITEM_NOT_QUORATE,
    QUORUM_NOT_MET,
    TOO_MANY_MEMBERS,
    Diagnostic,
)
from generator.loading.repository import Doc
from generator.models import Capacity, Decision, Panel, Stance
from generator.models.audience import NameForm, initials
from generator.models.panel import OutcomeSpec
from generator.pipeline.workspace import Workspace
from generator.schedule.timescales import due_dates
from generator.site.pages import Asset, NavItem, NavLink, Page, Safe
from generator.site.paths import case_page, decision_anchor, has_case_page, panel_page, referral_anchor
from generator.site.paths import checked_id as _checked_id
from generator.site.printout import BackLink
from generator.site.sanitise import escape_markdown
from generator.site.templates import PageBuilder, Renderer
from generator.views.agenda import Agenda, Readiness, Slot, SlotKind, agenda_for, meeting_agendas
from generator.views.case_note import NoteContext, case_note, roles_reached
from generator.views.duties import DutyStatus, meeting_duty_checks
from generator.views.trackers import replaced_decision, replacing_decision
from generator.views.words import (
    decision_label,
    document_name,
    outcome_name_list,
    outcome_names,
    request_name,
    role_label,
)

MEETINGS = "meetings/index.md"
"""The meetings index: every panel's coming and past meetings."""

_CAPACITY_ORDER = tuple(Capacity)
_CAPACITY_LABELS = {
    Capacity.CHAIR: "Chair",
    Capacity.MEMBER: "Members",
    Capacity.ADVISER: "Advisers",
    Capacity.PRESENTER: "Presenters",
    Capacity.MINUTE_TAKER: "Minute taker",
    Capacity.OBSERVER: "Observers",
}
_READINESS_WORDS = {Readiness.READY: "Ready", Readiness.INCOMPLETE: "Incomplete", Readiness.LATE: "Late"}
# The minutes' table has a "Done" column of its own, so its status words leave "done" out.
_DUTY_WORDS = {
    DutyStatus.ON_TIME: "on time",
    DutyStatus.LATE: "late",
    DutyStatus.OVERDUE: "overdue",
    DutyStatus.NOT_YET_DUE: "not yet due",
    DutyStatus.NO_ACTION: "no action set",
}


# --- paths ----------------------------------------------------------------------------------------


def meeting_page(panel_id: str, meeting: date) -> str:
    """The page of one meeting: agenda, papers, attendance and, once held, the minutes."""
    return f"meetings/{_checked_id(panel_id)}/{meeting.isoformat()}.md"


def minutes_page(panel_id: str, meeting: date) -> str:
    """The printout of a held meeting's minutes (standalone HTML)."""
    return f"meetings/{_checked_id(panel_id)}/{meeting.isoformat()}/minutes.html"


def pack_page(panel_id: str, meeting: date) -> str:
    """The printout of the meeting pack: the agenda, then each item's referral (standalone HTML)."""
    return f"meetings/{_checked_id(panel_id)}/{meeting.isoformat()}/pack.html"


def decision_sheet_page(
    panel_id: str, meeting: date, case_id: str, child_id: str | None = None, version: int = 1
) -> str:
    """The printout of one case's decision sheet at one meeting, or of its copy for one child's record (HTML).

    A correction made at the meeting (version 2 and up) has its own sheet beside the original.
    """
    return f"meetings/{_checked_id(panel_id)}/{meeting.isoformat()}/{_sheet_name(case_id, child_id, version)}.html"


def case_note_file(panel_id: str, meeting: date, case_id: str, child_id: str | None = None, version: int = 1) -> str:
    """The case note of one decision (or of one child's copy), as a text file beside its decision sheet."""
    return f"meetings/{_checked_id(panel_id)}/{meeting.isoformat()}/{_sheet_name(case_id, child_id, version)}.txt"


def sheet_of(doc: Doc[Decision], child_id: str | None = None) -> str:
    """The printout of this decision file (or of its copy for one child)."""
    decision = doc.model
    return decision_sheet_page(decision.panel, decision.meeting, decision.case, child_id, doc.location.version)


def _sheet_name(case_id: str, child_id: str | None, version: int) -> str:
    # Named by ids only: a child's name never enters a file name.
    name = _checked_id(case_id) + (f".v{version}" if version > 1 else "")
    return name + (f"-{_checked_id(child_id)}" if child_id is not None else "")


# --- words ----------------------------------------------------------------------------------------


def time_span(start: time | None, end: time | None) -> str | None:
    """ "13:15 to 13:30", "from 11:45", or None when there is no time."""
    if start is None:
        return None
    if end is None or end == start:
        return f"from {start:%H:%M}" if end is None else f"{start:%H:%M}"
    return f"{start:%H:%M} to {end:%H:%M}"


def status_cell(slot: Slot) -> Safe:
    """A slot's readiness as a word (and its reasons), marked up for the stylesheet; never colour alone."""
    if slot.kind is SlotKind.KEPT_FREE:
        word, css = "Kept free", "free"
    else:
        word, css = _READINESS_WORDS[slot.readiness], slot.readiness.value
    reasons = "; ".join(slot.reasons)
    text = f"{word}: {reasons}" if reasons else word
    return Safe(f'<span class="panel-status panel-status-{css}">{escape_markdown(text)}</span>')


# --- what the templates read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """Who attended one held meeting, and what the meeting check said about quorum."""

    groups: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    """(capacity label, ((name, role, items), ...)) in capacity order."""
    apologies: tuple[tuple[str, str], ...]
    """(name, role) of each apology."""
    quorum: tuple[Diagnostic, ...]
    """The meeting check's quorum diagnostics for the record (none: quorate)."""
    conflicts: tuple[tuple[str, str, str, str, bool], ...]
    """(member, case, agenda item, nature, withdrew) of each declared conflict."""

    @property
    def quorate(self) -> bool:
        """The meeting check found the meeting quorate."""
        return not any(d.code == QUORUM_NOT_MET.code for d in self.quorum)


_QUORUM_CODES = frozenset(
    rule.code for rule in (QUORUM_NOT_MET, TOO_MANY_MEMBERS, ITEM_NOT_QUORATE, INVITED_WITHOUT_ITEMS)
)


def _attendance(data: Workspace, agenda: Agenda) -> Attendance | None:
    if agenda.record is None:
        return None
    meeting = agenda.record.model
    numbers = {slot.case: slot.number for slot in agenda.slots if slot.case}
    grouped: dict[Capacity, list[tuple[str, str, str]]] = defaultdict(list)
    for attendee in meeting.attendees:
        items = ", ".join(f"case {case}" for case in attendee.items) or "whole meeting"
        grouped[attendee.capacity].append((data.person(attendee.person), role_label(attendee.role), items))
    quorum = tuple(d for d in data.problems(agenda.record.path) if d.code in _QUORUM_CODES)
    return Attendance(
        groups=tuple((_CAPACITY_LABELS[c], tuple(grouped[c])) for c in _CAPACITY_ORDER if grouped[c]),
        apologies=tuple((data.person(a.person), role_label(a.role)) for a in meeting.apologies),
        quorum=quorum,
        conflicts=tuple(
            (data.person(c.person), c.case, numbers.get(c.case, "not on the agenda"), c.nature, c.withdrew)
            for c in meeting.conflicts
        ),
    )


def _meeting_decisions(data: Workspace) -> dict[tuple[str, date], list[Doc[Decision]]]:
    found: dict[tuple[str, date], list[Doc[Decision]]] = defaultdict(list)
    for doc in data.repo.decisions:
        found[(doc.model.panel, doc.model.meeting)].append(doc)
    return dict(found)


def decisions_of(data: Workspace, agenda: Agenda) -> list[Doc[Decision]]:
    """The decision files of a meeting, corrections included, in the order the record says the cases were
    heard, then by case and version."""
    docs = data.view(_meeting_decisions).get((agenda.panel_id, agenda.date), [])
    heard = list(agenda.record.model.heard) if agenda.record else []
    # The repository lists a meeting's decisions by case then version, and the sort is stable.
    return sorted(docs, key=lambda d: heard.index(d.model.case) if d.model.case in heard else len(heard))


def standing_decisions_of(data: Workspace, agenda: Agenda) -> list[Doc[Decision]]:
    """The meeting's decisions less those corrected at the same meeting: one per case, its latest version."""
    docs = decisions_of(data, agenda)
    corrected = {doc.model.supersedes for doc in docs if doc.location.version > 1}
    return [doc for doc in docs if doc.path not in corrected]


@dataclass(frozen=True, slots=True)
class SheetLink:
    """Another decision file's sheet, named in words."""

    text: str
    page: str


def sheet_link(data: Workspace, doc: Doc[Decision]) -> SheetLink:
    """A link to a decision's sheet: "CDM decision of 2026-09-14", with its version when it is a correction."""
    return SheetLink(decision_label(data, doc), sheet_of(doc))


def corrects(data: Workspace, doc: Doc[Decision]) -> SheetLink | None:
    """The sheet of the decision this one supersedes, when it names one in the repository."""
    target = replaced_decision(data, doc)
    return sheet_link(data, target) if target is not None else None


def corrected_by(data: Workspace, doc: Doc[Decision]) -> SheetLink | None:
    """The sheet of the decision that supersedes this one, if any (of a meeting on or before the as-of date)."""
    newer = replacing_decision(data, doc)
    return sheet_link(data, newer) if newer is not None else None


def _child_names(data: Workspace, case_id: str, child_ids: Iterable[str], form: NameForm = NameForm.FULL) -> str:
    return ", ".join(_child_name_list(data, case_id, child_ids, form))


def _child_name_list(
    data: Workspace, case_id: str, child_ids: Iterable[str], form: NameForm = NameForm.FULL
) -> list[str]:
    doc = data.repo.cases.get(case_id)
    names = []
    for child_id in child_ids:
        child = doc.model.child(child_id) if doc else None
        if child is None:
            names.append(child_id)
        else:
            names.append(child.name if form is NameForm.FULL else initials(child.name))
    return names


def _common(r: Renderer, agenda: Agenda) -> dict[str, object]:
    """What every page about one meeting reads."""
    data = r.data
    panel = agenda.panel
    return {
        "agenda": agenda,
        "panel": panel,
        "title_of": _meeting_title(agenda),
        "time_span": time_span,
        "status_cell": status_cell,
        "names": partial(_child_names, data),
        "has_case": partial(has_case_page, data),
        "case_page": case_page,
        "panel_page": panel_page,
        "meeting_page": meeting_page(agenda.panel_id, agenda.date),
        "meeting_page_of": partial(meeting_page, agenda.panel_id),
        "has_meeting": lambda day: agenda_for(data, agenda.panel_id, day) is not None,
        "minutes_page": minutes_page(agenda.panel_id, agenda.date),
        "pack_page": pack_page(agenda.panel_id, agenda.date),
        "sheet_of": sheet_of,
        "corrects": partial(corrects, data),
        "corrected_by": partial(corrected_by, data),
        "referral_anchor": referral_anchor,
        "decision_anchor": decision_anchor,
        "request_name": partial(request_name, panel),
        "document_name": partial(document_name, panel),
        "outcome_names": partial(outcome_names, panel),
        "SlotKind": SlotKind,
        "person": data.person,
        "where": venue_label(agenda),
    }


def venue_label(agenda: Agenda) -> str | None:
    """The venue in words, with the series (locality) where the panel has several."""
    venue = agenda.venue.name if agenda.venue else None
    if agenda.series is None:
        return venue
    return f"{venue} ({agenda.series.name})" if venue else agenda.series.name


def _meeting_title(agenda: Agenda) -> str:
    series = f" ({agenda.series.name})" if agenda.series else ""
    return f"{agenda.panel.short_name} meeting{series}, {agenda.date.isoformat()}"


def _held_context(r: Renderer, agenda: Agenda) -> dict[str, object]:
    """The minutes' parts: attendance, decisions, duties and distribution (empty values before the meeting)."""
    data = r.data
    if agenda.record is None:
        return {"attendance": None, "decisions": [], "duties": [], "reached": [], "distributed": [], "duty_words": {}}
    meeting = agenda.record.model
    decisions = standing_decisions_of(data, agenda)
    reached = roles_reached(agenda.panel, meeting, data.repo.roster)
    return {
        "attendance": _attendance(data, agenda),
        "decisions": decisions,
        "numbers": {slot.case: slot.number for slot in agenda.slots if slot.case},
        "duties": meeting_duty_checks(agenda.panel, agenda.date, meeting, decisions, data.calendar, data.as_of),
        "duty_words": _DUTY_WORDS,
        "reached": reached,
        "all_reached": all(item.people for item in reached),
        "distributed": [data.person(p) for p in meeting.distributed_to],
    }


# --- the pages ------------------------------------------------------------------------------------


def _index(r: Renderer) -> Iterator[Page]:
    data = r.data
    by_panel: dict[str, list[Agenda]] = defaultdict(list)
    for agenda in meeting_agendas(data):
        by_panel[agenda.panel_id].append(agenda)
    panels = [
        (panel_id, data.repo.panels[panel_id], [a for a in agendas if a.date >= data.as_of], _past(agendas, data.as_of))
        for panel_id, agendas in sorted(by_panel.items())
    ]
    yield r.page(
        "meetings.md.j2",
        MEETINGS,
        "Meetings",
        panels=panels,
        meeting_page=meeting_page,
        panel_page=panel_page,
        time_span=time_span,
        where=venue_label,
    )


def _past(agendas: Sequence[Agenda], as_of: date) -> list[Agenda]:
    return sorted((a for a in agendas if a.date < as_of), key=lambda a: a.date, reverse=True)


def _meetings(r: Renderer) -> Iterator[Page | Asset]:
    for agenda in meeting_agendas(r.data):
        common = _common(r, agenda)
        held = _held_context(r, agenda)
        title = str(common["title_of"])
        back = BackLink(title, meeting_page(agenda.panel_id, agenda.date))
        cases = sorted({slot.case for slot in agenda.slots})
        search_text = f"{title}: case{'s' if len(cases) > 1 else ''} {', '.join(cases)}" if cases else title
        yield replace(r.page("meeting.md.j2", back.path, title, **common, **held), search_text=search_text)
        yield r.printout(
            "pack.md.j2", pack_page(agenda.panel_id, agenda.date), f"Meeting pack: {title}", back, **common
        )
        if agenda.record is not None:
            yield r.printout(
                "meeting-minutes.md.j2",
                minutes_page(agenda.panel_id, agenda.date),
                f"Minutes: {title}",
                back,
                **common,
                **held,
            )
        for doc in decisions_of(r.data, agenda):
            yield from _decision_sheet(r, agenda, doc, common)


def _decision_sheet(
    r: Renderer, agenda: Agenda, doc: Doc[Decision], common: dict[str, object]
) -> Iterator[Page | Asset]:
    """The decision sheet of a case and, for a sibling group, one copy per child for each child's record."""
    decision = doc.model
    yield from _sheet_for(r, agenda, doc, common, None)
    if len(decision.children) > 1:
        for child_id in decision.children:
            yield from _sheet_for(r, agenda, doc, common, child_id)


def _sheet_for(
    r: Renderer, agenda: Agenda, doc: Doc[Decision], common: dict[str, object], child_id: str | None
) -> Iterator[Page | Asset]:
    data = r.data
    decision = doc.model
    panel = agenda.panel
    case = data.repo.cases.get(decision.case)
    children = [child_id] if child_id is not None else list(decision.children)
    newer = replacing_decision(data, doc)

    def note_for(form: NameForm) -> str:
        return case_note(
            decision,
            NoteContext(
                panel_name=panel.name,
                children=_child_name_list(data, decision.case, children, form),
                request=request_name(panel, decision.request) if decision.request else None,
                outcomes=outcome_name_list(panel, decision.outcomes),
                person=data.person,
                superseded_by=decision_label(data, newer) if newer is not None else None,
            ),
        )

    note = note_for(NameForm.FULL)
    # The text file is a download: it names the children as the audience's `exports` says.
    download = note if data.audience.exports is NameForm.FULL else note_for(data.audience.exports)
    withdrew = (
        [data.person(c.person) for c in agenda.record.model.conflicts if c.case == decision.case and c.withdrew]
        if agenda.record
        else []
    )
    title = f"Decision sheet: case {decision.case}"
    if child_id is not None:
        title += f", child {child_id}"
    version = doc.location.version
    note_file = case_note_file(agenda.panel_id, agenda.date, decision.case, child_id, version)
    if version > 1:
        title += f" (version {version})"
    yield r.printout(
        "decision-sheet.md.j2",
        sheet_of(doc, child_id),
        f"{title}, {panel.short_name} {agenda.date.isoformat()}",
        BackLink(str(common["title_of"]), meeting_page(agenda.panel_id, agenda.date)),
        **common,
        doc=doc,
        decision=decision,
        sheet_title=title,
        for_child=child_id,
        sheet_children=children,
        child_copy_name=_child_names(data, decision.case, children),
        child_copies=[(c, _child_names(data, decision.case, [c]), sheet_of(doc, c)) for c in decision.children]
        if child_id is None and len(decision.children) > 1
        else [],
        whole_sheet=sheet_of(doc),
        case=case.model if case else None,
        heading=_sheet_heading(panel),
        outcome_rows=_outcome_rows(panel, decision, due_dates(panel, agenda.date, data.calendar)),
        dissent=[v for v in decision.views if v.stance is Stance.DISAGREE],
        withdrew=withdrew,
        team=data.team,
        note=Safe(_indented(note)),
        note_file=note_file,
        case_system=data.repo.authority.case_system if data.repo.authority else "the case-management system",
    )
    yield Asset(note_file, download.encode("utf-8"))


def _sheet_heading(panel: Panel) -> str:
    """The sheet's heading in the panel's terms: decisions, or recommendations and decisions."""
    kinds = {o.kind.value for o in panel.outcomes}
    return "Panel recommendations and decisions" if kinds - {"decision"} else "Panel decisions"


def _outcome_rows(
    panel: Panel, decision: Decision, due: dict[str, date]
) -> list[tuple[OutcomeSpec | None, str, bool, date | None]]:
    """The outcomes the request could lead to, as a checklist: (spec, name, chosen, follow-up due)."""
    request = panel.request_type(decision.request) if decision.request else None
    allowed = list(request.outcomes) if request and request.outcomes else [o.id for o in panel.outcomes]
    allowed += [o for o in decision.outcomes if o not in allowed]
    specs = {o.id: o for o in panel.outcomes}
    rows: list[tuple[OutcomeSpec | None, str, bool, date | None]] = []
    for outcome_id in allowed:
        spec = specs.get(outcome_id)
        chosen = outcome_id in decision.outcomes
        rows.append((spec, spec.name if spec else outcome_id, chosen, due.get(outcome_id) if chosen else None))
    return rows


def _indented(text: str) -> str:
    """Plain text as an indented Markdown code block: shown exactly, never read as markup."""
    return "\n".join(f"    {line}" if line else "" for line in text.rstrip("\n").split("\n"))


BUILDERS: tuple[PageBuilder, ...] = (_index, _meetings)
"""The builders of this area's pages and files."""


def nav(data: Workspace) -> tuple[NavItem, ...]:
    """One entry for the whole area: the meetings index."""
    return (NavLink("Meetings", MEETINGS),)
