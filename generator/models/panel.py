"""A panel's terms of reference as data: `panels/<panel-id>.md` front matter."""

from __future__ import annotations

from enum import StrEnum
from typing import Self, TypeVar

from pydantic import Field, StrictBool, StrictInt, model_validator

from .common import IsoDate, Slug, Strict, Text, TimeOfDay, minutes_of
from .roles import Role

T = TypeVar("T")


class PanelKind(StrEnum):
    """What sort of forum this is."""

    PANEL = "panel"
    """A decision panel that hears referred or selected cases at scheduled meetings."""
    MEETING = "meeting"
    """A scheduled management meeting (review, legal planning) that tracks cases."""
    OUT_OF_PANEL = "out-of-panel"
    """A decision taken outside any meeting (by telephone or email) that must come back to one."""


class Frequency(StrEnum):
    """How often the panel meets."""

    WEEKLY = "weekly"
    """Every week on `weekday`."""
    FORTNIGHTLY = "fortnightly"
    """Every other week on `weekday`, in phase with `anchor`."""
    MONTHLY = "monthly"
    """Once a month on the `week_of_month`-th `weekday`."""
    BIMONTHLY = "bimonthly"
    """Every other month on the `week_of_month`-th `weekday`, in phase with `anchor`."""
    AS_REQUIRED = "as-required"
    """No fixed cadence: meetings exist only where a meeting record is made."""


class Weekday(StrEnum):
    """A working weekday."""

    MONDAY = "monday"
    """Monday."""
    TUESDAY = "tuesday"
    """Tuesday."""
    WEDNESDAY = "wednesday"
    """Wednesday."""
    THURSDAY = "thursday"
    """Thursday."""
    FRIDAY = "friday"
    """Friday."""

    @property
    def number(self) -> int:
        """Python's weekday number (Monday is 0)."""
        return list(Weekday).index(self)


class TimeUnit(StrEnum):
    """How a timescale is counted."""

    WORKING_DAYS = "working-days"
    """Monday to Friday, less bank holidays in England and local closure days."""
    DAYS = "days"
    """Calendar days."""
    MONTHS = "months"
    """Calendar months."""


class Timescale(Strict):
    """A span of time after (or before) a date."""

    within: StrictInt = Field(ge=0, le=3650)
    """How many units."""
    unit: TimeUnit
    """How the units are counted."""


class OnHoliday(StrEnum):
    """What happens to a meeting whose usual day is a bank holiday or local closure day."""

    NEXT_WORKING_DAY = "next-working-day"
    """Held on the first working day after its usual day."""
    PREVIOUS_WORKING_DAY = "previous-working-day"
    """Held on the last working day before its usual day."""
    SKIP = "skip"
    """Not held: the next meeting in the series is the next one."""
    HOLD = "hold"
    """Held on its usual day all the same (a panel that sits on closure days)."""

    def in_words(self) -> str:
        """The rule as a sentence's end: "a meeting whose day is a bank holiday ..." + this."""
        return _ON_HOLIDAY_WORDS[self]


_ON_HOLIDAY_WORDS = {
    OnHoliday.NEXT_WORKING_DAY: "is held on the next working day",
    OnHoliday.PREVIOUS_WORKING_DAY: "is held on the working day before",
    OnHoliday.SKIP: "is not held; the series resumes at its next date",
    OnHoliday.HOLD: "is held on its usual day all the same",
}


class Venue(Strict):
    """A place (or a remote room) where the panel meets."""

    id: Slug
    """Short id, used in meeting records."""
    name: Text
    """Name shown on agendas and calendar invites."""
    remote: StrictBool = False
    """True for an online meeting room."""


class Series(Strict):
    """One run of meetings, for panels that meet separately in each locality."""

    id: Slug
    """Series id, e.g. the locality."""
    name: Text
    """Name shown on agendas."""
    week_of_month: StrictInt | None = Field(default=None, ge=1, le=4)
    """Overrides the panel's week of the month for this series."""
    venue: Slug | None = None
    """Overrides the panel's venue rotation for this series."""
    on_holiday: OnHoliday | None = None
    """Overrides the panel's rule for a meeting whose usual day is not a working day."""


