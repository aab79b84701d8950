"""Tests for kiptui.minutes: the minutes and the invitation are well-formed Markdown whose
structure no user text can change, the HTML page is self-contained, exports are 0600."""

from __future__ import annotations

import errno
import os
import re
import stat
import string
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kiptui.i18n import language, set_language, t
from kiptui.minutes import (
    default_meeting,
    render_html,
    render_invitation,
    render_markdown,
    write_plaintext,
)
from kiptui.model import (
    CITIZEN_ID,
    AgendaItem,
    Approval,
    ApprovalChannel,
    ApprovalDecision,
    ApprovalSetting,
    AttendanceMode,
    AttendanceStatus,
    Citizen,
    Consent,
    Contact,
    Invitation,
    Meeting,
    MeetingStatus,
    NextMeeting,
    Plan,
    PlanError,
    Sector,
    new_meeting,
)
from kiptui.resources import agenda_template, data_path, load_json, strings
from kiptui.textsafe import clean, one_line

MD = MarkdownIt("js-default").enable("table")
NOW = datetime(2025, 4, 5, 9, 0)
CPR = "010190-1234"

# Token types user text must never produce; the renderer itself uses none of them.
FORBIDDEN = {
    "html_block",
    "html_inline",
    "link_open",
    "image",
    "code_block",
    "fence",
    "code_inline",
    "em_open",
    "s_open",
    "hr",
    "ordered_list_open",
}

HOSTILE_LINES = [
    "# Overskrift",
    "| a | b |",
    "<script>alert(1)</script>",
    "[link](http://x)",
    "![img](x)",
    "    indented code",
    "```",
    "~~~",
    "- list",
    "1. list",
    "2) list",
    "> quote",
    "---",
    "===",
    "+ plus",
    "\x1b[31mred\x1b]52;c;SGVsbG8=\x07 after",
    "\u202eevil",
    "*bold* **strong**",
    "_x_ __y__",
    "back\\slash \\",
    "<http://auto.link> www.example.com",
    "&amp; &#x41; &copy;",
    "~~strike~~",
    "`code`",
    "tab\there\r",
    "[ref]: http://x",
    "trailing backslash\\",
]
HOSTILE = "\n".join(HOSTILE_LINES)


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language("da")


# --------------------------------------------------------------------------- token helpers


def parse(markdown: str) -> list[Token]:
    return MD.parse(markdown)


def walk(tokens: list[Token]) -> Iterator[Token]:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from walk(tok.children)


