"""Front matter to models: pydantic errors become diagnostics with a line and a did-you-mean."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.safe_yaml import Parsed, may_quote_key

M = TypeVar("M", bound=BaseModel)

_MAX_QUOTED = 60


def validate(model: type[M], parsed: Parsed, path: str) -> tuple[M | None, list[Diagnostic]]:
    """Validate front matter against `model`; on failure, one diagnostic per problem."""
    try:
        return model.model_validate(parsed.data), []
    except ValidationError as error:
        # include_input=False: pydantic would otherwise copy child data into every message.
        problems = error.errors(include_url=False, include_input=False, include_context=True)
        return None, [_diagnostic(model, parsed, path, problem) for problem in problems]


def _diagnostic(model: type[BaseModel], parsed: Parsed, path: str, problem: Any) -> Diagnostic:
    loc = tuple(part for part in problem["loc"] if part != "[key]")
    kind = problem["type"]
    where = _dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known fields here: {', '.join(sorted(known))}"
        if not may_quote_key(key):
            # Not shaped like a field name: it may be a child's name or date of birth typed where a field belongs.
            inside = f" in '{_dotted(loc[:-1])}'" if len(loc) > 1 else ""
            message = f"unknown field{inside}: the name is not a field name (not quoted, it may be personal data)"
            return d.make(d.UNKNOWN_FIELD, path, parsed.line_of(loc), message, hint)
        return d.make(d.UNKNOWN_FIELD, path, parsed.line_of(loc), f"unknown field '{where}'", hint)
    if kind == "missing":
        return d.make(
            d.MISSING_FIELD,
            path,
            parsed.line_of(loc[:-1]) if len(loc) > 1 else 1,
            f"required field '{where}' is missing",
            "add it (see `panel new` for a template)",
        )
    rule = d.rule_named(kind) if "-" in kind else None
    if rule is not None:
        # A model's own refusal (pydantic's types use `_`, rule names `-`): its message already quotes the value.
        hint = str(problem.get("ctx", {}).get("hint") or "see `panel schema` for the field's format")
        return d.make(rule, path, parsed.line_of(loc), f"'{where}': {problem['msg']}", hint)
    value = _value_at(parsed.data, loc)
    message = _message(problem)
    if kind == "value_error" and " repeats " in message:
        return _duplicate(parsed, path, loc, message)
    # A personal field's value (a child's name, a date of birth) never enters a diagnostic: CI logs keep it.
    quoted = f" (got {_quote(value)})" if _is_scalar(value) and not _is_personal(model, loc) else ""
    if kind == "value_error" and ("YYYY-MM-DD" in message or "calendar date" in message):
        return d.make(
            d.INVALID_DATE,
            path,
            parsed.line_of(loc),
            f"'{where}' {message}{quoted}",
            "write dates as YYYY-MM-DD, e.g. 2026-03-09",
        )
    label = f"'{where}'" if where else "the document"
    return d.make(d.INVALID_VALUE, path, parsed.line_of(loc), f"{label}: {message}{quoted}", _hint(kind, problem))


def _duplicate(parsed: Parsed, path: str, loc: tuple[Any, ...], message: str) -> Diagnostic:
    """Point a model's "<list> repeats <id>" at the second item carrying that id."""
    label, _, ids = message.partition(" repeats ")
    first = ids.split(", ")[0]
    items = _value_at(parsed.data, (*loc, label))
    line = parsed.line_of((*loc, label))
    if isinstance(items, list):
        seen = [i for i, item in enumerate(items) if isinstance(item, dict) and str(item.get("id")) == first]
        if len(seen) > 1:
            line = parsed.line_of((*loc, label, seen[1]))
    return d.make(
        d.DUPLICATE_ID, path, line, f"'{label}' has the id '{first}' more than once", "give each entry its own id"
    )


def _message(problem: Any) -> str:
    error = problem.get("ctx", {}).get("error")
    if problem["type"] == "value_error" and error is not None:
        return str(error)
    return str(problem["msg"])


def _hint(kind: str, problem: Any) -> str:
    if kind.startswith("bool"):
        return "write true or false (not yes/no)"
    if kind.startswith("int"):
        return "write a whole number without leading zeros or quotes"
    if kind == "string_pattern_mismatch":
        if str(problem.get("ctx", {}).get("pattern", "")).startswith("^(ssh-"):
            return "paste the public key as one line, `ssh-ed25519 AAAA...`, without the comment at its end"
        return "use lowercase ASCII letters, digits and single hyphens"
    if kind == "enum":
        expected = problem.get("ctx", {}).get("expected")
        return f"use one of: {expected}" if expected else "use one of the allowed values"
    if kind == "string_type":
        return "write text (quote it if YAML reads it as a number or true/false)"
    if kind in ("list_type", "dict_type", "model_type"):
        return "check the indentation and the '- ' list markers"
    return "see `panel schema` for the field's format"


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_dict or in_list:
            data = data[part]
        else:
            return None
    return data


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | bool) and value is not None


def _quote(value: Any) -> str:
    text = str(value)
    if len(text) > _MAX_QUOTED:
        text = text[: _MAX_QUOTED - 1] + "…"
    return f"'{text}'"


def _is_personal(model: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    """Whether `loc` ends at a field its model declares personal (see `Strict.personal_fields`), or at one
    holding models that have personal fields."""
    names = [part for part in loc if not isinstance(part, int)]
    if not names:
        return False
    owner = _model_at(model, tuple(names[:-1]))
    if owner is None:
        return False
    if str(names[-1]) in getattr(owner, "personal_fields", frozenset()):
        return True
    # A scalar where a structure with personal fields belongs (`children: <a name and a date of birth>`)
    # is as personal as the fields it stands in for.
    field = owner.model_fields.get(str(names[-1]))
    inner = _inner_model(field.annotation) if field is not None else None
    return bool(getattr(inner, "personal_fields", frozenset()))


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model found by following the field names in `loc` from `model`."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields of the model found by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The model inside `X`, `X | None`, `list[X]` or `dict[K, X]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_model(args[0])
    if origin in (list, typing.Union, types.UnionType) or origin is dict:
        for arg in reversed(args):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
