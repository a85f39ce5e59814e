"""The server's witness of the protected branch: made by the hook after each push, judged by `panel verify`.

A real bare server with hooks/pre-receive installed as both `pre-receive` and `post-receive`, a
witness key made by ssh-keygen, real signed commits and seals pushed from a clone. In the clone,
the attacks that pass without a witness: the last commit rewritten and re-signed by its own author
after the last seal, and a seal tag deleted (then a rewritten sealed decision passes).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from conftest import PROJECT_ROOT, GitFactory, Keyed, SignedWorld, SshKey, signing_options
from test_immutability import BASE_FILES, DECISION, decision, record
from test_pre_receive import (
    BASE_TIME,
    BRANCH_TIME,
    HOOK,
    RECORD,
    ROSTER,
    SEAL,
    Push,
    make_seal,
    panel_program,
    serve,
    with_keys,
)

from generator.audit.provenance import read_histories
from generator.audit.verify import Verification, verify_repository
from generator.audit.witness import parse_message, split_witness_file, witness_message
from generator.cli import cli
from generator.git.runner import isolated_environment
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site
from generator.tools.demo import copy_panels

TODAY = date(2026, 12, 1)
CASE = "cases/100001/case.md"


def load_hook() -> ModuleType:
    """hooks/pre-receive as a module (it has no .py suffix: git runs it by name)."""
    loader = importlib.machinery.SourceFileLoader("pre_receive_hook", str(HOOK))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up while it loads
    loader.exec_module(module)
    return module


@dataclass
class Witnessed:
    """A server that keeps witnesses, its clone, and the witness key."""

    push: Push
    key: SshKey

    @property
    def log(self) -> Path:
        """The server's witness log."""
        return self.push.server / "panel-witness.log"

    def verify(self, *witness_files: Path) -> Verification:
        """`panel verify` of the clone, with the witness files given."""
        files = [(str(path), path.read_bytes()) for path in witness_files]
        return verify_repository(self.push.client, None, TODAY, witness_files=files)

    def fetch(self) -> None:
        """Fetch the server's tags (witnesses and seals) into the clone."""
        self.push.git.run(self.push.client, "fetch", "-q", "--tags", "origin")

    def witness_tags(self) -> list[str]:
        """The witness tags the clone holds."""
        return self.push.git.run(self.push.client, "tag", "--list", "witness/*").split()


def names(result: Verification) -> list[str]:
    """The name of every refusal."""
    return [d.name for d in result.diagnostics]


def crew_of(git: GitFactory) -> list[Keyed]:
    """June chairs CMR, Maud and Yola are social workers (as in test_pre_receive's `decided`)."""
    return [
        Keyed(pid, (f"{first} {last}", f"{first.lower()}.{last.lower()}@example.invalid"), git.key(pid))
        for pid, first, last in (
            ("p-orrelby-june", "June", "Orrelby"),
            ("p-kestering-maud", "Maud", "Kestering"),
            ("p-rendlesham-yola", "Yola", "Rendlesham"),
        )
    ]


@pytest.fixture
def witnessed(git_repo: GitFactory) -> Witnessed:
    """test_pre_receive's `decided` server, whose authority lists the server's witness key, keeping witnesses."""
    crew = crew_of(git_repo)
    key = git_repo.key("server-witness")
    panels = git_repo.base / "panels"
    copy_panels(PROJECT_ROOT, panels)
    files: dict[str, str | None] = {
        f"panels/{path.relative_to(panels / 'panels').as_posix()}": path.read_text("utf-8")
        for path in (panels / "panels").rglob("*")
        if path.is_file()
    }
    roster, authority = files[ROSTER], files["panels/authority.yml"]
    assert roster is not None and authority is not None
    files[ROSTER] = with_keys(roster, crew)
    authority = re.sub(r"\naudit_start: \S+", "", authority)
    files["panels/authority.yml"] = authority + f"witness_keys:\n  - {key.public}\n"
    files |= {**BASE_FILES, RECORD: record(), "mkdocs.yml": "# version 1\n"}
    push = serve(git_repo, crew, files, when=BASE_TIME)
    post = push.server / "hooks" / "post-receive"
    shutil.copyfile(HOOK, post)
    post.chmod(0o755)
    git_repo.run(push.server, "config", "panel.witnessKey", str(key.private))
    return Witnessed(push, key)


