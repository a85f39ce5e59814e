"""`panel build`: the intranet site of a panel repository."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.commands.options import as_of_option, audience_option, keys_option, repo_option
from generator.core.diagnostics import Severity
from generator.core.errors import UsageError
from generator.core.formatters import render
from generator.loading.sealed_text import KeyRing
from generator.site.build import UnsafePagesError, build_site


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
@keys_option
@audience_option
def build_command(repo: Path, out: Path | None, as_of: date | None, keys: Path | None, audience: str | None) -> None:
    """Build the intranet site: panels, cases, referrals with their check results, decisions.

    A bad document does not stop the build: every page that can be built is built, and the
    problem is shown on the page of the document (or its case, or the problems page). The errors
    are also printed. The new site replaces the old one only once it is complete.

    Exit code 0 when the site shows no errors, 1 when it shows some (`panel check` is what
    blocks a pull request) or when a built page fails the scan for scripts, event handlers and
    outside addresses (P131-P137: then the new site is not published), 2 when the site cannot be
    built: no authority settings or panel, an output or work folder that is a symbolic link or
    holds something else, or MkDocs failing (the previous site is then left as it was), or an
    audience that is not in the settings or whose rule has a problem.

    `--audience NAME` builds the site for a rule of `audiences:` in panels/authority.yml: only its
    panels, children's names, dates of birth and the documents' text as it says. Without it, the
    site is the coordinators': every page in full, the search index and downloads minimised.

    \b
    Example:
        panel build --out site --as-of 2026-11-25
        panel build --out site-cdm --audience cdm-members
    """
    when = as_of if as_of is not None else date.today()
    target = out if out is not None else repo / "site"
    try:
        result = build_site(repo, target, as_of=when, keys=KeyRing(keys), audience=audience)
    except UnsafePagesError as error:
        click.echo(render(list(error.problems), "text"), nl=False, err=True)
        click.echo(f"{target}: {error}", err=True)
        sys.exit(1)
    except UsageError as error:
        raise _BuildFailed(str(error)) from None
    errors = [x for x in result.diagnostics if x.severity is Severity.ERROR]
    if errors:
        click.echo(render(errors, "text"), nl=False, err=True)
    shown = f"{result.errors} problem{'' if result.errors == 1 else 's'}"
    who = f" for audience {result.audience}" if audience is not None else ""
    click.echo(f"{result.out_dir}: {result.pages} pages as of {when.isoformat()}{who}; the site shows {shown}")
    sys.exit(1 if errors else 0)
