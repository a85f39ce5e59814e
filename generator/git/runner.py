"""Running git: the one place the package starts a git process, with one environment and one error rule.

Every call is `git --no-replace-objects` (a replace ref could otherwise show other content than a
commit holds), with `GIT_NO_REPLACE_OBJECTS=1` and `GIT_GRAFT_FILE` set to a path that cannot exist
(a `.git/info/grafts` file could otherwise give a commit other parents, hiding history), then a
`-c key=value` per `config` item, then the caller's fixed argument list, and a `--` before any
`paths`. Its environment (`environment`) reads exactly the repository at the
folder it runs in, never a parent's, takes no optional locks and keeps git's messages untranslated.
By default it starts from this process's environment; the demo and the test fixtures start from
`isolated_environment` (no configuration but the repository's own) with a fixed `identity`, so
their commits are the same on every machine.

`run` keeps git's exit status for the caller to judge (`message` gives what git said); `output`,
with the same `Options`, turns a failure into a `UsageError` with git's own message. Git missing
from PATH is a `UsageError` too, never a traceback.
`BlobReader` keeps one `git cat-file --batch` process open and feeds it every object wanted;
`ObjectIds` does the same with `--batch-check` where only an object's id is needed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Self, TypedDict, Unpack

from generator.core.errors import UsageError

REPOSITORY_VARIABLES = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_PREFIX",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_QUARANTINE_PATH",
    }
)
"""Variables that point git at some other repository (a hook's, an outer checkout's): never passed on.

`hooks/pre-receive` keeps its own copy of this list: it runs on a server without the package.
"""

NO_GRAFTS = f"{os.devnull}/panel-reads-no-grafts"
"""`GIT_GRAFT_FILE` for every call: a path under a file (`/dev/null`), which no one can create."""
HISTORY_VARIABLES = {"GIT_NO_REPLACE_OBJECTS": "1", "GIT_GRAFT_FILE": NO_GRAFTS}
"""What makes git read the objects as they are: no replace refs, no grafts (`--no-replace-objects` too)."""

Person = tuple[str, str]
"""A git identity: name and email."""


def environment(root: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (this process's environment by default), made to read exactly the repository at `root`."""
    base = os.environ if env is None else env
    result = {key: value for key, value in base.items() if key not in REPOSITORY_VARIABLES}
    # Replace refs and grafts make git show other objects than the history holds: never read them.
    result.update(HISTORY_VARIABLES)
    result.pop("GIT_REPLACE_REF_BASE", None)
    result["GIT_CEILING_DIRECTORIES"] = str(root.resolve().parent)
    # Reading must never take the index lock a concurrent `git commit` needs.
    result["GIT_OPTIONAL_LOCKS"] = "0"
    # Callers match git's messages ("not a git repository"), so they must not be translated.
    result["LC_ALL"] = "C"
    return result


def isolated_environment(home: Path) -> dict[str, str]:
    """An environment in which git reads no configuration but the repository's own: only PATH is kept.

    `home` stands in for the user's home folder (its global configuration is never written there
    unless a caller does so). Pass it as `env` to `run` or `output`.
    """
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "LC_ALL": "C",
    }


def identity(author: Person, when: str, committer: Person | None = None) -> dict[str, str]:
    """The variables that make git record `author` and `committer` (the author by default) at `when`.

    `when` is any date git reads (`2024-01-08T09:00:00+00:00`, or `<seconds> <+hhmm>`); the
    committer is also the tagger of a tag.
    """
    committer = committer or author
    return {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": committer[0],
        "GIT_COMMITTER_EMAIL": committer[1],
        "GIT_COMMITTER_DATE": when,
    }


class Options(TypedDict, total=False):
    """What a call may add to its arguments: the keyword arguments of `run` and `output`."""

    config: Mapping[str, str] | None
    """Settings for this call alone, passed as `-c key=value`."""
    stdin: bytes | None
    """What git reads on standard input."""
    paths: Iterable[str] | None
    """Paths (even none) after a `--`, so that no path is read as an option or a revision."""
    env: Mapping[str, str] | None
    """The environment to start from instead of this process's (see `environment`)."""


