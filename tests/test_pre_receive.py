"""hooks/pre-receive on a real bare repository: pushes from a clone, signed with real ssh-keygen keys.

Each refused push must leave the server exactly as it was: the same refs, and none of the
pushed commits (git keeps a refused push's objects in quarantine and then drops them).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DEFAULT_WHEN, PROJECT_ROOT, GitFactory, Keyed, roster_yaml, signing_options
from test_immutability import (
    BASE_FILES,
    DECISION,
    DRAFT,
    DRAFT_MEETING,
    HEARD,
    LATER,
    LATER_MEETING,
    MEETING,
    RECORD,
    decision,
    meeting,
    record,
)

from generator.git.runner import isolated_environment
from generator.tools.demo import copy_panels

HOOK = PROJECT_ROOT / "hooks" / "pre-receive"


def panel_program(folder: Path) -> Path:
    """A `panel` program in `folder` that runs this checkout's generator with this interpreter.

    The hook runs with git's isolated environment, so the virtualenv's own `panel` would import
    whatever checkout the virtualenv was installed from, not the code under test.
    """
    program = folder / "panel"
    if not program.exists():
        root, python = shlex.quote(str(PROJECT_ROOT)), shlex.quote(sys.executable)
        program.write_text(f'#!/bin/sh\nPYTHONPATH={root} exec {python} -m generator "$@"\n', encoding="utf-8")
        program.chmod(0o755)
    return program


AUTHORITY = """name: Test Council
case_id_pattern: "[0-9]{6}"
teams:
  - id: t1
    name: Team One
"""


def case(case_id: str, note: str = "A test case.") -> str:
    """A case file that passes `panel check`."""
    return (
        f'---\nid: "{case_id}"\nchildren:\n  - id: c1\n    name: Test Child\n    date_of_birth: 2016-03-14\n'
        "    gender: female\n    ethnicity: White British\n    legal_status: cp\n    legal_status_since: 2024-01-20\n"
        f"worker: p-worker\nteam: t1\n---\n\n{note}\n"
    )


INCOMPLETE_REFERRAL = """---
panel: cdm
meeting: 2024-02-05
case: "123456"
request: review-pre-proceedings
children: [c1]
ground: services-not-working
sought: Agreement to end pre-proceedings.
presenter: p-worker
emergency: false
documents: []
authorisations: []
---

# Review of pre-proceedings
"""


@dataclass
class Push:
    """A bare server repository with the hook installed, a clone to push from, and the roster's people."""

    git: GitFactory
    server: Path
    client: Path
    chair: Keyed
    worker: Keyed
    stranger: Keyed

    def commit(
        self, person: Keyed, files: dict[str, str | None], *, key: Keyed | None = None, when: str = DEFAULT_WHEN
    ) -> str:
        """Commit `files` in the clone as `person` at `when`, signed with `key` (default: their own; None deletes)."""
        signer = key or person
        return self.git.commit(self.client, files, when, person.who, sign_with=signer.key)

    def unsigned(self, person: Keyed, files: dict[str, str | None]) -> str:
        """Commit `files` in the clone as `person`, unsigned."""
        return self.git.commit(self.client, files, author=person.who)

    def push(self, *args: str) -> tuple[int, str]:
        """`git push origin ARGS` from the clone: exit status and standard error (the hook's words)."""
        result = subprocess.run(
            ["git", "push", "--porcelain", "origin", *args],
            cwd=self.client,
            env=isolated_environment(self.git.home),
            capture_output=True,
            text=True,
            check=False,
        )
        return result.returncode, result.stderr

    def refs(self) -> str:
        """Every ref of the server with what it points at."""
        return self.git.run(self.server, "for-each-ref", "--format=%(objectname) %(refname)")

    def has(self, commit: str) -> bool:
        """Whether the server holds the object `commit`."""
        result = subprocess.run(
            ["git", "cat-file", "-e", commit],
            cwd=self.server,
            env=isolated_environment(self.git.home),
            capture_output=True,
            check=False,
        )
        return result.returncode == 0


def install_hook(git: GitFactory, server: Path) -> None:
    """Copy the hook into the bare repository and point it at this checkout's `panel`."""
    target = server / "hooks" / "pre-receive"
    shutil.copyfile(HOOK, target)
    target.chmod(0o755)
    git.run(server, "config", "panel.command", str(panel_program(git.base)))


def seed_files(people: list[Keyed], worker_key_dates: str = "") -> dict[str, str | None]:
    """The server's first commit: roster (the first two people only), authority, two panels, a case.

    `worker_key_dates` gives the worker's key dates in the roster (`revoked: 2024-03-01`).
    """
    roles = {"p-chair": "head-of-service", "p-worker": "social-worker"}
    dates = {"p-worker": worker_key_dates}
    panels = {f"panels/{name}.md": (PROJECT_ROOT / f"panels/{name}.md").read_text("utf-8") for name in ("cdm", "lpm")}
    return {
        "panels/roster.yml": roster_yaml([(p, roles[p.id], dates.get(p.id, "")) for p in people if p.id in roles]),
        "panels/authority.yml": AUTHORITY,
        **panels,
        "cases/123456/case.md": case("123456"),
    }


def people(git: GitFactory) -> list[Keyed]:
    """A chair and a social worker in the roster, and a stranger who is not."""
    return [
        Keyed(pid, (pid.removeprefix("p-").title(), f"{pid.removeprefix('p-')}@example.invalid"), git.key(pid))
        for pid in ("p-chair", "p-worker", "p-stranger")
    ]


