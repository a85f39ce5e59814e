"""`panel timescales`: a meeting's referral deadline and due dates, or when a child must be presented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import parse_date, repo_option, text_or_json_option
from generator.commands.panel_terms import as_json, day_label, domain_errors, iso, load_panel, table
from generator.models.panel import Frequency, Panel
from generator.schedule.meetings import is_meeting_date
from generator.schedule.timescales import due_dates, present_by, referral_deadline
from generator.schedule.workdays import WorkingCalendar


@click.command("timescales")
@click.argument("panel_id", metavar="PANEL")
@click.option("--meeting", metavar="DATE", callback=parse_date, help="Meeting date (YYYY-MM-DD).")
@click.option(
    "--entered-care",
    "entered_care",
    metavar="DATE",
    callback=parse_date,
    help="Date a child came into care unplanned (YYYY-MM-DD).",
)
@text_or_json_option
@repo_option
def timescales_command(panel_id: str, meeting: date | None, entered_care: date | None, fmt: str, repo: Path) -> None:
    """Work out a panel's deadlines in working days, bank holidays and closures allowed for.

    With --meeting: the referral deadline for that meeting and the date each after-meeting
    duty and each outcome's follow-up falls due. With --entered-care: the last day a child
    who came into care in an emergency may be presented. Give one of the two.

    \b
    Example:
        panel timescales cmr --meeting 2026-12-29
        panel timescales clam --entered-care 2026-12-18 --format json
    """
    if (meeting is None) == (entered_care is None):
        raise click.UsageError("give either --meeting or --entered-care, not both or neither")
    panel, cal = load_panel(repo, panel_id)
    if meeting is not None:
        click.echo(_meeting_timescales(panel, meeting, cal, fmt), nl=False)
    elif entered_care is not None:
        click.echo(_present_by(panel, entered_care, cal, fmt), nl=False)


def _meeting_timescales(panel: Panel, meeting: date, cal: WorkingCalendar, fmt: str) -> str:
    with domain_errors():
        deadline = referral_deadline(panel, meeting, cal)
        due = dict(sorted(due_dates(panel, meeting, cal).items()))
    if fmt == "json":
        return as_json(
            {
                "panel": panel.id,
                "meeting": meeting.isoformat(),
                "referral_deadline": iso(deadline),
                "due": {name: day.isoformat() for name, day in due.items()},
            }
        )
    rows = [("referral deadline", day_label(deadline) if deadline else "none")]
    rows += [(name, day_label(day)) for name, day in due.items()]
    title = f"{panel.short_name} ({panel.id}) meeting on {day_label(meeting)}\n"
    return title + "".join(f"note: {note}\n" for note in _meeting_notes(panel, meeting, cal)) + table(rows)


def _meeting_notes(panel: Panel, meeting: date, cal: WorkingCalendar) -> list[str]:
    """What is odd about the date: the deadlines are still worked out, but it may be a typo."""
    notes = []
    if not cal.is_working_day(meeting):
        notes.append(f"{meeting} is not a working day ({cal.holiday_name(meeting) or 'weekend'})")
    if panel.cadence.frequency is not Frequency.AS_REQUIRED and not is_meeting_date(panel, cal, meeting):
        notes.append(f"{meeting} is not one of {panel.short_name}'s scheduled meetings")
    return notes


def _present_by(panel: Panel, entered_care: date, cal: WorkingCalendar, fmt: str) -> str:
    with domain_errors():
        due = present_by(panel, entered_care, cal)
    if fmt == "json":
        return as_json({"present_by": due.isoformat()})
    came, by = day_label(entered_care), day_label(due)
    return f"A child who came into care on {came} must be presented to {panel.short_name} by {by}.\n"
