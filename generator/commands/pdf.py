"""`panel pdf`: the meeting packs and decision sheets of a built site as PDFs, for the case record."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.commands.options import parse_date
from generator.core.errors import UsageError
from generator.tools.pdf import Kind, NothingToPrintError, print_pdfs


class _PdfFailed(click.ClickException):
    """A usage or configuration error: exit code 2 and a one-line message."""

    exit_code = 2


@click.command("pdf")
@click.argument("site", type=click.Path(file_okay=False, path_type=Path), default=Path("site"))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/pdf"),
    show_default=True,
    help="Where to write the PDFs: outside the site, empty or made by an earlier `panel pdf`.",
)
@click.option("--panel", "panel", metavar="PANEL", help="Only this panel's meetings (its id, e.g. clam).")
@click.option(
    "--meeting", "meeting", metavar="DATE", callback=parse_date, help="Only meetings on this date (YYYY-MM-DD)."
)
def pdf_command(site: Path, out: Path, panel: str | None, meeting: date | None) -> None:
    """Print every meeting pack and decision sheet of a built SITE (default: site) to A4 PDFs.

    Prints the printouts `panel build` wrote (standalone pages with their own A4 print
    stylesheet) with Debian's Chromium (`apt-get install chromium`); never downloads a browser.
    The PDFs mirror the pages' paths (meetings/PANEL/DATE/pack.pdf, CASE.pdf and CASE-CHILD.pdf)
    under --out. The pages may load only files inside the site:
    anything else is blocked and listed. Exit 0 when printed, 1 when the filters match nothing,
    2 when Chromium is missing or fails, SITE is not built by `panel build`, or --out is unusable.

    \b
    Example:
        panel pdf site --out build/pdf --panel clam --meeting 2026-11-12
    """
    try:
        result = print_pdfs(site, out, panel=panel, meeting=meeting)
    except NothingToPrintError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except UsageError as error:
        raise _PdfFailed(str(error)) from None
    for blocked in result.blocked:
        click.echo(f"warning: {blocked.page}: blocked a request outside the site: {blocked.url}", err=True)
    packs, sheets = result.count(Kind.PACK), result.count(Kind.SHEET)
    click.echo(
        f"{result.out_dir}: {packs} meeting pack{'' if packs == 1 else 's'} and "
        f"{sheets} decision sheet{'' if sheets == 1 else 's'} as PDF"
    )
