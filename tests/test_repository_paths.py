"""Path-level and panel-level diagnostics that a text fixture cannot express."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.pipeline.gather import gather
from generator.tools.demo import copy_panels

PROJECT = Path(__file__).parent.parent


def test_symlinked_document_is_refused_and_not_read(tmp_path: Path) -> None:
    """A symbolic link in a document folder gets "symlink" and its target is never read."""
    copy_panels(PROJECT, tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("---\nsecret: x\n---\n", encoding="utf-8")
    (tmp_path / "cases" / "100001").mkdir(parents=True)
    (tmp_path / "cases" / "100001" / "case.md").symlink_to(outside)
    result = gather(tmp_path, as_of=date(2026, 11, 25))
    found = [(x.path, x.line, x.name) for x in result.diagnostics if not x.path.startswith("panels/")]
    assert [("cases/100001/case.md", 0, "symlink")] == found
    assert "---\nsecret: x\n---\n" == outside.read_text(encoding="utf-8")


def test_terms_past_review_is_a_warning_on_the_review_line(tmp_path: Path) -> None:
    """A panel whose terms are past their review date gets "terms-past-review" at that field."""
    copy_panels(PROJECT, tmp_path)
    result = gather(tmp_path, as_of=date(2026, 11, 25))
    cmr = [x for x in result.diagnostics if x.path == "panels/cmr.md"]
    lines = (tmp_path / "panels" / "cmr.md").read_text(encoding="utf-8").split("\n")
    review_line = next(i for i, text in enumerate(lines, start=1) if text.strip().startswith("review_due:"))
    assert [("terms-past-review", "warning", review_line)] == [(x.name, str(x.severity), x.line) for x in cmr]
