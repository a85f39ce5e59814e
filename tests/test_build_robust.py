"""Build what you can, say what you could not: bad documents, hostile paths and patterns, unsafe folders."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_site import AS_OF, CASE, DECISION, MEETING, PANEL, REFERRAL, WORLD, read, with_characters, write_world

from generator.checks.links import check_links
from generator.cli import cli
from generator.core.patterns import PatternError, Refusal, compile_pattern
from generator.loading.repository import load_repository
from generator.pipeline.gather import gather
from generator.site.build import SITE_MARKER, SiteBuildError, build_site

PROJECT = Path(__file__).resolve().parent.parent
CASE_PATH = "cases/123456/case.md"
REFERRAL_PATH = "cases/123456/referrals/2026-03-09-tp.md"
MEETING_PATH = "decisions/tp/2026-02-23/meeting.md"
DECISION_PATH = "decisions/tp/2026-02-23/123456.md"
RECORD_PATH = "decisions/tp/2026-02-23/records/done.md"
RECORD = f"""\
---
kind: action-done
refers_to: {DECISION_PATH}
action: a1
date: 2026-02-27
by: p-worker
---
"""


def build(tmp_path: Path, files: dict[str, str | None]) -> tuple[Path, Any]:
    """The test world with `files` changed (None removes one), built into `tmp_path/site`; the site and the result."""
    world = {path: text for path, text in (WORLD | files).items() if text is not None}
    root = write_world(tmp_path / "repo", world)
    result = build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    return tmp_path / "site", result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a bad document never stops the build ---------------------------------------------------------

BAD_DOCUMENTS = [
    ("case file: bad YAML", {CASE_PATH: "---\nid: [\n---\n"}, "cases/123456.html", "invalid-front-matter"),
    (
        "case file: a field of the wrong type",
        {CASE_PATH: CASE.replace("worker: p-worker", "worker: [p-worker]")},
        "cases/123456.html",
        "invalid-value",
    ),
    (
        "case file: an unknown field",
        {CASE_PATH: CASE.replace("worker: p-worker", "worker: p-worker\ngenogramm: done")},
        "cases/123456.html",
        "unknown-field",
    ),
    (
        "case file: a required field missing",
        {CASE_PATH: CASE.replace("worker: p-worker\n", "")},
        "cases/123456.html",
        "missing-field",
    ),
    (
        "case file: an id that does not match the pattern",
        {"cases/12345/case.md": CASE.replace('"123456"', '"12345"')},
        "cases/12345.html",
        "invalid-id",
    ),
    (
        "case folder without a case file",
        {"cases/654321/referrals/2026-03-09-tp.md": REFERRAL.replace('"123456"', '"654321"')},
        "cases/654321.html",
        "No case file",
    ),
    (
        "decision about a case with no folder",
        {"decisions/tp/2026-02-23/999999.md": DECISION.replace('"123456"', '"999999"')},
        "cases/999999.html",
        "No case file",
    ),
    (
        "decision naming another case than its file",
        {DECISION_PATH: DECISION.replace('case: "123456"', 'case: "654321"')},
        "cases/654321.html",
        "id-mismatch",
    ),
    (
        "referral: bad YAML",
        {"cases/123456/referrals/2026-03-16-tp.md": "---\npanel: tp\nmeeting: [\n---\n"},
        "cases/123456.html",
        "invalid-front-matter",
    ),
    (
        "decision: an unknown field",
        {DECISION_PATH: DECISION.replace("chair: p-chair", "chair: p-chair\ngenogramm: yes")},
        "cases/123456.html",
        "unknown-field",
    ),
    ("meeting record: fields missing", {MEETING_PATH: "---\npanel: tp\n---\n"}, "problems.html", "missing-field"),
    ("record: fields missing", {RECORD_PATH: "---\nkind: action-done\n---\n"}, "problems.html", "missing-field"),
    ("record: valid", {RECORD_PATH: RECORD}, "cases/123456.html", "Plan agreed"),
    ("one panel broken", {"panels/broken.md": "---\nid: broken\n---\n"}, "problems.html", "panels/broken.md"),
]


@pytest.mark.parametrize(("label", "files", "page", "shown"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_a_bad_document_never_stops_the_build(
    tmp_path: Path, label: str, files: dict[str, str | None], page: str, shown: str
) -> None:
    """The site is built in strict mode, the page of the bad document (or its case, or the problems page) shows
    the problem, and the rest of the site is there."""
    site, result = build(tmp_path, files)
    others = ["index.html", "panels/tp.html", "meetings/index.html", "meetings/tp/2026-03-09.html", "cases.html"]
    expected = (True, [True] * len(others), ())
    assert expected == (
        shown in with_characters(read(site, page)),
        [(site / o).is_file() for o in others],
        result.warnings,
    )


def test_case_page_without_a_readable_case_file_keeps_its_referrals_and_decisions(tmp_path: Path) -> None:
    """A case whose file is broken still has its page: the problem on top, its referral and decision below."""
    site, _ = build(tmp_path, {CASE_PATH: "---\nid: [\n---\n"})
    page = read(site, "cases/123456.html")
    expected = [True, True, True, False]
    found = [
        "The case file could not be read" in page,
        'id="referral-2026-03-09-tp"' in page,
        'id="decision-2026-02-23-tp"' in page,
        "Ada" in page,
    ]
    assert expected == found


def test_broken_panel_leaves_the_other_panels_pages(tmp_path: Path) -> None:
    """One broken panel file: the other panels' pages are built, the broken one has none and is listed as a problem."""
    site, result = build(
        tmp_path,
        {"panels/broken.md": "---\nid: broken\n---\n", "panels/other.md": PANEL.replace("id: tp", "id: other", 1)},
    )
    problems = {x.path for x in result.diagnostics if x.name == "missing-field"}
    assert (True, True, False, {"panels/broken.md"}) == (
        (site / "panels/tp.html").is_file(),
        (site / "panels/other.html").is_file(),
        (site / "panels/broken.html").exists(),
        problems,
    )


