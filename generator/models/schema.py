"""JSON Schema for every kind of document, so editors can validate front matter as people type."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.models import Authority, Case, Decision, Meeting, Panel, Record, Referral, Roster

SCHEMAS: dict[str, type[BaseModel]] = {
    "authority": Authority,
    "roster": Roster,
    "panel": Panel,
    "case": Case,
    "referral": Referral,
    "meeting": Meeting,
    "decision": Decision,
    "record": Record,
}
"""Schema file stem → model."""


def schema_text(model: type[BaseModel]) -> str:
    """A model's JSON Schema, deterministic."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every kind of document into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, model in SCHEMAS.items():
        target = out / f"{stem}.schema.json"
        target.write_text(schema_text(model), encoding="utf-8")
        written.append(target)
    return written
