"""CODEOWNERS from the roster and the panels' terms: who must review a change to which folder.

GitHub and GitLab both read a CODEOWNERS file and, with code-owner review required on the
protected branch, will not merge a change until one owner of every path it touches approves.
Written from `panels/` so that it never drifts from who chairs what:

- `decisions/<panel>/` is owned by everyone holding one of that panel's chair roles, and by its
  named delegates when the panel's terms allow a delegate;
- the machinery (`panels/` itself, `mkdocs.yml`, the generator, workflows, hooks, scripts and
  the build) is owned by the people with the `maintainer` role.

Owners are written as email addresses: the roster has no GitHub or GitLab user name, and both
hosts accept the email of an account. Nothing is left unowned by accident: a panel nobody can
own, or a roster without a maintainer, is an error rather than a line without owners.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.audit.signing import may_sign_for
from generator.core.errors import UsageError
from generator.core.layout import Kind, classify
from generator.loading.repository import load_document
from generator.models import Panel, Person, Role, Roster

MACHINERY = (
    "/panels/",
    "/mkdocs.yml",
    "/generator/",
    "/hooks/",
    "/.githooks/",
    "/.pre-commit-hooks.yaml",
    "/.pre-commit-config.yaml",
    "/.github/",
    "/.gitlab-ci.yml",
    "/.gitlab/",
    "/.ci/",
    "/scripts/",
    "/Makefile",
    "/pyproject.toml",
    "/tests/",
    "/CODEOWNERS",
    "/docs/CODEOWNERS",
)
"""Paths only maintainers may approve: they run or configure code in CI, or say who may do what."""

# `#` may start a comment, `\` escapes and `[` `]` open a GitLab section: an address holding one
# would not be read as the owner it names.
_UNSAFE = frozenset("#\\[]")

HEADER = """\
# Written by `panel codeowners` from panels/roster.yml and the panels' terms: do not edit by hand.
# Regenerate it in the same pull request as any change to the roster or to a panel's chair.
# Owners must approve a change to their paths once code-owner review is required on the
# protected branch (docs/branch-protection.md).
"""


@dataclass(frozen=True)
class CodeownersFile:
    """The file's text and the people left out of it, with why."""

    text: str
    """The CODEOWNERS content: the same roster and panels always give the same bytes."""
    notes: list[str] = field(default_factory=list)
    """One sentence per person left out (no email, or an email CODEOWNERS cannot hold)."""


def codeowners(roster: Roster, panels: Mapping[str, Panel]) -> CodeownersFile:
    """CODEOWNERS for these people and panels.

    Raises UsageError when no one can own the machinery (no maintainer with a usable email) or
    a panel's decisions (no chair or allowed delegate with one): such a file would let those
    changes merge with no required reviewer at all.
    """
    notes: dict[str, str] = {}
    maintainers = _owners_of((p for p in roster.people if Role.MAINTAINER in p.roles), notes)
    if not maintainers:
        raise UsageError(
            "no one in the roster holds the maintainer role with an email, so the machinery would have no owner: "
            "give the maintainer role to at least one person"
        )
    lines = [HEADER, "# The machinery, and panels/ (who may do what): maintainers."]
    lines += [f"{path} {' '.join(maintainers)}" for path in MACHINERY]
    lines += ["", "# Decisions and minutes: the panel's chairs, and its named delegates where the terms allow one."]
    ownerless = []
    for panel_id in sorted(panels):
        chairs = _owners_of((p for p in roster.people if may_sign_for(p, panel_id, panels[panel_id])), notes)
        if chairs:
            lines.append(f"/decisions/{panel_id}/ {' '.join(chairs)}")
        else:
            ownerless.append(panel_id)
    if ownerless:
        raise UsageError(
            f"no one in the roster can own the decisions of {', '.join(ownerless)}: give someone with an email "
            "one of the panel's chair roles (or make them its named delegate, where the terms allow one)"
        )
    return CodeownersFile("\n".join(lines) + "\n", [notes[key] for key in sorted(notes)])


def read_panels(root: Path) -> dict[str, Panel]:
    """Every panel's terms in the working tree's `panels/`, by id; UsageError naming a file that does not load."""
    panels: dict[str, Panel] = {}
    folder = root / "panels"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() and not folder.is_symlink() else []:
        location = classify(f"panels/{path.name}")
        if path.is_symlink():
            raise UsageError(f"{location.path if location else path.name} is a symbolic link; replace it with the file")
        if location is None or location.kind is not Kind.PANEL or location.panel is None:
            continue
        doc, problems = load_document(location, path.read_bytes())
        if doc is None or not isinstance(doc.model, Panel):
            reasons = "; ".join(f"line {p.line}: {p.message}" for p in problems) or "it could not be read"
            raise UsageError(f"{location.path} is not valid ({reasons}): fix it first (`panel check` says more)")
        panels[location.panel] = doc.model
    return panels


def _owners_of(people: Iterable[Person], notes: dict[str, str]) -> list[str]:
    """These people as owners (their emails), sorted and without repeats; a note for each who cannot be one."""
    owners = set()
    for person in people:
        if person.email is None:
            notes[person.id] = f"{person.id} has no email, so cannot be a code owner: left out"
        elif _UNSAFE.intersection(person.email):
            unsafe = " ".join(sorted(_UNSAFE))
            notes[person.id] = f"{person.id}'s email holds one of {unsafe}, which CODEOWNERS reads as syntax: left out"
        else:
            owners.add(person.email)
    return sorted(owners)
