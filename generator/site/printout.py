"""Printouts as standalone HTML documents: meeting packs, minutes and decision sheets.

A printout is printed, or saved as a PDF and uploaded to a child's record: it needs no navigation,
no search and no theme. MkDocs renders every page through Material's template with the whole
navigation, which costs tens of milliseconds a page, so printouts never become MkDocs pages.
Their Markdown (from the same templates, every value escaped by the renderer) is converted here
with Python-Markdown and the extensions the site uses, wrapped in a small HTML document with its
own stylesheet, and handed to MkDocs as a static file that it only copies.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache

import jinja2
import markdown  # type: ignore[import-untyped]
from markupsafe import Markup

from generator.site.content_policy import CONTENT_SECURITY_POLICY

TEMPLATE = "printout.html.j2"
"""The HTML document template, beside the Markdown templates."""
STYLESHEET = "assets/printout.css"
"""The printouts' stylesheet in the docs folder: A4 pages, readable tables, nothing from outside."""

# The extensions of mkdocs.yml, so a printout reads its Markdown as the site would. The headings'
# permalinks are left out: a pilcrow is no use on paper.
_EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]


@dataclass(frozen=True, slots=True)
class BackLink:
    """The page a printout leads back to on screen (hidden when printed)."""

    title: str
    """The page's plain-text title (escaped when written)."""
    path: str
    """The page's path in the docs folder (a Markdown page's `.md` path is fine)."""


def built_path(path: str) -> str:
    """Where MkDocs publishes a docs-folder file: a Markdown page's `.md` becomes `.html`, other files keep their name.

    The site is built with `use_directory_urls: false`, so `meetings/clam/2026-11-12.md` is
    published as `meetings/clam/2026-11-12.html`.
    """
    return path[: -len(".md")] + ".html" if path.endswith(".md") else path


def _href(here: str, target: str) -> str:
    return posixpath.relpath(built_path(target), posixpath.dirname(here) or ".")


@cache
def _converter() -> markdown.Markdown:
    # One converter for every printout, reset before each: building one costs more than converting a page.
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")


def markdown_html(text: str) -> str:
    """A printout's Markdown as an HTML fragment, with the site's Markdown extensions.

    The Markdown is the renderer's: values escaped by its `finalize`, document bodies already
    sanitised HTML. Nothing here escapes again, and nothing here may be given unescaped text.
    """
    html: str = _converter().reset().convert(text)
    return html


class PrintoutWriter:
    """Writes the printouts of one site: the same marking, site name and template for each."""

    def __init__(self, loader: jinja2.BaseLoader, *, site_name: str, banner: str) -> None:
        """A writer reading `printout.html.j2` through `loader`.

        `banner` is the confidentiality banner's HTML exactly as the site's pages carry it (the
        renderer escapes its text); `site_name` is plain text.
        """
        env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._template = env.get_template(TEMPLATE)
        self._site_name = site_name
        self._banner = Markup(banner)  # noqa: S704 - built by the renderer from escaped text

    def document(self, markdown_text: str, *, path: str, title: str, back: BackLink) -> bytes:
        """The printout at docs-folder `path` (ending `.html`) as a UTF-8 HTML document.

        `title` is plain text; `markdown_text` is the renderer's escaped Markdown of the content,
        with its one top-level heading.
        """
        if not path.endswith(".html"):
            raise ValueError(f"a printout's path must end .html, not {path!r}")
        html = self._template.render(
            title=title,
            content_security_policy=CONTENT_SECURITY_POLICY,
            site_name=self._site_name,
            banner=self._banner,
            stylesheet=_href(path, STYLESHEET),
            back_title=back.title,
            back_href=_href(path, back.path),
            content=Markup(markdown_html(markdown_text)),  # noqa: S704 - escaped Markdown, sanitised bodies
        )
        return html.encode("utf-8")
