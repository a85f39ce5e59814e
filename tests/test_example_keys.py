"""The bundled example's signing keys are trusted only by the bundled example (rule P710)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from generator.checks.example_keys import example_keys
from generator.cli import cli

PROJECT = Path(__file__).resolve().parents[1]


def test_the_packaged_list_is_the_public_halves_of_demo_keys(tmp_path: Path) -> None:
    """generator/data/example-signing-keys.txt equals what ssh-keygen derives from every key in demo/keys."""
    derived = set()
    for key in sorted((PROJECT / "demo/keys").glob("p-*")):
        private = tmp_path / key.name
        shutil.copyfile(key, private)
        private.chmod(0o600)
        public = subprocess.run(["ssh-keygen", "-y", "-f", str(private)], check=True, capture_output=True, text=True)
        derived.add(" ".join(public.stdout.split()[:2]))
    assert derived == set(example_keys())
    assert len(derived) > 0


def _council(tmp_path: Path, name: str) -> Path:
    """A copy of the project's panels with the authority renamed: a council that copied the example roster."""
    root = tmp_path / "council"
    shutil.copytree(PROJECT / "panels", root / "panels")
    authority = root / "panels/authority.yml"
    text = authority.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("name:"))
    authority.write_text(text.replace(old, f"name: {name}"), encoding="utf-8")
    return root


def test_a_council_roster_holding_an_example_key_is_refused_at_its_line(tmp_path: Path) -> None:
    """Renamed away from the example, the copied roster's example keys are errors, each at the key's line."""
    root = _council(tmp_path, "Shirebrook Borough Council")
    result = CliRunner().invoke(cli, ["check", "--repo", str(root), "--as-of", "2026-11-25", "--format", "json"])
    roster = (root / "panels/roster.yml").read_text(encoding="utf-8").splitlines()
    found = [d for d in json.loads(result.output) if d["name"] == "example-signing-key"]
    assert (1, len(example_keys())) == (result.exit_code, len(found))
    first = found[0]
    assert first["path"] == "panels/roster.yml"
    assert "ssh-ed25519 " in roster[first["line"] - 1]


def test_the_bundled_example_may_hold_its_own_keys(tmp_path: Path) -> None:
    """The example itself (demo date and a name ending "(fictional example)") is not refused."""
    root = _council(tmp_path, "Northwold County Council (fictional example)")
    result = CliRunner().invoke(cli, ["check", "--repo", str(root), "--as-of", "2026-11-25"])
    assert "P710" not in result.output
