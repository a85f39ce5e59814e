"""`panel verify`: every commit in a range signed by its committer's roster key, decisions and
approved minutes signed by the panel's chair or a named delegate, seals intact, objects sound.

The calls to git are constant in number, whatever the size of the history: `rev-parse`, one
`git cat-file --batch` for every file and tag read, one `git log` pass (`generator.audit.commits`),
two `for-each-ref` and one `verify-tag` for the seals, one `ls-tree` of HEAD's decisions and one
`git fsck`; when witness tags or files exist, a constant handful more (`generator.audit.witness`).
Keys and their dates come from HEAD's roster; who held which role and what the panels' terms
allowed come from each commit's anchor (`_authority_anchors`: its first parent, or over a range
the first ancestor outside it, with HEAD's too), so a rule change never reaches back.

Keys and time. A committer date is chosen by the committer, so a key's dates checked against it
prove little (a key holder can backdate). The rule here: a commit signed with a key that is
retired as of today (revoked, or past its `valid_before` day) is accepted only when a seal made
before that day covers it (the commit is the sealed commit or one of its ancestors). A seal
counts as such evidence when its own signature is good, by a chair or named delegate of its
panel whose key has not been revoked.

Every refusal is a diagnostic (`generator.core.diagnostics`, codes P801-P838 and P301) that names
the commit id or seal tag it is about; `VERIFY_RULES` lists every rule this module can report.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from generator.audit.commits import Commit, read_commits
from generator.audit.integrity import Damage, damaged_objects
from generator.audit.seals import SealTag, read_seals
from generator.audit.signing import (
    KeyHolder,
    allowed_signers,
    key_holders,
    may_sign_for,
    outside_window,
    read_roster,
    retirement,
)
from generator.audit.substitutes import graft_files, replace_refs
from generator.audit.witness import Witness, read_witnesses
from generator.core.diagnostics import (
    AUDIT_START_MOVED,
    BAD_SEAL_SIGNATURE,
    BAD_SIGNATURE,
    BAD_WITNESS,
    CORRUPT_REPOSITORY,
    EXPIRED_KEY,
    EXPIRED_SIGNATURE,
    GRAFT_FILE,
    KEY_ADDED_LATER,
    KEY_NOT_YET_VALID,
    MALFORMED_SEAL,
    NOT_CHAIR,
    REPLACE_REFS,
    REVOKED_KEY,
    SEAL_NOT_IN_HISTORY,
    SEALED_FILE_CHANGED,
    SEALED_FILE_DELETED,
    SHARED_KEY,
    SIGNATURE_NOT_CHECKED,
    SIGNER_NOT_COMMITTER,
    SIGNER_NOT_TAGGER,
    TERMS_CHANGED,
    UNKNOWN_KEY,
    UNKNOWN_PANEL,
    UNSIGNED,
    UNSIGNED_SEAL,
    WITNESSED_COMMIT_MISSING,
    WITNESSED_SEAL_MISSING,
    WITNESSED_SEAL_MOVED,
    Diagnostic,
    Rule,
    make,
)
from generator.core.errors import UsageError
from generator.core.layout import AUTHORITY_PATH, ROSTER_PATH, Kind, Location, classify
from generator.git import runner as git
from generator.git.runner import BlobReader, ObjectIds
from generator.loading.repository import load_document
from generator.loading.safe_yaml import read_markdown
from generator.models import Authority, Panel, Role, Roster

_STATUS_RULES: dict[str, tuple[Rule, str]] = {
    "N": (UNSIGNED, "the commit is not signed"),
    "B": (BAD_SIGNATURE, "the signature does not match the commit (altered after signing, or forged)"),
    "X": (EXPIRED_SIGNATURE, "the signature has expired"),
    "Y": (EXPIRED_KEY, "the key had expired when the commit was signed"),
    "R": (REVOKED_KEY, "the key is revoked"),
    "E": (SIGNATURE_NOT_CHECKED, "git could not check the signature (is ssh-keygen installed?)"),
}
_RETIRED: dict[str, Rule] = {"expired": EXPIRED_KEY, "revoked": REVOKED_KEY, "not-yet-valid": KEY_NOT_YET_VALID}
# One hint per rule: how a council's staff put it right (`panel explain NAME` says more).
_HINTS: dict[Rule, str] = {
    UNSIGNED: "Sign it with your roster key: `git commit --amend --no-edit -S` for the last commit, "
    "`git rebase --exec 'git commit --amend --no-edit -S' BASE` for several.",
    BAD_SIGNATURE: "The commit changed after it was signed: treat it as tampering until a maintainer has compared it "
    "with a trusted copy; a commit of your own branch can be signed again.",
    EXPIRED_SIGNATURE: "Sign the commit again with the SSH key the roster gives you.",
    SIGNATURE_NOT_CHECKED: "Install OpenSSH's ssh-keygen (8.2 or later) where `panel verify` runs, or sign the commit "
    "again with your roster's SSH key if it carries a GPG or X.509 signature.",
    UNKNOWN_KEY: "Sign with the key the roster gives you; a new key goes into panels/roster.yml (a maintainer's "
    "change) before it is used.",
    SHARED_KEY: "Each person signs with a key of their own: a maintainer removes the shared key from all but its "
    "holder in panels/roster.yml.",
    SIGNER_NOT_COMMITTER: "Commit with your own email, as the roster has it, and sign with your own key: "
    "`git commit --amend --no-edit --reset-author -S`.",
    KEY_NOT_YET_VALID: "Check the commit's date and the key's `valid_after` in panels/roster.yml.",
    EXPIRED_KEY: "Sign new commits with your current roster key; seal each meeting (`panel seal`) before keys expire, "
    "so that its commits stay vouched for.",
    REVOKED_KEY: "Sign the commit again with your current roster key; an older commit stands only where a seal made "
    "before the revocation covers it.",
    KEY_ADDED_LATER: "Use a key only in commits made after the roster holds it: sign this commit again once the "
    "roster change is in.",
    NOT_CHAIR: "Leave decisions, approved minutes and seals to the panel's chair or named delegate to commit and sign.",
    UNKNOWN_PANEL: "Add the panel's terms as panels/<panel-id>.md, or move the records under the panel they belong to.",
    UNSIGNED_SEAL: "Make seals with `panel seal PANEL DATE`; a maintainer removes this tag.",
    MALFORMED_SEAL: "Make seals with `panel seal PANEL DATE` only; a maintainer removes this tag.",
    BAD_SEAL_SIGNATURE: "A maintainer removes this tag; a chair whose key is in the roster seals the meeting again.",
    SIGNER_NOT_TAGGER: "Seal with your own key, with `git config user.email` as the roster has it.",
    SEAL_NOT_IN_HISTORY: "Restore the original history from a trusted copy and never rewrite the protected branch; "
    "for a work branch forked before the seal, run `panel verify --branch`.",
    SEALED_FILE_CHANGED: "Restore the sealed file and record the change in a new file that supersedes it.",
    SEALED_FILE_DELETED: "Restore the sealed file at its path.",
    CORRUPT_REPOSITORY: "Stop merging: a maintainer restores the damaged objects from a trusted copy (the server's, "
    "a backup).",
    REPLACE_REFS: "Ask who made it and why, then delete it (`git update-ref -d REF`); never fetch or push "
    "refs/replace/.",
    GRAFT_FILE: "Ask who wrote it and why, then delete it; a fresh clone of the server has no grafts.",
    WITNESSED_COMMIT_MISSING: "The history was rewritten after the server witnessed it: compare with the server's "
    "copy and restore the witnessed history; never rewrite the protected branch.",
    WITNESSED_SEAL_MISSING: "Fetch the seals from the server (`git fetch --tags origin`); if the server lacks it too, "
    "restore it from a trusted copy.",
    WITNESSED_SEAL_MOVED: "Restore the witnessed seal tag from the server or a trusted copy.",
    AUDIT_START_MOVED: "A maintainer moves audit_start (signing the commit); verify the whole history meanwhile.",
    TERMS_CHANGED: "A maintainer changes a panel's terms of reference (signing the commit); revert this change.",
    BAD_WITNESS: "Only the server makes witnesses: delete a witness tag it did not make, and check that "
    "`witness_keys` in panels/authority.yml holds the server's public key.",
}

VERIFY_RULES: tuple[Rule, ...] = tuple(sorted(_HINTS, key=lambda rule: rule.code))
"""Every rule `panel verify` can report, in code order."""
# A seal with one of these problems vouches for no commit's date, however good its signature.
_UNTRUSTED_SEAL = {rule.code for rule in (NOT_CHAIR, SIGNER_NOT_TAGGER, UNKNOWN_PANEL, MALFORMED_SEAL)}


@dataclass(frozen=True)
class Verification:
    """What `panel verify` found."""

    revision: str
    """The range of commits verified."""
    head: str
    """HEAD's commit id: the roster, terms and seals were judged as of it."""
    commits: int
    """Commits verified."""
    seals: int
    """Seals verified."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every refusal, in history order (newest commit first), then seals, then the objects' check."""
    authored_by_others: list[tuple[str, str, str]] = field(default_factory=list)
    """(commit, author, committer) for each commit whose author is not its committer."""
    witnesses: int = 0
    """Witnesses judged (the repository's `witness/*` tags and those of the files given)."""


