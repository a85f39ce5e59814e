"""The tracker as the coordinators' spreadsheet: the actions as CSV, and every tracker as an XLSX workbook.

Both come out byte-identical for the same repository and `as_of`: rows are sorted by the trackers,
the workbook's properties are dated `as_of`, and the XLSX's zip entries get a fixed time and order.

Children are named as the audience's `exports` says: by their initials unless the audience
needs full names (`generator.models.audience`).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
formula by a spreadsheet program; such text is prefixed with an apostrophe in both files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from generator.loading.repository import Doc
from generator.models import Decision
from generator.models.audience import NameForm, initials
from generator.pipeline.workspace import Workspace
from generator.views.drift import DriftEntry, drift_radar
from generator.views.duties import DutyCheck
from generator.views.trackers import (
    ActionStatus,
    ReviewDue,
    ReviewStatus,
    TrackedAction,
    late_duties,
    reviews_due,
    tracked_actions,
)
from generator.views.words import role_label

Cell = str | int | date | None
"""A spreadsheet cell: text, a whole number, a date, or empty."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DATE_FORMAT = "yyyy-mm-dd"
_MAX_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table of the tracker: a title, its column headers and its rows."""

    title: str
    """The sheet's name in the workbook."""
    headers: tuple[str, ...]
    """Column headers."""
    rows: tuple[tuple[Cell, ...], ...]
    """The rows, each as long as `headers`."""


ACTION_HEADERS = (
    "Panel",
    "Meeting",
    "Case",
    "Children",
    "Action",
    "What",
    "Owner",
    "Agreed due date",
    "Due date",
    "Status",
    "Done on",
    "Working days overdue",
    "Escalation step reached",
    "Escalated",
    "Decision file",
)
"""The columns of the actions CSV and of the workbook's Actions sheet."""
REVIEW_HEADERS = (
    "Panel",
    "Meeting",
    "Case",
    "Children",
    "Review date",
    "Status",
    "Booked for",
    "Working days overdue",
    "Decision file",
)
"""The columns of the Reviews due sheet."""
DUTY_HEADERS = (
    "Panel",
    "Meeting",
    "Case",
    "Kind",
    "Duty",
    "Due date",
    "Status",
    "Done on",
    "Working days late",
)
"""The columns of the Duties sheet (duties done late, or not done and past due)."""
DRIFT_HEADERS = ("Panel", "Case", "Children", "Trigger", "Since", "Due date", "Working days past")
"""The columns of the Drift radar sheet."""


