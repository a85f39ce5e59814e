"""The audience rules of the settings (`audiences:` in `panels/authority.yml`): usable, or a diagnostic at their line.

Pydantic has already refused what a rule cannot hold (an unknown field, a form that is not one of
the choices); what is left is what needs the rest of the repository or the other rules: names
used twice (P125), panels that do not exist (P126), downloads wider than the pages (P127),
teams that do not exist (P128).
"""

from __future__ import annotations

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Repository
from generator.models.audience import Audience, NameForm


def check_audiences(repo: Repository) -> list[Diagnostic]:
    """Every problem of the settings' audience rules, each at the line of the rule."""
    authority = repo.authority
    doc = repo.authority_doc
    if authority is None or doc is None:
        return []
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for index, audience in enumerate(authority.audiences):
        line = doc.line("audiences", index)
        if audience.name in seen:
            found.append(
                d.make(
                    d.DUPLICATE_AUDIENCE,
                    doc.path,
                    line,
                    f"audience '{audience.name}' is defined more than once",
                    "give each audience rule its own name",
                )
            )
        seen.add(audience.name)
        found += _rule_problems(repo, doc.path, audience, line)
    return found


def _rule_problems(repo: Repository, path: str, audience: Audience, line: int) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if audience.panels is not None and not audience.panels:
        found.append(
            d.make(
                d.UNKNOWN_AUDIENCE_PANEL,
                path,
                line,
                f"audience '{audience.name}' lists no panel, so its site would hold nothing",
                "name the panel ids it may see, or leave `panels:` out for every panel",
            )
        )
    for panel_id in audience.panels or ():
        if panel_id not in repo.panels:
            found.append(
                d.make(
                    d.UNKNOWN_AUDIENCE_PANEL,
                    path,
                    line,
                    f"audience '{audience.name}' names panel '{panel_id}', which has no file in panels/",
                    "use a panel id from panels/ (the file name without .md)",
                )
            )
    teams = {team.id for team in repo.authority.teams} if repo.authority else set()
    for team_id in audience.outside_teams:
        if team_id not in teams:
            found.append(
                d.make(
                    d.UNKNOWN_AUDIENCE_TEAM,
                    path,
                    line,
                    f"audience '{audience.name}' names team '{team_id}', which the settings' teams do not have",
                    "use a team id from `teams:` in panels/authority.yml",
                )
            )
    if audience.names is NameForm.INITIALS and audience.exports is NameForm.FULL:
        found.append(
            d.make(
                d.AUDIENCE_CONTRADICTION,
                path,
                line,
                f"audience '{audience.name}' shows initials on its pages but full names in its downloads",
                "set `exports: initials`, or `names: full` if this audience may see full names",
            )
        )
    return found
