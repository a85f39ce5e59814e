"""Options shared by several commands, so each is spelt and documented once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "github", "gitlab")


def parse_date(_ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> date | None:
    """Click callback: an ISO `YYYY-MM-DD` date, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD", param=param) from None


def repo_option(function: F) -> F:
    """`--repo PATH`: the panel repository (default: the current folder)."""
    return click.option(
        "--repo",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path(),
        show_default=True,
        help="The panel repository.",
    )(function)


def as_of_option(function: F) -> F:
    """`--as-of YYYY-MM-DD`: the date the command works as of (default: today)."""
    return click.option(
        "--as-of",
        "as_of",
        callback=parse_date,
        help="Work as of this date (YYYY-MM-DD); default today.",
    )(function)


def text_or_json_option(function: F) -> F:
    """`--format text|json`: for commands whose output is not diagnostics (default text)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format.",
    )(function)


def keys_option(function: F) -> F:
    """`--keys DIR` (or `PANEL_TEXT_KEYS`): the folder of per-case text keys, outside the repository."""
    return click.option(
        "--keys",
        "keys",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="PANEL_TEXT_KEYS",
        default=None,
        help="Folder of per-case text keys, outside git (default: $PANEL_TEXT_KEYS; none: sealed text not shown).",
    )(function)


def audience_option(function: F) -> F:
    """`--audience NAME`: build for one audience rule of the settings (default: the coordinators)."""
    return click.option(
        "--audience",
        "audience",
        metavar="NAME",
        default=None,
        help="Build for this audience rule of panels/authority.yml (default: the coordinators' site).",
    )(function)
