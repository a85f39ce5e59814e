"""The bundled terms of reference, roster and authority: valid, consistent and true to the seeds."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.models import Authority, Panel, Role, Roster
from generator.models.panel import (
    AgendaItemKind,
    Attendance,
    DeadlineRule,
    Frequency,
    Milestone,
    OutcomeKind,
    Route,
    Timescale,
    TimeUnit,
    TriggerKind,
    Weekday,
)

PANELS = Path(__file__).resolve().parent.parent / "panels"

EXPECTED_IDS = {
    "clam",
    "cdm",
    "cmr",
    "cp",
    "placement",
    "s20-review",
    "permanence-review",
    "placement-orders-review",
    "unborns-review",
    "lpm",
    "care-proceedings-review",
    "lac-reduction",
}

CDM_COMMON_DOCUMENTS = [
    "mosaic-step",
    "chronology",
    "genogram",
    "key-decision-discussion",
    "proposed-plan",
]


def split_front_matter(path: Path) -> tuple[Any, str]:
    """Return the YAML between a file's first two `---` lines, parsed, and the body after them."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fences = [number for number, line in enumerate(lines) if line.rstrip("\r\n") == "---"]
    if len(fences) < 2 or fences[0] != 0:
        raise ValueError(f"{path.name} does not start with front matter between two --- lines")
    return yaml.safe_load("".join(lines[1 : fences[1]])), "".join(lines[fences[1] + 1 :])


def panel_paths() -> list[Path]:
    """Every panel file, in name order."""
    return sorted(PANELS.glob("*.md"))


@cache
def panels() -> dict[str, Panel]:
    """Every panel, validated, by file stem."""
    return {path.stem: Panel.model_validate(split_front_matter(path)[0]) for path in panel_paths()}


@cache
def roster() -> Roster:
    """The validated roster."""
    return Roster.model_validate(yaml.safe_load((PANELS / "roster.yml").read_text("utf-8")))


@cache
def authority() -> Authority:
    """The validated authority settings."""
    return Authority.model_validate(yaml.safe_load((PANELS / "authority.yml").read_text("utf-8")))


def held_roles() -> set[Role]:
    """Every role someone on the roster holds."""
    return {role for person in roster().people for role in person.roles}


def named_roles(panel: Panel) -> set[Role]:
    """Every role a panel's rules name: chair, members, quorum, authorisers, duties, escalation."""
    roles = set(panel.chair.roles) | {member.role for member in panel.members}
    roles |= set(panel.quorum.roles) | set(panel.action_owner_roles)
    for requirements in [panel.requirements, *(r.requires for r in panel.request_types)]:
        roles |= set(requirements.authorisations)
    for document in panel.documents:
        roles |= set(document.chaired_by)
    for duty in panel.after_meeting:
        roles |= {duty.role, *duty.recipients}
    return roles | {step.to for step in panel.escalation}


def timescale(within: int, unit: str) -> Timescale:
    """A timescale, for comparisons."""
    return Timescale(within=within, unit=TimeUnit(unit))


# Every file


def test_every_expected_panel_has_a_file() -> None:
    """The panels folder holds exactly the panels encoded from the seeds."""
    assert sorted(EXPECTED_IDS) == sorted(path.stem for path in panel_paths())


@pytest.mark.parametrize("path", panel_paths(), ids=lambda path: path.stem)
def test_panel_file_validates_and_is_named_by_its_id(path: Path) -> None:
    """Each panel's front matter is a valid Panel whose id is the file name."""
    panel = Panel.model_validate(split_front_matter(path)[0])
    assert path.stem == panel.id


@pytest.mark.parametrize("path", panel_paths(), ids=lambda path: path.stem)
def test_panel_body_is_a_readable_page(path: Path) -> None:
    """Each body has a title, several sections, its local settings and its review dates."""
    body = split_front_matter(path)[1]
    headings = [line[3:].strip() for line in body.splitlines() if line.startswith("## ")]
    assert True is body.lstrip().startswith("# ")
    assert True is (len(headings) >= 4)
    assert ["Local settings", "Terms of reference"] == headings[-2:]


