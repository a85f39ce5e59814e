"""Reading `git log -z` output: a record per commit, then the commit's changes, in one walk.

Every pass over `git log` in the package asks for the same shape of output with `log_options`:
a `--format=` that starts each commit's record with the mark `\\x1e` and separates its fields
with NUL, and `-z`, so that `--name-status` (or `--raw`) lists each change as a status token and
a path. `walk_log` walks that output once, so no pass splits it by hand: a path may hold any
byte but NUL. The passes are `generator.git.history` (every document's arrival),
`generator.git.branch_changes` (who changed what on a branch) and `generator.audit.commits`
(signatures, for `panel verify`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from generator.core.errors import UsageError

_RECORD = "\x1e"


def log_options(fields: Sequence[str]) -> list[str]:
    """`git log` options for output `walk_log` reads, with records of `fields` (placeholders such as `%H`).

    Beside `-z` and the format, they turn off what a user's settings could otherwise add or change:
    colour, external diff tools, paths relative to a subfolder, rename detection, signatures shown inline.
    """
    plain = ["--no-color", "--no-ext-diff", "--no-relative", "--no-renames", "--no-show-signature"]
    return [*plain, "-z", "--format=%x1e" + "%x00".join(fields)]


def walk_log(output: str, width: int, is_change: Callable[[str], bool]) -> Iterator[tuple[list[str] | None, str, str]]:
    """Walk `git log -z` output whose records start with `%x1e` and hold `width` NUL-separated fields.

    Yields (fields, "", "") for each commit record (the mark taken off its first field), then
    (None, token, path) for each change after it, a change being a token `is_change` accepts
    followed by its path. Raises UsageError on a cut record or on anything else.
    """
    tokens = output.split("\0")
    seen_record = False
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        if token.startswith(_RECORD):
            fields = tokens[index : index + width]
            if len(fields) < width:
                raise UsageError("git log printed a commit record that could not be read")
            fields[0] = token[1:]
            seen_record = True
            index += width
            yield fields, "", ""
        elif seen_record and is_change(token) and index + 1 < len(tokens):
            yield None, token, tokens[index + 1]
            index += 2
        elif token == "":
            index += 1
        else:
            raise UsageError(f"git log printed something unexpected ({token[:20]!r})")
