"""A subject access pack: everything the repository holds about one case, with third parties found.

`subject_access` collects the case file, every referral, decision sheet (all versions) and record
of the case, the parts of each meeting record that concern it (the other cases heard at the same
meeting are left out: only their number is said), and every document's history from the one git
pass: who changed what, when, and who signed it. Documents deleted from the working tree but still
in git's history are listed with their history too: git still holds them.

Third parties are the names a reviewer must consider redacting before disclosure: staff (the
roster's names and ids, git authors), other children (the children of every other case, and a
sibling when the request is one child's), other cases' ids, and words in the narrative that look
like names and are not the subject's (family members, friends: the repository has no list of
them, so they are found by their capital letter and marked "possible name"). `marks` finds them
in any text; the renderer marks each and lists them at the front.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from generator.audit.provenance import Entry, Histories, when_label
from generator.core.layout import classify
from generator.loading.repository import Doc, Repository
from generator.models.meeting import Meeting

_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?=['’]s\b|(?![\w'’-]))")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[-*#>]\s+|\(\s*|\"\s*)$")
_COMMON_WORDS = """
    The A An And But Or If In On At To For Of By With From As Is It This That These Those We They He She
    His Her Their Our Its There Here When Where While After Before Since Until Both All Any Each Every No
    Not Yes Mr Mrs Ms Miss Dr Mum Dad Mother Father Baby Grandmother Grandfather Nan Aunt Uncle School
    Police Court Council Panel Team Service Services Plan Plans Children Child Family Social Worker Care
    Order Health Home Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Summary Decision Sought Agreed
    Members Member Chair Head Manager Review Meeting Case Cases Local Authority Public Law Outline Letter
    Proceedings Assessment Protection Need Looked After Placement Adoption Fostering Foster Special
    Guardianship Section Interim Emergency Virtual Independent Reviewing Officer Early Help Edge Staying
    Together Legal Documents Forms Notes Chronology Genogram Mosaic Three Two One Four Five Six Next
    Today Yesterday Tomorrow Statement Conduct Confidentiality Declarations Interest Outstanding Actions
    White Black Asian Mixed Other British English Irish Scottish Welsh Caribbean African Pakistani Indian
    Bangladeshi Chinese Gypsy Roma Traveller Arab Any Male Female Boy Girl Muslim Christian Catholic
    """
"""Capitalised words of ordinary text and of the service's vocabulary: not taken for names."""
_COMMON = frozenset(_COMMON_WORDS.split())


class Category(StrEnum):
    """Why a name is a third party's."""

    STAFF = "staff member"
    """A professional: the roster's people, their ids, git authors and committers."""
    OTHER_CHILD = "another child (not in this case)"
    """A child of another case."""
    SIBLING = "sibling in this case (the request is one child's)"
    """Another child of this case, when the pack is for one child."""
    OTHER_CASE = "another child's case id"
    """Another case's id."""
    POSSIBLE_NAME = "possible name (family member or other person: check)"
    """A capitalised word in the narrative that is not the subject's name."""


@dataclass(frozen=True, slots=True)
class Party:
    """One third-party name and why it is one."""

    text: str
    category: Category
    ref: str = ""
    """`T1`, `T2`... in the order of the front list."""


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One change to one document, in words."""

    when: str
    verb: str
    author: str
    committer: str
    signature: str
    commit: str


@dataclass(frozen=True, slots=True)
class PackDocument:
    """One document of the pack."""

    path: str
    kind: str
    fields: tuple[tuple[str, str], ...]
    """Front matter as label and value, in file order (only this case's parts of a meeting record)."""
    body: str
    """The narrative (sealed sections opened, or their notice)."""
    history: tuple[HistoryLine, ...]
    excluded: str = ""
    """What was left out, in words ("2 other cases heard at this meeting are not included")."""
    deleted: bool = False
    """No longer in the working tree; git's history still holds it."""


@dataclass(frozen=True)
class Pack:
    """Everything held about one case."""

    case: str
    child: str | None
    as_of: date
    subjects: tuple[str, ...]
    """The subject children's names as the case file holds them."""
    documents: tuple[PackDocument, ...]
    parties: tuple[Party, ...] = field(default=())
    sealed_notices: int = 0
    """Sections that could not be opened (erased, or no key for this build)."""

    def marks(self, text: str) -> list[tuple[int, int, Party]]:
        """The third-party names in `text`: (start, end, party), left to right, never overlapping."""
        return find_marks(text, self.parties, self.subjects)


def find_marks(text: str, parties: Iterable[Party], subjects: Iterable[str]) -> list[tuple[int, int, Party]]:
    """Known parties (longest first) as whole words, then possible names among the remaining capitalised words."""
    found: list[tuple[int, int, Party]] = []
    taken = [False] * len(text)
    for party in sorted((p for p in parties if p.category is not Category.POSSIBLE_NAME), key=lambda p: -len(p.text)):
        for match in re.finditer(rf"(?<![\w-]){re.escape(party.text)}(?![\w-])", text):
            if not any(taken[match.start() : match.end()]):
                found.append((match.start(), match.end(), party))
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    possible = {p.text: p for p in parties if p.category is Category.POSSIBLE_NAME}
    for match in _WORD.finditer(text):
        candidate = possible.get(match.group())
        if candidate is not None and not any(taken[match.start() : match.end()]):
            found.append((match.start(), match.end(), candidate))
    return sorted(found, key=lambda m: m[0])


def possible_names(text: str, known: set[str]) -> set[str]:
    """Capitalised words not at a sentence's start and not known words: maybe a person's name."""
    names: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if word in _COMMON or word in known or _SENTENCE_START.search(text[: match.start()]):
            continue
        names.add(word)
    return names


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in value.items() if v not in (None, [], {}))
    if isinstance(value, list):
        return " | ".join(_flatten(v) for v in value)
    return "" if value is None else str(value)


