"""`panel demo`: the bundled example, as a git repository replayed from its timeline (and as a site)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.commands.options import as_of_option, audience_option
from generator.core.diagnostics import Severity
from generator.core.errors import UsageError
from generator.core.formatters import render
from generator.loading.repository import load_repository
from generator.site.build import build_site
from generator.tools.demo import DEFAULT_DEST, build_demo_repo, find_project_root, read_timeline


def project_root(project: Path | None) -> Path:
    """The project holding the example: `--project`, else the folder holding `demo/timeline.yml`."""
    return project if project is not None else find_project_root(Path.cwd())


@click.group("demo")
def demo_group() -> None:
    """Build the bundled example: its git repository and its site.

    \b
    Example:
        panel demo repo
    """


@demo_group.command("repo")
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The project holding demo/timeline.yml (default: found from the current folder).",
)
@click.option(
    "--dest",
    type=click.Path(path_type=Path),
    help=f"Where to build the repository (default: {DEFAULT_DEST} under the project). Replaces an earlier demo.",
)
def repo_command(project: Path | None, dest: Path | None) -> None:
    """Replay the example documents into a git repository, commit by commit, as demo/timeline.yml lists them.

    The same inputs give the same commit ids on every machine. A folder that is not empty and
    was not made by this command is never replaced.

    \b
    Example:
        panel demo repo --dest /tmp/demo-repo
    """
    root = project_root(project)
    target = build_demo_repo(root, dest if dest is not None else root / DEFAULT_DEST)
    commits = read_timeline(root).commits
    click.echo(f"{target}: {commits} commits")


@demo_group.command("site")
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The project holding demo/timeline.yml (default: found from the current folder).",
)
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the site (default: site/ in the project).")
@as_of_option
@audience_option
def site_command(project: Path | None, out: Path | None, as_of: date | None, audience: str | None) -> None:
    """Replay the example into its demo repository, then build the site from it.

    The "as of" date defaults to the demo date in panels/authority.yml, so the demo looks the
    same, and alive, whenever it is built.

    `--audience NAME` builds it for one of the example's audience rules (`cdm-members`,
    `scheduling`), as `panel build --audience` does.

    Exit code 0 when the example passes its own checks, 1 when the site shows errors (they are
    printed too), as `panel build` does.

    \b
    Example:
        panel demo site
        panel demo site --audience scheduling --out site-scheduling
    """
    root = project_root(project)
    demo_repo = build_demo_repo(root, root / DEFAULT_DEST)
    loaded, _ = load_repository(demo_repo)
    when = as_of or (loaded.authority.demo_date if loaded.authority else None)
    if when is None:
        raise UsageError("no --as-of given and panels/authority.yml has no demo_date")
    result = build_site(
        demo_repo,
        out if out is not None else root / "site",
        as_of=when,
        work_dir=root / "build" / "docs",
        audience=audience,
    )
    errors = [x for x in result.diagnostics if x.severity is Severity.ERROR]
    if errors:
        # The bundled example must pass its own checks: `make site` fails loudly if it does not.
        click.echo(render(errors, "text"), nl=False, err=True)
    click.echo(
        f"built {result.pages} pages into {result.out_dir} as of {when}"
        + (f" for audience {result.audience}" if audience is not None else "")
        + f" ({result.errors} errors shown on the site)"
    )
    sys.exit(1 if errors else 0)