class Cadence(Strict):
    """When the panel meets."""

    frequency: Frequency
    """How often."""
    weekday: Weekday | None = None
    """Day of the week (required unless as-required)."""
    week_of_month: StrictInt | None = Field(default=None, ge=1, le=4)
    """For monthly and bimonthly panels: which occurrence of the weekday in the month."""
    anchor: IsoDate | None = None
    """A date the panel met: fixes the phase of fortnightly and bimonthly series and where a venue rotation starts."""
    start: TimeOfDay | None = None
    """Start time."""
    end: TimeOfDay | None = None
    """Latest finish time."""
    venues: list[Slug] = Field(default_factory=list)
    """Venue ids in rotation order: one means always there; two or more alternate meeting by meeting from the anchor."""
    on_holiday: OnHoliday | None = None
    """What happens to a meeting whose usual day is a bank holiday or closure day (the terms should say)."""
    skip_non_working_days: StrictBool | None = None
    """Older form of `on_holiday`: true is `skip`, false is `hold`. Give one or the other."""

    def holiday_rule(self, series: Series | None = None) -> OnHoliday:
        """The rule for `series` (or the single series): its own, else the panel's, else skip."""
        if series is not None and series.on_holiday is not None:
            return series.on_holiday
        if self.on_holiday is not None:
            return self.on_holiday
        return OnHoliday.HOLD if self.skip_non_working_days is False else OnHoliday.SKIP

    def states_holiday_rule(self, series: Series | None = None) -> bool:
        """Whether the panel file says what happens on a bank holiday (for `series`, if given)."""
        own = series is not None and series.on_holiday is not None
        return own or self.on_holiday is not None or self.skip_non_working_days is not None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.frequency is not Frequency.AS_REQUIRED and self.weekday is None:
            raise ValueError(f"a {self.frequency} panel needs a weekday")
        if self.frequency in (Frequency.FORTNIGHTLY, Frequency.BIMONTHLY) and self.anchor is None:
            raise ValueError(f"a {self.frequency} panel needs an anchor date to fix its phase")
        if self.frequency in (Frequency.MONTHLY, Frequency.BIMONTHLY) and self.week_of_month is None:
            raise ValueError(f"a {self.frequency} panel needs week_of_month")
        if self.anchor is not None and self.weekday is not None and self.anchor.weekday() != self.weekday.number:
            raise ValueError(f"the anchor {self.anchor} is not a {self.weekday}")
        if self.start and self.end and minutes_of(self.end) <= minutes_of(self.start):
            raise ValueError("end must be after start")
        if len(self.venues) > 1 and self.anchor is None:
            raise ValueError("a venue rotation needs an anchor date (where the rotation starts)")
        if self.on_holiday is not None and self.skip_non_working_days is not None:
            raise ValueError("give on_holiday or the older skip_non_working_days, not both")
        return self


class CasePart(Strict):
    """One timed part of a case item (CMR: summary, discussion, decisions)."""

    name: Text
    """What happens in this part."""
    minutes: StrictInt = Field(ge=1, le=240)
    """How long it lasts at most."""


class Timing(Strict):
    """How a meeting's time is divided between business and cases."""

    business_minutes: StrictInt = Field(default=0, ge=0, le=240)
    """Minutes of panel business before the first case."""
    slot_minutes: StrictInt = Field(ge=1, le=480)
    """Minutes given to each case (one child)."""
    sibling_extra_minutes: StrictInt = Field(default=0, ge=0, le=240)
    """Extra minutes for each additional sibling in the same item."""
    emergency_slots: StrictInt = Field(default=0, ge=0, le=10)
    """Slots kept free each meeting for emergency or last-minute cases."""
    max_cases: StrictInt | None = Field(default=None, ge=1, le=100)
    """Most cases heard at one meeting; more are tabled to the next."""
    case_parts: list[CasePart] = Field(default_factory=list)
    """The timed parts of each case item, in order."""

    @model_validator(mode="after")
    def _parts_fill_slot(self) -> Self:
        if self.case_parts and sum(p.minutes for p in self.case_parts) != self.slot_minutes:
            raise ValueError("the case parts must add up to slot_minutes")
        return self


class AgendaItemKind(StrEnum):
    """Whether a standing item is fixed business or where the cases go."""

    STANDING = "standing"
    """Fixed business of every meeting."""
    CASES = "cases"
    """Where the case slots are placed."""
    CONDUCT = "conduct"
    """The statement of conduct and confidentiality is read."""
    PREVIOUS_ACTIONS = "previous-actions"
    """Review of actions and decisions from earlier meetings."""


class AgendaItem(Strict):
    """One item of the standing agenda."""

    title: Text
    """Item title as printed on the agenda."""
    kind: AgendaItemKind = AgendaItemKind.STANDING
    """What the item is."""


class ChairSpec(Strict):
    """Who chairs the panel."""

    roles: list[Role] = Field(min_length=1)
    """Roles that may chair."""
    delegate_allowed: StrictBool = False
    """Whether a named delegate may chair instead."""
    description: Text
    """Who chairs, in words."""


