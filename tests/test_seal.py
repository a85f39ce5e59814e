"""`panel seal` and the seal checks of `panel verify`, with real keys: a rewritten, re-signed history is caught."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from conftest import Keyed, SignedWorld, roster_yaml

from generator.audit.verify import verify_repository
from generator.cli import cli

TODAY = date(2024, 6, 1)
FOLDER = "decisions/cdm/2024-02-01"
MEETING = f"{FOLDER}/meeting.md"
DECISION = f"{FOLDER}/123456.md"
NEWER = f"{FOLDER}/123456-v2.md"
APPROVED_MEETING = "---\npanel: cdm\ndate: 2024-02-01\nchair: p-chair\nstatus: approved\n---\n"
APPROVED_DECISION = "---\npanel: cdm\ncase: '123456'\nstatus: approved\n---\nDecided.\n"


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` with `args`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def configure(world: SignedWorld, person: Keyed) -> None:
    """Make `person` the repository's git user, signing with their key (as staff set it up)."""
    for key, value in (
        ("user.name", person.who[0]),
        ("user.email", person.who[1]),
        ("user.signingkey", str(person.key.private)),
    ):
        world.git.run(world.repo, "config", key, value)


def seal(
    world: SignedWorld, sealer: Keyed, monkeypatch: pytest.MonkeyPatch, when: str = "2024-02-03T09:00:00+00:00"
) -> str:
    """Run `panel seal cdm 2024-02-01` as `sealer` at `when`; the tag's name."""
    configure(world, sealer)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    code, out, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert 0 == code, err
    assert out.startswith("sealed 2 files of cdm 2024-02-01 as seal/cdm/2024-02-01")
    return "seal/cdm/2024-02-01"


@pytest.fixture
def decided(signed_world: SignedWorld) -> SignedWorld:
    """The CDM meeting of 2024-02-01 recorded and decided by its chair."""
    signed_world.commit(
        signed_world.chair, {MEETING: APPROVED_MEETING, DECISION: APPROVED_DECISION}, when="2024-02-02T09:00:00+00:00"
    )
    return signed_world


def reasons(world: SignedWorld) -> list[tuple[str, str | None, str]]:
    """(commit or seal, path or None, name) of every refusal when verifying the world."""
    found = verify_repository(world.repo, None, TODAY).diagnostics
    return [(d.commit or "repository", d.path or None, d.name) for d in found]


