"""The minutes (referat) and the invitation of a coordination meeting, as Markdown and as a
printable HTML page, plus the one way plaintext exports are written to disk (mode 0600).

All user text goes through kiptui.textsafe before it reaches the Markdown: it is content,
never structure. Every label is translated through kiptui.i18n (data/strings/minutes.json).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from markdown_it import MarkdownIt

from kiptui import crypto
from kiptui.i18n import enum_label, fmt_date, fmt_datetime, fmt_time, language, t
from kiptui.model import (
    CITIZEN_ID,
    AgendaItem,
    Agreement,
    AgreementOutcome,
    Approval,
    ApprovalDecision,
    ApprovalSetting,
    AttendanceMode,
    AttendanceStatus,
    Deviation,
    Invitation,
    LifeArea,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
    Sector,
)
from kiptui.resources import agenda_template
from kiptui.summary import current_goals, meeting_coordinator
from kiptui.textsafe import clean, md_block, md_inline, md_midline, one_line

__all__ = [
    "approvals_after_closing",
    "default_meeting",
    "render_html",
    "render_invitation",
    "render_markdown",
    "write_plaintext",
]

# The order in which attendance groups are listed (the citizen always comes first).
_STATUS_ORDER = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.APOLOGIES: 1,
    AttendanceStatus.ABSENT: 2,
    AttendanceStatus.UNKNOWN: 3,
}

_DASH = "–"


# --------------------------------------------------------------------------- small helpers


def _l(key: str, **params: object) -> str:
    """A translated string, escaped: labels are plain text too, so a translation can never
    turn into Markdown structure either (user values given as params included)."""
    return md_inline(t(key, **params))


def _field(key: str, value_md: str) -> str:
    """One `- **Label:** value` line; value_md must already be escaped."""
    return f"- **{_l(key)}:** {md_midline(value_md)}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; every cell must already be escaped (md_inline escapes `|`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_midline(cell) if cell else _DASH for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _quote(block_md: str) -> str:
    """Escaped Markdown paragraphs as a block quote (the citizen's own words)."""
    return "\n".join(f"> {line}" if line else ">" for line in block_md.split("\n"))


def _unknown() -> str:
    return t("minutes.unknown_person")


def _name(plan: Plan, contact_id: str) -> str:
    return one_line(plan.name_of(contact_id)) or _unknown()


def _who(plan: Plan, contact_id: str) -> str:
    """Name and organisation as plain text: "Name (Organisation)", "Name (borger)"."""
    if contact_id == CITIZEN_ID:
        return t("minutes.who_citizen", name=_name(plan, contact_id))
    contact = plan.contact(contact_id)
    if contact is None:
        return _unknown()
    organisation = one_line(contact.organisation)
    name = _name(plan, contact_id)
    return f"{name} ({organisation})" if organisation else name


def _affiliation(plan: Plan, contact_id: str) -> str:
    """Organisation and role (or "Borger", "Pårørende") as plain text."""
    if contact_id == CITIZEN_ID:
        return t("minutes.citizen_role")
    contact = plan.contact(contact_id)
    if contact is None:
        return ""
    parts = [enum_label(Sector.RELATIVE)] if contact.sector == Sector.RELATIVE else []
    parts += [p for p in (one_line(contact.organisation), one_line(contact.role)) if p]
    return ", ".join(parts)


def _when(at: datetime | None) -> str:
    if at is None:
        return t("minutes.not_set")
    return t("minutes.datetime", date=fmt_date(at), time=fmt_time(at))


def _held_when(meeting: Meeting) -> str:
    """The day the meeting was held: the planned time, or, when it was held on another day,
    that day with the planned time beside it (the record names the day it happened)."""
    held, planned = meeting.held_at(), meeting.starts_at
    if held is None or (planned is not None and held.date() == planned.date()):
        return _when(planned)
    if planned is None:
        return _when(held)
    return t("minutes.held_not_planned", held=_when(held), planned=_when(planned))


def _minutes_of(delta: timedelta) -> int:
    return max(0, round(delta.total_seconds() / 60))


def _item_title(item: AgendaItem) -> str:
    """The item's title; a standard item whose title is untouched is shown in the UI language."""
    template_titles = {entry.get("key", ""): entry.get("title", "") for entry in agenda_template()}
    if item.key and template_titles.get(item.key) == item.title:
        key = f"minutes.agenda_item.{item.key}"
        translated = t(key)
        if translated != key:
            return translated
    return one_line(item.title) or _DASH


def _life_area_label(key: str) -> str:
    label = enum_label(key)
    return one_line(key) if label == f"enum.{key}" else label


def _meeting_index(plan: Plan, meeting: Meeting) -> int | None:
    for number, m in enumerate(plan.meetings):
        if m is meeting or m.id == meeting.id:
            return number
    return None


def _text_or(text: str, empty_key: str) -> str:
    block = md_block(text)
    return block if block else _l(empty_key)


def default_meeting(plan: Plan) -> Meeting:
    """The meeting the minutes are about when none is named: the latest one that has started
    or is closed, else the latest one. A plan without meetings has no minutes."""
    started = [
        m for m in plan.meetings if m.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED)
    ]
    if started:
        return started[-1]
    latest = plan.latest_meeting()
    if latest is None:
        raise PlanError("minutes.no_meeting")
    return latest


