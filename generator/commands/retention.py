"""`panel retention`: which cases are due for review or destruction under the council's retention rules."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from generator.checks.retention import check_retention
from generator.commands.options import as_of_option, repo_option, text_or_json_option
from generator.core.diagnostics import Severity
from generator.core.errors import UsageError
from generator.core.formatters import render
from generator.core.layout import AUTHORITY_PATH
from generator.loading.repository import load_repository
from generator.loading.sealed_text import ERASURES_PATH, read_erasures
from generator.schedule.retention import CaseRetention
from generator.views.retention_list import RetentionList, retention_list, what_to_do


@click.command("retention")
@as_of_option
@click.option(
    "--within",
    "within",
    type=click.IntRange(0, 120),
    default=None,
    metavar="MONTHS",
    help="List what falls due within this many months (default: the settings' review_window_months).",
)
@click.option("--all", "every_case", is_flag=True, help="List every case, kept and open ones too.")
@text_or_json_option
@repo_option
def retention_command(as_of: date | None, within: int | None, every_case: bool, fmt: str, repo: Path) -> None:
    """List the cases due for review or destruction, and those due within the review window.

    Each line gives the case id (never a name), the rule that governs it (the latest of its kinds'
    dates), the date it falls due and what to do. Problems with the rules are printed first; the
    exit code is 1 when they include errors.

    \b
    Example:
        panel retention --as-of 2026-11-25
        panel retention --within 24 --format json
    """
    when = as_of or date.today()
    loaded, problems = load_repository(repo)
    if loaded.authority is None:
        raise UsageError(f"{AUTHORITY_PATH} is missing or invalid: run `panel check`")
    settings = loaded.authority.retention
    if settings is None:
        raise UsageError(f"{AUTHORITY_PATH} has no retention block: see docs/retention.md for what to set")
    erasures, ledger = read_erasures(repo)
    relevant = [
        x
        for x in [*problems, *ledger, *check_retention(loaded)]
        if x.path in (AUTHORITY_PATH, ERASURES_PATH) or x.code.startswith(("P90", "P91"))
    ]
    if relevant:
        click.echo(render(sorted(set(relevant)), "text"), nl=False, err=True)
    listed = retention_list(
        loaded, settings, as_of=when, erasures=erasures, window_months=within, every_case=every_case
    )
    click.echo(_json(listed) if fmt == "json" else _text(listed), nl=False)
    sys.exit(1 if any(x.severity is Severity.ERROR for x in relevant) else 0)


def _entry_json(entry: CaseRetention) -> dict[str, object]:
    governing = entry.governing
    return {
        "case": entry.case,
        "standing": str(entry.standing),
        "kinds": [str(k) for k in entry.kinds],
        "rule": str(governing.kind) if governing else None,
        "counted_from": governing.counted_from if governing else None,
        "due": entry.due.isoformat() if entry.due else None,
        "action": str(entry.action) if entry.action else None,
        "hold_until": entry.hold.until.isoformat() if entry.hold and entry.hold.until else None,
        "key_destroyed": entry.erasure.key_destroyed.isoformat() if entry.erasure else None,
        "what_to_do": what_to_do(entry),
    }


def _json(listed: RetentionList) -> str:
    data = {
        "as_of": listed.as_of.isoformat(),
        "window_end": listed.window_end.isoformat(),
        "confirmed_by": listed.confirmed_by,
        "cases": [_entry_json(entry) for entry in listed.entries],
        "erased": [{"case": e.case, "key_destroyed": e.key_destroyed.isoformat()} for e in listed.erased_elsewhere],
        "kept": listed.kept,
        "open": listed.open,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_HEADINGS = {
    "due": "Due now",
    "held": "Due, but on hold",
    "upcoming": "Due within the review window",
    "no-rule": "No rule",
    "erased": "Key destroyed, files still here",
    "kept": "Kept",
    "open": "Open",
}


def _text(listed: RetentionList) -> str:
    lines = [f"Retention as of {listed.as_of.isoformat()} (review window to {listed.window_end.isoformat()})"]
    lines.append(f"Rules confirmed by: {listed.confirmed_by or 'not recorded (retention.confirmed_by)'}")
    for standing, title in _HEADINGS.items():
        group = [e for e in listed.entries if e.standing == standing]
        if not group:
            continue
        lines += ["", f"{title} ({len(group)})"]
        for entry in group:
            governing = entry.governing
            due = entry.due.isoformat() if entry.due else "not counted"
            rule = f"{governing.kind}: {governing.counted_from}" if governing else ", ".join(entry.kinds)
            lines.append(f"  {entry.case}  due {due}  {rule}")
            lines.append(f"      {what_to_do(entry)}")
    if not any(e.standing in ("due", "held", "upcoming") for e in listed.entries):
        lines += ["", "Nothing is due, or due within the review window."]
    if listed.erased_elsewhere:
        lines += ["", f"Erased and removed ({len(listed.erased_elsewhere)}): nothing left to do"]
        lines += [f"  {e.case}  key destroyed {e.key_destroyed.isoformat()}" for e in listed.erased_elsewhere]
    lines += ["", f"Not yet due: {listed.kept} closed case(s) kept, {listed.open} open case(s) (not counted)."]
    return "\n".join(lines) + "\n"
