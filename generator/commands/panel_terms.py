"""What the time commands (`panel timescales`, `panel meetings`) share: one panel's terms and the calendar, read
from the repository, and their output helpers."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from generator.core.diagnostics import Diagnostic, Severity
from generator.core.errors import UsageError
from generator.core.formatters import format_text
from generator.core.layout import AUTHORITY_PATH
from generator.loading.repository import load_repository
from generator.models.panel import Panel
from generator.schedule.workdays import WorkingCalendar


def load_panel(repo: Path, panel_id: str) -> tuple[Panel, WorkingCalendar]:
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
def domain_errors() -> Iterator[None]:
    """Turn the library's refusals into click errors (exit 2) instead of tracebacks."""
    try:
        yield
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    except OverflowError:
        raise click.UsageError("the dates run past the end of the calendar") from None
    except ValueError as error:
        raise _ConfigError(str(error)) from None


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as left-aligned columns two spaces apart, without trailing spaces."""
    widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows
    )


def day_label(d: date) -> str:
    """A date as the time commands print it: `2026-12-07 Mon`."""
    return f"{d.isoformat()} {d.strftime('%a')}"


def iso(d: date | None) -> str | None:
    """A date in ISO form for JSON, None kept."""
    return d.isoformat() if d else None


def as_json(data: object) -> str:
    """Indented JSON with a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
