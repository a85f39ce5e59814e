"""Correcting an approved decision at its own meeting: numbered versions beside the original sheet.

The layout, rule P712, `panel new correction`, signature verification of a correction, and how the
demo site shows a corrected decision (the demo corrects CMR's 2026-10-20 decision on case 205104).
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DemoSite, GitFactory, SignedWorld
from test_immutability import (
    BASE_FILES,
    BRANCH_TIME,
    DECISION,
    DRAFT,
    check,
    decision,
    main_repo,
    pull_request,
    refused_both_ways,
)

from generator.audit.verify import verify_repository
from generator.cli import cli
from generator.core.layout import Kind, classify, decision_path
from generator.loading.repository import load_repository
from generator.tools.scaffold import correction_text

V2 = "decisions/cmr/2026-11-24/100001.v2.md"
V3 = "decisions/cmr/2026-11-24/100001.v3.md"


def found(items: list[dict[str, object]]) -> set[tuple[str, object, str]]:
    """(path, line, name) of each diagnostic."""
    return {(str(x["path"]), x["line"], str(x["name"])) for x in items}


# --- layout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "case_id", "version"),
    [
        ("decisions/cmr/2026-11-24/100001.md", "100001", 1),
        ("decisions/cmr/2026-11-24/100001.v2.md", "100001", 2),
        ("decisions/cmr/2026-11-24/100001.v10.md", "100001", 10),
        ("decisions/cmr/2026-11-24/AB-12_x.v999.md", "AB-12_x", 999),
    ],
)
def test_versions_are_read_from_the_path(path: str, case_id: str, version: int) -> None:
    """`<case>.md` is version 1 and `<case>.v<n>.md` version n, of the same case."""
    location = classify(path)
    assert location is not None
    assert (Kind.DECISION, case_id, version) == (location.kind, location.case, location.version)
    assert path == decision_path("cmr", location.date, case_id, version)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["100001.v1.md", "100001.v0.md", "100001.v02.md", "100001.v1000.md", "100001.v.md"])
def test_other_numbered_names_have_no_place(name: str) -> None:
    """The original carries no number, and versions are written without leading zeros."""
    assert classify(f"decisions/cmr/2026-11-24/{name}") is None


def test_a_numbered_name_outside_the_layout_is_reported(git_repo: GitFactory) -> None:
    """`.v1.md` is refused as an unexpected file, pointing at the explanation of the layout."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {"decisions/cmr/2026-11-24/100001.v1.md": decision("2026-11-24")}, when=BRANCH_TIME)
    code, items = check(repo)
    assert (1, {("decisions/cmr/2026-11-24/100001.v1.md", 0, "unexpected-file")}) == (code, found(items))


def test_versions_sort_by_number_after_their_original(tmp_path: Path) -> None:
    """The repository lists a case's sheets at a meeting original first, then v2, v3 ... v10 in order."""
    world = tmp_path / "repo"
    for relative, text in BASE_FILES.items():
        (world / relative).parent.mkdir(parents=True, exist_ok=True)
        (world / relative).write_text(text, encoding="utf-8")
    paths = [DECISION] + [f"decisions/cmr/2026-11-24/100001.v{n}.md" for n in range(2, 12)]
    for before, path in itertools.pairwise(paths):
        (world / path).write_text(decision("2026-11-24", supersedes=before), encoding="utf-8")
    repo, _ = load_repository(world)
    listed = [doc.path for doc in repo.decisions if doc.model.meeting.isoformat() == "2026-11-24"]
    assert paths == listed


# --- the rule -------------------------------------------------------------------------------------


def test_a_correction_beside_the_original_passes(git_repo: GitFactory) -> None:
    """v2 superseding the approved sheet, then v3 superseding v2: the pull request and the whole check pass."""
    repo = main_repo(git_repo)
    git_repo.commit(repo, {V2: decision("2026-11-24", supersedes=DECISION, agreed="Continue the plan, amended")})
    assert (0, set()) == pull_request(repo)
    git_repo.commit(repo, {V3: decision("2026-11-24", supersedes=V2, agreed="Continue the plan, amended twice")})
    assert (0, set()) == pull_request(repo)
    assert (0, []) == check(repo)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {V2: decision("2026-11-24")},
            {(V2, 1, "correction-out-of-line")},
            id="no-supersedes",
        ),
        pytest.param(
            {V2: decision("2026-11-24", supersedes=DECISION), V3: decision("2026-11-24", supersedes=DECISION)},
            {(V3, 14, "correction-out-of-line"), (V2, 14, "superseded-twice"), (V3, 14, "superseded-twice")},
            id="v3-skips-v2",
        ),
        pytest.param(
            {V3: decision("2026-11-24", supersedes=DECISION)},
            {(V3, 14, "correction-out-of-line")},
            id="v3-without-v2",
        ),
        pytest.param(
            {
                "decisions/cmr/2026-11-17/100002.v2.md": decision(
                    "2026-11-17", "100002", supersedes=DRAFT, status="approved"
                )
            },
            {("decisions/cmr/2026-11-17/100002.v2.md", 14, "draft-superseded")},
            id="draft-corrected",
        ),
    ],
)
def test_corrections_out_of_line_are_refused(
    git_repo: GitFactory, files: dict[str, str], expected: set[tuple[str, int, str]]
) -> None:
    """Each numbered sheet must supersede the version just before it; the hint names the path to write."""
    items = refused_both_ways(git_repo, files, expected)
    out_of_line = [x for x in items if x["name"] == "correction-out-of-line"]
    before = {V2: DECISION, V3: V2}
    assert {f"write `supersedes: {before[str(x['path'])]}`" for x in out_of_line} == {x["hint"] for x in out_of_line}