def inline_text(tok: Token) -> str:
    out = []
    for child in tok.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def text_content(tokens: list[Token]) -> str:
    return "\n".join(inline_text(tok) for tok in tokens if tok.type == "inline")


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    found = []
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open":
            assert tok.markup.startswith("#"), "a setext heading came from somewhere"
            found.append((int(tok.tag[1]), inline_text(tokens[n + 1])))
    return found


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table as rows of cell texts (the header row first)."""
    result: list[list[list[str]]] = []
    row: list[str] = []
    for n, tok in enumerate(tokens):
        if tok.type == "table_open":
            result.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append(inline_text(tokens[n + 1]))
        elif tok.type == "tr_close":
            result[-1].append(row)
    return result


def strong_texts(tokens: list[Token]) -> list[str]:
    texts = []
    for tok in tokens:
        if tok.type != "inline":
            continue
        children = tok.children or []
        for n, child in enumerate(children):
            if child.type == "strong_open":
                inner = []
                for c in children[n + 1 :]:
                    if c.type == "strong_close":
                        break
                    inner.append(c.content)
                texts.append("".join(inner))
    return texts


def labels() -> set[str]:
    """Every translated string in the current language, with and without a colon."""
    lang = language()
    values = {entry.get(lang, "") for entry in strings().values()}
    return values | {v + ":" for v in values}


def assert_safe(markdown: str) -> list[Token]:
    tokens = parse(markdown)
    used = {tok.type for tok in walk(tokens)}
    assert not used & FORBIDDEN, used & FORBIDDEN
    for forbidden in ("\x1b", "\x07", "\u202e", "\r", "\t"):
        assert forbidden not in markdown
    # bold is only ever a label of ours, never user text
    known = labels()
    for text in strong_texts(tokens):
        assert text in known, text
    return tokens


def inline_form(text: str) -> str:
    return one_line(text)


def block_form(text: str) -> str:
    """What a multi-line field looks like as content: non-blank lines, spaces collapsed."""
    return "\n".join(" ".join(line.split()) for line in clean(text).split("\n") if line.strip())


def tagged(tag: str) -> str:
    return f"{HOSTILE} ¤{tag}"


# --------------------------------------------------------------------------- plans


def base_plan() -> tuple[Plan, Meeting, dict[str, Contact]]:
    plan = Plan(version=4, citizen=Citizen(name="Mads Jensen", cpr=CPR))
    plan.consent = Consent(given=True, given_on=date(2025, 1, 2))
    people = {
        "lene": plan.add_contact(
            Contact(
                name="Lene Holm",
                sector=Sector.REGION,
                organisation="Psykiatrien Roskilde",
                role="Kontaktperson",
                email="lene@example.dk",
                phone="12345678",
            )
        ),
        "per": plan.add_contact(
            Contact(
                name="Per Bo",
                sector=Sector.MUNICIPALITY,
                organisation="Jobcenter Køge",
                role="Sagsbehandler",
                email="per@example.dk",
            )
        ),
        "anna": plan.add_contact(Contact(name="Anna Jensen", sector=Sector.RELATIVE, role="Mor")),
        "gp": plan.add_contact(
            Contact(name="Karen Hansen", sector=Sector.GENERAL_PRACTICE, organisation="Lægehuset")
        ),
    }
    m = new_meeting(plan, agenda_template(), datetime(2025, 3, 12, 10, 0))
    m.place = "Mødelokale 2"
    m.set_chair(people["lene"].id)
    m.set_referent(people["per"].id)
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.attendance_for(people["lene"].id).status = AttendanceStatus.PRESENT
    per = m.attendance_for(people["per"].id)
    per.status = AttendanceStatus.PRESENT
    per.mode = AttendanceMode.VIRTUAL
    per.part = "første time"
    anna = m.attendance_for(people["anna"].id)
    anna.status = AttendanceStatus.APOLOGIES
    anna.written_input = "Jeg er bekymret.\nHan sover dårligt."
    m.attendance_for(people["gp"].id).status = AttendanceStatus.ABSENT
    m.start_item(m.agenda[0].id, datetime(2025, 3, 12, 10, 2))
    m.start_item(m.agenda[1].id, datetime(2025, 3, 12, 10, 9))
    m.stop_current_item(datetime(2025, 3, 12, 10, 15))
    m.agenda[1].notes = "Mads vil gerne have pauser."
    m.agenda[1].private = True
    m.build_round()
    m.round_entry(CITIZEN_ID).text = "Det går op og ned."
    m.round_entry(CITIZEN_ID).life_areas["housing"] = "Bor hos sin mor."
    m.round_entry(people["lene"].id).text = "Medicinen virker."
    plan.add_goal("Egen bolig inden sommer", m.id, datetime(2025, 3, 12, 10, 30), "housing")
    plan.add_agreement(
        "Søge om bolig", people["per"].id, date(2025, 4, 1), m.id, datetime(2025, 3, 12, 10, 40)
    )
    plan.add_agreement(
        "Ringe til lægen", CITIZEN_ID, date(2025, 5, 1), m.id, datetime(2025, 3, 12, 10, 41)
    )
    m.coordinator = people["lene"].id
    m.next_meeting = NextMeeting(on=datetime(2025, 6, 2, 13, 0), place="Jobcentret")
    m.summary = "Vi har aftalt to ting.\n\nMads ringer selv."
    plan.record_approval(
        Approval(
            decision=ApprovalDecision.APPROVED_WITH_REMARKS,
            at=datetime(2025, 3, 12, 11, 20),
            by=people["lene"].id,
            citizen_words="Det er fint,\nmen jeg vil ikke flytte langt væk.",
        ),
        m,
    )
    m.status = MeetingStatus.CLOSED
    m.closed_at = datetime(2025, 3, 12, 11, 25)
    m.closed_version = 4
    return plan, m, people


def hostile_plan() -> tuple[Plan, Meeting, dict[str, Contact]]:
    """Hostile text in every text field the minutes or the invitation show."""
    plan, m, people = base_plan()
    plan.citizen.name = tagged("citizen")
    plan.citizen.cpr = tagged("cpr")
    for key, c in people.items():
        c.name = tagged(f"name-{key}")
        c.organisation = tagged(f"org-{key}")
        c.role = tagged(f"role-{key}")
        c.email = tagged(f"email-{key}")
        c.phone = tagged(f"phone-{key}")
    m.place = tagged("place")
    m.video_link = tagged("video")
    m.attendance_for(people["per"].id).part = tagged("part")
    m.attendance_for(people["anna"].id).written_input = tagged("written")
    m.agenda.append(AgendaItem(title=tagged("own-item"), notes=tagged("own-notes"), private=True))
    m.agenda[1].notes = tagged("notes")
    m.round_entry(CITIZEN_ID).text = tagged("round-citizen")
    m.round_entry(CITIZEN_ID).life_areas["housing"] = tagged("area")
    m.round_entry(people["lene"].id).text = tagged("round-lene")
    plan.goals[0].text = tagged("goal")
    plan.agreements[0].what = tagged("what")
    m.next_meeting.place = tagged("next-place")
    m.next_meeting.reason_beyond_limit = tagged("reason")
    m.summary = tagged("summary")
    assert m.approval is not None
    m.approval.by = tagged("by")
    m.approval.citizen_words = tagged("words")
    m.approval.part_comments = {tagged("part-key"): tagged("part-comment")}
    m.invitation = Invitation(
        purpose=tagged("purpose"),
        reason=tagged("inv-reason"),
        current_situation=tagged("situation"),
        bring_other_plans=tagged("bring"),
    )
    return plan, m, people


# --------------------------------------------------------------------------- structure


def test_minutes_headings_and_tables() -> None:
    plan, m, _ = base_plan()
    md = render_markdown(plan, now=NOW)
    tokens = assert_safe(md)
    assert headings(tokens) == [
        (1, "Referat af koordinationsmøde"),
        (2, "Deltagere"),
        (3, "Skriftlige bidrag"),
        (4, "Anna Jensen"),
        (2, "Dagsorden"),
        (3, "Noter til dagsordenen"),
        (4, "2. Rammen for mødet og borgers ønsker"),
        (2, "Situationsrunde"),
        (3, "Mads Jensen (borger)"),
        (3, "Lene Holm (Psykiatrien Roskilde)"),
        (2, "Mål"),
        (2, "Aftaler"),
        (2, "Koordinator"),
        (2, "Næste møde"),
        (2, "Opsummering"),
        (2, "Godkendelse"),
        (3, "Borgers egne ord"),
        (2, "Udsendelse"),
    ]
    participants, agenda, agreements, distribution = tables(tokens)
    assert participants[0] == ["Navn", "Organisation og rolle", "Fremmøde", "Deltagelse"]
    assert [row[:3] for row in participants[1:]] == [
        ["Mads Jensen", "Borger", "Til stede"],
        ["Lene Holm", "Psykiatrien Roskilde, Kontaktperson", "Til stede"],
        ["Per Bo", "Jobcenter Køge, Sagsbehandler", "Til stede"],
        ["Anna Jensen", "Pårørende, Mor", "Afbud"],
        ["Karen Hansen", "Lægehuset", "Fraværende"],
    ]
    assert participants[3][3] == "Virtuelt, deltog i: første time"
    assert len(agenda) == 1 + len(m.agenda) and all(len(r) == 4 for r in agenda)
    assert agenda[1] == ["1", "Velkomst og præsentationsrunde", "5 min.", "10:02–10:09 (7 min.)"]
    private_title = "Rammen for mødet og borgers ønsker (privat, vises ikke på projektoren)"
    assert agenda[2][1] == private_title
    assert agreements == [
        ["Hvad", "Ansvarlig", "Frist", "Status"],
        ["Søge om bolig", "Per Bo (Jobcenter Køge)", "01.04.2025",
         "Aftalt, fristen er overskredet"],
        ["Ringe til lægen", "Mads Jensen (borger)", "01.05.2025", "Aftalt"],
    ]
    # every contact person gets the plan, also those who were absent
    assert [row[0] for row in distribution[1:]] == [
        "Lene Holm", "Per Bo", "Anna Jensen", "Karen Hansen"
    ]
    assert distribution[1][2] == "lene@example.dk"
    assert distribution[4][3] == "Fraværende"
    assert [tok.type for tok in tokens].count("blockquote_open") == 1
    text = text_content(tokens)
    assert "Det er fint,\nmen jeg vil ikke flytte langt væk." in text
    assert "Godkendt med bemærkninger" in text
    coordinator = (
        "Lene Holm (Psykiatrien Roskilde) er koordinator frem til næste koordinationsmøde."
    )
    assert coordinator in text
    assert "02.06.2025 kl. 13:00" in text
    assert "12.03.2025 kl. 10:00" in text
    assert "Vi har aftalt to ting.\nMads ringer selv." in text
    assert "Bolig: Bor hos sin mor." in text
    # not "Udskrevet …" (found by a review: in psychiatry "udskrevet" means discharged)
    assert "Referatet er dannet 05.04.2025 09:00 med kiptui." in text and "Udskrevet" not in text


def test_a_meeting_held_on_another_day_than_planned_is_dated_the_day_it_was_held() -> None:
    """The minutes are the record: a meeting moved without its planned date being changed
    is dated the day its first item began, with the planned time beside it."""
    plan, m, _ = base_plan()
    assert "Dato og tid:** 12.03.2025 kl. 10:00" in render_markdown(plan, now=NOW)  # held as planned
    for item in m.agenda:
        if item.started_at is not None:
            item.started_at = item.started_at.replace(day=14)
            if item.ended_at is not None:
                item.ended_at = item.ended_at.replace(day=14)
    md = render_markdown(plan, now=NOW)
    assert "Dato og tid:** 14.03.2025 kl. 10:02 (planlagt 12.03.2025 kl. 10:00)" in md
    m.starts_at = None
    md = render_markdown(plan, now=NOW)
    assert "Dato og tid:** 14.03.2025 kl. 10:02\n" in md and "planlagt" not in md


def test_private_note_is_included_and_marked() -> None:
    plan, _, _ = base_plan()
    tokens = parse(render_markdown(plan, now=NOW))
    inlines = [inline_text(tok) for tok in tokens if tok.type == "inline"]
    mark = inlines.index("Privat note, blev ikke vist på projektoren.")
    assert inlines[mark - 1] == "2. Rammen for mødet og borgers ønsker"
    assert inlines[mark + 1] == "Mads vil gerne have pauser."


def test_private_notes_can_be_left_out_of_a_copy() -> None:
    """For the plain minutes mailed to relatives too: the private note's words are not in
    the copy, a line says one was left out, and everything else is as before."""
    plan, _, _ = base_plan()
    full = render_markdown(plan, now=NOW)
    copy = render_markdown(plan, now=NOW, include_private=False)
    assert "Mads vil gerne have pauser." in full and "Mads vil gerne have pauser." not in copy
    inlines = [inline_text(tok) for tok in parse(copy) if tok.type == "inline"]
    mark = inlines.index("Privat note – ikke med i denne udgave af referatet.")
    assert inlines[mark - 1] == "2. Rammen for mødet og borgers ønsker"
    assert "Privat note, blev ikke vist på projektoren." not in copy
    assert copy.replace("*Privat note – ikke med i denne udgave af referatet.*", "") == \
        full.replace("**Privat note, blev ikke vist på projektoren.**\n\nMads vil gerne have pauser.", "")


def test_citizen_first_in_participants_and_round() -> None:
    plan, m, people = base_plan()
    m.attendance.sort(key=lambda a: a.contact_id == CITIZEN_ID)  # citizen last in the data
    m.situation_round.reverse()
    assert m.situation_round[0].contact_id != CITIZEN_ID
    tokens = parse(render_markdown(plan, m, now=NOW))
    assert tables(tokens)[0][1][0] == "Mads Jensen"
    level3 = [text for level, text in headings(tokens) if level == 3]
    assert level3.index("Mads Jensen (borger)") < level3.index("Lene Holm (Psykiatrien Roskilde)")


def test_cpr_only_in_header_of_full_minutes() -> None:
    plan, m, _ = base_plan()
    full = render_markdown(plan, now=NOW)
    full_text = text_content(parse(full))
    assert full_text.count(CPR) == 1
    header_end = full_text.index("Deltagere")
    assert full_text.index(CPR) < header_end
    assert CPR not in text_content(parse(render_markdown(plan, now=NOW, include_cpr=False)))
    assert "CPR" not in render_markdown(plan, now=NOW, include_cpr=False)
    assert CPR not in text_content(parse(render_invitation(plan, m)))


def test_default_meeting_is_latest_started_else_latest() -> None:
    plan, closed, _ = base_plan()
    planned = new_meeting(plan, agenda_template(), datetime(2025, 6, 2, 13, 0))
    assert default_meeting(plan) is closed
    closed.status = MeetingStatus.PLANNED
    assert default_meeting(plan) is planned
    planned.status = MeetingStatus.IN_PROGRESS
    closed.status = MeetingStatus.CLOSED
    assert default_meeting(plan) is planned
    with pytest.raises(PlanError) as err:
        default_meeting(Plan())
    assert err.value.code == "minutes.no_meeting"
    assert t(err.value.code) != err.value.code


def test_second_meeting_shows_earlier_agreements_and_hides_later_ones() -> None:
    plan, first, people = base_plan()
    second = new_meeting(plan, agenda_template(), datetime(2025, 6, 2, 13, 0))
    plan.add_agreement("Ny aftale", people["gp"].id, None, second.id, datetime(2025, 6, 2, 13, 30))
    tokens = parse(render_markdown(plan, second, now=NOW))
    heads = headings(tokens)
    assert (3, "Aftaler fra tidligere møder") in heads
    agreement_tables = [tb for tb in tables(tokens) if tb[0][0] == "Hvad"]
    assert [r[0] for r in agreement_tables[0][1:]] == ["Ny aftale"]
    assert [r[0] for r in agreement_tables[1][1:]] == ["Søge om bolig", "Ringe til lægen"]
    first_text = text_content(parse(render_markdown(plan, first, now=NOW)))
    assert "Ny aftale" not in first_text
    assert "Møde nr.: 2" in text_content(tokens)


def test_review_afterwards_when_citizen_was_absent() -> None:
    plan, m, _ = base_plan()
    m.approval = None
    plan.approvals.clear()
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.APOLOGIES
    m.situation_round = [e for e in m.situation_round if e.contact_id != CITIZEN_ID]
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    assert "Planen gennemgås med borger efter mødet, og borger godkender den derefter." in text
    m.status = MeetingStatus.IN_PROGRESS
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    assert "Borgers godkendelse er endnu ikke registreret." in text


def test_approval_afterwards_by_phone() -> None:
    plan, m, people = base_plan()
    m.approval = Approval(
        decision=ApprovalDecision.NOT_APPROVED,
        at=datetime(2025, 3, 14, 9, 30),
        setting=ApprovalSetting.AFTERWARDS,
        channel=ApprovalChannel.PHONE,
        by="Kim fra bostedet",
        citizen_words="Nej tak.",
        plan_version=3,
        coordinator_notified=True,
    )
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    for expected in (
        "Borgers beslutning: Ikke godkendt",
        "Tidspunkt: 14.03.2025 kl. 09:30",
        "Gennemgået: Efter mødet",
        "Form: Telefon",
        "Gennemgået med borger af: Kim fra bostedet",
        "Gennemgået planversion: 3",  # not approved: gone through, not approved
        "Koordinator orienteret: Ja",
        "Nej tak.",
    ):
        assert expected in text


def absent_citizen_plan() -> tuple[Plan, Meeting, dict[str, Contact]]:
    """base_plan's meeting held without the citizen: to be reviewed with the citizen afterwards."""
    plan, m, people = base_plan()
    m.approval = None
    plan.approvals.clear()
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.ABSENT
    m.review_afterwards = True
    return plan, m, people


