"""Render a verification in any of the checker's formats (`text`, `json`, `github`, `gitlab`).

Each diagnostic is rendered by `generator.core.formatters`, as `panel check` renders its own;
what is verify's alone is around them: the summary line, the notes on commits authored by someone
other than their committer, and the JSON object that holds the diagnostics with the range and
counts. Pure functions: nothing here prints.
"""

from __future__ import annotations

import json

from generator.audit.verify import Verification
from generator.core.formatters import FORMATTERS, format_github, format_gitlab, format_text, records

FORMATS = tuple(FORMATTERS)
"""The output formats of `panel verify`: the checker's."""


def render(result: Verification, fmt: str) -> str:
    """The verification in `fmt` (one of FORMATS) for standard output, ending with a newline.

    `text` and `github` end with the summary line; `gitlab` is the bare Code Quality report
    (a JSON array, as GitLab reads it), so its summary belongs on standard error (`summary`).
    """
    if fmt == "json":
        return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "gitlab":
        return format_gitlab(result.diagnostics)
    if fmt == "github":
        return format_github(result.diagnostics) + summary(result) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    text = format_text(result.diagnostics, summary=False)
    if text:
        # A blank line after the last block, as `panel check` leaves one before its summary.
        text += "\n"
    return text + "".join(f"{note}\n" for note in notes_of(result)) + f"{summary(result)}\n"


def as_dict(result: Verification) -> dict[str, object]:
    """The JSON form; its keys are a public contract (docs/commands.md)."""
    return {
        "revision": result.revision,
        "head": result.head,
        "commits": result.commits,
        "seals": result.seals,
        "witnesses": result.witnesses,
        "passed": not result.diagnostics,
        "diagnostics": [{**record, "commit": record.get("commit")} for record in records(result.diagnostics)],
        "authored_by_others": [
            {"commit": commit, "author": author, "committer": committer}
            for commit, author, committer in result.authored_by_others
        ],
    }


def notes_of(result: Verification) -> list[str]:
    """`note: commit X was authored by A and committed by B`, one per such commit."""
    return [
        _printable(f"note: commit {commit} was authored by {author} and committed by {committer}")
        for commit, author, committer in result.authored_by_others
    ]


def summary(result: Verification) -> str:
    """One line: what was verified and how many refusals."""
    what = f"{_plural(result.commits, 'commit')} ({result.revision}) and {_plural(result.seals, 'seal')}"
    if result.witnesses:
        what += f", against {result.witnesses} {'witness' if result.witnesses == 1 else 'witnesses'}"
    if not result.diagnostics:
        return _printable(f"Verified {what}: every one passes.")
    return _printable(f"Verified {what}: {_plural(len(result.diagnostics), 'refusal')}.")


def _printable(text: str) -> str:
    """Control characters as escapes, so that a file name cannot forge another line of output."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
