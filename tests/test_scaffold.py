"""`panel new`: templates hold every field and section, never overwrite, and `panel check` names what is missing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.loading.repository import load_repository
from generator.models.panel import Frequency
from generator.pipeline.gather import gather
from generator.schedule.meetings import meetings_from
from generator.schedule.workdays import WorkingCalendar
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent
AS_OF = date(2026, 11, 25)
FROM = date(2026, 12, 7)
CASE = """---
id: "100001"
children:
  - id: c1
    name: Test Child One
    date_of_birth: 2016-04-02
    legal_status: cin
    legal_status_since: 2025-01-10
worker: p-pennyroyal-saul
team: brackenford-safeguarding
events:
  - date: 2025-01-10
    kind: opened
---
Fixture case.
"""
COMPLETENESS = {"missing-document", "missing-authorisation", "missing-section", "missing-field", "missing-scaling"}
ELIGIBILITY = {"ineligible-referral", "presentation-overdue"}

_project, _ = load_repository(PROJECT)
_calendar = WorkingCalendar.for_authority(_project.authority) if _project.authority else WorkingCalendar()
REQUESTS = [(panel.id, request.id) for panel in _project.panels.values() for request in panel.request_types]


def world(tmp_path: Path) -> Path:
    """A repository with the project's panels and one case."""
    copy_panels(PROJECT, tmp_path)
    case = tmp_path / "cases" / "100001" / "case.md"
    case.parent.mkdir(parents=True)
    case.write_text(CASE, encoding="utf-8")
    return tmp_path


def next_meeting(panel_id: str) -> date:
    """The panel's first meeting on or after FROM (any working day for as-required panels)."""
    panel = _project.panels[panel_id]
    if panel.cadence.frequency is Frequency.AS_REQUIRED:
        day = FROM
        while not _calendar.is_working_day(day):
            day += timedelta(days=1)
        return day
    return meetings_from(panel, _calendar, FROM, 1)[0].date


@pytest.mark.parametrize(("panel_id", "request_id"), REQUESTS, ids=[f"{p}-{r}" for p, r in REQUESTS])
def test_scaffolded_referral_fails_check_naming_each_missing_thing(
    tmp_path: Path, panel_id: str, request_id: str
) -> None:
    """A fresh template loads cleanly, and the check names each required document, authorisation and section."""
    root = world(tmp_path)
    meeting = next_meeting(panel_id)
    result = CliRunner().invoke(
        cli,
        ["new", "referral", "--repo", str(root), "--case", "100001", "--panel", panel_id,
         "--meeting", meeting.isoformat(), "--request", request_id],
    )  # fmt: skip
    assert (0, f"wrote cases/100001/referrals/{meeting}-{panel_id}.md\n") == (result.exit_code, result.output)
    panel = _project.panels[panel_id]
    needs = panel.requirements_for(request_id)
    found = gather(root, as_of=AS_OF).diagnostics
    mine = [x for x in found if x.path.startswith("cases/")]
    assert set() == {x.name for x in mine} - COMPLETENESS - ELIGIBILITY
    names = {spec.id: spec.name for spec in panel.documents}
    headings = {spec.id: spec.heading for spec in panel.sections}
    messages = "\n".join(x.message for x in mine)
    for document in needs.documents:
        assert f"'{names[document]}' ({document})" in messages
    for role in needs.authorisations:
        assert f"agreement of a {role}" in messages
    for section in needs.sections:
        assert f"'## {headings[section]}'" in messages
    assert "'sought' still holds the template's prompt" in messages
    assert needs.scaling == any(x.name == "missing-scaling" for x in mine)


def test_new_referral_never_overwrites(tmp_path: Path) -> None:
    """A second scaffold of the same referral exits 2 and leaves the file as it was."""
    root = world(tmp_path)
    arguments = ["new", "referral", "--repo", str(root), "--case", "100001", "--panel", "cmr"]
    arguments += ["--meeting", "2026-12-08", "--request", "plan-review"]
    assert 0 == CliRunner().invoke(cli, arguments).exit_code
    target = root / "cases" / "100001" / "referrals" / "2026-12-08-cmr.md"
    target.write_text("edited by hand\n", encoding="utf-8")
    result = CliRunner().invoke(cli, arguments)
    assert 2 == result.exit_code
    assert "already exists; nothing was written" in result.output
    assert "edited by hand\n" == target.read_text(encoding="utf-8")


def test_new_referral_needs_a_request_where_the_panel_hears_several(tmp_path: Path) -> None:
    """Omitting --request for a panel with several request types is a usage error listing them."""
    root = world(tmp_path)
    arguments = [
        "new",
        "referral",
        "--repo",
        str(root),
        "--case",
        "100001",
        "--panel",
        "cdm",
        "--meeting",
        "2026-12-07",
    ]
    result = CliRunner().invoke(cli, arguments)
    assert 2 == result.exit_code
    assert "pre-proceedings" in result.output


def test_new_referral_for_an_unknown_case_is_refused(tmp_path: Path) -> None:
    """A referral for a case that does not exist is refused before anything is written."""
    root = world(tmp_path)
    arguments = [
        "new",
        "referral",
        "--repo",
        str(root),
        "--case",
        "100009",
        "--panel",
        "cmr",
        "--meeting",
        "2026-12-08",
    ]
    result = CliRunner().invoke(cli, [*arguments, "--request", "plan-review"])
    assert 2 == result.exit_code
    assert not (root / "cases" / "100009").exists()


def test_new_case_template_is_checked_precisely(tmp_path: Path) -> None:
    """A fresh case template fails the check at its placeholder dates, with their lines."""
    root = world(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "new",
            "case",
            "--repo",
            str(root),
            "--id",
            "100002",
            "--worker",
            "p-mallowby-ines",
            "--team",
            "ashmere-assessment",
        ],
    )
    assert 0 == result.exit_code
    text = (root / "cases" / "100002" / "case.md").read_text(encoding="utf-8").split("\n")
    placeholder_lines = {i for i, line in enumerate(text, start=1) if '"YYYY-MM-DD"' in line}
    found = [x for x in gather(root, as_of=AS_OF).diagnostics if x.path == "cases/100002/case.md"]
    assert {"invalid-date"} == {x.name for x in found}
    assert placeholder_lines == {x.line for x in found}


def test_new_case_refuses_an_id_outside_the_pattern(tmp_path: Path) -> None:
    """A case id that does not match the authority's pattern is a usage error."""
    root = world(tmp_path)
    result = CliRunner().invoke(
        cli, ["new", "case", "--repo", str(root), "--id", "smith", "--worker", "x", "--team", "y"]
    )
    assert 2 == result.exit_code
    assert not (root / "cases" / "smith").exists()
