"""Sealed narrative: per-case keys outside git, sealing before commit, and erasure that reaches every clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory
from test_site import AS_OF, AUTHORITY, WORLD

from generator.cli import cli
from generator.core.layout import Kind, Location
from generator.loading.repository import load_document, load_repository
from generator.loading.sealed_text import (
    ERASURES_PATH,
    KeyRing,
    new_key,
    open_line,
    plain_lines,
    read_erasures,
    seal_body,
    seal_line,
    unseal_repository,
)
from generator.pipeline.gather import gather

CASE_PATH = "cases/123456/case.md"
REFERRAL_PATH = "cases/123456/referrals/2026-03-09-tp.md"
DECISION_PATH = "decisions/tp/2026-02-23/123456.md"
SENTENCES = (
    "Ada's grandmother has cared for her every weekend since the summer",
    "The school reports that attendance has fallen to sixty per cent this term",
    "Tamsin Quillfeather, the family friend, raised the first worry in October",
)
REFERRAL_SENTENCE = "Ada asked to keep seeing her grandmother on Saturdays"
NARRATIVE = f"""\
# About the family

{SENTENCES[0]}.

## History

{SENTENCES[1]}.

```text
## not a heading inside a fence
```

## Worries

{SENTENCES[2]}.
"""
SEALED_AUTHORITY = (
    AUTHORITY
    + """\
retention:
  sealed_text: required
  rules:
    - kind: child-in-need
      years: 25
      count_from: birth
      action: destroy
"""
)


def world(sealed: bool = True) -> dict[str, str]:
    """The site tests' world with narrative in the case file and, if `sealed`, sealed text required."""
    files = dict(WORLD)
    files[CASE_PATH] = WORLD[CASE_PATH] + "\n" + NARRATIVE
    files[REFERRAL_PATH] = WORLD[REFERRAL_PATH].split("## Summary")[0] + f"## Summary\n\n{REFERRAL_SENTENCE}.\n"
    if sealed:
        files["panels/authority.yml"] = SEALED_AUTHORITY
    return files


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` in-process; exit code, standard output and standard error."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- the format ---------------------------------------------------------------------------------


def test_sealing_keeps_headings_and_opens_to_the_same_text() -> None:
    key = new_key()
    sealed = seal_body(NARRATIVE, "123456", key)
    assert "## History" in sealed
    assert "## Worries" in sealed
    for sentence in SENTENCES:
        assert sentence not in sealed
    assert "# About the family" not in sealed  # a title is narrative: only `## ` section headings stay readable
    assert plain_lines(sealed) == []
    opened = "\n".join(
        open_line(line, "123456", key) or "?" if line.startswith("sealed-text:") else line
        for line in sealed.split("\n")
    )
    assert NARRATIVE == opened
    assert seal_body(sealed, "123456", key) == sealed  # sealing again changes nothing


def test_a_sealed_line_does_not_open_for_another_case_or_key_or_when_altered() -> None:
    key = new_key()
    line = seal_line("A sentence about a child.", "123456", key)
    assert open_line(line, "123456", key) == "A sentence about a child."
    assert open_line(line.replace(":123456:", ":654321:"), "654321", key) is None
    assert open_line(line, "123456", new_key()) is None
    altered = line[:-3] + ("A" if line[-3] != "A" else "B") + line[-2:]
    assert open_line(altered, "123456", key) is None


def _repo_with(tmp_path: Path, body: str, *, sealed: bool = True) -> Path:
    files = world(sealed)
    files[CASE_PATH] = WORLD[CASE_PATH] + "\n" + body
    root = tmp_path / "repo"
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def _codes(root: Path, keys: Path | None) -> list[tuple[str, str, int]]:
    repo, _ = load_repository(root)
    erasures, _ = read_erasures(root)
    _, problems = unseal_repository(repo, KeyRing(keys), erasures)
    return [(p.name, p.path, p.line) for p in problems]


def test_plain_narrative_is_refused_where_sealing_is_required_at_its_first_line(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, NARRATIVE)
    found = _codes(root, None)
    lines = (root / CASE_PATH).read_text(encoding="utf-8").split("\n")
    assert ("plaintext-narrative", CASE_PATH, lines.index("# About the family") + 1) in found
    # the referral's narrative too (a case document), but never the meeting record's
    assert any(name == "plaintext-narrative" and path == REFERRAL_PATH for name, path, _ in found)
    assert not any(path.endswith("meeting.md") for _, path, _ in found)


def test_documents_of_meetings_before_sealed_text_from_may_stay_plain_but_case_files_may_not(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, NARRATIVE)
    authority = root / "panels" / "authority.yml"
    authority.write_text(
        SEALED_AUTHORITY.replace(
            "  sealed_text: required\n", "  sealed_text: required\n  sealed_text_from: 2026-03-01\n"
        )
    )
    found = {path for name, path, _ in _codes(root, None) if name == "plaintext-narrative"}
    # the decision sheet's meeting (2026-02-23) is before the day; the referral's (2026-03-09) is not
    assert found == {CASE_PATH, REFERRAL_PATH}


