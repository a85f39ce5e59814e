"""`panel seal`: a signed tag that records a meeting's files, so a later rewrite of history shows.

A seal is the annotated, SSH-signed tag `seal/<panel>/<date>` on HEAD. Its message lists the
blob id and path of the meeting record, the decision sheets and the later records of that
meeting as HEAD holds them. `panel verify` checks every seal: the tag is signed by a chair or
named delegate of that panel, the tagged commit is still in HEAD's history, and every sealed
file is still at its path, unchanged (decisions are never edited, only superseded by new files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.core.errors import UsageError
from generator.core.layout import Kind, classify, meeting_folder
from generator.git import runner as git
from generator.git.runner import BlobReader
from generator.loading.safe_yaml import read_markdown

SEAL_PREFIX = "refs/tags/seal/"
"""Where seals live."""
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_ENTRY = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64}) (decisions/[!-~]+)", re.ASCII)
_SEALED_KINDS = (Kind.MEETING, Kind.DECISION, Kind.RECORD)


@dataclass(frozen=True)
class Sealed:
    """A seal that was made."""

    tag: str
    """The tag's name (`seal/<panel>/<date>`)."""
    commit: str
    """The commit it seals (HEAD when it was made)."""
    files: dict[str, str]
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
        lines = git.decode(result.stderr).strip().splitlines()
        raise UsageError(f"git could not sign the seal {name}: {lines[-1] if lines else 'no message'}")
    return Sealed(name, head, files)


def _meeting_files(root: Path, folder: str) -> dict[str, str]:
    """The meeting folder's documents at HEAD by path, with their blob ids (one `git ls-tree`)."""
    listing = git.output(root, ["ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", f"{folder}/"])
    files: dict[str, str] = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        location = classify(path)
        if len(parts) == 3 and parts[1] == "blob" and location is not None and location.kind in _SEALED_KINDS:
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
            parsed, _ = read_markdown(path, reader.read(blob) or b"")
            if parsed is None or parsed.data.get("status") != "approved":
                drafts.append(path)
    if drafts:
        raise UsageError(f"not approved yet, so not ready to seal: {', '.join(drafts)}")
