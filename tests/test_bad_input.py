"""Bad input gets a diagnostic with its line, never a traceback, and nothing is modified."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.layout import Kind, Location
from generator.loading.repository import load_document
from generator.loading.safe_yaml import MAX_BYTES, read_markdown, read_yaml

REFERRAL = Location("cases/100001/referrals/2026-12-01-cmr.md", Kind.REFERRAL, "cmr", "100001")

BAD_MARKDOWN = [
    ("malformed", b"---\nsought: a: b\n---\n", "invalid-front-matter", 2),
    ("no front matter", b"# Referral\n\nText.\n", "missing-front-matter", 1),
    ("never closed", b"---\npanel: cmr\n", "invalid-front-matter", 1),
    ("empty", b"---\n---\nbody\n", "missing-front-matter", 1),
    ("list", b"---\n- panel\n- cmr\n---\n", "front-matter-not-mapping", 2),
    ("scalar", b"---\njust text\n---\n", "front-matter-not-mapping", 2),
    ("duplicate key", b"---\npanel: cmr\ncase: '1'\npanel: cdm\n---\n", "duplicate-key", 4),
    ("anchor", b"---\na: &x 1\nb: 2\n---\n", "yaml-alias", 2),
    ("alias bomb", b"---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", "yaml-alias", 2),
    ("tag", b"---\npanel: !!python/name:os.system\n---\n", "yaml-tag", 2),
    ("local tag", b"---\npanel: !secret x\n---\n", "yaml-tag", 2),
    ("integer key", b"---\npanel: cmr\n1: one\n---\n", "non-string-key", 3),
    ("boolean key", b"---\nno: 1\n---\n", "non-string-key", 2),
    ("non-utf8", b"---\npanel: cmr\nsought: caf\xe9\n---\n", "invalid-encoding", 3),
    ("bom", b"\xef\xbb\xbf---\npanel: cmr\n---\n", "byte-order-mark", 1),
    ("crlf", b"---\r\npanel: cmr\r\n---\r\n", "crlf-line-endings", 1),
    ("tab", b"---\nchildren:\n\t- c1\n---\n", "tab-indentation", 3),
    ("deep brackets", b"---\na: " + b"[" * 200_00 + b"]" * 200_00 + b"\n---\n", "too-deep", 2),
    ("deep indentation", b"---\n" + b"".join(b" " * (2 * i) + b"k:\n" for i in range(40)) + b"---\n", "too-deep", 17),
    ("oversized", b"---\na: 1\n---\n" + b"x" * (MAX_BYTES + 1), "file-too-large", 0),
    ("comment cuts value", b"---\nsought: it's #1 priority\n---\n", "inline-comment", 2),
    ("nul byte", b"---\na: 1\n---\nx\x00y\n", "invalid-encoding", 4),
]


@pytest.mark.parametrize(("label", "raw", "name", "line"), BAD_MARKDOWN, ids=[case[0] for case in BAD_MARKDOWN])
def test_bad_markdown_is_refused_with_its_line(label: str, raw: bytes, name: str, line: int) -> None:
    """Each fail-open YAML trap is refused with the right diagnostic and line."""
    parsed, found = read_markdown("doc.md", raw)
    assert parsed is None
    assert [(name, line)] == [(x.name, x.line) for x in found]


def test_yaml_settings_file_refuses_duplicates() -> None:
    """Settings files are read by the same strict reader."""
    parsed, found = read_yaml("panels/roster.yml", b"people: []\npeople: []\n")
    assert parsed is None
    assert [("duplicate-key", 2)] == [(x.name, x.line) for x in found]


def test_scalars_keep_their_text() -> None:
    """`no`, `0700`, dates and `yes` stay text; only true/false/null/plain integers are typed."""
    parsed, found = read_markdown(
        "doc.md", b"---\na: no\nb: 0700\nc: 2026-02-30\nd: true\ne: 12\nf: ~\ng: '12'\n---\nBody\n"
    )
    assert [] == found
    assert parsed is not None
    expected = {"a": "no", "b": "0700", "c": "2026-02-30", "d": True, "e": 12, "f": None, "g": "12"}
    assert expected == parsed.data
    assert 10 == parsed.body_line


def test_key_lines_are_recorded() -> None:
    """Every key and list item has its 1-based file line."""
    parsed, _ = read_markdown("doc.md", b"---\na: 1\nlist:\n  - x: 1\n    y: 2\n---\n")
    assert parsed is not None
    assert {("a",): 2, ("list",): 3, ("list", 0): 4, ("list", 0, "x"): 4, ("list", 0, "y"): 5} == parsed.lines


REFERRAL_FIELDS = (
    b"panel: cmr\nmeeting: 2026-12-01\ncase: 100001\nrequest: plan-review\nchildren: [c1]\n"
    b"sought: advice on the plan\npresenter: sw-one\n"
)


@pytest.mark.parametrize(
    ("label", "extra", "name", "line"),
    [
        ("misspelt field", b"genogramm: yes\n", "unknown-field", 9),
        ("impossible date", b"", "invalid-date", 3),
        ("day-first date", b"", "invalid-date", 3),
        ("yes for a boolean", b"emergency: yes\n", "invalid-value", 9),
        ("text for a number", b"scaling:\n  - by: sw-one\n    score: '7'\n    reasons: steady\n", "invalid-value", 11),
    ],
)
def test_validation_problems_carry_their_line(label: str, extra: bytes, name: str, line: int) -> None:
    """Pydantic errors become diagnostics pointing at the offending line."""
    fields = REFERRAL_FIELDS
    if label == "impossible date":
        fields = fields.replace(b"2026-12-01", b"2026-02-30")
    if label == "day-first date":
        fields = fields.replace(b"2026-12-01", b"01/12/2026")
    doc, found = load_document(REFERRAL, b"---\n" + fields + extra + b"---\n")
    assert doc is None
    assert [(name, line)] == [(x.name, x.line) for x in found]


def test_unknown_field_suggests_the_closest() -> None:
    """A misspelt field gets a did-you-mean hint."""
    _, found = load_document(REFERRAL, b"---\n" + REFERRAL_FIELDS + b"presentor: sw-one\n---\n")
    assert ["did you mean 'presenter'?"] == [x.hint for x in found]


def test_missing_field_is_named() -> None:
    """A required field that is absent is named in the message."""
    _, found = load_document(REFERRAL, b"---\n" + REFERRAL_FIELDS.replace(b"presenter: sw-one\n", b"") + b"---\n")
    assert ["required field 'presenter' is missing"] == [x.message for x in found]


def test_messages_do_not_echo_other_content() -> None:
    """A diagnostic quotes at most the offending value, never the rest of the document."""
    secret = b"sought: The child disclosed something private\n"
    raw = b"---\n" + REFERRAL_FIELDS.replace(b"sought: advice on the plan\n", secret) + b"emergency: maybe\n---\n"
    _, found = load_document(REFERRAL, raw)
    assert 1 == len(found)
    assert "disclosed" not in found[0].message + found[0].hint


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_never_crash(raw: bytes) -> None:
    """Any bytes at all give a document or diagnostics, never an exception."""
    doc, found = load_document(REFERRAL, b"---\n" + raw)
    assert (doc is None) == bool(found)


_yaml_scalars = st.one_of(
    st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.sampled_from(["no", "0700", "2026-02-30", "*x"])
)
_yaml_values = st.recursive(
    _yaml_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["panel", "case", "children", "documents", "x", "1", "no"]), _yaml_values))
def test_random_front_matter_never_crashes(fields: dict[str, object]) -> None:
    """Structured random front matter is validated or refused, never a traceback."""
    import yaml

    text = yaml.safe_dump(fields, allow_unicode=True)
    doc, found = load_document(REFERRAL, f"---\n{text}---\n".encode())
    assert (doc is None) == bool(found)
