"""Bidirectional controls and invisible characters: refused in front matter (P117, P118), shown in narrative (P119).

A right-to-left override makes a date or a name read differently on screen from the data; a zero-width
character makes two equal-looking values differ. Every kind of document is tried, with every class of
character, and the site built from a repository holding them carries none onto any page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_site import AS_OF, CASE, DECISION, MEETING, PANEL, REFERRAL, ROSTER, WORLD, write_world

from generator.cli import cli
from generator.core.characters import HIDDEN, Hidden, find_hidden, kind_of, label, visible
from generator.core.layout import classify
from generator.loading.repository import load_document, load_repository
from generator.site.build import build_site
from generator.site.sanitise import body_html, escape_html, escape_markdown

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
BIDI += ["\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff", "\x01", "\x08"]
INVISIBLE += ["\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\u180e", "\u00ad", "\U000e0001"]
INVISIBLE += ["\U000e0041", "\U000e007f", "\ufff9", "\ufffa", "\ufffb"]
AUTHORITY = WORLD["panels/authority.yml"]
RECORD = """\
---
kind: note
refers_to: decisions/tp/2026-02-23/123456.md
date: 2026-02-27
by: p-worker
---
"""


def _insert_after(text: str, anchor: str, char: str) -> tuple[str, int]:
    """`text` with `char` put just after the first `anchor`; the 1-based line it is on."""
    at = text.index(anchor) + len(anchor)
    return text[:at] + char + text[at:], text.count("\n", 0, at) + 1


# One place in a value of each kind of document (the path, its text, where the character goes).
PLACES = [
    ("cases/123456/case.md", CASE, 'name: "Ada'),
    ("cases/123456/referrals/2026-03-09-tp.md", REFERRAL, 'sought: "A decision'),
    ("decisions/tp/2026-02-23/meeting.md", MEETING, "panel: tp"),
    ("decisions/tp/2026-02-23/123456.md", DECISION, "panel: tp"),
    ("decisions/tp/2026-02-23/records/done.md", RECORD, "by: p-worker"),
    ("panels/tp.md", PANEL, "id: tp"),
    ("panels/roster.yml", ROSTER, "name: Chris"),
    ("panels/authority.yml", AUTHORITY, 'name: "Testshire'),
]


def _load(path: str, text: str) -> tuple[object, list[tuple[str, int, str, str]]]:
    location = classify(path)
    assert location is not None
    doc, problems = load_document(location, text.encode("utf-8"))
    return doc, [(p.code, p.line, p.severity, p.message) for p in problems]


@pytest.mark.parametrize(("path", "text", "anchor"), PLACES, ids=[p[0] for p in PLACES])
@pytest.mark.parametrize("char", BIDI + INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_front_matter_refuses_hidden_characters(path: str, text: str, anchor: str, char: str) -> None:
    """Every document kind, every hidden character: refused, with the file's line and the code point only."""
    changed, line = _insert_after(text, anchor, char)
    doc, problems = _load(path, changed)
    code = "P117" if char in BIDI else "P118"
    assert doc is None
    assert [(code, line)] == [(c, n) for c, n, _, _ in problems]
    message = problems[0][3]
    assert f"U+{ord(char):04X}" in message
    # Never the value around it: the child's or the panel's name is not quoted.
    assert not any(word in message for word in ("Ada", "decision", "Chris", "Testshire")), message


@pytest.mark.parametrize("escape", ["\\u202e", "\\u200b", "\\x85", "\\U000E0041", "\\u061C"])
def test_an_escape_in_a_quoted_value_is_the_character(escape: str) -> None:
    """`"\\u202e"` in a double-quoted value makes the character without writing it: refused the same."""
    changed = CASE.replace('name: "Ada', f'name: "{escape}Ada')
    doc, problems = _load("cases/123456/case.md", changed)
    char = escape.encode().decode("unicode_escape")
    assert (None, [("P117" if char in BIDI else "P118", 5)]) == (doc, [(c, n) for c, n, _, _ in problems])


def test_every_line_with_one_is_reported_and_bidi_named_first() -> None:
    """Two lines, each reported once; a line with a bidi control and a zero-width space is P117."""
    changed, first = _insert_after(CASE, 'name: "Ada', "\u200b\u202e")
    changed, second = _insert_after(changed, "name: Baby", "\u00ad")
    problems = _load("cases/123456/case.md", changed)[1]
    assert [("P117", first), ("P118", second)] == [(c, n) for c, n, _, _ in problems]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in problems[0][3]


def test_a_comment_in_front_matter_is_checked_too() -> None:
    """A YAML comment is read by every reviewer: a bidi control there is refused as well (Trojan Source)."""
    changed = CASE.replace("worker: p-worker\n", "worker: p-worker\n# note \u2067\n")
    assert ["P117"] == [c for c, _, _, _ in _load("cases/123456/case.md", changed)[1]]


def test_a_byte_order_mark_at_the_start_keeps_its_own_diagnostic() -> None:
    """U+FEFF as the file's first character is the byte-order mark (P105); anywhere else it is P118."""
    codes = [c for c, _, _, _ in _load("cases/123456/case.md", "\ufeff" + CASE)[1]]
    assert "P118" not in codes and codes


