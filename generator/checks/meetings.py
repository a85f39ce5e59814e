"""Meeting records and decision sheets: chair, quorum (per meeting and per item), conflicts, dissent and actions."""

from __future__ import annotations

from datetime import date

from generator.core import diagnostics as d
from generator.core.diagnostics import Diagnostic
from generator.loading.repository import Doc, Repository
from generator.models import Capacity, Decision, Meeting, Panel, Record, RecordKind, Stance
from generator.models.meeting import Attendee
from generator.models.panel import Attendance, Milestone
from generator.models.roles import Role

_COUNTS_FOR_QUORUM = (Capacity.CHAIR, Capacity.MEMBER)


def check_meetings(repo: Repository) -> list[Diagnostic]:
    """Every meeting record and decision sheet against its panel's rules."""
    found: list[Diagnostic] = []
    decided = {(x.model.panel, x.model.meeting, x.model.case) for x in repo.decisions}
    for (panel_id, _), doc in sorted(repo.meetings.items()):
        panel = repo.panels.get(panel_id)
        if panel is not None:
            found += _chair(repo, panel, doc, doc.model.chair)
            quorate = _quorum(repo, panel, doc)
            found += quorate
            if not any(x.code == d.QUORUM_NOT_MET.code for x in quorate):
                found += _item_quorum(repo, panel, doc)
            found += _invited_items(panel, doc)
            found += _distribution(repo, panel, doc)
        found += _heard(doc, decided)
    for decision in repo.decisions:
        meeting = repo.meetings.get((decision.model.panel, decision.model.meeting))
        found += _decision(decision, meeting.model if meeting else None)
        panel = repo.panels.get(decision.model.panel)
        if panel is not None:
            found += _owners(repo, panel, decision)
            found += _legal_advice(repo, panel, decision, meeting.model if meeting else None)
    for record in repo.records:
        found += _escalation(repo, record)
    return found


def _heard(doc: Doc[Meeting], decided: set[tuple[str, date, str]]) -> list[Diagnostic]:
    meeting = doc.model
    return [
        d.make(
            d.HEARD_WITHOUT_DECISION,
            doc.path,
            doc.line("heard", index),
            f"case {case_id} was heard but has no decision sheet",
            f"add decisions/{meeting.panel}/{meeting.date}/{case_id}.md",
        )
        for index, case_id in enumerate(meeting.heard)
        if (meeting.panel, meeting.date, case_id) not in decided
    ]


def _distribution(repo: Repository, panel: Panel, doc: Doc[Meeting]) -> list[Diagnostic]:
    meeting = doc.model
    if Milestone.MINUTES_DISTRIBUTED not in meeting.milestones:
        return []
    reached = {
        role
        for person_id in meeting.distributed_to
        if person_id in repo.roster
        for role in repo.roster[person_id].roles
    }
    found: list[Diagnostic] = []
    for duty in panel.after_meeting:
        if duty.milestone is not Milestone.MINUTES_DISTRIBUTED:
            continue
        missing = [role for role in duty.recipients if role not in reached]
        if missing:
            found.append(
                d.make(
                    d.DISTRIBUTION_INCOMPLETE,
                    doc.path,
                    doc.line("distributed_to") if "distributed_to" in doc.parsed.data else doc.line("milestones"),
                    f"the minutes were distributed, but to no {', no '.join(missing)} ({duty.name})",
                    f"add the roster id of a {' and a '.join(missing)} to distributed_to",
                )
            )
    return found


def _owners(repo: Repository, panel: Panel, doc: Doc[Decision]) -> list[Diagnostic]:
    if not panel.action_owner_roles:
        return []
    allowed = set(panel.action_owner_roles)
    roles = ", ".join(panel.action_owner_roles)
    return [
        d.make(
            d.ACTION_OWNER_LACKS_ROLE,
            doc.path,
            doc.line("actions", index, "owner"),
            f"action '{action.id}' is owned by '{action.owner}', who is not a {roles}",
            f"{panel.short_name}'s terms make the {roles} responsible for progressing actions; make sure they track it",
        )
        for index, action in enumerate(doc.model.actions)
        if action.owner in repo.roster and not allowed & set(repo.roster[action.owner].roles)
    ]


