"""The app shell: autosave timing, idle auto-lock with a fake clock, a failed save that keeps
the text, leaving a screen saves, and the unlock screen."""

from __future__ import annotations

from datetime import datetime
import os

import pytest
from textual import events
from textual.widgets import Input, Markdown

from kiptui.i18n import example_deadline, t
from kiptui.model import CITIZEN_ID, AttendanceStatus
from kiptui.vault import Vault
from screens.app import KiptuiApp
from screens.meeting import MeetingScreen
from screens.plans import PlansScreen
from screens.unlock import UnlockScreen
from screens.widgets import NoteArea
from tests.ui.harness import PASSPHRASE, SIZE, FakeClock, make_app, sample_plan, screen_text


def plan_with_round():
    plan = sample_plan()
    m = plan.meetings[0]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    return plan


async def round_note(app, pilot, plan_id: str) -> NoteArea:
    """Open the plan on the situation round; the first speaker's note, with the cursor."""
    app.open_plan(plan_id, tab="round")
    await pilot.pause()
    note = app.screen.query_one("#pane-round").query(NoteArea).first()
    note.focus()
    return note


async def test_autosave_clock_is_not_restarted_by_typing(tmp_path):
    """The autosave timer starts at the first unsaved change and later keystrokes do not
    restart it, so a referent typing without pause still has everything on disk within
    about a second. (Checked on the timer object, not by waiting.)"""
    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    async with app.run_test(size=SIZE) as pilot:
        await round_note(app, pilot, plan.id)
        await pilot.press("b")
        timer = app._save_timer
        assert timer is not None
        for ch in "orger":
            await pilot.press(ch)
            assert app._save_timer is timer
        app.save_now()  # what the timer does when it fires
        await app.wait_for_saves()
        assert app._save_timer is None
        on_disk = vault.load_plan(plan.id).meetings[0].round_entry(CITIZEN_ID).text
        assert on_disk == "borger"


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+l", "f9", "ctrl+s"])
@pytest.mark.parametrize("field", ["round", "place"])
async def test_words_typed_ahead_of_quit_lock_or_leaving_reach_the_file(tmp_path, key, field):
    """A referent who types the last words and presses Ctrl+Q (Ctrl+L, F9, Ctrl+S) at once:
    the keys arrive together, and the quit binding ran before the note had handled the keys
    typed ahead of it. The words must still reach the file, from a note and from a one-line
    field (whose Changed message reaches the pane one widget later)."""
    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    words = "aftalt med Lone"
    async with app.run_test(size=SIZE) as pilot:
        if field == "round":
            app.open_plan(plan.id, tab="round")
            await pilot.pause()
            app.screen.query_one("#pane-round").query(NoteArea).first().focus()
        else:
            app.open_plan(plan.id, tab="closing")
            await pilot.pause()
            app.screen.query_one("#next-place", Input).focus()
        await pilot.pause()
        for ch in words:  # one burst, as the terminal delivers a fast typist's keys
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        app.post_message(events.Key(key, None))
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.is_running:
            await app.wait_for_saves()
    stored = Vault.unlock(vault.path, PASSPHRASE).load_plan(plan.id).meetings[0]
    assert (stored.round_entry(CITIZEN_ID).text if field == "round" else stored.next_meeting.place) == words


async def test_idle_lock_with_fake_clock_and_return(tmp_path):
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan_with_round(), clock=clock, idle_lock_seconds=600)
    async with app.run_test(size=SIZE) as pilot:
        await round_note(app, pilot, plan.id)
        await pilot.press("h", "e", "j")
        clock.advance(599)
        app.check_idle_lock()
        assert isinstance(app.screen, MeetingScreen)
        clock.advance(2)
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None and app.handle is None  # key and plan dropped
        assert "hej" not in screen_text(app)
        # what was typed before the lock is on disk
        assert Vault.unlock(vault.path, PASSPHRASE).load_plan(plan.id).meetings[0].round_entry(CITIZEN_ID).text == "hej"
        # unlocking returns to the same plan and tab
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        app.screen.submit()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.active_tab == "round"


async def test_wrong_passphrase_says_so_and_allows_retry(tmp_path):
    app, plan, vault = make_app(tmp_path)
    app.vault = None  # start locked
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        app.screen.query_one("#passphrase", Input).value = "forkert frase her"
        app.screen.submit()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Forkert adgangsfrase" in screen_text(app)
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        app.screen.submit()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)


