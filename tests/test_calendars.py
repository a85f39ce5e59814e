"""Calendar files: series calendars and slot invites, parsed back with icalendar."""

from __future__ import annotations

import json
import re
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import DemoSite, GitFactory, write_files
from icalendar import Calendar, Event, Timezone

from generator.audit.provenance import read_histories
from generator.exports.calendar import (
    Invite,
    SeriesCalendar,
    london_timezone,
    meeting_uid,
    revision_sequence,
    series_calendars,
    slot_invites,
    window,
)
from generator.pipeline.gather import gather
from generator.pipeline.workspace import Workspace
from generator.site import calendar_pages as calendars_area
from generator.site.pages import Asset, Page
from generator.site.templates import Renderer
from generator.views.agenda import meeting_agendas

AS_OF = date(2026, 3, 2)
LONDON = ZoneInfo("Europe/London")
HOSTILE_VENUE = 'Room 1; A, B \\ C\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected "quoted"'
HOSTILE_WORKER = 'Wendy "W" O\'Neil; Jr., <b>bold</b>: here'

AUTHORITY = """\
name: Testshire Council
case_id_pattern: "[0-9]{6}"
teams:
  - id: north
    name: North Team
"""

ROSTER = f"""\
people:
  - id: p-chair
    name: Chris Chair
    roles: [head-of-service]
    email: chris.chair@example.invalid
  - id: p-coordinator
    name: Cora Coordinator
    roles: [panel-coordinator]
    email: cora.coordinator@example.invalid
  - id: p-worker
    name: {json.dumps(HOSTILE_WORKER)}
    roles: [social-worker]
    team: north
    email: wendy.worker@example.invalid
  - id: p-quiet
    name: Quentin Noemail
    roles: [social-worker]
    team: north
  - id: p-manager
    name: Morgan Manager
    roles: [team-manager]
    team: north
    email: morgan.manager@example.invalid
  - id: p-member
    name: Max Member
    roles: [service-manager]
"""

PANEL_TOP = """\
---
id: {id}
name: {name}
short_name: {short}
source: Invented for the tests.
purpose: Decides test things.
terms:
  approved: 2024-01-01
  review_due: 2030-01-01
chair:
  roles: [head-of-service]
  description: A head of service chairs.
members:
  - role: service-manager
    description: A service manager.
quorum:
  min_members: 1
  roles: [service-manager]
  description: The chair and one service manager.
"""

PANEL_REST = """\
timing:
  business_minutes: 15
  slot_minutes: 30
  sibling_extra_minutes: 15
agenda:
  - title: Welcome
    kind: conduct
  - title: Cases
    kind: cases
conduct_statement: What is said here stays here.
referral:
  route: referral
  deadline: working-days-before
  days: 3
  description: Referrals reach the coordinator three working days before.
request_types:
  - id: review
    name: Plan review
    description: A review of the plan.
outcomes:
  - id: agree
    name: Plan agreed
---
The panel hears test cases.
"""

SERIES_PANEL = (
    PANEL_TOP.format(id="tp", name='"Test Panel; a,b \\\\ <script>x</script>"', short="TP")
    + f"""\
cadence:
  frequency: monthly
  weekday: thursday
  week_of_month: 1
  start: "13:00"
  end: "16:30"
venues:
  - id: north-office
    name: {json.dumps(HOSTILE_VENUE)}
  - id: south-office
    name: South Office
series:
  - id: north
    name: North locality
    week_of_month: 1
    venue: north-office
  - id: south
    name: South locality
    week_of_month: 3
    venue: south-office
"""
    + PANEL_REST
)

AS_REQUIRED_PANEL = (
    PANEL_TOP.format(id="ar", name="As Required Panel", short="AR")
    + """\
cadence:
  frequency: as-required
"""
    + PANEL_REST
)


def case(case_id: str, worker: str, children: int) -> str:
    """A case file with `children` children (named, so a test can look for the names)."""
    kids = "".join(
        f"""\
  - id: c{n}
    name: Secret Childname{n}
    date_of_birth: 2016-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
"""
        for n in range(1, children + 1)
    )
    return f"""\
---
id: "{case_id}"
children:
{kids}worker: {worker}
team: north
manager: p-manager
---
"""


