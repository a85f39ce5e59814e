"""One fixture per diagnostic: the lines it marks are exactly the lines the checker reports.

A fixture in `tests/fixtures/rules/<name>.txt` holds files, each under a header
`=== <path> ===` (optionally `=== <path> @ <ISO time> ===`, committed separately at that time, or
`=== <path> === error: <name>` for a diagnostic on the file as a whole). A line ending in
`# error: <name>` or `# warning: <name>` is expected to get that diagnostic; the marker is removed
before the file is written. Every fixture starts from `_base.txt` and the project's `panels/`; a
file in the fixture with the same path replaces the base's.

A line `=== branch ===` (or `=== branch by <email> ===`) ends what is on `main`, the base: the
files after it are committed on a branch (by that author; by default someone not in the roster)
and the check runs as a pull request's does, `--changed --base main`. On the branch,
`=== <path> (deleted) ===` deletes a file. Marks in the base's files count unless the branch
replaces the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import DEFAULT_AUTHOR, GitFactory

from generator.core.diagnostics import rules
from generator.pipeline.gather import gather
from generator.tools.demo import copy_panels

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
PROJECT = Path(__file__).parent.parent
AS_OF = date(2026, 11, 25)
BASE_TIME = "2026-10-01T09:00:00+01:00"
_HEADER = re.compile(
    r"^=== (?P<path>\S+)(?: @ (?P<at>\S+))?(?P<deleted> \(deleted\))? ==="
    r"(?: (?P<severity>error|warning): (?P<names>[a-z0-9, -]+))?$"
)
_BRANCH = re.compile(r"^=== branch(?: by (?P<email>\S+@\S+))? ===$", re.MULTILINE)
BRANCH_TIME = "2026-11-20T09:00:00+00:00"
_MARKER = re.compile(r"\s+# (?P<severity>error|warning): (?P<names>[a-z0-9, -]+)$")

Expected = set[tuple[str, int, str]]


def parse_fixture(text: str) -> tuple[dict[str, str | None], dict[str, str], Expected]:
    """Files by path (None: deleted), commit times by path, and the expected (path, line, name) set."""
    files: dict[str, list[str]] = {}
    deleted: set[str] = set()
    times: dict[str, str] = {}
    expected: Expected = set()
    current: str | None = None
    for source in text.split("\n"):
        header = _HEADER.match(source)
        if header:
            current = header["path"]
            files[current] = []
            if header["deleted"]:
                deleted.add(current)
            if header["at"]:
                times[current] = header["at"]
            if header["names"]:
                expected |= {(current, 0, n.strip()) for n in header["names"].split(",")}
            continue
        if current is None:
            continue
        marker = _MARKER.search(source)
        if marker:
            line = len(files[current]) + 1
            expected |= {(current, line, n.strip()) for n in marker["names"].split(",")}
        files[current].append(source[: marker.start()] if marker else source)
    written: dict[str, str | None] = {path: "\n".join(lines).rstrip("\n") + "\n" for path, lines in files.items()}
    return written | dict.fromkeys(deleted), times, expected


@dataclass(frozen=True)
class World:
    """A fixture's repository, what it should report, and the base to check against (None: the whole repository)."""

    repo: Path
    expected: Expected
    named: frozenset[str]
    """Every path the fixture names: diagnostics on the project's panels count only for these."""
    base: str | None = None


def build_world(git_repo: GitFactory, fixture: str) -> World:
    """A real git repository holding the base, the panels and the fixture, committed at its times (then its branch)."""
    base_files, _, _ = parse_fixture((FIXTURES / "_base.txt").read_text(encoding="utf-8"))
    branch = _BRANCH.search(fixture)
    files, times, expected = parse_fixture(fixture[: branch.start()] if branch else fixture)
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    untimed = {**base_files, **{p: c for p, c in files.items() if p not in times}}
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(repo, untimed, when=BASE_TIME)
    for path in sorted(times, key=lambda p: times[p]):
        git_repo.commit(repo, {path: files[path]}, when=times[path])
    if branch is None:
        return World(repo, expected, frozenset(files))
    changes, _, marked = parse_fixture(fixture[branch.end() :])
    expected = {item for item in expected if item[0] not in changes} | marked
    git_repo.run(repo, "checkout", "-q", "-b", "change")
    author = ("Branch Author", branch["email"]) if branch["email"] else DEFAULT_AUTHOR
    git_repo.commit(repo, changes, when=BRANCH_TIME, author=author)
    return World(repo, expected, frozenset(files) | frozenset(changes), base="main")


def reported(world: World) -> Expected:
    """What `panel check` reports, leaving out the project's own warnings about panels the fixture does not name."""
    result = gather(world.repo, as_of=AS_OF, base=world.base)
    return {
        (x.path, x.line, x.name)
        for x in result.diagnostics
        if not x.path.startswith("panels/") or x.path in world.named
    }


FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.txt") if not p.name.startswith("_"))


def test_base_world_is_clean(git_repo: GitFactory) -> None:
    """The base fixture produces no diagnostics, so each fixture's marks are all it shows."""
    assert set() == reported(build_world(git_repo, ""))


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_rule_fixture(git_repo: GitFactory, fixture: Path) -> None:
    """The diagnostics reported are exactly the ones the fixture marks."""
    world = build_world(git_repo, fixture.read_text(encoding="utf-8"))
    assert world.expected, f"{fixture.name} marks no expected diagnostic"
    assert world.expected == reported(world)


def test_every_rule_has_a_fixture_or_a_named_test() -> None:
    """Each diagnostic name appears as a marker in some fixture, or in a test module of its own."""
    marked = "\n".join(p.read_text(encoding="utf-8") for p in FIXTURE_FILES)
    tests = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    missing = [r.name for r in rules() if f": {r.name}" not in marked and f'"{r.name}"' not in tests]
    assert [] == missing