def _fields(model: BaseModel) -> tuple[tuple[str, str], ...]:
    data = model.model_dump(mode="json", exclude_defaults=True)
    return tuple((key.replace("_", " "), _flatten(value)) for key, value in data.items())


def _history(histories: Histories, path: str) -> tuple[HistoryLine, ...]:
    return tuple(_line(entry) for entry in histories.entries(path))


def _line(entry: Entry) -> HistoryLine:
    change = entry.change
    if change is None:
        return HistoryLine("", entry.verb, "", "", "not yet committed", "")
    return HistoryLine(
        when_label(change.time),
        entry.verb,
        change.author_name,
        change.committer_name,
        entry.signature_words(),
        change.commit[:12],
    )


def _meeting_part(meeting: Meeting, case_id: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """A meeting record's fields that concern this case, and what was left out."""
    others = sorted({c for c in [*meeting.heard, *(x.case for x in meeting.deferred)] if c != case_id})
    attendees = [a for a in meeting.attendees if not a.items or case_id in a.items]
    kept: dict[str, Any] = {
        "panel": meeting.panel,
        "date": meeting.date.isoformat(),
        "chair": meeting.chair,
        "attendees": [a.model_dump(mode="json", exclude_defaults=True) for a in attendees],
        "apologies": [a.model_dump(mode="json") for a in meeting.apologies],
        "conflicts": [c.model_dump(mode="json") for c in meeting.conflicts if c.case == case_id],
        "heard": [case_id] if case_id in meeting.heard else [],
        "deferred": [x.model_dump(mode="json", exclude_none=True) for x in meeting.deferred if x.case == case_id],
        "status": str(meeting.status),
    }
    fields = tuple((k, _flatten(v)) for k, v in kept.items() if v not in ([], None, ""))
    left_out = len(meeting.attendees) - len(attendees)
    words = []
    if others:
        words.append(f"{len(others)} other case(s) at this meeting are not included")
    if left_out:
        words.append(f"{left_out} attendee(s) present only for other cases are not included")
    return fields, "; ".join(words)


def subject_access(
    repo: Repository,
    histories: Histories,
    case_id: str,
    *,
    as_of: date,
    child: str | None = None,
    deleted: Mapping[str, Doc[Any]] | None = None,
) -> Pack:
    """The pack for `case_id` (for one child of it with `child`). Raises KeyError for an unknown case or child.

    `deleted` gives the last versions of documents no longer in the working tree
    (`generator.loading.earlier_versions`); without it they are listed with their history only.
    """
    case_doc = repo.cases[case_id]
    case = case_doc.model
    subjects_children = [c for c in case.children if child is None or c.id == child]
    if not subjects_children:
        raise KeyError(child)
    subjects = tuple(c.name for c in subjects_children)
    decisions = [doc for doc in repo.decisions if doc.location.case == case_id]
    decision_paths = {doc.path for doc in decisions}
    referrals = [doc for doc in repo.referrals if doc.location.case == case_id]
    records = [doc for doc in repo.records if doc.model.refers_to in decision_paths]
    meeting_keys = sorted(
        {(doc.model.panel, doc.model.meeting) for doc in referrals}
        | {(doc.model.panel, doc.model.meeting) for doc in decisions}
        | {key for key, doc in repo.meetings.items() if case_id in doc.model.heard}
        | {key for key, doc in repo.meetings.items() if any(x.case == case_id for x in doc.model.deferred)}
    )
    documents: list[PackDocument] = []

    def add(doc: Doc[Any], kind: str) -> None:
        documents.append(
            PackDocument(doc.path, kind, _fields(doc.model), doc.parsed.body, _history(histories, doc.path))
        )

    add(case_doc, "case file")
    for referral in referrals:
        add(referral, "referral")
    for panel_id, day in meeting_keys:
        meeting_doc = repo.meetings.get((panel_id, day))
        if meeting_doc is None:
            continue
        fields, excluded = _meeting_part(meeting_doc.model, case_id)
        documents.append(
            PackDocument(
                meeting_doc.path,
                "meeting record (the parts about this case; the general minutes below)",
                fields,
                meeting_doc.parsed.body,
                _history(histories, meeting_doc.path),
                excluded,
            )
        )
    for decision in decisions:
        add(decision, "decision sheet")
    for record in records:
        add(record, "record")
    present = {d.path for d in documents}
    for path in histories.case_paths(case_id, repo.root):
        if path not in present and path not in repo.paths:
            location = classify(path)
            kind = f"{location.kind if location else 'document'} (deleted: git's history still holds it)"
            earlier = (deleted or {}).get(path)
            fields = _fields(earlier.model) if earlier is not None else ()
            body = earlier.parsed.body if earlier is not None else ""
            documents.append(PackDocument(path, kind, fields, body, _history(histories, path), deleted=True))
    parties = _parties(repo, histories, case_id, child, documents, subjects)
    notices = sum(d.body.count("_Text erased (") + d.body.count("_Text not available to this build") for d in documents)
    return Pack(case_id, child, as_of, subjects, tuple(documents), parties, notices)


def _parties(
    repo: Repository,
    histories: Histories,
    case_id: str,
    child: str | None,
    documents: list[PackDocument],
    subjects: tuple[str, ...],
) -> tuple[Party, ...]:
    known: dict[str, Category] = {}

    def add(text: str, category: Category) -> None:
        text = text.strip()
        if len(text) >= 2 and text not in known:
            known[text] = category

    for person in repo.roster.values():
        add(person.name, Category.STAFF)
        add(person.id, Category.STAFF)
        parts = person.name.split()
        if len(parts) > 1:
            add(parts[-1], Category.STAFF)
    for document in documents:
        for line in document.history:
            add(line.author, Category.STAFF)
            add(line.committer, Category.STAFF)
    case = repo.cases[case_id].model
    if child is not None:
        for sibling in case.children:
            if sibling.id != child:
                add(sibling.name, Category.SIBLING)
                add(sibling.name.split()[0], Category.SIBLING)
    for other_id, doc in repo.cases.items():
        if other_id == case_id:
            continue
        add(other_id, Category.OTHER_CASE)
        for other in doc.model.children:
            add(other.name, Category.OTHER_CHILD)
            add(other.name.split()[0], Category.OTHER_CHILD)
    subject_words = {word for name in subjects for word in name.split()}
    for word in subject_words:
        known.pop(word, None)
    for name in subjects:
        known.pop(name, None)
    vocabulary = _vocabulary(repo) | subject_words | set(known)
    for document in documents:
        texts = [document.body, *(value for _, value in document.fields)]
        for text in texts:
            for word in sorted(possible_names(text, vocabulary)):
                known.setdefault(word, Category.POSSIBLE_NAME)
    used = [
        (text, category)
        for text, category in known.items()
        if any(_mentions(text, category, d, subjects) for d in documents)
    ]
    order = list(Category)
    used.sort(key=lambda item: (order.index(item[1]), item[0].casefold()))
    return tuple(Party(text, category, f"T{index}") for index, (text, category) in enumerate(used, 1))


def _mentions(text: str, category: Category, document: PackDocument, subjects: tuple[str, ...]) -> bool:
    party = Party(text, category)
    pieces = [document.body, *(v for _, v in document.fields)]
    pieces += [f"{h.author} {h.committer}" for h in document.history]
    return any(m[2].text == text for piece in pieces for m in find_marks(piece, [party], subjects))


def _vocabulary(repo: Repository) -> set[str]:
    """Words of the settings and terms (team, panel and system names): not people's names."""
    words: set[str] = set()
    texts: list[str] = []
    if repo.authority is not None:
        texts += [repo.authority.name, repo.authority.case_system, *(t.name for t in repo.authority.teams)]
    for panel in repo.panels.values():
        texts += [panel.name, panel.short_name]
    for text in texts:
        words |= set(_WORD.findall(text))
    return words