def test_cli_exits_one_and_prints_the_errors_when_the_site_shows_problems(tmp_path: Path) -> None:
    """`panel build` builds the site, prints each error as `panel check` would and exits 1."""
    root = write_world(tmp_path / "repo", WORLD | {CASE_PATH: "---\nid: [\n---\n"})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--repo", str(root), "--out", str(out), "--as-of", "2026-03-02"])
    expected = (1, True, True, True)
    assert expected == (
        result.exit_code,
        "cases/123456/case.md:3: P101 [error]" in result.stderr,
        result.stdout.endswith("the site shows 4 problems\n"),
        (out / "cases/123456.html").is_file(),
    )


def test_cli_exits_two_without_any_panel(tmp_path: Path) -> None:
    """A repository with no panel file at all is a configuration error: exit 2, one line."""
    root = write_world(tmp_path / "repo", {k: v for k, v in WORLD.items() if k != "panels/tp.md"})
    result = CliRunner().invoke(cli, ["build", "--repo", str(root), "--as-of", "2026-03-02"])
    assert (2, f"Error: {root}: no panel in panels/ (run `panel check`)\n") == (result.exit_code, result.output)


# --- no value from a document becomes a path outside ---------------------------------------------

HOSTILE_IDS = [
    "../../outside",
    "/etc/passwd",
    "..\\outside",
    "123456\x00",
    "123456\n",
    "１２３４５６",  # fullwidth digits
    "12345٦",  # an Arabic-Indic six
    "12345б",  # a Cyrillic letter that looks like a six
    "1234 56",
]
HOSTILE_PATHS = [
    "../../../outside/x.md",
    "/etc/passwd",
    "decisions\\tp\\2026-02-23\\123456.md",
    f"{DECISION_PATH}\n",
    f"{DECISION_PATH}\x00",
    "decisions/tp/2026-02-23/１２３４５６.md",
    "decisions/tp/../../../outside/x.md",
    "decisions/tp/2026-02-23/./123456.md",
]


def _quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value)


ID_FIELDS = [
    ("referral case", REFERRAL_PATH, REFERRAL, 'case: "123456"', "case: {}"),
    ("meeting heard", MEETING_PATH, MEETING, 'heard: ["123456"]', "heard: [{}]"),
    ("decision case", DECISION_PATH, DECISION, 'case: "123456"', "case: {}"),
    ("case id", CASE_PATH, CASE, 'id: "123456"', "id: {}"),
]
PATH_FIELDS = [
    ("record refers_to", RECORD_PATH, RECORD, f"refers_to: {DECISION_PATH}", "refers_to: {}"),
    ("decision supersedes", DECISION_PATH, DECISION, "chair: p-chair", "chair: p-chair\nsupersedes: {}"),
]


