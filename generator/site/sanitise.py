"""Make document content safe to publish: values escaped for Markdown, bodies rendered and sanitised.

Python-Markdown and MkDocs sanitise nothing (THREATS.md, "The site executes what it is given"), so
every value taken from a document passes through `escape_markdown`, and every Markdown body through
`body_html`, before it reaches a page.
"""

from __future__ import annotations

import html
import re
from functools import cache

import markdown  # type: ignore[import-untyped]
import nh3

from generator.core.characters import visible

# Every character Markdown, its extensions (tables, attr_list, abbr, footnotes) or HTML give a
# meaning to inside a line is written as a numeric character reference: the page shows the
# character and no parser sees syntax.
_INLINE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "*": "&#42;",
    "_": "&#95;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "&#125;",
    "~": "&#126;",
    "^": "&#94;",
    "#": "&#35;",
}
_INLINE_TABLE = str.maketrans(_INLINE)
# What starts a block when it opens a line: list markers, rules, setext underlines, numbered lists.
_LEADING = re.compile(r"^(?:[-+=.]|[0-9]+[.)])")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
"""Tags a document body may keep: text structure only. No images (nothing loads), no forms, scripts,
styles, frames, media or SVG."""
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
"""Attributes kept, by tag; no event handlers, styles, classes or ids."""
URL_SCHEMES = frozenset({"mailto"})
"""The only URL scheme a body's link may use; other links must be relative to the page."""

_BODY_EXTENSIONS = ["tables", "sane_lists", "def_list", "abbr"]
_HEADING = re.compile(r"<(/?)h([1-6])>")


@cache
def _body_markdown() -> markdown.Markdown:
    """The converter for document bodies: Markdown without raw HTML.

    A body's `<` is text, never the start of a tag: an unclosed `<style>`, `<textarea>`, `<!--`
    or `<math><style>` would otherwise swallow every sentence after it (HTML parsing runs to the
    end of the input looking for the close), and the sanitiser can only drop what it swallowed.
    Shown as text, the reader sees exactly what was written. One converter, reset before each
    body: building one costs more than converting a short body.
    """
    converter = markdown.Markdown(extensions=_BODY_EXTENSIONS, output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def _collapse(value: str) -> str:
    # Hidden characters (bidi controls, zero-width, C0/C1 controls) become a visible `[U+202E]`.
    return _SPACE.sub(" ", visible(value)).strip()


def escape_markdown(value: str) -> str:
    """`value` as one line of Markdown text that renders literally: no markup, links, HTML or comments.

    Whitespace (line breaks included) collapses to single spaces, so a value cannot start a new
    block; characters that could open a block at the start of a line are neutralised too. Safe in
    a table cell, a heading, a list item and inline in a paragraph.
    """
    text = _collapse(value).translate(_INLINE_TABLE)
    match = _LEADING.match(text)
    if match:
        end = match.end()
        text = text[: end - 1] + f"&#{ord(text[end - 1])};" + text[end:]
    return text


def escape_paragraphs(value: str) -> str:
    """Multi-paragraph text (paragraphs split by blank lines) as escaped Markdown paragraphs."""
    paragraphs = [escape_markdown(p) for p in _PARAGRAPH_BREAK.split(value.replace("\r\n", "\n"))]
    return "\n\n".join(p for p in paragraphs if p)


def escape_html(value: str) -> str:
    """`value` as HTML text, for titles and raw HTML blocks that no Markdown parser reads."""
    return html.escape(_collapse(value), quote=True)


def _relative_only(url: str) -> str | None:
    # Browsers drop tabs and line breaks inside URLs and leading spaces: "/\t/host" is "//host".
    cleaned = re.sub(r"[\t\n\r]", "", url).strip(" \x00-\x1f")
    if not cleaned or cleaned.startswith(("/", "\\")):
        return None
    return cleaned


def sanitise_html(fragment: str) -> str:
    """Keep only the allowed tags and attributes; links relative to the page or `mailto:` only."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "textarea", "title", "noscript", "iframe", "svg"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        url_relative=_relative_only,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_ESCAPED_MARK = re.compile(r"\\\[(U\+[0-9A-F]{4,6})\\\]")


def _shown_hidden(text: str) -> str:
    # `\[U+202E\]`: Markdown's escaped brackets, so the mark can never become a link or a reference.
    return visible(text, mark="\\[{}\\]")


def body_html(body: str, *, heading_shift: int = 1) -> str:
    """A document's Markdown body as sanitised HTML, its headings moved `heading_shift` levels down.

    Headings shift so a body's `# Title` sits below the section of the page that holds it; levels
    past 6 stay at 6.
    """
    rendered: str = _body_markdown().reset().convert(_shown_hidden(body))
    # In a code span the escapes stay as written: the mark reads the same there too.
    rendered = _ESCAPED_MARK.sub(r"[\1]", rendered)

    def shift(match: re.Match[str]) -> str:
        return f"<{match.group(1)}h{min(int(match.group(2)) + heading_shift, 6)}>"

    # Headings are shifted before sanitising, so only allowed levels survive.
    return sanitise_html(_HEADING.sub(shift, rendered)).strip()