def referral(case_id: str, meeting: str, children: list[str]) -> str:
    """A referral of `case_id` to the tp meeting on `meeting`."""
    return f"""\
---
panel: tp
meeting: {meeting}
case: "{case_id}"
request: review
children: [{", ".join(children)}]
sought: A decision.
presenter: {"p-worker" if case_id == "123456" else "p-quiet"}
---
"""


WORLD = {
    "panels/authority.yml": AUTHORITY,
    "panels/roster.yml": ROSTER,
    "panels/tp.md": SERIES_PANEL,
    "panels/ar.md": AS_REQUIRED_PANEL,
    "cases/123456/case.md": case("123456", "p-worker", 2),
    "cases/123456/referrals/2026-03-05-tp.md": referral("123456", "2026-03-05", ["c1", "c2"]),
    "cases/123456/referrals/2026-02-05-tp.md": referral("123456", "2026-02-05", ["c1"]),
    "cases/654321/case.md": case("654321", "p-quiet", 1),
    "cases/654321/referrals/2026-03-19-tp.md": referral("654321", "2026-03-19", ["c1"]),
}


def site_data(root: Path, as_of: date = AS_OF) -> Workspace:
    """What the page builders see, worked out the way `build_site` does."""
    workspace = gather(root, as_of=as_of)
    assert workspace.repo.authority is not None
    return workspace


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test repository, written once."""
    root = tmp_path_factory.mktemp("calendar-world")
    write_files(root, WORLD)
    return root


@pytest.fixture(scope="module")
def data(world: Path) -> Workspace:
    """The world loaded and checked."""
    return site_data(world)


@pytest.fixture(scope="module")
def series(data: Workspace) -> list[SeriesCalendar]:
    """The series calendars of the test panel."""
    return series_calendars(data.repo.panels["tp"], data.calendar, AS_OF)


@pytest.fixture(scope="module")
def invites(data: Workspace) -> list[Invite]:
    """The slot invites of the world."""
    return slot_invites(meeting_agendas(data), data.repo, AS_OF)


def events(ics: bytes) -> list[Event]:
    """The events of a calendar file, parsed back."""
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_one_calendar_per_series_holding_only_its_meetings(series: list[SeriesCalendar]) -> None:
    """A panel with two series gets two calendars; each holds its own week of the month for 12 months."""
    first, last = window(AS_OF)
    assert (date(2026, 3, 2), date(2027, 3, 1)) == (first, last)
    assert ["north", "south"] == [c.series.id for c in series if c.series]
    north, south = ([e.decoded("dtstart").date() for e in events(c.ics)] for c in series)
    assert 12 == len(north) == len(south)
    assert [date(2026, 3, 5), date(2026, 4, 2)] == north[:2]
    assert [date(2026, 3, 19), date(2026, 4, 16)] == south[:2]
    assert all(d.day <= 7 for d in north) and all(15 <= d.day <= 21 for d in south)
    assert all(first <= d <= last for d in north + south)


def test_times_are_london_times_in_winter_and_summer(series: list[SeriesCalendar]) -> None:
    """13:00 to 16:30 by the cadence, in Europe/London: 13:00Z in March, 12:00Z after the clocks go forward."""
    march, april = events(series[0].ics)[:2]
    assert "Europe/London" == march["dtstart"].params["TZID"]
    assert datetime(2026, 3, 5, 13, 0, tzinfo=UTC) == march.decoded("dtstart")
    assert datetime(2026, 3, 5, 16, 30, tzinfo=UTC) == march.decoded("dtend")
    assert datetime(2026, 4, 2, 12, 0, tzinfo=UTC) == april.decoded("dtstart")
    assert (time(13, 0), time(16, 30)) == (
        april.decoded("dtstart").astimezone(LONDON).time(),
        april.decoded("dtend").astimezone(LONDON).time(),
    )


def test_each_file_carries_the_london_time_zone_first(series: list[SeriesCalendar]) -> None:
    """Every calendar defines the TZID it uses, before the events (as Outlook expects)."""
    for calendar in series:
        parsed = Calendar.from_ical(calendar.ics)
        kinds = [component.name for component in parsed.subcomponents]
        assert ["VTIMEZONE"] + ["VEVENT"] * len(calendar.meetings) == kinds
        assert "Europe/London" == str(parsed.subcomponents[0]["tzid"])


def test_written_time_zone_rules_agree_with_the_tz_database() -> None:
    """The VTIMEZONE's own rules give the same UTC offset as the tz database every day for ten years."""
    ours = Timezone.from_ical(london_timezone().to_ical()).to_tz(lookup_tzid=False)
    day = date(2025, 1, 1)
    mismatches = []
    while day < date(2035, 1, 1):
        for hour in (0, 3, 12, 23):
            moment = datetime.combine(day, time(hour))
            if moment.replace(tzinfo=ours).utcoffset() != moment.replace(tzinfo=LONDON).utcoffset():
                mismatches.append(moment)
        day += timedelta(days=1)
    assert [] == mismatches


