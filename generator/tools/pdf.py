"""PDFs of a built site's printable pages: every meeting pack and decision sheet, printed by Chromium.

Debian's `chromium` does the printing, driven by Playwright: one browser for all the pages, a fresh
profile. The pages are the printouts `panel build` writes into each meeting's folder: standalone
HTML documents with their own print stylesheet (`assets/printout.css`), no theme and no script.
Pages are opened from the file system and every request that is not for a file inside the site is
aborted, so a PDF can never hold anything from elsewhere. No browser is ever downloaded: without
Debian's package there are no PDFs.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

from generator.core.errors import UsageError
from generator.site.build import SITE_MARKER

if TYPE_CHECKING:
    from playwright.sync_api import PdfMargins, Route

PDF_MARKER = ".panel-pdf"
"""Left in the output folder so a later run knows the folder holds only PDFs it made."""
CHROMIUM = "chromium"
"""The program Debian's `chromium` package installs (/usr/bin/chromium)."""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
)
"""Chromium's flags: headless, and nothing that reaches out by itself (updates, sync, QUIC)."""
TIMEOUT_MS = 60_000
"""How long one page may take to load and print before the run fails."""
MARGINS: PdfMargins = {"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
"""A4 margins, with room above and below for the marking and the page numbers."""
_FOOTER = (
    '<div style="font-size:8px;width:100%;margin:0 12mm;display:flex;justify-content:space-between;">'
    '<span class="title"></span>'
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)
_DATE_NAME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Chromium stamps the time of printing into the document information, and names the tagged PDF's
# structure elements after the renderer's node counter, which differs from run to run. Both are
# rewritten with the same length, so the cross-reference offsets stay right.
_PRINT_TIMES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[0-9+\-Z']*\)")
_NODE_ID = re.compile(rb"\(node([0-9]+)\)")
# A leaf of the tagged PDF's id tree: its limits, then its (id, structure element) pairs sorted by id.
_ID_TREE_LEAF = re.compile(
    rb"/Limits \[\(node[0-9]+\) \(node[0-9]+\)\](?P<gap>\s*/Names \[)(?P<names>(?:\(node[0-9]+\) [0-9]+ 0 R\s?)*)\]"
)
_ID_TREE_ENTRY = re.compile(rb"\(node([0-9]+)\) ([0-9]+ 0 R)")
_BANNER_TEXT = "() => document.querySelector('.panel-confidentiality')?.textContent?.trim() ?? ''"
# A link to another page would become a file:// link to this machine's copy of the site: useless in
# the case record, and it would tie the PDF's bytes to where the site was. Links within the page stay.
_UNLINK = "() => document.querySelectorAll('a[href]:not([href^=\"#\"])').forEach(a => a.removeAttribute('href'))"


class PdfError(UsageError):
    """The PDFs cannot be made: no Chromium, not a built site, an unusable output folder, or Chromium failed."""


class NothingToPrintError(Exception):
    """The site (or the part the filters chose) has no meeting pack or decision sheet."""


class Kind(Enum):
    """What a printable page is."""

    PACK = "meeting pack"
    """A meeting's pack: the agenda, then each item's referral."""
    SHEET = "decision sheet"
    """One case's decision sheet at one meeting, or its copy for one child's record."""


@dataclass(frozen=True)
class Printable:
    """One page of the built site to print."""

    page: PurePosixPath
    """The page's path in the site, e.g. `meetings/clam/2026-11-12/206011.html`."""
    kind: Kind
    """A meeting pack or a decision sheet."""

    @property
    def pdf(self) -> PurePosixPath:
        """The PDF's path in the output folder: the page's path with `.pdf` (ids only, never a name)."""
        return self.page.with_suffix(".pdf")


@dataclass(frozen=True)
class Blocked:
    """A request a page made that was aborted because it was not for a file inside the site."""

    page: PurePosixPath
    """The page that made it."""
    url: str
    """What it asked for."""


@dataclass(frozen=True)
class PdfResult:
    """What a run printed."""

    out_dir: Path
    """The output folder."""
    printed: tuple[Printable, ...]
    """Every page printed, in order; each PDF is at `out_dir / printable.pdf`."""
    blocked: tuple[Blocked, ...] = ()
    """Requests aborted because they left the site (none for a site `panel build` made)."""

    def count(self, kind: Kind) -> int:
        """How many PDFs of this kind were made."""
        return sum(1 for p in self.printed if p.kind is kind)


def find_chromium() -> Path:
    """Debian's Chromium on PATH, or PdfError saying which package to install."""
    found = shutil.which(CHROMIUM)
    if found is None:
        raise PdfError(
            "Chromium is not installed (no `chromium` on PATH): install Debian's package with "
            "`apt-get install chromium` (as root); `panel pdf` never downloads a browser"
        )
    return Path(found)


def printable_pages(site: Path, *, panel: str | None = None, meeting: date | None = None) -> list[Printable]:
    """Every meeting pack and decision sheet of the built site at `site`, in path order.

    They are printouts in a meeting's folder (`meetings/PANEL/DATE/`): `pack.html`, and each
    decision sheet, the `.html` file with its case note (`.txt`) beside it; the minutes have none.
    `panel` and `meeting` keep only one panel's meetings and only meetings on one date.
    """
    found: list[Printable] = []
    for meeting_dir in _meeting_folders(site / "meetings", panel, meeting):
        pack = meeting_dir / "pack.html"
        if pack.is_file() and not pack.is_symlink():
            found.append(Printable(_relative(pack, site), Kind.PACK))
        for page in sorted(meeting_dir.glob("*.html")):
            if page.name == "pack.html" or page.is_symlink() or not page.with_suffix(".txt").is_file():
                continue
            found.append(Printable(_relative(page, site), Kind.SHEET))
    return found


def print_pdfs(
    site: Path,
    out_dir: Path,
    *,
    panel: str | None = None,
    meeting: date | None = None,
    chromium: Path | None = None,
) -> PdfResult:
    """Print the meeting packs and decision sheets of the site at `site` into `out_dir` as A4 PDFs.

    Everything is checked before anything is written: the site must carry `panel build`'s marker,
    `out_dir` must be empty or made by an earlier run and must not overlap the site, and Chromium
    must be installed (`chromium` defaults to the one on PATH). Once Chromium has started, the
    PDFs the run replaces are removed: all of them, or with a filter those of the chosen meetings.
    Raises PdfError (a UsageError) for those failures and when Chromium fails, NothingToPrintError
    when there is nothing to print.
    """
    site = site.resolve()
    out_dir = out_dir.resolve()
    _check_site(site)
    _check_out(site, out_dir)
    pages = printable_pages(site, panel=panel, meeting=meeting)
    if not pages:
        raise NothingToPrintError(f"{site}: no meeting pack or decision sheet{_filters_text(panel, meeting)}")
    browser = chromium if chromium is not None else find_chromium()
    blocked = _print_all(site, out_dir, pages, browser, lambda: _clear(out_dir, panel, meeting))
    return PdfResult(out_dir, tuple(pages), tuple(blocked))


def normalise(pdf: bytes) -> bytes:
    """The PDF with Chromium's time of printing blanked and its node ids renumbered from 0.

    Printing the same page twice then gives the same bytes. Ids are numbered in the order they first
    appear, which follows the structure tree (the counter's own order varies from run to run), each
    keeping its width; the id tree's entries are then put back in order of their new ids.
    """
    pdf = _PRINT_TIMES.sub(lambda match: b" " * len(match.group()), pdf)
    first_seen: dict[int, int] = {}
    for digits in _NODE_ID.findall(pdf):
        first_seen.setdefault(int(digits), len(first_seen))
    if any(len(str(new)) > len(str(old)) for old, new in first_seen.items()):
        # Ids written without leading zeros could not all keep their width; number them in their own order.
        first_seen = {old: new for new, old in enumerate(sorted(first_seen))}

    def renumber(match: re.Match[bytes]) -> bytes:
        digits = match.group(1)
        return b"(node" + str(first_seen[int(digits)]).zfill(len(digits)).encode() + b")"

    return _ID_TREE_LEAF.sub(_sorted_leaf, _NODE_ID.sub(renumber, pdf))


def _sorted_leaf(match: re.Match[bytes]) -> bytes:
    """One leaf of the id tree with its entries sorted by id and its limits set to match: the same length."""
    entries = sorted(_ID_TREE_ENTRY.findall(match.group("names")), key=lambda entry: int(entry[0]))
    if not entries:
        return match.group()
    names = b" ".join(b"(node" + key + b") " + ref for key, ref in entries)
    leaf = b"/Limits [(node" + entries[0][0] + b") (node" + entries[-1][0] + b")]" + match.group("gap") + names + b"]"
    # Spaced otherwise than Chromium spaces it, the leaf is left alone: the offsets must not move.
    return leaf if len(leaf) == len(match.group()) else match.group()


def header_template(marking: str) -> str:
    """Chromium's page header: the site's confidentiality marking, escaped, on every page."""
    return f'<div style="font-size:8px;width:100%;margin:0 12mm;text-align:center;">{html.escape(marking)}</div>'


# --- the site and the output folder ----------------------------------------------------------------


def _meeting_folders(meetings: Path, panel: str | None, meeting: date | None) -> Iterator[Path]:
    if not meetings.is_dir():
        return
    for panel_dir in _folders(meetings):
        if panel is not None and panel_dir.name != panel:
            continue
        for meeting_dir in _folders(panel_dir):
            if not _DATE_NAME.fullmatch(meeting_dir.name):
                continue
            if meeting is not None and meeting_dir.name != meeting.isoformat():
                continue
            yield meeting_dir


def _folders(parent: Path) -> list[Path]:
    # A symbolic link could lead out of the site; the site build never makes one.
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.is_symlink())


def _relative(page: Path, site: Path) -> PurePosixPath:
    return PurePosixPath(page.relative_to(site).as_posix())


def _filters_text(panel: str | None, meeting: date | None) -> str:
    parts = [f"for panel '{panel}'"] if panel is not None else []
    if meeting is not None:
        parts.append(f"for a meeting on {meeting.isoformat()}")
    return (" " + " and ".join(parts)) if parts else ""


def _check_site(site: Path) -> None:
    if not site.is_dir():
        raise PdfError(f"{site} is not a folder; build the site first with `panel build`")
    if not (site / SITE_MARKER).is_file():
        raise PdfError(f"{site} is not a site built by `panel build` (it has no {SITE_MARKER} file)")


def _check_out(site: Path, out_dir: Path) -> None:
    if out_dir == site or site in out_dir.parents:
        raise PdfError(f"the output folder {out_dir} is inside the site {site}; PDFs are not part of the site")
    if out_dir in site.parents:
        raise PdfError(f"the output folder {out_dir} holds the site {site}; choose a folder beside it")
    if out_dir.exists() and not out_dir.is_dir():
        raise PdfError(f"the output folder {out_dir} is a file")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / PDF_MARKER).is_file():
        raise PdfError(
            f"the output folder {out_dir} is not empty and was not made by `panel pdf`; "
            "empty it or choose another folder"
        )


