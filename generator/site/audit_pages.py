"""The audit area: one page per panel listing every commit that touched its decisions and meeting records,
with who, when and the signature in words, and the panel's seals; an index page links them. When the
server keeps witnesses, a witness page shows the latest (head commit and seals) and publishes it as
`audit/witness.txt`, byte for byte, so that the site is a second copy `panel verify --witness` reads.

Everything comes from the build's single pass over git (`Workspace.histories`), indexed once here.
Long histories are capped at the latest `CAP` commits per panel; the page says so and points to
`panel history` for the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.audit.provenance import Entry
from generator.audit.seals import SealTag
from generator.audit.witness import describe
from generator.git.history import Change
from generator.pipeline.workspace import Workspace
from generator.site.pages import Asset, NavItem, NavLink, Page
from generator.site.paths import panel_page
from generator.site.templates import PageBuilder, Renderer

INDEX = "audit/index.md"
"""The audit index page."""
WITNESS = "audit/witness.md"
"""The page showing the server's latest witness (only when there is one)."""
WITNESS_FILE = "audit/witness.txt"
"""The latest witness tag object, as `panel verify --witness` reads it."""
CAP = 500
"""The most commits a panel's audit page lists (the latest ones)."""
FILES_SHOWN = 10
"""The most files listed for one commit on an audit page."""


def audit_page(panel_id: str) -> str:
    """The audit page of a panel (the panel id is checked as a page path does)."""
    return "audit/" + panel_page(panel_id).removeprefix("panels/")


@dataclass
class PanelCommit:
    """One commit that touched a panel's files, with its signature as an Entry of its first file."""

    entry: Entry
    """The commit's change to its first file (who, when, signature)."""
    files: list[tuple[str, str]] = field(default_factory=list)
    """(verb, path) for each of the panel's files it touched, sorted by path."""

    @property
    def change(self) -> Change:
        """The commit's change (always present: only committed changes are indexed)."""
        assert self.entry.change is not None
        return self.entry.change


def panel_commits(data: Workspace) -> dict[str, list[PanelCommit]]:
    """Every commit touching `decisions/<panel>/`, by panel, in time order (ties by commit id); indexed once."""

    return data.view(_panel_commits_view)


def _panel_commits_view(data: Workspace) -> dict[str, list[PanelCommit]]:
    histories = data.histories
    found: dict[str, dict[str, PanelCommit]] = defaultdict(dict)
    for path, changes in sorted(histories.history.changes.items()):
        parts = path.split("/")
        if len(parts) < 3 or parts[0] != "decisions":
            continue
        by_commit = found[parts[1]]
        for change in changes:
            item = by_commit.get(change.commit)
            if item is None:
                item = by_commit[change.commit] = PanelCommit(histories.entry(path, change))
            item.files.append((histories.entry(path, change).verb, path))
    return {
        panel: sorted(commits.values(), key=lambda c: (c.change.time, c.change.commit))
        for panel, commits in found.items()
    }


def panel_seals(data: Workspace, panel_id: str) -> list[SealTag]:
    """The panel's `seal/<panel>/<date>` tags, by name."""
    return [seal for seal in data.histories.seals if seal.name.startswith(f"seal/{panel_id}/")]


def _pages(r: Renderer) -> Iterator[Page]:
    data = r.data
    commits = panel_commits(data)
    panels = sorted(data.repo.panel_docs.items())
    rows = [(panel_id, doc.model.short_name, len(commits.get(panel_id, ()))) for panel_id, doc in panels]
    yield r.page("audit-index.md.j2", INDEX, "Audit", rows=rows, audit_page=audit_page)
    for panel_id, doc in panels:
        listed = commits.get(panel_id, [])
        yield r.page(
            "audit.md.j2",
            audit_page(panel_id),
            f"Audit: {doc.model.short_name}",
            panel_id=panel_id,
            panel=doc.model,
            panel_page=panel_page,
            total=len(listed),
            commits=listed[-CAP:],
            cap=CAP,
            files_shown=FILES_SHOWN,
            seals=panel_seals(data, panel_id),
        )


def _witness(r: Renderer) -> Iterator[Page | Asset]:
    content = r.data.histories.witness
    claim = describe(content) if content is not None else None
    if content is None or claim is None:
        return
    yield Asset(WITNESS_FILE, content)
    yield r.page("audit-witness.md.j2", WITNESS, "Audit: witness", claim=claim, witness_file="witness.txt")


BUILDERS: tuple[PageBuilder, ...] = (_pages, _witness)
"""The audit index, one audit page per panel, and the witness page when the server keeps witnesses."""


def nav(data: Workspace) -> tuple[NavItem, ...]:
    """This area's navigation entry: the audit index (the panels' pages are linked from it)."""
    if not data.repo.panel_docs:
        return ()
    witnessed = data.histories.witness is not None and describe(data.histories.witness) is not None
    return (NavLink("Audit", INDEX), *((NavLink("Witness", WITNESS),) if witnessed else ()))