def test_split_front_matter_refuses_a_file_without_front_matter(tmp_path: Path) -> None:
    """A file that does not open with --- is refused rather than read as empty."""
    path = tmp_path / "broken.md"
    path.write_text("# No front matter\n", encoding="utf-8")
    with pytest.raises(ValueError, match="front matter"):
        split_front_matter(path)


# Roster and authority


def test_roster_validates_with_a_realistic_size() -> None:
    """The roster is valid and holds between 40 and 60 people."""
    assert True is (40 <= len(roster().people) <= 60)


def test_roster_is_fictional_and_keyed_only_with_example_keys() -> None:
    """Every email is at example.invalid, and whoever has a signing key has its published example key in demo/keys."""
    people = roster().people
    keys = PANELS.parent / "demo" / "keys"
    assert [] == [p.id for p in people if not (p.email or "").endswith("@example.invalid")]
    assert [] == [p.id for p in people if p.signing_keys and not (keys / p.id).is_file()]


def test_roster_teams_are_the_authority_s_teams() -> None:
    """Every person's team is one of the authority's teams."""
    teams = {team.id for team in authority().teams}
    assert [] == [p.id for p in roster().people if p.team not in teams]


def test_every_role_is_held_by_someone() -> None:
    """Every role in the closed set, the maintainer included, is held by someone on the roster."""
    assert [] == sorted(set(Role) - held_roles())


@pytest.mark.parametrize("panel_id", sorted(EXPECTED_IDS))
def test_every_role_a_panel_names_is_held(panel_id: str) -> None:
    """Each role a panel's rules name is held by at least one person."""
    assert [] == sorted(named_roles(panels()[panel_id]) - held_roles())


@pytest.mark.parametrize("panel_id", sorted(EXPECTED_IDS))
def test_every_panel_has_someone_who_can_chair(panel_id: str) -> None:
    """Someone on the roster holds one of the panel's chair roles."""
    chair_roles = set(panels()[panel_id].chair.roles)
    assert True is any(chair_roles & set(person.roles) for person in roster().people)


def test_delegates_name_panels_that_allow_a_delegate() -> None:
    """Every delegate_for names an existing panel whose chair may be delegated."""
    delegations = [(p.id, panel) for p in roster().people for panel in p.delegate_for]
    allowed = {pid for pid, panel in panels().items() if panel.chair.delegate_allowed}
    assert [] == [pair for pair in delegations if pair[1] not in allowed]
    assert {"clam", "cdm", "cmr"} == {panel for _, panel in delegations}


def test_authority_settings() -> None:
    """The authority is obviously fictional, uses six-digit Mosaic ids and the demo date."""
    settings = authority()
    assert True is ("fictional" in settings.name)
    assert "[0-9]{6}" == settings.case_id_pattern
    assert "Mosaic" == settings.case_system
    assert date(2026, 11, 25) == settings.demo_date
    assert settings.audit_start is not None  # the commit that brought in the example (see test_example.py)
    assert True is all(closure.date.month == 12 for closure in settings.closure_days)


def test_cp_localities_are_team_localities() -> None:
    """The CP panel's series are exactly the localities the teams belong to."""
    localities = {team.locality for team in authority().teams if team.locality}
    assert localities == {series.id for series in panels()["cp"].series}


def test_terms_dates_follow_the_seeds() -> None:
    """Approval and review dates are the seeds' (CDM, CMR, CP) or a year apart (CLAM, matrix)."""
    expected = {
        "cdm": (date(2021, 10, 1), date(2024, 9, 1)),
        "cmr": (date(2020, 2, 1), date(2021, 2, 1)),
        "cp": (None, date(2024, 4, 20)),
        "clam": (date(2026, 3, 2), date(2027, 3, 2)),
    }
    for panel_id in EXPECTED_IDS - set(expected):
        expected[panel_id] = (date(2020, 5, 1), date(2021, 5, 1))
    actual = {pid: (p.terms.approved, p.terms.review_due) for pid, p in panels().items()}
    assert expected == actual


# CMR


