"""The hostile corpus (tests/hostile/): careless and hostile documents, each diagnosed at its line or shown safely.

Every document in `tests/hostile/` sits at the path a council user would commit it to, and
`tests/hostile/expected.txt` gives, on one line, what `panel check` must say about it (see the
head of that file). The documents under `settings/<name>/` replace a settings file, so each of
those folders is checked in a repository of its own; everything else goes into one real git
repository with the bundled example's panels and settings, which `panel check` reads once and
`panel build` builds once. Adding a case is one file plus one line.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import GitFactory

from generator.cli import cli
from generator.core import diagnostics as d
from generator.git.runner import REPOSITORY_VARIABLES, isolated_environment
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
MANIFEST = HOSTILE / "expected.txt"
AS_OF = "2026-11-25"
WHEN = "2026-10-01T09:00:00+01:00"
"""When the corpus is committed: before every referral deadline it names, so lateness is not in play."""
PAD_LINE = "Pasted again <b onmouseover=alert(1)>and again</b> [and again](https://evil.example/pad).\n"
"""What `pad=` appends to a document until it has the bytes asked for."""
SELF_CHECK_SECONDS = 60
"""Longest a settings repository's check may take (a catastrophic pattern would hang it)."""


@dataclass(frozen=True)
class Entry:
    """One line of the manifest: a document of the corpus and what `panel check` must say about it."""

    path: str
    """Its path under tests/hostile/."""
    expected: frozenset[tuple[str, int]]
    """(code, line) of each diagnostic it must get, and no other; empty: it renders safely."""
    link: str | None = None
    """A symbolic link's target: the test makes the link (`@outside/...`: the folder beside the repository)."""
    pad: int | None = None
    """The test appends text to the document until it has this many bytes."""
    at: str | None = None
    """Where the document goes in the repository, if not at its own path (a name or date of birth in a file name)."""
    xfail: str | None = None
    """Why this case is a known failure, outside the loader (the test is then strictly expected to fail)."""

    @property
    def group(self) -> str | None:
        """The name of the repository of its own the document is checked in (settings/<name>/), if any."""
        return self.path.split("/")[1] if self.path.startswith("settings/") else None

    @property
    def repo_path(self) -> str:
        """Where it sits in the repository checked."""
        if self.at is not None:
            return self.at
        return self.path.split("/", 2)[2] if self.group else self.path


_CODE = re.compile(r"(P[0-9]{3}):([0-9]+)")


def read_manifest() -> list[Entry]:
    """Every entry of tests/hostile/expected.txt, in order."""
    entries: list[Entry] = []
    for number, raw in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), 1):
        text, _, xfail = raw.split(" #", 1)[0].partition(" xfail=")
        text = text.strip()
        if not text or text.startswith("#"):
            continue
        path, *tokens = text.split()
        codes: set[tuple[str, int]] = set()
        options: dict[str, str] = {}
        safe = False
        for token in tokens:
            if token == "safe":
                safe = True
            elif match := _CODE.fullmatch(token):
                codes.add((match.group(1), int(match.group(2))))
            elif "=" in token and token.split("=", 1)[0] in ("link", "pad", "at"):
                key, value = token.split("=", 1)
                options[key] = value
            else:
                raise AssertionError(f"{MANIFEST.name}:{number}: cannot read {token!r}")
        if safe == bool(codes):
            raise AssertionError(f"{MANIFEST.name}:{number}: give `safe` or diagnostics, not both or neither")
        pad = int(options["pad"]) if "pad" in options else None
        entry = Entry(path, frozenset(codes), options.get("link"), pad, options.get("at"), xfail.strip() or None)
        entries.append(entry)
    return entries


ENTRIES = read_manifest()
SHARED = [e for e in ENTRIES if e.group is None]
ALONE = [e for e in ENTRIES if e.group is not None]


def _param(entry: Entry) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=entry.xfail)] if entry.xfail else []
    return pytest.param(entry, id=entry.path, marks=marks)


