"""Minimised views, proved on the whole built output: every file of every audience's site is read.

The example is replayed into a demo repository; a few people outside the roster (a grandparent, a
neighbour, a paediatrician, an assessor) are written into its documents' narrative and free-text
fields, since the bundled example names family members only by their relation. Then the site is
built once per audience, for the module:

- the coordinators' (no `--audience`): pages in full, but the search index holds no name and no
  narrative, and the downloads (CSV, XLSX, calendars, case notes) name children by initials;
- `scheduling` (redacted): no child's or family member's name, no date of birth in any form, no
  narrative sentence, anywhere: pages, printouts, search index, CSV, XLSX (its XML read), .ics,
  sitemap; while agendas, readiness and the reports' figures are still there;
- `cdm-members`: only the CDM panel's material, and no case that only another panel had.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from generator.loading.repository import Repository, load_repository
from generator.models.audience import initials
from generator.site.build import BuildResult, build_site
from generator.tools.demo import build_demo_repo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

THIRD_PARTIES = ("Ottoline Quernwood", "Ambrose Quernwood", "Wendeline Harrowgate", "Cosmo Thistlewaite")
"""Invented people outside the roster, written into the documents below (none is in the example)."""
_INSERTED = {
    "decisions/cdm/2026-09-14/204117.md": [
        ("paternal grandparents had been considered", "paternal grandparents (Ambrose Quernwood) had been considered"),
        ("with legal advice.", "with legal advice; Dr Wendeline Harrowgate, the paediatrician, agreed."),
        ("commissioned assessor with", "commissioned assessor, Cosmo Thistlewaite, with"),
    ],
    "cases/204117/referrals/2026-09-14-cdm.md": [
        ("caring for her\nsiblings", "caring for her\nsiblings (their grandmother Ottoline Quernwood lives nearby)"),
        ("sought: Agreement", "sought: With Ottoline Quernwood's support, agreement"),
    ],
    "cases/204117/case.md": [
        ("note: Police notification", "note: Ottoline Quernwood reported it; police notification"),
    ],
}


@dataclass(frozen=True)
class Built:
    """One audience's build."""

    result: BuildResult
    site: Path

    def files(self) -> Iterator[tuple[str, str]]:
        """Every file of the built site as (path, text), each read as what a reader would see."""
        for file in sorted(self.site.rglob("*")):
            if file.is_file():
                yield file.relative_to(self.site).as_posix(), readable(file)


@dataclass(frozen=True)
class Example:
    """The repository the sites were built from, and the sites."""

    repo: Repository
    as_of: date
    sites: dict[str, Built]


def readable(file: Path) -> str:
    """A file's content as text a reader sees: HTML entities and JSON, iCalendar and XML escapes undone."""
    data = file.read_bytes()
    suffix = file.suffix
    if suffix == ".gz":
        data, suffix = gzip.decompress(data), Path(file.stem).suffix
    if suffix == ".xlsx":
        with zipfile.ZipFile(file) as workbook:
            return "\n".join(html.unescape(workbook.read(name).decode("utf-8")) for name in sorted(workbook.namelist()))
    if suffix in (".png", ".ico", ".woff", ".woff2"):
        return ""
    text = data.decode("utf-8")
    if suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    elif file.name == "search_index.js":
        text = json.dumps(json.loads(text.removeprefix("var __index = ")), ensure_ascii=False)
    elif suffix == ".ics":
        text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    return html.unescape(text)


def words(text: str) -> str:
    """The words of a text, lower case, one space apart: markup, punctuation and line breaks gone."""
    return " " + " ".join(re.findall(r"[^\W_]+", re.sub(r"<[^>]+>", " ", text).lower())) + " "


def _third_parties(repo: Path) -> None:
    for path, changes in _INSERTED.items():
        file = repo / path
        text = file.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, f"{path} no longer holds {old!r}: update the test's insertions"
            text = text.replace(old, new, 1)
        file.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    """The example with third parties written in, built once for each audience."""
    root = tmp_path_factory.mktemp("audiences")
    repo = build_demo_repo(PROJECT_ROOT, root / "repo")
    _third_parties(repo)
    loaded, _ = load_repository(repo)
    assert loaded.authority is not None and loaded.authority.demo_date is not None
    as_of = loaded.authority.demo_date
    sites = {}
    for name in (None, "scheduling", "cdm-members"):
        label = name or "coordinators"
        result = build_site(repo, root / label, as_of=as_of, work_dir=root / f"{label}-docs", audience=name)
        sites[label] = Built(result, result.out_dir)
    shutil.rmtree(repo / "build", ignore_errors=True)
    return Example(loaded, as_of, sites)


