"""`panel verify` speaks diagnostics: every refusal has a registered code that `panel explain` documents,
and renders through the checker's formatters, with and without a file, without changing the checker's output."""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROJECT_ROOT, SignedWorld

from generator.audit import verify as verify_module
from generator.audit.commits import Commit
from generator.audit.report import render
from generator.audit.verify import VERIFY_RULES, Verification, verify_repository
from generator.cli import cli
from generator.commands.options import FORMATS
from generator.core import diagnostics as d
from generator.core.formatters import format_github, format_gitlab, format_json, format_text, gitlab_fingerprint

TODAY = date(2024, 6, 1)
COMMIT = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c"
SEAL = "seal/cdm/2024-02-01"
DECISION = "decisions/cdm/2024-02-01/123456.md"

# Every reason `panel verify` gave before it spoke diagnostics: each must stay the name of a rule.
REASONS_BEFORE = [
    "unsigned",
    "bad-signature",
    "expired-signature",
    "expired-key",
    "revoked-key",
    "signature-not-checked",
    "shared-key",
    "signer-not-committer",
    "unknown-key",
    "key-not-yet-valid",
    "key-added-later",
    "unknown-panel",
    "not-chair",
    "unsigned-seal",
    "malformed-seal",
    "bad-seal-signature",
    "signer-not-tagger",
    "seal-not-in-history",
    "sealed-file-deleted",
    "sealed-file-changed",
    "corrupt-repository",
]
ADDED_SINCE = [
    "replace-refs",
    "graft-file",
    "witnessed-commit-missing",
    "witnessed-seal-missing",
    "witnessed-seal-moved",
    "bad-witness",
    "audit-start-moved",
    "terms-changed",
]
"""Rules verify has reported since the names above were first published."""
HOOK_RULES = {"P834"}
"""P8xx rules the pre-receive hook reports itself (it runs without the package): not verify's."""

