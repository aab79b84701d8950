"""The referent's app: unlock → plans → the meeting screens, with autosave, idle auto-lock,
themes (incl. a high-contrast projector theme), F-key navigation and a command palette.

The vault is touched from here only: screens edit the plan object and call
`plan_changed()`; the app snapshots the plan on the UI thread and writes it encrypted on a
single background thread (so saves keep their order and the UI never waits on disk).
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.dom import NoScreen
from textual.screen import Screen
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.theme import Theme
from textual.timer import Timer

from kiptui.i18n import UserError, os_reason, set_language, t

if TYPE_CHECKING:  # the vault and the model load after the first screen is up
    from kiptui.model import Meeting, Plan
    from kiptui.vault import PlanHandle, Vault
from screens.fields import in_order_priority, is_text_field, settles
from screens.text import translate_bindings, translate_textual_bindings

AUTOSAVE_DELAY = 0.8  # seconds after the first unsaved change
SAVE_RETRY = 5.0
IDLE_LOCK_SECONDS = 600
IDLE_CHECK_INTERVAL = 5.0
SIGCONT_GRACE = 0.1  # seconds a SIGCONT waits for a SIGHUP sent with it (a closed terminal)
SETTLE_TIMEOUT = 2.0  # seconds the widgets get to handle keys typed ahead of quit/lock/save
HEAP_FREEZE_DELAY = 0.5  # seconds after a plan's screen appears
# Python collects its youngest objects every 700 allocations by default; Textual makes several
# hundred per frame (each line of the screen a Strip with seven small caches), so every frame
# ran a collection and every ~190 keystrokes a full one (see KiptuiApp.freeze_heap)
GC_THRESHOLDS = (10_000, 10, 10)

PROJECTOR_THEME = Theme(
    name="kiptui-projektor",
    primary="#FFD700",
    secondary="#00E5FF",
    accent="#FFD700",
    foreground="#FFFFFF",
    background="#000000",
    surface="#161616",  # fields and tables: just off black, so they stay visible
    panel="#262626",
    success="#00FF7F",
    warning="#FFD700",
    error="#FF5555",
    dark=True,
    variables={
        "block-cursor-background": "#FFD700",
        "block-cursor-foreground": "#000000",
        "footer-key-foreground": "#FFD700",
        "input-selection-background": "#FFD700 40%",
    },
)


class KiptuiCommands(Provider):
    """Screen-aware commands for ctrl+p: navigation always, the pane's own actions when open."""

    async def discover(self) -> Hits:
        """The palette opened with nothing typed lists the screen's own commands (in the UI's
        language), not Textual's English system commands."""
        app: KiptuiApp = self.app  # type: ignore[assignment]
        for label, help_text, callback in app.palette_commands(self.screen):
            yield DiscoveryHit(label, partial(app.call_after_refresh, callback), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        app: KiptuiApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        # self.screen: the screen the palette was opened on (app.screen is the palette now)
        for label, help_text, callback in app.palette_commands(self.screen):
            score = matcher.match(label)
            if score > 0:
                # after a refresh: the palette's dismissal restores the old focus first, and
                # a tab switch done before that would be undone by it
                yield Hit(score, matcher.highlight(label), partial(app.call_after_refresh, callback),
                          text=label, help=help_text)


class KiptuiPalette(CommandPalette):
    """Textual's command palette, in the UI's language: its search field and its "No matches
    found" (written into Textual's method; the same otherwise)."""

    def __init__(self) -> None:
        super().__init__(placeholder=t("palette.placeholder"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        from rich.align import Align
        from rich.text import Text
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(t("palette.no_matches"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


class KiptuiApp(App[int]):
    # absolute, so that subclasses elsewhere (tests, benchmarks) find the styles too
    # Only the shared styles at start-up: each screen brings its own .tcss when first shown
    # (MeetingScreen the panes', ReviewScreen the review's), which halves the time to the
    # unlock screen. Absolute paths, so subclasses elsewhere find them too.
    CSS_PATH = [Path(__file__).parent / "kiptui.tcss"]
    TITLE = "kiptui"
    # only kiptui's own: Textual's system commands are English, repeat keys kiptui has
    # (quit, help, theme), and "Screenshot" would write the plan on screen to a file unencrypted
    COMMANDS = {KiptuiCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True),
        Binding("f1", "help", "key.help", id="help"),
        Binding("ctrl+s", "save_now", "key.save", id="save", show=False),
        Binding("ctrl+l", "lock", "key.lock", id="lock", show=False),
        Binding("ctrl+t", "toggle_projector_theme", "key.projector_theme", id="theme", show=False),
        # Textual's own (it adds one unless the app has it), so that the footer speaks Danish
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True,
                tooltip="key.palette_tooltip"),
    ]

    def __init__(
        self,
        vault_path: Path,
        *,
        lang: str = "da",
        demo_passphrase: str | None = None,
        clock: Callable[[], datetime] | None = None,
        idle_lock_seconds: float = IDLE_LOCK_SECONDS,
        autosave_delay: float = AUTOSAVE_DELAY,
        vault: Vault | None = None,
        start_review: str = "",
    ) -> None:
        set_language(lang)
        translate_textual_bindings()
        super().__init__()
        translate_bindings(self)
        self.lang = lang
        self.vault_path = Path(vault_path)
        self.demo_passphrase = demo_passphrase
        self.clock: Callable[[], datetime] = clock or datetime.now
        self.idle_lock_seconds = idle_lock_seconds
        self.autosave_delay = autosave_delay
        self.vault: Vault | None = vault
        self.handle: PlanHandle | None = None
        self.meeting_id: str = ""
        self.dirty = False
        self.last_save_error: str = ""
        self.saves = 0
        self._save_timer: Timer | None = None
        self._save_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiptui-save")
        self._pending_saves: set[asyncio.Future[Any]] = set()
        self._last_activity = self.clock()
        self._resume: dict[str, str] | None = None
        self._heap_frozen = False
        self._heap_done = False  # the app has ended: a late timer must not freeze again
        gc.set_threshold(*GC_THRESHOLDS)
        if start_review:  # `kiptui review PLAN`: straight to the review after unlocking
            self._resume = {"plan": start_review, "review": "cli"}  # leaving it ends kiptui
        self.register_theme(PROJECTOR_THEME)

    # ------------------------------------------------------------------ start

    def get_default_screen(self) -> Screen[Any]:
        """Locked, the unlock screen is the base screen itself: one screen to build at
        start-up instead of two (the time to the first screen counts)."""
        if self.vault is None:
            from screens.unlock import UnlockScreen

            return UnlockScreen()
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_INTERVAL, self.check_idle_lock)
        self._catch_end_signals()
        if self.vault is not None:
            self.show_plans()

    # The terminal window closed (SIGHUP) or the system asks the program to stop (SIGTERM):
    # by default Python just ends, and what was typed since the last autosave (up to ~1 s)
    # was lost (seen: a name typed, the tmux window killed, the file without it).
    END_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))

    def _catch_end_signals(self) -> None:
        loop = asyncio.get_running_loop()
        self._caught_signals: list[int] = []
        for sig in self.END_SIGNALS:
            try:
                loop.add_signal_handler(sig, self._ended_by_signal)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or a platform without them
            self._caught_signals.append(sig)
        self._no_restart_when_ending()

    def _no_restart_when_ending(self) -> None:
        """A terminal that is closed sends SIGCONT along with SIGHUP, and Textual answers
        SIGCONT (meant for coming back after a suspend) by starting its terminal mode anew:
        new input and output threads, on a terminal that is gone. When that came while the
        app was already ending (Ctrl+Q, and the window closed a moment later), the process
        never ended and kept a CPU core busy (seen, then reproduced in tmux about one time
        in three). Now a SIGCONT is looked at in the loop, after what came with it, and
        restarts nothing once the app is ending (or ends because of what came with it)."""
        sigcont = getattr(signal, "SIGCONT", None)
        if sigcont is None:
            return
        try:
            textual_handler = signal.getsignal(sigcont)
        except ValueError:
            return
        if not callable(textual_handler):
            return
        loop = asyncio.get_running_loop()

        def continued(signum: int, frame: Any) -> None:
            # Runs between two bytecodes of whatever the app was doing. A hang-up's SIGHUP
            # reaches the loop through its wakeup pipe, and not always before this (seen in
            # a test): decide a moment later, when it has. (After a real suspend the screen
            # comes back 0.1 s later; nobody notices.)
            try:
                loop.call_soon_threadsafe(loop.call_later, SIGCONT_GRACE, self._continue_unless_ending,
                                          textual_handler, signum)
            except RuntimeError:
                pass  # the loop is closed: the app has ended, there is nothing to restart

        signal.signal(sigcont, continued)

    def _continue_unless_ending(self, textual_handler: Callable[..., Any], signum: int) -> None:
        if getattr(self, "_ending", False) or getattr(self, "_exit", False):
            return
        textual_handler(signum, None)

    def _ended_by_signal(self) -> None:
        """Save what was typed and release the plan, then end: quit, without asking."""
        if not getattr(self, "_ending", False):
            self._ending = True
            self._end_task = asyncio.ensure_future(self._end_after_signal())  # kept: tasks are weak

    async def _end_after_signal(self) -> None:
        try:
            await self.shutdown()
        except Exception:  # noqa: BLE001 - there is no terminal left to tell; the exit code says it
            self.exit(1, return_code=1)
        else:
            self.exit(0)

    def unlocked(self, vault: Vault) -> None:
        """Called by the unlock screen once the key is derived (in its worker)."""
        self.vault = vault
        self._last_activity = self.clock()
        resume, self._resume = self._resume, None
        if resume and resume.get("plan"):
            try:
                plan_id = vault.find(resume["plan"])
                self.open_plan(plan_id, meeting_id=resume.get("meeting", ""),
                               tab=resume.get("tab", ""))
                if resume.get("review"):
                    self.start_review(ends_app=resume["review"] == "cli")
                return
            except UserError as err:  # VaultError (the vault module loads lazily)
                self.notify(err.message, severity="error", markup=False)
        self.show_plans()

    def show_plans(self) -> None:
        from screens.plans import PlansScreen

        self._clear_to_base()
        self.push_screen(PlansScreen())

    def _clear_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # ------------------------------------------------------------------ the open plan

    @property
    def plan(self) -> Plan:
        if self.handle is None:
            raise RuntimeError("no plan is open")
        return self.handle.plan

    @property
    def meeting(self) -> Meeting:
        m = self.plan.meeting(self.meeting_id)
        if m is None:
            m = default_meeting(self.plan)
            if m is None:
                raise RuntimeError("the plan has no meeting")
            self.meeting_id = m.id
        return m

    def open_plan(self, plan_id: str, *, meeting_id: str = "", tab: str = "") -> None:
        from screens.meeting import MeetingScreen

        assert self.vault is not None
        self.close_plan()
        self.handle = self.vault.open_plan(plan_id)
        m = self.plan.meeting(meeting_id) or default_meeting(self.plan)
        self.meeting_id = m.id if m else ""
        self._clear_to_base()
        self.push_screen(MeetingScreen(initial_tab=tab))
        handle = self.handle
        self.set_timer(HEAP_FREEZE_DELAY, lambda: self.freeze_heap(handle))

    def freeze_heap(self, handle: PlanHandle | None) -> None:
        """Move what lives as long as the open plan (the plan, its screen, Textual's styles and
        modules: 220,000 objects) out of the garbage collector's sight until the plan closes.
        A full collection had to look at all of them each time: measured, it stopped the
        screen for about 200 ms every ~190 keystrokes with the large plan open. Done once the
        plan's screen is up, and again after a tab is first built; the plan's objects are
        given back when it closes."""
        if handle is None or handle is not self.handle or self._heap_done:
            return
        # garbage is collected first (frozen, it would stay until the plan closes): all of it
        # the first time, then the young generations, which hold what was built since
        gc.collect(1 if self._heap_frozen else 2)
        gc.freeze()
        self._heap_frozen = True

    def thaw_heap(self) -> None:
        if self._heap_frozen:
            gc.unfreeze()  # the closed plan's screen and objects can be collected again
            self._heap_frozen = False

    def start_review(self, ends_app: bool | None = None) -> None:
        """Go through the open plan with a citizen who was not at the meeting. `ends_app`:
        started by `kiptui review PLAN`, so leaving it ends kiptui (the citizen sitting there
        is shown neither the plan's editor nor the list of every plan); None: the review
        tells by the screen behind it."""
        from screens.review import ReviewScreen, review_meeting

        m = review_meeting(self.plan)
        if m is None:
            self.notify(t("minutes.no_meeting"), severity="warning", markup=False)
            return
        self.push_screen(ReviewScreen(m.id, ends_app=ends_app))

    def close_plan(self) -> None:
        """Save what is pending (synchronously) and release the writer lock."""
        if self.handle is None:
            return
        self.flush_save_sync()
        self.handle.close()
        self.handle = None
        self.meeting_id = ""
        self.thaw_heap()

    def plan_changed(self, origin: Any = None) -> None:
        """Every edit ends here: schedule the autosave and let the other panes re-read."""
        self.dirty = True
        # Not a debounce: the first unsaved change starts the clock, later keystrokes don't
        # restart it, so a referent typing without pause still loses at most ~1 s.
        if self._save_timer is None:
            self._save_timer = self.set_timer(self.autosave_delay, self._autosave)
        screen = self.screen
        broadcast = getattr(screen, "plan_updated", None)
        if broadcast is not None:
            broadcast(origin)

    # ------------------------------------------------------------------ saving

    def save_now(self) -> asyncio.Future[Any] | None:
        """Snapshot now (UI thread), write on the save thread. Returns the future, if any."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.handle is None or not self.dirty:
            return None
        handle = self.handle
        try:
            data = handle.snapshot(self.clock())
        except Exception as err:  # noqa: BLE001 - a save must never take the app down
            self._save_failed(err)
            return None
        self.dirty = False
        if data is None:  # nothing had changed: the status line says saved, not "saving …"
            self._update_save_state()
            return None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._save_executor, handle.write, data)
        self._pending_saves.add(future)
        future.add_done_callback(self._save_done)
        return future

    def _autosave(self) -> None:
        """The timers' save. Returns nothing: Textual awaits what a timer's callback returns,
        and awaiting the write's future made a failed write (a full disk) an exception in the
        app itself, which ended it, instead of "IKKE GEMT" and a retry (seen as a test that
        failed now and then under load, when the autosave timer fired during it)."""
        self.save_now()

    def _save_done(self, future: asyncio.Future[Any]) -> None:
        self._pending_saves.discard(future)
        if future.cancelled():
            return
        err = future.exception()
        if err is not None:
            self.dirty = True  # the text stays in memory and is written at the next try
            self._save_failed(err)
            self.set_timer(SAVE_RETRY, self._autosave)
        else:
            self.saves += 1
            if self.last_save_error:
                self.last_save_error = ""
                self.notify(t("app.save_recovered"), markup=False)
            self._update_save_state()

    def _save_failed(self, err: BaseException) -> None:
        from kiptui.vault import VaultError

        if isinstance(err, VaultError):
            reason = err.message
        else:  # a full disk, a drive gone: said in the UI language (kiptui.i18n.os_reason)
            reason = os_reason(err) if isinstance(err, OSError) else type(err).__name__
        self.last_save_error = str(reason)
        self.notify(t("app.save_failed", reason=reason), severity="error", timeout=10, markup=False)
        self._update_save_state()

    def _update_save_state(self) -> None:
        if not self.is_running or not self.screen_stack:
            return  # a save that finished while the app was closing
        updater = getattr(self.screen, "update_save_state", None)
        if updater is not None:
            updater()

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Let the widgets on screen handle what is already queued before the plan is saved.

        Keys typed just ahead of Ctrl+Q (or Ctrl+L, Ctrl+S, leaving the plan) still sit in the
        focused widget's queue, and the Changed message each one makes reaches the pane that
        updates the plan one widget later. Without this the last words typed were lost when the
        app was busy (measured: a burst typed just before Ctrl+Q never reached the file).
        The calling widget's own queue is skipped: waiting on it would wait forever.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        me = asyncio.current_task()
        first = True
        while True:
            waiting: list[asyncio.Future[None]] = []
            for node in self.screen.walk_children(with_self=True):
                if getattr(node, "_task", None) is me:
                    continue
                queue = getattr(node, "_message_queue", None)
                if queue is None or not (first or queue.qsize()):
                    continue
                done: asyncio.Future[None] = loop.create_future()
                if node.call_later(lambda f=done: f.done() or f.set_result(None)):
                    waiting.append(done)
            first = False
            remaining = deadline - loop.time()
            if not waiting or remaining <= 0:
                return
            _, late = await asyncio.wait(waiting, timeout=remaining)
            if late:
                return  # a widget that does not answer must not keep the user from quitting

    async def wait_for_saves(self) -> None:
        """Tests and shutdown: the pending writes are on disk when this returns."""
        while self._pending_saves:
            await asyncio.gather(*list(self._pending_saves), return_exceptions=True)

    def flush_save_sync(self) -> None:
        """Write pending edits now, on the calling thread (quit, lock, plan switch)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self._save_executor.submit(lambda: None).result()  # earlier writes first
        if self.handle is None:
            return
        try:
            if self.dirty:
                self.dirty = False
                self.handle.save(self.clock())
        except Exception as err:  # noqa: BLE001
            self.dirty = True
            self._save_failed(err)

    @settles
    async def action_save_now(self) -> None:
        await self.settle()
        self.dirty = True if self.handle is not None else self.dirty
        future = self.save_now()
        if future is not None:
            await asyncio.gather(future, return_exceptions=True)
        if not self.last_save_error:
            self.notify(t("app.saved"), markup=False, timeout=2)

    # ------------------------------------------------------------------ idle lock

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_activity = self.clock()
        if (isinstance(event, events.Key) and not event.is_forwarded and self.screen.maximized is None
                and self.focused is not None and not is_text_field(self.focused)):
            # a key from the terminal for a list, a button, a choice: as Textual does it (the
            # priority bindings first, then the key goes to the focused widget), but the
            # focused widget's bindings run now, in the order the keys came (Enter on an
            # agenda item moves the cursor to its notes before the next letters arrive; they
            # went to the list, where s stopped the item and p made it private)
            self.app_focus = True
            try:
                self.screen._clear_tooltip()
            except NoScreen:
                pass
            if await self._check_bindings(event.key, priority=True) or await self.key_in_order(event):
                return
            self.focused._forward_event(event)
            return
        if (isinstance(event, events.Key) and not event.is_forwarded and self.screen.maximized is None
                and is_text_field(self.focused) and in_order_priority(self, event.key)):
            # F2–F7 in a text field: to the field, behind the letters typed before it, which
            # runs it in order (screens.fields.keys_in_order), not at once as Textual does
            self.app_focus = True
            self.focused._forward_event(event)
            return
        await super().on_event(event)

    async def key_in_order(self, event: events.Key) -> bool:
        """Run the bindings of the focused widget (not a text field: those do their own keys
        in order, screens.fields) for `event` now; True if one did it. A letter in a list that
        searches as you type is left to the list."""
        from textual.widgets import OptionList

        focused = self.focused
        if focused is None or is_text_field(focused):
            return False
        if await self._check_bindings(event.key, priority=True):
            return True  # F5 passed on from a field F4 has just left (it went to F4's table)
        if event.is_printable and isinstance(focused, OptionList):
            return False
        if event.key == "enter" and self._choose_now(focused):
            return True
        if not await self._check_bindings(event.key):
            return False
        self._open_choice_now(focused)
        return True

    def _open_choice_now(self, widget: Any) -> None:
        """A choice list (Select) the key opened takes the keys typed after it at once: Textual
        moves the focus into it only after the keys already waiting (a review's Enter Down Down
        Enter in one burst left the choice unmade)."""
        from textual.widgets import Select
        from textual.widgets._select import SelectOverlay

        if isinstance(widget, Select) and widget.expanded:
            self.screen.set_focus(widget.query_one(SelectOverlay), scroll_visible=False)

    def _choose_now(self, widget: Any) -> bool:
        """Enter in an open choice list: the highlighted choice is made and the focus back on
        the Select at once, as Textual's Select does it a few messages later (by then the keys
        typed after the Enter, a Tab and a date, had gone into the list)."""
        from textual.widgets import Select
        from textual.widgets._select import SelectOverlay

        if not isinstance(widget, SelectOverlay) or not isinstance(widget.parent, Select):
            return False
        select, index = widget.parent, widget.highlighted
        if index is None:
            return False
        value = select._options[index][1]
        if value != select.value:
            select.value = value
        select.expanded = False
        self.screen.set_focus(select, scroll_visible=False)
        return True

    def check_idle_lock(self) -> None:
        if self.vault is None or self.idle_lock_seconds <= 0:
            return
        idle = (self.clock() - self._last_activity).total_seconds()
        if idle >= self.idle_lock_seconds:
            self.lock()

    @settles
    async def action_lock(self) -> None:
        await self.settle()
        self.lock()

    def lock(self) -> None:
        """Save, drop the plan and the key, ask for the passphrase; then come back here."""
        from screens.unlock import UnlockScreen

        if self.vault is None:
            return
        resume: dict[str, str] = {}
        if self.handle is not None:
            from screens.review import ReviewScreen

            resume = {"plan": self.handle.plan_id, "meeting": self.meeting_id,
                      "tab": getattr(self.screen, "active_tab", "")}
            if isinstance(self.screen, ReviewScreen):
                resume["review"] = "cli" if self.screen.ends_app else "1"
        self.close_plan()
        self.vault.close()
        self.vault = None
        self._resume = resume
        self._clear_to_base()
        base = self.screen_stack[0]
        if isinstance(base, UnlockScreen):
            base.reset(locked=True)
        else:
            self.push_screen(UnlockScreen(locked=True))

    # ------------------------------------------------------------------ misc actions

    def action_help(self) -> None:
        from screens.modals import HelpModal

        key = getattr(self.screen, "help_key", "help.app")
        self.push_screen(HelpModal(key, getattr(self.screen, "help_extra", "")))

    def action_toggle_projector_theme(self) -> None:
        self.theme = "textual-dark" if self.theme == PROJECTOR_THEME.name else PROJECTOR_THEME.name

    def palette_commands(self, screen: Any = None) -> list[tuple[str, str, Callable[[], Any]]]:
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        provider = getattr(screen or self.screen, "palette_commands", None)
        if provider is not None:
            commands.extend(provider())
        commands.append((t("cmd.help"), t("cmd.help_help"), self.action_help))
        commands.append((t("cmd.projector_theme"), t("cmd.projector_theme_help"), self.action_toggle_projector_theme))
        if self.handle is not None:
            commands.append((t("cmd.save"), t("cmd.save_help"), self.action_save_now))
        if self.vault is not None:
            commands.append((t("cmd.lock"), t("cmd.lock_help"), self.lock))
        commands.append((t("cmd.quit"), t("cmd.quit_help"), self.action_quit))
        return commands

    _faulted = False

    def _handle_exception(self, error: Exception) -> None:
        """A fault in kiptui itself ends the app, as in Textual, but what the plan holds is
        written first: a review's crash on F5 lost the note typed just before it."""
        if not self._faulted:
            self._faulted = True
            try:
                self.flush_save_sync()
            except Exception:  # noqa: BLE001 - the fault itself is what is reported
                pass
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's report of the fault, without the local variables it shows (they hold
        the plan: names, notes, the CPR number), under one line in the UI's language."""
        import rich
        from rich.console import Group
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        report = Group(Text(t("app.fault")), Traceback(show_locals=False, width=None, suppress=[rich]))
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text field: Textual says "Do you want to quit? Press ctrl+q …" in
        English; here in the UI's language."""
        self.notify(t("app.help_quit"), markup=False)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(KiptuiPalette())

    @settles
    async def action_quit(self) -> None:
        self._ending = True  # a SIGHUP/SIGTERM now does not start a second ending
        await self.shutdown()
        self.exit(0)

    async def shutdown(self) -> None:
        await self.settle()
        await self.wait_for_saves()
        self.close_plan()
        self._save_executor.shutdown(wait=True)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in getattr(self, "_caught_signals", []):
            loop.remove_signal_handler(sig)
        self._heap_done = True
        self.thaw_heap()  # an app that ends without closing its plan (tests, a lost terminal)


