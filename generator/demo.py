"""The bundled example as a real git repository, replayed from `demo/timeline.yml`.

The project's own `panels/`, `cases/` and `decisions/` folders are the example documents. The
timeline says when each document entered the repository and who committed it, so the demo's
history (and so every "arrived late" judgement) is the same on every machine:

    start: 2026-09-01T09:00:00+01:00        # first commit: panels/ and every unlisted file
    events:
      - at: 2026-09-14T10:05:00+01:00       # with its offset from UTC
        by: p-some-roster-id                 # author and committer, from panels/roster.yml
        message: Refer case 123456 to CLAM
        paths:
          - cases/123456/case.md

The replay uses one `git fast-import` with fixed names, emails, dates and file order, so the
same inputs give the same commit ids every time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import UsageError
from generator.layout import AUTHORITY_PATH, ROSTER_PATH, TOP_FOLDERS
from generator.models import Roster
from generator.safe_yaml import Parsed, read_yaml

TIMELINE_PATH = "demo/timeline.yml"
"""Where the timeline lives, relative to the project root."""
DEFAULT_DEST = Path("build/demo-repo")
"""Where `panel demo repo` builds, relative to the project root."""
MARKER = "panel-demo-repo"
"""File written inside the demo's `.git` folder: only a folder holding it is ever replaced."""
SETUP_NAME = "Panel demo setup"
"""Author and committer of the first commit."""
SETUP_EMAIL = "demo-setup@example.invalid"
"""Email of the first commit's author and committer."""
BRANCH = "main"
"""The demo repository's branch."""
FIRST_MESSAGE = "Set up the panels, roster and authority settings"
"""Message of the first commit."""

_EVENT_KEYS = ("at", "by", "message", "paths")


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
class Timeline:
    """The demo's history, read and checked."""

    start: datetime
    """Time of the first commit."""
    events: tuple[Event, ...]
    """The later commits, in time order."""

    @property
    def commits(self) -> int:
        """How many commits the replay makes."""
        return len(self.events) + 1


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

    `dest` must be empty, missing, or a repository this function made before (it holds the
    marker file); anything else is refused rather than deleted.
    """
    timeline = read_timeline(project_root)
    files = _project_files(project_root)
    roster = _roster(project_root)
    target = _prepare(project_root, dest)
    listed = {path for event in timeline.events for path in event.paths}
    first = sorted(path for path in files if path not in listed)
    with tempfile.TemporaryDirectory(prefix="panel-demo-home-") as home:
        env = isolated_git_env(Path(home))
        _git(target, env, "init", "--quiet", f"--initial-branch={BRANCH}")
        (target / ".git" / MARKER).write_text(
            "Made by `panel demo repo`: it replaces this repository on its next run.\n", encoding="utf-8"
        )
        _git(target, env, "config", "commit.gpgsign", "false")
        stream = b"".join(
            [
                _commit(SETUP_NAME, SETUP_EMAIL, timeline.start, FIRST_MESSAGE, first, files),
                *(
                    _commit(*roster[event.by], event.at, event.message, sorted(event.paths), files)
                    for event in timeline.events
                ),
                b"done\n",
            ]
        )
        _git(target, env, "fast-import", "--quiet", "--done", stdin=stream)
        _git(target, env, "reset", "--quiet", "--hard")
    return target


class _Reader:
    """Checks the timeline's shape and values, collecting every problem with its line."""

    def __init__(self, parsed: Parsed, files: dict[str, Path], roster: dict[str, tuple[str, str]]) -> None:
        self.parsed = parsed
        self.files = files
        self.roster = roster
        self.problems: list[tuple[int, str]] = []

    def timeline(self) -> Timeline:
        data = self.parsed.data
        for key in data:
            if key not in ("start", "events"):
                self._problem((key,), f"unknown key '{key}' (the timeline has 'start' and 'events')")
        start = self._time(data.get("start"), ("start",))
        events = list(self._events(data.get("events")))
        previous = start
        for event in events:
            if previous is not None and event.at < previous:
                self.problems.append((event.line, f"{event.at.isoformat()} is earlier than the time above it"))
            previous = event.at
        if self.problems:
            lines = [f"{TIMELINE_PATH}:{line}: {message}" for line, message in sorted(self.problems)]
            raise UsageError("the demo timeline has problems:\n" + "\n".join(lines))
        assert start is not None
        return Timeline(start, tuple(events))

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


def _roster(project_root: Path) -> dict[str, tuple[str, str]]:
    """Each roster id's name and email, for people who have both and can be named in a commit."""
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
        person.id: (person.name, person.email)
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


def _commit(name: str, email: str, when: datetime, message: str, paths: list[str], files: dict[str, Path]) -> bytes:
    """One fast-import commit on the demo branch, adding `paths` in the order given."""
    ident = f"{name} <{email}> {int(when.timestamp())} {_offset(when)}".encode()
    text = (message.rstrip("\n") + "\n").encode()
    parts = [
        f"commit refs/heads/{BRANCH}\n".encode(),
        b"author " + ident + b"\n",
        b"committer " + ident + b"\n",
        b"data %d\n" % len(text),
        text,
    ]
    for path in paths:
        content = demo_content(path, files[path].read_bytes())
        parts += [b"M 100644 inline " + _quoted(path) + b"\n", b"data %d\n" % len(content), content, b"\n"]
    parts.append(b"\n")
    return b"".join(parts)


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


def isolated_git_env(home: Path) -> dict[str, str]:
    """Git with no configuration but the repository's own, so the result is the same everywhere."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "LC_ALL": "C",
    }


def _git(repo: Path, env: dict[str, str], *args: str, stdin: bytes | None = None) -> None:
    try:
        result = subprocess.run(["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed (or not on PATH); the demo repository needs it") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise UsageError(f"git {args[0]} failed in {repo}: {message}")


def copy_panels(project_root: Path, dest: Path) -> None:
    """Copy the project's `panels/` into another repository, as the demo replay writes them."""
    source = project_root / "panels"
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(project_root).as_posix()
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(demo_content(relative, path.read_bytes()))
