"""Pull requests may not change the machinery, nor who may do what, unless a maintainer made them.

Files outside the document folders run or configure code in CI, and some files inside them grant
authority (a panel's terms say who chairs and who may deputise; the authority's settings say from
which commit the audit starts; a code-owners file chooses the reviewers), so a change to one is
accepted only when everyone behind it (author and committer of each commit that touched it) holds
the `maintainer` role. The roster that decides is the one at the base, read through git: a pull
request cannot make its own author a maintainer. The roster itself is a document, but a change
to who holds which role or key is judged the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import AUTHORITY_PATH, ROSTER_PATH, TOP_FOLDERS, Kind, Location
from generator.git.branch_changes import BranchChanges
from generator.git.runner import BlobReader
from generator.loading.repository import Doc, load_document
from generator.models import Person, Role, Roster

_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Every place GitHub or GitLab reads code owners from: whoever edits one chooses the reviewers.
    ("the code owners", ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")),
    # The terms of reference say who chairs, who may deputise, what makes a meeting quorate and
    # who must authorise: whoever edits them decides who may approve a decision.
    ("the terms of reference of a panel", ("panels/*.md",)),
    # Audit start, local closure days and the case id pattern decide what is judged and when.
    ("the authority's settings", (AUTHORITY_PATH,)),
    ("a template", ("generator/templates/",)),
    ("the generator", ("generator/",)),
    ("the site configuration", ("mkdocs.yml",)),
    ("a hook", (".pre-commit-hooks.yaml", ".pre-commit-config.yaml", "hooks/", ".githooks/")),
    ("a workflow", (".github/", ".gitlab-ci.yml")),
    ("CI", (".ci/",)),
    ("a script", ("scripts/",)),
    ("the build", ("Makefile", "pyproject.toml")),
    ("the tests", ("tests/",)),
)
_PRIVILEGED = ("roles", "signing_keys", "email", "delegate_for")
_DOCS = (".md", ".png", ".jpg", ".jpeg", ".svg", ".txt")
"""What `docs/` holds as documentation; anything else there could be read as configuration."""


def machinery_kind(path: str) -> str | None:
    """What kind of machinery a repository path is ("the generator", "a workflow"...); None for documents and docs.

    Anything outside the document folders, `docs/` and the top-level Markdown files counts: a
    list of what runs code would miss the next file that does (a `conftest.py`, a new CI file).
    """
    for kind, prefixes in _GROUPS:
        if any(_matches(path, p) for p in prefixes):
            return kind
    top = path.split("/", 1)[0]
    if top == "docs" and not path.endswith(_DOCS):
        return "a file that can run or configure code"
    if top in (*TOP_FOLDERS, "docs") or ("/" not in path and (path.endswith(".md") or path == "LICENSE")):
        return None
    return "a file that can run or configure code"


def _matches(path: str, prefix: str) -> bool:
    """`prefix` names one file, a folder (ending `/`) or, as `folder/*.md`, the Markdown files directly in it."""
    if prefix.endswith("/*.md"):
        folder = prefix[: -len("*.md")]
        return path.startswith(folder) and "/" not in path[len(folder) :] and path.endswith(".md")
    return path == prefix or (prefix.endswith("/") and path.startswith(prefix))


def check_machinery(root_roster: bytes | None, changes: BranchChanges, reader: BlobReader) -> list[Diagnostic]:
    """A diagnostic per machinery file, and per roster entry's roles or keys, changed by someone not a maintainer.

    `root_roster` is the working tree's `panels/roster.yml` (None when there is none).
    """
    base_raw = reader.read(f"{changes.base}:{ROSTER_PATH}")
    base_roster = _roster(base_raw)[1] if base_raw is not None else None
    judge = _Judge(base_roster)
    found: list[Diagnostic] = []
    for path in sorted(changes.status):
        kind = machinery_kind(path)
        refused = judge.refused(changes.changed_by(path)) if kind else ""
        if kind and refused:
            found.append(
                d.make(
                    d.UNAUTHORISED_MACHINERY_CHANGE,
                    path,
                    0,
                    f"changes to {kind} need a maintainer, and {refused} is not one in the roster at the base",
                    "ask a maintainer to make this change, or take it out of this pull request",
                )
            )
    if ROSTER_PATH in changes.status:
        refused = judge.refused(changes.changed_by(ROSTER_PATH))
        if refused:
            found += _roster_changes(base_roster, root_roster, refused)
    return found


@dataclass(frozen=True)
class _Judge:
    roster: Roster | None

    def refused(self, emails: frozenset[str]) -> str:
        """Who among `emails` is not a maintainer, described for a message; empty when all are."""
        people = {p.email.casefold(): p for p in self.roster.people if p.email} if self.roster else {}
        if not emails:
            return "someone git cannot name (not committed, and git has no identity set)"
        refused = []
        for email in sorted(emails, key=str.casefold):
            person = people.get(email.casefold())
            if person is None:
                refused.append(f"{email} (not in the roster)")
            elif Role.MAINTAINER not in person.roles:
                refused.append(f"{person.id} ({email})")
        return ", ".join(refused)


def _roster(raw: bytes) -> tuple[Doc[Roster] | None, Roster | None]:
    doc, _ = load_document(Location(ROSTER_PATH, Kind.ROSTER), raw)
    if doc is None or not isinstance(doc.model, Roster):
        return None, None
    return doc, doc.model  # type: ignore[return-value]


def _roster_changes(base: Roster | None, raw: bytes | None, refused: str) -> list[Diagnostic]:
    def refuse(line: int, what: str) -> Diagnostic:
        return d.make(
            d.UNAUTHORISED_ROSTER_CHANGE,
            ROSTER_PATH,
            line,
            f"{what}, which needs a maintainer, and {refused} is not one in the roster at the base",
            "ask a maintainer to make this change; names and teams may be changed by anyone",
        )

    if raw is None:
        return [refuse(0, "the roster was deleted")]
    doc, roster = _roster(raw)
    if doc is None or roster is None:
        return []  # the roster's own diagnostics block the change
    before = {p.id: p for p in base.people} if base else {}
    found: list[Diagnostic] = []
    for index, person in enumerate(roster.people):
        old = before.get(person.id)
        if old is None:
            found.append(refuse(doc.line("people", index), f"{person.id} was added"))
            continue
        fields = [f for f in _PRIVILEGED if _value(old, f) != _value(person, f)]
        if fields:
            line = doc.line("people", index, fields[0])
            found.append(refuse(line, f"{person.id}'s {' and '.join(fields)} changed"))
    now = {p.id for p in roster.people}
    found += [refuse(0, f"{pid} was removed") for pid in sorted(set(before) - now)]
    return found


_VALUES: dict[str, Callable[[Person], object]] = {
    "roles": lambda p: sorted(p.roles),
    "signing_keys": lambda p: [k.model_dump() for k in p.signing_keys],
    "email": lambda p: (p.email or "").casefold(),
    "delegate_for": lambda p: sorted(p.delegate_for),
}


def _value(person: Person, field: str) -> object:
    return _VALUES[field](person)
