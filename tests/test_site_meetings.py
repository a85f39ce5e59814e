"""Meeting pages, minutes, decision sheets, packs and case notes: on the demo, and on a small hostile world."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import DemoSite, write_files

from generator.check import check_repository
from generator.repository import load_repository
from generator.site import build_site
from generator.site.assemble import render_site
from generator.site.render import Asset, NavLink, Site

AS_OF = date(2026, 3, 20)
HOSTILE = "<script>alert(1)</script> | *bold* [x](javascript:alert(2))"

WORLD = {
    "panels/authority.yml": """\
name: Testshire Council
case_id_pattern: "[0-9]{6}"
case_system: Mosaic
teams:
  - id: north
    name: North Team
""",
    "panels/roster.yml": f"""\
people:
  - id: p-chair
    name: Chris Chair
    roles: [head-of-service]
  - id: p-worker
    name: "Wendy {HOSTILE} Worker"
    roles: [social-worker]
    team: north
  - id: p-manager
    name: Morgan Manager
    roles: [team-manager, service-manager]
    team: north
  - id: p-notes
    name: Nell Notes
    roles: [business-support]
""",
    "panels/tp.md": """\
---
id: tp
name: Test Panel
short_name: TP
source: Invented for the tests.
purpose: Decides test things.
terms:
  review_due: 2030-01-01
chair:
  roles: [head-of-service]
  description: A head of service chairs.
quorum:
  roles: [service-manager]
  min_members: 2
  description: The chair and two members, one a service manager.
cadence:
  frequency: weekly
  weekday: monday
  start: "10:00"
  end: "12:00"
  venues: [hq]
venues:
  - id: hq
    name: Head Office
timing:
  business_minutes: 10
  slot_minutes: 30
agenda:
  - title: Welcome
    kind: conduct
  - title: Cases
    kind: cases
conduct_statement: What is said here stays here.
documents:
  - id: chronology
    name: Chronology
referral:
  route: referral
  deadline: working-days-before
  days: 2
  description: Two working days before.
request_types:
  - id: review
    name: Plan review
    description: A review of the plan.
outcomes:
  - id: agree
    name: Plan agreed
  - id: decline
    name: Plan not agreed
after_meeting:
  - id: minutes-drafted
    name: Minutes drafted
    milestone: minutes-drafted
    within:
      within: 2
      unit: working-days
    role: business-support
  - id: minutes-approved
    name: Minutes approved
    milestone: minutes-approved
    within:
      within: 5
      unit: working-days
    role: head-of-service
  - id: minutes-sent
    name: Minutes sent to the service manager
    milestone: minutes-distributed
    within:
      within: 10
      unit: working-days
    role: business-support
    recipients: [service-manager]
---
""",
    "cases/123456/case.md": f"""\
---
id: "123456"
children:
  - id: c1
    name: "Ada {HOSTILE} Child"
    date_of_birth: 2016-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
worker: p-worker
team: north
---
""",
    "cases/123456/referrals/2026-03-02-tp.md": f"""\
---
panel: tp
meeting: 2026-03-02
case: "123456"
request: review
children: [c1]
sought: "A decision {HOSTILE}"
presenter: p-worker
documents:
  - id: chronology
    date: 2026-02-01
    location: "Mosaic > Documents {HOSTILE}"
---
""",
    "decisions/tp/2026-03-02/meeting.md": """\
---
panel: tp
date: 2026-03-02
chair: p-chair
attendees:
  - person: p-chair
    role: head-of-service
    capacity: chair
  - person: p-manager
    role: service-manager
    capacity: member
  - person: p-notes
    role: business-support
    capacity: minute-taker
conflicts:
  - person: p-manager
    case: "123456"
    nature: Managed the family's previous worker
    withdrew: true
heard: ["123456"]
milestones:
  minutes-drafted: 2026-03-09
distributed_to: [p-notes]
---
""",
    "decisions/tp/2026-03-02/123456.md": f"""\
---
panel: tp
meeting: 2026-03-02
case: "123456"
children: [c1]
request: review
outcomes: [agree]
agreed:
  - "The plan continues {HOSTILE}"
actions:
  - id: a1
    what: "Update the plan {HOSTILE}"
    owner: p-worker
    due: 2026-03-16
review_date: 2026-06-01
rationale: "The plan is working {HOSTILE}"
views:
  - person: p-chair
    stance: disagree
    note: "Would go further {HOSTILE}"
chair: p-chair
chair_followed_majority: false
---
The panel discussed the plan. <img src=x onerror=alert(11)>
""",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small world, written once."""
    root = tmp_path_factory.mktemp("meetings-world")
    write_files(root, WORLD)
    return root