def test_plain_narrative_is_accepted_where_sealing_is_off(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, NARRATIVE, sealed=False)
    assert _codes(root, None) == []


def test_an_altered_line_and_a_line_of_another_case_are_diagnosed_at_their_lines(tmp_path: Path) -> None:
    key = new_key()
    good = seal_line("Some text.", "123456", key)
    altered = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    other = seal_line("Other text.", "999999", key)
    root = _repo_with(tmp_path, f"{altered}\n\n{other}\n\nsealed-text:v2:broken\n")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "123456.key").write_text("panel-text-key v1 " + __import__("base64").urlsafe_b64encode(key).decode() + "\n")
    found = _codes(root, keys)
    lines = (root / CASE_PATH).read_text(encoding="utf-8").split("\n")
    assert ("sealed-text-unreadable", CASE_PATH, lines.index(altered) + 1) in found
    assert ("sealed-text-malformed", CASE_PATH, lines.index(other) + 1) in found
    assert ("sealed-text-malformed", CASE_PATH, lines.index("sealed-text:v2:broken") + 1) in found


def test_a_damaged_key_file_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    key = new_key()
    root = _repo_with(tmp_path, seal_line("Some text.", "123456", key) + "\n")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "123456.key").write_text("not a key\n")
    code, _, err = invoke("check", "--repo", str(root), "--as-of", AS_OF.isoformat(), "--keys", str(keys))
    assert code == 2
    assert "is not a text key" in err


def test_a_key_folder_inside_the_repository_is_refused(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, NARRATIVE)
    (root / "keys").mkdir()
    code, _, err = invoke("text-key", "new", "123456", "--repo", str(root), "--keys", str(root / "keys"))
    assert code == 2
    assert "inside the repository" in err
    assert not (root / "keys" / "123456.key").exists()


def test_a_broken_erasure_ledger_is_diagnosed(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, "")
    (root / "retention").mkdir()
    (root / ERASURES_PATH).write_text("erasures:\n  - case: [\n")
    repo, _ = load_repository(root)
    workspace = gather(root, as_of=AS_OF)
    assert any(d.name == "erasure-ledger-invalid" and d.path == ERASURES_PATH for d in workspace.diagnostics)
    assert repo.authority is not None


def test_erasures_load_by_case() -> None:
    doc, problems = load_document(Location("panels/authority.yml", Kind.AUTHORITY), SEALED_AUTHORITY.encode())
    assert problems == []
    assert doc is not None


# --- the whole workflow, with real git ---------------------------------------------------------


def _all_objects(repo: Path, git_repo: GitFactory) -> bytes:
    """Every object in the repository, decompressed, as `git cat-file --batch-all-objects --batch` prints them."""
    result = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"],
        cwd=repo,
        capture_output=True,
        check=True,
        env={"HOME": str(git_repo.home), "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"},
    )
    return result.stdout


