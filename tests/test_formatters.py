"""The output formats: exact text, the JSON contract, GitHub escaping and GitLab reports."""

from __future__ import annotations

import hashlib
import json

import pytest

from generator.commands.options import FORMATS
from generator.core import diagnostics as d
from generator.core.formatters import (
    FORMATTERS,
    format_github,
    format_gitlab,
    format_json,
    format_text,
    gitlab_fingerprint,
    render,
    summary_line,
)

REFERRAL = "cases/c123/referrals/2026-03-09-clam.md"

MISSING = d.make(
    d.MISSING_DOCUMENT,
    REFERRAL,
    4,
    "The referral lists no 'genogram'.",
    "Add it under `documents:` with its date.",
)
NO_FRONT_MATTER = d.make(
    d.MISSING_FRONT_MATTER,
    "cases/c123/case.md",
    0,
    "The file has no front matter.",
    "Start the file with a line `---`.",
)
PAST_REVIEW = d.make(
    d.TERMS_PAST_REVIEW,
    "panels/clam.md",
    7,
    "The review date '2025-01-31' has passed.",
    "Review the terms of reference.",
)
DIAGNOSTICS = [PAST_REVIEW, MISSING, NO_FRONT_MATTER]


def test_text_blocks_sorted_with_summary() -> None:
    """Text output is one block per diagnostic in (path, line, code) order, then a summary."""
    expected = (
        "cases/c123/case.md: P102 [error] The file has no front matter.\n"
        "  help: Start the file with a line `---`.\n"
        "\n"
        f"{REFERRAL}:4: P401 [error] The referral lists no 'genogram'.\n"
        "  help: Add it under `documents:` with its date.\n"
        "\n"
        "panels/clam.md:7: P503 [warning] The review date '2025-01-31' has passed.\n"
        "  help: Review the terms of reference.\n"
        "\n"
        "2 errors, 1 warning in 3 files.\n"
    )
    assert expected == format_text(DIAGNOSTICS)


def test_text_without_summary() -> None:
    """`summary=False` leaves the summary line out."""
    expected = (
        "panels/clam.md:7: P503 [warning] The review date '2025-01-31' has passed.\n"
        "  help: Review the terms of reference.\n"
    )
    assert expected == format_text([PAST_REVIEW], summary=False)


def test_text_clean() -> None:
    """No diagnostics renders as `No problems found.`, or nothing without the summary."""
    expected = ("No problems found.\n", "")
    assert expected == (format_text([]), format_text([], summary=False))


def test_text_escapes_control_characters() -> None:
    """A newline or terminal escape in a quoted value cannot break the one-line layout."""
    forged = d.make(d.INVALID_VALUE, "panels/x.md", 2, "Bad value 'a\nb\x1b[2J'.", "")
    expected = "panels/x.md:2: P203 [error] Bad value 'a\\nb\\x1b[2J'.\n"
    assert expected == format_text([forged], summary=False)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ([d.MISSING_DOCUMENT], "1 error in 1 file."),
        ([d.MISSING_DOCUMENT, d.STALE_DOCUMENT], "2 errors in 1 file."),
        ([d.TERMS_PAST_REVIEW], "1 warning in 1 file."),
        ([d.TERMS_PAST_REVIEW] * 2, "2 warnings in 1 file."),
        ([d.MISSING_DOCUMENT, d.TERMS_PAST_REVIEW], "1 error, 1 warning in 1 file."),
    ],
)
def test_summary_pluralisation(severities: list[d.Rule], expected: str) -> None:
    """The summary line says `1 error` but `2 errors`, and leaves out a zero count."""
    diagnostics = [d.make(rule, "a.md", n, "m", "h") for n, rule in enumerate(severities)]
    assert expected == summary_line(diagnostics)


def test_summary_counts_files() -> None:
    """The summary counts distinct paths, pluralised."""
    diagnostics = [d.make(d.MISSING_FIELD, path, 1, "m", "h") for path in ("a.md", "b.md", "a.md")]
    expected = "3 errors in 2 files."
    assert expected == summary_line(diagnostics)


def test_json_exact() -> None:
    """JSON output is an indented array of `as_dict()` objects, sorted, ending in a newline."""
    expected = """\
[
  {
    "code": "P102",
    "name": "missing-front-matter",
    "severity": "error",
    "path": "cases/c123/case.md",
    "line": 0,
    "message": "The file has no front matter.",
    "hint": "Start the file with a line `---`."
  }
]
"""
    assert expected == format_json([NO_FRONT_MATTER])


