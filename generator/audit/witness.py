"""Witnesses: the git server's signed record of the protected branch's head and every seal, read here.

On every push that moves the protected branch (or adds a seal), the server's hook
(`hooks/pre-receive`, installed as `post-receive` too) makes the annotated tag
`witness/<UTC time>-<head>` on the new head, signed with the server's own SSH key, whose
message (`witness_message`) lists the branch, the head and each seal tag with its tag object id;
and it appends the same tag object, byte for byte, to an append-only log in the server's
repository folder. A clone that deleted the tags still has the log (and the site's `witness.txt`)
to answer to: `panel verify --witness FILE` reads every tag object in FILE as well as every
`witness/*` tag in the repository.

A witness counts when git judges its signature good against the authority's `witness_keys`.
Then its head must still be in HEAD's history (else the history was rewritten after the server
saw it) and each seal it lists must exist as the same tag object (else it was deleted or
replaced). A rewriter who holds a valid key can re-sign the commits after the last seal, and
delete the seal tags in a clone, but cannot make the server's key sign the result.

The git calls are constant in number, whatever the number of witnesses: one `for-each-ref` in
the repository, then, in a temporary repository that borrows its objects, `hash-object
--stdin-paths` for the file's witnesses, `update-ref --stdin`, one `for-each-ref --merged` and
one `verify-tag` over all of them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.errors import UsageError
from generator.git import runner as git
from generator.git.runner import BlobReader, ObjectIds

WITNESS_PREFIX = "refs/tags/witness/"
"""Where the server's witness tags live."""
WITNESS_PRINCIPAL = "panel-witness"
"""The principal the authority's witness keys are given in the allowed-signers file `verify` writes."""
_TITLE = "Witness of "
_HEX = r"[0-9a-f]{40}(?:[0-9a-f]{24})?"
_SEAL_LINE = re.compile(rf"({_HEX}) (seal/[!-~]+)", re.ASCII)
_HEAD_LINE = re.compile(rf"Head: ({_HEX})", re.ASCII)
_REF_LINE = re.compile(r"Ref: (refs/heads/[!-~]+)", re.ASCII)
_ENTRY_START = re.compile(rb"^object [0-9a-f]{40}(?:[0-9a-f]{24})?\ntype commit\ntag witness/", re.MULTILINE)
_ENTRY = re.compile(
    rb"object (?P<head>[0-9a-f]{40}(?:[0-9a-f]{24})?)\ntype commit\ntag (?P<name>witness/[!-~]+)\n"
    rb"tagger [^\n]+\n\n(?P<message>.*?)-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+-----END SSH SIGNATURE-----\n",
    re.DOTALL,
)
_SIGNATURE_START = "-----BEGIN SSH SIGNATURE-----"


@dataclass(frozen=True)
class Claim:
    """What a witness message says: the branch, its head and every seal then."""

    ref: str
    """The protected branch witnessed, `refs/heads/main`."""
    head: str
    """The branch's head commit when the server witnessed it."""
    seals: dict[str, str]
    """Every seal tag then (`seal/<panel>/<date>`) with its tag object id."""
    time: str = ""
    """When the server made it (UTC, as the server's clock had it)."""


@dataclass
class Witness:
    """One witness as read: from a `witness/*` tag of the repository or from a witness file."""

    name: str
    """The witness tag's name (`witness/...`), with ` (from FILE)` for one read from a file."""
    object_id: str | None = None
    """The tag object's id; None for a file entry that is not a tag object at all."""
    head: str | None = None
    """The commit the tag points at."""
    claim: Claim | None = None
    """What its message says; None when the message is not a witness's."""
    good_signature: bool = False
    """Whether git judged its signature good against the authority's witness keys."""
    head_exists: bool = False
    """Whether the repository holds the witnessed commit."""
    in_history: bool = False
    """Whether the witnessed commit is HEAD or one of its ancestors."""
    problems: list[str] = field(default_factory=list)
    """Why the witness itself cannot be trusted (not a signed tag, not a witness's message)."""


