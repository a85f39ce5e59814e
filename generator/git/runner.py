"""Running git for verification: fixed argument lists, an isolated environment, a constant number of calls.

Every call goes through `run`: `git --no-replace-objects` (a replace ref could otherwise show
other content than the commit holds), the environment of `generator.git.history` (exactly this
repository, no optional locks, untranslated messages), and any `-c` settings the caller needs.
`BlobReader` keeps one `git cat-file --batch` process open and feeds it every object wanted;
`ObjectIds` does the same with `--batch-check` where only an object's id is needed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from generator.core.errors import UsageError
from generator.git.history import _environment  # one definition of "git reading exactly this repository"


def run(
    root: Path, args: list[str], *, config: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `git` in `root` with `args` (and `-c key=value` per `config` item), feeding `stdin`; exit status kept."""
    settings = [item for key, value in sorted((config or {}).items()) for item in ("-c", f"{key}={value}")]
    try:
        return subprocess.run(
            ["git", "--no-replace-objects", *settings, *args],
            cwd=root,
            env=_environment(root),
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed (or not on PATH); verification needs it") from None


def output(root: Path, args: list[str], *, config: dict[str, str] | None = None) -> str:
    """Standard output of a git call that must succeed; a UsageError with git's first line otherwise."""
    result = run(root, args, config=config)
    if result.returncode != 0:
        lines = decode(result.stderr).strip().splitlines()
        raise UsageError(f"git {args[0]} failed in {root}: {lines[0] if lines else 'no message'}")
    return decode(result.stdout)


def decode(raw: bytes) -> str:
    """Git output as text; bytes that are not UTF-8 are kept (as surrogates) rather than refused."""
    return raw.decode("utf-8", errors="surrogateescape")


class _CatFile:
    """One long-running `git cat-file` process in `mode`, answering object requests in turn."""

    _mode = "--batch"

    def __init__(self, root: Path) -> None:
        """Start the process in `root`."""
        try:
            self._process = subprocess.Popen(
                ["git", "--no-replace-objects", "cat-file", self._mode],
                cwd=root,
                env=_environment(root),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise UsageError("git is not installed (or not on PATH); verification needs it") from None

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
