"""Who a build is for: the audience rules of `panels/authority.yml` (`audiences:`).

An audience says which panels' material a site holds and how much of a child it shows: names in
full or as initials, dates of birth or ages, the narrative or not, and what the search index and
the downloads (tracker, calendars, case notes) may carry. The build with no `--audience` is for
the coordinators (`COORDINATORS`): every page in full, the search index and downloads minimised.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from pydantic import Field

from .common import Slug, Strict, Text


class NameForm(StrEnum):
    """How a child's name is shown."""

    FULL = "full"
    """The name as the case records it."""
    INITIALS = "initials"
    """The initials only ("B. P.")."""


class BirthForm(StrEnum):
    """How a child's date of birth is shown."""

    DATE = "date"
    """The date of birth."""
    AGE = "age"
    """The age in years (months or weeks for a baby) on the build's as-of date."""


class SearchScope(StrEnum):
    """What the site's search index holds about case material."""

    CASE = "case"
    """Case ids and panels only: no name, no narrative, no heading of case material."""
    FULL = "full"
    """Everything the pages show this audience."""


class Audience(Strict):
    """One audience's rule: which panels, and what it may see."""

    name: Slug
    """The name `panel build --audience NAME` gives."""
    description: Text | None = None
    """Who the audience is (shown nowhere but the settings)."""
    panels: list[Slug] | None = None
    """The panels whose material the site holds (absent: every panel)."""
    names: NameForm = NameForm.FULL
    """Children's names on the pages."""
    birth: BirthForm = BirthForm.DATE
    """Dates of birth, or ages, on the pages."""
    narrative: bool = True
    """The documents' text: narrative bodies and every free-text field (sought, agreed, rationale,
    notes, reasons), where family members and other people outside the roster are named."""
    outside_teams: list[Slug] = Field(default_factory=list)
    """Teams of the roster whose people are not the council's staff (partner agencies): on this
    audience's site they are named by their role only, and have no email (so no invitation)."""
    search: SearchScope = SearchScope.CASE
    """What the search index holds about case material."""
    exports: NameForm = NameForm.INITIALS
    """Children's names in the downloads (CSV, XLSX, calendars, case notes)."""


COORDINATORS = Audience(name="coordinators")
"""The build with no `--audience`: every panel and every page in full; search and downloads minimised."""


def initials(name: str) -> str:
    """A name's initials, each followed by a full stop ("Bryony Pebbleford" -> "B. P.")."""
    letters = [_first_letter(word) for word in name.replace("-", " ").split()]
    return " ".join(f"{letter}." for letter in letters if letter)


def _first_letter(word: str) -> str:
    letter = next((c for c in word if c.isalpha()), "")
    # A base letter, so that the initial of an accented name is still plain text.
    return unicodedata.normalize("NFKD", letter)[:1].upper()
