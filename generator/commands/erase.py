"""`panel erase CASE-ID`: destroy a case's text key, so its sealed narrative is unreadable everywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import keys_option, parse_date, repo_option
from generator.core.errors import UsageError
from generator.loading.sealed_text import ERASURES_PATH
from generator.models.retention import RetentionKind
from generator.tools.text_keys import erase


@click.command("erase")
@click.argument("case_id", metavar="CASE-ID")
@click.option("--by", "by", required=True, metavar="PERSON", help="Roster id of who destroys the key.")
@click.option(
    "--rule",
    type=click.Choice([k.value for k in RetentionKind]),
    default=None,
    help="The retention rule that made the case due (none: another reason, e.g. an erasure request).",
)
@click.option("--on", "on", metavar="DATE", callback=parse_date, help="The day recorded (default today).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@keys_option
@repo_option
def erase_command(
    case_id: str, by: str, rule: str | None, on: date | None, yes: bool, keys: Path | None, repo: Path
) -> None:
    """Destroy CASE-ID's text key and record the erasure in retention/erasures.yml (ids only).

    Every sealed section of the case, in every commit, clone, fork and backup, can no longer be
    read; builds show "text erased (key destroyed on DATE)". Front matter (names, dates of birth)
    and any text committed before it was sealed are not erased by this: remove the case's files
    (`git rm`) as docs/retention.md says. Commit the ledger afterwards. This cannot be undone.

    \b
    Example:
        panel erase 204117 --by p-records-officer --rule looked-after
    """
    if keys is None:
        raise UsageError("give the key folder with --keys DIR or PANEL_TEXT_KEYS")
    if not yes:
        click.confirm(f"Destroy case {case_id}'s text key? Its sealed narrative is then lost for good", abort=True)
    entry = erase(repo, keys, case_id, by=by, on=on or date.today(), rule=RetentionKind(rule) if rule else None)
    click.echo(f"case {case_id}: key destroyed on {entry.key_destroyed.isoformat()}; recorded in {ERASURES_PATH}")
    click.echo(f"next: commit {ERASURES_PATH}, then remove the case's files (docs/retention.md)")