def verify_repository(
    root: Path,
    revision: str | None,
    today: date,
    *,
    branch: bool = False,
    witness_files: Iterable[tuple[str, bytes]] = (),
) -> Verification:
    """Verify `revision` (default: from the authority's `audit_start`, or the root, to HEAD) and every seal.

    `today` decides which keys are retired. With `branch`, HEAD is a work branch (a pull request):
    a seal made on the protected branch after the branch forked is not judged here (the protected
    branch's own verification judges it), but a seal HEAD shares no history with still is: that
    is a rewritten history. `witness_files` are (label, content) pairs of witnesses kept outside
    the repository (the server's log, the site's copy), judged with its `witness/*` tags. Raises
    UsageError for a folder that is not a repository, a shallow clone, a repository without
    commits, an unknown range, or a roster that does not load.
    """
    head = _head(root)
    with BlobReader(root) as reader, tempfile.TemporaryDirectory(prefix="panel-verify-") as scratch:
        roster = _roster(reader, head)
        given = revision
        authority = _authority_settings(reader, head)
        revision = _revision(authority, reader, head, revision)
        signers = Path(scratch) / "allowed_signers"
        signers.write_text(allowed_signers(roster, bound_revoked=True).allowed, encoding="utf-8")
        commits = read_commits(root, revision, signers)
        seals = read_seals(root, signers, reader)
        if branch:
            seals = [seal for seal in seals if not _made_after_fork(root, head, seal)]
        with ObjectIds(root) as ids:
            judge = _Judge(roster, _Panels(reader, ids, head), today)
            seal_diagnostics, anchors = judge.seals(seals, _decision_blobs(root, head))
            covered = _coverage(commits, anchors)
            earlier = _EarlierRosters(reader, ids)
            ranged = given is not None and ".." in given
            anchors_of = _authority_anchors(commits, ranged=ranged)
            found = [
                d
                for commit in commits
                for d in judge.commit(
                    commit,
                    covered.get(commit.id),
                    reader,
                    earlier.holders_before(commit),
                    _Authority(anchors_of.get(commit.id), earlier, ranged),
                )
            ]
        # A range is what a pull request or a push brings: re-hash its objects only. Without a
        # range, the whole repository goes through git fsck.
        found += seal_diagnostics
        keys = authority.witness_keys if authority is not None else []
        witness_dir = Path(scratch) / "witness"
        witness_dir.mkdir()
        witnesses = read_witnesses(root, head, witness_files, keys, witness_dir, reader, newest_only=ranged)
        found += _witness_diagnostics(witnesses, {seal.name: seal.object_id for seal in seals}, keys, branch=branch)
        found += _substitutes(root)
        found += _damage(damaged_objects(root, revision, reader)) if ranged else _fsck(root)
    differing = [(c.id, c.author, c.committer) for c in commits if c.author.casefold() != c.committer.casefold()]
    return Verification(revision, head, len(commits), len(seals), found, differing, len(witnesses))


