"""Render a verification for people (`text`), for programs (`json`) and for GitHub Actions (`github`).

Pure functions: nothing here prints. Refusals keep the order verification found them in.
"""

from __future__ import annotations

import json

from generator.audit.verify import Refusal, Verification

FORMATS = ("text", "json", "github")
"""The output formats of `panel verify`."""


def render(result: Verification, fmt: str) -> str:
    """The verification in `fmt` (one of FORMATS), ending with a newline."""
    if fmt == "json":
        return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines = [_annotation(refusal) for refusal in result.refusals]
        return "".join(f"{line}\n" for line in [*lines, summary(result)])
    lines = [_text(refusal) for refusal in result.refusals]
    lines += [
        _printable(f"note: commit {commit} was authored by {author} and committed by {committer}")
        for commit, author, committer in result.authored_by_others
    ]
    return "".join(f"{line}\n" for line in [*lines, summary(result)])


def as_dict(result: Verification) -> dict[str, object]:
    """The JSON form; its keys are a public contract (docs/commands.md)."""
    return {
        "revision": result.revision,
        "head": result.head,
        "commits": result.commits,
        "seals": result.seals,
        "passed": not result.refusals,
        "refusals": [
            {
                "kind": r.kind,
                "subject": r.subject,
                "path": r.path,
                "reason": r.reason,
                "message": r.message,
                "committer": r.committer,
                "author": r.author,
            }
            for r in result.refusals
        ],
        "authored_by_others": [
            {"commit": commit, "author": author, "committer": committer}
            for commit, author, committer in result.authored_by_others
        ],
    }


def summary(result: Verification) -> str:
    """One line: what was verified and how many refusals."""
    what = f"{_plural(result.commits, 'commit')} ({result.revision}) and {_plural(result.seals, 'seal')}"
    if not result.refusals:
        return _printable(f"Verified {what}: every one passes.")
    return _printable(f"Verified {what}: {_plural(len(result.refusals), 'refusal')}.")


def _text(refusal: Refusal) -> str:
    where = f"{refusal.kind} {refusal.subject}" + (f": {refusal.path}" if refusal.path else "")
    who = ""
    if refusal.committer:
        who = f" (committer {refusal.committer}" + (f", author {refusal.author})" if refusal.author else ")")
    return _printable(f"{where}: {refusal.reason}: {refusal.message}{who}")


def _annotation(refusal: Refusal) -> str:
    properties = f"title={_property(f'panel verify: {refusal.reason}')}"
    if refusal.path:
        properties = f"file={_property(refusal.path)},{properties}"
    return f"::error {properties}::{_data(f'{refusal.kind} {refusal.subject}: {refusal.message}')}"


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return _printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _printable(text: str) -> str:
    """Control characters as escapes, so that a file name cannot forge another line of output."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
