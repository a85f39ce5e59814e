"""`panel explain` and `panel rules`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import cli
from generator.core.diagnostics import MISSING_DOCUMENT, rules

MISSING_DOCUMENT_TEXT = (
    "P401 missing-document (error)\n"
    "A document the panel requires for this request is not listed.\n"
    "\n"
    f"{MISSING_DOCUMENT.explanation}\n"
)


def test_explain_by_name() -> None:
    """`panel explain NAME` prints the heading, summary, a blank line and the explanation."""
    result = CliRunner().invoke(cli, ["explain", "missing-document"])
    expected = (0, MISSING_DOCUMENT_TEXT)
    assert expected == (result.exit_code, result.output)


def test_explain_by_code_any_case() -> None:
    """`panel explain` accepts the code, in lower case too."""
    result = CliRunner().invoke(cli, ["explain", "p401"])
    expected = (0, MISSING_DOCUMENT_TEXT)
    assert expected == (result.exit_code, result.output)


def test_explain_name_any_case() -> None:
    """`panel explain` accepts the name in any case."""
    result = CliRunner().invoke(cli, ["explain", "Missing-Document"])
    expected = (0, MISSING_DOCUMENT_TEXT)
    assert expected == (result.exit_code, result.output)


def test_explain_unknown_suggests() -> None:
    """A misspelt name exits 2 and suggests the closest rule, on stderr."""
    result = CliRunner().invoke(cli, ["explain", "missing-documnet"])
    expected = (
        2,
        "",
        "Error: Invalid value for NAME: no rule named 'missing-documnet'. Did you mean 'missing-document'?",
    )
    actual = (result.exit_code, result.stdout, result.stderr.strip().splitlines()[-1])
    assert expected == actual


def test_explain_unknown_without_match() -> None:
    """A name like no rule exits 2 and points at `panel rules`."""
    result = CliRunner().invoke(cli, ["explain", "zzzzzzzz"])
    expected = (2, "Error: Invalid value for NAME: no rule named 'zzzzzzzz'. Run `panel rules` to list every rule.")
    assert expected == (result.exit_code, result.stderr.strip().splitlines()[-1])


def test_explain_missing_argument() -> None:
    """`panel explain` without a name is a usage error, exit 2."""
    expected = 2
    assert expected == CliRunner().invoke(cli, ["explain"]).exit_code


def test_rules_json() -> None:
    """`panel rules --format json` lists every rule with code, name, severity and summary."""
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    expected = [{"code": r.code, "name": r.name, "severity": str(r.severity), "summary": r.summary} for r in rules()]
    assert (0, expected) == (result.exit_code, json.loads(result.output))


def test_rules_json_keys() -> None:
    """Each `panel rules` JSON object has exactly the keys `code`, `name`, `severity`, `summary`."""
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    expected = {("code", "name", "severity", "summary")}
    assert expected == {tuple(item) for item in json.loads(result.output)}


def test_rules_text() -> None:
    """`panel rules` prints one line per rule in code order, the summaries in one column."""
    result = CliRunner().invoke(cli, ["rules"])
    lines = result.output.splitlines()
    expected = (0, [r.code for r in rules()], 1)
    actual = (
        result.exit_code,
        [line.split()[0] for line in lines],
        len({line.index(r.summary) for line, r in zip(lines, rules(), strict=True)}),
    )
    assert expected == actual


def test_rules_text_line() -> None:
    """A `panel rules` text line holds the code, name, severity and summary."""
    result = CliRunner().invoke(cli, ["rules"])
    line = next(line for line in result.output.splitlines() if line.startswith("P401"))
    expected = ["P401", "missing-document", "error", MISSING_DOCUMENT.summary]
    assert expected == line.split(maxsplit=3)


def test_help_texts_carry_examples() -> None:
    """Both commands' `--help` shows an example."""
    runner = CliRunner()
    expected = [True, True]
    actual = ["Example:" in runner.invoke(cli, [name, "--help"]).output for name in ("explain", "rules")]
    assert expected == actual
