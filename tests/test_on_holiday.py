"""Schedules that never drop a meeting: every series says what a bank holiday does to its day.

Built from the project's own panels (the CP panel meets in three localities, monthly on the first,
second and third Friday) and small real repositories.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory
from pydantic import ValidationError
from test_rules import World, build_world, reported

from generator.checks.every_rule import check_repository
from generator.cli import cli
from generator.exports.calendar import series_calendars
from generator.loading.repository import load_repository
from generator.loading.safe_yaml import read_markdown
from generator.models.panel import Cadence, OnHoliday, Panel
from generator.pipeline.workspace import Workspace
from generator.schedule.meetings import held_on, is_meeting_date, meetings_between, upcoming_meetings
from generator.schedule.workdays import WorkingCalendar
from generator.site.assemble import render_site
from generator.site.meeting_pages import meeting_page

PROJECT = Path(__file__).resolve().parents[1]
CAL = WorkingCalendar()
GOOD_FRIDAY = date(2026, 4, 3)
EASTER_TUESDAY = date(2026, 4, 7)


def project_panel(panel_id: str, edit: tuple[str, str] | None = None) -> Panel:
    """One of the project's panels, read from its file, with one text replacement if given."""
    text = (PROJECT / "panels" / f"{panel_id}.md").read_text(encoding="utf-8")
    if edit is not None:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    return _panel(text)


def _panel(text: str) -> Panel:
    parsed, problems = read_markdown("panel.md", text.encode("utf-8"))
    assert parsed is not None, problems
    return Panel.model_validate(parsed.data)


def ashmere(panel: Panel, first: date, last: date) -> list[tuple[date, date | None, str | None]]:
    """The Ashmere series' meetings between two dates: (held, moved from, venue id)."""
    return [
        (m.date, m.moved_from, m.venue.id if m.venue else None)
        for m in meetings_between(panel, CAL, first, last)
        if m.series is not None and m.series.id == "ashmere"
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (OnHoliday.NEXT_WORKING_DAY, EASTER_TUESDAY),
        (OnHoliday.PREVIOUS_WORKING_DAY, date(2026, 4, 2)),
        (OnHoliday.SKIP, None),
        (OnHoliday.HOLD, GOOD_FRIDAY),
    ],
)
def test_held_on_good_friday(rule: OnHoliday, expected: date | None) -> None:
    """Good Friday under each rule; Easter Monday is a bank holiday too, so "next" is the Tuesday."""
    assert expected == held_on(GOOD_FRIDAY, rule, CAL)
    assert date(2026, 4, 10) == held_on(date(2026, 4, 10), rule, CAL)


def test_cp_ashmere_still_meets_in_april() -> None:
    """The first-Friday series moves off Good Friday to the Tuesday, keeping its venue."""
    panel = project_panel("cp")
    assert OnHoliday.NEXT_WORKING_DAY is panel.cadence.holiday_rule(panel.series[0])
    assert [
        (date(2026, 3, 6), None, "ashmere-office"),
        (EASTER_TUESDAY, GOOD_FRIDAY, "ashmere-office"),
        (date(2026, 5, 1), None, "ashmere-office"),
    ] == ashmere(panel, date(2026, 3, 1), date(2026, 5, 31))
    moved = next(m for m in meetings_between(panel, CAL, EASTER_TUESDAY, EASTER_TUESDAY))
    assert "Good Friday" == moved.moved_because
    assert is_meeting_date(panel, CAL, EASTER_TUESDAY)
    assert not is_meeting_date(panel, CAL, GOOD_FRIDAY)


def test_a_moved_meeting_found_from_either_side_of_the_window() -> None:
    """A window that starts on the usual day, or ends before it, still finds the moved meeting where it is held."""
    panel = project_panel("cp")
    assert [(EASTER_TUESDAY, GOOD_FRIDAY, "ashmere-office")] == ashmere(panel, date(2026, 4, 4), date(2026, 4, 8))
    before = project_panel("cp", ("on_holiday: next-working-day", "on_holiday: previous-working-day"))
    assert [(date(2026, 4, 2), GOOD_FRIDAY, "ashmere-office")] == ashmere(before, date(2026, 3, 30), date(2026, 4, 2))


def test_skip_and_hold() -> None:
    """Skip drops April's Ashmere meeting (the old behaviour); hold keeps it on Good Friday."""
    skip = project_panel("cp", ("on_holiday: next-working-day", "on_holiday: skip"))
    assert [] == ashmere(skip, date(2026, 4, 1), date(2026, 4, 30))
    hold = project_panel("cp", ("on_holiday: next-working-day", "on_holiday: hold"))
    assert [(GOOD_FRIDAY, None, "ashmere-office")] == ashmere(hold, date(2026, 4, 1), date(2026, 4, 30))