def _content(entry: Entry) -> bytes:
    data = (HOSTILE / entry.path).read_bytes()
    if entry.pad is not None:
        line = PAD_LINE.encode()
        data += line * (1 + max(0, entry.pad - len(data)) // len(line))
    return data


def _place(root: Path, outside: Path, entries: list[Entry]) -> None:
    """Write (or link) each entry's document into `root`."""
    for entry in entries:
        target = root / entry.repo_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        if entry.link is None:
            target.write_bytes(_content(entry))
        elif entry.link.startswith("@outside"):
            target.symlink_to(outside / entry.link.removeprefix("@outside").lstrip("/"))
        else:
            target.symlink_to(entry.link)


def _commit(git: GitFactory, repo: Path) -> None:
    git.run(repo, "add", "--all")
    git.run(repo, "commit", "-q", "--no-verify", "-m", "Add the hostile corpus", when=WHEN)


def _environment(home: Path) -> dict[str, str]:
    """The environment of the `panel` processes: no git configuration but the repository's, this checkout first."""
    kept = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES and not k.startswith("GIT_")}
    return kept | isolated_environment(home) | {"PYTHONPATH": str(PROJECT), "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass(frozen=True)
class Corpus:
    """The shared repository and what was around it."""

    base: Path
    repo: Path
    outside: Path
    """A folder beside the repository that links point into: nothing may read it into, or write it from, a page."""
    env: dict[str, str]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The corpus (settings/ aside) with the example's panels and settings, in one commit of a real repository."""
    base = tmp_path_factory.mktemp("hostile")
    home = base / "home"
    home.mkdir()
    outside = base / "outside"
    outside.mkdir()
    (outside / "case.md").write_text('---\nid: "900040"\n---\nOUTSIDE-SECRET\n', encoding="utf-8")
    (outside / "meeting.md").write_text("---\npanel: cmr\n---\nOUTSIDE-SECRET\n", encoding="utf-8")
    git = GitFactory(base / "repos", home)
    repo = git.init("corpus")
    copy_panels(PROJECT, repo)
    _place(repo, outside, SHARED)
    _commit(git, repo)
    return Corpus(base, repo, outside, _environment(home))


@dataclass(frozen=True)
class Run:
    """A `panel` process: exit status, output and, for `check`, its diagnostics."""

    status: int
    stdout: str
    stderr: str
    diagnostics: tuple[dict[str, Any], ...] = ()


def panel(corpus: Corpus, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` on the corpus in a fresh process (a hang fails the test, not the suite)."""
    command = [sys.executable, "-m", "generator", *args, "--repo", str(corpus.repo), "--as-of", AS_OF]
    return subprocess.run(command, capture_output=True, text=True, env=corpus.env, timeout=300, check=False)


@pytest.fixture(scope="module")
def checked(corpus: Corpus) -> Run:
    """`panel check --format json` over the corpus, once."""
    done = panel(corpus, "check", "--format", "json")
    found = tuple(json.loads(done.stdout)) if done.stdout.startswith("[") else ()
    return Run(done.returncode, done.stdout, done.stderr, found)


# --- panel check ----------------------------------------------------------------------------------


def test_the_corpus_and_its_manifest_agree() -> None:
    """At least 60 documents; each file has exactly one line and each line's codes are rules that exist."""
    files = sorted(p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file() and p != MANIFEST)
    listed = [e.path for e in ENTRIES if e.link is None]
    unknown = sorted({code for e in ENTRIES for code, _ in e.expected if d.rule_named(code) is None})
    assert (True, files, [], True) == (len(ENTRIES) >= 60, sorted(listed), unknown, len(set(listed)) == len(listed))


def test_check_runs_once_and_exits_one_without_a_traceback(checked: Run) -> None:
    """Errors found: exit 1 (as `panel check --help` says), JSON on standard output, nothing on standard error."""
    assert (1, "", True) == (checked.status, checked.stderr, bool(checked.diagnostics))


@pytest.mark.parametrize("entry", [_param(e) for e in SHARED])
def test_each_document_gets_exactly_its_diagnostics(checked: Run, entry: Entry) -> None:
    """The document's diagnostics are the ones its manifest line gives (code and line), no more, no fewer."""
    found = {(x["code"], x["line"]) for x in checked.diagnostics if x["path"] == entry.repo_path}
    assert sorted(entry.expected) == sorted(found)


def test_no_diagnostic_is_about_anything_else(checked: Run) -> None:
    """Outside the corpus only the example's panels are reported, and only for their terms past review (P503)."""
    corpus = {e.repo_path for e in SHARED}
    others = sorted({(x["path"], x["code"]) for x in checked.diagnostics if x["path"] not in corpus})
    assert [] == [(path, code) for path, code in others if not (path.startswith("panels/") and code == "P503")]


_CHILD_NAME = re.compile(r"^ +(?:- )?name: ([A-Z][a-z]+(?: [A-Z][a-z]+)+)\s*$", re.MULTILINE)
_BIRTH = re.compile(r"^ +(?:- )?(?:date_of_birth|due_date): *([^\s#]+)", re.MULTILINE)


def planted_values() -> list[str]:
    """Every child's name (in full and each part) and date of birth (as written) in the corpus's case files."""
    found: set[str] = set()
    for path in HOSTILE.rglob("case.md"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for name in _CHILD_NAME.findall(text):
            found |= {name, *name.split()}
        found |= set(_BIRTH.findall(text))
    return sorted(found)


def test_no_diagnostic_quotes_a_planted_personal_value(checked: Run) -> None:
    """No message or hint quotes a child's name or date of birth, whatever the document did with them."""
    planted = planted_values()
    quoted = sorted(
        {(x["path"], value) for x in checked.diagnostics for value in planted if value in x["message"] + x["hint"]}
    )
    assert (True, []) == ({"Tamsin", "2011-04-28", "28/04/2011"} <= set(planted), quoted)


# --- settings that break the settings, each in a repository of its own ----------------------------


class _HungError(Exception):
    pass


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Raise _HungError in the test if the block takes longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _HungError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Each settings/<name>/ group checked (in-process) in a repository of the example's panels and its files."""
    base = tmp_path_factory.mktemp("hostile-settings")
    home = base / "home"
    home.mkdir()
    git = GitFactory(base / "repos", home)
    runs: dict[str, Run] = {}
    for group in sorted({e.group for e in ALONE if e.group}):
        repo = git.init(group)
        copy_panels(PROJECT, repo)
        _place(repo, base, [e for e in ALONE if e.group == group])
        _commit(git, repo)
        environment = {k: None for k in os.environ if k.startswith("GIT_")} | isolated_environment(home)
        with _time_limit(SELF_CHECK_SECONDS):
            result = CliRunner(env=environment).invoke(
                cli, ["check", "--repo", str(repo), "--as-of", AS_OF, "--format", "json"]
            )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        found = tuple(json.loads(result.stdout)) if result.stdout.startswith("[") else ()
        runs[group] = Run(result.exit_code, result.stdout, result.stderr, found)
    return runs


@pytest.mark.parametrize("entry", [_param(e) for e in ALONE])
def test_each_settings_document_gets_exactly_its_diagnostics(alone: dict[str, Run], entry: Entry) -> None:
    """A broken settings file is diagnosed at its line, promptly and without a traceback: exit 1 with errors, 0
    without, nothing on standard error."""
    run = alone[entry.group or ""]
    found = {(x["code"], x["line"]) for x in run.diagnostics if x["path"] == entry.repo_path}
    errors = any(x["severity"] == "error" for x in run.diagnostics)
    assert (sorted(entry.expected), 1 if errors else 0, "") == (sorted(found), run.status, run.stderr)


# --- panel build ----------------------------------------------------------------------------------


def snapshot(folder: Path, *, leave_out: tuple[Path, ...] = ()) -> dict[str, bytes | str]:
    """Every file and link under `folder` (links not followed) with its bytes or target, but under `leave_out`."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if any(path.is_relative_to(x) for x in leave_out):
            continue
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = f"-> {path.readlink()}"
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


@dataclass(frozen=True)
class Built:
    """`panel build` over the corpus, and what changed around the site."""

    run: Run
    site: Path
    changed: tuple[str, ...]
    """Paths outside the site and the build's work folder that were added, removed or changed."""


@pytest.fixture(scope="module")
def built(corpus: Corpus) -> Built:
    """`panel build` over the corpus, once, into a folder beside the repository."""
    site = corpus.base / "site"
    work = corpus.repo / "build"
    leave_out = (site, work, corpus.base / "home")
    before = snapshot(corpus.base, leave_out=leave_out)
    done = panel(corpus, "build", "--out", str(site))
    after = snapshot(corpus.base, leave_out=leave_out)
    changed = tuple(sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p)))
    return Built(Run(done.returncode, done.stdout, done.stderr), site, changed)


def test_build_runs_once_and_exits_one_without_a_traceback(built: Built) -> None:
    """The site is built whole: exit 1 (it shows problems), every error printed as `panel check` prints it."""
    assert (1, False, True) == (
        built.run.status,
        "Traceback" in built.run.stderr,
        built.run.stdout.rstrip().endswith("problems"),
    )


def test_build_writes_nothing_outside_its_site(built: Built, corpus: Corpus) -> None:
    """Nothing in the repository (but its build/ work folder), the folder links point into, or anywhere beside, is
    written, and the linked folder's text never reaches a page."""
    leaked = [
        p.relative_to(built.site).as_posix()
        for p in built.site.rglob("*.html")
        if "OUTSIDE-SECRET" in p.read_text("utf-8")
    ]
    assert ((), []) == (built.changed, leaked)


def page_of(entry: Entry) -> str:
    """The page a valid document of the corpus is shown on."""
    parts = entry.repo_path.split("/")
    if parts[0] == "cases":
        return f"cases/{parts[1]}.html"
    if parts[0] == "panels":
        return f"panels/{parts[1].removesuffix('.md')}.html" if parts[1].endswith(".md") else "index.html"
    if parts[-1] == "meeting.md":
        return f"meetings/{parts[1]}/{parts[2]}.html"
    if parts[3] == "records":
        refers_to = re.search(r"^refers_to: decisions/[^/]+/[^/]+/([^/.]+)", _content(entry).decode(), re.MULTILINE)
        assert refers_to is not None, entry.path
        return f"cases/{refers_to.group(1)}.html"
    return f"cases/{parts[3].split('.')[0]}.html"


@pytest.mark.parametrize("entry", [_param(e) for e in SHARED if not e.expected])
def test_each_valid_document_has_its_page(built: Built, entry: Entry) -> None:
    """A document that renders safely is shown on its page (which the HTML scan below reads)."""
    assert True is (built.site / page_of(entry)).is_file()


class _Rows(HTMLParser):
    """The problems page's table: each row's cells' text and the first link in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[list[str], str | None]] = []
        self._cells: list[str] | None = None
        self._link: str | None = None
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._cells, self._link = [], None
        elif tag == "td" and self._cells is not None:
            self._cells.append("")
            self._in_cell = True
        elif tag == "a" and self._cells is not None and self._link is None:
            self._link = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        self._in_cell = self._in_cell and tag != "td"
        if tag == "tr" and self._cells is not None:
            self.rows.append((self._cells, self._link))
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._cells and self._in_cell:
            self._cells[-1] += data


@pytest.fixture(scope="module")
def problem_rows(built: Built) -> list[tuple[list[str], str | None]]:
    """The rows of the built problems page."""
    parser = _Rows()
    parser.feed((built.site / "problems.html").read_text(encoding="utf-8"))
    return parser.rows


@pytest.mark.parametrize("entry", [_param(e) for e in SHARED if e.expected])
def test_each_problem_is_shown(built: Built, problem_rows: list[tuple[list[str], str | None]], entry: Entry) -> None:
    """The problems page lists each of the document's diagnostics with its line, and the page it links to (the
    document's case or meeting, if it has one) shows each code."""
    rows = [(cells, link) for cells, link in problem_rows if len(cells) >= 3 and cells[0] == entry.repo_path]
    listed = {(cells[2], int(cells[1]) if cells[1].isdigit() else 0) for cells, _ in rows}
    pages = {link.split("#")[0] for _, link in rows if link}
    unshown = sorted(
        (page, code)
        for page in pages
        for code, _ in entry.expected
        if f"<strong>{code}</strong>" not in (built.site / page).read_text(encoding="utf-8")
    )
    assert (sorted(entry.expected), []) == (sorted(listed), unshown)


_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "srcset", "poster", "data", "background", "cite", "ping", "xlink:href"}
)
_EXTERNAL = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
"""A URL that leaves the site: any scheme (http:, javascript:, data:, mailto: ...), protocol-relative, UNC."""
_OWN_SCRIPT = re.compile(
    r"__md_scope=new URL\(|var palette=__md_get\(|var target=document\.getElementById\(location\.hash",
)
"""How each of Material for MkDocs' own inline scripts begins (the theme's, not from any document)."""


class _Live(HTMLParser):
    """What in a page could run or fetch: scripts not the theme's, event handlers, URLs leaving the site."""

    def __init__(self, page: Path, site: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.site = page, site
        self.found: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            text = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in _URL_ATTRIBUTES and _EXTERNAL.match(text):
                self.found.append(f"<{tag} {name}={text[:60]}>")
            if name == "style" and "url(" in text.lower():
                self.found.append(f"<{tag} style={text[:60]}>")
        if tag in ("iframe", "frame", "object", "embed", "base", "applet") or (
            # The site's own Content-Security-Policy is the one http-equiv a page may carry.
            tag == "meta"
            and "http-equiv" in values
            and (values["http-equiv"] or "").lower() != "content-security-policy"
        ):
            self.found.append(f"<{tag}>")
        if tag == "form" and "md-search__form" not in (values.get("class") or ""):
            self.found.append("<form> not the search box")
        if tag == "script":
            self._script = values
            source = values.get("src")
            where = (
                self.site / source.lstrip("/")
                if source and source.startswith("/")
                else self.page.parent / (source or "")
            )
            if source is not None and (
                _EXTERNAL.match(source) or not where.resolve().is_relative_to(self.site.resolve())
            ):
                self.found.append(f"<script src={source}>")
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._script = None if tag == "script" else self._script
        self._style = False if tag == "style" else self._style

    def handle_data(self, data: str) -> None:
        script = self._script
        if script is not None and data.strip():
            json_config = script.get("type") == "application/json" and script.get("id") == "__config"
            if not json_config and not _OWN_SCRIPT.match(data.strip()):
                self.found.append(f"<script>{data.strip()[:60]}")
        if self._style and ("url(" in data.lower() or "@import" in data.lower()):
            self.found.append(f"<style>{data.strip()[:60]}")


def test_no_payload_reaches_a_page_live(built: Built) -> None:
    """No page holds a script that is not the theme's, an event handler, a frame, a form other than the search
    box, or a URL that leaves the site, whatever the corpus put in its fields and narratives."""
    found: list[str] = []
    pages = sorted(built.site.rglob("*.html"))
    for page in pages:
        scan = _Live(page, built.site)
        scan.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(built.site)}: {item}" for item in scan.found]
    assert (True, []) == (len(pages) > 100, found)


def test_the_payloads_are_shown_as_text(built: Built) -> None:
    """The payload case's page shows its child's name with the markup as visible text, escaped, and template
    syntax as written: no value is ever rendered as a template."""
    page = (built.site / "cases/900002.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    expected = (True, True, True)
    assert expected == ("Orla &lt;script&gt;alert(" in page, "{{ 7*7 }}" in text, '{% include "x" %}' in text)


_LEADING_PATH = re.compile(r"^\S+?(?::[0-9]+)?: (?=P[0-9]{3} )", re.MULTILINE)


def test_build_output_quotes_no_planted_personal_value(built: Built) -> None:
    """The errors `panel build` prints (paths aside, which name only ids and the files planted to hold them) and
    the problems page's messages quote no child's name or date of birth."""
    printed = _LEADING_PATH.sub("", built.run.stderr + built.run.stdout)
    parser = _Rows()
    parser.feed((built.site / "problems.html").read_text(encoding="utf-8"))
    messages = " ".join(cells[-1] for cells, _ in parser.rows if len(cells) >= 6)
    planted = planted_values()
    assert ([], [], True) == (
        [v for v in planted if v in printed],
        [v for v in planted if v in messages],
        "P305" in printed,
    )
