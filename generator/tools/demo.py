"""The bundled example as a real git repository, replayed from `demo/timeline.yml`, every commit signed.

The project's own `panels/`, `cases/` and `decisions/` folders are the example documents. The
timeline says when each document entered the repository and who committed it, so the demo's
history (and so every "arrived late" judgement) is the same on every machine:

    start: 2026-09-01T09:00:00+01:00        # first commit: panels/ and every unlisted file
    start_by: p-maintainer-id               # who makes the first commit
    events:
      - at: 2026-09-14T10:05:00+01:00       # with its offset from UTC
        by: p-some-roster-id                 # author and committer, from panels/roster.yml
        message: Refer case 123456 to CLAM
        paths:
          - cases/123456/case.md
    seals:                                   # optional: `panel seal` tags, made at a time by a chair
      - at: 2026-09-21T14:30:00+01:00
        by: p-chair-id
        panel: cdm
        meeting: 2026-09-14

Every commit and seal is SSH-signed with its person's example key, `demo/keys/<roster id>`: keys
published on purpose, whose public halves the roster holds, so that `panel verify` passes on the
demo. One `git fast-import` writes the trees; then one `git commit-tree -S` per commit signs
each, with fixed names, emails and dates. Git runs through `generator.git.runner` with no
configuration but the repository's own (`isolated_environment`), so no one's settings leak in.
Ed25519 signatures are deterministic, so the same inputs give the same commit ids every time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.audit.seals import SEALED_KINDS, is_approved, seal_message, seal_name
from generator.audit.signing import blob_fingerprint, fingerprint
from generator.core.errors import UsageError
from generator.core.layout import AUTHORITY_PATH, ROSTER_PATH, TOP_FOLDERS, Kind, classify, meeting_folder
from generator.git import runner as git
from generator.loading.safe_yaml import Parsed, read_yaml
from generator.models import Person, Roster

TIMELINE_PATH = "demo/timeline.yml"
"""Where the timeline lives, relative to the project root."""
DEFAULT_DEST = Path("build/demo-repo")
"""Where `panel demo repo` builds, relative to the project root."""
MARKER = "panel-demo-repo"
"""File written inside the demo's `.git` folder: only a folder holding it is ever replaced."""
KEYS_PATH = "demo/keys"
"""Where the example signing keys live, one private key per roster id, relative to the project root."""
BRANCH = "main"
"""The demo repository's branch."""
FIRST_MESSAGE = "Set up the panels, roster and authority settings"
"""Message of the first commit."""

_UNSIGNED_REF = "refs/panel-demo/unsigned"
"""Where fast-import leaves the unsigned commits whose trees the signed commits reuse; deleted after."""

_TOP_KEYS = ("start", "start_by", "events", "seals")
_EVENT_KEYS = ("at", "by", "message", "paths")
_SEAL_KEYS = ("at", "by", "panel", "meeting")
_PRIVATE_KEY = re.compile(rb"-----BEGIN OPENSSH PRIVATE KEY-----(.*?)-----END OPENSSH PRIVATE KEY-----", re.DOTALL)


@dataclass(frozen=True)
class Event:
    """One commit of the timeline."""

    at: datetime
    """Author and committer time, with its offset."""
    by: str
    """Roster id of the author and committer."""
    message: str
    """Commit message."""
    paths: tuple[str, ...]
    """Repository paths the commit adds."""
    line: int
    """Line of the event in the timeline file."""


@dataclass(frozen=True)
class Seal:
    """One seal of the timeline: `panel seal PANEL MEETING`, run by `by` at `at`."""

    at: datetime
    """Tagger time: the seal is on the last commit made at or before it."""
    by: str
    """Roster id of the tagger, a chair or named delegate of the panel."""
    panel: str
    """The panel's id."""
    meeting: date
    """The meeting's date."""
    line: int
    """Line of the seal in the timeline file."""


@dataclass(frozen=True)
class Timeline:
    """The demo's history, read and checked."""

    start: datetime
    """Time of the first commit."""
    start_by: str
    """Roster id of the first commit's author and committer."""
    events: tuple[Event, ...]
    """The later commits, in time order."""
    seals: tuple[Seal, ...] = ()
    """Seals made along the way."""

    @property
    def commits(self) -> int:
        """How many commits the replay makes."""
        return len(self.events) + 1

    @property
    def signers(self) -> set[str]:
        """Everyone who signs a commit or a seal: each needs an example key."""
        return {self.start_by, *(event.by for event in self.events), *(seal.by for seal in self.seals)}


