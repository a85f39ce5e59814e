"""`panel build`: the intranet site of a panel repository."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import as_of_option, repo_option
from generator.core.errors import UsageError
from generator.site.build import build_site


class _BuildFailed(click.ClickException):
    """A configuration error: exit code 2 and a one-line message."""

    exit_code = 2


@click.command("build")
@repo_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site/ in the repository). Replaces an earlier build there.",
)
@as_of_option
def build_command(repo: Path, out: Path | None, as_of: date | None) -> None:
    """Build the intranet site: panels, cases, referrals with their check results, decisions.

    Problems in documents do not stop the build (the site shows them; `panel check` is what
    blocks). Exit code 2 when the site cannot be built: no authority settings or panels, an
    output folder that holds something else, or MkDocs failing.

    \b
    Example:
        panel build --out site --as-of 2026-11-25
    """
    when = as_of if as_of is not None else date.today()
    target = out if out is not None else repo / "site"
    try:
        result = build_site(repo, target, as_of=when)
    except UsageError as error:
        raise _BuildFailed(str(error)) from None
    shown = f"{result.errors} problem{'' if result.errors == 1 else 's'}"
    click.echo(f"{result.out_dir}: {result.pages} pages as of {when.isoformat()}; the site shows {shown}")
