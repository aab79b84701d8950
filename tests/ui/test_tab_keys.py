"""A key that leaves the field, pressed in the middle of a burst of typing (F2–F7, Alt+→):
the words typed before it stay where they were typed, the words after it go where the key
leads (a review found the letters typed just before F2 replacing the citizen's name)."""

from __future__ import annotations

import asyncio

import pytest

from textual.widgets import Input

from kiptui.model import CITIZEN_ID
from screens.widgets import NoteArea
from tests.ui.harness import SIZE, make_app, meeting_in_progress, saved_plan
from tests.ui.test_app import plan_with_round
from tests.ui.test_note_area import _burst


async def _open_round_note(app, pilot, plan_id):
    app.open_plan(plan_id, tab="round")
    await pilot.pause()
    note = app.screen.query_one("#pane-round").query(NoteArea).first()
    app.screen.set_focus(note)
    await pilot.pause()
    return note


async def test_words_before_a_tab_key_stay_and_words_after_it_go_to_the_new_tab(tmp_path):
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        _burst(app, [*"Hej med dig", "f6", *"Ringe til lægen"])
        await pilot.pause()
        await pilot.pause()
        assert app.screen.active_tab == "agreements"
        what = app.screen.query_one("#agr-what", Input)
        assert what.value == "Ringe til lægen"
        assert note.text == "Hej med dig"
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "Hej med dig"


async def _app_done(app) -> None:
    """The app has handled every message it holds now, and what those posted to it."""
    for _ in range(3):
        done = asyncio.get_running_loop().create_future()
        app.call_later(lambda: done.done() or done.set_result(None))
        await done


async def test_letters_waiting_in_a_busy_note_stay_there_when_f2_follows(tmp_path):
    """The note is still busy (a slow laptop) when "godt" and F2 arrive: Textual ran F2 at
    once, and the letters then went to F2's first field, replacing the citizen's name."""
    app, plan, vault = make_app(tmp_path, plan_with_round())
    name = plan.citizen.name
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        gate = asyncio.Event()

        async def busy() -> None:
            await gate.wait()

        note.call_later(busy)
        _burst(app, [*"godt", "f2", *"Ny"])
        await _app_done(app)
        gate.set()
        await pilot.pause()
        await pilot.pause()
        assert app.screen.active_tab == "prepare"
        assert note.text == "godt"
        # the words after F2 are F2's: its first field, the name, with the cursor at its end
        # (not selected: a review's 'F2 XYZ' replaced the name), and not written over by F2
        # catching up with the plan a moment later
        assert app.focused.id == "citizen-name" and app.focused.value == name + "Ny"
        stored = await saved_plan(app, vault, plan.id)
    assert stored.citizen.name == name + "Ny"
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "godt"


async def test_letters_typed_just_before_f2_do_not_replace_the_citizens_name(tmp_path):
    app, plan, vault = make_app(tmp_path, plan_with_round())
    name = plan.citizen.name
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        _burst(app, [*"godt", "f2"])
        await pilot.pause()
        await pilot.pause()
        assert app.screen.active_tab == "prepare"
        assert note.text == "godt"
        stored = await saved_plan(app, vault, plan.id)
    assert stored.citizen.name == name
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "godt"


async def test_there_and_back_in_one_burst_keeps_every_word(tmp_path):
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        await pilot.press("f6")  # built once, so coming back refreshes it from the plan
        await pilot.press("f5")
        await pilot.pause()
        app.screen.set_focus(note)
        await pilot.pause()
        _burst(app, [*"Første", "f6", *"Ring", "f5", *" og anden"])
        await pilot.pause()
        await pilot.pause()
        assert app.screen.active_tab == "round"
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "Første og anden"


async def _busy_burst(app, pilot, widget, keys) -> None:
    """`keys` arrive while `widget` is still busy (a slow laptop): all of them are queued
    before it handles the first, and the app has passed on every one."""
    gate = asyncio.Event()

    async def busy() -> None:
        await gate.wait()

    widget.call_later(busy)
    _burst(app, keys)
    await _app_done(app)
    gate.set()
    await pilot.pause()
    await pilot.pause()


async def _agenda(app, pilot, plan_id):
    app.open_plan(plan_id, tab="agenda")
    await pilot.pause()
    return app.screen.query_one("#pane-agenda")


