"""The note area's fast keystroke path (issue 7): rows are served from a cache keyed on what
each row depends on, and a keystroke is painted without waiting for Textual's frame timer.
Both are checked against Textual's own behaviour, not against timings."""

from __future__ import annotations

import random
from typing import Any

from textual._compositor import CompositorUpdate
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from screens.fields import Input

from screens.widgets import NoteArea

SIZE = (60, 14)
TEXT = "\n".join(
    f"Linje {n}: borger fortæller om søvn, bolig og økonomi{' og samarbejdet med kommunen' * (n % 3)}."
    for n in range(40)
)


class NoteApp(App[None]):
    def compose(self) -> ComposeResult:
        yield NoteArea(TEXT, id="note")
        yield Input(id="other")


def _row(strip) -> list[tuple[str, object]]:  # noqa: ANN001
    return [(segment.text, segment.style) for segment in strip]


def assert_rows_fresh(note: NoteArea) -> None:
    """Every visible row as served (possibly from the cache) equals a fresh render."""
    for y in range(note.size.height):
        served = note.render_line(y)
        fresh = note._render_line(y)
        assert _row(served) == _row(fresh), f"row {y} is stale"


def assert_painted_rows_fresh(note: NoteArea) -> None:
    """The rows Textual keeps painted for the area (its styles cache: only rows marked dirty
    are rendered again) equal a fresh render: a keystroke that repaints only the rows of its
    line never leaves another row stale on the screen."""
    crop = note.size.region
    kept = note._styles_cache.render_widget(note, crop)
    fresh = StylesCache().render_widget(note, crop)
    for y, (a, b) in enumerate(zip(kept, fresh)):
        assert _row(a) == _row(b), f"painted row {y} is stale"


async def test_cached_rows_always_equal_a_fresh_render():
    """Random typing, deleting, newlines, selections, cursor moves, scrolling, focus changes
    and resizes; after each step every visible row is compared with Textual's renderer."""
    app = NoteApp()
    rng = random.Random(7)
    async with app.run_test(size=SIZE) as pilot:
        note = app.query_one(NoteArea)
        note.focus()
        note.cursor_blink = False
        await pilot.pause()
        for step in range(70):
            op = rng.choice(["type", "type", "type", "newline", "delete", "move", "select",
                             "scroll", "focus", "blink", "resize", "tab_text", "wide"])
            rows = note.document.line_count
            if op == "type":
                await pilot.press(*rng.choice(["a", "b", "space", "æ", "ø", "left", "right", "up", "down", "home", "end"])
                                  * rng.randint(1, 6))
            elif op == "newline":
                await pilot.press("enter")
            elif op == "delete":
                await pilot.press(*["backspace"] * rng.randint(1, 8))
            elif op == "move":
                row = rng.randrange(rows)
                note.move_cursor((row, rng.randint(0, len(note.document.get_line(row)))))
            elif op == "select":
                a, b = rng.randrange(rows), rng.randrange(rows)
                note.select_line(a) if a == b else note.move_cursor((a, 0))
                if a != b:
                    note.move_cursor((b, 3), select=True)
            elif op == "scroll":
                note.scroll_to(y=rng.randint(0, max(0, note.virtual_size.height - 1)), animate=False)
            elif op == "blink":  # what the blink timer does, without waiting for it
                note.cursor_blink = True
                note._cursor_visible = not note._cursor_visible
            elif op == "focus":
                (app.query_one("#other") if note.has_focus else note).focus()
            elif op == "resize":
                await pilot.resize_terminal(rng.choice([40, 60, 80]), rng.choice([10, 14]))
            elif op == "tab_text":
                note.insert("\tindrykket\t", note.cursor_location)
            else:
                note.insert("📋 日本 ", note.cursor_location)
            await pilot.pause()
            assert_rows_fresh(note)
            assert_painted_rows_fresh(note)
        assert note._line_cache.hits > 0  # the cache was actually used


async def test_a_keystroke_is_painted_without_the_frame_timer():
    """With the screen's update timer stopped, a typed character still reaches the
    terminal: the note area paints its own keystroke."""
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        note = app.query_one(NoteArea)
        note.focus()
        note.move_cursor((0, 0))
        await pilot.pause()
        frames: list[str] = []
        original = app._display

        def display(screen, renderable):  # noqa: ANN001
            if isinstance(renderable, CompositorUpdate):
                frames.append(renderable.render_segments(app.console))
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        app.screen._update_timer.stop()
        await pilot.press("Q")
        assert note.text.startswith("Q")
        assert any("Q" in frame for frame in frames)


