"""`panel timescales` and `panel meetings` against a tiny repository written into tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli

AUTHORITY = """\
name: Test Council
case_id_pattern: "[0-9]{6}"
closure_days:
  - date: 2026-12-31
    reason: Office closed
"""
ROSTER = """\
people:
  - id: p-chair
    name: Pat Chair
    roles: [head-of-service]
"""
COMMON = """\
source: Test terms of reference.
purpose: Test panel.
terms:
  review_due: 2030-01-01
chair:
  roles: [head-of-service]
  description: Head of service.
quorum:
  description: Chair only.
timing:
  slot_minutes: 20
agenda:
  - title: Cases
    kind: cases
request_types:
  - id: review
    name: Review
    description: A review.
"""
CMR = f"""\
---
id: cmr
name: Case Management Review
short_name: CMR
{COMMON}cadence:
  frequency: weekly
  weekday: tuesday
referral:
  route: referral
  deadline: working-days-before
  days: 2
  description: Two working days before.
outcomes:
  - id: continue
    name: Continue the plan
  - id: strategy-meeting
    name: Strategy meeting
    follow_up: Hold a strategy meeting.
    within:
      within: 3
      unit: working-days
after_meeting:
  - id: decision-on-file
    name: Decision sheet on the child's file
    milestone: decision-recorded
    within:
      within: 1
      unit: working-days
    role: business-support
  - id: minutes-drafted
    name: Minutes drafted
    milestone: minutes-drafted
    within:
      within: 3
      unit: working-days
    role: business-support
---
The Case Management Review panel.
"""
CLAM = f"""\
---
id: clam
name: Children Looked After Monitoring
short_name: CLAM
{COMMON}cadence:
  frequency: weekly
  weekday: friday
  anchor: 2026-12-04
  start: "13:00"
  end: "16:30"
  venues: [chn, chd]
venues:
  - id: chn
    name: Horsham
  - id: chd
    name: Worthing
referral:
  route: referral
  deadline: friday-before
  description: The Friday before.
outcomes:
  - id: agree
    name: Agree
triggers:
  - id: unplanned
    kind: unplanned-entry-to-care
    description: Came into care in an emergency.
    within:
      within: 7
      unit: working-days