def test_narrative_is_loaded_with_a_warning_per_line() -> None:
    """In the narrative: the document loads, and P119 (a warning) names each line and code point."""
    text = CASE + "\nFirst line.\nA \u202ereversed\u2066 note.\nAnd \u200b here.\n"
    doc, problems = _load("cases/123456/case.md", text)
    body_start = CASE.count("\n") + 1
    assert doc is not None
    assert [("P119", body_start + 2, "warning"), ("P119", body_start + 3, "warning")] == [
        (c, n, s) for c, n, s, _ in problems
    ]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE" in problems[0][3]
    assert "reversed" not in problems[0][3]


@pytest.mark.parametrize("char", BIDI + INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_narrative_shows_each_as_a_visible_mark(char: str) -> None:
    """Not obeyed and not silently dropped: the narrative shows `[U+202E]` where the character was."""
    mark = f"[U+{ord(char):04X}]"
    for body in (f"Before{char}after.", f"Some `co{char}de` here.", f"[link{char}](page.md) and *em{char}*"):
        html = body_html(body)
        assert mark in html, (body, html)
        assert HIDDEN.search(html) is None


def test_a_mark_cannot_become_a_link_or_a_reference() -> None:
    """The mark's brackets are escaped for Markdown: `\u202e(x)` and `\u202e: x` stay text."""
    assert "<p>[U+202E](other.md)</p>" == body_html("\u202e(other.md)")
    assert "<p>[U+202E]: other.md</p>" == body_html("\u202e: other.md")


@pytest.mark.parametrize("escape", [escape_markdown, escape_html])
def test_values_show_hidden_characters_as_marks(escape: object) -> None:
    """Commit messages, names from git and anything else escaped for a page: the same marks."""
    assert callable(escape)
    shown = str(escape("Ann\u202eEve\x85x\u00ad"))
    assert HIDDEN.search(shown) is None
    assert ["U+202E", "U+0085", "U+00AD"] == re.findall(r"U\+[0-9A-F]{4}", shown)


def test_classes_and_labels() -> None:
    """Tab, line feed and carriage return are whitespace, not hidden; the rest are classified and named."""
    assert [] == list(find_hidden("a\tb\nc\r"))
    assert all(kind_of(c) is Hidden.BIDI for c in BIDI)
    assert all(kind_of(c) is Hidden.INVISIBLE for c in INVISIBLE)
    assert [(1, "\u200b")] == [(f.line, f.char) for f in find_hidden("one\ntwo\u200b")]
    assert "U+0085 NEXT LINE" == label("\x85")
    assert "U+0001 CONTROL CHARACTER" == label("\x01")
    assert "a[U+202E]b" == visible("a\u202eb")


def test_a_refused_document_brings_no_hidden_character_onto_any_page(tmp_path: Path) -> None:
    """The build builds what it can: documents refused for P117 and P118 show as problems, and no page,
    printout, search index or download carries a bidi control or an invisible character."""
    world = dict(WORLD)
    world["cases/123456/case.md"] = CASE.replace('name: "Ada', 'name: "Ada\u202e')
    world["decisions/tp/2026-02-23/123456.md"] = DECISION.replace("panel: tp", "panel: tp\u200b", 1)
    world["cases/123456/referrals/2026-03-09-tp.md"] = REFERRAL + "\nNarrative \u202ewith\u2066 controls.\n"
    root = write_world(tmp_path / "repo", world)
    _, problems = load_repository(root)
    codes = sorted(p.code for p in problems if p.code in ("P117", "P118", "P119"))
    assert ["P117", "P118", "P119"] == codes
    result = build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    carrying = []
    for file in sorted(result.out_dir.rglob("*")):
        theirs = file.is_relative_to(result.out_dir / "assets" / "javascripts")  # Material's own scripts
        if file.is_file() and not theirs and file.suffix in (".html", ".json", ".js", ".csv", ".ics", ".xml", ".svg"):
            text = file.read_text(encoding="utf-8", errors="replace")
            # The search index escapes non-ASCII as \\uXXXX: look for those spellings too.
            if HIDDEN.search(text) or re.search(r"\\u(202[a-e]|206[6-9]|200[b-f]|061c)", text, re.IGNORECASE):
                carrying.append(file.relative_to(result.out_dir).as_posix())
    assert [] == carrying
    case_page = (result.out_dir / "cases" / "123456.html").read_text(encoding="utf-8")
    assert "[U+202E]" in case_page and "[U+2066]" in case_page


@pytest.mark.parametrize(
    ("name", "code"),
    [("bidi-control", "P117"), ("invisible-character", "P118"), ("hidden-character-in-narrative", "P119")],
)
def test_panel_explain_knows_each_rule(name: str, code: str) -> None:
    """`panel explain NAME` prints the rule with its code."""
    result = CliRunner().invoke(cli, ["explain", name])
    assert (0, f"{code} {name}") == (result.exit_code, result.output.splitlines()[0].split(" (")[0])
