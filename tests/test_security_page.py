"""docs/security.md names, for each threat, the test that proves its defence: every test it names exists, and no
row is left waiting for a merge."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PAGE = PROJECT / "docs/security.md"
_REFERENCE = re.compile(r"`(tests/[a-z_]+\.py)::([a-z0-9_]+)`")


def test_every_test_the_security_page_names_exists() -> None:
    """Each `tests/<file>.py::<test>` on the page is a test function defined in that file."""
    text = PAGE.read_text(encoding="utf-8")
    named = sorted(set(_REFERENCE.findall(text)))
    missing = [
        f"{file}::{name}"
        for file, name in named
        if not (PROJECT / file).is_file()
        or not re.search(rf"^def {name}\(", (PROJECT / file).read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert (True, []) == (len(named) > 50, missing)


def test_every_threat_row_names_a_test_and_none_waits_for_a_merge() -> None:
    """The page is complete: every table row names at least one test, and none is marked TODO-MERGE."""
    rows = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    body = [row for row in rows if not row.startswith(("| threat", "| ---"))]
    unfinished = [row[:80] for row in body if "TODO-MERGE" in row or not _REFERENCE.search(row)]
    assert (True, []) == (len(body) > 30, unfinished)


def test_the_page_marks_nothing_as_waiting_for_a_merge() -> None:
    """No TODO-MERGE anywhere on the page, in a table or out of one."""
    assert [] == [line[:80] for line in PAGE.read_text(encoding="utf-8").splitlines() if "TODO-MERGE" in line]


def test_the_readme_links_the_security_page() -> None:
    """The README points readers at docs/security.md."""
    assert True is ("(docs/security.md)" in (PROJECT / "README.md").read_text(encoding="utf-8"))
