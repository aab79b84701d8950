"""The domain model of the koordinerende indsatsplan: typed dataclasses and their invariants.

No I/O and no Textual here. Every rule the meeting has (chair is never referent, the
situation round starts with the citizen, ...) is enforced in this module, so the screens,
the command line and the importers all obey the same rules.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

#: The id the citizen has wherever a contact id is expected (attendance, round, responsible).
CITIZEN_ID = "citizen"

#: The next meeting more than this far ahead needs a reason (the working guide: at least
#: every six months).
NEXT_MEETING_MAX_DAYS = 183


def new_id() -> str:
    """A short random id: reveals nothing, collides practically never."""
    return os.urandom(8).hex()


class PlanError(ValueError):
    """An invariant of the plan was broken. `code` names a translated message in data/strings."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code if not params else f"{code} {params}")


class Sector(StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    GENERAL_PRACTICE = "general_practice"
    RELATIVE = "relative"
    OTHER = "other"


class AttendanceStatus(StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class AttendanceMode(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


class AgreementStatus(StrEnum):
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DEVIATION = "deviation"
    CANCELLED = "cancelled"


class AgreementOutcome(StrEnum):
    """What a follow-up meeting decides about an agreement carried over from an earlier one."""

    CONTINUE = "continue"
    CHANGED = "changed"
    ENDED = "ended"
    DEVIATION = "deviation"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class ApprovalDecision(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_REMARKS = "approved_with_remarks"
    NOT_APPROVED = "not_approved"


class ApprovalSetting(StrEnum):
    AT_MEETING = "at_meeting"
    AFTERWARDS = "afterwards"


class ApprovalChannel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class LifeArea(StrEnum):
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    HOUSING = "housing"
    FINANCES = "finances"
    WORK_EDUCATION = "work_education"
    NETWORK = "network"
    OTHER_PLANS = "other_plans"


# --------------------------------------------------------------------------- entities


@dataclass(slots=True)
class Citizen:
    """Master data (stamdata). The CPR number is optional and never shown on a projector."""

    name: str = ""
    cpr: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    general_practitioner: str = ""
    notes: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""


@dataclass(slots=True)
class Consent:
    """The citizen's consent to making the plan and sharing it with the named parties."""

    given: bool = False
    given_on: date | None = None
    how: str = ""  # e.g. "skriftligt", "mundtligt"
    scope_contacts: list[str] = field(default_factory=list)  # contact ids covered
    scope_organisations: list[str] = field(default_factory=list)
    withdrawn_on: date | None = None
    note: str = ""

    @property
    def active(self) -> bool:
        return self.given and self.withdrawn_on is None

    def covers(self, contact: Contact) -> bool:
        if not self.active:
            return False
        return contact.id in self.scope_contacts or (
            bool(contact.organisation) and contact.organisation in self.scope_organisations
        )


@dataclass(slots=True)
class MeetingWishes:
    """How the citizen wants to take part (the working guide's conversation before the meeting)."""

    feel_safe: str = ""
    how_much_to_say: str = ""
    breaks: str = ""
    part_of_meeting: str = ""
    virtual: bool = False
    other: str = ""


@dataclass(slots=True)
class Contact:
    """A person in the citizen's network: a relative or a professional."""

    id: str = field(default_factory=new_id)
    name: str = ""
    sector: Sector = Sector.OTHER
    organisation: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""

    @property
    def is_professional(self) -> bool:
        return self.sector not in (Sector.RELATIVE,)


@dataclass(slots=True)
class Invitation:
    purpose: str = (
        "At sikre en samtidig behandling og en koordineret indsats for borgeren."
    )
    reason: str = ""
    current_situation: str = ""
    bring_other_plans: str = (
        "Medbring gerne viden fra borgers andre aktuelle planer."
    )


@dataclass(slots=True)
class Attendance:
    contact_id: str
    status: AttendanceStatus = AttendanceStatus.UNKNOWN
    mode: AttendanceMode = AttendanceMode.IN_PERSON
    part: str = ""  # "kun første halvdel", ...
    written_input: str = ""  # from an absent professional
    details_confirmed: bool = False


@dataclass(slots=True)
class AgendaItem:
    id: str = field(default_factory=new_id)
    key: str = ""  # the template key ("welcome", "situation_round", ...) or "" for own items
    title: str = ""
    planned_minutes: int = 5
    started_at: datetime | None = None
    ended_at: datetime | None = None
    notes: str = ""
    private: bool = False  # hidden on the projector


@dataclass(slots=True)
class RoundEntry:
    """One speaker's part of the situation round."""

    contact_id: str
    text: str = ""
    life_areas: dict[str, str] = field(default_factory=dict)  # LifeArea value -> text


@dataclass(slots=True)
class NextMeeting:
    on: datetime | None = None
    place: str = ""
    reason_beyond_limit: str = ""


@dataclass(slots=True)
class Approval:
    decision: ApprovalDecision = ApprovalDecision.APPROVED
    at: datetime | None = None
    setting: ApprovalSetting = ApprovalSetting.AT_MEETING
    channel: ApprovalChannel = ApprovalChannel.IN_PERSON
    by: str = ""  # who went through the plan with the citizen
    citizen_words: str = ""
    plan_version: int = 0
    meeting_id: str = ""
    part_comments: dict[str, str] = field(default_factory=dict)  # review part -> citizen's words
    coordinator_notified: bool = False


@dataclass(slots=True)
class Reopening:
    """A closed meeting opened again: why, when, by whom, and the closing it undid."""

    at: datetime
    reason: str
    by: str = ""  # the local user who re-opened it
    closed_at: datetime | None = None
    closed_version: int = 0


@dataclass(slots=True)
class Meeting:
    id: str = field(default_factory=new_id)
    starts_at: datetime | None = None
    place: str = ""
    video_link: str = ""
    invitation: Invitation = field(default_factory=Invitation)
    chair: str = ""  # contact id
    referent: str = ""  # contact id
    attendance: list[Attendance] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)
    current_item: str = ""  # agenda item id
    situation_round: list[RoundEntry] = field(default_factory=list)
    current_speaker: str = ""  # contact id whose turn it is
    next_meeting: NextMeeting = field(default_factory=NextMeeting)
    coordinator: str = ""  # contact id chosen until the next meeting
    summary: str = ""
    approval: Approval | None = None
    review_afterwards: bool = False  # the citizen was not there: review and approve later
    review_comments: dict[str, str] = field(default_factory=dict)  # review part -> citizen's words
    status: MeetingStatus = MeetingStatus.PLANNED
    closed_at: datetime | None = None
    closed_version: int = 0
    reopenings: list[Reopening] = field(default_factory=list)

    # ---- closing and re-opening

    def reopen(self, reason: str, now: datetime, by: str = "") -> Reopening:
        """Open a closed meeting again; the reason and the closing it undoes are kept."""
        if self.status != MeetingStatus.CLOSED:
            raise PlanError("meeting_not_closed")
        if not reason.strip():
            raise PlanError("reopen_needs_reason")
        entry = Reopening(at=now, reason=reason.strip(), by=by, closed_at=self.closed_at,
                          closed_version=self.closed_version)
        self.reopenings.append(entry)
        self.status = MeetingStatus.IN_PROGRESS
        self.closed_at = None
        self.closed_version = 0
        return entry

    # ---- chair and referent: never the same person

    def set_chair(self, contact_id: str) -> None:
        if contact_id and contact_id == self.referent:
            raise PlanError("chair_is_referent")
        self.chair = contact_id

    def set_referent(self, contact_id: str) -> None:
        if contact_id and contact_id == self.chair:
            raise PlanError("chair_is_referent")
        self.referent = contact_id

    # ---- attendance

    def attendance_for(self, contact_id: str) -> Attendance:
        for a in self.attendance:
            if a.contact_id == contact_id:
                return a
        a = Attendance(contact_id=contact_id)
        self.attendance.append(a)
        return a

    def present_ids(self) -> list[str]:
        return [a.contact_id for a in self.attendance if a.status == AttendanceStatus.PRESENT]

    @property
    def citizen_present(self) -> bool:
        return CITIZEN_ID in self.present_ids()

    # ---- agenda

    def item(self, item_id: str) -> AgendaItem | None:
        return next((i for i in self.agenda if i.id == item_id), None)

    def item_by_key(self, key: str) -> AgendaItem | None:
        return next((i for i in self.agenda if i.key == key), None)

    def start_item(self, item_id: str, now: datetime) -> None:
        """Make `item_id` the current item: the previous one ends now, this one starts now."""
        if self.item(item_id) is None:
            raise PlanError("unknown_agenda_item")
        if self.current_item == item_id:
            return
        previous = self.item(self.current_item)
        if previous is not None and previous.ended_at is None:
            previous.ended_at = now
        item = self.item(item_id)
        assert item is not None
        if item.started_at is None:
            item.started_at = now
        item.ended_at = None
        self.current_item = item_id
        if self.status == MeetingStatus.PLANNED:
            self.status = MeetingStatus.IN_PROGRESS

    def following_item(self) -> AgendaItem | None:
        """The item "next item" starts: the one after the current item; without a current
        item, the first not yet begun. None after the last item."""
        current = self.item(self.current_item)
        if current is not None:
            index = self.agenda.index(current) + 1
            return self.agenda[index] if index < len(self.agenda) else None
        return next((i for i in self.agenda if i.started_at is None), None)

    def preceding_item(self) -> AgendaItem | None:
        """The item before the current one (to go back to after moving on too soon)."""
        current = self.item(self.current_item)
        if current is None:
            return None
        index = self.agenda.index(current)
        return self.agenda[index - 1] if index > 0 else None

    def stop_current_item(self, now: datetime) -> None:
        item = self.item(self.current_item)
        if item is not None and item.ended_at is None:
            item.ended_at = now
        self.current_item = ""

    def move_item(self, item_id: str, delta: int) -> None:
        idx = next((n for n, i in enumerate(self.agenda) if i.id == item_id), None)
        if idx is None:
            raise PlanError("unknown_agenda_item")
        new = max(0, min(len(self.agenda) - 1, idx + delta))
        self.agenda.insert(new, self.agenda.pop(idx))

    def planned_minutes(self) -> int:
        return sum(i.planned_minutes for i in self.agenda)

    @staticmethod
    def item_elapsed(item: AgendaItem, now: datetime) -> timedelta:
        if item.started_at is None:
            return timedelta(0)
        end = item.ended_at or now
        return max(timedelta(0), end - item.started_at)

    def held_at(self) -> datetime | None:
        """When the meeting actually began (its first agenda item started), None before then.
        The planned `starts_at` is kept as it was; a meeting held on another day than planned
        is recorded on the day it was held."""
        return min((i.started_at for i in self.agenda if i.started_at), default=None)

    def elapsed(self, now: datetime) -> timedelta:
        starts = [i.started_at for i in self.agenda if i.started_at]
        if not starts:
            return timedelta(0)
        first = min(starts)
        if self.status == MeetingStatus.CLOSED and self.closed_at:
            return self.closed_at - first
        return max(timedelta(0), now - first)

    # ---- situation round

    def round_entry(self, contact_id: str) -> RoundEntry:
        for e in self.situation_round:
            if e.contact_id == contact_id:
                return e
        e = RoundEntry(contact_id=contact_id)
        self.situation_round.append(e)
        return e

    def build_round(self) -> None:
        """Speaking order from attendance: the citizen first when present, then the others."""
        present = self.present_ids()
        order = [CITIZEN_ID] if CITIZEN_ID in present else []
        order += [cid for cid in present if cid != CITIZEN_ID]
        existing = {e.contact_id: e for e in self.situation_round}
        # a speaker marked absent after speaking keeps the words already written
        kept = [
            e for e in self.situation_round
            if e.contact_id in order or e.text.strip() or any(v.strip() for v in e.life_areas.values())
        ]
        for cid in order:
            if cid not in existing:
                kept.append(RoundEntry(contact_id=cid))
        # keep the referent's own reordering, but the citizen always opens the round
        kept.sort(key=lambda e: 0 if e.contact_id == CITIZEN_ID else 1)
        self.situation_round = kept

    def move_speaker(self, contact_id: str, delta: int) -> None:
        ids = [e.contact_id for e in self.situation_round]
        if contact_id not in ids:
            raise PlanError("unknown_contact")
        idx = ids.index(contact_id)
        new = max(0, min(len(ids) - 1, idx + delta))
        entries = list(self.situation_round)
        entries.insert(new, entries.pop(idx))
        if self.citizen_present and entries and entries[0].contact_id != CITIZEN_ID:
            raise PlanError("round_citizen_first")
        self.situation_round = entries

    def next_speaker(self) -> str:
        ids = [e.contact_id for e in self.situation_round]
        if not ids:
            return ""
        if self.current_speaker not in ids:
            return ids[0]
        idx = ids.index(self.current_speaker)
        return ids[idx + 1] if idx + 1 < len(ids) else ""

    def validate(self) -> None:
        if self.chair and self.chair == self.referent:
            raise PlanError("chair_is_referent")
        if (
            self.citizen_present
            and self.situation_round
            and self.situation_round[0].contact_id != CITIZEN_ID
        ):
            raise PlanError("round_citizen_first")


@dataclass(slots=True)
class Goal:
    id: str = field(default_factory=new_id)
    text: str = ""
    life_area: str = ""
    meeting_id: str = ""
    created_at: datetime | None = None


@dataclass(slots=True)
class StatusChange:
    at: datetime
    status: AgreementStatus
    note: str = ""
    meeting_id: str = ""
    # at a follow-up meeting: the outcome decided, and for "changed" what it was before
    outcome: AgreementOutcome | None = None
    previous_what: str = ""
    previous_responsible: str = ""
    previous_deadline: date | None = None


@dataclass(slots=True)
class Agreement:
    """An intervention agreed: what, exactly one responsible contact, by when."""

    id: str = field(default_factory=new_id)
    what: str = ""
    responsible: str = ""  # exactly one contact id (or CITIZEN_ID)
    deadline: date | None = None
    status: AgreementStatus = AgreementStatus.AGREED
    meeting_id: str = ""  # the meeting it came from
    goal_id: str = ""
    history: list[StatusChange] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED)

    def overdue(self, today: date) -> bool:
        """Derived, never stored: an open agreement whose deadline has passed."""
        return self.open and self.deadline is not None and self.deadline < today

    def changed_at(self, meeting_id: str) -> bool:
        """Did anything happen to it at this meeting (a status change or an outcome)?"""
        return bool(meeting_id) and any(h.meeting_id == meeting_id for h in self.history)

    def outcome_at(self, meeting_id: str) -> StatusChange | None:
        """The latest outcome decided at this meeting, if any."""
        return next((h for h in reversed(self.history)
                     if h.outcome is not None and h.meeting_id == meeting_id), None)

    def ended_at_meeting(self) -> str:
        """The meeting whose status change ended it ("" when open or ended between meetings)."""
        if self.open:
            return ""
        last = next((h for h in reversed(self.history) if h.status == self.status), None)
        return last.meeting_id if last is not None else ""


@dataclass(slots=True)
class Deviation:
    """An agreement a contact person could not keep, reported to the coordinator."""

    id: str = field(default_factory=new_id)
    agreement_id: str = ""
    reported_on: date | None = None
    reported_by: str = ""  # contact id
    what_happened: str = ""
    informed: list[str] = field(default_factory=list)  # contact ids the coordinator informed
    informed_on: date | None = None
    closed: bool = False


@dataclass(slots=True)
class CoordinatorTerm:
    contact_id: str
    from_date: date
    to_date: date | None = None
    meeting_id: str = ""


@dataclass(slots=True)
class Plan:
    id: str = field(default_factory=new_id)
    version: int = 0  # bumped by every save; an approval names one
    created_at: datetime | None = None
    updated_at: datetime | None = None
    citizen: Citizen = field(default_factory=Citizen)
    consent: Consent = field(default_factory=Consent)
    wishes: MeetingWishes = field(default_factory=MeetingWishes)
    contacts: list[Contact] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    coordinators: list[CoordinatorTerm] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)

    # ---- lookups

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def name_of(self, contact_id: str) -> str:
        if contact_id == CITIZEN_ID:
            return self.citizen.name
        c = self.contact(contact_id)
        return c.name if c else ""

    def participant_ids(self) -> list[str]:
        """Everyone who can take part in a meeting: the citizen first, then the network."""
        return [CITIZEN_ID] + [c.id for c in self.contacts]

    def meeting(self, meeting_id: str) -> Meeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def meeting_number(self, number: int) -> Meeting:
        """Meetings are numbered from 1 in date order, as the user sees them."""
        if not 1 <= number <= len(self.meetings):
            raise PlanError("unknown_meeting", number=number)
        return self.meetings[number - 1]

    def latest_meeting(self) -> Meeting | None:
        return self.meetings[-1] if self.meetings else None

    def agreement(self, agreement_id: str) -> Agreement | None:
        return next((a for a in self.agreements if a.id == agreement_id), None)

    def open_agreements(self) -> list[Agreement]:
        return [a for a in self.agreements if a.open]

    def overdue_agreements(self, today: date) -> list[Agreement]:
        """Derived from the deadlines and the given day; nothing about it is stored."""
        return [a for a in self.agreements if a.overdue(today)]

    def follow_up_agreements(self, meeting: Meeting) -> list[Agreement]:
        """The agreements the follow-up item of `meeting` goes through, oldest meeting first.

        Made at an earlier meeting (or outside any) and still open; or given an outcome or a
        status at this meeting (an agreement ended here is still listed here); or ended only at
        a later meeting. Derived from the history, never stored: nothing is carried twice and
        an agreement ended at one meeting is not carried to the next.
        """
        order = {m.id: n for n, m in enumerate(self.meetings)}
        here = order.get(meeting.id, len(self.meetings))
        picked = []
        for a in self.agreements:
            origin = order.get(a.meeting_id, -1)
            if a.meeting_id == meeting.id or origin > here:
                continue
            if a.open or a.changed_at(meeting.id) or order.get(a.ended_at_meeting(), -1) > here:
                picked.append(a)
        return sorted(picked, key=lambda a: order.get(a.meeting_id, -1))

    def deviation(self, deviation_id: str) -> Deviation | None:
        return next((d for d in self.deviations if d.id == deviation_id), None)

    def open_deviations(self) -> list[Deviation]:
        return [d for d in self.deviations if not d.closed]

    @property
    def current_coordinator(self) -> str:
        for term in reversed(self.coordinators):
            if term.to_date is None:
                return term.contact_id
        return ""

    def next_meeting_at(self) -> datetime | None:
        m = self.latest_meeting()
        if m is None:
            return None
        if m.status != MeetingStatus.CLOSED and m.starts_at:
            return m.starts_at
        return m.next_meeting.on

    # ---- changes that have rules

    def add_contact(self, contact: Contact) -> Contact:
        if not contact.name.strip():
            raise PlanError("contact_name_required")
        self.contacts.append(contact)
        return contact

    def remove_contact(self, contact_id: str) -> None:
        used = any(a.responsible == contact_id for a in self.agreements if a.open)
        used = used or self.current_coordinator == contact_id
        if used:
            raise PlanError("contact_in_use")
        self.contacts = [c for c in self.contacts if c.id != contact_id]

    def _check_responsible(self, responsible: str) -> None:
        if not responsible or not isinstance(responsible, str):
            raise PlanError("agreement_needs_responsible")
        if responsible != CITIZEN_ID and self.contact(responsible) is None:
            raise PlanError("agreement_unknown_responsible")

    def add_agreement(
        self,
        what: str,
        responsible: str,
        deadline: date | None,
        meeting_id: str,
        now: datetime,
        goal_id: str = "",
    ) -> Agreement:
        if not what.strip():
            raise PlanError("agreement_needs_what")
        self._check_responsible(responsible)
        a = Agreement(
            what=what.strip(),
            responsible=responsible,
            deadline=deadline,
            meeting_id=meeting_id,
            goal_id=goal_id,
            history=[StatusChange(at=now, status=AgreementStatus.AGREED, meeting_id=meeting_id)],
        )
        self.agreements.append(a)
        return a

    def set_agreement_responsible(self, agreement_id: str, responsible: str) -> None:
        a = self.agreement(agreement_id)
        if a is None:
            raise PlanError("unknown_agreement")
        self._check_responsible(responsible)
        a.responsible = responsible

    def set_agreement_status(
        self,
        agreement_id: str,
        status: AgreementStatus,
        now: datetime,
        note: str = "",
        meeting_id: str = "",
    ) -> None:
        a = self.agreement(agreement_id)
        if a is None:
            raise PlanError("unknown_agreement")
        if a.status == status and not note:
            return
        a.status = AgreementStatus(status)
        a.history.append(StatusChange(at=now, status=a.status, note=note, meeting_id=meeting_id))

    def add_goal(self, text: str, meeting_id: str, now: datetime, life_area: str = "") -> Goal:
        if not text.strip():
            raise PlanError("goal_needs_text")
        g = Goal(text=text.strip(), meeting_id=meeting_id, created_at=now, life_area=life_area)
        self.goals.append(g)
        return g

    def set_coordinator(self, contact_id: str, today: date, meeting_id: str = "") -> None:
        """Hand the thread to a professional; the previous term ends today."""
        c = self.contact(contact_id)
        if c is None or not c.is_professional:
            raise PlanError("coordinator_not_professional")
        if self.current_coordinator == contact_id:
            return
        for term in self.coordinators:
            if term.to_date is None:
                term.to_date = today
        self.coordinators.append(
            CoordinatorTerm(contact_id=contact_id, from_date=today, meeting_id=meeting_id)
        )

    def report_deviation(
        self,
        agreement_id: str,
        reported_by: str,
        what_happened: str,
        on: date,
        now: datetime,
        meeting_id: str = "",
    ) -> Deviation:
        if self.agreement(agreement_id) is None:
            raise PlanError("unknown_agreement")
        if not what_happened.strip():
            raise PlanError("deviation_needs_text")
        if reported_by != CITIZEN_ID and self.contact(reported_by) is None:
            raise PlanError("deviation_needs_reporter")
        d = Deviation(
            agreement_id=agreement_id,
            reported_on=on,
            reported_by=reported_by,
            what_happened=what_happened.strip(),
        )
        self.deviations.append(d)
        self.set_agreement_status(agreement_id, AgreementStatus.DEVIATION, now, what_happened,
                                  meeting_id=meeting_id)
        return d

    def record_informed(self, deviation_id: str, informed: list[str], on: date) -> Deviation:
        """The coordinator has informed these people (contact ids or the citizen) on `on`."""
        d = self.deviation(deviation_id)
        if d is None:
            raise PlanError("unknown_deviation")
        if not informed:
            raise PlanError("deviation_needs_informed")
        if any(cid != CITIZEN_ID and self.contact(cid) is None for cid in informed):
            raise PlanError("unknown_contact")
        d.informed = list(dict.fromkeys(informed))
        d.informed_on = on
        return d

    def close_deviation(self, deviation_id: str) -> Deviation:
        """Dealt with: only after the coordinator has recorded whom they informed."""
        d = self.deviation(deviation_id)
        if d is None:
            raise PlanError("unknown_deviation")
        if not d.informed:
            raise PlanError("deviation_close_needs_informed")
        d.closed = True
        return d

    def record_outcome(
        self,
        agreement_id: str,
        outcome: AgreementOutcome,
        meeting_id: str,
        now: datetime,
        *,
        end_status: AgreementStatus = AgreementStatus.DONE,
        note: str = "",
        what_happened: str = "",
        reported_by: str = "",
    ) -> StatusChange:
        """The follow-up meeting's decision about an agreement carried over to it, kept in the
        agreement's history with the meeting's id.

        continue: unchanged (an agreement ended by mistake opens again). changed: the entry
        keeps what, who and the deadline as they were, then the referent edits them (a second
        "changed" at the same meeting keeps the first record). ended: done or cancelled.
        deviation: a Deviation is recorded (reported by the responsible unless said otherwise).
        """
        a = self.agreement(agreement_id)
        if a is None:
            raise PlanError("unknown_agreement")
        m = self.meeting(meeting_id)
        if m is None:
            raise PlanError("outcome_needs_meeting")
        if m.status == MeetingStatus.CLOSED:
            raise PlanError("meeting_is_closed")
        if a not in self.follow_up_agreements(m):
            raise PlanError("outcome_not_carried_over")
        outcome = AgreementOutcome(outcome)
        if outcome == AgreementOutcome.DEVIATION:
            self.report_deviation(a.id, reported_by or a.responsible, what_happened, now.date(), now,
                                  meeting_id=m.id)
            entry = a.history[-1]
            entry.outcome = outcome
            return entry
        if outcome == AgreementOutcome.ENDED:
            if end_status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED):
                raise PlanError("outcome_end_status")
            a.status = AgreementStatus(end_status)
            entry = StatusChange(at=now, status=a.status, note=note, meeting_id=m.id, outcome=outcome)
            a.history.append(entry)
            return entry
        if outcome == AgreementOutcome.CHANGED:
            latest = a.outcome_at(m.id)
            if latest is not None and latest.outcome == AgreementOutcome.CHANGED and a.open:
                return latest
        if not a.open:
            # continuing (or changing) an agreement ended by mistake: it is open again
            a.status = next((h.status for h in reversed(a.history)
                             if h.status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED)),
                            AgreementStatus.AGREED)
        entry = StatusChange(at=now, status=a.status, note=note, meeting_id=m.id, outcome=outcome)
        if outcome == AgreementOutcome.CHANGED:
            entry.previous_what = a.what
            entry.previous_responsible = a.responsible
            entry.previous_deadline = a.deadline
        a.history.append(entry)
        return entry

    def record_approval(self, approval: Approval, meeting: Meeting | None = None) -> Approval:
        """The citizen's approval always names the concrete version of the plan it approves."""
        if approval.plan_version <= 0:
            approval.plan_version = self.version
        if approval.plan_version <= 0:
            # a plan never saved has no version to approve yet; validate() would refuse it later
            raise PlanError("approval_needs_version")
        if approval.plan_version > self.version:
            raise PlanError("approval_future_version")
        if approval.decision != ApprovalDecision.APPROVED and not approval.citizen_words.strip():
            # "with remarks" / "not approved" without the remarks would lose the citizen's voice
            raise PlanError("approval_needs_words")
        if meeting is not None:
            approval.meeting_id = meeting.id
            meeting.approval = approval
            meeting.review_afterwards = False
        self.approvals.append(approval)
        return approval

    def validate(self) -> None:
        """Check every invariant; raise PlanError on the first broken one."""
        ids = [c.id for c in self.contacts]
        if len(set(ids)) != len(ids) or CITIZEN_ID in ids:
            raise PlanError("duplicate_contact_id")
        for m in self.meetings:
            m.validate()
            for role in (m.chair, m.referent):
                if role and role != CITIZEN_ID and self.contact(role) is None:
                    raise PlanError("unknown_contact")
            if m.coordinator:
                c = self.contact(m.coordinator)
                if c is None or not c.is_professional:
                    raise PlanError("coordinator_not_professional")
        for a in self.agreements:
            self._check_responsible(a.responsible)
        for term in self.coordinators:
            c = self.contact(term.contact_id)
            if c is None or not c.is_professional:
                raise PlanError("coordinator_not_professional")
        meeting_approvals = [m.approval for m in self.meetings if m.approval is not None]
        for ap in [*self.approvals, *meeting_approvals]:
            if ap.plan_version <= 0:
                raise PlanError("approval_needs_version")
            if ap.plan_version > self.version:
                raise PlanError("approval_future_version")


