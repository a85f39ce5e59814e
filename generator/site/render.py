"""The `render` stage: the repository, its diagnostics and the schedule as Markdown pages and a nav.

Nothing here knows about MkDocs: the output is a set of Markdown files (with a `title` in front
matter), static files (printouts already in HTML, by `generator.site.printout`, CSV, calendars)
and a navigation tree that `mkdocs_config` hands to whichever site builder is used. Every page is
gathered before anything is written, and no path is produced twice.

Templates are Markdown, so jinja2's HTML autoescape does not apply; instead `finalize` escapes every
interpolated value for Markdown. Markdown the renderer builds itself (links, sanitised bodies) is
wrapped in `Safe` and passes through unchanged.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2

from generator.audit.provenance import Entry, Histories, when_label
from generator.core.diagnostics import Diagnostic, Severity
from generator.core.layout import classify
from generator.git.history import History
from generator.loading.repository import Doc, Repository
from generator.models import Case, Child, Decision, Panel, Referral
from generator.models.panel import (
    Cadence,
    DeadlineRule,
    Frequency,
    Milestone,
    Timescale,
    TimeUnit,
)
from generator.models.roles import Role
from generator.schedule.meetings import ScheduledMeeting
from generator.schedule.workdays import WorkingCalendar
from generator.site.printout import BackLink, PrintoutWriter, built_path
from generator.site.sanitise import body_html, escape_html, escape_markdown, escape_paragraphs
from generator.views.timeline import case_timeline
from generator.views.trackers import replacement

T = TypeVar("T")

TEMPLATES = "templates/site"
"""Where the page templates and static assets live, relative to the `generator` package."""
HOME = "index.md"
CASES = "cases.md"
PROBLEMS = "problems.md"

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)*", re.ASCII)
_ROLE_LABELS: dict[str, str] = {
    Role.IRO: "IRO",
    Role.CP_CHAIR: "CP chair",
    Role.IRS_SERVICE_MANAGER: "IRS service manager",
    Role.LAC_MANAGER: "LAC manager",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


class Safe(str):
    """Markdown the renderer produced itself: already escaped, emitted as is."""

    __slots__ = ()


class DuplicatePageError(ValueError):
    """Two pages (or assets) would be written to the same path."""


@dataclass(frozen=True, slots=True)
class Page:
    """One Markdown page of the site."""

    path: str
    """POSIX path in the docs folder, ending `.md`."""
    title: str
    """Plain-text title (escaped when written)."""
    markdown: str
    """The whole file, front matter included."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A static file of the site, which MkDocs copies as it is (stylesheets, printouts, CSV, calendars)."""

    path: str
    """POSIX path in the docs folder."""
    data: bytes
    """The file's content."""


@dataclass(frozen=True, slots=True)
class NavLink:
    """A navigation entry pointing at a page."""

    title: str
    """Plain-text title."""
    path: str
    """The page's path in the docs folder."""


@dataclass(frozen=True, slots=True)
class NavSection:
    """A titled group of navigation entries."""

    title: str
    """Plain-text title."""
    children: tuple[NavLink, ...]
    """The entries, in order."""


