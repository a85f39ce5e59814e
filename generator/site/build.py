"""The site orchestrator: load → check → schedule → render → write Markdown → MkDocs → the site.

The only module that touches MkDocs' build. The same repository and `as_of` give a byte-identical
site: MkDocs' own timestamps (the sitemap's gzip header) come from SOURCE_DATE_EPOCH, set from
`as_of` for the length of the build.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic, Severity
from generator.core.errors import UsageError
from generator.core.layout import TOP_FOLDERS, Kind, classify
from generator.loading.sealed_text import KeyRing
from generator.models.audience import COORDINATORS, Audience, SearchScope
from generator.pipeline.audience import for_audience
from generator.pipeline.gather import gather
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site
from generator.site.mkdocs_config import load_site_config
from generator.site.pages import DuplicatePageError
from generator.site.search_index import SearchIndexError, minimise_index
from generator.site.site_scan import scan_site
from generator.site.writer import write_site

WORK_MARKER = ".panel-build"
"""Left in the work folder so a later build knows it may empty it."""
SITE_MARKER = ".panel-site"
"""Left in the output folder (MkDocs keeps dot files) so a later build knows it may replace it."""
_MKDOCS_SITE = ("sitemap.xml", "404.html")
_AUDIENCE_CODES = frozenset(
    rule.code
    for rule in (d.DUPLICATE_AUDIENCE, d.UNKNOWN_AUDIENCE_PANEL, d.AUDIENCE_CONTRADICTION, d.UNKNOWN_AUDIENCE_TEAM)
)
_BUILDING = ".building-"
"""The new site is built in `.<out>.building-<random>` beside the output folder, then renamed into place."""
_REPLACED = ".replaced-"
"""The previous site waits at `.<out>.replaced-<random>` while the new one takes its name, then is removed."""


class SiteBuildError(UsageError):
    """The site cannot be built: missing settings, an unusable folder, or MkDocs refused."""


class UnsafePagesError(SiteBuildError):
    """The built site failed the scan of its pages (P131-P137): it was not published."""

    def __init__(self, problems: Sequence[Diagnostic]) -> None:
        """The scan's `problems`, by page and line."""
        pages = len({problem.path for problem in problems})
        super().__init__(
            f"{len(problems)} problem{'' if len(problems) == 1 else 's'} in {pages} built "
            f"page{'' if pages == 1 else 's'}: the new site was not published and the previous one is unchanged"
        )
        self.problems = tuple(problems)


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    out_dir: Path
    """The built site."""
    work_dir: Path
    """The generated Markdown pages MkDocs read."""
    pages: int
    """How many Markdown pages were generated."""
    diagnostics: tuple[Diagnostic, ...]
    """Every problem the site shows (loading and checking), sorted."""
    warnings: tuple[str, ...] = ()
    """Warnings MkDocs logged (none in a clean build: the configuration is strict)."""
    audience: str = COORDINATORS.name
    """The audience rule the site was built for."""

    @property
    def errors(self) -> int:
        """How many of the diagnostics are errors."""
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)


