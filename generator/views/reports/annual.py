"""The panel chair's annual report to the senior management team, for the financial year containing `as_of`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Repository
from generator.schedule.workdays import WorkingCalendar
from generator.views.reports.children import cp_plans, s20_entries
from generator.views.reports.figures import Measure, Period, financial_year
from generator.views.reports.hearings import (
    DeferralLine,
    deferrals,
    heard_by_panel,
    heard_by_request,
    heard_in,
    index_hearings,
    outcomes,
    repeat_referrals,
)
from generator.views.reports.plans import CareMeasures, PlanMeasures, care_measures, plan_measures
from generator.views.reports.timeliness import (
    decision_sheet_timeliness,
    duty_checks_in,
    minutes_timeliness,
    referral_timeliness,
)

LIMITATIONS = (
    "Figures are only as complete as the records: a case heard without a decision sheet is not counted, and an "
    "after-meeting step with no date recorded counts as not done.",
    "A referral's arrival is the commit that added it to the repository; documents that arrived before the audit "
    "start have no known arrival.",
    "Repeat referrals are counted within the panels recorded here, panel by panel. This is not the statutory "
    "re-referral rate of the Children in Need census, which counts referrals to children's social care.",
    "Child protection plans, entries to care and permanence come from the key events recorded on each case. "
    "A plan or entry that was never recorded as an event cannot be counted, and children are counted, not cases.",
    "The order-made event does not record which order was made, and the left-care event does not record where the "
    "child went: permanence by order is recognised from the child's current legal status only.",
)
"""What the annual report cannot tell from the data, stated on the page."""


@dataclass(frozen=True)
class AnnualReport:
    """Every figure of the chair's annual report, each with the cases behind it."""

    period: Period
    """The financial year, covered to `as_of` if it is still running."""
    heard: Measure
    """Cases heard by panel."""
    requests: Measure
    """Cases heard by panel and request type."""
    outcomes: Measure
    """Outcomes by panel."""
    outcome_kinds: Measure
    """Outcomes by kind."""
    referrals: Measure
    """Timeliness of referrals."""
    decision_sheets: Measure
    """Timeliness of decision sheets on the child's record."""
    minutes: Measure
    """Timeliness of minutes."""
    deferrals: Measure
    """Cases booked and deferred."""
    deferral_lines: tuple[DeferralLine, ...]
    """Every deferral, with its reason."""
    repeats: Measure
    """Referrals and repeat referrals."""
    plans: PlanMeasures
    """Child protection plans."""
    care: CareMeasures
    """Section 20 entries and time to permanence."""


def annual_report(
    repo: Repository,
    *,
    as_of: date,
    calendar: WorkingCalendar,
    diagnostics: Iterable[Diagnostic] = (),
    arrivals: Mapping[str, datetime | None] | None = None,
) -> AnnualReport:
    """The annual report for the financial year containing `as_of`, covering it up to `as_of`.

    `diagnostics` are the checks' findings (late referrals are read from them); `arrivals` says when
    each referral arrived (absent: not known).
    """
    period = financial_year(as_of)
    hearings = index_hearings(repo)
    heard = heard_in(hearings, period)
    outcome_measure, kinds = outcomes(repo, heard)
    deferral_measure, deferral_lines = deferrals(repo, period)
    plans = [plan for doc in repo.cases.values() for plan in cp_plans(doc.model, as_of)]
    entries = [entry for doc in repo.cases.values() for entry in s20_entries(doc.model, as_of)]
    duties = duty_checks_in(repo, period, heard, calendar)
    return AnnualReport(
        period=period,
        heard=heard_by_panel(repo, heard),
        requests=heard_by_request(repo, heard),
        outcomes=outcome_measure,
        outcome_kinds=kinds,
        referrals=referral_timeliness(repo, period, diagnostics, arrivals or {}, calendar),
        decision_sheets=decision_sheet_timeliness(repo, duties),
        minutes=minutes_timeliness(repo, duties),
        deferrals=deferral_measure,
        deferral_lines=deferral_lines,
        repeats=repeat_referrals(repo, hearings, period),
        plans=plan_measures(plans, period),
        care=care_measures(entries, period),
    )
