"""The agenda (F3): the meeting's items with planned and actual times, one key to make the
highlighted item the current one, the item's notes below, and the meeting's clock on top.

Times come from app.clock() only (a FakeClock in tests); the display is refreshed every
second by an interval, the model records starts and ends when the referent presses a key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Label, Static, TextArea

from kiptui.i18n import fmt_time, t
from kiptui.model import AgendaItem, Meeting, MeetingStatus, PlanError
from kiptui.textsafe import clean, one_line
from screens.modals import Confirm
from screens.text import tr, translate_bindings
from screens.fields import Input, focus_now
from screens.widgets import ClosedGate, NoteArea, Pane, is_shown, meeting_closed

#: planned minutes an item may have (a whole meeting is rarely more than three hours)
MAX_MINUTES = 480

#: the table's columns: key, i18n key of the header, width (0: the title takes what is left)
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("no", "agenda.col_no", 4),
    ("title", "agenda.col_title", 0),
    ("planned", "agenda.col_planned", 8),
    ("actual", "agenda.col_actual", 11),
    ("elapsed", "agenda.col_elapsed", 7),
)
#: the narrowest title column, however small the terminal
MIN_TITLE_WIDTH = 20


# --------------------------------------------------------------------------- time helpers


def fmt_minutes_seconds(span: timedelta) -> str:
    """7:05 for seven minutes and five seconds (minutes may exceed 59)."""
    total = max(0, int(span.total_seconds()))
    return f"{total // 60}:{total % 60:02d}"


def fmt_hours_minutes(span: timedelta) -> str:
    """1:05 for an hour and five minutes."""
    total = max(0, int(span.total_seconds())) // 60
    return f"{total // 60}:{total % 60:02d}"


def is_overrun(item: AgendaItem, now: datetime) -> bool:
    return Meeting.item_elapsed(item, now) > timedelta(minutes=item.planned_minutes)


def expected_end(meeting: Meeting, now: datetime) -> datetime | None:
    """When the meeting will end if the rest of the agenda keeps its planned minutes.

    An overrun of the current item pushes the end; a finished item counts as it went.
    Before the first item starts, the meeting's planned start (or now, if later) is the base.
    """
    if meeting.status == MeetingStatus.CLOSED and meeting.closed_at:
        return meeting.closed_at
    if not any(i.started_at for i in meeting.agenda):
        if meeting.starts_at is None:
            return None
        return max(meeting.starts_at, now) + timedelta(minutes=meeting.planned_minutes())
    remaining = timedelta(0)
    for item in meeting.agenda:
        planned = timedelta(minutes=item.planned_minutes)
        if item.started_at is None:
            remaining += planned
        elif item.id == meeting.current_item and item.ended_at is None:
            remaining += max(timedelta(0), planned - Meeting.item_elapsed(item, now))
    return now + remaining


# --------------------------------------------------------------------------- table sync


def sync_rows(table: DataTable[Any], rows: Sequence[tuple[str, Mapping[str, Text]]]) -> None:
    """Show `rows` (row key, cells by column key) in `table`, touching only what changed.

    Panes re-read the plan after every edit anywhere, so this runs often: with the same rows
    in the same order only changed cells are updated; otherwise the table is rebuilt and the
    cursor stays on the row it was on (by key), or as near to it as possible. Cells for
    columns the table does not show (a narrow terminal) are left out.
    """
    keys = [key for key, _ in rows]
    current = [rk.value for rk in table.rows]
    columns = [ck.value for ck in table.columns]
    if keys == current:
        for key, cells in rows:
            for column in columns:
                if table.get_cell(key, column) != cells[column]:
                    table.update_cell(key, column, cells[column])
        return
    cursor_key = current[table.cursor_row] if 0 <= table.cursor_row < len(current) else None
    old_row = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*(cells[column] for column in columns), key=key)
    if not keys:
        return
    row = keys.index(cursor_key) if cursor_key in keys else min(max(old_row, 0), len(keys) - 1)
    table.move_cursor(row=row, animate=False)


def rebuild_columns(table: DataTable[Any], columns: Sequence[tuple[str, str, int]], refill: Any) -> None:
    """Replace the table's columns (key, i18n header, width); `refill()` adds the rows back,
    and the cursor returns to the row it was on."""
    cursor_key = highlighted_key(table)
    table.clear(columns=True)
    for key, label, width in columns:
        table.add_column(Text(t(label)), key=key, width=width)
    if table.is_attached and table.app.is_running:
        refill()
    keys = [rk.value for rk in table.rows]
    if cursor_key in keys:
        table.move_cursor(row=keys.index(cursor_key), animate=False)


def highlighted_key(table: DataTable[Any]) -> str | None:
    if table.row_count == 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # noqa: BLE001 - the cursor is outside the rows during a rebuild
        return None


def cell(text: str, style: Style | str = "", *, user: bool = True) -> Text:
    """Text for a DataTable cell: literal, one line, cut with an ellipsis. User text is
    cleaned and folded to one line; our own text keeps its spaces (alignment)."""
    return Text(one_line(text) if user else text, style=style, no_wrap=True, overflow="ellipsis", end="")


# --------------------------------------------------------------------------- widgets


class ErrorLine(Static):
    """Why a value was refused, next to its field; takes no room while there is nothing to say."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", classes="error", **kwargs)
        self.display = False

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = bool(content)


