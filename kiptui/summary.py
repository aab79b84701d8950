"""The plan as it stands after a meeting, for the two places that read it aloud: the summary the
chair or referent reads out at the end of the meeting (Ctrl+G on the closing tab) and the walk
through the plan with a citizen who was not there (F10).

Both tell the plan as it now stands, not only what was new at the meeting: the agreements made
at the meeting, the agreements carried over from earlier meetings that are still open (continued
or changed at this meeting, or not yet decided), and every goal of the plan so far. The minutes
list the same goals (kiptui.minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiptui.i18n import enum_label, fmt_date, fmt_time, t
from kiptui.model import (
    CITIZEN_ID,
    Agreement,
    AgreementOutcome,
    AgreementStatus,
    Goal,
    Meeting,
    Plan,
)
from kiptui.textsafe import one_line

__all__ = ["StandingPlan", "current_goals", "generate_summary", "meeting_coordinator", "standing_plan",
           "summary_out_of_date", "who"]


@dataclass(frozen=True)
class StandingPlan:
    """What the plan holds after `meeting`, as it is now."""

    new: list[Agreement]  # made at the meeting (also those already done or cancelled)
    carried: list[Agreement]  # from earlier meetings (or outside any) and still open, oldest first
    goals: list[Goal]  # every goal set at this meeting or before it

    @property
    def open(self) -> list[Agreement]:
        """The agreements still to be done: the new ones not yet ended, and the carried ones."""
        return [a for a in self.new if a.open] + self.carried


def current_goals(plan: Plan, meeting: Meeting) -> list[Goal]:
    """The goals of the plan at this meeting: set at it or before it (never at a later one)."""
    order = {m.id: n for n, m in enumerate(plan.meetings)}
    here = order.get(meeting.id, len(plan.meetings))
    return [g for g in plan.goals if order.get(g.meeting_id, -1) <= here and one_line(g.text)]


def standing_plan(plan: Plan, meeting: Meeting) -> StandingPlan:
    new = [a for a in plan.agreements if a.meeting_id == meeting.id]
    carried = [a for a in plan.follow_up_agreements(meeting) if a.open]
    return StandingPlan(new, carried, current_goals(plan, meeting))


def changed_at(a: Agreement, meeting: Meeting) -> bool:
    """Was the agreement changed (what, who or the deadline) at this meeting?"""
    entry = a.outcome_at(meeting.id)
    return entry is not None and entry.outcome == AgreementOutcome.CHANGED


def who(plan: Plan, contact_id: str) -> str:
    """'Name (Organisation)' as one plain line."""
    name = one_line(plan.name_of(contact_id))
    contact = plan.contact(contact_id) if contact_id != CITIZEN_ID else None
    organisation = one_line(contact.organisation) if contact else ""
    return f"{name} ({organisation})" if name and organisation else name


def meeting_coordinator(plan: Plan, meeting: Meeting) -> tuple[str, bool]:
    """Who is the coordinator until the next meeting, as the meeting stands, and do they carry
    on from before it (nobody was chosen at it)?

    The meeting's own choice (`Meeting.coordinator`) if it has one. A follow-up meeting made on
    F8 starts with the plan's current coordinator in it (model.new_follow_up_meeting: kept
    unless the meeting chooses another); one that has none written in it (the demo plan's
    second meeting, say) keeps the same coordinator: the plan's current one, if it is the
    plan's latest meeting. An earlier meeting without one names whom it chose, if anyone.
    The close check on F7 and the summary read the same person from this, the one the chair's
    view shows (`coordinator or plan.current_coordinator`) at the latest meeting."""
    chosen_here = [term.contact_id for term in plan.coordinators if term.meeting_id == meeting.id]
    contact_id = meeting.coordinator
    if not contact_id:
        latest = bool(plan.meetings) and plan.meetings[-1].id == meeting.id
        contact_id = plan.current_coordinator if latest else (chosen_here[-1] if chosen_here else "")
    if not contact_id or plan.contact(contact_id) is None:
        return "", False
    return contact_id, contact_id not in chosen_here


def _line(plan: Plan, a: Agreement, notes: list[str]) -> str:
    deadline = t("closing.sum_by", date=fmt_date(a.deadline)) if a.deadline else t("closing.sum_no_deadline")
    note = f" ({', '.join(notes)})" if notes else ""
    return f"- {one_line(a.what)} – {who(plan, a.responsible) or '–'} – {deadline}{note}"


def _title(meeting: Meeting) -> str:
    # the day it was held (the minutes' day), not the day planned when they differ
    return t("closing.sum_title", date=fmt_date(meeting.held_at() or meeting.starts_at) or "–")


def _plan_lines(plan: Plan, standing: StandingPlan, meeting: Meeting) -> tuple[list[str], list[str], list[str]]:
    """The summary's lines for the new agreements, those carried over, and the goals."""
    new = [_line(plan, a, [] if a.open else [enum_label(a.status.value)]) for a in standing.new]
    carried = []
    for a in standing.carried:
        notes = [t("minutes.summary_changed")] if changed_at(a, meeting) else []
        if a.status == AgreementStatus.DEVIATION:
            notes.append(enum_label(a.status.value).lower())
        carried.append(_line(plan, a, notes))
    return new, carried, [f"- {one_line(g.text)}" for g in standing.goals]


