"""Quorum and attendance item by item: withdrawals, invited partners, the largest item, legal advice.

Each test is a small real repository built from a rule fixture with one change.
"""

from __future__ import annotations

from pathlib import Path

from conftest import GitFactory
from test_rules import FIXTURES, Expected, build_world, reported

MEETING = "decisions/cmr/2026-11-24/meeting.md"
CDM_SHEET = "decisions/cdm/2026-11-23/100001.md"


def fixture(name: str, *edits: tuple[str, str]) -> str:
    """A rule fixture's text with each (old, new) replacement made once (each must be there)."""
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def named(found: Expected, *names: str) -> set[tuple[str, int, str]]:
    """The reported (path, line, name) of the given rules only."""
    return {x for x in found if x[2] in names}


QUORUM_RULES = ("item-not-quorate", "quorum-not-met", "too-many-members", "invited-without-items")


def test_a_chair_who_withdraws_leaves_the_item_without_a_chair(git_repo: GitFactory) -> None:
    """The chair declares the conflict and withdraws: the item is not quorate, the meeting is."""
    text = fixture(
        "item-not-quorate",
        ("  - person: p-kestering-maud\n    case:", "  - person: p-orrelby-june\n    case:"),
        (
            "  - person: p-pellinore-dax\n    role: service-manager\n    capacity: member\n",
            "  - person: p-pellinore-dax\n    role: service-manager\n    capacity: member\n"
            "  - person: p-hobbleton-rae\n    role: service-manager\n    capacity: member\n",
        ),
    )
    world = build_world(git_repo, text)
    assert world.expected == named(reported(world), *QUORUM_RULES)


def test_a_member_who_stays_counts(git_repo: GitFactory) -> None:
    """The same conflict declared without withdrawing: the item keeps its quorum."""
    text = fixture("item-not-quorate", ("    withdrew: true\n", "    withdrew: false\n"))
    text = text.replace("  # error: item-not-quorate", "")
    text = text.replace(
        "views:\n  - person: p-pellinore-dax",
        "views:\n  - person: p-kestering-maud\n    stance: agree\n  - person: p-pellinore-dax",
    )
    assert set() == named(reported(build_world(git_repo, text)), *QUORUM_RULES)


def test_an_invited_partner_counts_only_for_their_item(git_repo: GitFactory) -> None:
    """A member withdraws from both cases; a partner agency's member invited for 100001 keeps that item quorate only."""
    second_case = (
        '=== cases/100002/case.md ===\n---\nid: "100002"\nchildren:\n  - id: c1\n    name: Test Child Three\n'
        "    date_of_birth: 2015-03-03\n    legal_status: cin\n    legal_status_since: 2025-02-01\n"
        "worker: p-pennyroyal-saul\nteam: brackenford-safeguarding\nevents:\n  - date: 2025-02-01\n"
        "    kind: opened\n---\nA second fixture case.\n"
    )
    sheet = fixture("item-not-quorate").split("=== decisions/cmr/2026-11-24/100001.md ===\n")[1]
    second_sheet = sheet.replace('case: "100001"', 'case: "100002"').replace("children: [c1, c2]", "children: [c1]")
    text = fixture(
        "item-not-quorate",
        (
            "  - person: p-yarrowby-beth\n",
            '  - person: p-pargeter-hal\n    role: partner-agency\n    capacity: member\n    items: ["100001"]\n'
            "  - person: p-yarrowby-beth\n",
        ),
        (
            "    withdrew: true\n",
            '    withdrew: true\n  - person: p-kestering-maud\n    case: "100002"\n    nature: Knows the family\n'
            "    withdrew: true\n",
        ),
        ('  - "100001"  # error: item-not-quorate\n', '  - "100001"\n  - "100002"  # error: item-not-quorate\n'),
    )
    world = build_world(git_repo, text + second_case + "=== decisions/cmr/2026-11-24/100002.md ===\n" + second_sheet)
    assert world.expected == named(reported(world), *QUORUM_RULES)


def test_an_inquorate_meeting_is_not_reported_item_by_item(git_repo: GitFactory) -> None:
    """With too few members for the whole meeting, P602 says so once; no per-item repeats."""
    text = fixture(
        "item-not-quorate",
        ("  - person: p-pellinore-dax\n    role: service-manager\n    capacity: member\n", ""),
        ('  - "100001"  # error: item-not-quorate\n', '  - "100001"\n'),
        ("views:\n  - person: p-pellinore-dax\n    stance: agree\n", ""),
    )
    found = named(reported(build_world(git_repo, text)), *QUORUM_RULES)
    assert ["quorum-not-met"] == [x[2] for x in found]


def test_legal_papers_received_after_the_meeting(git_repo: GitFactory) -> None:
    """A date after the meeting is reported on its own line: legal did not have the papers."""
    text = fixture(
        "legal-papers-not-received",
        (
            "outcomes: [enter-pre-proceedings]  # error: legal-papers-not-received\n",
            "outcomes: [enter-pre-proceedings]\n"
            "legal_papers_received: 2026-11-24  # error: legal-papers-not-received\n",
        ),
    )
    world = build_world(git_repo, text)
    assert world.expected == named(reported(world), "legal-papers-not-received", "legal-absent-for-advice")


def test_legal_papers_in_time_and_legal_present(git_repo: GitFactory) -> None:
    """Legal present and the papers received before the meeting: nothing to report."""
    text = fixture(
        "legal-papers-not-received",
        (
            "outcomes: [enter-pre-proceedings]  # error: legal-papers-not-received\n",
            "outcomes: [enter-pre-proceedings]\nlegal_papers_received: 2026-11-18\n",
        ),
    )
    assert set() == named(reported(build_world(git_repo, text)), "legal-papers-not-received", "legal-absent-for-advice")


def test_an_outcome_without_legal_advice_needs_neither(git_repo: GitFactory) -> None:
    """Family resolution needs no legal advice: no date, no legal for the item, no finding."""
    text = fixture(
        "legal-absent-for-advice",
        (
            "request: pre-proceedings\noutcomes: [enter-pre-proceedings]  # error: legal-absent-for-advice\n",
            "request: pre-proceedings\noutcomes: [family-resolution]\n",
        ),
        ("legal_papers_received: 2026-11-18\n", ""),
    )
    found = reported(build_world(git_repo, text))
    assert set() == named(found, "legal-papers-not-received", "legal-absent-for-advice")


def test_the_demo_records_when_legal_had_the_papers() -> None:
    """Every demo CDM decision that needs legal advice records the day legal received the papers."""
    root = Path(__file__).resolve().parents[1] / "decisions" / "cdm"
    legal = (
        "enter-pre-proceedings",
        "continue-pre-proceedings",
        "end-pre-proceedings",
        "initiate-care-proceedings",
        "other-legal-intervention",
    )
    needing = [
        p
        for p in sorted(root.glob("*/*.md"))
        if p.name != "meeting.md" and any(o in p.read_text(encoding="utf-8") for o in legal)
    ]
    assert len(needing) >= 5
    assert all("legal_papers_received:" in p.read_text(encoding="utf-8") for p in needing)