def witness_message(ref: str, head: str, time: str, seals: dict[str, str]) -> str:
    """The message of a witness tag: title, branch, head, time, then `<tag id> <seal>` per seal, sorted.

    `hooks/pre-receive` keeps its own copy (it runs without the package); a test compares them.
    """
    lines = [
        f"{_TITLE}{ref}",
        "",
        f"Ref: {ref}",
        f"Head: {head}",
        f"Time: {time}",
        f"Seals: {len(seals)}",
        "",
        *(f"{object_id} {name}" for name, object_id in sorted(seals.items())),
    ]
    return "\n".join(lines) + "\n"


def parse_message(message: str) -> Claim | None:
    """The claim a witness message makes; None when the text is not a witness's message."""
    text = message.split(_SIGNATURE_START, 1)[0]
    lines = text.splitlines()
    if not lines or not lines[0].startswith(_TITLE):
        return None
    ref = head = None
    time = ""
    seals: dict[str, str] = {}
    count = None
    for line in lines[1:]:
        if (match := _REF_LINE.fullmatch(line)) is not None:
            ref = match.group(1)
        elif (match := _HEAD_LINE.fullmatch(line)) is not None:
            head = match.group(1)
        elif (match := _SEAL_LINE.fullmatch(line)) is not None:
            seals[match.group(2)] = match.group(1)
        elif line.startswith("Time: "):
            time = line.removeprefix("Time: ")
        elif line.startswith("Seals: ") and line.removeprefix("Seals: ").isdigit():
            count = int(line.removeprefix("Seals: "))
    if ref is None or head is None or count != len(seals):
        return None
    return Claim(ref, head, seals, time)


def split_witness_file(raw: bytes) -> list[bytes]:
    """The tag objects a witness file holds, each byte for byte (the log appends them one after another)."""
    raw = raw.replace(b"\r\n", b"\n")  # a copy taken from a web page on Windows
    starts = [match.start() for match in _ENTRY_START.finditer(raw)]
    if not starts:
        return [raw] if raw.strip() else []
    pieces = [raw[start:end].rstrip(b"\n") + b"\n" for start, end in zip(starts, [*starts[1:], len(raw)], strict=True)]
    head = raw[: starts[0]]
    return ([head] if head.strip() else []) + pieces


def make_witness(root: Path, key: Path, ref: str, now: str, *, email: str, log: Path | None = None) -> str:
    """Tag `ref`'s head as `witness/<now>-<head>`, signed with the SSH `key`, listing every seal; its name.

    What the server's hook does after each push, for hosts that run no server hook (CI on the
    protected branch does it instead). `now` is the UTC time, `2026-12-03T09:00:00Z`; `log`, when
    given, gets the tag object appended byte for byte. Raises UsageError when `ref` is not a branch
    with a commit or git cannot sign.
    """
    if not _REF_LINE.fullmatch(f"Ref: {ref}"):
        raise UsageError(f"'{ref}' is not a branch: give it as refs/heads/NAME")
    head = git.decode(git.run(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).stdout).strip()
    if not head:
        raise UsageError(f"{ref} has no commit in {root}: there is no head to witness")
    listing = git.output(root, ["for-each-ref", "--format=%(refname) %(objectname)", "refs/tags/seal/"])
    seals = {
        line.rpartition(" ")[0].removeprefix("refs/tags/"): line.rpartition(" ")[2]
        for line in listing.splitlines()
        if line
    }
    stamp = now.replace("-", "").replace(":", "")
    taken = set(git.output(root, ["for-each-ref", "--format=%(refname)", WITNESS_PREFIX]).split())
    name, suffix = f"witness/{stamp}-{head[:12]}", 1
    while f"refs/tags/{name}" in taken:
        suffix += 1
        name = f"witness/{stamp}-{head[:12]}-{suffix}"
    identity = {"GIT_COMMITTER_NAME": "panel witness", "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": now}
    result = git.run(
        root,
        ["tag", "-s", "-F", "-", "--end-of-options", name, head],
        config={"gpg.format": "ssh", "user.signingkey": str(key)},
        stdin=witness_message(ref, head, now, seals).encode("utf-8"),
        env=dict(os.environ) | identity,
    )
    if result.returncode != 0:
        raise UsageError(f"git could not sign the witness {name}: {git.message(result, last=True)}")
    if log is not None:
        content = git.run(root, ["cat-file", "tag", f"refs/tags/{name}"]).stdout
        with log.open("ab") as out:
            out.write(content)
    return name