def generate_summary(plan: Plan, meeting: Meeting) -> str:
    """The summary the chair or referent reads out: the plan as it now stands. The agreements
    made at this meeting and those carried over from earlier meetings that still stand (what –
    who – by when, the deadline as it is now), the goals, the next meeting and the coordinator.
    Plain text, from data."""
    standing = standing_plan(plan, meeting)
    new, carried, goals = _plan_lines(plan, standing, meeting)
    lines = [_title(meeting), ""]
    # a first meeting has only new agreements: no need to say they are new
    lines.append(t("minutes.summary_new" if standing.carried else "closing.sum_agreements"))
    lines += new or [t("closing.sum_none")]
    if carried:
        lines += ["", t("minutes.summary_carried"), *carried]
    if goals:
        lines += ["", t("closing.sum_goals"), *goals]
    lines.append("")
    nxt = meeting.next_meeting
    if nxt.on is not None:
        when = t("closing.sum_when", date=fmt_date(nxt.on), time=fmt_time(nxt.on))
        place = f", {one_line(nxt.place)}" if one_line(nxt.place) else ""
        lines.append(t("closing.sum_next", when=when + place))
    else:
        lines.append(t("closing.sum_next", when=t("closing.sum_not_set")))
    coordinator, carried = meeting_coordinator(plan, meeting)
    name = who(plan, coordinator) if coordinator else ""
    if name and carried:  # nobody else was chosen: the one from before goes on, and it says so
        lines.append(t("closing.sum_coordinator_continues", name=name))
    else:
        lines.append(t("closing.sum_coordinator", name=name or t("closing.sum_not_set")))
    return "\n".join(lines)


def summary_out_of_date(plan: Plan, meeting: Meeting) -> bool:
    """Was the meeting's summary made (Ctrl+G) before its agreements or goals last changed?

    Read from its text, as nothing else records what it was made from: it begins as
    generate_summary begins it, and a line generate_summary would now write for an agreement
    or a goal is not in it, or a line it has for an agreement of the plan ('- what – who – …')
    is not the one it would now write (an agreement ended, changed or moved to someone else
    since). Lines the referent added are not looked at, and a summary written by hand never
    is; a made line the referent changed or deleted counts as out of date (Ctrl+G asks before
    it replaces an edited summary)."""
    lines = [line.rstrip() for line in meeting.summary.splitlines()]
    if not lines or lines[0] != _title(meeting):
        return False
    new, carried, goals = _plan_lines(plan, standing_plan(plan, meeting), meeting)
    now = {*new, *carried, *goals}
    if not now.issubset(lines):
        return True
    starts = tuple(f"- {one_line(a.what)} – " for a in plan.agreements if one_line(a.what))
    return any(line.startswith(starts) and line not in now for line in lines)
