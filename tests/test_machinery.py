"""Pull requests may not change the machinery, nor who may do what in the roster, unless a maintainer made them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_AUTHOR, GitFactory, Person
from test_cli_check import case, referral

from generator.cli import cli
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent
ROSTER = "panels/roster.yml"
BASE_TIME = "2026-10-01T09:00:00+01:00"
BRANCH_TIME = "2026-11-20T09:00:00+00:00"
MAINTAINER: Person = ("Yola Rendlesham", "yola.rendlesham@example.invalid")
CHAIR: Person = ("June Orrelby", "june.orrelby@example.invalid")
OUTSIDER = DEFAULT_AUTHOR
JUNE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIETM3gSNQ4THDBsvkMLPqAWITffV7P3PMizvZgHJlVGb"
JUNE = (
    "  - id: p-orrelby-june\n    name: June Orrelby\n    roles: [head-of-service]\n"
    "    team: mash-assessment\n    email: june.orrelby@example.invalid\n    signing_keys:\n"
    "      # Example only: the private half is published in demo/keys/p-orrelby-june.\n"
    f"      - key: {JUNE_KEY}\n        valid_after: 2026-08-01\n"
)
MACHINERY = [
    "mkdocs.yml",
    ".pre-commit-hooks.yaml",
    ".pre-commit-config.yaml",
    "hooks/pre-receive",
    ".githooks/pre-commit",
    "generator/templates/site/page.md.j2",
    "generator/check.py",
    ".github/workflows/panel.yml",
    ".gitlab-ci.yml",
    ".ci/run",
    "scripts/deploy.sh",
    "Makefile",
    "pyproject.toml",
    "tests/conftest.py",
    "conftest.py",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
    "docs/hooks.py",
]


def main_repo(git_repo: GitFactory) -> Path:
    """Main holds the project's panels and roster, a clean case and referral, and a file in each machinery place."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    git_repo.run(repo, "add", "--all", "--", "panels")
    files = {
        "cases/100001/case.md": case("100001"),
        "cases/100001/referrals/2026-12-01-cmr.md": referral("100001"),
        "docs/guide.md": "# Guide\n",
        **dict.fromkeys(MACHINERY, "# version 1\n"),
    }
    git_repo.commit(repo, files, when=BASE_TIME, author=MAINTAINER)
    git_repo.run(repo, "checkout", "-q", "-b", "change")
    return repo


def pull_request(repo: Path, fmt: str = "json") -> tuple[int, str]:
    """`panel check --changed --base main`: exit code and output."""
    args = ["check", "--repo", str(repo), "--as-of", "2026-11-25", "--changed", "--base", "main", "--format", fmt]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout


def refused(repo: Path) -> tuple[int, set[tuple[str, int, str]]]:
    """The pull request check: exit code and (path, line, name) of each error or machinery refusal."""
    code, output = pull_request(repo)
    items = json.loads(output) if output.strip() else []
    ours = {"unauthorised-machinery-change", "unauthorised-roster-change"}
    return code, {(x["path"], x["line"], x["name"]) for x in items if x["severity"] == "error" or x["name"] in ours}


@pytest.mark.parametrize("path", MACHINERY)
def test_machinery_change_by_someone_else_is_refused(git_repo: GitFactory, path: str) -> None:
    """Each kind of machinery, changed by someone who is not a maintainer, is refused on that file."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {path: "# version 2\n"}, when=BRANCH_TIME, author=CHAIR)
    assert (1, {(path, 0, "unauthorised-machinery-change")}) == refused(repo)


@pytest.mark.parametrize("path", MACHINERY)
def test_machinery_change_by_a_maintainer_is_allowed(git_repo: GitFactory, path: str) -> None:
    """The same change made (authored and committed) by a maintainer passes."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {path: "# version 2\n"}, when=BRANCH_TIME, author=MAINTAINER)
    assert (0, set()) == refused(repo)


def test_refusal_names_the_file_and_the_author(git_repo: GitFactory) -> None:
    """The message says which file and who changed it; adding and deleting machinery count too."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {"scripts/new.sh": "echo\n", "Makefile": None}, when=BRANCH_TIME, author=CHAIR)
    code, output = pull_request(repo, "text")
    assert 1 == code
    assert "Makefile: P708 [error] changes to the build need a maintainer, and p-orrelby-june (june.orrelby" in output
    assert "scripts/new.sh: P708 [error] changes to a script need a maintainer, and p-orrelby-june" in output


def test_a_maintainer_authored_commit_committed_by_someone_else_is_refused(git_repo: GitFactory) -> None:
    """The author is only a name in the commit: the committer must be a maintainer too."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {"generator/check.py": "# 2\n"}, when=BRANCH_TIME, author=MAINTAINER, committer=OUTSIDER)
    code, output = pull_request(repo, "text")
    assert 1 == code
    assert "and test.author@example.invalid (not in the roster) is not one in the roster at the base" in output