def serve(git: GitFactory, crew: list[Keyed], files: dict[str, str | None], *, when: str = DEFAULT_WHEN) -> Push:
    """A bare server holding `files` in one commit on main, signed by `crew[0]` and pushed before the hook went in."""
    server = git.base / "server.git"
    server.mkdir(parents=True)
    git.run(server, "init", "-q", "--bare", "--initial-branch=main")
    client = git.init("client")
    world = Push(git, server, client, *crew[:3])
    git.commit(client, files, when, crew[0].who, sign_with=crew[0].key)
    git.run(client, "remote", "add", "origin", str(server))
    assert 0 == world.push("main")[0]
    install_hook(git, server)
    return world


@pytest.fixture
def push(git_repo: GitFactory) -> Push:
    """A server holding a signed first commit on main (pushed before the hook went in), and a clone of it."""
    crew = people(git_repo)
    return serve(git_repo, crew, seed_files(crew))


def assert_refused(world: Push, before: str, result: tuple[int, str], reason: str) -> None:
    """The push failed, the hook said `reason`, and the server's refs are as they were."""
    code, stderr = result
    assert 0 != code
    assert "push refused; nothing was applied" in stderr
    assert reason in stderr, stderr
    assert before == world.refs()


def test_hook_is_an_executable_script() -> None:
    """The hook in the project is executable and starts with a shebang, as git needs."""
    assert HOOK.stat().st_mode & 0o111
    assert HOOK.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")


def test_first_push_to_an_empty_server_is_verified_and_checked(git_repo: GitFactory) -> None:
    """Into an empty repository: a whole new history, signed by roster keys and complete, is accepted."""
    chair, worker, _ = people(git_repo)
    server = git_repo.base / "server.git"
    server.mkdir(parents=True)
    git_repo.run(server, "init", "-q", "--bare", "--initial-branch=main")
    install_hook(git_repo, server)
    client = git_repo.init("client")
    world = Push(git_repo, server, client, chair, worker, worker)
    world.commit(chair, seed_files([chair, worker]))
    tip = world.commit(worker, {"cases/123457/case.md": case("123457")})
    git_repo.run(client, "remote", "add", "origin", str(server))
    code, stderr = world.push("main")
    assert 0 == code, stderr
    assert "remote: panel: refs/heads/main: 2 new commits verified" in stderr
    assert f"{tip} refs/heads/main\n" == world.refs()


def test_good_signed_push_is_accepted(push: Push) -> None:
    """Two commits signed by their committers, complete documents: accepted, main moves."""
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    tip = push.commit(push.worker, {"cases/123457/case.md": case("123457", "Updated.")})
    code, stderr = push.push("main")
    assert 0 == code, stderr
    assert f"{tip} refs/heads/main\n" == push.refs()


def test_unsigned_commit_is_refused(push: Push) -> None:
    """An unsigned commit: refused as `unsigned`, nothing applied."""
    before = push.refs()
    push.unsigned(push.worker, {"cases/123457/case.md": case("123457")})
    assert_refused(push, before, push.push("main"), ": P801 unsigned: the commit is not signed")


def test_key_not_in_the_roster_is_refused(push: Push) -> None:
    """A commit signed by a key the roster does not hold: refused as `unknown-key`."""
    before = push.refs()
    push.commit(push.stranger, {"cases/123457/case.md": case("123457")})
    assert_refused(push, before, push.push("main"), ": P805 unknown-key: ")


def test_decision_signed_by_a_non_chair_is_refused(push: Push) -> None:
    """A decision sheet committed and signed by a social worker: refused as `not-chair`, naming the file."""
    before = push.refs()
    push.commit(push.worker, {"decisions/cdm/2024-02-01/123456.md": "---\nstatus: draft\n---\n"})
    assert_refused(push, before, push.push("main"), "decisions/cdm/2024-02-01/123456.md: P812 not-chair: ")


def test_incomplete_referral_is_refused_by_the_check(push: Push) -> None:
    """A properly signed referral that lacks its papers and sections: refused with the check's errors."""
    before = push.refs()
    push.commit(push.worker, {"cases/123456/referrals/2024-02-05-cdm.md": INCOMPLETE_REFERRAL})
    code, stderr = push.push("main")
    assert_refused(push, before, (code, stderr), "cases/123456/referrals/2024-02-05-cdm.md:14: P404 missing-section")
    assert "unsigned" not in stderr


def test_force_push_rewriting_main_is_refused(push: Push) -> None:
    """A properly signed commit that replaces main's history: refused as a rewrite."""
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    assert 0 == push.push("main")[0]
    before = push.refs()
    push.git.run(push.client, "reset", "-q", "--hard", "HEAD~1")
    push.commit(push.worker, {"cases/123458/case.md": case("123458")})
    assert_refused(push, before, push.push("--force", "main"), "rewriting history (a force push) is not allowed")


def test_deleting_main_is_refused(push: Push) -> None:
    """`git push origin :main`: refused."""
    before = push.refs()
    assert_refused(push, before, push.push(":main"), "deleting refs/heads/main is not allowed")


def test_one_bad_commit_among_several_refuses_them_all(push: Push) -> None:
    """Three commits, the middle one unsigned: none of them reaches the server, not even as objects."""
    before = push.refs()
    good = push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    bad = push.unsigned(push.worker, {"cases/123458/case.md": case("123458")})
    last = push.commit(push.worker, {"cases/123459/case.md": case("123459")})
    code, stderr = push.push("main")
    assert_refused(push, before, (code, stderr), f"commit {bad}: P801 unsigned")
    assert f"commit {good}" not in stderr
    assert [] == [c for c in (good, bad, last) if push.has(c)]