def check_next_meeting(on: datetime | date, today: date, reason: str = "") -> str | None:
    """Return a warning code when the next meeting is too far ahead (or in the past).

    More than six months ahead is allowed only with a reason: the caller shows the warning
    and asks for one; with a reason given this returns None.
    """
    day = on.date() if isinstance(on, datetime) else on
    if day < today:
        raise PlanError("next_meeting_in_past")
    if (day - today).days > NEXT_MEETING_MAX_DAYS and not reason.strip():
        return "next_meeting_beyond_limit"
    return None


def new_meeting(plan: Plan, template: list[dict[str, Any]], starts_at: datetime | None) -> Meeting:
    """A meeting with the standard agenda and attendance lines for the whole network."""
    m = Meeting(starts_at=starts_at)
    m.agenda = [
        AgendaItem(key=t.get("key", ""), title=t["title"], planned_minutes=int(t["minutes"]))
        for t in template
    ]
    m.attendance = [Attendance(contact_id=cid) for cid in plan.participant_ids()]
    plan.meetings.append(m)
    return m


def new_follow_up_meeting(
    plan: Plan, template: list[dict[str, Any]], starts_at: datetime | None
) -> Meeting:
    """The next meeting of a plan: standard agenda, the whole network invited, the current
    coordinator carried over (kept unless the meeting chooses another). The open agreements of
    the earlier meetings come with it through `Plan.follow_up_agreements`, each with its origin.
    Without `starts_at`, the time and place agreed at the meeting before ("Næste møde") are
    used, so what the network agreed is not typed twice."""
    agreed = plan.meetings[-1].next_meeting if plan.meetings else None
    if starts_at is None and agreed is not None:
        starts_at = agreed.on
    m = new_meeting(plan, template, starts_at)
    if agreed is not None and not m.place:
        m.place = agreed.place
    m.coordinator = plan.current_coordinator
    return m