async def test_the_progress_shows_only_while_the_key_is_derived(tmp_path, monkeypatch):
    import threading

    from textual.widgets import LoadingIndicator

    app, plan, vault = make_app(tmp_path)
    app.vault = None  # start locked
    release = threading.Event()
    real_unlock = Vault.unlock

    def slow_unlock(path, passphrase):  # held until the test has looked at the screen
        release.wait(10)
        return real_unlock(path, passphrase)

    monkeypatch.setattr(Vault, "unlock", staticmethod(slow_unlock))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query(LoadingIndicator)  # not made before it is needed
        for attempt in range(2):
            app.screen.query_one("#passphrase", Input).value = "forkert frase her"
            app.screen.submit()
            await pilot.pause()
            shown = app.screen.query(LoadingIndicator)
            assert len(shown) == 1 and shown.first().display, attempt  # one, also the 2nd time
            assert "nøglen beregnes" in screen_text(app)
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            release.clear()
            assert not app.screen.query_one(LoadingIndicator).display
            assert "Forkert adgangsfrase" in screen_text(app)


async def test_failed_save_is_shown_and_the_text_kept(tmp_path, monkeypatch):
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        note = await round_note(app, pilot, plan.id)

        def enospc(*_a):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", enospc)
        await pilot.press("x", "y")
        app.save_now()
        await app.wait_for_saves()
        await pilot.pause()
        assert app.last_save_error and app.dirty
        assert "IKKE GEMT" in screen_text(app)
        assert "der er ikke mere plads på disken" in app.last_save_error  # in Danish
        assert note.text == "xy"
        monkeypatch.undo()
        app.save_now()
        await app.wait_for_saves()
        await pilot.pause()
        assert not app.last_save_error
        assert vault.load_plan(plan.id).meetings[0].round_entry(CITIZEN_ID).text == "xy"


async def test_a_failed_autosave_from_the_timer_is_shown_not_raised(tmp_path, monkeypatch):
    """The autosave timer's callback once returned the write's future, which Textual awaits:
    a write that failed (a full disk) became an exception in the app, which ended it. Run
    here exactly as Textual runs a timer's callback (found as the test above failing now and
    then under load, when the timer fired during it)."""
    from textual._callback import invoke

    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=3600)
    async with app.run_test(size=SIZE) as pilot:
        note = await round_note(app, pilot, plan.id)
        await pilot.press("x")
        await pilot.pause()
        timer = app._save_timer
        assert timer is not None

        def enospc(*_a):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", enospc)
        assert await invoke(timer._callback) is None
        await app.wait_for_saves()
        await pilot.pause()
        assert app.is_running and app.last_save_error and app.dirty
        assert "IKKE GEMT" in screen_text(app) and note.text == "x"
        monkeypatch.undo()


