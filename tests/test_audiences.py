"""Audience rules in the settings: their diagnostics (P125-P128), `panel build --audience`, what widens the defaults."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_site import AS_OF, AUTHORITY, CASE, WORLD, write_world

from generator.cli import cli
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import load_repository
from generator.models import Child, LegalStatus
from generator.models.audience import BirthForm
from generator.pipeline.gather import gather
from generator.site.build import SiteBuildError, build_site
from generator.views.words import birth_label, years_label

CASE_PATH = "cases/123456/case.md"
FIRST = AUTHORITY.count("\n") + 2
"""The line of the first audience rule appended to the settings (after `audiences:`)."""


def world(tmp_path: Path, audiences: str) -> Path:
    """The small test world with `audiences` (YAML lines) appended to its settings."""
    return write_world(tmp_path / "repo", WORLD | {"panels/authority.yml": AUTHORITY + audiences})


def audience_problems(root: Path) -> list[Diagnostic]:
    found = gather(root, as_of=AS_OF).diagnostics
    return [x for x in found if x.code in ("P125", "P126", "P127", "P128")]


def test_good_rules_have_no_problems(tmp_path: Path) -> None:
    """Rules that name real panels, once each, give no diagnostic."""
    root = world(tmp_path, "audiences:\n  - name: tp-only\n    panels: [tp]\n  - name: wide\n    search: full\n")
    assert audience_problems(root) == []


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            "  - name: twice\n  - name: twice\n",
            [("P125", FIRST + 1, "audience 'twice' is defined more than once")],
        ),
        (
            "  - name: cdm\n    panels: [tp, cdm]\n",
            [("P126", FIRST, "audience 'cdm' names panel 'cdm', which has no file in panels/")],
        ),
        (
            "  - name: nobody\n    panels: []\n",
            [("P126", FIRST, "audience 'nobody' lists no panel, so its site would hold nothing")],
        ),
        (
            "  - name: leaky\n    names: initials\n    exports: full\n",
            [("P127", FIRST, "audience 'leaky' shows initials on its pages but full names in its downloads")],
        ),
        (
            "  - name: partners\n    outside_teams: [north, police]\n",
            [("P128", FIRST, "audience 'partners' names team 'police', which the settings' teams do not have")],
        ),
    ],
    ids=["duplicate-audience", "unknown-audience-panel", "no-panel", "audience-contradiction", "unknown-audience-team"],
)
def test_bad_rules_are_diagnosed_at_their_line(
    tmp_path: Path, rules: str, expected: list[tuple[str, int, str]]
) -> None:
    """Each problem has its code, the settings file and the line of the rule."""
    root = world(tmp_path, "audiences:\n" + rules)
    found = audience_problems(root)
    assert [(x.code, x.line, x.message) for x in found] == expected
    assert {x.path for x in found} == {"panels/authority.yml"}


def test_a_rule_with_an_unknown_form_is_a_field_diagnostic_with_its_line(tmp_path: Path) -> None:
    """A form that is not one of the choices, or an unknown key, is refused by the model at its line."""
    root = world(tmp_path, "audiences:\n  - name: odd\n    names: nicknames\n    sees: everything\n")
    result = CliRunner().invoke(cli, ["check", "--repo", str(root), "--as-of", "2026-03-02", "--format", "json"])
    found = {(x["path"], x["line"], x["code"]) for x in json.loads(result.stdout)}
    settings = "panels/authority.yml"
    assert {(settings, FIRST + 1, "P203"), (settings, FIRST + 2, "P201")} <= found
    assert result.exit_code == 1


def test_build_refuses_an_audience_the_settings_do_not_have(tmp_path: Path) -> None:
    """`--audience NAME` for no rule: exit 2, one line naming the rules there are; nothing built."""
    root = world(tmp_path, "audiences:\n  - name: tp-only\n    panels: [tp]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", "--repo", str(root), "--out", str(out), "--as-of", "2026-03-02", "--audience", "press"]
    )
    message = "Error: no audience 'press' in panels/authority.yml (its audiences: tp-only); see docs/audiences.md\n"
    assert (result.exit_code, result.output, out.exists()) == (2, message, False)


def test_build_refuses_a_rule_with_a_problem(tmp_path: Path) -> None:
    """A rule with a diagnostic is not built: the error names the diagnostic, its file and line."""
    root = world(tmp_path, "audiences:\n  - name: cdm\n    panels: [cdm]\n")
    with pytest.raises(SiteBuildError) as refused:
        build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work", audience="cdm")
    assert f"panels/authority.yml:{FIRST}: P126" in str(refused.value)
    assert not (tmp_path / "site").exists()


def test_a_duplicate_name_is_not_built(tmp_path: Path) -> None:
    root = world(tmp_path, "audiences:\n  - name: twice\n  - name: twice\n    search: full\n")
    with pytest.raises(SiteBuildError, match="P125"):
        build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work", audience="twice")


def _index_text(site: Path) -> str:
    return json.dumps(json.loads((site / "search/search_index.json").read_text(encoding="utf-8")))


def test_search_full_widens_the_index_and_exports_full_widens_the_downloads(tmp_path: Path) -> None:
    """The defaults are minimised; an audience with `search: full` and `exports: full` gets names there."""
    root = world(tmp_path, "audiences:\n  - name: wide\n    search: full\n    exports: full\n")
    default = build_site(root, tmp_path / "default", as_of=AS_OF, work_dir=tmp_path / "w1")
    wide = build_site(root, tmp_path / "wide", as_of=AS_OF, work_dir=tmp_path / "w2", audience="wide")
    assert (default.audience, wide.audience) == ("coordinators", "wide")
    assert "Baby Child" not in _index_text(default.out_dir) and "Baby Child" in _index_text(wide.out_dir)
    csv = (default.out_dir / "trackers/actions.csv").read_text(encoding="utf-8")
    assert "Ada" not in csv and ",A. S. C.," in csv
    assert ",Ada <script>alert(4)</script> Child," in (wide.out_dir / "trackers/actions.csv").read_text(
        encoding="utf-8"
    )
    # The pages are the same for both: only the index and the downloads differ.
    assert (default.out_dir / "cases/123456.html").read_bytes() == (wide.out_dir / "cases/123456.html").read_bytes()


def test_a_rule_named_coordinators_is_the_default_build(tmp_path: Path) -> None:
    """The settings can widen (or narrow) the build with no `--audience` by a rule named `coordinators`."""
    root = world(tmp_path, "audiences:\n  - name: coordinators\n    search: full\n")
    result = build_site(root, tmp_path / "site", as_of=AS_OF, work_dir=tmp_path / "work")
    assert "Baby Child" in _index_text(result.out_dir)


def test_cli_build_and_demo_site_take_audience() -> None:
    """`--audience` is on `panel build` and `panel demo site`, documented in their help."""
    for command in (["build", "--help"], ["demo", "site", "--help"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0 and "--audience" in result.output


def _child(born: date | None, due: date | None = None) -> Child:
    status = LegalStatus.UNBORN if due else LegalStatus.CIN
    return Child(id="c1", name="A B", date_of_birth=born, due_date=due, legal_status=status, legal_status_since=AS_OF)


@pytest.mark.parametrize(
    ("born", "due", "years", "as_date", "as_age"),
    [
        (date(2016, 3, 3), None, "9 years", "2016-03-03", "age 9 years"),
        (date(2016, 3, 2), None, "10 years", "2016-03-02", "age 10 years"),
        (date(2025, 3, 2), None, "1 year", "2025-03-02", "age 1 year"),
        (date(2025, 9, 1), None, "under 1 year", "2025-09-01", "age under 1 year"),
        (None, date(2026, 6, 1), "unborn", "unborn, due 2026-06-01", "unborn"),
    ],
)
def test_ages_in_years_on_the_as_of_date(
    born: date | None, due: date | None, years: str, as_date: str, as_age: str
) -> None:
    """An audience shown ages gets whole years on the as-of date, and no due date either."""
    child = _child(born, due)
    assert years_label(child, AS_OF) == years
    assert birth_label(child, AS_OF, BirthForm.DATE) == as_date
    assert birth_label(child, AS_OF, BirthForm.AGE) == as_age


def test_the_example_rules_load_without_problems() -> None:
    """The bundled example's audience rules (`cdm-members`, `scheduling`) are well formed."""
    repo, problems = load_repository(Path(__file__).resolve().parent.parent)
    assert repo.authority is not None
    assert [a.name for a in repo.authority.audiences] == ["cdm-members", "scheduling"]
    assert not [x for x in problems if x.path == "panels/authority.yml"]


