"""The package's shape: every module imports on its own, and the layer order is written down where it is enforced."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import generator

PROJECT = Path(__file__).resolve().parent.parent


def _modules() -> list[str]:
    found = ["generator"]
    found += [info.name for info in pkgutil.walk_packages(generator.__path__, "generator.")]
    return sorted(found)


def _import_alone(module: str) -> tuple[str, int, str]:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False, cwd=PROJECT
    )
    return module, result.returncode, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""


def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    """No module depends on another having been imported first (an import cycle fails here)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_import_alone, _modules()))
    failures = [f"{module}: {error}" for module, code, error in results if code != 0]
    assert [] == failures


def test_every_package_is_a_layer() -> None:
    """Each top-level package of the generator appears in the layers contract, so none escapes it."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    named = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    packages = {f"generator.{info.name}" for info in pkgutil.iter_modules(generator.__path__)}
    packages -= {"generator.__main__"}
    assert set() == packages - named


def test_architecture_page_lists_every_package() -> None:
    """docs/architecture.md has a line for every package of the generator."""
    page = (PROJECT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(info.name for info in pkgutil.iter_modules(generator.__path__) if info.ispkg)
    missing = [name for name in packages if f"`generator.{name}`" not in page]
    assert [] == missing


def test_every_command_module_is_in_the_independence_contract() -> None:
    """A new command module joins the contract that keeps commands from importing each other."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    listed = set(next(c["modules"] for c in contracts if c["type"] == "independence"))
    helpers = {"generator.commands.options", "generator.commands.panel_terms"}
    folder = str(PROJECT / "generator" / "commands")
    commands = {f"generator.commands.{info.name}" for info in pkgutil.iter_modules([folder])}
    assert set() == commands - helpers - listed