def find_project_root(start: Path) -> Path:
    """The folder holding `demo/timeline.yml`: `start` or one of its parents, else this package's project."""
    here = start.resolve()
    candidates = [here, *here.parents, Path(__file__).resolve().parents[1]]
    for folder in candidates:
        if (folder / TIMELINE_PATH).is_file():
            return folder
    raise UsageError(f"no {TIMELINE_PATH} in {here} or any folder above it; pass --project PATH")


def read_timeline(project_root: Path) -> Timeline:
    """Read and check `demo/timeline.yml`; every problem is reported at once, with its line."""
    source = project_root / TIMELINE_PATH
    if source.is_symlink() or not source.is_file():
        raise UsageError(f"{source} does not exist (or is not a plain file)")
    parsed, diagnostics = read_yaml(TIMELINE_PATH, source.read_bytes())
    if parsed is None:
        raise UsageError("\n".join(f"{TIMELINE_PATH}:{x.line}: {x.message}" for x in diagnostics))
    return _Reader(parsed, _project_files(project_root), _roster(project_root)).timeline()


def build_demo_repo(project_root: Path, dest: Path) -> Path:
    """Replay the example documents into a new git repository at `dest`, replacing a previous demo there.

    Every commit and seal is signed with its person's key from `demo/keys/`. `dest` must be empty,
    missing, or a repository this function made before (it holds the marker file); anything else
    is refused rather than deleted.
    """
    timeline = read_timeline(project_root)
    files = _project_files(project_root)
    roster = _roster(project_root)
    listed = {path for event in timeline.events for path in event.paths}
    first = sorted(path for path in files if path not in listed)
    plan = [
        _Planned(timeline.start_by, timeline.start, FIRST_MESSAGE, tuple(first)),
        *(_Planned(event.by, event.at, event.message, tuple(sorted(event.paths))) for event in timeline.events),
    ]
    sealing = []
    for seal in timeline.seals:
        index = max(i for i, step in enumerate(plan) if step.at <= seal.at)
        sealing.append((seal, index, _sealed_files(seal, plan[: index + 1], files)))
    with tempfile.TemporaryDirectory(prefix="panel-demo-home-") as home:
        keys = _private_keys(project_root, timeline.signers, roster, Path(home) / "keys")
        target = _prepare(project_root, dest)
        env = git.isolated_environment(Path(home))
        git.output(target, ["init", "--quiet", f"--initial-branch={BRANCH}"], env=env)
        (target / ".git" / MARKER).write_text(
            "Made by `panel demo repo`: it replaces this repository on its next run.\n", encoding="utf-8"
        )
        git.output(target, ["config", "commit.gpgsign", "false"], env=env)
        stream = b"".join([*(_commit(step, files) for step in plan), b"done\n"])
        git.output(target, ["fast-import", "--quiet", "--done"], stdin=stream, env=env)
        trees = git.output(target, ["log", "--reverse", "--format=%T", _UNSIGNED_REF], paths=(), env=env).split()
        commits = _signed_commits(target, env, plan, trees, roster, keys)
        git.output(target, ["update-ref", f"refs/heads/{BRANCH}", commits[-1]], env=env)
        git.output(target, ["update-ref", "-d", _UNSIGNED_REF], env=env)
        for seal, index, sealed in sealing:
            message = seal_message(seal.panel, seal.meeting, commits[index], sealed).encode()
            tag = ["tag", "-s", "-F", "-", "--end-of-options", seal_name(seal.panel, seal.meeting), commits[index]]
            who = env | _identity(roster[seal.by], seal.at)
            git.output(target, tag, config=_signing(keys[seal.by]), stdin=message, env=who)
        # The unsigned commits fast-import made are unreachable now: drop them, so the demo holds signed history only.
        git.output(target, ["gc", "--quiet", "--prune=now"], env=env)
        git.output(target, ["reset", "--quiet", "--hard"], env=env)
    return target


def _signed_commits(
    repo: Path,
    env: dict[str, str],
    plan: list[_Planned],
    trees: list[str],
    roster: dict[str, Person],
    keys: dict[str, Path],
) -> list[str]:
    """One signed commit per step on the step's tree, each the child of the one before; their ids in order."""
    commits: list[str] = []
    for step, tree in zip(plan, trees, strict=True):
        parents = ["-p", commits[-1]] if commits else []
        text = (step.message.rstrip("\n") + "\n").encode()
        who = env | _identity(roster[step.by], step.at)
        made = git.output(
            repo, ["commit-tree", "-S", *parents, "-F", "-", tree], config=_signing(keys[step.by]), stdin=text, env=who
        )
        commits.append(made.strip())
    return commits


