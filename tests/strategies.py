"""Hypothesis strategies for valid random Plans full of hostile text.

Every plan `plans()` draws passes `Plan.validate()` and survives `to_dict`, so property tests
(JSON, bundles, minutes, the vault, screens) can feed it anywhere a real plan goes. Its text is
built to break renderers: Textual/Rich markup, Markdown, HTML, terminal escapes, control and
bidi characters, emoji. Datetimes have whole seconds, as the plain form stores them.

    from tests.strategies import plans, hostile_text
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from kiptui.model import (
    CITIZEN_ID,
    AgendaItem,
    Agreement,
    AgreementStatus,
    Approval,
    ApprovalChannel,
    ApprovalDecision,
    ApprovalSetting,
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    Citizen,
    Consent,
    Contact,
    CoordinatorTerm,
    Deviation,
    Goal,
    Invitation,
    LifeArea,
    Meeting,
    MeetingStatus,
    MeetingWishes,
    NextMeeting,
    Plan,
    RoundEntry,
    Sector,
    StatusChange,
)

#: Strings that have broken (or would break) a renderer somewhere.
HOSTILE_SAMPLES: tuple[str, ...] = (
    "[@click=app.quit]x[/]",
    "[b]fed[/b] [link=https://evil.example]klik[/link]",
    "[TODO] ring til Lone",
    "[/]",
    "# Overskrift\n\n- punkt\n> citat",
    "**fed** _kursiv_ `kode` [link](http://evil.example) ![billede](x.png)",
    "| a | b |\n|---|---|",
    "1. nummer\n---",
    "<script>alert('x')</script>",
    "<b onmouseover=alert(1)>fed</b> &amp; &lt;",
    "\x1b[31mrød\x1b[0m\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
    "\x1b[2J\x1b[H",
    "nul\x00byte og klokke\x07 og backspace\x08",
    "\r\nlinje\rreturn\ttab\x0b\x0c",
    "\u202egnp.exe\u202c og \u2066isoleret\u2069 \u200e\u200f",
    "\u200b\u200d\ufeff\u00ad",
    "👩‍⚕️🧑🏽‍🦯🇩🇰 🍺🌿",
    "Søren Ærø Øster-Åby",
    "\\[escaped\\] \\\\ `` ``",
    "${name} {0} %s {{}}",
    "",
    " ",
)

_IDS = st.text("0123456789abcdef", min_size=16, max_size=16)


def hostile_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text from everywhere: the samples, any Unicode (no lone surrogates: they cannot be
    stored as UTF-8 at all), and mixtures of both."""
    anything = st.text(max_size=max_size)
    controls = st.text(
        st.characters(codec="utf-8", categories=("Cc", "Cf", "Zl", "Zp", "Mn")), max_size=8
    )
    return st.one_of(
        st.sampled_from(HOSTILE_SAMPLES),
        anything,
        st.lists(st.one_of(st.sampled_from(HOSTILE_SAMPLES), anything, controls), max_size=4).map(
            "".join
        ),
    )


def datetimes() -> st.SearchStrategy[datetime]:
    """Naive local times with whole seconds, the precision of the plain form."""
    return st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )


def dates() -> st.SearchStrategy[date]:
    return st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _one_of(*choices: str | tuple[str, ...]) -> st.SearchStrategy[str]:
    """sampled_from over a tuple: hashable arguments let hypothesis reuse the strategy."""
    flat: tuple[str, ...] = ()
    for c in choices:
        flat += (c,) if isinstance(c, str) else c
    return st.sampled_from(flat)


# Built once and shared: a strategy constructed inside every draw costs hypothesis a validation.
_TEXT = hostile_text()
_KEY_TEXT = hostile_text(12)
_OPT_DATETIME = _opt(datetimes())
_OPT_DATE = _opt(dates())
_LIFE_AREAS = tuple(a.value for a in LifeArea)


def contacts() -> st.SearchStrategy[Contact]:
    return st.builds(
        Contact,
        id=_IDS,
        name=_TEXT,
        sector=st.sampled_from(Sector),
        organisation=_TEXT,
        role=_TEXT,
        email=_TEXT,
        phone=_TEXT,
    )


