"""`panel verify`: the signed audit trail, checked commit by commit."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.audit.report import render, summary
from generator.audit.verify import verify_repository
from generator.commands.options import FORMATS, repo_option
from generator.core.errors import UsageError


@click.command("verify")
@click.argument("revision", metavar="[RANGE]", required=False)
@repo_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option(
    "--branch",
    is_flag=True,
    help="HEAD is a work branch (a pull request): seals made on the protected branch since it forked are "
    "left to that branch's own verification. Never for the protected branch itself.",
)
@click.option(
    "--witness",
    "witnesses",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A witness file kept outside the repository (the server's witness log, the site's audit/witness.txt): "
    "every witnessed head must be in HEAD's history and every witnessed seal present and unmoved. Repeatable.",
)
def verify_command(revision: str | None, repo: Path, fmt: str, branch: bool, witnesses: tuple[Path, ...]) -> None:
    """Verify every commit in RANGE, merges included, and every seal.

    Each commit must carry a good signature (git's %G? is G) from a roster key whose holder is
    the committer; a commit that changes a decision sheet or approves minutes must be signed by
    the panel's chair or a named delegate under the roster and terms in force when it was made
    (over a range, HEAD's must allow it too), and one that moves audit_start or changes a panel's
    terms by a maintainer. Seals must be intact and `git fsck` clean. RANGE defaults to the
    authority's audit_start..HEAD (the whole history without one).

    The server's witnesses (`witness/*` tags, and the files given with --witness) are judged too:
    a head the server saw that HEAD no longer contains, or a seal it saw that is missing or
    moved, is refused; so is a repository holding replace refs or a grafts file.

    Each refusal is a diagnostic with a code (P801-P838, and P301 for a panel HEAD does not
    define) that `panel explain` documents, naming the commit or seal it is about; the formats
    are the checker's. With `--format gitlab` standard output is the Code Quality report alone
    and the summary goes to standard error.

    Exit 0 when everything passes, 1 on any refusal, 2 on a usage error (not a repository, a
    shallow clone, an unknown range).

    Example: panel verify origin/main..HEAD --branch --format github
    """
    files = [(str(path), _read_witness(path)) for path in witnesses]
    result = verify_repository(repo, revision, date.today(), branch=branch, witness_files=files)
    click.echo(render(result, fmt), nl=False)
    if fmt == "gitlab":
        click.echo(summary(result), err=True)
    sys.exit(1 if result.diagnostics else 0)


def _read_witness(path: Path) -> bytes:
    """A witness file's bytes; a file that cannot be read is a usage error, never a traceback."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read the witness file {path}: {error.strerror or error}") from None
