"""Regular expressions a council writes in its settings: checked when loaded, matched in linear time.

A pattern such as `(([0-9])+)+` takes Python's backtracking `re` exponential time on an id that
almost matches: one case file would hang the checker. Settings patterns are therefore matched by
the Rust `regex` crate that pydantic-core already ships (a finite-automaton engine: time linear in
the length of the id, whatever the pattern). A pattern must also compile under Python's `re`, so
that what the council wrote means the same in both; constructs only a backtracking engine can run
(backreferences, lookaround, atomic groups) are refused with the engine's reason.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from pydantic_core import SchemaError, SchemaValidator, core_schema


class Refusal(StrEnum):
    """Why a pattern cannot be used."""

    INVALID = "invalid"
    """It is not a regular expression at all (Python's `re` cannot compile it)."""
    UNSUPPORTED = "unsupported"
    """It is one, but it needs backtracking (or is too large) to match: the linear-time engine refuses it."""


class PatternError(ValueError):
    """A settings pattern that cannot be used, with the reason in words."""

    def __init__(self, refusal: Refusal, reason: str) -> None:
        """A refusal and its reason (one line, from the engine that refused)."""
        super().__init__(reason)
        self.refusal = refusal
        self.reason = reason


@dataclass(frozen=True)
class Pattern:
    """A compiled settings pattern: `matches` is a full match, in time linear in the value's length."""

    text: str
    """The pattern as written."""
    _validator: SchemaValidator = field(repr=False, compare=False)

    def matches(self, value: str) -> bool:
        """Whether the whole of `value` matches: a trailing newline is not forgiven (as `re.match('^...$')`
        forgives it), and a value that is not plain ASCII never matches (so `\\d` means 0 to 9 only)."""
        return value.isascii() and self._validator.isinstance_python(value)


def compile_pattern(text: str) -> Pattern:
    """The pattern `text`, ready to match; PatternError (with the reason) when it cannot be used."""
    return _compile(text)


@lru_cache(maxsize=64)
def _compile(text: str) -> Pattern:
    try:
        with warnings.catch_warnings():
            # Python warns where it reads a pattern differently from other engines (`[[:digit:]]`): refuse those too.
            warnings.simplefilter("error")
            re.compile(text)
    except re.error as error:
        where = f" at position {error.pos + 1}" if error.pos is not None else ""
        raise PatternError(Refusal.INVALID, f"{error.msg}{where}") from None
    except (Warning, OverflowError, RecursionError, ValueError) as error:
        raise PatternError(Refusal.INVALID, str(error)) from None
    # `\A` and `\z` anchor the whole text in the Rust engine: no forgiven trailing newline.
    anchored = rf"\A(?:{text})\z"
    try:
        validator = SchemaValidator(core_schema.str_schema(pattern=anchored, regex_engine="rust-regex"))
    except SchemaError as error:
        raise PatternError(Refusal.UNSUPPORTED, _reason(str(error))) from None
    return Pattern(text, validator)


def _reason(message: str) -> str:
    """The engine's own words for why it refused, without its diagram of the pattern."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    said = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if said:
        return said[-1]
    return lines[-1].removeprefix("SchemaError: ") if lines else "the pattern cannot be matched in linear time"
