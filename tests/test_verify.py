"""`panel verify` on real repositories signed with real ssh-keygen keys: one test per signature threat in THREATS.md."""

from __future__ import annotations

import json
import subprocess
import zlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from conftest import DEFAULT_AUTHOR, GitFactory, Keyed, SignedWorld, roster_yaml, signing_options

from generator.audit.verify import Verification, verify_repository
from generator.cli import cli
from generator.core.diagnostics import NOT_CHAIR

TODAY = date(2024, 6, 1)
DECISION = "decisions/cdm/2024-02-01/123456.md"
MEETING = "decisions/cdm/2024-02-01/meeting.md"
LPM_DECISION = "decisions/lpm/2024-02-01/123456.md"


def verify(world: SignedWorld, revision: str | None = None, today: date = TODAY) -> Verification:
    """Verify the world's repository as of `today`."""
    return verify_repository(world.repo, revision, today)


def reasons(result: Verification) -> list[tuple[str, str | None, str]]:
    """(commit or seal, or `repository`; path or None; name) of every refusal."""
    return [(d.commit or "repository", d.path or None, d.name) for d in result.diagnostics]


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` with `args`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def meeting(status: str) -> str:
    """A meeting record's front matter with `status` (verification reads only the status)."""
    return f"---\npanel: cdm\ndate: 2024-02-01\nchair: p-chair\nstatus: {status}\n---\n"


def test_good_history_passes(signed_world: SignedWorld) -> None:
    """Signed commits by their committers, decisions and approved minutes by the chair, a signed merge: all pass."""
    world = signed_world
    world.commit(world.worker, {"cases/123456/case.md": "case\n"}, when="2024-01-10T09:00:00+00:00")
    world.commit(world.worker, {MEETING: meeting("draft")}, when="2024-02-01T09:00:00+00:00")
    world.commit(world.chair, {DECISION: "decided\n", MEETING: meeting("approved")}, when="2024-02-02T09:00:00+00:00")
    result = verify(world)
    assert [] == result.diagnostics
    assert 4 == result.commits
    code, out, _ = invoke("verify", "--repo", str(world.repo))
    assert (0, "Verified 4 commits") == (code, out.splitlines()[-1][:18])


def test_unknown_key_is_refused_although_git_prints_good(signed_world: SignedWorld) -> None:
    """A key outside the roster gives status U: git's text says "Good", verify refuses it as an unknown key."""
    world = signed_world
    stranger = world.git.key("stranger")
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=world.worker.who, sign_with=stranger)
    allowed = world.repo.parent / "allowed"
    allowed.write_text(f"{world.worker.who[1]} {world.worker.key.public}\n", encoding="utf-8")
    shown = world.git.run(world.repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--show-signature")
    assert "Good" in shown
    assert [(commit, None, "unknown-key")] == reasons(verify(world))


def test_signer_who_is_not_the_committer_is_refused(signed_world: SignedWorld) -> None:
    """The chair's key on a commit whose committer is the worker: status G, refused all the same."""
    world = signed_world
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=world.worker.who, sign_with=world.chair.key)
    result = verify(world)
    assert [(commit, None, "signer-not-committer")] == reasons(result)
    assert f"(committed by {world.worker.who[1]})" in result.diagnostics[0].message


def test_author_other_than_committer_is_recorded(signed_world: SignedWorld) -> None:
    """The worker authors, the chair commits and signs: it passes, and the author is recorded."""
    world = signed_world
    commit = world.commit(world.worker, {"a.md": "x\n"}, committer=world.chair.who)
    world.git.commit(world.repo, {"a.md": "y\n"}, author=world.worker.who, committer=world.chair.who)
    result = verify(world)
    expected = (commit, world.worker.who[1], world.chair.who[1])
    assert expected in result.authored_by_others
    assert f"authored by {world.worker.who[1]})" in result.diagnostics[0].message


def _retire(world: SignedWorld, dates: str) -> None:
    """Give the worker's key `dates` in the roster (committed by the chair in June 2024)."""
    people = [
        (world.chair, "head-of-service", ""),
        (world.delegate, "service-manager", ""),
        (world.worker, "social-worker", dates),
    ]
    world.commit(world.chair, {"panels/roster.yml": roster_yaml(people)}, when="2024-06-01T09:00:00+00:00")


def test_backdated_commit_with_an_expired_key_is_refused(signed_world: SignedWorld) -> None:
    """A commit dated before the key's expiry (git: G) with no seal to vouch for that date is refused."""
    world = signed_world
    backdated = world.commit(world.worker, {"a.md": "x\n"}, when="2024-02-20T09:00:00+00:00")
    _retire(world, "valid_before: 2024-03-01")
    assert (
        "G"
        == world.git.run(
            world.repo, "-c", f"gpg.ssh.allowedSignersFile={_signers(world)}", "log", "-1", "--format=%G?", backdated
        ).strip()
    )
    assert [(backdated, None, "expired-key")] == reasons(verify(world))


def test_backdated_commit_with_a_revoked_key_is_refused(signed_world: SignedWorld) -> None:
    """A commit claiming a date before the revocation, not covered by an earlier seal, is refused."""
    world = signed_world
    backdated = world.commit(world.worker, {"a.md": "x\n"}, when="2024-02-20T09:00:00+00:00")
    _retire(world, "revoked: 2024-03-01")
    late = world.commit(world.worker, {"b.md": "x\n"}, when="2024-06-02T09:00:00+00:00")
    assert [(late, None, "revoked-key"), (backdated, None, "revoked-key")] == reasons(verify(world))


def test_key_retired_after_today_is_still_trusted(signed_world: SignedWorld) -> None:
    """A key whose expiry is still to come signs as usual."""
    world = signed_world
    world.commit(world.worker, {"a.md": "x\n"}, when="2024-02-20T09:00:00+00:00")
    _retire(world, "valid_before: 2025-01-01")
    assert [] == reasons(verify(world))


def _signers(world: SignedWorld) -> Path:
    """The allowed-signers file `panel signers` writes for the world, in a file beside the repository."""
    path = world.repo.parent / "allowed_signers"
    code, _, _ = invoke("signers", "--repo", str(world.repo), "--out", str(path))
    assert 0 == code
    return path


def test_unsigned_commit_inside_a_merged_branch_is_refused(signed_world: SignedWorld) -> None:
    """`merge --verify-signatures` checks only the tip; verify finds the unsigned commit inside the branch."""
    world = signed_world
    world.git.run(world.repo, "checkout", "-q", "-b", "topic")
    world.commit(world.worker, {"a.md": "1\n"})
    unsigned = world.git.commit(world.repo, {"a.md": "2\n"}, author=world.worker.who)
    world.commit(world.worker, {"a.md": "3\n"})
    world.git.run(world.repo, "checkout", "-q", "main")
    world.commit(world.worker, {"b.md": "1\n"})
    world.git.run(
        world.repo,
        *signing_options(world.worker.key),
        "merge",
        "-q",
        "-S",
        "--no-ff",
        "-m",
        "merge",
        "topic",
        author=world.worker.who,
    )
    assert [(unsigned, None, "unsigned")] == reasons(verify(world))


def test_unsigned_merge_commit_is_refused(signed_world: SignedWorld) -> None:
    """A merge commit of two signed branches, itself unsigned, is refused."""
    world = signed_world
    world.git.run(world.repo, "checkout", "-q", "-b", "topic")
    world.commit(world.worker, {"a.md": "1\n"})
    world.git.run(world.repo, "checkout", "-q", "main")
    world.commit(world.worker, {"b.md": "1\n"})
    world.git.run(world.repo, "merge", "-q", "--no-ff", "-m", "merge", "topic", author=world.worker.who)
    merge = world.git.run(world.repo, "rev-parse", "HEAD").strip()
    assert [(merge, None, "unsigned")] == reasons(verify(world))


def test_merge_that_edits_a_decision_itself_needs_the_chair(signed_world: SignedWorld) -> None:
    """A decision changed while resolving a merge ("evil merge") is judged as the merge committer's change."""
    world = signed_world
    world.commit(world.chair, {DECISION: "decided\n"})
    world.git.run(world.repo, "checkout", "-q", "-b", "topic")
    world.commit(world.worker, {"a.md": "1\n"})
    world.git.run(world.repo, "checkout", "-q", "main")
    world.commit(world.worker, {"b.md": "1\n"})
    world.git.run(world.repo, "merge", "-q", "--no-ff", "--no-commit", "topic", author=world.worker.who)
    (world.repo / DECISION).write_text("quietly changed\n", encoding="utf-8")
    world.git.run(world.repo, "add", DECISION)
    world.git.run(
        world.repo, *signing_options(world.worker.key), "commit", "-q", "-S", "-m", "merge", author=world.worker.who
    )
    merge = world.git.run(world.repo, "rev-parse", "HEAD").strip()
    assert [(merge, DECISION, "not-chair")] == reasons(verify(world))


def test_altered_blob_is_caught_by_fsck(signed_world: SignedWorld) -> None:
    """A blob rewritten inside .git/objects still lets every commit verify; git fsck catches it."""
    world = signed_world
    world.commit(world.worker, {"a.md": "original\n"})
    blob = world.git.run(world.repo, "rev-parse", "HEAD:a.md").strip()
    path = world.repo / ".git" / "objects" / blob[:2] / blob[2:]
    path.chmod(0o644)
    path.write_bytes(zlib.compress(b"blob 9\0altered!\n"))
    assert "altered!\n" == world.git.run(world.repo, "show", "HEAD:a.md")
    result = verify(world)
    assert [("repository", None, "corrupt-repository")] == reasons(result)
    assert blob in result.diagnostics[0].message


def test_signed_commits_show_unsigned_without_a_signers_file_but_verify_writes_one(signed_world: SignedWorld) -> None:
    """With no allowed-signers file git reports N for a signed commit; verify passes because it always writes one."""
    world = signed_world
    assert "N" == world.git.run(world.repo, "log", "-1", "--format=%G?").strip()
    assert [] == reasons(verify(world))


def test_file_names_starting_with_dashes_are_only_ever_paths(signed_world: SignedWorld) -> None:
    """Files named like options are read as paths; a range that looks like an option is a usage error."""
    world = signed_world
    world.commit(world.worker, {"--output=pwned": "x\n", "--help.md": "y\n"})
    assert [] == reasons(verify(world))
    assert not (world.repo / "pwned").exists()
    code, _, err = invoke("verify", "--output=pwned", "--repo", str(world.repo))
    assert 2 == code
    code, _, err = invoke("verify", "--repo", str(world.repo), "--", "--output=pwned")
    assert (2, False) == (code, (world.repo / "pwned").exists())
    assert "not a range of commits" in err


def test_decision_signed_by_a_worker_is_refused(signed_world: SignedWorld) -> None:
    """A decision sheet added by someone without the chair's role is refused, naming the file."""
    world = signed_world
    commit = world.commit(world.worker, {DECISION: "decided\n"})
    result = verify(world)
    assert [(commit, DECISION, "not-chair")] == reasons(result)
    assert "p-worker" in result.diagnostics[0].message


def test_delegate_may_sign_where_the_panel_allows_it(signed_world: SignedWorld) -> None:
    """The named delegate may sign CDM decisions (delegate allowed) but not LPM ones (not allowed)."""
    world = signed_world
    world.commit(world.delegate, {DECISION: "decided\n"})
    lpm = world.commit(world.delegate, {LPM_DECISION: "decided\n"})
    assert [(lpm, LPM_DECISION, "not-chair")] == reasons(verify(world))


def test_minutes_approved_by_a_worker_are_refused(signed_world: SignedWorld) -> None:
    """A worker may commit the draft meeting record but not the one that approves the minutes."""
    world = signed_world
    world.commit(world.worker, {MEETING: meeting("draft")})
    approval = world.commit(world.worker, {MEETING: meeting("approved")})
    assert [(approval, MEETING, "not-chair")] == reasons(verify(world))


def test_unsigned_decision_names_the_file_too(signed_world: SignedWorld) -> None:
    """An unsigned commit that changes a decision is refused as unsigned and for the decision."""
    world = signed_world
    commit = world.git.commit(world.repo, {DECISION: "decided\n"}, author=world.chair.who)
    assert [(commit, None, "unsigned"), (commit, DECISION, "not-chair")] == reasons(verify(world))


def test_json_output_shape(signed_world: SignedWorld) -> None:
    """--format json gives the range, counts, pass/fail and one diagnostic per refusal with fixed keys."""
    world = signed_world
    commit = world.commit(world.worker, {DECISION: "decided\n"})
    code, out, _ = invoke("verify", "--repo", str(world.repo), "--format", "json")
    data = json.loads(out)
    assert 1 == code
    keys = ["authored_by_others", "commits", "diagnostics", "head", "passed", "revision", "seals", "witnesses"]
    assert keys == sorted(data)
    assert (2, 0, False, commit) == (data["commits"], data["seals"], data["passed"], data["head"])
    expected = {
        "code": NOT_CHAIR.code,
        "name": "not-chair",
        "severity": "error",
        "path": DECISION,
        "line": 0,
        "message": data["diagnostics"][0]["message"],
        "hint": data["diagnostics"][0]["hint"],
        "commit": commit,
    }
    assert [expected] == data["diagnostics"]
    assert f"(committed by {world.worker.who[1]})" in expected["message"]
    assert list(expected) == list(data["diagnostics"][0])


def test_github_output_annotates_the_file(signed_world: SignedWorld) -> None:
    """--format github gives an ::error annotation on the decision's file."""
    world = signed_world
    commit = world.commit(world.worker, {DECISION: "decided\n"})
    code, out, _ = invoke("verify", "--repo", str(world.repo), "--format", "github")
    expected = f"::error file={DECISION},title={NOT_CHAIR.code} not-chair::commit {commit}: a decision sheet changed"
    assert (1, expected) == (code, out.splitlines()[0][: len(expected)])


def test_range_limits_what_is_verified(signed_world: SignedWorld) -> None:
    """A range verifies only its commits: an unsigned commit before it is not judged."""
    world = signed_world
    base = world.git.commit(world.repo, {"a.md": "x\n"})
    world.commit(world.worker, {"b.md": "x\n"})
    result = verify(world, f"{base}..HEAD")
    assert (1, []) == (result.commits, reasons(result))


def make_chair_a_maintainer(world: SignedWorld) -> None:
    """The chair also holds the maintainer role from the next commit on (a roster change the chair signs)."""
    people = [(world.chair, "head-of-service, maintainer", ""), (world.delegate, "service-manager", "")]
    world.commit(world.chair, {"panels/roster.yml": roster_yaml([*people, (world.worker, "social-worker", "")])})


def test_audit_start_is_the_default_range(signed_world: SignedWorld) -> None:
    """Commits up to the authority's audit_start are not verified; later ones are."""
    world = signed_world
    make_chair_a_maintainer(world)
    start = world.git.commit(world.repo, {"a.md": "unsigned history\n"})
    authority = f"name: Test Council\ncase_id_pattern: '[0-9]{{6}}'\naudit_start: {start}\n"
    world.commit(world.chair, {"panels/authority.yml": authority})
    result = verify(world)
    assert (f"{start}..{result.head}", 1, []) == (result.revision, result.commits, reasons(result))


def test_audit_start_moved_past_an_unsigned_commit_by_a_non_maintainer_is_refused(signed_world: SignedWorld) -> None:
    """The chair (not a maintainer) sets audit_start just past an unsigned edit: the unsigned commit leaves the
    range, but the commit that moved the start is in it, and is refused (P813). Before, verify passed."""
    world = signed_world
    unsigned = world.git.commit(world.repo, {"decisions/cdm/2024-02-01/123456.md": "rewritten\n"})
    authority = f"name: Test Council\ncase_id_pattern: '[0-9]{{6}}'\naudit_start: {unsigned}\n"
    moved = world.commit(world.chair, {"panels/authority.yml": authority})
    result = verify(world)
    assert [(moved, "panels/authority.yml", "audit-start-moved")] == reasons(result)
    assert "signed by p-chair, who is not a maintainer" in result.diagnostics[0].message
    code, out, _ = invoke("explain", "P813")
    assert 0 == code and "audit-start-moved" in out


def test_audit_start_moved_in_a_push_that_makes_its_signer_a_maintainer_is_refused(signed_world: SignedWorld) -> None:
    """Over a range, the roster before the range judges: granting yourself the maintainer role and moving the
    start in the same push is refused; once the role is in, a later move is accepted."""
    world = signed_world
    base = world.git.run(world.repo, "rev-parse", "HEAD").strip()
    make_chair_a_maintainer(world)
    authority = f"name: Test Council\ncase_id_pattern: '[0-9]{{6}}'\naudit_start: {base}\n"
    world.commit(world.chair, {"panels/authority.yml": authority})
    assert ["audit-start-moved"] == [name for _, _, name in reasons(verify(world, f"{base}..HEAD"))]
    accepted = world.git.run(world.repo, "rev-parse", "HEAD~1").strip()
    assert [] == reasons(verify(world, f"{accepted}..HEAD"))


def test_exit_codes_for_usage_errors(git_repo: GitFactory, signed_world: SignedWorld, tmp_path: Path) -> None:
    """Not a repository, an unknown range, a shallow clone and no roster exit 2 with a message; no traceback."""
    plain = tmp_path / "plain"
    plain.mkdir()
    shallow = tmp_path / "shallow"
    signed_world.commit(signed_world.worker, {"a.md": "x\n"})
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", signed_world.repo.as_uri(), str(shallow)],
        check=True,
        capture_output=True,
    )
    bare = git_repo.make_repo({"a.md": "x\n"}, name="no-roster")
    cases = {
        str(plain): "is not a git repository",
        str(shallow): "is a shallow clone",
        str(bare): "panels/roster.yml is not in HEAD",
    }
    for repo, message in cases.items():
        code, _, err = invoke("verify", "--repo", repo)
        assert (2, True) == (code, message in err), err
        assert "Traceback" not in err
    code, _, err = invoke("verify", "no-such-branch..HEAD", "--repo", str(signed_world.repo))
    assert (2, True) == (code, "'no-such-branch..HEAD' is not a range of commits" in err)


def test_invalid_roster_at_head_is_a_usage_error(signed_world: SignedWorld) -> None:
    """A roster that does not load exits 2 naming the file, never a traceback."""
    world = signed_world
    world.commit(world.chair, {"panels/roster.yml": "people: [\n"})
    code, _, err = invoke("verify", "--repo", str(world.repo))
    assert (2, True) == (code, "panels/roster.yml at HEAD is not a valid roster" in err)


def test_default_author_is_unknown_to_the_roster(signed_world: SignedWorld) -> None:
    """A key in the roster signing for an email no one in the roster has is refused as signer-not-committer."""
    world = signed_world
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=DEFAULT_AUTHOR, sign_with=world.worker.key)
    assert [(commit, None, "signer-not-committer")] == reasons(verify(world))


def _roster_with(world: SignedWorld, extra_key_for: Keyed, key_public: str) -> str:
    """The world's roster with one more key for `extra_key_for`."""
    roster = (world.repo / "panels/roster.yml").read_text("utf-8")
    entry = f"{{key: {extra_key_for.key.public}}}"
    assert entry in roster
    return roster.replace(entry, f"{entry}, {{key: {key_public}}}", 1)


def test_key_added_later_does_not_vouch_for_earlier_commits(signed_world: SignedWorld) -> None:
    """A commit signed with a key the roster gains only afterwards is refused, though HEAD's roster holds it.

    Without this, anyone who gets a key into the roster today could sign a change and slip it into
    the past with a chosen date: the commit would verify against today's roster.
    """
    world = signed_world
    spare = world.git.key("p-chair-spare")
    early = world.git.commit(world.repo, {"a.md": "x\n"}, "2024-02-01T09:00:00+00:00", world.chair.who, sign_with=spare)
    world.commit(world.chair, {"panels/roster.yml": _roster_with(world, world.chair, spare.public)})
    found = verify(world).diagnostics
    assert [(early, None, "key-added-later")] == [(d.commit, d.path or None, d.name) for d in found]
    assert "p-chair's key, which the roster did not give p-chair before this commit" in found[0].message


def test_key_used_in_the_commit_that_adds_it_is_refused_and_after_it_passes(signed_world: SignedWorld) -> None:
    """Adding one's own key and signing that very commit with it is refused; the next commit may use it."""
    world = signed_world
    spare = world.git.key("p-chair-spare")
    roster = {"panels/roster.yml": _roster_with(world, world.chair, spare.public)}
    adding = world.git.commit(world.repo, roster, "2024-02-01T09:00:00+00:00", world.chair.who, sign_with=spare)
    world.git.commit(world.repo, {DECISION: "decided\n"}, "2024-02-02T09:00:00+00:00", world.chair.who, sign_with=spare)
    assert [(adding, None, "key-added-later")] == reasons(verify(world))


def test_key_that_belonged_to_someone_else_then_is_refused(signed_world: SignedWorld) -> None:
    """A key the roster gave the worker when the commit was made cannot vouch for the chair's decision."""
    world = signed_world
    roster = (world.repo / "panels/roster.yml").read_text("utf-8")
    chair_key, worker_key = world.chair.key.public, world.worker.key.public
    swapped = roster.replace(chair_key, "CHAIR").replace(worker_key, chair_key).replace("CHAIR", worker_key)
    world.commit(world.chair, {"panels/roster.yml": swapped}, when="2024-02-01T09:00:00+00:00")
    decided = world.commit(world.chair, {DECISION: "decided\n"}, when="2024-02-02T09:00:00+00:00")
    # HEAD's roster now gives the chair's key to the worker: the roster swap itself is judged by it too.
    swap_back = roster
    world.commit(world.worker, {"panels/roster.yml": swap_back}, when="2024-02-03T09:00:00+00:00")
    found = reasons(verify(world))
    assert (decided, None, "key-added-later") in found
    assert (decided, DECISION, "not-chair") in found


def _alter(world: SignedWorld, path: str) -> str:
    """Rewrite the blob HEAD holds at `path` inside .git/objects, keeping its id; the blob id."""
    blob = world.git.run(world.repo, "rev-parse", f"HEAD:{path}").strip()
    loose = world.repo / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(zlib.compress(b"blob 9\0altered!\n"))
    return blob


def test_a_range_rehashes_its_own_objects_instead_of_the_whole_repository(signed_world: SignedWorld) -> None:
    """`verify A..B` re-hashes the objects the range brings: an altered blob in it is refused at its path.

    A blob only older commits bring is outside the range; verification without a range (the whole
    `git fsck`) still finds it.
    """
    world = signed_world
    world.commit(world.worker, {"old.md": "before the range\n"})
    start = world.git.run(world.repo, "rev-parse", "HEAD").strip()
    world.commit(world.worker, {"new.md": "in the range\n"})
    new_blob = _alter(world, "new.md")
    result = verify(world, f"{start}..HEAD")
    assert [("repository", "new.md", "corrupt-repository")] == reasons(result)
    assert f"object {new_blob}: the blob's content no longer matches its id" == result.diagnostics[0].message

    repaired = zlib.compress(b"blob 13\0in the range\n")
    (world.repo / ".git" / "objects" / new_blob[:2] / new_blob[2:]).write_bytes(repaired)
    assert [] == reasons(verify(world, f"{start}..HEAD"))
    world.commit(world.worker, {"newer.md": "after the repair\n"})
    old_blob = _alter(world, "old.md")
    fresh = world.git.run(world.repo, "rev-parse", "HEAD~1").strip()
    assert [] == reasons(verify(world, f"{fresh}..HEAD"))
    whole = verify(world)
    assert {("repository", None, "corrupt-repository")} == set(reasons(whole))
    assert any(old_blob in d.message for d in whole.diagnostics)


def test_a_range_with_a_missing_object_is_refused(signed_world: SignedWorld) -> None:
    """A blob deleted from .git/objects inside the range is refused as corrupt, never a traceback."""
    world = signed_world
    start = world.git.run(world.repo, "rev-parse", "HEAD").strip()
    world.commit(world.worker, {"gone.md": "soon gone\n"})
    blob = world.git.run(world.repo, "rev-parse", "HEAD:gone.md").strip()
    (world.repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    found = reasons(verify(world, f"{start}..HEAD"))
    assert found and all(reason == "corrupt-repository" for _, _, reason in found)


def test_key_the_roster_gives_to_two_people_is_refused(signed_world: SignedWorld) -> None:
    """The roster gives the worker's key to the delegate too: a commit signed with it cannot say who signed."""
    world = signed_world
    roster = (world.repo / "panels/roster.yml").read_text("utf-8")
    shared = roster.replace(world.delegate.key.public, world.worker.key.public)
    world.commit(world.chair, {"panels/roster.yml": shared}, when="2024-02-01T09:00:00+00:00")
    commit = world.commit(world.worker, {"a.md": "x\n"}, when="2024-02-02T09:00:00+00:00")
    result = verify(world)
    assert [(commit, None, "shared-key")] == reasons(result)
    assert "(p-delegate, p-worker)" in result.diagnostics[0].message


def test_commit_dated_before_its_key_was_valid_is_refused(signed_world: SignedWorld) -> None:
    """A commit dated before the key's `valid_after` day is refused as `key-not-yet-valid`."""
    world = signed_world
    early = world.commit(world.worker, {"a.md": "x\n"}, when="2024-02-20T09:00:00+00:00")
    _retire(world, "valid_after: 2024-03-01")
    result = verify(world)
    assert [(early, None, "key-not-yet-valid")] == reasons(result)
    assert "p-worker's key on 2024-02-20, before the key was valid" in result.diagnostics[0].message


def test_github_annotation_without_a_file_stands_for_the_run(signed_world: SignedWorld) -> None:
    """An unsigned commit concerns no one file: its annotation has no `file=` and names the commit."""
    world = signed_world
    commit = world.git.commit(world.repo, {"a.md": "x\n"}, author=world.worker.who)
    code, out, _ = invoke("verify", "--repo", str(world.repo), "--format", "github")
    expected = f"::error title=P801 unsigned::commit {commit}: the commit is not signed (committed by "
    assert (1, expected) == (code, out.splitlines()[0][: len(expected)])


def test_text_output_names_code_commit_and_help(signed_world: SignedWorld) -> None:
    """Text output: the checker's block (location, code, severity, message, help), then verify's summary."""
    world = signed_world
    commit = world.commit(world.worker, {DECISION: "decided\n"})
    code, out, _ = invoke("verify", "--repo", str(world.repo))
    lines = out.splitlines()
    expected = f"{DECISION}: commit {commit}: P812 [error] a decision sheet changed"
    assert (1, expected) == (code, lines[0][: len(expected)])
    assert lines[1].startswith("  help: ")
    assert "Verified 2 commits" in lines[-1]


def test_terms_widened_later_do_not_approve_an_earlier_decision(signed_world: SignedWorld) -> None:
    """A decision is judged by the terms in force when signed: letting workers chair afterwards approves nothing."""
    world = signed_world
    early = world.commit(world.worker, {DECISION: "decided\n"}, when="2024-02-01T09:00:00+00:00")
    make_chair_a_maintainer(world)  # terms are a maintainer's to change (terms-changed)
    terms = (world.repo / "panels/cdm.md").read_text(encoding="utf-8")
    widened = terms.replace("  roles: [head-of-service]\n", "  roles: [head-of-service, social-worker]\n", 1)
    assert widened != terms
    world.commit(world.chair, {"panels/cdm.md": widened}, when="2024-03-01T09:00:00+00:00")
    later = world.commit(
        world.worker, {"decisions/cdm/2024-04-01/123456.md": "decided\n"}, when="2024-04-01T09:00:00+00:00"
    )
    result = verify(world)
    assert [(early, DECISION, "not-chair")] == reasons(result)
    assert later not in {d.commit for d in result.diagnostics}


def test_a_role_given_later_does_not_approve_an_earlier_decision(signed_world: SignedWorld) -> None:
    """The signer's roles are those the roster gave them when the commit was made, not HEAD's."""
    world = signed_world
    early = world.commit(world.worker, {DECISION: "decided\n"}, when="2024-02-01T09:00:00+00:00")
    roster = (world.repo / "panels/roster.yml").read_text(encoding="utf-8")
    promoted = roster.replace("roles: [social-worker]", "roles: [head-of-service]", 1)
    assert promoted != roster
    world.commit(world.chair, {"panels/roster.yml": promoted}, when="2024-03-01T09:00:00+00:00")
    assert [(early, DECISION, "not-chair")] == reasons(verify(world))


def test_terms_widened_by_a_non_maintainer_are_refused_and_approve_nothing(signed_world: SignedWorld) -> None:
    """A chair who is not a maintainer lets social workers chair CDM (merged despite the check): the terms
    change is refused (P814); a worker's later decision under those terms is refused only as far as the
    change is, and the terms the server held still judge a push (see the range test below)."""
    world = signed_world
    terms = (world.repo / "panels/cdm.md").read_text(encoding="utf-8")
    widened = terms.replace("  roles: [head-of-service]\n", "  roles: [head-of-service, social-worker]\n", 1)
    changed = world.commit(world.chair, {"panels/cdm.md": widened}, when="2024-03-01T09:00:00+00:00")
    later = world.commit(world.worker, {DECISION: "decided\n"}, when="2024-04-01T09:00:00+00:00")
    result = verify(world)
    assert [(changed, "panels/cdm.md", "terms-changed")] == reasons(result)
    assert "the terms of reference of 'cdm' changed, signed by p-chair, who is not a maintainer" in (
        result.diagnostics[0].message
    )
    ranged = verify(world, f"{changed}~1..HEAD")
    assert {(changed, "terms-changed"), (later, "not-chair")} == {(c, n) for c, _, n in reasons(ranged)}


def test_terms_narrowed_later_do_not_refuse_an_earlier_decision(signed_world: SignedWorld) -> None:
    """The other way round: a decision the delegate signed while delegates were allowed stays approved."""
    world = signed_world
    world.commit(world.delegate, {DECISION: "decided\n"}, when="2024-02-01T09:00:00+00:00")
    make_chair_a_maintainer(world)
    terms = (world.repo / "panels/cdm.md").read_text(encoding="utf-8")
    narrowed = terms.replace("  delegate_allowed: true\n", "  delegate_allowed: false\n", 1)
    assert narrowed != terms
    world.commit(world.chair, {"panels/cdm.md": narrowed}, when="2024-03-01T09:00:00+00:00")
    assert [] == reasons(verify(world))
