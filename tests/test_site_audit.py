"""The site's history sections and audit pages: who decided, who signed and when, from one pass over git."""

from __future__ import annotations

from datetime import date

from conftest import PROJECT_ROOT, DemoSite, SignedWorld

from generator.audit.provenance import read_histories
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site
from generator.site.audit_pages import audit_page
from generator.site.paths import case_page
from generator.views.words import role_label


def test_every_decision_on_the_case_pages_shows_who_decided_and_who_signed(demo_site: DemoSite) -> None:
    repo, _ = load_repository(demo_site.repo)
    assert repo.decisions
    for doc in repo.decisions:
        decision = doc.model
        page = (demo_site.docs / case_page(decision.case)).read_text(encoding="utf-8")
        chair = repo.roster[decision.chair]
        section = page.split(f"- **File:** {doc.path}\n", 1)[1].split("\n## ", 1)[0]
        assert section.startswith(f"- **Decided by:** {chair.name} (chair) on {decision.meeting}\n"), doc.path
        signed = section.splitlines()[1]
        assert signed.startswith("- **Signed:** committed and signed by "), doc.path
        signer = next(
            p for p in repo.roster.values() if signed.startswith(f"- **Signed:** committed and signed by {p.name} (")
        )
        assert f"({', '.join(role_label(r) for r in signer.roles)}) on 20" in signed
        assert "### History" in section


def test_each_panel_has_an_audit_page_with_commits_and_seals(demo_site: DemoSite) -> None:
    repo, _ = load_repository(demo_site.repo)
    index = (demo_site.docs / "audit/index.md").read_text(encoding="utf-8")
    for panel_id in repo.panels:
        assert f"({panel_id}.md)" in index
        assert (demo_site.docs / audit_page(panel_id)).is_file()
    cdm = (demo_site.docs / audit_page("cdm")).read_text(encoding="utf-8")
    assert "| 2026-09-21 14:00 +01:00 | Ida Fallowmere |" in cdm
    assert "signed by Ida Fallowmere (head of service)" in cdm
    assert "decisions/cdm/2026-09-14/meeting.md (created)" in cdm
    assert "| seal/cdm/2026-09-14 |" in cdm and "| good, by a roster key | yes |" in cdm
    assert (demo_site.site / "audit/cdm.html").is_file()


def test_decision_sheet_printout_says_who_decided_and_signed(demo_site: DemoSite) -> None:
    sheets = sorted(demo_site.site.glob("meetings/cdm/*/*.html"))
    texts = [s.read_text(encoding="utf-8") for s in sheets]
    lines = [t for t in texts if "Decided by Ida Fallowmere on 2026-09-14; committed and signed by" in t]
    assert lines and "committed and signed by Ida Fallowmere (head of service) on 2026-09-21 14:00 +01:00" in lines[0]


def test_unsigned_commit_is_shown_in_words(signed_world: SignedWorld) -> None:
    world = signed_world
    authority = (PROJECT_ROOT / "panels/authority.yml").read_text(encoding="utf-8")
    world.commit(world.chair, {"panels/authority.yml": authority}, when="2024-01-03T09:00:00+00:00")
    case = (PROJECT_ROOT / "cases/204117/case.md").read_text(encoding="utf-8")
    world.git.commit(world.repo, {"cases/204117/case.md": case}, "2024-01-10T09:00:00+00:00", world.worker.who)
    repo, problems = load_repository(world.repo)
    site = render_site(Workspace(repo, tuple(sorted(problems)), date(2024, 2, 1), histories=read_histories(world.repo)))
    pages = {page.path: page.markdown for page in site.pages}
    text = pages[case_page("204117")]
    assert "## History of the case file" in text
    assert "| created | Worker | Worker |" in text and "| unsigned |" in text
    assert "| 2024-01-02 09:00 +00:00 |" not in pages["audit/cdm.md"]
    assert "No commit has touched this panel's decisions or meeting records." in pages["audit/cdm.md"]