def _clear(out_dir: Path, panel: str | None, meeting: date | None) -> None:
    """Remove the PDFs this run replaces (a stale PDF must never be uploaded), then mark the folder as ours."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if panel is None and meeting is None:
            stale = [entry for entry in out_dir.iterdir() if entry.name != PDF_MARKER]
        else:
            stale = list(_meeting_folders(out_dir / "meetings", panel, meeting))
        for entry in sorted(stale):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        (out_dir / PDF_MARKER).write_text("Made by `panel pdf`; every run replaces the PDFs it prints.\n")
    except OSError as error:
        raise PdfError(f"cannot write the PDFs: {error}") from None


# --- the browser -----------------------------------------------------------------------------------


@dataclass
class _Guard:
    """Lets through only requests for files inside the site; aborts and records the rest."""

    root: Path
    page: PurePosixPath = field(default_factory=PurePosixPath)
    blocked: list[Blocked] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        """Whether `url` is a file inside the site (data: and blob: URLs never leave the page)."""
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"}:
            return True
        if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
            return False
        target = Path(url2pathname(parts.path)).resolve()
        return target.is_relative_to(self.root) and target.is_file()

    def check(self, url: str) -> bool:
        """Whether to let `url` through; a refused one is recorded against the page being printed."""
        if self.allows(url):
            return True
        self.blocked.append(Blocked(self.page, url))
        return False


def _print_all(
    site: Path, out_dir: Path, pages: Sequence[Printable], chromium: Path, clear: Callable[[], None]
) -> list[Blocked]:
    """Print `pages` into `out_dir`; `clear` runs once Chromium has started, so a failed start removes nothing."""
    # Imported here, not at the top: every other `panel` command would pay a quarter of a second for it.
    from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    guard = _Guard(site)

    def guarded(request: Route) -> None:
        if guard.check(request.request.url):
            request.continue_()
        else:
            request.abort("blockedbyclient")

    current: PurePosixPath | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="panel-pdf-") as profile, sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(chromium),
                headless=True,
                args=list(FLAGS),
                service_workers="block",
                accept_downloads=False,
            )
            try:
                clear()
                context.set_default_timeout(TIMEOUT_MS)
                context.route("**/*", guarded)
                tab = context.pages[0] if context.pages else context.new_page()
                for printable in pages:
                    current = guard.page = printable.page
                    tab.goto((site / printable.page).as_uri(), wait_until="load")
                    marking = str(tab.evaluate(_BANNER_TEXT))
                    tab.evaluate(_UNLINK)
                    pdf = tab.pdf(
                        format="A4",
                        margin=MARGINS,
                        display_header_footer=True,
                        header_template=header_template(marking),
                        footer_template=_FOOTER,
                        outline=True,
                        tagged=True,
                    )
                    target = out_dir / printable.pdf
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(normalise(pdf))
            finally:
                context.close()
    except PlaywrightError as error:
        where = f" while printing {current}" if current is not None else " to start"
        first = str(error.message).strip().splitlines()[0] if error.message.strip() else "no reason given"
        raise PdfError(f"Chromium ({chromium}) failed{where}: {first}") from None
    except OSError as error:
        raise PdfError(f"cannot write the PDFs: {error}") from None
    return guard.blocked


def print_standalone(page: Path, *, chromium: Path | None = None) -> Path:
    """Print one standalone HTML document (a subject access pack) to a PDF beside it; the PDF's path.

    The same browser, guard (nothing outside the page's folder is fetched), margins and header as
    the site's printouts. Raises PdfError when Chromium is missing or fails, or when the page asked
    for anything outside its folder.
    """
    folder = page.resolve().parent
    printable = Printable(PurePosixPath(page.name), Kind.SHEET)
    blocked = _print_all(folder, folder, [printable], chromium or find_chromium(), lambda: None)
    if blocked:
        raise PdfError(f"{page}: asked for {blocked[0].url}, which is outside it; no PDF should need that")
    return folder / printable.pdf
