"""The roster of people (`panels/roster.yml`) and the authority's settings (`panels/authority.yml`)."""

from __future__ import annotations

import base64
import binascii
import struct
from typing import Annotated, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .audience import Audience
from .common import IsoDate, Slug, Strict, Text
from .retention import Retention
from .roles import Role


def _well_formed_key(value: str) -> str:
    """The key, if its body is valid base64 holding a whole key of the type the line names."""
    kind, body = value.split(" ", 1)
    try:
        blob = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the key's body is not valid base64: copy the whole line of the .pub file") from None
    fields = _ssh_fields(blob)
    if fields is None:
        raise ValueError("the key's body is cut short: copy the whole line of the .pub file")
    if not fields or fields[0] != kind.encode("ascii"):
        raise ValueError(f"the key's body is not an {kind} key: copy the whole line of the .pub file")
    whole = {
        "ssh-ed25519": len(fields) == 2 and len(fields[1]) == 32,
        "ecdsa-sha2-nistp256": len(fields) == 3 and fields[1] == b"nistp256" and len(fields[2]) == 65,
        "ssh-rsa": len(fields) == 3,
    }
    if not whole.get(kind, False):
        raise ValueError("the key's body is cut short or has extra bytes: copy the whole line of the .pub file")
    return value


def _ssh_fields(blob: bytes) -> list[bytes] | None:
    """The length-prefixed fields of an SSH public key blob, or None if a length runs past the end."""
    fields: list[bytes] = []
    at = 0
    while at < len(blob):
        if at + 4 > len(blob):
            return None
        (length,) = struct.unpack(">I", blob[at : at + 4])
        if at + 4 + length > len(blob):
            return None
        fields.append(blob[at + 4 : at + 4 + length])
        at += 4 + length
    return fields


SshPublicKey = Annotated[
    str,
    StringConstraints(pattern=r"^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]{40,}$"),
    AfterValidator(_well_formed_key),
]
"""An SSH public key: algorithm and base64 body, without a comment."""

CommitId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")]
"""A full 40-hex-digit commit id."""


class SigningKey(Strict):
    """An SSH key a person signs commits with."""

    key: SshPublicKey
    """The public key."""
    valid_after: IsoDate | None = None
    """First day the key may sign."""
    valid_before: IsoDate | None = None
    """Day from which the key no longer signs (expired)."""
    revoked: IsoDate | None = None
    """Day the key was revoked (lost, stolen or the person left)."""


class Person(Strict):
    """Someone who refers, authorises, chairs, attends or signs."""

    personal_fields = frozenset({"name", "email"})

    id: Slug
    """Roster id used everywhere a person is named."""
    name: Text
    """Full name as shown on agendas and decision sheets."""
    roles: list[Role] = Field(min_length=1)
    """Roles held."""
    team: Slug | None = None
    """Team id (from the authority's teams)."""
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    """Work email, for calendar invites."""
    signing_keys: list[SigningKey] = Field(default_factory=list)
    """SSH keys used to sign commits."""
    delegate_for: list[Slug] = Field(default_factory=list)
    """Panel ids this person may chair as the named delegate."""


class Roster(Strict):
    """Everyone the repository names."""

    people: list[Person]
    """The people."""

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [p.id for p in self.people]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"people repeats {', '.join(duplicates)}")
        return self


class Team(Strict):
    """A team of the authority's children's services."""

    id: Slug
    """Team id."""
    name: Text
    """Team name."""
    locality: Slug | None = None
    """Locality (panel series) the team belongs to."""


class Closure(Strict):
    """A local closure day: not a working day, on top of bank holidays."""

    date: IsoDate
    """The day."""
    reason: Text
    """Why the offices are closed."""


class Authority(Strict):
    """The council's settings."""

    name: Text
    """The authority's name."""
    case_id_pattern: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    """Regular expression every case id must match in full (the case-management system's ids)."""
    case_system: Text = "the case-management system"
    """Name of the system where children's records live (Mosaic, LiquidLogic)."""
    teams: list[Team] = Field(default_factory=list)
    """Teams."""
    closure_days: list[Closure] = Field(default_factory=list)
    """Local closure days."""
    audit_start: CommitId | None = None
    """Documents that entered the repository before this commit are not judged by their git time."""
    demo_date: IsoDate | None = None
    """The "as of" date the bundled demo is built for."""
    witness_keys: list[SshPublicKey] = Field(default_factory=list, max_length=20)
    """Public keys the git server signs its witnesses of the protected branch with (docs/audit.md)."""
    confidentiality: Text = "OFFICIAL-SENSITIVE: personal data about children. Do not forward or print without need."
    """Banner shown on every page of the site."""
    # --- retention (docs/retention.md) ---
    retention: Retention | None = None
    """How long each kind of case record is kept, holds, and whether narrative is sealed; None: no rules yet."""
    # --- end retention ---
    # --- audiences (generator.models.audience; `panel build --audience NAME`) ---
    audiences: list[Audience] = Field(default_factory=list)
    """Who else a site may be built for: per-panel sites, a redacted site for wider readers.
    Duplicate names, unknown panels or teams and contradictions are diagnosed by `panel check` (P125-P128)."""