def review_afterwards(plan: Plan, m: Meeting, **fields: object) -> Approval:
    """An approval recorded by the review with the citizen (F10), as screens/review.py does."""
    values: dict[str, object] = dict(
        decision=ApprovalDecision.NOT_APPROVED, at=datetime(2025, 3, 20, 14, 5),
        setting=ApprovalSetting.AFTERWARDS, channel=ApprovalChannel.PHONE, by="Karsten Friis",
        citizen_words="Jeg vil ikke flytte.\nDet skal stå i planen.",
        part_comments={"agreed": "Boligen er for langt væk"},
    )
    values.update(fields)
    return plan.record_approval(Approval(**values), m)  # type: ignore[arg-type]


def approval_section(markdown: str) -> str:
    return markdown[markdown.index("## Godkendelse"):markdown.index("## Udsendelse")]


def closed_then_reviewed(tmp_path: Path, passphrase: str = "korrekt hest batteri klips") -> tuple[Any, Plan, Meeting]:
    """A vault whose plan's meeting was held without the citizen and closed (Ctrl+F on F7,
    its version frozen), then reviewed with the citizen a week later (F10: not approved, by
    phone, with Karsten Friis), and edited once more after that."""
    from kiptui.vault import Vault

    plan, m, _ = absent_citizen_plan()
    m.status, m.closed_at, m.closed_version = MeetingStatus.IN_PROGRESS, None, 0
    vault = Vault.create(tmp_path / "vault", passphrase)
    vault.add_plan(plan, datetime(2025, 3, 12, 9, 0))
    handle = vault.open_plan(plan.id)
    try:
        meeting = handle.plan.meeting(m.id)
        assert meeting is not None
        meeting.status, meeting.closed_at = MeetingStatus.CLOSED, datetime(2025, 3, 12, 11, 25)
        handle.freeze(meeting.id)
        assert handle.save(datetime(2025, 3, 12, 11, 25))
        review_afterwards(handle.plan, meeting)
        meeting.summary = "Rettet efter mødet."  # a later edit: never in the frozen minutes
        assert handle.save(datetime(2025, 3, 20, 14, 6))
    finally:
        handle.close()
    return vault, plan, m


