"""The built site read back before it is published: nothing on any page may run, load or lead outside it.

The sanitiser and the escaping keep documents' text from becoming markup; this is the check that
they did, on what the browser will actually get. Every HTML file of the output is read once, by a
tokenizer of compiled regular expressions that reads tags, attributes, comments and raw-text
elements as a browser's does (no browser, no subprocess: hundreds of pages a second), and is
refused (P131-P137) for:
an inline script or one not from the site's own files, an `on...` attribute, a `javascript:`,
`data:` or outside URL in any attribute that loads or links, a `<base>`, a refresh, a frame,
object, embed or `<style>` element, a page without the site's Content-Security-Policy ahead of
what it loads, a hidden character, or a `style` attribute the site does not write.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from generator.core import diagnostics as d
from generator.core.characters import HIDDEN, label
from generator.core.diagnostics import Diagnostic
from generator.site.content_policy import CONTENT_SECURITY_POLICY, STYLE_ATTRIBUTES

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background", "cite", "ping"}
    | {"longdesc", "manifest", "icon", "codebase", "archive", "lowsrc", "dynsrc", "profile", "usemap"}
)
"""Attributes whose value is one URL the browser may load or follow."""
FORBIDDEN_ELEMENTS = frozenset({"base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "style"})
"""Elements no page of the site has."""
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
"""Script types a browser never runs (Material's `__config` is one): their content is data."""
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop these from URLs before reading them: "java\tscript:" is "javascript:".
_URL_IGNORED = re.compile(r"[\t\n\r]")
_STYLE_URL = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|webp);", re.IGNORECASE)


