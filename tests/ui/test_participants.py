"""The participants pane: attendance keys, chair and referent (never the same person, only
professionals), contact details checked on the spot, written input from those away."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from kiptui.model import CITIZEN_ID, AttendanceMode, AttendanceStatus, Contact, Sector
from screens.participants import ContactDetailsModal, ParticipantsPane
from screens.widgets import NoteArea
from tests.ui.harness import SIZE, by_name, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = ["[@click=app.quit]x[/]", "[TODO] ring", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eomvendt"]


async def goto(pilot, pane: ParticipantsPane, contact_id: str) -> None:
    """Highlight a person's row as the referent would: with the arrow keys."""
    pane.table.focus()
    rows = [rk.value for rk in pane.table.rows]
    await pilot.press("home")
    pane.table.move_cursor(row=0)
    await pilot.press(*["down"] * rows.index(contact_id))
    assert pane.highlighted_id() == contact_id


async def test_attendance_keys_are_saved_and_build_the_round(tmp_path):
    app, plan, vault = make_app(tmp_path)
    lone, anders, mor, karim = (by_name(plan, n) for n in ("Lone", "Anders", "Birgitte", "Karim"))
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        pane.focus_first()
        assert pane.highlighted_id() == CITIZEN_ID  # the citizen is always first
        await pilot.press("t", "down", "t", "v", "down", "a", "down", "t", "down", "f", "k")
        await pilot.pause()
        assert "Til stede 3 (heraf virtuelt 1)" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    m = stored.meetings[0]
    assert m.attendance_for(CITIZEN_ID).status == AttendanceStatus.PRESENT
    assert m.attendance_for(lone).status == AttendanceStatus.PRESENT
    assert m.attendance_for(lone).mode == AttendanceMode.VIRTUAL
    assert m.attendance_for(anders).status == AttendanceStatus.APOLOGIES
    assert m.attendance_for(mor).status == AttendanceStatus.PRESENT
    assert m.attendance_for(karim).status == AttendanceStatus.ABSENT
    assert m.attendance_for(karim).details_confirmed is True
    assert m.attendance_for(mor).details_confirmed is False
    assert [e.contact_id for e in m.situation_round] == [CITIZEN_ID, lone, mor]


async def test_a_speaker_marked_away_keeps_the_words_already_written(tmp_path):
    plan = sample_plan()
    m = plan.meetings[0]
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    for cid in (lone, anders):
        m.attendance_for(cid).status = AttendanceStatus.PRESENT
    m.build_round()
    m.round_entry(lone).text = "Boligsagen er i gang"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        await goto(pilot, pane, lone)
        await pilot.press("f", "down", "a")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    m = stored.meetings[0]
    assert m.attendance_for(lone).status == AttendanceStatus.ABSENT
    assert m.attendance_for(anders).status == AttendanceStatus.APOLOGIES
    assert [(e.contact_id, e.text) for e in m.situation_round] == [(lone, "Boligsagen er i gang")]


async def test_chair_and_referent_by_keys_and_the_same_person_is_refused(tmp_path):
    app, plan, vault = make_app(tmp_path)
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        await goto(pilot, pane, lone)
        await pilot.press("ctrl+e")
        await pilot.press("ctrl+r")  # Lone is chair: refused
        await pilot.pause()
        error = str(pane.query_one("#participants-roles-error", Static).render())
        assert "Mødeleder og referent kan ikke være den samme person." in error
        assert pane.query_one("#participants-referent", Select).value is Select.NULL
        await pilot.press("down")  # the refusal was about Lone: it goes with her
        await pilot.pause()
        assert str(pane.query_one("#participants-roles-error", Static).render()) == ""
        await pilot.press("ctrl+r")  # Anders as referent
        await pilot.pause()
        assert str(pane.query_one("#participants-roles-error", Static).render()) == ""
        assert pane.query_one("#participants-chair", Select).value == lone
        assert pane.query_one("#participants-referent", Select).value == anders
        stored = await saved_plan(app, vault, plan.id)
    m = stored.meetings[0]
    assert (m.chair, m.referent) == (lone, anders)


async def test_choosing_the_chair_as_referent_in_the_select_is_refused_and_reverted(tmp_path):
    plan = sample_plan()
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    plan.meetings[0].set_chair(lone)
    plan.meetings[0].set_referent(anders)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        referent = pane.query_one("#participants-referent", Select)
        assert referent.value == anders
        referent.value = lone  # as if chosen in the list
        await pilot.pause()
        assert referent.value == anders  # the previous choice is kept
        error = str(pane.query_one("#participants-roles-error", Static).render())
        assert "kan ikke være den samme person" in error
        stored = await saved_plan(app, vault, plan.id)
    assert (stored.meetings[0].chair, stored.meetings[0].referent) == (lone, anders)


async def test_only_professionals_can_be_chair_or_referent(tmp_path):
    app, plan, vault = make_app(tmp_path)
    mor = by_name(plan, "Birgitte")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        offered = {value for _, value in pane.query_one("#participants-chair", Select)._options}
        assert mor not in offered and CITIZEN_ID not in offered
        await goto(pilot, pane, CITIZEN_ID)
        await pilot.press("ctrl+e")
        await goto(pilot, pane, mor)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Kun fagpersoner" in str(pane.query_one("#participants-roles-error", Static).render())
        stored = await saved_plan(app, vault, plan.id)
    assert (stored.meetings[0].chair, stored.meetings[0].referent) == ("", "")