def test_an_approval_recorded_after_closing_reaches_the_frozen_minutes(tmp_path: Path) -> None:
    """Found by a review (a blocker): the citizen was not at the meeting; afterwards the review
    (F10) recorded "Ikke godkendt" with the citizen's own words, by phone, with Karsten Friis.
    Every set of minutes still said "Planen gennemgås med borger efter mødet, og borger
    godkender den derefter.": a closed meeting's minutes are rendered from the version frozen
    at closing. They still are, but with the approvals recorded after the closing, marked so,
    under what the meeting decided; the bundle's minutes (rendered from the plan as it is) say
    the same."""
    import json

    from kiptui.bundle import bundle_payload

    vault, plan, m = closed_then_reviewed(tmp_path)
    now_plan = vault.load_plan(plan.id)
    frozen = vault.frozen_plan(plan.id, m.id)
    assert frozen is not None
    fm = frozen.meeting(m.id)
    assert fm is not None and fm.approval is None and fm.review_afterwards

    md = render_markdown(frozen, fm, now=NOW, as_of=fm.closed_at, current=now_plan)
    tokens = assert_safe(md)
    assert "Rettet efter mødet." not in md and "Vi har aftalt to ting." in md  # still the frozen record
    heads = headings(tokens)
    approval = heads[heads.index((2, "Godkendelse")):heads.index((2, "Udsendelse"))]
    assert approval == [
        (2, "Godkendelse"),
        (3, "Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med Karsten Friis"),
        (4, "Borgers egne ord"),
        (4, "Borgers bemærkninger til planens dele"),
        (5, "Det aftalte"),
    ]
    section = text_content(parse(approval_section(md)))
    assert section.splitlines() == [
        "Godkendelse",
        # what the meeting decided stays, as history
        "Ved mødets afslutning: Planen skulle gennemgås med borger efter mødet, og borger skulle godkende den derefter.",
        "Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med Karsten Friis",
        "Borgers beslutning: Ikke godkendt",
        f"Gennemgået planversion: {fm.closed_version}",
        "Koordinator orienteret: Nej",
        "Borgers egne ord",
        "Jeg vil ikke flytte.",
        "Det skal stå i planen.",
        "Borgers bemærkninger til planens dele",
        "Det aftalte",
        "Boligen er for langt væk",
    ]
    assert "Planen gennemgås med borger efter mødet, og borger godkender den derefter." not in md

    # the bundle's minutes (from the plan as it is now) have the same approval section
    document = json.loads(bundle_payload(now_plan))
    assert approval_section(document["minutes_markdown"]) == approval_section(md)
    assert "Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med Karsten Friis</h3>" in document["minutes_html"]