@dataclass(frozen=True)
class _Planned:
    """One commit to make: who, when, why, and the paths it adds."""

    by: str
    at: datetime
    message: str
    paths: tuple[str, ...]


class _Reader:
    """Checks the timeline's shape and values, collecting every problem with its line."""

    def __init__(self, parsed: Parsed, files: dict[str, Path], roster: dict[str, Person]) -> None:
        self.parsed = parsed
        self.files = files
        self.roster = roster
        self.problems: list[tuple[int, str]] = []

    def timeline(self) -> Timeline:
        data = self.parsed.data
        for key in data:
            if key not in _TOP_KEYS:
                self._problem((key,), f"unknown key '{key}' (the timeline has {', '.join(_TOP_KEYS)})")
        start = self._time(data.get("start"), ("start",))
        start_by = self._person(data.get("start_by"), ("start_by",))
        events = list(self._events(data.get("events")))
        previous = start
        for event in events:
            if previous is not None and event.at < previous:
                self.problems.append((event.line, f"{event.at.isoformat()} is earlier than the time above it"))
            previous = event.at
        seals = list(self._seals(data.get("seals", []), start, events))
        if self.problems:
            lines = [f"{TIMELINE_PATH}:{line}: {message}" for line, message in sorted(self.problems)]
            raise UsageError("the demo timeline has problems:\n" + "\n".join(lines))
        assert start is not None and start_by is not None
        return Timeline(start, start_by, tuple(events), tuple(seals))

    def _seals(self, value: Any, start: datetime | None, events: list[Event]) -> Iterator[Seal]:
        if not isinstance(value, list):
            self._problem(("seals",), "'seals' must be a list of seals")
            return
        seen: dict[tuple[str, date], int] = {}
        for index, item in enumerate(value):
            where = ("seals", index)
            if not isinstance(item, dict):
                self._problem(where, "each seal is a mapping with at, by, panel and meeting")
                continue
            for key in item:
                if key not in _SEAL_KEYS:
                    self._problem((*where, key), f"unknown key '{key}' (a seal has {', '.join(_SEAL_KEYS)})")
            at = self._time(item.get("at"), (*where, "at"))
            by = self._person(item.get("by"), (*where, "by"))
            panel, meeting = item.get("panel"), _date(item.get("meeting"))
            if meeting is None:
                self._problem((*where, "meeting"), f"'{item.get('meeting')}' is not a meeting date like 2026-09-14")
            if not isinstance(panel, str) or classify(f"panels/{panel}.md") is None:
                self._problem((*where, "panel"), f"'{panel}' is not a panel id")
                continue
            if at is None or by is None or meeting is None:
                continue
            line = self.parsed.line_of(where)
            record = f"{meeting_folder(panel, meeting)}/meeting.md"
            arrived = next((e.at for e in events if record in e.paths), start if record in self.files else None)
            if (panel, meeting) in seen:
                self._problem(where, f"{panel} {meeting} is already sealed on line {seen[panel, meeting]}")
            elif arrived is None:
                self._problem(where, f"{record} does not exist in the project")
            elif at < arrived:
                self._problem(where, f"{record} is not in the repository yet at {at.isoformat()}")
            else:
                seen[panel, meeting] = line
                yield Seal(at, by, panel, meeting, line)

    def _events(self, value: Any) -> Iterator[Event]:
        if not isinstance(value, list):
            self._problem(("events",), "'events' must be a list of commits")
            return
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            where = ("events", index)
            if not isinstance(item, dict):
                self._problem(where, "each event is a mapping with at, by, message and paths")
                continue
            for key in item:
                if key not in _EVENT_KEYS:
                    self._problem((*where, key), f"unknown key '{key}' (an event has {', '.join(_EVENT_KEYS)})")
            for key in _EVENT_KEYS:
                if key not in item:
                    self._problem(where, f"the event has no '{key}'")
            at = self._time(item.get("at"), (*where, "at"))
            by = self._person(item.get("by"), (*where, "by"))
            message = item.get("message")
            if not isinstance(message, str) or not message.strip():
                self._problem((*where, "message"), "'message' must be some text")
            paths = self._paths(item.get("paths"), (*where, "paths"), seen)
            if at is not None and by is not None and isinstance(message, str) and message.strip() and paths:
                yield Event(at, by, message.strip(), paths, self.parsed.line_of(where))

    def _paths(self, value: Any, where: tuple[str | int, ...], seen: dict[str, int]) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self._problem(where, "'paths' must list at least one repository path")
            return ()
        paths: list[str] = []
        for index, path in enumerate(value):
            line = self.parsed.line_of((*where, index))
            if not isinstance(path, str):
                self._problem((*where, index), "a path must be text")
            elif path in seen:
                self._problem((*where, index), f"'{path}' is already listed on line {seen[path]}")
            elif path not in self.files:
                self._problem((*where, index), f"'{path}' does not exist in the project's {', '.join(TOP_FOLDERS)}")
            else:
                seen[path] = line
                paths.append(path)
        return tuple(paths)

    def _time(self, value: Any, where: tuple[str | int, ...]) -> datetime | None:
        try:
            when = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            when = None
        if when is None or when.utcoffset() is None:
            self._problem(where, f"'{value}' is not a date and time with an offset, like 2026-09-14T10:05:00+01:00")
            return None
        return when

    def _person(self, value: Any, where: tuple[str | int, ...]) -> str | None:
        if isinstance(value, str) and value in self.roster:
            return value
        self._problem(where, f"'{value}' is not a person in {ROSTER_PATH} with a name and an email")
        return None

    def _problem(self, where: tuple[str | int, ...], message: str) -> None:
        self.problems.append((self.parsed.line_of(where), message))


