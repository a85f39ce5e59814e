"""The site: pages rendered from a small repository, built by real MkDocs, safe and reproducible."""

from __future__ import annotations

import html
import os
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.every_rule import check_repository
from generator.cli import cli
from generator.core.characters import visible
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site
from generator.site.build import SiteBuildError, build_site
from generator.site.pages import Asset, DuplicatePageError, Files, NavLink, NavSection, Page
from generator.site.sanitise import body_html, escape_markdown
from generator.tools.demo import copy_panels
from generator.views.words import age_label

AS_OF = date(2026, 3, 2)
PROJECT = Path(__file__).resolve().parent.parent

AUTHORITY = """\
name: "Testshire <b onmouseover=alert(8)>Council</b>"
case_id_pattern: "[0-9]{6}"
confidentiality: "TEST-SENSITIVE <script>alert(9)</script> banner"
teams:
  - id: north
    name: North Team
"""

ROSTER = """\
people:
  - id: p-chair
    name: Chris Chair
    roles: [head-of-service]
  - id: p-worker
    name: "Wendy <img src=x onerror=alert(5)> Worker"
    roles: [social-worker]
    team: north
  - id: p-manager
    name: Morgan Manager
    roles: [team-manager]
    team: north
  - id: p-member
    name: Max Member
    roles: [service-manager]
"""

PANEL = """\
---
id: tp
name: "Test Panel <script>alert(1)</script>"
short_name: "TP <i>nav</i>"
source: Invented for the tests.
purpose: "Decides test things | quickly."
terms:
  approved: 2024-01-01
  review_due: 2025-01-01
chair:
  roles: [head-of-service]
  description: A head of service chairs.
members:
  - role: service-manager
    description: A service manager.
  - role: social-worker
    description: The allocated worker.
    attends: per-case
quorum:
  min_members: 1
  roles: [service-manager]
  description: The chair and one service manager.
cadence:
  frequency: weekly
  weekday: monday
  on_holiday: skip
  start: "10:00"
  end: "12:00"
  venues: [hq]
venues:
  - id: hq
    name: Head Office
timing:
  slot_minutes: 30
  emergency_slots: 1
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
documents:
  - id: chronology
    name: Chronology
    max_age_days: 90
sections:
  - id: summary
    heading: Summary
    prompt: What has happened.
requirements:
  documents: [chronology]
  sections: [summary]
request_types:
  - id: review
    name: Plan review
    description: A review of the plan.
    requires:
      authorisations: [team-manager]
outcomes:
  - id: agree
    name: Plan agreed
    follow_up: Update the plan
    within:
      within: 5
      unit: working-days
  - id: decline
    name: Plan not agreed
after_meeting:
  - id: minutes
    name: Minutes approved
    milestone: minutes-approved
    within:
      within: 10
      unit: working-days
    role: head-of-service
triggers:
  - id: judgement
    kind: professional-judgement
    description: The manager judges the case needs the panel.
escalation:
  - to: service-manager
    after:
      within: 5
      unit: working-days
    description: Overdue actions go to the service manager.
---
The panel hears test cases.

<script>alert(1)</script>
<img src=x onerror=alert(2)>
[click me](javascript:alert(3))
[mixed](JaVaScRiPt&colon;alert(3))
<iframe src="https://evil.example/frame"></iframe>
![beacon](https://tracker.example/pixel.png)
<a href="//evil.example/x">protocol relative</a>
<svg onload=alert(6)></svg>
[write to the panel](mailto:panel@example.invalid)

Before the comment <!-- everything after this would be hidden

Still visible after the comment.
"""

CASE = """\
---
id: "123456"
children:
  - id: c1
    name: "Ada <script>alert(4)</script> Child"
    date_of_birth: 2016-05-01
    legal_status: cin
    legal_status_since: 2025-01-10
  - id: c2
    name: Baby Child
    due_date: 2026-06-01
    legal_status: unborn
    legal_status_since: 2025-12-01
worker: p-worker
team: north
manager: p-manager
events:
  - date: 2025-01-10
    kind: opened
    note: "first | second <!-- hidden"
---
"""

REFERRAL = """\
---
panel: tp
meeting: 2026-03-09
case: "123456"
request: review
children: [c1]
ground: judgement
sought: "A decision <!-- on everything that follows"
presenter: p-worker
documents:
  - id: chronology
    date: 2026-02-01
    location: "Mosaic > Documents | `chronology`"
authorisations:
  - role: team-manager
    person: p-manager
    date: 2026-02-20
---
## Summary

Things happened. <script>alert(10)</script>
"""

