"""What the panels heard and decided in a period: cases heard, outcomes, deferrals and repeat referrals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.loading.repository import Doc, Repository
from generator.models import Decision, Panel, Referral
from generator.models.panel import OutcomeKind
from generator.schedule.workdays import add_months
from generator.views.reports.figures import Measure, Period, row, total_row

HEARD_DEFINITION = (
    "A case heard is one decision sheet: a case considered at one meeting. A case heard at two meetings "
    "counts twice. A decision sheet replaced by a later one (supersedes) is not counted again."
)
OUTCOME_DEFINITION = (
    "The outcomes recorded on the decision sheets of the cases heard, in each panel's own words. "
    "A decision sheet can record more than one outcome, so outcomes add up to more than the cases heard."
)
DEFERRAL_DEFINITION = (
    "A deferral is a case booked for a meeting and recorded on the meeting record as not heard, with the reason. "
    "Cases booked are the cases heard plus the cases deferred at the meetings held in the period."
)
REPEAT_DEFINITION = (
    "A repeat referral is a referral of a case to a panel that had heard the same case at a meeting in the "
    "12 months before the meeting it is referred to. It is a planned return when that earlier decision set a "
    "review date, and unplanned otherwise. The re-referral rate is repeat referrals divided by all referrals. "
    "Referrals counted are those for meetings in the reporting year held in the repository on the report's "
    "date, including referrals already made for meetings still to come."
)
REPEAT_WINDOW_MONTHS = 12
"""How far back an earlier hearing makes a referral a repeat."""

_OUTCOME_KINDS = {
    OutcomeKind.DECISION: "Decisions",
    OutcomeKind.RECOMMENDATION: "Recommendations",
    OutcomeKind.ADVICE: "Advice (not enough information to decide)",
}


@dataclass(frozen=True)
class Hearings:
    """The decision sheets that count, indexed once for every measure."""

    current: tuple[Doc[Decision], ...]
    """Decision sheets not replaced by a later one, oldest meeting first."""
    by_panel_case: dict[tuple[str, str], list[date]]
    """Meeting dates at which each (panel, case) was heard, oldest first."""
    review_set: frozenset[tuple[str, str, date]]
    """(panel, case, meeting) of the hearings whose decision set a review date."""


def index_hearings(repo: Repository) -> Hearings:
    """Every current decision sheet, and when each case was heard at each panel."""
    replaced = {doc.model.supersedes for doc in repo.decisions if doc.model.supersedes}
    current = tuple(doc for doc in repo.decisions if doc.path not in replaced)
    dates: dict[tuple[str, str], list[date]] = defaultdict(list)
    for doc in current:
        dates[(doc.model.panel, doc.model.case)].append(doc.model.meeting)
    review = frozenset((d.model.panel, d.model.case, d.model.meeting) for d in current if d.model.review_date)
    return Hearings(current, {key: sorted(value) for key, value in dates.items()}, review)


def panel_label(repo: Repository, panel_id: str) -> str:
    """A panel's short name, or its id when the panel is unknown."""
    panel = repo.panels.get(panel_id)
    return panel.short_name if panel else panel_id


def panel_order(repo: Repository, panel_id: str) -> tuple[str, str]:
    """Sort key putting panels in the order of their short names."""
    return panel_label(repo, panel_id).casefold(), panel_id


def heard_in(hearings: Hearings, period: Period) -> list[Doc[Decision]]:
    """The current decision sheets of meetings in the covered part of `period`."""
    return [doc for doc in hearings.current if period.holds(doc.model.meeting)]


def heard_by_panel(repo: Repository, heard: Sequence[Doc[Decision]]) -> Measure:
    """Cases heard, panel by panel (every panel listed, none heard included)."""
    cases: dict[str, list[str]] = {panel_id: [] for panel_id in repo.panels}
    for doc in heard:
        cases.setdefault(doc.model.panel, []).append(doc.model.case)
    columns = ("Cases heard",)
    rows = tuple(
        row(panel_label(repo, p), columns, [cases[p]]) for p in sorted(cases, key=lambda p: panel_order(repo, p))
    )
    return Measure("heard", "Cases heard by panel", HEARD_DEFINITION, "Panel", columns, rows, total_row(columns, rows))


def heard_by_request(repo: Repository, heard: Sequence[Doc[Decision]]) -> Measure:
    """Cases heard by panel and request type (only request types heard at least once)."""
    cases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in heard:
        cases[(doc.model.panel, doc.model.request or "")].append(doc.model.case)
    columns = ("Cases heard",)
    rows = []
    for panel_id, request_id in sorted(
        cases, key=lambda key: (panel_order(repo, key[0]), _request_order(repo.panels.get(key[0]), *key))
    ):
        label = f"{panel_label(repo, panel_id)}: {_request_name(repo.panels.get(panel_id), request_id)}"
        rows.append(row(label, columns, [cases[(panel_id, request_id)]]))
    return Measure(
        "requests",
        "Cases heard by request type",
        HEARD_DEFINITION + " Request types a panel did not hear in the period are left out.",
        "Panel and request type",
        columns,
        tuple(rows),
        total_row(columns, rows),
    )


def _request_order(panel: Panel | None, panel_id: str, request_id: str) -> tuple[str, int, str]:
    ids = [r.id for r in panel.request_types] if panel else []
    return panel_id, ids.index(request_id) if request_id in ids else len(ids), request_id