def test_bad_branch_in_a_push_of_two_refs_refuses_both(push: Push) -> None:
    """A good main and a feature branch with an unsigned commit, pushed together: neither ref moves."""
    before = push.refs()
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    push.git.run(push.client, "branch", "feature")
    push.git.run(push.client, "checkout", "-q", "feature")
    push.unsigned(push.worker, {"cases/123458/case.md": case("123458")})
    code, stderr = push.push("main", "feature")
    assert_refused(push, before, (code, stderr), "remote:   - commit")
    assert "remote: refs/heads/feature:" in stderr
    assert "remote: refs/heads/main:" not in stderr


def test_feature_branch_is_verified_but_not_checked(push: Push) -> None:
    """A draft referral on a feature branch is accepted (its pull request's check blocks the merge); main is not."""
    push.git.run(push.client, "checkout", "-q", "-b", "feature")
    tip = push.commit(push.worker, {"cases/123456/referrals/2024-02-05-cdm.md": INCOMPLETE_REFERRAL})
    assert 0 == push.push("feature")[0]
    assert tip in push.refs()
    before = push.refs()
    # Main gains the branch's commit by fast-forward: nothing new to the server, but main is checked.
    assert_refused(push, before, push.push("feature:main"), "P404 missing-section")


def test_key_added_to_the_roster_cannot_sign_in_the_same_push(push: Push) -> None:
    """A push that adds a stranger's key to the roster and a commit signed with it: refused by the server's roster."""
    before = push.refs()
    everyone = [push.chair, push.worker, push.stranger]
    roster = roster_yaml([(p, "social-worker", "") for p in everyone])
    push.commit(push.chair, {"panels/roster.yml": roster})
    stranger = push.commit(push.stranger, {"cases/123457/case.md": case("123457")})
    code, stderr = push.push("main")
    assert_refused(push, before, (code, stderr), f"commit {stranger}: P805 unknown-key: ")
    assert "(judged by the roster and terms the server holds)" in stderr


def test_self_promotion_is_judged_by_the_roster_the_server_holds(push: Push) -> None:
    """A worker makes themself head of service on a branch and signs a decision there: refused all the same."""
    before = push.refs()
    push.git.run(push.client, "checkout", "-q", "-b", "feature")
    roles = {"p-chair": "head-of-service", "p-worker": "head-of-service"}
    push.commit(
        push.worker, {"panels/roster.yml": roster_yaml([(p, roles[p.id], "") for p in (push.chair, push.worker)])}
    )
    decision = push.commit(push.worker, {"decisions/cdm/2024-02-01/123456.md": "---\nstatus: draft\n---\n"})
    code, stderr = push.push("feature")
    reason = f"commit {decision}: decisions/cdm/2024-02-01/123456.md: P812 not-chair: "
    assert_refused(push, before, (code, stderr), reason)
    # A role the push itself brings is not in force for the push's own commits, so even the push's
    # own roster refuses it; the server's roster says the same, and the reason is given once.
    assert 1 == stderr.count(reason)


def test_seal_tags_cannot_be_deleted_or_moved(push: Push) -> None:
    """A seal, once on the server, is neither deleted nor replaced."""
    push.git.run(push.server, "tag", "seal/cdm/2024-02-01", "main")
    before = push.refs()
    assert_refused(push, before, push.push(":refs/tags/seal/cdm/2024-02-01"), "deleting the seal")
    push.git.run(push.client, "tag", "seal/cdm/2024-02-01", "HEAD")
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    push.git.run(push.client, "tag", "-f", "seal/cdm/2024-02-01", "HEAD")
    assert_refused(push, before, push.push("--force", "seal/cdm/2024-02-01"), "is never replaced")


def test_replace_ref_push_is_refused_and_nothing_applied(push: Push) -> None:
    """`refs/replace/<commit>` would make plain git show a substitute commit: refused (P834), with the branch
    pushed beside it, and the server holds neither."""
    before = push.refs()
    head = push.git.run(push.client, "rev-parse", "HEAD").strip()
    fake = push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    push.git.run(push.client, "replace", head, fake)
    result = push.push("main", f"refs/replace/{head}")
    assert_refused(push, before, result, f"P834 ref-not-allowed: refs/replace/{head} is a replace ref")
    assert not push.has(fake)


@pytest.mark.parametrize(
    "ref", ["refs/notes/commits", "refs/tags/v1.0", "refs/private/x", "refs/tags/witness/forged", "refs/for/main"]
)
def test_refs_outside_the_allow_list_are_refused(push: Push, ref: str) -> None:
    """Only branches and seal tags are accepted: notes, plain tags, other namespaces and witness tags are not."""
    before = push.refs()
    assert_refused(push, before, push.push(f"HEAD:{ref}"), f"P834 ref-not-allowed: {ref} is ")


def test_the_allow_list_is_widened_by_configuration_but_never_to_replace_refs(push: Push) -> None:
    """`panel.allowRef refs/notes/*` lets notes through; `panel.allowRef refs/*` still refuses refs/replace/."""
    push.git.run(push.server, "config", "--add", "panel.allowRef", "refs/notes/*")
    code, stderr = push.push("HEAD:refs/notes/commits")
    assert 0 == code, stderr
    push.git.run(push.server, "config", "--add", "panel.allowRef", "refs/*")
    before = push.refs()
    head = push.git.run(push.client, "rev-parse", "HEAD").strip()
    assert_refused(push, before, push.push(f"HEAD:refs/replace/{head}"), "is a replace ref")


