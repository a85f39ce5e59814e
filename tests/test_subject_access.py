"""Subject access packs: everything held about a case, other children's cases left out, third parties marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory
from test_site import AUTHORITY, PANEL, ROSTER

from generator.cli import cli
from generator.loading.sealed_text import KeyRing
from generator.pipeline.gather import gather
from generator.site.subject_access_pack import pack_html
from generator.views.subject_access import Category, subject_access

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

SUBJECT = "123456"
OTHER = "654321"


def case(case_id: str, children: list[tuple[str, str]]) -> str:
    items = "".join(
        f"  - id: {cid}\n    name: {name}\n    date_of_birth: 2016-05-01\n    legal_status: cin\n"
        "    legal_status_since: 2025-01-10\n"
        for cid, name in children
    )
    return f'---\nid: "{case_id}"\nchildren:\n{items}worker: p-worker\nteam: north\n---\n'


def referral(case_id: str, text: str) -> str:
    return f"""\
---
panel: tp
meeting: 2026-02-23
case: "{case_id}"
request: review
children: [c1]
ground: judgement
sought: A decision on the plan.
presenter: p-worker
documents:
  - id: chronology
    date: 2026-02-01
    location: "Mosaic > Documents"
authorisations:
  - role: team-manager
    person: p-manager
    date: 2026-02-10
---
## Summary

{text}
"""


def decision(case_id: str, text: str) -> str:
    return f"""\
---
panel: tp
meeting: 2026-02-23
case: "{case_id}"
children: [c1]
request: review
outcomes: [agree]
agreed:
  - The plan continues.
rationale: The plan is working.
chair: p-chair
---
{text}
"""


MEETING = f"""\
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
  - person: p-manager
    role: team-manager
    capacity: presenter
    items: ["{OTHER}"]
conflicts:
  - person: p-member
    case: "{OTHER}"
    nature: Knows the family of the other case
    withdrew: true
heard: ["{SUBJECT}", "{OTHER}"]
---
Two cases heard. Case {OTHER} was heard second, and Cora Otherchild's school sent a report.
"""

SUBJECT_TEXT = (
    "Ada Subjectchild lives with her mother. Her uncle Tobias Harrowgate visits at weekends, and "
    "Bea Subjectchild shares a room with her. Chris Chair asked for a school report. A friend from "
    "school, Cora Otherchild, was mentioned by Ada. <img src=x onerror=alert(12)>"
)
OTHER_SENTENCE = "Cora Otherchild moved to her aunt Philippa Dunmore in January."

WORLD = {
    "panels/authority.yml": AUTHORITY,
    "panels/roster.yml": ROSTER,
    "panels/tp.md": PANEL,
    f"cases/{SUBJECT}/case.md": case(SUBJECT, [("c1", "Ada Subjectchild"), ("c2", "Bea Subjectchild")]),
    f"cases/{SUBJECT}/referrals/2026-02-23-tp.md": referral(SUBJECT, SUBJECT_TEXT),
    f"cases/{OTHER}/case.md": case(OTHER, [("c1", "Cora Otherchild")]),
    f"cases/{OTHER}/referrals/2026-02-23-tp.md": referral(OTHER, OTHER_SENTENCE),
    "decisions/tp/2026-02-23/meeting.md": MEETING,
    f"decisions/tp/2026-02-23/{SUBJECT}.md": decision(SUBJECT, "Members agreed the plan for Ada."),
    f"decisions/tp/2026-02-23/{OTHER}.md": decision(OTHER, "Members agreed Cora's plan."),
}


@pytest.fixture
def repo(git_repo: GitFactory) -> Path:
    """The world in two signed-off commits by a fixed author: the pack's history has something to show."""
    first = {k: v for k, v in WORLD.items() if "decisions/" not in k}
    root = git_repo.make_repo(first, author=("Wendy Worker", "wendy.worker@example.invalid"))
    git_repo.commit(
        root,
        {k: v for k, v in WORLD.items() if "decisions/" in k},
        when="2026-02-24T10:00:00+00:00",
        author=("Chris Chair", "chris.chair@example.invalid"),
        message="Minutes and decisions of the test panel",
    )
    return root


