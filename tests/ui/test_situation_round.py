"""The situation round: the citizen speaks first, nobody can be moved before the citizen, every
word typed reaches the encrypted plan, one key gives the floor to the next speaker, life-area
headings, and names and notes shown literally."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from kiptui.i18n import t
from kiptui.model import CITIZEN_ID, AttendanceStatus, Contact, Plan, Sector
from screens.situation_round import LifeAreaPicker, RoundNote, SituationRoundPane, SpeakerCard
from tests.ui.harness import SIZE, by_name, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = ["[@click=app.quit]x[/]", "[TODO] ring", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eomvendt"]


def plan_with_present(*first_names: str, citizen: bool = True) -> Plan:
    """The sample plan with these people present; the citizen marked present LAST in the
    attendance list, so the speaking order really comes from the rule, not from the list."""
    plan = sample_plan()
    m = plan.meetings[-1]
    for name in first_names:
        m.attendance_for(by_name(plan, name)).status = AttendanceStatus.PRESENT
    if citizen:
        m.attendance.sort(key=lambda a: a.contact_id == CITIZEN_ID)
        m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    return plan


def card(pane: SituationRoundPane, contact_id: str) -> SpeakerCard:
    return pane._cards[contact_id]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_round_starts_with_the_citizen_and_every_word_is_saved(tmp_path):
    plan = plan_with_present("Lone", "Anders")
    app, plan, vault = make_app(tmp_path, plan)
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    assert plan.meetings[-1].present_ids()[-1] == CITIZEN_ID  # last in the attendance list
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        assert [e.contact_id for e in pane.meeting.situation_round] == [CITIZEN_ID, lone, anders]
        pane.focus_first()
        await pilot.press(*"Jeg sover dårligt", "enter", *"og vil gerne have hjælp")
        await pilot.press("tab")
        await pilot.press(*"Boligsagen er i gang")
        stored = await saved_plan(app, vault, plan.id)
        text = screen_text(app)
    round_ = stored.meetings[-1].situation_round
    assert [e.contact_id for e in round_] == [CITIZEN_ID, lone, anders]
    assert round_[0].text == "Jeg sover dårligt\nog vil gerne have hjælp"
    assert round_[1].text == "Boligsagen er i gang"
    assert "1. Mikkel Sørensen" in text and "2. Lone Hansen" in text and "3. Anders Holm" in text


async def test_nobody_can_be_moved_before_the_citizen_and_the_reason_is_shown(tmp_path):
    plan = plan_with_present("Lone", "Anders")
    app, plan, vault = make_app(tmp_path, plan)
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        card(pane, lone).main_note().focus()
        await pilot.press("alt+up")
        await pilot.pause()
        assert [e.contact_id for e in pane.meeting.situation_round] == [CITIZEN_ID, lone, anders]
        assert t("round_citizen_first") in notices(app)
        await pilot.press("alt+down")  # Lone after Anders is fine
        await pilot.pause()
        assert app.focused is card(pane, lone).main_note()  # still typing for the same person
        speakers = [w for w in pane.query_one("#round-speakers").children if isinstance(w, SpeakerCard)]
        assert [c.contact_id for c in speakers] == [CITIZEN_ID, anders, lone]
        stored = await saved_plan(app, vault, plan.id)
    assert [e.contact_id for e in stored.meetings[-1].situation_round] == [CITIZEN_ID, anders, lone]


async def test_next_speaker_key_marks_the_turn_and_moves_the_cursor(tmp_path):
    plan = plan_with_present("Lone", "Anders")
    app, plan, vault = make_app(tmp_path, plan)
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        pane.focus_first()
        await pilot.press("ctrl+n")
        assert pane.meeting.current_speaker == CITIZEN_ID
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert pane.meeting.current_speaker == lone
        assert app.focused is card(pane, lone).main_note()
        assert card(pane, lone).has_class("-current")
        assert card(pane, anders).has_class("-next")
        assert not card(pane, CITIZEN_ID).has_class("-current")
        status = screen_text(app)
        assert "Har ordet: Lone Hansen" in status
        assert "Næste: Anders Holm" in status
        stored = await saved_plan(app, vault, plan.id)
        assert stored.meetings[-1].current_speaker == lone
        # give the floor back to the citizen from the citizen's field
        card(pane, CITIZEN_ID).main_note().focus()
        await pilot.press("ctrl+o")
        assert pane.meeting.current_speaker == CITIZEN_ID
        # after the last speaker nobody has the floor and the round is over
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert pane.meeting.current_speaker == ""
        assert t("round.round_done") in notices(app)


async def test_nobody_present_points_to_participants(tmp_path):
    app, plan, vault = make_app(tmp_path, sample_plan())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        assert pane.query_one("#round-empty", Static).display
        assert not pane._cards
        assert "Deltagere (F4)" in screen_text(app)
        # attendance recorded in another pane: the round follows on refresh, citizen first
        pane.meeting.attendance_for(by_name(plan, "Karim")).status = AttendanceStatus.PRESENT
        pane.meeting.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
        pane.refresh_from_plan()
        await pilot.pause()
        assert not pane.query_one("#round-empty", Static).display
        assert [e.contact_id for e in pane.meeting.situation_round] == [CITIZEN_ID, by_name(plan, "Karim")]
        stored = await saved_plan(app, vault, plan.id)
    assert [e.contact_id for e in stored.meetings[-1].situation_round] == [CITIZEN_ID, by_name(plan, "Karim")]


async def test_words_stay_when_a_speaker_is_unmarked_by_mistake(tmp_path):
    plan = plan_with_present("Lone")
    app, plan, vault = make_app(tmp_path, plan)
    lone = by_name(plan, "Lone")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        card(pane, lone).main_note().focus()
        await pilot.press(*"Har søgt boligstøtte")
        card(pane, CITIZEN_ID).main_note().focus()
        pane.meeting.attendance_for(lone).status = AttendanceStatus.ABSENT
        pane.refresh_from_plan()
        await pilot.pause()
        assert card(pane, lone).has_class("-absent")
        stored = await saved_plan(app, vault, plan.id)
    entries = {e.contact_id: e for e in stored.meetings[-1].situation_round}
    assert entries[lone].text == "Har søgt boligstøtte"


async def test_life_area_heading_is_added_and_saved(tmp_path):
    plan = plan_with_present("Lone")
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        pane.focus_first()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, LifeAreaPicker)
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(2).id == "housing"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, RoundNote) and focused.area == "housing"
        await pilot.press(*"Bor hos sin mor")
        assert "Bolig" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].situation_round[0].life_areas == {"housing": "Bor hos sin mor"}


async def test_slash_line_in_a_speakers_note_becomes_an_agreement(tmp_path):
    plan = plan_with_present("Lone")
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        card(pane, by_name(plan, "Lone")).main_note().focus()
        await pilot.press(*"/aftale Ringe til udlejer @Lone 01.12.2026", "enter")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    (agreement,) = stored.agreements
    assert agreement.what == "Ringe til udlejer"
    assert agreement.responsible == by_name(plan, "Lone")
    entry = stored.meetings[-1].situation_round[1]
    assert entry.text.startswith(t("slash.receipt_agreement", text="Ringe til udlejer"))


async def test_hostile_names_and_notes_are_shown_literally(tmp_path):
    plan = sample_plan()
    plan.citizen.name = HOSTILE[0]
    m = plan.meetings[-1]
    for n, text in enumerate(HOSTILE[1:]):
        contact = plan.add_contact(Contact(name=text, sector=Sector.REGION, role=HOSTILE[0]))
        m.attendance_for(contact.id).status = AttendanceStatus.PRESENT
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    m.situation_round[0].text = "\n".join(HOSTILE)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        pane.focus_first()
        await pilot.press("ctrl+n", "end", *" [b]fed[/b]")
        await pilot.pause()
        text = screen_text(app)
        assert app.is_running and app.return_code is None
        stored = await saved_plan(app, vault, plan.id)
    assert "1. [@click=app.quit]x[/]" in text
    assert "[TODO] ring" in text and "[/b]" in text and "rød" in text and "omvendt" in text
    assert "\x1b" not in text and "\u202e" not in text
    assert "Har ordet: [@click=app.quit]x[/]" in text
    assert stored.meetings[-1].situation_round[0].text.endswith("omvendt [b]fed[/b]")


async def test_a_long_role_ends_before_the_next_badge(tmp_path):
    """Found by a review: "…Distriktspsykiatrien Næstved Næste": the badge ran on from a long
    role, as if part of it. The role now ends in "…", with room before the badge."""
    plan = plan_with_present("Lone", "Anders")
    anders = by_name(plan, "Anders")
    plan.contact(anders).role = "Kontaktperson, sygeplejerske, Psykiatrien Region Sjælland, Distriktspsykiatrien Næstved"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(100, 36)) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        pane.focus_first()
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        assert card(pane, anders).has_class("-next")
        head = card(pane, anders)
        name = head.query_one(".speaker-name", Static)
        badge = head.query_one(".badge-next", Static)
        shown = name.render_line(0).text
        assert shown.rstrip().endswith("…"), shown
        assert badge.region.x - name.region.right >= 2  # room between the role and the badge


async def test_after_the_last_speaker_the_round_is_said_to_be_over(tmp_path):
    """Found by a review: after the last speaker, the line said "Ingen har ordet endnu"
    (nobody has had the floor yet) as if the round had not begun."""
    plan = plan_with_present("Lone")
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        pane.focus_first()
        assert "Ingen har ordet endnu" in screen_text(app)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # the citizen, Lone, past the last
        await pilot.pause()
        assert pane.meeting.current_speaker == ""
        shown = screen_text(app)
        assert "Runden er slut" in shown and "Ingen har ordet endnu" not in shown
        await pilot.press("ctrl+n")  # again from the top
        await pilot.pause()
        assert pane.meeting.current_speaker == CITIZEN_ID and "Runden er slut" not in screen_text(app)


async def test_words_typed_right_after_ctrl_n_go_to_the_next_speaker(tmp_path):
    """Found by a review at 80x24: Ctrl+N and the next speaker's first words in one burst
    (a fast referent, a slow laptop) glued the words onto the previous speaker's note; the
    header said the next speaker had the floor, and that card stayed empty."""
    from tests.ui.test_note_area import _burst

    plan = plan_with_present("Lone", "Anders")
    app, plan, vault = make_app(tmp_path, plan)
    lone = by_name(plan, "Lone")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, SituationRoundPane, "round")
        await pilot.pause()
        pane.focus_first()
        await pilot.press("ctrl+n", *"Jeg har det godt.")
        await pilot.pause()
        _burst(app, ["ctrl+n", *"Lone: boligen er på plads", "backspace", "backspace", "backspace",
                     "backspace", "backspace", *"klar", "ctrl+n", *"Anders: intet nyt"])
        await pilot.pause()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    round_ = {e.contact_id: e.text for e in stored.meetings[-1].situation_round}
    assert round_[CITIZEN_ID] == "Jeg har det godt."
    assert round_[lone] == "Lone: boligen er på klar"
    assert round_[by_name(plan, "Anders")] == "Anders: intet nyt"