def build_site(
    repo_root: Path,
    out_dir: Path,
    *,
    as_of: date,
    work_dir: Path | None = None,
    keys: KeyRing | None = None,
    audience: str | None = None,
) -> BuildResult:
    """Build the site of the panel repository at `repo_root` into `out_dir`, as of `as_of`.

    Pages are rendered into `work_dir` (default `<repo_root>/build/docs`), then MkDocs builds them
    with the project's own configuration into a new folder beside `out_dir`, which replaces
    `out_dir` only once MkDocs has succeeded: a failed or interrupted build leaves the previous
    site as it was. Problems in documents do not stop the build: the site shows them. The site
    is for `audience` (a rule of the settings' `audiences:`; default: the coordinators, see
    `chosen_audience`): its panels only, names, dates of birth and text as the rule says, and the
    search index minimised unless the rule's `search` is `full`. Sealed narrative is opened with
    `keys` where present. Raises SiteBuildError (a UsageError) when the repository has no
    authority settings or no panel, when the audience is not in the settings or its rule has a
    problem, when a folder is unsafe (a symbolic link, under one inside the repository, or
    holding something else), or when MkDocs fails; UnsafePagesError (one) when the scan of the
    built pages (`site_scan`) finds something that could run, load or lead outside the site.
    """
    roots = (Path(os.path.normpath(repo_root.absolute())), repo_root.resolve())
    repo_root = roots[1]
    out_dir = _place("output", out_dir, roots)
    docs_dir = _place("work", work_dir if work_dir is not None else repo_root / "build" / "docs", roots)
    _check_folders(repo_root, out_dir, docs_dir)

    workspace = gather(repo_root, as_of=as_of, signatures=True, keys=keys)
    if workspace.repo.authority is None:
        raise SiteBuildError(f"{repo_root}: panels/authority.yml is missing or invalid (run `panel check`)")
    if not any(_is_panel(path) for path in workspace.repo.paths):
        raise SiteBuildError(f"{repo_root}: no panel in panels/ (run `panel check`)")
    workspace = for_audience(workspace, chosen_audience(workspace, audience))
    try:
        site = render_site(workspace)
    except DuplicatePageError as error:
        raise SiteBuildError(f"{repo_root}: {error}") from None

    with _reproducible(as_of), _mkdocs_log() as warnings:
        building: Path | None = None
        try:
            _empty_folder(docs_dir, WORK_MARKER)
            write_site(site, docs_dir)
            _refuse_links(docs_dir)
            building = _new_sibling(out_dir)
            config = load_site_config(docs_dir=docs_dir, site_dir=building, site_name=site.site_name, nav=site.nav)
            _run_mkdocs(config)
            if workspace.audience.search is SearchScope.CASE:
                minimise_index(building, site.pages)
            unsafe = scan_site(building)
            if unsafe:
                raise UnsafePagesError(unsafe)
            (building / SITE_MARKER).write_text("Built by `panel build`; the next build replaces this folder.\n")
            _swap_in(building, out_dir)
            building = None
        except MkDocsException as error:
            detail = f" ({warnings[0]})" if warnings else ""
            raise SiteBuildError(f"MkDocs could not build the site: {error.format_message()}{detail}") from None
        except OSError as error:
            raise SiteBuildError(f"cannot write the site: {error}") from None
        except SearchIndexError as error:
            raise SiteBuildError(f"{error}; nothing was published") from None
        finally:
            if building is not None:
                shutil.rmtree(building, ignore_errors=True)
    return BuildResult(
        out_dir, docs_dir, len(site.pages), workspace.diagnostics, tuple(warnings), workspace.audience.name
    )


def chosen_audience(workspace: Workspace, name: str | None) -> Audience:
    """The audience rule a build is for; SiteBuildError if it is not in the settings or has a problem.

    With no name, the settings' rule named `coordinators` if there is one, else the built-in
    `COORDINATORS` (every page in full; search index and downloads minimised).
    """
    authority = workspace.repo.authority
    rules = authority.audiences if authority else []
    wanted = name if name is not None else COORDINATORS.name
    found = [(index, rule) for index, rule in enumerate(rules) if rule.name == wanted]
    if not found:
        if name is None:
            return COORDINATORS
        known = ", ".join(sorted({rule.name for rule in rules})) or "none"
        raise SiteBuildError(
            f"no audience '{name}' in panels/authority.yml (its audiences: {known}); see docs/audiences.md"
        )
    rule = found[0][1]
    doc = workspace.repo.authority_doc
    lines = {doc.line("audiences", i) for i, _ in found} if doc else set()
    problems = [x for x in workspace.diagnostics if x.code in _AUDIENCE_CODES and x.line in lines]
    if len(found) > 1 or problems:
        detail = "; ".join(f"{x.path}:{x.line}: {x.code} {x.message}" for x in problems)
        raise SiteBuildError(f"the audience '{wanted}' cannot be built: {detail or 'its name is used twice'}")
    return rule


def _is_panel(path: str) -> bool:
    location = classify(path)
    return location is not None and location.kind is Kind.PANEL


def _place(name: str, asked: Path, roots: tuple[Path, ...]) -> Path:
    """Where the folder asked for really is; SiteBuildError if a symbolic link could send the build elsewhere.

    The folder must not be a symbolic link, and inside the repository (`roots`: its root as given
    and as resolved) no folder on the way to it may be one either: a committed `site` or `build`
    link would have the build write wherever it points. Outside the repository, the folders
    above it are the system's own business.
    """
    absolute = Path(os.path.normpath(asked.absolute()))
    if absolute.is_symlink():
        raise SiteBuildError(f"the {name} folder {absolute} is a symbolic link; give the folder itself")
    real = absolute.parent.resolve() / absolute.name
    for root in roots:
        for where in (absolute, real):
            if not where.is_relative_to(root):
                continue
            step = root
            for part in where.relative_to(root).parts:
                step /= part
                if step.is_symlink():
                    raise SiteBuildError(
                        f"the {name} folder {absolute} is under {step}, a symbolic link inside the repository"
                    )
    return real


