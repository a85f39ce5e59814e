"""Meeting pages, minutes, decision sheets, packs and case notes: on the demo, and on a small hostile world."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DemoSite, write_files

from generator.checks.every_rule import check_repository
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site
from generator.site.build import build_site
from generator.site.pages import Asset, NavLink, Site

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
    return render_site(Workspace(repo, tuple(sorted([*problems, *check_repository(repo, as_of=AS_OF)])), AS_OF))


def page(site: Site, path: str) -> str:
    """The Markdown of one rendered page."""
    return next(p.markdown for p in site.pages if p.path == path)


def printout(site: Site, path: str) -> str:
    """The HTML of one rendered printout (a static file MkDocs only copies)."""
    return next(a.data.decode("utf-8") for a in site.assets if a.path == path)


def table_rows(document: str) -> list[list[str]]:
    """The text of every cell of every body row of the HTML's tables, character references decoded."""
    rows = re.findall(r"<tr>\n(.*?)</tr>", document, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row] for row in cells if row]


def ragged_tables(document: str) -> list[str]:
    """Tables of the HTML with a row whose cell count differs from the header's (a value's `|` split a cell)."""
    ragged = []
    for number, table in enumerate(re.findall(r"<table>(.*?)</table>", document, re.S), start=1):
        columns = len(re.findall(r"<th[ >]", table))
        counts = {
            len(re.findall(r"<td[ >]", row)) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S) if "<td" in row
        }
        if counts - {columns}:
            ragged.append(f"table {number}: {columns} columns, rows of {sorted(counts)}")
    return ragged


