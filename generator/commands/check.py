"""`panel check`: the command CI runs to reject an incomplete or late referral."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator.commands.options import FORMATS, as_of_option, keys_option, repo_option
from generator.core.diagnostics import Severity
from generator.core.formatters import render
from generator.loading.sealed_text import KeyRing
from generator.pipeline.gather import gather


@click.command("check")
@repo_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--changed", is_flag=True, help="Check only what changed since --base, and what that affects.")
@click.option("--base", default=None, help="The git ref a pull request is compared with (with --changed).")
@click.option(
    "--branch",
    default=None,
    help="The branch's name, where CI checks out a detached HEAD (with --changed; default: the branch checked out).",
)
@click.option("--warnings-as-errors", is_flag=True, help="Exit 1 on warnings too.")
@keys_option
def check_command(
    repo: Path,
    as_of: date | None,
    fmt: str,
    changed: bool,
    base: str | None,
    branch: str | None,
    warnings_as_errors: bool,
    keys: Path | None,
) -> None:
    """Check every document against its panel's rules.

    Exit 0 when there are no errors, 1 when there are, 2 on a usage or configuration error.
    A referral not yet committed is judged late against the time of the check; a committed one
    against the commit that added it.

    Example: panel check --changed --base origin/main --format github
    """
    if changed and base is None:
        raise click.UsageError("--changed needs --base REF (the branch the change is compared with)")
    if base is not None and not changed:
        raise click.UsageError("--base goes with --changed")
    if branch is not None and not changed:
        raise click.UsageError("--branch goes with --changed")
    today = as_of or date.today()
    now = datetime.now().astimezone() if as_of is None else None
    result = gather(repo, as_of=today, as_of_time=now, base=base, branch=branch, keys=KeyRing(keys))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(render(result.diagnostics, fmt), nl=False)
    failing = {Severity.ERROR, Severity.WARNING} if warnings_as_errors else {Severity.ERROR}
    sys.exit(1 if any(x.severity in failing for x in result.diagnostics) else 0)
