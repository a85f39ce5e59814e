"""Personal data where it does not belong: children's and staff names, children's dates of birth.

A name counts when written in full or as first and last name, as whole words in any letter case;
a single word of a name is not enough in a message or a branch name (first names and many
surnames are ordinary words), though `name-in-file-name` (in `links`) refuses any word of a name
in a path, where only ids belong. A date of birth (or due date) counts written ISO, compact or
day first, with digits or with the month's name. What is found is described ("a child's name
from case 123456"), never quoted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.core.layout import classify
from generator.git.branch_changes import BranchChanges
from generator.loading.repository import Repository

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SEPARATOR = r"[\s_.-]+"
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Lines git tools add to name the people behind a commit: staff names there are expected.
_TRAILER = re.compile(r"^[A-Za-z][A-Za-z-]*-by:\s", re.MULTILINE)


@dataclass(frozen=True)
class Finder:
    """Patterns for the names and dates of birth the repository holds, each with whose it is."""

    names: tuple[tuple[re.Pattern[str], str], ...]
    dates: tuple[tuple[date, re.Pattern[str], str], ...]

    def find(self, text: str, *, names: bool = True, dates: bool = True) -> list[str]:
        """Whose names (and dates of birth) `text` holds, described without them, sorted."""
        folded = _fold(text)
        found = {who for pattern, who in self.names if names and pattern.search(folded)}
        found |= {who for _, pattern, who in self.dates if dates and pattern.search(folded)}
        return sorted(found)


def finder(repo: Repository) -> Finder:
    """A finder for every child's name and date of birth in the cases and every name in the roster."""
    names: list[tuple[re.Pattern[str], str]] = []
    dates: list[tuple[date, re.Pattern[str], str]] = []
    for case_id, doc in sorted(repo.cases.items()):
        for child in doc.model.children:
            names += [(p, f"a child's name from case {case_id}") for p in _name_patterns(child.name)]
            for born in (child.date_of_birth, child.due_date):
                if born is not None:
                    dates.append((born, _date_pattern(born), f"a child's date of birth from case {case_id}"))
    for person in repo.roster.values():
        names += [(p, "a staff member's name from the roster") for p in _name_patterns(person.name)]
    return Finder(tuple(names), tuple(dates))


def check_paths(repo: Repository, found_in: Finder) -> list[Diagnostic]:
    """`date-of-birth-in-path` for each path holding a child's date of birth (the layout's meeting date aside)."""
    found: list[Diagnostic] = []
    for path in repo.paths:
        location = classify(path)
        text = path
        if location is not None and location.date is not None:
            text = text.replace(location.date.isoformat(), " ")
        whose = found_in.find(text, names=False)
        if whose:
            found.append(
                d.make(
                    d.DATE_OF_BIRTH_IN_PATH,
                    path,
                    0,
                    f"the path contains {' and '.join(whose)}",
                    "name files by case id, meeting date and panel only; `git mv` it to such a name",
                )
            )
    return found


def check_branch(changes: BranchChanges, branch: str | None, found_in: Finder) -> list[Diagnostic]:
    """`personal-data-in-commit-message` for each commit the branch brings; `personal-data-in-branch-name`."""
    found: list[Diagnostic] = []
    for commit in changes.commits:
        whose = check_message(commit.message, found_in)
        if whose:
            found.append(
                d.make(
                    d.PERSONAL_DATA_IN_COMMIT_MESSAGE,
                    "",
                    0,
                    f"the commit message holds {' and '.join(whose)}",
                    "reword the commit (`git rebase -i` the base, then `reword`) and refer to the case by its id",
                    commit=commit.id,
                )
            )
    whose = found_in.find(branch) if branch else []
    if whose:
        found.append(
            d.make(
                d.PERSONAL_DATA_IN_BRANCH_NAME,
                "",
                0,
                f"the branch name holds {' and '.join(whose)}",
                "rename the branch (`git branch -m NEW`), push it under the new name and delete the old one",
            )
        )
    return found


def check_message(message: str, found_in: Finder) -> list[str]:
    """Whose personal data a commit message holds (trailer lines such as `Signed-off-by:` aside)."""
    kept = [line for line in message.splitlines() if not _TRAILER.match(line) and not line.startswith("#")]
    return found_in.find("\n".join(kept))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _name_patterns(name: str) -> Iterable[re.Pattern[str]]:
    """The full name and its first and last words, as whole words; nothing for a one-word name."""
    words = [w.group(0) for w in _WORD.finditer(_fold(name))]
    if len(words) < 2:
        return []
    forms = {tuple(words), (words[0], words[-1])}
    return [re.compile(r"(?<![^\W_])" + _SEPARATOR.join(map(re.escape, form)) + r"(?![^\W_])") for form in forms]


def _date_pattern(born: date) -> re.Pattern[str]:
    """`born` written ISO, compact, day first with digits, or with the month's name (full or short)."""
    year, day, month = f"{born.year:04d}", born.day, born.month
    d2, m2 = f"{day:02d}", f"{month:02d}"
    dd, mm = f"0?{day}", f"0?{month}"
    name = _MONTHS[month - 1]
    words = rf"(?:{name}|{name[:3]}|{name[:4]})\.?"
    forms = [
        rf"{year}[-/.]{m2}[-/.]{d2}",
        rf"{year}{m2}{d2}",
        rf"{dd}[-/.]{mm}[-/.]{year}",
        rf"{d2}{m2}{year}",
        rf"{dd}(?:st|nd|rd|th)?{_SEPARATOR}(?:of{_SEPARATOR})?{words}{_SEPARATOR}{year}",
        rf"{words}{_SEPARATOR}{dd}(?:st|nd|rd|th)?,?{_SEPARATOR}?{year}",
    ]
    return re.compile(r"(?<![0-9])(?:" + "|".join(forms) + r")(?![0-9])")