def _made_after_fork(root: Path, head: str, seal: SealTag) -> bool:
    """Whether a seal HEAD does not contain was made on history HEAD shares (after HEAD forked)."""
    if seal.in_history or seal.commit is None:
        return False
    # One call per seal HEAD lacks: only the seals made since the branch forked, a handful.
    return git.run(root, ["merge-base", "--end-of-options", head, seal.commit]).returncode == 0


class _Refuse(Protocol):
    """A diagnostic builder bound to one commit or seal: `refuse(rule, message, path=None, hint=None)`."""

    def __call__(self, rule: Rule, message: str, path: str | None = None, hint: str | None = None) -> Diagnostic: ...


def _refuser(subject: str, who: str) -> _Refuse:
    """A builder of diagnostics about `subject` (a commit id or seal name); `who` ends each message."""

    def refuse(rule: Rule, message: str, path: str | None = None, hint: str | None = None) -> Diagnostic:
        return make(rule, path or "", 0, f"{message}{who}", hint or _HINTS[rule], commit=subject)

    return refuse


class _Panels:
    """Panels' terms at HEAD and as they stood at any commit, each version read and parsed once (by blob id).

    A decision is judged by the terms in force when it was made: a later change to who may chair
    must not approve (or refuse) what was signed before it.
    """

    def __init__(self, reader: BlobReader, ids: ObjectIds, head: str) -> None:
        self._reader = reader
        self._ids = ids
        self._head = head
        self._parsed: dict[str, Panel | None] = {}

    def get(self, panel_id: str) -> Panel | None:
        """The panel's terms at HEAD, or None."""
        return self.at(self._head, panel_id)

    def at(self, revision: str, panel_id: str) -> Panel | None:
        """The panel's terms in `revision`'s tree, or None when it has none that load."""
        path = f"panels/{panel_id}.md"
        blob = self._ids.id_of(f"{revision}:{path}")
        if blob is None:
            return None
        if blob not in self._parsed:
            raw = self._reader.read(blob)
            location = classify(path)
            model = None
            if raw is not None and location is not None:
                doc, _ = load_document(location, raw)
                model = doc.model if doc is not None and isinstance(doc.model, Panel) else None
            self._parsed[blob] = model
        return self._parsed[blob]

    def in_force(self, commit: Commit, anchor: str | None, panel_id: str) -> Panel | None:
        """The terms a commit is judged by: those at its anchor (see `_authority_anchors`), or its own for a
        panel it creates; HEAD's when it has no anchor."""
        if anchor is None:
            return self.get(panel_id)
        return self.at(anchor, panel_id) or (self.at(commit.id, panel_id) if anchor in commit.parents else None)


