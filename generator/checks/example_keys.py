"""Example keys in a real roster: the bundled example's signing keys must never be trusted elsewhere."""

from __future__ import annotations

from functools import cache
from importlib import resources

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import ROSTER_PATH
from generator.loading.repository import Repository

EXAMPLE_SUFFIX = "(fictional example)"
"""How the bundled example's authority name ends."""


@cache
def example_keys() -> frozenset[str]:
    """The public halves ("algorithm base64") of the example-only keys in `demo/keys/`."""
    text = resources.files("generator").joinpath("data", "example-signing-keys.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_example_keys(repo: Repository) -> list[Diagnostic]:
    """A roster key that is one of the published example keys, outside the bundled example itself."""
    authority = repo.authority
    if authority is None or (authority.demo_date is not None and authority.name.endswith(EXAMPLE_SUFFIX)):
        return []
    published = example_keys()
    found: list[Diagnostic] = []
    lines: list[str] | None = None
    for person_id, person in sorted(repo.roster.items()):
        for signing_key in person.signing_keys:
            if signing_key.key not in published:
                continue
            if lines is None:
                lines = (repo.root / ROSTER_PATH).read_text(encoding="utf-8").splitlines()
            body = signing_key.key.split()[1]
            line = next((number for number, text in enumerate(lines, 1) if body in text), 0)
            found.append(
                d.make(
                    d.EXAMPLE_SIGNING_KEY,
                    ROSTER_PATH,
                    line,
                    f"{person_id} holds an example-only key from demo/keys, whose private half is published",
                    "replace it with the person's own public key (and the example people with your staff)",
                )
            )
    return found