def test_an_audience_shown_ages_sees_no_date_of_birth_anywhere(tmp_path: Path) -> None:
    """Not on the case page or the decision sheet, and not as the date of a `born` key event either."""
    case = CASE.replace(
        "    kind: opened\n", "    kind: opened\n  - date: 2016-05-01\n    kind: born\n    children: [c1]\n"
    )
    assert case != CASE
    files = WORLD | {
        "panels/authority.yml": AUTHORITY + "audiences:\n  - name: ages\n    birth: age\n",
        CASE_PATH: case,
    }
    root = write_world(tmp_path / "repo", files)
    full = build_site(root, tmp_path / "full", as_of=AS_OF, work_dir=tmp_path / "w1")
    ages = build_site(root, tmp_path / "ages", as_of=AS_OF, work_dir=tmp_path / "w2", audience="ages")
    shown = {
        p.relative_to(full.out_dir).as_posix()
        for p in full.out_dir.rglob("*")
        if p.is_file() and b"2016-05-01" in p.read_bytes()
    }
    assert "cases/123456.html" in shown
    assert [p for p in ages.out_dir.rglob("*") if p.is_file() and b"2016-05-01" in p.read_bytes()] == []
    assert [p for p in ages.out_dir.rglob("*") if p.is_file() and b"2026-06-01" in p.read_bytes()] == []
    assert "9 years" in (ages.out_dir / "cases/123456.html").read_text(encoding="utf-8")