class _Judge:
    """The rules, applied to one commit or seal at a time."""

    def __init__(self, roster: Roster, panels: _Panels, today: date) -> None:
        self._holders = key_holders(roster)
        self._panels = panels
        self._today = today

    def commit(
        self,
        commit: Commit,
        covered_before: date | None,
        reader: BlobReader,
        holders_before: _Holders | None,
        authority: _Authority,
    ) -> list[Diagnostic]:
        """Every refusal for one commit: its signature, its signer, and the files it guards.

        `holders_before` is who held which key in the roster the commit was made on (its first
        parent's); None where there was no readable roster then.
        """
        other = commit.author.casefold() != commit.committer.casefold()
        refuse = _refuser(
            commit.id, f" (committed by {commit.committer}" + (f", authored by {commit.author})" if other else ")")
        )
        refusals: list[Diagnostic] = []
        holder = self._signature(commit, covered_before, refuse, refusals)
        if holder is not None and holders_before is not None:
            then = holders_before.get(commit.key, [])
            if not any(h.person.id == holder.person.id for h in then):
                refusals.append(
                    refuse(
                        KEY_ADDED_LATER,
                        f"signed with {holder.person.id}'s key, which the roster did not give {holder.person.id} "
                        "before this commit: a key vouches only for changes made after the roster holds it",
                    )
                )
                holder = None
        at_head = holder
        roster_then = authority.holders()
        if holder is not None and roster_then is not None:
            # The roles the signer held when the commit was made, not the ones HEAD gives them.
            held = [h for h in roster_then.get(commit.key, []) if h.person.id == holder.person.id]
            holder = held[0] if held else _without_roles(holder)
        maintainer = [h for h in (holder, at_head if authority.ranged else holder) if h is not None]
        by_maintainer = len(maintainer) == 2 and all(Role.MAINTAINER in h.person.roles for h in maintainer)
        who = holder.person.id if holder is not None else "a signer the roster does not vouch for"
        # Who may chair, and from which commit the history is verified, are a maintainer's to change:
        # otherwise the change would approve what follows it, or take what precedes it out of view.
        if not by_maintainer and commit.parents:
            for path, rule, what in _authority_changes(commit, reader, authority):
                refusals.append(refuse(rule, f"{what}, signed by {who}, who is not a maintainer", path))
        for path, panel_id, what in _guarded(commit, reader):
            refusal = self._authority(holder, panel_id, what, path, refuse, commit, authority.anchor)
            if refusal is None and authority.ranged and authority.anchor is not None:
                # A push or pull request is being made now: HEAD's roster and terms must allow it too.
                refusal = self._authority(at_head, panel_id, what, path, refuse, commit, None)
            if refusal is not None:
                refusals.append(refusal)
        return refusals

    def seals(self, seals: list[SealTag], at_head: dict[str, str]) -> tuple[list[Diagnostic], dict[str, date]]:
        """Refusals for the seals, and for each sealed commit the earliest day a trusted seal vouches for it."""
        refusals: list[Diagnostic] = []
        anchors: dict[str, date] = {}
        for seal in seals:
            found = self._seal(seal, at_head)
            refusals += found
            holder = self._single(seal.key)
            trusted = (
                seal.good_signature
                and seal.commit is not None
                and seal.time is not None
                and holder is not None
                and not any(d.code in _UNTRUSTED_SEAL for d in found)
                and (holder.key.revoked is None or holder.key.revoked > self._today)
            )
            if trusted and seal.commit is not None and seal.time is not None:
                day = seal.time.date()
                anchors[seal.commit] = min(day, anchors.get(seal.commit, day))
        return refusals, anchors

    def _signature(
        self, commit: Commit, covered_before: date | None, refuse: _Refuse, out: list[Diagnostic]
    ) -> KeyHolder | None:
        """Refusals about the signature itself; the key's holder when the signature can be relied on."""
        holders = self._holders.get(commit.key, []) if commit.key else []
        if len(holders) > 1:
            names = ", ".join(sorted(h.person.id for h in holders))
            out.append(refuse(SHARED_KEY, f"signed with a key the roster gives to more than one person ({names})"))
            return None
        holder = holders[0] if holders else None
        if commit.status in _STATUS_RULES:
            rule, message = _STATUS_RULES[commit.status]
            out.append(refuse(rule, message))
            return None
        if commit.status != "G" or holder is None:
            out.append(self._not_good(commit, holder, refuse))
            return None
        email = holder.person.email or ""
        if email.casefold() != commit.committer.casefold():
            out.append(
                refuse(
                    SIGNER_NOT_COMMITTER,
                    f"signed with {holder.person.id}'s key ({email}), not the committer's",
                )
            )
            return None
        end = retirement(holder.key)
        if end is not None and end[0] <= self._today and (covered_before is None or covered_before >= end[0]):
            day, why = end
            out.append(
                refuse(
                    _RETIRED[why],
                    f"signed with {holder.person.id}'s key, {why} on {day.isoformat()}, and no seal made before then "
                    "covers this commit, so its date (which the committer chose) cannot be trusted",
                )
            )
            return None
        return holder

    def _not_good(self, commit: Commit, holder: KeyHolder | None, refuse: _Refuse) -> Diagnostic:
        """The refusal for a `U` (or unexpected) status: why git did not accept the key."""
        if holder is None:
            return refuse(
                UNKNOWN_KEY,
                f"signed with a key that is not in the roster ({commit.key or 'no key'}): git may still call it "
                "a good signature, but it proves nothing about who signed",
            )
        problem = outside_window(holder.key, commit.time.date())
        when = commit.time.date().isoformat()
        if holder.person.email is None:
            return refuse(
                UNKNOWN_KEY, f"{holder.person.id}'s key is in the roster without an email, so git cannot match it"
            )
        if problem is None:
            return refuse(
                UNKNOWN_KEY, f"git did not accept {holder.person.id}'s key for this commit (status {commit.status})"
            )
        if problem == "not-yet-valid":
            return refuse(
                KEY_NOT_YET_VALID, f"signed with {holder.person.id}'s key on {when}, before the key was valid"
            )
        return refuse(_RETIRED[problem], f"signed with {holder.person.id}'s key on {when}, after the key was {problem}")

    def _authority(
        self,
        holder: KeyHolder | None,
        panel_id: str,
        what: str,
        path: str,
        refuse: _Refuse,
        commit: Commit,
        anchor: str | None,
    ) -> Diagnostic | None:
        """A refusal when the signer may not sign this panel's decisions and minutes under the terms then in force."""
        panel = self._panels.in_force(commit, anchor, panel_id)
        if panel is None:
            if self._panels.get(panel_id) is not None:
                return refuse(
                    UNKNOWN_PANEL,
                    f"{what} for panel '{panel_id}', whose terms this commit and its parent do not yet define: "
                    "terms added later cannot approve it",
                    path,
                )
            return refuse(UNKNOWN_PANEL, f"{what} for panel '{panel_id}', which HEAD does not define", path)
        if holder is not None and may_sign_for(holder.person, panel_id, panel):
            return None
        who = f"{holder.person.id}, who is" if holder is not None else "a signer who is"
        return refuse(NOT_CHAIR, f"{what} signed by {who} neither a chair nor a named delegate of '{panel_id}'", path)

    def _seal(self, seal: SealTag, at_head: dict[str, str]) -> list[Diagnostic]:
        refuse = _refuser(seal.name, f" (tagged by {seal.tagger})" if seal.tagger else "")
        location = _seal_location(seal.name)
        if not seal.annotated or seal.commit is None:
            return [refuse(UNSIGNED_SEAL, "the seal is not a signed tag on a commit (make seals with `panel seal`)")]
        if location is None or not seal.files:
            return [refuse(MALFORMED_SEAL, "the seal's name or message is not what `panel seal` makes")]
        out: list[Diagnostic] = []
        if not seal.good_signature:
            out.append(refuse(BAD_SEAL_SIGNATURE, "the seal's signature is not good by a roster key within its dates"))
        holder = self._single(seal.key)
        panel_id = location.panel or ""
        if seal.good_signature and holder is not None:
            panel = self._panels.get(panel_id)
            if panel is None:
                out.append(refuse(UNKNOWN_PANEL, f"the seal is for panel '{panel_id}', which HEAD does not define"))
            elif not may_sign_for(holder.person, panel_id, panel):
                out.append(
                    refuse(
                        NOT_CHAIR,
                        f"the seal is signed by {holder.person.id}, not a chair or delegate of '{panel_id}'",
                    )
                )
            if (holder.person.email or "").casefold() != seal.tagger.casefold():
                out.append(refuse(SIGNER_NOT_TAGGER, f"signed with {holder.person.id}'s key, not the tagger's"))
        if not seal.in_history:
            out.append(
                refuse(
                    SEAL_NOT_IN_HISTORY,
                    f"the sealed commit {seal.commit} is no longer in HEAD's history: history was rewritten",
                )
            )
        for path, blob in sorted(seal.files.items()):
            now = at_head.get(path)
            restore = f"`git checkout {seal.name} -- {path}`"
            if now is None:
                hint = f"{_HINTS[SEALED_FILE_DELETED].removesuffix('.')}: {restore}."
                out.append(refuse(SEALED_FILE_DELETED, "a sealed file is no longer in HEAD", path, hint))
            elif now != blob:
                hint = f"Restore the sealed file ({restore}) and record the change in a new file that supersedes it."
                message = "a sealed file was edited: supersede it with a new file instead"
                out.append(refuse(SEALED_FILE_CHANGED, message, path, hint))
        return out

    def _single(self, key: str | None) -> KeyHolder | None:
        holders = self._holders.get(key, []) if key else []
        return holders[0] if len(holders) == 1 else None


