"""`panel codeowners`: the CODEOWNERS file, written from the roster and the panels' terms."""

from __future__ import annotations

from pathlib import Path

import click

from generator.audit.codeowners import codeowners, read_panels
from generator.audit.signing import read_roster
from generator.commands.options import repo_option
from generator.core.errors import UsageError
from generator.core.layout import ROSTER_PATH


@click.command("codeowners")
@repo_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here (default: print)."
)
def codeowners_command(repo: Path, out: Path | None) -> None:
    """Write CODEOWNERS from panels/roster.yml and the panels' terms in the working tree.

    decisions/<panel>/ is owned by the people holding one of that panel's chair roles, and its
    named delegates where the terms allow one; panels/, mkdocs.yml, the generator, workflows,
    hooks, scripts and the build are owned by the maintainers. Owners are written as emails.
    The same roster and panels give the same bytes. Exit 2 when the roster or a panel does not
    load, no one holds the maintainer role, or no one can own a panel's decisions.

    Example: panel codeowners --out .github/CODEOWNERS
    """
    source = repo / ROSTER_PATH
    if not source.is_file():
        raise UsageError(f"{ROSTER_PATH} is not in {repo}: the code owners come from the roster")
    result = codeowners(read_roster(source.read_bytes()), read_panels(repo))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if out is None:
        click.echo(result.text, nl=False)
        return
    try:
        out.write_text(result.text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}") from None
