"""Shared building blocks for the document models: strict base class, ids, dates, times."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
DAY_FIRST_DATE = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}", re.ASCII)
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
"""A case id as it may name a folder and a page: the layout's form (`generator.core.layout`)."""
SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(?:/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}){0,7}", re.ASCII)
"""A document's path from the repository's root: plain parts (never `..`, never absolute), joined by `/`."""
_SHOWN = 60
EARLIEST_DATE = date(1900, 1, 1)
"""The earliest date a document may give (no child's date of birth or panel is older)."""
LATEST_DATE = date(2199, 12, 31)
"""The latest date a document may give: far enough for any review or retention date, far from the calendar's end."""


class Strict(BaseModel):
    """Base for every document model: unknown fields refused, values immutable once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=True,
    )

    personal_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields holding personal data: a diagnostic names them but never quotes their value."""


def parse_iso_date(value: Any) -> date:
    """Accept only a real `YYYY-MM-DD` date given as text (or a date already parsed), from 1900 to 2199."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("is not a date in YYYY-MM-DD form")
    text = value.strip()
    if DAY_FIRST_DATE.fullmatch(text):
        raise ValueError("is not a date in YYYY-MM-DD form (it is written day first)")
    if not ISO_DATE.fullmatch(text):
        raise ValueError("is not a date in YYYY-MM-DD form")
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        # Deadlines and clocks add days and years to dates: at the ends of the calendar that overflows.
        raise ValueError(f"is not a calendar date in the years {EARLIEST_DATE.year} to {LATEST_DATE.year}")
    return parsed


IsoDate = Annotated[
    date,
    BeforeValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]
"""A calendar date written `YYYY-MM-DD`."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
"""An id: ASCII lowercase letters and digits, joined by single hyphens."""

TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
"""A time of day written `HH:MM` (24-hour clock)."""


def _id_as_text(value: Any) -> Any:
    """Case ids are text; an unquoted number in YAML arrives as an int and is taken as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def shown(value: str) -> str:
    """A value as a message quotes it: control characters and anything not plain ASCII escaped, long ones cut."""
    text = value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"
    return "".join(c if (c.isascii() and c.isprintable()) or c == "…" else ascii(c)[1:-1] for c in text)


def _safe_id(value: str) -> str:
    """Refuse a case id that could not name a folder or a page (`..`, `/`, a newline, look-alike letters)."""
    if not SAFE_ID.fullmatch(value):
        raise PydanticCustomError(
            "invalid-id",
            "'{value}' cannot be a case id, which is ASCII letters, digits, '-' and '_', at most 64 characters",
            {"value": shown(value), "hint": "use the case id from the case-management system, as its folder is named"},
        )
    return value


def _safe_path(value: str) -> str:
    """Refuse a document path that could lead outside the repository."""
    if not SAFE_PATH.fullmatch(value) or any(part in (".", "..") for part in value.split("/")):
        raise PydanticCustomError(
            "unsafe-path",
            "'{value}' is not a path inside the repository",
            {
                "value": shown(value),
                "hint": "give the path from the repository's root, e.g. decisions/cmr/2026-10-20/205104.md",
            },
        )
    return value


CaseId = Annotated[
    str,
    BeforeValidator(_id_as_text),
    AfterValidator(_safe_id),
    WithJsonSchema({"type": "string", "pattern": rf"^{SAFE_ID.pattern}$"}),
]
"""A case id from the case-management system (its pattern is the authority's `case_id_pattern`); it names folders
and pages, so only ASCII letters, digits, `-` and `_` are allowed."""

DocumentPath = Annotated[
    str,
    AfterValidator(_safe_path),
    WithJsonSchema({"type": "string", "pattern": rf"^{SAFE_PATH.pattern}$"}),
]
"""A document's path from the repository's root, `decisions/<panel>/<date>/<case>.md`: never absolute, never `..`."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
"""Free text: not empty."""


def minutes_of(time_of_day: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    hours, minutes = time_of_day.split(":")
    return int(hours) * 60 + int(minutes)


def time_of(minutes: int) -> str:
    """The `HH:MM` time `minutes` after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
