"""Per-document histories: who created and changed each file, when, and who signed each change.

One `git log` pass (`generator.git.history.read_history` with an allowed-signers file) gives every
change to every path with its signature status; the roster at HEAD says whose each key is. Git's
allowed-signers file is written from that roster into a temporary file (`generator.audit.signing`), as
`panel verify` does. Seals (`seal/<panel>/<date>` tags) are read once by `generator.audit.seals`.
A constant number of git calls, however many files: rev-parse, one `cat-file --batch`, the log
pass, `status`, and the seals' `for-each-ref` and `verify-tag`.

Committer times are chosen by whoever commits: they are evidence, not proof (see docs/audit.md).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.audit.seals import SealTag, read_seals
from generator.audit.signing import KeyHolder, allowed_signers, key_holders, read_roster
from generator.audit.witness import latest_witness
from generator.core.errors import UsageError
from generator.core.layout import ROSTER_PATH, Kind, classify
from generator.git.history import Change, History, is_repository, read_history, uncommitted_paths
from generator.git.runner import BlobReader
from generator.loading.repository import symlinked_part
from generator.loading.safe_yaml import read_markdown

RoleLabel = Callable[[str], str]
"""Turns a role id (`head-of-service`) into words."""

_VERBS = {"A": "created", "M": "changed", "D": "deleted"}
_STATUS_WORDS = {
    "N": "unsigned",
    "B": "bad signature: the commit no longer matches what was signed",
    "X": "signed, but the signature has expired",
    "Y": "signed with a key that had expired",
    "R": "signed with a revoked key",
    "E": "signed, but the signature could not be checked",
}


def plain_role(role: str) -> str:
    """A role id in words: `head-of-service` is "head of service"."""
    return role.replace("-", " ")


@dataclass(frozen=True, slots=True)
class Signer:
    """The roster person a signing key belongs to (as of the roster at HEAD)."""

    id: str
    """Roster id."""
    name: str
    """Name from the roster."""
    roles: tuple[str, ...]
    """Role ids from the roster."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One change to one document, with whose key signed it; `change` None means not yet committed."""

    path: str
    """The document's repository path."""
    change: Change | None
    """The commit's change; None for an uncommitted change in the working tree."""
    signer: Signer | None = None
    """The roster person holding the signing key; None when unsigned, unknown or shared."""
    shared_key: bool = False
    """The key belongs to more than one roster person (`panel verify` refuses it)."""

    @property
    def verb(self) -> str:
        """ "created", "changed", "deleted" or "not yet committed"."""
        return _VERBS[self.change.status] if self.change is not None else "not yet committed"

    def signature_words(self, role_label: RoleLabel = plain_role) -> str:
        """The signature in words: "signed by <name> (<role>)", "unsigned", "signed with a key not in the roster"."""
        change = self.change
        if change is None:
            return "not yet committed"
        status = change.signature
        if status == "":
            return "signature not read"
        if status == "N":
            return "unsigned"
        if self.shared_key:
            return "signed with a key several roster people share"
        if self.signer is None:
            return _STATUS_WORDS.get(status, "signed with a key not in the roster")
        who = f"{self.signer.name} ({', '.join(role_label(r) for r in self.signer.roles) or 'no role'})"
        if status == "G":
            return f"signed by {who}"
        return f"{_STATUS_WORDS.get(status, 'signed, but not accepted')} (key of {who})"