# --------------------------------------------------------------------------- plain dicts
# The same conversion serves TinyDB, the documented JSON form and the bundles: dates and
# datetimes as ISO 8601 strings, enums as their values, dataclasses as objects.


_PLAIN_TYPES = (str, int, bool)


def to_dict(obj: Any) -> Any:
    """Plain JSON values from model objects. Runs on every autosave, on the UI thread, so each
    dataclass gets a converter generated from its type hints (`_converter`): one dict display
    per object instead of a type dispatch per field (5.7 → 2.5 ms for the large plan)."""
    tp = type(obj)
    if tp is str or tp is int or tp is bool or obj is None:
        return obj
    if tp is list:
        return [to_dict(x) for x in obj]
    convert = _CONVERTERS.get(tp)
    if convert is None and dataclasses.is_dataclass(tp):
        convert = _converter(tp)
    if convert is not None:
        try:
            return convert(obj)
        except (AttributeError, TypeError):
            return _to_dict_fields(obj)  # a value of another type than its hint says
    return _to_dict_value(obj)


def _to_dict_value(obj: Any) -> Any:
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, datetime):
        return obj.isoformat(timespec="seconds")
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_dict(x) for x in obj]
    return obj


def _to_dict_fields(obj: Any) -> dict[str, Any]:
    """The field-by-field conversion: what the generated converters must equal (tests hold
    them to it), and the way taken when a field holds a value its hint does not name."""
    return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