UNSIGNED = d.make(
    d.UNSIGNED, "", 0, "the commit is not signed (committed by w@example.invalid)", "Sign it.", commit=COMMIT
)
NOT_CHAIR = d.make(d.NOT_CHAIR, DECISION, 0, "a decision sheet changed signed by p-worker", "Ask.", commit=COMMIT)
SEALED = d.make(d.SEALED_FILE_CHANGED, DECISION, 0, "a sealed file was edited", "Restore.", commit=SEAL)
DAMAGED = d.make(d.CORRUPT_REPOSITORY, "", 0, "git fsck found damage: x", "Stop.")


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` with `args`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def rules_used_by_verify() -> set[str]:
    """The names verify.py imports from generator.core.diagnostics that are rules (read from its source)."""
    tree = ast.parse((PROJECT_ROOT / "generator" / "audit" / "verify.py").read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "generator.core.diagnostics"
        for alias in node.names
    }
    return {name for name in imported if isinstance(getattr(d, name), d.Rule)}


def test_every_reason_of_before_is_the_name_of_a_verify_rule() -> None:
    """The names people know (`not-chair`, `unsigned`...) stay: each is a registered rule verify reports."""
    expected = sorted(REASONS_BEFORE + ADDED_SINCE)
    assert expected == sorted(rule.name for rule in VERIFY_RULES)
    assert [] == [name for name in REASONS_BEFORE if d.rule_named(name) not in VERIFY_RULES]


def test_every_rule_verify_uses_is_registered_and_listed() -> None:
    """Each rule constant verify.py uses is in VERIFY_RULES, and so in the registry; no P8xx rule is left unused."""
    used = {getattr(d, name) for name in rules_used_by_verify()}
    assert set(VERIFY_RULES) == used
    assert [] == [rule.code for rule in VERIFY_RULES if d.rule_named(rule.code) is not rule]
    unused = [rule.code for rule in d.rules() if rule.code.startswith("P8") and rule not in VERIFY_RULES]
    assert sorted(HOOK_RULES) == unused


def test_the_hooks_own_code_is_registered_with_its_name() -> None:
    """The hook prints `P834 ref-not-allowed`, as the registry (and so `panel explain`) has it."""
    hook = (PROJECT_ROOT / "hooks" / "pre-receive").read_text(encoding="utf-8")
    rule = d.rule_named("P834")
    assert rule is d.REF_NOT_ALLOWED and "ref-not-allowed" == rule.name and f"{rule.code} {rule.name}: " in hook


def test_verify_codes_are_in_their_range() -> None:
    """Verify's own codes are P801-P839: commits P80x-P81x, seals P82x, objects P83x; only `unknown-panel` is shared."""
    expected = ["P301"]
    assert expected == [rule.code for rule in VERIFY_RULES if not ("P801" <= rule.code <= "P839")]


@pytest.mark.parametrize("rule", VERIFY_RULES, ids=[rule.name for rule in VERIFY_RULES])
def test_panel_explain_documents_every_verify_code(rule: d.Rule) -> None:
    """`panel explain NAME` and `panel explain CODE` print the rule's documentation, and `panel rules` lists it."""
    expected = f"{rule.code} {rule.name} ({rule.severity})\n{rule.summary}\n\n{rule.explanation}\n"
    assert (0, expected) == invoke("explain", rule.name)[:2]
    assert (0, expected) == invoke("explain", rule.code.lower())[:2]
    listed = [line.split()[:2] for line in invoke("rules")[1].splitlines()]
    assert [rule.code, rule.name] in listed


def test_verify_explanations_say_how_to_fix() -> None:
    """Each P8xx explanation says it is `panel verify`'s and runs to more than one sentence of advice."""
    expected: list[str] = []
    own = [rule for rule in VERIFY_RULES if rule.code.startswith("P8")]
    assert expected == [r.code for r in own if "`panel verify`" not in r.explanation or len(r.explanation) < 200]


@pytest.mark.parametrize(
    ("status", "name"),
    [
        ("N", "unsigned"),
        ("B", "bad-signature"),
        ("X", "expired-signature"),
        ("Y", "expired-key"),
        ("R", "revoked-key"),
        ("E", "signature-not-checked"),
    ],
)
def test_every_status_git_gives_is_a_rule(
    signed_world: SignedWorld, monkeypatch: pytest.MonkeyPatch, status: str, name: str
) -> None:
    """Whatever `%G?` letter git gives a commit (besides G and U), verify refuses it under a registered rule."""
    world = signed_world
    commit = world.commit(world.worker, {"a.md": "x\n"})
    real = verify_module.read_commits

    def altered(root: Path, revision: str, signers: Path) -> list[Commit]:
        return [replace(c, status=status) if c.id == commit else c for c in real(root, revision, signers)]

    monkeypatch.setattr(verify_module, "read_commits", altered)
    found = verify_repository(world.repo, None, TODAY).diagnostics
    expected = [(commit, "", name, d.rule_named(name))]
    assert expected == [(x.commit, x.path, x.name, d.rule_named(x.code)) for x in found]


def test_verify_diagnostics_carry_commit_hint_and_no_line(signed_world: SignedWorld) -> None:
    """A refusal is an error at line 0 that names its commit, the committer in its message, and a hint."""
    world = signed_world
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=world.worker.who)
    [found] = verify_repository(world.repo, None, TODAY).diagnostics
    expected = ("P801", "unsigned", d.Severity.ERROR, "", 0, commit, True)
    actual = (found.code, found.name, found.severity, found.path, found.line, found.commit, bool(found.hint))
    assert expected == actual
    assert f"the commit is not signed (committed by {world.worker.who[1]})" == found.message


def test_text_of_verify_diagnostics_with_and_without_a_file() -> None:
    """Text: the commit (or seal tag) follows the path, or stands in its place; the objects' check is `repository`."""
    expected = (
        f"commit {COMMIT}: P801 [error] the commit is not signed (committed by w@example.invalid)\n"
        "  help: Sign it.\n"
        "\n"
        "repository: P831 [error] git fsck found damage: x\n"
        "  help: Stop.\n"
        "\n"
        f"{DECISION}: commit {COMMIT}: P812 [error] a decision sheet changed signed by p-worker\n"
        "  help: Ask.\n"
        "\n"
        f"{DECISION}: tag {SEAL}: P826 [error] a sealed file was edited\n"
        "  help: Restore.\n"
    )
    assert expected == format_text([SEALED, NOT_CHAIR, DAMAGED, UNSIGNED], summary=False)


def test_github_of_verify_diagnostics_with_and_without_a_file() -> None:
    """GitHub: an annotation on the file when there is one, else on the run (no `file=`); the commit leads."""
    expected = (
        f"::error title=P801 unsigned::commit {COMMIT}: the commit is not signed (committed by w@example.invalid)"
        "%0Ahelp: Sign it.\n"
        "::error title=P831 corrupt-repository::git fsck found damage: x%0Ahelp: Stop.\n"
        f"::error file={DECISION},title=P812 not-chair::commit {COMMIT}: a decision sheet changed signed by p-worker"
        "%0Ahelp: Ask.\n"
        f"::error file={DECISION},title=P826 sealed-file-changed::tag {SEAL}: a sealed file was edited"
        "%0Ahelp: Restore.\n"
    )
    assert expected == format_github([UNSIGNED, NOT_CHAIR, SEALED, DAMAGED])


def test_gitlab_of_verify_diagnostics_without_a_file() -> None:
    """GitLab: a refusal without a file sits at the repository's root (`.`), and its commit tells it apart."""
    report = json.loads(format_gitlab([UNSIGNED, replace(UNSIGNED, commit="a" * 40), DAMAGED]))
    expected = [(".", 1)] * 3
    assert expected == [(item["location"]["path"], item["location"]["lines"]["begin"]) for item in report]
    assert f"P801 unsigned: commit {COMMIT}: the commit is not signed" in report[0]["description"]
    assert 3 == len({item["fingerprint"] for item in report})


def test_json_of_verify_diagnostics_has_commit_on_every_object() -> None:
    """JSON: the checker's keys, then `commit` on every object (null for the objects' check)."""
    keys = ["code", "name", "severity", "path", "line", "message", "hint", "commit"]
    data = json.loads(format_json([UNSIGNED, DAMAGED]))
    assert [keys, keys] == [list(item) for item in data]
    assert [COMMIT, None] == [item["commit"] for item in data]


def test_checker_diagnostics_render_as_before() -> None:
    """A diagnostic without a commit renders byte for byte as it always has, in every format."""
    missing = d.make(d.MISSING_DOCUMENT, "cases/c1/referrals/2026-03-09-clam.md", 4, "No 'genogram'.", "Add it.")
    assert missing == replace(missing, commit=None)
    assert {"code", "name", "severity", "path", "line", "message", "hint"} == set(missing.as_dict())
    assert "cases/c1/referrals/2026-03-09-clam.md:4: P401 [error] No 'genogram'.\n  help: Add it.\n" == format_text(
        [missing], summary=False
    )
    assert (
        "::error file=cases/c1/referrals/2026-03-09-clam.md,line=4,title=P401 missing-document::"
        "No 'genogram'.%0Ahelp: Add it.\n" == format_github([missing])
    )
    assert hashlib.sha256(
        b"cases/c1/referrals/2026-03-09-clam.md\x004\x00P401\x00No 'genogram'."
    ).hexdigest() == gitlab_fingerprint(missing)


def test_commit_breaks_ties_and_counts_for_equality() -> None:
    """Two refusals alike but for their commit are distinct values and sort by commit."""
    other = replace(UNSIGNED, commit="0" * 40)
    assert 2 == len({UNSIGNED, other})
    assert [other.commit, UNSIGNED.commit] == [x["commit"] for x in json.loads(format_json([UNSIGNED, other]))]


def test_report_keeps_the_summary_and_the_notes() -> None:
    """Text: the blocks, a blank line, the authored-by notes and the summary; GitHub ends with the summary."""
    result = Verification("A..B", COMMIT, 2, 1, [UNSIGNED], [(COMMIT, "a@example.invalid", "c@example.invalid")])
    text = render(result, "text").splitlines()
    expected = [
        "",
        f"note: commit {COMMIT} was authored by a@example.invalid and committed by c@example.invalid",
        "Verified 2 commits (A..B) and 1 seal: 1 refusal.",
    ]
    assert expected == text[-3:]
    assert "Verified 2 commits (A..B) and 1 seal: 1 refusal." == render(result, "github").splitlines()[-1]
    assert "Verified 0 commits (HEAD) and 0 seals: every one passes.\n" == render(
        Verification("HEAD", COMMIT, 0, 0), "text"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_through_the_command(signed_world: SignedWorld, fmt: str) -> None:
    """`panel verify --format FMT` exits 1 and names the unsigned commit's code; gitlab's stdout is JSON alone."""
    world = signed_world
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=world.worker.who)
    code, out, err = invoke("verify", "--repo", str(world.repo), "--format", fmt)
    assert (1, True, True) == (code, "P801" in out, commit in out)
    if fmt in {"json", "gitlab"}:
        json.loads(out)
    if fmt == "gitlab":
        assert "Verified 2 commits" in err
