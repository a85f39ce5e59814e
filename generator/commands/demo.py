"""`panel demo`: the bundled example, as a git repository replayed from its timeline (and as a site)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.demo import DEFAULT_DEST, build_demo_repo, find_project_root, read_timeline


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
