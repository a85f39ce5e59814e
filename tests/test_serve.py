"""`panel serve`, run as a real process: it serves the site, rebuilds on change, survives a bad rebuild."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, write_files

from generator.tools.demo import copy_panels

AS_OF = "2026-11-25"
SERVE = (sys.executable, "-m", "generator", "serve")
WAIT = 90.0
"""Seconds to wait for a build on a busy machine."""

CASE = """\
---
id: "123456"
children:
  - id: c1
    name: Ada Example
    date_of_birth: 2016-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
worker: p-oakshott-dara
team: {team}
manager: p-frayne-odo
---
"""


@dataclass
class Server:
    """A running `panel serve` process and the lines it has printed."""

    process: subprocess.Popen[str]
    lines: queue.Queue[tuple[str, str]] = field(default_factory=queue.Queue)
    seen: list[tuple[str, str]] = field(default_factory=list)
    pumps: list[threading.Thread] = field(default_factory=list)

    def follow(self) -> None:
        """Collect stdout and stderr lines in the background."""
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            assert stream is not None
            pump = threading.Thread(target=self._pump, args=(name, stream), daemon=True)
            pump.start()
            self.pumps.append(pump)

    def stop(self) -> None:
        """Kill the process if it still runs; close its pipes once everything printed is collected."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT)
        for pump in self.pumps:
            pump.join(timeout=WAIT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def _pump(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        """The first line (on either stream) containing `text`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        for _, line in self.seen:
            if text in line:
                return line
        while time.monotonic() < deadline:
            try:
                item = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(item)
            if text in item[1]:
                return item[1]
        raise AssertionError(f"no line with {text!r}; printed so far: {self.seen}")


def fetch(url: str) -> tuple[int, str]:
    """The status and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local http URL built by the test
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def eventually(url: str, text: str, timeout: float = WAIT) -> str:
    """Fetch `url` until its body contains `text`; the body."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}")


def panel(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `panel` command to completion."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, timeout=WAIT, cwd=cwd, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small repository: the project's panels and one case."""
    root = tmp_path / "repo"
    copy_panels(PROJECT_ROOT, root)
    write_files(root, {"cases/123456/case.md": CASE.format(team="fieldwork")})
    return root


@pytest.fixture
def server(repo: Path) -> Iterator[Server]:
    """`panel serve` on a free port, stopped (and checked to stop cleanly) by the test or at teardown."""
    process = subprocess.Popen(
        [*SERVE, "--repo", str(repo), "--as-of", AS_OF, "--port", "0", "--interval", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Server(process)
    running.follow()
    try:
        yield running
    finally:
        running.stop()


def url_of(server: Server) -> str:
    """The address `panel serve` printed."""
    line = server.wait_for("Serving http://127.0.0.1:")
    return line.split()[1]


def test_serves_rebuilds_and_keeps_the_last_good_site(server: Server, repo: Path) -> None:
    """Fetch a page; change a document and see the page change; break the repository and keep the old page."""
    base = url_of(server)
    assert base.startswith("http://127.0.0.1:") and not base.endswith(":0/")
    eventually(base + "cases/123456.html", "Fieldwork Service")
    assert 200 == fetch(base + "calendars/clam.ics")[0]

    write_files(repo, {"cases/123456/case.md": CASE.format(team="irs")})
    server.wait_for("Rebuilt:")
    body = eventually(base + "cases/123456.html", "Independent Reviewing Service")
    assert "Fieldwork Service" not in body

    write_files(repo, {"panels/authority.yml": "name: [unclosed\n"})
    failure = server.wait_for("Rebuild failed:")
    assert "panels/authority.yml" in failure and "Still serving the last good site" in failure
    status, body = fetch(base + "cases/123456.html")
    assert (200, True) == (status, "Independent Reviewing Service" in body)

    server.process.send_signal(signal.SIGINT)
    assert 0 == server.process.wait(timeout=WAIT)
    server.wait_for("Stopped.")
    assert [] == [line for _, line in server.seen if "Traceback" in line]


def test_no_directory_listing_and_missing_pages_are_404(server: Server) -> None:
    """A folder without an index is not listed; an unknown page is 404; pages are not cached."""
    base = url_of(server)
    eventually(base, "Home")
    assert 404 == fetch(base + "calendars/")[0]
    assert 404 == fetch(base + "no-such-page.html")[0]
    with urllib.request.urlopen(base + "index.html", timeout=10) as response:  # noqa: S310 - local test URL
        assert "no-store" == response.headers["Cache-Control"]


def test_sigterm_stops_cleanly(server: Server) -> None:
    """SIGTERM stops the server as Ctrl-C does: exit 0, no traceback."""
    url_of(server)
    server.process.terminate()
    assert 0 == server.process.wait(timeout=WAIT)
    server.wait_for("Stopped.")
    assert [] == [line for _, line in server.seen if "Traceback" in line]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "70000 is not in the range 0<=x<=65535"),
        (["--port", "eighty"], "'eighty' is not a valid integer"),
        (["--as-of", "2026-13-01"], "'2026-13-01' is not a date in the form YYYY-MM-DD"),
        (["--repo", "/no/such/folder"], "'/no/such/folder' does not exist"),
        (["--interval", "0"], "0 is not in the range 0.1<=x<=60"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: list[str], message: str) -> None:
    """Usage errors: exit code 2, the reason on stderr, no traceback."""
    result = panel("serve", *args)
    assert (2, True, False) == (result.returncode, message in result.stderr, "Traceback" in result.stderr)


def test_repository_without_settings_exits_2(tmp_path: Path) -> None:
    """Nothing to serve when the first build fails: exit 2 with the reason."""
    result = panel("serve", "--repo", str(tmp_path), "--port", "0")
    assert 2 == result.returncode
    assert "panels/authority.yml is missing or invalid" in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_exits_2(repo: Path) -> None:
    """A port another program holds: exit 2, saying so and how to choose another."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = panel("serve", "--repo", str(repo), "--as-of", AS_OF, "--port", str(port))
    assert 2 == result.returncode
    assert f"port {port} on 127.0.0.1 is in use: choose another with --port" in result.stderr
    assert "Traceback" not in result.stderr