class _Markup(HTMLParser):
    """Every tag, attribute and piece of text of an HTML document, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.add("<!--")


def markup(document: str) -> _Markup:
    """The tags, attributes and text of `document`."""
    parser = _Markup()
    parser.feed(document)
    parser.close()
    return parser


def test_meeting_pages_for_every_demo_meeting(demo_site: DemoSite) -> None:
    """Every demo meeting record has a meeting page, and minutes and a pack as printouts (HTML files MkDocs
    only copies); every decision a printed sheet and a case note."""
    missing: list[str] = []
    for record in sorted((demo_site.repo / "decisions").glob("*/*/meeting.md")):
        panel, day = record.parent.parent.name, record.parent.name
        wanted = [f"meetings/{panel}/{day}/minutes.html", f"meetings/{panel}/{day}/pack.html"]
        for sheet in sorted(record.parent.glob("*.md")):
            if sheet.name != "meeting.md":
                wanted += [f"meetings/{panel}/{day}/{sheet.stem}.html", f"meetings/{panel}/{day}/{sheet.stem}.txt"]
        missing += [w for w in wanted if not (demo_site.docs / w).is_file() or not (demo_site.site / w).is_file()]
        meeting = f"meetings/{panel}/{day}"
        if not (demo_site.docs / f"{meeting}.md").is_file() or not (demo_site.site / f"{meeting}.html").is_file():
            missing.append(f"{meeting}.md")
    assert [] == missing


def test_a_sibling_group_gets_a_sheet_and_a_case_note_per_child(demo_site: DemoSite) -> None:
    """CDM's decision for a two-child case: the whole sheet links one copy per child, each naming that child only.

    The case note as a text file is a download: it names the child by initials (docs/audiences.md).
    """
    folder = demo_site.site / "meetings/cdm/2026-11-16"
    whole = (folder / "204476.html").read_text(encoding="utf-8")
    first = (folder / "204476-c1.html").read_text(encoding="utf-8")
    note = (folder / "204476-c2.txt").read_text(encoding="utf-8")
    expected = (True, True, True, False, True, False)
    assert expected == (
        '<li><a href="204476-c1.html">Decision sheet for Gideon Cindergate</a></li>' in whole,
        '<li><a href="204476-c2.html">Decision sheet for Linnet Cindergate</a></li>' in whole,
        ["Gideon Cindergate", "2019-01-27"] in table_rows(first),
        "Linnet Cindergate" in first,
        "Case 204476. Child: L. C." in note and "Linnet" not in note,
        "G. C." in note.split("The panel agreed")[0],
    )


def test_every_demo_panel_has_a_held_meeting_with_sheets(demo_site: DemoSite) -> None:
    """Each panel of the demo has at least one meeting page with minutes and a decision sheet."""
    panels = sorted(p.stem for p in (demo_site.repo / "panels").glob("*.md"))
    held = sorted(
        {
            folder.parent.name
            for folder in (demo_site.docs / "meetings").glob("*/*")
            if folder.is_dir() and (folder / "minutes.html").is_file() and list(folder.glob("[0-9]*.html"))
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
    text = (demo_site.site / "meetings/cmr/2026-11-17/minutes.html").read_text(encoding="utf-8")
    cells = [row for row in table_rows(text) if len(row) == 5 and row[4] in ("on time", "overdue")]
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


def test_hostile_text_is_escaped_on_the_meeting_page(rendered: Site) -> None:
    """Names, sought, locations, agreed items and views from documents reach the page escaped, never as markup."""
    text = page(rendered, "meetings/tp/2026-03-02.md")
    # Raw HTML in a narrative is shown as text (`&lt;img src=x onerror=...&gt;`): no tag may carry a handler.
    unsafe = "<script" in text or "](javascript" in text or re.search(r"<[^>]*onerror", text) is not None
    assert (False, True) == (unsafe, "&lt;script&gt;alert(1)&lt;/script&gt; &#124; &#42;bold&#42;" in text)


PRINTOUTS = (
    "meetings/tp/2026-03-02/minutes.html",
    "meetings/tp/2026-03-02/pack.html",
    "meetings/tp/2026-03-02/123456.html",
)
PRINTOUT_TAGS = {"html", "head", "meta", "title", "link", "body", "div", "nav", "main", "article", "a", "h1", "h2"}
PRINTOUT_TAGS |= {"h3", "h4", "p", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"}
PRINTOUT_TAGS |= {"span", "pre", "code"}


@pytest.mark.parametrize("path", PRINTOUTS)
def test_hostile_text_is_only_text_in_a_printout(rendered: Site, path: str) -> None:
    """In a printout's HTML, document values are text: no script, comment, image, event handler or javascript:
    link, a `|` keeps its table cell, and the words are shown as written."""
    parsed = markup(printout(rendered, path))
    handlers = [f"{tag} {name}" for tag, name, _ in parsed.attributes if name.startswith("on")]
    addresses = [value for _, name, value in parsed.attributes if name in ("href", "src") and ":" in value]
    text = "".join(parsed.text)
    assert (set(), [], [], True) == (
        parsed.tags - PRINTOUT_TAGS,
        handlers,
        addresses,
        HOSTILE in text,
    )
    assert [] == ragged_tables(printout(rendered, path))


def test_case_note_is_plain_text_beside_the_sheet(rendered: Site) -> None:
    """The case note is a .txt file with the text as written, and an indented (literal) block on the sheet."""
    note = next(a for a in rendered.assets if a.path == "meetings/tp/2026-03-02/123456.txt")
    text = note.data.decode("utf-8")
    assert isinstance(note, Asset)
    assert "1. The plan continues <script>alert(1)</script> | *bold* [x](javascript:alert(2))" in text
    sheet = printout(rendered, "meetings/tp/2026-03-02/123456.html")
    block = re.search(r"<pre><code>(.*?)</code></pre>", sheet, re.S)
    assert block is not None and "1. The plan continues <script>alert(1)</script>" in html.unescape(block.group(1))
    assert '<a href="123456.txt">case note as a text file</a>' in sheet


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
    text = printout(rendered, "meetings/tp/2026-03-02/minutes.html")
    rows = table_rows(text)
    expected_rows = [
        ["Minutes drafted", "business support", "2026-03-04", "2026-03-09", "late (3 working days after the due date)"],
        ["Minutes approved", "head of service", "2026-03-09", "not yet", "overdue"],
        ["Minutes sent to the service manager", "business support", "2026-03-16", "not yet", "overdue"],
        ["Minutes sent to the service manager", "service manager", "no", "—"],
    ]
    expected_text = [
        "Not every recipient the terms of reference name has been reached.",
        "The minutes were sent to: Nell Notes.",
    ]
    assert ([], []) == (
        [row for row in expected_rows if row not in rows],
        [line for line in expected_text if line not in text],
    )


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


def test_demo_case_notes_never_split_an_outcome_name(demo_site: DemoSite) -> None:
    """Each case note names its decision's outcomes whole, as the panel names them, even a name with commas."""
    repo, _ = load_repository(demo_site.repo)
    broken: list[str] = []
    with_commas = 0
    for doc in repo.decisions:
        panel = repo.panels[doc.model.panel]
        names = {o.id: o.name for o in panel.outcomes}
        stem = Path(doc.path).stem
        folder = demo_site.site / "meetings" / doc.model.panel / doc.model.meeting.isoformat()
        for note in [folder / f"{stem}.txt", *sorted(folder.glob(f"{stem}-*.txt"))]:
            text = note.read_text(encoding="utf-8")
            outcomes = next(line for line in text.splitlines() if line.startswith("Outcome"))
            wanted = [names.get(o, o) for o in doc.model.outcomes]
            with_commas += any("," in name for name in wanted)
            label = "Outcomes" if len(wanted) > 1 else "Outcome"
            if outcomes != f"{label}: {'; '.join(wanted)}.":
                broken.append(f"{note.relative_to(demo_site.site)}: {outcomes}")
    assert ([], True) == (broken, with_commas > 0)


def test_a_superseded_sheet_says_so_and_its_note_names_the_replacement(demo_site: DemoSite) -> None:
    """CMR's first sheet of 2026-10-20 for case 205104 was replaced by version 2: its note never reads as standing."""
    folder = demo_site.site / "meetings/cmr/2026-10-20"
    old_note = (folder / "205104.txt").read_text(encoding="utf-8")
    new_note = (folder / "205104.v2.txt").read_text(encoding="utf-8")
    sheet = (folder / "205104.html").read_text(encoding="utf-8")
    replacement = "CMR decision of 2026-10-20, version 2"
    assert (True, True, False, True, False, True) == (
        old_note.startswith(f"SUPERSEDED: this decision no longer stands. It was replaced by the {replacement};"),
        old_note.endswith(f"Decision sheet status: superseded by the {replacement}.\n"),
        old_note.rstrip().endswith("status: approved."),
        new_note.rstrip().endswith("status: approved."),
        "SUPERSEDED" in new_note,
        "This decision no longer stands: record the case note of the" in sheet,
    )
