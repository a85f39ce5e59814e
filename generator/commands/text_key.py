"""`panel text-key new CASE`: make a case's text key in the key folder (outside git)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.options import keys_option, repo_option
from generator.core.errors import UsageError
from generator.tools.text_keys import create_key


@click.group("text-key")
def text_key_group() -> None:
    """Per-case text keys, kept outside git, that seal a case's narrative (docs/retention.md)."""


@text_key_group.command("new")
@click.argument("case_id", metavar="CASE-ID")
@keys_option
@repo_option
def new_key_command(case_id: str, keys: Path | None, repo: Path) -> None:
    """Make CASE-ID's key in the key folder (--keys or PANEL_TEXT_KEYS), readable only by you.

    The folder must be outside the repository. Back the folder up (destroying a key is how a
    case's text is erased, so a lost key loses the text as surely).

    \b
    Example:
        PANEL_TEXT_KEYS=/srv/panel-keys panel text-key new 204117
    """
    if keys is None:
        raise UsageError("give the key folder with --keys DIR or PANEL_TEXT_KEYS")
    path = create_key(keys, repo, case_id)
    click.echo(f"case {case_id}: key made at {path}")