_LIFE_AREA_TEXTS = st.dictionaries(st.sampled_from(_LIFE_AREAS), _TEXT, max_size=3)
_KEYED_TEXTS = st.dictionaries(_KEY_TEXT, _TEXT, max_size=3)


def _approval(version: int, meeting_ids: tuple[str, ...]) -> st.SearchStrategy[Approval]:
    return st.builds(
        Approval,
        decision=st.sampled_from(ApprovalDecision),
        at=_OPT_DATETIME,
        setting=st.sampled_from(ApprovalSetting),
        channel=st.sampled_from(ApprovalChannel),
        by=_TEXT,
        citizen_words=_TEXT,
        plan_version=st.integers(1, version),
        meeting_id=_one_of("", meeting_ids),
        part_comments=_KEYED_TEXTS,
        coordinator_notified=st.booleans(),
    )


_ATTENDANCE_DETAILS = st.fixed_dictionaries(
    {
        "status": st.sampled_from(AttendanceStatus),
        "mode": st.sampled_from(AttendanceMode),
        "part": _TEXT,
        "written_input": _TEXT,
        "details_confirmed": st.booleans(),
    }
)
_AGENDA_ITEM = st.builds(
    AgendaItem,
    id=_IDS,
    key=_one_of("", "welcome", "situation_round", "own_item_2"),
    title=_TEXT,
    planned_minutes=st.integers(0, 1440),
    started_at=_OPT_DATETIME,
    ended_at=_OPT_DATETIME,
    notes=_TEXT,
    private=st.booleans(),
)
_INVITATION = st.builds(
    Invitation, purpose=_TEXT, reason=_TEXT, current_situation=_TEXT, bring_other_plans=_TEXT
)
_NEXT_MEETING = st.builds(NextMeeting, on=_OPT_DATETIME, place=_TEXT, reason_beyond_limit=_TEXT)


@st.composite
def meetings(
    draw: st.DrawFn,
    participant_ids: tuple[str, ...],
    professional_ids: tuple[str, ...],
    version: int,
) -> Meeting:
    """A meeting obeying the meeting's rules: chair ≠ referent, the citizen opens the round when
    present, a professional coordinator. `participant_ids` starts with CITIZEN_ID."""
    chair = draw(_one_of("", participant_ids))
    referent = draw(_one_of("", tuple(p for p in participant_ids if p != chair)))
    attending = draw(st.lists(st.sampled_from(participant_ids), unique=True, max_size=6))
    speakers = draw(st.lists(st.sampled_from(participant_ids), unique=True, max_size=5))
    agenda = draw(st.lists(_AGENDA_ITEM, max_size=4, unique_by=lambda i: i.id))
    m = Meeting(
        id=draw(_IDS),
        starts_at=draw(_OPT_DATETIME),
        place=draw(_TEXT),
        video_link=draw(_TEXT),
        invitation=draw(_INVITATION),
        chair=chair,
        referent=referent,
        attendance=[Attendance(contact_id=cid, **draw(_ATTENDANCE_DETAILS)) for cid in attending],
        agenda=agenda,
        current_item=draw(_one_of("", tuple(i.id for i in agenda))),
        situation_round=[
            RoundEntry(contact_id=cid, text=draw(_TEXT), life_areas=draw(_LIFE_AREA_TEXTS))
            for cid in speakers
        ],
        next_meeting=draw(_NEXT_MEETING),
        coordinator=draw(_one_of("", professional_ids)),
        summary=draw(_TEXT),
        approval=draw(_opt(_approval(version, ()))) if version > 0 else None,
        review_afterwards=draw(st.booleans()),
        review_comments=draw(_KEYED_TEXTS),
        status=draw(st.sampled_from(MeetingStatus)),
        closed_at=draw(_OPT_DATETIME),
        closed_version=draw(st.integers(0, version)),
    )
    if m.citizen_present:
        # the round opens with the citizen, as build_round would have made it
        citizen = next(
            (e for e in m.situation_round if e.contact_id == CITIZEN_ID),
            RoundEntry(contact_id=CITIZEN_ID),
        )
        m.situation_round = [citizen, *(e for e in m.situation_round if e.contact_id != CITIZEN_ID)]
    m.current_speaker = draw(_one_of("", tuple(e.contact_id for e in m.situation_round)))
    return m


