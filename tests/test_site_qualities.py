"""Qualities of the built demo site, page by page: self-contained, marked confidential, accessible, printable.

"Pages" are every HTML file of the site: those MkDocs built with the theme and the printouts (meeting
packs, minutes, decision sheets), standalone documents the generator wrote and MkDocs only copied.
Each check names every page at fault. Byte-identical rebuilds are tested in test_site.py
(`test_rebuild_is_byte_identical`), which runs every area of the site; they are not repeated here.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import DemoSite

from generator.loading.repository import load_repository

_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_URL_ATTRIBUTES = frozenset({"src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href", "cite"})
_VAGUE_LINK_TEXT = frozenset({"here", "click here", "click", "this", "link", "this link", "more", "read more", "go"})
_NOT_OURS = frozenset({"404.html"})
"""MkDocs' own page for a missing address: no content of the site's, so no banner or heading of ours."""
PRINTOUT = re.compile(r"meetings/[^/]+/[0-9]{4}-[0-9]{2}-[0-9]{2}/[^/]+\.html")
"""Where printouts are: in a meeting's folder, beside its case notes."""


def is_printout(name: str) -> bool:
    """Whether the site path `name` is a printout (a standalone HTML document, not a MkDocs page)."""
    return PRINTOUT.fullmatch(name) is not None


@dataclass
class PageFacts:
    """What one HTML page holds, as html.parser sees it."""

    urls: list[str] = field(default_factory=list)
    h1: int = 0
    banners: list[str] = field(default_factory=list)
    tables: list[bool] = field(default_factory=list)
    """Per table: whether it has a header row (a row of th cells, in thead or first)."""
    images_without_alt: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(href, text) of every link in the page's content."""
    stylesheets: list[str] = field(default_factory=list)
    doctype: str = ""
    language: str = ""
    charset: str = ""
    title: str = ""
    scripts: int = 0
    back: list[str] = field(default_factory=list)
    """The href of each link in a printout's way back to the site (`nav.printout-nav`)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._style = False
        self._banner_depth = 0
        self._banner_text: list[str] = []
        self._depth = 0
        self._tables: list[dict[str, bool]] = []
        self._link: tuple[str, list[str]] | None = None
        self._article = 0
        self._back = 0
        self._title: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.facts.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._depth += 1
        for name, value in attrs:
            if name in _URL_ATTRIBUTES and value is not None:
                urls = (
                    [part.strip().split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
                self.facts.urls += urls
            if name == "style" and value:
                self.facts.urls += [m.group(2) or m.group(4) for m in _CSS_URL.finditer(value)]
        classes = (values.get("class") or "").split()
        if tag == "html":
            self.facts.language = values.get("lang") or ""
        elif tag == "meta" and values.get("charset"):
            self.facts.charset = values.get("charset") or ""
        elif tag == "title":
            self._title = []
        elif tag == "script":
            self.facts.scripts += 1
        elif tag == "nav" and "printout-nav" in classes:
            self._back += 1
        if tag == "h1":
            self.facts.h1 += 1
        elif tag == "style":
            self._style = True
        elif tag == "article":
            self._article += 1
        elif tag == "div" and "panel-confidentiality" in classes and not self._banner_depth:
            self._banner_depth = self._depth
            self._banner_text = []
        elif tag == "table":
            self._tables.append({"header": False, "first_row_seen": False})
        elif tag == "thead" and self._tables:
            self._tables[-1]["in_thead"] = True
        elif tag == "tr" and self._tables:
            table = self._tables[-1]
            table["row_is_first"] = not table["first_row_seen"]
            table["first_row_seen"] = True
        elif tag == "th" and self._tables:
            table = self._tables[-1]
            if table.get("in_thead") or table.get("row_is_first"):
                table["header"] = True
        elif tag == "img" and not (values.get("alt") or "").strip() and values.get("role") != "presentation":
            self.facts.images_without_alt.append(values.get("src") or "?")
        elif tag == "a" and (self._article or self._back) and values.get("href") is not None:
            self._link = (values.get("href") or "", [])
            if self._back:
                self.facts.back.append(values.get("href") or "")
        elif tag == "link" and "stylesheet" in (values.get("rel") or "").split():
            self.facts.stylesheets.append(values.get("href") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        elif tag == "article":
            self._article -= 1
        elif tag == "nav" and self._back:
            self._back -= 1
        elif tag == "title" and self._title is not None:
            self.facts.title = "".join(self._title).strip()
            self._title = None
        elif tag == "table" and self._tables:
            self.facts.tables.append(self._tables.pop()["header"])
        elif tag == "thead" and self._tables:
            self._tables[-1]["in_thead"] = False
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.facts.links.append((href, " ".join("".join(text).split())))
            self._link = None
        if self._banner_depth and self._depth == self._banner_depth and tag == "div":
            self.facts.banners.append(" ".join("".join(self._banner_text).split()))
            self._banner_depth = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._style:
            self.facts.urls += [m.group(2) or m.group(4) for m in _CSS_URL.finditer(data)]
        if self._banner_depth:
            self._banner_text.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._title is not None:
            self._title.append(data)


def read_page(path: Path) -> PageFacts:
    """The facts of one built HTML page."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.facts