def _project_files(project_root: Path) -> dict[str, Path]:
    """Every file under the document folders, by repository path; symbolic links refused."""
    found: dict[str, Path] = {}
    for top in TOP_FOLDERS:
        base = project_root / top
        if base.is_symlink():
            raise UsageError(f"{base} is a symbolic link; the demo copies only plain files")
        if not base.is_dir():
            continue
        for folder, subfolders, names in os.walk(base):
            here = Path(folder)
            for name in [*subfolders, *names]:
                if (here / name).is_symlink():
                    raise UsageError(f"{here / name} is a symbolic link; the demo copies only plain files")
            for name in names:
                path = here / name
                found[path.relative_to(project_root).as_posix()] = path
    return found


def _roster(project_root: Path) -> dict[str, Person]:
    """Each roster person by id, for people with an email whose name and email can be written in a commit."""
    source = project_root / ROSTER_PATH
    if source.is_symlink() or not source.is_file():
        raise UsageError(f"{source} does not exist: the demo's commits are made by people on the roster")
    parsed, _ = read_yaml(ROSTER_PATH, source.read_bytes())
    try:
        roster = Roster.model_validate(parsed.data) if parsed is not None else None
    except ValidationError:
        roster = None
    if roster is None:
        raise UsageError(f"{ROSTER_PATH} is not valid: run `panel check` to see why")
    return {
        person.id: person
        for person in roster.people
        if person.email is not None and not any(c in person.name + person.email for c in "<>\n")
    }


def _prepare(project_root: Path, dest: Path) -> Path:
    """An empty folder at `dest`, after removing a previous demo there; refuses anything else."""
    target = dest.absolute()
    project = project_root.resolve()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"refusing to use {dest}: it is not a folder")
    if target.resolve() == project or target.resolve() in project.parents:
        raise UsageError(f"refusing to use {dest}: it holds the project itself")
    if target.is_dir() and any(target.iterdir()):
        if not (target / ".git" / MARKER).is_file():
            raise UsageError(
                f"refusing to replace {dest}: it is not empty and was not made by `panel demo repo`; "
                "choose another --dest or empty it yourself"
            )
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _commit(step: _Planned, files: dict[str, Path]) -> bytes:
    """One unsigned fast-import commit adding `step`'s paths in the order given; only its tree is kept."""
    text = (step.message.rstrip("\n") + "\n").encode()
    parts = [
        f"commit {_UNSIGNED_REF}\n".encode(),
        f"committer {step.by} <{step.by}> {int(step.at.timestamp())} {_offset(step.at)}\n".encode(),
        b"data %d\n" % len(text),
        text,
    ]
    for path in step.paths:
        content = demo_content(path, files[path].read_bytes())
        parts += [b"M 100644 inline " + _quoted(path) + b"\n", b"data %d\n" % len(content), content, b"\n"]
    parts.append(b"\n")
    return b"".join(parts)


def _identity(person: Person, when: datetime) -> dict[str, str]:
    """git's variables that make `person` the author, committer and tagger, at `when`."""
    return git.identity((person.name, person.email or ""), f"{int(when.timestamp())} {_offset(when)}")


def _signing(key: Path) -> dict[str, str]:
    """git's settings that SSH-sign with the private key file `key`."""
    return {"gpg.format": "ssh", "user.signingkey": str(key)}


