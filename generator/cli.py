"""The `panel` command: a thin layer that parses options and calls the library.

Exit codes: 0 clean, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import sys

import click

from generator import __version__
from generator.core.errors import UsageError


class _UsageFailure(click.ClickException):
    """A usage or configuration error: exit code 2, as the contract says."""

    exit_code = 2


class _PanelGroup(click.Group):
    """Turns the library's UsageError into exit code 2 wherever the command is invoked from."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise _UsageFailure(str(error)) from None


@click.group(cls=_PanelGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="panel")
def cli() -> None:
    """Check, schedule and publish children's social care decision panels kept in git."""


# Commands are registered here, one line each.
# --- commands ---
from generator.commands import explain as _explain  # noqa: E402

cli.add_command(_explain.explain_command)
from generator.commands import rules as _rules  # noqa: E402

cli.add_command(_rules.rules_command)
from generator.commands import timescales as _timescales  # noqa: E402

cli.add_command(_timescales.timescales_command)
from generator.commands import meetings as _meetings  # noqa: E402

cli.add_command(_meetings.meetings_command)
from generator.commands import check as _check  # noqa: E402

cli.add_command(_check.check_command)
from generator.commands import new as _new  # noqa: E402
from generator.commands import schema as _schema  # noqa: E402

cli.add_command(_new.new_group)
cli.add_command(_schema.schema_command)
from generator.commands import demo as _demo  # noqa: E402

cli.add_command(_demo.demo_group)
from generator.commands import build as _build  # noqa: E402

cli.add_command(_build.build_command)
from generator.commands import serve as _serve  # noqa: E402

cli.add_command(_serve.serve_command)
from generator.commands import pdf as _pdf  # noqa: E402

cli.add_command(_pdf.pdf_command)
from generator.commands import seal as _seal  # noqa: E402
from generator.commands import signers as _signers  # noqa: E402
from generator.commands import verify as _verify  # noqa: E402

cli.add_command(_signers.signers_command)
cli.add_command(_verify.verify_command)
cli.add_command(_seal.seal_command)
from generator.commands import codeowners as _codeowners  # noqa: E402

cli.add_command(_codeowners.codeowners_command)
from generator.commands import history as _history  # noqa: E402

cli.add_command(_history.history_command)
from generator.commands import erase as _erase  # noqa: E402
from generator.commands import retention as _retention  # noqa: E402
from generator.commands import sar as _sar  # noqa: E402
from generator.commands import seal_text as _seal_text  # noqa: E402
from generator.commands import text_key as _text_key  # noqa: E402

cli.add_command(_retention.retention_command)
cli.add_command(_sar.sar_command)
cli.add_command(_text_key.text_key_group)
cli.add_command(_seal_text.seal_text_command)
cli.add_command(_erase.erase_command)
from generator.commands import witness as _witness  # noqa: E402

cli.add_command(_witness.witness_command)
# --- end commands ---


def main() -> None:
    """Run the CLI, mapping usage errors to exit code 2 (click's default for them is also 2)."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except UsageError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
