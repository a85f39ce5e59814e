"""The one value every command works from: the repository and what the pipeline found in it, gathered once.

`generator.pipeline.gather` makes it; `panel check` reads its diagnostics, the site's page builders
and the exports read everything. It is immutable. Its views (indexes by path and by case, and the
computed views of `generator.views` such as agendas and trackers) are worked out on first use and
kept: `cached_property` for the indexes here, `view` for a view function of a higher layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, TypeVar, cast

from generator.audit.provenance import Entry, Histories
from generator.core.diagnostics import Diagnostic
from generator.core.layout import classify
from generator.git.history import History
from generator.loading.repository import Doc, Repository
from generator.models import Decision, Referral
from generator.models.audience import COORDINATORS, Audience
from generator.schedule.meetings import ScheduledMeeting
from generator.schedule.workdays import WorkingCalendar

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Workspace:
    """The loaded repository and the results of every earlier stage, as of one date."""

    repo: Repository
    """The loaded and validated repository."""
    diagnostics: tuple[Diagnostic, ...]
    """Every problem found while loading and checking, sorted."""
    as_of: date
    """The date everything is judged on."""
    upcoming: Mapping[str, Sequence[ScheduledMeeting]] = field(default_factory=dict)
    """The next scheduled meetings of each panel, by panel id (absent: not worked out)."""
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    """The authority's working days (bank holidays and local closures)."""
    arrivals: Mapping[str, datetime | None] = field(default_factory=dict)
    """When each referral arrived, by path, as judged for lateness (absent or None: not judged)."""
    histories: Histories = field(default_factory=lambda: Histories(History()))
    """Every document's history from the one pass over git (empty outside a repository)."""
    notes: tuple[str, ...] = ()
    """Remarks about how the pipeline ran (a shallow clone, a full check forced by a settings change)."""
    audience: Audience = COORDINATORS
    """Who the output is for: what the pages, search index and downloads may show (`generator.pipeline.audience`)."""
    _views: dict[Callable[[Workspace], Any], Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def checked(self) -> int:
        """How many documents were read."""
        return len(self.repo.paths)

    @cached_property
    def by_path(self) -> Mapping[str, Sequence[Diagnostic]]:
        """Diagnostics by repository path."""
        found: dict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in self.diagnostics:
            found[diagnostic.path].append(diagnostic)
        return dict(found)

    @cached_property
    def by_case(self) -> Mapping[str, Sequence[Diagnostic]]:
        """Diagnostics of the files a case's path names (its folder, and decision sheets named by it)."""
        found: dict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in self.diagnostics:
            location = classify(diagnostic.path)
            if location is not None and location.case is not None:
                found[location.case].append(diagnostic)
        return dict(found)

    @cached_property
    def referrals(self) -> Mapping[str, Sequence[Doc[Referral]]]:
        """Referrals by case id, oldest meeting first."""
        found: dict[str, list[Doc[Referral]]] = defaultdict(list)
        for referral in self.repo.referrals:
            found[referral.model.case].append(referral)
        return dict(found)

    @cached_property
    def decisions(self) -> Mapping[str, Sequence[Doc[Decision]]]:
        """Decisions by case id, oldest meeting first."""
        found: dict[str, list[Doc[Decision]]] = defaultdict(list)
        for decision in self.repo.decisions:
            found[decision.model.case].append(decision)
        return dict(found)

    def view(self, compute: Callable[[Workspace], T]) -> T:
        """The view `compute` gives of this workspace, worked out once and shared by every reader.

        `compute` must be a module-level function (its identity is the key), never a lambda made
        per call: the views of `generator.views` and the site's areas are such functions.
        """
        if compute not in self._views:
            self._views[compute] = compute(self)
        return cast(T, self._views[compute])

    def history(self, path: str) -> list[Entry]:
        """A document's changes, oldest first (and a "not yet committed" entry when the working tree differs)."""
        return self.histories.entries(path)

    def problems(self, path: str) -> Sequence[Diagnostic]:
        """The diagnostics of one repository path."""
        return self.by_path.get(path, ())

    def person(self, person_id: str) -> str:
        """A person's name from the roster, or their id if the roster has no such person."""
        person = self.repo.roster.get(person_id)
        return person.name if person else person_id

    def panel_name(self, panel_id: str) -> str:
        """A panel's short name, or its id when the repository has no such panel."""
        panel = self.repo.panels.get(panel_id)
        return panel.short_name if panel else panel_id

    def team(self, team_id: str) -> str:
        """A team's name from the authority's settings, or its id."""
        teams = self.repo.authority.teams if self.repo.authority else []
        return next((t.name for t in teams if t.id == team_id), team_id)
