"""Retention rules: validated at their lines, counted per case, listed by `panel retention` with what to do."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.checks.retention import check_retention
from generator.cli import cli
from generator.loading.repository import load_repository
from generator.models.retention import Retention
from generator.schedule.retention import Standing, add_months, anniversary, case_retention, kinds_of

PROJECT = Path(__file__).resolve().parent.parent

AUTHORITY = """\
name: Testshire (fictional)
case_id_pattern: "[0-9]{6}"
retention:
  confirmed_by: Information governance lead, 2026-01-05 (test)
  review_window_months: 12
  rules:
    - kind: looked-after
      years: 75
      count_from: birth
      action: review
    - kind: adoption
      years: 100
      count_from: closure
      action: review
    - kind: child-protection
      years: 35
      count_from: closure
      action: review
    - kind: child-in-need
      years: 25
      count_from: birth
      action: destroy
    - kind: assessment-only
      years: 6
      count_from: closure
      action: destroy
  holds:
    - case: "100005"
      reason: A claim is pending (test)
"""


def case(case_id: str, children: str, events: str = "") -> str:
    """A case file with these children (YAML list items) and events."""
    return (
        f'---\nid: "{case_id}"\nchildren:\n{children}worker: p-worker\nteam: north\n'
        + (f"events:\n{events}" if events else "")
        + "---\n"
    )


def child(name: str, born: str, status: str, since: str = "2000-01-01", *, unborn: bool = False) -> str:
    """One child as a YAML list item."""
    when = f"due_date: {born}" if unborn else f"date_of_birth: {born}"
    return f"  - id: c1\n    name: {name}\n    {when}\n    legal_status: {status}\n    legal_status_since: {since}\n"


def event(day: str, kind: str, extra: str = "") -> str:
    """One key event as a YAML list item."""
    return f"  - date: {day}\n    kind: {kind}\n{extra}"


CASES = {
    # closed assessment-only case: 6 years from closure 2019-05-01, due 2025-05-01
    "100001": case("100001", child("Orla Testcase", "2010-02-02", "closed"), event("2019-05-01", "closed")),
    # child in need: 25 years from birth (1996-03-10), due 2021-03-10, destroy
    "100002": case(
        "100002",
        child("Piran Testcase", "1996-03-10", "closed"),
        event("2005-01-01", "cin-plan-started") + event("2008-01-01", "closed"),
    ),
    # looked after and child in need: 75 years from birth governs (1952-07-01 -> 2027-07-01, within the window)
    "100003": case(
        "100003",
        child("Quenby Testcase", "1952-07-01", "closed"),
        event("1960-01-01", "cin-plan-started")
        + event("1961-01-01", "entered-care", "    basis: s20-planned\n")
        + event("1970-01-01", "closed"),
    ),
    # child protection, closed 2010: 35 years -> 2045, kept
    "100004": case(
        "100004",
        child("Rowan Testcase", "2004-01-01", "closed"),
        event("2009-01-01", "cp-plan-started") + event("2010-06-01", "closed"),
    ),
    # due (assessment only, closed 2018) but held
    "100005": case("100005", child("Sorrel Testcase", "2012-01-01", "closed"), event("2018-01-01", "closed")),
    # open: never counted
    "100006": case("100006", child("Tamsin Testcase", "2015-01-01", "cp")),
    # closed, an unborn child only: child-in-need counted from the due date (warned)
    "100007": case(
        "100007",
        child("Baby Testcase", "1999-09-09", "unborn", unborn=True),
        event("1999-01-01", "cin-plan-started") + event("1999-06-01", "closed"),
    ),
}


def write(root: Path, authority: str = AUTHORITY, cases: dict[str, str] | None = None) -> Path:
    """A repository of settings and cases only (what `panel retention` reads)."""
    (root / "panels").mkdir(parents=True)
    (root / "panels" / "authority.yml").write_text(authority, encoding="utf-8")
    for case_id, text in (CASES if cases is None else cases).items():
        (root / "cases" / case_id).mkdir(parents=True)
        (root / "cases" / case_id / "case.md").write_text(text, encoding="utf-8")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


AS_OF = "2026-11-25"


def test_each_case_is_counted_under_its_latest_rule(tmp_path: Path) -> None:
    root = write(tmp_path / "repo")
    repo, problems = load_repository(root)
    assert [p for p in problems if p.code.startswith("P9")] == []
    assert repo.authority is not None and repo.authority.retention is not None
    settings = repo.authority.retention
    got = {
        case_id: case_retention(doc.model, settings, as_of=date(2026, 11, 25)) for case_id, doc in repo.cases.items()
    }
    assert (got["100001"].standing, got["100001"].due) == (Standing.DUE, date(2025, 5, 1))
    assert (got["100002"].standing, got["100002"].due, str(got["100002"].action)) == (
        Standing.DUE,
        date(2021, 3, 10),
        "destroy",
    )
    assert got["100003"].governing is not None and str(got["100003"].governing.kind) == "looked-after"
    assert (got["100003"].standing, got["100003"].due) == (Standing.UPCOMING, date(2027, 7, 1))
    assert (got["100004"].standing, got["100004"].due) == (Standing.KEPT, date(2045, 6, 1))
    assert got["100005"].standing is Standing.HELD
    assert got["100006"].standing is Standing.OPEN
    assert (got["100007"].standing, got["100007"].due) == (Standing.DUE, date(2024, 9, 9))


def test_panel_retention_lists_what_is_due_and_what_to_do_by_case_id_only(tmp_path: Path) -> None:
    root = write(tmp_path / "repo")
    code, out, err = run("retention", "--repo", str(root), "--as-of", AS_OF)
    assert code == 0, err
    assert "P907" in err  # the unborn child counted from its due date
    due = out.split("Due now")[1].split("\n\n")[0]
    assert "100001  due 2025-05-01  assessment-only: 6 years from the case's closure" in due
    assert "100002  due 2021-03-10  child-in-need" in due
    assert "destroy: run `panel erase 100002 --by YOU --rule child-in-need`" in due
    assert "100005" not in due
    assert "on hold until it is lifted" in out
    upcoming = out.split("Due within the review window")[1]
    assert "100003  due 2027-07-01  looked-after" in upcoming
    assert "review when due: the information governance lead decides" in upcoming
    assert "100004" not in out and "100006" not in out
    assert "Not yet due: 1 closed case(s) kept, 1 open case(s)" in out
    for name in ("Orla", "Piran", "Quenby", "Testcase", "1952-07-01"):
        assert name not in out + err


def test_panel_retention_json_and_a_wider_window(tmp_path: Path) -> None:
    root = write(tmp_path / "repo")
    code, out, _ = run("retention", "--repo", str(root), "--as-of", AS_OF, "--within", "0", "--format", "json")
    assert code == 0
    data = json.loads(out)
    standings = {entry["case"]: entry["standing"] for entry in data["cases"]}
    assert standings == {"100001": "due", "100002": "due", "100005": "held", "100007": "due"}
    assert data["window_end"] == AS_OF
    first = data["cases"][0]
    assert set(first) == {
        "case",
        "standing",
        "kinds",
        "rule",
        "counted_from",
        "due",
        "action",
        "hold_until",
        "key_destroyed",
        "what_to_do",
    }
    code, out, _ = run("retention", "--repo", str(root), "--as-of", AS_OF, "--within", "120", "--format", "json")
    assert {e["case"] for e in json.loads(out)["cases"]} == {"100001", "100002", "100003", "100005", "100007"}
    code, out, _ = run("retention", "--repo", str(root), "--as-of", AS_OF, "--all", "--format", "json")
    every = {e["case"]: e for e in json.loads(out)["cases"]}
    assert set(every) == set(CASES)
    assert (every["100004"]["standing"], every["100004"]["due"]) == ("kept", "2045-06-01")
    assert every["100006"]["standing"] == "open"


def test_the_bundled_example_has_rules_and_nothing_due(tmp_path: Path) -> None:
    code, out, err = run("retention", "--repo", str(PROJECT), "--as-of", "2026-11-25")
    assert code == 0, err
    assert "Nothing is due" in out
    assert "Example only: not confirmed" in out
    assert err == ""


def test_an_erased_case_is_reported_with_its_date(tmp_path: Path) -> None:
    root = write(tmp_path / "repo")
    (root / "retention").mkdir()
    (root / "retention" / "erasures.yml").write_text(
        'erasures:\n  - case: "100001"\n    key_destroyed: 2026-06-01\n    by: p-worker\n'
        '  - case: "100099"\n    key_destroyed: 2026-05-01\n    by: p-worker\n'
    )
    code, out, _ = run("retention", "--repo", str(root), "--as-of", AS_OF)
    assert code == 0
    assert "key destroyed on 2026-06-01; the case's files are still in the repository" in out
    assert "100099  key destroyed 2026-05-01" in out


BAD_RULES = [
    (
        "a kind given twice",
        AUTHORITY.replace(
            "    - kind: adoption\n",
            "    - kind: looked-after\n      years: 80\n      count_from: birth\n    - kind: adoption\n",
        ),
        "P904",
        "retention-rule-repeated",
        ("    - kind: looked-after", 2),
    ),
    (
        "looked after kept for less than 75 years",
        AUTHORITY.replace("      years: 75\n", "      years: 50\n"),
        "P905",
        "retention-below-statutory",
        ("      years: 50", 1),
    ),
    (
        "looked after counted from closure",
        AUTHORITY.replace("      years: 75\n      count_from: birth", "      years: 75\n      count_from: closure"),
        "P905",
        "retention-below-statutory",
        ("      count_from: closure", 1),
    ),
    (
        "adoption kept for less than 100 years",
        AUTHORITY.replace("      years: 100\n", "      years: 99\n"),
        "P905",
        "retention-below-statutory",
        ("      years: 99", 1),
    ),
    (
        "no rule for child protection",
        AUTHORITY.replace(
            "    - kind: child-protection\n      years: 35\n      count_from: closure\n      action: review\n", ""
        ),
        "P906",
        "retention-rule-missing",
        ("  rules:", 1),
    ),
    (
        "a hold for a case that is not there",
        AUTHORITY.replace('case: "100005"', 'case: "100050"'),
        "P908",
        "retention-hold-unknown-case",
        ('    - case: "100050"', 1),
    ),
]


@pytest.mark.parametrize(("label", "authority", "code", "name", "where"), BAD_RULES, ids=[b[0] for b in BAD_RULES])
def test_a_bad_rule_is_diagnosed_at_its_line(
    tmp_path: Path, label: str, authority: str, code: str, name: str, where: tuple[str, int]
) -> None:
    root = write(tmp_path / "repo", authority)
    repo, problems = load_repository(root)
    found = [p for p in [*problems, *check_retention(repo)] if p.code == code]
    assert found, label
    text, occurrence = where
    lines = authority.split("\n")
    expected = [i + 1 for i, line in enumerate(lines) if line == text][occurrence - 1]
    assert (found[0].name, found[0].path, found[0].line) == (name, "panels/authority.yml", expected)
    exit_code, _, err = run("retention", "--repo", str(root), "--as-of", AS_OF)
    assert code in err
    assert exit_code == (1 if found[0].severity == "error" else 0)


def test_an_unborn_child_of_a_closed_case_is_warned_at_its_due_date_line_without_the_date(tmp_path: Path) -> None:
    root = write(tmp_path / "repo")
    repo, _ = load_repository(root)
    found = [p for p in check_retention(repo) if p.code == "P907"]
    assert [(p.name, p.path, p.line) for p in found] == [("retention-from-due-date", "cases/100007/case.md", 6)]
    assert "1999-09-09" not in found[0].message
    assert "Baby" not in found[0].message


def test_a_retention_block_of_the_wrong_shape_is_a_field_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", AUTHORITY.replace("      years: 35\n", "      years: thirty-five\n"))
    code, _, err = run("retention", "--repo", str(root), "--as-of", AS_OF)
    assert code == 2
    assert "missing or invalid" in err
    _, problems = load_repository(root)
    assert any(
        p.path == "panels/authority.yml" and p.line == AUTHORITY.split("\n").index("      years: 35") + 1
        for p in problems
    )


def test_no_retention_block_is_a_usage_error(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", AUTHORITY.split("retention:", maxsplit=1)[0])
    code, _, err = run("retention", "--repo", str(root), "--as-of", AS_OF)
    assert code == 2
    assert "no retention block" in err


def test_anniversaries_and_months() -> None:
    assert anniversary(date(2000, 2, 29), 75) == date(2075, 3, 1)
    assert anniversary(date(2000, 2, 29), 76) == date(2076, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 25), 12) == date(2027, 11, 25)
    assert Retention().sealed_text == "off"


def test_a_case_that_reopened_is_open(tmp_path: Path) -> None:
    root = write(
        tmp_path / "repo",
        cases={
            "100010": case(
                "100010",
                child("Ula Testcase", "2010-01-01", "cin"),
                event("2015-01-01", "closed") + event("2016-01-01", "opened") + event("2016-02-01", "cin-plan-started"),
            )
        },
    )
    repo, _ = load_repository(root)
    doc = repo.cases["100010"]
    assert [str(k) for k in kinds_of(doc.model)] == ["child-in-need"]
    assert repo.authority is not None and repo.authority.retention is not None
    assert case_retention(doc.model, repo.authority.retention, as_of=date(2040, 1, 1)).standing is Standing.OPEN