class Attendance(StrEnum):
    """When a member attends."""

    ALWAYS = "always"
    """A standing member."""
    AS_REQUIRED = "as-required"
    """Invited when a case needs them."""
    PER_CASE = "per-case"
    """Attends for the cases they present."""
    INVITED_ITEMS = "invited-items"
    """Invited for particular cases only: attends, and counts as a member, only for those items."""


class MemberSpec(Strict):
    """A place on the panel."""

    role: Role
    """The role that fills it."""
    description: Text
    """The place in words."""
    attends: Attendance = Attendance.ALWAYS
    """When they attend."""


class Quorum(Strict):
    """What makes the panel quorate."""

    chair: StrictBool = True
    """The chair (or delegate) must be present."""
    roles: list[Role] = Field(default_factory=list)
    """Each of these roles must be represented by at least one attendee."""
    min_members: StrictInt = Field(default=0, ge=0, le=50)
    """Members needed besides the chair (presenters, minute takers and observers do not count)."""
    max_members: StrictInt | None = Field(default=None, ge=1, le=100)
    """Most members allowed at one meeting."""
    description: Text
    """The rule in words."""


class Route(StrEnum):
    """How cases reach the panel."""

    REFERRAL = "referral"
    """The social worker refers the case."""
    SELECTION = "selection"
    """Managers select cases; no referral deadline."""
    NOTIFICATION = "notification"
    """A decision made elsewhere is notified and brought to the meeting."""


class DeadlineRule(StrEnum):
    """How the referral deadline is worked out from the meeting date."""

    FRIDAY_BEFORE = "friday-before"
    """The Friday before the meeting week's meeting (moved earlier if not a working day)."""
    WORKING_DAYS_BEFORE = "working-days-before"
    """`days` working days before the meeting."""
    DAYS_BEFORE = "days-before"
    """`days` calendar days before the meeting (moved earlier if not a working day)."""
    NONE = "none"
    """No deadline (selection, or brought as soon as possible)."""


class ReferralRules(Strict):
    """How and by when cases come to the panel."""

    route: Route
    """How cases arrive."""
    deadline: DeadlineRule
    """The deadline rule."""
    days: StrictInt | None = Field(default=None, ge=1, le=60)
    """Days for the `*-before` rules."""
    description: Text
    """The rule in words."""

    @model_validator(mode="after")
    def _days_given(self) -> Self:
        needs_days = self.deadline in (DeadlineRule.WORKING_DAYS_BEFORE, DeadlineRule.DAYS_BEFORE)
        if needs_days and self.days is None:
            raise ValueError(f"the {self.deadline} rule needs days")
        if not needs_days and self.days is not None:
            raise ValueError(f"the {self.deadline} rule takes no days")
        if self.route is Route.SELECTION and self.deadline is not DeadlineRule.NONE:
            raise ValueError("cases chosen by selection have no referral deadline: use deadline none")
        return self


class DocumentSpec(Strict):
    """A paper a referral may need to come with."""

    id: Slug
    """Id used in referrals' `documents:` lists."""
    name: Text
    """Name as the terms of reference give it."""
    max_age_days: StrictInt | None = Field(default=None, ge=0, le=3650)
    """How old it may be on the meeting date ("updated", "recent"); none means any age."""
    chaired_by: list[Role] = Field(default_factory=list)
    """For a meeting record (key decision discussion): roles that must have chaired it."""


class SectionSpec(Strict):
    """A narrative section a referral body must have (a `## ` heading)."""

    id: Slug
    """Id used in requirement lists."""
    heading: Text
    """The exact heading text."""
    prompt: Text
    """What to write, shown in the template."""


class Requirements(Strict):
    """What a referral needs before it can be heard."""

    documents: list[Slug] = Field(default_factory=list)
    """Document ids (from the panel's `documents`)."""
    sections: list[Slug] = Field(default_factory=list)
    """Section ids (from the panel's `sections`)."""
    authorisations: list[Role] = Field(default_factory=list)
    """Roles that must each authorise, in order."""
    scaling: StrictBool = False
    """A Signs of Safety scaling (0-10 with reasons) is required."""


class RequestType(Strict):
    """A kind of request the panel hears."""

    id: Slug
    """Id used in referrals' `request:` field."""
    name: Text
    """Name shown on agendas."""
    description: Text
    """What it is for."""
    requires: Requirements = Field(default_factory=Requirements)
    """What it needs on top of the panel's `requirements`."""
    outcomes: list[Slug] = Field(default_factory=list)
    """Outcome ids this request can lead to; empty means any of the panel's."""
    first_slot: StrictBool = False
    """Heard in the first slot of the next available meeting."""
    present_within: Timescale | None = None
    """Must be heard within this time of the child entering care (retrospective review)."""


