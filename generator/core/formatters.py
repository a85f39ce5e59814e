"""Render diagnostics for people and for CI: text, JSON, GitHub annotations, GitLab Code Quality.

Pure functions: each takes diagnostics and returns a string; nothing here prints. Every
formatter sorts by (path, line, code) so that output is deterministic, and none adds anything
beyond the diagnostic's own fields: the data is about children and the output lands in CI logs.

A diagnostic of `panel verify` also names the commit (or seal tag) it is about, and may have no
path (an unsigned commit concerns no one file): every format shows the commit and stays valid
without a path. A diagnostic without a commit renders exactly as the checker's always have.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable

from generator.core.diagnostics import Diagnostic, Severity

_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}
_COMMIT_ID = re.compile(r"[0-9a-f]{7,64}")
_NO_PATH = "."
"""Where GitLab is told a diagnostic without a file is: the repository's root."""


def _ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    # The later fields only break ties, so that equal (path, line, code) still sort stably.
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.code, d.message, d.hint, d.name, d.commit or ""))


def subject(diagnostic: Diagnostic) -> str | None:
    """`commit <id>` or `tag <name>` (a seal) for a diagnostic about one; None otherwise."""
    if diagnostic.commit is None:
        return None
    kind = "commit" if _COMMIT_ID.fullmatch(diagnostic.commit) else "tag"
    return f"{kind} {diagnostic.commit}"


def _about(diagnostic: Diagnostic) -> str:
    """`commit <id>: ` (or `tag <name>: `) before the message of a diagnostic about one; else nothing."""
    about = subject(diagnostic)
    return "" if about is None else f"{about}: "


def _location(diagnostic: Diagnostic) -> str:
    """`path:line`, `path`, then `commit <id>` or `tag <name>`, joined by `: `; `repository` when none applies."""
    parts = []
    if diagnostic.path:
        parts.append(diagnostic.path if diagnostic.line == 0 else f"{diagnostic.path}:{diagnostic.line}")
    about = subject(diagnostic)
    if about is not None:
        parts.append(about)
    return ": ".join(parts) or "repository"


def _printable(text: str) -> str:
    """Show control and invisible characters as escapes, so one diagnostic stays one line.

    A quoted value may hold a newline or a terminal escape sequence; printed raw, it could
    forge further diagnostics or rewrite the terminal.
    """
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning in 3 files.`, or `No problems found.`; zero counts are left out."""
    items = list(diagnostics)
    if not items:
        return "No problems found."
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = len(items) - errors
    counts = []
    if errors:
        counts.append(_plural(errors, "error"))
    if warnings:
        counts.append(_plural(warnings, "warning"))
    files = len({d.path for d in items})
    return f"{', '.join(counts)} in {_plural(files, 'file')}."


def format_text(diagnostics: Iterable[Diagnostic], *, summary: bool = True) -> str:
    """Human-readable text, ruff style: a block per diagnostic, then a summary line.

    Each block is `path:line: CODE [severity] message` and an indented `help: hint` line; a
    line of 0 (no line applies) renders as `path: CODE ...`. A diagnostic about a commit has
    `commit <id>` (or `tag <name>`, for a seal) after the path, or in its place when no file
    applies: `commit 1f2e...: P801 [error] ...`; with neither, the place is `repository`.
    Blocks are separated by a blank line. The result ends with a newline unless it is empty.
    """
    items = _ordered(diagnostics)
    blocks = []
    for d in items:
        block = f"{_printable(_location(d))}: {d.code} [{d.severity}] {_printable(d.message)}"
        if d.hint:
            block += f"\n  help: {_printable(d.hint)}"
        blocks.append(block)
    if summary:
        blocks.append(summary_line(items))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _to_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def records(diagnostics: Iterable[Diagnostic]) -> list[dict[str, str | int | None]]:
    """The JSON objects of `diagnostics`, sorted: `Diagnostic.as_dict()`, each with `commit` (null
    when it has none) as soon as one of them names a commit, so that every object has the same keys."""
    items = _ordered(diagnostics)
    found = [d.as_dict() for d in items]
    if any(d.commit is not None for d in items):
        for record in found:
            record.setdefault("commit", None)
    return found


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array of `Diagnostic.as_dict()` objects: `code`, `name`, `severity`, `path`,
    `line`, `message`, `hint` (a public contract), and `commit` for `panel verify`'s (see `records`)."""
    return _to_json(records(diagnostics))


def _github_data(text: str) -> str:
    # As GitHub's toolkit escapes command data (actions/toolkit, core/src/command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one line per diagnostic, which annotate the diff.

    `::error file=PATH,line=N,title=CODE name::message%0Ahelp: hint` (`::warning` for
    warnings); `line=` is left out when no line applies, and `file=` too when no file does (the
    annotation then stands for the whole run). A diagnostic about a commit begins its message
    with `commit <id>: ` (or `tag <name>: `). The message and the properties are escaped as
    GitHub documents.
    """
    lines = []
    for d in _ordered(diagnostics):
        properties = [f"file={_github_property(d.path)}"] if d.path else []
        if d.path and d.line > 0:
            properties.append(f"line={d.line}")
        properties.append(f"title={_github_property(f'{d.code} {d.name}')}")
        message = f"{_about(d)}{d.message}"
        text = f"{message}\nhelp: {d.hint}" if d.hint else message
        command = "error" if d.severity is Severity.ERROR else "warning"
        lines.append(f"::{command} {','.join(properties)}::{_github_data(text)}")
    return "".join(f"{line}\n" for line in lines)


def gitlab_fingerprint(diagnostic: Diagnostic) -> str:
    """A stable id for GitLab: the sha256 hex digest of path, line, code and message (and commit, if any)."""
    # NUL cannot occur in a path, so the joined fields cannot run into one another.
    parts = [diagnostic.path, str(diagnostic.line), diagnostic.code, diagnostic.message]
    if diagnostic.commit is not None:
        parts.append(diagnostic.commit)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def format_gitlab(diagnostics: Iterable[Diagnostic]) -> str:
    """A GitLab Code Quality report: a JSON array GitLab shows on the merge request.

    Each object has `description` (`CODE name: message`, or `CODE name: commit <id>: message`
    for a diagnostic about a commit), `check_name` (the name), `fingerprint`, `severity`
    (`major` for an error, `minor` for a warning) and `location` (`path`, `.` when no file
    applies, and `lines.begin`, at least 1).
    """
    return _to_json(
        [
            {
                "description": f"{d.code} {d.name}: {_about(d)}{d.message}",
                "check_name": d.name,
                "fingerprint": gitlab_fingerprint(d),
                "severity": _GITLAB_SEVERITY[d.severity],
                "location": {"path": d.path or _NO_PATH, "lines": {"begin": max(d.line, 1)}},
            }
            for d in _ordered(diagnostics)
        ]
    )


FORMATTERS: dict[str, Callable[[Iterable[Diagnostic]], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "gitlab": format_gitlab,
}
"""Every output format by its `--format` name."""


def render(diagnostics: Iterable[Diagnostic], fmt: str) -> str:
    """Render `diagnostics` in the format named `fmt` (one of `FORMATTERS`)."""
    try:
        formatter = FORMATTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATTERS)
        raise ValueError(f"unknown format {fmt!r}; expected one of: {known}") from None
    return formatter(diagnostics)