def test_cmr_referral_deadline_is_two_working_days() -> None:
    """CMR referrals are due at least 2 working days before the panel."""
    referral = panels()["cmr"].referral
    assert (Route.REFERRAL, DeadlineRule.WORKING_DAYS_BEFORE, 2) == (
        referral.route,
        referral.deadline,
        referral.days,
    )


def test_cmr_hears_at_most_six_cases_in_three_timed_parts() -> None:
    """CMR hears up to six cases, each 5 minutes' summary, 10 discussion, 5 decisions."""
    timing = panels()["cmr"].timing
    assert 6 == timing.max_cases
    assert [5, 10, 5] == [part.minutes for part in timing.case_parts]
    assert 20 == timing.slot_minutes


def test_cmr_quorum_is_chair_and_two_to_eight_members() -> None:
    """CMR is quorate with the chair and at least 2 members, and never has more than 8."""
    quorum = panels()["cmr"].quorum
    assert (True, 2, 8) == (quorum.chair, quorum.min_members, quorum.max_members)


def test_cmr_agenda_is_the_eight_items_in_order() -> None:
    """CMR's standing agenda has its eight items in the protocol's order."""
    agenda = panels()["cmr"].agenda
    standing, conduct = AgendaItemKind.STANDING, AgendaItemKind.CONDUCT
    previous, cases = AgendaItemKind.PREVIOUS_ACTIONS, AgendaItemKind.CASES
    expected_kinds = [standing, conduct, standing, previous, cases, standing, standing, standing]
    assert expected_kinds == [item.kind for item in agenda]
    assert "Purpose of the panel" == agenda[0].title
    assert "Next date and close" == agenda[7].title
    assert True is bool(panels()["cmr"].conduct_statement)


def test_cmr_triggers_are_the_five_circumstances() -> None:
    """CMR's eligibility triggers are the protocol's five circumstances."""
    judgement = TriggerKind.PROFESSIONAL_JUDGEMENT
    expected = {
        "open-as-cin-or-cp": (TriggerKind.OPEN_AS_CIN_OR_CP, timescale(6, "months")),
        "s20-no-reunification-plan": (
            TriggerKind.S20_WITHOUT_REUNIFICATION_PLAN,
            timescale(5, "days"),
        ),
        "sw-tm-complexity": (judgement, None),
        "sw-tm-ongoing-risk": (judgement, None),
        "chair-or-iro-recommendation": (judgement, None),
    }
    assert expected == {t.id: (t.kind, t.within) for t in panels()["cmr"].triggers}


def test_cmr_referral_needs_sections_scaling_and_three_authorisations() -> None:
    """A CMR referral needs the form's sections, scaling and SW, TM and SM authorisation."""
    needs = panels()["cmr"].requirements_for("plan-review")
    sections = ["family-network", "summary", "sought", "parents-views", "child-wishes"]
    assert [*sections, "signs-of-safety"] == needs.sections
    assert [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER] == needs.authorisations
    assert True is needs.scaling


def test_cmr_outcomes_and_their_timescales() -> None:
    """CMR's outcomes match its decision sheet, with the 10- and 3-working-day follow-ups."""
    expected = {
        "family-network-meeting": timescale(10, "working-days"),
        "strategy-meeting": timescale(3, "working-days"),
        "refer-to-lpm": None,
        "continue-plan": None,
        "plan-for-closure": None,
    }
    assert expected == {o.id: o.within for o in panels()["cmr"].outcomes}


def test_cmr_after_meeting_timescales() -> None:
    """Decision sheet on file in 1 working day; minutes drafted in 3; approved and uploaded in 5."""
    expected = {
        Milestone.DECISION_RECORDED: timescale(1, "working-days"),
        Milestone.MINUTES_DRAFTED: timescale(3, "working-days"),
        Milestone.MINUTES_APPROVED: timescale(5, "working-days"),
        Milestone.MINUTES_UPLOADED: timescale(5, "working-days"),
    }
    assert expected == {duty.milestone: duty.within for duty in panels()["cmr"].after_meeting}


# CLAM


def test_clam_deadline_is_the_friday_before() -> None:
    """CLAM requests are due by the Friday before the panel."""
    referral = panels()["clam"].referral
    assert (DeadlineRule.FRIDAY_BEFORE, None) == (referral.deadline, referral.days)