# --- what must not appear -------------------------------------------------------------------------


def council_words(repo: Repository) -> str:
    """The words of the panels' terms of reference: the council's own vocabulary, not anyone's name or narrative."""
    return words(" ".join((repo.root / doc.path).read_text(encoding="utf-8") for doc in repo.panel_docs.values()))


def child_names(repo: Repository) -> list[str]:
    """Every child's full name and each word of it (but a word the panels' terms use too: "Unborn", "baby")."""
    vocabulary = council_words(repo)
    found: set[str] = set()
    for doc in repo.cases.values():
        for child in doc.model.children:
            found.add(child.name)
            found.update(w for w in child.name.split() if len(w) > 1 and words(w) not in vocabulary)
    return sorted(found)


def birth_forms(born: date) -> list[str]:
    """A date of birth as it could be written: ISO, compact, day first with digits, and long forms."""
    month = MONTHS[born.month - 1]
    day, mon, year = born.day, born.month, born.year
    return [
        born.isoformat(),
        born.strftime("%Y%m%d"),
        *(
            f"{d}{sep}{m}{sep}{year}"
            for sep in "/.-"
            for d in {f"{day:02d}", str(day)}
            for m in {f"{mon:02d}", str(mon)}
        ),
        f"{day} {month} {year}",
        f"{day:02d} {month} {year}",
        f"{month} {day}, {year}",
        f"{day} {month[:3]} {year}",
    ]


def dates_of_birth(repo: Repository) -> list[tuple[str, date]]:
    """Every child's date of birth (and an unborn child's due date), with the case it belongs to."""
    found = []
    for case_id, doc in sorted(repo.cases.items()):
        for child in doc.model.children:
            for born in (child.date_of_birth, child.due_date):
                if born is not None:
                    found.append((case_id, born))
    return found


def narrative_sentences(repo: Repository) -> list[str]:
    """Every sentence of at least five words in the documents' narrative and free-text fields, as words."""
    texts: list[str] = []
    docs = [*repo.cases.values(), *repo.referrals, *repo.decisions, *repo.meetings.values(), *repo.records]
    for doc in docs:
        texts.append(re.sub(r"^#+ .*$", "", doc.parsed.body, flags=re.MULTILINE))
    for ref in repo.referrals:
        texts.append(ref.model.sought)
        texts += [s.reasons for s in ref.model.scaling]
    for dec in repo.decisions:
        texts += [*dec.model.agreed, dec.model.rationale, *(a.what for a in dec.model.actions)]
        texts += [v.note for v in dec.model.views if v.note]
    for case in repo.cases.values():
        texts += [e.note for e in case.model.events if e.note]
    for meeting in repo.meetings.values():
        texts += [c.nature for c in meeting.model.conflicts] + [x.reason for x in meeting.model.deferred]
    texts += [r.model.note for r in repo.records if r.model.note]
    vocabulary = council_words(repo)
    found = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?;:])\s+|\n\s*\n", text):
            said = words(sentence).strip()
            # An outcome's or a duty's name quoted from the terms ("Accommodation continues ...") is not narrative.
            if said.count(" ") >= 4 and f" {said} " not in vocabulary:
                found.add(said)
    return sorted(found)


# --- the redacted build ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redacted(example: Example) -> list[tuple[str, str]]:
    return list(example.sites["scheduling"].files())