def test_venue_summary_and_referral_deadline(series: list[SeriesCalendar], data: Workspace) -> None:
    """The location is the venue's name; the description names the referral deadline (3 working days before)."""
    first = events(series[0].ics)[0]
    assert HOSTILE_VENUE == str(first["location"])
    assert f"{data.repo.panels['tp'].name}: North locality" == str(first["summary"])
    assert "Referral deadline: Monday 2 March 2026." in str(first["description"])
    assert "South Office" == str(events(series[1].ics)[0]["location"])


def test_hostile_text_cannot_add_events_or_properties(series: list[SeriesCalendar]) -> None:
    """Line breaks, semicolons, commas, backslashes and quotes in names are escaped: one event per meeting."""
    text = series[0].ics.decode("utf-8")
    lines = text.split("\r\n")
    assert len(series[0].meetings) == lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    assert [] == [line for line in lines if line.startswith("SUMMARY:injected")]
    assert "SUMMARY:Test Panel\\; a\\,b \\\\ <script>x</script>: North locality" in text.replace("\r\n ", "")


def test_control_characters_are_dropped(data: Workspace) -> None:
    """Control characters in a name cannot reach the file; CR and CRLF become line breaks (escaped)."""
    panel = data.repo.panels["tp"]
    tainted = panel.model_copy(update={"name": "Bell\x07 and\x00 null\r\nnext\rline\ttab"})
    summary = str(events(series_calendars(tainted, data.calendar, AS_OF)[0].ics)[0]["summary"])
    assert "Bell and null\nnext\nline tab: North locality" == summary


def test_uids_are_unique_and_made_from_panel_series_and_date(series: list[SeriesCalendar]) -> None:
    """Every meeting has its own UID, built from the panel, the series and the date."""
    uids = [str(e["uid"]) for c in series for e in events(c.ics)]
    assert len(uids) == len(set(uids))
    assert "tp.north.20260305@panel.invalid" == uids[0]
    assert meeting_uid("tp", None, date(2026, 3, 5)) == "tp.20260305@panel.invalid"


def test_uids_stay_the_same_when_the_window_moves(data: Workspace) -> None:
    """A meeting keeps its UID in a later build (so a re-import updates it rather than adding it twice)."""
    panel = data.repo.panels["tp"]
    now = {
        str(e["uid"]): e.decoded("dtstart")
        for c in series_calendars(panel, data.calendar, AS_OF)
        for e in events(c.ics)
    }
    later = {
        str(e["uid"]): e.decoded("dtstart")
        for c in series_calendars(panel, data.calendar, date(2026, 6, 1))
        for e in events(c.ics)
    }
    shared = now.keys() & later.keys()
    assert len(shared) >= 18
    assert {uid: now[uid] for uid in shared} == {uid: later[uid] for uid in shared}


