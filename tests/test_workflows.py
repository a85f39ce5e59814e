"""The CI workflows, the pre-commit hook definition and the templates stay in step with the `panel` command.

Every `panel ...` command line in them is parsed by the real command-line parser, so an option
that is renamed or removed fails here, not silently in a council's CI.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from conftest import GitFactory

from generator.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github" / "workflows" / "panel.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-hooks.yaml"
CHECKLIST = [
    "Papers dated",
    "Authorisations",
    "Sections complete",
    "Referral before the deadline",
    "No names in file names",
    "Signed commits",
    "Corrections supersede",
]


def load(path: Path) -> Any:
    """The YAML file, read with PyYAML's safe loader."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def panel_lines(script: str) -> list[list[str]]:
    """Every `panel ...` command in a shell script, split into words (variables and redirections kept as words)."""
    commands = []
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith("panel "):
            words = shlex.split(stripped)
            commands.append(words[: words.index(">")] if ">" in words else words)
    return commands


def parses(words: list[str]) -> None:
    """Parse `panel WORDS` with the real command's parser (nothing runs); raises on an unknown option or value."""
    assert "panel" == words[0]
    context = click.Context(cli)
    command = cli.get_command(context, words[1])
    assert command is not None, f"no command {words[1]!r}"
    command.make_context(words[1], list(words[2:]), parent=context)


def github_steps() -> list[dict[str, Any]]:
    """The steps of the GitHub workflow's checking job (the other one keeps the witness)."""
    jobs = load(GITHUB)["jobs"]
    assert ["panel", "witness"] == list(jobs)
    steps: list[dict[str, Any]] = jobs["panel"]["steps"]
    return steps


def github_runs() -> list[str]:
    """Every `run:` script of the GitHub workflow."""
    return [step["run"] for step in github_steps() if "run" in step]


def gitlab_scripts() -> list[str]:
    """Every script line of every GitLab job, `before_script` included."""
    config = load(GITLAB)
    scripts = list(config["default"]["before_script"])
    for name, job in config.items():
        if isinstance(job, dict) and "script" in job:
            scripts += job["script"]
            assert "test" == job["stage"], name
    return scripts


def test_github_runs_on_pull_requests_pushes_to_main_and_nightly() -> None:
    """The workflow triggers on every pull request, on pushes to main and nightly (the `on` key is a string)."""
    workflow = load(GITHUB)
    assert {"pull_request", "push", "schedule", "workflow_dispatch"} == set(workflow["on"])
    assert {"branches": ["main"]} == workflow["on"]["push"]
    assert 1 == len(workflow["on"]["schedule"])
    assert {"contents": "read"} == workflow["permissions"]


def test_github_checks_out_the_whole_history_of_the_pull_requests_head() -> None:
    """Full depth (arrival times, verification) and the pull request's own head, not GitHub's merge commit."""
    checkout = next(step for step in github_steps() if step.get("uses", "").startswith("actions/checkout@"))
    assert 0 == checkout["with"]["fetch-depth"]
    assert "${{ github.event.pull_request.head.sha || github.sha }}" == checkout["with"]["ref"]
    assert checkout["with"]["persist-credentials"] is False


