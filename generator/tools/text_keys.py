"""Per-case text keys: made, used to seal a document's narrative in place, and destroyed (erasure).

The key folder is outside the repository (`PANEL_TEXT_KEYS`); a key inside the work tree could be
committed, and a committed key erases nothing. Destroying a key overwrites the file before
removing it; copies in backups of the key folder must expire too (docs/retention.md).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.core.errors import UsageError
from generator.core.layout import Kind, classify
from generator.git.history import is_repository
from generator.git.runner import BlobReader
from generator.loading.repository import symlinked_part
from generator.loading.safe_yaml import read_markdown
from generator.loading.sealed_text import (
    ERASURES_PATH,
    PREFIX,
    key_file_text,
    key_path,
    new_key,
    plain_lines,
    read_erasures,
    read_key,
    seal_body,
)
from generator.models.common import SAFE_ID, shown
from generator.models.retention import Erasure, RetentionKind

_LEDGER_HEADER = """\
# The erasure ledger, written by `panel erase`: each case whose text key was destroyed, the day and
# who did it. Case ids only: never a name. Builds read it to say "text erased (key destroyed on DATE)".
"""


def check_key_folder(folder: Path, repo: Path) -> Path:
    """The key folder, resolved; refused if missing or inside the repository (a key there could be committed)."""
    if not folder.is_dir():
        raise UsageError(f"the key folder {folder} does not exist: create it outside the repository, readable by you")
    resolved, root = folder.resolve(), repo.resolve()
    if resolved == root or root in resolved.parents:
        raise UsageError(
            f"the key folder {folder} is inside the repository: a committed key erases nothing; keep keys outside git"
        )
    return resolved


def _case_id(case_id: str) -> str:
    """A case id as it may name a key file: never `..`, `/` or anything but the layout's characters."""
    if not SAFE_ID.fullmatch(case_id):
        raise UsageError(f"'{shown(case_id)}' is not a case id (ASCII letters, digits, '-' and '_')")
    return case_id


def create_key(folder: Path, repo: Path, case_id: str) -> Path:
    """Make the case's key in the key folder; refused if it has one, or if its key was destroyed (erased)."""
    case_id = _case_id(case_id)
    folder = check_key_folder(folder, repo)
    erasures, _ = read_erasures(repo)
    if case_id in erasures:
        raise UsageError(f"case {case_id}'s key was destroyed on {erasures[case_id].key_destroyed}: it stays erased")
    if not (repo / "cases" / case_id / "case.md").is_file():
        raise UsageError(f"there is no case {case_id} (cases/{case_id}/case.md)")
    path = key_path(folder, case_id)
    if path.exists():
        raise UsageError(f"case {case_id} already has a key ({path}); a second key would lock out the first's text")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key_file_text(new_key()))
    return path


@dataclass(frozen=True, slots=True)
class Sealed:
    """What sealing one document did."""

    path: str
    case: str
    sections: int
    """How many runs of plain narrative were sealed."""
    already_committed: bool
    """HEAD already holds plain narrative at this path: sealing protects later versions only."""


def seal_documents(repo: Path, folder: Path, paths: list[str]) -> list[Sealed]:
    """Seal each document's plain narrative in place with its case's key (headings and sealed lines kept)."""
    folder = check_key_folder(folder, repo)
    done: list[Sealed] = []
    reader = BlobReader(repo) if is_repository(repo) else None
    try:
        for path in paths:
            done.append(_seal_one(repo, folder, path, reader))
    finally:
        if reader is not None:
            reader.close()
    return done


def _seal_one(repo: Path, folder: Path, path: str, reader: BlobReader | None) -> Sealed:
    location = classify(path)
    if location is None or location.kind not in (Kind.CASE, Kind.REFERRAL, Kind.DECISION, Kind.RECORD):
        raise UsageError(f"{path} is not a case file, referral, decision sheet or record: only those are sealed")
    file = repo / path
    if symlinked_part(repo, path) is not None or not file.is_file():
        raise UsageError(f"{path} is not a plain file in the repository")
    raw = file.read_bytes()
    parsed, problems = read_markdown(path, raw)
    if parsed is None:
        raise UsageError(
            f"{path} does not read ({problems[0].message if problems else 'no front matter'}): fix it first"
        )
    case_id = location.case
    if location.kind is Kind.RECORD:
        target = classify(str(parsed.data.get("refers_to", "")))
        case_id = target.case if target is not None else None
    if case_id is None:
        raise UsageError(f"{path}: the case it belongs to cannot be told (a record's refers_to names a decision)")
    key = read_key(folder, case_id)
    if key is None:
        raise UsageError(f"case {case_id} has no key in {folder}: run `panel text-key new {case_id}` first")
    sealed_body = seal_body(parsed.body, case_id, key)
    sections = _sealed_count(sealed_body) - _sealed_count(parsed.body)
    committed = False
    if reader is not None:
        at_head = reader.read(f"HEAD:{path}")
        if at_head is not None:
            head_parsed, _ = read_markdown(path, at_head)
            committed = head_parsed is not None and bool(plain_lines(head_parsed.body))
    if sections:
        text = raw.decode("utf-8")
        if not text.endswith(parsed.body):
            raise UsageError(f"{path}: its body could not be told from its front matter (line endings?); not sealed")
        _replace(file, (text[: len(text) - len(parsed.body)] + sealed_body).encode("utf-8"))
    return Sealed(path, case_id, sections, committed)


def _sealed_count(body: str) -> int:
    return sum(1 for line in body.split("\n") if line.startswith(PREFIX))


def _replace(file: Path, content: bytes) -> None:
    """Write `content` to `file` through a temporary file beside it, so an interrupted write loses nothing."""
    descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".seal-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).chmod(file.stat().st_mode & 0o777 if file.exists() else 0o644)
        Path(temporary).replace(file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def erase(repo: Path, folder: Path, case_id: str, *, by: str, on: date, rule: RetentionKind | None) -> Erasure:
    """Destroy the case's key (overwritten, then removed) and record the erasure in the ledger (ids only)."""
    case_id = _case_id(case_id)
    folder = check_key_folder(folder, repo)
    erasures, problems = read_erasures(repo)
    if problems:
        raise UsageError(f"{ERASURES_PATH} cannot be read: {problems[0].message}")
    if case_id in erasures:
        raise UsageError(f"case {case_id}'s key was already destroyed on {erasures[case_id].key_destroyed}")
    path = key_path(folder, case_id)
    if read_key(folder, case_id) is None:
        raise UsageError(f"case {case_id} has no key in {folder}: nothing to destroy (is this the right key folder?)")
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.write(os.urandom(size))
        file.flush()
        os.fsync(file.fileno())
    path.unlink()
    entry = Erasure(case=case_id, key_destroyed=on, by=by, rule=rule)
    entries = sorted([*erasures.values(), entry], key=lambda e: (e.key_destroyed, e.case))
    ledger = repo / ERASURES_PATH
    ledger.parent.mkdir(exist_ok=True)
    _replace(ledger, ledger_text(entries).encode("utf-8"))
    return entry


def ledger_text(entries: list[Erasure]) -> str:
    """The ledger file for these entries (every value quoted: case ids are text)."""
    lines = [_LEDGER_HEADER + "erasures:"]
    for entry in entries:
        lines.append(f'  - case: "{entry.case}"')
        lines.append(f"    key_destroyed: {entry.key_destroyed.isoformat()}")
        lines.append(f"    by: {entry.by}")
        if entry.rule is not None:
            lines.append(f"    rule: {entry.rule}")
    return "\n".join(lines) + "\n" if entries else _LEDGER_HEADER + "erasures: []\n"
