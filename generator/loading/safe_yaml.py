"""A strict, fail-closed reader for front matter and YAML settings files.

PyYAML and python-frontmatter fail open in ways that lose data silently (see THREATS.md):
duplicate keys keep the last value, `no` becomes False, `012` becomes 10, a missing closing
`---` or a list gives `{}`, aliases can exhaust memory, and deep nesting crashes the C parser.
This module refuses all of those before any value reaches a model, and records the line of
every key so that later stages can point at it.

Scalars are resolved by a deliberately small schema: plain `true`/`false`, `null`/`~`/empty,
and plain decimal integers without leading zeros. Everything else stays text, including dates
(the models parse `YYYY-MM-DD` themselves) and YAML 1.1's `yes`/`no`/`on`/`off`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.core import diagnostics as d
from generator.core.characters import HIDDEN, Found, Hidden, by_line, describe
from generator.core.diagnostics import Diagnostic

MAX_BYTES = 256 * 1024
"""Largest document accepted: referrals are meant to be succinct."""
MAX_DEPTH = 10
"""Deepest nesting of mappings and lists accepted."""

Key = str | int
LinePath = tuple[Key, ...]

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)", re.ASCII)
_YAML11_NON_STRING_KEY = re.compile(
    r"(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.inf|\.nan)",
)
# python-frontmatter's default boundary (`\s*`) can swallow blank lines and shift line numbers.
_BOUNDARY_HANDLER = YAMLHandler(fm_boundary=re.compile(r"^---[ \t]*$", re.MULTILINE))


@dataclass(frozen=True)
class Parsed:
    """A document's front matter (or a settings file's content) and where each key sits."""

    data: dict[str, Any]
    """The values, as plain dicts, lists, strings, integers, booleans and None."""
    lines: dict[LinePath, int] = field(default_factory=dict)
    """1-based file line of each key (mappings) or item (lists), by path from the top."""
    body: str = ""
    """The Markdown after the front matter."""
    body_line: int = 1
    """1-based file line where the body starts."""

    def line_of(self, path: tuple[Any, ...]) -> int:
        """The line of the longest known prefix of `path` (1 if none is known)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class _RefusedError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_markdown(path: str, raw: bytes) -> tuple[Parsed | None, list[Diagnostic]]:
    """Read a Markdown document with front matter: None and the reasons if it is refused.

    A document read gives its `Parsed` and any warnings: a hidden character in the narrative
    (P119), which the site shows as a visible mark. Hidden characters in the front matter refuse
    the document (P117, P118).
    """
    text, problems = _decode(path, raw)
    if text is None:
        return None, problems
    if not _BOUNDARY_HANDLER.detect(text):
        return None, [
            *problems,
            d.make(
                d.MISSING_FRONT_MATTER,
                path,
                1,
                "the file does not start with a '---' line opening the front matter",
                "start the file with '---', the fields, then '---' (see `panel new`)",
            ),
        ]
    try:
        block, content = _BOUNDARY_HANDLER.split(text)
    except ValueError:
        return None, [
            *problems,
            d.make(
                d.INVALID_FRONT_MATTER,
                path,
                1,
                "the front matter opened on line 1 is never closed",
                "add a line '---' after the last field",
            ),
        ]
    if problems:
        return None, problems
    closing_line = 1 + block.count("\n")
    hidden = _hidden_in_front_matter(path, block, first_line=1)
    if hidden:
        return None, hidden
    body = content[1:] if content.startswith("\n") else content
    try:
        data, lines = _parse_mapping(path, block, first_line=1)
    except _RefusedError as refused:
        return None, [refused.diagnostic]
    return Parsed(data, lines, body, closing_line + 1), _hidden_in_narrative(path, body, closing_line + 1)


