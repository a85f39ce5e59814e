"""The built demo site in a real browser: Debian's chromium, driven by Playwright, never a downloaded browser.

Every request the pages make is routed through the test and any that leaves the site fails it.
The journey runs twice: over http from a local server, and from the file system (file://).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import DemoSite

from generator.pipeline.gather import gather
from generator.pipeline.workspace import Workspace
from generator.tools.pdf import FLAGS as PDF_FLAGS
from generator.views.agenda import Agenda, SlotKind, meeting_agendas

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [flag for flag in PDF_FLAGS if flag != "--headless"]
"""Chromium's flags, as `panel pdf` launches it (Playwright adds headless itself)."""
PREFERRED = ("clam", date(2026, 11, 26))
TIMEOUT_MS = 30_000

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        f"{CHROMIUM} is not installed (Debian's chromium: `make setup` as root, or apt-get install chromium); "
        "CI never skips this test",
        allow_module_level=True,
    )

from playwright.sync_api import BrowserContext, Page, Route, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def http_base(demo_site: DemoSite) -> Iterator[str]:
    """The demo site served over http on 127.0.0.1 from a thread; its base URL."""
    handler = functools.partial(_Quiet, directory=str(demo_site.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Guard:
    """Sees every request; lets through only those to the site's own origin."""

    origin: str
    """The site's origin prefix (`http://127.0.0.1:PORT/` or `file://`)."""
    outside: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def inside(self, url: str) -> bool:
        """Whether `url` stays within the site (data: and blob: URLs never touch the network)."""
        return url.startswith((self.origin, "data:", "blob:", "about:"))

    def route(self, route: Route) -> None:
        """Abort and record a request leaving the site; let the others through."""
        url = route.request.url
        self.seen.append(url)
        if self.inside(url):
            route.continue_()
        else:
            self._record(url)
            route.abort()

    def watch(self, request: Any) -> None:
        """Record any request seen outside routing (workers, frames) that leaves the site."""
        if not self.inside(request.url):
            self._record(request.url)

    def _record(self, url: str) -> None:
        if url not in self.outside:
            self.outside.append(url)


@pytest.fixture
def context(tmp_path: Path) -> Iterator[BrowserContext]:
    """A fresh Chromium profile, headless, driving /usr/bin/chromium only."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (scripts/bootstrap-system.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
            service_workers="block",
        )
        browser.set_default_timeout(TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


def guarded(context: BrowserContext, origin: str) -> tuple[Page, Guard]:
    """A page whose every request goes through a Guard for `origin`."""
    guard = Guard(origin)
    context.route("**/*", guard.route)
    context.on("request", guard.watch)
    page = context.pages[0] if context.pages else context.new_page()
    return page, guard


def site_data(repo: Path, as_of: date) -> Workspace:
    """The demo repository loaded and checked, as the build sees it."""
    workspace = gather(repo, as_of=as_of)
    assert workspace.repo.authority is not None
    return workspace


@pytest.fixture(scope="module")
def chosen(demo_site: DemoSite) -> Agenda:
    """The CLAM meeting of 26 November 2026 if the demo has it with cases, else the first meeting with cases."""
    agendas = [a for a in meeting_agendas(site_data(demo_site.repo, demo_site.as_of)) if a.cases]
    assert agendas, "the demo has no meeting with a booked case"
    return next((a for a in agendas if (a.panel_id, a.date) == PREFERRED), agendas[0])


def meeting_href(agenda: Agenda) -> str:
    """The end of a link to the meeting's page."""
    return f"meetings/{agenda.panel_id}/{agenda.date.isoformat()}.html"


def open_agenda(page: Page, home: str, agenda: Agenda) -> None:
    """From the home page to the meeting's page by clicking: the Meetings nav entry, then the meeting."""
    page.goto(home)
    page.locator(".md-sidebar--primary a.md-nav__link", has_text=re.compile(r"^\s*Meetings\s*$")).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("meetings/index.html"), page.url
    page.locator(f'article a[href$="{agenda.panel_id}/{agenda.date.isoformat()}.html"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith(meeting_href(agenda)), page.url


def agenda_rows(page: Page) -> list[list[str]]:
    """The cells of every table row in the page's content, as the reader sees them."""
    rows: list[list[str]] = page.eval_on_selector_all(
        "article table tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))"
    )
    return rows


def slot_mismatches(rows: list[list[str]], agenda: Agenda) -> list[str]:
    """Slots whose row is missing, or shows other times or another readiness than the agenda computes."""
    problems = []
    by_number = {row[0]: row for row in rows if row}
    for slot in agenda.slots:
        row = by_number.get(slot.number)
        if row is None:
            problems.append(f"{slot.number}: no row")
            continue
        expected_time = f"{slot.start:%H:%M} to {slot.end:%H:%M}" if slot.start and slot.end else None
        if expected_time is not None and expected_time != row[1]:
            problems.append(f"{slot.number}: time {row[1]!r}, expected {expected_time!r}")
        word = "kept free" if slot.kind is SlotKind.KEPT_FREE else slot.readiness.value
        if not any(cell.casefold().startswith(word) for cell in row[2:]):
            problems.append(f"{slot.number}: no cell starts with {word!r} in {row}")
        if slot.case and not any(f"Case {slot.case}" in cell for cell in row):
            problems.append(f"{slot.number}: case {slot.case} not shown")
    return problems


def search_finds(page: Page, case_id: str) -> bool:
    """Type a case id into Material's search box and see a result naming it."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(case_id)
    result = page.locator(".md-search-result__item", has_text=case_id).first
    result.wait_for(state="visible")
    return result.is_visible()


def journey(page: Page, home: str, agenda: Agenda) -> list[str]:
    """Home → meetings → the agenda; check the slots; search for the first case; what went wrong."""
    open_agenda(page, home, agenda)
    problems = slot_mismatches(agenda_rows(page), agenda)
    page.goto(home)
    if not search_finds(page, agenda.cases[0].case):
        problems.append(f"search found no result for {agenda.cases[0].case}")
    return problems


def test_agenda_over_http(
    context: BrowserContext, http_base: str, chosen: Agenda, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over http: the agenda shows the computed slot times and readiness; search works; nothing leaves the site."""
    page, guard = guarded(context, http_base)
    assert [] == journey(page, http_base + "index.html", chosen)
    page.goto(http_base + meeting_href(chosen))
    shot = tmp_path / f"agenda-{chosen.panel_id}-{chosen.date.isoformat()}.png"
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\nscreenshot of the agenda: {shot}")
    assert shot.stat().st_size > 10_000
    assert [] == guard.outside
    assert any(url.endswith(meeting_href(chosen)) for url in guard.seen)


def test_agenda_from_the_file_system(context: BrowserContext, demo_site: DemoSite, chosen: Agenda) -> None:
    """From file://: the same journey, search included, and no request at all to any network address."""
    page, guard = guarded(context, "file://")
    assert [] == journey(page, (demo_site.site / "index.html").as_uri(), chosen)
    assert [] == guard.outside


def test_print_hides_navigation_and_header(context: BrowserContext, http_base: str, chosen: Agenda) -> None:
    """Printed, a meeting page loses the header and navigation and keeps the banner and the agenda."""
    page, guard = guarded(context, http_base)
    page.goto(http_base + meeting_href(chosen))
    assert page.locator("header.md-header").is_visible()
    page.emulate_media(media="print")
    hidden = [
        selector
        for selector in ("header.md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer")
        if page.locator(selector).count() and page.locator(selector).first.is_visible()
    ]
    assert [] == hidden
    assert page.locator(".panel-confidentiality").first.is_visible()
    assert page.locator("article table").first.is_visible()
    assert [] == guard.outside


def test_meeting_pack_opens_as_a_printout(context: BrowserContext, http_base: str, chosen: Agenda) -> None:
    """From the meeting page, the pack opens as a standalone printout: banner, agenda, a way back that
    printing hides, and no request but the page and its own stylesheet."""
    page, guard = guarded(context, http_base)
    page.goto(http_base + meeting_href(chosen))
    page.wait_for_load_state("networkidle")
    guard.seen.clear()
    page.locator("article a", has_text=re.compile(r"^\s*Meeting pack\s*$")).first.click()
    page.wait_for_load_state("networkidle")
    pack = meeting_href(chosen).removesuffix(".html") + "/pack.html"
    back = page.locator("nav.printout-nav a")
    on_screen = (back.is_visible(), page.locator(".panel-confidentiality").is_visible())
    page.emulate_media(media="print")
    printed = (back.is_visible(), page.locator("article table").first.is_visible())
    requested = sorted({url.removeprefix(http_base) for url in guard.seen})
    assert ((True, True), (False, True), [], ["assets/printout.css", pack]) == (
        on_screen,
        printed,
        guard.outside,
        requested,
    )


def test_guard_fails_a_request_leaving_the_site(context: BrowserContext, http_base: str) -> None:
    """The guard is not blind: a request to another origin is blocked before it leaves, and recorded.

    A script's fetch is stopped earlier still, by the page's Content-Security-Policy (connect-src
    'self'), so the guard never sees it; a navigation is outside the policy and the guard stops it."""
    page, guard = guarded(context, http_base)
    page.goto(http_base + "index.html")
    outcome = page.evaluate("() => fetch('https://outside.invalid/beacon').then(() => 'sent', () => 'blocked')")
    stopped = guard.outside.copy()
    with pytest.raises(PlaywrightError):
        page.goto("https://outside.invalid/page")
    assert ("blocked", [], ["https://outside.invalid/page"]) == (outcome, stopped, guard.outside)
