"""`panel rules`: every diagnostic the checker can report, one line each."""

from __future__ import annotations

import json

import click

from generator.commands.options import text_or_json_option
from generator.core.diagnostics import Rule, rules


def rules_text(listed: list[Rule]) -> str:
    """One aligned line per rule: code, name, severity, summary."""
    name_width = max((len(rule.name) for rule in listed), default=0)
    severity_width = max((len(rule.severity) for rule in listed), default=0)
    return "".join(
        f"{rule.code}  {rule.name:<{name_width}}  {rule.severity:<{severity_width}}  {rule.summary}\n"
        for rule in listed
    )


def rules_json(listed: list[Rule]) -> str:
    """A JSON array of objects with the keys `code`, `name`, `severity`, `summary`."""
    data = [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": str(rule.severity),
            "summary": rule.summary,
        }
        for rule in listed
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@click.command("rules")
@text_or_json_option
def rules_command(fmt: str) -> None:
    """List every diagnostic the checker can report: code, name, severity and summary.

    \b
    Example:
        panel rules
        panel rules --format json
    """
    listed = rules()
    click.echo(rules_json(listed) if fmt == "json" else rules_text(listed), nl=False)
