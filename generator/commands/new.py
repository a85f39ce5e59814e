"""`panel new referral`, `panel new case` and `panel new correction`: new files that never overwrite anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import parse_date, repo_option
from generator.core.errors import UsageError
from generator.core.patterns import PatternError, compile_pattern
from generator.loading.repository import load_repository
from generator.models.common import shown
from generator.tools.scaffold import new_case, new_correction, new_referral


@click.group("new")
def new_group() -> None:
    """Start a new document from a template."""


@new_group.command("referral")
@repo_option
@click.option("--case", "case_id", required=True, help="Case id (the case folder).")
@click.option("--panel", "panel_id", required=True, help="Panel id (a file in panels/).")
@click.option("--meeting", required=True, callback=parse_date, help="Meeting date, YYYY-MM-DD.")
@click.option("--request", "request_id", default=None, help="Request type (needed where the panel hears several).")
def new_referral_command(repo: Path, case_id: str, panel_id: str, meeting: date, request_id: str | None) -> None:
    """Write a referral template holding every field and section the panel and request need.

    Then fill it in; `panel check` lists exactly what is still missing.

    Example: panel new referral --case 104233 --panel cdm --meeting 2026-12-03 --request pre-proceedings
    """
    loaded, _ = load_repository(repo)
    path = new_referral(loaded, case_id, panel_id, meeting, request_id)
    click.echo(f"wrote {path.relative_to(repo).as_posix()}")


@new_group.command("case")
@repo_option
@click.option("--id", "case_id", required=True, help="Case id from the case-management system.")
@click.option("--worker", required=True, help="Allocated social worker (roster id).")
@click.option("--team", required=True, help="Team id.")
def new_case_command(repo: Path, case_id: str, worker: str, team: str) -> None:
    """Write a case file template with every field.

    Example: panel new case --id 104233 --worker sw-example --team north-assessment
    """
    loaded, _ = load_repository(repo)
    pattern = loaded.authority.case_id_pattern if loaded.authority else None
    if pattern is not None:
        try:
            matches = compile_pattern(pattern).matches(case_id)
        except PatternError as error:
            raise UsageError(f"the case id pattern in panels/authority.yml cannot be used: {error.reason}") from None
        if not matches:
            raise UsageError(f"'{shown(case_id)}' does not match the case id pattern '{shown(pattern)}'")
    path = new_case(loaded, case_id, worker, team)
    click.echo(f"wrote {path.relative_to(repo).as_posix()}")


@new_group.command("correction")
@repo_option
@click.argument("path")
def new_correction_command(repo: Path, path: str) -> None:
    """Start correcting an approved decision sheet at its own meeting.

    Writes the sheet's next version beside it (`<case-id>.v2.md`, then `.v3.md`): a copy with
    `status: draft` and `supersedes:` naming PATH. Make the correction in the new file; the chair
    approves it and commits it signed. PATH itself is never changed.

    Example: panel new correction decisions/cmr/2026-10-20/205104.md
    """
    loaded, _ = load_repository(repo)
    relative = _relative(repo, path)
    written = new_correction(loaded, relative)
    click.echo(f"wrote {written.relative_to(repo).as_posix()}")


def _relative(repo: Path, path: str) -> str:
    """PATH as the repository names it, whether given from the repository's root or from here."""
    given = Path(path)
    if given.is_absolute() or given.exists():
        try:
            return given.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            raise UsageError(f"{path} is outside the repository {repo}") from None
    return given.as_posix()
