"""Documents that are no longer in the working tree, as git last held them (for subject access).

A deleted document is still in every clone's history: a subject access pack must show it. Its
last version is the one in the parent of the commit that deleted it, read through one
`git cat-file --batch` process for all of them, and loaded and unsealed like any document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.core.layout import classify
from generator.git.history import History
from generator.git.runner import BlobReader
from generator.loading.repository import Doc, load_document
from generator.loading.safe_yaml import Parsed
from generator.loading.sealed_text import KeyRing, open_body
from generator.models.retention import Erasure


def last_versions(
    history: History, paths: Iterable[str], keys: KeyRing, erasures: Mapping[str, Erasure], root: Path
) -> dict[str, Doc[Any]]:
    """Each deleted path's last version that loads, by path (sealed narrative opened where the key is given)."""
    wanted = [p for p in paths if history.changes.get(p) and history.changes[p][-1].status == "D"]
    found: dict[str, Doc[Any]] = {}
    if not wanted:
        return found
    with BlobReader(root) as reader:
        for path in wanted:
            location = classify(path)
            raw = reader.read(f"{history.changes[path][-1].commit}^:{path}")
            if location is None or raw is None:
                continue
            doc, _ = load_document(location, raw)
            if doc is None:
                continue
            body, _ = open_body(doc, keys, erasures, required=False)
            found[path] = Doc(doc.location, doc.model, _with(doc, body))
    return found


def _with(doc: Doc[Any], body: str) -> Parsed:
    return dataclasses.replace(doc.parsed, body=body)
