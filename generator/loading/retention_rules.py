"""Retention rules that cannot be right, found where the settings are read (file and line).

The model (`generator.models.retention`) says what a rule may look like; these are the rules
about the rules: one per kind, and never shorter than the law in England for looked-after
children and adoption. Diagnostics never quote personal values: the settings hold none.
"""

from __future__ import annotations

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.safe_yaml import Parsed
from generator.models.people import Authority
from generator.models.retention import CountFrom, RetentionKind

STATUTORY_YEARS = {RetentionKind.LOOKED_AFTER: 75, RetentionKind.ADOPTION: 100}
"""The least number of years the law in England sets, by kind (docs/retention.md)."""


def retention_problems(authority: Authority, parsed: Parsed, path: str) -> list[Diagnostic]:
    """Repeated rules and rules below the statutory periods, each at its line in the settings file."""
    retention = authority.retention
    if retention is None:
        return []
    found: list[Diagnostic] = []
    seen: dict[RetentionKind, int] = {}
    for index, rule in enumerate(retention.rules):
        line = parsed.line_of(("retention", "rules", index, "kind"))
        if rule.kind in seen:
            found.append(
                d.make(
                    d.RETENTION_RULE_REPEATED,
                    path,
                    line,
                    f"a second rule for '{rule.kind}' (the first is on line {seen[rule.kind]})",
                    "keep the one rule the information governance lead confirmed",
                )
            )
            continue
        seen[rule.kind] = line
        least = STATUTORY_YEARS.get(rule.kind)
        if least is None:
            continue
        wrong_start = rule.kind is RetentionKind.LOOKED_AFTER and rule.count_from is not CountFrom.BIRTH
        if rule.years < least or wrong_start:
            start = "from birth" if rule.kind is RetentionKind.LOOKED_AFTER else "from closure or birth"
            found.append(
                d.make(
                    d.RETENTION_BELOW_STATUTORY,
                    path,
                    parsed.line_of(("retention", "rules", index, "years" if not wrong_start else "count_from")),
                    f"the '{rule.kind}' rule keeps {rule.years} years from {rule.count_from}; "
                    f"the law in England sets at least {least} years {start}",
                    f"set years: {least} (or more) and count_from: birth"
                    if rule.kind is RetentionKind.LOOKED_AFTER
                    else f"set years: {least} (or more)",
                )
            )
    return found
