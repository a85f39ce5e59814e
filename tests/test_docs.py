"""The documentation keeps up with the code: every rule and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from generator.cli import cli
from generator.core.diagnostics import rules
from generator.tools.docs_gen import diagnostics_reference

ROOT = Path(__file__).resolve().parents[1]


def _command_names(group: click.Group, prefix: str = "") -> list[str]:
    """Every command under `group`, subgroups and their commands included, as `new case`."""
    names = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        full = f"{prefix}{name}"
        names.append(full)
        if isinstance(command, click.Group):
            names.extend(_command_names(command, f"{full} "))
    return names


def _documentation() -> str:
    """README.md and every page in docs/, as one text."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages if page.is_file())


def test_diagnostics_reference_up_to_date() -> None:
    """docs/diagnostics.md is exactly what `diagnostics_reference()` generates."""
    committed = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert diagnostics_reference() == committed, (
        "docs/diagnostics.md is out of date with generator/core/diagnostics.py: "
        "regenerate it with `python -m generator.tools.docs_gen` from the project root and commit it"
    )


def test_every_rule_has_an_explanation() -> None:
    """Every rule has a non-empty summary and explanation."""
    expected: list[str] = []
    assert expected == [r.code for r in rules() if not r.summary.strip() or not r.explanation]


def test_rule_names_are_kebab_case() -> None:
    """Every rule name is kebab-case."""
    expected: list[str] = []
    kebab = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
    assert expected == [r.name for r in rules() if not kebab.fullmatch(r.name)]


def test_rule_codes_are_well_formed() -> None:
    """Every rule code is `P` and three digits."""
    expected: list[str] = []
    assert expected == [r.code for r in rules() if not re.fullmatch(r"P[0-9]{3}", r.code)]


def test_every_command_is_documented() -> None:
    """Every `panel` command, subcommands included, is named as "`panel <name>" in the docs.

    This fails whenever a command is registered without documentation: add a section for it
    to docs/commands.md (or mention it in README.md).
    """
    text = _documentation()
    expected: list[str] = []
    undocumented = [name for name in _command_names(cli) if not re.search(rf"`panel {re.escape(name)}(?![\w-])", text)]
    assert expected == undocumented, "add a section for each of these commands to docs/commands.md"


def test_formats_reference_up_to_date() -> None:
    """docs/formats.md is exactly what the models generate (regenerate with `python -m generator.tools.docs_gen`)."""
    from generator.tools.docs_gen import FORMATS_PATH, formats_reference

    committed = (Path(__file__).parent.parent / FORMATS_PATH).read_text(encoding="utf-8")
    assert formats_reference() == committed, "run `python -m generator.tools.docs_gen` and commit docs/formats.md"
