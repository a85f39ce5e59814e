"""The trackers area of the site: actions, reviews due, late duties and the drift radar, with the CSV and XLSX.

Every page lives under `trackers/`. Cases are linked to their pages and decisions to their sections
there; the navigation names the four pages, never a case.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from generator.exports.tabular import (
    action_status_text,
    actions_csv,
    child_names,
    escalation_text,
    step_text,
    tracker_xlsx,
)
from generator.pipeline.workspace import Workspace
from generator.site.pages import Asset, NavItem, NavLink, NavSection, Page
from generator.site.paths import case_page, decision_anchor, panel_page
from generator.site.templates import PageBuilder, Renderer
from generator.views.drift import drift_radar
from generator.views.duties import DutyStatus
from generator.views.trackers import (
    DUE_SOON_DAYS,
    ActionStatus,
    ReviewStatus,
    duty_checks,
    reviews_due,
    tracked_actions,
)
from generator.views.words import decision_label, role_label

ACTIONS = "trackers/actions.md"
REVIEWS = "trackers/reviews.md"
DUTIES = "trackers/duties.md"
DRIFT = "trackers/drift.md"
CSV = "trackers/actions.csv"
"""The actions as CSV."""
XLSX = "trackers/tracker.xlsx"
"""The whole tracker as an XLSX workbook."""


def _common(data: Workspace) -> dict[str, object]:
    """What every tracker template gets besides the Renderer's own context."""

    return {
        "case_page": case_page,
        "panel_page": panel_page,
        "decision_anchor": decision_anchor,
        "decision_label": partial(decision_label, data),
        "panel_name": data.panel_name,
        "known_panel": lambda panel_id: panel_id in data.repo.panel_docs,
        "child_names": lambda case_id, ids: child_names(data, case_id, ids),
        "role_label": role_label,
    }


def _actions(r: Renderer) -> Iterator[Page | Asset]:
    data = r.data
    actions = tracked_actions(data)
    pending = [a for a in actions if a.status is not ActionStatus.DONE]
    overdue = sorted(
        (a for a in pending if a.status is ActionStatus.OVERDUE),
        key=lambda a: (-a.days_overdue, a.panel, a.case, a.action),
    )
    yield r.page(
        "tracker-actions.md.j2",
        ACTIONS,
        "Actions",
        overdue=overdue,
        open_actions=[a for a in pending if a.status is ActionStatus.OPEN],
        done=sorted((a for a in actions if a.status is ActionStatus.DONE), key=lambda a: (a.done_on, a.panel, a.case)),
        status_text=action_status_text,
        step_text=step_text,
        escalation_text=escalation_text,
        csv_path=CSV,
        xlsx_path=XLSX,
        **_common(data),
    )
    yield Asset(CSV, actions_csv(data))
    yield Asset(XLSX, tracker_xlsx(data))


def _reviews(r: Renderer) -> Iterator[Page]:
    data = r.data
    reviews = reviews_due(data)
    yield r.page(
        "tracker-reviews.md.j2",
        REVIEWS,
        "Reviews due",
        overdue=[x for x in reviews if x.status is ReviewStatus.OVERDUE],
        not_booked=[x for x in reviews if x.status is ReviewStatus.NOT_BOOKED],
        booked=[x for x in reviews if x.status is ReviewStatus.BOOKED],
        xlsx_path=XLSX,
        **_common(data),
    )


def _duties(r: Renderer) -> Iterator[Page]:
    data = r.data
    checks = duty_checks(data)
    yield r.page(
        "tracker-duties.md.j2",
        DUTIES,
        "Duties",
        late=[d for d in checks if d.late_or_overdue],
        coming=[d for d in checks if d.status is DutyStatus.NOT_YET_DUE],
        untracked=[d for d in checks if d.status is DutyStatus.NO_ACTION],
        done=sum(1 for d in checks if d.status is DutyStatus.ON_TIME),
        due_soon_days=DUE_SOON_DAYS,
        xlsx_path=XLSX,
        **_common(data),
    )


def _drift(r: Renderer) -> Iterator[Page]:
    data = r.data
    entries = drift_radar(data)
    groups = []
    for panel_id, panel in sorted(data.repo.panels.items()):
        for trigger in panel.triggers:
            if trigger.within is None:
                continue
            found = [e for e in entries if e.panel == panel_id and e.trigger.id == trigger.id]
            groups.append((panel_id, panel, trigger, found))
    yield r.page(
        "drift.md.j2",
        DRIFT,
        "Drift radar",
        groups=groups,
        total=len(entries),
        xlsx_path=XLSX,
        **_common(data),
    )


BUILDERS: tuple[PageBuilder, ...] = (_actions, _reviews, _duties, _drift)
"""The builders of this area's pages and files."""


def nav(data: Workspace) -> tuple[NavItem, ...]:
    """The "Trackers" section: actions, reviews due, duties, the drift radar."""
    return (
        NavSection(
            "Trackers",
            (
                NavLink("Actions", ACTIONS),
                NavLink("Reviews due", REVIEWS),
                NavLink("Duties", DUTIES),
                NavLink("Drift radar", DRIFT),
            ),
        ),
    )