NavItem = NavLink | NavSection


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the renderer produces: pages, assets and the navigation."""

    pages: tuple[Page, ...]
    """Every page, in the order produced."""
    assets: tuple[Asset, ...]
    """Static files."""
    nav: tuple[NavItem, ...]
    """The navigation: home, panels, the cases index and the problems page, never single cases."""
    site_name: str
    """Plain-text name of the site (the authority's name)."""


class Files:
    """The output being gathered: refuses a second file at a path already taken.

    Paths are compared as published (a page's `.md` as `.html`) and case-insensitively, since a
    site checked out or served on a case-insensitive file system would otherwise lose one of the two.
    """

    def __init__(self) -> None:
        """An empty set of files."""
        self._taken: dict[str, str] = {}
        self.pages: list[Page] = []
        self.assets: list[Asset] = []

    def _claim(self, path: str) -> None:
        if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
            raise ValueError(f"unsafe page path {path!r}")
        # A page `x.md` is published as `x.html`: a file of that name would collide with it in the site.
        key = built_path(path).casefold()
        if key in self._taken:
            raise DuplicatePageError(f"two pages would be written to {path!r} (the other is {self._taken[key]!r})")
        self._taken[key] = path

    def add_page(self, page: Page) -> None:
        """Add a page; DuplicatePageError if its path is taken."""
        self._claim(page.path)
        self.pages.append(page)

    def add_asset(self, asset: Asset) -> None:
        """Add a static file; DuplicatePageError if its path is taken."""
        self._claim(asset.path)
        self.assets.append(asset)


@dataclass(frozen=True)
class SiteData:
    """What the page builders read: the repository and the results of the earlier stages."""

    repo: Repository
    """The loaded repository."""
    diagnostics: tuple[Diagnostic, ...]
    """Every problem found while loading and checking, sorted."""
    as_of: date
    """The date the site describes."""
    upcoming: Mapping[str, Sequence[ScheduledMeeting]] = field(default_factory=dict)
    """The next scheduled meetings of each panel, by panel id (absent: not worked out)."""
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    """The authority's working days (bank holidays and local closures)."""
    arrivals: Mapping[str, datetime | None] = field(default_factory=dict)
    """When each referral arrived, by path, as judged for lateness (absent or None: not judged)."""
    histories: Histories = field(default_factory=lambda: Histories(History()))
    """Every document's history from one pass over git (empty outside a repository)."""
    by_path: Mapping[str, Sequence[Diagnostic]] = field(init=False)
    """Diagnostics by repository path."""
    referrals: Mapping[str, Sequence[Doc[Referral]]] = field(init=False)
    """Referrals by case id, oldest meeting first."""
    decisions: Mapping[str, Sequence[Doc[Decision]]] = field(init=False)
    """Decisions by case id, oldest meeting first."""
    by_case: Mapping[str, Sequence[Diagnostic]] = field(init=False)
    """Diagnostics of the files a case's path names (its folder, and decision sheets named by it)."""

    def __post_init__(self) -> None:
        """Index diagnostics by path and referrals and decisions by case, once."""
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        by_case: dict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in self.diagnostics:
            by_path[diagnostic.path].append(diagnostic)
            location = classify(diagnostic.path)
            if location is not None and location.case is not None:
                by_case[location.case].append(diagnostic)
        referrals: dict[str, list[Doc[Referral]]] = defaultdict(list)
        for referral in self.repo.referrals:
            referrals[referral.model.case].append(referral)
        decisions: dict[str, list[Doc[Decision]]] = defaultdict(list)
        for decision in self.repo.decisions:
            decisions[decision.model.case].append(decision)
        object.__setattr__(self, "by_path", dict(by_path))
        object.__setattr__(self, "by_case", dict(by_case))
        object.__setattr__(self, "referrals", dict(referrals))
        object.__setattr__(self, "decisions", dict(decisions))
        object.__setattr__(self, "_memo", {})

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """The value stored under `key`, computed once by `compute` (shared by every page builder).

        Keys are namespaced by the module that owns them (`"agenda:all"`, `"trackers:actions"`).
        """
        memo: dict[str, Any] = self.__dict__["_memo"]
        if key not in memo:
            memo[key] = compute()
        return cast(T, memo[key])

    def history(self, path: str) -> list[Entry]:
        """A document's changes, oldest first (and a "not yet committed" entry when the working tree differs)."""
        return self.histories.entries(path)

    def signed_line(self, path: str) -> str:
        """Who committed and signed a document's latest change, and when, in words."""
        entry = self.histories.last_commit(path)
        if entry is None or entry.change is None:
            return "not yet committed"
        change, signer = entry.change, entry.signer
        when = when_label(change.time)
        if signer is not None and change.signature == "G":
            roles = ", ".join(role_label(r) for r in signer.roles) or "no role"
            return f"committed and signed by {signer.name} ({roles}) on {when}"
        return f"committed by {change.committer_name} on {when}, {entry.signature_words(role_label)}"

    def problems(self, path: str) -> Sequence[Diagnostic]:
        """The diagnostics of one repository path."""
        return self.by_path.get(path, ())

    def person(self, person_id: str) -> str:
        """A person's name from the roster, or their id if the roster has no such person."""
        person = self.repo.roster.get(person_id)
        return person.name if person else person_id

    def panel_name(self, panel_id: str) -> str:
        """A panel's short name, or its id when the repository has no such panel."""
        panel = self.repo.panels.get(panel_id)
        return panel.short_name if panel else panel_id

    def team(self, team_id: str) -> str:
        """A team's name from the authority's settings, or its id."""
        teams = self.repo.authority.teams if self.repo.authority else []
        return next((t.name for t in teams if t.id == team_id), team_id)


# --- paths ----------------------------------------------------------------------------------------


def panel_page(panel_id: str) -> str:
    """The page of a panel."""
    return f"panels/{_checked_id(panel_id)}.md"


def case_page(case_id: str) -> str:
    """The page of a case: named by the case id only, never by a name."""
    return f"cases/{_checked_id(case_id)}.md"


def referral_anchor(doc: Doc[Referral]) -> str:
    """The anchor of a referral's section on its case page."""
    return f"referral-{doc.model.meeting.isoformat()}-{_checked_id(doc.model.panel)}"


def decision_anchor(doc: Doc[Decision]) -> str:
    """The anchor of a decision's section on its case page (a correction's carries its version)."""
    version = f"-v{doc.location.version}" if doc.location.version > 1 else ""
    return f"decision-{doc.model.meeting.isoformat()}-{_checked_id(doc.model.panel)}{version}"


def replaced_decision(data: SiteData, doc: Doc[Decision]) -> Doc[Decision] | None:
    """The decision this one supersedes, when its `supersedes:` names one in the repository."""
    return data.repo.decision_by_path.get(doc.model.supersedes or "")


def replacing_decision(data: SiteData, doc: Doc[Decision]) -> Doc[Decision] | None:
    """The decision that supersedes this one, if any (of a meeting on or before the as-of date)."""
    return data.repo.decision_by_path.get(replacement(data, doc.path) or "")


def decision_label(data: SiteData, doc: Doc[Decision]) -> str:
    """A decision in words: "CDM decision of 2026-09-14", with ", version 2" for a correction."""
    version = f", version {doc.location.version}" if doc.location.version > 1 else ""
    return f"{data.panel_name(doc.model.panel)} decision of {doc.model.meeting.isoformat()}{version}"


def _checked_id(value: str) -> str:
    if not _SAFE_ID.fullmatch(value):
        raise ValueError(f"id {value!r} cannot be used in a page path")
    return value


def _places(data: SiteData) -> dict[str, tuple[str, str]]:
    """Where each document is shown: its page and the anchor of its section ("" for the top)."""
    places = {doc.path: (panel_page(panel_id), "") for panel_id, doc in data.repo.panel_docs.items()}
    for case_id, doc in data.repo.cases.items():
        places[doc.path] = (case_page(case_id), "")
        places.update((r.path, (case_page(case_id), referral_anchor(r))) for r in data.referrals.get(case_id, ()))
        places.update((d.path, (case_page(case_id), decision_anchor(d))) for d in data.decisions.get(case_id, ()))
    return places


def relative_link(here: str, target: str, anchor: str = "") -> str:
    """The link from page `here` to page `target` (both docs-folder paths), as written in Markdown."""
    url = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return f"{url}#{anchor}" if anchor else url


# --- values as words ------------------------------------------------------------------------------


def role_label(role: Role | str) -> str:
    """A role in words: `head-of-service` is "head of service"."""
    text = str(role)
    return _ROLE_LABELS.get(text, text.replace("-", " "))


def timescale_label(timescale: Timescale) -> str:
    """A timescale in words: "5 working days", "1 month"."""
    units = {
        TimeUnit.WORKING_DAYS: ("working day", "working days"),
        TimeUnit.DAYS: ("day", "days"),
        TimeUnit.MONTHS: ("month", "months"),
    }[timescale.unit]
    return f"{timescale.within} {units[0] if timescale.within == 1 else units[1]}"


def cadence_label(cadence: Cadence, *, per_series: bool = False) -> str:
    """When a panel meets, in words: "Weekly on Friday, 13:00 to 16:30".

    With `per_series`, the week of the month is left out (each series sets its own).
    """
    weekday = cadence.weekday.value.capitalize() if cadence.weekday else ""
    nth = _ORDINALS.get(cadence.week_of_month or 0, "")
    day = f"the {nth} {weekday}" if nth and not per_series else f"a {weekday}"
    text = {
        Frequency.WEEKLY: f"Weekly on {weekday}",
        Frequency.FORTNIGHTLY: f"Every other {weekday}",
        Frequency.MONTHLY: f"Monthly on {day}",
        Frequency.BIMONTHLY: f"Every other month on {day}",
        Frequency.AS_REQUIRED: "As required",
    }[cadence.frequency]
    if per_series and cadence.frequency in (Frequency.MONTHLY, Frequency.BIMONTHLY):
        text += " (each series in its own week of the month)"
    if cadence.start and cadence.end:
        text += f", {cadence.start} to {cadence.end}"
    elif cadence.start:
        text += f", from {cadence.start}"
    return text


def deadline_label(panel: Panel) -> str:
    """The referral deadline rule in words."""
    rules = panel.referral
    return {
        DeadlineRule.FRIDAY_BEFORE: "the Friday before the meeting",
        DeadlineRule.WORKING_DAYS_BEFORE: f"{rules.days} working days before the meeting",
        DeadlineRule.DAYS_BEFORE: f"{rules.days} days before the meeting",
        DeadlineRule.NONE: "no deadline",
    }[rules.deadline]


def age_label(child: Child, as_of: date) -> str:
    """A child's age on `as_of` ("7 years", "14 months", "3 weeks"), or "unborn, due ..."."""
    if child.date_of_birth is None:
        due = child.due_date.isoformat() if child.due_date else "date not known"
        return f"unborn, due {due}"
    born = child.date_of_birth
    if born > as_of:
        return f"born {born.isoformat()} (after {as_of.isoformat()})"
    months = (as_of.year - born.year) * 12 + as_of.month - born.month - (as_of.day < born.day)
    if months >= 24:
        years = months // 12
        return f"{years} years"
    if months >= 1:
        return f"{months} month" + ("s" if months > 1 else "")
    weeks = (as_of - born).days // 7
    return f"{weeks} week" + ("s" if weeks != 1 else "")


def request_name(panel: Panel | None, request_id: str) -> str:
    """A request type's name, or its id if the panel does not hear it (or is unknown)."""
    request = panel.request_type(request_id) if panel else None
    return request.name if request else request_id


def document_name(panel: Panel | None, document_id: str) -> str:
    """A document's name from the panel's catalogue, or its id."""
    spec = next((d for d in panel.documents if d.id == document_id), None) if panel else None
    return spec.name if spec else document_id


def outcome_names(panel: Panel | None, outcome_ids: Iterable[str]) -> str:
    """Outcomes' names from the panel's vocabulary (ids where unknown), joined by commas."""
    names = {o.id: o.name for o in panel.outcomes} if panel else {}
    return ", ".join(names.get(i, i) for i in outcome_ids)


def ground_label(panel: Panel | None, trigger_id: str) -> str:
    """An eligibility trigger's description, or its id."""
    trigger = next((t for t in panel.triggers if t.id == trigger_id), None) if panel else None
    return trigger.description if trigger else trigger_id


# --- the template environment ---------------------------------------------------------------------


def _finalize(value: object) -> str:
    """Every `{{ value }}` in a template: escaped for Markdown unless the renderer marked it Safe."""
    if isinstance(value, Safe):
        return value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return escape_markdown(str(value))


def _md(value: object) -> Safe:
    return Safe(_finalize(value))


def _paragraphs(value: str) -> Safe:
    return Safe(escape_paragraphs(value))


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is Markdown: `finalize` escapes every value for it
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["paragraphs"] = _paragraphs
    env.filters["role"] = role_label
    env.filters["roles"] = lambda roles: ", ".join(role_label(r) for r in roles) if roles else None
    env.filters["timescale"] = lambda t: timescale_label(t) if t is not None else None
    env.globals["Severity"] = Severity
    env.filters["when"] = when_label
    env.filters["signature"] = lambda entry: entry.signature_words(role_label)
    return env


class Renderer:
    """Renders the templates of one site; each page builder calls `page` once per page it yields,
    and `printout` once per printout (a standalone HTML file MkDocs only copies).

    Every template gets `front_matter`, `banner`, `here` (the page's path), `link(text, target,
    anchor)`, `body(markdown, heading_shift)`, `data` (the SiteData) and `as_of`, plus what the
    builder passes.
    """

    def __init__(self, data: SiteData) -> None:
        self.data = data
        loader = jinja2.PackageLoader("generator", TEMPLATES)
        self.env = _environment(loader)
        authority = data.repo.authority
        text = authority.confidentiality if authority else ""
        self.banner = Safe(
            f'<div class="panel-confidentiality" role="note" data-search-exclude>{escape_html(text)}</div>'
            if text
            else ""
        )
        self.printouts = PrintoutWriter(
            loader,
            site_name=authority.name if authority else "Decision panels",
            banner=self.banner,
        )

    def page(self, template: str, path: str, title: str, **context: Any) -> Page:
        """Render `template` as the Markdown page at `path`, which MkDocs builds into the site."""
        front_matter = Safe(json.dumps({"title": escape_html(title)}))
        markdown = self._render(template, path, front_matter=front_matter, printout=False, context=context)
        return Page(path=path, title=title, markdown=markdown)

    def printout(self, template: str, path: str, title: str, back: BackLink, **context: Any) -> Asset:
        """Render a printable copy of what another page already shows (pack, minutes, decision sheet).

        The result is a standalone HTML document at `path` (ending `.html`) that MkDocs only copies:
        no navigation, search or theme to render, and nothing in the search index (which would give
        every search several hits for one thing). Its links (`link(...)`) point at the built `.html`
        pages; `back` is the page it leads back to on screen.
        """
        markdown = self._render(template, path, front_matter=Safe(""), printout=True, context=context)
        return Asset(path, self.printouts.document(markdown, path=path, title=title, back=back))

    def _render(self, template: str, path: str, *, front_matter: Safe, printout: bool, context: dict[str, Any]) -> str:
        def link(text: object, target: str, anchor: str = "") -> Safe:
            # MkDocs turns a page's links to `.md` pages into `.html`; nothing does that for a printout.
            destination = built_path(target) if printout else target
            return Safe(f"[{_finalize(text)}]({relative_link(path, destination, anchor)})")

        def body(text: str, heading_shift: int = 1) -> Safe:
            html = body_html(text, heading_shift=heading_shift)
            return Safe(f'<div class="panel-document">\n{html}\n</div>' if html else "")

        return self.env.get_template(template).render(
            front_matter=front_matter,
            banner=self.banner,
            here=path,
            link=link,
            body=body,
            data=self.data,
            as_of=self.data.as_of,
            **context,
        )


# --- the pages ------------------------------------------------------------------------------------

PageBuilder = Callable[[Renderer], Iterable["Page | Asset"]]
"""A function yielding one kind of page (and any files that go with it: CSV, calendars, charts)."""


def _cases(r: Renderer) -> Iterator[Page]:
    data = r.data
    rows = [
        (case_id, doc.model, len(data.referrals.get(case_id, ())), len(data.by_case.get(case_id, ())))
        for case_id, doc in sorted(data.repo.cases.items())
    ]
    yield r.page("cases.md.j2", CASES, "Cases", rows=rows, case_page=case_page)
    for case_id, doc in sorted(data.repo.cases.items()):
        yield _case(r, case_id, doc)


def _case(r: Renderer, case_id: str, doc: Doc[Case]) -> Page:
    data = r.data
    case = doc.model
    referrals = [(ref, data.repo.panels.get(ref.model.panel)) for ref in data.referrals.get(case_id, ())]
    decisions = [(dec, data.repo.panels.get(dec.model.panel)) for dec in data.decisions.get(case_id, ())]
    shown = {doc.path} | {ref.path for ref, _ in referrals} | {dec.path for dec, _ in decisions}
    unread: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in data.by_case.get(case_id, ()):
        if diagnostic.path not in shown:
            unread[diagnostic.path].append(diagnostic)
    return r.page(
        "case.md.j2",
        case_page(case_id),
        f"Case {case_id}",
        case_id=case_id,
        doc=doc,
        case=case,
        children=[(child, age_label(child, data.as_of)) for child in case.children],
        child_names=lambda ids: ", ".join(_child_name(case, i) for i in ids) if ids else "all",
        referrals=referrals,
        decisions=decisions,
        unread=sorted(unread.items()),
        referral_anchor=referral_anchor,
        decision_anchor=decision_anchor,
        replaced_by=partial(replacing_decision, data),
        replaces=partial(replaced_decision, data),
        panel_page=panel_page,
        milestone_label=lambda m: Milestone(m).value.replace("-", " "),
        request_name=request_name,
        document_name=document_name,
        outcome_names=outcome_names,
        ground_label=ground_label,
        problems=data.problems,
        timeline=case_timeline(data, case_id),
    )


def _child_name(case: Case, child_id: str) -> str:
    child = case.child(child_id)
    return child.name if child else child_id


def _problems(r: Renderer) -> Iterator[Page]:
    data = r.data
    places = _places(data)
    for path in data.by_path:
        location = classify(path)
        if path not in places and location is not None and location.case in data.repo.cases:
            places[path] = (case_page(location.case), "")  # listed under "Files that could not be shown"
    rows = [(diagnostic, places.get(diagnostic.path)) for diagnostic in data.diagnostics]
    yield r.page("problems.md.j2", PROBLEMS, "Problems", rows=rows)


CORE_BUILDERS: tuple[PageBuilder, ...] = (_cases, _problems)
"""The cases and problems pages; `generator.site.assemble` adds the home page, panels, meetings, trackers,
reports and calendars."""


def static_assets() -> list[Asset]:
    """The files of the templates' `assets/` folder (stylesheet, file:// search shim), by name."""
    folder = resources.files("generator").joinpath(TEMPLATES, "assets")
    return [
        Asset(f"assets/{entry.name}", entry.read_bytes())
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and not entry.name.startswith(".")
    ]


def write_site(site: Site, docs_dir: Path) -> list[Path]:
    """Write every page and asset under `docs_dir` (which must exist); the files written, in order.

    Never writes one path twice; refuses paths that would leave `docs_dir`.
    """
    root = docs_dir.resolve()
    written: list[Path] = []
    seen: set[str] = set()
    outputs = [(p.path, p.markdown.encode("utf-8")) for p in site.pages] + [(a.path, a.data) for a in site.assets]
    for path, data in outputs:
        target = (root / path).resolve()
        if path.casefold() in seen:
            raise DuplicatePageError(f"{path!r} would be written twice")
        if not target.is_relative_to(root):
            raise ValueError(f"page path {path!r} leaves the docs folder")
        seen.add(path.casefold())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
