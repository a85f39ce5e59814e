"""Characters that change what a reader sees without being seen: bidirectional controls and invisible ones.

A right-to-left override (U+202E) makes `2015-03-14` display as `41-30-5102`, and a name with one
reads differently from the data; a zero-width space makes two ids that look equal differ; a soft
hyphen, a tag character or a C1 control hides text from the reader but not from a search. The
loader refuses them in front matter, and the site shows any in a narrative as a visible mark
(`[U+202E]`), so a reader always sees that something is there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Hidden(StrEnum):
    """Which kind of hidden character a code point is."""

    BIDI = "bidirectional control"
    """It reorders the text around it on screen."""
    INVISIBLE = "invisible character"
    """It shows nothing (or nothing reliable) but is in the data."""


_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_INVISIBLE = (
    "\u200b-\u200d\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u180e\u00ad\U000e0000-\U000e007f\ufff9-\ufffb"
)
HIDDEN = re.compile(f"[{_BIDI}{_INVISIBLE}]")
"""Any hidden character (tab, line feed and carriage return are not: they are plain whitespace)."""
_BIDI_ONLY = re.compile(f"[{_BIDI}]")

# Names for code points unicodedata gives none (C0 and C1 controls).
_NAMES = {
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x1B: "ESCAPE",
    0x00: "NULL",
}


@dataclass(frozen=True, slots=True)
class Found:
    """One hidden character in a text."""

    offset: int
    """Its index in the text."""
    line: int
    """The 0-based line of the text it is on."""
    char: str
    """The character."""

    @property
    def kind(self) -> Hidden:
        """Whether it is a bidirectional control or another invisible character."""
        return kind_of(self.char)

    @property
    def label(self) -> str:
        """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its name, never the text around it."""
        return label(self.char)


def kind_of(char: str) -> Hidden:
    """Which kind of hidden character `char` (one of HIDDEN) is."""
    return Hidden.BIDI if _BIDI_ONLY.match(char) else Hidden.INVISIBLE


def code_point(char: str) -> str:
    """`U+202E`."""
    return f"U+{ord(char):04X}"


def label(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE` (a control without a Unicode name is called a control character)."""
    name = unicodedata.name(char, "") or _NAMES.get(ord(char), "CONTROL CHARACTER")
    return f"{code_point(char)} {name}"


def find_hidden(text: str) -> Iterator[Found]:
    """Every hidden character in `text`, in order, with its 0-based line."""
    if HIDDEN.search(text) is None:
        return
    line, line_start = 0, 0
    for match in HIDDEN.finditer(text):
        line += text.count("\n", line_start, match.start())
        line_start = match.start()
        yield Found(match.start(), line, match.group())


def by_line(text: str) -> dict[int, list[Found]]:
    """The hidden characters of `text` grouped by 0-based line, lines in order."""
    lines: dict[int, list[Found]] = {}
    for found in find_hidden(text):
        lines.setdefault(found.line, []).append(found)
    return lines


def describe(found: list[Found], limit: int = 3) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE and U+200B ZERO WIDTH SPACE`: distinct code points, at most `limit`."""
    distinct = list(dict.fromkeys(f.char for f in found))
    words = [label(c) for c in distinct[:limit]]
    if len(distinct) > limit:
        words.append(f"{len(distinct) - limit} more")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def visible(text: str, mark: str = "[{}]") -> str:
    """`text` with every hidden character replaced by `mark` holding its code point: `[U+202E]`."""
    return HIDDEN.sub(lambda m: mark.format(code_point(m.group())), text)