def resolve(page: str, url: str) -> str:
    """The site path a relative URL on `page` names (starting `../` if it climbs out of the site)."""
    path = unquote(urlsplit(url).path)
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page


def external(url: str, *, inline_images: bool = False) -> bool:
    """Whether a URL leaves the site: anything but a relative URL, a fragment or a mailto: address.

    With `inline_images`, `data:image/` URLs are allowed too: they carry the image and request nothing
    (Material's stylesheet draws its icons with them).
    """
    url = url.strip()
    if not url or url.startswith("#") or url.lower().startswith("mailto:"):
        return False
    if inline_images and url.lower().startswith("data:image/"):
        return False
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("/"))


@pytest.fixture(scope="module")
def pages(demo_site: DemoSite) -> dict[str, PageFacts]:
    """Every HTML page of the demo site (MkDocs' 404 page aside), read once, by site path."""
    return {
        path.relative_to(demo_site.site).as_posix(): read_page(path)
        for path in sorted(demo_site.site.rglob("*.html"))
        if path.relative_to(demo_site.site).as_posix() not in _NOT_OURS
    }


def css_files(site: Path) -> Iterator[Path]:
    """Every stylesheet of the site."""
    yield from sorted(site.rglob("*.css"))


def test_the_demo_site_has_pages_of_every_area(pages: dict[str, PageFacts]) -> None:
    """The checks below look at a real site: home, panels, cases, meetings and calendars are all there."""
    for expected in ("index.html", "panels/clam.html", "cases.html", "calendars.html", "meetings/index.html"):
        assert expected in pages
    for printout in ("pack.html", "minutes.html", "204476.html", "204476-c1.html"):
        assert is_printout(f"meetings/cdm/2026-11-16/{printout}")
        assert f"meetings/cdm/2026-11-16/{printout}" in pages


def test_no_page_references_another_origin(pages: dict[str, PageFacts]) -> None:
    """src, href, srcset, style url() and <style> in every page: relative URLs, fragments and mailto: only."""
    assert [] == [f"{name}: {url}" for name, facts in pages.items() for url in facts.urls if external(url)]


def test_no_stylesheet_references_another_origin(demo_site: DemoSite) -> None:
    """No url() or @import in any stylesheet points outside the site (no web fonts, no CDN); inline icons allowed."""
    found = [
        f"{path.relative_to(demo_site.site)}: {m.group(2) or m.group(4)}"
        for path in css_files(demo_site.site)
        for m in _CSS_URL.finditer(path.read_text(encoding="utf-8"))
        if external(m.group(2) or m.group(4), inline_images=True)
    ]
    assert [] == found


