"""The monthly looked-after children (LAC) reduction report: discharges of care orders, SGOs, placements with parents.

The head of service for children looked after reports it monthly to the assistant director and the
director of children's services. Figures come from two sources: the LAC reduction meeting's decisions
(what it considered and what it agreed, per route out of care) and the cases' key events (special
guardianship orders made, children leaving care).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.loading.repository import Doc, Repository
from generator.models import Decision, Panel
from generator.models.case import LegalStatus
from generator.views.reports.children import ChildEvent, left_care, orders_of
from generator.views.reports.figures import Measure, Period, months_to, row, total_row
from generator.views.reports.hearings import index_hearings

LAC_REDUCTION = "lac-reduction"
"""The id of the LAC reduction meeting's panel file."""
MONTHS = 12
"""How many months the report shows: the month containing `as_of` and the eleven before it."""
OTHER_ROUTE = "Other or not recorded"

ROUTE_DEFINITION = (
    "Children considered by the LAC reduction meeting at its meetings in each month on this kind of request, and "
    "the outcomes recorded for them. A decision about two siblings counts two children; a child considered at two "
    "meetings counts twice. A decision can record more than one outcome."
)
EVENT_DEFINITION = (
    "From the cases' key events, child by child. Special guardianship orders made: order-made events on a day "
    "the child's recorded legal status became special guardianship (the event itself does not say which order). "
    "Children who left care: left-care events, whatever the route out of care."
)
LIMITATIONS = (
    "The case record has no event for a court discharging a care order, and none for a placement with parents "
    "starting or ending. Discharges of care orders and placements with parents are therefore counted from the LAC "
    "reduction meeting's decisions (what it considered and agreed to take forward), not from orders the court made.",
    "A special guardianship order is recognised only while it is the child's current legal status: an order later "
    "replaced by another status is no longer counted.",
    "Children leaving care are counted from left-care events, which do not record the route (return home, "
    "special guardianship, adoption, turning 18).",
)
"""What the report cannot tell from the data, stated on the page."""


@dataclass(frozen=True, slots=True)
class LacDecision:
    """One decision of the LAC reduction meeting in the months shown."""

    month: str
    """The month's label."""
    meeting: date
    """The meeting date."""
    case: str
    """Case id."""
    children: tuple[str, ...]
    """Child ids within the case."""
    route: str
    """The request type's name (the route out of care)."""
    outcomes: str
    """The outcomes' names, joined."""


@dataclass(frozen=True)
class LacReport:
    """Every figure of the monthly LAC reduction report, each with the cases behind it."""

    months: tuple[Period, ...]
    """The months shown, oldest first; the last is the month containing `as_of`."""
    panel: str | None
    """The LAC reduction meeting's name (None: the repository has no such panel)."""
    routes: tuple[Measure, ...]
    """Per route out of care: children considered and outcomes, month by month."""
    events: Measure
    """Special guardianship orders made and children who left care, month by month."""
    decisions: tuple[LacDecision, ...]
    """Every decision of the LAC reduction meeting in the months shown, oldest first."""


def lac_reduction_report(repo: Repository, *, as_of: date) -> LacReport:
    """The LAC reduction report for the 12 months ending with the month containing `as_of`."""
    months = months_to(as_of, MONTHS)
    panel = repo.panels.get(LAC_REDUCTION)
    decisions = [
        doc
        for doc in index_hearings(repo).current
        if doc.model.panel == LAC_REDUCTION and _month(months, doc.model.meeting) is not None
    ]
    sgos: list[ChildEvent] = []
    leavers: list[ChildEvent] = []
    for doc in repo.cases.values():
        sgos += orders_of(doc.model, as_of, LegalStatus.SGO)
        leavers += left_care(doc.model, as_of)
    return LacReport(
        months,
        panel.name if panel else None,
        _routes(panel, months, decisions),
        _events(months, sgos, leavers),
        tuple(_decision_line(panel, months, doc) for doc in decisions),
    )


def _month(months: Sequence[Period], day: date) -> int | None:
    """The index of the month holding `day` (None: outside the months shown, or after `as_of`)."""
    first = months[0].start
    index = (day.year - first.year) * 12 + day.month - first.month
    return index if 0 <= index < len(months) and months[index].holds(day) else None


def _route_names(panel: Panel | None, decisions: Sequence[Doc[Decision]]) -> list[tuple[str, str]]:
    routes = [(r.id, r.name) for r in panel.request_types] if panel else []
    known = {r for r, _ in routes}
    if any(doc.model.request not in known for doc in decisions):
        routes.append(("", OTHER_ROUTE))
    return routes


def _routes(panel: Panel | None, months: Sequence[Period], decisions: Sequence[Doc[Decision]]) -> tuple[Measure, ...]:
    outcome_ids = [o.id for o in panel.outcomes] if panel else []
    columns: tuple[str, ...] = (
        ("Children considered", *(o.name for o in panel.outcomes)) if panel else ("Children considered",)
    )
    measures = []
    known = {r.id for r in panel.request_types} if panel else set()
    for route_id, route_name in _route_names(panel, decisions):
        cells: list[list[list[str]]] = [[[] for _ in columns] for _ in months]
        for doc in decisions:
            decision = doc.model
            request = decision.request if decision.request in known else ""
            month = _month(months, decision.meeting)
            if request != route_id or month is None:
                continue
            children = [decision.case] * len(decision.children)
            cells[month][0] += children
            for outcome in decision.outcomes:
                if outcome in outcome_ids:
                    cells[month][1 + outcome_ids.index(outcome)] += children
        rows = tuple(row(m.label, columns, cells[i]) for i, m in enumerate(months))
        measures.append(
            Measure(
                f"route-{route_id or 'other'}",
                route_name,
                ROUTE_DEFINITION,
                "Month",
                columns,
                rows,
                total_row(columns, rows, "All months shown"),
            )
        )
    return tuple(measures)


def _events(months: Sequence[Period], sgos: Sequence[ChildEvent], leavers: Sequence[ChildEvent]) -> Measure:
    columns = ("Special guardianship orders made", "Children who left care")
    cells: list[list[list[str]]] = [[[], []] for _ in months]
    for column, events in enumerate((sgos, leavers)):
        for event in events:
            month = _month(months, event.date)
            if month is not None:
                cells[month][column].append(event.case)
    rows = tuple(row(m.label, columns, cells[i]) for i, m in enumerate(months))
    return Measure(
        "events",
        "Special guardianship orders and children leaving care",
        EVENT_DEFINITION,
        "Month",
        columns,
        rows,
        total_row(columns, rows, "All months shown"),
    )


def _decision_line(panel: Panel | None, months: Sequence[Period], doc: Doc[Decision]) -> LacDecision:
    decision = doc.model
    request = panel.request_type(decision.request) if panel and decision.request else None
    names = {o.id: o.name for o in panel.outcomes} if panel else {}
    month = _month(months, decision.meeting)
    return LacDecision(
        months[month].label if month is not None else "",
        decision.meeting,
        decision.case,
        tuple(decision.children),
        request.name if request else OTHER_ROUTE,
        ", ".join(names.get(o, o) for o in decision.outcomes),
    )
