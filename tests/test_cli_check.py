"""`panel check` as CI runs it: exit codes, output formats, and `--changed` against a real base branch."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import GitFactory

from generator.cli import cli
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "rules"
AS_OF = ["--as-of", "2026-11-25"]
CASE = (FIXTURES / "_base.txt").read_text(encoding="utf-8")
CASE_TEXT = CASE[CASE.index("---\nid:") : CASE.index("=== cases/100001/referrals")]
REFERRAL_TEXT = CASE[CASE.index("---\npanel: cmr") :]


def case(case_id: str) -> str:
    """A valid case file for `case_id`."""
    return CASE_TEXT.replace("100001", case_id)


def referral(case_id: str, *, complete: bool = True) -> str:
    """A CMR referral for 2026-12-01; incomplete ones lack the service manager's agreement."""
    text = REFERRAL_TEXT.replace("100001", case_id)
    if not complete:
        start = text.index("  - role: service-manager")
        text = text[:start] + text[text.index("scaling:") :]
    return text


def base_repo(git_repo: GitFactory) -> Path:
    """A repository whose main branch holds the panels, two cases and one incomplete referral."""
    repo = git_repo.init()
    copy_panels(PROJECT, repo)
    git_repo.run(repo, "add", "--all", "--", "panels")
    git_repo.commit(
        repo,
        {
            "cases/100001/case.md": case("100001"),
            "cases/100002/case.md": case("100002"),
            "cases/100002/referrals/2026-12-01-cmr.md": referral("100002", complete=False),
        },
        when="2026-10-01T09:00:00+01:00",
    )
    return repo


def check(repo: Path, *extra: str) -> tuple[int, str]:
    """Run `panel check` on `repo`; its exit code and standard output."""
    result = CliRunner().invoke(cli, ["check", "--repo", str(repo), *AS_OF, *extra])
    return result.exit_code, result.output


def test_errors_exit_1_and_are_listed_with_file_and_line(git_repo: GitFactory) -> None:
    """An incomplete referral makes the check exit 1 and names the file, line and rule."""
    repo = base_repo(git_repo)
    code, output = check(repo)
    assert 1 == code
    assert "cases/100002/referrals/2026-12-01-cmr.md:" in output
    assert "P403 [error]" in output


def test_clean_repository_exits_0(git_repo: GitFactory) -> None:
    """With every referral complete, the check exits 0 (warnings do not block)."""
    repo = base_repo(git_repo)
    git_repo.commit(
        repo, {"cases/100002/referrals/2026-12-01-cmr.md": referral("100002")}, when="2026-10-02T09:00:00+01:00"
    )
    assert 0 == check(repo)[0]
    assert 1 == check(repo, "--warnings-as-errors")[0]


def test_json_format_is_the_documented_contract(git_repo: GitFactory) -> None:
    """`--format json` is an array of objects with exactly the documented keys."""
    repo = base_repo(git_repo)
    code, output = check(repo, "--format", "json")
    items = json.loads(output)
    assert 1 == code
    assert {"code", "name", "severity", "path", "line", "message", "hint"} == set(items[0])
    assert any(item["name"] == "missing-authorisation" for item in items)


def test_github_format_annotates_the_line(git_repo: GitFactory) -> None:
    """`--format github` writes an error annotation on the offending file and line."""
    repo = base_repo(git_repo)
    _, output = check(repo, "--format", "github")
    assert "::error file=cases/100002/referrals/2026-12-01-cmr.md,line=" in output


def test_changed_checks_only_what_the_branch_touches(git_repo: GitFactory) -> None:
    """On a branch adding a complete referral, `--changed` ignores the old problem on main."""
    repo = base_repo(git_repo)
    git_repo.run(repo, "checkout", "-q", "-b", "referral")
    git_repo.commit(
        repo, {"cases/100001/referrals/2026-12-01-cmr.md": referral("100001")}, when="2026-10-05T09:00:00+01:00"
    )
    assert 1 == check(repo)[0]
    assert (0, "No problems found.\n") == check(repo, "--changed", "--base", "main")


def test_changed_reports_a_problem_the_branch_adds(git_repo: GitFactory) -> None:
    """An incomplete referral added on the branch is reported by `--changed`."""
    repo = base_repo(git_repo)
    git_repo.run(repo, "checkout", "-q", "-b", "referral")
    git_repo.commit(
        repo,
        {"cases/100001/referrals/2026-12-01-cmr.md": referral("100001", complete=False)},
        when="2026-10-05T09:00:00+01:00",
    )
    code, output = check(repo, "--changed", "--base", "main", "--format", "json")
    assert 1 == code
    assert {"cases/100001/referrals/2026-12-01-cmr.md"} == {item["path"] for item in json.loads(output)}


def test_branch_referral_arrives_when_checked_not_when_committed(git_repo: GitFactory) -> None:
    """A pull request's new referral is judged against the time of the check, not its (chosen) commit date."""
    repo = base_repo(git_repo)
    git_repo.run(repo, "checkout", "-q", "-b", "late")
    git_repo.commit(
        repo, {"cases/100001/referrals/2026-12-01-cmr.md": referral("100001")}, when="2026-10-05T09:00:00+01:00"
    )
    assert (0, "No problems found.\n") == check(repo, "--changed", "--base", "main")
    code, output = check(repo, "--changed", "--base", "main", "--as-of", "2026-11-30")
    assert 1 == code
    assert "cases/100001/referrals/2026-12-01-cmr.md:3: P501 [error]" in output


def test_usage_errors_exit_2(git_repo: GitFactory) -> None:
    """`--changed` without `--base`, or an unknown base ref, is a usage error."""
    repo = base_repo(git_repo)
    assert 2 == check(repo, "--changed")[0]
    assert 2 == check(repo, "--changed", "--base", "no-such-branch")[0]


def test_bad_files_exit_1_without_traceback_and_stay_untouched(git_repo: GitFactory) -> None:
    """A repository full of broken files gives diagnostics with lines, exit 1, no traceback, and no file changed."""
    repo = base_repo(git_repo)
    bad = {
        "cases/100001/referrals/2026-12-01-cmr.md": b"---\npanel: cmr\npanel: cdm\n---\n",
        "cases/100003/case.md": b"\xef\xbb\xbf---\nid: '100003'\n---\n",
        "cases/100004/case.md": b"---\r\nid: '100004'\r\n---\r\n",
        "cases/100005/case.md": b"---\nid: &a '100005'\nalso: *a\n---\n",
        "cases/100006/case.md": b"---\nid: '100006'\nborn: 31/12/2019\nx: caf\xe9\n---\n",
        "cases/100007/case.md": b"- just\n- a list\n",
    }
    for path, content in bad.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    code, output = check(repo, "--format", "json")
    assert 1 == code
    assert "Traceback" not in output
    reported = {item["path"]: (item["name"], item["line"]) for item in json.loads(output) if item["path"] in bad}
    expected = {
        "cases/100001/referrals/2026-12-01-cmr.md": ("duplicate-key", 3),
        "cases/100003/case.md": ("byte-order-mark", 1),
        "cases/100004/case.md": ("crlf-line-endings", 1),
        "cases/100005/case.md": ("yaml-alias", 2),
        "cases/100006/case.md": ("invalid-encoding", 4),
        "cases/100007/case.md": ("missing-front-matter", 1),
    }
    assert expected == reported
    assert bad == {path: (repo / path).read_bytes() for path in bad}