def read_yaml(path: str, raw: bytes) -> tuple[Parsed | None, list[Diagnostic]]:
    """Read a plain YAML settings file (the roster, the authority's settings); hidden characters refuse it."""
    text, problems = _decode(path, raw)
    if text is None or problems:
        return None, problems
    hidden = _hidden_in_front_matter(path, text, first_line=1)
    if hidden:
        return None, hidden
    try:
        data, lines = _parse_mapping(path, text, first_line=1)
    except _RefusedError as refused:
        return None, [refused.diagnostic]
    return Parsed(data, lines), []


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, refusing what cannot be read faithfully; the text is kept for more checks."""
    if len(raw) > MAX_BYTES:
        return None, [
            d.make(
                d.FILE_TOO_LARGE,
                path,
                0,
                f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                "keep documents succinct and link to large reports in the case-management system",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            d.make(
                d.BYTE_ORDER_MARK,
                path,
                1,
                "the file starts with a UTF-8 byte-order mark",
                "save the file as UTF-8 without BOM",
            )
        ]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            d.make(
                d.INVALID_ENCODING,
                path,
                line,
                f"byte 0x{raw[error.start]:02x} at offset {error.start} is not valid UTF-8",
                "re-save the file with UTF-8 encoding",
            )
        ]
    problems: list[Diagnostic] = []
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        return None, [
            d.make(
                d.CRLF_LINE_ENDINGS,
                path,
                line,
                "the file has carriage-return (Windows) line endings",
                "convert the file to LF line endings; set `git config core.autocrlf input`",
            )
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(
            d.make(
                d.INVALID_ENCODING,
                path,
                line,
                "the file contains a NUL character",
                "save the file as plain UTF-8 text",
            )
        )
    return text, problems


_SHOWN_KEY = re.compile(r"[a-z][a-z0-9_-]{0,39}|[0-9]{1,4}|~|(?i:true|false|yes|no|on|off|null)", re.ASCII)
"""Keys a message may quote: shaped like a field name, a small number or a YAML keyword (never a name or a date)."""


def may_quote_key(key: str) -> bool:
    """Whether a message may quote `key`: not if it could be a child's name or date of birth typed as a key."""
    return _SHOWN_KEY.fullmatch(key) is not None


def _shown_key(key: str, unshown: str) -> str:
    """`key` quoted for a message, or `unshown`."""
    return f"'{key}'" if may_quote_key(key) else unshown


def _hidden_in_front_matter(path: str, block: str, first_line: int) -> list[Diagnostic]:
    """P117 and P118 for each line of `block` holding a hidden character: the code points, never the text."""
    problems = []
    for line, found in by_line(block).items():
        problems.append(_hidden_diagnostic(path, first_line + line, found))
    return problems


def _hidden_diagnostic(path: str, line: int, found: list[Found]) -> Diagnostic:
    bidi = [f for f in found if f.kind is Hidden.BIDI]
    shown = bidi or found
    if bidi:
        return d.make(
            d.BIDI_CONTROL,
            path,
            line,
            f"this line holds {describe(shown)}, a bidirectional control: the text reads differently on screen",
            "delete the character (turn on your editor's 'show invisibles' to see it) and retype the value",
        )
    return d.make(
        d.INVISIBLE_CHARACTER,
        path,
        line,
        f"this line holds {describe(shown)}, a character that shows nothing but is part of the value",
        "delete the character (turn on your editor's 'show invisibles' to see it) and retype the value",
    )


def _hidden_in_narrative(path: str, body: str, first_line: int) -> list[Diagnostic]:
    """P119 warnings for each line of the narrative holding a hidden character (the site shows it as a mark)."""
    return [
        d.make(
            d.HIDDEN_IN_NARRATIVE,
            path,
            first_line + line,
            f"the narrative holds {describe(found)}; the site shows each as a visible mark, not as text",
            "delete the character from the narrative (it was most likely pasted in with the text)",
        )
        for line, found in by_line(body).items()
    ]


