"""The situation round (F5): the participants in speaking order, the citizen first, one note per
speaker with optional life-area headings, and whose turn it is (the chair's view shows it)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kiptui.i18n import enum_label, t
from kiptui.model import CITIZEN_ID, LifeArea, Meeting, Plan, PlanError, RoundEntry
from kiptui.textsafe import one_line
from screens.text import tr, translate_bindings
from screens.fields import focus_now
from screens.widgets import NoteArea, Pane

LIFE_AREAS = [area.value for area in LifeArea]


def _has_words(entry: RoundEntry) -> bool:
    return bool(entry.text.strip() or any(v.strip() for v in entry.life_areas.values()))


def ordered_areas(entry: RoundEntry) -> list[str]:
    """The entry's life-area headings: the known ones in their usual order, then any others."""
    known = [a for a in LIFE_AREAS if a in entry.life_areas]
    return known + [a for a in entry.life_areas if a not in LIFE_AREAS]


def build_round_keeping_words(meeting: Meeting) -> None:
    """Meeting.build_round(), but a speaker who already has words in the round keeps them even
    when no longer marked present (a slip in the attendance list must never delete minutes)."""
    before = list(meeting.situation_round)
    meeting.build_round()
    kept = {e.contact_id for e in meeting.situation_round}
    meeting.situation_round.extend(e for e in before if e.contact_id not in kept and _has_words(e))


def speaker_role(plan: Plan, contact_id: str) -> str:
    """A short description beside the name: 'borger', 'Mor (pårørende)', 'Socialrådgiver, ...'."""
    if contact_id == CITIZEN_ID:
        return t("round.citizen")
    contact = plan.contact(contact_id)
    if contact is None:
        return ""
    parts = [one_line(p) for p in (contact.role, contact.organisation) if one_line(p)]
    if not contact.is_professional:
        parts.append(enum_label(contact.sector.value).lower())
    return ", ".join(parts)