def test_a_review_after_an_approval_at_the_meeting_keeps_both_in_order() -> None:
    """The citizen approved at the meeting; a review afterwards (the citizen changed their
    mind) is added below it, marked. Two reviews: both, oldest first. An approval at the meeting
    that names the closed version itself (the demo plan) is not one recorded afterwards."""
    plan, m, _ = base_plan()  # approved at the meeting, closed as version 4
    plan.version = 6
    review_afterwards(plan, m, decision=ApprovalDecision.APPROVED_WITH_REMARKS, channel=ApprovalChannel.VIDEO,
                      by="", part_comments={}, at=datetime(2025, 3, 14, 9, 0))
    review_afterwards(plan, m, at=datetime(2025, 3, 20, 14, 5), citizen_words="Nej alligevel.", part_comments={})
    tokens = assert_safe(render_markdown(plan, m, now=NOW))
    heads = headings(tokens)
    assert heads[heads.index((2, "Godkendelse")):heads.index((2, "Udsendelse"))] == [
        (2, "Godkendelse"),
        (3, "Borgers egne ord"),  # at the meeting, as it was
        (3, "Registreret efter mødet, 14.03.2025 kl. 09:00, video"),
        (4, "Borgers egne ord"),
        (3, "Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med Karsten Friis – gældende svar"),
        (4, "Borgers egne ord"),
    ]
    text = text_content(tokens)
    # which answer counts is said (a review read three answers and could not tell)
    assert "Borger har svaret mere end én gang. Det seneste svar, nederst, er det, der gælder." in text
    assert text.count("gældende svar") == 1
    assert "Borgers beslutning: Godkendt med bemærkninger\nTidspunkt: 12.03.2025 kl. 11:20" in text
    assert "men jeg vil ikke flytte langt væk." in text and text.index("Nej alligevel.") > text.index("video")

    demo = load_plan_from_demo()
    first = demo.meetings[0]
    assert first.approval is not None and first.approval.plan_version == first.closed_version
    section = approval_section(render_markdown(demo, first, now=NOW))
    assert "Registreret efter mødet" not in section and "Jeg kan genkende det hele." in section


def load_plan_from_demo() -> Plan:
    from kiptui.planjson import load_plan_file

    return load_plan_file(data_path("demo-plan.json"))


def test_hostile_text_in_an_approval_recorded_afterwards_stays_text() -> None:
    plan, m, _ = absent_citizen_plan()
    plan.version = 5
    review_afterwards(plan, m, by=tagged("by"), citizen_words=tagged("words"),
                      part_comments={tagged("part-key"): tagged("part-comment")})
    tokens = assert_safe(render_markdown(plan, m, now=NOW))
    heads = headings(tokens)
    by = inline_form(tagged("by"))
    assert heads[heads.index((2, "Godkendelse")):heads.index((2, "Udsendelse"))] == [
        (2, "Godkendelse"),
        (3, f"Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med {by}"),
        (4, "Borgers egne ord"),
        (4, "Borgers bemærkninger til planens dele"),
        (5, inline_form(tagged("part-key"))),
    ]
    types = [tok.type for tok in tokens]
    assert types.count("blockquote_open") == 2
    text = text_content(tokens)
    for tag in ("words", "part-comment"):
        assert block_form(tagged(tag)) in text, tag
    page = render_html(render_markdown(plan, m, now=NOW), "t").lower()
    assert "<script" not in page and "<a " not in page and "<img" not in page


def test_an_approval_recorded_afterwards_in_english() -> None:
    plan, m, _ = absent_citizen_plan()
    plan.version = 5
    review_afterwards(plan, m)
    set_language("en")
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    assert "When the meeting closed: the plan was to be reviewed with the citizen after the meeting" in text
    assert "Recorded after the meeting, 20.03.2025 at 14:05, phone, with Karsten Friis" in text
    assert "Plan version reviewed: 5" in text


def test_consent_notes_in_distribution() -> None:
    plan, m, people = base_plan()
    plan.consent = Consent()
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    assert "Borgers samtykke er ikke registreret." in text
    plan.consent = Consent(given=True, scope_contacts=[people["lene"].id, people["per"].id])
    text = text_content(parse(render_markdown(plan, m, now=NOW)))
    assert "Borgers samtykke er ikke registreret." not in text
    assert "omfatter ikke Anna Jensen, Karen Hansen (Lægehuset)." in text


def test_invitation_structure() -> None:
    plan, m, _ = base_plan()
    m.invitation.reason = "Mads får hjælp fra både psykiatrien og kommunen."
    m.invitation.current_situation = "Mads bor hos sin mor.\nHan har svært ved at sove."
    m.video_link = "https://video.example.dk/rum/42"
    tokens = assert_safe(render_invitation(plan, m))
    assert headings(tokens) == [
        (1, "Invitation til koordinationsmøde"),
        (2, "Formål"),
        (2, "Baggrund for invitationen"),
        (2, "Borgers aktuelle situation"),
        (2, "Viden fra borgers andre planer"),
        (2, "Tid og sted"),
        (2, "Dagsorden"),
        (2, "Inviterede"),
    ]
    agenda, invited = tables(tokens)
    assert agenda[0] == ["Nr.", "Punkt", "Minutter"]
    assert agenda[1:] == [
        [str(n), item["title"], str(item["minutes"])]
        for n, item in enumerate(agenda_template(), start=1)
    ]
    assert [row[0] for row in invited[1:]] == [
        "Mads Jensen", "Lene Holm", "Per Bo", "Anna Jensen", "Karen Hansen"
    ]
    text = text_content(tokens)
    total = sum(item["minutes"] for item in agenda_template())
    assert f"12.03.2025 kl. 10:00–11:{total - 60:02d}" in text
    assert "Videolink: https://video.example.dk/rum/42" in text
    assert "Medbring gerne viden fra borgers andre aktuelle planer." in text
    assert "Han har svært ved at sove." in text
    assert "Venlig hilsen Lene Holm (Psykiatrien Roskilde)" in text