def _refuse_links(docs_dir: Path) -> None:
    """MkDocs follows symbolic links in its docs folder: there must be none (only what the writer wrote)."""
    for folder, subfolders, files in os.walk(docs_dir, followlinks=False):
        for name in [*subfolders, *files]:
            if (Path(folder) / name).is_symlink():
                raise SiteBuildError(f"{Path(folder) / name} is a symbolic link in the work folder; nothing was built")


def _new_sibling(out_dir: Path) -> Path:
    """A new, empty folder beside `out_dir`: on the same file system, so that a rename moves it into place."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.iterdir():
        # Left by a build that was killed outright: it may hold children's data, so it goes.
        if stale.name.startswith((f".{out_dir.name}{_BUILDING}", f".{out_dir.name}{_REPLACED}")) and _ours(stale):
            shutil.rmtree(stale, ignore_errors=True)
    folder = out_dir.parent / f".{out_dir.name}{_BUILDING}{secrets.token_hex(6)}"
    folder.mkdir()
    (folder / SITE_MARKER).write_text("Being built by `panel build`; removed if the build stops.\n")
    return folder


def _ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / SITE_MARKER).is_file()


def _swap_in(built: Path, out_dir: Path) -> None:
    """Move the finished site into place: the previous site is renamed aside, the new one takes its name.

    Hidden entries of the previous site (a deployment's `.git`, an `.htaccess`: MkDocs never
    writes them) move to the new one first. Each step is a rename within one folder; if one
    fails, what moved is moved back, so the previous site stays whole at its name.
    """
    if not out_dir.exists():
        built.rename(out_dir)
        return
    kept = sorted(entry.name for entry in out_dir.iterdir() if entry.name.startswith(".") and entry.name != SITE_MARKER)
    aside = out_dir.parent / f".{out_dir.name}{_REPLACED}{secrets.token_hex(6)}"
    moved: list[str] = []
    try:
        for entry in kept:
            (out_dir / entry).rename(built / entry)
            moved.append(entry)
        out_dir.rename(aside)
    except OSError:
        _move_back(built, out_dir, moved)
        raise
    try:
        built.rename(out_dir)
    except OSError:
        aside.rename(out_dir)
        _move_back(built, out_dir, moved)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _move_back(built: Path, out_dir: Path, moved: list[str]) -> None:
    for entry in moved:
        (built / entry).rename(out_dir / entry)


def _run_mkdocs(config: MkDocsConfig) -> None:
    # The same sequence as `mkdocs build`: plugins see startup and shutdown around the build.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def _check_folders(repo_root: Path, out_dir: Path, docs_dir: Path) -> None:
    """Refuse folders whose emptying would destroy something that is not an earlier build."""
    for name, folder, marker in (("output", out_dir, SITE_MARKER), ("work", docs_dir, WORK_MARKER)):
        if folder == repo_root or folder in repo_root.parents:
            raise SiteBuildError(
                f"the {name} folder {folder} holds the repository; choose a folder inside it or elsewhere"
            )
        if folder.exists() and not folder.is_dir():
            raise SiteBuildError(f"the {name} folder {folder} is a file")
        previous_site = name == "output" and all((folder / f).is_file() for f in _MKDOCS_SITE)
        if folder.is_dir() and any(folder.iterdir()) and not (folder / marker).exists() and not previous_site:
            raise SiteBuildError(
                f"the {name} folder {folder} is not empty and was not made by `panel build`; "
                "empty it or choose another folder"
            )
        documents = [repo_root / top for top in TOP_FOLDERS]
        if any(folder == top or top in folder.parents for top in documents):
            raise SiteBuildError(f"the {name} folder {folder} is inside the repository's document folders")
    if out_dir == docs_dir or out_dir in docs_dir.parents or docs_dir in out_dir.parents:
        raise SiteBuildError(f"the output folder {out_dir} and the work folder {docs_dir} must not overlap")


def _empty_folder(folder: Path, marker: str) -> None:
    """Create `folder`, or remove everything in it (a stale page must never be published)."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (folder / marker).write_text("Made by `panel build`; emptied and rewritten by every build.\n")


@contextmanager
def _reproducible(as_of: date) -> Iterator[None]:
    """SOURCE_DATE_EPOCH at midnight UTC of `as_of` during the build; the environment restored after."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(as_of, time(0, 0), UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def _mkdocs_log() -> Iterator[Sequence[str]]:
    """Collect MkDocs' warnings instead of letting them reach the terminal; settings restored after."""
    logger = logging.getLogger("mkdocs")
    collected: list[str] = []
    handler = _Collect(collected)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield collected
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