def test_the_redacted_build_reads_every_kind_of_file(redacted: list[tuple[str, str]]) -> None:
    """The proof covers pages, printouts, the search index (both copies), CSV, XLSX, calendars and the sitemap."""
    paths = {path for path, _ in redacted}
    assert {
        "search/search_index.json",
        "search/search_index.js",
        "trackers/actions.csv",
        "trackers/tracker.xlsx",
    } <= paths
    assert {"sitemap.xml", "sitemap.xml.gz", "meetings/cdm/2026-09-14/pack.html", "cases/204117.html"} <= paths
    assert any(p.endswith(".ics") for p in paths) and any(p.endswith(".txt") for p in paths)
    assert any(p.startswith("meetings/") and p.endswith("/minutes.html") for p in paths)


def test_no_childs_or_third_partys_name_in_the_redacted_build(
    example: Example, redacted: list[tuple[str, str]]
) -> None:
    """No child's name (nor any word of it), no family member's or outside professional's name, in any file.

    Outside professionals are the invented ones written into the documents, and the roster's
    partner-agency staff, whom the `scheduling` rule names by role only (`outside_teams`).
    """
    partners = [p.name for p in example.repo.roster.values() if p.team == "partners"]
    assert len(partners) >= 2
    names = [*child_names(example.repo), *THIRD_PARTIES, *(w for n in THIRD_PARTIES for w in n.split()), *partners]
    assert len(names) > 100
    leaks = [(path, name) for path, text in redacted for name in names if words(name) in words(text)]
    assert leaks == []


def test_no_date_of_birth_in_the_redacted_build(example: Example, redacted: list[tuple[str, str]]) -> None:
    """No date of birth (or due date) in ISO, compact, day-first or long form, in any file."""
    births = dates_of_birth(example.repo)
    assert len(births) >= 50
    leaks = [
        (path, case_id, form)
        for path, text in redacted
        for case_id, born in births
        for form in birth_forms(born)
        if re.search(rf"(?<![0-9]){re.escape(form)}(?![0-9])", text)
    ]
    assert leaks == []


def test_no_narrative_sentence_in_the_redacted_build(example: Example, redacted: list[tuple[str, str]]) -> None:
    """No sentence of the narrative or of a free-text field, in any file."""
    sentences = narrative_sentences(example.repo)
    assert len(sentences) > 300
    everything = [(path, words(text)) for path, text in redacted]
    leaks = [(path, s) for path, text in everything for s in sentences if f" {s} " in text]
    assert leaks == []


def test_the_redacted_build_still_schedules_and_counts(example: Example) -> None:
    """Agendas with their slots and readiness, initials and ages, and the reports' figures are all there."""
    site = example.sites["scheduling"].site
    agenda = readable(site / "meetings/cdm/2026-11-30.html")
    assert "Case 204117" in agenda and "B. P., C. P., M. P." in agenda
    assert re.search(r"\b1[0-9]:[0-5][0-9]\b", agenda), "the agenda's slot times"
    case = readable(site / "cases/204117.html")
    assert "10 years" in case and "(withheld from this site)" in case
    sheet = readable(site / "meetings/cdm/2026-09-14/204117.html")
    assert "Age on 2026-11-25" in sheet and "age 10 years" in sheet
    full = example.sites["coordinators"].site
    for report in ("reports/annual.html", "reports/lac-reduction.html"):
        cells = r"<td[^>]*>(\d+)</td>"
        figures = re.findall(cells, (site / report).read_text(encoding="utf-8"))
        assert len(figures) > 20 and figures == re.findall(cells, (full / report).read_text(encoding="utf-8"))


# --- the coordinators' build ----------------------------------------------------------------------


def test_the_default_search_index_holds_case_ids_and_panels_only(example: Example) -> None:
    """The coordinators' pages name the children, but their search index holds no name and no narrative."""
    built = example.sites["coordinators"]
    assert "Bryony Pebbleford" in readable(built.site / "cases/204117.html")
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    inlined = (built.site / "search/search_index.js").read_text(encoding="utf-8")
    assert inlined == "var __index = " + (built.site / "search/search_index.json").read_text(encoding="utf-8")
    text = words(json.dumps(index, ensure_ascii=False))
    names = [*child_names(example.repo), *THIRD_PARTIES]
    assert [n for n in names if words(n) in text] == []
    assert [s for s in narrative_sentences(example.repo) if f" {s} " in text] == []
    case = [e for e in index["docs"] if e["location"].startswith("cases/204117.html")]
    assert case == [{"location": "cases/204117.html", "title": "Case 204117", "text": "Case 204117: CDM, LPM"}]
    # A panel's terms hold no case material: they are indexed in full, section by section.
    assert sum(e["location"].startswith("panels/cdm.html") for e in index["docs"]) > 3