# --------------------------------------------------------------------------- hostile text

INLINE_TAGS = [
    "citizen", "cpr", "place", "video", "part", "what", "next-place", "reason", "by",
    "goal", "own-item", "part-key",
] + [f"{f}-{k}" for f in ("name", "org", "role", "email") for k in ("lene", "per", "anna", "gp")]
BLOCK_TAGS = [
    "written", "notes", "own-notes", "round-citizen", "round-lene", "area", "summary",
    "words", "part-comment",
]


def test_hostile_minutes_structure_is_unchanged() -> None:
    plan, m, people = hostile_plan()
    md = render_markdown(plan, now=NOW)
    tokens = assert_safe(md)
    name = {k: inline_form(tagged(f"name-{k}")) for k in people}
    org = {k: inline_form(tagged(f"org-{k}")) for k in people}
    citizen = inline_form(tagged("citizen"))
    assert headings(tokens) == [
        (1, "Referat af koordinationsmøde"),
        (2, "Deltagere"),
        (3, "Skriftlige bidrag"),
        (4, f"{name['anna']} ({org['anna']})"),
        (2, "Dagsorden"),
        (3, "Noter til dagsordenen"),
        (4, "2. Rammen for mødet og borgers ønsker"),
        (4, f"10. {inline_form(tagged('own-item'))}"),
        (2, "Situationsrunde"),
        (3, f"{citizen} (borger)"),
        (3, f"{name['lene']} ({org['lene']})"),
        (2, "Mål"),
        (2, "Aftaler"),
        (2, "Koordinator"),
        (2, "Næste møde"),
        (2, "Opsummering"),
        (2, "Godkendelse"),
        (3, "Borgers egne ord"),
        (3, "Borgers bemærkninger til planens dele"),
        (4, inline_form(tagged("part-key"))),
        (2, "Udsendelse"),
    ]
    shapes = [(len(tb), {len(row) for row in tb}) for tb in tables(tokens)]
    assert shapes == [(6, {4}), (11, {4}), (3, {4}), (5, {4})]
    types = [tok.type for tok in tokens]
    assert types.count("blockquote_open") == 2  # the citizen's words and remarks, nothing else
    # header, goals, coordinator, next meeting, approval
    assert types.count("bullet_list_open") == 5
    assert types.count("list_item_open") == 10 + 1 + 2 + 3 + 6

    text = text_content(tokens)
    for tag in INLINE_TAGS:
        assert inline_form(tagged(tag)) in text, tag
    for tag in BLOCK_TAGS:
        assert block_form(tagged(tag)) in text, tag
    # the literal hostile strings survive as text (control characters removed)
    for literal in ("<script>alert(1)</script>", "[link](http://x)", "![img](x)", "# Overskrift",
                    "| a | b |", "*bold* **strong**", "_x_ __y__", "back\\slash \\", "red after",
                    "&amp; &#x41; &copy;", "`code`", "1. list", "> quote", "evil"):
        assert literal in text, literal


def test_hostile_invitation_structure_is_unchanged() -> None:
    plan, m, people = hostile_plan()
    tokens = assert_safe(render_invitation(plan, m))
    assert [h for h in headings(tokens)] == [
        (1, "Invitation til koordinationsmøde"),
        (2, "Formål"),
        (2, "Baggrund for invitationen"),
        (2, "Borgers aktuelle situation"),
        (2, "Viden fra borgers andre planer"),
        (2, "Tid og sted"),
        (2, "Dagsorden"),
        (2, "Inviterede"),
    ]
    agenda, invited = tables(tokens)
    assert len(agenda) == 1 + len(m.agenda) and {len(r) for r in agenda} == {3}
    assert len(invited) == 1 + 1 + len(people) and {len(r) for r in invited} == {2}
    text = text_content(tokens)
    for tag in ("purpose", "inv-reason", "situation", "bring"):
        assert block_form(tagged(tag)) in text, tag
    for tag in ("citizen", "place", "video", "own-item", "name-gp", "org-gp", "role-gp"):
        assert inline_form(tagged(tag)) in text, tag
    assert "¤cpr" not in text


def test_hostile_html_is_escaped_and_self_contained() -> None:
    plan, _, _ = hostile_plan()
    page = render_html(render_markdown(plan, now=NOW), title="<script>alert('t')</script>")
    lowered = page.lower()
    assert "<script" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;</title>" in page
    for external in ("<a ", "<img", "<link", "src=", "href=", "@import", "url(", "<iframe"):
        assert external not in lowered, external
    assert "\x1b" not in page and "\u202e" not in page


def test_html_escapes_raw_markup_given_directly() -> None:
    page = render_html(
        "<script>alert(1)</script>\n\nx <b onclick=\"y()\">b</b> ![i](http://x/i.png)"
        " [l](javascript:alert(1)) <http://x>\n",
        "t",
    )
    lowered = page.lower()
    assert "<script" not in lowered and "<b " not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for external in ("<a ", "<img", "src=", "href="):
        assert external not in lowered, external
    assert "http://x/i.png" in page


def test_html_page_is_a_full_printable_document() -> None:
    plan, _, _ = base_plan()
    page = render_html(render_markdown(plan, now=NOW), "Referat")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"da\">")
    assert '<meta charset="utf-8">' in page
    assert page.rstrip().endswith("</html>")
    assert "<title>Referat</title>" in page
    assert "@page { size: A4" in page
    assert re.search(r"tr, li, blockquote \{ break-inside: avoid; page-break-inside: avoid;", page)
    assert "page-break-after: avoid" in page
    assert re.search(r"th, td \{\s*border: 1px solid", page)
    assert page.count("<table>") == 4
    assert "<th>Hvad</th>" in page
    assert "<h1>Referat af koordinationsmøde</h1>" in page
    assert "<blockquote>" in page