class OutcomeKind(StrEnum):
    """Whether the panel decides or advises."""

    DECISION = "decision"
    """Binding decision."""
    RECOMMENDATION = "recommendation"
    """Recommendation to the worker and network."""
    ADVICE = "advice"
    """Advice where there was not enough information to decide."""


class OutcomeSpec(Strict):
    """A decision the panel can make."""

    id: Slug
    """Id used in decision sheets' `outcomes:` lists."""
    name: Text
    """As printed on the decision sheet."""
    kind: OutcomeKind = OutcomeKind.DECISION
    """Decision, recommendation or advice."""
    follow_up: Text | None = None
    """What must happen next, if the outcome sets a timescale."""
    needs_legal_advice: StrictBool = False
    """Legal services must attend, having received every paper, for a decision with this outcome."""
    within: Timescale | None = None
    """The timescale for the follow-up, counted from the meeting."""

    @model_validator(mode="after")
    def _follow_up_has_timescale(self) -> Self:
        if (self.follow_up is None) != (self.within is None):
            raise ValueError("give both follow_up and within, or neither")
        return self


class Milestone(StrEnum):
    """An after-meeting step that meeting records and decision sheets date."""

    DECISION_RECORDED = "decision-recorded"
    """The decision is on the child's record (significant event, management oversight, scanned sheet)."""
    MINUTES_DRAFTED = "minutes-drafted"
    """Minutes or notes drafted and sent to the chair."""
    MINUTES_APPROVED = "minutes-approved"
    """Minutes approved by the chair."""
    MINUTES_UPLOADED = "minutes-uploaded"
    """Approved minutes uploaded to each child's record."""
    MINUTES_DISTRIBUTED = "minutes-distributed"
    """Minutes sent to those the terms of reference name."""


class DutySpec(Strict):
    """Something that must be done within a time after the meeting."""

    id: Slug
    """Id of the duty."""
    name: Text
    """The duty in words."""
    milestone: Milestone
    """The step whose date shows it was done."""
    within: Timescale
    """How long after the meeting."""
    role: Role
    """Who does it."""
    recipients: list[Role] = Field(default_factory=list)
    """Who must receive the output (for distribution duties)."""


class TriggerKind(StrEnum):
    """A rule that makes a case due at the panel."""

    OPEN_AS_CIN_OR_CP = "open-as-cin-or-cp"
    """Open as child in need or child protection for `within` or longer."""
    CP_PLAN_LONGER_THAN = "cp-plan-longer-than"
    """On a child protection plan for longer than `within`."""
    UNPLANNED_ENTRY_TO_CARE = "unplanned-entry-to-care"
    """Came into care in an emergency: must be presented within `within`."""
    S20_WITHOUT_REUNIFICATION_PLAN = "s20-without-reunification-plan"
    """Accommodated under s20 with no reunification plan after `within`."""
    PROFESSIONAL_JUDGEMENT = "professional-judgement"
    """The worker and manager (or a chair or IRO) judge the case needs the panel; no clock."""

    @property
    def is_anniversary(self) -> bool:
        """Whether the clock marks a fact on the calendar (open six months, seven months on a plan).

        Such a date is never moved to a working day: the case is six months old on that day
        whatever day of the week it is. Only a deadline (present within seven working days of an
        unplanned entry to care) is a date by which someone must act.
        """
        return self not in (TriggerKind.UNPLANNED_ENTRY_TO_CARE, TriggerKind.PROFESSIONAL_JUDGEMENT)


class Trigger(Strict):
    """An eligibility trigger."""

    id: Slug
    """Id used in referrals' `ground:` field."""
    kind: TriggerKind
    """The rule."""
    description: Text
    """The trigger in words."""
    within: Timescale | None = None
    """The time the rule measures."""

    @model_validator(mode="after")
    def _has_timescale(self) -> Self:
        if (self.kind is TriggerKind.PROFESSIONAL_JUDGEMENT) != (self.within is None):
            raise ValueError("a trigger has a timescale unless it is professional judgement")
        return self


class EscalationStep(Strict):
    """Where an overdue action goes next."""

    to: Role
    """Who it is escalated to."""
    after: Timescale
    """How long overdue before this step."""
    description: Text
    """The step in words."""


class TermsDates(Strict):
    """When the terms of reference were approved and are due for review."""

    approved: IsoDate | None = None
    """Date approved (or last reviewed)."""
    review_due: IsoDate
    """Date the terms are due for review."""