def default_meeting(plan: Plan) -> Meeting | None:
    """The meeting the referent most likely means: the first not yet closed, else the latest."""
    from kiptui.model import MeetingStatus

    for m in plan.meetings:
        if m.status != MeetingStatus.CLOSED:
            return m
    return plan.latest_meeting()


# ---------------------------------------------------------------------- entry points


def run_app(vault_path: Path, lang: str = "da", review: str = "") -> int:
    app = KiptuiApp(vault_path, lang=lang, start_review=review)
    result = app.run()
    return app.return_code or int(result or 0)  # 1 after a fault (None is returned then)


DEMO_PASSPHRASE = "demo-koordinering-plan-2026"


def make_demo_vault(folder: Path) -> Vault:
    """A vault built from data/demo-plan.json (fictional people only)."""
    from kiptui.planjson import parse_plan
    from kiptui.resources import data_path
    from kiptui.vault import Vault

    vault = Vault.create(folder, DEMO_PASSPHRASE)
    plan = parse_plan(data_path("demo-plan.json").read_bytes())
    vault.add_plan(plan)
    return vault


DEMO_PREFIX = "kiptui-demo-"


def remove_stale_demo_folders(parent: Path) -> list[Path]:
    """Demo folders left by a demo that did not end (killed, or the machine went down): ours,
    named with the process that made them, which is gone. They hold only the fictional demo
    plan, encrypted, but nobody should have to find and delete them by hand."""
    import shutil

    removed: list[Path] = []
    if os.name != "posix":  # os.kill(pid, 0) is no "is it alive?" on Windows
        return removed
    for folder in parent.glob(f"{DEMO_PREFIX}*-*"):
        pid_text = folder.name[len(DEMO_PREFIX):].split("-", 1)[0]
        try:
            if not pid_text.isdigit() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid_text), 0)
            continue  # the demo that made it is still running
        except ProcessLookupError:
            pass
        except (OSError, OverflowError):
            continue  # not ours to judge (e.g. another user's process)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def run_demo(lang: str = "da") -> int:
    import shutil
    import tempfile

    remove_stale_demo_folders(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-"))
    try:
        make_demo_vault(folder / "vault").close()
        app = KiptuiApp(folder / "vault", lang=lang, demo_passphrase=DEMO_PASSPHRASE)
        result = app.run()
        return app.return_code or int(result or 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