def test_every_relative_reference_resolves_inside_the_site(demo_site: DemoSite, pages: dict[str, PageFacts]) -> None:
    """Relative links and resources name files that exist in the built site (no reference climbs out of it)."""
    root = demo_site.site.resolve()
    missing = []
    for name, facts in pages.items():
        for url in facts.urls:
            if external(url) or url.startswith("#") or url.lower().startswith("mailto:"):
                continue
            target = resolve(name, url)
            resolved = (root / target).resolve()
            if not resolved.is_relative_to(root) or not (resolved.is_file() or (resolved / "index.html").is_file()):
                missing.append(f"{name}: {url}")
    assert [] == missing


def test_confidentiality_banner_on_every_page(demo_site: DemoSite, pages: dict[str, PageFacts]) -> None:
    """Every page carries the authority's confidentiality banner, once, with its words."""
    repo, _ = load_repository(demo_site.repo)
    assert repo.authority is not None
    words = repo.authority.confidentiality
    assert [] == [name for name, facts in pages.items() if facts.banners != [words]]


def test_one_h1_per_page(pages: dict[str, PageFacts]) -> None:
    """Each page has exactly one top-level heading."""
    assert {} == {name: facts.h1 for name, facts in pages.items() if facts.h1 != 1}


def test_every_table_has_a_header_row(pages: dict[str, PageFacts]) -> None:
    """Data tables name their columns (a row of th cells), so screen readers can announce them."""
    assert [] == [
        f"{name}: table {i + 1}" for name, facts in pages.items() for i, ok in enumerate(facts.tables) if not ok
    ]


def test_every_image_has_alternative_text(pages: dict[str, PageFacts]) -> None:
    """No img without alt text."""
    assert [] == [f"{name}: {src}" for name, facts in pages.items() for src in facts.images_without_alt]


def test_link_text_says_where_it_goes(pages: dict[str, PageFacts]) -> None:
    """No content link reads "here", "click here", "more" or the like, and none is empty."""
    vague = [
        f"{name}: {href} ({text!r})"
        for name, facts in pages.items()
        for href, text in facts.links
        if text.casefold().strip(" .:!") in _VAGUE_LINK_TEXT or not text.strip()
    ]
    assert [] == vague


def test_every_page_links_a_print_stylesheet(demo_site: DemoSite, pages: dict[str, PageFacts]) -> None:
    """Stylesheets with print rules exist: every MkDocs page links the site's, every printout its own (A4 pages)."""
    printing = {
        path.relative_to(demo_site.site).as_posix()
        for path in css_files(demo_site.site)
        if "@media print" in path.read_text(encoding="utf-8")
    }
    site_css, printout_css = "assets/panel.css", "assets/printout.css"
    assert {site_css, printout_css} <= printing
    assert "size: A4" in (demo_site.site / printout_css).read_text(encoding="utf-8")
    without = [
        name
        for name, facts in pages.items()
        if (printout_css if is_printout(name) else site_css) not in [resolve(name, href) for href in facts.stylesheets]
    ]
    assert [] == without


def test_printouts_are_standalone_documents(pages: dict[str, PageFacts]) -> None:
    """Each printout is a whole HTML document of its own: doctype, English, UTF-8, a title, its one stylesheet,
    no script (no theme, search or navigation), and a link back to its meeting's page."""
    printouts = {name: facts for name, facts in pages.items() if is_printout(name)}
    faults = {
        name: fault
        for name, facts in printouts.items()
        for fault in (
            "doctype" if facts.doctype.casefold() != "doctype html" else "",
            "language" if facts.language != "en" else "",
            "charset" if facts.charset.casefold() != "utf-8" else "",
            "title" if not facts.title else "",
            "stylesheets" if facts.stylesheets != ["../../../assets/printout.css"] else "",
            "scripts" if facts.scripts else "",
            "way back" if [resolve(name, href) for href in facts.back] != [name.rsplit("/", 1)[0] + ".html"] else "",
        )
        if fault
    }
    assert (True, {}) == (len(printouts) > 100, faults)


# --- the checks themselves ---------------------------------------------------------------------------


