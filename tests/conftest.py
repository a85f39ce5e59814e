"""Shared fixtures: small worlds of files, and real git repositories with a fixed author and dates.

`git_repo` is a factory:

    repo = git_repo.make_repo({"cases/123456/case.md": "..."})          # one commit, fixed date
    sha = git_repo.commit(repo, {"a.md": "x", "b.md": None}, when="2024-05-01T09:00:00+01:00")

A value of None deletes the file. `git_repo.key("alice")` makes a real ed25519 key pair with
`ssh-keygen`; `commit(..., sign_with=key)` signs the commit with it (SSH signing), and
`committer=` gives a committer other than the author.

Every git command runs through the package's own runner (`generator.git.runner`), with HOME
pointed at a temporary folder, no system or global configuration, signing off, and the author,
committer and dates given, so commit ids are the same on every machine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from generator.git import runner
from generator.git.runner import Person, isolated_environment

Files = Mapping[str, str | bytes | None]

DEFAULT_AUTHOR: Person = ("Test Author", "test.author@example.invalid")
DEFAULT_WHEN = "2024-01-08T09:00:00+00:00"


def write_files(root: Path, files: Files) -> None:
    """Write (or, for None, delete) each file under `root`, creating folders as needed."""
    for relative, content in files.items():
        path = root / relative
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@dataclass
class GitFactory:
    """Makes real git repositories under a temporary folder."""

    base: Path
    home: Path

    def run(
        self,
        repo: Path,
        *args: str,
        when: str = DEFAULT_WHEN,
        author: Person = DEFAULT_AUTHOR,
        committer: Person | None = None,
    ) -> str:
        """Run git in `repo` with the fixed identity and date; its standard output."""
        env = isolated_environment(self.home) | runner.identity(author, when, committer)
        result = runner.run(repo, list(args), env=env)
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {runner.decode(result.stderr)}")
        return runner.decode(result.stdout)

    def init(self, name: str = "repo") -> Path:
        """An empty repository (no commits) on branch main."""
        repo = self.base / name
        repo.mkdir(parents=True)
        self.run(repo, "init", "-q", "--initial-branch=main")
        self.run(repo, "config", "commit.gpgsign", "false")
        self.run(repo, "config", "tag.gpgsign", "false")
        return repo

    def make_repo(
        self,
        files: Files | None = None,
        *,
        when: str = DEFAULT_WHEN,
        author: Person = DEFAULT_AUTHOR,
        name: str = "repo",
    ) -> Path:
        """A repository holding `files` in one commit (no commit at all if `files` is empty)."""
        repo = self.init(name)
        if files:
            self.commit(repo, files, when=when, author=author)
        return repo

    def commit(
        self,
        repo: Path,
        files: Files,
        when: str = DEFAULT_WHEN,
        author: Person = DEFAULT_AUTHOR,
        message: str | None = None,
        *,
        sign_with: SshKey | None = None,
        committer: Person | None = None,
    ) -> str:
        """Write `files` (None deletes), commit them as `author` at `when`; the commit id.

        With `sign_with`, the commit is SSH-signed with that key; `committer` defaults to `author`.
        """
        write_files(repo, files)
        if files:
            self.run(repo, "add", "--all", "--", *files)
        text = message or f"Change {', '.join(sorted(files)) or 'nothing'}"
        signing = signing_options(sign_with)
        self.run(
            repo,
            *signing,
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            *(["-S"] if sign_with else []),
            "-m",
            text,
            when=when,
            author=author,
            committer=committer,
        )
        return self.run(repo, "rev-parse", "HEAD").strip()

    def key(self, name: str) -> SshKey:
        """A new ed25519 key pair (no passphrase) made by ssh-keygen under the temporary folder."""
        folder = self.base.parent / "keys"
        folder.mkdir(parents=True, exist_ok=True)
        private = folder / name
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(private)],
            check=True,
            capture_output=True,
        )
        algorithm, body = private.with_suffix(".pub").read_text(encoding="ascii").split()[:2]
        return SshKey(private, f"{algorithm} {body}")


@dataclass(frozen=True)
class SshKey:
    """A real SSH key pair for signing tests."""

    private: Path
    """The private key file (no passphrase)."""
    public: str
    """The public key as the roster holds it: algorithm and base64 body, no comment."""


def signing_options(key: SshKey | None) -> list[str]:
    """git's `-c` options that sign with `key` in SSH format (none for None)."""
    if key is None:
        return []
    return ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"]


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitFactory:
    """A factory of real git repositories; the code under test also runs without global git configuration."""
    home = tmp_path / "home"
    home.mkdir()
    for key in runner.REPOSITORY_VARIABLES:
        monkeypatch.delenv(key, raising=False)
    for key, value in isolated_environment(home).items():
        if key != "PATH":
            monkeypatch.setenv(key, value)
    return GitFactory(tmp_path / "repos", home)