def test_github_actions_are_pinned_by_commit() -> None:
    """Every action is pinned by a full commit id, with the version named in a comment."""
    lines = [line for line in GITHUB.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    pinned = re.compile(r"\s+(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*")
    assert 4 == len(lines)
    assert [] == [line for line in lines if not pinned.fullmatch(line)]


def test_the_witness_is_kept_by_ci_only_after_a_push_to_main_passed() -> None:
    """The witness job needs the checks, runs on pushes to main alone, and is the only one that may write."""
    workflow = load(GITHUB)
    job = workflow["jobs"]["witness"]
    assert ("panel", "github.event_name == 'push' && github.ref == 'refs/heads/main'") == (job["needs"], job["if"])
    assert {"contents": "write"} == job["permissions"] and {"contents": "read"} == workflow["permissions"]
    script = job["steps"][-1]["run"]
    assert 'panel witness --key "$RUNNER_TEMP/witness_key" --ref refs/heads/main' in script
    parses(shlex.split('panel witness --key "$RUNNER_TEMP/witness_key" --ref refs/heads/main'))
    gitlab = load(GITLAB)["panel-witness"]
    assert "$PANEL_WITNESS_KEY" in gitlab["rules"][0]["if"] and "$CI_PIPELINE_SOURCE" in gitlab["rules"][0]["if"]
    assert any(line.startswith("panel witness ") for line in gitlab["script"])


def test_github_runs_check_and_verify_with_annotations() -> None:
    """Pull requests: check what changed and verify the new commits, both as annotations; pushes: everything."""
    runs = github_runs()
    assert 'panel check --changed --base "origin/$BASE_REF" --format github' in runs
    assert 'panel verify "origin/$BASE_REF..HEAD" --branch --format github' in runs
    assert "panel check --format github" in runs
    assert "panel verify --format github" in runs
    assert any('panel verify "$BEFORE..HEAD" --format github' in run for run in runs)
    assert "python -m pip install --quiet ." in runs
    verify_steps = [step for step in github_steps() if step.get("run", "").startswith("panel verify")]
    # Verification runs even when the check found problems, so both sets of annotations appear.
    assert [] == [step["name"] for step in verify_steps if "!cancelled()" not in step["if"]]


def test_gitlab_fetches_everything_and_publishes_the_code_quality_report() -> None:
    """GIT_DEPTH 0, the check written as the code quality report (kept when it fails), and verify run."""
    config = load(GITLAB)
    assert "0" == config["variables"]["GIT_DEPTH"]
    assert "--tags" in config["variables"]["GIT_FETCH_EXTRA_FLAGS"].split()
    check = config["panel-check"]
    assert {"when": "always", "reports": {"codequality": "gl-code-quality-report.json"}} == check["artifacts"]
    script = "\n".join(check["script"])
    assert (
        'panel check --changed --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --format gitlab'
        " > gl-code-quality-report.json"
    ) in script
    verify = "\n".join(config["panel-verify"]["script"])
    assert 'panel verify "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME..HEAD" --branch' in verify
    assert 'panel verify "$CI_COMMIT_BEFORE_SHA..HEAD"' in verify
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in config["workflow"]["rules"]


@pytest.mark.parametrize("source", ["github", "gitlab"])
def test_every_panel_command_in_ci_parses(source: str) -> None:
    """Each `panel` command the CI files run is accepted by the real parser (options and format names exist)."""
    scripts = github_runs() if source == "github" else gitlab_scripts()
    commands = [words for script in scripts for words in panel_lines(script)]
    assert {"github": 6, "gitlab": 6}[source] == len(commands)
    for words in commands:
        parses(words)


def test_pre_commit_hook_definition() -> None:
    """One `panel-check` hook: python, no file names passed, only the document folders; no verify hook."""
    hooks = load(PRE_COMMIT)
    assert ["panel-check"] == [hook["id"] for hook in hooks]
    hook = hooks[0]
    assert "panel check --changed --base HEAD" == hook["entry"]
    assert "python" == hook["language"]
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    paths = ["cases/123456/case.md", "decisions/cdm/2024-02-01/meeting.md", "panels/roster.yml", "docs/audit.md"]
    assert [True, True, True, False] == [files.search(path) is not None for path in paths]
    parses(shlex.split(hook["entry"]))


@pytest.mark.parametrize("template", [".github/pull_request_template.md", ".gitlab/merge_request_templates/Default.md"])
def test_templates_carry_the_panel_checklist(template: str) -> None:
    """Both templates have every checklist item as an unticked box."""
    text = (ROOT / template).read_text(encoding="utf-8")
    assert [] == [item for item in CHECKLIST if f"- [ ] **{item}**" not in text]


def _run_with_recording_panel(script: str, repo: Path, env: dict[str, str], tmp_path: Path) -> list[str]:
    """Run a CI shell script in `repo` with a `panel` that only records its arguments; the lines recorded."""
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    log = tmp_path / "panel-calls"
    (shim / "panel").write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    (shim / "panel").chmod(0o755)
    path = f"{shim}:{os.environ['PATH']}"
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, env={**os.environ, **env, "PATH": path}, check=True)
    calls = log.read_text(encoding="utf-8").splitlines()
    log.unlink()
    return calls


@pytest.mark.parametrize("source", ["github", "gitlab"])
def test_a_push_verifies_its_own_range_and_a_new_history_everything(
    source: str, git_repo: GitFactory, tmp_path: Path
) -> None:
    """The push step's script: `<before>..HEAD` when git knows the before commit, the whole history when it
    does not (a first push: zeros); GitLab's scheduled pipeline verifies everything."""
    repo = git_repo.init()
    before = git_repo.commit(repo, {"a.md": "one\n"})
    git_repo.commit(repo, {"a.md": "two\n"})
    zeros = "0" * 40
    if source == "github":
        script = next(step["run"] for step in github_steps() if step.get("name") == "Verify the pushed commits")
        assert [f"verify {before}..HEAD --format github"] == _run_with_recording_panel(
            script, repo, {"BEFORE": before}, tmp_path
        )
        assert ["verify --format github"] == _run_with_recording_panel(script, repo, {"BEFORE": zeros}, tmp_path)
        return
    script = "\n".join(load(GITLAB)["panel-verify"]["script"])
    push = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "", "CI_PIPELINE_SOURCE": "push"}
    assert [f"verify {before}..HEAD"] == _run_with_recording_panel(
        script, repo, {**push, "CI_COMMIT_BEFORE_SHA": before}, tmp_path
    )
    assert ["verify"] == _run_with_recording_panel(script, repo, {**push, "CI_COMMIT_BEFORE_SHA": zeros}, tmp_path)
    nightly = {**push, "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BEFORE_SHA": before}
    assert ["verify"] == _run_with_recording_panel(script, repo, nightly, tmp_path)
