"""Benchmark the generator on a large synthetic panel repository.

    python bench/bench.py                      # 10,000 cases, 50,000 documents
    python bench/bench.py --quick              # 1,000 cases, 5,000 documents
    python bench/bench.py --cases 2000 --docs 12000 --json
    python bench/bench.py --quick --stages site # only the site build (render and MkDocs)
    python bench/bench.py --commit-per-document --stages verify  # panel verify over a long history

The repository is generated from the project's own `panels/` (panels, roster and authority are
read at run time), with synthetic cases ("Child 00042"), referrals, meeting records and decision
sheets that are valid against the models, and a git history written with one `git fast-import`:
one commit a month, then a last commit on top of the `bench-base` branch standing for a pull
request. Each stage then runs in a fresh Python process, so that its peak memory (maximum
resident set size, from `os.wait4`) is its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from generator.audit.verify import verify_repository  # noqa: E402
from generator.core.diagnostics import Diagnostic  # noqa: E402
from generator.git import runner as git  # noqa: E402
from generator.git.history import read_history  # noqa: E402
from generator.loading.repository import Repository, load_repository  # noqa: E402
from generator.models import Panel, Person, Role  # noqa: E402
from generator.models.panel import Frequency, PanelKind, RequestType, TriggerKind  # noqa: E402
from generator.pipeline.gather import gather  # noqa: E402
from generator.schedule.meetings import ScheduledMeeting, meetings_between  # noqa: E402
from generator.schedule.timescales import referral_deadline  # noqa: E402
from generator.schedule.workdays import WorkingCalendar  # noqa: E402
from generator.site.build import build_site  # noqa: E402
from generator.tools.demo import demo_content  # noqa: E402

LONDON = ZoneInfo("Europe/London")
MARKER = "panel-bench-repo"
BASE_BRANCH = "bench-base"
PULL_REQUEST_REFERRALS = 20
DEFAULT_AS_OF = date(2026, 11, 25)
SIBLING_EVERY = 5
"""Every fifth case is a sibling group of two."""
BOT = ("Bench Generator", "bench@example.invalid")
QUICK_SITE_CASES = 200
"""Cases in the site stage's repository with --quick: building a site takes about 35 ms a page."""


# --- generating documents ---------------------------------------------------------------------


def front_matter(data: dict[str, Any], body: str) -> bytes:
    """A Markdown document: block-style YAML front matter (strings double-quoted) and a body."""
    lines = ["---", *_yaml(data, 0), "---", "", body.rstrip("\n"), ""]
    return "\n".join(lines).encode("utf-8")


def _yaml(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:")
                out += _yaml(item, indent + 2)
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):
                inner = _yaml(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out += inner[1:]
            else:
                out.append(f"{pad}- {_scalar(item)}")
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(str(value))


@dataclass
class People:
    """Roster people by role, and a round-robin pick among them."""

    by_role: dict[Role, list[str]]
    everyone: list[str]
    teams: dict[str, str | None]
    counter: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def of(cls, roster: dict[str, Person]) -> People:
        """Index the roster."""
        by_role: dict[Role, list[str]] = {}
        for person in roster.values():
            for role in person.roles:
                by_role.setdefault(role, []).append(person.id)
        return cls(by_role, sorted(roster), {p.id: p.team for p in roster.values()})

    def pick(self, *roles: Role) -> tuple[str, Role] | None:
        """Someone holding one of `roles` (and which), taking turns."""
        for role in roles:
            ids = self.by_role.get(role)
            if ids:
                return ids[next(self.counter) % len(ids)], role
        return None

    def ids(self, role: Role) -> list[str]:
        """Everyone holding `role`."""
        return self.by_role.get(role, [])


@dataclass(frozen=True)
class Slot:
    """A referral's place: a panel's meeting and the case heard there."""

    panel: Panel
    meeting: ScheduledMeeting
    case_number: int


@dataclass
class Generated:
    """The synthetic repository, as files with the time each should enter git."""

    files: dict[str, tuple[datetime, bytes]] = field(default_factory=dict)
    pull_request: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: str, when: datetime, content: bytes) -> None:
        """Add one file; generating the same path twice is a bug."""
        if path in self.files:
            raise AssertionError(f"generated {path} twice")
        self.files[path] = (when, content)


