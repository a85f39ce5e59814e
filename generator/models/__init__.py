"""Document models: one pydantic model per kind of file in the repository."""

from .case import Case, Child, EntryBasis, EventKind, KeyEvent, LegalStatus
from .decision import Action, Decision, Stance, View
from .meeting import Apology, Attendee, Capacity, Conflict, Deferral, Meeting, Status
from .panel import Panel
from .people import Authority, Person, Roster
from .record import Record, RecordKind
from .referral import Authorisation, DocumentRef, Referral, Scaling
from .roles import Role

__all__ = [
    "Action",
    "Apology",
    "Attendee",
    "Authorisation",
    "Authority",
    "Capacity",
    "Case",
    "Child",
    "Conflict",
    "Decision",
    "Deferral",
    "DocumentRef",
    "EntryBasis",
    "EventKind",
    "KeyEvent",
    "LegalStatus",
    "Meeting",
    "Panel",
    "Person",
    "Record",
    "RecordKind",
    "Referral",
    "Role",
    "Roster",
    "Scaling",
    "Stance",
    "Status",
    "View",
]
