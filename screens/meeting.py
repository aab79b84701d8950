"""The open plan: one tab per part of the meeting (F2–F7), a status line with the citizen,
the meeting, the current agenda item and the save state, and the meeting picker (F8)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from kiptui.i18n import enum_label, fmt_datetime, t
from kiptui.model import Meeting, MeetingStatus, new_follow_up_meeting
from kiptui.resources import agenda_template
from kiptui.textsafe import one_line
from screens.fields import focus_now, settles
from screens.text import tr, translate_bindings
from screens.widgets import ClosedGate, Pane
from screens.footer import KeyFooter
from screens.app import HEAP_FREEZE_DELAY

if TYPE_CHECKING:
    from screens.app import KiptuiApp

#: tab id, module, class, key — the order of the meeting itself
TABS: list[tuple[str, str, str, str]] = [
    ("prepare", "screens.prepare", "PreparePane", "f2"),
    ("agenda", "screens.agenda", "AgendaPane", "f3"),
    ("participants", "screens.participants", "ParticipantsPane", "f4"),
    ("round", "screens.situation_round", "SituationRoundPane", "f5"),
    ("agreements", "screens.agreements", "AgreementsPane", "f6"),
    ("closing", "screens.closing", "ClosingPane", "f7"),
]


#: the panes' styles, loaded with the meeting screen (not at start-up)
PANE_CSS = [Path(__file__).parent / f"{name}.tcss" for name in (
    "prepare", "agenda", "participants", "situation_round", "agreements", "closing",
)]


def _pane_class(module: str, name: str) -> type[Pane]:
    return getattr(importlib.import_module(module), name)


class MeetingScreen(ClosedGate, Screen[None]):
    CSS_PATH = PANE_CSS
    BLOCKED_WHEN_CLOSED = frozenset({"next_item", "previous_item"})
    BINDINGS = [
        # the agenda moves on from every tab: the referent is on the round or the agreements
        # when the chair moves on (Ctrl+→ in a text field moves a word, so not that key)
        Binding("alt+right", "next_item", "agenda.key_next", id="next-item"),
        Binding("alt+left", "previous_item", "agenda.key_previous", id="previous-item", show=False),
        # priority: a focused TextArea binds F6/F7 (select line/all); the tabs must win
        # not in the footer: the tab bar itself shows "Dagsorden F3" etc.
        *[Binding(key, f"show_tab('{tab}')", f"tab.{tab}", id=f"tab-{tab}", priority=True, show=False)
          for tab, _, _, key in TABS],
        Binding("f8", "pick_meeting", "meeting.pick", id="pick-meeting"),
        Binding("f9", "plans", "meeting.plans", id="plans"),
        Binding("f10", "review", "meeting.review", id="review"),
        Binding("f12", "export", "meeting.export", id="export"),
        # from any tab (the agreements tab shows it in its footer)
        Binding("alt+a", "deviations", "deviations.cmd", id="deviations", show=False),
    ]

    def __init__(self, initial_tab: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.initial_tab = initial_tab
        self._shown: dict[str, tuple[Any, ...]] = {}

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def active_tab(self) -> str:
        try:
            return self.query_one(TabbedContent).active
        except Exception:  # noqa: BLE001 - not mounted yet
            return self.initial_tab

    help_extra = "help.meeting"

    @property
    def help_key(self) -> str:
        return f"help.{self.active_tab or 'prepare'}"

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-line"):
            yield Static("", id="status-plan")
            yield Static("", id="status-item")
            yield Static("", id="status-save")
        initial = self.initial_tab or self._default_tab()
        with TabbedContent(initial=initial, id="meeting-tabs"):
            for tab, module, name, key in TABS:
                with TabPane(Content(f"{t('tab.' + tab)} {key.upper()}"), id=tab):
                    # only the tab in front is built now; the others when first shown
                    # (their widgets are most of the screen's memory and start-up)
                    if tab == initial:
                        yield _pane_class(module, name)(id=f"pane-{tab}")
        yield KeyFooter()

    def _default_tab(self) -> str:
        m = self.kapp.meeting
        return "agenda" if m.status == MeetingStatus.IN_PROGRESS else "prepare"

    def on_mount(self) -> None:
        self.update_status()
        self.update_save_state()
        self.set_interval(1.0, self.update_status)
        self._label_tabs(self.size.width)
        # keyboard first: the opened tab's first field has the cursor, ready to type
        self.call_after_refresh(lambda: self._focus_first(self.pane(self.active_tab)))

    def on_resize(self, event: events.Resize) -> None:
        self._label_tabs(event.size.width)

    def _label_tabs(self, width: int) -> None:
        """"Dagsorden F3" where there is room; on a narrow terminal just "Dagsorden", so all
        six tabs stay visible (the keys are still in F1's help)."""
        with_keys = width >= 100
        tabs = self.query_one(TabbedContent)
        for tab, _, _, key in TABS:
            label = f"{t('tab.' + tab)} {key.upper()}" if with_keys else t("tab." + tab)
            tabs.get_tab(tab).label = Content(label)

    def panes(self) -> list[Pane]:
        """The panes built so far (a tab not yet shown has none; it reads the plan when built)."""
        return list(self.query(Pane))

    def pane(self, tab: str) -> Pane:
        return self.query_one(f"#pane-{tab}", Pane)

    async def build_pane(self, tab: str) -> Pane:
        """The tab's pane, built and mounted first if the tab has not been shown before
        (a pane reads the plan when it is mounted)."""
        found = self.query(f"#pane-{tab}")
        if found:
            return found.first(Pane)
        module, name = next((m, n) for t_, m, n, _ in TABS if t_ == tab)
        pane = _pane_class(module, name)(id=f"pane-{tab}")
        pane.fresh = True
        await self.query_one(TabbedContent).get_pane(tab).mount(pane)
        handle = self.kapp.handle
        self.set_timer(HEAP_FREEZE_DELAY, lambda: self.kapp.freeze_heap(handle))  # its widgets too
        return pane

    async def action_show_tab(self, tab: str) -> None:
        pane = await self.build_pane(tab)
        self.query_one(TabbedContent).active = tab
        # caught up with the plan now, before the focus is in it: its Show event comes after
        # the keys typed next, and catching up then wrote over them (a burst "F2 Ny" lost "Ny")
        pane.catch_up()
        await pane.ready()
        self._focus_first(pane)

    def _focus_first(self, pane: Pane) -> None:
        pane.focus_first()
        focused = self.app.focused
        if focused is None:  # its fields are off (a closed meeting): its keys still work
            focus_now(pane)
        elif getattr(focused, "select_on_focus", False):
            # entered from a tab key: the cursor at the end, nothing selected (a review's
            # 'F2 XYZ' wrote over the citizen's name, selected as the field got the focus);
            # Tab through a form still selects, as forms do. Its Focus event is queued now,
            # so the field selects again after that.
            focused.select_on_focus = False
            focused.call_later(setattr, focused, "select_on_focus", True)

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # leaving a screen saves, as leaving a field does
        self.kapp.save_now()
        pane = await self.build_pane(event.pane.id or "")
        if pane.fresh:  # built for this showing: it has just read the plan
            pane.fresh = False
        else:
            pane.refresh_from_plan()

    def plan_updated(self, origin: Any = None) -> None:
        for pane in self.panes():
            if pane is not origin:
                pane.refresh_from_plan()
        self.update_status()
        self.update_save_state()

    def reload_all(self) -> None:
        for pane in self.panes():
            pane.refresh_from_plan()
        self.update_status()

    def update_status(self) -> None:
        app = self.kapp
        if app.handle is None:
            return
        plan, m = app.plan, app.meeting
        # "Møde 2 23.11.2026 10:00 (Planlagt)", or "Møde 2, dato ikke fastsat (Planlagt)"
        # the day it was held, once it has begun on another day than planned (as the minutes)
        held = m.held_at()
        start = held if held is not None and (m.starts_at is None or held.date() != m.starts_at.date()) else m.starts_at
        when = f" {fmt_datetime(start)}" if start else f", {t('meeting.no_date')}"
        number = plan.meetings.index(m) + 1
        coordinator = one_line(plan.name_of(plan.current_coordinator)) if plan.current_coordinator else ""
        self._show("#status-plan",
            Content.from_markup(
                "[b]$name[/b] · $meeting · $coordinator",
                name=one_line(plan.citizen.name) or "–",
                # a narrow terminal keeps the meeting's number and the coordinator in view
                meeting=f"{t('meeting.number', number=number)}{when} ({enum_label(m.status.value)})"
                if self.size.width >= 100 else t("meeting.number", number=number),
                coordinator=t("meeting.coordinator", name=coordinator or t("meeting.no_coordinator")),
            )
        )
        item = m.item(m.current_item)
        now = app.clock()
        status_item = self.query_one("#status-item", Static)
        status_item.set_class(m.status == MeetingStatus.CLOSED, "closed")
        if m.status == MeetingStatus.CLOSED:
            # said on every screen width: what was typed now would not be in the minutes
            status_item.set_class(False, "overrun")
            # shorter where the whole sentence would push "Gemt" off a narrow screen
            self._show("#status-item", tr("meeting.closed_read_only" if self.app.size.width >= 120
                                          else "meeting.closed_read_only_short"))
        elif item is not None:
            elapsed = int(Meeting.item_elapsed(item, now).total_seconds() // 60)
            text = Content.assemble(
                t("meeting.current_item") + ": ",
                (one_line(item.title), "bold"),
                f"  {elapsed}/{item.planned_minutes} min",
            )
            self.query_one("#status-item", Static).set_class(elapsed > item.planned_minutes, "overrun")
            self._show("#status-item", text)
        else:
            self._show("#status-item", tr("meeting.no_current_item"))

    # ------------------------------------------------------------------ the agenda, from any tab

    def action_next_item(self) -> None:
        from screens.agenda import next_item

        next_item(self)

    def action_previous_item(self) -> None:
        from screens.agenda import previous_item

        previous_item(self)

    def _show(self, selector: str, content: Content) -> None:
        """Update a status widget only when its text changes: this runs on every keystroke,
        and an update means a new layout of the line."""
        key = (content.plain, tuple(content.spans))
        if self._shown.get(selector) != key:
            self._shown[selector] = key
            self.query_one(selector, Static).update(content)

    def update_save_state(self) -> None:
        app = self.kapp
        widget = self.query_one("#status-save", Static)
        if app.last_save_error:
            self._show("#status-save", tr("meeting.save_error"))
            widget.set_class(True, "save-error")
        elif app.dirty or app._pending_saves:
            self._show("#status-save", tr("meeting.saving"))
            widget.set_class(False, "save-error")
        else:
            stamp = app.plan.updated_at
            self._show("#status-save", tr("meeting.saved_at", time=stamp.strftime("%H:%M:%S") if stamp else "–"))
            widget.set_class(False, "save-error")

    @settles
    async def action_plans(self) -> None:
        await self.kapp.settle()
        self.kapp.close_plan()
        self.kapp.show_plans()

    def action_export(self) -> None:
        from screens.export import open_export

        self.kapp.save_now()
        open_export(self.kapp)

    def action_review(self) -> None:
        self.kapp.save_now()
        self.kapp.start_review(ends_app=False)  # F10: leaving goes back to the meeting

    def action_pick_meeting(self) -> None:
        def picked(meeting_id: str | None) -> None:
            if meeting_id is None:
                return
            if meeting_id == "__new__":
                # the next meeting of the plan: its open agreements come along to follow up
                m = new_follow_up_meeting(self.kapp.plan, agenda_template(), None)
                meeting_id = m.id
                self.kapp.plan_changed()
            self.kapp.meeting_id = meeting_id
            self.reload_all()
            self.call_later(self.action_show_tab, "prepare")

        self.app.push_screen(MeetingPicker(), picked)

    def action_deviations(self) -> None:
        from screens.deviations import show_deviations

        show_deviations(self.app)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        commands: list[tuple[str, str, Any]] = []
        for tab, _, _, key in TABS:
            commands.append((f"{t('tab.' + tab)} ({key.upper()})", t("cmd.go_to_tab"),
                             lambda tab=tab: self.action_show_tab(tab)))
        commands.append((t("meeting.pick"), t("meeting.pick_help"), self.action_pick_meeting))
        commands.append((t("meeting.plans"), t("meeting.plans_help"), self.action_plans))
        commands.append((t("meeting.review"), t("meeting.review_help"), self.action_review))
        commands.append((t("meeting.export"), t("meeting.export_help"), self.action_export))
        commands.append((t("deviations.cmd"), t("deviations.cmd_help"), self.action_deviations))
        active = self.query_one(TabbedContent).active
        own = getattr(self.pane(active), "palette_commands", None)
        if own is not None:
            commands = own() + commands
        return commands


class MeetingPicker(ModalScreen[str | None]):
    """Choose which of the plan's meetings to work on, or start a new one from the template."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    MeetingPicker { align: center middle; }
    MeetingPicker > Vertical { width: 70; height: auto; max-height: 80%; border: thick $primary;
        background: $surface; padding: 1 2; }
    MeetingPicker OptionList { height: auto; max-height: 20; }
    """

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        app: KiptuiApp = self.app  # type: ignore[assignment]
        options = []
        for n, m in enumerate(app.plan.meetings, start=1):
            label = Content(
                f"{t('meeting.number', number=n)}  {fmt_datetime(m.starts_at) or t('meeting.no_date')}"
                f"  ({enum_label(m.status.value)})"
            )
            options.append(Option(label, id=m.id))
        options.append(Option(Content(t("meeting.new")), id="__new__"))
        with Vertical():
            yield Static(tr("meeting.pick"), classes="modal-title")
            yield OptionList(*options, id="meeting-options")
            yield Button(tr("modal.cancel"), id="picker-cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        app: KiptuiApp = self.app  # type: ignore[assignment]
        ids = [m.id for m in app.plan.meetings]
        if app.meeting_id in ids:
            options.highlighted = ids.index(app.meeting_id)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#picker-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