_Holders = dict[str, list[KeyHolder]]


class _EarlierRosters:
    """Who held which key in the roster each commit was made on: its first parent's roster.

    One `cat-file --batch-check` request per commit finds the roster's blob id at the parent;
    each distinct roster version is read and parsed once.
    """

    def __init__(self, reader: BlobReader, ids: ObjectIds) -> None:
        self._reader = reader
        self._ids = ids
        self._parsed: dict[str, _Holders | None] = {}

    def blob_at(self, revision: str, path: str) -> str | None:
        """The blob id of `path` at `revision`, or None."""
        return self._ids.id_of(f"{revision}:{path}")

    def holders_before(self, commit: Commit) -> _Holders | None:
        """Key holders by fingerprint in the roster at the commit's first parent; None without a valid one."""
        return self.holders_at(commit.parents[0]) if commit.parents else None

    def holders_at(self, revision: str) -> _Holders | None:
        """Key holders by fingerprint in the roster at `revision`; None without a valid one."""
        blob = self._ids.id_of(f"{revision}:{ROSTER_PATH}")
        if blob is None:
            return None
        if blob not in self._parsed:
            raw = self._reader.read(blob)
            try:
                self._parsed[blob] = key_holders(read_roster(raw)) if raw is not None else None
            except UsageError:
                # A roster that did not load then cannot say who held which key: HEAD's roster alone judges.
                self._parsed[blob] = None
        return self._parsed[blob]