def test_the_default_downloads_name_children_by_initials(example: Example) -> None:
    """The tracker (CSV and XLSX), the case notes and the calendars carry initials and case ids, not names."""
    built = example.sites["coordinators"]
    downloads = [
        (path, text)
        for path, text in built.files()
        if path.endswith((".csv", ".xlsx", ".ics", ".txt")) and not path.startswith("assets/")
    ]
    assert len(downloads) > 50
    names = [n for n in child_names(example.repo) if " " in n]
    assert [(p, n) for p, text in downloads for n in names if words(n) in words(text)] == []
    births = [form for _, born in dates_of_birth(example.repo) for form in birth_forms(born)[:1]]
    assert [(p, b) for p, text in downloads for b in births if b in text] == []
    csv = readable(built.site / "trackers/actions.csv")
    assert "204117" in csv and "B. P.; C. P.; M. P." in csv
    note = readable(built.site / "meetings/cdm/2026-09-14/204117.txt")
    assert "Children: B. P., C. P., M. P." in note


def test_the_default_pages_are_the_coordinators_full_site(example: Example) -> None:
    """Without `--audience`, the pages show what they always did: names, dates of birth and narrative."""
    built = example.sites["coordinators"]
    assert built.result.audience == "coordinators"
    sheet = readable(built.site / "meetings/cdm/2026-09-14/204117.html")
    assert "Bryony Pebbleford" in sheet and "2016-03-14" in sheet and "Date of birth" in sheet
    assert "Ambrose Quernwood" in readable(built.site / "meetings/cdm/2026-09-14/minutes.html")


# --- the per-panel build --------------------------------------------------------------------------


def test_a_per_panel_build_holds_only_its_panels_material(example: Example) -> None:
    """CDM members' site: CDM's pages, trackers, calendars and search, and no case only another panel had."""
    repo = example.repo
    cdm_cases = {doc.model.case for doc in (*repo.referrals, *repo.decisions) if doc.model.panel == "cdm"}
    for meeting in (doc.model for (panel, _), doc in repo.meetings.items() if panel == "cdm"):
        cdm_cases.update(meeting.heard)
    others = sorted(set(repo.cases) - cdm_cases)
    assert len(cdm_cases) >= 5 and len(others) >= 20
    built = example.sites["cdm-members"]
    files = list(built.files())
    leaks = [(path, case_id) for path, text in files for case_id in others if re.search(rf"\b{case_id}\b", text)]
    assert leaks == []
    other_panels = sorted(set(repo.panels) - {"cdm"})
    paths = [path for path, _ in files]
    for panel_id in other_panels:
        assert not [p for p in paths if f"/{panel_id}/" in f"/{p}" or Path(p).stem == panel_id], panel_id
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert {e["location"].split("/")[0] for e in index["docs"]} <= {
        "index.html",
        "panels",
        "meetings",
        "cases",
        "cases.html",
        "problems.html",
        "trackers",
        "reports",
        "calendars.html",
        "audit",
    }
    assert not [e for e in index["docs"] if any(f"/{p}" in "/" + e["location"] for p in other_panels)]
    assert (built.site / "calendars/cdm.ics").is_file()
    # Its own cases are all there, the CDM agenda works, and the other panels' referrals are gone from them.
    assert all((built.site / f"cases/{case_id}.html").is_file() for case_id in cdm_cases if case_id in repo.cases)
    case = readable(built.site / "cases/204117.html")
    assert "Bryony Pebbleford" in case and 'id="referral-2026-09-14-cdm"' in case
    assert "referral-2026-09-23-lpm" not in case and "../panels/lpm.html" not in case


def test_initials() -> None:
    """Initials keep the first letter of each part of a name, hyphenated parts and accents included."""
    assert initials("Bryony Pebbleford") == "B. P."
    assert initials("Anne-Marie Ólafsdóttir") == "A. M. O."
    assert initials("  ") == ""