# --------------------------------------------------------------------------- the minutes


def render_markdown(
    plan: Plan,
    meeting: Meeting | None = None,
    *,
    now: datetime | None = None,
    include_cpr: bool = True,
    as_of: datetime | None = None,
    current: Plan | None = None,
    include_private: bool = True,
) -> str:
    """The minutes of one meeting as Markdown, in the current i18n language.

    The CPR number appears only in the header, and only with `include_cpr`. Private agenda
    notes (hidden on the projector) are included, marked as private; without
    `include_private` each is replaced by a line saying it was left out of this copy. `now` decides which deadlines are overdue and the
    line saying when the minutes were made (default: the current local time); `as_of` (the closing time of a frozen
    meeting) decides overdue instead, so frozen minutes read as they did at closing.

    A closed meeting's minutes are rendered from `plan` as it was frozen when the meeting was
    closed (Vault.frozen_plan); `current` is then the plan as it is now. The one thing the
    frozen minutes take from it: the citizen's approvals recorded after the closing (the review
    with a citizen who was not there), shown in the approval section as recorded after the
    meeting, under what was decided at the meeting. Without `current` they are taken from
    `plan` itself (the plan as it is now rendered directly, as in a bundle).
    """
    if meeting is None:
        meeting = default_meeting(plan)
    now = now or datetime.now()
    later = approvals_after_closing(current if current is not None else plan, meeting)
    sections = [
        _header(plan, meeting, include_cpr),
        _participants(plan, meeting),
        _agenda(meeting, include_private),
        _situation_round(plan, meeting),
        _goals(plan, meeting),
        _agreements(plan, meeting, as_of or now),
        _deviations(plan, meeting),
        _coordinator(plan, meeting),
        _next_meeting(meeting),
        _summary(meeting),
        _approval(plan, meeting, later),
        _distribution(plan, meeting),
        _l("minutes.made_with", when=fmt_datetime(now)),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _place_lines(meeting: Meeting) -> list[str]:
    """Place and/or video link; "not stated" only when neither is known."""
    lines = []
    if one_line(meeting.place) or not one_line(meeting.video_link):
        place = md_inline(meeting.place) or _l("minutes.not_set")
        lines.append(_field("minutes.field.place", place))
    if one_line(meeting.video_link):
        lines.append(_field("minutes.field.video", md_inline(meeting.video_link)))
    return lines


def _summary(meeting: Meeting) -> str:
    return "\n\n".join(
        [f"## {_l('minutes.summary')}", _text_or(meeting.summary, "minutes.summary_none")]
    )


def _header(plan: Plan, meeting: Meeting, include_cpr: bool) -> str:
    citizen = md_inline(plan.citizen.name) or md_inline(_unknown())
    lines = [_field("minutes.field.citizen", citizen)]
    if include_cpr and one_line(plan.citizen.cpr):
        lines.append(_field("minutes.field.cpr", md_inline(plan.citizen.cpr)))
    index = _meeting_index(plan, meeting)
    if index is not None:
        lines.append(_field("minutes.field.meeting_no", str(index + 1)))
    lines.append(_field("minutes.field.date", md_inline(_held_when(meeting))))
    lines += _place_lines(meeting)
    for key, cid in (
        ("minutes.field.chair", meeting.chair),
        ("minutes.field.referent", meeting.referent),
    ):
        lines.append(_field(key, md_inline(_who(plan, cid)) if cid else _l("minutes.not_set")))
    status = enum_label(meeting.status)
    if meeting.status == MeetingStatus.CLOSED and meeting.closed_at:
        status = t("minutes.closed_at", status=status, when=fmt_datetime(meeting.closed_at))
    lines.append(_field("minutes.field.status", md_inline(status)))
    for reopening in meeting.reopenings:
        text = t("minutes.reopened_text", when=fmt_datetime(reopening.at),
                 by=one_line(reopening.by) or _unknown(), reason=one_line(reopening.reason))
        lines.append(_field("minutes.field.reopened", md_inline(text)))
    version = meeting.closed_version if meeting.closed_version > 0 else plan.version
    lines.append(_field("minutes.field.plan_version", str(version)))
    return "\n\n".join([f"# {_l('minutes.title')}", _l("minutes.confidential"), "\n".join(lines)])


def _participant_ids(plan: Plan, meeting: Meeting) -> list[str]:
    """Everyone with an attendance line or in the network, the citizen first, then by status."""
    ids = [a.contact_id for a in meeting.attendance]
    ids += [cid for cid in plan.participant_ids() if cid not in ids]
    status = {a.contact_id: a.status for a in meeting.attendance}
    return sorted(
        ids,
        key=lambda cid: (
            cid != CITIZEN_ID,
            _STATUS_ORDER.get(status.get(cid, AttendanceStatus.UNKNOWN), 3),
        ),
    )


def _participants(plan: Plan, meeting: Meeting) -> str:
    attendance = {a.contact_id: a for a in meeting.attendance}
    rows = []
    for cid in _participant_ids(plan, meeting):
        a = attendance.get(cid)
        status = a.status if a else AttendanceStatus.UNKNOWN
        participation = ""
        if a is not None and status == AttendanceStatus.PRESENT:
            virtual = a.mode == AttendanceMode.VIRTUAL
            participation = enum_label(
                AttendanceMode.VIRTUAL if virtual else AttendanceMode.IN_PERSON
            )
            if one_line(a.part):
                participation = t(
                    "minutes.part_of_meeting", mode=participation, part=one_line(a.part)
                )
        rows.append(
            [
                md_inline(_name(plan, cid)),
                md_inline(_affiliation(plan, cid)),
                md_inline(enum_label(status)),
                md_inline(participation),
            ]
        )
    header = [
        _l("minutes.col.name"),
        _l("minutes.col.affiliation"),
        _l("minutes.col.attendance"),
        _l("minutes.col.participation"),
    ]
    parts = [f"## {_l('minutes.participants')}", _table(header, rows)]
    inputs = [a for a in meeting.attendance if md_block(a.written_input)]
    if inputs:
        parts.append(f"### {_l('minutes.written_input')}")
        for a in inputs:
            parts.append(f"#### {md_midline(md_inline(_who(plan, a.contact_id)))}")
            parts.append(md_block(a.written_input))
    return "\n\n".join(parts)


def _actual(item: AgendaItem, meeting: Meeting) -> str:
    if item.started_at is None:
        return ""
    if item.ended_at is None:
        if meeting.status == MeetingStatus.CLOSED:
            return t("minutes.actual_open", start=fmt_time(item.started_at))
        return t("minutes.actual_running", start=fmt_time(item.started_at))
    return t(
        "minutes.actual_range",
        start=fmt_time(item.started_at),
        end=fmt_time(item.ended_at),
        minutes=_minutes_of(item.ended_at - item.started_at),
    )


def _agenda(meeting: Meeting, include_private: bool = True) -> str:
    rows = []
    for number, item in enumerate(meeting.agenda, start=1):
        title = _item_title(item)
        if item.private:
            title = t("minutes.private_item", title=title)
        rows.append(
            [
                str(number),
                md_inline(title),
                _l("minutes.minutes_short", n=item.planned_minutes),
                md_inline(_actual(item, meeting)),
            ]
        )
    parts = [f"## {_l('minutes.agenda')}"]
    if not rows:
        parts.append(_l("minutes.agenda_none"))
        return "\n\n".join(parts)
    header = [
        _l("minutes.col.no"),
        _l("minutes.col.item"),
        _l("minutes.col.planned"),
        _l("minutes.col.actual"),
    ]
    parts += [_table(header, rows), _l("minutes.agenda_total", n=meeting.planned_minutes())]
    noted = [(n, i) for n, i in enumerate(meeting.agenda, start=1) if md_block(i.notes)]
    if noted:
        parts.append(f"### {_l('minutes.agenda_notes')}")
        for number, item in noted:
            parts.append(f"#### {md_midline(md_inline(f'{number}. {_item_title(item)}'))}")
            if item.private and not include_private:
                parts.append(f"*{_l('minutes.private_note_left_out')}*")
                continue
            if item.private:
                parts.append(f"**{_l('minutes.private_note')}**")
            parts.append(md_block(item.notes))
    return "\n\n".join(parts)


def _situation_round(plan: Plan, meeting: Meeting) -> str:
    parts = [f"## {_l('minutes.round')}"]
    # the round starts with the citizen; keep the referent's order for everyone else
    entries = sorted(meeting.situation_round, key=lambda e: e.contact_id != CITIZEN_ID)
    written = False
    for entry in entries:
        text = md_block(entry.text)
        areas = [(k, md_block(v)) for k, v in _ordered_areas(entry.life_areas) if md_block(v)]
        if not text and not areas:
            continue
        written = True
        parts.append(f"### {md_midline(md_inline(_who(plan, entry.contact_id)))}")
        if text:
            parts.append(text)
        for key, block in areas:
            parts.append(f"**{md_inline(_life_area_label(key) + ':')}** {block}")
    if not written:
        parts.append(_l("minutes.round_none"))
    return "\n\n".join(parts)


def _ordered_areas(areas: dict[str, str]) -> list[tuple[str, str]]:
    known = [a.value for a in LifeArea]
    keys = [k for k in known if k in areas] + [k for k in areas if k not in known]
    return [(k, areas[k]) for k in keys]


def _goals(plan: Plan, meeting: Meeting) -> str:
    goals = current_goals(plan, meeting)
    parts = [f"## {_l('minutes.goals')}"]
    if not goals:
        parts.append(_l("minutes.goals_none"))
        return "\n\n".join(parts)
    lines = []
    for goal in goals:
        text = one_line(goal.text)
        if goal.life_area:
            text = t("minutes.goal_area", goal=text, area=_life_area_label(goal.life_area))
        lines.append(f"- {md_inline(text)}")
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _agreement_rows(plan: Plan, agreements: Iterable[Agreement], now: datetime) -> list[list[str]]:
    rows = []
    for a in agreements:
        status = enum_label(a.status)
        if a.overdue(now.date()):
            status = t("minutes.overdue", status=status)
        rows.append(
            [
                md_inline(a.what),
                md_inline(_who(plan, a.responsible)) if a.responsible else "",
                md_inline(fmt_date(a.deadline)),
                md_inline(status),
            ]
        )
    return rows


def _from_meeting(plan: Plan, meeting_id: str) -> str:
    m = plan.meeting(meeting_id)
    if m is None:
        return ""
    return t("minutes.from_meeting", number=plan.meetings.index(m) + 1, date=fmt_date(m.starts_at) or _DASH)


def _outcome(plan: Plan, a: Agreement, meeting: Meeting) -> str:
    """The follow-up meeting's decision about a carried-over agreement, with what it was
    before when it was changed."""
    entry = a.outcome_at(meeting.id)
    if entry is None or entry.outcome is None:
        return ""
    label = t(f"minutes.outcome.{entry.outcome.value}")
    if entry.outcome == AgreementOutcome.ENDED:
        return t("minutes.outcome_ended_as", outcome=label, status=enum_label(entry.status))
    if entry.outcome != AgreementOutcome.CHANGED:
        return label
    before = []
    if entry.previous_what and entry.previous_what != a.what:
        before.append(t("minutes.before_what", what=one_line(entry.previous_what)))
    if entry.previous_responsible and entry.previous_responsible != a.responsible:
        before.append(t("minutes.before_responsible", name=_who(plan, entry.previous_responsible)))
    if entry.previous_what and entry.previous_deadline != a.deadline:
        deadline = fmt_date(entry.previous_deadline) or t("minutes.no_deadline")
        before.append(t("minutes.before_deadline", date=deadline))
    return t("minutes.outcome_before", outcome=label, before="; ".join(before)) if before else label


def _agreements(plan: Plan, meeting: Meeting, now: datetime) -> str:
    made_here = [a for a in plan.agreements if a.meeting_id == meeting.id]
    earlier = plan.follow_up_agreements(meeting)
    header = [
        _l("minutes.col.what"),
        _l("minutes.col.responsible"),
        _l("minutes.col.deadline"),
        _l("minutes.col.status"),
    ]
    parts = [f"## {_l('minutes.agreements')}"]
    if made_here:
        parts.append(_table(header, _agreement_rows(plan, made_here, now)))
    else:
        parts.append(_l("minutes.agreements_none"))
    if earlier:
        # the follow-up item: each carried-over agreement with its origin and today's outcome
        parts.append(f"### {_l('minutes.agreements_earlier')}")
        rows = _agreement_rows(plan, earlier, now)
        for row, a in zip(rows, earlier):
            row += [md_inline(_from_meeting(plan, a.meeting_id)), md_inline(_outcome(plan, a, meeting))]
        header += [_l("minutes.col.from_meeting"), _l("minutes.col.outcome")]
        parts.append(_table(header, rows))
    return "\n\n".join(parts)


def _deviations_of(plan: Plan, meeting: Meeting) -> list[Deviation]:
    """The deviations this meeting's minutes report: those reported since the meeting before
    it (up to this meeting's day), and earlier ones that are still open."""
    index = _meeting_index(plan, meeting)
    before = plan.meetings[index - 1] if index else None
    since = before.starts_at.date() if before is not None and before.starts_at else None
    until = meeting.starts_at.date() if meeting.starts_at else None
    chosen = []
    for d in plan.deviations:
        day = d.reported_on
        if day is not None and until is not None and day > until:
            continue  # after this meeting: the next one's minutes report it
        if d.closed and day is not None and since is not None and day <= since:
            continue  # dealt with before the meeting before this one
        chosen.append(d)
    return sorted(chosen, key=lambda d: (d.reported_on is None, d.reported_on or date.min))


def _deviations(plan: Plan, meeting: Meeting) -> str:
    """Agreements that could not be kept, as reported to the coordinator, and whom the
    coordinator informed. Left out when there are none to report."""
    deviations = _deviations_of(plan, meeting)
    if not deviations:
        return ""
    header = [_l("deviations.col_reported_on"), _l("deviations.col_agreement"), _l("minutes.col.responsible"),
              _l("deviations.col_reported_by"), _l("deviations.col_what"), _l("deviations.col_informed"),
              _l("minutes.col.status")]
    rows = []
    for d in deviations:
        agreement = plan.agreement(d.agreement_id)
        informed = ", ".join(_who(plan, cid) for cid in d.informed)
        rows.append([
            md_inline(fmt_date(d.reported_on)),
            md_inline(agreement.what if agreement else t("deviations.unknown_agreement")),
            md_inline(_who(plan, agreement.responsible)) if agreement and agreement.responsible else "",
            md_inline(_who(plan, d.reported_by)) if d.reported_by else "",
            md_inline(d.what_happened),
            md_inline(t("deviations.informed_on", names=informed, date=fmt_date(d.informed_on) or _DASH))
            if d.informed else md_inline(t("minutes.deviation_not_informed")),
            md_inline(t("minutes.deviation_closed" if d.closed else "minutes.deviation_open")),
        ])
    return "\n\n".join([f"## {_l('minutes.deviations')}", _l("minutes.deviations_intro"), _table(header, rows)])


def _coordinator(plan: Plan, meeting: Meeting) -> str:
    parts = [f"## {_l('minutes.coordinator')}"]
    # the same person F7's summary and close check name (one carried over from before, too)
    cid, _carried_over = meeting_coordinator(plan, meeting)
    contact = plan.contact(cid) if cid else None
    if contact is None:
        parts.append(_l("minutes.coordinator_none"))
    else:
        parts.append(_l("minutes.coordinator_text", name=_who(plan, cid)))
        lines = []
        if one_line(contact.email):
            lines.append(_field("minutes.col.email", md_inline(contact.email)))
        if one_line(contact.phone):
            lines.append(_field("minutes.field.phone", md_inline(contact.phone)))
        if lines:
            parts.append("\n".join(lines))
    parts.append(_l("minutes.coordinator_deviations"))
    return "\n\n".join(parts)


def _next_meeting(meeting: Meeting) -> str:
    parts = [f"## {_l('minutes.next_meeting')}"]
    nxt = meeting.next_meeting
    if nxt.on is None:
        parts.append(_l("minutes.next_meeting_none"))
        return "\n\n".join(parts)
    lines = [_field("minutes.field.date", md_inline(_when(nxt.on)))]
    if one_line(nxt.place):
        lines.append(_field("minutes.field.place", md_inline(nxt.place)))
    if one_line(nxt.reason_beyond_limit):
        reason = md_inline(nxt.reason_beyond_limit)
        lines.append(_field("minutes.field.reason_beyond_limit", reason))
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _approvals(plan: Plan, meeting: Meeting) -> list[Approval]:
    """Every approval of this meeting, oldest first (the meeting's own last, should it be
    missing from the plan's list)."""
    found = [ap for ap in plan.approvals if ap.meeting_id == meeting.id]
    if meeting.approval is not None and meeting.approval not in found:
        found.append(meeting.approval)
    return found


def approvals_after_closing(plan: Plan, meeting: Meeting) -> list[Approval]:
    """The approvals of a closed meeting recorded after it was closed, oldest first, found in
    `plan` (the plan as it is now; `meeting` may be the frozen one). An approval names the plan
    version it approves, and closing a meeting makes version `closed_version`: a review with
    the citizen after the meeting that approves that version or a later one was recorded after
    the closing (nothing else can be: a closed meeting takes no approval at the meeting).
    Empty for a meeting that is not closed."""
    if meeting.status != MeetingStatus.CLOSED or meeting.closed_version <= 0:
        return []
    same = plan.meeting(meeting.id) or meeting
    return [ap for ap in _approvals(plan, same)
            if ap.setting == ApprovalSetting.AFTERWARDS and ap.plan_version >= meeting.closed_version]


def _approval_of(plan: Plan, meeting: Meeting) -> Approval | None:
    """The approval as it stood when the meeting was closed (now, for a meeting not closed)."""
    after = approvals_after_closing(plan, meeting)
    if after:
        before = [ap for ap in _approvals(plan, meeting) if ap not in after]
        return before[-1] if before else None
    if meeting.approval is not None:
        return meeting.approval
    return next((ap for ap in reversed(plan.approvals) if ap.meeting_id == meeting.id), None)


def _approved_by(plan: Plan, ap: Approval) -> str:
    by = ap.by
    if by and (by == CITIZEN_ID or plan.contact(by) is not None):
        by = _who(plan, by)
    return one_line(by)


def _version_field(ap: Approval) -> str:
    """The plan version the citizen went through: "approved", unless the answer was no."""
    key = "minutes.field.reviewed_version" if ap.decision == ApprovalDecision.NOT_APPROVED else "minutes.field.approved_version"
    return _field(key, str(ap.plan_version))


def _approval_words(plan: Plan, ap: Approval, level: str) -> list[str]:
    """The citizen's own words and remarks on the parts of the plan, as quotes under headings
    of `level` ("###"), the parts' headings one level below."""
    parts = []
    words = md_block(ap.citizen_words)
    if words:
        parts.append(f"{level} {_l('minutes.citizen_words')}")
        parts.append(_quote(words))
    comments = [(k, v) for k, v in ap.part_comments.items() if md_block(v)]
    if comments:
        parts.append(f"{level} {_l('minutes.part_comments')}")
        for key, text in comments:
            label_key = f"minutes.review_part.{key}"
            label = t(label_key)
            label = one_line(key) if label == label_key else label
            parts.append(f"{level}# {md_midline(md_inline(label)) or _DASH}")
            parts.append(_quote(md_block(text)))
    return parts


def _approval(plan: Plan, meeting: Meeting, later: list[Approval] | None = None) -> str:
    """What the citizen decided about the plan: as it stood when the meeting was closed, then
    each approval recorded after the closing (the review with a citizen who was not there),
    marked so: when, how and with whom, the decision and the citizen's own words."""
    parts = [f"## {_l('minutes.approval')}"]
    later = later or []
    ap = _approval_of(plan, meeting)
    several = len(later) + (ap is not None) > 1
    if several:  # which one counts is said, not left to be worked out from the dates
        parts.append(_l("minutes.approval_several"))
    if ap is None:
        afterwards = meeting.review_afterwards or (
            meeting.status == MeetingStatus.CLOSED and not meeting.citizen_present
        )
        if later:  # what the meeting decided, kept as history above what came of it
            key = "minutes.approval_afterwards_then" if afterwards else "minutes.approval_pending_then"
        else:
            key = "minutes.approval_afterwards" if afterwards else "minutes.approval_pending"
        parts.append(_l(key))
    else:
        lines = [
            _field("minutes.field.decision", md_inline(enum_label(ap.decision))),
            _field("minutes.field.approved_at", md_inline(_when(ap.at))),
            _field("minutes.field.setting", md_inline(enum_label(ap.setting))),
            _field("minutes.field.channel", md_inline(enum_label(ap.channel))),
            _field("minutes.field.approved_by", md_inline(_approved_by(plan, ap)) or _l("minutes.not_set")),
            _version_field(ap),
        ]
        if ap.setting == ApprovalSetting.AFTERWARDS:
            yes_no = "minutes.yes" if ap.coordinator_notified else "minutes.no"
            lines.append(_field("minutes.field.coordinator_notified", _l(yes_no)))
        parts.append("\n".join(lines))
        parts += _approval_words(plan, ap, "###")
    for n, after in enumerate(later, start=1):
        how = enum_label(after.channel).lower()
        by = _approved_by(plan, after)
        when = _when(after.at)
        mark = (t("minutes.approval_later", when=when, how=how, by=by) if by
                else t("minutes.approval_later_no_by", when=when, how=how))
        if several and n == len(later):
            mark = t("minutes.approval_counts", mark=mark)
        parts.append(f"### {md_midline(md_inline(mark))}")
        yes_no = "minutes.yes" if after.coordinator_notified else "minutes.no"
        parts.append("\n".join([
            _field("minutes.field.decision", md_inline(enum_label(after.decision))),
            _version_field(after),
            _field("minutes.field.coordinator_notified", _l(yes_no)),
        ]))
        parts += _approval_words(plan, after, "####")
    return "\n\n".join(parts)


def _distribution(plan: Plan, meeting: Meeting) -> str:
    parts = [f"## {_l('minutes.distribution')}", _l("minutes.distribution_intro")]
    attendance = {a.contact_id: a.status for a in meeting.attendance}
    if not plan.contacts:
        parts.append(_l("minutes.distribution_none"))
    else:
        header = [
            _l("minutes.col.name"),
            _l("minutes.col.affiliation"),
            _l("minutes.col.email"),
            _l("minutes.col.attendance"),
        ]
        rows = [
            [
                md_inline(_name(plan, c.id)),
                md_inline(_affiliation(plan, c.id)),
                md_inline(c.email),
                md_inline(enum_label(attendance.get(c.id, AttendanceStatus.UNKNOWN))),
            ]
            for c in plan.contacts
        ]
        parts.append(_table(header, rows))
    consent = plan.consent
    if not consent.active:
        parts.append(f"**{_l('minutes.note')}** {_l('minutes.consent_missing')}")
    elif consent.scope_contacts or consent.scope_organisations:
        outside = [_who(plan, c.id) for c in plan.contacts if not consent.covers(c)]
        if outside:
            text = _l("minutes.consent_not_covered", names=", ".join(outside))
            parts.append(f"**{_l('minutes.note')}** {text}")
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- the invitation


def _default_text(value: str, default: str, key: str) -> str:
    """The model's Danish default texts follow the UI language while nobody has edited them."""
    return t(key) if value == default else value


def render_invitation(plan: Plan, meeting: Meeting) -> str:
    """The invitation to a meeting as Markdown: purpose, reason, the citizen's situation, the
    request to bring knowledge from other plans, time and place, agenda, who is invited.
    Never the CPR number."""
    inv = meeting.invitation
    defaults = Invitation()
    purpose = _default_text(inv.purpose, defaults.purpose, "minutes.inv.default_purpose")
    bring = _default_text(
        inv.bring_other_plans, defaults.bring_other_plans, "minutes.inv.default_bring"
    )
    citizen = md_inline(plan.citizen.name) or md_inline(_unknown())
    parts = [
        f"# {_l('minutes.inv.title')}",
        _l("minutes.confidential"),
        _field("minutes.field.citizen", citizen),
        f"## {_l('minutes.inv.purpose')}",
        _text_or(purpose, "minutes.inv.not_written"),
        f"## {_l('minutes.inv.reason')}",
        _text_or(inv.reason, "minutes.inv.not_written"),
        f"## {_l('minutes.inv.situation')}",
        _text_or(inv.current_situation, "minutes.inv.not_written"),
        f"## {_l('minutes.inv.other_plans')}",
        _text_or(bring, "minutes.inv.not_written"),
        f"## {_l('minutes.inv.when_where')}",
    ]
    start = meeting.starts_at
    if start is None:
        when = t("minutes.not_set")
    else:
        end = start + timedelta(minutes=meeting.planned_minutes())
        when = t(
            "minutes.time_range", date=fmt_date(start), start=fmt_time(start), end=fmt_time(end)
        )
    lines = [_field("minutes.field.date", md_inline(when))]
    lines += _place_lines(meeting)
    if meeting.chair:
        lines.append(_field("minutes.field.chair", md_inline(_who(plan, meeting.chair))))
    parts.append("\n".join(lines))

    parts.append(f"## {_l('minutes.agenda')}")
    if meeting.agenda:
        rows = [
            [str(n), md_inline(_item_title(item)), str(item.planned_minutes)]
            for n, item in enumerate(meeting.agenda, start=1)
        ]
        header = [_l("minutes.col.no"), _l("minutes.col.item"), _l("minutes.inv.col.minutes")]
        parts += [_table(header, rows), _l("minutes.agenda_total", n=meeting.planned_minutes())]
    else:
        parts.append(_l("minutes.agenda_none"))

    parts.append(f"## {_l('minutes.inv.invited')}")
    invited = [a.contact_id for a in meeting.attendance] or plan.participant_ids()
    invited.sort(key=lambda cid: cid != CITIZEN_ID)
    rows = [
        [md_inline(_name(plan, cid)), md_inline(_affiliation(plan, cid))] for cid in invited
    ]
    parts.append(_table([_l("minutes.col.name"), _l("minutes.col.affiliation")], rows))
    if meeting.chair:
        parts.append(_l("minutes.inv.regards", name=_who(plan, meeting.chair)))
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- HTML and files

_PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { color: #111; background: #fff; }
body {
  font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
  font-size: 11pt; line-height: 1.45; max-width: 48em; margin: 2em auto; padding: 0 1em;
}
h1 { font-size: 19pt; margin: 0 0 .5em; }
h2 { font-size: 14pt; margin: 1.5em 0 .4em; padding-bottom: .1em; border-bottom: 1px solid #888; }
h3 { font-size: 12pt; margin: 1.2em 0 .3em; }
h4 { font-size: 11pt; margin: 1em 0 .2em; }
h1, h2, h3, h4 {
  break-after: avoid; page-break-after: avoid; break-inside: avoid; page-break-inside: avoid;
}
p { margin: .4em 0; orphans: 3; widows: 3; }
ul { margin: .4em 0; padding-left: 1.4em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td {
  border: 1px solid #555; padding: .25em .45em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere;
}
th { background: #e8e8e8; }
thead { display: table-header-group; }
tr, li, blockquote { break-inside: avoid; page-break-inside: avoid; }
blockquote { margin: .5em 0 .5em .5em; padding-left: .8em; border-left: 3px solid #888; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render_html(markdown_text: str, title: str) -> str:
    """One self-contained, printable HTML page: no scripts, no external resources.

    The Markdown is rendered with markdown-it's "js-default" preset (raw HTML is escaped,
    never passed through; no linkify), tables enabled. Links and images are switched off as
    well: the minutes never make any, so whatever Markdown comes in, the page cannot load
    anything from outside or send the reader anywhere.
    """
    md = MarkdownIt("js-default").enable("table").disable(["link", "image", "autolink"])
    body = md.render(clean(markdown_text))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language())}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(one_line(title))}</title>\n"
        f"<style>{_PRINT_CSS}</style>\n"
        "</head>\n"
        f"<body>\n{body}</body>\n"
        "</html>\n"
    )


def write_plaintext(path: str | os.PathLike[str], text: str, *,
                    before_replace: Callable[[], None] | None = None) -> None:
    """Write a plaintext export readable by its owner only (mode 0600), atomically and
    durably, as the vault writes its files (kiptui.crypto.atomic_write): a new 0600 temp file
    in the target's folder, written and fsynced, then put in the target's place. A write
    that fails (no such folder, no permission, a full disk) leaves no partial file and the
    old target as it was; a symbolic link at `path` is replaced, never written through.

    `before_replace` (the access log entry) runs when the text is safely on the disk and
    before it has its name: a failed write is never logged, and no plaintext gets its name
    unlogged. The caller tells the user that the file is unencrypted."""
    crypto.atomic_write(Path(path), text.encode("utf-8"), before_replace=before_replace)