@pytest.fixture
def sealed(witnessed: Witnessed) -> Witnessed:
    """The chair's seal pushed (first witness), then a worker's signed commit on main (second witness)."""
    push = witnessed.push
    make_seal(push)
    code, stderr = push.push(f"refs/tags/{SEAL}")
    assert 0 == code, stderr
    assert "panel: witnessed refs/heads/main as witness/" in stderr
    case_file = BASE_FILES[CASE]
    assert case_file is not None
    push.commit(push.worker, {CASE: case_file + "\nSeen after the meeting.\n"}, when=BRANCH_TIME)
    code, stderr = push.push("main")
    assert 0 == code, stderr
    witnessed.fetch()
    return witnessed


def test_the_hook_and_the_package_write_the_same_witness_message() -> None:
    """The hook runs without the package, so it keeps its own copy of the format: the two must agree."""
    seals = {"seal/cmr/2026-11-24": "a" * 40, "seal/cdm/2026-09-14": "b" * 40}
    args = ("refs/heads/main", "c" * 40, "2026-12-01T09:00:00Z", seals)
    assert witness_message(*args) == load_hook().witness_message(*args)
    claim = parse_message(witness_message(*args))
    assert claim is not None and (claim.head, claim.seals) == ("c" * 40, seals)


def test_each_push_to_main_and_each_seal_keeps_a_signed_witness(sealed: Witnessed) -> None:
    """Two witnesses: as tags on the server (and so in the clone) and in the log, byte for byte; verify passes."""
    push = sealed.push
    tags = push.git.run(push.server, "for-each-ref", "--format=%(refname)", "refs/tags/witness/").split()
    assert 2 == len(tags) == len(sealed.witness_tags())
    entries = split_witness_file(sealed.log.read_bytes())
    assert [push.git.run(push.server, "cat-file", "tag", tag).encode() for tag in tags] == sorted(
        entries, key=lambda entry: tags.index("refs/tags/" + entry.split(b"\ntag ")[1].split(b"\n")[0].decode())
    )
    head = push.git.run(push.client, "rev-parse", "HEAD").strip()
    seal_id = push.git.run(push.client, "rev-parse", f"refs/tags/{SEAL}").strip()
    latest = entries[-1].decode()
    assert f"Head: {head}\n" in latest and f"{seal_id} {SEAL}\n" in latest
    result = sealed.verify(sealed.log)
    assert ([], 2) == (result.diagnostics, result.witnesses)
    code, out, _ = invoke("verify", "--repo", str(push.client), "--witness", str(sealed.log))
    assert 0 == code and out.rstrip().endswith("against 2 witnesses: every one passes."), out


def test_last_commit_rewritten_and_re_signed_by_its_author_after_the_last_seal_is_caught(sealed: Witnessed) -> None:
    """The worker amends their own last commit and signs it again: every commit verifies, the witness does not.

    Without a witness this passed (it still does once the clone's witness tags are deleted, which is
    why the server's log, outside every clone, is the copy to verify against).
    """
    push = sealed.push
    case_file = BASE_FILES[CASE]
    assert case_file is not None
    (push.client / CASE).write_text(case_file + "\nSomething else entirely.\n", encoding="utf-8")
    push.git.run(push.client, "add", CASE)
    push.git.run(
        push.client,
        *signing_options(push.worker.key),
        "commit",
        "-q",
        "--amend",
        "--no-edit",
        "-S",
        when=BRANCH_TIME,
        author=push.worker.who,
    )
    assert ["witnessed-commit-missing"] == names(sealed.verify())
    for tag in sealed.witness_tags():
        push.git.run(push.client, "tag", "-d", tag)
    assert [] == names(sealed.verify()), "the gap a witness outside the clone closes"
    result = sealed.verify(sealed.log)
    assert ["witnessed-commit-missing"] == names(result)
    assert "is no longer in HEAD's history: history was rewritten" in result.diagnostics[0].message