def case_id_format(pattern: str) -> Callable[[int], str]:
    """A numbering of case ids that matches the authority's pattern."""
    compiled = re.compile(pattern)
    for shape in ("{:06d}", "{:07d}", "{:08d}", "{:05d}", "C{:06d}", "CASE-{:06d}"):
        if compiled.fullmatch(shape.format(123456)):
            return lambda n, shape=shape: shape.format(100000 + n)
    raise SystemExit(f"cannot make case ids matching the authority's case_id_pattern {pattern!r}")


def capacity(panel: Panel) -> int:
    """How many cases one meeting of the panel hears."""
    if panel.timing.max_cases:
        return panel.timing.max_cases
    start, end = panel.cadence.start, panel.cadence.end
    if start and end:
        minutes = (int(end[:2]) * 60 + int(end[3:])) - (int(start[:2]) * 60 + int(start[3:]))
        slots = (minutes - panel.timing.business_minutes) // panel.timing.slot_minutes - panel.timing.emergency_slots
        return max(1, slots)
    return 6


def usable(panel: Panel) -> bool:
    """Panels with a cadence and at least one request type the generator can satisfy."""
    return (
        panel.kind is not PanelKind.OUT_OF_PANEL
        and panel.cadence.frequency is not Frequency.AS_REQUIRED
        and any(r.present_within is None for r in panel.request_types)
    )


def plan_slots(repo: Repository, cal: WorkingCalendar, referrals: int, cases: int, as_of: date) -> list[Slot]:
    """`referrals` meeting places across the panels, the most recent meetings before `as_of` first."""
    panels = [p for _, p in sorted(repo.panels.items()) if usable(p)]
    if not panels:
        raise SystemExit("no panel in panels/ has a regular cadence: nothing to generate referrals for")
    # Go back as many years as it takes to book every referral without overfilling a meeting.
    for years in (8, 16, 32, 64):
        meetings: list[tuple[date, str, Panel, ScheduledMeeting]] = []
        first = as_of.replace(year=as_of.year - years)
        for panel in panels:
            seen: set[date] = set()
            for meeting in meetings_between(panel, cal, first, as_of - timedelta(days=14)):
                if meeting.date not in seen:
                    seen.add(meeting.date)
                    meetings.append((meeting.date, panel.id, panel, meeting))
        if sum(capacity(m[2]) for m in meetings) >= referrals:
            break
    meetings.sort(key=lambda m: (m[0], m[1]), reverse=True)
    places: list[tuple[Panel, ScheduledMeeting]] = []
    for _, _, panel, meeting in meetings:
        places += [(panel, meeting)] * capacity(panel)
        if len(places) >= referrals:
            break
    places = sorted(places[:referrals], key=lambda p: (p[1].date, p[0].id))
    return [Slot(panel, meeting, index % cases) for index, (panel, meeting) in enumerate(places)]


def request_for(slot: Slot) -> RequestType:
    """The request type a slot's referral makes: one the generator can satisfy, taking turns."""
    candidates = [r for r in slot.panel.request_types if r.present_within is None]
    return candidates[slot.case_number % len(candidates)]


def split_documents(cases: int, docs: int, per_meeting: float) -> int:
    """How many referrals (each with its decision) make `docs` documents with `cases` case files and meetings."""
    return max(0, int((docs - cases) / (2 + 1 / per_meeting)))