class AgendaTable(ClosedGate, DataTable[Text]):
    """The agenda; keys act on the highlighted item."""

    BLOCKED_WHEN_CLOSED = frozenset({"start_item", "stop_item", "move_item", "toggle_private", "remove_item"})

    BINDINGS = [
        Binding("enter", "start_item", "agenda.key_start", id="agenda-start"),
        Binding("space", "start_item", "agenda.key_start", id="agenda-start-space", show=False),
        Binding("s", "stop_item", "agenda.key_stop", id="agenda-stop"),
        Binding("alt+up", "move_item(-1)", "agenda.key_move", id="agenda-up", key_display="alt+↑↓"),
        Binding("alt+down", "move_item(1)", "agenda.key_down", id="agenda-down", show=False),
        Binding("p", "toggle_private", "agenda.key_private", id="agenda-private", show=False),
        Binding("delete", "remove_item", "agenda.key_remove", id="agenda-remove"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    @property
    def pane(self) -> AgendaPane:
        return self.query_ancestor(AgendaPane)

    def action_start_item(self) -> None:
        self.pane.start_highlighted()

    def action_stop_item(self) -> None:
        self.pane.stop_current()

    def action_move_item(self, delta: int) -> None:
        self.pane.move_highlighted(delta)

    def action_toggle_private(self) -> None:
        self.pane.toggle_private()

    def action_remove_item(self) -> None:
        self.pane.remove_highlighted()

    def on_resize(self, event: Resize) -> None:
        self.fit_columns(event.size.width)

    def fit_columns(self, width: int) -> None:
        """The title column takes the width the others leave (no sideways scrolling)."""
        fixed = sum(w for _, _, w in COLUMNS) + 2 * self.cell_padding * len(COLUMNS)
        title_width = max(MIN_TITLE_WIDTH, width - fixed - 2)  # 2: the vertical scrollbar
        if self.columns and self.columns["title"].width == title_width:
            return
        columns = [(key, label, w or title_width) for key, label, w in COLUMNS]
        rebuild_columns(self, columns, lambda: self.pane._sync_table())


class AgendaPane(Pane):
    MEETING_RECORD = True
    BLOCKED_WHEN_CLOSED = frozenset({"next_item", "new_item"})
    TITLE_KEY = "tab.agenda"

    BINDINGS = [
        # the list's own key for the next item (the footer shows Alt+→, which works from
        # every tab and every field; in the notes Ctrl+→ moves a word)
        Binding("ctrl+right", "next_item", "agenda.key_next", id="agenda-next", show=False),
        Binding("ctrl+n", "new_item", "agenda.key_new", id="agenda-new"),
        Binding("escape", "back_to_list", "agenda.key_back", id="agenda-back", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the item the fields below the table show (the highlighted one)
        self._detail_id: str = ""
        #: the plan changed while the pane was on a hidden tab
        self._stale = False
        #: what the item fields were last filled with (by field id)
        self._loaded: dict[str, str] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static("", id="agenda-summary")
        table = AgendaTable(id="agenda-table")
        table.fit_columns(80)
        yield table
        with Horizontal(id="agenda-item-head"):
            yield Static("", id="agenda-item-title")
            yield Static("", id="agenda-item-time")
        # the notes first, right below the list: Tab from the list reaches them, not the
        # title (found by a review: Tab went to the title with all of it selected, and the
        # referent's first sentence replaced the item's title, on the projector at once)
        with Horizontal(id="agenda-notes-head"):
            yield Label(tr("agenda.notes"), id="agenda-notes-label")
        yield NoteArea(id="agenda-notes")
        # below the notes: Tab from the notes goes on to the title
        with Horizontal(id="agenda-edit", classes="agenda-row"):
            yield Label(tr("agenda.title"), classes="agenda-label")
            # not selected when reached: one key must not replace the whole title
            yield Input(id="agenda-title-input", select_on_focus=False)
            yield Label(tr("agenda.minutes"), classes="agenda-label")
            yield Input(id="agenda-minutes-input", type="integer", max_length=3)
        yield ErrorLine(id="agenda-error")
        # not reached by Tab (a sentence typed on it turned "private" on and off with every
        # space): P in the list, or a click, changes it
        private = Checkbox(tr("agenda.private"), id="agenda-private", compact=True)
        private.can_focus = False
        yield private
        with Horizontal(id="agenda-add", classes="agenda-row"):
            yield Label("", id="agenda-new-label", classes="agenda-label")
            yield Input(placeholder=t("agenda.new_placeholder"), id="agenda-new-title")
            yield Label(tr("agenda.minutes"), classes="agenda-label")
            yield Input("5", id="agenda-new-minutes", type="integer", max_length=3)
            yield Button(tr("agenda.add"), id="agenda-add-button")
        yield ErrorLine(id="agenda-add-error")

    def on_mount(self) -> None:
        self.refresh_from_plan()
        self.set_interval(1.0, self.tick)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._sync_table())

    # ------------------------------------------------------------------ reading the plan

    @property
    def table(self) -> AgendaTable:
        return self.query_one("#agenda-table", AgendaTable)

    def highlighted(self) -> AgendaItem | None:
        key = highlighted_key(self.table)
        return self.meeting.item(key) if key else None

    def refresh_from_plan(self) -> None:
        # every edit in any pane lands here; a hidden tab catches up when it is shown
        self._stale = not is_shown(self)
        if self.kapp.handle is None or self._stale:
            return
        self._sync_table()
        item = self.highlighted()
        self._load_detail(item, force=item is None or item.id != self._detail_id)
        self._update_summary()

    def tick(self) -> None:
        """Every second: the meeting's clock, the current item's time, overrun."""
        if self.kapp.handle is None or not self.is_mounted or not is_shown(self):
            return
        self._sync_table()
        self._update_summary()
        self._update_item_time(self.meeting.item(self._detail_id))

    def _styles(self) -> dict[str, Style]:
        variables = self.app.get_css_variables()
        return {
            "current": Style(color=variables.get("primary"), bold=True),
            "overrun": Style(color=variables.get("error"), bold=True),
            "done": Style(dim=True),
        }

    def _rows(self) -> list[tuple[str, dict[str, Text]]]:
        m = self.meeting
        now = self.kapp.clock()
        styles = self._styles()
        rows = []
        for n, item in enumerate(m.agenda, start=1):
            current = item.id == m.current_item
            done = item.started_at is not None and item.ended_at is not None
            style: Style | str = styles["current"] if current else styles["done"] if done else ""
            mark = "▶" if current else "✓" if done else " "
            title = one_line(item.title)
            if item.private:
                title = f"{title}  ({t('agenda.private_short')})"
            actual = ""
            if item.started_at is not None:
                actual = f"{fmt_time(item.started_at)}–{fmt_time(item.ended_at)}"
            elapsed = ""
            elapsed_style: Style | str = style
            if item.started_at is not None:
                elapsed = fmt_minutes_seconds(Meeting.item_elapsed(item, now))
                if is_overrun(item, now):
                    elapsed_style = styles["overrun"]
            rows.append((item.id, {
                "no": cell(f"{mark}{n:>2}", style, user=False),
                "title": cell(title, style),
                "planned": cell(t("agenda.min", minutes=item.planned_minutes), style, user=False),
                "actual": cell(actual, style, user=False),
                "elapsed": cell(elapsed, elapsed_style, user=False),
            }))
        return rows

    def _sync_table(self) -> None:
        if self.kapp.handle is None:
            return
        sync_rows(self.table, self._rows())

    def _update_summary(self) -> None:
        m = self.meeting
        now = self.kapp.clock()
        parts = [t("agenda.total_planned", minutes=m.planned_minutes())]
        starts = [i.started_at for i in m.agenda if i.started_at]
        if starts:
            parts.append(t("agenda.started_at", time=fmt_time(min(starts))))
            parts.append(t("agenda.elapsed", time=fmt_hours_minutes(m.elapsed(now))))
        else:
            parts.append(t("agenda.not_started"))
        end = expected_end(m, now)
        parts.append(t("agenda.expected_end", time=fmt_time(end) if end else "–"))
        self.query_one("#agenda-summary", Static).update(Content("  ·  ".join(parts)))

    def _update_item_time(self, item: AgendaItem | None) -> None:
        widget = self.query_one("#agenda-item-time", Static)
        if item is None:
            widget.update("")
            widget.set_class(False, "overrun", "current")
            return
        now = self.kapp.clock()
        current = item.id == self.meeting.current_item
        if item.started_at is None:
            text = t("agenda.item_not_started", planned=item.planned_minutes)
        else:
            elapsed = fmt_minutes_seconds(Meeting.item_elapsed(item, now))
            key = "agenda.item_running" if current else "agenda.item_done"
            text = t(key, elapsed=elapsed, planned=item.planned_minutes)
            if is_overrun(item, now):
                over = Meeting.item_elapsed(item, now) - timedelta(minutes=item.planned_minutes)
                text += "  " + t("agenda.item_overrun", over=fmt_minutes_seconds(over))
        widget.update(Content(text))
        widget.set_class(current, "current")
        widget.set_class(item.started_at is not None and is_overrun(item, now), "overrun")

    def _typed_ahead(self, field: Input, value: str) -> bool:
        """The field holds text typed since it was last filled that the plan does not have yet
        (its Changed messages are still on their way)."""
        return field.value != self._loaded.get(field.id or "", field.value) and field.value.strip() != value

    def _keep_typed(self) -> None:
        """What the fields hold reaches the item they show before they show another: their
        Changed messages may still be on the way (a burst 'F3 Enter aaa Alt+→ bbb' lost
        'bbb', and the item's notes typed before Alt+→ could go the same way)."""
        item = self._detail_item()
        if item is None or meeting_closed(self):
            return
        edited = False
        notes = self.query_one("#agenda-notes", NoteArea)
        if not notes.disabled and notes.text != clean(item.notes):
            item.notes, edited = notes.text, True
        title = self.query_one("#agenda-title-input", Input).value.strip()
        if title and title != item.title:
            item.title, edited = title, True
        minutes = parse_minutes(self.query_one("#agenda-minutes-input", Input).value)
        if minutes is not None and minutes != item.planned_minutes:
            item.planned_minutes, edited = minutes, True
        if edited:
            self.changed()

    def _load_detail(self, item: AgendaItem | None, *, force: bool = False) -> None:
        """Show the highlighted item in the fields below; leaves a field being typed in alone."""
        if item is None or item.id != self._detail_id:
            self._keep_typed()
        self._detail_id = item.id if item else ""
        title_input = self.query_one("#agenda-title-input", Input)
        minutes_input = self.query_one("#agenda-minutes-input", Input)
        private = self.query_one("#agenda-private", Checkbox)
        notes = self.query_one("#agenda-notes", NoteArea)
        head = self.query_one("#agenda-item-title", Static)
        new_label = self.query_one("#agenda-new-label", Label)
        notes.disabled = item is None  # nothing to edit: off (a closed meeting's: read only)
        for widget in (title_input, minutes_input, private):
            widget.disabled = item is None or meeting_closed(self)
        if item is None:
            head.update(tr("agenda.no_item"))
            new_label.update(tr("agenda.new_at_end"))
            with self.prevent(Input.Changed, TextArea.Changed, Checkbox.Changed):
                title_input.value = ""
                minutes_input.value = ""
                private.value = False
                notes.load_text("")
            self._update_item_time(None)
            return
        number = self.meeting.agenda.index(item) + 1
        head.update(Content.assemble((f"{number}. ", "bold"), (one_line(item.title), "bold")))
        new_label.update(tr("agenda.new_after", number=number))
        with self.prevent(Input.Changed, TextArea.Changed, Checkbox.Changed):
            # a field being typed in, holding a refused value, or holding typed text whose
            # changes have not all reached the plan yet (typed fast, then Tab: a review found
            # the title written back under the cursor and scrambled) keeps the user's text
            for field, value in ((title_input, one_line(item.title)), (minutes_input, str(item.planned_minutes))):
                if force or not (field.has_focus or field.has_class("-refused") or self._typed_ahead(field, value)):
                    field.value = value
                    self._loaded[field.id or ""] = value
            private.value = item.private
            if force:
                notes.load_text(clean(item.notes))
                if notes.has_focus:  # the words typed next go after the item's notes, as Enter's
                    notes.move_cursor(notes.document.end)
            else:
                notes.set_text_if_idle(item.notes)
        if force:
            title_input.set_class(False, "-refused")
            minutes_input.set_class(False, "-refused")
            self._show_field_errors()
        self._update_item_time(item)

    # ------------------------------------------------------------------ the table

    @on(DataTable.RowHighlighted, "#agenda-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != self.table.cursor_row:
            return  # the list has moved on since (Alt+→ in the same burst): that item is shown
        item_id = event.row_key.value if event.row_key is not None else None
        item = self.meeting.item(item_id) if item_id else None
        if item is None or item.id != self._detail_id:
            self._load_detail(item, force=True)

    @on(DataTable.RowSelected, "#agenda-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        # a mouse click on the highlighted row (Enter is the table's own binding)
        event.stop()

    def start_highlighted(self) -> None:
        """Enter on an item: it starts, and the cursor goes to its notes, ready to write (a
        sentence typed in the list would run its keys: s stops the item, p makes it private)."""
        item = self.highlighted()
        if item is not None:
            self._start(item)
            notes = self.query_one("#agenda-notes", NoteArea)
            if self.meeting.current_item == item.id and not notes.disabled:
                # at once (focus() waits for the next turn): the keys typed right after the
                # Enter go to the notes
                self.screen.set_focus(notes)
                notes.move_cursor(notes.document.end)

    def _start(self, item: AgendaItem) -> None:
        start_item(self, item)

    def action_next_item(self) -> None:
        next_item(self)

    def show_current(self) -> None:
        """The list's cursor on the current item (it has just become current)."""
        m = self.meeting
        current = m.item(m.current_item)
        if current is None:
            return
        self._sync_table()
        self.table.move_cursor(row=m.agenda.index(current), animate=False)
        if current.id != self._detail_id:
            # its fields at once, not when the list reports the move: the words typed right
            # after Alt+→ belong to the new item (they went into the one before, out of sight)
            self._load_detail(current, force=True)

    def stop_current(self) -> None:
        m = self.meeting
        if m.item(m.current_item) is None:
            self.notify(t("agenda.no_current"), markup=False)
            return
        m.stop_current_item(self.kapp.clock())
        self._after_edit()

    def move_highlighted(self, delta: int) -> None:
        item = self.highlighted()
        if item is None:
            return
        self.meeting.move_item(item.id, delta)
        self._after_edit()
        self.table.move_cursor(row=self.meeting.agenda.index(item), animate=False)

    def toggle_private(self) -> None:
        item = self.highlighted()
        if item is None:
            return
        item.private = not item.private
        self._after_edit()

    def remove_highlighted(self) -> None:
        item = self.highlighted()
        if item is None:
            return
        question = "agenda.confirm_remove_notes" if item.notes.strip() else "agenda.confirm_remove"

        def answered(yes: bool | None) -> None:
            if not yes or item not in self.meeting.agenda:
                return
            if self.meeting.current_item == item.id:
                self.meeting.current_item = ""
            self.meeting.agenda.remove(item)
            self._after_edit()
            self.table.focus()

        self.app.push_screen(Confirm(question, detail=item.title), answered)

    def _after_edit(self) -> None:
        self._sync_table()
        item = self.highlighted()
        self._load_detail(item, force=item is None or item.id != self._detail_id)
        self._update_summary()
        self.changed()

    # ------------------------------------------------------------------ the fields

    def _detail_item(self) -> AgendaItem | None:
        return self.meeting.item(self._detail_id) if self._detail_id else None

    def _show_field_errors(self) -> None:
        """The reasons for every refused value in the item's fields (title and minutes)."""
        reasons = []
        if self.query_one("#agenda-title-input", Input).has_class("-refused"):
            reasons.append(t("agenda.title_required"))
        if self.query_one("#agenda-minutes-input", Input).has_class("-refused"):
            reasons.append(t("agenda.minutes_invalid", max=MAX_MINUTES))
        self.query_one("#agenda-error", ErrorLine).update(Content("  ".join(reasons)))

    @on(Input.Changed, "#agenda-title-input")
    def _title_changed(self, event: Input.Changed) -> None:
        item = self._detail_item()
        if item is None:
            return
        title = event.value.strip()
        event.input.set_class(not title, "-refused")
        self._show_field_errors()
        if title and title != item.title:
            item.title = title
            self._after_edit()

    @on(Input.Changed, "#agenda-minutes-input")
    def _minutes_changed(self, event: Input.Changed) -> None:
        item = self._detail_item()
        if item is None:
            return
        minutes = parse_minutes(event.value)
        event.input.set_class(minutes is None, "-refused")
        self._show_field_errors()
        if minutes is not None and minutes != item.planned_minutes:
            item.planned_minutes = minutes
            self._after_edit()

    @on(Checkbox.Changed, "#agenda-private")
    def _private_changed(self, event: Checkbox.Changed) -> None:
        item = self._detail_item()
        if item is not None and item.private != event.value:
            item.private = event.value
            self._after_edit()

    @on(TextArea.Changed, "#agenda-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        item = self._detail_item()
        if item is not None and item.notes != event.text_area.text:
            item.notes = event.text_area.text
            self.changed()

    # ------------------------------------------------------------------ adding

    def action_new_item(self) -> None:
        focus_now(self.query_one("#agenda-new-title", Input))  # at once: the title typed next is its

    @on(Input.Submitted, "#agenda-new-title")
    @on(Input.Submitted, "#agenda-new-minutes")
    @on(Button.Pressed, "#agenda-add-button")
    def _add(self) -> None:
        title_input = self.query_one("#agenda-new-title", Input)
        minutes_input = self.query_one("#agenda-new-minutes", Input)
        error = self.query_one("#agenda-add-error", ErrorLine)
        title = title_input.value.strip()
        minutes = parse_minutes(minutes_input.value)
        title_input.set_class(not title, "-refused")
        minutes_input.set_class(minutes is None, "-refused")
        if not title:
            error.update(tr("agenda.title_required"))
            title_input.focus()
            return
        if minutes is None:
            error.update(tr("agenda.minutes_invalid", max=MAX_MINUTES))
            minutes_input.focus()
            return
        error.update("")
        item = AgendaItem(title=title, planned_minutes=minutes)
        after = self.highlighted()
        agenda = self.meeting.agenda
        index = agenda.index(after) + 1 if after is not None else len(agenda)
        agenda.insert(index, item)
        title_input.value = ""
        minutes_input.value = "5"
        self._sync_table()
        self.table.move_cursor(row=index, animate=False)
        self._load_detail(item, force=True)
        self._update_summary()
        self.changed()
        self.table.focus()

    # ------------------------------------------------------------------ focus, palette

    def action_back_to_list(self) -> None:
        self.table.focus()

    def focus_first(self) -> None:
        """The current item's notes, ready to write in (the referent comes back to F3 to
        write): the list runs single-letter keys, and 'pause' typed there made the item
        private and started it. Before the meeting has a current item: the list."""
        notes = self.query_one("#agenda-notes", NoteArea)
        current = self.meeting.current_item
        if current and not meeting_closed(self):
            self.show_current()  # its notes below
        if current and self._detail_id == current and not notes.disabled and not notes.read_only:
            focus_now(notes)
            notes.move_cursor(notes.document.end)
        else:
            focus_now(self.table)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (t("agenda.cmd_next"), t("agenda.cmd_next_help"), self.action_next_item),
            (t("agenda.cmd_stop"), t("agenda.cmd_stop_help"), self.stop_current),
            (t("agenda.cmd_new"), t("agenda.cmd_new_help"), self.action_new_item),
        ]


# ---------------------------------------------------------------------- the agenda, from any tab
# (the meeting screen's Alt+→/Alt+←, the list's Ctrl+→ and Enter, the round's floor)


def start_item(node: Widget | Screen[Any], item: AgendaItem, *, followed: bool = False) -> None:
    """Make `item` the current agenda item (the one before ends now), say so, and put the
    agenda's list cursor on it."""
    kapp = node.app
    m = kapp.meeting  # type: ignore[attr-defined]
    try:
        m.start_item(item.id, kapp.clock())  # type: ignore[attr-defined]
    except PlanError as err:
        node.notify(t(err.code, **err.params), severity="warning", markup=False)
        return
    kapp.plan_changed()  # type: ignore[attr-defined]
    screen = node if isinstance(node, Screen) else node.screen
    for pane in screen.query(AgendaPane):
        pane.show_current()
    node.notify(t("agenda.followed" if followed else "agenda.now_current",
                  number=m.agenda.index(item) + 1, title=one_line(item.title)), markup=False, timeout=4)


def next_item(node: Widget | Screen[Any]) -> None:
    """The item after the current one; without a current item, the first not yet held."""
    m = node.app.meeting  # type: ignore[attr-defined]
    if meeting_closed(node):
        return
    item = m.following_item()
    if item is None:
        node.notify(t("agenda.last_item" if m.item(m.current_item) else "agenda.all_held"), markup=False)
        return
    start_item(node, item)


def previous_item(node: Widget | Screen[Any]) -> None:
    """Back to the item before the current one (moved on too soon)."""
    if meeting_closed(node):
        return
    item = node.app.meeting.preceding_item()  # type: ignore[attr-defined]
    if item is None:
        node.notify(t("agenda.first_item"), markup=False)
        return
    start_item(node, item)


def agenda_reached(node: Widget, key: str) -> None:
    """The meeting has come to the template's item `key` (the round: someone was given the
    floor): the agenda follows, once, if that item has not begun, so the chair's view shows
    the right item without the referent going back to the agenda."""
    m = node.app.meeting  # type: ignore[attr-defined]
    item = m.item_by_key(key)
    if item is None or item.started_at is not None or m.current_item == item.id or meeting_closed(node):
        return
    start_item(node, item, followed=True)


def parse_minutes(text: str) -> int | None:
    """Planned minutes typed by the referent: a whole number from 1 to MAX_MINUTES."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    minutes = int(text)
    return minutes if 1 <= minutes <= MAX_MINUTES else None
