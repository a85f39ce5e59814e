"""`panel explain`: the documentation of one diagnostic, at the terminal."""

from __future__ import annotations

import difflib

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
