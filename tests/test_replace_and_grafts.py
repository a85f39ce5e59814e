"""Replace refs and grafts, in real repositories: plain git is fooled, `panel` reads the real objects and
`panel verify` refuses the repository (P832, P833)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from conftest import PROJECT_ROOT, SignedWorld

from generator.audit.provenance import read_histories
from generator.audit.verify import verify_repository
from generator.cli import cli
from generator.git import runner
from generator.git.runner import isolated_environment
from generator.loading.repository import load_repository
from generator.pipeline.workspace import Workspace
from generator.site.assemble import render_site

TODAY = date(2024, 6, 1)
CASE = "cases/204117/case.md"
DECISION = "decisions/cdm/2024-02-01/204117.md"
MEETING = "decisions/cdm/2024-02-01/meeting.md"
MALLORY = ("Mallory Fakename", "mallory@example.invalid")


def plain_git(world: SignedWorld, *args: str) -> str:
    """Git as a member of staff runs it: no `--no-replace-objects`, grafts read."""
    result = subprocess.run(
        ["git", *args],
        cwd=world.repo,
        env=isolated_environment(world.git.home),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel ARGS`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def decided(world: SignedWorld) -> tuple[str, str]:
    """The case by the worker, then the decision by the chair; (case commit, decision commit)."""
    # The project's audit start is a commit of the project's own history, not of this one.
    authority = re.sub(r"\naudit_start: \S+", "", (PROJECT_ROOT / "panels/authority.yml").read_text(encoding="utf-8"))
    case = (PROJECT_ROOT / f"{CASE}").read_text(encoding="utf-8")
    world.commit(world.chair, {"panels/authority.yml": authority}, when="2024-01-03T09:00:00+00:00")
    first = world.commit(world.worker, {CASE: case}, when="2024-01-10T09:00:00+00:00")
    meeting = "---\npanel: cdm\ndate: 2024-02-01\nchair: p-chair\nstatus: approved\n---\n"
    second = world.commit(
        world.chair,
        {DECISION: "---\nstatus: approved\n---\nDecided: stay at home.\n", MEETING: meeting},
        when="2024-02-02T09:00:00+00:00",
    )
    return first, second


def replace_decision(world: SignedWorld, commit: str) -> str:
    """A fake commit by Mallory with another decision text put in place of `commit` with `git replace`."""
    tree = world.git.run(world.repo, "rev-parse", f"{commit}^{{tree}}").strip()
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=world.repo,
        input="---\nstatus: approved\n---\nDecided: remove from home.\n",
        env=isolated_environment(world.git.home),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    listing = world.git.run(world.repo, "ls-tree", "-r", tree)
    entries = [
        f"100644 blob {blob}\t{DECISION}" if line.endswith(f"\t{DECISION}") else line for line in listing.splitlines()
    ]
    # mktree builds one level only: rebuild the whole tree through a temporary index instead.
    index = world.git.base / "fake-index"
    env = isolated_environment(world.git.home) | {"GIT_INDEX_FILE": str(index)}
    subprocess.run(
        ["git", "update-index", "--add", "--index-info"],
        cwd=world.repo,
        input="".join(f"{entry}\n" for entry in entries),
        env=env,
        check=True,
        text=True,
    )
    fake_tree = subprocess.run(
        ["git", "write-tree"], cwd=world.repo, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    parent = world.git.run(world.repo, "rev-parse", f"{commit}^").strip()
    fake = world.git.run(
        world.repo,
        "commit-tree",
        fake_tree,
        "-p",
        parent,
        "-m",
        "Decision",
        author=MALLORY,
        when="2024-02-02T09:00:00+00:00",
    ).strip()
    world.git.run(world.repo, "replace", commit, fake)
    return fake


def test_runner_switches_off_replace_refs_and_grafts(tmp_path: Path) -> None:
    """Every call's environment: no replace refs, a grafts file that cannot exist, no other replace namespace."""
    env = runner.environment(tmp_path, {"PATH": os.defpath, "GIT_REPLACE_REF_BASE": "refs/other/"})
    assert "1" == env["GIT_NO_REPLACE_OBJECTS"]
    assert not Path(env["GIT_GRAFT_FILE"]).exists() and env["GIT_GRAFT_FILE"].startswith(os.devnull + "/")
    assert "GIT_REPLACE_REF_BASE" not in env