def latest_witness(root: Path, reader: BlobReader) -> bytes | None:
    """The newest `witness/*` tag object (by tagger date, then name), byte for byte; None without one."""
    order = ["--sort=-refname", "--sort=-taggerdate", "--count=1"]  # the last --sort is the first key
    listing = git.output(root, ["for-each-ref", *order, "--format=%(objectname)", WITNESS_PREFIX])
    object_id = listing.strip()
    content = reader.read(object_id) if object_id else None
    return content if content is not None and _ENTRY.fullmatch(content) is not None else None


def describe(content: bytes) -> Claim | None:
    """What a witness tag object claims (for showing it); None when it is not one."""
    match = _ENTRY.fullmatch(content)
    return parse_message(git.decode(match.group("message"))) if match is not None else None


def read_witnesses(
    root: Path,
    head: str,
    files: Iterable[tuple[str, bytes]],
    keys: list[str],
    scratch: Path,
    reader: BlobReader,
    *,
    newest_only: bool = False,
) -> list[Witness]:
    """Every witness tag of the repository and every witness in `files` ((label, content) pairs), judged.

    `keys` are the authority's witness public keys; `scratch` is an empty folder this may use.
    With `newest_only` (a range: a push, a pull request), only the newest witness tag is judged:
    the server moves its branch by fast-forward only and never drops a seal, so the newest
    witness holds every earlier one's head and seals; the whole verification judges them all
    (git checks each signature with one `ssh-keygen`, about 12 ms a witness).
    """
    witnesses = _repository_witnesses(root, reader, newest_only=newest_only)
    seen = {w.object_id for w in witnesses if w.object_id}
    entries: list[tuple[Witness, bytes]] = []
    for label, raw in files:
        for piece in split_witness_file(raw):
            witness = _file_witness(label, piece)
            if witness.object_id is None or witness.object_id not in seen:
                entries.append((witness, piece))
                if witness.object_id is not None:
                    seen.add(witness.object_id)
    witnesses += [w for w, _ in entries]
    candidates = [w for w in witnesses if not w.problems]
    if not candidates:
        return witnesses
    with ObjectIds(root) as ids:
        for witness in candidates:
            witness.head_exists = witness.head is not None and ids.id_of(f"{witness.head}^{{commit}}") == witness.head
    _judge_in_borrowed(root, head, [(w, p) for w, p in entries if not w.problems], candidates, keys, scratch)
    return witnesses


def _repository_witnesses(root: Path, reader: BlobReader, *, newest_only: bool) -> list[Witness]:
    fields = "--format=%(objectname)%00%(objecttype)%00%(refname)"
    # The last --sort is the first key: the newest by date, then by name.
    newest = ["--sort=-refname", "--sort=-taggerdate", "--count=1"] if newest_only else []
    listing = git.output(root, ["for-each-ref", *newest, fields, WITNESS_PREFIX])
    found: list[Witness] = []
    for line in listing.splitlines():
        parts = line.split("\0")
        if len(parts) != 3:
            continue
        object_id, kind, refname = parts
        witness = Witness(refname.removeprefix("refs/tags/"), object_id)
        content = reader.read(object_id) if kind == "tag" else None
        match = _ENTRY.fullmatch(content) if content is not None else None
        if match is None:
            witness.problems.append("it is not a signed tag as the server makes them")
        else:
            _fill(witness, match)
        found.append(witness)
    return found