def test_the_hooks_own_git_reads_ignore_grafts(push: Push) -> None:
    """A grafts file on the server giving the rewritten commit main's head as its parent makes a rewrite of main
    look like a fast-forward to plain git (the hook before this change accepted it); the hook reads the real
    parents and refuses the force push."""
    head = push.git.run(push.server, "rev-parse", "main").strip()
    push.git.run(push.client, "checkout", "-q", "--orphan", "other")
    rewritten = push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    (push.server / "info").mkdir(exist_ok=True)
    (push.server / "info" / "grafts").write_text(f"{rewritten} {head}\n", encoding="utf-8")
    before = push.refs()
    assert_refused(push, before, push.push("--force", "other:main"), "rewriting history (a force push) is not allowed")


def test_new_branch_from_two_known_branches_verifies_only_its_own_commits(push: Push) -> None:
    """A new branch merging two branches the server holds: only its merge and the commit on top are verified."""
    push.git.run(push.client, "checkout", "-q", "-b", "one")
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    push.git.run(push.client, "checkout", "-q", "-b", "two", "main")
    push.commit(push.worker, {"cases/123458/case.md": case("123458")})
    assert 0 == push.push("one", "two")[0]
    push.git.run(push.client, "checkout", "-q", "-b", "both")
    merge_key = signing_options(push.worker.key)
    push.git.run(push.client, *merge_key, "merge", "-q", "-S", "--no-edit", "one", author=push.worker.who)
    push.commit(push.worker, {"cases/123459/case.md": case("123459")})
    code, stderr = push.push("both")
    assert 0 == code, stderr
    assert "remote: panel: refs/heads/both: 2 new commits verified" in stderr


# Every refusal `panel verify` and `panel check` make in tests/test_verify.py, test_immutability.py
# and test_machinery.py, made again through a push, so that the hook is shown to run each rule.


def _signed_by_someone_else(push: Push) -> str:
    """The worker commits, signed with the chair's roster key: git says G, the signer is not the committer."""
    commit = push.commit(push.worker, {"cases/123457/case.md": case("123457")}, key=push.chair)
    return f"commit {commit}: P807 signer-not-committer: "


def _merge(push: Push, *, signed: bool) -> str:
    """Merge branch `topic` into main with a merge commit by the worker (signed or not); the merge's id."""
    push.git.run(push.client, "checkout", "-q", "main")
    push.commit(push.worker, {"cases/123458/case.md": case("123458")})
    signing = signing_options(push.worker.key) if signed else []
    sign = ["-S"] if signed else []
    push.git.run(
        push.client, *signing, "merge", "-q", *sign, "--no-ff", "-m", "Merge topic", "topic", author=push.worker.who
    )
    return push.git.run(push.client, "rev-parse", "HEAD").strip()


def _unsigned_inside_a_merged_branch(push: Push) -> str:
    """A branch of signed, unsigned, signed commits, merged into main by a signed merge (only the tip is signed)."""
    push.git.run(push.client, "checkout", "-q", "-b", "topic")
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    unsigned = push.unsigned(push.worker, {"cases/123457/case.md": case("123457", "Second.")})
    push.commit(push.worker, {"cases/123457/case.md": case("123457", "Third.")})
    _merge(push, signed=True)
    return f"commit {unsigned}: P801 unsigned: "


def _unsigned_merge(push: Push) -> str:
    """Two signed branches joined by an unsigned merge commit."""
    push.git.run(push.client, "checkout", "-q", "-b", "topic")
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    merge = _merge(push, signed=False)
    return f"commit {merge}: P801 unsigned: "


