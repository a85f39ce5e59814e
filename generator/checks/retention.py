"""The retention rules against the cases: a kind without a rule, a birth counted from a due date, a hold on no case.

The rules about the rules themselves (repeated, below the law) are found where the settings are
read (`generator.loading.retention_rules`). None of these quote a date of birth or a name.
"""

from __future__ import annotations

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import AUTHORITY_PATH
from generator.loading.repository import Repository
from generator.models.retention import CountFrom, RetentionKind, RetentionRule
from generator.schedule.retention import basis_for, closure_of, kinds_of


def check_retention(repo: Repository) -> list[Diagnostic]:
    """Every case's kinds have a rule; a closed case's unborn child counted from a due date; holds name real cases."""
    authority_doc = repo.authority_doc
    settings = repo.authority.retention if repo.authority else None
    if settings is None or authority_doc is None:
        return []
    found: list[Diagnostic] = []
    rules: dict[RetentionKind, RetentionRule] = {}
    for rule in settings.rules:
        rules.setdefault(rule.kind, rule)
    missing: dict[RetentionKind, list[str]] = {}
    for case_id, doc in sorted(repo.cases.items()):
        for kind in kinds_of(doc.model):
            found_rule = rules.get(kind)
            if found_rule is None:
                missing.setdefault(kind, []).append(case_id)
                continue
            rule = found_rule
            if rule.count_from is not CountFrom.BIRTH or closure_of(doc.model) is None:
                continue  # an open case is not counted: the birth is usually recorded before it closes
            basis = basis_for(doc.model, kind, rule)
            for child_id in basis.unborn_children:
                index = next(i for i, c in enumerate(doc.model.children) if c.id == child_id)
                found.append(
                    d.make(
                        d.RETENTION_FROM_DUE_DATE,
                        doc.path,
                        doc.line("children", index, "due_date"),
                        f"case {case_id}, child {child_id}: the '{kind}' rule counts from birth and the child is "
                        f"recorded only as unborn, so it counts from the {rule.unborn.replace('-', ' ')}",
                        "record the birth (date_of_birth and a `born` event) as soon as it is known",
                    )
                )
    line = authority_doc.line("retention", "rules")
    for missing_kind, cases in sorted(missing.items()):
        shown = ", ".join(cases[:5]) + (f" and {len(cases) - 5} more" if len(cases) > 5 else "")
        found.append(
            d.make(
                d.RETENTION_RULE_MISSING,
                AUTHORITY_PATH,
                line,
                f"no retention rule for '{missing_kind}', which {len(cases)} case(s) hold: {shown}",
                f"add a rule with kind: {missing_kind} and the period the information governance lead sets",
            )
        )
    for index, hold in enumerate(settings.holds):
        if hold.case not in repo.cases:
            found.append(
                d.make(
                    d.RETENTION_HOLD_UNKNOWN,
                    AUTHORITY_PATH,
                    authority_doc.line("retention", "holds", index, "case"),
                    f"the hold names case {hold.case}, which is not in cases/",
                    "correct the case id: a mistyped hold protects nothing",
                )
            )
    return found