def _file_witness(label: str, piece: bytes) -> Witness:
    match = _ENTRY.fullmatch(piece)
    if match is None:
        return Witness(f"an entry of {label}", problems=["it is not a signed witness tag as the server writes them"])
    witness = Witness(f"{match.group('name').decode('ascii')} (from {label})", _tag_id(piece))
    _fill(witness, match)
    return witness


def _fill(witness: Witness, match: re.Match[bytes]) -> None:
    witness.head = match.group("head").decode("ascii")
    witness.claim = parse_message(git.decode(match.group("message")))
    if witness.claim is None:
        witness.problems.append("its message is not a witness's (branch, head, seals)")
    elif witness.claim.head != witness.head:
        witness.problems.append("its message names another head than the commit it tags")


def _tag_id(piece: bytes) -> str:
    """The object id git gives a tag object (SHA-1); replaced by git's own answer once it is written."""
    return hashlib.sha1(b"tag %d\0" % len(piece) + piece, usedforsecurity=False).hexdigest()


def _judge_in_borrowed(
    root: Path,
    head: str,
    entries: list[tuple[Witness, bytes]],
    candidates: list[Witness],
    keys: list[str],
    scratch: Path,
) -> None:
    """Signatures and history, judged in a temporary bare repository that borrows the repository's objects.

    The file's witnesses are written there, never into the repository being verified.
    """
    borrowed = scratch / "witnesses.git"
    git.output(scratch, ["init", "-q", "--bare", "--template=", str(borrowed)])
    objects = Path(git.output(root, ["rev-parse", "--path-format=absolute", "--git-path", "objects"]).strip())
    (borrowed / "objects" / "info" / "alternates").write_text(f"{objects}\n", encoding="utf-8")
    if entries:
        folder = scratch / "entries"
        folder.mkdir()
        paths = []
        for index, (_, piece) in enumerate(entries):
            path = folder / str(index)
            path.write_bytes(piece)
            paths.append(str(path))
        request = "\n".join(paths).encode()
        written = git.run(borrowed, ["hash-object", "-w", "-t", "tag", "--stdin-paths"], stdin=request)
        ids = git.decode(written.stdout).split()
        for (witness, _), object_id in zip(entries, ids if written.returncode == 0 else [], strict=False):
            witness.object_id = object_id
        if written.returncode != 0:
            for witness, _ in entries:
                witness.problems.append("git does not read it as a tag object")
    judged = [w for w in candidates if not w.problems and w.object_id is not None]
    lines = [f"create refs/tags/w/{index} {w.object_id}\n" for index, w in enumerate(judged) if w.head_exists]
    lines.append(f"update HEAD {head}\n")
    git.output(borrowed, ["update-ref", "--no-deref", "--stdin"], stdin="".join(lines).encode())
    listing = git.output(borrowed, ["for-each-ref", "--format=%(objectname)", "--merged=HEAD", "refs/tags/w/"])
    merged = set(listing.split())
    signers = scratch / "witness_signers"
    signers.write_text("".join(f'{WITNESS_PRINCIPAL} namespaces="git" {key}\n' for key in keys), encoding="utf-8")
    good: set[str] = set()
    tag_ids = sorted({w.object_id for w in judged if w.object_id is not None})
    if keys and tag_ids:
        result = git.run(
            borrowed,
            ["verify-tag", "--format=%(objectname)", "--end-of-options", *tag_ids],
            config={"gpg.ssh.allowedSignersFile": str(signers)},
        )
        good = set(git.decode(result.stdout).split()) & set(tag_ids)
    for witness in judged:
        witness.in_history = witness.object_id in merged
        witness.good_signature = witness.object_id in good
