"""Reading every `seal/*` tag in a constant number of git calls, for `panel verify`.

- one `git for-each-ref` lists the seals with their target, tagger and date;
- one `git for-each-ref --merged=HEAD` says which still point into HEAD's history;
- one `git verify-tag` over all of them prints exactly those whose signature is good (`G`);
- the tag objects themselves come through the shared `git cat-file --batch` reader: the message
  holds the sealed files and the SSH signature holds the public key that made it.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.audit.sealing import SEAL_PREFIX, sealed_files
from generator.audit.signing import blob_fingerprint
from generator.git import runner as git
from generator.git.runner import BlobReader

_SIGNATURE = re.compile(r"-----BEGIN SSH SIGNATURE-----\n(.*?)-----END SSH SIGNATURE-----", re.DOTALL)
_FIELDS = "%00".join(
    [
        "%(objectname)",
        "%(objecttype)",
        "%(refname)",
        "%(*objectname)",
        "%(*objecttype)",
        "%(taggerdate:iso-strict)",
        "%(taggeremail)",
    ]
)
_FIELD_COUNT = 7


@dataclass(frozen=True)
class SealTag:
    """One `seal/*` tag as the repository holds it."""

    name: str
    """Short tag name, `seal/<panel>/<date>`."""
    object_id: str
    """The ref's object: a tag object for a real seal, a commit for a lightweight tag."""
    annotated: bool
    """Whether the ref points at a tag object (a seal must)."""
    commit: str | None
    """The commit the seal points at; None when it points at something else."""
    tagger: str = ""
    """The tagger's email, as recorded."""
    time: datetime | None = None
    """The tagger date: chosen by the tagger, trusted only as far as the signing key is."""
    in_history: bool = False
    """Whether the sealed commit is HEAD or one of its ancestors."""
    good_signature: bool = False
    """Whether git judged the tag's signature `G` against the allowed-signers file."""
    key: str | None = None
    """Fingerprint of the key in the tag's SSH signature."""
    files: dict[str, str] = field(default_factory=dict)
    """Sealed paths and their blob ids."""


def read_seals(root: Path, allowed_signers: Path, reader: BlobReader) -> list[SealTag]:
    """Every `seal/*` tag, sorted by name, with what verification needs to judge it."""
    listing = git.output(root, ["for-each-ref", f"--format={_FIELDS}", SEAL_PREFIX])
    rows = [line.split("\0") for line in listing.splitlines() if line]
    rows = [row for row in rows if len(row) == _FIELD_COUNT]
    if not rows:
        return []
    merged = set(git.output(root, ["for-each-ref", "--format=%(refname)", "--merged=HEAD", SEAL_PREFIX]).split())
    tag_ids = sorted({row[0] for row in rows if row[1] == "tag"})
    good = _good_signatures(root, allowed_signers, tag_ids)
    seals: list[SealTag] = []
    for object_id, kind, refname, peeled, peeled_kind, when, tagger in rows:
        annotated = kind == "tag"
        commit = peeled if annotated and peeled_kind == "commit" else (object_id if kind == "commit" else None)
        content = reader.read(object_id) if annotated else None
        message = git.decode(content or b"")
        seals.append(
            SealTag(
                name=refname.removeprefix("refs/tags/"),
                object_id=object_id,
                annotated=annotated,
                commit=commit,
                tagger=tagger.strip().removeprefix("<").removesuffix(">"),
                time=datetime.fromisoformat(when) if when else None,
                in_history=refname in merged and commit is not None,
                good_signature=object_id in good,
                key=signature_key(message),
                files=sealed_files(message),
            )
        )
    return sorted(seals, key=lambda seal: seal.name)


def signature_key(tag_text: str) -> str | None:
    """The fingerprint of the public key inside a tag's SSH signature (SSHSIG format); None if there is none."""
    match = _SIGNATURE.search(tag_text)
    if match is None:
        return None
    try:
        blob = base64.b64decode("".join(match.group(1).split()), validate=True)
    except binascii.Error:
        return None
    # SSHSIG: 6-byte magic, uint32 version, then the public key as a length-prefixed string.
    if len(blob) < 14 or blob[:6] != b"SSHSIG":
        return None
    (length,) = struct.unpack(">I", blob[10:14])
    key = blob[14 : 14 + length]
    return blob_fingerprint(key) if len(key) == length else None


def _good_signatures(root: Path, allowed_signers: Path, tag_ids: list[str]) -> set[str]:
    """The tag objects whose signature git judges good; `verify-tag` prints the format for those alone."""
    if not tag_ids:
        return set()
    result = git.run(
        root,
        ["verify-tag", "--format=%(objectname)", "--end-of-options", *tag_ids],
        config={"gpg.ssh.allowedSignersFile": str(allowed_signers)},
    )
    return set(git.decode(result.stdout).split()) & set(tag_ids)