@pytest.fixture(scope="module")
def rendered(world: Path) -> Site:
    """The small world's pages, checked and rendered (without MkDocs)."""
    repo, problems = load_repository(world)
    return render_site(repo, [*problems, *check_repository(repo, as_of=AS_OF)], as_of=AS_OF)


def page(site: Site, path: str) -> str:
    """The Markdown of one rendered page."""
    return next(p.markdown for p in site.pages if p.path == path)


def test_meeting_pages_for_every_demo_meeting(demo_site: DemoSite) -> None:
    """Every demo meeting record has a meeting page, minutes and a pack; every decision a sheet and a case note."""
    missing: list[str] = []
    for record in sorted((demo_site.repo / "decisions").glob("*/*/meeting.md")):
        panel, day = record.parent.parent.name, record.parent.name
        wanted = [f"meetings/{panel}/{day}.md", f"meetings/{panel}/{day}/minutes.md", f"meetings/{panel}/{day}/pack.md"]
        for sheet in sorted(record.parent.glob("*.md")):
            if sheet.name != "meeting.md":
                wanted += [f"meetings/{panel}/{day}/{sheet.stem}.md", f"meetings/{panel}/{day}/{sheet.stem}.txt"]
        missing += [w for w in wanted if not (demo_site.docs / w).is_file()]
        missing += [
            w for w in wanted if w.endswith(".md") and not (demo_site.site / w[:-3]).with_suffix(".html").is_file()
        ]
    assert [] == missing


def test_a_sibling_group_gets_a_sheet_and_a_case_note_per_child(demo_site: DemoSite) -> None:
    """CDM's decision for a two-child case: the whole sheet links one copy per child, each naming that child only."""
    folder = demo_site.docs / "meetings/cdm/2026-11-16"
    whole = (folder / "204476.md").read_text(encoding="utf-8")
    first = (folder / "204476-c1.md").read_text(encoding="utf-8")
    note = (folder / "204476-c2.txt").read_text(encoding="utf-8")
    expected = (True, True, True, False, True, False)
    assert expected == (
        "- [Decision sheet for Gideon Cindergate](204476-c1.md)" in whole,
        "- [Decision sheet for Linnet Cindergate](204476-c2.md)" in whole,
        "| Gideon Cindergate | 2019-01-27 |" in first,
        "Linnet Cindergate" in first,
        "Case 204476. Child: Linnet Cindergate." in note,
        "Gideon" in note.split("The panel agreed")[0],
    )


def test_every_demo_panel_has_a_held_meeting_with_sheets(demo_site: DemoSite) -> None:
    """Each panel of the demo has at least one meeting page with minutes and a decision sheet."""
    panels = sorted(p.stem for p in (demo_site.repo / "panels").glob("*.md"))
    held = sorted(
        {
            folder.parent.name
            for folder in (demo_site.docs / "meetings").glob("*/*")
            if folder.is_dir() and (folder / "minutes.md").is_file() and list(folder.glob("[0-9]*.md"))
        }
    )
    assert panels == held


def test_demo_meetings_index_and_home_link_meeting_pages(demo_site: DemoSite) -> None:
    """The meetings index lists coming and past meetings by panel; the home page links the coming ones."""
    index = (demo_site.docs / "meetings/index.md").read_text(encoding="utf-8")
    home = (demo_site.docs / "index.md").read_text(encoding="utf-8")
    expected = [
        "| [2026-11-26](clam/2026-11-26.md) |" in index,
        "| [2026-11-17](cmr/2026-11-17.md) |" in index,
        "[CLAM meeting on 2026-11-26](meetings/clam/2026-11-26.md)" in home,
        "## Coming meetings" in home,
    ]
    assert [True] * len(expected) == expected


def test_demo_cmr_minutes_show_duty_timeliness(demo_site: DemoSite) -> None:
    """The CMR minutes give each duty's due date, the date done and its status; the decision on file once per case."""
    text = (demo_site.docs / "meetings/cmr/2026-11-17/minutes.md").read_text(encoding="utf-8")
    rows = [
        line for line in text.splitlines() if line.startswith("| ") and ("on time |" in line or "overdue |" in line)
    ]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    expected = [
        ("case 205283", "2026-11-18", "2026-11-18", "on time"),
        ("case 205340", "2026-11-18", "2026-11-18", "on time"),
        ("case 205397", "2026-11-18", "2026-11-18", "on time"),
        ("Minutes written by the minute taker and sent to the chair for review", "2026-11-20", "2026-11-20", "on time"),
        ("Minutes approved by the chair", "2026-11-24", "not yet", "overdue"),
        (
            "The relevant part of the approved minutes uploaded to each child's record",
            "2026-11-24",
            "not yet",
            "overdue",
        ),
    ]
    assert expected == [(c[0].rpartition(": ")[2], c[2], c[3], c[4]) for c in cells]