_ATTRIBUTE = r"""(?:[^\s/>=][^\s/>=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)"""
# One token of the HTML5 tokenizer's data state, as the browser reads it: a comment (an unclosed
# one runs to the end), a doctype or bogus comment, or a tag with its attributes (quoted values may
# hold `>`). Text between tokens is only checked for hidden characters.
_TOKEN = re.compile(
    rf"""<!--.*?(?:-->|\Z)|<![^>]*(?:>|\Z)|<\?[^>]*(?:>|\Z)|</?([a-zA-Z][^\s/>]*)((?:[\s/]+|{_ATTRIBUTE})*)\s*/?>""",
    re.DOTALL,
)
_ONE_ATTRIBUTE = re.compile(r"""([^\s/>=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
# Elements whose content the tokenizer reads as text up to their end tag (plaintext: to the end).
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext"})
_CLOSE = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in _RAW_TEXT}
_REFERENCE = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?")


class _Page:
    """One page read token by token, the problems found in it as they pass."""

    def __init__(self, site: Path, page: Path, relative: str, text: str) -> None:
        self.site = site
        self.folder = page.parent
        self.relative = relative
        self.text = text
        self.problems: list[Diagnostic] = []
        self.policy_seen = False
        self.loaded_before_policy = False
        self.position = 0

    def _line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def _problem(self, rule: d.Rule, message: str, hint: str, offset: int | None = None) -> None:
        line = self._line(self.position if offset is None else offset)
        self.problems.append(d.make(rule, self.relative, line, message, hint))

    def read(self) -> list[Diagnostic]:
        """Every problem of the page, in the order met."""
        self._hidden_characters()
        text = self.text
        at = 0
        while True:
            token = _TOKEN.search(text, at)
            if token is None:
                break
            at = token.end()
            tag = token.group(1)
            if tag is None or text[token.start() + 1] == "/":
                continue
            self.position = token.start()
            name = tag.lower()
            written = token.group(2)
            attrs = [(match.group(1).lower(), _value(match.group(2))) for match in _ONE_ATTRIBUTE.finditer(written)]
            self._element(name, attrs)
            if name in _RAW_TEXT:
                close = _CLOSE[name].search(text, at) if name != "plaintext" else None
                content_end = close.start() if close is not None else len(text)
                if name == "script" and not any(n == "src" for n, _ in attrs):
                    self._inline_script(attrs, text[at:content_end])
                at = content_end
        if not self.policy_seen and not any(p.code == d.PAGE_WITHOUT_POLICY.code for p in self.problems):
            self._policy_problem("the page has no Content-Security-Policy meta tag", 0)
        return self.problems

    def _hidden_characters(self) -> None:
        lines: set[int] = set()
        found = [(m.start(), m.group()) for m in HIDDEN.finditer(self.text)]
        if "&" in self.text:
            for reference in _REFERENCE.finditer(self.text):
                decoded = html.unescape(reference.group())
                if decoded != reference.group() and HIDDEN.search(decoded):
                    found.append((reference.start(), HIDDEN.findall(decoded)[0]))
        for offset, char in sorted(found):
            line = self._line(offset)
            if line not in lines:
                lines.add(line)
                self.problems.append(
                    d.make(
                        d.PAGE_HIDDEN_CHARACTER,
                        self.relative,
                        line,
                        f"the page holds {label(char)}",
                        "find the value that brought it and the escaping it bypassed",
                    )
                )

    def _inline_script(self, attrs: list[tuple[str, str]], content: str) -> None:
        kind = next((value for name, value in attrs if name == "type"), "").strip().lower()
        if kind not in DATA_SCRIPT_TYPES and content.strip():
            self._problem(
                d.PAGE_INLINE_SCRIPT,
                "an inline script",
                "no page may run an inline script; find which template or value wrote it",
            )

    def _element(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        values = dict(reversed(attrs))  # the first of a repeated attribute is the one that counts
        equiv = values.get("http-equiv", "").strip().lower()
        if tag == "meta" and equiv == "content-security-policy":
            if values.get("content") == CONTENT_SECURITY_POLICY and not self.loaded_before_policy:
                self.policy_seen = True
            else:
                self._policy_problem("a Content-Security-Policy that is not the site's, or one after what it loads")
        elif tag == "meta" and "http-equiv" in values:
            self._problem(
                d.PAGE_FORBIDDEN_ELEMENT,
                f"a <meta http-equiv={equiv!r}>",
                "the site's pages never refresh, redirect or set headers from a meta tag",
            )
        if tag in FORBIDDEN_ELEMENTS:
            self._problem(d.PAGE_FORBIDDEN_ELEMENT, f"a <{tag}> element", f"the site's pages have no <{tag}>")
        if (
            tag == "script" or (tag == "link" and "stylesheet" in values.get("rel", "").lower())
        ) and not self.policy_seen:
            self.loaded_before_policy = True
        if tag == "script" and "src" in values and not self._own_file(values["src"]):
            self._problem(
                d.PAGE_INLINE_SCRIPT,
                "a script whose file is not one of the site's own",
                "every script is a file the build wrote into the site",
            )
        for name, value in attrs:
            self._attribute(tag, name, value)

    def _own_file(self, url: str) -> bool:
        cleaned = _URL_IGNORED.sub("", url).strip()
        if _SCHEME.match(cleaned) or cleaned.startswith(("//", "\\", "/\\")):
            return False
        path = cleaned.split("#", 1)[0].split("?", 1)[0]
        target = self.site / path.lstrip("/") if path.startswith("/") else self.folder / path
        normal = Path(os.path.normpath(target))
        return normal.is_relative_to(self.site) and normal.is_file()

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self._problem(d.PAGE_EVENT_HANDLER, f"an event-handler attribute {name!r} on <{tag}>", "remove it")
        elif name in URL_ATTRIBUTES:
            self._url(tag, name, value)
        elif name in ("srcset", "imagesrcset"):
            for candidate in value.split(","):
                self._url(tag, name, candidate.strip().split(" ", 1)[0])
        elif name == "style" and value not in STYLE_ATTRIBUTES:
            reason = "that loads an address" if _STYLE_URL.search(value) else "the site does not write"
            self._problem(d.PAGE_STYLE_ATTRIBUTE, f"a style attribute on <{tag}> {reason}", "remove it")

    def _url(self, tag: str, name: str, value: str) -> None:
        cleaned = _URL_IGNORED.sub("", value).strip(" \x00-\x1f")
        scheme = _SCHEME.match(cleaned)
        if scheme is not None:
            word = scheme.group(1).lower()
            if word == "mailto" and name == "href":
                return
            if word == "data" and tag == "img" and name == "src" and _DATA_IMAGE.match(cleaned):
                return
            scripted = word in ("javascript", "data", "vbscript")
            what = f"a {word}: URL" if scripted else f"an address outside the site ({word}:)"
        elif cleaned.startswith(("//", "\\", "/\\")):
            what = "an address outside the site (//host)"
        else:
            return
        self._problem(d.PAGE_OUTSIDE_URL, f"{what} in {name!r} on <{tag}>", "every link and load stays inside the site")

    def _policy_problem(self, message: str, offset: int | None = None) -> None:
        self._problem(
            d.PAGE_WITHOUT_POLICY,
            message,
            "every page carries the site's policy (generator/site/content_policy.py) before any script or stylesheet",
            offset,
        )


def _value(written: str | None) -> str:
    """An attribute's value as the browser reads it: quotes off, character references decoded."""
    if not written:
        return ""
    if len(written) >= 2 and written[0] == written[-1] and written[0] in "\"'":
        written = written[1:-1]
    return html.unescape(written) if "&" in written else written


def html_files(site: Path) -> Iterator[Path]:
    """Every `.html` file under `site`, in path order (symbolic links are not followed)."""
    for folder, subfolders, files in os.walk(site, followlinks=False):
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                yield Path(folder) / name


def scan_page(site: Path, page: Path) -> list[Diagnostic]:
    """The problems of one built page (P131-P137), its path relative to `site`."""
    relative = posixpath.join(*page.relative_to(site).parts)
    return _Page(site, page, relative, page.read_text(encoding="utf-8", errors="replace")).read()


def scan_site(site: Path) -> list[Diagnostic]:
    """Every problem of every HTML page of the built site at `site`, by page and line."""
    site = site.resolve()
    return [problem for page in html_files(site) for problem in scan_page(site, page)]