def test_clam_timing() -> None:
    """CLAM has 15 minutes of business, 15-minute slots, +15 per sibling and one emergency slot."""
    timing = panels()["clam"].timing
    actual = (
        timing.business_minutes,
        timing.slot_minutes,
        timing.sibling_extra_minutes,
        timing.emergency_slots,
    )
    assert (15, 15, 15, 1) == actual


def test_clam_meets_weekly_alternating_chn_and_chd() -> None:
    """CLAM meets every Thursday 13:00-16:30, alternating between the CHN and CHD offices."""
    cadence = panels()["clam"].cadence
    actual = (cadence.frequency, cadence.weekday, cadence.start, cadence.end, cadence.venues)
    expected = (Frequency.WEEKLY, Weekday.THURSDAY, "13:00", "16:30", ["chn", "chd"])
    assert expected == actual
    assert {"chn", "chd"} == {venue.id for venue in panels()["clam"].venues}


def test_clam_needs_practice_and_group_manager_agreement() -> None:
    """Every CLAM request is authorised by the practice manager, then the group manager."""
    clam = panels()["clam"]
    for request in clam.request_types:
        needs = clam.requirements_for(request.id)
        assert [Role.PRACTICE_MANAGER, Role.GROUP_MANAGER] == needs.authorisations


def test_clam_hears_the_six_kinds_of_request() -> None:
    """CLAM hears the six kinds of request in its terms of reference."""
    expected = {
        "planned-s20",
        "unplanned-entry-review",
        "return-home-review",
        "supported-lodgings",
        "residential-review",
        "unregulated-review",
    }
    assert expected == {request.id for request in panels()["clam"].request_types}


def test_clam_emergency_entry_within_seven_working_days() -> None:
    """An unplanned emergency entry must come to CLAM within 7 working days."""
    clam = panels()["clam"]
    seven = timescale(7, "working-days")
    trigger = next(t for t in clam.triggers if t.id == "unplanned-emergency-entry")
    request = clam.request_type("unplanned-entry-review")
    assert (TriggerKind.UNPLANNED_ENTRY_TO_CARE, seven) == (trigger.kind, trigger.within)
    assert seven == (request.present_within if request else None)


def test_clam_decision_on_file_same_day_and_practice_manager_owns_actions() -> None:
    """CLAM decisions go on file the same day; the PM owns actions and escalates to the GM."""
    clam = panels()["clam"]
    assert [(Milestone.DECISION_RECORDED, timescale(0, "working-days"))] == [
        (duty.milestone, duty.within) for duty in clam.after_meeting
    ]
    assert [Role.PRACTICE_MANAGER] == clam.action_owner_roles
    assert [Role.GROUP_MANAGER] == [step.to for step in clam.escalation]


# CDM


def test_cdm_every_request_needs_the_common_papers() -> None:
    """Every CDM request needs the Mosaic step, chronology, genogram, KDD and proposed plan."""
    cdm = panels()["cdm"]
    for request in cdm.request_types:
        assert CDM_COMMON_DOCUMENTS == cdm.requirements_for(request.id).documents[:5]


def test_cdm_pre_proceedings_needs_the_letter_before_proceedings() -> None:
    """Only a pre-proceedings request needs the draft letter before proceedings."""
    cdm = panels()["cdm"]
    needing = {r.id for r in cdm.request_types if "letter-before-proceedings" in r.requires.documents}
    assert {"pre-proceedings"} == needing


def test_cdm_escalation_needs_pre_proceedings_review_minutes() -> None:
    """Only escalation into care proceedings needs the pre-proceedings review minutes."""
    cdm = panels()["cdm"]
    needing = {r.id for r in cdm.request_types if "pre-proceedings-review-minutes" in r.requires.documents}
    assert {"escalate-to-proceedings"} == needing


def test_cdm_document_ages_and_key_decision_chair() -> None:
    """Chronology and genogram within 92 days; the KDD within 28 days and chaired by an SM."""
    documents = {d.id: d for d in panels()["cdm"].documents}
    assert (92, 92) == (documents["chronology"].max_age_days, documents["genogram"].max_age_days)
    kdd = documents["key-decision-discussion"]
    assert (28, [Role.SERVICE_MANAGER]) == (kdd.max_age_days, kdd.chaired_by)


