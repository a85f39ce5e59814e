"""`panel signers`: git's allowed-signers file, written from the roster."""

from __future__ import annotations

from pathlib import Path

import click

from generator.audit.signing import allowed_signers, read_roster
from generator.commands.options import repo_option
from generator.core.errors import UsageError
from generator.core.layout import ROSTER_PATH


@click.command("signers")
@repo_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here (default: print)."
)
@click.option(
    "--revoked",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the revoked keys here, for git's gpg.ssh.revocationFile.",
)
def signers_command(repo: Path, out: Path | None, revoked: Path | None) -> None:
    """Write git's allowed-signers file (gpg.ssh.allowedSignersFile) from panels/roster.yml.

    One line per key: the holder's email, namespaces="git", and valid-after / valid-before from
    the key's dates. Revoked keys are left out. People without an email or a key are left out,
    with a note on standard error. The same roster gives the same bytes.

    Example: panel signers --out .git/allowed_signers && git config gpg.ssh.allowedSignersFile .git/allowed_signers
    """
    source = repo / ROSTER_PATH
    if not source.is_file():
        raise UsageError(f"{ROSTER_PATH} is not in {repo}: the allowed signers come from the roster")
    result = allowed_signers(read_roster(source.read_bytes()))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if out is None:
        click.echo(result.allowed, nl=False)
    else:
        _write(out, result.allowed)
    if revoked is not None:
        _write(revoked, result.revoked)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