def _escalation(repo: Repository, doc: Doc[Record]) -> list[Diagnostic]:
    record = doc.model
    if record.kind is not RecordKind.ACTION_ESCALATED or record.escalated_to is None:
        return []
    target = repo.decision_by_path.get(record.refers_to)
    panel = repo.panels.get(target.model.panel) if target else None
    if panel is None or not panel.escalation:
        return []
    path = [step.to for step in panel.escalation]
    if record.escalated_to in path:
        return []
    return [
        d.make(
            d.ESCALATION_OFF_PATH,
            doc.path,
            doc.line("escalated_to"),
            f"escalated to a {record.escalated_to}, but {panel.short_name} escalates to: {', then '.join(path)}",
            "escalate along the panel's path, or record a note if the case went elsewhere by agreement",
        )
    ]


def _chair(repo: Repository, panel: Panel, doc: Doc[Meeting], chair_id: str) -> list[Diagnostic]:
    person = repo.roster.get(chair_id)
    if person is None:
        return []
    if set(person.roles) & set(panel.chair.roles):
        return []
    if panel.chair.delegate_allowed and panel.id in person.delegate_for:
        return []
    return [
        d.make(
            d.CHAIR_NOT_QUALIFIED,
            doc.path,
            doc.line("chair"),
            f"'{chair_id}' chaired but holds none of the roles that may chair {panel.short_name} "
            f"({', '.join(panel.chair.roles)})",
            "name a qualified chair, or record the person as a delegate for this panel in the roster",
        )
    ]


def _quorum(repo: Repository, panel: Panel, doc: Doc[Meeting]) -> list[Diagnostic]:
    meeting = doc.model
    quorum = panel.quorum
    present = [a for a in meeting.attendees if a.capacity in _COUNTS_FOR_QUORUM and not a.items]
    missing: list[str] = []
    if quorum.chair and not any(a.capacity is Capacity.CHAIR and a.person == meeting.chair for a in present):
        missing.append("the chair is not listed as attending in the capacity of chair")
    roles_present = _roles_present(repo, present)
    missing += [f"no {role} attended" for role in quorum.roles if role not in roles_present]
    members = len({a.person for a in present if a.capacity is Capacity.MEMBER})
    if members < quorum.min_members:
        missing.append(f"{members} member(s) besides the chair attended; at least {quorum.min_members} are needed")
    found: list[Diagnostic] = []
    if missing:
        found.append(
            d.make(
                d.QUORUM_NOT_MET,
                doc.path,
                doc.line("attendees"),
                f"the {panel.short_name} meeting on {meeting.date} was not quorate: {'; '.join(missing)}",
                f"the rule: {quorum.description}",
            )
        )
    largest, where = members, ""
    for case_id in meeting.heard:
        at_item = len({a.person for a in _present_for(meeting, case_id) if a.capacity is Capacity.MEMBER})
        if at_item > largest:
            largest, where = at_item, f" for case {case_id}"
    if quorum.max_members is not None and largest > quorum.max_members:
        found.append(
            d.make(
                d.TOO_MANY_MEMBERS,
                doc.path,
                doc.line("attendees"),
                f"{largest} members attended{where}; {panel.short_name} allows at most {quorum.max_members}",
                "invite other professionals only for the cases they know",
            )
        )
    return found


def _roles_present(repo: Repository, present: list[Attendee]) -> set[Role]:
    # An attendee counts for a role only if the roster gives them that role.
    return {a.role for a in present if a.person not in repo.roster or a.role in repo.roster[a.person].roles}


def _present_for(meeting: Meeting, case_id: str) -> list[Attendee]:
    """Who counts for quorum while `case_id` is heard: chair and members there for it, less those who withdrew."""
    withdrew = {c.person for c in meeting.conflicts if c.case == case_id and c.withdrew}
    return [
        a
        for a in meeting.attendees
        if a.capacity in _COUNTS_FOR_QUORUM and (not a.items or case_id in a.items) and a.person not in withdrew
    ]


def _item_quorum(repo: Repository, panel: Panel, doc: Doc[Meeting]) -> list[Diagnostic]:
    meeting = doc.model
    quorum = panel.quorum
    found: list[Diagnostic] = []
    for index, case_id in enumerate(meeting.heard):
        present = _present_for(meeting, case_id)
        missing: list[str] = []
        if quorum.chair and not any(a.capacity is Capacity.CHAIR and a.person == meeting.chair for a in present):
            missing.append("the chair withdrew")
        roles = _roles_present(repo, present)
        missing += [f"no {role} remained" for role in quorum.roles if role not in roles]
        members = len({a.person for a in present if a.capacity is Capacity.MEMBER})
        if members < quorum.min_members:
            missing.append(f"{members} member(s) besides the chair remained; at least {quorum.min_members} are needed")
        if missing:
            found.append(
                d.make(
                    d.ITEM_NOT_QUORATE,
                    doc.path,
                    doc.line("heard", index),
                    f"case {case_id} was heard without a quorum: {'; '.join(missing)} "
                    "(members who withdrew for a conflict do not count)",
                    f"the rule: {quorum.description}; record who stood in, or defer the case",
                )
            )
    return found