@dataclass(frozen=True)
class _Authority:
    """Where a commit's authority is judged from: the roster and terms at its anchor commit."""

    anchor: str | None
    """The commit whose roster and terms are in force (None: HEAD's)."""
    rosters: _EarlierRosters
    """Reads the roster at the anchor."""
    ranged: bool = False
    """The commit is part of a range being verified (a push or a pull request), not the whole history."""

    def holders(self) -> _Holders | None:
        """Who held which key and role at the anchor; None when HEAD's roster judges."""
        return self.rosters.holders_at(self.anchor) if self.anchor is not None else None

    def moves_audit_start(self, commit: Commit, reader: BlobReader) -> bool:
        """Whether the commit sets, changes or removes the authority's `audit_start` (against its first parent)."""
        change = next((c for c in commit.changes if c.path == AUTHORITY_PATH), None)
        if change is None:
            return False
        before = self.rosters.blob_at(commit.parents[0], AUTHORITY_PATH) if commit.parents else None
        return _audit_start(reader, before) != _audit_start(reader, change.blob)


def _authority_anchors(commits: list[Commit], *, ranged: bool) -> dict[str, str | None]:
    """The commit each commit's authority (who may chair, who holds which role) is judged from.

    Over the whole history it is the first parent: the terms and roster in force when the commit
    was made, so a later change neither approves nor refuses what came before. Over a range (a
    push, a pull request) it is the first ancestor outside the range: what the range itself brings
    is not yet accepted, so it cannot grant a role or widen a chair and use it in the same breath.
    A commit with no such ancestor is judged by HEAD's roster and terms.
    """
    by_id = {commit.id: commit for commit in commits}
    anchors: dict[str, str | None] = {}
    for commit in commits:
        parent = commit.parents[0] if commit.parents else None
        seen: set[str] = set()
        while ranged and parent is not None and parent in by_id and parent not in seen:
            seen.add(parent)
            first = by_id[parent].parents
            parent = first[0] if first else None
        anchors[commit.id] = parent
    return anchors


