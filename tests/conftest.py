"""Shared fixtures: small worlds of files, and real git repositories with a fixed author and dates.

`git_repo` is a factory:

    repo = git_repo.make_repo({"cases/123456/case.md": "..."})          # one commit, fixed date
    sha = git_repo.commit(repo, {"a.md": "x", "b.md": None}, when="2024-05-01T09:00:00+01:00")

A value of None deletes the file. Every git command runs with HOME pointed at a temporary
folder, no system or global configuration, signing off, and the author, committer and dates
given, so commit ids are the same on every machine.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

Files = Mapping[str, str | bytes | None]
Person = tuple[str, str]

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


def isolated_git_env(home: Path) -> dict[str, str]:
    """An environment in which git reads no configuration but the repository's own."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "LC_ALL": "C",
    }


@dataclass
class GitFactory:
    """Makes real git repositories under a temporary folder."""

    base: Path
    home: Path

    def run(self, repo: Path, *args: str, when: str = DEFAULT_WHEN, author: Person = DEFAULT_AUTHOR) -> str:
        """Run git in `repo` with the fixed identity and date; its standard output."""
        env = isolated_git_env(self.home) | {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout

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
    ) -> str:
        """Write `files` (None deletes), commit them as `author` at `when`; the commit id."""
        write_files(repo, files)
        if files:
            self.run(repo, "add", "--all", "--", *files)
        text = message or f"Change {', '.join(sorted(files)) or 'nothing'}"
        self.run(repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", text, when=when, author=author)
        return self.run(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitFactory:
    """A factory of real git repositories; the code under test also runs without global git configuration."""
    home = tmp_path / "home"
    home.mkdir()
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in isolated_git_env(home).items():
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
    from generator.demo import build_demo_repo
    from generator.repository import load_repository
    from generator.site import build_site

    root = tmp_path_factory.mktemp("demo")
    repo = build_demo_repo(PROJECT_ROOT, root / "repo")
    loaded, _ = load_repository(repo)
    assert loaded.authority is not None and loaded.authority.demo_date is not None
    as_of = loaded.authority.demo_date
    result = build_site(repo, root / "site", as_of=as_of, work_dir=root / "docs")
    return DemoSite(repo, result.out_dir, result.work_dir, as_of)