class RoundNote(NoteArea):
    """A note of one speaker: the main text (area == "") or one life-area heading's text."""

    def __init__(self, text: str, contact_id: str, area: str = "", **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.contact_id = contact_id
        self.area = area


class SpeakerCard(Vertical):
    """One speaker of the round: a header (number, name, role, now/next) and the notes."""

    def __init__(self, plan: Plan, entry: RoundEntry) -> None:
        super().__init__(classes="speaker")
        self.plan = plan
        self.contact_id = entry.contact_id
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Horizontal(classes="speaker-head"):
            yield Static("", classes="speaker-name")
            yield Static(tr("round.badge_absent"), classes="speaker-badge badge-absent")
            yield Static(tr("round.badge_next"), classes="speaker-badge badge-next")
            yield Static(tr("round.badge_now"), classes="speaker-badge badge-now")
        yield RoundNote(self.entry.text, self.contact_id, classes="speaker-note")
        for area in ordered_areas(self.entry):
            yield from self._area_widgets(area)

    def _area_widgets(self, area: str) -> list[Any]:
        label = enum_label(area) if area in LIFE_AREAS else one_line(area)
        return [
            Static(Content(label), classes="life-area-label"),
            RoundNote(self.entry.life_areas.get(area, ""), self.contact_id, area, classes="life-area-note"),
        ]

    def show(self, number: int, *, current: bool, upcoming: bool, present: bool) -> None:
        name = one_line(self.plan.name_of(self.contact_id)) or "–"
        role = speaker_role(self.plan, self.contact_id)
        header = Content.assemble((f"{number}. ", "bold"), (name, "bold"))
        if role:
            header = Content.assemble(header, "  ·  ", role)
        self.query_one(".speaker-name", Static).update(header)
        self.set_class(current, "-current")
        self.set_class(upcoming and not current, "-next")
        self.set_class(not present, "-absent")

    def notes(self) -> list[RoundNote]:
        return list(self.query(RoundNote))

    def main_note(self) -> RoundNote:
        return self.query_one(".speaker-note", RoundNote)

    def note_for(self, area: str) -> RoundNote | None:
        return next((n for n in self.query(RoundNote) if n.area == area), None)

    async def add_area(self, area: str) -> RoundNote:
        widgets = self._area_widgets(area)
        await self.mount_all(widgets)
        return widgets[1]


class LifeAreaPicker(ModalScreen[str | None]):
    """Choose a life-area heading to add under a speaker (the ones not there yet)."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    LifeAreaPicker { align: center middle; }
    LifeAreaPicker > Vertical { width: 60; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    LifeAreaPicker OptionList { height: auto; max-height: 12; }
    LifeAreaPicker Button { margin-top: 1; }
    """

    def __init__(self, speaker: str, areas: list[str]) -> None:
        super().__init__()
        translate_bindings(self)
        self.speaker = speaker
        self.areas = areas

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr("round.pick_area", name=one_line(self.speaker)), classes="modal-title")
            yield OptionList(*[Option(Content(enum_label(a)), id=a) for a in self.areas], id="area-options")
            yield Button(tr("modal.cancel"), id="area-cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#area-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SituationRoundPane(Pane):
    _round_done = False  # Ctrl+N went past the last speaker
    MEETING_RECORD = True
    BLOCKED_WHEN_CLOSED = frozenset({"next_speaker", "give_floor", "move_speaker", "add_life_area"})
    TITLE_KEY = "tab.round"

    BINDINGS = [
        Binding("ctrl+n", "next_speaker", "round.key_next", id="round-next"),
        Binding("ctrl+o", "give_floor", "round.key_floor", id="round-floor"),
        Binding("alt+up", "move_speaker(-1)", "round.key_up", id="round-up", show=False),
        Binding("alt+down", "move_speaker(1)", "round.key_down", id="round-down", show=False),
        Binding("ctrl+r", "add_life_area", "round.key_area", id="round-area"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cards: dict[str, SpeakerCard] = {}
        self._stale = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="round-status"):
            yield Static("", id="round-now")
            yield Static("", id="round-next")
        yield Static(tr("round.hint"), id="round-hint", classes="hint")
        yield Static(tr("round.nobody_present"), id="round-empty", classes="notice")
        yield Static(tr("round.citizen_not_present"), id="round-no-citizen", classes="hint")
        yield Vertical(id="round-speakers")

    def on_mount(self) -> None:
        self.sync_from_plan()

    # ------------------------------------------------------------------ reading the plan

    def sync_from_plan(self) -> None:
        self._stale = False
        meeting = self.meeting
        before = [e.contact_id for e in meeting.situation_round]
        build_round_keeping_words(meeting)
        ids = [e.contact_id for e in meeting.situation_round]
        if ids != before:
            # told after this refresh: other panes may still be mounting, or be mid-broadcast
            self.call_after_refresh(self.changed)
        self._sync_cards()
        for card in self._cards.values():
            for note in card.notes():
                text = card.entry.life_areas.get(note.area, "") if note.area else card.entry.text
                note.set_text_if_idle(text)
        self._show_state()

    def _sync_cards(self) -> None:
        container = self.query_one("#round-speakers", Vertical)
        entries = {e.contact_id: e for e in self.meeting.situation_round}
        ids = list(entries)
        for cid in [c for c in self._cards if c not in entries or self._cards[c].entry is not entries[c]]:
            # gone from the round, or the plan object was replaced (another meeting, a reload)
            self._cards.pop(cid).remove()
        for cid in ids:
            if cid not in self._cards:
                card = SpeakerCard(self.plan, entries[cid])
                self._cards[cid] = card
                self.mounting(container.mount(card))
        for n, cid in enumerate(ids):
            card = self._cards[cid]
            if n == 0:
                live = [c for c in container.children if isinstance(c, SpeakerCard) and c in self._cards.values()]
                if live and live[0] is not card:
                    container.move_child(card, before=live[0])
            else:
                prev = self._cards[ids[n - 1]]
                siblings = list(container.children)
                if siblings.index(card) != siblings.index(prev) + 1:
                    container.move_child(card, after=prev)

    def _show_state(self) -> None:
        meeting = self.meeting
        ids = [e.contact_id for e in meeting.situation_round]
        present = set(meeting.present_ids())
        upcoming = meeting.next_speaker()
        for n, cid in enumerate(ids, start=1):
            card = self._cards.get(cid)
            if card is not None and card.is_mounted:
                card.show(n, current=cid == meeting.current_speaker, upcoming=cid == upcoming,
                          present=cid in present)
            elif card is not None:
                card.call_after_refresh(self._show_state)
        self.query_one("#round-empty").display = not ids
        self.query_one("#round-no-citizen").display = bool(ids) and not meeting.citizen_present
        self.query_one("#round-status").display = bool(ids)
        now_name = one_line(self.plan.name_of(meeting.current_speaker)) if meeting.current_speaker in ids else ""
        next_name = one_line(self.plan.name_of(upcoming)) if upcoming else ""
        now_widget = self.query_one("#round-now", Static)
        if now_name:
            now_widget.update(Content.assemble((t("round.now") + ": ", "bold"), (now_name, "bold")))
        elif self._round_done:
            now_widget.update(tr("round.done_again"))  # not "nobody has had the floor yet"
        else:
            now_widget.update(tr("round.nobody_speaking"))
        now_widget.set_class(bool(now_name), "-speaking")
        next_widget = self.query_one("#round-next", Static)
        if next_name:
            next_widget.update(Content.assemble((t("round.next") + ": ", "bold"), next_name))
        elif ids and now_name:
            next_widget.update(tr("round.last_speaker"))
        else:
            next_widget.update("")

    # ------------------------------------------------------------------ typing

    @on(TextArea.Changed)
    def _note_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if not isinstance(area, RoundNote):
            return
        card = self._cards.get(area.contact_id)
        if card is None:
            return
        entry = card.entry
        text = area.text
        if area.area:
            if entry.life_areas.get(area.area) == text:
                return
            entry.life_areas[area.area] = text
        else:
            if entry.text == text:
                return
            entry.text = text
        self.changed()

    # ------------------------------------------------------------------ actions

    def _focused_speaker(self) -> str:
        node: Any = self.screen.focused
        while node is not None and node is not self:
            if isinstance(node, SpeakerCard):
                return node.contact_id
            node = node.parent
        return ""

    def _focus_speaker(self, contact_id: str) -> None:
        card = self._cards.get(contact_id)
        if card is None:
            return
        note = card.main_note()
        # at once, not as focus() does after the keys already waiting: the words typed right
        # after Ctrl+N are the next speaker's (a review lost them to the previous note)
        self.screen.set_focus(note)
        note.move_cursor(note.document.end)
        card.scroll_visible(animate=False)

    def action_next_speaker(self) -> None:
        meeting = self.meeting
        if not meeting.situation_round:
            self.notify(t("round.nobody_present"), severity="warning", markup=False)
            return
        upcoming = meeting.next_speaker()
        meeting.current_speaker = upcoming
        self._round_done = not upcoming  # until the floor is given again (this session only)
        self.changed()
        self._show_state()
        if upcoming:
            self._round_begun()
            self._focus_speaker(upcoming)
        else:
            self.notify(t("round.round_done"), markup=False, timeout=4)

    def action_give_floor(self) -> None:
        cid = self._focused_speaker()
        if not cid:
            self.notify(t("round.focus_a_speaker"), severity="warning", markup=False)
            return
        self.meeting.current_speaker = cid
        self._round_done = False
        self.changed()
        self._show_state()
        self._round_begun()

    def _round_begun(self) -> None:
        """Someone has the floor: the agenda's round item becomes current if it has not begun."""
        from screens.agenda import agenda_reached

        agenda_reached(self, "situation_round")

    def action_move_speaker(self, delta: int) -> None:
        cid = self._focused_speaker()
        if not cid:
            self.notify(t("round.focus_a_speaker"), severity="warning", markup=False)
            return
        try:
            self.meeting.move_speaker(cid, delta)
        except PlanError as err:
            self.notify(t(err.code, **err.params), severity="warning", timeout=6, markup=False)
            return
        self.changed()
        self._sync_cards()
        self._show_state()
        self.call_after_refresh(self._cards[cid].scroll_visible, animate=False)

    def action_add_life_area(self) -> None:
        cid = self._focused_speaker()
        card = self._cards.get(cid)
        if card is None:
            self.notify(t("round.focus_a_speaker"), severity="warning", markup=False)
            return
        missing = [a for a in LIFE_AREAS if a not in card.entry.life_areas]
        if not missing:
            self.notify(t("round.all_areas_used"), markup=False)
            return

        async def chosen(area: str | None) -> None:
            if area is None or card.entry.life_areas.get(area) is not None:
                return
            card.entry.life_areas[area] = ""
            self.changed()
            note = await card.add_area(area)
            note.focus()
            note.scroll_visible(animate=False)

        self.app.push_screen(LifeAreaPicker(self.plan.name_of(cid), missing), chosen)

    def focus_first(self) -> None:
        current = self.meeting.current_speaker
        if current in self._cards:
            self._focus_speaker(current)
            return
        if self.meeting.situation_round:
            first = self._cards.get(self.meeting.situation_round[0].contact_id)
            if first is not None:
                focus_now(first.main_note())
                return
        super().focus_first()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (t("round.cmd_next"), t("round.cmd_next_help"), self.action_next_speaker),
            (t("round.cmd_floor"), t("round.cmd_floor_help"), self.action_give_floor),
            (t("round.cmd_area"), t("round.cmd_area_help"), self.action_add_life_area),
            (t("round.cmd_up"), t("round.cmd_up_help"), lambda: self.action_move_speaker(-1)),
            (t("round.cmd_down"), t("round.cmd_down_help"), lambda: self.action_move_speaker(1)),
        ]
