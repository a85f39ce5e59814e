"""`panel codeowners`: CODEOWNERS from the roster and the panels' terms, the same bytes every time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from conftest import PROJECT_ROOT, Files

from generator.audit.codeowners import MACHINERY
from generator.cli import cli

PANELS = {f"panels/{name}.md": (PROJECT_ROOT / f"panels/{name}.md").read_text("utf-8") for name in ("cdm", "lpm")}

ROSTER = """people:
  - id: p-head
    name: Head
    roles: [head-of-service]
    email: head@example.invalid
  - id: p-deputy
    name: Deputy
    roles: [service-manager]
    email: deputy@example.invalid
    delegate_for: [cdm, lpm]
  - id: p-keeper
    name: Keeper
    roles: [maintainer, social-worker]
    email: keeper@example.invalid
  - id: p-second-head
    name: Second Head
    roles: [head-of-service]
    email: another.head@example.invalid
  - id: p-no-email
    name: No Email
    roles: [head-of-service]
  - id: p-worker
    name: Worker
    roles: [social-worker]
    email: worker@example.invalid
"""


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `panel` with `args`: exit code, standard output, standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_owners_follow_chair_roles_delegates_and_maintainers(make_files: Callable[[Files], Path]) -> None:
    """CDM allows a delegate, LPM does not; maintainers own the machinery; the worker owns nothing."""
    repo = make_files({"panels/roster.yml": ROSTER, **PANELS})
    code, out, err = invoke("codeowners", "--repo", str(repo))
    assert 0 == code, err
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    expected = [f"{path} keeper@example.invalid" for path in MACHINERY] + [
        "/decisions/cdm/ another.head@example.invalid deputy@example.invalid head@example.invalid",
        "/decisions/lpm/ another.head@example.invalid head@example.invalid",
    ]
    assert expected == lines
    assert "worker@example.invalid" not in out
    assert "note: p-no-email has no email, so cannot be a code owner: left out\n" == err


def test_machinery_the_brief_names_is_owned() -> None:
    """panels/, mkdocs.yml, the generator, workflows, hooks and scripts are all maintainers' paths."""
    named = ["/panels/", "/mkdocs.yml", "/generator/", "/.github/", "/.gitlab-ci.yml", "/hooks/", "/scripts/"]
    assert [] == [path for path in named if path not in MACHINERY]


def test_same_roster_in_another_order_gives_the_same_bytes(make_files: Callable[[Files], Path]) -> None:
    """The people's order in the roster does not change the file."""
    blocks = ROSTER.removeprefix("people:\n").split("  - id:")[1:]
    shuffled = "people:\n" + "".join(f"  - id:{block}" for block in reversed(blocks))
    first = invoke("codeowners", "--repo", str(make_files({"panels/roster.yml": ROSTER, **PANELS})))
    second = invoke("codeowners", "--repo", str(make_files({"panels/roster.yml": shuffled, **PANELS})))
    assert first == second


def test_out_writes_the_file(make_files: Callable[[Files], Path], tmp_path: Path) -> None:
    """`--out FILE` writes exactly what would be printed."""
    repo = make_files({"panels/roster.yml": ROSTER, **PANELS})
    target = tmp_path / "CODEOWNERS"
    code, out, _ = invoke("codeowners", "--repo", str(repo), "--out", str(target))
    assert (0, "") == (code, out)
    assert invoke("codeowners", "--repo", str(repo))[1] == target.read_text(encoding="utf-8")


def test_no_maintainer_is_an_error(make_files: Callable[[Files], Path]) -> None:
    """Without a maintainer the machinery would have no owner: exit 2, nothing printed."""
    roster = ROSTER.replace("roles: [maintainer, social-worker]", "roles: [social-worker]")
    code, out, err = invoke("codeowners", "--repo", str(make_files({"panels/roster.yml": roster, **PANELS})))
    assert (2, "") == (code, out)
    assert "no one in the roster holds the maintainer role" in err


def test_panel_nobody_can_own_is_an_error(make_files: Callable[[Files], Path]) -> None:
    """LPM allows no delegate: with no head of service holding an email, its decisions would be unowned."""
    roster = ROSTER.replace("roles: [head-of-service]\n    email: head@example.invalid", "roles: [legal]").replace(
        "roles: [head-of-service]\n    email: another.head@example.invalid", "roles: [legal]"
    )
    code, out, err = invoke("codeowners", "--repo", str(make_files({"panels/roster.yml": roster, **PANELS})))
    assert (2, "") == (code, out)
    assert "no one in the roster can own the decisions of lpm" in err


def test_email_that_codeowners_would_misread_is_left_out(make_files: Callable[[Files], Path]) -> None:
    """An address holding `#` would start a comment: it is left out with a note."""
    roster = ROSTER.replace("another.head@example.invalid", "another#head@example.invalid")
    code, out, err = invoke("codeowners", "--repo", str(make_files({"panels/roster.yml": roster, **PANELS})))
    assert 0 == code
    assert "#head" not in out.split("\n# Decisions", 1)[1]
    assert "p-second-head's email holds one of # [ \\ ], which CODEOWNERS reads as syntax: left out" in err


def test_missing_roster_or_broken_panel_is_a_usage_error(make_files: Callable[[Files], Path]) -> None:
    """No roster, or a panel whose terms do not load: exit 2 naming the file."""
    code, _, err = invoke("codeowners", "--repo", str(make_files(PANELS)))
    assert (2, True) == (code, "panels/roster.yml is not in" in err)
    broken = {"panels/roster.yml": ROSTER, **PANELS, "panels/lpm.md": "---\nid: lpm\n---\n"}
    code, _, err = invoke("codeowners", "--repo", str(make_files(broken)))
    assert (2, True) == (code, "panels/lpm.md is not valid" in err)


def test_the_project_roster_gives_every_panel_an_owner() -> None:
    """The bundled example's roster and panels make a complete file: one line per panel."""
    code, out, err = invoke("codeowners", "--repo", str(PROJECT_ROOT))
    assert 0 == code, err
    panels = sorted(p.stem for p in (PROJECT_ROOT / "panels").glob("*.md"))
    assert [f"/decisions/{panel}/" for panel in panels] == [
        line.split()[0] for line in out.splitlines() if line.startswith("/decisions/")
    ]