def _authority_changes(commit: Commit, reader: BlobReader, authority: _Authority) -> Iterable[tuple[str, Rule, str]]:
    """(path, rule, what) for each change of a panel's terms or of the audit start the commit makes."""
    for change in commit.changes:
        location = classify(change.path)
        if location is not None and location.kind is Kind.PANEL:
            yield change.path, TERMS_CHANGED, f"the terms of reference of '{location.panel}' changed"
    if authority.moves_audit_start(commit, reader):
        yield AUTHORITY_PATH, AUDIT_START_MOVED, f"{AUTHORITY_PATH}'s audit_start changed"


def _audit_start(reader: BlobReader, blob: str | None) -> str | None:
    """The `audit_start` an authority file's version names; None without one (or for a file that does not load)."""
    raw = reader.read(blob) if blob is not None else None
    if raw is None:
        return None
    doc, _ = load_document(Location(AUTHORITY_PATH, Kind.AUTHORITY), raw)
    return doc.model.audit_start if doc is not None and isinstance(doc.model, Authority) else None


def _without_roles(holder: KeyHolder) -> KeyHolder:
    """The key's holder with no roles: the roster at the anchor did not give them this key."""
    return dataclasses.replace(holder, person=holder.person.model_copy(update={"roles": []}))


def _guarded(commit: Commit, reader: BlobReader) -> Iterable[tuple[str, str, str]]:
    """(path, panel, what) for each file only a chair or delegate may change in this commit."""
    for change in commit.changes:
        location = classify(change.path)
        if location is None or location.panel is None:
            continue
        if location.kind is Kind.DECISION:
            yield change.path, location.panel, "a decision sheet changed"
        elif location.kind is Kind.MEETING and change.blob is not None:
            parsed, _ = read_markdown(change.path, reader.read(change.blob) or b"")
            if parsed is not None and parsed.data.get("status") == "approved":
                yield change.path, location.panel, "minutes approved (meeting record with status approved)"


def _coverage(commits: list[Commit], anchors: dict[str, date]) -> dict[str, date]:
    """For each commit, the earliest day a trusted seal on it or on a descendant was made.

    `commits` come children first (`--topo-order`), so one walk carries each day down to the parents.
    """
    covered = dict(anchors)
    for commit in commits:
        day = covered.get(commit.id)
        if day is None:
            continue
        for parent in commit.parents:
            earlier = covered.get(parent)
            covered[parent] = day if earlier is None else min(day, earlier)
    return covered


def _seal_location(name: str) -> Location | None:
    """The meeting a seal's name (`seal/<panel>/<date>`) stands for, or None if it is not one."""
    location = classify(f"decisions/{name.removeprefix('seal/')}/meeting.md") if name.startswith("seal/") else None
    return location if location is not None and location.kind is Kind.MEETING else None


def _decision_blobs(root: Path, head: str) -> dict[str, str]:
    """Every file under decisions/ at HEAD with its blob id (one `git ls-tree`)."""
    listing = git.output(root, ["ls-tree", "-r", "-z", "--full-tree", head, "--", "decisions/"])
    found: dict[str, str] = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3:
            found[path] = parts[2]
    return found


def _substitutes(root: Path) -> list[Diagnostic]:
    """A refusal per replace ref and per grafts file: plain git would read another history than the objects."""
    found = [
        make(
            REPLACE_REFS,
            "",
            0,
            f"{ref} makes plain git show another object in place of {ref.rpartition('/')[2]}",
            _HINTS[REPLACE_REFS],
        )
        for ref in replace_refs(root)
    ]
    found += [
        make(GRAFT_FILE, "", 0, f"{path} gives commits other parents in plain git's eyes", _HINTS[GRAFT_FILE])
        for path in graft_files(root)
    ]
    return found


