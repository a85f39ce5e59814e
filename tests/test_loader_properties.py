"""A bounded Hypothesis pass over the loader: random front matter, text and bytes for every kind of document.

Properties, for each kind (`generator.loading.repository.load_document`, which reads with
`safe_yaml` and validates with `validate`):

- nothing is raised: every problem is a `Diagnostic`, and a document either loads or has diagnostics;
- every diagnostic names the file and a line within it (0: the whole file);
- loading is deterministic: the same bytes give the same document and the same diagnostics;
- a valid document round-trips: its free-text fields and its body come back exactly as written.

The pass is bounded and deterministic (`LOADER_PROFILE`: fixed examples and deadline,
`derandomize=True`), so CI time stays well under a minute; set PANEL_LOADER_EXAMPLES to run more
examples locally.
"""

from __future__ import annotations

import copy
import os
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.characters import HIDDEN
from generator.core.diagnostics import Diagnostic, Severity
from generator.core.layout import Kind, Location, classify
from generator.loading.repository import load_document
from generator.loading.safe_yaml import read_markdown, read_yaml

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"

LOADER_PROFILE = settings(
    max_examples=int(os.environ.get("PANEL_LOADER_EXAMPLES", "60")),
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Bounded and deterministic: the same examples on every machine, each given at most two seconds."""
settings.register_profile("loader", LOADER_PROFILE)

SEEDS: dict[Kind, tuple[str, Path]] = {
    Kind.CASE: ("cases/900001/case.md", HOSTILE / "cases/900001/case.md"),
    Kind.REFERRAL: ("cases/900001/referrals/2026-10-20-cmr.md", HOSTILE / "cases/900001/referrals/2026-10-20-cmr.md"),
    Kind.MEETING: ("decisions/cmr/2026-10-20/meeting.md", HOSTILE / "decisions/cmr/2026-10-20/meeting.md"),
    Kind.DECISION: ("decisions/cmr/2026-10-20/900001.md", HOSTILE / "decisions/cmr/2026-10-20/900001.md"),
    Kind.RECORD: (
        "decisions/cmr/2026-10-20/records/900002-note.md",
        HOSTILE / "decisions/cmr/2026-10-20/records/900002-note.md",
    ),
    Kind.PANEL: ("panels/cmr.md", PROJECT / "panels/cmr.md"),
    Kind.ROSTER: ("panels/roster.yml", PROJECT / "panels/roster.yml"),
    Kind.AUTHORITY: ("panels/authority.yml", PROJECT / "panels/authority.yml"),
}
"""A valid document of each kind: the starting point of the round trip, and its field names seed the fuzzing."""

TEXT_FIELDS: dict[Kind, tuple[tuple[str | int, ...], ...]] = {
    Kind.CASE: (("children", 0, "name"), ("children", 0, "ethnicity"), ("events", 0, "note")),
    Kind.REFERRAL: (("sought",), ("scaling", 0, "reasons")),
    Kind.MEETING: (),
    Kind.DECISION: (("rationale",), ("agreed", 0), ("actions", 0, "what")),
    Kind.RECORD: (("note",),),
    Kind.PANEL: (("name",), ("purpose",), ("chair", "description")),
    Kind.ROSTER: (("people", 0, "name"),),
    Kind.AUTHORITY: (("name",), ("teams", 0, "name")),
}
"""Free-text fields of each seed, which take any text."""

KINDS = list(SEEDS)
MARKDOWN_KINDS = [kind for kind in KINDS if kind not in (Kind.ROSTER, Kind.AUTHORITY)]


def seed(kind: Kind) -> tuple[Location, dict[str, Any], str]:
    """The seed document of `kind`: where it lives, its fields (a copy to change) and its body."""
    location, data, body = _seed(kind)
    return location, copy.deepcopy(data), body


@cache
def _seed(kind: Kind) -> tuple[Location, dict[str, Any], str]:
    path, file = SEEDS[kind]
    location = classify(path)
    assert location is not None
    reader = read_markdown if kind in MARKDOWN_KINDS else read_yaml
    parsed, problems = reader(path, file.read_bytes())
    assert parsed is not None and problems == []
    return location, parsed.data, parsed.body


def document(kind: Kind, front: str, body: str = "") -> bytes:
    """The bytes of a document of `kind` with `front` as its front matter (or whole content, for settings)."""
    if kind in MARKDOWN_KINDS:
        return f"---\n{front}---\n{body}".encode()
    return front.encode()


def dump(data: Any) -> str:
    """`data` as YAML the way an editor might write it (block style, Unicode kept)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000)


def check_diagnostics(location: Location, raw: bytes, found: list[Diagnostic]) -> None:
    """Each diagnostic is the project's type, names this file and a line within it."""
    lines = raw.count(b"\n") + 1
    bad = [x for x in found if not (isinstance(x, Diagnostic) and x.path == location.path and 0 <= x.line <= lines)]
    assert [] == bad


