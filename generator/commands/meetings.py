"""`panel meetings`: a panel's coming meetings with their times, venues, series and referral deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import parse_date, repo_option, text_or_json_option
from generator.commands.panel_terms import as_json, day_label, domain_errors, iso, load_panel, table
from generator.models.panel import Panel
from generator.schedule.meetings import MAX_COUNT, ScheduledMeeting, meetings_from


@click.command("meetings")
@click.argument("panel_id", metavar="PANEL")
@click.option(
    "--from",
    "first",
    metavar="DATE",
    callback=parse_date,
    help="List meetings on or after this date (YYYY-MM-DD); default today.",
)
@click.option(
    "--count",
    type=click.IntRange(1, MAX_COUNT),
    default=10,
    show_default=True,
    help="How many meetings to list.",
)
@text_or_json_option
@repo_option
def meetings_command(panel_id: str, first: date | None, count: int, fmt: str, repo: Path) -> None:
    """List a panel's coming meetings: date, time, venue, series and referral deadline.

    A meeting whose usual day is a bank holiday or closure day follows the panel's `on_holiday`
    rule: moved (the Note column says from which day), left out, or held all the same. A panel
    that meets as required has no scheduled meetings.

    \b
    Example:
        panel meetings clam --from 2026-12-01 --count 5
        panel meetings cp --format json
    """
    panel, cal = load_panel(repo, panel_id)
    start = first if first is not None else date.today()
    with domain_errors():
        meetings = meetings_from(panel, cal, start, count)
    text = _meetings_json(meetings) if fmt == "json" else _meetings_text(panel, meetings)
    click.echo(text, nl=False)


def _meetings_json(meetings: list[ScheduledMeeting]) -> str:
    return as_json(
        [
            {
                "date": m.date.isoformat(),
                "start": m.start,
                "end": m.end,
                "venue": m.venue.name if m.venue else None,
                "series": m.series.name if m.series else None,
                "referral_deadline": iso(m.referral_deadline),
                "moved_from": iso(m.moved_from),
            }
            for m in meetings
        ]
    )


def _meetings_text(panel: Panel, meetings: list[ScheduledMeeting]) -> str:
    if not meetings:
        return f"{panel.short_name} ({panel.id}) has no scheduled meetings.\n"
    moved = any(m.moved_from for m in meetings)
    header = ("Date", "Time", "Venue", "Series", "Referral deadline", *(("Note",) if moved else ()))
    rows = [
        (
            day_label(m.date),
            "-".join(t for t in (m.start, m.end) if t) or "-",
            m.venue.name if m.venue else "-",
            m.series.name if m.series else "-",
            day_label(m.referral_deadline) if m.referral_deadline else "-",
            *((_moved_note(m),) if moved else ()),
        )
        for m in meetings
    ]
    return table([header, *rows])


def _moved_note(meeting: ScheduledMeeting) -> str:
    if meeting.moved_from is None:
        return ""
    because = f" ({meeting.moved_because})" if meeting.moved_because else ""
    return f"moved from {day_label(meeting.moved_from)}{because}"
