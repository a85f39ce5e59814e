"""`panel explain` and `panel rules`: the documentation of every diagnostic, at the terminal."""

from __future__ import annotations

import difflib
import json

import click

from generator.core.diagnostics import Rule, rule_named, rules


def explain_text(rule: Rule) -> str:
    """`CODE name (severity)`, the summary, a blank line and the explanation."""
    return f"{rule.code} {rule.name} ({rule.severity})\n{rule.summary}\n\n{rule.explanation}\n"


def suggestion(unknown: str) -> str | None:
    """The rule name closest to `unknown` (a misspelt name or code), if any is close."""
    key = unknown.strip().lower()
    by_key = {rule.name: rule.name for rule in rules()}
    by_key.update({rule.code.lower(): rule.name for rule in rules()})
    matches = difflib.get_close_matches(key, list(by_key), n=1)
    return by_key[matches[0]] if matches else None


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


@click.command("explain")
@click.argument("name")
def explain_command(name: str) -> None:
    """Explain a diagnostic: what it means and how to fix it.

    NAME is the rule's name or its code, in any case. `panel rules` lists them all.

    \b
    Example:
        panel explain missing-document
        panel explain P401
    """
    rule = rule_named(name)
    if rule is None:
        close = suggestion(name)
        advice = f"Did you mean '{close}'?" if close else "Run `panel rules` to list every rule."
        raise click.BadParameter(f"no rule named '{name}'. {advice}", param_hint="NAME")
    click.echo(explain_text(rule), nl=False)


@click.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def rules_command(fmt: str) -> None:
    """List every diagnostic the checker can report: code, name, severity and summary.

    \b
    Example:
        panel rules
        panel rules --format json
    """
    listed = rules()
    click.echo(rules_json(listed) if fmt == "json" else rules_text(listed), nl=False)