def load_twice(location: Location, raw: bytes) -> tuple[Any, list[Diagnostic]]:
    """Load `raw` twice; the properties every load must have; the first result."""
    doc, found = load_document(location, raw)
    again, found_again = load_document(location, raw)
    check_diagnostics(location, raw, found)
    # A warning (a hidden character shown as a mark in the narrative) leaves the document loaded.
    assert (doc is None) == any(x.severity is Severity.ERROR for x in found)
    assert (found, None if doc is None else doc.model) == (found_again, None if again is None else again.model)
    return doc, found


# --- random input ---------------------------------------------------------------------------------

_ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
"""Any text, control characters, NUL, CR and line separators included."""
_SCALARS = st.one_of(
    _ANY_TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.none(),
    st.dates().map(str),
    st.sampled_from(["no", "yes", "0700", "2026-02-30", "9999-12-31", "0001-01-01", "*x", "&a", "!!str", "~", "- x"]),
)


def _values(field_names: list[str]) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.sampled_from(field_names), _ANY_TEXT)
    return st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=25,
    )


@st.composite
def structured(draw: st.DrawFn, kind: Kind) -> bytes:
    """A document whose front matter is the seed's with random fields replaced, removed or added."""
    _, data, body = seed(kind)
    names = sorted(data)
    values = _values(names)
    changed = dict(data)
    for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        if draw(st.booleans()):
            changed[name] = draw(values)
        else:
            changed.pop(name)
    changed |= draw(st.dictionaries(st.one_of(st.sampled_from(names), _ANY_TEXT), values, max_size=3))
    return document(kind, dump(changed), draw(st.one_of(st.just(body), _ANY_TEXT)))


@st.composite
def raw_text(draw: st.DrawFn, kind: Kind) -> bytes:
    """Front matter that is random text (YAML punctuation, control characters, tabs...) and a random body."""
    _, data, _ = seed(kind)
    pieces = st.one_of(
        _ANY_TEXT,
        st.sampled_from(
            [*sorted(data), ": ", "- ", "\n", "\t", "  ", "---", "&a ", "*a", "!!", "{", "[", "#", "'", '"']
        ),
    )
    front = "".join(draw(st.lists(pieces, max_size=30)))
    return document(kind, front + "\n", draw(_ANY_TEXT))


@pytest.mark.parametrize("kind", KINDS, ids=str)
@LOADER_PROFILE
@given(data=st.data())
def test_random_front_matter_never_raises(kind: Kind, data: st.DataObject) -> None:
    """Random fields of the right and wrong types, random keys, random bodies: a document or diagnostics."""
    location, _, _ = seed(kind)
    load_twice(location, data.draw(structured(kind)))


@pytest.mark.parametrize("kind", KINDS, ids=str)
@LOADER_PROFILE
@given(data=st.data())
def test_random_text_never_raises(kind: Kind, data: st.DataObject) -> None:
    """Front matter that is any text at all: a document or diagnostics, each at a line of the file."""
    location, _, _ = seed(kind)
    load_twice(location, data.draw(raw_text(kind)))


@pytest.mark.parametrize("kind", KINDS, ids=str)
@LOADER_PROFILE
@given(prefix=st.sampled_from([b"", b"---\n"]), raw=st.binary(max_size=400))
def test_random_bytes_never_raise(kind: Kind, prefix: bytes, raw: bytes) -> None:
    """Any bytes at all, with or without an opening `---`: a document or diagnostics."""
    location, _, _ = seed(kind)
    load_twice(location, prefix + raw)


# --- valid documents round-trip -------------------------------------------------------------------


def _shown(char: str) -> bool:
    """Not a hidden character: those are refused in front matter (P117, P118) and marked in a narrative (P119)."""
    return HIDDEN.match(char) is None


_FREE_TEXT = st.text(
    # Format characters (bidi controls, zero-width) are left out: they are refused in front matter elsewhere. So are
    # the Unicode line breaks, refused as written (P101): PyYAML's emitter writes them raw, not escaped.
    alphabet=st.characters(
        codec="utf-8", exclude_categories=["Cs", "Cf"], exclude_characters="\x85\u2028\u2029"
    ).filter(_shown),
    min_size=1,
    max_size=60,
)
_BODY = st.text(
    # A body is the file's own text: NUL and CR are refused there (P108, P110), so they are left out.
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cf"], exclude_characters="\x00\r").filter(_shown),
    max_size=200,
)


def _set(data: Any, path: tuple[str | int, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = (
            data[part] if isinstance(part, int) else getattr(data, part) if not isinstance(data, dict) else data[part]
        )
    return data


@pytest.mark.parametrize("kind", KINDS, ids=str)
@LOADER_PROFILE
@given(data=st.data())
def test_a_valid_document_round_trips_its_fields(kind: Kind, data: st.DataObject) -> None:
    """Any text in a free-text field, any body: the document loads with exactly that text and that body."""
    location, changed, _ = seed(kind)
    texts = {path: data.draw(_FREE_TEXT) for path in TEXT_FIELDS[kind]}
    for path, text in texts.items():
        _set(changed, path, text)
    body = data.draw(_BODY) if kind in MARKDOWN_KINDS else ""
    raw = document(kind, dump(changed), body)
    doc, found = load_twice(location, raw)
    assert [] == found
    read_back = {path: _get(doc.model, path) for path in texts}
    assert (texts, body if kind in MARKDOWN_KINDS else "") == (read_back, doc.parsed.body)
