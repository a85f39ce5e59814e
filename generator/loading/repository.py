"""Load the whole repository into one indexed, immutable view (the `load` and `validate` stages)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import TOP_FOLDERS, Kind, Location, classify, fold_twins, is_document_path
from generator.core.patterns import PatternError, Refusal, compile_pattern
from generator.loading.safe_yaml import Parsed, read_markdown, read_yaml
from generator.loading.validate import validate
from generator.models import Authority, Case, Decision, Meeting, Panel, Person, Record, Referral, Roster
from generator.models.common import shown

M = TypeVar("M", bound=BaseModel)

_MODELS: dict[Kind, type[BaseModel]] = {
    Kind.AUTHORITY: Authority,
    Kind.ROSTER: Roster,
    Kind.PANEL: Panel,
    Kind.CASE: Case,
    Kind.REFERRAL: Referral,
    Kind.MEETING: Meeting,
    Kind.DECISION: Decision,
    Kind.RECORD: Record,
}


@dataclass(frozen=True)
class Doc(Generic[M]):
    """A validated document: its model, where it is, and the lines of its fields."""

    location: Location
    model: M
    parsed: Parsed

    @property
    def path(self) -> str:
        """Repository-relative POSIX path."""
        return self.location.path

    def line(self, *loc: str | int) -> int:
        """The 1-based line of a field (or its nearest known parent)."""
        return self.parsed.line_of(loc)


@dataclass(frozen=True)
class Repository:
    """Everything in the repository that loaded cleanly, indexed for the later stages."""

    root: Path
    authority: Authority | None = None
    roster: dict[str, Person] = field(default_factory=dict)
    panels: dict[str, Panel] = field(default_factory=dict)
    panel_docs: dict[str, Doc[Panel]] = field(default_factory=dict)
    cases: dict[str, Doc[Case]] = field(default_factory=dict)
    referrals: tuple[Doc[Referral], ...] = ()
    meetings: dict[tuple[str, date], Doc[Meeting]] = field(default_factory=dict)
    decisions: tuple[Doc[Decision], ...] = ()
    records: tuple[Doc[Record], ...] = ()
    paths: tuple[str, ...] = ()
    """Every document path found (loaded or not), sorted."""
    authority_doc: Doc[Authority] | None = None
    """The settings as a document, for the lines of their fields."""

    @cached_property
    def decision_by_path(self) -> dict[str, Doc[Decision]]:
        """Decisions by repository path (records and superseding decisions point at them this way)."""
        return {doc.path: doc for doc in self.decisions}


def document_paths(root: Path, tops: tuple[str, ...] = TOP_FOLDERS) -> tuple[list[str], list[Diagnostic]]:
    """Every file under the document folders, as sorted POSIX paths; symbolic links refused."""
    found: list[str] = []
    problems: list[Diagnostic] = []
    for top in tops:
        base = root / top
        if base.is_symlink():
            problems.append(_symlink(top))
            continue
        if not base.is_dir():
            continue
        for folder, subfolders, files in os.walk(base, followlinks=False):
            relative = Path(folder).relative_to(root).as_posix()
            for name in list(subfolders):
                if (Path(folder) / name).is_symlink():
                    problems.append(_symlink(f"{relative}/{name}"))
                    subfolders.remove(name)
            subfolders.sort()
            for name in sorted(files):
                path = f"{relative}/{name}"
                if (Path(folder) / name).is_symlink():
                    problems.append(_symlink(path))
                elif is_document_path(path):
                    found.append(path)
    return sorted(found), problems


def _symlink(path: str) -> Diagnostic:
    return d.make(
        d.SYMLINK,
        path,
        0,
        "this is a symbolic link, which could publish files from outside the repository",
        "replace the link with the file itself",
    )


def load_repository(
    root: Path, contents: dict[str, bytes] | None = None, only: set[str] | None = None
) -> tuple[Repository, list[Diagnostic]]:
    """Read and validate every document under `root`.

    `contents` overrides or adds file contents by path (used to check a pull request's versions
    of files without touching the working tree). `only` limits reading to `panels/` and those
    paths (used to check a change quickly).
    """
    if only is None:
        paths, problems = document_paths(root)
    else:
        # Walk only panels/; the listed paths are taken as given (a change's files), never followed as links.
        paths, problems = document_paths(root, tops=("panels",))
        listed = {p for p in only if not p.startswith("panels/") and is_document_path(p)}
        linked = {p: part for p in listed if (part := symlinked_part(root, p)) is not None}
        problems += [_symlink(part) for part in sorted(set(linked.values()))]
        paths = sorted({*paths, *(p for p in listed - set(linked) if (root / p).is_file())})
    if contents:
        paths = sorted(set(paths) | {p for p in contents if is_document_path(p)})
    twins = fold_twins(paths)
    loaded: dict[Kind, list[Doc[BaseModel]]] = {kind: [] for kind in Kind}
    for path in paths:
        location = classify(path)
        if location is None:
            problems.append(_unexpected(path))
            continue
        if path in twins:
            continue  # one checkout would hold only one of the two: the link stage reports it (invalid-id)
        raw = _read(root, path, contents)
        if isinstance(raw, Diagnostic):
            problems.append(raw)
            continue
        doc, found = load_document(location, raw)
        problems += found
        if doc is not None:
            loaded[location.kind].append(doc)
            if location.kind is Kind.AUTHORITY and isinstance(doc.model, Authority):
                problems += _pattern_problems(doc)
    return _index(root, loaded, tuple(paths)), problems


def symlinked_part(root: Path, path: str) -> str | None:
    """The first part of the repository path `path` (a folder or the file itself) that is a symbolic link, if any."""
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        part = "/".join(parts[:end])
        if (root / part).is_symlink():
            return part
    return None


def _read(root: Path, path: str, contents: dict[str, bytes] | None) -> bytes | Diagnostic:
    """A document's bytes (from `contents` if given there), or why it cannot be read."""
    if contents and path in contents:
        return contents[path]
    file = root / path
    try:
        # A FIFO or device would block or never end: only regular files are read.
        if not stat.S_ISREG(file.lstat().st_mode):
            return _unreadable(path, "it is not a regular file")
        return file.read_bytes()
    except OSError as error:
        return _unreadable(path, error.strerror or type(error).__name__)


