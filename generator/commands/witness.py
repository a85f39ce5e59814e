"""`panel witness`: a signed witness of the protected branch's head and every seal, where no server hook runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from generator.audit.witness import make_witness
from generator.commands.options import repo_option
from generator.core.errors import UsageError


@click.command("witness")
@repo_option
@click.option(
    "--key",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The witness's private SSH key (its public half is in witness_keys of panels/authority.yml).",
)
@click.option("--ref", default="refs/heads/main", show_default=True, help="The protected branch to witness.")
@click.option("--email", default="witness@panel.invalid", show_default=True, help="The tagger email of the witness.")
@click.option(
    "--log",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append the witness tag object to this file (kept outside the repository).",
)
def witness_command(repo: Path, key: Path, ref: str, email: str, log: Path | None) -> None:
    """Make the signed tag witness/<UTC time>-<head> on REF's head, listing every seal tag with its id.

    The server's hook does this after every push to the protected branch; run this instead where
    the host runs no server hook (GitHub: the workflow's witness job, on every push to main), then
    push the tag. `panel verify` refuses a history that no longer holds a witnessed head, and a
    witnessed seal that is missing or was made again.

    Example: panel witness --key /run/secrets/witness_key && git push origin "refs/tags/witness/*"
    """
    if not key.is_file():
        raise UsageError(f"the witness key {key} is not a file")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = make_witness(repo, key, ref, now, email=email, log=log)
    click.echo(f"witnessed {ref} as {name}")
