"""`panel serve`: build a repository's site, serve it on this machine, rebuild when documents change.

Each build goes into a fresh folder and is served only once it succeeded, so a failed rebuild
leaves the last good site in place. Changes are found by polling file times and sizes under the
document folders (and git's branch heads, which move a referral's arrival time); nothing runs per file.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

import click

from generator.commands.options import as_of_option, repo_option
from generator.core.errors import UsageError
from generator.core.layout import TOP_FOLDERS
from generator.site.build import BuildResult, build_site

HOST = "127.0.0.1"
"""Only this machine can reach the preview: the site holds personal data."""
Snapshot = dict[str, tuple[int, int]]
"""Repository-relative path → (modification time in ns, size) of every watched file."""
_GIT_REFS = (".git/HEAD", ".git/packed-refs", ".git/refs/heads")


class _ServeFailed(click.ClickException):
    """A configuration error: exit code 2 and a one-line message."""

    exit_code = 2


def snapshot(repo: Path) -> Snapshot:
    """The modification time and size of every file under the document folders and git's branch heads."""
    found: Snapshot = {}
    for top in (*TOP_FOLDERS, *_GIT_REFS):
        base = repo / top
        if base.is_file():
            stat = base.stat()
            found[top] = (stat.st_mtime_ns, stat.st_size)
        elif base.is_dir():
            for path, stat in _walk(base):
                found[path.relative_to(repo).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def _walk(folder: Path) -> Iterator[tuple[Path, os.stat_result]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))
            else:
                yield Path(entry.path), entry.stat(follow_symlinks=False)
        except OSError:
            continue  # removed while we looked: the next poll sees the folder as it is then


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


@dataclass
class LiveSite:
    """The site being served: the folder of the last good build, replaced only by a successful rebuild."""

    repo: Path
    """The panel repository."""
    as_of: date | None
    """The date to build as of; None for the day of each build."""
    scratch: Path
    """A private folder holding the builds and their Markdown work folder."""
    current: Path | None = None
    """The folder of the site being served (None before the first good build)."""
    built_as_of: date | None = None
    """The date the site being served was built as of."""
    _builds: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> BuildResult:
        """Build into a new folder; on success serve it and delete the previous one.

        Raises UsageError when the site cannot be built; the site being served is then unchanged.
        """
        self._builds += 1
        target = self.scratch / f"site-{self._builds}"
        when = self.as_of if self.as_of is not None else date.today()
        try:
            result = build_site(self.repo, target, as_of=when, work_dir=self.scratch / "docs")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        with self._lock:
            previous, self.current, self.built_as_of = self.current, result.out_dir, when
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        return result

    def folder(self) -> Path:
        """The folder to serve a request from; RuntimeError before the first good build."""
        with self._lock:
            if self.current is None:
                raise RuntimeError("no site has been built yet")
            return self.current


class _Handler(SimpleHTTPRequestHandler):
    """Serves the live site's current folder; no directory listings, no caching, no request log."""

    server: _SiteServer

    def __init__(self, request: Any, client_address: Any, server: _SiteServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.live.folder()))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "Not found")

    def log_message(self, format: str, *args: Any) -> None:
        return


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, live: LiveSite) -> None:
        self.live = live
        super().__init__((HOST, port), _Handler)


def _stop_on_sigterm() -> None:
    """Make SIGTERM stop the server the way Ctrl-C does (only the main thread may set a handler)."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def watch(live: LiveSite, interval: float, stop: threading.Event) -> None:
    """Poll the repository every `interval` seconds and rebuild after a change, until `stop` is set."""
    seen = snapshot(live.repo)
    while not stop.wait(interval):
        now = snapshot(live.repo)
        changes = changed_paths(seen, now)
        if not changes:
            continue
        # An editor or `git checkout` writes several files in a row: let them land first.
        stop.wait(min(interval, 0.3))
        seen = snapshot(live.repo)
        shown = ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
        click.echo(f"Changed: {shown}; rebuilding")
        try:
            result = live.rebuild()
        except UsageError as error:
            click.echo(f"Rebuild failed: {error}. Still serving the last good site.", err=True)
        except Exception as error:  # any failure of a rebuild must leave the server running
            click.echo(f"Rebuild failed: {type(error).__name__}: {error}. Still serving the last good site.", err=True)
        else:
            click.echo(f"Rebuilt: {result.pages} pages as of {live.built_as_of}.")


@click.command("serve")
@repo_option
@as_of_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1 to serve on; 0 picks a free one.",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=1.0,
    show_default=True,
    help="Seconds between looks for changed documents.",
)
def serve_command(repo: Path, as_of: date | None, port: int, interval: float) -> None:
    """Preview the site: build it, serve it on this machine only, and rebuild when documents change.

    Watches panels/, cases/ and decisions/ (and new commits). A rebuild that fails prints why and
    keeps serving the last good site. Ctrl-C stops. Nothing is written into the repository: builds
    go to a temporary folder, removed on exit. Exit code 2 if the first build fails or the port is
    taken.

    \b
    Example:
        panel serve --repo . --as-of 2026-11-25 --port 8000
    """
    scratch = Path(tempfile.mkdtemp(prefix="panel-serve-"))
    live = LiveSite(repo.resolve(), as_of, scratch)
    try:
        _stop_on_sigterm()
        _serve(live, port, interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _serve(live: LiveSite, port: int, interval: float) -> None:
    try:
        first = live.rebuild()
    except UsageError as error:
        raise _ServeFailed(str(error)) from None
    try:
        server = _SiteServer(port, live)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise _ServeFailed(
                f"port {port} on {HOST} is in use: choose another with --port (0 picks a free one)"
            ) from None
        raise _ServeFailed(f"cannot serve on {HOST}:{port}: {error.strerror}") from None
    stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, name="panel-serve", daemon=True)
    thread.start()
    try:
        click.echo(f"Built {first.pages} pages as of {live.built_as_of}.")
        click.echo(f"Serving http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)")
        watch(live, interval, stop)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