@pytest.mark.parametrize("after", ["", " (kort)"])
async def test_a_title_typed_before_alt_right_stays_on_its_item(tmp_path, after):
    """Found here: the words typed into the current item's title just before Alt+→ became the
    title of the item started by it, and the item lost them."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        pane = await _agenda(app, pilot, plan.id)
        first, following = app.meeting.item(app.meeting.current_item), app.meeting.following_item()
        old_title, first_title = following.title, first.title
        title = pane.query_one("#agenda-title-input", Input)
        assert pane._detail_id == first.id  # F3 shows the current item
        app.screen.set_focus(title)
        await pilot.pause()
        title.cursor_position = len(title.value)
        await _busy_burst(app, pilot, title, [*" og ønsker", "alt+right", *after])
        assert title.value == old_title + after  # the new current item's title, added to
        stored = await saved_plan(app, vault, plan.id)
    items = {i.id: i for i in stored.meetings[1].agenda}
    assert items[first.id].title == first_title + " og ønsker"
    assert items[following.id].title == old_title + after
    assert stored.meetings[1].current_item == following.id


async def test_notes_typed_after_alt_right_are_the_new_items(tmp_path):
    """The words typed right after Alt+→ went into the notes of the item before, and the notes
    field then showed the new item's (empty) notes: out of sight."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        pane = await _agenda(app, pilot, plan.id)
        first, following = app.meeting.item(app.meeting.current_item), app.meeting.following_item()
        notes = pane.query_one("#agenda-notes", NoteArea)
        app.screen.set_focus(notes)
        await pilot.pause()
        await _busy_burst(app, pilot, notes, [*"Alle præsenteret.", "alt+right", *"Jonas vil"])
        assert notes.text == "Jonas vil"
        stored = await saved_plan(app, vault, plan.id)
    items = {i.id: i for i in stored.meetings[1].agenda}
    assert items[first.id].notes == "Alle præsenteret."
    assert items[following.id].notes == "Jonas vil"


async def test_back_to_the_round_after_marking_someone_present(tmp_path):
    """A review: F5 before anybody was present, t on F4, F5 again: the app stopped
    (NoMatches '.speaker-note') and the note typed before was lost. The speaker's card is
    built when the tab catches up, and its note gets the focus and the words typed next."""
    from screens.situation_round import RoundNote

    app, plan, vault = make_app(tmp_path)  # nobody present yet
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        _burst(app, ["t", "f5", *"Jonas starter"])
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.screen.active_tab == "round"
        assert isinstance(app.focused, RoundNote) and app.focused.text == "Jonas starter"
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].round_entry(CITIZEN_ID).text == "Jonas starter"


async def test_two_tab_keys_in_a_row_from_a_note(tmp_path):
    """A review: 'note' F4 F5 in one burst stayed on F4 (F5 reached F4's table after the note
    had passed it on, and a table does not run the tab keys); the words after went there."""
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        await _busy_burst(app, pilot, note, [*"note", "f4", "f6", *"Ring"])
        assert app.screen.active_tab == "agreements"
        assert app.screen.query_one("#agr-what", Input).value == "Ring"
        assert note.text == "note"


async def test_f3_then_enter_notes_alt_right_and_more_notes_in_one_burst(tmp_path):
    """A review: 'F3 Enter aaa one Alt+→ bbb two' lost 'bbb two': the list's first report of
    its cursor (row 1, from when F3 was built) came after Alt+→ and showed item 1 again,
    over the words typed for item 2."""
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        note = await _open_round_note(app, pilot, plan.id)
        await _busy_burst(app, pilot, note, ["f3", "enter", *"aaa one", "alt+right", *"bbb two"])
        stored = await saved_plan(app, vault, plan.id)
    agenda = stored.meetings[0].agenda
    assert (agenda[0].notes, agenda[1].notes) == ("aaa one", "bbb two")
    assert stored.meetings[0].current_item == agenda[1].id


async def test_f3_during_the_meeting_is_ready_to_write_in_the_current_items_notes(tmp_path):
    """A review: back on F3 the list had the focus, and 'pause sover' made the item private
    (p) and started it (space). Now F3 puts the cursor at the end of the current item's
    notes; Alt+← too (its cursor stood at the start: ' Q' went in before 'Intro')."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        pane = await _agenda(app, pilot, plan.id)
        m = app.meeting
        current = m.item(m.current_item)
        previous = m.agenda[m.agenda.index(current) - 1]
        previous.notes = "Intro"
        assert isinstance(app.focused, NoteArea) and pane._detail_id == current.id
        await pilot.press("f4", "f3", *"pause sover")
        await pilot.pause()
        assert current.notes.endswith("pause sover") and not current.private
        await pilot.press("alt+left", *" Q")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    items = {i.id: i for i in stored.meetings[1].agenda}
    assert items[previous.id].notes == "Intro Q"
    assert items[current.id].notes.endswith("pause sover") and not items[current.id].private


async def _agreements_what(app, pilot, plan_id):
    app.open_plan(plan_id, tab="agreements")
    await pilot.pause()
    what = app.screen.query_one("#agr-what", Input)
    assert app.focused is what
    return what


async def test_two_agreements_typed_on_one_line_each_in_one_burst(tmp_path):
    """A review: 'text @Lene date Enter text @Sara date Enter' made no agreement: the second
    line went into the field before the first Enter had emptied it."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        what = await _agreements_what(app, pilot, plan.id)
        before = len(app.plan.agreements)
        await _busy_burst(app, pilot, what, [*"Middag hos Lene @Lene 23.12.2026", "enter",
                                             *"Sara ringer @Sara 24.12.2026", "enter", *"Næste"])
        assert what.value == "Næste"
        stored = await saved_plan(app, vault, plan.id)
    added = stored.agreements[before:]
    assert [(a.what, stored.name_of(a.responsible).split()[0], str(a.deadline)) for a in added] == [
        ("Middag hos Lene", "Lene", "2026-12-23"), ("Sara ringer", "Sara", "2026-12-24")]