def test_nav_has_one_meetings_entry(rendered: Site) -> None:
    """The navigation reaches meetings through one index entry, never one per meeting."""
    entries = [item for item in rendered.nav if isinstance(item, NavLink) and item.path.startswith("meetings/")]
    assert [NavLink("Meetings", "meetings/index.md")] == entries


def test_hostile_text_is_escaped_on_every_meeting_page(rendered: Site) -> None:
    """Names, sought, locations, agreed items and views from documents reach the pages escaped, never as markup."""
    paths = [
        "meetings/tp/2026-03-02.md",
        "meetings/tp/2026-03-02/minutes.md",
        "meetings/tp/2026-03-02/pack.md",
        "meetings/tp/2026-03-02/123456.md",
    ]
    # Indented lines are literal blocks (the case note): Markdown shows them as text, never as markup.
    found = {
        path: "\n".join(x for x in page(rendered, path).splitlines() if not x.startswith("    ")) for path in paths
    }
    unsafe = [path for path, text in found.items() if "<script" in text or "](javascript" in text or "onerror" in text]
    escaped = [
        path for path, text in found.items() if "&lt;script&gt;alert(1)&lt;/script&gt; &#124; &#42;bold&#42;" in text
    ]
    assert ([], paths) == (unsafe, escaped)


def test_case_note_is_plain_text_beside_the_sheet(rendered: Site) -> None:
    """The case note is a .txt file with the text as written, and an indented (literal) block on the sheet."""
    note = next(a for a in rendered.assets if a.path == "meetings/tp/2026-03-02/123456.txt")
    text = note.data.decode("utf-8")
    assert isinstance(note, Asset)
    assert "1. The plan continues <script>alert(1)</script> | *bold* [x](javascript:alert(2))" in text
    sheet = page(rendered, "meetings/tp/2026-03-02/123456.md")
    assert "    1. The plan continues <script>alert(1)</script>" in sheet
    assert "[case note as a text file](123456.txt)" in sheet


def test_quorum_failure_is_shown(rendered: Site) -> None:
    """A meeting the meeting check finds inquorate says so in words, with the check's reason."""
    text = page(rendered, "meetings/tp/2026-03-02.md")
    assert '!!! failure "Quorum not met"' in text
    assert "1 member(s) besides the chair attended; at least 2 are needed" in text


def test_conflicts_and_withdrawal_are_shown(rendered: Site) -> None:
    """A declared conflict names the member, the case, the agenda item and that they withdrew."""
    row = "| Morgan Manager | 123456 | 2&#46;1 | Managed the family's previous worker | yes, withdrew for item 2.1 |"
    assert row in page(rendered, "meetings/tp/2026-03-02.md")


def test_duty_timeliness_and_distribution(rendered: Site) -> None:
    """Each duty shows its due date, when it was done and its status; distribution says which role was not reached."""
    text = page(rendered, "meetings/tp/2026-03-02/minutes.md")
    expected = [
        "| Minutes drafted | business support | 2026-03-04 | 2026-03-09 | late (3 working days after the due date) |",
        "| Minutes approved | head of service | 2026-03-09 | not yet | overdue |",
        "| Minutes sent to the service manager | business support | 2026-03-16 | not yet | overdue |",
        "| Minutes sent to the service manager | service manager | no | — |",
        "Not every recipient the terms of reference name has been reached.",
        "The minutes were sent to: Nell Notes.",
    ]
    assert [] == [line for line in expected if line not in text]


def test_agenda_table_has_times_and_status_words(rendered: Site) -> None:
    """The agenda gives the business block, the case slot with its time, children, presenter and a readiness word."""
    text = page(rendered, "meetings/tp/2026-03-02.md")
    assert "| 1 | 10:00 to 10:10 | Welcome | | | |" in text
    slot = next(line for line in text.splitlines() if line.startswith("| 2&#46;1 |"))
    assert slot.startswith("| 2&#46;1 | 10:10 to 10:40 | Case 123456: Plan review | Ada &lt;script&gt;")
    assert slot.endswith('<span class="panel-status panel-status-ready">Ready</span> |')


def test_small_world_builds_in_strict_mode(world: Path, tmp_path: Path) -> None:
    """Every link and anchor the meeting pages write resolves: MkDocs strict mode builds with no warning."""
    result = build_site(world, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    pack = (tmp_path / "site/meetings/tp/2026-03-02/pack.html").read_text(encoding="utf-8")
    assert ((), False) == (result.warnings, "onerror" in pack)
