"""`panel schema`: write JSON Schema files for editors."""

from __future__ import annotations

from pathlib import Path

import click

from generator.models.schema import write_schemas


@click.command("schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
def schema_command(out: Path) -> None:
    """Write a JSON Schema file per kind of document (panel, case, referral, ...).

    Example: panel schema --out schemas
    """
    for path in write_schemas(out):
        click.echo(f"wrote {path.as_posix()}")