def _bad_signature(push: Push) -> str:
    """A signed commit whose message is changed afterwards, signature kept: git says B."""
    signed = push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    raw = push.git.run(push.client, "cat-file", "commit", signed)
    assert "-----BEGIN SSH SIGNATURE-----" in raw
    forged = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=push.client,
        env=isolated_environment(push.git.home),
        input=raw.replace("Change cases/123457/case.md", "Change nothing at all"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    push.git.run(push.client, "update-ref", "refs/heads/main", forged, signed)
    return f"commit {forged}: P802 bad-signature: "


def _minutes_approved_by_a_worker(push: Push) -> str:
    """The worker may commit the draft meeting record, but not the commit that approves the minutes."""
    minutes = "decisions/cdm/2024-02-01/meeting.md"
    front = "---\npanel: cdm\ndate: 2024-02-01\nchair: p-chair\nstatus: {}\n---\n"
    push.commit(push.worker, {minutes: front.format("draft")})
    approval = push.commit(push.worker, {minutes: front.format("approved")})
    return f"commit {approval}: {minutes}: P812 not-chair: "


def _decision_edited_in_a_merge(push: Push) -> str:
    """The chair's decision on main, quietly changed by the worker while resolving a merge (an "evil merge")."""
    path = "decisions/cdm/2024-02-01/123456.md"
    push.commit(push.chair, {path: "---\nstatus: draft\n---\n"})
    push.git.run(push.client, "checkout", "-q", "-b", "topic")
    push.commit(push.worker, {"cases/123457/case.md": case("123457")})
    push.git.run(push.client, "checkout", "-q", "main")
    push.commit(push.worker, {"cases/123458/case.md": case("123458")})
    push.git.run(push.client, "merge", "-q", "--no-ff", "--no-commit", "topic", author=push.worker.who)
    (push.client / path).write_text("---\nstatus: approved\n---\n", encoding="utf-8")
    push.git.run(push.client, "add", "--", path)
    signing = signing_options(push.worker.key)
    push.git.run(push.client, *signing, "commit", "-q", "-S", "-m", "Merge topic", author=push.worker.who)
    merge = push.git.run(push.client, "rev-parse", "HEAD").strip()
    return f"commit {merge}: {path}: P812 not-chair: "


@pytest.mark.parametrize(
    "make",
    [
        _signed_by_someone_else,
        _unsigned_inside_a_merged_branch,
        _unsigned_merge,
        _bad_signature,
        _minutes_approved_by_a_worker,
        _decision_edited_in_a_merge,
    ],
    ids=[
        "signer-not-committer",
        "unsigned-inside-merged-branch",
        "unsigned-merge",
        "bad-signature",
        "minutes-not-chair",
        "decision-edited-in-a-merge",
    ],
)
def test_signature_refusals_through_the_hook(push: Push, make: Callable[[Push], str]) -> None:
    """Each signature case of THREATS.md pushed to main as a fast-forward: refused with the commit and the reason."""
    before = push.refs()
    reason = make(push)
    assert_refused(push, before, push.push("main"), reason)


@pytest.mark.parametrize(
    ("dates", "reason"), [("valid_before: 2024-03-01", "P809 expired-key"), ("revoked: 2024-03-01", "P810 revoked-key")]
)
def test_backdated_commit_with_a_retired_key_is_refused(git_repo: GitFactory, dates: str, reason: str) -> None:
    """A commit dated before the worker's key retired (git: G) and covered by no seal: refused."""
    crew = people(git_repo)
    world = serve(git_repo, crew, seed_files(crew, dates))
    before = world.refs()
    backdated = world.git.commit(
        world.client,
        {"cases/123457/case.md": case("123457")},
        "2024-02-20T09:00:00+00:00",
        world.worker.who,
        sign_with=world.worker.key,
    )
    assert_refused(world, before, world.push("main"), f"commit {backdated}: {reason}: ")


# The changes test_immutability.py and test_machinery.py refuse, on a server holding the project's
# panels and roster, with fresh keys for the CMR chair (June), a member (Maud) and a maintainer (Yola).

BASE_TIME = "2026-10-01T09:00:00+01:00"
BRANCH_TIME = "2026-11-20T09:00:00+00:00"
ROSTER = "panels/roster.yml"
KEY_LINE = re.compile(r"- key: ssh-ed25519 \S+")


def with_keys(roster: str, keyed: list[Keyed]) -> str:
    """The roster with each person's first signing key replaced by their fresh one (or given it, if keyless)."""
    for person in keyed:
        start = roster.index(f"- id: {person.id}\n")
        ends = [i for i in (roster.find("\n  - id: ", start), roster.find("\n  #", start)) if i >= 0]
        end = min(ends, default=len(roster.rstrip("\n")))
        found = KEY_LINE.search(roster, start, end)
        if found is None:
            roster = roster[:end] + f"\n    signing_keys:\n      - key: {person.key.public}" + roster[end:]
        else:
            roster = roster[: found.start()] + f"- key: {person.key.public}" + roster[found.end() :]
    return roster


@pytest.fixture
def decided(git_repo: GitFactory) -> Push:
    """A server whose main holds test_immutability's approved decision, minutes, heard referral and a record."""
    crew = [
        Keyed(pid, (f"{first} {last}", f"{first.lower()}.{last.lower()}@example.invalid"), git_repo.key(pid))
        for pid, first, last in (
            ("p-orrelby-june", "June", "Orrelby"),
            ("p-kestering-maud", "Maud", "Kestering"),
            ("p-rendlesham-yola", "Yola", "Rendlesham"),
        )
    ]
    panels = git_repo.base / "panels"
    copy_panels(PROJECT_ROOT, panels)
    files: dict[str, str | None] = {
        f"panels/{path.relative_to(panels / 'panels').as_posix()}": path.read_text("utf-8")
        for path in (panels / "panels").rglob("*")
        if path.is_file()
    }
    roster = files[ROSTER]
    authority = files["panels/authority.yml"]
    assert roster is not None and authority is not None
    files[ROSTER] = with_keys(roster, crew)
    # The project's audit start is a commit of the project's own history, not of this one.
    files["panels/authority.yml"] = re.sub(r"\naudit_start: \S+", "", authority)
    files |= {**BASE_FILES, RECORD: record(), "mkdocs.yml": "# version 1\n"}
    return serve(git_repo, crew, files, when=BASE_TIME)


CORRECTION = DECISION.removesuffix(".md") + ".v2.md"
SUPERSEDED_TWICE = {
    LATER_MEETING: meeting("2026-12-01", ["100001"]),
    LATER: decision("2026-12-01", supersedes=DECISION),
    "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100001"]),
    "decisions/cmr/2026-11-10/100001.md": decision("2026-11-10", supersedes=DECISION),
}
SUPERSESSION_LOOP = {
    LATER_MEETING: meeting("2026-12-01", ["100001"]),
    LATER: decision("2026-12-01", supersedes="decisions/cmr/2026-11-10/100001.md"),
    "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100001"]),
    "decisions/cmr/2026-11-10/100001.md": decision("2026-11-10", supersedes=LATER),
}
OTHER_CASE_SUPERSEDED = {
    DRAFT_MEETING: meeting("2026-11-17", ["100002"]),
    DRAFT: decision("2026-11-17", "100002", supersedes=DECISION),
}
DANGLING_SUPERSEDES = {
    LATER_MEETING: meeting("2026-12-01", ["100001"]),
    LATER: decision("2026-12-01", supersedes="decisions/cmr/2026-11-10/100001.md"),
}
DRAFT_SUPERSEDED = {
    "decisions/cmr/2026-11-10/meeting.md": meeting("2026-11-10", ["100002"]),
    "decisions/cmr/2026-11-10/100002.md": decision("2026-11-10", "100002", supersedes=DRAFT),
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            {DECISION: decision("2026-11-24", agreed="Close the case")},
            f"{DECISION}:9: P701 approved-decision-changed",
            id="P701-decision-edited",
        ),
        pytest.param({DECISION: None}, f"{DECISION}: P701 approved-decision-changed", id="P701-decision-deleted"),
        pytest.param(
            {MEETING: meeting("2026-11-24", ["100001"], body="Minutes, amended.")},
            f"{MEETING}:19: P702 approved-minutes-changed",
            id="P702-minutes-edited",
        ),
        pytest.param({MEETING: None}, f"{MEETING}: P702 approved-minutes-changed", id="P702-minutes-deleted"),
        pytest.param(
            {HEARD: BASE_FILES[HEARD].replace("sought: A review", "sought: Another review")},
            f"{HEARD}:8: P703 heard-referral-changed",
            id="P703-heard-referral-edited",
        ),
        pytest.param({HEARD: None}, f"{HEARD}: P703 heard-referral-changed", id="P703-heard-referral-deleted"),
        pytest.param(
            {RECORD: record("Nothing happened.")}, f"{RECORD}:6: P711 record-changed", id="P711-record-edited"
        ),
        pytest.param({RECORD: None}, f"{RECORD}: P711 record-changed", id="P711-record-deleted"),
        pytest.param(SUPERSEDED_TWICE, f"{LATER}:14: P704 superseded-twice", id="P704-superseded-twice"),
        pytest.param(SUPERSESSION_LOOP, f"{LATER}:14: P705 supersession-loop", id="P705-supersession-loop"),
        pytest.param(
            OTHER_CASE_SUPERSEDED, f"{DRAFT}:14: P706 supersession-mismatch", id="P706-supersession-mismatch-case"
        ),
        pytest.param(DANGLING_SUPERSEDES, f"{LATER}:14: P310 unknown-reference", id="P310-dangling-supersedes"),
        pytest.param(
            DRAFT_SUPERSEDED, "decisions/cmr/2026-11-10/100002.md:14: P707 draft-superseded", id="P707-draft-superseded"
        ),
        pytest.param(
            {CORRECTION: decision("2026-11-24", agreed="Close the case")},
            f"{CORRECTION}:1: P712 correction-out-of-line",
            id="P712-correction-without-supersedes",
        ),
        pytest.param(
            {"mkdocs.yml": "# version 2\n"}, "mkdocs.yml: P708 unauthorised-machinery-change", id="P708-mkdocs"
        ),
        pytest.param(
            {"generator/new_rule.py": "# new\n"},
            "generator/new_rule.py: P708 unauthorised-machinery-change",
            id="P708-generator",
        ),
    ],
)
def test_refused_changes_through_the_hook(decided: Push, change: dict[str, str | None], reason: str) -> None:
    """The chair, signing properly, pushes a change the check refuses: refused with the file, line and rule."""
    before = decided.refs()
    decided.commit(decided.chair, change, when=BRANCH_TIME)
    code, stderr = decided.push("main")
    assert_refused(decided, before, (code, stderr), reason)
    assert "remote:   - commit " not in stderr, "the chair's commit itself must verify"


