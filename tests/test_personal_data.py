"""Personal data stays where it belongs: never quoted in a diagnostic, refused in paths, messages and branch names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory

from generator.checks.personal_data import finder
from generator.cli import cli
from generator.loading.repository import load_repository
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


GOOD_CASE = """---
id: "100001"
children:
  - id: c1
    name: Zephyrine Amelia Quillfeather
    date_of_birth: 2015-03-14
    legal_status: cin
    legal_status_since: 2025-01-10
  - id: c2
    name: Unborn Quillfeather
    due_date: 2026-12-01
    legal_status: unborn
    legal_status_since: 2026-06-01
worker: p-pennyroyal-saul
team: brackenford-safeguarding
---
A case.
"""


def good_repo(git_repo: GitFactory) -> Path:
    """`main` holds the panels and one case with a born and an unborn child."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(repo, {"cases/100001/case.md": GOOD_CASE}, when="2026-10-01T09:00:00+01:00")
    return repo


def named(output: str, name: str) -> list[dict[str, object]]:
    """The JSON diagnostics of one rule."""
    return [item for item in json.loads(output) if item["name"] == name]


def test_a_date_of_birth_in_a_path_is_refused(git_repo: GitFactory) -> None:
    """`date-of-birth-in-path` in any written form, on file and folder names; a meeting date in its place is not."""
    repo = good_repo(git_repo)
    files = {
        "cases/100001/14-march-2015.md": "x\n",
        "cases/100001/20150314/notes.md": "x\n",
        "cases/100001/referrals/14.03.2015-cmr.md": "x\n",
        "decisions/cmr/2026-12-01/meeting.md": "x\n",
    }
    git_repo.commit(repo, files)
    _, output = check(repo, "--format", "json")
    found = named(output, "date-of-birth-in-path")
    assert sorted(p for p in files if not p.startswith("decisions")) == sorted(str(x["path"]) for x in found)
    assert {"the path contains a child's date of birth from case 100001"} == {x["message"] for x in found}


@pytest.mark.parametrize(
    "text",
    [
        "2015-03-14",
        "20150314",
        "14/03/2015",
        "14-03-2015",
        "14.03.2015",
        "14/3/2015",
        "14032015",
        "14 March 2015",
        "14 Mar 2015",
        "14th march 2015",
        "March 14, 2015",
        "14-mar-2015",
    ],
)
def test_dates_of_birth_are_found_in_every_form(git_repo: GitFactory, text: str) -> None:
    """A date of birth counts however it is written, but not inside a longer number."""
    people = finder(load_repository(good_repo(git_repo))[0])
    assert ["a child's date of birth from case 100001"] == people.find(f"about {text}, see")
    assert [] == people.find(f"about 1{text}1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for Zephyrine Amelia Quillfeather", ["a child's name from case 100001"]),
        ("for zephyrine QUILLFEATHER", ["a child's name from case 100001"]),
        ("for zephyrine-quillfeather", ["a child's name from case 100001"]),
        ("for Zephyrine", []),
        ("for Quillfeather", []),
        ("for Zephyrine Quillfeathers", []),
        ("June Orrelby chaired", ["a staff member's name from the roster"]),
    ],
)
def test_names_are_found_as_whole_full_or_first_and_last(git_repo: GitFactory, text: str, expected: list[str]) -> None:
    """Full names and first-and-last names match as whole words in any case; one word of a name does not."""
    assert expected == finder(load_repository(good_repo(git_repo))[0]).find(text)


def test_commit_messages_and_branch_names_are_refused(git_repo: GitFactory) -> None:
    """`personal-data-in-commit-message` per commit and `personal-data-in-branch-name`, each without the data."""
    repo = good_repo(git_repo)
    git_repo.run(repo, "checkout", "-q", "-b", "plan-for-zephyrine-quillfeather")
    named_commit = git_repo.commit(repo, {"a.txt": "1"}, message="Referral for Zephyrine Quillfeather, born 14/03/2015")
    git_repo.commit(
        repo, {"b.txt": "1"}, message="Referral for 100001\n\nSigned-off-by: June Orrelby <j@example.invalid>"
    )
    staff_commit = git_repo.commit(repo, {"c.txt": "1"}, message="Ask June Orrelby about Zephyrine's plan")
    code, output = check(repo, "--changed", "--base", "main", "--format", "json")
    messages = named(output, "personal-data-in-commit-message")
    expected = {
        (
            named_commit,
            "the commit message holds a child's date of birth from case 100001 and a child's name from case 100001",
        ),
        (staff_commit, "the commit message holds a staff member's name from the roster"),
    }
    assert (1, expected) == (code, {(x["commit"], x["message"]) for x in messages})
    branch = named(output, "personal-data-in-branch-name")
    assert ["the branch name holds a child's name from case 100001"] == [x["message"] for x in branch]
    for output_format in ("text", "github"):
        _, printed = check(repo, "--changed", "--base", "main", "--format", output_format)
        assert [] == [s for s in ("quillfeather", "14/03/2015", "orrelby") if s in printed.casefold()]


def test_a_detached_head_is_checked_under_the_branch_name_given(git_repo: GitFactory) -> None:
    """In CI's detached checkout, `--branch NAME` names the branch to search."""
    repo = good_repo(git_repo)
    git_repo.run(repo, "checkout", "-q", "-b", "change")
    git_repo.commit(repo, {"a.txt": "1"}, message="Referral for 100001")
    git_repo.run(repo, "checkout", "-q", "--detach")
    _, plain = check(repo, "--changed", "--base", "main", "--format", "json")
    _, given = check(repo, "--changed", "--base", "main", "--branch", "14-mar-2015", "--format", "json")
    assert ([], 1) == (named(plain, "personal-data-in-branch-name"), len(named(given, "personal-data-in-branch-name")))