def test_replaced_decision_commit_fools_git_but_not_panel(signed_world: SignedWorld) -> None:
    """`git replace` swaps the chair's signed decision for Mallory's: `git log` and `git show` show the fake;
    `panel history`, the site's audit page and `panel verify` read the real commit, and verify refuses the ref."""
    world = signed_world
    _, real = decided(world)
    replace_decision(world, real)
    assert "Mallory Fakename" in plain_git(world, "log", "-1", "--format=%an")
    assert "remove from home" in plain_git(world, "show", f"HEAD:{DECISION}")

    code, out, _ = invoke("history", DECISION, "--repo", str(world.repo))
    assert 0 == code and "Chair" in out and "signed by Chair" in out and "Mallory" not in out

    repo, problems = load_repository(world.repo)
    site = render_site(Workspace(repo, tuple(sorted(problems)), date(2024, 2, 3), histories=read_histories(world.repo)))
    pages = {page.path: page.markdown for page in site.pages}
    assert real[:7] in pages["audit/cdm.md"] and "Mallory" not in "".join(pages.values())

    result = verify_repository(world.repo, None, TODAY)
    assert [("replace-refs", None)] == [(d.name, d.commit) for d in result.diagnostics]
    assert f"refs/replace/{real}" in result.diagnostics[0].message
    world.git.run(world.repo, "replace", "-d", real)
    assert [] == verify_repository(world.repo, None, TODAY).diagnostics


def test_replaced_blob_is_not_read_by_verify_or_history(signed_world: SignedWorld) -> None:
    """A replaced decision blob: plain `git show` prints the fake text, panel's reader the real one."""
    world = signed_world
    _, real = decided(world)
    original = world.git.run(world.repo, "rev-parse", f"{real}:{DECISION}").strip()
    fake = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=world.repo,
        input="---\nstatus: approved\n---\nDecided: remove from home.\n",
        env=isolated_environment(world.git.home),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    world.git.run(world.repo, "replace", original, fake)
    assert "remove from home" in plain_git(world, "show", f"HEAD:{DECISION}")
    with runner.BlobReader(world.repo) as reader:
        assert b"stay at home" in (reader.read(f"HEAD:{DECISION}") or b"")
    assert ["replace-refs"] == [d.name for d in verify_repository(world.repo, None, TODAY).diagnostics]


def test_grafts_file_hiding_commits_fools_git_but_not_panel(signed_world: SignedWorld) -> None:
    """`.git/info/grafts` makes the decision commit parentless: `git log` hides the case's creation;
    `panel history` still lists it, and `panel verify` refuses the grafts file."""
    world = signed_world
    created, real = decided(world)
    (world.repo / ".git" / "info" / "grafts").write_text(f"{real}\n", encoding="utf-8")
    assert [real] == plain_git(world, "log", "--format=%H").split()

    code, out, _ = invoke("history", CASE, "--repo", str(world.repo), "--format", "json")
    assert 0 == code and created in out

    result = verify_repository(world.repo, None, TODAY)
    assert ["graft-file"] == [d.name for d in result.diagnostics]
    assert 4 == result.commits, "every commit was verified, the hidden ones included"
    (world.repo / ".git" / "info" / "grafts").unlink()
    assert [] == verify_repository(world.repo, None, TODAY).diagnostics


def test_verify_cli_names_the_codes_and_what_to_do(signed_world: SignedWorld) -> None:
    """The text output: P832 with the ref and the hint, exit 1."""
    world = signed_world
    _, real = decided(world)
    replace_decision(world, real)
    code, out, _ = invoke("verify", "--repo", str(world.repo))
    assert 1 == code
    assert "P832" in out and "git update-ref -d REF" in out
