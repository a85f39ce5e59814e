"""`panel history`: who created and changed a document (or every document of a case), and who signed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.audit.provenance import Histories, entry_json, read_histories, when_label
from generator.commands.options import repo_option
from generator.core.errors import UsageError


@click.command("history")
@click.argument("target", metavar="PATH-OR-CASE-ID")
@repo_option
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format."
)
def history_command(target: str, repo: Path, fmt: str) -> None:
    """Print the history of one document, or of every document of a case.

    PATH is a path in the repository (`decisions/cdm/2024-05-01/123456.md`); a CASE-ID gives the
    case file, its referrals, and the decision sheets and records naming the case. Each change
    shows the commit, the committer time, author and committer, and the signature in words
    ("signed by <name> (<role>)", "unsigned", "signed with a key not in the roster"), the key's
    holder as the roster at HEAD says. Uncommitted changes show as "not yet committed".

    Exit 0 on success, 2 for an unknown path or case, or a shallow clone. For a file whose name
    begins with `-`, put `--` before it.

    Example: panel history 123456 --format json
    """
    histories = read_histories(repo)
    if not histories.history.is_repository:
        raise UsageError(f"{repo} is not a git repository: there is no history to show")
    if histories.shallow:
        raise UsageError(
            f"{repo} is a shallow clone: the history before its boundary is missing, so it would be wrong "
            "(run `git fetch --unshallow`)"
        )
    paths = _paths(histories, target, repo)
    if fmt == "json":
        click.echo(json.dumps(_json(histories, target, paths), indent=2, ensure_ascii=False))
    else:
        click.echo(_text(histories, paths), nl=False)


def _paths(histories: Histories, target: str, root: Path) -> list[str]:
    """The documents `target` names: that path, or a case's documents; a UsageError when it names none."""
    path = target.removeprefix("./")
    known = set(histories.paths())
    if path in known:
        return [path]
    case_paths = histories.case_paths(target, root)
    if case_paths:
        return case_paths
    raise UsageError(f"'{target}' is neither a path git has a history for nor a case id with documents")


def _text(histories: Histories, paths: list[str]) -> str:
    lines: list[str] = []
    for path in paths:
        lines.append(path)
        for entry in histories.entries(path):
            change = entry.change
            if change is None:
                lines.append("  not yet committed: the working tree differs from the last commit")
                continue
            who = f"{change.author_name} <{change.author_email}>"
            if change.committer_email.casefold() != change.author_email.casefold():
                who += f", committed by {change.committer_name} <{change.committer_email}>"
            lines.append(f"  {when_label(change.time)}  {entry.verb} by {who}")
            lines.append(f"    commit {change.commit}; {entry.signature_words()}")
        lines.append("")
    if histories.uncommitted.intersection(paths):
        lines.append("Some changes are not yet committed: they have no author, time or signature until they are.")
    return "\n".join(lines) + "\n"


def _json(histories: Histories, target: str, paths: list[str]) -> dict[str, object]:
    return {
        "query": target,
        "head": histories.history.head,
        "documents": [
            {
                "path": path,
                "uncommitted": path in histories.uncommitted,
                "changes": [entry_json(entry) for entry in histories.entries(path)],
            }
            for path in paths
        ],
    }