async def test_creating_a_plan_from_the_list(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Ida Krogh", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.plan.citizen.name == "Ida Krogh"
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        assert "Ida Krogh" in screen_text(app)
    assert {s.citizen for s in vault.list_plans()} == {"Ida Krogh", "Mikkel Sørensen"}


async def test_help_and_palette_on_every_tab(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5", "f6", "f7"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            help_text = app.screen.query_one(Markdown).source  # it scrolls: the whole text
            example = example_deadline(app.clock().date())  # the examples' date
            assert t(f"help.{app.screen_stack[-2].active_tab}", example=example) in help_text, key
            assert "Overalt" in help_text and "Alt+→" in help_text, key  # the keys of every tab
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Situation")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.active_tab == "round"


async def test_english_everywhere(tmp_path):
    app, plan, vault = make_app(tmp_path, lang="en")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "Plans" in screen_text(app)
            app.open_plan(plan.id)
            await pilot.pause()
            text = screen_text(app)
            for word in ("Preparation", "Agenda", "Participants", "Situation round", "Agreements", "Closing"):
                assert word in text
    finally:
        from kiptui.i18n import set_language

        set_language("da")


async def test_plans_list_shows_overdue_agreements_from_the_clock(tmp_path):
    from datetime import date

    plan = sample_plan()
    m = plan.meetings[0]
    lone = next(c.id for c in plan.contacts if c.name.startswith("Lone"))
    plan.add_agreement("Søge boligstøtte", lone, date(2026, 11, 20), m.id, datetime(2026, 11, 1))
    plan.add_agreement("Ringe til lægen", lone, date(2026, 12, 20), m.id, datetime(2026, 11, 1))
    clock = FakeClock()  # 23.11.2026
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2  (1 overskredet)" in screen_text(app)
    clock.advance(40 * 24 * 3600)  # derived from the clock, not stored
    app2 = KiptuiApp(vault.path, vault=vault, clock=clock)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2  (2 overskredet)" in screen_text(app2)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(tmp_path):
    """Moving between fields that have the same keys keeps the footer's key widgets (Textual's
    footer mounted them all again on every focus change); a tab with other keys shows them."""
    from textual.widgets._footer import FooterKey

    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        app.screen.query_one("#next-when", Input).focus()
        await pilot.pause()
        before = list(app.screen.query(FooterKey))
        assert before
        await pilot.press("tab")  # to the next one-line field: the same keys
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id != "next-when"
        assert list(app.screen.query(FooterKey)) == before  # the same widgets, not new ones
        await app.screen.action_show_tab("agreements")
        await pilot.pause()
        await pilot.pause()
        shown = " ".join(str(k.description) for k in app.screen.query(FooterKey))
        assert "Ny aftale" in shown and shown != " ".join(str(k.description) for k in before)


async def test_the_open_plan_is_kept_out_of_the_collectors_sight_until_it_closes(tmp_path, monkeypatch):
    """Python's full collections looked at every object of the open plan and its screen
    (about 200 ms every ~190 keystrokes with the large plan): once the screen is up they are
    frozen, and given back when the plan closes or the app ends. (The timer's call is made
    here directly: no waiting on the clock.)"""
    import gc

    import screens.app
    from screens.app import GC_THRESHOLDS

    # the app's own timers would freeze too, when the machine is slow enough for them to fire
    monkeypatch.setattr(screens.app, "HEAP_FREEZE_DELAY", 3600)
    monkeypatch.setattr(screens.meeting, "HEAP_FREEZE_DELAY", 3600)
    app, plan, vault = make_app(tmp_path, plan_with_round())
    async with app.run_test(size=SIZE) as pilot:
        assert gc.get_threshold() == GC_THRESHOLDS
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        first = app.handle
        app.freeze_heap(first)
        assert gc.get_freeze_count() > 10_000
        app.close_plan()
        assert gc.get_freeze_count() == 0  # the closed plan's objects can be collected again
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        app.freeze_heap(first)  # a timer from the plan opened before: nothing happens
        assert gc.get_freeze_count() == 0
        app.freeze_heap(app.handle)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0  # the app ended without closing its plan: given back too


@pytest.mark.parametrize("signame", ["SIGHUP", "SIGTERM"])
async def test_a_closed_terminal_or_a_stop_request_saves_what_was_typed(tmp_path, signame):
    """The terminal window closed (SIGHUP) or the system asked kiptui to stop (SIGTERM) before
    the autosave: what was typed is saved, the plan released, and the app ends. (Before, Python
    just ended and the last second of typing was lost.)"""
    import signal

    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    async with app.run_test(size=SIZE) as pilot:
        assert getattr(signal, signame) in app._caught_signals
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        app.screen.query_one("#pane-round").query(NoteArea).first().focus()
        await pilot.press(*"sidste ord")
        assert app._save_timer is not None  # not saved yet
        app._ended_by_signal()  # what the event loop calls for the signal
        await app.workers.wait_for_complete()
        for _ in range(500):  # a ceiling, not a timing: ends as soon as the app has
            if not app.is_running:
                break
            await pilot.pause(0.02)
        assert not app.is_running
    assert Vault.unlock(vault.path, PASSPHRASE).load_plan(plan.id).meetings[0].round_entry(CITIZEN_ID).text == "sidste ord"
    vault.open_plan(plan.id).close()  # the writer's lock is released


async def test_a_continue_signal_restarts_the_terminal_only_while_the_app_is_not_ending(tmp_path):
    """A closed terminal sends SIGCONT with its SIGHUP; Textual answers SIGCONT by starting
    its terminal mode anew. Passed on while the app runs (back from a suspend), not once it
    is ending: then it left the process stuck (tests/test_tmux_smoke.py shows it for real)."""
    import signal

    restarts: list[int] = []
    previous = signal.signal(signal.SIGCONT, lambda signum, frame: restarts.append(signum))  # as Textual's
    try:
        app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
        async with app.run_test(size=SIZE) as pilot:
            app.open_plan(plan.id, tab="round")
            await pilot.pause()
            os.kill(os.getpid(), signal.SIGCONT)  # back from a suspend: the terminal restarts
            for _ in range(100):
                if restarts:
                    break
                await pilot.pause(0.01)
            assert restarts == [signal.SIGCONT]
            os.kill(os.getpid(), signal.SIGHUP)  # the window closes: both come at once
            os.kill(os.getpid(), signal.SIGCONT)
            for _ in range(500):  # a ceiling, not a timing
                if not app.is_running:
                    break
                await pilot.pause(0.02)
            assert not app.is_running
        assert restarts == [signal.SIGCONT]  # nothing restarted for the closed terminal
    finally:
        signal.signal(signal.SIGCONT, previous)
    vault.open_plan(plan.id).close()  # saved and released


async def test_the_app_ends_after_a_signal_even_when_saving_fails(tmp_path):
    """No terminal to ask on: a save that fails at SIGHUP must not leave the process running."""
    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()

        async def broken_shutdown() -> None:
            raise OSError(28, "No space left on device")

        app.shutdown = broken_shutdown  # type: ignore[method-assign]
        app._ended_by_signal()
        for _ in range(500):  # a ceiling, not a timing: ends as soon as the app has
            if not app.is_running:
                break
            await pilot.pause(0.02)
        assert not app.is_running
    assert app.return_code == 1  # the failed save is in the exit code (no terminal to say it on)


async def test_the_status_line_says_saved_when_a_save_finds_nothing_changed(tmp_path):
    """Found by a review: with an edit that changed nothing (a field filled again with what
    it held), the autosave wrote nothing and the status line said "Gemmer …" until the next
    keystroke, while a toast said "Gemt.": the referent could not tell whether to quit."""
    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        app.save_now()
        await app.wait_for_saves()
        app.plan_changed()  # what a widget reports after an edit; the plan itself is as saved
        await pilot.pause()
        assert "Gemmer" in screen_text(app)
        assert app.save_now() is None  # nothing to write
        await pilot.pause()
        text = screen_text(app)
        assert "Gemmer" not in text and "Gemt" in text


async def test_the_footer_and_the_boxes_speak_clearly(tmp_path):
    """Found by a review: the footer said "palette" (Textual's English), and a box or choice
    that was off drew a dim mark, told from "on" by colour alone. Off now shows no mark."""
    from textual.widgets import Checkbox

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agenda")
        await pilot.pause()
        text = screen_text(app)
        assert "Kommandoer" in text and "palette" not in text
        box = app.screen.query_one("#agenda-private", Checkbox)
        for on in (False, True):
            box.value = on
            await pilot.pause()
            mark = box.get_visual_style("toggle--button")
            assert (mark.foreground == mark.background) is (not on), on


def test_a_killed_demos_folder_is_removed_by_the_next_demo(tmp_path):
    """A demo that was killed (or a machine that went down) left its /tmp folder behind; the
    next demo removes folders whose demo process is gone, and nothing else: not a running
    demo's, not a symlink, not a name it did not make."""
    import subprocess
    import sys

    from screens.app import remove_stale_demo_folders

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    dead = tmp_path / f"kiptui-demo-{ended.pid}-k2j_x9"
    (dead / "vault").mkdir(parents=True)
    (dead / "vault" / "vault.json").write_bytes(b"encrypted")
    running = tmp_path / f"kiptui-demo-{os.getpid()}-a8f_1q"
    running.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep").write_text("x")
    link = tmp_path / f"kiptui-demo-{ended.pid}-link"
    link.symlink_to(target)
    old_style = tmp_path / "kiptui-demo-abc_123"
    old_style.mkdir()
    assert remove_stale_demo_folders(tmp_path) == [dead]
    assert not dead.exists()
    assert running.is_dir() and old_style.is_dir() and (target / "keep").is_file() and link.is_symlink()


async def test_a_choice_made_in_one_burst_of_keys_is_taken(tmp_path):
    """Found by a review: Enter Down Down Enter on a choice list in one burst (a fast
    referent) left it unchosen: the list opened after the keys had gone by. The keys after
    the one that opens it go into the list, and the keys after the choice to the next field."""
    from textual.widgets import Select

    from screens.agreements import AgreementsPane
    from tests.ui.harness import open_pane, saved_plan
    from tests.ui.test_note_area import _burst

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgreementsPane, "agreements")
        pane.focus_first()
        await pilot.pause()
        who = pane.query_one("#agr-who", Select)
        second = who._options[2][1]  # the citizen first, then the network: Down Down
        _burst(app, [*"Ringe til lægen", "tab", "enter", "down", "down", "enter", "tab", *"10.01.2027", "enter"])
        for _ in range(4):
            await pilot.pause()
        # the list's own late move of the focus (Textual's) does not take it back, closed
        assert app.focused is pane.query_one("#agr-what"), app.focused
        stored = await saved_plan(app, vault, plan.id)
    [agreement] = stored.agreements
    assert (agreement.what, agreement.responsible, agreement.deadline.isoformat()) == (
        "Ringe til lægen", second, "2027-01-10")


async def test_the_footer_shows_whole_keys_and_f1_at_80_columns(tmp_path):
    """Found by reviews at 80x24: the footer was cut in the middle of a key ("^r Vis/skjul CPR
    alt+▏"), and F1, which lists every key, was not on it. Whole keys from the start, the
    command palette's key left out first, F1 always; at 120 columns more keys come back."""
    from textual.widgets._footer import FooterKey

    from screens.footer import KeyFooter

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        for tab in ("prepare", "agenda", "participants", "round", "agreements", "closing"):
            await app.screen.action_show_tab(tab)
            footer = app.screen.query_one(KeyFooter)
            for _ in range(50):  # fitted after it is laid out, however busy the machine
                await pilot.pause()
                shown = [k for k in footer.query(FooterKey) if k.display]
                if shown and shown[-1].action.endswith("help"):
                    break
            shown = [k for k in footer.query(FooterKey) if k.display]
            assert shown and shown[-1].action.endswith("help"), tab
            for key in shown:  # each whole, inside the footer
                assert key.region.right <= footer.region.right, (tab, key.description)
            line = screen_text(app).splitlines()[-1]
            assert line.rstrip().endswith("f1 Hjælp"), (tab, line)
        narrow = len(shown)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        assert len([k for k in footer.query(FooterKey) if k.display]) > narrow


async def test_a_closed_meeting_says_so_and_when_it_was_saved_at_80_columns(tmp_path):
    """Found by a review at 80x24: the closed meeting's sentence pushed the name and "Gemt"
    off the status line ("… (F7, Ctrl+F) for at"). A shorter one is used on a narrow screen."""
    from kiptui.model import MeetingStatus

    plan = sample_plan()
    plan.meetings[-1].status = MeetingStatus.CLOSED
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id, tab="round")
        for width, height in ((80, 24), (100, 30)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            app.screen.update_status()
            await pilot.pause()
            status = screen_text(app).splitlines()[0]
            assert "Afsluttet – kun læsning (genåbn: F7, Ctrl+F)" in status, status
            assert "Gemt 10:00:00" in status and status.startswith("Mikkel"), status



async def test_a_draft_agreement_returned_to_keeps_its_text_and_takes_more(tmp_path):
    """Found by a review: F6, a draft agreement typed, F5 and F6 again, and the next words
    replaced the draft (the field selected all of its text when it got the focus). The
    what-field's draft is no longer selected on focus."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agreements")
        await pilot.pause()
        await pilot.press(*"Ringe", "f5")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*" til lægen")
        await pilot.pause()
        assert app.screen.query_one("#agr-what", Input).value == "Ringe til lægen"


async def test_the_summary_made_in_a_burst_has_what_was_typed_just_before(tmp_path):
    """Found by a review: on F7 the next meeting's date typed and Ctrl+G in one burst made a
    summary that said 'Næste møde: ikke fastsat': the date had not reached the plan when the
    summary was made. Ctrl+G, Ctrl+R and Ctrl+F let what was typed reach it first."""
    from screens.widgets import NoteArea
    from tests.ui.test_note_area import _burst

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        app.screen.query_one("#next-when", Input).focus()
        await pilot.pause()
        _burst(app, [*"15.01.2027 10:00", "ctrl+g"])
        for _ in range(4):
            await pilot.pause()
        summary = app.screen.query_one("#summary", NoteArea).text
    assert "15.01.2027" in summary, summary


async def test_a_closed_choice_list_does_not_take_the_focus_back(tmp_path):
    """Found by a review in tmux: Enter Down Enter on a choice, all at once: the choice was
    made, and then the list (closed by then) took the focus a moment later, as Textual moves
    the focus into a list that opens; the date typed next went into it."""
    from textual.widgets import Select

    from screens.agreements import AgreementsPane
    from tests.ui.harness import open_pane
    from tests.ui.test_note_area import _burst

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgreementsPane, "agreements")
        who = pane.query_one("#agr-who", Select)
        who.focus()
        await pilot.pause()
        _burst(app, ["enter", "down", "enter"])
        for _ in range(3):
            await pilot.pause()
        assert app.focused is who and not who.expanded and not who.is_blank()


async def test_alt_a_in_a_text_field_shows_the_deviations(tmp_path):
    """Found by a review: Alt+A in the agreements' what-field or a note typed an "a" (the
    terminal sends Alt+A with the letter), where the footer offers "alt+a Afvigelser"."""
    from screens.deviations import DeviationsScreen

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agreements")
        await pilot.pause()
        what = app.screen.query_one("#agr-what", Input)
        await pilot.press(*"x")
        app.post_message(events.Key("alt+a", "a"))
        await pilot.pause()
        await pilot.pause()
        assert what.value == "x"
        assert isinstance(app.screen, DeviationsScreen)


async def test_the_command_palette_speaks_danish_and_lists_the_screens_commands(tmp_path):
    """Ctrl+P showed Textual's English system commands ("Keys", "Maximize", "Screenshot" –
    which writes the screen, plan and all, to a file unencrypted) under "Search for
    commands…", and "No matches found"; the screen's own commands only after typing."""
    from textual.command import CommandList

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agreements")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        text = screen_text(app)
        assert "Søg efter en kommando" in text and "Search for" not in text
        for english in ("Keys", "Maximize", "Screenshot", "Theme", "Quit the application"):
            assert english not in text, english
        listed = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert any(t("agreements.cmd_new") in o for o in listed)  # the tab's own, untyped
        assert any(t("cmd.quit") in o for o in listed) and any(t("cmd.help") in o for o in listed)
        await pilot.press(*"zzqx")
        for _ in range(100):  # shown by a timer (half a second), however busy the machine
            await pilot.pause(0.1)
            if t("palette.no_matches") in screen_text(app):
                break
        assert t("palette.no_matches") in screen_text(app) and "No matches" not in screen_text(app)
        for _ in "zzqx":
            await pilot.press("backspace")
        await pilot.press(*t("cmd.help").split()[0])
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert t("help.agreements", example=example_deadline(app.clock().date())) in app.screen.query_one(Markdown).source