def _unreadable(path: str, reason: str) -> Diagnostic:
    return d.make(
        d.UNREADABLE_FILE,
        path,
        0,
        f"the file could not be read: {reason}",
        "check that the file is a plain file the checker's user may read",
    )


def _pattern_problems(doc: Doc[BaseModel]) -> list[Diagnostic]:
    """A settings pattern that cannot be used, at its line; the settings still load (the rest of them is good)."""
    authority = doc.model
    if not isinstance(authority, Authority):
        return []
    pattern = authority.case_id_pattern
    try:
        compile_pattern(pattern)
    except PatternError as error:
        line = doc.line("case_id_pattern")
        if error.refusal is Refusal.INVALID:
            return [
                d.make(
                    d.INVALID_PATTERN,
                    doc.path,
                    line,
                    f"case_id_pattern '{shown(pattern)}' is not a regular expression: {error.reason}",
                    "correct the pattern; for example [0-9]{6} is six digits",
                )
            ]
        return [
            d.make(
                d.UNSUPPORTED_PATTERN,
                doc.path,
                line,
                f"case_id_pattern '{shown(pattern)}' cannot be matched in linear time: {error.reason}",
                "write it without backreferences, lookaround or atomic groups (`panel explain unsupported-pattern`)",
            )
        ]
    return []


def load_document(location: Location, raw: bytes) -> tuple[Doc[BaseModel] | None, list[Diagnostic]]:
    """Read and validate one document."""
    is_yaml = location.kind in (Kind.ROSTER, Kind.AUTHORITY)
    parsed, problems = (read_yaml if is_yaml else read_markdown)(location.path, raw)
    if parsed is None:
        return None, problems
    model, problems = validate(_MODELS[location.kind], parsed, location.path)
    if model is None:
        return None, problems
    return Doc(location, model, parsed), []


def _unexpected(path: str) -> Diagnostic:
    return d.make(
        d.UNEXPECTED_FILE,
        path,
        0,
        f"'{path}' is not a place the repository layout has for a document",
        "see `panel explain unexpected-file` for where each kind of document lives",
    )


def _index(root: Path, loaded: dict[Kind, list[Doc[BaseModel]]], paths: tuple[str, ...]) -> Repository:
    def models(kind: Kind) -> list[Doc[BaseModel]]:
        return loaded[kind]

    authority = next((doc.model for doc in models(Kind.AUTHORITY)), None)
    roster_doc = next((doc.model for doc in models(Kind.ROSTER)), None)
    roster = {p.id: p for p in roster_doc.people} if isinstance(roster_doc, Roster) else {}
    panel_docs: dict[str, Doc[Panel]] = {doc.location.panel or "": doc for doc in models(Kind.PANEL)}  # type: ignore[misc]
    cases: dict[str, Doc[Case]] = {doc.location.case or "": doc for doc in models(Kind.CASE)}  # type: ignore[misc]
    meetings: dict[tuple[str, date], Doc[Meeting]] = {
        (doc.location.panel or "", doc.location.date or date.min): doc  # type: ignore[misc]
        for doc in models(Kind.MEETING)
    }
    return Repository(
        root=root,
        authority=authority if isinstance(authority, Authority) else None,
        roster=roster,
        panels={key: doc.model for key, doc in panel_docs.items()},
        panel_docs=panel_docs,
        cases=cases,
        referrals=tuple(_by_meeting(models(Kind.REFERRAL))),  # type: ignore[arg-type]
        meetings=meetings,
        decisions=tuple(_by_meeting(models(Kind.DECISION))),  # type: ignore[arg-type]
        records=tuple(models(Kind.RECORD)),  # type: ignore[arg-type]
        paths=paths,
        authority_doc=next(iter(models(Kind.AUTHORITY)), None),  # type: ignore[arg-type]
    )


def _by_meeting(docs: list[Doc[BaseModel]]) -> list[Doc[BaseModel]]:
    """By meeting date then path, a decision's corrections right after it in version order (v2 before v10)."""

    def key(doc: Doc[BaseModel]) -> tuple[date, str, int]:
        location = doc.location
        original = location.path
        if location.version > 1:
            original = original.removesuffix(f".v{location.version}.md") + ".md"
        return (location.date or date.min, original, location.version)

    return sorted(docs, key=key)