def run(root: Path, args: list[str], **options: Unpack[Options]) -> subprocess.CompletedProcess[bytes]:
    """Run `git` in `root` with `args` and the `options`; the exit status is kept for the caller to judge."""
    command = _command(args, options.get("config"), options.get("paths"))
    try:
        return subprocess.run(
            command,
            cwd=root,
            env=environment(root, options.get("env")),
            input=options.get("stdin"),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise _not_installed(args) from None


def output(root: Path, args: list[str], **options: Unpack[Options]) -> str:
    """Standard output of a git call that must succeed (arguments as for `run`).

    A failure is a UsageError naming the command and the folder, with the first line of git's message.
    """
    result = run(root, args, **options)
    if result.returncode != 0:
        raise UsageError(f"git {args[0]} failed in {root}: {message(result)}")
    return decode(result.stdout)


def message(result: subprocess.CompletedProcess[bytes], *, last: bool = False, default: str = "no message") -> str:
    """What a git call said on standard error: its first line (or its `last`), `default` when it said nothing."""
    lines = decode(result.stderr).strip().splitlines()
    if not lines:
        return default
    return lines[-1] if last else lines[0]


def decode(raw: bytes) -> str:
    """Git output as text; bytes that are not UTF-8 are kept (as surrogates) rather than refused."""
    return raw.decode("utf-8", errors="surrogateescape")


def _command(args: list[str], config: Mapping[str, str] | None, paths: Iterable[str] | None) -> list[str]:
    settings = [item for key, value in sorted((config or {}).items()) for item in ("-c", f"{key}={value}")]
    tail = [] if paths is None else ["--", *paths]
    return ["git", "--no-replace-objects", *settings, *args, *tail]


def _not_installed(args: list[str]) -> UsageError:
    return UsageError(f"git is not installed (or not on PATH): `git {args[0]}` cannot run")


class _CatFile:
    """One long-running `git cat-file` process in `mode`, answering object requests in turn."""

    _mode = "--batch"

    def __init__(self, root: Path) -> None:
        """Start the process in `root`."""
        args = ["cat-file", self._mode]
        try:
            self._process = subprocess.Popen(
                _command(args, None, None),
                cwd=root,
                env=environment(root),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise _not_installed(args) from None

    def __enter__(self) -> Self:
        """The reader itself."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Close the process's input and wait for it to end."""
        self.close()

    def _ask(self, name: str) -> tuple[list[bytes], IO[bytes]] | None:
        """The header git answers for `name` (id, type, size) and the output pipe; None if there is no such object."""
        if "\n" in name or "\r" in name:
            return None
        stdin, stdout = self._pipes()
        stdin.write(name.encode("utf-8", errors="surrogateescape") + b"\n")
        stdin.flush()
        parts = stdout.readline().split()
        if len(parts) != 3:  # "<name> missing" or "<name> ambiguous"
            return None
        return parts, stdout

    def close(self) -> None:
        """End the process (idempotent)."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None or stdin.closed:
            raise UsageError("git cat-file ended early while reading the repository")
        return stdin, stdout


class BlobReader(_CatFile):
    """One `git cat-file --batch` process answering every object request, in turn.

    Use as a context manager. `read("HEAD:panels/roster.yml")` or `read(<blob id>)` returns the
    object's bytes, or None when git has no such object.
    """

    def read(self, name: str) -> bytes | None:
        """The content of the object `name` names (an id, or `rev:path`); None if it does not exist."""
        read = self.read_object(name)
        return read[1] if read is not None else None

    def read_object(self, name: str) -> tuple[str, bytes] | None:
        """The type (`blob`, `tree`, `commit`, `tag`) and content of the object `name` names; None if none."""
        answer = self._ask(name)
        if answer is None:
            return None
        parts, stdout = answer
        content = stdout.read(int(parts[2]))
        stdout.read(1)  # the newline after every object
        return parts[1].decode("ascii"), content


class ObjectIds(_CatFile):
    """One `git cat-file --batch-check` process: the id of the object a name such as `rev:path` names."""

    _mode = "--batch-check"

    def id_of(self, name: str) -> str | None:
        """The object id `name` names, or None when there is no such object."""
        answer = self._ask(name)
        return answer[0][0].decode("ascii") if answer is not None else None