def test_documents_and_docs_need_no_maintainer(git_repo: GitFactory) -> None:
    """Documentation and the top-level Markdown files are not machinery."""
    repo = main_repo(git_repo)
    files = {"docs/guide.md": "# Guide, revised\n", "README.md": "# Panels\n", "CHANGELOG.md": "# Changes\n"}
    git_repo.commit(repo, files, when=BRANCH_TIME, author=OUTSIDER)
    assert (0, set()) == refused(repo)


def test_main_merged_into_the_branch_is_not_the_branch_changing_machinery(git_repo: GitFactory) -> None:
    """Machinery a maintainer changed on main and merged into a branch is not put down to the branch's author."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {"docs/guide.md": "# Guide, revised\n"}, when=BRANCH_TIME, author=OUTSIDER)
    git_repo.run(repo, "checkout", "-q", "main")
    git_repo.commit(repo, {"generator/check.py": "# 2\n"}, when=BRANCH_TIME, author=MAINTAINER)
    git_repo.run(repo, "checkout", "-q", "change")
    git_repo.run(repo, "merge", "-q", "--no-edit", "main", when=BRANCH_TIME, author=OUTSIDER)
    assert (0, set()) == refused(repo)


@pytest.mark.parametrize(("email", "expected"), [(MAINTAINER[1], 0), (CHAIR[1], 1)])
def test_an_uncommitted_change_is_judged_by_who_would_commit_it(
    git_repo: GitFactory, email: str, expected: int
) -> None:
    """Before a commit (the pre-commit hook), the change belongs to the identity git would commit it as."""
    repo = main_repo(git_repo)
    git_repo.run(repo, "config", "user.name", "Someone")
    git_repo.run(repo, "config", "user.email", email)
    (repo / "generator/check.py").write_text("# uncommitted\n", encoding="utf-8")
    assert expected == refused(repo)[0]


def roster_with(old: str, new: str) -> str:
    """The project's roster with one passage replaced."""
    text = (PROJECT / ROSTER).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line where `fragment` starts in `text`."""
    return text[: text.index(fragment)].count("\n") + 1


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdCBhIHJlYWwga2V5OiBvbmx5IGZvciB0ZXN0cyEh"
ESCALATIONS = {
    "role": ("roles: [head-of-service]", "roles: [head-of-service, maintainer]"),
    "key": (
        f"      - key: {JUNE_KEY}\n        valid_after: 2026-08-01\n",
        f"      - key: {JUNE_KEY}\n        valid_after: 2026-08-01\n      - key: {KEY}\n",
    ),
    "email": ("email: june.orrelby@example.invalid", "email: someone.else@example.invalid"),
    "delegate": ("team: mash-assessment\n", "team: mash-assessment\n    delegate_for: [cdm]\n"),
    "added": (
        JUNE,
        JUNE
        + JUNE.replace("p-orrelby-june", "p-orrelby-jay")
        .replace("june.orrelby", "jay.orrelby")
        .replace(JUNE_KEY, KEY)
        .replace("      # Example only: the private half is published in demo/keys/p-orrelby-june.\n", ""),
    ),
}


@pytest.mark.parametrize("kind", ESCALATIONS)
def test_roster_escalation_by_someone_else_is_refused(git_repo: GitFactory, kind: str) -> None:
    """Adding or changing roles, keys, emails, delegations or people is refused at the line, unless a maintainer."""
    old, new = ESCALATIONS[kind]
    roster = roster_with(old, new)
    repo = main_repo(git_repo)
    git_repo.commit(repo, {ROSTER: roster}, when=BRANCH_TIME, author=CHAIR)
    code, found = refused(repo)
    if kind == "added":
        line = line_of(roster, "- id: p-orrelby-jay")
    elif kind == "key":
        line = line_of(roster, JUNE) + JUNE.count("\n", 0, JUNE.index("signing_keys"))
    else:
        line = line_of(roster, new.strip().split("\n")[-1])
    assert (1, {(ROSTER, line, "unauthorised-roster-change")}) == (code, found)


def test_removing_a_person_is_refused_unless_a_maintainer(git_repo: GitFactory) -> None:
    """Taking someone off the roster removes their keys: a maintainer's change."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {ROSTER: roster_with(JUNE, "")}, when=BRANCH_TIME, author=OUTSIDER)
    code, found = refused(repo)
    assert 1 == code
    assert (ROSTER, 0, "unauthorised-roster-change") in found


