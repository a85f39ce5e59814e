"""`panel timescales` and `panel meetings`: a panel's deadlines and its coming meetings."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from generator.commands.options import parse_date, repo_option
from generator.core.diagnostics import Diagnostic, Severity
from generator.core.errors import UsageError
from generator.core.formatters import format_text
from generator.core.layout import AUTHORITY_PATH
from generator.loading.repository import load_repository
from generator.models.panel import Frequency, Panel
from generator.schedule.meetings import MAX_COUNT, ScheduledMeeting, is_meeting_date, meetings_from
from generator.schedule.timescales import due_dates, present_by, referral_deadline
from generator.schedule.workdays import WorkingCalendar

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


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
@_FORMAT
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
    panel, cal = _load(repo, panel_id)
    if meeting is not None:
        click.echo(_meeting_timescales(panel, meeting, cal, fmt), nl=False)
    elif entered_care is not None:
        click.echo(_present_by(panel, entered_care, cal, fmt), nl=False)


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
@_FORMAT
@repo_option
def meetings_command(panel_id: str, first: date | None, count: int, fmt: str, repo: Path) -> None:
    """List a panel's coming meetings: date, time, venue, series and referral deadline.

    Meetings that would fall on a bank holiday or closure day are left out when the panel's
    cadence says so. A panel that meets as required has no scheduled meetings.

    \b
    Example:
        panel meetings clam --from 2026-12-01 --count 5
        panel meetings cp --format json
    """
    panel, cal = _load(repo, panel_id)
    start = first if first is not None else date.today()
    with _domain_errors():
        meetings = meetings_from(panel, cal, start, count)
    text = _meetings_json(meetings) if fmt == "json" else _meetings_text(panel, meetings)
    click.echo(text, nl=False)


def _load(repo: Path, panel_id: str) -> tuple[Panel, WorkingCalendar]:
    """The panel and the authority's calendar, or exit 2 with the reason."""
    repository, diagnostics = load_repository(repo)
    blocking = _load_errors(diagnostics, panel_id)
    if blocking:
        for diagnostic in blocking:
            click.echo(format_text([diagnostic], summary=False).splitlines()[0], err=True)
        sys.exit(2)
    panel = repository.panels.get(panel_id)
    if panel is None:
        raise click.BadParameter(_unknown_panel(panel_id, sorted(repository.panels)), param_hint="PANEL")
    authority = repository.authority
    cal = WorkingCalendar.for_authority(authority) if authority else WorkingCalendar()
    return panel, cal


def _load_errors(diagnostics: list[Diagnostic], panel_id: str) -> list[Diagnostic]:
    """Errors in the files these commands read: the panel's and the authority's."""
    paths = {AUTHORITY_PATH, f"panels/{panel_id}.md"}
    return sorted(d for d in diagnostics if d.path in paths and d.severity is Severity.ERROR)


def _unknown_panel(panel_id: str, known: list[str]) -> str:
    if not known:
        return f"no panel '{panel_id}': the repository has no panels"
    close = difflib.get_close_matches(panel_id, known, n=1)
    advice = f"Did you mean '{close[0]}'? " if close else ""
    return f"no panel '{panel_id}'. {advice}Known panels: {', '.join(known)}"


class _ConfigError(click.ClickException):
    """The panel's terms cannot be worked with: exit 2 with the reason."""

    exit_code = 2


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Turn the library's refusals into click errors (exit 2) instead of tracebacks."""
    try:
        yield
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    except OverflowError:
        raise click.UsageError("the dates run past the end of the calendar") from None
    except ValueError as error:
        raise _ConfigError(str(error)) from None


def _meeting_timescales(panel: Panel, meeting: date, cal: WorkingCalendar, fmt: str) -> str:
    with _domain_errors():
        deadline = referral_deadline(panel, meeting, cal)
        due = dict(sorted(due_dates(panel, meeting, cal).items()))
    if fmt == "json":
        return _json(
            {
                "panel": panel.id,
                "meeting": meeting.isoformat(),
                "referral_deadline": _iso(deadline),
                "due": {name: day.isoformat() for name, day in due.items()},
            }
        )
    rows = [("referral deadline", _day(deadline) if deadline else "none")]
    rows += [(name, _day(day)) for name, day in due.items()]
    title = f"{panel.short_name} ({panel.id}) meeting on {_day(meeting)}\n"
    return title + "".join(f"note: {note}\n" for note in _meeting_notes(panel, meeting, cal)) + _table(rows)


def _meeting_notes(panel: Panel, meeting: date, cal: WorkingCalendar) -> list[str]:
    """What is odd about the date: the deadlines are still worked out, but it may be a typo."""
    notes = []
    if not cal.is_working_day(meeting):
        notes.append(f"{meeting} is not a working day ({cal.holiday_name(meeting) or 'weekend'})")
    if panel.cadence.frequency is not Frequency.AS_REQUIRED and not is_meeting_date(panel, cal, meeting):
        notes.append(f"{meeting} is not one of {panel.short_name}'s scheduled meetings")
    return notes


def _present_by(panel: Panel, entered_care: date, cal: WorkingCalendar, fmt: str) -> str:
    with _domain_errors():
        due = present_by(panel, entered_care, cal)
    if fmt == "json":
        return _json({"present_by": due.isoformat()})
    return (
        f"A child who came into care on {_day(entered_care)} must be presented to {panel.short_name} by {_day(due)}.\n"
    )


def _meetings_json(meetings: list[ScheduledMeeting]) -> str:
    return _json(
        [
            {
                "date": m.date.isoformat(),
                "start": m.start,
                "end": m.end,
                "venue": m.venue.name if m.venue else None,
                "series": m.series.name if m.series else None,
                "referral_deadline": _iso(m.referral_deadline),
            }
            for m in meetings
        ]
    )


def _meetings_text(panel: Panel, meetings: list[ScheduledMeeting]) -> str:
    if not meetings:
        return f"{panel.short_name} ({panel.id}) has no scheduled meetings.\n"
    header = ("Date", "Time", "Venue", "Series", "Referral deadline")
    rows = [
        (
            _day(m.date),
            "-".join(t for t in (m.start, m.end) if t) or "-",
            m.venue.name if m.venue else "-",
            m.series.name if m.series else "-",
            _day(m.referral_deadline) if m.referral_deadline else "-",
        )
        for m in meetings
    ]
    return _table([header, *rows])


def _table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as left-aligned columns two spaces apart, without trailing spaces."""
    widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows
    )


def _day(d: date) -> str:
    return f"{d.isoformat()} {d.strftime('%a')}"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