def _witness_diagnostics(
    witnesses: list[Witness], seals: dict[str, str], keys: list[str], *, branch: bool
) -> list[Diagnostic]:
    """Refusals for witnesses that are not the server's, and for what a trusted witness finds changed.

    With `branch` (a work branch), a witnessed head that the repository holds but HEAD does not
    contain is the protected branch having moved on since the fork: that branch's verification judges it.
    """
    found: list[Diagnostic] = []
    for witness in witnesses:
        refuse = _refuser(witness.name, "")
        if witness.problems:
            found.append(refuse(BAD_WITNESS, f"the witness cannot be trusted: {'; '.join(witness.problems)}"))
            continue
        if not keys:
            found.append(refuse(BAD_WITNESS, f"the witness cannot be checked: {AUTHORITY_PATH} lists no witness_keys"))
            continue
        if not witness.good_signature or witness.claim is None:
            message = "the witness's signature is not good by one of the authority's witness keys"
            found.append(refuse(BAD_WITNESS, message))
            continue
        claim = witness.claim
        if not witness.in_history and not (branch and witness.head_exists):
            where = "is no longer in HEAD's history" if witness.head_exists else "is not in the repository at all"
            found.append(
                refuse(
                    WITNESSED_COMMIT_MISSING,
                    f"the server witnessed {claim.head} as the head of {claim.ref}, and it {where}: "
                    "history was rewritten after the server saw it",
                )
            )
        for name, object_id in sorted(claim.seals.items()):
            now = seals.get(name)
            if now is None:
                found.append(refuse(WITNESSED_SEAL_MISSING, f"the witnessed seal {name} ({object_id}) is missing"))
            elif now != object_id:
                message = f"the seal {name} is {now}, not the tag object {object_id} the server witnessed"
                found.append(refuse(WITNESSED_SEAL_MOVED, message))
    return found


def _fsck(root: Path) -> list[Diagnostic]:
    """`git fsck --full --strict`: any corruption, an altered object included, is a refusal."""
    result = git.run(root, ["fsck", "--full", "--strict", "--no-progress", "--no-dangling"])
    if result.returncode == 0:
        return []
    lines = [line for line in git.decode(result.stderr + result.stdout).splitlines() if line.strip()]
    shown = "; ".join(lines[:3]) + (f" (and {len(lines) - 3} more)" if len(lines) > 3 else "")
    message = f"git fsck found damage: {shown or 'no details'}"
    return [make(CORRUPT_REPOSITORY, "", 0, message, _HINTS[CORRUPT_REPOSITORY])]


def _damage(found: list[Damage]) -> list[Diagnostic]:
    """One refusal per damaged object of a range, naming its path where rev-list gave one."""
    return [
        make(
            CORRUPT_REPOSITORY,
            damage.path or "",
            0,
            f"object {damage.object_id}: {damage.problem}" if damage.object_id else damage.problem,
            _HINTS[CORRUPT_REPOSITORY],
        )
        for damage in found
    ]


def _head(root: Path) -> str:
    """HEAD's commit id, after refusing what cannot be verified: not a repository, shallow, no commits."""
    probe = git.run(root, ["rev-parse", "--is-shallow-repository"])
    if probe.returncode != 0:
        raise UsageError(f"{root} is not a git repository: there is no history to verify")
    if git.decode(probe.stdout).strip() == "true":
        raise UsageError(
            f"{root} is a shallow clone: the history before its boundary is missing, so it cannot be verified "
            "(run `git fetch --unshallow`; in CI, check out with full depth)"
        )
    head = git.decode(git.run(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).stdout).strip()
    if not head:
        raise UsageError(f"{root} has no commits yet: there is nothing to verify")
    return head


def _roster(reader: BlobReader, head: str) -> Roster:
    raw = reader.read(f"{head}:{ROSTER_PATH}")
    if raw is None:
        raise UsageError(f"{ROSTER_PATH} is not in HEAD: verification needs the roster's keys")
    return read_roster(raw, f"{ROSTER_PATH} at HEAD")


def _authority_settings(reader: BlobReader, head: str) -> Authority | None:
    """The authority's settings at HEAD; None when it has none. A file that does not load is a UsageError."""
    raw = reader.read(f"{head}:{AUTHORITY_PATH}")
    if raw is None:
        return None
    doc, problems = load_document(Location(AUTHORITY_PATH, Kind.AUTHORITY), raw)
    if doc is None or not isinstance(doc.model, Authority):
        reasons = "; ".join(f"line {p.line}: {p.message}" for p in problems)
        raise UsageError(f"{AUTHORITY_PATH} at HEAD is not valid ({reasons}): fix it first")
    return doc.model


def _revision(authority: Authority | None, reader: BlobReader, head: str, given: str | None) -> str:
    """The range to verify: as given (checked to be no option), else from the audit start to HEAD."""
    if given is not None:
        if not given or given.startswith("-") or any(ord(c) < 32 for c in given):
            raise UsageError(f"'{given}' is not a range of commits (write it as A..B, or a single commit)")
        return given
    if authority is None:
        return head
    start = authority.audit_start
    if start is None:
        return head
    if reader.read(start) is None:
        raise UsageError(f"{AUTHORITY_PATH}: audit_start '{start}' is not a commit in this repository")
    return f"{start}..{head}"