# --------------------------------------------------------------------------- property test

_fields = st.text()


@settings(max_examples=200, deadline=None)
@given(
    name=_fields,
    organisation=_fields,
    what=_fields,
    summary=_fields,
    words=_fields,
    round_text=_fields,
)
def test_random_text_never_changes_structure(
    name: str, organisation: str, what: str, summary: str, words: str, round_text: str
) -> None:
    plan, m, people = base_plan()
    plan.citizen.name = name
    people["lene"].organisation = organisation
    plan.agreements[0].what = what
    m.summary = summary
    assert m.approval is not None
    m.approval.citizen_words = words
    m.round_entry(people["lene"].id).text = round_text

    tokens = assert_safe(render_markdown(plan, now=NOW))
    citizen = one_line(name) or t("minutes.unknown_person")
    lene = f"Lene Holm ({one_line(organisation)})" if one_line(organisation) else "Lene Holm"
    expected = [
        (1, "Referat af koordinationsmøde"),
        (2, "Deltagere"),
        (3, "Skriftlige bidrag"),
        (4, "Anna Jensen"),
        (2, "Dagsorden"),
        (3, "Noter til dagsordenen"),
        (4, "2. Rammen for mødet og borgers ønsker"),
        (2, "Situationsrunde"),
        (3, f"{citizen} (borger)"),
    ]
    expected += [(3, lene)] if block_form(round_text) else []
    expected += [(2, h) for h in ("Mål", "Aftaler", "Koordinator", "Næste møde", "Opsummering")]
    expected += [(2, "Godkendelse")]
    expected += [(3, "Borgers egne ord")] if block_form(words) else []
    expected += [(2, "Udsendelse")]
    assert headings(tokens) == expected

    found = tables(tokens)
    shapes = [(len(tb), {len(r) for r in tb}) for tb in found]
    assert shapes == [(6, {4}), (10, {4}), (3, {4}), (5, {4})]
    participants, _, agreements, distribution = found
    assert participants[1][0] == citizen
    assert agreements[1][0] == (one_line(what) or "–")
    assert agreements[2][1] == f"{citizen} (borger)"
    lene_affiliation = ", ".join(p for p in (one_line(organisation), "Kontaktperson") if p)
    assert distribution[1][1] == lene_affiliation
    types = [tok.type for tok in tokens]
    assert types.count("blockquote_open") == (1 if block_form(words) else 0)

    text = text_content(tokens)
    assert (block_form(summary) or "Der er ikke skrevet en opsummering.") in text
    assert block_form(words) in text
    assert block_form(round_text) in text


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(string.punctuation + " \n\t#>-*_`|\\<&!")))
def test_punctuation_soup_round_trips_in_every_context(text: str) -> None:
    plan, m, people = base_plan()
    plan.citizen.name = text + "x"
    plan.agreements[0].what = text
    m.summary = text
    m.invitation.reason = text
    tokens = assert_safe(render_markdown(plan, now=NOW))
    assert tables(tokens)[2][1][0] == (one_line(text) or "–")
    assert tables(tokens)[0][1][0] == one_line(text + "x")
    assert (block_form(text) or "Der er ikke skrevet en opsummering.") in text_content(tokens)
    inv = assert_safe(render_invitation(plan, m))
    assert (block_form(text) or "Ikke udfyldt.") in text_content(inv)


# --------------------------------------------------------------------------- language


def test_english_minutes_and_invitation() -> None:
    plan, m, _ = base_plan()
    set_language("en")
    try:
        tokens = assert_safe(render_markdown(plan, now=NOW))
        heads = [text for level, text in headings(tokens) if level <= 2]
        assert heads == [
            "Minutes of the coordination meeting",
            "Participants",
            "Agenda",
            "Situation round",
            "Goals",
            "Agreements",
            "Coordinator",
            "Next meeting",
            "Summary",
            "Approval",
            "Distribution",
        ]
        assert tables(tokens)[2][0] == ["What", "Responsible", "Deadline", "Status"]
        text = text_content(tokens)
        assert "12.03.2025 at 10:00" in text
        assert "Welcome and introductions" in text
        assert "Mads Jensen (citizen)" in text
        inv = assert_safe(render_invitation(plan, m))
        assert headings(inv)[0] == (1, "Invitation to a coordination meeting")
        bring = "Please bring what you know from the citizen's other current plans."
        assert bring in text_content(inv)
        assert render_html("# x", "x").startswith('<!DOCTYPE html>\n<html lang="en">')
    finally:
        set_language("da")
    danish_title = (1, "Referat af koordinationsmøde")
    assert headings(parse(render_markdown(plan, now=NOW)))[0] == danish_title


def test_every_minutes_string_has_both_languages_with_the_same_fields() -> None:
    table = load_json("strings/minutes.json")
    assert "minutes.plaintext_warning" in table
    assert table["minutes.plaintext_warning"]["da"].startswith("Advarsel: filen er ukrypteret")
    field = re.compile(r"\{(\w+)\}")
    for key, entry in table.items():
        assert key.startswith("minutes."), key
        assert set(entry) == {"da", "en"}, key
        assert entry["da"].strip() and entry["en"].strip(), key
        assert sorted(field.findall(entry["da"])) == sorted(field.findall(entry["en"])), key
    for item in agenda_template():
        assert table[f"minutes.agenda_item.{item['key']}"]["da"] == item["title"]


def test_a_count_of_one_takes_the_singular_where_there_is_one() -> None:
    from kiptui.i18n import t

    assert t("agreements.deviations_open", count=1).startswith("⚠ 1 åben afvigelse ")
    assert t("agreements.deviations_open", count=2).startswith("⚠ 2 åbne afvigelser ")
    assert t("cli.verify_failed", count=1) == "1 problem fundet."
    assert t("cli.verify_failed", count=3) == "3 problemer fundet."
    assert t("minutes.agenda_total", n=1) == "Planlagt i alt: 1 min."  # no singular: unchanged
    table = strings()
    for key, entry in table.items():  # every singular has its plural, with no other fields
        if key.endswith(".one"):
            plural = table[key.removesuffix(".one")]
            for lang in ("da", "en"):
                assert set(re.findall(r"\{(\w+)\}", entry[lang])) <= set(re.findall(r"\{(\w+)\}", plural[lang]))


