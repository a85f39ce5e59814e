"""Golden pages: generated pages of the demo compared with approved copies in tests/golden/.

A page MkDocs builds is kept as the Markdown the generator wrote; a printout (minutes, a decision
sheet), which MkDocs only copies, as the HTML document the generator wrote.

Re-approve every golden page after an intended change with `make golden` (which sets
PANEL_GOLDEN_UPDATE=1 and rewrites the copies), then review the diff before committing.
To add a golden page, add one `Golden` entry to `PAGES`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DemoSite

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PANEL_GOLDEN_UPDATE") == "1"


@dataclass(frozen=True)
class Golden:
    """One generated page kept as an approved copy."""

    name: str
    """The approved copy's file name in tests/golden/."""
    page: str
    """The page's path in the generated docs folder (a printout's ends `.html`)."""


PAGES = (
    Golden("clam-agenda.md", "meetings/clam/2026-11-26.md"),
    Golden("cmr-meeting.md", "meetings/cmr/2026-11-17.md"),
    Golden("cdm-minutes.html", "meetings/cdm/2026-11-16/minutes.html"),
    Golden("cmr-decision-sheet.html", "meetings/cmr/2026-11-17/205283.html"),
    Golden("actions-tracker.md", "trackers/actions.md"),
    Golden("drift-radar.md", "trackers/drift.md"),
)
"""Every golden page: add an entry here to keep another page (a tracker) under approval."""


@pytest.mark.parametrize("golden", PAGES, ids=[g.name for g in PAGES])
def test_golden_page(demo_site: DemoSite, golden: Golden) -> None:
    """The generated page equals its approved copy (`make golden` re-approves after an intended change)."""
    actual = (demo_site.docs / golden.page).read_text(encoding="utf-8")
    approved = GOLDEN_DIR / golden.name
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        approved.write_text(actual, encoding="utf-8")
    assert approved.is_file(), f"no approved copy of {golden.page}: run `make golden`"
    assert approved.read_text(encoding="utf-8") == actual, f"{golden.page} changed: review it, then run `make golden`"