async def test_ctrl_c_outside_a_text_field_says_how_to_quit_in_danish(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agenda")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said == [t("app.help_quit")] and "Ctrl+Q" in said[0]
        assert app.is_running


async def test_a_fault_in_kiptui_saves_first_and_reports_no_plan_text(tmp_path):
    """A review's crash (F5, NoMatches) ended the app with exit 0, lost the note typed just
    before it, and Textual's report shows the local variables: the plan's own text."""
    app, plan, vault = make_app(tmp_path, plan_with_round(), autosave_delay=60)
    secret = " ".join(["Hemmelig", "bemærkning", "om", "Jonas"])  # not in the source shown

    def fault() -> None:
        note_text = secret  # noqa: F841 - a local, as the handlers that fail have them
        raise RuntimeError("en fejl i programmet")

    shown: list = []
    app._print_error_renderables = lambda: shown.extend(app._exit_renderables)  # what it prints
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            note = await round_note(app, pilot, plan.id)
            await pilot.pause()
            await pilot.press(*secret)
            assert app.dirty  # not saved yet (the autosave waits a minute)
            app.call_later(fault)
            await pilot.pause()
    assert app.return_code == 1
    report = "".join(seg.text for r in shown for seg in r.segments)
    assert t("app.fault").split()[0] in report and "RuntimeError" in report
    assert secret not in report and "locals" not in report
    assert vault.load_plan(plan.id).meetings[0].round_entry(CITIZEN_ID).text == secret
    assert note.text == secret