def _private_keys(project_root: Path, people: set[str], roster: dict[str, Person], folder: Path) -> dict[str, Path]:
    """Each signer's example key, copied into `folder` with mode 0600 (ssh-keygen refuses keys others can read).

    Refuses, naming every problem at once, a missing key file and a key that is not one the roster
    gives that person (its commits would fail `panel verify`).
    """
    folder.mkdir(mode=0o700)
    problems: list[str] = []
    copies: dict[str, Path] = {}
    for person_id in sorted(people):
        source = project_root / KEYS_PATH / person_id
        if source.is_symlink() or not source.is_file():
            problems.append(f"{KEYS_PATH}/{person_id} is missing: everyone who commits or seals in the demo signs")
            continue
        raw = source.read_bytes()
        blob = public_key_blob(raw)
        held = {fingerprint(key.key) for key in roster[person_id].signing_keys}
        if blob is None:
            problems.append(f"{KEYS_PATH}/{person_id} is not an OpenSSH private key without a passphrase")
        elif blob_fingerprint(blob) not in held:
            problems.append(f"{KEYS_PATH}/{person_id} is not a key {ROSTER_PATH} gives {person_id} in signing_keys")
        else:
            copy = folder / person_id
            with os.fdopen(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                out.write(raw)
            copies[person_id] = copy
    if problems:
        raise UsageError("the demo cannot be signed:\n" + "\n".join(problems))
    return copies


def public_key_blob(private_key: bytes) -> bytes | None:
    """The public key (wire format) inside an unencrypted OpenSSH private key file; None for anything else.

    The file is `openssh-key-v1\\0`, then the cipher, the KDF and its options (length-prefixed
    strings), the number of keys (a bare uint32) and the first public key (a length-prefixed string).
    """
    match = _PRIVATE_KEY.search(private_key)
    if match is None:
        return None
    try:
        data = base64.b64decode(b"".join(match.group(1).split()), validate=True)
    except binascii.Error:
        return None
    magic = b"openssh-key-v1\0"
    if not data.startswith(magic):
        return None
    fields: list[bytes] = []
    offset = len(magic)
    for skip in (0, 0, 0, 4):
        offset += skip
        if offset + 4 > len(data):
            return None
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        fields.append(data[offset + 4 : offset + 4 + length])
        if len(fields[-1]) != length:
            return None
        offset += 4 + length
    cipher, _, _, public = fields
    return public if cipher == b"none" else None


def _sealed_files(seal: Seal, made: list[_Planned], files: dict[str, Path]) -> dict[str, str]:
    """The meeting's files the seal records, by path with their blob ids, as the sealed commit holds them.

    Like `panel seal`, refuses a meeting record or decision sheet that is still a draft.
    """
    folder = meeting_folder(seal.panel, seal.meeting)
    sealed: dict[str, str] = {}
    drafts: list[str] = []
    for path in sorted(path for step in made for path in step.paths if path.startswith(f"{folder}/")):
        location = classify(path)
        if location is None or location.kind not in SEALED_KINDS:
            continue
        content = demo_content(path, files[path].read_bytes())
        sealed[path] = hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()
        if location.kind is not Kind.RECORD and not is_approved(path, content):
            drafts.append(path)
    if drafts:
        raise UsageError(f"{TIMELINE_PATH}:{seal.line}: not approved yet, so not ready to seal: {', '.join(drafts)}")
    return sealed


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def demo_content(path: str, content: bytes) -> bytes:
    """A file's bytes as replayed into the demo repository.

    The project's `audit_start` names a commit of the project's own history, which the demo
    repository does not have: the demo is judged from its own first commit, so that line is left
    out of the replayed authority settings. Every other file is replayed byte for byte.
    """
    if path != AUTHORITY_PATH:
        return content
    kept = [line for line in content.split(b"\n") if not line.startswith(b"audit_start:")]
    return b"\n".join(kept)


def _offset(when: datetime) -> str:
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _quoted(path: str) -> bytes:
    """A C-style quoted path, as fast-import reads it whatever characters the name holds."""
    out = bytearray(b'"')
    for byte in path.encode("utf-8", errors="surrogateescape"):
        if byte in (0x22, 0x5C):
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte == 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b'"')


def copy_panels(project_root: Path, dest: Path) -> None:
    """Copy the project's `panels/` into another repository, as the demo replay writes them."""
    source = project_root / "panels"
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(project_root).as_posix()
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(demo_content(relative, path.read_bytes()))
