"""Named exceptions the CLI turns into exit code 2 with a one-line message."""

from __future__ import annotations


class UsageError(Exception):
    """The command was called wrongly or the repository's configuration is unusable."""