async def test_the_quick_row_with_a_chosen_responsible_in_one_burst(tmp_path):
    """A review: 'what Tab Enter Down Enter Tab date Enter next words' added the agreement but
    lost the next words (typed into the deadline field before Enter had emptied the row)."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        what = await _agreements_what(app, pilot, plan.id)
        before = len(app.plan.agreements)
        await _busy_burst(app, pilot, what, [*"Søge boligstøtte", "tab", "enter", "down", "enter", "tab",
                                             *"21.12.2026", "enter", *"Peter ringer"])
        assert app.focused is what and what.value == "Peter ringer"
        stored = await saved_plan(app, vault, plan.id)
    added = stored.agreements[before:]
    assert [(a.what, str(a.deadline)) for a in added] == [("Søge boligstøtte", "2026-12-21")]
    assert added[0].responsible


async def test_a_slash_line_in_the_agenda_notes_then_alt_right(tmp_path):
    """A review: '/aftale … Enter' then Alt+→ in the agenda notes made no agreement: the next
    item's notes were shown before the pane had read the line."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        pane = await _agenda(app, pilot, plan.id)
        notes = pane.query_one("#agenda-notes", NoteArea)
        assert app.focused is notes
        before = len(app.plan.agreements)
        await _busy_burst(app, pilot, notes, [*"/aftale Ring til Lene @Lene 03.03.2027", "enter", "alt+right"])
        stored = await saved_plan(app, vault, plan.id)
    assert [(a.what, str(a.deadline)) for a in stored.agreements[before:]] == [("Ring til Lene", "2027-03-03")]


async def test_the_summary_made_in_a_burst_has_the_place_typed_before(tmp_path):
    """A review: F7 'date Tab place Tab Enter Down Enter Ctrl+G' made a summary without the
    place (or 'Jobcentr'): Ctrl+G, passed on by the place field after the Tab, ran in that
    field's turn, before its last Changed messages had reached the plan."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        when = app.screen.query_one("#next-when", Input)
        assert app.focused is when
        await _busy_burst(app, pilot, when, [*"12.01.2027 13:00", "tab", *"Mødelokale 3, Jobcentret", "tab",
                                             "enter", "down", "enter", "ctrl+g"])
        await pilot.pause()
        summary = app.meeting.summary
    assert "Mødelokale 3, Jobcentret" in summary and "12.01.2027" in summary


async def test_a_tab_with_nothing_to_type_in_does_not_take_the_focus_back(tmp_path):
    """Found in tmux: 'F5 … F2 XYZ' in one burst, nobody present yet: F5's pane took the
    focus a moment later, after F2 had given it to the name, and stayed focused while F2 was
    shown; 'XYZ' went nowhere. The pane takes it at once."""
    from kiptui.planjson import load_plan_file
    from kiptui.resources import data_path

    app, plan, vault = make_app(tmp_path, load_plan_file(data_path("demo-plan.json")))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        name = app.plan.citizen.name
        _burst(app, ["f3", "enter", *"aaa one", "alt+right", *"bbb two", "f5", *"ord", "f2", *"XYZ"])
        await pilot.pause()
        await pilot.pause()
        assert app.screen.active_tab == "prepare"
        assert app.focused.id == "citizen-name" and app.focused.value == name + "XYZ"
        stored = await saved_plan(app, vault, plan.id)
    assert [i.notes for i in stored.meetings[-1].agenda[:2]] == ["aaa one", "bbb two"]


async def test_ctrl_n_on_f6_takes_the_words_typed_right_after_it(tmp_path):
    """Ctrl+N in the agreements' notes moves to the quick row: the words typed right after it
    went into the notes (the focus moved a moment later)."""
    app, plan, vault = make_app(tmp_path, meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        what = await _agreements_what(app, pilot, plan.id)
        notes = app.screen.query_one("#agr-notes", NoteArea)
        app.screen.set_focus(notes)
        await pilot.pause()
        await _busy_burst(app, pilot, notes, [*"Noter", "ctrl+n", *"Ring til Lene"])
        assert (notes.text, what.value) == ("Noter", "Ring til Lene")