def test_deleted_seal_and_rewritten_sealed_decision_are_caught(sealed: Witnessed) -> None:
    """In a clone the seal is deleted and the sealed decision rewritten by the chair's valid key: verify passed
    that (no seal left to compare); the server's witness lists the seal, so now it is refused."""
    push = sealed.push
    push.git.run(push.client, "tag", "-d", SEAL)
    for tag in sealed.witness_tags():
        push.git.run(push.client, "tag", "-d", tag)
    push.commit(push.chair, {DECISION: decision("2026-11-24", agreed="Close the case")}, when=BRANCH_TIME)
    assert [] == names(sealed.verify()), "without a witness the rewrite passes"
    result = sealed.verify(sealed.log)
    assert ["witnessed-seal-missing", "witnessed-seal-missing"] == names(result)
    assert all(SEAL in d.message for d in result.diagnostics)


def test_seal_made_again_over_the_original_is_caught_as_moved(sealed: Witnessed) -> None:
    """The seal deleted and made again by the chair (a new tag object): refused as moved."""
    push = sealed.push
    push.git.run(push.client, "tag", "-d", SEAL)
    push.git.run(push.client, "checkout", "-q", "--detach", "HEAD~1")
    env = isolated_environment(push.git.home) | {"GIT_COMMITTER_DATE": "2026-11-26T09:00:00+00:00"}
    program = str(panel_program(push.git.base))
    seal = subprocess.run([program, "seal", "cmr", "2026-11-24", "--repo", str(push.client)], env=env, check=False)
    assert 0 == seal.returncode
    push.git.run(push.client, "checkout", "-q", "main")
    result = sealed.verify(sealed.log)
    assert {"witnessed-seal-moved"} == set(names(result))


def test_witness_not_signed_by_the_servers_key_is_refused(sealed: Witnessed) -> None:
    """A witness tag made in a clone with the chair's roster key, and a log entry edited, are both refused."""
    push = sealed.push
    head = push.git.run(push.client, "rev-parse", "HEAD").strip()
    message = witness_message("refs/heads/main", head, "2026-12-01T09:00:00Z", {})
    push.git.run(
        push.client,
        *signing_options(push.chair.key),
        "tag",
        "-s",
        "-m",
        message,
        "witness/forged",
        head,
        author=push.chair.who,
    )
    assert [("witness/forged", "bad-witness")] == [(d.commit, d.name) for d in sealed.verify().diagnostics]
    push.git.run(push.client, "tag", "-d", "witness/forged")
    tampered = sealed.push.git.base / "tampered.log"
    raw = sealed.log.read_bytes()
    tampered.write_bytes(raw.replace(b"Seals: 1\n\n", b"Seals: 0\n\n", 1).replace(b" seal/cmr/2026-11-24\n", b"\n", 1))
    found = sealed.verify(tampered).diagnostics
    assert ["bad-witness"] == [d.name for d in found] and "(from " in (found[0].commit or "")


def test_witness_tags_without_witness_keys_in_the_authority_are_refused(sealed: Witnessed) -> None:
    """A maintainer removing the server's key from the authority does not silence its witnesses."""
    push = sealed.push
    path = push.client / "panels" / "authority.yml"
    text = path.read_text(encoding="utf-8").replace(f"witness_keys:\n  - {sealed.key.public}\n", "")
    push.commit(push.chair, {"panels/authority.yml": text}, when=BRANCH_TIME)
    found = sealed.verify().diagnostics
    assert ["bad-witness", "bad-witness"] == [d.name for d in found]
    assert all("lists no witness_keys" in d.message for d in found)


def test_post_receive_without_a_witness_key_says_so(witnessed: Witnessed) -> None:
    """No key configured: the push is applied (post-receive cannot undo it) and the hook warns, loudly."""
    push = witnessed.push
    push.git.run(push.server, "config", "--unset", "panel.witnessKey")
    case_file = BASE_FILES[CASE]
    assert case_file is not None
    push.commit(push.worker, {CASE: case_file + "\nAgain.\n"}, when=BRANCH_TIME)
    code, stderr = push.push("main")
    assert 0 == code, stderr
    assert "WARNING: no witness was kept for this push: no witness kept: set `git config panel.witnessKey" in stderr
    assert not witnessed.log.exists()