class Generator:
    """Writes valid synthetic documents for one repository."""

    def __init__(self, repo: Repository, as_of: date) -> None:
        self.repo = repo
        self.as_of = as_of
        if repo.authority is None:
            raise SystemExit("panels/authority.yml is missing or invalid: run `panel check` on the project")
        self.cal = WorkingCalendar.for_authority(repo.authority)
        self.people = People.of(repo.roster)
        self.case_id = case_id_format(repo.authority.case_id_pattern)
        self.team_ids = [t.id for t in repo.authority.teams] or ["synthetic-team"]
        self.out = Generated()
        self.workers = self.people.ids(Role.SOCIAL_WORKER) or self.people.everyone
        self.child_counter = itertools.count(1)
        self.case_children: dict[int, list[str]] = {}

    def generate(self, cases: int, docs: int) -> Generated:
        """Every document, with its arrival time; plus a pull request's referrals."""
        usable_panels = [p for p in self.repo.panels.values() if usable(p)]
        per_meeting = sum(capacity(p) for p in usable_panels) / max(1, len(usable_panels))
        referrals = split_documents(cases, docs, per_meeting)
        slots = plan_slots(self.repo, self.cal, referrals, cases, self.as_of)
        # A second pass with the real number of meetings lands on `docs` more closely.
        meetings = len({(s.panel.id, s.meeting.date) for s in slots})
        referrals = max(0, (docs - cases - meetings - PULL_REQUEST_REFERRALS) // 2)
        slots = plan_slots(self.repo, self.cal, referrals, cases, self.as_of)
        first_seen: dict[int, datetime] = {}
        by_meeting: dict[tuple[str, date], list[Slot]] = {}
        for slot in slots:
            arrival = self.arrival(slot)
            first_seen.setdefault(slot.case_number, arrival)
            by_meeting.setdefault((slot.panel.id, slot.meeting.date), []).append(slot)
        earliest = min(first_seen.values(), default=datetime.combine(self.as_of, clock(9), LONDON))
        for number in range(cases):
            self.case(number, first_seen.get(number, earliest))
        for (_, meeting_date), heard in sorted(by_meeting.items(), key=lambda item: (item[0][1], item[0][0])):
            for slot in heard:
                self.referral(slot, self.arrival(slot), self.out.add)
            self.meeting(heard, meeting_date)
        self.pull_request(cases)
        return self.out

    def arrival(self, slot: Slot) -> datetime:
        """Well before the referral deadline (or two weeks before a meeting without one)."""
        deadline = referral_deadline(slot.panel, slot.meeting.date, self.cal) or slot.meeting.date
        day = min(deadline, slot.meeting.date - timedelta(days=14)) - timedelta(days=3)
        return datetime.combine(day, clock(10, 0), LONDON)

    def case(self, number: int, when: datetime) -> None:
        """One case file: one child, or two siblings every fifth case."""
        case_id = self.case_id(number)
        worker = self.workers[number % len(self.workers)]
        team = self.people.teams.get(worker) or self.team_ids[number % len(self.team_ids)]
        opened = when.date() - timedelta(days=400 + number % 300)
        children = []
        for index in range(2 if number % SIBLING_EVERY == 0 else 1):
            child = next(self.child_counter)
            children.append(
                {
                    "id": f"c{index + 1}",
                    "name": f"Child {child:05d}",
                    "date_of_birth": (opened - timedelta(days=365 * (1 + child % 15) + child % 200)).isoformat(),
                    "legal_status": "cin",
                    "legal_status_since": opened.isoformat(),
                }
            )
        self.case_children[number] = [c["id"] for c in children]
        manager = self.people.pick(Role.PRACTICE_MANAGER, Role.TEAM_MANAGER)
        data: dict[str, Any] = {"id": case_id, "children": children, "worker": worker, "team": team}
        if manager:
            data["manager"] = manager[0]
        data["events"] = [
            {"date": opened.isoformat(), "kind": "opened"},
            {"date": opened.isoformat(), "kind": "cin-plan-started"},
        ]
        body = f"# Case {case_id}\n\nSynthetic case generated for the benchmark. No real person is described.\n"
        self.out.add(f"cases/{case_id}/case.md", when, front_matter(data, body))

    def referral(self, slot: Slot, when: datetime, add: Callable[[str, datetime, bytes], None]) -> None:
        """A complete referral: every required document, section, authorisation and scaling."""
        panel, meeting = slot.panel, slot.meeting.date
        case_id = self.case_id(slot.case_number)
        request = request_for(slot)
        needs = panel.requirements_for(request.id)
        specs = {spec.id: spec for spec in panel.documents}
        worker = self.workers[slot.case_number % len(self.workers)]
        documents = []
        for document_id in needs.documents:
            spec = specs[document_id]
            age = min(14, spec.max_age_days if spec.max_age_days is not None else 14)
            entry: dict[str, Any] = {
                "id": document_id,
                "date": (meeting - timedelta(days=age)).isoformat(),
                "location": f"Case record {case_id}, documents tab",
            }
            chair = self.people.pick(*spec.chaired_by) if spec.chaired_by else None
            if chair:
                entry["chaired_by"] = chair[0]
            documents.append(entry)
        authorisations = []
        for role in needs.authorisations:
            found = self.people.pick(role)
            if found:
                authorisations.append(
                    {"role": role.value, "person": found[0], "date": (meeting - timedelta(days=20)).isoformat()}
                )
        data: dict[str, Any] = {
            "panel": panel.id,
            "meeting": meeting.isoformat(),
            "case": case_id,
            "request": request.id,
            "children": self.case_children.get(slot.case_number, ["c1"]),
        }
        ground = next((t.id for t in panel.triggers if t.kind is TriggerKind.PROFESSIONAL_JUDGEMENT), None)
        if ground:
            data["ground"] = ground
        data |= {"sought": f"A decision on the {request.name.lower()} request (synthetic).", "presenter": worker}
        data["documents"] = documents
        data["authorisations"] = authorisations
        if needs.scaling:
            data["scaling"] = [{"by": worker, "score": 5, "reasons": "Synthetic scaling for the benchmark."}]
        headings = {spec.id: spec.heading for spec in panel.sections}
        body = "\n".join(f"## {headings[s]}\n\nSynthetic text for the benchmark.\n" for s in needs.sections)
        path = f"cases/{case_id}/referrals/{meeting.isoformat()}-{panel.id}.md"
        add(path, when, front_matter(data, body or "Synthetic referral.\n"))

    def meeting(self, heard: list[Slot], meeting_date: date) -> None:
        """The meeting record and one approved decision sheet per case heard."""
        panel, scheduled = heard[0].panel, heard[0].meeting
        when = datetime.combine(meeting_date + timedelta(days=2), clock(16, 0), LONDON)
        chair_pick = self.people.pick(*panel.chair.roles)
        chair, chair_role = chair_pick if chair_pick else (self.people.everyone[0], panel.chair.roles[0])
        attendees: list[dict[str, Any]] = [{"person": chair, "role": chair_role.value, "capacity": "chair"}]
        members: list[str] = []
        wanted = [*panel.quorum.roles, *(m.role for m in panel.members if m.attends.value == "always")]
        for role in wanted:
            for person in self.people.ids(role):
                if person != chair and person not in members:
                    members.append(person)
                    attendees.append({"person": person, "role": role.value, "capacity": "member"})
                    break
            limit = panel.quorum.max_members
            if limit is not None and len(members) >= limit:
                break
        case_ids = list(dict.fromkeys(self.case_id(s.case_number) for s in heard))
        milestones = {duty.milestone.value: meeting_date.isoformat() for duty in panel.after_meeting}
        data: dict[str, Any] = {"panel": panel.id, "date": meeting_date.isoformat()}
        if scheduled.series:
            data["series"] = scheduled.series.id
        if scheduled.venue:
            data["venue"] = scheduled.venue.id
        data |= {"chair": chair, "attendees": attendees, "heard": case_ids}
        if milestones:
            data["milestones"] = milestones
        recipients = [role for duty in panel.after_meeting for role in duty.recipients]
        distributed = [ids[0] for ids in (self.people.ids(role) for role in recipients) if ids]
        if distributed:
            data["distributed_to"] = sorted(set(distributed))
        data["status"] = "approved"
        folder = f"decisions/{panel.id}/{meeting_date.isoformat()}"
        self.out.add(f"{folder}/meeting.md", when, front_matter(data, "Synthetic meeting record.\n"))
        owner_roles = panel.action_owner_roles or [Role.PRACTICE_MANAGER, Role.SOCIAL_WORKER]
        for slot in heard:
            case_id = self.case_id(slot.case_number)
            request = request_for(slot)
            outcomes = request.outcomes or [o.id for o in panel.outcomes]
            owner = self.people.pick(*owner_roles)
            decision: dict[str, Any] = {
                "panel": panel.id,
                "meeting": meeting_date.isoformat(),
                "case": case_id,
                "children": self.case_children.get(slot.case_number, ["c1"]),
                "request": request.id,
                "outcomes": [outcomes[slot.case_number % len(outcomes)]],
                "agreed": ["The panel agreed the synthetic plan."],
                "actions": [
                    {
                        "id": "a1",
                        "what": "Carry out the synthetic action.",
                        "owner": owner[0] if owner else chair,
                        "due": (meeting_date + timedelta(days=28)).isoformat(),
                    }
                ],
                "review_date": (meeting_date + timedelta(days=91)).isoformat(),
                "rationale": "Synthetic rationale for the benchmark.",
                "chair": chair,
                "status": "approved",
            }
            if milestones:
                decision["milestones"] = milestones
            self.out.add(f"{folder}/{case_id}.md", when, front_matter(decision, "Synthetic discussion.\n"))

    def pull_request(self, cases: int) -> None:
        """A handful of new referrals for meetings a few weeks after `as_of`, as a pull request adds them."""
        panels = [p for _, p in sorted(self.repo.panels.items()) if usable(p)]
        start = self.as_of + timedelta(days=21)
        upcoming = [
            Slot(panel, meeting, 0)
            for panel in panels
            for meeting in meetings_between(panel, self.cal, start, start + timedelta(days=60))[:2]
        ]
        taken: set[str] = set()
        chosen = itertools.islice(itertools.cycle(upcoming), PULL_REQUEST_REFERRALS)
        for index, place in enumerate(chosen):
            slot = Slot(place.panel, place.meeting, (index * 7919) % max(cases, 1))
            path = f"cases/{self.case_id(slot.case_number)}/referrals/{slot.meeting.date}-{slot.panel.id}.md"
            if path in taken or path in self.out.files:
                continue
            taken.add(path)
            self.referral(
                slot, self.arrival(slot), lambda p, _when, content: self.out.pull_request.update({p: content})
            )


# --- writing the repository ----------------------------------------------------------------------


def fast_import_commit(branch: str, when: datetime, message: str, files: Iterable[tuple[str, bytes]]) -> bytes:
    """One fast-import commit."""
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    zone = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    ident = f"{BOT[0]} <{BOT[1]}> {int(when.timestamp())} {zone}".encode()
    text = message.encode() + b"\n"
    parts = [f"commit refs/heads/{branch}\n".encode(), b"author " + ident + b"\n", b"committer " + ident + b"\n"]
    parts += [b"data %d\n" % len(text), text]
    for path, content in files:
        parts += [b"M 100644 inline " + path.encode() + b"\n", b"data %d\n" % len(content), content, b"\n"]
    parts.append(b"\n")
    return b"".join(parts)


def project_files(project: Path) -> list[tuple[str, bytes]]:
    """The project's panels/ folder (panels, roster, authority), as the demo replay writes it."""
    base = project / "panels"
    return [
        (path.relative_to(project).as_posix(), demo_content(path.relative_to(project).as_posix(), path.read_bytes()))
        for path in sorted(base.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def write_repository(
    dest: Path, project: Path, generated: Generated, as_of: date, *, per_document: bool = False
) -> int:
    """A git repository at `dest` with the generated history, checked out; the number of commits.

    One commit a month, or with `per_document` one commit per document in arrival order (as when
    every referral and record comes as its own pull request).
    """
    groups: dict[tuple[Any, ...], list[tuple[str, datetime, bytes]]] = {}
    for path, (when, content) in generated.files.items():
        key = (when, path) if per_document else (when.year, when.month)
        groups.setdefault(key, []).append((path, when, content))
    months = sorted(groups)
    first_time = min((w for _, w, _ in groups[months[0]]), default=None) if months else None
    start = (first_time or datetime.combine(as_of, clock(9), LONDON)) - timedelta(days=1)
    stream = [fast_import_commit("main", start, "Panels, roster and authority settings", project_files(project))]
    for month in months:
        entries = sorted(groups[month])
        when = min(w for _, w, _ in entries)
        files = [(p, c) for p, _, c in entries]
        label = entries[0][0] if per_document else f"Documents of {month[0]}-{month[1]:02d}"
        stream.append(fast_import_commit("main", when, label, files))
    stream.append(f"reset refs/heads/{BASE_BRANCH}\nfrom refs/heads/main\n\n".encode())
    pr_time = datetime.combine(as_of, clock(9, 30), LONDON)
    stream.append(
        fast_import_commit("main", pr_time, "Pull request: new referrals", sorted(generated.pull_request.items()))
    )
    stream.append(b"done\n")
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = git.isolated_environment(Path(home))
        git.output(dest, ["init", "-q", "--initial-branch=main"], env=env)
        (dest / ".git" / MARKER).write_text("Made by bench/bench.py; replaced on its next run.\n", encoding="utf-8")
        git.output(dest, ["config", "commit.gpgsign", "false"], env=env)
        git.output(dest, ["fast-import", "--quiet", "--done"], stdin=b"".join(stream), env=env)
        git.output(dest, ["reset", "-q", "--hard"], env=env)
    return len(months) + 2


def prepare(dest: Path) -> Path:
    """An empty folder at `dest`; a previous benchmark repository there is replaced, anything else refused."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise SystemExit(f"refusing to use {dest}: not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        if not (dest / ".git" / MARKER).is_file():
            raise SystemExit(f"refusing to replace {dest}: not empty and not made by bench.py")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    return dest


# --- stages ------------------------------------------------------------------------------------------


def stage(name: str, root: Path, as_of: date) -> str:
    """Run one stage in this process; a short description of what it found."""
    if name == "load":
        repo, problems = load_repository(root)
        return f"{len(repo.paths)} documents, {len(problems)} load problems"
    if name == "history":
        history = read_history(root)
        return f"{history.commits} commits, {len(history.arrivals)} paths"
    if name == "site":
        return site_stage(root, as_of)
    if name == "verify":
        # The synthetic history is unsigned: every commit is refused, and the figure measures the
        # log pass, the per-commit roster lookups and judging, and git fsck, not ssh-keygen.
        verification = verify_repository(root, "HEAD", as_of)
        return f"{verification.commits} commits, {len(verification.diagnostics)} refusals (the history is unsigned)"
    if name == "check":
        workspace = gather(root, as_of=as_of)
        return f"{workspace.checked} documents read, {_summary(workspace.diagnostics)}"
    if name == "changed":
        workspace = gather(root, as_of=as_of, base=BASE_BRANCH)
        return f"{workspace.checked} documents read, {_summary(workspace.diagnostics)}"
    raise SystemExit(f"unknown stage {name}")


def site_stage(root: Path, as_of: date) -> str:
    """Build the site into `<root>/build/`: pages, files and how many navigation links a case page carries."""
    result = build_site(root, root / "build" / "bench-site", as_of=as_of, work_dir=root / "build" / "bench-docs")
    html = sum(1 for _ in result.out_dir.rglob("*.html"))
    case_pages = sorted((result.out_dir / "cases").glob("*.html"))
    nav = _nav_links(case_pages[0]) if case_pages else 0
    return (
        f"{result.pages} Markdown pages, {html} HTML pages; a case page carries {nav} navigation links "
        f"({len(case_pages)} case pages)"
    )


def _nav_links(page: Path) -> int:
    """How many links the primary navigation of a built page holds (it must not grow with the cases)."""
    text = page.read_text(encoding="utf-8")
    start = text.find('md-nav--primary"')
    end = text.find('md-sidebar--secondary"', start)
    return text[start:end].count('class="md-nav__link') if start >= 0 else 0


def _summary(diagnostics: Sequence[Diagnostic]) -> str:
    codes: dict[str, int] = {}
    for x in diagnostics:
        codes[x.name] = codes.get(x.name, 0) + 1
    top = ", ".join(f"{name} {count}" for name, count in sorted(codes.items(), key=lambda i: -i[1])[:3])
    return f"{len(diagnostics)} diagnostics" + (f" ({top})" if top else "")


STAGES = {
    "load": "`load_repository` (read and validate every document)",
    "history": "`read_history` (one `git log` pass)",
    "check": "`panel check` in full (load, history, every rule)",
    "changed": f"`panel check --changed {BASE_BRANCH}` (only what the pull request affects)",
    "site": "`panel build` (load, check, render every page, MkDocs with Material and search)",
    "verify": "`panel verify` over the whole history (one log pass, roster lookups, `git fsck`)",
}


def run_stage(name: str, root: Path, as_of: date) -> dict[str, Any]:
    """Run a stage in a child process: its wall time, peak resident memory and description."""
    command = [sys.executable, __file__, "--stage", name, "--dest", str(root), "--as-of", as_of.isoformat()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        return {"stage": name, "what": STAGES[name], "seconds": None, "peak_mb": None, "result": "failed"}
    data = json.loads(output)
    return {
        "stage": name,
        "what": STAGES[name],
        "seconds": round(data["seconds"], 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "result": data["result"],
    }


def markdown(results: list[dict[str, Any]], info: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    lines = [
        f"Synthetic repository: {info['cases']:,} cases, {info['documents']:,} documents, {info['commits']} commits "
        f"(generated and written in {info['generate_seconds']:.1f} s). Python {info['python']}, git {info['git']}.",
        "",
        "| stage | wall time (s) | peak memory (MB) | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in results:
        seconds = "-" if r["seconds"] is None else f"{r['seconds']:.2f}"
        peak = "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        lines.append(f"| {r['what']} | {seconds} | {peak} | {r['result']} |")
    lines.append("")
    if any(r["stage"] == "site" for r in results):
        site = info["site"]
        lines.append(
            f"The site stage builds a repository of {site['cases']:,} cases and {site['documents']:,} documents."
        )
    lines.append("Peak memory is the stage's process maximum resident set size (the interpreter included).")
    return "\n".join(lines)


def _stage_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STAGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown stage {', '.join(unknown) or '(none)'}; choose from {', '.join(STAGES)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    """Generate the repository, time each stage, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, help="number of cases (default 10,000; 1,000 with --quick)")
    parser.add_argument("--docs", type=int, help="number of documents (default five per case)")
    parser.add_argument("--quick", action="store_true", help="a small run: 1,000 cases")
    parser.add_argument("--dest", type=Path, help="build the repository here (kept) instead of a temporary folder")
    parser.add_argument("--project", type=Path, default=PROJECT, help="the project whose panels/ to use")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat(), help="the date the checks run as of")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    parser.add_argument(
        "--stages",
        type=_stage_list,
        default=list(STAGES),
        help=f"comma-separated stages to run, in order (default all: {','.join(STAGES)})",
    )
    parser.add_argument(
        "--site-cases",
        type=int,
        help=f"cases in the repository the site stage builds (default: --cases; {QUICK_SITE_CASES} with --quick)",
    )
    parser.add_argument(
        "--commit-per-document",
        action="store_true",
        help="write one commit per document instead of one a month (a long history, for the verify stage)",
    )
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    as_of = date.fromisoformat(args.as_of)
    if args.stage:
        started = time.perf_counter()
        result = stage(args.stage, args.dest, as_of)
        print(json.dumps({"seconds": time.perf_counter() - started, "result": result}))
        return 0
    cases = args.cases or (1_000 if args.quick else 10_000)
    docs = args.docs or cases * 5
    site_cases = args.site_cases or (QUICK_SITE_CASES if args.quick else cases)
    project_repo, problems = load_repository(args.project)
    if problems:
        print(f"note: the project's own documents have {len(problems)} load problems", file=sys.stderr)
    temporary = args.dest is None
    dest = Path(tempfile.mkdtemp(prefix="panel-bench-")) if temporary else prepare(args.dest)
    own_site_repo = "site" in args.stages and site_cases != cases
    site_dest = Path(tempfile.mkdtemp(prefix="panel-bench-site-")) if own_site_repo else dest
    try:
        started = time.perf_counter()
        info = generate(project_repo, args.project, dest, cases, docs, as_of, args.commit_per_document)
        info["generate_seconds"] = time.perf_counter() - started
        info["site"] = (
            generate(project_repo, args.project, site_dest, site_cases, site_cases * 5, as_of)
            if own_site_repo
            else {k: info[k] for k in ("cases", "documents", "commits")}
        )
        results = [run_stage(name, site_dest if name == "site" else dest, as_of) for name in args.stages]
    finally:
        if temporary:
            shutil.rmtree(dest, ignore_errors=True)
        if own_site_repo:
            shutil.rmtree(site_dest, ignore_errors=True)
    print(json.dumps({"info": info, "stages": results}, indent=2) if args.json else markdown(results, info))
    return 0


def generate(
    project_repo: Repository,
    project: Path,
    dest: Path,
    cases: int,
    docs: int,
    as_of: date,
    per_document: bool = False,
) -> dict[str, Any]:
    """Generate and write one synthetic repository at `dest`; its sizes."""
    generated = Generator(project_repo, as_of).generate(cases, docs)
    commits = write_repository(dest, project, generated, as_of, per_document=per_document)
    return {
        "cases": cases,
        "documents": len(generated.files) + len(generated.pull_request),
        "commits": commits,
        "python": sys.version.split()[0],
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout.split()[-1],
        "repository": str(dest),
    }


if __name__ == "__main__":
    sys.exit(main())
