"""`panel signers`: git's allowed-signers file from the roster, deterministic, and accepted by git itself."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GitFactory, SignedWorld, write_files

from generator.audit.signing import fingerprint
from generator.cli import cli

KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
KEY_C = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
ROSTER = f"""people:
  - id: p-zed
    name: Zed Example
    roles: [social-worker]
    email: zed@example.invalid
    signing_keys:
      - key: {KEY_B}
        valid_after: 2024-01-15
        valid_before: 2025-01-15
      - key: {KEY_C}
        revoked: 2024-03-01
  - id: p-amy
    name: Amy Example
    roles: [head-of-service]
    email: amy@example.invalid
    signing_keys:
      - key: {KEY_A}
  - id: p-noemail
    name: No Email
    roles: [legal]
    signing_keys:
      - key: {KEY_A}
  - id: p-nokey
    name: No Key
    roles: [legal]
    email: nokey@example.invalid
  - id: p-wild
    name: Wild Card
    roles: [legal]
    email: "*@example.invalid"
    signing_keys:
      - key: {KEY_C}
"""


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` with `args`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def roster_repo(tmp_path: Path, roster: str = ROSTER) -> Path:
    """A folder holding only `panels/roster.yml`."""
    write_files(tmp_path / "repo", {"panels/roster.yml": roster})
    return tmp_path / "repo"


def test_one_line_per_key_sorted_with_dates(tmp_path: Path) -> None:
    """Principal is the email, dates become valid-after/valid-before, revoked keys are left out."""
    expected = (
        f'amy@example.invalid namespaces="git" {KEY_A}\n'
        f'zed@example.invalid namespaces="git",valid-after="20240115",valid-before="20250115" {KEY_B}\n'
    )
    code, out, _ = invoke("signers", "--repo", str(roster_repo(tmp_path)))
    assert (0, expected) == (code, out)


def test_output_is_deterministic(tmp_path: Path) -> None:
    """The same roster, in any order of people, gives the same bytes."""
    repo = roster_repo(tmp_path)
    first = invoke("signers", "--repo", str(repo))[1]
    people = ROSTER.split("\n  - ")
    (repo / "panels/roster.yml").write_text("\n  - ".join([people[0], *reversed(people[1:])]) + "\n", encoding="utf-8")
    assert first == invoke("signers", "--repo", str(repo))[1]


def test_out_and_revoked_files(tmp_path: Path) -> None:
    """--out writes the allowed signers, --revoked the revoked public keys (for gpg.ssh.revocationFile)."""
    repo = roster_repo(tmp_path)
    code, out, _ = invoke(
        "signers", "--repo", str(repo), "--out", str(tmp_path / "allowed"), "--revoked", str(tmp_path / "revoked")
    )
    assert (0, "") == (code, out)
    assert 2 == len((tmp_path / "allowed").read_text(encoding="utf-8").splitlines())
    assert f"{KEY_C}\n" == (tmp_path / "revoked").read_text(encoding="utf-8")


def test_people_left_out_are_noted_on_stderr(tmp_path: Path) -> None:
    """No email, no key, or an email git would read as a pattern: left out, one note each."""
    _, out, err = invoke("signers", "--repo", str(roster_repo(tmp_path)))
    expected = [
        "note: p-noemail has signing keys but no email, so git cannot match a committer: left out",
        "note: p-wild's email holds one of !\"*,?: left out",
        "note: 1 person has no signing key: p-nokey",
    ]
    assert expected == err.splitlines()
    assert "*@" not in out


def test_invalid_or_missing_roster_exits_2(tmp_path: Path) -> None:
    """A roster that does not validate, or none, is a usage error naming the file."""
    code, _, err = invoke("signers", "--repo", str(roster_repo(tmp_path, "people: [{id: x}]\n")))
    assert (2, True) == (code, "panels/roster.yml is not a valid roster" in err)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = invoke("signers", "--repo", str(empty))
    assert (2, True) == (code, "panels/roster.yml is not in" in err)


def test_git_accepts_the_file(signed_world: SignedWorld) -> None:
    """With the written file, git gives G for a roster key and names the holder's email as the signer."""
    world = signed_world
    allowed = world.repo.parent / "allowed"
    code, _, _ = invoke("signers", "--repo", str(world.repo), "--out", str(allowed))
    status = world.git.run(
        world.repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G? %GS %GK"
    )
    assert (0, f"G {world.chair.who[1]} {fingerprint(world.chair.key.public)}") == (code, status.strip())


def test_fingerprint_matches_ssh_keygen(git_repo: GitFactory) -> None:
    """The fingerprint computed in Python is the one ssh-keygen prints."""
    key = git_repo.key("someone")
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-f", f"{key.private}.pub"], check=True, capture_output=True, text=True
    ).stdout
    assert printed.split()[1] == fingerprint(key.public)


BAD_BODIES = [
    pytest.param(KEY_A[:40] + "=" + KEY_A[41:], "is not valid base64", id="bad-base64"),
    pytest.param(KEY_A[:-4] + "AA==", "is cut short", id="cut-short"),
    pytest.param(
        "ssh-ed25519 " + base64.b64encode(b"\0\0\0\x07ssh-dss\0\0\0\x20" + bytes(32)).decode(),
        "is not an ssh-ed25519 key",
        id="another-kind-of-key",
    ),
    pytest.param(KEY_A.replace("ssh-ed25519", "ssh-rsa"), "is not an ssh-rsa key", id="wrong-type"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_BODIES)
def test_malformed_key_is_a_diagnostic_not_a_traceback(tmp_path: Path, bad: str, message: str) -> None:
    """A key whose body does not decode to a key of its type: `panel check` names the roster line, and
    `panel signers` stops with exit 2, before any fingerprint or allowed-signers line is made."""
    repo = roster_repo(tmp_path, ROSTER.replace(f"key: {KEY_A}", f"key: {bad}", 1))
    code, out, err = invoke("signers", "--repo", str(repo))
    assert (2, "") == (code, out)
    assert "line 17" in err and message in err and "Traceback" not in err
    result = CliRunner().invoke(cli, ["check", "--repo", str(repo), "--format", "json"])
    assert 0 != result.exit_code and "Traceback" not in result.output
    found = [
        (x["path"], x["line"], x["message"]) for x in json.loads(result.stdout) if x["path"] == "panels/roster.yml"
    ]
    assert [("panels/roster.yml", 17)] == [(p, line) for p, line, text in found if message in str(text)]


@pytest.mark.parametrize(("bad", "message"), BAD_BODIES)
def test_verify_refuses_a_roster_with_a_malformed_key(signed_world: SignedWorld, bad: str, message: str) -> None:
    """`panel verify` on a history whose roster holds a malformed key exits 2 naming the roster's line."""
    world = signed_world
    roster = (world.repo / "panels/roster.yml").read_text("utf-8")
    world.commit(world.chair, {"panels/roster.yml": roster.replace(world.worker.key.public, bad)})
    code, _, err = invoke("verify", "--repo", str(world.repo))
    assert 2 == code
    assert "panels/roster.yml at HEAD is not a valid roster (line 17" in err
    assert message in err and "Traceback" not in err