def _parse_mapping(path: str, block: str, first_line: int) -> tuple[dict[str, Any], dict[LinePath, int]]:
    """Parse one YAML block that must be a mapping; `first_line` is the file line of its first line."""
    _refuse_tabs_and_depth(path, block, first_line)
    _refuse_unicode_line_breaks(path, block, first_line)
    try:
        events = list(yaml.parse(block, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        problem = error.problem or "could not be read"
        raise _RefusedError(
            d.make(
                d.INVALID_FRONT_MATTER,
                path,
                line,
                f"YAML error: {problem}",
                "quote values that contain ': ', '#', or start with punctuation; check indentation",
            )
        ) from None
    except yaml.YAMLError as error:
        raise _RefusedError(
            d.make(
                d.INVALID_FRONT_MATTER,
                path,
                first_line,
                f"YAML error: {error}",
                "check the front matter is plain YAML",
            )
        ) from None
    builder = _Builder(path, block, first_line, events)
    value = builder.document()
    if value is None:
        raise _RefusedError(
            d.make(
                d.MISSING_FRONT_MATTER,
                path,
                builder.top_line,
                "the front matter is empty",
                "fill in the fields (see `panel new`)",
            )
        )
    if not isinstance(value, dict):
        raise _RefusedError(
            d.make(
                d.FRONT_MATTER_NOT_MAPPING,
                path,
                builder.top_line,
                f"the front matter is a {_kind(value)}, not a set of 'field: value' lines",
                "write one 'field: value' per line at the top level",
            )
        )
    return value, builder.lines


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_tabs_and_depth(path: str, block: str, first_line: int) -> None:
    """Refuse tab indentation and deep nesting before the (C) parser sees the text."""
    tab = _TAB_INDENT.search(block) if "\t" in block else None
    deep = _DEEP_INDENT.search(block)
    first = min((m for m in (tab, deep) if m is not None), key=lambda m: m.start(), default=None)
    if first is not None:
        line = first_line + block.count("\n", 0, first.start())
        if first is tab:
            raise _RefusedError(
                d.make(d.TAB_INDENTATION, path, line, "a tab is used for indentation", "indent with spaces only")
            )
        raise _RefusedError(_too_deep(path, line))
    if "[" not in block and "{" not in block:
        return
    depth = 0
    for bracket in _BRACKET.finditer(block):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _RefusedError(_too_deep(path, first_line + block.count("\n", 0, bracket.start())))
        else:
            depth = max(depth - 1, 0)


_UNICODE_LINE_BREAK = re.compile("[\u0085\u2028\u2029]")
"""NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: YAML reads them as line breaks, editors show none."""


def _refuse_unicode_line_breaks(path: str, block: str, first_line: int) -> None:
    """Refuse the line breaks YAML sees and editors do not: in a quoted value YAML folds them into a space (text
    lost without a word), elsewhere they shift every line number after them."""
    found = _UNICODE_LINE_BREAK.search(block)
    if found is not None:
        raise _RefusedError(
            d.make(
                d.INVALID_FRONT_MATTER,
                path,
                first_line + block.count("\n", 0, found.start()),
                f"the front matter holds a Unicode line break (U+{ord(found.group()):04X}) that YAML would read"
                " as the end of a line",
                "remove it, or write a real line break (text pasted from a word processor often carries one)",
            )
        )


_TAB_INDENT = re.compile(r"^ *\t[ \t]*\S", re.MULTILINE)
_DEEP_INDENT = re.compile(rf"^[ \t]{{{2 * MAX_DEPTH + 9},}}\S", re.MULTILINE)
_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(path: str, line: int) -> Diagnostic:
    return d.make(
        d.TOO_DEEP,
        path,
        line,
        f"the front matter nests more than {MAX_DEPTH} levels deep",
        "flatten the structure; front matter holds simple fields and short lists",
    )


def _kind(value: Any) -> str:
    return {list: "list", str: "single value", int: "number", bool: "true/false"}.get(type(value), "value")


class _Builder:
    """Turns a YAML event stream into plain values, refusing what fails open."""

    def __init__(self, path: str, block: str, first_line: int, events: list[Any]) -> None:
        self.path = path
        self.source_lines = block.split("\n")
        self.first_line = first_line
        self.events = events
        self.position = 0
        self.lines: dict[LinePath, int] = {}
        self.top_line = first_line

    def document(self) -> Any:
        documents = 0
        value: Any = None
        while self.position < len(self.events):
            event = self._next()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _RefusedError(
                        d.make(
                            d.INVALID_FRONT_MATTER,
                            self.path,
                            self._line(event),
                            "the front matter holds more than one YAML document",
                            "remove the extra '---' or '...' line",
                        )
                    )
                top = self._next()
                self.top_line = self._line(top)
                value = self._value(top, (), 1)
        return value

    def _next(self) -> Any:
        event = self.events[self.position]
        self.position += 1
        return event

    def _line(self, event: Any) -> int:
        return int(self.first_line + event.start_mark.line)

    def _value(self, event: Any, path: LinePath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _RefusedError(_too_deep(self.path, self._line(event)))
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedError(
                d.make(
                    d.YAML_ALIAS,
                    self.path,
                    self._line(event),
                    "an anchor or alias ('&' or '*') is used",
                    "write the value out in full; quote it if it starts with '&' or '*'",
                )
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            raise _RefusedError(
                d.make(
                    d.YAML_TAG,
                    self.path,
                    self._line(event),
                    f"the YAML tag '{tag}' is used",
                    "remove the tag; quote the value if it starts with '!'",
                )
            )
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            return self._sequence(path, depth)
        if isinstance(event, yaml.ScalarEvent):
            self._refuse_cut_by_comment(event)
            self._refuse_hidden(event)
            return _resolve(event)
        raise _RefusedError(
            d.make(
                d.INVALID_FRONT_MATTER,
                self.path,
                self._line(event),
                "unexpected YAML structure",
                "write plain 'field: value' lines",
            )
        )

    def _mapping(self, path: LinePath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not isinstance(self.events[self.position], yaml.MappingEndEvent):
            key_event = self._next()
            line = self._line(key_event)
            key = self._key(key_event)
            if key in result:
                first = self.lines.get((*path, key), line)
                raise _RefusedError(
                    d.make(
                        d.DUPLICATE_KEY,
                        self.path,
                        line,
                        f"{_shown_key(key, 'a field (its name not shown: it may be personal data)')} is given twice"
                        f" in the same mapping (first on line {first})",
                        "keep one of the two; YAML would silently drop the first",
                    )
                )
            self.lines[(*path, key)] = line
            result[key] = self._value(self._next(), (*path, key), depth + 1)
        self.position += 1
        return result

    def _key(self, event: Any) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise _RefusedError(
                d.make(
                    d.NON_STRING_KEY,
                    self.path,
                    self._line(event),
                    "a field name is a list or mapping",
                    "field names are plain words",
                )
            )
        if event.anchor or event.tag:
            self._value(event, (), 1)
        self._refuse_hidden(event)
        plain = event.style in (None, "")
        if plain and _YAML11_NON_STRING_KEY.fullmatch(event.value):
            raise _RefusedError(
                d.make(
                    d.NON_STRING_KEY,
                    self.path,
                    self._line(event),
                    f"the field name {_shown_key(event.value, '(not shown: it may be personal data)')}"
                    " is read by YAML as a number, true/false or null",
                    "use a word as the field name, or quote it",
                )
            )
        return str(event.value)

    def _sequence(self, path: LinePath, depth: int) -> list[Any]:
        result: list[Any] = []
        while not isinstance(self.events[self.position], yaml.SequenceEndEvent):
            event = self._next()
            self.lines[(*path, len(result))] = self._line(event)
            result.append(self._value(event, (*path, len(result)), depth + 1))
        self.position += 1
        return result

    def _refuse_hidden(self, event: Any) -> None:
        """A quoted value's escape (`"\\u202e"`) makes a hidden character the text never showed."""
        match = HIDDEN.search(event.value)
        if match is not None:
            char = match.group()
            found = [Found(match.start(), 0, char)]
            raise _RefusedError(_hidden_diagnostic(self.path, self._line(event), found))

    def _refuse_cut_by_comment(self, event: Any) -> None:
        """A plain value followed by ` #` on its line lost the text after the `#`."""
        if event.style not in (None, "") or event.end_mark.line >= len(self.source_lines):
            return
        rest = self.source_lines[event.end_mark.line][event.end_mark.column :]
        if rest.lstrip(" ").startswith("#") and rest.startswith(" "):
            raise _RefusedError(
                d.make(
                    d.INLINE_COMMENT,
                    self.path,
                    self._line(event),
                    "a value on this line is followed by a ' #' comment, which YAML drops",
                    "quote the whole value if '#' is part of it, or put the comment on its own line",
                )
            )


def _resolve(event: Any) -> Any:
    """The small, predictable scalar schema described in the module docstring."""
    value: str = event.value
    if event.style not in (None, ""):
        return value
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if _INTEGER.fullmatch(value):
        return int(value)
    return value