def _expected(value: str, name: str) -> str:
    # A NUL (written as the escape "\0") is a control character: the loader refuses it first (P118).
    return "invisible-character" if "\x00" in value else name


HOSTILE = [
    (f"{field[0]} {value!r}", field, value, _expected(value, "invalid-id"))
    for field in ID_FIELDS
    for value in HOSTILE_IDS
] + [
    (f"{field[0]} {value!r}", field, value, _expected(value, "unsafe-path"))
    for field in PATH_FIELDS
    for value in HOSTILE_PATHS
]


@pytest.mark.parametrize(("label", "field", "value", "name"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_value_is_a_diagnostic_at_its_line(
    tmp_path: Path, label: str, field: tuple[str, str, str, str, str], value: str, name: str
) -> None:
    """An id or path that could leave its folder is refused with a diagnostic at the field's line; nothing is read."""
    _, path, text, old, new = field
    changed = text.replace(old, new.format(_quoted(value)))
    line = changed.split("\n").index(new.format(_quoted(value)).split("\n")[-1]) + 1
    root = write_world(tmp_path / "repo", WORLD | {path: changed})
    found = [(x.path, x.line, x.name) for x in gather(root, as_of=AS_OF).diagnostics if x.name == name]
    assert [(path, line, name)] == found


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event in ("open", "os.listdir", "os.scandir") and args:
        target = args[0]
        if isinstance(target, str | bytes | os.PathLike):
            _OPENED.append(str(Path(os.fsdecode(target)).absolute()))


sys.addaudithook(_audit)


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """Every path the code under test opens or lists, while the test runs (a Python audit hook)."""
    global _OPENED  # noqa: PLW0603 - an audit hook cannot be removed, so it reads a switch
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


def test_build_with_hostile_values_never_touches_anything_outside(tmp_path: Path, opened: list[str]) -> None:
    """Every hostile id and path at once: the site is built, and nothing outside the repository, the work folder
    and the site (and its temporary folder beside it) is opened, listed or written."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("---\nkind: note\n---\n", encoding="utf-8")
    opened.clear()
    files = {
        REFERRAL_PATH: REFERRAL.replace('case: "123456"', 'case: "../../outside"'),
        MEETING_PATH: MEETING.replace('heard: ["123456"]', 'heard: ["/etc/passwd", "..\\\\outside"]'),
        RECORD_PATH: RECORD.replace(f"refers_to: {DECISION_PATH}", "refers_to: ../../../outside/x.md"),
        "decisions/tp/2026-03-02/123456.md": DECISION.replace("2026-02-23", "2026-03-02").replace(
            "chair: p-chair", "chair: p-chair\nsupersedes: /etc/passwd"
        ),
    }
    site, result = build(tmp_path, files)
    names = sorted({(x.path, x.name) for x in result.diagnostics if x.name in ("invalid-id", "unsafe-path")})
    allowed = (tmp_path / "repo", tmp_path / "work", tmp_path / "site")
    strays = sorted(
        {
            p
            for p in opened
            if Path(p).is_relative_to(tmp_path)
            and not any(Path(p).is_relative_to(a) for a in allowed)
            and Path(p) != tmp_path
            and not Path(p).relative_to(tmp_path).parts[0].startswith(".site.building-")
        }
    )
    expected_names = [
        ("cases/123456/referrals/2026-03-09-tp.md", "invalid-id"),
        ("decisions/tp/2026-02-23/meeting.md", "invalid-id"),
        ("decisions/tp/2026-02-23/records/done.md", "unsafe-path"),
        ("decisions/tp/2026-03-02/123456.md", "unsafe-path"),
    ]
    assert (expected_names, [], (), True) == (names, strays, result.warnings, (site / "cases/123456.html").is_file())


def test_case_folders_that_collide_are_read_once(tmp_path: Path) -> None:
    """Two case folders differing only in letter case: the second is `invalid-id` and not read; one page is built."""
    authority = WORLD["panels/authority.yml"].replace('"[0-9]{6}"', '"[A-Za-z]{2}[0-9]{5}"')
    files = {
        "panels/authority.yml": authority,
        "cases/AB12345/case.md": CASE.replace('"123456"', '"AB12345"'),
        "cases/ab12345/case.md": CASE.replace('"123456"', '"ab12345"'),
        "cases/ab12345/referrals/2026-03-09-tp.md": REFERRAL.replace('"123456"', '"ab12345"'),
    }
    site, result = build(tmp_path, files | {CASE_PATH: None, REFERRAL_PATH: None, DECISION_PATH: None})
    twins = sorted((x.path, x.message) for x in result.diagnostics if "only in letter case" in x.message)
    expected = [
        ("cases/ab12345/case.md", "'cases/ab12345' differs from 'cases/AB12345' only in letter case or accents"),
        (
            "cases/ab12345/referrals/2026-03-09-tp.md",
            "'cases/ab12345' differs from 'cases/AB12345' only in letter case or accents",
        ),
    ]
    pages = sorted(p.name for p in (site / "cases").glob("*.html"))
    assert (expected, ["AB12345.html"], ()) == (twins, pages, result.warnings)


def test_names_differing_only_in_unicode_normal_form_are_diagnosed(tmp_path: Path) -> None:
    """A folder name in two Unicode normal forms (and not ASCII) is refused on both, never a traceback."""
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    root = write_world(
        tmp_path / "repo",
        WORLD | {f"cases/{composed}/case.md": CASE, f"cases/{decomposed}/case.md": CASE},
    )
    found = sorted({(x.path, x.name) for x in gather(root, as_of=AS_OF).diagnostics if x.path.startswith("cases/caf")})
    expected = sorted(
        {
            (f"cases/{composed}/case.md", "invalid-id"),
            (f"cases/{composed}/case.md", "unexpected-file"),
            (f"cases/{decomposed}/case.md", "invalid-id"),
            (f"cases/{decomposed}/case.md", "unexpected-file"),
        }
    )
    assert expected == found


def test_symlinked_case_folder_of_a_change_is_refused(tmp_path: Path) -> None:
    """Checking a change: a listed document under a symlinked folder is `symlink`, and the target is never read."""
    root = write_world(tmp_path / "repo", WORLD)
    outside = write_world(tmp_path / "outside", {"case.md": CASE.replace('"123456"', '"100001"')})
    (root / "cases" / "100001").symlink_to(outside, target_is_directory=True)
    repo, problems = load_repository(root, only={"cases/100001/case.md"})
    assert ([("cases/100001", "symlink")], {}) == ([(x.path, x.name) for x in problems], repo.cases)


def test_a_named_pipe_is_unreadable_not_a_hang(tmp_path: Path) -> None:
    """A FIFO where a document should be is "unreadable-file" (reading it would block for ever)."""
    root = write_world(tmp_path / "repo", WORLD)
    os.mkfifo(root / "cases/123456/referrals/2026-03-16-tp.md")
    found = [(x.path, x.name) for x in gather(root, as_of=AS_OF).diagnostics if x.name == "unreadable-file"]
    assert [("cases/123456/referrals/2026-03-16-tp.md", "unreadable-file")] == found


def test_new_case_refuses_an_id_that_leaves_the_cases_folder(tmp_path: Path) -> None:
    """`panel new case --id ../../x` writes nothing anywhere and exits 2."""
    authority = WORLD["panels/authority.yml"].replace('"[0-9]{6}"', '".+"')
    root = write_world(tmp_path / "repo", WORLD | {"panels/authority.yml": authority})
    args = ["new", "case", "--repo", str(root), "--id", "../../x", "--worker", "p-worker", "--team", "north"]
    result = CliRunner().invoke(cli, args)
    assert (2, False, False) == (result.exit_code, (tmp_path / "x").exists(), (root / "x").exists())


# --- the output and work folders ------------------------------------------------------------------


def test_committed_site_symlink_is_refused(tmp_path: Path) -> None:
    """A `site` symbolic link in the repository is refused: the build writes nothing where it points."""
    root = write_world(tmp_path / "repo", WORLD)
    target = write_world(tmp_path / "elsewhere", {"keep.txt": "mine"})
    (root / "site").symlink_to(target, target_is_directory=True)
    with pytest.raises(SiteBuildError, match="is a symbolic link"):
        build_site(root, root / "site", as_of=AS_OF)
    assert {"keep.txt": b"mine"} == snapshot(target)


def test_committed_build_symlink_is_refused(tmp_path: Path) -> None:
    """A `build` symbolic link in the repository (the default work folder's parent) is refused."""
    root = write_world(tmp_path / "repo", WORLD)
    target = write_world(tmp_path / "elsewhere", {"keep.txt": "mine"})
    (root / "build").symlink_to(target, target_is_directory=True)
    with pytest.raises(SiteBuildError, match="a symbolic link inside the repository"):
        build_site(root, tmp_path / "site", as_of=AS_OF)
    assert ({"keep.txt": b"mine"}, False) == (snapshot(target), (tmp_path / "site").exists())


def test_output_under_a_symlinked_folder_of_the_repository_is_refused(tmp_path: Path) -> None:
    """`--out` under a folder of the repository that is a link to elsewhere is refused by the CLI with exit 2."""
    root = write_world(tmp_path / "repo", WORLD)
    target = write_world(tmp_path / "elsewhere", {"keep.txt": "mine"})
    (root / "public").symlink_to(target, target_is_directory=True)
    args = ["build", "--repo", str(root), "--out", str(root / "public" / "site"), "--as-of", "2026-03-02"]
    result = CliRunner().invoke(cli, args)
    assert (2, True, {"keep.txt": b"mine"}) == (
        result.exit_code,
        "a symbolic link inside the repository" in result.output,
        snapshot(target),
    )


def test_output_outside_the_repository_may_sit_under_system_links(tmp_path: Path) -> None:
    """Outside the repository, a linked folder above the output (as /tmp is on some systems) is the system's own."""
    root = write_world(tmp_path / "repo", WORLD)
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    result = build_site(root, tmp_path / "linked" / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    assert (tmp_path / "real" / "site", True) == (result.out_dir, (tmp_path / "real/site/index.html").is_file())


def test_a_link_left_in_the_work_folder_is_removed_not_published(tmp_path: Path) -> None:
    """A symbolic link planted in the work folder (MkDocs would publish what it points at) is removed, unfollowed."""
    root = write_world(tmp_path / "repo", WORLD)
    work = tmp_path / "work"
    build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=work)
    secret = write_world(tmp_path / "outside", {"secret.md": "# Secret\n"})
    (work / "leak").symlink_to(secret, target_is_directory=True)
    build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=work)
    expected = (False, False, {"secret.md": b"# Secret\n"})
    assert expected == ((tmp_path / "site/leak").exists(), (work / "leak").exists(), snapshot(secret))


# --- the previous site survives a failed build --------------------------------------------------


def _limit_file_size() -> None:
    """In the child: no file may grow past 300 kB (a full disk, as far as MkDocs can tell); root is bound too."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_a_build_that_fails_half_way_leaves_the_previous_site(tmp_path: Path) -> None:
    """MkDocs fails while writing the new site (no file may exceed 300 kB, and its theme has bigger ones): the
    command exits 2, the previous site is byte-identical and no temporary folder is left."""
    root = write_world(tmp_path / "repo", WORLD)
    out = tmp_path / "out"
    build_site(root, out, as_of=AS_OF, work_dir=tmp_path / "work")
    before = snapshot(out)
    (root / CASE_PATH).write_text(CASE.replace("first | second", "changed since"), encoding="utf-8")
    command = [sys.executable, "-m", "generator", "build", "--repo", str(root), "--out", str(out)]
    environment = os.environ | {"PYTHONPATH": str(PROJECT), "PYTHONDONTWRITEBYTECODE": "1"}
    finished = subprocess.run(
        [*command, "--as-of", "2026-03-02"],
        capture_output=True,
        text=True,
        env=environment,
        preexec_fn=_limit_file_size,
        check=False,
    )
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out."))
    expected = (2, True, before, [])
    assert expected == (finished.returncode, "cannot write the site" in finished.stderr, snapshot(out), left)


def test_a_rebuild_replaces_the_site_whole_and_keeps_its_hidden_files(tmp_path: Path) -> None:
    """A rebuild swaps the new site in: a page gone from the repository is gone, a deployment's hidden files stay,
    and nothing is left beside it."""
    root = write_world(tmp_path / "repo", WORLD)
    out = tmp_path / "out"
    build_site(root, out, as_of=AS_OF, work_dir=tmp_path / "work")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/pages\n", encoding="utf-8")
    (root / CASE_PATH).unlink()
    (root / REFERRAL_PATH).unlink()
    (root / DECISION_PATH).unlink()
    (root / MEETING_PATH).write_text(MEETING.replace('heard: ["123456"]', "heard: []"), encoding="utf-8")
    build_site(root, out, as_of=AS_OF, work_dir=tmp_path / "work")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out."))
    expected = (False, "ref: refs/heads/pages\n", True, [])
    assert expected == (
        (out / "cases/123456.html").exists(),
        (out / ".git" / "HEAD").read_text(encoding="utf-8"),
        (out / SITE_MARKER).is_file(),
        left,
    )


def test_a_killed_builds_leftovers_are_removed_by_the_next(tmp_path: Path) -> None:
    """A temporary folder left by a build killed outright (it holds children's data) goes at the next build."""
    root = write_world(tmp_path / "repo", WORLD)
    stale = write_world(tmp_path / ".out.building-0123456789ab", {SITE_MARKER: "x", "cases/123456.html": "x"})
    build_site(root, tmp_path / "out", as_of=AS_OF, work_dir=tmp_path / "work")
    assert (False, True) == (stale.exists(), (tmp_path / "out/index.html").is_file())


# --- patterns from the settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("[0-9]{6}", "123456", True),
        ("[0-9]{6}", "12345", False),
        ("[0-9]{6}", "123456\n", False),
        ("[0-9]{6}", "1234567", False),
        ("[A-Z]{2}[0-9]{5}", "AB12345", True),
        ("[A-Z]{2}[0-9]{5}", "ab12345", False),
        (r"\d{6}", "123456", True),
        (r"\d{6}", "１２３４５６", False),
        ("^[0-9]{6}$", "123456", True),
        ("A|B", "AB", False),
        ("(([0-9])+)+", "1" * 63 + "x", False),
    ],
)
def test_patterns_match_in_full(pattern: str, value: str, expected: bool) -> None:
    """A settings pattern matches the whole id: no forgiven newline, no non-ASCII digit, alternatives anchored."""
    assert expected == compile_pattern(pattern).matches(value)


def test_hostile_pattern_against_a_long_id_returns_promptly(tmp_path: Path) -> None:
    """`(([0-9])+)+` against `111...1x` (exponential in Python's `re`) is checked well under a second, with
    `invalid-id` for the case."""
    case_id = "1" * 63 + "x"
    authority = WORLD["panels/authority.yml"].replace('"[0-9]{6}"', '"(([0-9])+)+"')
    files = {"panels/authority.yml": authority, f"cases/{case_id}/case.md": CASE.replace('"123456"', f'"{case_id}"')}
    repo, _ = load_repository(write_world(tmp_path / "repo", WORLD | files))
    start = time.perf_counter()
    found = [(x.path, x.name) for x in check_links(repo) if x.name == "invalid-id"]
    elapsed = time.perf_counter() - start
    assert ([(f"cases/{case_id}/case.md", "invalid-id")], True) == (found, elapsed < 0.5)


@pytest.mark.parametrize(
    ("pattern", "name", "reason"),
    [
        ("([0-9]{6}", "invalid-pattern", "missing ), unterminated subpattern at position 1"),
        ("[0-9", "invalid-pattern", "unterminated character set at position 1"),
        ("[[:digit:]]{6}", "invalid-pattern", "Possible nested set at position 1"),
        (r"([0-9])\\1[0-9]{4}", "unsupported-pattern", "backreferences are not supported"),
        ("(?=1)[0-9]{6}", "unsupported-pattern", "look-around, including look-ahead and look-behind, is not supported"),
        ("(?:[0-9]{1000}){1000}", "unsupported-pattern", "Compiled regex exceeds size limit of 10485760 bytes."),
    ],
)
def test_unusable_pattern_is_a_diagnostic_at_its_line(tmp_path: Path, pattern: str, name: str, reason: str) -> None:
    """A pattern that does not compile, or needs backtracking, is reported at its line in words; the settings
    still load, and case ids are not judged against it."""
    authority = WORLD["panels/authority.yml"].replace('"[0-9]{6}"', f'"{pattern}"')
    root = write_world(tmp_path / "repo", WORLD | {"panels/authority.yml": authority})
    result = gather(root, as_of=AS_OF)
    found = [(x.path, x.line, x.name, x.message.rsplit(": ", 1)[-1]) for x in result.diagnostics if "pattern" in x.name]
    loaded = result.repo.authority is not None
    assert ([("panels/authority.yml", 2, name, reason)], True) == (found, loaded)


def test_pattern_errors_say_why() -> None:
    """compile_pattern says which engine refused and why."""
    refusals = []
    for pattern in ("(", "(a)\\1"):
        with pytest.raises(PatternError) as caught:
            compile_pattern(pattern)
        refusals.append((caught.value.refusal, caught.value.reason))
    expected = [
        (Refusal.INVALID, "missing ), unterminated subpattern at position 1"),
        (Refusal.UNSUPPORTED, "backreferences are not supported"),
    ]
    assert expected == refusals
