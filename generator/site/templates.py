"""The template environment: jinja2 rendering Markdown, every value escaped unless the renderer made it.

Templates are Markdown, so jinja2's HTML autoescape does not apply; instead `finalize` escapes every
interpolated value for Markdown. Markdown the renderer builds itself (links, sanitised bodies) is
wrapped in `Safe` and passes through unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from importlib import resources
from typing import Any

import jinja2

from generator.audit.provenance import when_label
from generator.core.diagnostics import Severity
from generator.models.audience import BirthForm
from generator.pipeline.workspace import Workspace
from generator.site.pages import Asset, Page, Safe
from generator.site.paths import case_page, case_page_ids, relative_link
from generator.site.printout import BackLink, PrintoutWriter, built_path
from generator.site.sanitise import body_html, escape_html, escape_markdown, escape_paragraphs
from generator.views.words import birth_label, role_label, signed_line, timescale_label

TEMPLATES = "templates/site"
_CASE_PAGES = case_page("x").removesuffix("x.md")


def _finalize(value: object) -> str:
    """Every `{{ value }}` in a template: escaped for Markdown unless the renderer marked it Safe."""
    if isinstance(value, Safe):
        return value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return escape_markdown(str(value))


def _md(value: object) -> Safe:
    return Safe(_finalize(value))


def _paragraphs(value: str) -> Safe:
    return Safe(escape_paragraphs(value))


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is Markdown: `finalize` escapes every value for it
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["paragraphs"] = _paragraphs
    env.filters["role"] = role_label
    env.filters["roles"] = lambda roles: ", ".join(role_label(r) for r in roles) if roles else None
    env.filters["timescale"] = lambda t: timescale_label(t) if t is not None else None
    env.globals["Severity"] = Severity
    env.filters["when"] = when_label
    env.filters["signature"] = lambda entry: entry.signature_words(role_label)
    return env


class Renderer:
    """Renders the templates of one site; each page builder calls `page` once per page it yields,
    and `printout` once per printout (a standalone HTML file MkDocs only copies).

    Every template gets `front_matter`, `banner`, `here` (the page's path), `link(text, target,
    anchor)`, `body(markdown, heading_shift)`, `data` (the Workspace), `as_of`, `born(child)` (the
    date of birth, or the age for an audience shown ages) and `ages`, plus what the builder passes.
    `link` to the page of a case the site does not build gives the text alone.
    """

    def __init__(self, data: Workspace) -> None:
        self.data = data
        self._case_pages = frozenset(case_page(case_id) for case_id in case_page_ids(data))
        loader = jinja2.PackageLoader("generator", TEMPLATES)
        self.env = _environment(loader)
        authority = data.repo.authority
        text = authority.confidentiality if authority else ""
        self.banner = Safe(
            f'<div class="panel-confidentiality" role="note" data-search-exclude>{escape_html(text)}</div>'
            if text
            else ""
        )
        self.printouts = PrintoutWriter(
            loader,
            site_name=authority.name if authority else "Decision panels",
            banner=self.banner,
        )

    def page(self, template: str, path: str, title: str, **context: Any) -> Page:
        """Render `template` as the Markdown page at `path`, which MkDocs builds into the site.

        `title` carries no child's name: with the page's `search_text` (case ids and panels, set
        by the builder), it is all a minimised search index keeps of a page of case material.
        """
        front_matter = Safe(json.dumps({"title": escape_html(title)}))
        markdown = self._render(template, path, front_matter=front_matter, printout=False, context=context)
        return Page(path=path, title=title, markdown=markdown)

    def printout(self, template: str, path: str, title: str, back: BackLink, **context: Any) -> Asset:
        """Render a printable copy of what another page already shows (pack, minutes, decision sheet).

        The result is a standalone HTML document at `path` (ending `.html`) that MkDocs only copies:
        no navigation, search or theme to render, and nothing in the search index (which would give
        every search several hits for one thing). Its links (`link(...)`) point at the built `.html`
        pages; `back` is the page it leads back to on screen.
        """
        markdown = self._render(template, path, front_matter=Safe(""), printout=True, context=context)
        return Asset(path, self.printouts.document(markdown, path=path, title=title, back=back))

    def _render(self, template: str, path: str, *, front_matter: Safe, printout: bool, context: dict[str, Any]) -> str:
        def link(text: object, target: str, anchor: str = "") -> Safe:
            if target.startswith(_CASE_PAGES) and target not in self._case_pages:
                return Safe(_finalize(text))  # a case the site has no page for: text, never a broken link
            # MkDocs turns a page's links to `.md` pages into `.html`; nothing does that for a printout.
            destination = built_path(target) if printout else target
            return Safe(f"[{_finalize(text)}]({relative_link(path, destination, anchor)})")

        def body(text: str, heading_shift: int = 1) -> Safe:
            html = body_html(text, heading_shift=heading_shift)
            return Safe(f'<div class="panel-document">\n{html}\n</div>' if html else "")

        return self.env.get_template(template).render(
            front_matter=front_matter,
            banner=self.banner,
            here=path,
            link=link,
            body=body,
            data=self.data,
            signed_line=partial(signed_line, self.data),
            as_of=self.data.as_of,
            born=lambda child: birth_label(child, self.data.as_of, self.data.audience.birth),
            ages=self.data.audience.birth is BirthForm.AGE,
            **context,
        )


# --- the pages ------------------------------------------------------------------------------------

PageBuilder = Callable[[Renderer], Iterable["Page | Asset"]]
"""A function yielding one kind of page (and any files that go with it: CSV, calendars, charts)."""


def static_assets() -> list[Asset]:
    """The files of the templates' `assets/` folder (stylesheet, file:// search shim), by name."""
    folder = resources.files("generator").joinpath(TEMPLATES, "assets")
    return [
        Asset(f"assets/{entry.name}", entry.read_bytes())
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and not entry.name.startswith(".")
    ]