def test_a_series_overrides_the_panel() -> None:
    """One locality may skip while the others move."""
    panel = project_panel("cp", ("    venue: ashmere-office\n", "    venue: ashmere-office\n    on_holiday: skip\n"))
    assert OnHoliday.SKIP is panel.cadence.holiday_rule(panel.series[0])
    assert OnHoliday.NEXT_WORKING_DAY is panel.cadence.holiday_rule(panel.series[1])
    assert [] == ashmere(panel, date(2026, 4, 1), date(2026, 4, 30))


def test_older_field_still_read_but_not_both() -> None:
    """`skip_non_working_days: false` means hold; giving both forms is refused with a reason."""
    old = Cadence.model_validate({"frequency": "weekly", "weekday": "monday", "skip_non_working_days": False})
    assert OnHoliday.HOLD is old.holiday_rule()
    assert old.states_holiday_rule()
    with pytest.raises(ValidationError, match="not both"):
        Cadence.model_validate(
            {"frequency": "weekly", "weekday": "monday", "skip_non_working_days": True, "on_holiday": "skip"}
        )
    unstated = Cadence.model_validate({"frequency": "weekly", "weekday": "monday"})
    assert (OnHoliday.SKIP, False) == (unstated.holiday_rule(), unstated.states_holiday_rule())


def _world_with_panel(git_repo: GitFactory, panel_id: str, text: str) -> World:
    return build_world(git_repo, f"=== panels/{panel_id}.md ===\n{text}")


def test_unstated_rule_is_a_warning_per_series(git_repo: GitFactory) -> None:
    """CP without a rule: one `holiday-rule-unstated` warning on each of its three series."""
    text = (PROJECT / "panels" / "cp.md").read_text(encoding="utf-8").replace("  on_holiday: next-working-day\n", "")
    lines = text.split("\n")
    series_lines = [
        n for n, line in enumerate(lines, start=1) if re.match(r"  - id: (ashmere|brackenford|corriston)$", line)
    ]
    found = {x for x in reported(_world_with_panel(git_repo, "cp", text)) if x[2] == "holiday-rule-unstated"}
    assert {("panels/cp.md", n, "holiday-rule-unstated") for n in series_lines} == found


def test_unstated_rule_on_a_single_series_panel(git_repo: GitFactory) -> None:
    """CMR (one series) without a rule: one warning, on its cadence."""
    text = (PROJECT / "panels" / "cmr.md").read_text(encoding="utf-8").replace("  on_holiday: skip\n", "")
    line = text.split("\n").index("cadence:") + 1
    found = {x for x in reported(_world_with_panel(git_repo, "cmr", text)) if x[2] == "holiday-rule-unstated"}
    assert {("panels/cmr.md", line, "holiday-rule-unstated")} == found


def test_every_project_panel_states_its_rule() -> None:
    """No scheduled panel of the project leaves a bank holiday to the default."""
    for path in sorted((PROJECT / "panels").glob("*.md")):
        panel = _panel(path.read_text(encoding="utf-8"))
        if panel.cadence.frequency.value != "as-required":
            assert panel.cadence.states_holiday_rule(), path.name


def test_meetings_command_says_moved(tmp_path: Path) -> None:
    """`panel meetings` shows the usual day and the holiday; the JSON has `moved_from`."""
    runner = CliRunner()
    args = ["meetings", "cp", "--from", "2026-04-01", "--count", "2", "--repo", str(PROJECT)]
    text = runner.invoke(cli, args)
    assert 0 == text.exit_code, text.output
    assert "moved from 2026-04-03 Fri (Good Friday)" in text.output.splitlines()[1]
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    assert [("2026-04-07", "2026-04-03"), ("2026-04-10", None)] == [(m["date"], m["moved_from"]) for m in data]


def test_calendar_invite_says_moved() -> None:
    """The series calendar's event for the moved meeting is on the Tuesday and says why."""
    panel = project_panel("cp")
    calendars = series_calendars(panel, CAL, date(2026, 3, 20))
    ashmere_feed = next(c for c in calendars if c.series is not None and c.series.id == "ashmere")
    feed = ashmere_feed.ics.decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/London:20260407T100000" in feed
    assert "Moved from Friday 3 April 2026 (Good Friday)\\, not a working day." in feed


def test_meeting_page_and_panel_page_say_so() -> None:
    """On the site: the moved meeting's page names its usual day; the panel page states the rule."""
    as_of = date(2026, 12, 28)
    repo, problems = load_repository(PROJECT)
    found = tuple(sorted([*problems, *check_repository(repo, as_of=as_of)]))
    site = render_site(Workspace(repo, found, as_of, upcoming=upcoming_meetings(repo.panels, CAL, as_of), calendar=CAL))
    pages = {p.path: p.markdown for p in site.pages}
    assert "(moved from 2027-01-01, New Year's Day: not a working day)" in pages[meeting_page("cp", date(2027, 1, 4))]
    panel_page = pages["panels/cp.md"]
    assert "A meeting whose usual day is a bank holiday or closure day:** is held on the next working day" in panel_page
    assert "| Ashmere locality | 1 | Ashmere locality office | is held on the next working day |" in panel_page