JUNE_ID = "  - id: p-orrelby-june\n"


def _june_edited(roster: str, old: str, new: str) -> str:
    """The roster with the first `old` inside June's entry replaced by `new`."""
    at = roster.index(old, roster.index(JUNE_ID))
    return roster[:at] + new + roster[at + len(old) :]


def _june_entry(roster: str) -> str:
    """June's entry, from her `- id:` line to the next person's comment or entry."""
    start = roster.index(JUNE_ID)
    return roster[start : roster.index("\n  #", start) + 1]


def _line_after_june(roster: str, fragment: str) -> int:
    return roster[: roster.index(fragment, roster.index(JUNE_ID))].count("\n") + 1


def _roster_key_added(roster: str, other_key: str) -> tuple[str, int]:
    changed = _june_edited(roster, "    signing_keys:\n", f"    signing_keys:\n      - key: {other_key}\n")
    return changed, _line_after_june(changed, "    signing_keys:")


def _roster_email_changed(roster: str, other_key: str) -> tuple[str, int]:
    changed = _june_edited(roster, "email: june.orrelby@", "email: someone.else@")
    return changed, _line_after_june(changed, "email: someone.else@")


def _roster_delegate_added(roster: str, other_key: str) -> tuple[str, int]:
    changed = _june_edited(
        roster, "    team: mash-assessment\n", "    team: mash-assessment\n    delegate_for: [cdm]\n"
    )
    return changed, _line_after_june(changed, "delegate_for: [cdm]")


def _roster_person_added(roster: str, other_key: str) -> tuple[str, int]:
    june = _june_entry(roster)
    jay = re.sub(r"- key: ssh-ed25519 \S+", f"- key: {other_key}", june)
    jay = jay.replace("p-orrelby-june", "p-orrelby-jay").replace("june.orrelby", "jay.orrelby")
    changed = roster.replace(june, june + jay, 1)
    return changed, changed[: changed.index("- id: p-orrelby-jay")].count("\n") + 1