def test_a_maintainer_may_change_roles(git_repo: GitFactory) -> None:
    """A maintainer's role change passes."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {ROSTER: roster_with(*ESCALATIONS["role"])}, when=BRANCH_TIME, author=MAINTAINER)
    assert (0, set()) == refused(repo)


def test_anyone_may_change_names_and_teams(git_repo: GitFactory) -> None:
    """A name or a team is not authority: anyone may correct it."""
    repo = main_repo(git_repo)
    roster = roster_with(
        "name: June Orrelby\n    roles: [head-of-service]\n    team: mash-assessment",
        "name: June Orrelby-Hart\n    roles: [head-of-service]\n    team: corriston-assessment",
    )
    git_repo.commit(repo, {ROSTER: roster}, when=BRANCH_TIME, author=CHAIR)
    assert (0, set()) == refused(repo)


def test_a_pull_request_cannot_make_its_own_author_a_maintainer(git_repo: GitFactory) -> None:
    """The roster at the base decides: promoting oneself and changing the generator in one pull request fails twice."""
    repo = main_repo(git_repo)
    roster = roster_with(*ESCALATIONS["role"])
    git_repo.commit(repo, {ROSTER: roster, "generator/check.py": "# 2\n"}, when=BRANCH_TIME, author=CHAIR)
    expected = {
        (ROSTER, line_of(roster, "roles: [head-of-service, maintainer]"), "unauthorised-roster-change"),
        ("generator/check.py", 0, "unauthorised-machinery-change"),
    }
    assert (1, expected) == refused(repo)


def _edited(repo: Path, path: str, old: str, new: str) -> str:
    """The file at `path` in `repo` with `old` replaced by `new` (which must be there)."""
    text = (repo / path).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_a_panels_terms_changed_by_someone_else_are_refused(git_repo: GitFactory) -> None:
    """Who may chair is authority: a pull request that widens a panel's chair, by a non-maintainer, is refused."""
    repo = main_repo(git_repo)
    roles = "  roles: [head-of-service, service-manager]\n"
    terms = _edited(repo, "panels/cmr.md", roles, roles.replace("]", ", team-manager]"))
    git_repo.commit(repo, {"panels/cmr.md": terms}, when=BRANCH_TIME, author=CHAIR)
    code, found = refused(repo)
    assert 1 == code
    assert ("panels/cmr.md", 0, "unauthorised-machinery-change") in found


def test_a_maintainer_may_change_a_panels_terms(git_repo: GitFactory) -> None:
    """The same change of the terms of reference, made by a maintainer, passes the machinery rule."""
    repo = main_repo(git_repo)
    terms = _edited(repo, "panels/cmr.md", "\n# ", "\n# Revised. ")
    git_repo.commit(repo, {"panels/cmr.md": terms}, when=BRANCH_TIME, author=MAINTAINER)
    assert (0, set()) == refused(repo)


def test_moving_the_audit_start_needs_a_maintainer(git_repo: GitFactory) -> None:
    """The authority's settings decide from which commit arrivals are judged: a non-maintainer cannot move it."""
    repo = main_repo(git_repo)
    settings = (repo / "panels/authority.yml").read_text(encoding="utf-8") + "# moved\n"
    git_repo.commit(repo, {"panels/authority.yml": settings}, when=BRANCH_TIME, author=CHAIR)
    code, found = refused(repo)
    assert 1 == code
    assert ("panels/authority.yml", 0, "unauthorised-machinery-change") in found


def test_a_pull_request_moving_the_audit_start_past_an_unsigned_edit_is_refused(git_repo: GitFactory) -> None:
    """The chair's branch edits a case unsigned, then sets audit_start to that commit, so that verification
    would start after it: the authority's settings are machinery, refused unless a maintainer changes them."""
    repo = main_repo(git_repo)
    case_file = (repo / "cases/100001/case.md").read_text(encoding="utf-8")
    edit = git_repo.commit(repo, {"cases/100001/case.md": case_file + "\nEdited.\n"}, when=BRANCH_TIME, author=CHAIR)
    settings = (repo / "panels/authority.yml").read_text(encoding="utf-8")
    moved = re.sub(r"\naudit_start: \S+", "", settings) + f"audit_start: {edit}\n"
    git_repo.commit(repo, {"panels/authority.yml": moved}, when=BRANCH_TIME, author=CHAIR)
    code, found = refused(repo)
    assert 1 == code
    assert ("panels/authority.yml", 0, "unauthorised-machinery-change") in found