@st.composite
def plans(draw: st.DrawFn, max_contacts: int = 5, max_meetings: int = 2) -> Plan:
    """A valid Plan: every reference resolves, every invariant holds, all text hostile."""
    version = draw(st.integers(0, 50))
    network = draw(st.lists(contacts(), max_size=max_contacts, unique_by=lambda c: c.id))
    participant_ids = (CITIZEN_ID, *(c.id for c in network))
    professional_ids = tuple(c.id for c in network if c.is_professional)
    meeting_list = draw(
        st.lists(
            meetings(participant_ids, professional_ids, version),
            max_size=max_meetings,
            unique_by=lambda m: m.id,
        )
    )
    meeting_ids = tuple(m.id for m in meeting_list)
    goal_list = draw(
        st.lists(
            st.builds(
                Goal,
                id=_IDS,
                text=_TEXT,
                life_area=_one_of("", _LIFE_AREAS),
                meeting_id=_one_of("", meeting_ids),
                created_at=_OPT_DATETIME,
            ),
            max_size=3,
            unique_by=lambda g: g.id,
        )
    )
    history = st.lists(
        st.builds(
            StatusChange,
            at=datetimes(),
            status=st.sampled_from(AgreementStatus),
            note=_TEXT,
            meeting_id=_one_of("", meeting_ids),
        ),
        max_size=3,
    )
    agreement_list = draw(
        st.lists(
            st.builds(
                Agreement,
                id=_IDS,
                what=_TEXT,
                responsible=st.sampled_from(participant_ids),
                deadline=_OPT_DATE,
                status=st.sampled_from(AgreementStatus),
                meeting_id=_one_of("", meeting_ids),
                goal_id=_one_of("", tuple(g.id for g in goal_list)),
                history=history,
            ),
            max_size=4,
            unique_by=lambda a: a.id,
        )
    )
    deviation_list = draw(
        st.lists(
            st.builds(
                Deviation,
                id=_IDS,
                agreement_id=_one_of("", tuple(a.id for a in agreement_list)),
                reported_on=_OPT_DATE,
                reported_by=_one_of("", participant_ids),
                what_happened=_TEXT,
                informed=st.lists(st.sampled_from(participant_ids), max_size=3),
                informed_on=_OPT_DATE,
                closed=st.booleans(),
            ),
            max_size=2,
        )
    )
    terms: list[CoordinatorTerm] = []
    if professional_ids:
        starts = sorted(draw(st.lists(dates(), max_size=3)))
        for n, start in enumerate(starts):
            current = n == len(starts) - 1
            terms.append(
                CoordinatorTerm(
                    contact_id=draw(st.sampled_from(professional_ids)),
                    from_date=start,
                    to_date=None if current else start + timedelta(days=draw(st.integers(0, 400))),
                    meeting_id=draw(_one_of("", meeting_ids)),
                )
            )
    approvals = draw(st.lists(_approval(version, meeting_ids), max_size=2)) if version > 0 else []
    return Plan(
        id=draw(_IDS),
        version=version,
        created_at=draw(_OPT_DATETIME),
        updated_at=draw(_OPT_DATETIME),
        citizen=draw(_CITIZEN),
        consent=draw(
            st.builds(
                Consent,
                given=st.booleans(),
                given_on=_OPT_DATE,
                how=_TEXT,
                scope_contacts=st.lists(st.sampled_from(participant_ids), max_size=3, unique=True),
                scope_organisations=st.lists(_TEXT, max_size=2),
                withdrawn_on=_OPT_DATE,
                note=_TEXT,
            )
        ),
        wishes=draw(_WISHES),
        contacts=network,
        meetings=meeting_list,
        goals=goal_list,
        agreements=agreement_list,
        deviations=deviation_list,
        coordinators=terms,
        approvals=approvals,
    )


_CITIZEN = st.builds(
    Citizen,
    name=_TEXT,
    cpr=_TEXT,
    address=_TEXT,
    phone=_TEXT,
    email=_TEXT,
    general_practitioner=_TEXT,
    notes=_TEXT,
)
_WISHES = st.builds(
    MeetingWishes,
    feel_safe=_TEXT,
    how_much_to_say=_TEXT,
    breaks=_TEXT,
    part_of_meeting=_TEXT,
    virtual=st.booleans(),
    other=_TEXT,
)
