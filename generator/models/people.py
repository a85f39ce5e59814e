"""The roster of people (`panels/roster.yml`) and the authority's settings (`panels/authority.yml`)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from .common import IsoDate, Slug, Strict, Text
from .roles import Role

SshPublicKey = Annotated[
    str,
    StringConstraints(pattern=r"^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]{40,}$"),
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
    confidentiality: Text = "OFFICIAL-SENSITIVE: personal data about children. Do not forward or print without need."
    """Banner shown on every page of the site."""