def _pack_text(root: Path, case_id: str = SUBJECT, child: str | None = None) -> tuple[str, object]:
    workspace = gather(root, as_of=__import__("datetime").date(2026, 3, 2), signatures=True, keys=KeyRing(None))
    pack = subject_access(workspace.repo, workspace.histories, case_id, as_of=workspace.as_of, child=child)
    return pack_html(pack, site_name="Testshire", banner="TEST-SENSITIVE").decode("utf-8"), pack


def _unmarked(html_text: str, needle: str) -> list[str]:
    """Each occurrence of `needle` in the page's text that is not inside a <mark> (nor the front list's table)."""
    body = html_text.split("<h2>Contents</h2>", 1)[1]
    outside = re.sub(r"<mark\b[^>]*>.*?</mark>", "", body, flags=re.S)
    return re.findall(re.escape(needle), re.sub(r"<[^>]+>", " ", outside))


def test_the_pack_holds_the_case_its_documents_and_their_history(repo: Path) -> None:
    page, _ = _pack_text(repo)
    assert f"cases/{SUBJECT}/case.md" in page
    assert f"cases/{SUBJECT}/referrals/2026-02-23-tp.md" in page
    assert f"decisions/tp/2026-02-23/{SUBJECT}.md" in page
    assert "decisions/tp/2026-02-23/meeting.md" in page
    assert "Members agreed the plan for Ada." in page
    assert "Tobias" in page  # nothing of the subject's own record is left out, only marked
    # git's history: who changed what, when
    assert "2026-02-24 10:00 +00:00" in page
    assert "created" in page
    assert "Minutes and decisions" not in page  # commit messages are not documents


def test_other_childrens_cases_at_the_same_meeting_are_left_out(repo: Path) -> None:
    page, _ = _pack_text(repo)
    assert f"cases/{OTHER}/" not in page
    assert f"decisions/tp/2026-02-23/{OTHER}.md" not in page
    assert OTHER_SENTENCE not in page
    assert "Philippa" not in page
    assert "Members agreed Cora" not in page
    assert "Knows the family of the other case" not in page  # a conflict about the other case
    assert "1 other case(s) at this meeting are not included" in page
    assert "1 attendee(s) present only for other cases are not included" in page


def test_third_parties_are_marked_where_they_appear_and_listed_at_the_front(repo: Path) -> None:
    page, pack = _pack_text(repo)
    categories = {party.text: party.category for party in pack.parties}  # type: ignore[attr-defined]
    assert categories["Cora Otherchild"] is Category.OTHER_CHILD
    assert categories[OTHER] is Category.OTHER_CASE
    assert categories["Chris Chair"] is Category.STAFF
    assert categories["p-worker"] is Category.STAFF
    assert categories["Tobias"] is Category.POSSIBLE_NAME
    assert categories["Harrowgate"] is Category.POSSIBLE_NAME
    assert "Ada" not in categories and "Subjectchild" not in categories and "Ada Subjectchild" not in categories
    assert "Bea Subjectchild" not in categories  # a sibling is a subject when the pack is the case's
    for name in ("Cora Otherchild", OTHER, "Chris Chair", "Tobias", "Harrowgate", "p-worker"):
        assert _unmarked(page, name) == [], name
    front = page.split("<h2>Contents</h2>")[0]
    assert "For redaction review" in front
    assert re.search(r"<td>T[0-9]+</td><td>Cora Otherchild</td><td>another child \(not in this case\)</td>", front)
    assert '<mark class="tp"' in page


def test_a_pack_for_one_child_marks_the_sibling(repo: Path) -> None:
    page, pack = _pack_text(repo, child="c1")
    categories = {party.text: party.category for party in pack.parties}  # type: ignore[attr-defined]
    assert categories["Bea Subjectchild"] is Category.SIBLING
    assert _unmarked(page, "Bea Subjectchild") == []
    assert "Subjectchild" not in categories  # the subject's own surname is not a third party