def _roster_person_removed(roster: str, other_key: str) -> tuple[str, int]:
    start = roster.index("  - id: p-pellinore-dax\n")
    end = roster.index("\n  #", start) + 1
    return roster[:start] + roster[end:], 0


def _roster_role_added(roster: str, other_key: str) -> tuple[str, int]:
    changed = _june_edited(roster, "roles: [head-of-service]", "roles: [head-of-service, maintainer]")
    return changed, _line_after_june(changed, "roles: [head-of-service, maintainer]")


@pytest.mark.parametrize(
    "edit",
    [
        _roster_role_added,
        _roster_key_added,
        _roster_email_changed,
        _roster_delegate_added,
        _roster_person_added,
        _roster_person_removed,
    ],
    ids=["role", "key-added", "email-changed", "delegate-added", "person-added", "person-removed"],
)
def test_roster_change_by_a_non_maintainer_is_refused(
    decided: Push, edit: Callable[[str, str], tuple[str, int]]
) -> None:
    """The chair, signing properly, changes authority in the roster: refused at the line (P709).

    A removed person is refused on the file as a whole (line 0, printed without a line).
    """
    before = decided.refs()
    roster, line = edit((decided.client / ROSTER).read_text("utf-8"), decided.git.key("p-other").public)
    decided.commit(decided.chair, {ROSTER: roster}, when=BRANCH_TIME)
    code, stderr = decided.push("main")
    where = f"{ROSTER}:{line}" if line else ROSTER
    assert_refused(decided, before, (code, stderr), f"{where}: P709 unauthorised-roster-change")
    if edit is _roster_email_changed:
        # By the roster the push brings, June's commit is signed by someone.else@, not by its committer.
        assert "signer-not-committer" in stderr
    else:
        assert "remote:   - commit " not in stderr, "the chair's commit itself must verify"


def test_malformed_roster_key_is_refused_at_its_line_without_a_traceback(decided: Push) -> None:
    """The maintainer pushes a roster whose new key is cut short: refused at the key's line, nothing applied."""
    before = decided.refs()
    whole = decided.git.key("p-other").public
    roster, line = _roster_key_added((decided.client / ROSTER).read_text("utf-8"), whole[:-4] + "AA==")
    decided.commit(decided.stranger, {ROSTER: roster}, when=BRANCH_TIME)
    code, stderr = decided.push("main")
    assert_refused(decided, before, (code, stderr), f"{ROSTER}:{line + 1}: ")
    assert "the key's body is cut short" in stderr and "Traceback" not in stderr


def test_correction_by_a_non_chair_is_refused(decided: Push) -> None:
    """A same-meeting correction of a decision is a decision: the maintainer, not the chair, may not push it."""
    before = decided.refs()
    correction = {CORRECTION: decision("2026-11-24", supersedes=DECISION, agreed="Close the case")}
    decided.commit(decided.stranger, correction, when=BRANCH_TIME)
    assert_refused(decided, before, decided.push("main"), f"{CORRECTION}: P812 not-chair: ")


def _roster_role_change(world: Push) -> dict[str, str | None]:
    """June's roles in the roster gain `maintainer`."""
    return {ROSTER: _roster_role_added((world.client / ROSTER).read_text("utf-8"), "")[0]}


@pytest.mark.parametrize(
    ("who", "change"),
    [
        pytest.param(
            "chair",
            {
                LATER_MEETING: meeting("2026-12-01", ["100001"]),
                LATER: decision("2026-12-01", supersedes=DECISION, agreed="Close the case"),
            },
            id="superseding-decision-by-the-chair",
        ),
        pytest.param(
            "chair",
            {CORRECTION: decision("2026-11-24", supersedes=DECISION, agreed="Close the case")},
            id="same-meeting-correction-by-the-chair",
        ),
        pytest.param("stranger", {"mkdocs.yml": "# version 2\n"}, id="mkdocs-by-a-maintainer"),
        pytest.param("stranger", {"generator/new_rule.py": "# new\n"}, id="generator-by-a-maintainer"),
        pytest.param("stranger", _roster_role_change, id="roster-role-by-a-maintainer"),
    ],
)
def test_allowed_counterparts_are_accepted(
    decided: Push, who: str, change: dict[str, str | None] | Callable[[Push], dict[str, str | None]]
) -> None:
    """The correction the rules ask for, and the maintainer's own changes, go through: main moves."""
    person = {"chair": decided.chair, "stranger": decided.stranger}[who]
    tip = decided.commit(person, change(decided) if callable(change) else change, when=BRANCH_TIME)
    code, stderr = decided.push("main")
    assert 0 == code, stderr
    assert f"{tip} refs/heads/main\n" == decided.refs()