---
The Children Looked After Monitoring panel.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with an authority, a roster and two panels."""
    files = {
        "panels/authority.yml": AUTHORITY,
        "panels/roster.yml": ROSTER,
        "panels/cmr.md": CMR,
        "panels/clam.md": CLAM,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def run(repo: Path, *args: str) -> Result:
    """Invoke `panel` with `--repo` pointing at the test repository."""
    return CliRunner().invoke(cli, [*args, "--repo", str(repo)])


def last_line(output: str) -> str:
    """The last line of the output, where click puts its error message."""
    return output.splitlines()[-1]


def test_timescales_json(repo: Path) -> None:
    """The DOMAIN example: deadline 23 December, duties counted past Christmas and the closure."""
    result = run(repo, "timescales", "cmr", "--meeting", "2026-12-29", "--format", "json")
    expected = {
        "panel": "cmr",
        "meeting": "2026-12-29",
        "referral_deadline": "2026-12-23",
        "due": {
            "decision-on-file": "2026-12-30",
            "minutes-drafted": "2027-01-05",
            "strategy-meeting": "2027-01-05",
        },
    }
    assert (0, expected) == (result.exit_code, json.loads(result.output))


def test_timescales_text(repo: Path) -> None:
    """The text form lists the deadline and each due date in aligned columns."""
    result = run(repo, "timescales", "cmr", "--meeting", "2026-12-29")
    expected = (
        "CMR (cmr) meeting on 2026-12-29 Tue\n"
        "referral deadline  2026-12-23 Wed\n"
        "decision-on-file   2026-12-30 Wed\n"
        "minutes-drafted    2027-01-05 Tue\n"
        "strategy-meeting   2027-01-05 Tue\n"
    )
    assert (0, expected) == (result.exit_code, result.output)


def test_present_by_json(repo: Path) -> None:
    """CLAM: seven working days after an unplanned entry, skipping holidays and the closure."""
    result = run(repo, "timescales", "clam", "--entered-care", "2026-12-18", "--format", "json")
    expected = (0, {"present_by": "2027-01-04"})
    assert expected == (result.exit_code, json.loads(result.output))


def test_present_by_text(repo: Path) -> None:
    """The text form is one sentence."""
    result = run(repo, "timescales", "clam", "--entered-care", "2026-12-18")
    expected = "A child who came into care on 2026-12-18 Fri must be presented to CLAM by 2027-01-04 Mon.\n"
    assert (0, expected) == (result.exit_code, result.output)


def test_present_by_without_trigger_is_a_usage_error(repo: Path) -> None:
    """A panel with no unplanned-entry trigger cannot say when to present by."""
    result = run(repo, "timescales", "cmr", "--entered-care", "2026-12-18")
    expected = (2, "Error: panel cmr has no unplanned-entry-to-care trigger, so it sets no date to present by")
    assert expected == (result.exit_code, last_line(result.output))


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="neither"),
        pytest.param(["--meeting", "2026-12-29", "--entered-care", "2026-12-18"], id="both"),
    ],
)
def test_meeting_and_entered_care_exclusive(repo: Path, args: list[str]) -> None:
    """Exactly one of --meeting and --entered-care is needed."""
    result = run(repo, "timescales", "cmr", *args)
    expected = (2, "Error: give either --meeting or --entered-care, not both or neither")
    assert expected == (result.exit_code, last_line(result.output))


def test_bad_date_is_a_usage_error(repo: Path) -> None:
    """A date not written YYYY-MM-DD is refused."""
    result = run(repo, "timescales", "cmr", "--meeting", "29/12/2026")
    expected = (2, "Error: Invalid value for '--meeting': '29/12/2026' is not a date in the form YYYY-MM-DD")
    assert expected == (result.exit_code, last_line(result.output))


def test_unknown_panel_suggests(repo: Path) -> None:
    """An unknown panel id is a usage error with a did-you-mean and the known ids."""
    result = run(repo, "meetings", "clan", "--from", "2026-12-01")
    expected = (2, "Error: Invalid value for PANEL: no panel 'clan'. Did you mean 'clam'? Known panels: clam, cmr")
    assert expected == (result.exit_code, last_line(result.output))


def test_broken_panel_file_prints_its_errors(repo: Path) -> None:
    """Errors in the panel's file are printed one per line and exit 2."""
    path = repo / "panels" / "cmr.md"
    path.write_text(CMR.replace("short_name: CMR\n", "short_name: CMR\ncolour: blue\n"), encoding="utf-8")
    result = run(repo, "timescales", "cmr", "--meeting", "2026-12-29")
    expected = (2, "", ["panels/cmr.md:5: P201 [error] unknown field 'colour'"])
    assert expected == (result.exit_code, result.stdout, result.stderr.splitlines())


def test_meetings_json(repo: Path) -> None:
    """Coming meetings skip Christmas and New Year's Day; venues alternate from the anchor."""
    result = run(repo, "meetings", "clam", "--from", "2026-12-14", "--count", "3", "--format", "json")
    expected = [
        {
            "date": "2026-12-18",
            "start": "13:00",
            "end": "16:30",
            "venue": "Horsham",
            "series": None,
            "referral_deadline": "2026-12-11",
            "moved_from": None,
        },
        {
            "date": "2027-01-08",
            "start": "13:00",
            "end": "16:30",
            "venue": "Worthing",
            "series": None,
            "referral_deadline": "2026-12-30",
            "moved_from": None,
        },
        {
            "date": "2027-01-15",
            "start": "13:00",
            "end": "16:30",
            "venue": "Horsham",
            "series": None,
            "referral_deadline": "2027-01-08",
            "moved_from": None,
        },
    ]
    assert (0, expected) == (result.exit_code, json.loads(result.output))


def test_meetings_text(repo: Path) -> None:
    """The text form is an aligned table."""
    result = run(repo, "meetings", "clam", "--from", "2026-12-14", "--count", "2")
    expected = (
        "Date            Time         Venue     Series  Referral deadline\n"
        "2026-12-18 Fri  13:00-16:30  Horsham   -       2026-12-11 Fri\n"
        "2027-01-08 Fri  13:00-16:30  Worthing  -       2026-12-30 Wed\n"
    )
    assert (0, expected) == (result.exit_code, result.output)


def test_meetings_count_must_be_positive(repo: Path) -> None:
    """A count of 0 is a usage error."""
    result = run(repo, "meetings", "clam", "--from", "2026-12-14", "--count", "0")
    expected = (2, "Error: Invalid value for '--count': 0 is not in the range 1<=x<=500.")
    assert expected == (result.exit_code, last_line(result.output))