@pytest.fixture
def make_files(tmp_path: Path) -> Callable[[Files], Path]:
    """Write a dict of files into a fresh folder under tmp_path and return the folder."""
    counter = iter(range(1_000_000))

    def make(files: Files) -> Path:
        root = tmp_path / f"files-{next(counter)}"
        root.mkdir()
        write_files(root, files)
        return root

    return make


@dataclass(frozen=True)
class DemoSite:
    """The example replayed into its demo repository and built into a site, once per test session."""

    repo: Path
    """The replayed demo repository."""
    site: Path
    """The built site (HTML)."""
    docs: Path
    """The Markdown pages MkDocs read."""
    as_of: date
    """The date the site was built as of (the authority's demo date)."""


PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    """The demo site, built as `make site` builds it: read-only, shared by every test that uses it."""
    from generator.loading.repository import load_repository
    from generator.site.build import build_site
    from generator.tools.demo import build_demo_repo

    root = tmp_path_factory.mktemp("demo")
    repo = build_demo_repo(PROJECT_ROOT, root / "repo")
    loaded, _ = load_repository(repo)
    assert loaded.authority is not None and loaded.authority.demo_date is not None
    as_of = loaded.authority.demo_date
    result = build_site(repo, root / "site", as_of=as_of, work_dir=root / "docs")
    return DemoSite(repo, result.out_dir, result.work_dir, as_of)


@dataclass(frozen=True)
class Keyed:
    """A roster person with a real signing key."""

    id: str
    """Roster id."""
    who: Person
    """(name, email): the git identity they commit as."""
    key: SshKey
    """Their signing key."""


@dataclass
class SignedWorld:
    """A repository whose roster holds real keys: a CDM chair, a CDM delegate and a social worker.

    `commit(person, files)` commits as that person, signed with their key. The CDM panel lets a
    named delegate chair; the LPM panel does not (both copied from the project's panels/).
    """

    git: GitFactory
    repo: Path
    chair: Keyed
    delegate: Keyed
    worker: Keyed

    def commit(self, person: Keyed, files: Files, when: str = DEFAULT_WHEN, committer: Person | None = None) -> str:
        """Commit `files` as `person` (or with another committer), signed with `person`'s key."""
        return self.git.commit(self.repo, files, when, person.who, sign_with=person.key, committer=committer)


def roster_yaml(people: list[tuple[Keyed, str, str]], extra: str = "") -> str:
    """`panels/roster.yml` for (person, role, key dates as YAML flow items) entries, plus `extra` raw YAML."""
    lines = ["people:"]
    for person, role, dates in people:
        key = f"{{key: {person.key.public}{', ' + dates if dates else ''}}}"
        delegate = "\n    delegate_for: [cdm, lpm]" if role == "service-manager" else ""
        lines.append(
            f"  - id: {person.id}\n    name: {person.who[0]}\n    roles: [{role}]\n"
            f"    email: {person.who[1]}\n    signing_keys: [{key}]{delegate}"
        )
    return "\n".join(lines) + "\n" + extra


WORLD_ROLES = {"p-chair": "head-of-service", "p-delegate": "service-manager", "p-worker": "social-worker"}


@pytest.fixture
def signed_world(git_repo: GitFactory) -> SignedWorld:
    """A repository with the roster and two panels in a first commit, signed by the chair."""
    people = [
        Keyed(pid, (pid.removeprefix("p-").title(), f"{pid.removeprefix('p-')}@example.invalid"), git_repo.key(pid))
        for pid in WORLD_ROLES
    ]
    chair, delegate, worker = people
    repo = git_repo.init()
    world = SignedWorld(git_repo, repo, chair, delegate, worker)
    roster = roster_yaml([(p, WORLD_ROLES[p.id], "") for p in people])
    panels = {f"panels/{name}.md": (PROJECT_ROOT / f"panels/{name}.md").read_text("utf-8") for name in ("cdm", "lpm")}
    world.commit(chair, {"panels/roster.yml": roster, **panels}, when="2024-01-02T09:00:00+00:00")
    return world