def test_cdm_request_types() -> None:
    """CDM hears PLO, other legal, s20 status, case status and returned plan changes."""
    expected = {
        "pre-proceedings",
        "review-pre-proceedings",
        "escalate-to-proceedings",
        "other-legal",
        "s20-status",
        "case-status",
        "plan-change",
    }
    assert expected == {request.id for request in panels()["cdm"].request_types}


def test_cdm_quorum() -> None:
    """CDM is quorate with the chair, a service manager and legal services."""
    quorum = panels()["cdm"].quorum
    assert (True, {Role.SERVICE_MANAGER, Role.LEGAL}) == (quorum.chair, set(quorum.roles))


def test_cdm_gives_advice_when_information_is_insufficient() -> None:
    """Insufficient information leads to advice, not a decision."""
    outcomes = {o.id: o.kind for o in panels()["cdm"].outcomes}
    assert OutcomeKind.ADVICE == outcomes["insufficient-information"]


def test_cdm_notes_within_seven_days_to_fostering_and_adoption() -> None:
    """CDM notes follow within 7 calendar days and go to the fostering and adoption managers."""
    duties = {duty.milestone: duty for duty in panels()["cdm"].after_meeting}
    seven = timescale(7, "days")
    assert seven == duties[Milestone.MINUTES_DRAFTED].within
    distributed = duties[Milestone.MINUTES_DISTRIBUTED]
    assert (seven, [Role.FOSTERING_MANAGER, Role.ADOPTION_MANAGER]) == (
        distributed.within,
        distributed.recipients,
    )


def test_cdm_meets_weekly_and_remotely() -> None:
    """CDM meets every week, online."""
    cdm = panels()["cdm"]
    assert Frequency.WEEKLY == cdm.cadence.frequency
    assert [True] == [venue.remote for venue in cdm.venues]


# CP panel


def test_cp_cases_are_selected_with_no_deadline() -> None:
    """Children come to the CP panel by selection, with no referral deadline."""
    referral = panels()["cp"].referral
    assert (Route.SELECTION, DeadlineRule.NONE) == (referral.route, referral.deadline)


def test_cp_meets_monthly_in_each_locality_on_different_days() -> None:
    """The CP panel meets monthly in three localities, each in its own week of the month."""
    cp = panels()["cp"]
    weeks = [series.week_of_month for series in cp.series]
    assert (Frequency.MONTHLY, 3) == (cp.cadence.frequency, len(set(weeks)))
    assert [] == [series.id for series in cp.series if series.venue is None]


def test_cp_chair_and_pre_read_papers() -> None:
    """The IRS SM chairs; members pre-read core groups, last supervision and the harm matrix."""
    cp = panels()["cp"]
    assert [Role.IRS_SERVICE_MANAGER] == cp.chair.roles
    documents = {d.id: d.max_age_days for d in cp.documents}
    assert ["core-group-minutes", "supervision-record", "harm-matrix"] == (cp.requirements.documents)
    assert 92 == documents["core-group-minutes"]


def test_cp_oversight_within_three_working_days() -> None:
    """Management oversight is on the child's record within 3 working days."""
    duties = [(d.milestone, d.within) for d in panels()["cp"].after_meeting]
    assert [(Milestone.DECISION_RECORDED, timescale(3, "working-days"))] == duties


def test_cp_trigger_is_a_plan_longer_than_seven_months() -> None:
    """Children on a CP plan for longer than 7 months are eligible."""
    triggers = [(t.kind, t.within) for t in panels()["cp"].triggers]
    assert [(TriggerKind.CP_PLAN_LONGER_THAN, timescale(7, "months"))] == triggers


def test_cp_escalation_path() -> None:
    """Overdue actions go from the IRS SM to the group manager, then into the DRP."""
    steps = panels()["cp"].escalation
    expected = [Role.IRS_SERVICE_MANAGER, Role.GROUP_MANAGER, Role.GROUP_MANAGER]
    assert expected == [step.to for step in steps]
    assert True is ("DRP" in steps[-1].description)