def guard(value: str) -> str:
    """`value`, with an apostrophe in front if a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def tracker_sheets(data: Workspace) -> tuple[Sheet, ...]:
    """The four tables of the tracker: actions, reviews due, late duties, the drift radar."""
    return (
        Sheet("Actions", ACTION_HEADERS, tuple(_action_row(data, a) for a in tracked_actions(data))),
        Sheet("Reviews due", REVIEW_HEADERS, tuple(_review_row(data, r) for r in reviews_due(data))),
        Sheet("Duties", DUTY_HEADERS, tuple(_duty_row(data, d) for d in late_duties(data))),
        Sheet("Drift radar", DRIFT_HEADERS, tuple(_drift_row(data, e) for e in drift_radar(data))),
    )


def actions_csv(data: Workspace) -> bytes:
    """Every tracked action as CSV: UTF-8, a header row, one row per action, dates as YYYY-MM-DD."""
    sheet = tracker_sheets(data)[0]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in sheet.rows)
    return out.getvalue().encode("utf-8")


def tracker_xlsx(data: Workspace) -> bytes:
    """The whole tracker as an XLSX workbook, one sheet per table, the same bytes for the same `as_of`.

    Each sheet has a bold header row frozen at the top, widths fitted to the text, and dates as
    real dates shown as YYYY-MM-DD.
    """
    book = Workbook()
    book.remove(book.active)
    for sheet in tracker_sheets(data):
        _write_sheet(book, sheet)
    stamp = datetime.combine(data.as_of, time(0, 0))
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "panel"
    book.properties.title = "Panel tracker"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter rather than Workbook.save, which stamps the modified time with the clock.
        ExcelWriter(book, archive).save()
    return _fixed_zip(raw.getvalue(), data.as_of)


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(sheet.title)
    ws.append(list(sheet.headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in sheet.headers]
    for row in sheet.rows:
        ws.append([guard(cell) if isinstance(cell, str) else cell for cell in row])
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], 10 if isinstance(cell, date) else len(str(cell or "")))
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime | date):
                cell.number_format = _DATE_FORMAT
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"


def _fixed_zip(data: bytes, as_of: date) -> bytes:
    """The archive rewritten with every entry dated `as_of` and `[Content_Types].xml` first, then by name."""
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, int):
        return str(cell)
    return guard(cell)


# --- rows -----------------------------------------------------------------------------------------


def _children(data: Workspace, decision: Doc[Decision]) -> str:
    return child_names(data, decision.model.case, decision.model.children, data.audience.exports)


def child_names(data: Workspace, case_id: str | None, ids: Sequence[str], form: NameForm = NameForm.FULL) -> str:
    """The names of a case's children (ids where the case or child is unknown), joined by "; ".

    The pages give them in full (as far as the audience may see them); the files give `form`,
    which is the audience's `exports` (initials unless the audience needs full names).
    """
    case = data.repo.cases.get(case_id) if case_id else None
    names = []
    for child_id in ids:
        child = case.model.child(child_id) if case else None
        if child is None:
            names.append(child_id)
        else:
            names.append(child.name if form is NameForm.FULL else initials(child.name))
    return "; ".join(names)


def action_status_text(action: TrackedAction) -> str:
    """An action's status in words: "done on 2026-11-20", "open", "overdue"."""
    if action.status is ActionStatus.DONE and action.done_on is not None:
        return f"done on {action.done_on.isoformat()}"
    return action.status.value


def escalation_text(action: TrackedAction) -> str:
    """The escalations recorded, in words ("" if none)."""
    return "; ".join(f"to the {role_label(e.to)} on {e.date.isoformat()}" for e in action.escalations)


def step_text(action: TrackedAction) -> str:
    """The escalation step reached, in words ("" if none)."""
    if action.step is None:
        return ""
    return f"step {action.step.number}: {role_label(action.step.step.to)} (from {action.step.since.isoformat()})"


def _action_row(data: Workspace, action: TrackedAction) -> tuple[Cell, ...]:
    return (
        data.panel_name(action.panel),
        action.meeting,
        action.case,
        _children(data, action.decision),
        action.action,
        action.what,
        data.person(action.owner),
        action.agreed_due,
        action.due,
        action.status.value,
        action.done_on,
        action.days_overdue,
        step_text(action),
        escalation_text(action) or ("not yet escalated" if action.escalation_missing else ""),
        action.decision.path,
    )


def _review_row(data: Workspace, review: ReviewDue) -> tuple[Cell, ...]:
    status: str = review.status.value
    if review.status is ReviewStatus.BOOKED and review.booked_after_review_date:
        status = "booked after the review date"
    return (
        data.panel_name(review.panel),
        review.decision.model.meeting,
        review.case,
        _children(data, review.decision),
        review.review_date,
        status,
        review.booked_for,
        review.days_overdue,
        review.decision.path,
    )


def _duty_row(data: Workspace, duty: DutyCheck) -> tuple[Cell, ...]:
    return (
        data.panel_name(duty.panel),
        duty.meeting,
        duty.case,
        duty.kind.value,
        duty.name,
        duty.due,
        duty.status.value,
        duty.done_on,
        duty.days_late,
    )


def _drift_row(data: Workspace, entry: DriftEntry) -> tuple[Cell, ...]:
    return (
        data.panel_name(entry.panel),
        entry.case,
        child_names(data, entry.case, entry.children, data.audience.exports),
        entry.trigger.description,
        entry.since,
        entry.due,
        entry.days_past,
    )
