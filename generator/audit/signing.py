"""Signing keys from the roster: git's allowed-signers file, key fingerprints, and who may sign what.

The roster (`panels/roster.yml`) is the one place that says whose key is whose. Git's
`gpg.ssh.allowedSignersFile` is written from it, never by hand, so that `%G?` in git means
"signed by a key the roster holds, within its dates".

Dates follow the roster's meaning: a key signs from `valid_after` (inclusive) until the day
before `valid_before`, and not from the day it was `revoked`. A key is *retired* once either
day has come: such a key is trusted only for commits a seal made while it was valid covers
(see `generator.audit.verify`).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from generator.core.errors import UsageError
from generator.core.layout import ROSTER_PATH, Kind, Location
from generator.loading.repository import load_document
from generator.models import Panel, Person, Roster
from generator.models.people import SigningKey

_PATTERN_CHARACTERS = frozenset('*?!,"')

Retirement = Literal["expired", "revoked"]
"""Why a key no longer signs: its `valid_before` day came, or it was revoked."""


@dataclass(frozen=True, slots=True)
class KeyHolder:
    """One roster key and the person who holds it."""

    person: Person
    """The key's holder."""
    key: SigningKey
    """The key, with its dates."""


@dataclass(frozen=True)
class SignersFile:
    """The allowed-signers file's text, the revoked keys' text, and what was left out and why."""

    allowed: str
    """`gpg.ssh.allowedSignersFile` content: one line per key, sorted."""
    revoked: str
    """`gpg.ssh.revocationFile` content: one revoked public key per line, sorted."""
    notes: list[str] = field(default_factory=list)
    """People left out (no email, or no keys), one sentence each."""


def fingerprint(public_key: str) -> str:
    """The `SHA256:...` fingerprint git and ssh-keygen print for an `algorithm base64` public key."""
    parts = public_key.split()
    if len(parts) < 2:
        raise ValueError("a public key is an algorithm and a base64 body")
    return blob_fingerprint(base64.b64decode(parts[1], validate=True))


def blob_fingerprint(blob: bytes) -> str:
    """The `SHA256:...` fingerprint of a public key's wire-format bytes."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def read_roster(raw: bytes, where: str = ROSTER_PATH) -> Roster:
    """Validate roster bytes; a UsageError naming the file and each problem when it is not valid."""
    doc, problems = load_document(Location(ROSTER_PATH, Kind.ROSTER), raw)
    if doc is None or not isinstance(doc.model, Roster):
        reasons = "; ".join(f"line {p.line}: {p.message}" for p in problems) or "it could not be read"
        raise UsageError(f"{where} is not a valid roster ({reasons}): fix it first (`panel check` says more)")
    return doc.model


def retirement(key: SigningKey) -> tuple[date, Retirement] | None:
    """The day a key stopped (or will stop) signing and why; None when no end is set.

    When both are set, the earlier day wins; on the same day, revocation is the reason given.
    """
    ends: list[tuple[date, int, Retirement]] = []
    if key.revoked is not None:
        ends.append((key.revoked, 0, "revoked"))
    if key.valid_before is not None:
        ends.append((key.valid_before, 1, "expired"))
    if not ends:
        return None
    day, _, why = min(ends)
    return day, why


def outside_window(key: SigningKey, day: date) -> Literal["expired", "revoked", "not-yet-valid"] | None:
    """Why `key` could not sign on `day` by the roster's dates; None when it could."""
    if key.valid_after is not None and day < key.valid_after:
        return "not-yet-valid"
    end = retirement(key)
    if end is not None and day >= end[0]:
        return end[1]
    return None


def key_holders(roster: Roster) -> dict[str, list[KeyHolder]]:
    """Every roster key by fingerprint; more than one holder means the key is shared (refused by verify)."""
    holders: dict[str, list[KeyHolder]] = {}
    for person in roster.people:
        for key in person.signing_keys:
            holders.setdefault(fingerprint(key.key), []).append(KeyHolder(person, key))
    return holders


def allowed_signers(roster: Roster, *, bound_revoked: bool = False) -> SignersFile:
    """Git's allowed-signers file (and a revoked-keys list) from the roster; same roster, same bytes.

    Each line is `email namespaces="git"[,valid-after="YYYYMMDD"][,valid-before="YYYYMMDD"] key`:
    the principal is the person's email, the identity git compares with the signature. Revoked
    keys are left out and listed in `revoked`, unless `bound_revoked`: then they stay, valid only
    before their revocation day, so that `panel verify` can tell a commit signed before the
    revocation (then judged by the seal rule) from an unknown key.
    """
    lines: list[str] = []
    revoked: list[str] = []
    notes: list[str] = []
    keyless: list[str] = []
    for person in sorted(roster.people, key=lambda p: p.id):
        if not person.signing_keys:
            keyless.append(person.id)
            continue
        if person.email is None:
            notes.append(f"{person.id} has signing keys but no email, so git cannot match a committer: left out")
            continue
        if _PATTERN_CHARACTERS.intersection(person.email):
            # In the allowed-signers file `*`, `?` and `!` are wildcards and `,` separates principals.
            notes.append(f"{person.id}'s email holds one of {''.join(sorted(_PATTERN_CHARACTERS))}: left out")
            continue
        for key in person.signing_keys:
            if key.revoked is not None:
                revoked.append(key.key)
                if not bound_revoked:
                    continue
            lines.append(_line(person.email, key))
    if keyless:
        who = "1 person has" if len(keyless) == 1 else f"{len(keyless)} people have"
        notes.append(f"{who} no signing key: {', '.join(keyless)}")
    return SignersFile(_text(sorted(set(lines))), _text(sorted(set(revoked))), notes)


def may_sign_for(person: Person, panel_id: str, panel: Panel) -> bool:
    """Whether `person` may sign a panel's decisions and minutes: a chair role, or its named delegate."""
    if any(role in panel.chair.roles for role in person.roles):
        return True
    return panel.chair.delegate_allowed and panel_id in person.delegate_for


def _line(email: str, key: SigningKey) -> str:
    options = ['namespaces="git"']
    if key.valid_after is not None:
        options.append(f'valid-after="{key.valid_after:%Y%m%d}"')
    end = retirement(key)
    if end is not None:
        options.append(f'valid-before="{end[0]:%Y%m%d}"')
    return f"{email} {','.join(options)} {key.key}"


def _text(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