# May 2020 matrix


def test_matrix_cadences() -> None:
    """Each matrix meeting has the frequency and weekday the matrix gives or we chose."""
    expected = {
        "placement": (Frequency.FORTNIGHTLY, Weekday.TUESDAY),
        "s20-review": (Frequency.MONTHLY, Weekday.THURSDAY),
        "permanence-review": (Frequency.BIMONTHLY, Weekday.THURSDAY),
        "placement-orders-review": (Frequency.MONTHLY, Weekday.THURSDAY),
        "unborns-review": (Frequency.MONTHLY, Weekday.WEDNESDAY),
        "lpm": (Frequency.WEEKLY, Weekday.WEDNESDAY),
        "care-proceedings-review": (Frequency.AS_REQUIRED, None),
        "lac-reduction": (Frequency.MONTHLY, Weekday.MONDAY),
    }
    actual = {pid: (panels()[pid].cadence.frequency, panels()[pid].cadence.weekday) for pid in expected}
    assert expected == actual


def test_placement_panel_is_tuesday_afternoon_and_lpm_wednesday_morning() -> None:
    """The placement panel starts after noon; LPMs finish by 13:00."""
    assert True is (panels()["placement"].cadence.start >= "12:00")
    assert True is ((panels()["lpm"].cadence.end or "") <= "13:00")


def test_placement_admissions_take_the_first_slot() -> None:
    """Planned and emergency s20 admissions both take the first slot of the next panel."""
    placement = panels()["placement"]
    assert {"planned-s20": True, "unplanned-s20": True} == {r.id: r.first_slot for r in placement.request_types}
    assert [Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE] == (placement.requirements_for("unplanned-s20").authorisations)


def test_lpm_commence_plo_needs_the_three_way_supervision() -> None:
    """Commencing PLO needs the HoS-chaired three-way supervision record and its authorisations."""
    lpm = panels()["lpm"]
    needs = lpm.requirements_for("commence-plo")
    supervision = next(d for d in lpm.documents if d.id == "plo-decision-supervision")
    assert ["plo-decision-supervision"] == needs.documents
    assert [Role.HEAD_OF_SERVICE] == supervision.chaired_by
    expected = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE]
    assert expected == needs.authorisations


def test_lpm_immediate_issue_comes_back_in_the_first_slot() -> None:
    """An immediate issue decided by the HoS comes to the first slot of the next LPM."""
    lpm = panels()["lpm"]
    request = lpm.request_type("immediate-issue")
    assert (True, [Role.HEAD_OF_SERVICE]) == (
        request.first_slot if request else None,
        lpm.requirements_for("immediate-issue").authorisations,
    )
    assert 1 == lpm.timing.emergency_slots


def test_matrix_case_progression_flags() -> None:
    """The meetings the matrix marks for case progression are tracked; the others are not."""
    tracked = {pid for pid, panel in panels().items() if panel.case_progression}
    expected = {
        "s20-review",
        "permanence-review",
        "placement-orders-review",
        "unborns-review",
        "lpm",
        "care-proceedings-review",
    }
    assert expected == tracked


def test_unborns_are_tracked_fortnightly() -> None:
    """The unborns review needs a tracking update no more than a fortnight old."""
    documents = {d.id: d.max_age_days for d in panels()["unborns-review"].documents}
    assert {"fortnightly-update": 14} == documents


def test_lac_reduction_reports_monthly_to_legal() -> None:
    """The HoS LAC reports monthly, with a detailed report to legal services."""
    duties = {d.id: (d.within, d.recipients) for d in panels()["lac-reduction"].after_meeting}
    assert (timescale(1, "months"), [Role.LEGAL]) == duties["report-to-legal"]


def test_attendance_per_case_for_presenters() -> None:
    """Wherever a social worker is a member, they attend only for their own cases."""
    attendance = {
        member.attends for panel in panels().values() for member in panel.members if member.role is Role.SOCIAL_WORKER
    }
    assert {Attendance.PER_CASE} == attendance
