"""`panel seal-text PATH...`: seal the narrative of case documents with their case's key, before committing."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.options import keys_option, repo_option
from generator.core.errors import UsageError
from generator.tools.text_keys import seal_documents


@click.command("seal-text")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@keys_option
@repo_option
def seal_text_command(paths: tuple[str, ...], keys: Path | None, repo: Path) -> None:
    """Encrypt each document's narrative in place with its case's key; `## ` headings stay readable.

    PATH is a case file, referral, decision sheet or record, from the repository's root. Sealed
    sections are kept as they are, so running it again after adding text seals only the new text.
    Seal before the first commit: plain text that was committed stays in git's history.

    \b
    Example:
        panel seal-text cases/204117/case.md cases/204117/referrals/2026-09-14-cdm.md
    """
    if keys is None:
        raise UsageError("give the key folder with --keys DIR or PANEL_TEXT_KEYS")
    for done in seal_documents(repo, keys, [p.replace("\\", "/") for p in paths]):
        click.echo(f"{done.path}: {done.sections} section(s) sealed for case {done.case}")
        if done.already_committed:
            click.echo(
                f"warning: {done.path}: the committed version (HEAD) holds plain narrative; sealing protects later "
                "versions only (docs/retention.md, 'What git cannot forget')",
                err=True,
            )