def test_reader_sees_what_the_checks_look_for(tmp_path: Path) -> None:
    """A page with every fault is reported for each: outside URLs, no banner, two h1, bare table, image, link text."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        "<style>@import 'https://fonts.example/f.css'; .a{background:url(//img.example/b.png)}</style></head>"
        '<body><article><h1>A</h1><h1>B</h1><table><tr><td>x</td></tr></table><img src="a.png">'
        '<a href="x.html">click here</a><a href="y.html"> </a><p style="background:url(https://t.example/p)">t</p>'
        '<img srcset="a.png 1x, https://cdn.example/b.png 2x" alt="b"></article></body></html>',
        encoding="utf-8",
    )
    facts = read_page(page)
    assert {
        "https://cdn.example/x.css",
        "https://t.example/p",
        "https://cdn.example/b.png",
        "https://fonts.example/f.css",
        "//img.example/b.png",
    } == {url for url in facts.urls if external(url)}
    assert (2, [False], ["a.png"], [], [("x.html", "click here"), ("y.html", "")]) == (
        facts.h1,
        facts.tables,
        facts.images_without_alt,
        facts.banners,
        facts.links,
    )


def test_reader_sees_a_printouts_parts(tmp_path: Path) -> None:
    """A standalone document's doctype, language, charset, title, scripts and way back are all read."""
    page = tmp_path / "meetings/tp/2026-03-02/pack.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pack &amp; more</title>'
        '<script src="x.js"></script></head><body><nav class="printout-nav"><a href="../2026-03-02.html">here</a>'
        "</nav><main><article><h1>Pack</h1></article></main></body></html>",
        encoding="utf-8",
    )
    facts = read_page(page)
    assert (
        "doctype html",
        "en",
        "utf-8",
        "Pack & more",
        1,
        ["../2026-03-02.html"],
        [("../2026-03-02.html", "here")],
    ) == (
        facts.doctype,
        facts.language,
        facts.charset,
        facts.title,
        facts.scripts,
        facts.back,
        facts.links,
    )
    assert (True, False) == (
        is_printout("meetings/tp/2026-03-02/pack.html"),
        is_printout("meetings/tp/2026-03-02.html"),
    )


@pytest.mark.parametrize(
    ("url", "leaves"),
    [
        ("../assets/panel.css", False),
        ("#agenda", False),
        ("mailto:panel@example.invalid", False),
        ("https://example.org/", True),
        ("//cdn.example/x.js", True),
        ("/absolute/path.html", True),
        ("data:image/png;base64,AAAA", True),
        ("javascript:alert(1)", True),
    ],
)
def test_external_url(url: str, leaves: bool) -> None:
    """Only relative URLs, fragments and mailto: stay inside the site."""
    assert leaves == external(url)


def test_inline_images_allowed_only_when_asked() -> None:
    """Stylesheets may draw icons from data:image/ URLs; other data: URLs still count as leaving."""
    assert (False, True) == (
        external("data:image/svg+xml;charset=utf-8,<svg/>", inline_images=True),
        external("data:text/html,<script>", inline_images=True),
    )


def test_search_indexes_cases_and_meetings_but_not_printouts(demo_site: DemoSite) -> None:
    """Packs, minutes and decision sheets repeat what meeting and case pages say: they stay out of the index.

    So do the bulky tables (timelines, papers, trackers), which would otherwise make a large
    council's search index tens of megabytes that every browser loads. And by default a page of
    case material is indexed by its title and case ids only: no child's name (docs/audiences.md).
    """
    index = json.loads((demo_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = sorted({doc["location"] for doc in index["docs"]})
    built = {path.relative_to(demo_site.site).as_posix() for path in demo_site.site.glob("meetings/*/*/*.html")}
    assert {"meetings/cdm/2026-11-16/pack.html", "meetings/cdm/2026-11-16/204476.html"} <= built
    printouts = [loc for loc in locations if is_printout(loc.partition("#")[0]) or loc.partition("#")[0] in built]
    timelines = [loc for loc in locations if loc.endswith("#timeline")]
    expected = ([], [], True, True, True)
    assert expected == (
        printouts,
        timelines,
        "cases/204476.html" in locations,
        "meetings/clam/2026-11-26.html" in locations,
        not any("Gideon Cindergate" in doc["text"] + doc["title"] for doc in index["docs"]),
    )
