"""Sealed narrative: each section of a case document's body encrypted with the case's own key.

Git cannot forget (docs/retention.md): a sentence once committed is in every clone, pack, backup
and fork for ever, and rewriting history breaks the signed audit trail. So the narrative of a
case's documents (case file, referrals, decision sheets, records) is sealed before it is
committed: each run of text between `## ` headings becomes one line

    sealed-text:v1:<case id>:<base64url of a 12-byte nonce and the AES-256-GCM ciphertext>

with the case id as associated data, so a line cannot be moved to another case unnoticed. The
headings stay readable (the completeness check reads them). The keys, one per case, live in a
folder outside git (`PANEL_TEXT_KEYS`); destroying a case's key (`panel erase`) leaves every copy
of every version of its narrative unreadable, history included, without touching a commit.

Reading: with the case's key the text is opened in place; without it each section shows a plain
notice, "text erased (key destroyed on DATE)" where the erasure ledger records the key's
destruction, "text not available to this build" otherwise. The build succeeds either way.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.errors import UsageError
from generator.core.layout import Kind, classify
from generator.loading.repository import Doc, Repository
from generator.loading.safe_yaml import Parsed, read_yaml
from generator.loading.validate import validate
from generator.models.record import Record
from generator.models.retention import Erasure, ErasureLedger, SealedText

ERASURES_PATH = "retention/erasures.yml"
"""The erasure ledger: which cases' keys were destroyed, when and by whom (case ids only)."""
KEY_SUFFIX = ".key"
KEY_HEADER = "panel-text-key v1 "
PREFIX = "sealed-text:"
SEALED_LINE = re.compile(r"sealed-text:v1:(?P<case>[A-Za-z0-9][A-Za-z0-9_-]{0,63}):(?P<token>[A-Za-z0-9_-]{24,}={0,2})")
_HEADING = re.compile(r"^##[ \t]+\S")
_NONCE = 12

D = TypeVar("D", bound=BaseModel)


def _associated(case_id: str) -> bytes:
    return f"panel-sealed-text:v1:{case_id}".encode("ascii")


def new_key() -> bytes:
    """A fresh 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def key_file_text(key: bytes) -> str:
    """A key as its file holds it: a header naming the format, then base64url."""
    return KEY_HEADER + base64.urlsafe_b64encode(key).decode("ascii") + "\n"


def seal_line(text: str, case_id: str, key: bytes) -> str:
    """One run of narrative as a sealed line."""
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, text.encode("utf-8"), _associated(case_id))
    return f"{PREFIX}v1:{case_id}:" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_line(line: str, case_id: str, key: bytes) -> str | None:
    """The text of a sealed line of `case_id`, or None if it does not open with `key` (altered, other key)."""
    match = SEALED_LINE.fullmatch(line)
    if match is None or match.group("case") != case_id:
        return None
    try:
        blob = base64.urlsafe_b64decode(match.group("token"))
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], _associated(case_id)).decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        return None


def _runs(body: str) -> Iterator[tuple[str, list[str]]]:
    """The body as ("keep", lines) for headings and sealed lines, ("text", lines) for runs of narrative."""
    text: list[str] = []
    in_fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and (_HEADING.match(line) or line.startswith(PREFIX)):
            if text:
                yield "text", text
                text = []
            yield "keep", [line]
        else:
            text.append(line)
    if text:
        yield "text", text


def seal_body(body: str, case_id: str, key: bytes) -> str:
    """The body with every run of plain narrative sealed; headings, blank lines and sealed lines kept."""
    out: list[str] = []
    for what, lines in _runs(body):
        if what == "keep" or not any(line.strip() for line in lines):
            out += lines
            continue
        first = next(i for i, line in enumerate(lines) if line.strip())
        last = max(i for i, line in enumerate(lines) if line.strip())
        out += lines[:first]
        out.append(seal_line("\n".join(lines[first : last + 1]), case_id, key))
        out += lines[last + 1 :]
    return "\n".join(out)


def plain_lines(body: str) -> list[int]:
    """0-based offsets of the body's lines of plain narrative (not blank, not a `## ` heading, not sealed)."""
    offsets: list[int] = []
    at = 0
    for what, lines in _runs(body):
        if what == "text":
            offsets += [at + i for i, line in enumerate(lines) if line.strip()]
        at += len(lines)
    return offsets


@dataclass
class KeyRing:
    """The per-case keys in a folder outside git (`<case id>.key`), read on first use; no folder: no keys."""

    folder: Path | None
    _keys: dict[str, bytes | None] = field(default_factory=dict)

    def key(self, case_id: str) -> bytes | None:
        """The case's key, or None when the folder holds none. A key file that is not a key is a usage error."""
        if self.folder is None:
            return None
        if case_id not in self._keys:
            self._keys[case_id] = read_key(self.folder, case_id)
        return self._keys[case_id]


def key_path(folder: Path, case_id: str) -> Path:
    """Where a case's key lives in the key folder."""
    return folder / f"{case_id}{KEY_SUFFIX}"


def read_key(folder: Path, case_id: str) -> bytes | None:
    """The key in `folder` for `case_id`; None if there is none. Raises UsageError for a damaged key file."""
    path = key_path(folder, case_id)
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path} is not a plain file: a text key is a plain file made by `panel text-key new`")
    text = path.read_text(encoding="ascii", errors="replace").strip()
    body = text.removeprefix(KEY_HEADER.strip()).strip()
    try:
        key = base64.urlsafe_b64decode(body) if text.startswith(KEY_HEADER.strip()) else b""
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise UsageError(f"{path} is not a text key made by `panel text-key new`: restore it from the key backup")
    return key