class Panel(Strict):
    """One panel's (or meeting's) terms of reference."""

    id: Slug
    """The panel id: equals the file name."""
    name: Text
    """Full name."""
    short_name: Text
    """Short name for navigation and calendars."""
    kind: PanelKind = PanelKind.PANEL
    """Panel, meeting, or out-of-panel decision."""
    source: Text
    """Which terms of reference this encodes."""
    purpose: Text
    """Purpose in one sentence."""
    terms: TermsDates
    """Approval and review dates."""
    chair: ChairSpec
    """Who chairs."""
    members: list[MemberSpec] = Field(default_factory=list)
    """Membership."""
    quorum: Quorum
    """What makes it quorate."""
    cadence: Cadence
    """When it meets."""
    venues: list[Venue] = Field(default_factory=list)
    """Where it meets."""
    series: list[Series] = Field(default_factory=list)
    """Separate runs of meetings (one per locality); empty for a single series."""
    timing: Timing
    """How meeting time is divided."""
    agenda: list[AgendaItem] = Field(min_length=1)
    """The standing agenda, in order."""
    conduct_statement: Text | None = None
    """Statement of conduct and confidentiality read at the start."""
    referral: ReferralRules
    """How cases arrive and by when."""
    documents: list[DocumentSpec] = Field(default_factory=list)
    """Catalogue of papers referrals may need."""
    sections: list[SectionSpec] = Field(default_factory=list)
    """Catalogue of narrative sections referrals may need."""
    requirements: Requirements = Field(default_factory=Requirements)
    """What every referral needs."""
    request_types: list[RequestType] = Field(min_length=1)
    """Kinds of request heard."""
    outcomes: list[OutcomeSpec] = Field(min_length=1)
    """Decisions it can make."""
    after_meeting: list[DutySpec] = Field(default_factory=list)
    """Timescales after the meeting."""
    triggers: list[Trigger] = Field(default_factory=list)
    """Eligibility triggers."""
    action_owner_roles: list[Role] = Field(default_factory=list)
    """Roles responsible for progressing agreed actions."""
    escalation: list[EscalationStep] = Field(default_factory=list)
    """Where overdue actions go, in order."""
    case_progression: StrictBool = False
    """A case progression officer tracks its cases."""

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        problems: list[str] = []
        docs = {d.id for d in self.documents}
        sections = {s.id for s in self.sections}
        outcomes = {o.id for o in self.outcomes}
        venues = {v.id for v in self.venues}
        for label, ids in (
            ("documents", [d.id for d in self.documents]),
            ("sections", [s.id for s in self.sections]),
            ("outcomes", [o.id for o in self.outcomes]),
            ("request_types", [r.id for r in self.request_types]),
            ("triggers", [t.id for t in self.triggers]),
            ("venues", [v.id for v in self.venues]),
            ("series", [s.id for s in self.series]),
        ):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                problems.append(f"{label} repeats {', '.join(duplicates)}")
        all_requirements = [("requirements", self.requirements)] + [
            (f"request type {r.id}", r.requires) for r in self.request_types
        ]
        for where, req in all_requirements:
            problems += [f"{where} names unknown document {d}" for d in req.documents if d not in docs]
            problems += [f"{where} names unknown section {s}" for s in req.sections if s not in sections]
        for r in self.request_types:
            problems += [f"request type {r.id} names unknown outcome {o}" for o in r.outcomes if o not in outcomes]
        problems += [f"cadence names unknown venue {v}" for v in self.cadence.venues if v not in venues]
        problems += [
            f"series {s.id} names unknown venue {s.venue}" for s in self.series if s.venue and s.venue not in venues
        ]
        if sum(1 for a in self.agenda if a.kind is AgendaItemKind.CASES) != 1:
            problems.append("the agenda needs exactly one item of kind cases")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def request_type(self, request_id: str) -> RequestType | None:
        """The request type with this id, if the panel hears it."""
        return next((r for r in self.request_types if r.id == request_id), None)

    def requirements_for(self, request_id: str) -> Requirements:
        """Everything a referral of this request type needs: the panel's plus the request's."""
        request = self.request_type(request_id)
        extra = request.requires if request else Requirements()
        return Requirements(
            documents=_merged(self.requirements.documents, extra.documents),
            sections=_merged(self.requirements.sections, extra.sections),
            authorisations=_merged(self.requirements.authorisations, extra.authorisations),
            scaling=self.requirements.scaling or extra.scaling,
        )


def _merged(first: list[T], second: list[T]) -> list[T]:
    return first + [item for item in second if item not in first]
