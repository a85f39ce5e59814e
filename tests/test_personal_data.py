"""Personal data stays where it belongs: never quoted in a diagnostic, refused in paths, messages and branch names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory

from generator.cli import cli
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent
AS_OF = ["--as-of", "2026-11-25"]
NAME = "Zephyrine Quillfeather"
LONG_NAME = (NAME + " ") * 1200

BAD_CASE = f"""---
id: "100001"
children:
  - id: c1
    name: {LONG_NAME.strip()}
    date_of_birth: 14/03/2015
    ethnicity: 7
    legal_status: cin
    legal_status_since: 2025-01-10
  - id: c2
    name: Orlagh Thistlewood
    date_of_birth: 2015-02-30
    legal_status: cin
    legal_status_since: 2025-01-10
worker: p-pennyroyal-saul
team: brackenford-safeguarding
---
A case.
"""
COMMENTED_CASE = BAD_CASE.replace("100001", "100002").replace(LONG_NAME.strip(), NAME + " #twin")
SECRETS = ["Zephyrine", "Quillfeather", "14/03/2015", "2015-02-30", "Thistlewood", "twin"]


def check(repo: Path, *extra: str) -> tuple[int, str]:
    """Run `panel check` on `repo`; its exit code and everything it printed."""
    result = CliRunner().invoke(cli, ["check", "--repo", str(repo), *AS_OF, *extra])
    return result.exit_code, result.output


@pytest.fixture
def bad_repo(git_repo: GitFactory) -> Path:
    """A repository with a case whose name and dates of birth are malformed."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(repo, {"cases/100001/case.md": BAD_CASE, "cases/100002/case.md": COMMENTED_CASE})
    return repo


@pytest.mark.parametrize("output_format", ["text", "github", "json"])
def test_no_malformed_personal_value_is_printed(bad_repo: Path, output_format: str) -> None:
    """A day-first date of birth, an impossible one and a bad name are reported without their values."""
    code, output = check(bad_repo, "--format", output_format)
    assert 1 == code
    assert "date_of_birth" in output
    assert [] == [secret for secret in SECRETS if secret in output]
    if output_format == "json":
        codes = {item["name"] for item in json.loads(output)}
        assert {"invalid-date", "invalid-value", "inline-comment"} <= codes


def test_a_name_in_a_path_is_reported_without_the_name(git_repo: GitFactory) -> None:
    """`name-in-file-name` says whose name a path holds (the case), never the name itself."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    good = (
        BAD_CASE.replace(LONG_NAME.strip(), NAME)
        .replace("14/03/2015", "2015-03-14")
        .replace("2015-02-30", "2015-02-28")
    )
    good = good.replace("    ethnicity: 7\n", "")
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(repo, {"cases/100001/case.md": good, "cases/100001/quillfeather-notes.md": "---\n---\n"})
    _, output = check(repo, "--format", "json")
    found = [item for item in json.loads(output) if item["name"] == "name-in-file-name"]
    assert ["the path contains part of a child's name from case 100001"] == [item["message"] for item in found]
    assert "uillfeather" not in json.dumps([item["message"] + item["hint"] for item in found])