def _invited_items(panel: Panel, doc: Doc[Meeting]) -> list[Diagnostic]:
    invited = {m.role for m in panel.members if m.attends is Attendance.INVITED_ITEMS}
    return [
        d.make(
            d.INVITED_WITHOUT_ITEMS,
            doc.path,
            doc.line("attendees", index),
            f"'{a.person}' attended as {a.role}, whom {panel.short_name} invites only for particular cases, "
            "but no items are listed",
            "list the case ids they attended for under `items:`",
        )
        for index, a in enumerate(doc.model.attendees)
        if a.role in invited and not a.items and a.capacity is not Capacity.CHAIR
    ]


def _legal_advice(repo: Repository, panel: Panel, doc: Doc[Decision], meeting: Meeting | None) -> list[Diagnostic]:
    decision = doc.model
    needing = [o for o in panel.outcomes if o.needs_legal_advice and o.id in decision.outcomes]
    if not needing:
        return []
    names = "; ".join(o.name for o in needing)
    found: list[Diagnostic] = []
    if meeting is not None and Role.LEGAL not in _roles_present(repo, _present_for(meeting, decision.case)):
        found.append(
            d.make(
                d.LEGAL_ABSENT_FOR_ADVICE,
                doc.path,
                doc.line("outcomes"),
                f"the decision ({names}) needs legal advice, "
                f"but legal services were not present for case {decision.case}",
                "record the legal adviser under the meeting's attendees, or bring the case back with legal present",
            )
        )
    received = decision.legal_papers_received
    if received is None or received > decision.meeting:
        when = "is not recorded" if received is None else f"was {received}, after the meeting"
        found.append(
            d.make(
                d.LEGAL_PAPERS_NOT_RECEIVED,
                doc.path,
                doc.line("legal_papers_received") if received else doc.line("outcomes"),
                f"the decision ({names}) needs legal advice; the day legal services received the papers {when}",
                "add `legal_papers_received: YYYY-MM-DD` (on or before the meeting) to the decision sheet",
            )
        )
    return found


def _decision(doc: Doc[Decision], meeting: Meeting | None) -> list[Diagnostic]:
    decision = doc.model
    found: list[Diagnostic] = []
    dissent = [v for v in decision.views if v.stance is Stance.DISAGREE]
    if not decision.chair_followed_majority and not dissent:
        found.append(
            d.make(
                d.DISSENT_NOT_RECORDED,
                doc.path,
                doc.line("chair_followed_majority"),
                "the chair decided against the majority view but no dissenting view is recorded",
                "add each dissenting member under views: with stance disagree and a note",
            )
        )
    for index, view in enumerate(decision.views):
        if view.stance is Stance.DISAGREE and not view.note:
            found.append(
                d.make(
                    d.DISSENT_NOT_RECORDED,
                    doc.path,
                    doc.line("views", index),
                    f"'{view.person}' disagreed but their view is not written down",
                    "add a `note:` with the member's view in a sentence",
                )
            )
    if meeting is not None:
        conflicted = {c.person for c in meeting.conflicts if c.case == decision.case and c.withdrew}
        for index, view in enumerate(decision.views):
            if view.person in conflicted:
                found.append(
                    d.make(
                        d.CONFLICTED_MEMBER_DECIDED,
                        doc.path,
                        doc.line("views", index, "person"),
                        f"'{view.person}' declared a conflict in case {decision.case} and withdrew, "
                        "but a view of theirs is recorded",
                        "remove the view, or correct the meeting record if they did not withdraw",
                    )
                )
    if decision.review_date is not None:
        for index, action in enumerate(decision.actions):
            if action.due > decision.review_date:
                found.append(
                    d.make(
                        d.ACTION_DUE_AFTER_REVIEW,
                        doc.path,
                        doc.line("actions", index, "due"),
                        f"action '{action.id}' is due {action.due}, after the review date {decision.review_date}",
                        "bring the due date forward or move the review date",
                    )
                )
    return found