def test_unreadable_witness_file_is_a_usage_error(sealed: Witnessed) -> None:
    """A witness file that does not exist: exit 2 with the reason, no traceback."""
    code, _, err = invoke("verify", "--repo", str(sealed.push.client), "--witness", "/nonexistent/witness.log")
    assert 2 == code and "witness" in err and "Traceback" not in err


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel ARGS`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_site_shows_the_latest_witness_and_publishes_it_for_verify(sealed: Witnessed) -> None:
    """The audit area gets a witness page (head, seals) and `audit/witness.txt`, the tag object itself: a copy
    outside every clone that `panel verify --witness` reads, catching a rewritten tip like the server's log."""
    push = sealed.push
    repo, problems = load_repository(push.client)
    data = Workspace(repo, tuple(sorted(problems)), TODAY, histories=read_histories(push.client))
    site = render_site(data)
    pages = {page.path: page.markdown for page in site.pages}
    head = push.git.run(push.client, "rev-parse", "HEAD").strip()
    seal_id = push.git.run(push.client, "rev-parse", f"refs/tags/{SEAL}").strip()
    assert f"| refs/heads/main | {head} |" in pages["audit/witness.md"]
    assert f"| {SEAL} | {seal_id} |" in pages["audit/witness.md"]
    asset = next(a for a in site.assets if a.path == "audit/witness.txt")
    copy = push.git.base / "witness.txt"
    copy.write_bytes(asset.data.replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # as a browser on Windows may save it
    assert ([], 2) == (sealed.verify(copy).diagnostics, sealed.verify(copy).witnesses)
    for tag in sealed.witness_tags():
        push.git.run(push.client, "tag", "-d", tag)
    push.git.run(push.client, "reset", "-q", "--hard", "HEAD~1")
    push.commit(push.worker, {CASE: "rewritten\n"}, when=BRANCH_TIME)
    assert ["witnessed-commit-missing"] == names(sealed.verify(copy))


def test_no_witness_page_without_witnesses(witnessed: Witnessed) -> None:
    """A repository the server has not witnessed yet (the demo among them) gets no witness page."""
    repo, problems = load_repository(witnessed.push.client)
    data = Workspace(repo, tuple(sorted(problems)), TODAY, histories=read_histories(witnessed.push.client))
    site = render_site(data)
    assert "audit/witness.md" not in {page.path for page in site.pages}
    assert "audit/witness.txt" not in {asset.path for asset in site.assets}


def test_panel_witness_makes_the_same_witness_where_no_server_hook_runs(signed_world: SignedWorld) -> None:
    """`panel witness --key` (the GitHub workflow's job) tags main's head, signed, and appends it to a log;
    verify passes, then refuses once the witnessed head is rewritten."""
    world = signed_world
    key = world.git.key("ci-witness")
    authority = f"name: Test Council\ncase_id_pattern: '[0-9]{{6}}'\nwitness_keys:\n  - {key.public}\n"
    world.commit(world.chair, {"panels/authority.yml": authority})
    world.commit(world.worker, {"cases/123456/case.md": "case\n"})
    log = world.git.base / "witness.log"
    code, out, err = invoke("witness", "--repo", str(world.repo), "--key", str(key.private), "--log", str(log))
    assert 0 == code, err
    assert out.startswith("witnessed refs/heads/main as witness/")
    result = verify_repository(world.repo, None, TODAY, witness_files=[("log", log.read_bytes())])
    assert ([], 1) == (result.diagnostics, result.witnesses)
    world.git.run(world.repo, "reset", "-q", "--hard", "HEAD~1")
    world.commit(world.worker, {"cases/123456/case.md": "other\n"})
    assert ["witnessed-commit-missing"] == [d.name for d in verify_repository(world.repo, None, TODAY).diagnostics]
    code, _, err = invoke("witness", "--repo", str(world.repo), "--key", str(key.private), "--ref", "main")
    assert 2 == code and "is not a branch" in err


def test_a_range_judges_the_newest_witness_only(sealed: Witnessed) -> None:
    """A push's or pull request's range reads one witness tag, the newest (it holds every earlier head and
    seal); the whole verification reads them all. A rewritten tip is refused either way."""
    push = sealed.push
    base = push.git.run(push.client, "rev-parse", "HEAD~1").strip()
    ranged = verify_repository(push.client, f"{base}..HEAD", TODAY)
    assert ([], 1) == (ranged.diagnostics, ranged.witnesses)
    assert 2 == sealed.verify().witnesses
    push.git.run(push.client, "reset", "-q", "--hard", "HEAD~1")
    push.commit(push.worker, {CASE: "rewritten\n"}, when=BRANCH_TIME)
    ranged = verify_repository(push.client, f"{base}..HEAD", TODAY)
    assert ["witnessed-commit-missing"] == names(ranged)