def test_seal_records_the_meeting_files_and_verifies(decided: SignedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seal is a signed tag on HEAD listing each file's blob id; verify checks it and passes."""
    world = decided
    tag = seal(world, world.chair, monkeypatch)
    message = world.git.run(world.repo, "tag", "-l", "--format=%(contents:body)", tag)
    blobs = [world.git.run(world.repo, "rev-parse", f"HEAD:{path}").strip() for path in (DECISION, MEETING)]
    assert [f"{blobs[0]} {DECISION}", f"{blobs[1]} {MEETING}"] == [
        line for line in message.splitlines() if FOLDER in line and " " in line and not line.startswith("Seal")
    ]
    assert "-----BEGIN SSH SIGNATURE-----" in world.git.run(world.repo, "cat-file", "tag", tag)
    result = verify_repository(world.repo, None, TODAY)
    assert (1, []) == (result.seals, result.diagnostics)


def test_rewritten_and_re_signed_history_is_caught_by_the_seal(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chair's valid key re-signs a rewritten decision: every commit verifies, the seal does not."""
    world = decided
    tag = seal(world, world.chair, monkeypatch)
    world.git.run(world.repo, "reset", "-q", "--hard", "HEAD~1")
    world.commit(
        world.chair,
        {MEETING: APPROVED_MEETING, DECISION: APPROVED_DECISION.replace("Decided.", "Rewritten.")},
        when="2024-02-02T09:00:00+00:00",
    )
    assert [(tag, None, "seal-not-in-history"), (tag, DECISION, "sealed-file-changed")] == reasons(world)


def test_sealed_decision_may_be_superseded_not_edited(decided: SignedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file superseding a sealed decision passes; editing or deleting the sealed file is refused."""
    world = decided
    tag = seal(world, world.chair, monkeypatch)
    world.commit(world.chair, {NEWER: APPROVED_DECISION + f"supersedes: {DECISION}\n"})
    assert [] == reasons(world)
    world.commit(world.chair, {DECISION: APPROVED_DECISION + "edited\n"})
    assert [(tag, DECISION, "sealed-file-changed")] == reasons(world)
    world.commit(world.chair, {DECISION: None})
    assert [(tag, DECISION, "sealed-file-deleted")] == reasons(world)


def test_seal_by_someone_who_does_not_chair_is_refused(decided: SignedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seal signed with the worker's roster key is refused: only a chair or delegate seals."""
    world = decided
    tag = seal(world, world.worker, monkeypatch)
    assert [(tag, None, "not-chair")] == reasons(world)


def test_lightweight_seal_tag_is_refused(decided: SignedWorld) -> None:
    """A plain tag named like a seal carries no signature and is refused."""
    world = decided
    world.git.run(world.repo, "tag", "seal/cdm/2024-02-01")
    assert [("seal/cdm/2024-02-01", None, "unsigned-seal")] == reasons(world)


def test_seal_vouches_for_commits_signed_before_a_revocation(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revoked on 1 March: the commit a 3 February seal covers passes; one claiming 20 February does not."""
    world = decided
    world.commit(world.worker, {"cases/123456/case.md": "x\n"}, when="2024-02-02T10:00:00+00:00")
    seal(world, world.chair, monkeypatch, when="2024-02-03T09:00:00+00:00")
    backdated = world.commit(world.worker, {"cases/123456/case.md": "y\n"}, when="2024-02-20T09:00:00+00:00")
    people = [
        (world.chair, "head-of-service", ""),
        (world.delegate, "service-manager", ""),
        (world.worker, "social-worker", "revoked: 2024-03-01"),
    ]
    world.commit(world.chair, {"panels/roster.yml": roster_yaml(people)}, when="2024-06-01T09:00:00+00:00")
    assert [(backdated, None, "revoked-key")] == reasons(world)


def test_seal_refuses_drafts_missing_meetings_and_repeats(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Draft records, a meeting not in HEAD, an existing seal and a bad date exit 2 with a message."""
    world = decided
    configure(world, world.chair)
    world.commit(world.chair, {DECISION: APPROVED_DECISION.replace("approved", "draft")})
    code, _, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    assert (2, True) == (code, f"not approved yet, so not ready to seal: {DECISION}" in err)
    code, _, err = invoke("seal", "cdm", "2024-03-01", "--repo", str(world.repo))
    assert (2, True) == (code, "decisions/cdm/2024-03-01/meeting.md is not in HEAD" in err)
    code, _, err = invoke("seal", "cdm", "01/02/2024", "--repo", str(world.repo))
    assert (2, True) == (code, "is not a date in the form YYYY-MM-DD" in err)
    world.commit(world.chair, {DECISION: APPROVED_DECISION})
    seal(world, world.chair, monkeypatch)
    code, _, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    assert (2, True) == (code, "exists already" in err)


def test_seal_without_a_signing_key_is_a_usage_error(decided: SignedWorld) -> None:
    """No user.signingkey: exit 2 saying how to configure one, and no tag made."""
    world = decided
    code, _, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    assert (2, True) == (code, "no SSH signing key is configured" in err)
    assert "" == world.git.run(world.repo, "tag", "-l")


def test_a_branch_forked_before_a_seal_leaves_it_to_the_protected_branch(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request forked before the meeting was sealed does not hold the sealed commit: with `--branch`,
    verify judges the branch's own history and leaves the seal to the protected branch; without it, refused."""
    world = decided
    tag = seal(world, world.chair, monkeypatch)
    world.git.run(world.repo, "checkout", "-q", "-b", "work", "HEAD~1")
    world.commit(world.worker, {"cases/123456/notes.md": "A note.\n"}, when="2024-02-05T09:00:00+00:00")
    strict = reasons(world)
    assert [(tag, None, "seal-not-in-history")] == [r for r in strict if r[2] == "seal-not-in-history"]
    assert [] == verify_repository(world.repo, None, TODAY, branch=True).diagnostics
    code, out, _ = invoke("verify", "--repo", str(world.repo), "--branch")
    assert 0 == code, out


def test_a_branch_with_no_history_in_common_with_a_seal_is_still_refused(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history rewritten from its root shares nothing with the sealed commit: refused even as a branch."""
    world = decided
    tag = seal(world, world.chair, monkeypatch)
    world.git.run(world.repo, "checkout", "-q", "--orphan", "rewrite")
    world.commit(world.chair, {DECISION: APPROVED_DECISION.replace("Decided.", "Rewritten.")})
    found = [(d.commit, d.name) for d in verify_repository(world.repo, None, TODAY, branch=True).diagnostics]
    assert (tag, "seal-not-in-history") in found


def test_seal_signed_with_a_key_outside_the_roster_is_refused(
    decided: SignedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chair's name and email but a stranger's key: git does not judge the signature good."""
    world = decided
    stranger = world.git.key("stranger")
    configure(world, world.chair)
    world.git.run(world.repo, "config", "user.signingkey", str(stranger.private))
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-02-03T09:00:00+00:00")
    code, _, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    assert 0 == code, err
    assert [("seal/cdm/2024-02-01", None, "bad-seal-signature")] == reasons(world)


def test_seal_tagged_as_someone_else_is_refused(decided: SignedWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chair's key, but the tag made under the worker's email: the signer is not the tagger."""
    world = decided
    configure(world, world.chair)
    world.git.run(world.repo, "config", "user.email", world.worker.who[1])
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-02-03T09:00:00+00:00")
    code, _, err = invoke("seal", "cdm", "2024-02-01", "--repo", str(world.repo))
    assert 0 == code, err
    found = verify_repository(world.repo, None, TODAY).diagnostics
    assert [("seal/cdm/2024-02-01", None, "signer-not-tagger")] == [(d.commit, d.path or None, d.name) for d in found]
    assert f"(tagged by {world.worker.who[1]})" in found[0].message


def test_signed_tag_under_seal_not_made_by_panel_seal_is_refused(decided: SignedWorld) -> None:
    """A signed tag named `seal/...` that names no meeting is malformed: it cannot be checked."""
    world = decided
    configure(world, world.chair)
    world.git.run(world.repo, "-c", "gpg.format=ssh", "tag", "-s", "-m", "a seal", "seal/cdm/not-a-date")
    assert [("seal/cdm/not-a-date", None, "malformed-seal")] == reasons(world)