@dataclass(frozen=True)
class Histories:
    """Every document's history from one pass, with the seals and the working tree's uncommitted files."""

    history: History
    """The pass itself (with signature status on every change)."""
    holders: dict[str, list[KeyHolder]] = field(default_factory=dict)
    """Roster keys at HEAD by fingerprint."""
    uncommitted: frozenset[str] = frozenset()
    """Document paths new or modified in the working tree."""
    seals: Sequence[SealTag] = ()
    """Every `seal/*` tag, sorted by name."""
    witness: bytes | None = None
    """The latest `witness/*` tag object, byte for byte (its signature is `panel verify`'s to judge)."""

    @property
    def shallow(self) -> bool:
        """A shallow clone: the history before its boundary is missing, so audit views are incomplete."""
        return self.history.shallow

    def paths(self) -> list[str]:
        """Every path with a history, committed or not, sorted."""
        return sorted(set(self.history.changes) | self.uncommitted)

    def entries(self, path: str) -> list[Entry]:
        """The path's changes, oldest first, then a "not yet committed" entry if the working tree differs."""
        found = [self.entry(path, change) for change in self.history.changes.get(path, ())]
        if path in self.uncommitted:
            found.append(Entry(path, None))
        return found

    def entry(self, path: str, change: Change) -> Entry:
        """One change as an Entry, with its key's roster holder."""
        holders = self.holders.get(change.key, []) if change.key else []
        if len(holders) > 1:
            return Entry(path, change, None, shared_key=True)
        if not holders or change.signature in ("", "N", "B"):
            return Entry(path, change)
        person = holders[0].person
        return Entry(path, change, Signer(person.id, person.name, tuple(str(r) for r in person.roles)))

    def last_commit(self, path: str) -> Entry | None:
        """The latest committed change to `path`, or None."""
        changes = self.history.changes.get(path)
        return self.entry(path, changes[-1]) if changes else None

    def case_paths(self, case_id: str, root: Path | None = None) -> list[str]:
        """Every path of a case: its case file, referrals and decision sheets, and (given the working tree's
        `root`) the records whose `refers_to:` names one of its decision sheets, in path order."""
        found: list[str] = []
        records: list[str] = []
        for path in self.paths():
            location = classify(path)
            if location is not None and location.case == case_id:
                found.append(path)
            elif location is not None and location.kind is Kind.RECORD:
                records.append(path)
        if root is not None:
            decisions = {path for path in found if path.startswith("decisions/")}
            found += [path for path in records if _refers_to(root, path) in decisions]
        return sorted(found)


def read_histories(root: Path, audit_start: str | None = None) -> Histories:
    """Read every document's history at `root` (see the module's description of the git calls).

    Outside a repository (or without commits) the histories are empty. A roster at HEAD that does
    not load gives no key holders: every signed change then reads as a key not in the roster.
    """
    if not is_repository(root):
        return Histories(History())
    with BlobReader(root) as reader, tempfile.TemporaryDirectory(prefix="panel-history-") as scratch:
        raw = reader.read(f"HEAD:{ROSTER_PATH}")
        holders: dict[str, list[KeyHolder]] = {}
        allowed = ""
        if raw is not None:
            try:
                roster = read_roster(raw, f"{ROSTER_PATH} at HEAD")
            except UsageError:
                roster = None
            if roster is not None:
                holders = key_holders(roster)
                allowed = allowed_signers(roster, bound_revoked=True).allowed
        signers = Path(scratch) / "allowed_signers"
        signers.write_text(allowed, encoding="utf-8")
        history = read_history(root, audit_start, signers=signers)
        seals = read_seals(root, signers, reader) if history.head is not None else []
        witness = latest_witness(root, reader) if history.head is not None else None
    return Histories(history, holders, frozenset(uncommitted_paths(root)), seals, witness)


def entry_json(entry: Entry, role_label: RoleLabel = plain_role) -> dict[str, object]:
    """One entry in the JSON shape `panel history --format json` documents."""
    change = entry.change
    if change is None:
        return {
            "change": "uncommitted",
            "commit": None,
            "time": None,
            "author": None,
            "committer": None,
            "signature": None,
        }
    signer = entry.signer
    return {
        "change": entry.verb,
        "commit": change.commit,
        "time": change.time.isoformat(),
        "author": {"name": change.author_name, "email": change.author_email},
        "committer": {"name": change.committer_name, "email": change.committer_email},
        "signature": {
            "status": change.signature,
            "key": change.key or None,
            "person": None if signer is None else {"id": signer.id, "name": signer.name, "roles": list(signer.roles)},
            "words": entry.signature_words(role_label),
        },
    }


def when_label(time: datetime) -> str:
    """A commit time as shown on the site and in text output: `2024-05-01 09:00 +01:00`."""
    offset = time.strftime("%z")
    return f"{time:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}" if offset else f"{time:%Y-%m-%d %H:%M}"


def _refers_to(root: Path, path: str) -> str | None:
    """The decision a record in the working tree names in `refers_to:`; None if it cannot be read."""
    file = root / path
    if not file.is_file() or symlinked_part(root, path) is not None:
        return None
    parsed, _ = read_markdown(path, file.read_bytes())
    value = parsed.data.get("refers_to") if parsed is not None else None
    return value if isinstance(value, str) else None