def test_the_pack_is_standalone_and_asks_for_nothing(repo: Path) -> None:
    page, _ = _pack_text(repo)
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()  # the narrative's <img onerror> is shown as text, never as a tag
    assert re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page, re.IGNORECASE) is None
    assert "<link" not in page.lower()
    tags = re.findall(r"<[a-z][^<>]*>", page, re.IGNORECASE)  # escaped narrative text is not a tag
    targets = [
        target
        for tag in tags
        for target in re.findall(r"""\s(?:src|href|action|srcset)\s*=\s*["']?([^"'\s>]*)""", tag, re.IGNORECASE)
    ]
    assert targets
    assert all(target.startswith("#") for target in targets)  # only in-page links
    assert "url(" not in page
    assert "@page" in page  # the printouts' A4 stylesheet, inside the document


def test_panel_sar_writes_the_pack_outside_the_repository(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "packs"
    result = CliRunner().invoke(cli, ["sar", SUBJECT, "--repo", str(repo), "--out", str(out), "--as-of", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert (out / f"sar-{SUBJECT}.html").is_file()
    assert "name(s) marked for redaction review" in result.output
    result = CliRunner().invoke(cli, ["sar", SUBJECT, "--repo", str(repo), "--out", str(repo / "packs")])
    assert result.exit_code == 2
    assert "inside the repository" in result.output
    assert not (repo / "packs").exists()
    result = CliRunner().invoke(cli, ["sar", "999999", "--repo", str(repo), "--out", str(out)])
    assert result.exit_code == 2
    assert "there is no case 999999" in result.output
    result = CliRunner().invoke(cli, ["sar", SUBJECT, "--child", "c9", "--repo", str(repo), "--out", str(out)])
    assert result.exit_code == 2
    assert "has no child 'c9'" in result.output


def test_the_bundled_example_pack_leaves_out_and_marks_other_children(tmp_path: Path) -> None:
    out = tmp_path / "packs"
    result = CliRunner().invoke(
        cli, ["sar", "204117", "--repo", str(PROJECT), "--out", str(out), "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 0, result.output
    page = (out / "sar-204117.html").read_text(encoding="utf-8")
    workspace = gather(PROJECT, as_of=__import__("datetime").date(2026, 11, 25))
    others = [(cid, c.name) for cid, doc in workspace.repo.cases.items() if cid != "204117" for c in doc.model.children]
    for case_id, name in others:
        assert _unmarked(page, name) == [], case_id
        assert f"cases/{case_id}/" not in page
        assert _unmarked(page, case_id) == [], case_id
    for decision in workspace.repo.decisions:
        if decision.location.case != "204117":
            assert decision.path not in page
    for name in ("Bryony Pebbleford", "Caspian Pebbleford", "Merrin Pebbleford"):
        assert name in page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_pack_prints_to_pdf_in_chromium_and_makes_no_request(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "packs"
    result = CliRunner().invoke(
        cli, ["sar", SUBJECT, "--repo", str(repo), "--out", str(out), "--as-of", "2026-03-02", "--pdf"]
    )
    assert result.exit_code == 0, result.output
    pdf = out / f"sar-{SUBJECT}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000


def test_a_deleted_document_is_in_the_pack_as_git_last_held_it(
    repo: Path, git_repo: GitFactory, tmp_path: Path
) -> None:
    withdrawn = f"cases/{SUBJECT}/referrals/2026-03-09-tp.md"
    text = referral(SUBJECT, "A withdrawn referral about Ada's move to a new school.").replace(
        "meeting: 2026-02-23", "meeting: 2026-03-09"
    )
    git_repo.commit(repo, {withdrawn: text}, when="2026-03-01T09:00:00+00:00")
    git_repo.commit(repo, {withdrawn: None}, when="2026-03-02T09:00:00+00:00", message="Withdraw the referral")
    out = tmp_path / "packs"
    result = CliRunner().invoke(cli, ["sar", SUBJECT, "--repo", str(repo), "--out", str(out), "--as-of", "2026-03-02"])
    assert result.exit_code == 0, result.output
    page = (out / f"sar-{SUBJECT}.html").read_text(encoding="utf-8")
    section = page.split(withdrawn)[-1]
    assert "(deleted: git&#x27;s history still holds it)" in page or "(deleted: git's history still holds it)" in page
    assert "A withdrawn referral about Ada" in section
    assert "deleted" in section
