"""`panel seal`: a signed tag recording a meeting's files at HEAD."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.audit.seals import make_seal
from generator.commands.options import parse_date, repo_option


@click.command("seal")
@click.argument("panel")
@click.argument("meeting", metavar="DATE", callback=parse_date)
@repo_option
def seal_command(panel: str, meeting: date, repo: Path) -> None:
    """Seal a meeting: tag HEAD as seal/PANEL/DATE, signed with your SSH key (git's user.signingkey).

    The tag records the blob id of the meeting record, every decision sheet and every later
    record of that meeting; each must be approved first. `panel verify` then refuses any edit
    to a sealed file and any rewrite of history that drops the sealed commit.

    Example: panel seal cdm 2026-12-03 && git push origin seal/cdm/2026-12-03
    """
    sealed = make_seal(repo, panel, meeting)
    click.echo(f"sealed {len(sealed.files)} files of {panel} {meeting.isoformat()} as {sealed.tag} on {sealed.commit}")