def test_an_approved_correction_is_never_edited_either(git_repo: GitFactory) -> None:
    """Once v2 is approved on main, editing it is refused like any approved decision."""
    repo = main_repo(git_repo, {V2: decision("2026-11-24", supersedes=DECISION, agreed="Amended")})
    git_repo.commit(repo, {V2: decision("2026-11-24", supersedes=DECISION, agreed="Amended again")})
    assert (1, {(V2, 9, "approved-decision-changed")}) == pull_request(repo)


# --- panel new correction -------------------------------------------------------------------------


def new_correction(repo: Path, path: str) -> tuple[int, str, str]:
    """`panel new correction PATH`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, ["new", "correction", "--repo", str(repo), path])
    return result.exit_code, result.stdout, result.stderr


def test_new_correction_writes_the_next_version_and_leaves_the_original(git_repo: GitFactory) -> None:
    """The copy differs from the original only in `status: draft` and `supersedes:`; the original is untouched."""
    repo = main_repo(git_repo)
    original = (repo / DECISION).read_bytes()
    assert (0, f"wrote {V2}\n", "") == new_correction(repo, DECISION)
    assert original == (repo / DECISION).read_bytes()
    written = (repo / V2).read_text("utf-8")
    assert written == original.decode().replace("status: approved\n", f"status: draft\nsupersedes: {DECISION}\n")
    code, items = check(repo)
    assert (0, set()) == (code, found(items))


def test_new_correction_of_a_correction_replaces_its_supersedes(git_repo: GitFactory) -> None:
    """Correcting v2 writes v3 naming v2, with one `supersedes:` line."""
    repo = main_repo(git_repo, {V2: decision("2026-11-24", supersedes=DECISION, agreed="Amended")})
    assert (0, f"wrote {V3}\n", "") == new_correction(repo, str(repo / V2))
    text = (repo / V3).read_text("utf-8")
    assert [f"supersedes: {V2}"] == re.findall(r"(?m)^supersedes: .*$", text)
    assert "status: draft\n" in text and "Amended" in text


def test_correction_text_drops_folded_values_of_the_two_fields() -> None:
    """A `supersedes:` written over two lines is replaced whole; other keys and the body are kept as written."""
    original = (
        "---\nsupersedes: >-\n  decisions/cmr/2026-11-17/100001.md\nagreed:\n  - a\nstatus: approved\n---\nBody\n"
    )
    expected = "---\nagreed:\n  - a\nstatus: draft\nsupersedes: decisions/x.md\n---\nBody\n"
    assert expected == correction_text(original, "decisions/x.md")


@pytest.mark.parametrize(
    ("target", "files", "message"),
    [
        (DRAFT, {}, "is a draft: edit it directly"),
        (DECISION, {V2: decision("2026-11-24", supersedes=DECISION)}, f"already superseded by {V2}"),
        ("cases/100001/case.md", {}, "is not a decision sheet's path"),
        ("decisions/cmr/2026-11-24/100009.md", {}, "there is no decision sheet"),
        ("decisions/cmr/2026-11-24/100003.md", {"decisions/cmr/2026-11-24/100003.md": "---\n: [\n---\n"}, "has errors"),
    ],
    ids=["draft", "already-corrected", "not-a-decision", "missing", "unreadable"],
)
def test_new_correction_refuses_with_a_reason(
    git_repo: GitFactory, target: str, files: dict[str, str], message: str
) -> None:
    """Nothing is written when the sheet cannot be corrected this way; the message says why."""
    repo = main_repo(git_repo, files)
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if ".git" not in p.parts)
    code, out, err = new_correction(repo, target)
    assert (2, "") == (code, out)
    assert message in err and "Traceback" not in err
    assert before == sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if ".git" not in p.parts)


def test_new_correction_never_overwrites_a_next_version(git_repo: GitFactory) -> None:
    """A v2 that exists but does not load (so supersedes nothing yet) is never overwritten."""
    repo = main_repo(git_repo, {V2: "not a decision\n"})
    code, _, err = new_correction(repo, DECISION)
    assert 2 == code and f"{V2} already exists; nothing was written" in err
    assert "not a decision\n" == (repo / V2).read_text("utf-8")


# --- signatures -----------------------------------------------------------------------------------

TODAY = date(2024, 6, 1)
CDM = "decisions/cdm/2024-02-01/123456.md"
CDM_V2 = "decisions/cdm/2024-02-01/123456.v2.md"


def test_a_correction_needs_the_chairs_signature(signed_world: SignedWorld) -> None:
    """verify treats v2 as a decision: the chair's correction passes, a worker's is refused naming the file."""
    world = signed_world
    world.commit(world.chair, {CDM: "decided\n"}, when="2024-02-02T09:00:00+00:00")
    world.commit(world.chair, {CDM_V2: "corrected\n"}, when="2024-02-05T09:00:00+00:00")
    assert [] == verify_repository(world.repo, None, TODAY).diagnostics
    commit = world.commit(world.worker, {"decisions/cdm/2024-02-01/123456.v3.md": "again\n"})
    found = verify_repository(world.repo, None, TODAY).diagnostics
    assert [(commit, "decisions/cdm/2024-02-01/123456.v3.md", "not-chair")] == [
        (d.commit, d.path, d.name) for d in found
    ]


# --- the demo site --------------------------------------------------------------------------------

ORIGINAL_SHEET = "meetings/cmr/2026-10-20/205104.html"
CORRECTED_SHEET = "meetings/cmr/2026-10-20/205104.v2.html"


def text_of(site: Path, page: str) -> str:
    """A built page's visible text, whitespace collapsed."""
    html = (site / page).read_text("utf-8")
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_demo_sheets_say_which_version_stands(demo_site: DemoSite) -> None:
    """The original sheet is marked superseded and links to version 2; version 2 says what it corrects."""
    original = text_of(demo_site.site, ORIGINAL_SHEET)
    assert "Superseded: this sheet no longer stands It was replaced by the CMR decision of 2026-10-20, version 2" in (
        original
    )
    assert 'class="admonition warning"' in (demo_site.site / ORIGINAL_SHEET).read_text("utf-8")
    assert "Status: superseded (approved by the chair, then replaced)" in original
    assert "the maternal grandparents" in original and "approved by the chair: final" not in original
    corrected = text_of(demo_site.site, CORRECTED_SHEET)
    assert "Decision sheet: case 205104 (version 2)" in corrected and "no longer stands" not in corrected
    assert "Status: approved (approved by the chair: final)" in corrected
    assert "Version: 2, correcting the CMR decision of 2026-10-20" in corrected
    assert "both sets of grandparents" in corrected
    assert 'href="205104.html"' in (demo_site.site / CORRECTED_SHEET).read_text("utf-8")
    assert 'href="205104.v2.html"' in (demo_site.site / ORIGINAL_SHEET).read_text("utf-8")
    for child in ("c1", "c2"):
        assert (demo_site.site / f"meetings/cmr/2026-10-20/205104.v2-{child}.html").is_file()
        assert (demo_site.site / f"meetings/cmr/2026-10-20/205104.v2-{child}.txt").is_file()


