"""Values in words, as every page, printout and export shows them: roles, timescales, cadences, ages, names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from generator.audit.provenance import when_label
from generator.loading.repository import Doc
from generator.models import Child, Decision, Panel
from generator.models.audience import BirthForm
from generator.models.panel import (
    Cadence,
    DeadlineRule,
    Frequency,
    Timescale,
    TimeUnit,
)
from generator.models.roles import Role
from generator.pipeline.workspace import Workspace

_ROLE_LABELS: dict[str, str] = {
    Role.IRO: "IRO",
    Role.CP_CHAIR: "CP chair",
    Role.IRS_SERVICE_MANAGER: "IRS service manager",
    Role.LAC_MANAGER: "LAC manager",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def role_label(role: Role | str) -> str:
    """A role in words: `head-of-service` is "head of service"."""
    text = str(role)
    return _ROLE_LABELS.get(text, text.replace("-", " "))


def timescale_label(timescale: Timescale) -> str:
    """A timescale in words: "5 working days", "1 month"."""
    units = {
        TimeUnit.WORKING_DAYS: ("working day", "working days"),
        TimeUnit.DAYS: ("day", "days"),
        TimeUnit.MONTHS: ("month", "months"),
    }[timescale.unit]
    return f"{timescale.within} {units[0] if timescale.within == 1 else units[1]}"


def cadence_label(cadence: Cadence, *, per_series: bool = False) -> str:
    """When a panel meets, in words: "Weekly on Friday, 13:00 to 16:30".

    With `per_series`, the week of the month is left out (each series sets its own).
    """
    weekday = cadence.weekday.value.capitalize() if cadence.weekday else ""
    nth = _ORDINALS.get(cadence.week_of_month or 0, "")
    day = f"the {nth} {weekday}" if nth and not per_series else f"a {weekday}"
    text = {
        Frequency.WEEKLY: f"Weekly on {weekday}",
        Frequency.FORTNIGHTLY: f"Every other {weekday}",
        Frequency.MONTHLY: f"Monthly on {day}",
        Frequency.BIMONTHLY: f"Every other month on {day}",
        Frequency.AS_REQUIRED: "As required",
    }[cadence.frequency]
    if per_series and cadence.frequency in (Frequency.MONTHLY, Frequency.BIMONTHLY):
        text += " (each series in its own week of the month)"
    if cadence.start and cadence.end:
        text += f", {cadence.start} to {cadence.end}"
    elif cadence.start:
        text += f", from {cadence.start}"
    return text


def deadline_label(panel: Panel) -> str:
    """The referral deadline rule in words."""
    rules = panel.referral
    return {
        DeadlineRule.FRIDAY_BEFORE: "the Friday before the meeting",
        DeadlineRule.WORKING_DAYS_BEFORE: f"{rules.days} working days before the meeting",
        DeadlineRule.DAYS_BEFORE: f"{rules.days} days before the meeting",
        DeadlineRule.NONE: "no deadline",
    }[rules.deadline]


def age_label(child: Child, as_of: date) -> str:
    """A child's age on `as_of` ("7 years", "14 months", "3 weeks"), or "unborn, due ..."."""
    if child.date_of_birth is None:
        due = child.due_date.isoformat() if child.due_date else "date not known"
        return f"unborn, due {due}"
    born = child.date_of_birth
    if born > as_of:
        return f"born {born.isoformat()} (after {as_of.isoformat()})"
    months = (as_of.year - born.year) * 12 + as_of.month - born.month - (as_of.day < born.day)
    if months >= 24:
        years = months // 12
        return f"{years} years"
    if months >= 1:
        return f"{months} month" + ("s" if months > 1 else "")
    weeks = (as_of - born).days // 7
    return f"{weeks} week" + ("s" if weeks != 1 else "")


def years_label(child: Child, as_of: date) -> str:
    """A child's age on `as_of` in whole years ("7 years", "under 1 year", "unborn"): for an audience shown ages."""
    born = child.date_of_birth
    if born is None or born > as_of:
        return "unborn"
    years = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
    if years < 1:
        return "under 1 year"
    return f"{years} year{'s' if years > 1 else ''}"


def child_age(child: Child, as_of: date, form: BirthForm) -> str:
    """A child's age as the audience may see it: `age_label`'s, or whole years only."""
    return age_label(child, as_of) if form is BirthForm.DATE else years_label(child, as_of)


def birth_label(child: Child, as_of: date, form: BirthForm) -> str:
    """A child's date of birth ("unborn, due ..." before birth), or for an audience shown ages, the age in years."""
    if form is BirthForm.AGE:
        return f"age {years_label(child, as_of)}" if child.date_of_birth else "unborn"
    if child.date_of_birth is not None:
        return child.date_of_birth.isoformat()
    return f"unborn, due {child.due_date.isoformat() if child.due_date else 'date not known'}"


def request_name(panel: Panel | None, request_id: str) -> str:
    """A request type's name, or its id if the panel does not hear it (or is unknown)."""
    request = panel.request_type(request_id) if panel else None
    return request.name if request else request_id


def document_name(panel: Panel | None, document_id: str) -> str:
    """A document's name from the panel's catalogue, or its id."""
    spec = next((d for d in panel.documents if d.id == document_id), None) if panel else None
    return spec.name if spec else document_id


def outcome_name_list(panel: Panel | None, outcome_ids: Iterable[str]) -> list[str]:
    """Outcomes' names from the panel's vocabulary (ids where unknown), one per outcome.

    A name may itself hold commas ("support under s17, or help for the family..."): callers that
    need the names one by one take this list, never the joined text split again.
    """
    names = {o.id: o.name for o in panel.outcomes} if panel else {}
    return [names.get(i, i) for i in outcome_ids]


def outcome_names(panel: Panel | None, outcome_ids: Iterable[str]) -> str:
    """Outcomes' names from the panel's vocabulary (ids where unknown), joined by commas.

    When a name holds a comma itself, the names are joined by semicolons instead, so that a reader
    can still tell where one outcome ends and the next begins.
    """
    names = outcome_name_list(panel, outcome_ids)
    return ("; " if any("," in name for name in names) else ", ").join(names)


def ground_label(panel: Panel | None, trigger_id: str) -> str:
    """An eligibility trigger's description, or its id."""
    trigger = next((t for t in panel.triggers if t.id == trigger_id), None) if panel else None
    return trigger.description if trigger else trigger_id


def decision_label(data: Workspace, doc: Doc[Decision]) -> str:
    """A decision in words: "CDM decision of 2026-09-14", with ", version 2" for a correction."""
    version = f", version {doc.location.version}" if doc.location.version > 1 else ""
    return f"{data.panel_name(doc.model.panel)} decision of {doc.model.meeting.isoformat()}{version}"


def signed_line(data: Workspace, path: str) -> str:
    """Who committed and signed a document's latest change, and when, in words."""
    entry = data.histories.last_commit(path)
    if entry is None or entry.change is None:
        return "not yet committed"
    change, signer = entry.change, entry.signer
    when = when_label(change.time)
    if signer is not None and change.signature == "G":
        roles = ", ".join(role_label(r) for r in signer.roles) or "no role"
        return f"committed and signed by {signer.name} ({roles}) on {when}"
    return f"committed by {change.committer_name} on {when}, {entry.signature_words(role_label)}"
