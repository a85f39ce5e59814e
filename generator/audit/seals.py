"""Seals: the signed `seal/<panel>/<date>` tags that record a meeting's files, written and read here.

A seal is the annotated, SSH-signed tag `seal/<panel>/<date>` on HEAD. Its message lists the
blob id and path of the meeting record, the decision sheets and the later records of that
meeting as HEAD holds them, so a later rewrite of history shows. `panel verify` checks every
seal: the tag is signed by a chair or named delegate of that panel, the tagged commit is still in
HEAD's history, and every sealed file is still at its path, unchanged (decisions are never
edited, only superseded by new files). `seal_name`, `seal_message` and `sealed_files` are the
tag's format, shared by both sides (the demo writes its seals with the first two).

Writing one (`make_seal`, for `panel seal`): `git rev-parse` for HEAD and for the tag (which
must not exist yet), `git config --get user.signingkey`, one `git ls-tree` of the meeting's
folder, its documents through one `git cat-file --batch` (each must be approved), then
`git tag -s`.

Reading every one (`read_seals`, for `panel verify` and the site's audit pages), in a constant
number of git calls:

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
from datetime import date, datetime
from pathlib import Path

from generator.audit.signing import blob_fingerprint
from generator.core.errors import UsageError
from generator.core.layout import Kind, classify, meeting_folder
from generator.git import runner as git
from generator.git.runner import BlobReader
from generator.loading.safe_yaml import read_markdown

SEAL_PREFIX = "refs/tags/seal/"
"""Where seals live."""
SEALED_KINDS = (Kind.MEETING, Kind.DECISION, Kind.RECORD)
"""The kinds of document a seal records: the meeting record, its decision sheets and its later records."""
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_ENTRY = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64}) (decisions/[!-~]+)", re.ASCII)
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
class Sealed:
    """A seal that was made."""

    tag: str
    """The tag's name (`seal/<panel>/<date>`)."""
    commit: str
    """The commit it seals (HEAD when it was made)."""
    files: dict[str, str]
    """Sealed paths and their blob ids."""


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


def seal_name(panel: str, meeting: date) -> str:
    """The tag name of a meeting's seal."""
    return f"seal/{panel}/{meeting.isoformat()}"


def seal_message(panel: str, meeting: date, commit: str, files: dict[str, str]) -> str:
    """The tag message: a title, the meeting and commit, then `<blob id> <path>` per file, sorted."""
    lines = [
        f"Seal of {meeting_folder(panel, meeting)}",
        "",
        f"Panel: {panel}",
        f"Meeting: {meeting.isoformat()}",
        f"Commit: {commit}",
        "",
        *(f"{blob} {path}" for path, blob in sorted(files.items())),
    ]
    return "\n".join(lines) + "\n"


def sealed_files(message: str) -> dict[str, str]:
    """The `path: blob id` pairs a seal's message records (lines that are not entries are ignored)."""
    found: dict[str, str] = {}
    for line in message.splitlines():
        match = _ENTRY.fullmatch(line)
        if match is not None:
            found[match.group(2)] = match.group(1)
    return found


def make_seal(root: Path, panel: str, meeting: date) -> Sealed:
    """Tag HEAD as `seal/<panel>/<date>`, signed with the user's SSH key, recording the meeting's files.

    Refuses (UsageError) when the panel id is not a slug, HEAD holds no meeting record for that
    meeting, the meeting record or a decision sheet is still a draft, the seal exists already,
    or git has no signing key configured.
    """
    if not _SLUG.fullmatch(panel):
        raise UsageError(f"'{panel}' is not a panel id (lowercase letters, digits and single hyphens)")
    folder = meeting_folder(panel, meeting)
    head = git.decode(git.run(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).stdout).strip()
    if not head:
        raise UsageError(f"{root} is not a git repository with commits: there is nothing to seal")
    files = _meeting_files(root, folder)
    if f"{folder}/meeting.md" not in files:
        raise UsageError(f"{folder}/meeting.md is not in HEAD: commit the meeting record before sealing it")
    _refuse_drafts(root, files)
    name = seal_name(panel, meeting)
    if git.run(root, ["rev-parse", "--verify", "--quiet", f"refs/tags/{name}"]).returncode == 0:
        raise UsageError(f"{name} exists already: a seal is never replaced (verify checks the one made)")
    if not git.decode(git.run(root, ["config", "--get", "user.signingkey"]).stdout).strip():
        raise UsageError("no SSH signing key is configured: git config --global user.signingkey ~/.ssh/id_ed25519.pub")
    result = git.run(
        root,
        ["tag", "-s", "-F", "-", "--end-of-options", name, head],
        config={"gpg.format": "ssh"},
        stdin=seal_message(panel, meeting, head, files).encode("utf-8"),
    )
    if result.returncode != 0:
        raise UsageError(f"git could not sign the seal {name}: {git.message(result, last=True)}")
    return Sealed(name, head, files)


def _meeting_files(root: Path, folder: str) -> dict[str, str]:
    """The meeting folder's documents at HEAD by path, with their blob ids (one `git ls-tree`)."""
    listing = git.output(root, ["ls-tree", "-r", "-z", "--full-tree", "HEAD"], paths=[f"{folder}/"])
    files: dict[str, str] = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        location = classify(path)
        if len(parts) == 3 and parts[1] == "blob" and location is not None and location.kind in SEALED_KINDS:
            files[path] = parts[2]
    return files


def _refuse_drafts(root: Path, files: dict[str, str]) -> None:
    """A draft would be edited after the seal, which verify then refuses: seal approved records only."""
    drafts: list[str] = []
    with BlobReader(root) as reader:
        for path, blob in sorted(files.items()):
            location = classify(path)
            if location is None or location.kind not in (Kind.MEETING, Kind.DECISION):
                continue
            if not is_approved(path, reader.read(blob) or b""):
                drafts.append(path)
    if drafts:
        raise UsageError(f"not approved yet, so not ready to seal: {', '.join(drafts)}")


def is_approved(path: str, content: bytes) -> bool:
    """Whether a meeting record or decision sheet is approved, as it must be before it is sealed."""
    parsed, _ = read_markdown(path, content)
    return parsed is not None and parsed.data.get("status") == "approved"


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