async def test_what_is_typed_stays_on_screen_in_a_note_taller_than_the_pane(tmp_path):
    """A long situation note is taller than the screen: typing near its end scrolls the pane
    along, so the referent sees every word as it is typed."""
    from kiptui.model import CITIZEN_ID, AttendanceStatus
    from tests.ui.harness import SIZE as MEETING_SIZE, make_app, sample_plan, screen_text

    plan = sample_plan()
    m = plan.meetings[0]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    m.round_entry(CITIZEN_ID).text = "\n".join(f"Linje {n} om hverdagen." for n in range(200))
    app, plan, _vault = make_app(tmp_path, plan)
    async with app.run_test(size=MEETING_SIZE) as pilot:
        app.open_plan(plan.id, tab="round")
        await pilot.pause()
        note = next(n for n in app.screen.query(NoteArea) if n.text.startswith("Linje 0"))
        note.focus()
        for row in (60, 199, 5):
            note.move_cursor((row, 0))
            await pilot.press(*"QZ", "space")
            await pilot.pause()
            assert f"QZ Linje {row} om hverdagen." in screen_text(app), row
        app.close_plan()


def _burst(app: App, keys: list[str]) -> None:
    """Keys as the terminal driver hands a burst to the app: all queued before any is handled
    (a fast typist, a loaded laptop, a remote terminal)."""
    from textual import events

    for key in keys:
        character = key if len(key) == 1 else {"space": " "}.get(key)
        app.post_message(events.Key(key, character))


async def _typed(app: App, pilot: Any, keys: list[str]) -> None:
    """A burst (`_burst`), and the app done with it."""
    _burst(app, keys)
    await pilot.pause()
    await pilot.pause()


async def test_a_burst_of_edits_keeps_the_order_it_was_typed_in():
    """Found by a review: Backspace, the arrows and Home/End are bindings, which Textual ran
    only when the key had bubbled up to the app, after the letters typed behind them had been
    written; "@Nadia 10.01.2027" ended as "@Nadia 10." and the Enter was gone."""
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        note = app.query_one(NoteArea)
        note.load_text("abc")
        note.focus()
        note.move_cursor((0, 3))
        await pilot.pause()
        await _typed(app, pilot, ["backspace", "backspace", "x", "y", "left", "z", "home", "Q", "end", "!", "enter", "k"])
        assert note.text == "Qaxzy!\nk"


async def test_ctrl_home_and_ctrl_end_go_to_the_start_and_the_end_of_the_note():
    """Found by a review: Ctrl+Home did nothing, and the Q typed after it landed at the end."""
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        note = app.query_one(NoteArea)
        note.load_text("første linje\nanden linje\ntredje")
        note.focus()
        note.move_cursor((1, 3))
        await pilot.pause()
        await _typed(app, pilot, ["ctrl+home", "Q", "ctrl+end", "!", "ctrl+shift+home", "backspace"])
        assert note.text == ""
        await _typed(app, pilot, list("ab") + ["enter", *"cd", "ctrl+home", "X", "ctrl+end", "Y"])
        assert note.text == "Xab\ncdY"


async def test_keys_after_a_tab_in_the_same_burst_go_to_the_next_field():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        note = app.query_one(NoteArea)
        note.load_text("")
        note.focus()
        await pilot.pause()
        await _typed(app, pilot, ["h", "e", "j", "tab", "d", "u", "backspace", "a"])
        assert note.text == "hej"
        assert app.query_one("#other", Input).value == "da"
        assert app.focused is app.query_one("#other", Input)


async def test_keys_after_a_tab_reach_the_field_behind_a_choice(tmp_path):
    """Found by a review of the first fix: "Ringe" Tab Tab "10.01.2027" in one burst (the
    agreements' quick row: what · responsible · deadline) left the deadline empty: the keys
    passed on to the choice in between were dropped there, and its Tab came late."""
    from textual.widgets import Select

    from tests.ui.harness import make_app

    from textual.screen import Screen

    app, plan, vault = make_app(tmp_path)  # kiptui's app (its key handling), a plain screen

    class RowScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="what")
            yield Select([("Lone", "lone"), ("Anders", "anders")], id="who")
            yield Input(id="deadline")

    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(RowScreen())
        await pilot.pause()
        what = app.screen.query_one("#what", Input)
        what.focus()
        await pilot.pause()
        await _typed(app, pilot, ["R", "i", "n", "g", "e", "tab", "tab", "1", "0", "backspace", "2", "enter"])
        assert what.value == "Ringe"
        assert app.screen.query_one("#deadline", Input).value == "12"
        assert app.focused is app.screen.query_one("#deadline", Input)


async def test_keys_typed_after_the_enter_of_a_prompt_are_not_part_of_the_answer(tmp_path):
    """Found by a review: the reason for re-opening a meeting went to the append-only access
    log as "Mors bidrag skal medabc": the keys typed right after the Enter reached the field
    before the dialog had closed, and the answer was read from the field."""
    from screens.modals import TextPrompt
    from tests.ui.harness import make_app

    app, plan, vault = make_app(tmp_path)
    answers: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(TextPrompt("closing.reopen_prompt", "closing.reopen_placeholder"), answers.append)
        await pilot.pause()
        await _typed(app, pilot, [*"Mors bidrag", "enter", "a", "b", "c"])
    assert answers == ["Mors bidrag"]