async def test_contact_details_are_corrected_and_confirmed_on_the_spot(tmp_path):
    app, plan, vault = make_app(tmp_path)
    karim = by_name(plan, "Karim")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        await goto(pilot, pane, karim)
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ContactDetailsModal)
        await pilot.press("end", "ctrl+a", "ctrl+k", *"karim@rusmiddel")  # no domain ending
        modal.query_one("#details-phone", Input).focus()
        await pilot.press(*"12 34 5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal  # refused, the typed text kept
        assert str(modal.query_one("#details-email-error", Static).render())
        assert str(modal.query_one("#details-phone-error", Static).render())
        assert modal.query_one("#details-email", Input).value == "karim@rusmiddel"
        modal.query_one("#details-email", Input).focus()
        await pilot.press("end", *".dk")
        modal.query_one("#details-phone", Input).focus()
        await pilot.press("end", *"6 78", "enter")
        await pilot.pause()
        assert app.screen is not modal
        assert "✓ Kontaktoplysninger tjekket" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    contact = stored.contact(karim)
    assert contact.email == "karim@rusmiddel.dk"
    assert contact.phone == "+45 12 34 56 78"
    assert stored.meetings[0].attendance_for(karim).details_confirmed is True


async def test_written_input_and_part_of_meeting_are_saved(tmp_path):
    app, plan, vault = make_app(tmp_path)
    anders, lone = by_name(plan, "Anders"), by_name(plan, "Lone")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        written = pane.query_one("#participants-written", NoteArea)
        await goto(pilot, pane, anders)
        assert not written.display  # only for someone away
        await pilot.press("a", "i")
        await pilot.pause()
        assert written.display and app.focused is written
        await pilot.press(*"Medicinen er ændret 1. november")
        await pilot.press("escape")
        assert app.focused is pane.table
        await pilot.press("up", "t", "d")
        await pilot.press(*"kun første time")
        await pilot.press("escape")
        await pilot.pause()
        assert "kun første time" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    m = stored.meetings[0]
    assert m.attendance_for(anders).written_input == "Medicinen er ændret 1. november"
    assert m.attendance_for(anders).status == AttendanceStatus.APOLOGIES
    assert m.attendance_for(lone).part == "kun første time"
    assert m.attendance_for(lone).written_input == ""


async def test_hostile_names_are_shown_literally(tmp_path):
    plan = sample_plan()
    plan.citizen.name = HOSTILE[0]
    for n, text in enumerate(HOSTILE[1:]):
        plan.add_contact(Contact(name=text, role=text, organisation=f"Org {n}", sector=Sector.REGION))
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        await goto(pilot, pane, CITIZEN_ID)
        assert "[@click=app.quit]x[/]  ·  Borger" in screen_text(app)  # the line below the table
        hostile_id = plan.contacts[-4].id  # "[TODO] ring"
        await goto(pilot, pane, hostile_id)
        await pilot.press("ctrl+e")
        await pilot.pause()
        text = screen_text(app)
        assert "[TODO] ring, [TODO] ring, Org 0" in text  # the chair Select
        assert "[/b]" in text
        assert "rød" in text and "\x1b" not in text
        assert "omvendt" in text and "\u202e" not in text
        await pilot.click("#participants-table", offset=(5, 1))  # the citizen's name
        await pilot.click("#participants-person", offset=(3, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].chair == hostile_id


async def test_a_hidden_tab_catches_up_when_shown(tmp_path):
    """Panes on hidden tabs skip re-reading the plan on every keystroke elsewhere (the
    situation round is typed live); they re-read it when their tab is shown."""
    from screens.agenda import AgendaPane

    app, plan, vault = make_app(tmp_path)
    lone = by_name(plan, "Lone")
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        m = app.meeting
        m.attendance_for(lone).status = AttendanceStatus.PRESENT
        m.agenda[0].title = "Velkommen [b]alle[/b]"
        app.plan_changed(origin=None)
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        pane = app.screen.query_one(ParticipantsPane)
        assert pane.table.get_cell(lone, "status").plain == "Til stede"
        assert "Til stede 1" in screen_text(app)
        await pilot.press("f3")
        await pilot.pause()
        agenda = app.screen.query_one(AgendaPane)
        assert agenda.table.get_cell(m.agenda[0].id, "title").plain == "Velkommen [b]alle[/b]"
        assert "Velkommen [b]alle[/b]" in screen_text(app)


async def test_v_on_someone_not_yet_present_marks_them_present_by_video(tmp_path):
    """Found by a review: V on a person not yet registered changed nothing to be seen (it only
    worked after T). Now V there means "present, by video"; on someone present it switches
    between by video and in the room, as before."""
    app, plan, vault = make_app(tmp_path)
    anders = by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        await goto(pilot, pane, anders)
        await pilot.press("v")
        await pilot.pause()
        att = pane.meeting.attendance_for(anders)
        assert (att.status, att.mode) == (AttendanceStatus.PRESENT, AttendanceMode.VIRTUAL)
        assert "Til stede 1 (heraf virtuelt 1)" in screen_text(app)
        assert anders in [e.contact_id for e in pane.meeting.situation_round]
        await pilot.press("v")
        await pilot.pause()
        assert (att.status, att.mode) == (AttendanceStatus.PRESENT, AttendanceMode.IN_PERSON)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].attendance_for(anders).status == AttendanceStatus.PRESENT


async def test_an_open_list_says_how_to_close_it_in_danish(tmp_path):
    """Found by a review: an open Select's key in the footer read "Dismiss menu" in English
    (Textual's own words) in an otherwise Danish screen."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ParticipantsPane)
        chair = pane.query_one("#participants-chair", Select)
        chair.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert chair.expanded
        shown = screen_text(app)
        assert "Luk listen" in shown and "Dismiss" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not chair.expanded