def test_destroying_a_key_leaves_nothing_readable_in_a_fresh_clone_and_the_build_still_succeeds(
    tmp_path: Path, git_repo: GitFactory
) -> None:
    repo = git_repo.init()
    for relative, text in world().items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    as_of = ["--as-of", AS_OF.isoformat()]

    # 1. Plain narrative is refused before anything is committed.
    code, out, _ = invoke("check", "--repo", str(repo), *as_of)
    assert code == 1
    assert "P909" in out

    # 2. The case gets a key outside git; the narrative is sealed; the check passes that rule.
    code, out, _ = invoke("text-key", "new", "123456", "--repo", str(repo), "--keys", str(keys))
    assert code == 0, out
    assert (keys / "123456.key").stat().st_mode & 0o077 == 0
    code, out, _ = invoke(
        "seal-text", CASE_PATH, REFERRAL_PATH, DECISION_PATH, "--repo", str(repo), "--keys", str(keys)
    )
    assert code == 0, out
    assert f"{CASE_PATH}: 3 section(s) sealed for case 123456" in out  # the title's run, History, Worries
    assert f"{REFERRAL_PATH}: 1 section(s) sealed" in out
    assert f"{DECISION_PATH}: 1 section(s) sealed" in out
    code, out, _ = invoke("check", "--repo", str(repo), *as_of)
    assert "P909" not in out
    git_repo.run(repo, "add", "--all")
    git_repo.run(repo, "commit", "-q", "-m", "Case 123456 with sealed narrative")

    # 3. With the key the site shows the text; without it, a notice.
    code, out, err = invoke(
        "build", "--repo", str(repo), "--out", str(tmp_path / "site-key"), "--keys", str(keys), *as_of
    )
    assert code in (0, 1), err
    keyed = (tmp_path / "site-key" / "cases" / "123456.html").read_text(encoding="utf-8")
    assert REFERRAL_SENTENCE in keyed
    code, _, err = invoke("build", "--repo", str(repo), "--out", str(tmp_path / "site-nokey"), *as_of)
    assert code in (0, 1), err
    unkeyed = (tmp_path / "site-nokey" / "cases" / "123456.html").read_text(encoding="utf-8")
    assert "Text not available to this build" in unkeyed
    assert REFERRAL_SENTENCE not in unkeyed

    # 3b. A subject access pack made where the keys are holds the narrative.
    code, out, err = invoke(
        "sar", "123456", "--repo", str(repo), "--out", str(tmp_path / "sar-key"), "--keys", str(keys), *as_of
    )
    assert code == 0, out + err
    keyed_pack = (tmp_path / "sar-key" / "sar-123456.html").read_text(encoding="utf-8")
    assert SENTENCES[1] in keyed_pack
    assert "sealed-text:" not in keyed_pack

    # 4. The key is destroyed and the erasure recorded (ids only); the ledger is committed.
    code, out, _ = invoke(
        "erase", "123456", "--by", "p-worker", "--rule", "child-in-need", "--on", "2026-03-02", "--yes",
        "--repo", str(repo), "--keys", str(keys),
    )  # fmt: skip
    assert code == 0, out
    assert not (keys / "123456.key").exists()
    ledger = (repo / ERASURES_PATH).read_text(encoding="utf-8")
    assert 'case: "123456"' in ledger
    assert "Ada" not in ledger
    git_repo.run(repo, "add", "--all")
    git_repo.run(repo, "commit", "-q", "-m", "Erase case 123456's text key")

    # 5. A fresh clone: no object holds a sentence of the narrative, history included.
    clone = tmp_path / "clone"
    git_repo.run(tmp_path, "clone", "-q", "--no-local", str(repo), str(clone))
    for objects in (_all_objects(clone, git_repo), _all_objects(repo, git_repo)):
        assert b"sealed-text:v1:123456:" in objects  # the sealed text is there, unreadable
        for sentence in (*SENTENCES, REFERRAL_SENTENCE):
            assert sentence.encode() not in objects
        assert b"Tamsin" not in objects
        assert b"grandmother" not in objects

    # 6. The clone still builds, and says the text was erased and when.
    code, _, err = invoke("build", "--repo", str(clone), "--out", str(tmp_path / "site-erased"), *as_of)
    assert code in (0, 1), err
    erased = (tmp_path / "site-erased" / "cases" / "123456.html").read_text(encoding="utf-8")
    assert "Text erased (key destroyed on 2026-03-02)" in erased
    for sentence in (*SENTENCES, REFERRAL_SENTENCE):
        assert sentence not in erased

    # 6b. Its subject access pack says so too, and holds no sentence of the narrative.
    code, out, err = invoke("sar", "123456", "--repo", str(clone), "--out", str(tmp_path / "sar"), *as_of)
    assert code == 0, out + err
    pack = (tmp_path / "sar" / "sar-123456.html").read_text(encoding="utf-8")
    assert "Text erased (key destroyed on 2026-03-02)" in pack
    assert "sealed section(s) could not be opened by this build" in pack
    for sentence in (*SENTENCES, REFERRAL_SENTENCE):
        assert sentence not in pack

    # 7. An erased case's key cannot be made again, nor destroyed twice.
    code, _, err = invoke("text-key", "new", "123456", "--repo", str(clone), "--keys", str(keys))
    assert code == 2
    assert "stays erased" in err
    code, _, err = invoke("erase", "123456", "--by", "p-worker", "--yes", "--repo", str(clone), "--keys", str(keys))
    assert code == 2
    assert "already destroyed" in err


def test_sealing_text_already_committed_warns_that_history_keeps_it(tmp_path: Path, git_repo: GitFactory) -> None:
    repo = git_repo.make_repo(world(sealed=False))
    keys = tmp_path / "keys"
    keys.mkdir()
    assert invoke("text-key", "new", "123456", "--repo", str(repo), "--keys", str(keys))[0] == 0
    code, _, err = invoke("seal-text", CASE_PATH, "--repo", str(repo), "--keys", str(keys))
    assert code == 0
    assert "the committed version (HEAD) holds plain narrative" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["seal-text", "panels/tp.md"], "only those are sealed"),
        (["seal-text", CASE_PATH], "has no key"),
        (["erase", "123456", "--by", "p-worker", "--yes"], "nothing to destroy"),
        (["text-key", "new", "999999"], "there is no case 999999"),
        (["text-key", "new", "../outside"], "is not a case id"),
        (["erase", "../outside", "--by", "p-worker", "--yes"], "is not a case id"),
    ],
)
def test_text_key_commands_refuse_clearly(tmp_path: Path, args: list[str], message: str) -> None:
    root = _repo_with(tmp_path, NARRATIVE)
    keys = tmp_path / "keys"
    keys.mkdir()
    code, _, err = invoke(*args, "--repo", str(root), "--keys", str(keys))
    assert code == 2
    assert message in err