def test_byte_identical_whatever_the_machine_time_zone(data: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same panel and date give the same bytes, even with another local time zone; DTSTAMP comes from as_of."""
    panel = data.repo.panels["tp"]
    first = [c.ics for c in series_calendars(panel, data.calendar, AS_OF)]
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        second = [c.ics for c in series_calendars(panel, data.calendar, AS_OF)]
    finally:
        monkeypatch.undo()
        clock.tzset()
    assert first == second
    stamps = {e.decoded("dtstamp") for ics in first for e in events(ics)}
    assert {datetime(2026, 3, 2, 0, 0, tzinfo=UTC)} == stamps


def test_a_panel_file_named_unlike_its_id_is_named_by_its_file(tmp_path: Path) -> None:
    """A panel whose id differs from its file name: the calendar and its UIDs use the name the repository knows."""
    root = tmp_path / "repo"
    write_files(root, {**WORLD, "panels/other.md": SERIES_PANEL.replace("id: tp", "id: not-other", 1)})
    data = site_data(root)
    _, assets = area_output(data)
    other = [a for a in assets if a.path.startswith("calendars/other--")]
    assert ["calendars/other--north.ics", "calendars/other--south.ics"] == [a.path for a in other]
    assert str(events(other[0].data)[0]["uid"]).startswith("other.north.")


def test_a_referral_of_a_case_without_a_case_file_links_to_its_page(tmp_path: Path) -> None:
    """A booked case with no case file gets its invite, and a link to its case page (which shows that the file is
    missing)."""
    root = tmp_path / "repo"
    stray = referral("123456", "2026-03-05", ["c1"]).replace('case: "123456"', 'case: "999999"')
    write_files(root, {**WORLD, "cases/999999/referrals/2026-03-05-tp.md": stray})
    (page,), assets = area_output(site_data(root))
    assert "calendars/invites/tp/2026-03-05-999999.ics" in [a.path for a in assets]
    assert "| [999999](cases/999999.md) (2&#46;2) | 14:00 to 14:30 | incomplete |" in page.markdown


def test_a_panel_meeting_as_required_has_no_calendar(data: Workspace) -> None:
    """No scheduled meetings, no calendar file."""
    assert [] == series_calendars(data.repo.panels["ar"], data.calendar, AS_OF)


def test_invites_only_for_coming_meetings(invites: list[Invite]) -> None:
    """Booked slots at meetings on or after as_of get invites; the February referral does not."""
    assert [("tp", date(2026, 3, 5), "123456"), ("tp", date(2026, 3, 19), "654321")] == [
        (i.agenda.panel_id, i.agenda.date, i.slot.case) for i in invites
    ]


def test_invite_times_come_from_the_agenda(invites: list[Invite], data: Workspace) -> None:
    """Two siblings: business 15 minutes, then a 30-minute slot plus 15 for the second child, 13:15 to 14:00."""
    agenda = next(a for a in meeting_agendas(data) if a.date == date(2026, 3, 5))
    slot = agenda.cases[0]
    event = events(invites[0].ics)[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (time(13, 15), time(14, 0)) == (slot.start, slot.end)
    assert (datetime(2026, 3, 5, 13, 15, tzinfo=LONDON), datetime(2026, 3, 5, 14, 0, tzinfo=LONDON)) == (start, end)
    assert "Europe/London" == event["dtstart"].params["TZID"]
    assert HOSTILE_VENUE == str(event["location"])
    assert "tp.20260305.case-123456@panel.invalid" == str(event["uid"])


def test_invite_attendees_and_organizer(invites: list[Invite]) -> None:
    """The presenting worker and the case's manager are attendees with their names; the coordinator organises."""
    calendar = Calendar.from_ical(invites[0].ics)
    event = next(iter(calendar.walk("VEVENT")))
    attendees = [(str(a), a.params["CN"], a.params["ROLE"], a.params["RSVP"]) for a in event["attendee"]]
    assert [
        ("mailto:wendy.worker@example.invalid", HOSTILE_WORKER, "REQ-PARTICIPANT", "TRUE"),
        ("mailto:morgan.manager@example.invalid", "Morgan Manager", "REQ-PARTICIPANT", "TRUE"),
    ] == attendees
    assert ("mailto:cora.coordinator@example.invalid", "Cora Coordinator") == (
        str(event["organizer"]),
        event["organizer"].params["CN"],
    )
    assert "REQUEST" == str(calendar["method"])


def test_people_without_email_are_left_out(invites: list[Invite]) -> None:
    """A presenter the roster gives no email cannot be invited: only the manager is."""
    attendee = events(invites[1].ics)[0]["attendee"]
    assert "mailto:morgan.manager@example.invalid" == str(attendee)


def test_no_organizer_means_no_meeting_request(world: Path, tmp_path: Path) -> None:
    """Without a coordinator or chair with an email, the invite is a plain calendar entry (no METHOD, no ORGANIZER)."""
    root = tmp_path / "repo"
    roster = ROSTER.replace("    email: cora.coordinator@example.invalid\n", "")
    write_files(root, {**WORLD, "panels/roster.yml": roster})
    data = site_data(root)
    invite = slot_invites(meeting_agendas(data), data.repo, AS_OF)[0]
    calendar = Calendar.from_ical(invite.ics)
    assert (None, None, None) == (invite.organizer, calendar.get("method"), events(invite.ics)[0].get("organizer"))


def test_invites_name_the_case_never_a_child(invites: list[Invite]) -> None:
    """Invites travel by email: the case id is in them, no child's name is."""
    for invite in invites:
        assert b"Childname" not in invite.ics
        assert f"case {invite.slot.case}" in str(events(invite.ics)[0]["summary"])


def test_invites_are_byte_identical_across_builds(world: Path) -> None:
    """Loading and computing again gives the same bytes."""
    once = [i.ics for i in slot_invites(meeting_agendas(site_data(world)), site_data(world).repo, AS_OF)]
    again = [i.ics for i in slot_invites(meeting_agendas(site_data(world)), site_data(world).repo, AS_OF)]
    assert once == again


def area_output(data: Workspace) -> tuple[list[Page], list[Asset]]:
    """What the calendars area's builders yield."""
    renderer = Renderer(data)
    pages: list[Page] = []
    assets: list[Asset] = []
    for builder in calendars_area.BUILDERS:
        for output in builder(renderer):
            if isinstance(output, Asset):
                assets.append(output)
            else:
                pages.append(output)
    return pages, assets


def test_area_files_are_named_by_ids_only(data: Workspace) -> None:
    """Series calendars and invites under calendars/, named by panel, series, date and case id."""
    _, assets = area_output(data)
    assert [
        "calendars/tp--north.ics",
        "calendars/tp--south.ics",
        "calendars/invites/tp/2026-03-05-123456.ics",
        "calendars/invites/tp/2026-03-19-654321.ics",
    ] == [a.path for a in assets]


def test_calendars_page_lists_files_and_how_to_subscribe(data: Workspace) -> None:
    """The page links every file, names the panel meeting as required, and says how to use Outlook."""
    pages, _ = area_output(data)
    (page,) = pages
    text = page.markdown
    assert ("calendars.md", "Calendars") == (page.path, page.title)
    assert "[TP North locality (.ics)](calendars/tp--north.ics)" in text
    assert "[Invite, case 123456](calendars/invites/tp/2026-03-05-123456.ics)" in text
    assert "[TP 2026-03-05](meetings/tp/2026-03-05.md)" in text
    assert "Meeting as required, so without a calendar: AR." in text
    assert "Subscribe from web" in text and "Upload from file" in text
    assert "13:15 to 14:00" in text and "Morgan Manager" in text
    assert "Childname" not in text
    assert (calendars_area.nav(data)) == (calendars_area.NavLink("Calendars", "calendars.md"),)


# --- the demo site ---------------------------------------------------------------------------------


def test_demo_site_has_the_clam_calendar(demo_site: DemoSite) -> None:
    """The built demo site serves CLAM's calendar with the meeting of 26 November 2026 at 13:00 to 16:30."""
    found = {e.decoded("dtstart"): e for e in events((demo_site.site / "calendars/clam.ics").read_bytes())}
    meeting = found[datetime(2026, 11, 26, 13, 0, tzinfo=LONDON)]
    assert datetime(2026, 11, 26, 16, 30, tzinfo=LONDON) == meeting.decoded("dtend")
    assert "clam.20261126@panel.invalid" == str(meeting["uid"])
    assert str(meeting["location"])


def test_demo_site_invites_match_the_agendas(demo_site: DemoSite) -> None:
    """Every invite file of the demo site holds the times the agenda gives its slot; names carry no person."""
    data = site_data(demo_site.repo, demo_site.as_of)
    expected = {
        f"calendars/invites/{a.panel_id}/{a.date.isoformat()}-{s.case}.ics": (
            datetime.combine(a.date, s.start, LONDON),
            datetime.combine(a.date, s.end, LONDON) if s.end else None,
        )
        for a in meeting_agendas(data)
        if a.date >= demo_site.as_of
        for s in a.cases
        if s.start is not None
    }
    files = sorted(demo_site.site.glob("calendars/invites/*/*.ics"))
    actual = {}
    for path in files:
        event = events(path.read_bytes())[0]
        actual[path.relative_to(demo_site.site).as_posix()] = (event.decoded("dtstart"), event.decoded("dtend"))
    assert expected == actual
    assert any("/clam/2026-11-26-" in name for name in actual)
    assert all(re.fullmatch(r"calendars/invites/[a-z0-9-]+/\d{4}-\d{2}-\d{2}-\d{6}\.ics", name) for name in actual)


def _sequences(root: Path) -> tuple[set[int], set[int]]:
    """The SEQUENCE values of the test panel's series events and of every invite, built with the history."""
    data = site_data(root)
    data = Workspace(
        data.repo, data.diagnostics, AS_OF, data.upcoming, data.calendar, data.arrivals, read_histories(root)
    )
    _, assets = area_output(data)
    found: dict[str, set[int]] = {"series": set(), "invites": set()}
    for asset in assets:
        kind = "invites" if "/invites/" in asset.path else "series"
        if kind == "series" and not asset.path.startswith("calendars/tp"):
            continue
        found[kind] |= {int(event.decoded("sequence")) for event in events(asset.data)}
    return found["series"], found["invites"]


def test_sequence_rises_with_each_commit_that_changes_an_event(git_repo: GitFactory) -> None:
    """SEQUENCE counts minutes from 2020 to the last commit behind the event, so calendar programs take the
    update: changing the panel's terms raises the series' and the invites' numbers; a referral raises only its
    meeting's invites; the same history gives the same numbers."""
    root = git_repo.init()
    git_repo.commit(root, WORLD, when="2026-02-01T09:00:00+00:00")
    first = revision_sequence(datetime(2026, 2, 1, 9, tzinfo=UTC))
    assert ({first}, {first}) == _sequences(root)
    assert _sequences(root) == _sequences(root)

    moved = SERIES_PANEL.replace("Test Panel", "Test Panel (moved)")
    assert moved != SERIES_PANEL
    git_repo.commit(root, {"panels/tp.md": moved}, when="2026-02-10T12:30:00+00:00")
    second = revision_sequence(datetime(2026, 2, 10, 12, 30, tzinfo=UTC))
    assert ({second}, {second}) == _sequences(root)
    assert second - first == 9 * 24 * 60 + 210

    git_repo.commit(root, {"cases/654321/case.md": case("654321", "p-quiet", 1) + "\n"}, when="2026-02-20T08:00:00Z")
    series_after, invites_after = _sequences(root)
    assert {second} == series_after
    assert second in invites_after and len(invites_after) == 2


def test_sequence_is_zero_without_history() -> None:
    """Nothing committed (a folder, not a repository): SEQUENCE 0, as before history is known."""
    assert 0 == revision_sequence(None)
    assert 0 == revision_sequence(datetime(2019, 12, 31, tzinfo=UTC))