def read_erasures(root: Path) -> tuple[dict[str, Erasure], list[Diagnostic]]:
    """The erasure ledger by case id (the latest entry of each case); diagnostics if it cannot be read."""
    file = root / ERASURES_PATH
    if not file.is_file() or file.is_symlink():
        return {}, []
    parsed, problems = read_yaml(ERASURES_PATH, file.read_bytes())
    if parsed is None:
        return {}, [_ledger(problems)]
    ledger, problems = validate(ErasureLedger, parsed, ERASURES_PATH)
    if ledger is None:
        return {}, [_ledger(problems)]
    return {entry.case: entry for entry in ledger.erasures}, []


def _ledger(problems: list[Diagnostic]) -> Diagnostic:
    first = problems[0] if problems else None
    return d.make(
        d.ERASURE_LEDGER_INVALID,
        ERASURES_PATH,
        first.line if first else 1,
        f"the erasure ledger cannot be read: {first.message if first else 'it is not YAML'}",
        "restore retention/erasures.yml from git's history; `panel erase` writes it",
    )


def notice(case_id: str, erasures: Mapping[str, Erasure]) -> str:
    """What a reader sees in place of a section that cannot be opened."""
    erased = erasures.get(case_id)
    if erased is not None:
        return f"_Text erased (key destroyed on {erased.key_destroyed.isoformat()})._"
    return "_Text not available to this build (it is sealed and this build has no key for the case)._"


def case_of(doc: Doc[BaseModel]) -> str | None:
    """The case a document's narrative belongs to: from its path, or for a record the decision it refers to."""
    if doc.location.case is not None:
        return doc.location.case
    if doc.location.kind is Kind.RECORD and isinstance(doc.model, Record):
        target = classify(doc.model.refers_to)
        return target.case if target is not None else None
    return None


def open_body(
    doc: Doc[BaseModel], keys: KeyRing, erasures: Mapping[str, Erasure], *, required: bool
) -> tuple[str, list[Diagnostic]]:
    """The document's body with its sealed lines opened (or replaced by a notice), and what is wrong with it."""
    body = doc.parsed.body
    case_id = case_of(doc)
    problems: list[Diagnostic] = []
    if case_id is None:
        return body, problems
    if required and (plain := plain_lines(body)):
        problems.append(
            d.make(
                d.PLAINTEXT_NARRATIVE,
                doc.path,
                doc.parsed.body_line + plain[0],
                f"case {case_id}: the narrative is plain text, and the settings require it sealed",
                f"do not commit it: run `panel seal-text {doc.path}` first",
            )
        )
    if PREFIX not in body:
        return body, problems
    out: list[str] = []
    for offset, line in enumerate(body.split("\n")):
        if not line.startswith(PREFIX):
            out.append(line)
            continue
        match = SEALED_LINE.fullmatch(line)
        where = doc.parsed.body_line + offset
        if match is None or match.group("case") != case_id:
            problems.append(
                d.make(
                    d.SEALED_TEXT_MALFORMED,
                    doc.path,
                    where,
                    f"this line is not a sealed section of case {case_id}"
                    + (f" (it names case {match.group('case')})" if match else ""),
                    "restore the line from git's history; never edit a sealed line by hand",
                )
            )
            out.append("_Sealed text that cannot be read (see `panel check`)._")
            continue
        key = keys.key(case_id)
        if key is None:
            out.append(notice(case_id, erasures))
            continue
        opened = open_line(line, case_id, key)
        if opened is None:
            problems.append(
                d.make(
                    d.SEALED_TEXT_UNREADABLE,
                    doc.path,
                    where,
                    f"this sealed section does not open with case {case_id}'s key: it was altered or sealed with "
                    "another key",
                    "restore the line from the commit that sealed it, or the right key from the key backup",
                )
            )
            out.append("_Sealed text that cannot be read (see `panel check`)._")
            continue
        out.append(opened)
    return "\n".join(out), problems


def unseal_repository(
    repo: Repository, keys: KeyRing, erasures: Mapping[str, Erasure]
) -> tuple[Repository, list[Diagnostic]]:
    """The repository with every case document's sealed narrative opened where its key is present.

    With `sealed_text: required` in the settings, plain narrative in a case document is diagnosed
    (`plaintext-narrative`) whether or not a key is present: CI has no keys and must still refuse it.
    Documents of meetings before `sealed_text_from` are not judged (approved ones cannot be sealed).
    """
    settings = repo.authority.retention if repo.authority else None
    required = settings is not None and settings.sealed_text is SealedText.REQUIRED
    since = settings.sealed_text_from if settings is not None else None
    problems: list[Diagnostic] = []

    def must_seal(doc: Doc[D]) -> bool:
        day = doc.location.date
        return required and (since is None or day is None or day >= since)

    def opened(docs: tuple[Doc[D], ...]) -> tuple[Doc[D], ...]:
        result: list[Doc[D]] = []
        for doc in docs:
            body, found = open_body(doc, keys, erasures, required=must_seal(doc))  # type: ignore[arg-type]
            problems.extend(found)
            result.append(doc if body == doc.parsed.body else Doc(doc.location, doc.model, _with_body(doc, body)))
        return tuple(result)

    cases = opened(tuple(repo.cases.values()))
    unsealed = dataclasses.replace(
        repo,
        cases={doc.location.case or "": doc for doc in cases},
        referrals=opened(repo.referrals),
        decisions=opened(repo.decisions),
        records=opened(repo.records),
    )
    return unsealed, problems


def _with_body(doc: Doc[D], body: str) -> Parsed:
    return dataclasses.replace(doc.parsed, body=body)