# --------------------------------------------------------------------------- files


def test_write_plaintext_creates_owner_only_file(tmp_path: Path) -> None:
    target = tmp_path / "referat.md"
    write_plaintext(target, "Æblegrød\n")
    assert target.read_text(encoding="utf-8") == "Æblegrød\n"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_write_plaintext_tightens_and_truncates_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "referat.html"
    target.write_text("old content that is much longer than the new one\n")
    target.chmod(0o644)
    write_plaintext(str(target), "ny")
    assert target.read_text(encoding="utf-8") == "ny"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


OLD_EXPORT = "tidligere eksport, som modtageren måske allerede har\n"


def folder_after_a_failed_write(folder: Path, target: Path, call: Any) -> list[str]:
    """Run `call` (a write that must fail with OSError); the names left in `folder`."""
    with pytest.raises(OSError) as caught:
        call()
    assert caught.value.errno == errno.ENOSPC
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.skipif(sys.platform != "linux", reason="the faults find their file in /proc/self/fd")
@pytest.mark.parametrize("op", ["write", "fsync", "replace"])
@pytest.mark.parametrize("existing", [True, False], ids=["over-a-file", "new-file"])
def test_a_failed_plaintext_write_leaves_no_partial_file_and_the_old_one_whole(
        tmp_path: Path, op: str, existing: bool) -> None:
    """Found by an IT-security review: write_plaintext wrote straight into the target, so a
    full disk left half an unencrypted file, and an existing export was emptied first. It now
    writes like the vault: a temp file, fsync, os.replace; a failure changes nothing."""
    from tests.reliability.faults import inject

    target = tmp_path / "referat.md"
    if existing:
        target.write_text(OLD_EXPORT, encoding="utf-8")
    with inject(op, errno.ENOSPC, target.name) as fault:
        left = folder_after_a_failed_write(tmp_path, target, lambda: write_plaintext(target, "Æ" * 100_000))
    assert fault.hits
    assert left == (["referat.md"] if existing else [])  # no temp file left behind
    if existing:
        assert target.read_text(encoding="utf-8") == OLD_EXPORT


def test_a_full_disk_at_fsync_does_not_empty_an_earlier_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same with the real os.fsync failing, whoever calls it."""
    target = tmp_path / "referat.html"
    target.write_text(OLD_EXPORT, encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    left = folder_after_a_failed_write(tmp_path, target, lambda: write_plaintext(target, "<p>ny</p>"))
    monkeypatch.undo()
    assert left == ["referat.html"] and target.read_text(encoding="utf-8") == OLD_EXPORT


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_plaintext_export_replaces_a_symbolic_link_and_never_writes_through_it(tmp_path: Path) -> None:
    """Found by the same review: a link at the target made the export write into the file
    the link points to (anywhere the user can write). The link itself is replaced now."""
    elsewhere = tmp_path / "andetsteds.txt"
    elsewhere.write_text(OLD_EXPORT, encoding="utf-8")
    elsewhere.chmod(0o644)
    link = tmp_path / "referat.md"
    link.symlink_to(elsewhere)
    write_plaintext(link, "referat\n")
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "referat\n"
    assert stat.S_IMODE(link.stat().st_mode) == 0o600
    assert elsewhere.read_text(encoding="utf-8") == OLD_EXPORT
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644


def test_before_replace_runs_with_the_text_on_disk_but_not_yet_at_its_name(tmp_path: Path) -> None:
    """The export's log entry goes there: a write that fails is never logged, and what fails
    to be logged never gets its name."""
    target = tmp_path / "referat.md"
    seen: list[list[str]] = []

    def log() -> None:
        assert not target.exists()
        [temp] = list(tmp_path.iterdir())
        assert temp.read_text(encoding="utf-8") == "referat\n"
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
        seen.append([temp.name])

    write_plaintext(target, "referat\n", before_replace=log)
    assert len(seen) == 1 and target.read_text(encoding="utf-8") == "referat\n"

    def log_fails() -> None:
        raise OSError(errno.ENOSPC, "log full")

    left = folder_after_a_failed_write(tmp_path, target, lambda: write_plaintext(target, "ny\n", before_replace=log_fails))
    assert left == ["referat.md"] and target.read_text(encoding="utf-8") == "referat\n"


# --------------------------------------------------------------------------- demo plan


def test_demo_plan_renders_safely() -> None:
    try:
        path = data_path("demo-plan.json")
    except FileNotFoundError:
        pytest.skip("no data folder")
    if not path.is_file():
        pytest.skip("data/demo-plan.json is not there yet")
    from kiptui.planjson import load_plan_file

    plan = load_plan_file(path)
    for meeting in plan.meetings:
        tokens = assert_safe(render_markdown(plan, meeting, now=NOW))
        assert headings(tokens)[0] == (1, "Referat af koordinationsmøde")
        assert_safe(render_invitation(plan, meeting))


def test_the_coordinator_carried_over_is_named_as_on_f7():
    """A review: F7's summary said "Koordinator indtil da: Karsten Friis – fortsætter" for the
    demo's second meeting (nobody chosen at it), while its minutes said no coordinator had
    been chosen. They name the same person."""
    from kiptui.planjson import load_plan_file
    from kiptui.summary import meeting_coordinator

    plan = load_plan_file(data_path("demo-plan.json"))
    meeting = plan.meetings[-1]
    assert not meeting.coordinator and plan.current_coordinator
    cid, carried_over = meeting_coordinator(plan, meeting)
    assert cid == plan.current_coordinator and carried_over
    text = render_markdown(plan, meeting)
    assert plan.contact(cid).name in text.split("## " + t("minutes.coordinator"))[1]
    assert t("minutes.coordinator_none") not in text