def test_json_keys_contract() -> None:
    """Each JSON object has exactly the public keys, and nothing beyond the diagnostic."""
    expected = [["code", "name", "severity", "path", "line", "message", "hint"]] * 3
    assert expected == [list(item) for item in json.loads(format_json(DIAGNOSTICS))]


def test_json_keeps_non_ascii() -> None:
    """Non-ASCII text is written as itself, not as `\\u` escapes."""
    named = d.make(d.INVALID_VALUE, "panels/x.md", 3, "Bad value 'Zoë'.", "")
    expected = '    "message": "Bad value \'Zoë\'.",'
    assert expected == format_json([named]).splitlines()[7]


def test_json_empty() -> None:
    """No diagnostics is an empty JSON array."""
    expected = "[]\n"
    assert expected == format_json([])


def test_github_exact() -> None:
    """GitHub output is one workflow command per diagnostic; warnings use `::warning`."""
    expected = (
        "::error file=cases/c123/case.md,title=P102 missing-front-matter::"
        "The file has no front matter.%0Ahelp: Start the file with a line `---`.\n"
        f"::error file={REFERRAL},line=4,title=P401 missing-document::"
        "The referral lists no 'genogram'.%0Ahelp: Add it under `documents:` with its date.\n"
        "::warning file=panels/clam.md,line=7,title=P503 terms-past-review::"
        "The review date '2025-01-31' has passed.%0Ahelp: Review the terms of reference.\n"
    )
    assert expected == format_github(DIAGNOSTICS)


def test_github_escaping() -> None:
    """`%`, CR and LF are escaped in data; properties also escape `:` and `,`."""
    odd = d.make(d.INVALID_VALUE, "a:b,c%.md", 2, "50% of 'x\r\ny'", "Use 1,2: ok")
    expected = "::error file=a%3Ab%2Cc%25.md,line=2,title=P203 invalid-value::50%25 of 'x%0D%0Ay'%0Ahelp: Use 1,2: ok\n"
    assert expected == format_github([odd])


def test_gitlab_report() -> None:
    """A GitLab Code Quality entry has the expected keys and values, with line 0 as 1."""
    fingerprint = hashlib.sha256(b"cases/c123/case.md\x000\x00P102\x00The file has no front matter.").hexdigest()
    expected = [
        {
            "description": "P102 missing-front-matter: The file has no front matter.",
            "check_name": "missing-front-matter",
            "fingerprint": fingerprint,
            "severity": "major",
            "location": {"path": "cases/c123/case.md", "lines": {"begin": 1}},
        }
    ]
    assert expected == json.loads(format_gitlab([NO_FRONT_MATTER]))


def test_gitlab_severities_and_order() -> None:
    """Errors are `major`, warnings `minor`, in (path, line, code) order."""
    expected = [("cases/c123/case.md", "major"), (REFERRAL, "major"), ("panels/clam.md", "minor")]
    report = json.loads(format_gitlab(DIAGNOSTICS))
    assert expected == [(item["location"]["path"], item["severity"]) for item in report]


def test_gitlab_fingerprint_stable_and_distinct() -> None:
    """The fingerprint depends on path, line, code and message only, and differs between them."""
    same = d.make(d.MISSING_DOCUMENT, REFERRAL, 4, MISSING.message, "A different hint.")
    moved = d.make(d.MISSING_DOCUMENT, REFERRAL, 5, MISSING.message, MISSING.hint)
    expected = (True, False, 64)
    actual = (
        gitlab_fingerprint(MISSING) == gitlab_fingerprint(same),
        gitlab_fingerprint(MISSING) == gitlab_fingerprint(moved),
        len(gitlab_fingerprint(MISSING)),
    )
    assert expected == actual


def test_output_independent_of_input_order() -> None:
    """Every format gives the same output whatever order the diagnostics arrive in."""
    expected = {fmt: render(DIAGNOSTICS, fmt) for fmt in FORMATS}
    assert expected == {fmt: render(list(reversed(DIAGNOSTICS)), fmt) for fmt in FORMATS}


def test_formats_match_cli_choices() -> None:
    """The formatters are exactly the formats the CLI offers."""
    assert list(FORMATS) == list(FORMATTERS)


def test_render_dispatches() -> None:
    """`render` gives the same output as the named formatter."""
    assert format_github(DIAGNOSTICS) == render(DIAGNOSTICS, "github")


def test_render_unknown_format() -> None:
    """An unknown format name is a ValueError."""
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(DIAGNOSTICS, "xml")
