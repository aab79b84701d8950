"""The agenda pane: one key starts the highlighted item, times come from the (fake) clock,
overruns show, and every edit (add, rename, minutes, reorder, remove, notes, private) is saved."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Input, Static

from kiptui.model import AgendaItem, MeetingStatus
from screens.agenda import AgendaPane, expected_end, parse_minutes
from screens.modals import Confirm
from screens.widgets import NoteArea
from tests.ui.harness import FIXED_NOW, SIZE, FakeClock, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = ["[@click=app.quit]x[/]", "[TODO] ring", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eomvendt"]


async def _open(tmp_path, plan=None, clock=None):
    clock = clock or FakeClock()
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    return app, plan, vault, clock


async def agenda_tab(app, pilot, plan) -> AgendaPane:
    """The plan opened on the agenda tab of the whole meeting screen: its pane."""
    app.open_plan(plan.id, tab="agenda")
    await pilot.pause()
    return app.screen.query_one(AgendaPane)


def cell_text(pane: AgendaPane, item_id: str, column: str) -> str:
    return pane.table.get_cell(item_id, column).plain


async def test_start_and_advance_items_record_times_from_the_clock(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("enter", "escape")  # the first item is highlighted; back to the list
        clock.advance(4 * 60)
        await pilot.press("ctrl+right")  # next item
        clock.advance(90)
        await pilot.press("down", "down", "space", "escape")  # item 4 with the other start key
        clock.advance(60)
        await pilot.press("s")  # stop
        stored = await saved_plan(app, vault, plan.id)
    first, second, third, fourth = stored.meetings[0].agenda[:4]
    assert first.started_at == FIXED_NOW
    assert first.ended_at == FIXED_NOW + timedelta(minutes=4)
    assert second.started_at == FIXED_NOW + timedelta(minutes=4)
    assert second.ended_at == FIXED_NOW + timedelta(minutes=5, seconds=30)
    assert third.started_at is None
    assert fourth.started_at == FIXED_NOW + timedelta(minutes=5, seconds=30)
    assert fourth.ended_at == FIXED_NOW + timedelta(minutes=6, seconds=30)
    assert stored.meetings[0].current_item == ""
    assert stored.meetings[0].status == MeetingStatus.IN_PROGRESS


async def test_overrun_is_shown_after_the_clock_moves(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("enter")
        item = pane.meeting.agenda[0]
        assert item.planned_minutes == 5
        clock.advance(4 * 60 + 59)
        pane.tick()  # what the one-second interval runs
        await pilot.pause()
        time = pane.query_one("#agenda-item-time", Static)
        assert not time.has_class("overrun")
        assert cell_text(pane, item.id, "elapsed") == "4:59"
        clock.advance(2 * 60 + 1)
        pane.tick()
        await pilot.pause()
        assert time.has_class("overrun")
        assert cell_text(pane, item.id, "elapsed") == "7:00"
        error = app.get_css_variables()["error"]
        assert pane.table.get_cell(item.id, "elapsed").style.color.name.lower() == error.lower()
        text = screen_text(app)
        assert "Overskredet med 2:00" in text
        assert "Varighed 0:07" in text
        # the rest of the agenda (75 planned minutes) starts when the overrunning item ends
        assert f"Forventet slut {(FIXED_NOW + timedelta(minutes=7 + 75)):%H:%M}" in text


async def test_reorder_add_rename_minutes_and_remove_are_saved(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    titles = [i.title for i in plan.meetings[0].agenda]
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("alt+down", "alt+down")  # item 1 becomes item 3
        await pilot.press("ctrl+n")
        await pilot.press(*"Økonomi og gæld")
        await pilot.press("tab", "1", "5", "enter")  # the field's "5" is selected on focus
        await pilot.pause()
        assert app.focused is pane.table
        assert pane.highlighted().title == "Økonomi og gæld"
        # rename and change minutes of the new item in the fields below
        title = pane.query_one("#agenda-title-input", Input)
        title.focus()
        await pilot.press("end", *" (ny)")
        minutes = pane.query_one("#agenda-minutes-input", Input)
        minutes.focus()
        await pilot.press("2", "0")
        pane.table.focus()
        await pilot.press("up", "up", "delete")  # remove what is now item 2
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    agenda = stored.meetings[0].agenda
    assert [i.title for i in agenda] == [titles[1], titles[0], "Økonomi og gæld (ny)", *titles[3:]]
    assert agenda[2].planned_minutes == 20
    assert titles[2] not in [i.title for i in agenda]


async def test_refused_values_keep_the_plan_and_say_why(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.query_one("#agenda-minutes-input", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", "0")
        await pilot.pause()
        assert "1 til 480" in str(pane.query_one("#agenda-error", Static).render())
        pane.query_one("#agenda-title-input", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await pilot.pause()
        reasons = str(pane.query_one("#agenda-error", Static).render())
        assert "skal have en titel" in reasons and "1 til 480" in reasons  # both still refused
        assert pane.query_one("#agenda-minutes-input", Input).value == "0"  # the typed text kept
        # adding without a title is refused too
        pane.query_one("#agenda-new-title", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "skal have en titel" in str(pane.query_one("#agenda-add-error", Static).render())
        stored = await saved_plan(app, vault, plan.id)
    first = stored.meetings[0].agenda[0]
    assert first.title == plan.meetings[0].agenda[0].title
    assert first.planned_minutes == 5
    assert len(stored.meetings[0].agenda) == len(plan.meetings[0].agenda)


async def test_notes_and_private_flag_of_the_highlighted_item_are_saved(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("down", "p")  # item 2 private
        pane.query_one("#agenda-notes", NoteArea).focus()
        await pilot.press(*"Mikkel vil gerne have pauser")
        await pilot.press("escape")  # back to the list
        assert app.focused is pane.table
        await pilot.press("down")
        assert pane.query_one("#agenda-notes", NoteArea).text == ""
        await pilot.press("up")
        assert pane.query_one("#agenda-notes", NoteArea).text == "Mikkel vil gerne have pauser"
        stored = await saved_plan(app, vault, plan.id)
    agenda = stored.meetings[0].agenda
    assert agenda[1].notes == "Mikkel vil gerne have pauser"
    assert agenda[1].private is True
    assert agenda[0].notes == "" and agenda[2].notes == ""
    assert not agenda[0].private


async def test_slash_command_in_item_notes_becomes_an_agreement(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.query_one("#agenda-notes", NoteArea).focus()
        await pilot.press(*"/aftale Søge boligstøtte @Lone 01.12.2026", "enter")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    [agreement] = stored.agreements
    assert agreement.what == "Søge boligstøtte"
    assert "Søge boligstøtte" in stored.meetings[0].agenda[0].notes  # the receipt line


async def test_hostile_titles_are_shown_literally(tmp_path):
    plan = sample_plan()
    m = plan.meetings[0]
    m.agenda = [AgendaItem(title=title, planned_minutes=5, notes=title) for title in HOSTILE]
    app, plan, vault, clock = await _open(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text
        assert "[TODO] ring" in text
        assert "[/b]" in text
        assert "rød" in text and "\x1b" not in text
        assert "omvendt" in text and "\u202e" not in text
        await pilot.click("#agenda-table", offset=(10, 2))  # on the would-be link
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


def test_parse_minutes_and_expected_end():
    assert parse_minutes(" 15 ") == 15
    for bad in ("", "0", "-5", "1.5", "481", "٣"):
        assert parse_minutes(bad) is None
    plan = sample_plan()
    m = plan.meetings[0]
    # not started: the planned start plus the planned minutes (or now, if later)
    assert expected_end(m, FIXED_NOW - timedelta(hours=1)) == m.starts_at + timedelta(minutes=80)
    assert expected_end(m, FIXED_NOW + timedelta(minutes=10)) == FIXED_NOW + timedelta(minutes=90)
    m.start_item(m.agenda[0].id, FIXED_NOW)
    assert expected_end(m, FIXED_NOW + timedelta(minutes=2)) == FIXED_NOW + timedelta(minutes=80)
    m.starts_at = None
    m.agenda = []
    assert expected_end(m, datetime(2026, 1, 1)) is None


async def test_tab_goes_from_the_list_to_the_notes_and_never_to_the_private_box(tmp_path):
    """Found by reviews: Tab from "Minutter" reached the "Privat" box; a sentence typed there
    was lost, and every space turned private on or off. Later, Tab from the list reached the
    title. The order is now list, notes, title, minutes; the box is not reached by Tab (P in
    the list changes it)."""
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgendaPane)
        pane.focus_first()
        await pilot.press("tab")
        assert app.focused is pane.query_one("#agenda-notes", NoteArea)
        await pilot.press(*"Alle præsenterede sig. Jonas vil være med.")
        await pilot.pause()
        item = pane.highlighted()
        assert item.notes == "Alle præsenterede sig. Jonas vil være med."
        await pilot.press("tab")
        assert app.focused is pane.query_one("#agenda-title-input", Input)
        await pilot.press("tab")
        assert app.focused is pane.query_one("#agenda-minutes-input", Input)
        await pilot.press("tab", *" og så videre")
        await pilot.pause()
        assert app.focused is not pane.query_one("#agenda-private")
        assert not item.private
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "p")  # the list: P
        await pilot.pause()
        assert item.private
        stored = await saved_plan(app, vault, plan.id)
        assert stored.meetings[0].agenda[0].notes == "Alle præsenterede sig. Jonas vil være med."


# --------------------------------------------------------------------------- from every tab


def _started(plan, n: int) -> AgendaItem:
    return plan.meetings[0].agenda[n]


async def test_alt_right_moves_the_agenda_on_from_the_round_while_typing(tmp_path):
    """The chair moves on while the referent types in the round: Alt+→ starts the next item
    from there, mid-sentence, and the words stay where they were typed (before, the only key
    was Ctrl+→ in the agenda list, and the chair's view showed the old item)."""
    from kiptui.model import CITIZEN_ID, AttendanceStatus

    plan = sample_plan()
    m = plan.meetings[0]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    m.start_item(m.agenda[0].id, FIXED_NOW)
    app, plan, vault, clock = await _open(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        note = app.screen.query_one("#pane-round").query(NoteArea).first()
        note.focus()
        await pilot.press(*"Jeg vil")
        clock.advance(6 * 60)
        footer = screen_text(app).splitlines()[-1]
        await pilot.press("alt+right")
        await pilot.press(*" gerne")
        await pilot.pause()
        status = app.screen.query_one("#status-item", Static).render().plain
        stored = await saved_plan(app, vault, plan.id)
    assert "alt+→ Næste punkt" in footer
    first, second = stored.meetings[0].agenda[:2]
    assert first.ended_at == FIXED_NOW + timedelta(minutes=6)
    assert second.started_at == FIXED_NOW + timedelta(minutes=6)
    assert stored.meetings[0].current_item == second.id
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "Jeg vil gerne"
    assert second.title in status


async def test_alt_left_goes_back_and_the_list_follows(tmp_path):
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await agenda_tab(app, pilot, plan)
        await pilot.press("alt+left")  # no current item: nothing before it
        await pilot.pause()
        assert any("intet punkt før" in str(n.message) for n in app._notifications)
        await pilot.press("alt+right", "alt+right", "alt+right")
        await pilot.pause()
        third = pane.meeting.agenda[2]
        assert pane.meeting.current_item == third.id
        assert pane.highlighted() is third  # the list's cursor is on the item started
        await pilot.press("alt+left")
        await pilot.pause()
        second = pane.meeting.agenda[1]
        assert pane.meeting.current_item == second.id
        assert pane.highlighted() is second
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].current_item == second.id
    assert stored.meetings[0].agenda[2].ended_at is not None


async def test_ctrl_right_in_the_notes_moves_a_word_and_the_footer_says_so(tmp_path):
    """In the item's notes Ctrl+→ is the text field's own key (one word on); the footer does
    not offer it as "Næste punkt" there (it did, and nothing happened), Alt+→ is shown."""
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await agenda_tab(app, pilot, plan)
        notes = pane.query_one("#agenda-notes", NoteArea)
        notes.focus()
        await pilot.press(*"to ord", "home", "ctrl+right")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert notes.cursor_location == (0, 2)
        assert pane.meeting.current_item == ""
    assert "alt+→ Næste punkt" in footer
    assert "^→" not in footer


async def test_giving_the_floor_makes_the_round_the_current_item_once(tmp_path):
    """When the round begins (someone is given the floor) the agenda follows to its item, so
    the chair's view is right; once it has begun, giving the floor again moves nothing."""
    from kiptui.model import CITIZEN_ID, AttendanceStatus

    plan = sample_plan()
    m = plan.meetings[0]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    m.start_item(m.agenda[2].id, FIXED_NOW)  # attendance
    app, plan, vault, clock = await _open(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        clock.advance(60)
        await pilot.press("ctrl+n")  # the citizen has the floor
        await pilot.pause()
        meeting = app.meeting
        round_item = meeting.item_by_key("situation_round")
        assert meeting.current_item == round_item.id
        assert round_item.started_at == FIXED_NOW + timedelta(minutes=1)
        assert any("Dagsordenen følger med" in str(n.message) for n in app._notifications)
        await pilot.press("alt+right")  # on to goals
        await pilot.press("ctrl+o")  # the floor again (a late remark): the agenda stays
        await pilot.pause()
        goals = meeting.item_by_key("goals")
        assert meeting.current_item == goals.id
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].current_item == goals.id


async def test_the_agenda_keys_do_nothing_on_a_closed_meeting(tmp_path):
    plan = sample_plan()
    m = plan.meetings[0]
    m.start_item(m.agenda[0].id, FIXED_NOW)
    m.status = MeetingStatus.CLOSED
    app, plan, vault, clock = await _open(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        await pilot.press("alt+right", "alt+left")
        await pilot.pause()
        assert app.meeting.current_item == m.agenda[0].id
    assert "Næste punkt" not in footer


async def test_enter_on_an_item_puts_the_cursor_in_its_notes_and_the_title_is_safe(tmp_path):
    """Found by a review: after Enter on an item, Tab went to the title with all of it
    selected, and the referent's first sentence replaced the item's title (on the projector
    at once). Enter now starts the item with the cursor in its notes; Tab from the list
    reaches the notes; the title, when reached, is not selected."""
    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await agenda_tab(app, pilot, plan)
        await pilot.press("enter", *"Alle præsenterede sig")
        await pilot.pause()
        assert app.focused is pane.query_one("#agenda-notes", NoteArea)
        await pilot.press("escape", "down", "tab", *"Rammen er klar")  # the list, item 2, Tab
        await pilot.pause()
        await pilot.press("tab", "x")  # on to the title: a key adds to it, replaces nothing
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    first, second = stored.meetings[0].agenda[:2]
    assert first.notes == "Alle præsenterede sig"
    assert first.title == "Velkomst og præsentationsrunde"
    assert second.notes == "Rammen er klar"
    assert second.title.replace("x", "", 1) == "Rammen for mødet og borgers ønsker"  # one key added


async def test_words_typed_right_after_enter_on_an_item_go_to_its_notes(tmp_path):
    """Found by a review: Enter on an item and the first words in one burst: the words went
    to the list (Enter's move to the notes came late), where each space started the item
    again, s stopped it and p made it private."""
    from tests.ui.test_note_area import _burst

    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await agenda_tab(app, pilot, plan)
        pane.table.focus()
        await pilot.pause()
        _burst(app, ["enter", *"Alle sagde ja, ps", "backspace", "backspace"])
        await pilot.pause()
        await pilot.pause()
        item = pane.meeting.agenda[0]
        assert pane.meeting.current_item == item.id and item.ended_at is None
        assert not item.private
        assert item.notes == "Alle sagde ja, "


async def test_a_title_typed_fast_with_tabs_in_between_is_not_scrambled(tmp_path):
    """Found by a review: typing in the title and Tab, Shift+Tab, typing again in one burst
    turned "… X" into "… XXX2X31": Tab left the title before its changes had reached the
    plan, and the older title was written back into the field under the cursor."""
    from tests.ui.test_note_area import _burst

    app, plan, vault, clock = await _open(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await agenda_tab(app, pilot, plan)
        title = pane.query_one("#agenda-title-input", Input)
        title.focus()
        title.cursor_position = len(title.value)
        await pilot.pause()
        keys: list[str] = []
        for n in range(3):
            keys += ["space", "X", str(n), "tab", "shift+tab", "Y", str(n)]
        _burst(app, keys)
        for _ in range(4):
            await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].agenda[0].title == "Velkomst og præsentationsrunde X0Y0 X1Y1 X2Y2"