def test_named_delegate_signs_where_the_panel_allows_it(git_repo: GitFactory) -> None:
    """A named delegate (for CDM and LPM in the roster) signs a decision on a branch: CDM accepted, LPM refused.

    CDM's terms allow a delegate to chair (`chair.delegate_allowed: true`), LPM's do not. Branches
    are verified, not checked, so the signing rule alone decides.
    """
    chair, worker, _ = people(git_repo)
    delegate = Keyed("p-delegate", ("Delegate", "delegate@example.invalid"), git_repo.key("p-delegate"))
    files = seed_files([chair, worker])
    roster = roster_yaml(
        [(chair, "head-of-service", ""), (worker, "social-worker", ""), (delegate, "service-manager", "")]
    )
    assert "delegate_for: [cdm, lpm]" in roster
    world = serve(git_repo, [chair, worker, delegate], {**files, "panels/roster.yml": roster})
    assert "delegate_allowed: false" in (world.client / "panels/lpm.md").read_text("utf-8")
    assert "delegate_allowed: true" in (world.client / "panels/cdm.md").read_text("utf-8")
    before = world.refs()
    world.git.run(world.client, "checkout", "-q", "-b", "lpm", "main")
    lpm = world.commit(delegate, {"decisions/lpm/2024-02-01/123456.md": "---\nstatus: draft\n---\n"})
    reason = f"commit {lpm}: decisions/lpm/2024-02-01/123456.md: P812 not-chair: "
    assert_refused(world, before, world.push("lpm"), reason)
    world.git.run(world.client, "checkout", "-q", "-b", "cdm", "main")
    cdm = world.commit(delegate, {"decisions/cdm/2024-02-01/123456.md": "---\nstatus: draft\n---\n"})
    code, stderr = world.push("cdm")
    assert 0 == code, stderr
    assert f"{cdm} refs/heads/cdm\n" in world.refs()


# Seals: the server's main already holds the approved CMR meeting of 2026-11-24, which June seals.

SEAL = "seal/cmr/2026-11-24"
SEAL_TIME = "2026-11-25T09:00:00+00:00"


def make_seal(world: Push) -> None:
    """`panel seal cmr 2026-11-24` in the clone at its HEAD, as June with her key (as staff set it up)."""
    for key, value in (
        ("user.name", world.chair.who[0]),
        ("user.email", world.chair.who[1]),
        ("user.signingkey", str(world.chair.key.private)),
    ):
        world.git.run(world.client, "config", key, value)
    env = isolated_environment(world.git.home) | {"GIT_COMMITTER_DATE": SEAL_TIME}
    result = subprocess.run(
        [str(panel_program(world.git.base)), "seal", "cmr", "2026-11-24", "--repo", str(world.client)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode, result.stderr


@pytest.fixture
def sealed(decided: Push) -> Push:
    """The `decided` server with June's seal of its meeting pushed (and accepted)."""
    make_seal(decided)
    code, stderr = decided.push(f"refs/tags/{SEAL}")
    assert 0 == code, stderr
    assert f"refs/tags/{SEAL}\n" in decided.refs()
    return decided


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            {DECISION: decision("2026-11-24", agreed="Close the case")},
            "P826 sealed-file-changed",
            id="sealed-file-edited",
        ),
        pytest.param({DECISION: None}, "P827 sealed-file-deleted", id="sealed-file-deleted"),
    ],
)
def test_sealed_decision_changed_on_main_is_refused(sealed: Push, change: dict[str, str | None], reason: str) -> None:
    """The chair edits or deletes a sealed decision on main: the seal's blobs no longer match HEAD's."""
    before = sealed.refs()
    sealed.commit(sealed.chair, change, when=BRANCH_TIME)
    assert_refused(sealed, before, sealed.push("main"), f"seal {SEAL}: {DECISION}: {reason}: ")


def test_rewritten_re_signed_history_under_a_seal_is_refused(sealed: Push) -> None:
    """A branch rewriting the sealed commit, re-signed with the chair's valid key: the commit verifies, the seal not.

    Main itself cannot be moved onto such a history (a force push is refused); the branch is
    refused when pushed, because the seals are judged against the history pushed.
    """
    before = sealed.refs()
    sealed.git.run(sealed.client, "checkout", "-q", "--orphan", "rewrite")
    rewritten = decision("2026-11-24", agreed="Close the case")
    sealed.commit(sealed.chair, {DECISION: rewritten}, when=BASE_TIME)
    code, stderr = sealed.push("rewrite")
    assert_refused(sealed, before, (code, stderr), f"seal {SEAL}: P825 seal-not-in-history: ")
    assert f"seal {SEAL}: {DECISION}: P826 sealed-file-changed: " in stderr
    assert "remote:   - commit " not in stderr, "the rewritten commit itself verifies"


def test_new_seal_outside_mains_history_is_refused(decided: Push) -> None:
    """A seal made on a commit main does not contain (an unpushed branch), pushed as a tag alone: refused."""
    before = decided.refs()
    decided.git.run(decided.client, "checkout", "-q", "-b", "aside")
    decided.commit(
        decided.chair,
        {"cases/100001/case.md": BASE_FILES["cases/100001/case.md"] + "\nAside.\n"},
        when=BRANCH_TIME,
    )
    make_seal(decided)
    assert_refused(decided, before, decided.push(f"refs/tags/{SEAL}"), f"seal {SEAL}: P825 seal-not-in-history: ")


def test_a_branch_forked_before_a_seal_is_accepted(decided: Push) -> None:
    """A work branch forked before the chair sealed a later commit on main does not hold the sealed commit:
    the hook verifies the branch's own commits and leaves the seal to main, which still holds it."""
    case_file = BASE_FILES["cases/100001/case.md"]
    assert case_file is not None
    decided.git.run(decided.client, "branch", "work")
    decided.commit(decided.chair, {"cases/100001/case.md": case_file + "\nSeen again.\n"}, when=BRANCH_TIME)
    code, stderr = decided.push("main")
    assert 0 == code, stderr
    make_seal(decided)
    code, stderr = decided.push(f"refs/tags/{SEAL}")
    assert 0 == code, stderr
    decided.git.run(decided.client, "checkout", "-q", "work")
    decided.commit(decided.chair, {"cases/100001/case.md": case_file + "\nWork.\n"}, when=BRANCH_TIME)
    before = decided.refs()
    code, stderr = decided.push("work")
    assert (0, True) == (code, before != decided.refs()), stderr