def _request_name(panel: Panel | None, request_id: str) -> str:
    if not request_id:
        return "no request type recorded"
    request = panel.request_type(request_id) if panel else None
    return request.name if request else request_id


def outcomes(repo: Repository, heard: Sequence[Doc[Decision]]) -> tuple[Measure, Measure]:
    """Outcomes recorded, by panel and outcome; and by kind (decision, recommendation, advice)."""
    by_outcome: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_kind: dict[str, list[str]] = {label: [] for label in _OUTCOME_KINDS.values()}
    for doc in heard:
        panel = repo.panels.get(doc.model.panel)
        specs = {o.id: o for o in panel.outcomes} if panel else {}
        for outcome_id in doc.model.outcomes:
            by_outcome[(doc.model.panel, outcome_id)].append(doc.model.case)
            spec = specs.get(outcome_id)
            if spec is not None:
                by_kind[_OUTCOME_KINDS[spec.kind]].append(doc.model.case)
    columns = ("Times recorded",)
    rows = []
    for panel_id, outcome_id in sorted(
        by_outcome, key=lambda key: (panel_order(repo, key[0]), _outcome_order(repo.panels.get(key[0]), *key))
    ):
        panel = repo.panels.get(panel_id)
        name = next((o.name for o in panel.outcomes if o.id == outcome_id), outcome_id) if panel else outcome_id
        rows.append(row(f"{panel_label(repo, panel_id)}: {name}", columns, [by_outcome[(panel_id, outcome_id)]]))
    kind_rows = tuple(row(label, columns, [ids]) for label, ids in by_kind.items())
    return (
        Measure("outcomes", "Outcomes by panel", OUTCOME_DEFINITION, "Panel and outcome", columns, tuple(rows)),
        Measure(
            "outcome-kinds",
            "Outcomes by kind",
            OUTCOME_DEFINITION + " Each outcome is a decision, a recommendation or advice, as its panel's terms say.",
            "Kind of outcome",
            columns,
            kind_rows,
            total_row(columns, kind_rows),
        ),
    )


def _outcome_order(panel: Panel | None, panel_id: str, outcome_id: str) -> tuple[str, int, str]:
    ids = [o.id for o in panel.outcomes] if panel else []
    return panel_id, ids.index(outcome_id) if outcome_id in ids else len(ids), outcome_id


@dataclass(frozen=True, slots=True)
class DeferralLine:
    """One deferred case, as the meeting record gives it."""

    panel: str
    """The panel's short name."""
    meeting: date
    """The meeting it was booked for."""
    case: str
    """Case id."""
    reason: str
    """Why it was not heard (from the meeting record)."""
    to: date | None
    """The meeting it moved to, if recorded."""


def deferrals(repo: Repository, period: Period) -> tuple[Measure, tuple[DeferralLine, ...]]:
    """Cases booked and deferred at each panel's meetings in the period, and every deferral in detail."""
    booked: dict[str, list[str]] = defaultdict(list)
    deferred: dict[str, list[str]] = defaultdict(list)
    lines: list[DeferralLine] = []
    for (panel_id, day), doc in sorted(repo.meetings.items()):
        if not period.holds(day):
            continue
        meeting = doc.model
        booked[panel_id] += [*meeting.heard, *(d.case for d in meeting.deferred)]
        deferred[panel_id] += [d.case for d in meeting.deferred]
        lines += [DeferralLine(panel_label(repo, panel_id), day, d.case, d.reason, d.to) for d in meeting.deferred]
    columns = ("Cases booked", "Deferred")
    rows = tuple(
        row(panel_label(repo, p), columns, [booked[p], deferred[p]])
        for p in sorted(booked, key=lambda p: panel_order(repo, p))
    )
    measure = Measure(
        "deferrals", "Deferrals by panel", DEFERRAL_DEFINITION, "Panel", columns, rows, total_row(columns, rows)
    )
    return measure, tuple(lines)


def repeat_referrals(repo: Repository, hearings: Hearings, period: Period) -> Measure:
    """Referrals, repeat referrals (planned returns and unplanned), panel by panel."""
    columns = ("Referrals", "Repeat referrals", "Planned returns", "Unplanned repeats")
    groups: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}
    for doc in repo.referrals:
        referral = doc.model
        if not period.spans(referral.meeting):
            continue
        all_, repeats, planned, unplanned = groups.setdefault(referral.panel, ([], [], [], []))
        all_.append(referral.case)
        earlier = _earlier_hearing(hearings, referral)
        if earlier is None:
            continue
        repeats.append(referral.case)
        if (referral.panel, referral.case, earlier) in hearings.review_set:
            planned.append(referral.case)
        else:
            unplanned.append(referral.case)
    rows = tuple(
        row(panel_label(repo, p), columns, list(groups[p])) for p in sorted(groups, key=lambda p: panel_order(repo, p))
    )
    return Measure(
        "repeat-referrals",
        "Repeat referrals by panel",
        REPEAT_DEFINITION,
        "Panel",
        columns,
        rows,
        total_row(columns, rows),
    )


def _earlier_hearing(hearings: Hearings, referral: Referral) -> date | None:
    """The latest meeting in the 12 months before the referral's meeting at which the panel heard the case."""
    since = add_months(referral.meeting, -REPEAT_WINDOW_MONTHS)
    found = [
        d for d in hearings.by_panel_case.get((referral.panel, referral.case), ()) if since <= d < referral.meeting
    ]
    return found[-1] if found else None