def test_demo_minutes_show_the_standing_version_once(demo_site: DemoSite) -> None:
    """The minutes carry one decision on case 205104, the correction, with a link to the sheet it corrects."""
    minutes = text_of(demo_site.site, "meetings/cmr/2026-10-20/minutes.html")
    assert 1 == minutes.count("Decision on case 205104")
    assert "this is version 2 of the sheet; it corrects the CMR decision of 2026-10-20" in minutes
    assert "both sets of grandparents" in minutes
    meeting = (demo_site.docs / "meetings/cmr/2026-10-20.md").read_text("utf-8")
    assert "(2026-10-20/205104.v2.html)" in meeting and "(2026-10-20/205104.html)" in meeting


def test_demo_case_page_keeps_both_versions_with_their_own_anchors(demo_site: DemoSite) -> None:
    """The case page shows the superseded sheet and its correction, each at its own anchor, linked both ways."""
    page = (demo_site.docs / "cases/205104.md").read_text("utf-8")
    assert "## Decision of CMR, 2026-10-20 (superseded) { #decision-2026-10-20-cmr }" in page
    assert "## Decision of CMR, 2026-10-20, version 2 { #decision-2026-10-20-cmr-v2 }" in page
    assert "superseded by [version 2 of this meeting's sheet](205104.md#decision-2026-10-20-cmr-v2)" in page
    assert "- **Corrects:** [version 1](205104.md#decision-2026-10-20-cmr)" in page
    timeline = [line for line in page.splitlines() if "| decision | " in line and "2026-10-20" in line]
    assert 2 == len(timeline)
    assert 1 == sum("(superseded)](205104.md#decision-2026-10-20-cmr)" in line for line in timeline)
    assert 1 == sum("(corrected sheet, version 2)](205104.md#decision-2026-10-20-cmr-v2)" in line for line in timeline)
    built = (demo_site.site / "cases/205104.html").read_text("utf-8")
    assert 1 == built.count('id="decision-2026-10-20-cmr"') == built.count('id="decision-2026-10-20-cmr-v2"')


def test_demo_tracker_follows_the_correction(demo_site: DemoSite) -> None:
    """The actions tracker lists the corrected wording of action a1, and not the superseded one."""
    tracker = (demo_site.docs / "trackers/actions.md").read_text("utf-8")
    assert "both sets of grandparents" in tracker
    assert "parents and the maternal grandparents" not in tracker
    assert "CMR decision of 2026-10-20, version 2" in tracker
