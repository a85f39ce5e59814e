"""What the renderer produces: Markdown pages, static files and the navigation, gathered before anything is written.

`Files` refuses a second file at a path already taken, so no path is produced twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.site.printout import built_path

_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)*", re.ASCII)


class Safe(str):
    """Markdown the renderer produced itself: already escaped, emitted as is."""

    __slots__ = ()


class DuplicatePageError(ValueError):
    """Two pages (or assets) would be written to the same path."""


@dataclass(frozen=True, slots=True)
class Page:
    """One Markdown page of the site."""

    path: str
    """POSIX path in the docs folder, ending `.md`."""
    title: str
    """Plain-text title (escaped when written)."""
    markdown: str
    """The whole file, front matter included."""
    search_text: str = ""
    """What a minimised search index holds of the page besides its title (case ids and panels)."""
    case_material: bool = True
    """Whether the page shows case material: a minimised search index holds only its title and
    `search_text` (`generator.site.search_index`)."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A static file of the site, which MkDocs copies as it is (stylesheets, printouts, CSV, calendars)."""

    path: str
    """POSIX path in the docs folder."""
    data: bytes
    """The file's content."""


@dataclass(frozen=True, slots=True)
class NavLink:
    """A navigation entry pointing at a page."""

    title: str
    """Plain-text title."""
    path: str
    """The page's path in the docs folder."""


@dataclass(frozen=True, slots=True)
class NavSection:
    """A titled group of navigation entries."""

    title: str
    """Plain-text title."""
    children: tuple[NavLink, ...]
    """The entries, in order."""


NavItem = NavLink | NavSection


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the renderer produces: pages, assets and the navigation."""

    pages: tuple[Page, ...]
    """Every page, in the order produced."""
    assets: tuple[Asset, ...]
    """Static files."""
    nav: tuple[NavItem, ...]
    """The navigation: home, panels, the cases index and the problems page, never single cases."""
    site_name: str
    """Plain-text name of the site (the authority's name)."""


class Files:
    """The output being gathered: refuses a second file at a path already taken.

    Paths are compared as published (a page's `.md` as `.html`) and case-insensitively, since a
    site checked out or served on a case-insensitive file system would otherwise lose one of the two.
    """

    def __init__(self) -> None:
        """An empty set of files."""
        self._taken: dict[str, str] = {}
        self.pages: list[Page] = []
        self.assets: list[Asset] = []

    def _claim(self, path: str) -> None:
        if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
            raise ValueError(f"unsafe page path {path!r}")
        # A page `x.md` is published as `x.html`: a file of that name would collide with it in the site.
        key = built_path(path).casefold()
        if key in self._taken:
            raise DuplicatePageError(f"two pages would be written to {path!r} (the other is {self._taken[key]!r})")
        self._taken[key] = path

    def add_page(self, page: Page) -> None:
        """Add a page; DuplicatePageError if its path is taken."""
        self._claim(page.path)
        self.pages.append(page)

    def add_asset(self, asset: Asset) -> None:
        """Add a static file; DuplicatePageError if its path is taken."""
        self._claim(asset.path)
        self.assets.append(asset)