_CONVERTERS: dict[type, Any] = {}
_CONVERTERS_LOCK = threading.RLock()


def _converter(cls: type, pending: dict[type, Any] | None = None) -> Any:
    """Generate `convert(o) -> dict` for a dataclass from its type hints. Every expression
    gives what `_to_dict_fields` gives for a value of the hinted type; a value of another
    type raises AttributeError/TypeError and `to_dict` falls back to the general way.
    Converters are published only whole (with every nested one filled in), under a lock:
    another thread converting at the same moment never sees one half made."""
    with _CONVERTERS_LOCK:
        if cls in _CONVERTERS:
            return _CONVERTERS[cls]
        top = pending is None
        pending = {} if pending is None else pending
        if cls in pending:
            return pending[cls]
        convert = _build_converter(cls, pending)
        if top:
            _CONVERTERS.update(pending)
        return convert


def _build_converter(cls: type, pending: dict[type, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {"_to_dict": to_dict, "_datetime": datetime, "_str": str.__str__}
    nested: dict[str, type] = {}
    parts = []
    for n, f in enumerate(dataclasses.fields(cls)):
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1
        base = args[0] if optional else tp
        v = f"o.{f.name}"
        if base in _PLAIN_TYPES:
            expr = v  # copied as it is (str, int and bool are JSON values already)
        elif base in (datetime, date):
            # isoformat() gives the same as timespec="seconds" when there are no microseconds,
            # in half the time (800 datetimes in the large plan: 0.5 ms of every save)
            expr = (f"(None if (_v := {v}) is None else (_v.isoformat(timespec='seconds') "
                    f"if _v.microsecond else _v.isoformat()) if isinstance(_v, _datetime) "
                    f"else _v.isoformat())")
        elif isinstance(base, type) and issubclass(base, StrEnum):
            # a StrEnum member's str value is its value; a plain str stays itself
            expr = f"(None if (_v := {v}) is None else _str(_v))"
        elif isinstance(base, type) and dataclasses.is_dataclass(base):
            nested[f"_c{n}"] = base
            expr = f"(None if (_v := {v}) is None else _c{n}(_v))"
        elif typing.get_origin(base) is list and dataclasses.is_dataclass(typing.get_args(base)[0]):
            nested[f"_c{n}"] = typing.get_args(base)[0]
            expr = f"[_c{n}(x) for x in {v}]"
        elif typing.get_origin(base) is list:
            expr = f"[x if type(x) is str else _to_dict(x) for x in {v}]"
        elif typing.get_origin(base) is dict:
            expr = f"(None if (_v := {v}) is None else {{str(k): x if type(x) is str else _to_dict(x) for k, x in _v.items()}})"
        else:
            expr = f"_to_dict({v})"
        parts.append(f"{f.name!r}: {expr}")
    source = "def convert(o):\n    return {" + ", ".join(parts) + "}\n"
    exec(compile(source, f"<to_dict {cls.__name__}>", "exec"), env)  # noqa: S102 - our own hints
    convert = pending[cls] = env["convert"]
    for name, inner in nested.items():  # after `pending` has it: recursive types end here
        env[name] = _CONVERTERS.get(inner) or pending.get(inner) or _converter(inner, pending)
    return convert


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


class ConversionError(ValueError):
    """A plain value did not fit the model; `path` names the field (e.g. meetings[0].chair)."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value, path)
    if origin is list:
        if not isinstance(value, list):
            raise ConversionError(path, "expected a list")
        (inner,) = typing.get_args(tp)
        return [_convert(inner, v, f"{path}[{n}]") for n, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConversionError(path, "expected an object")
        _, inner = typing.get_args(tp)
        return {str(k): _convert(inner, v, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, path)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(m.value for m in tp)
            raise ConversionError(path, f"must be one of {allowed}") from None
    if tp is datetime:
        if not isinstance(value, str):
            raise ConversionError(path, "expected a date and time (YYYY-MM-DDTHH:MM:SS)")
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ConversionError(path, "not a valid date and time") from None
    if tp is date:
        if not isinstance(value, str):
            raise ConversionError(path, "expected a date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ConversionError(path, "not a valid date") from None
    if tp is bool:
        if not isinstance(value, bool):
            raise ConversionError(path, "expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConversionError(path, "expected a whole number")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConversionError(path, "expected text")
        return value
    return value


def from_dict(cls: type, data: Any, path: str = "plan") -> Any:
    """Build a dataclass from plain values, checking every type; unknown keys are an error."""
    if not isinstance(data, dict):
        raise ConversionError(path, "expected an object")
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConversionError(f"{path}.{unknown[0]}", "unknown field")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConversionError(f"{path}.{f.name}", "required field is missing")
    return cls(**kwargs)


def plan_from_dict(data: Any) -> Plan:
    plan = from_dict(Plan, data)
    return plan


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return to_dict(plan)
