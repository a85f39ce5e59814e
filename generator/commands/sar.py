"""`panel sar CASE-ID`: a subject access pack, everything held about a child, with third parties marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.commands.options import as_of_option, keys_option, repo_option
from generator.core.errors import UsageError
from generator.loading.earlier_versions import last_versions
from generator.loading.sealed_text import KeyRing, read_erasures
from generator.pipeline.gather import gather
from generator.site.subject_access_pack import pack_html
from generator.tools.pdf import print_standalone
from generator.views.subject_access import subject_access


@click.command("sar")
@click.argument("case_id", metavar="CASE-ID")
@click.option("--child", default=None, metavar="ID", help="One child of the case (e.g. c2): siblings are marked too.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the pack, outside the repository (default: the current folder).",
)
@click.option("--pdf", is_flag=True, help="Also print it to a PDF with Debian's Chromium (as `panel pdf` does).")
@as_of_option
@keys_option
@repo_option
def sar_command(
    case_id: str, child: str | None, out: Path | None, pdf: bool, as_of: date | None, keys: Path | None, repo: Path
) -> None:
    """Assemble everything held about CASE-ID into one printable HTML pack for a subject access request.

    The case file, every referral, decision sheet and record of the case, the parts of each
    meeting record about it (other cases heard at the same meeting left out), and every
    document's history from git. Third parties' names (staff, other children, other cases' ids,
    words that look like family members' names) are marked and listed at the front for the
    redaction review. Sealed narrative is opened with the text keys (--keys). The pack is
    written as sar-CASE-ID.html (ids only in the name) outside the repository.

    \b
    Example:
        panel sar 204117 --out /secure/sar --as-of 2026-11-25
    """
    target = (out or Path.cwd()).resolve()
    root = repo.resolve()
    if target == root or root in target.parents:
        raise UsageError(f"{target} is inside the repository: a pack there could be committed; give --out outside it")
    workspace = gather(repo, as_of=as_of or date.today(), signatures=True, keys=KeyRing(keys))
    loaded = workspace.repo
    if case_id not in loaded.cases:
        raise UsageError(f"there is no case {case_id} that loads (cases/{case_id}/case.md): run `panel check`")
    ring = KeyRing(keys)
    erasures, _ = read_erasures(repo)
    gone = [p for p in workspace.histories.case_paths(case_id, loaded.root) if p not in loaded.paths]
    deleted = last_versions(workspace.histories.history, gone, ring, erasures, loaded.root)
    try:
        pack = subject_access(loaded, workspace.histories, case_id, as_of=workspace.as_of, child=child, deleted=deleted)
    except KeyError:
        raise UsageError(f"case {case_id} has no child '{child}'") from None
    authority = loaded.authority
    site_name = authority.name if authority else "Panels"
    banner = authority.confidentiality if authority else "OFFICIAL-SENSITIVE"
    target.mkdir(parents=True, exist_ok=True)
    name = f"sar-{case_id}{'-' + child if child else ''}.html"
    page = target / name
    page.write_bytes(pack_html(pack, site_name=site_name, banner=banner))
    click.echo(f"{page}: {len(pack.documents)} document(s), {len(pack.parties)} name(s) marked for redaction review")
    if pdf:
        click.echo(f"{print_standalone(page)}: printed")
