"""Static SVG charts drawn at build time: horizontal bars, and columns month by month.

A chart is a self-contained SVG document: no script, no stylesheet, no font or image fetched (the
generic `sans-serif` family is the reader's own), `role="img"` with a `<title>` and `<desc>`. Every
bar carries its number as text, so the figure never depends on the bar's length or colour, and the
page shows the same figures in a table. The same input always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT_SIZE = 12
"""Text size in pixels."""
CHAR_WIDTH = 7.0
"""A generous average width of one character at FONT_SIZE, for laying out labels without measuring fonts."""
BAR_FILL = "#1f4e79"
"""Dark blue: prints as a dark grey, and the numbers are written beside it anyway."""
TEXT_FILL = "#1a1a1a"
AXIS_STROKE = "#6b6b6b"
MAX_LABEL_CHARS = 48
"""Longer labels are shortened with an ellipsis (the table beside the chart has them in full)."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACE = re.compile(r"\s+")
_TITLE_Y = 20
_TOP = 36
_BAR_ROW = 26
_BAR_HEIGHT = 16
_BAR_AREA = 360
_VALUE_ROOM = 56
_COLUMN_WIDTH = 64
_COLUMN_GAP = 16
_PLOT_HEIGHT = 160
_LABEL_LINES = 2


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar (or column): its label and its value."""

    label: str
    """What the bar stands for (plain text; escaped when drawn)."""
    value: int
    """The number, written on the chart beside the bar."""


def text(value: str) -> str:
    """`value` as XML character data: characters XML cannot hold are dropped, markup escaped."""
    return escape(_SPACE.sub(" ", _NOT_XML.sub("", value)).strip(), {'"': "&quot;"})


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """`label` cut to `limit` characters, ending in an ellipsis when cut."""
    label = _SPACE.sub(" ", label).strip()
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open(width: int, height: int, title: str, description: str) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="chart-title">{text(title)}</title>',
        f'<desc id="chart-desc">{text(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="{_TITLE_Y}" font-weight="bold" fill="{TEXT_FILL}">{text(shorten(title, 96))}</text>',
    ]


def _scale(values: Sequence[int], room: float) -> float:
    """Pixels per unit so that the largest value fills `room` (0 when every value is 0 or less)."""
    largest = max((v for v in values), default=0)
    return room / largest if largest > 0 else 0.0


def _number(value: float) -> str:
    """A coordinate, written the same way on every machine."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(title: str, description: str, bars: Sequence[Bar]) -> str:
    """A horizontal bar chart: one row per bar, label on the left, number at the bar's end."""
    label_chars = min(max((len(shorten(b.label)) for b in bars), default=10), MAX_LABEL_CHARS)
    label_width = int(label_chars * CHAR_WIDTH) + 16
    width = label_width + _BAR_AREA + _VALUE_ROOM
    height = _TOP + max(len(bars), 1) * _BAR_ROW + 8
    parts = _open(width, height, title, description)
    scale = _scale([b.value for b in bars], _BAR_AREA)
    parts.append(
        f'<line x1="{label_width}" y1="{_TOP - 4}" x2="{label_width}" y2="{height - 8}" stroke="{AXIS_STROKE}"/>'
    )
    if not bars:
        parts.append(f'<text x="{label_width + 8}" y="{_TOP + 14}" fill="{TEXT_FILL}">No figures to show</text>')
    for index, bar in enumerate(bars):
        top = _TOP + index * _BAR_ROW
        length = max(bar.value, 0) * scale
        baseline = _number(top + _BAR_HEIGHT - 4)
        parts += [
            "<g>",
            f"<title>{text(bar.label)}: {bar.value}</title>",
            f'<text x="{label_width - 8}" y="{baseline}" text-anchor="end" fill="{TEXT_FILL}">'
            f"{text(shorten(bar.label))}</text>",
            f'<rect x="{label_width}" y="{top}" width="{_number(length)}" height="{_BAR_HEIGHT}" fill="{BAR_FILL}"/>',
            f'<text x="{_number(label_width + length + 6)}" y="{baseline}" fill="{TEXT_FILL}">{bar.value}</text>',
            "</g>",
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _lines(label: str, chars: int) -> list[str]:
    """`label` wrapped into at most two lines of about `chars` characters (the second shortened if need be)."""
    words = label.split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > _LABEL_LINES:
        lines = [lines[0], " ".join(lines[1:])]
    return [shorten(line, chars) for line in lines] or [""]


def column_chart(title: str, description: str, columns: Sequence[Bar]) -> str:
    """A vertical column chart (one column per month, say): number above each column, label below."""
    step = _COLUMN_WIDTH + _COLUMN_GAP
    width = max(16 + len(columns) * step + 8, 320)
    baseline = _TOP + 20 + _PLOT_HEIGHT
    height = baseline + 8 + _LABEL_LINES * (FONT_SIZE + 2) + 8
    parts = _open(width, height, title, description)
    scale = _scale([c.value for c in columns], _PLOT_HEIGHT)
    parts.append(f'<line x1="8" y1="{baseline}" x2="{width - 8}" y2="{baseline}" stroke="{AXIS_STROKE}"/>')
    if not columns:
        parts.append(f'<text x="16" y="{baseline - 8}" fill="{TEXT_FILL}">No figures to show</text>')
    chars = int(step / CHAR_WIDTH)
    for index, column in enumerate(columns):
        left = 16 + index * step
        middle = _number(left + _COLUMN_WIDTH / 2)
        length = max(column.value, 0) * scale
        top = baseline - length
        parts += [
            "<g>",
            f"<title>{text(column.label)}: {column.value}</title>",
            f'<rect x="{left}" y="{_number(top)}" width="{_COLUMN_WIDTH}" height="{_number(length)}" '
            f'fill="{BAR_FILL}"/>',
            f'<text x="{middle}" y="{_number(top - 6)}" text-anchor="middle" fill="{TEXT_FILL}">{column.value}</text>',
        ]
        for line_number, line in enumerate(_lines(column.label, chars)):
            y = baseline + 4 + (line_number + 1) * (FONT_SIZE + 2)
            parts.append(f'<text x="{middle}" y="{y}" text-anchor="middle" fill="{TEXT_FILL}">{text(line)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
