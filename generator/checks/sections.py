"""Narrative sections of a referral body: `## ` headings and what is written under them."""

from __future__ import annotations

import re

PROMPT_PREFIX = "_To complete:"
"""Scaffolded templates put each section's prompt on a line starting with this; it is not content."""

_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")


def normalise_heading(title: str) -> str:
    """Headings compare without case, surrounding space or trailing punctuation."""
    return re.sub(r"[\s:.]+$", "", " ".join(title.split())).casefold()


def sections_of(body: str, body_line: int) -> dict[str, tuple[int, str]]:
    """Each `## ` section's normalised heading → (its line in the file, its text without prompts)."""
    found: dict[str, tuple[int, str]] = {}
    current: str | None = None
    lines: list[str] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            if current is not None:
                found[current] = (found[current][0], "\n".join(lines).strip())
            current = normalise_heading(match.group("title"))
            lines = []
            found.setdefault(current, (body_line + offset, ""))
            continue
        if current is not None and not line.strip().startswith(PROMPT_PREFIX):
            lines.append(line)
    if current is not None:
        found[current] = (found[current][0], "\n".join(lines).strip())
    return found