MEETING = """\
---
panel: tp
date: 2026-02-23
chair: p-chair
attendees:
  - person: p-chair
    role: head-of-service
    capacity: chair
  - person: p-member
    role: service-manager
    capacity: member
heard: ["123456"]
---
"""

DECISION = """\
---
panel: tp
meeting: 2026-02-23
case: "123456"
children: [c1]
request: review
outcomes: [agree]
agreed:
  - "The plan continues [see](javascript:alert(7))"
actions:
  - id: a1
    what: Update the plan
    owner: p-worker
    due: 2026-03-02
rationale: The plan is working.
chair: p-chair
---
The panel discussed the plan. <img src=x onerror=alert(11)>
"""

WORLD = {
    "panels/authority.yml": AUTHORITY,
    "panels/roster.yml": ROSTER,
    "panels/tp.md": PANEL,
    "cases/123456/case.md": CASE,
    "cases/123456/referrals/2026-03-09-tp.md": REFERRAL,
    "decisions/tp/2026-02-23/meeting.md": MEETING,
    "decisions/tp/2026-02-23/123456.md": DECISION,
}

# Material's own templates: a resource loaded from outside the site would be one of these.
_RESOURCE_TAG = re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object|image|use)\b[^>]*>", re.I)
_RESOURCE_ATTRIBUTE = re.compile(r"""\b(?:src|href|srcset|data|poster|xlink:href)\s*=\s*["']?\s*([^"'\s>]+)""", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*([^"')\s]+)""", re.I)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


_GENERATED_CHART = re.compile(r"charts/[a-z0-9-]+\.svg")
"""The reports' own SVG charts, drawn by the generator: the only images a page may hold."""


class _Markup(HTMLParser):
    """Collects what a page holds as markup: elements and attributes, script text, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []
        self._in_script = False
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self._in_article = self._in_article or tag == "article"
        chart = tag == "img" and _GENERATED_CHART.fullmatch(dict(attrs).get("src") or "") is not None
        if (
            self._in_article
            and tag in ("iframe", "object", "embed", "form", "input", "svg", "img", "style")
            and not chart
        ):
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") or text.startswith(("javascript:", "data:")) or "example/" in text:
                self.unsafe.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        self._in_article = self._in_article and tag != "article"

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.unsafe.append(f"<script>{data.strip()[:40]}")

    def handle_comment(self, data: str) -> None:
        if "hidden" in data or "everything" in data:
            self.unsafe.append(f"<!--{data[:40]}")


def unsafe_markup(page: Path) -> list[str]:
    """The markup in a built page that a document put there: handlers, scripts, frames, comments."""
    parser = _Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.unsafe


def write_world(root: Path, files: dict[str, str]) -> Path:
    """Write `files` under `root` and return `root`."""
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test repository, written once for the module."""
    return write_world(tmp_path_factory.mktemp("world"), WORLD)


@pytest.fixture(scope="module")
def site(world: Path) -> Path:
    """The test repository built once into a site (each real MkDocs build takes a second or so)."""
    build_site(world, world / "site", as_of=AS_OF)
    return world / "site"


def with_characters(page_html: str) -> str:
    """The HTML with numeric character references (how the renderer escapes `|`, `[`, `_`) decoded."""
    return re.sub(r"&#([0-9]+);", lambda match: chr(int(match.group(1))), page_html)


def read(site: Path, page: str) -> str:
    """A built file's text."""
    return (site / page).read_text(encoding="utf-8")


def content_pages(site: Path) -> list[Path]:
    """Every HTML page the generator wrote (MkDocs' own 404 page has no content of ours)."""
    return [page for page in sorted(site.rglob("*.html")) if page.name != "404.html"]


def external_resources(site: Path) -> list[str]:
    """Every `file: url` where a built page, stylesheet or script loads something from outside the site."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8")
        urls: list[str] = []
        if path.suffix == ".html":
            urls += [url for tag in _RESOURCE_TAG.findall(text) for url in _RESOURCE_ATTRIBUTE.findall(tag)]
            urls += _CSS_URL.findall(text)
        if path.suffix == ".css":
            urls += _CSS_URL.findall(text)
        if path.suffix == ".js":
            urls += re.findall(r"""importScripts\(\s*["']([^"']+)""", text)
        found += [f"{path.relative_to(site)}: {url}" for url in urls if _EXTERNAL.match(html.unescape(url))]
    return found


def test_the_checker_finds_only_the_past_review(world: Path) -> None:
    """The test repository's only diagnostic is the panel's past review date: its referral is ready."""
    repo, problems = load_repository(world)
    found = [(d.path, d.name) for d in [*problems, *check_repository(repo, as_of=AS_OF)]]
    assert [("panels/tp.md", "terms-past-review")] == found


def test_pages_written(site: Path) -> None:
    """The site has a home page, a page per panel, the cases index, a page per case, the problems page and
    the meetings pages (other areas, such as trackers and reports, have tests of their own)."""
    core = ("cases", "index", "panels", "problems", "meetings")
    pages = sorted(
        str(page.relative_to(site))
        for page in content_pages(site)
        if str(page.relative_to(site)).split("/")[0].removesuffix(".html") in core
    )
    meetings = [f"meetings/tp/{day}.html" for day in ("2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16")]
    meetings += [f"meetings/tp/{day}/pack.html" for day in ("2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16")]
    meetings += ["meetings/index.html", "meetings/tp/2026-02-23/minutes.html", "meetings/tp/2026-02-23/123456.html"]
    expected = ["cases.html", "cases/123456.html", "index.html", "panels/tp.html", "problems.html", *meetings]
    assert sorted(expected) == pages


def test_home_lists_panels_with_their_next_meeting(site: Path) -> None:
    """The home page names the authority and gives each panel's next meeting and referral deadline."""
    page = read(site, "index.html")
    assert True is ('">Testshire &lt;b onmouseover=alert(8)&gt;Council&lt;/b&gt;<a class="headerlink"' in page)
    row = '<a href="panels/tp.html">Test Panel &lt;script&gt;alert(1)&lt;/script&gt;</a>'
    assert True is (row in page)
    cells = ["Weekly on Monday, 10:00 to 12:00", "2026-03-02", "Head Office", "2026-02-25"]
    assert cells == [cell for cell in cells if f"<td>{cell}</td>" in page]


def test_panel_page_shows_its_rules(site: Path) -> None:
    """The panel page renders the terms of reference from the model, with the past-review notice."""
    page = with_characters(read(site, "panels/tp.html"))
    expected = [
        "Decides test things | quickly.",
        "These terms of reference were due for review on 2025-01-01.",
        "A head of service chairs.",
        "<td>service manager</td>",
        "<td>per case</td>",
        "The chair and one service manager.",
        "Weekly on Monday, 10:00 to 12:00",
        "3 working days before the meeting",
        "<strong>Each case:</strong> 30 minutes",
        "What is said here stays here.",
        "<td>Chronology</td>",
        "<td>90 days</td>",
        'id="plan-review">Plan review<',
        "<td>Chronology (no older than 90 days)</td>",
        "<td>team manager</td>",
        "<td>Update the plan</td>",
        "<td>5 working days</td>",
        "<td>Minutes approved</td>",
        "The manager judges the case needs the panel.",
        "Overdue actions go to the service manager.",
        "The panel hears test cases.",
        '<a href="mailto:panel@example.invalid" rel="noopener noreferrer">write to the panel</a>',
        "Still visible after the comment.",
    ]
    assert [] == [text for text in expected if text not in page]


def test_case_page_shows_children_referrals_and_decisions(site: Path) -> None:
    """The case page has the children's ages, key events, the referral with its check result and the decision."""
    page = with_characters(read(site, "cases/123456.html"))
    expected = [
        "<td>Ada &lt;script&gt;alert(4)&lt;/script&gt; Child</td>",
        "<td>9 years</td>",
        "<td>unborn, due 2026-06-01</td>",
        "<td>first | second &lt;!-- hidden</td>",
        '<h2 id="referral-2026-03-09-tp">',
        "Ready",
        "No problems found.",
        "<strong>Sought:</strong> A decision &lt;!-- on everything that follows",
        "<td>Mosaic &gt; Documents | `chronology`</td>",
        "<h4>Summary</h4>",
        '<h2 id="decision-2026-02-23-tp">',
        "<strong>Outcome:</strong> Plan agreed",
        "<li>The plan continues [see](javascript:alert(7))</li>",
        "<td>Update the plan</td>",
        "The panel discussed the plan.",
    ]
    assert [] == [text for text in expected if text not in page]


def test_cases_index_links_each_case(site: Path) -> None:
    """The cases index has a row per case: link, team, worker, referrals and problems."""
    page = read(site, "cases.html")
    row = (
        '<td><a href="cases/123456.html">123456</a></td>\n<td>North Team</td>\n'
        "<td>Wendy &lt;img src=x onerror=alert(5)&gt; Worker</td>\n<td>1</td>\n<td>0</td>"
    )
    assert True is (row in page)


def test_problems_page_lists_every_diagnostic(site: Path) -> None:
    """The problems page lists the past-review warning and links to the panel's page."""
    page = read(site, "problems.html")
    assert True is ('<a href="panels/tp.html">panels/tp.md</a>' in page)
    assert True is ("terms-past-review" in page)


def test_no_markup_from_documents_survives(site: Path) -> None:
    """Scripts, handlers, javascript: links, frames, external images and comments never reach the HTML as markup."""
    found = [f"{page.relative_to(site)}: {item}" for page in content_pages(site) for item in unsafe_markup(page)]
    assert [] == found


def test_no_resource_is_loaded_from_outside_the_site(site: Path) -> None:
    """No page, stylesheet or script loads anything by an absolute or protocol-relative URL."""
    assert [] == external_resources(site)


def test_banner_on_every_page(site: Path) -> None:
    """Every page starts its content with the authority's confidentiality banner, escaped."""
    banner = (
        '<div class="panel-confidentiality" role="note" data-search-exclude>'
        "TEST-SENSITIVE &lt;script&gt;alert(9)&lt;/script&gt; banner</div>"
    )
    pages = content_pages(site)
    assert pages == [page for page in pages if banner in read(site, str(page.relative_to(site)))]


def test_navigation_never_lists_cases(site: Path) -> None:
    """No page's navigation links to a case page: the navigation lists the cases index only."""
    pages = ["index.html", "panels/tp.html", "problems.html", "cases.html"]
    navigation = {page: _primary_navigation(read(site, page)) for page in pages}
    linked = [page for page, nav in navigation.items() if re.search(r'href="[^"]*cases/123456', nav)]
    assert ([], True) == (linked, 'href="../cases.html"' in navigation["panels/tp.html"])


def _primary_navigation(page_html: str) -> str:
    """The HTML of Material's primary (left) sidebar, which holds the site navigation."""
    start = page_html.index('class="md-sidebar md-sidebar--primary"')
    return page_html[start : page_html.index('class="md-sidebar md-sidebar--secondary"', start)]


def test_rendered_nav_has_no_case_page(world: Path) -> None:
    """The navigation names the home page, panels, each area's index pages, the cases index and problems: no case."""
    repo, _ = load_repository(world)
    site = render_site(Workspace(repo, (), AS_OF))
    expected = (
        NavLink("Home", "index.md"),
        NavSection("Panels", (NavLink("TP <i>nav</i>", "panels/tp.md"),)),
        NavLink("Meetings", "meetings/index.md"),
        NavSection(
            "Trackers",
            (
                NavLink("Actions", "trackers/actions.md"),
                NavLink("Reviews due", "trackers/reviews.md"),
                NavLink("Duties", "trackers/duties.md"),
                NavLink("Drift radar", "trackers/drift.md"),
            ),
        ),
        NavSection(
            "Reports",
            (
                NavLink("Chair's annual report", "reports/annual.md"),
                NavLink("LAC reduction report", "reports/lac-reduction.md"),
            ),
        ),
        NavLink("Calendars", "calendars.md"),
        NavLink("Audit", "audit/index.md"),
        NavLink("Cases", "cases.md"),
        NavLink("Problems", "problems.md"),
    )
    assert expected == site.nav


def test_rebuild_is_byte_identical(world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same repository and date give the same bytes in every file, whatever the folders and the environment."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    first = build_site(world, tmp_path / "one", as_of=AS_OF, work_dir=tmp_path / "work-one").out_dir
    second = build_site(world, tmp_path / "two", as_of=AS_OF, work_dir=tmp_path / "work-two").out_dir
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    assert [] == [name for name in files if (first / name).read_bytes() != (second / name).read_bytes()]
    assert "1" == os.environ["SOURCE_DATE_EPOCH"]


def test_rebuild_removes_pages_of_deleted_cases(tmp_path: Path) -> None:
    """A case removed from the repository disappears from the next build: no stale page is published."""
    root = write_world(tmp_path / "repo", WORLD)
    build_site(root, root / "site", as_of=AS_OF)
    shutil.rmtree(root / "cases")
    shutil.rmtree(root / "decisions")
    build_site(root, root / "site", as_of=AS_OF)
    assert [False, False] == [
        (root / "site/cases/123456.html").exists(),
        (root / "build/docs/cases/123456.md").exists(),
    ]


def test_refuses_to_empty_a_folder_it_did_not_make(world: Path, tmp_path: Path) -> None:
    """An output folder holding something else is refused, and left as it was."""
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(SiteBuildError, match="not made by `panel build`"):
        build_site(world, out, as_of=AS_OF, work_dir=tmp_path / "work")
    assert ["notes.txt"] == [p.name for p in out.iterdir()]


def test_cli_builds_and_exits_zero(world: Path, tmp_path: Path) -> None:
    """`panel build` exits 0 and says where the site is when the site shows warnings but no errors."""
    out = tmp_path / "cli-site"
    result = CliRunner().invoke(cli, ["build", "--repo", str(world), "--out", str(out), "--as-of", "2026-03-02"])
    # The page count grows with each area of the site (meetings, trackers, reports): only its form is pinned.
    message = re.fullmatch(
        rf"{re.escape(str(out))}: [0-9]+ pages as of 2026-03-02; the site shows 0 problems\n", result.output
    )
    assert (0, True) == (result.exit_code, message is not None)


def test_cli_exits_two_without_authority(tmp_path: Path) -> None:
    """A repository without authority settings is a configuration error: exit 2 and one line, no traceback."""
    root = write_world(tmp_path / "repo", {k: v for k, v in WORLD.items() if k != "panels/authority.yml"})
    result = CliRunner().invoke(cli, ["build", "--repo", str(root), "--as-of", "2026-03-02"])
    message = f"Error: {root}: panels/authority.yml is missing or invalid (run `panel check`)\n"
    assert (2, message) == (result.exit_code, result.output)


MESSY = WORLD | {
    "panels/other.md": PANEL.replace("id: tp", "id: not-other", 1),
    "cases/123456/referrals/2026-03-16-tp.md": "---\npanel: tp\nmeeting: [unclosed\n---\n",
    "cases/123456/referrals/2026-03-23-nope.md": REFERRAL.replace("panel: tp", "panel: nope").replace(
        "2026-03-09", "2026-03-23"
    ),
    "cases/654321/case.md": "no front matter at all",
    "cases/654321/referrals/2026-03-09-tp.md": REFERRAL.replace('"123456"', '"654321"'),
    "decisions/tp/2026-03-02/123456.md": DECISION.replace("2026-02-23", "2026-03-02"),
}


def test_site_builds_around_broken_documents(tmp_path: Path) -> None:
    """Broken, unknown and mismatched documents are shown as problems; the build still succeeds in strict mode."""
    root = write_world(tmp_path / "repo", MESSY)
    result = build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    case_page = with_characters(read(tmp_path / "site", "cases/123456.html"))
    problems = read(tmp_path / "site", "problems.html")
    expected = [
        "Not ready" in case_page,
        "Referral to nope, 2026-03-23" in case_page,
        'id="cases123456referrals2026-03-16-tpmd">cases/123456/referrals/2026-03-16-tp.md<' in case_page,
        '<a href="panels/other.html">panels/other.md</a>' in problems,
        "cases/654321/case.md" in problems,
        '<a href="cases/123456.html">cases/123456/referrals/2026-03-16-tp.md</a>' in problems,
        "cases/123456/referrals/2026-03-16-tp.md" in problems,
        (tmp_path / "site/panels/other.html").is_file(),
    ]
    assert ([True] * len(expected), ()) == (expected, result.warnings)


def test_project_panels_all_build(tmp_path: Path) -> None:
    """Every panel the project encodes renders and builds in strict mode (no broken link or anchor)."""
    root = tmp_path / "repo"
    copy_panels(PROJECT, root)
    result = build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    panels = sorted(p.stem for p in (PROJECT / "panels").glob("*.md"))
    assert panels == sorted(p.stem for p in (tmp_path / "site" / "panels").glob("*.html"))
    assert () == result.warnings


def test_duplicate_page_refused() -> None:
    """Gathering two pages for one path (whatever its letter case) is refused."""
    files = Files()
    files.add_page(Page("cases/AB1.md", "Case AB1", ""))
    with pytest.raises(DuplicatePageError):
        files.add_page(Page("cases/ab1.md", "Case ab1", ""))


def test_a_file_at_a_pages_address_refused() -> None:
    """A static file where a page is published (`x.html` for the page `x.md`) is refused: one would hide the other."""
    files = Files()
    files.add_page(Page("meetings/tp/2026-03-02.md", "TP meeting", ""))
    with pytest.raises(DuplicatePageError):
        files.add_asset(Asset("meetings/tp/2026-03-02.html", b"<!doctype html>"))


def test_unsafe_page_path_refused() -> None:
    """A page path that would leave the docs folder is refused."""
    with pytest.raises(ValueError, match="unsafe page path"):
        Files().add_page(Page("../outside.md", "Outside", ""))


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2016-05-01", "9 years"),
        ("2024-12-01", "15 months"),
        ("2026-02-01", "1 month"),
        ("2026-02-20", "1 week"),
    ],
)
def test_age_label(born: str, expected: str) -> None:
    """Ages read in years from two, in months below, in weeks below a month."""
    from generator.models import Child

    child = Child(id="c1", name="A", date_of_birth=born, legal_status="cin", legal_status_since="2025-01-01")
    assert expected == age_label(child, AS_OF)


def _rendered_text(source: str) -> str:
    """What Python-Markdown (with the site's extensions) shows for `source`, as plain text."""
    rendered = markdown.markdown(source, extensions=["tables", "attr_list", "admonition", "toc"])
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_escaped_values_render_literally(value: str) -> None:
    """Any value, escaped, renders as exactly its own text (whitespace collapsed, hidden characters
    shown as `[U+202E]` marks) and never as markup."""
    escaped = escape_markdown(value)
    shown = " ".join(visible(value).split())
    assert shown == _rendered_text(escaped)
    assert [] == re.findall(r"<(?!/?p>)", markdown.markdown(escaped, extensions=["tables", "attr_list"]))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
def test_escaped_values_stay_in_their_table_cell(value: str) -> None:
    """An escaped value in a table cell makes exactly one cell."""
    table = f"| a | b |\n| --- | --- |\n| {escape_markdown(value)} | x |\n"
    rendered = markdown.markdown(table, extensions=["tables"])
    assert 2 == rendered.count("<td")


DANGEROUS = ("<script", "onerror", "javascript", "evil.example", "<form", "<meta", "<img", "<style", "style=")
DANGEROUS += ("<!--", "<svg", "<input")


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT&#58;alert(1))",
        '<a href="java&#x09;script:alert(1)">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<form action="x"><input name="a"></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "![x](https://evil.example/beacon.png)",
        '<a href="//evil.example">x</a>',
        '<a href="/\\evil.example">x</a>',
        "<style>body{background:url(https://evil.example)}</style>",
        '<p style="background:url(https://evil.example)">x</p>',
        "<!-- hidden -->",
    ],
)
def test_body_sanitised(body: str) -> None:
    """Dangerous or outward-reaching HTML in a body is inert: no tag or attribute carries it (raw HTML
    is shown as text, `&lt;script&gt;`)."""
    markup = " ".join(re.findall(r"<[^>]*>", body_html(body).lower()))
    assert [] == [bad for bad in DANGEROUS if bad in markup]


def test_bodies_share_no_state() -> None:
    """An abbreviation defined in one body does not reach the next one rendered."""
    body_html("HTML here\n\n*[HTML]: A child's name")
    assert "<p>HTML again</p>" == body_html("HTML again")


def test_body_keeps_structure_and_shifts_headings() -> None:
    """Headings move down a level, lists, tables, emphasis, relative and mailto links are kept."""
    body = "# Title\n\n- one\n- *two*\n\n[page](other.md) [mail](mailto:a@example.invalid)\n"
    expected = (
        "<h2>Title</h2>\n<ul>\n<li>one</li>\n<li><em>two</em></li>\n</ul>\n"
        '<p><a href="other.md" rel="noopener noreferrer">page</a> '
        '<a href="mailto:a@example.invalid" rel="noopener noreferrer">mail</a></p>'
    )
    assert expected == body_html(body)


def test_project_config_matches_the_packaged_one() -> None:
    """The root mkdocs.yml and the copy the generator loads are the same file."""
    packaged = PROJECT / "generator" / "templates" / "site" / "mkdocs.yml"
    assert (PROJECT / "mkdocs.yml").read_bytes() == packaged.read_bytes()
