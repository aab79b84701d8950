"""Shared widgets of the meeting screens: the pane base class every tab builds on, the row
table, and the note area that turns `/aftale` and `/mål` lines into records. (User and
translated text as Content is in screens.text, which the first screen needs without these.)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.geometry import Region, Spacing
from textual.widget import Widget
from textual.document._wrapped_document import WrappedDocument
from textual.message import Message
from textual.strip import Strip
from textual.content import Content
from textual.widgets import DataTable, TextArea

from kiptui.i18n import t
from kiptui.model import Agreement, AttendanceStatus, Meeting, MeetingStatus, Plan
from kiptui.textsafe import clean, one_line
from screens.fields import deliver_now, focus_now, keys_in_order
from screens.text import translate_bindings

if TYPE_CHECKING:
    from screens.app import KiptuiApp


def is_shown(widget: Widget) -> bool:
    """Whether the widget is part of what its screen shows (not on a hidden tab)."""
    node: Any = widget
    while node is not None and not isinstance(node, Screen):
        if not node.display:
            return False
        node = node.parent
    return node is not None


class RowTable(DataTable[Any]):
    """A table with a row cursor whose cells keep their own colour under it (overdue stays
    red); subclasses add single-letter keys, safe while the table has the focus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, cursor_type="row", zebra_stripes=True,
                         cursor_foreground_priority="renderable", **kwargs)
        translate_bindings(self)

    def selected_id(self) -> str:
        """The key of the highlighted row, or "" for an empty table."""
        if not self.row_count:
            return ""
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value or "")


def clear_rows(table: DataTable[Any]) -> None:
    """Empty the table before it is filled again, its columns' widths too: Textual keeps
    the widest cell a column ever had, so shortened texts (a narrower terminal) left the
    columns as wide as before, and the last ones out of view."""
    table.clear()
    for column in table.columns.values():
        column.content_width = column.label.cell_len  # the heading stays whole


def fit_rows(table: DataTable[Any], rows: list[tuple[str, list[Text]]], room: int,
             shrink: tuple[int, ...], floor: int = 10) -> None:
    """Shorten the texts of the `shrink` columns with …, the widest first, so that every
    column fits in `room` cells without scrolling sideways (a cell of padding each side per
    column); no column is shortened below `floor` nor below its heading. The whole text is
    shown elsewhere (the agreement's quick row, the person's detail line)."""
    if not rows or room <= 0:
        return
    columns = len(rows[0][1])
    labels = [column.label.cell_len for column in table.ordered_columns]
    widths = [max(labels[n], *(cells[n].cell_len for _, cells in rows)) for n in range(columns)]
    floors = [max(floor, labels[n]) for n in range(columns)]
    room -= 2 * columns
    while sum(widths) > room:
        can_shrink = [n for n in shrink if widths[n] > floors[n]]
        if not can_shrink:
            break
        widest = max(can_shrink, key=lambda n: widths[n])
        widths[widest] -= max(1, min(sum(widths) - room, widths[widest] - floors[widest]))
    for _, cells in rows:
        for n in shrink:
            cells[n].truncate(widths[n], overflow="ellipsis")


def meeting_closed(node: Any) -> bool:
    """The meeting on screen is closed: its minutes are frozen, and its own record (notes,
    attendance, round, agreements made at it, summary, approval) is read only until it is
    re-opened with a reason (Afslutning, Ctrl+F)."""
    app = node.app
    return getattr(app, "handle", None) is not None and app.meeting.status == MeetingStatus.CLOSED


class ClosedGate:
    """Keys that change a meeting's own record do nothing, and leave the footer, while the
    meeting is closed (found by a review: after closing, Ctrl+N and typing in the round went
    on changing a meeting whose minutes had been frozen and sent)."""

    #: the actions refused while the meeting on screen is closed
    BLOCKED_WHEN_CLOSED: ClassVar[frozenset[str]] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.BLOCKED_WHEN_CLOSED and meeting_closed(self))


class Pane(ClosedGate, VerticalScroll):
    """Base of the meeting screens (a tab each). A pane edits the plan through the app and
    re-reads it in `refresh_from_plan()` when another pane or the autosave changed it."""

    #: the i18n key of the pane's title and of its help text ("help.<pane id>")
    TITLE_KEY = ""
    #: the pane holds the meeting's own record: its fields are read only while it is closed
    MEETING_RECORD = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
        self._closed_off: set[Widget] = set()  # fields switched off because the meeting is closed
        self._mounting: list[Any] = []  # see `ready`

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def plan(self) -> Plan:
        return self.kapp.plan

    @property
    def meeting(self) -> Meeting:
        return self.kapp.meeting

    def changed(self) -> None:
        """Call after every edit of the plan: schedules the autosave, tells other panes."""
        self.kapp.plan_changed(origin=self)

    #: set when the plan changed while this pane's tab was hidden: caught up when shown
    _stale = False
    #: built and mounted (so it has read the plan) for a showing that has not happened yet
    fresh = False

    def refresh_from_plan(self) -> None:
        """Called on every edit anywhere (so on every keystroke): a pane out of sight only
        notes it and catches up when shown; a visible one re-reads the plan."""
        if not is_shown(self):
            self._stale = True
            return
        self._stale = False
        self.sync_from_plan()
        self.call_after_refresh(self.sync_closed)  # fields the sync has just mounted too

    def sync_from_plan(self) -> None:
        """Re-read the plan into the widgets; must not disturb the widget being typed in."""

    def sync_closed(self) -> None:
        """Text read only and fields off while the meeting is closed; on again when re-opened."""
        if not self.MEETING_RECORD or not self.is_mounted:
            return
        closed = meeting_closed(self)
        for area in self.query(TextArea):
            area.read_only = closed
        # a field the pane itself has switched off (no agenda item chosen) stays off when the
        # meeting is re-opened: only what was switched off here is switched on again
        if closed:
            for field in self.query("Input, Select, Checkbox, RadioSet"):
                if not field.disabled:
                    field.disabled = True
                    self._closed_off.add(field)
        else:
            for field in self._closed_off:
                field.disabled = False
            self._closed_off.clear()

    def on_mount(self) -> None:
        self.call_after_refresh(self.sync_closed)

    def catch_up(self) -> None:
        """Re-read the plan if it changed while the pane was out of sight."""
        if self._stale:
            self.refresh_from_plan()

    def mounting(self, awaitable: Any) -> None:
        """Note widgets a sync is mounting (`ready` waits for them)."""
        self._mounting.append(awaitable)

    async def ready(self) -> None:
        """The widgets the last sync mounted are there (a tab gives the focus to one of them
        at once: a speaker just marked present on F4 had no note yet when F5 was pressed)."""
        while self._mounting:
            await self._mounting.pop(0)

    def on_show(self) -> None:
        self.catch_up()
        self.sync_closed()

    def on_note_area_slash_command(self, message: NoteArea.SlashCommand) -> None:
        """A finished `/aftale` or `/mål` line in any note area of this pane."""
        from kiptui.commands import parse_slash_line
        from kiptui.i18n import fmt_date
        from kiptui.model import PlanError

        message.stop()
        app = self.kapp
        now = app.clock()
        area = message.area
        row = _line_now(area, message.line_no, message.line)
        if row < 0:
            return  # changed again before it was handled: Enter at its end makes it then
        try:
            cmd = parse_slash_line(self.plan, message.line, now.date())
            if cmd.kind == "goal":
                record = self.plan.add_goal(cmd.text, self.meeting.id, now)
                receipt = slash_receipt("goal", record.text)
                note = t("slash.notify_goal", text=one_line(record.text))
            else:
                agreement = self.plan.add_agreement(cmd.text, cmd.responsible, cmd.deadline, self.meeting.id, now)
                receipt = slash_receipt("agreement", agreement.what)
                deadline = t("slash.deadline", date=fmt_date(cmd.deadline)) if cmd.deadline else ""
                note = t("slash.notify_agreement", text=one_line(agreement.what),
                         who=one_line(self.plan.name_of(cmd.responsible)), deadline=deadline)
        except PlanError as err:
            # the line stays as typed, and the Enter is not swallowed: a referent who did not
            # see the message goes on writing on a new line, not at the end of this one. The
            # note says below it which line was not made into an agreement, until it is changed
            reason = t(err.code, **err.params)
            app.notify(reason, severity="warning", timeout=8, markup=False)
            area.show_slash_problem(row, message.line, reason)
            return
        if area._slash_problem[0] == row:  # mended; a problem on another line still stands
            area.show_slash_problem(-1, "", "")
        area.replace(receipt, (row, 0), (row, len(message.line)))
        title = t("agreements.goals") if cmd.kind == "goal" else t("tab.agreements")
        app.notify(note, title=title, timeout=6, markup=False)
        if cmd.kind != "goal":
            warn_about_agreement(self, self.plan, self.meeting, agreement, now.date())
        self.changed()

    def focus_first(self) -> None:
        for widget in self.query("Input, TextArea, DataTable, Select, Button"):
            if widget.focusable:
                focus_now(widget)
                return
        # nothing to type in (e.g. nobody present yet): focus the pane itself, so focus never
        # stays in a hidden tab (which would switch the tabs back to it); at once: done later,
        # it took the focus back from the tab a key typed next had moved on to ('F5 F2 XYZ')
        focus_now(self)


def warn_about_agreement(node: Widget, plan: Plan, meeting: Meeting, agreement: Agreement, today: date) -> None:
    """A new agreement is kept as written, but what the coordinator should follow up is said:
    a deadline already passed (a slip of the year, an example copied) or none at all (an
    agreement says by when), and a responsible who is not at the meeting (sent apologies or
    absent: someone must tell them)."""
    from kiptui.i18n import fmt_date

    if agreement.deadline is None:
        node.notify(t("agreements.no_deadline_note"), severity="warning", markup=False, timeout=8)
    elif agreement.deadline < today:
        node.notify(t("agreements.deadline_past_note", date=fmt_date(agreement.deadline)), severity="warning",
                    markup=False, timeout=8)
    status = next((a.status for a in meeting.attendance if a.contact_id == agreement.responsible), None)
    if status in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT):
        node.notify(t("agreements.responsible_not_here", name=one_line(plan.name_of(agreement.responsible))),
                    markup=False, timeout=8)


def _line_now(area: TextArea, row: int, line: str) -> int:
    """Where the finished slash line is now: its row, unless lines above it came or went in
    the meantime; -1 when it is no longer there as it was."""
    document = area.document
    if row < document.line_count and document.get_line(row) == line:
        return row
    return next((n for n in range(document.line_count) if document.get_line(n) == line), -1)


class _HeightCachedWrappedDocument(WrappedDocument):
    """Textual's WrappedDocument sums the wrapped height of every line each time `height` is
    read, and TextArea reads it once per rendered line: with a 2,000-line note that is
    millions of additions per keystroke (found with cProfile). The sum is cached here and
    dropped whenever the wrap offsets change (their only writers are wrap and wrap_range)."""

    _cached_height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._cached_height = None
        super().wrap(width, tab_width)
        self._cached_height = None

    def wrap_range(self, *args: Any, **kwargs: Any) -> None:
        self._cached_height = None
        super().wrap_range(*args, **kwargs)
        self._cached_height = None

    @property
    def height(self) -> int:
        if self._cached_height is None:
            self._cached_height = super().height
        return self._cached_height


#: Ctrl+Home / Ctrl+End: the start and the end of the whole text, as in a word processor
#: (Textual's TextArea has no key for it; a review's Ctrl+Home did nothing)
DOCUMENT_KEYS = [
    Binding("ctrl+home", "cursor_document_start", show=False),
    Binding("ctrl+end", "cursor_document_end", show=False),
    Binding("ctrl+shift+home", "cursor_document_start(True)", show=False),
    Binding("ctrl+shift+end", "cursor_document_end(True)", show=False),
]


class DocumentMoves:
    """The actions of DOCUMENT_KEYS, for a TextArea."""

    def action_cursor_document_start(self: Any, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_cursor_document_end(self: Any, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)


class TextBox(DocumentMoves, TextArea):
    """A text area for free text (the citizen's own words, comments, the plan's texts) whose
    keys are done in the order typed (see screens.fields.keys_in_order)."""

    BINDINGS = DOCUMENT_KEYS

    async def _on_key(self, event: events.Key) -> None:
        await keys_in_order(self, event)  # a key not done here goes on to Textual's TextArea


#: how a line that becomes an agreement or a goal begins
SLASH_STARTS = ("/aftale", "/mål", "/maal")


class NoteArea(DocumentMoves, TextArea):
    """A text area for minutes. A finished line starting with `/aftale` or `/mål` becomes an
    agreement or a goal (the line is replaced by a visible receipt), see kiptui.commands."""

    BINDINGS = DOCUMENT_KEYS

    class SlashCommand(Message):
        def __init__(self, area: NoteArea, line_no: int, line: str) -> None:
            self.area = area
            self.line_no = line_no
            self.line = line
            super().__init__()

    _slash_problem: tuple[int, str] = (-1, "")  # the row and text of a line not made into one

    def show_slash_problem(self, row: int, line: str, reason: str) -> None:
        """Say below the note that the `/aftale` or `/mål` line `row` was not made into an
        agreement or a goal, and why (row -1: say nothing)."""
        self._slash_problem = (row, line)
        kind = "goal" if line.lstrip().startswith(("/mål", "/maal")) else "agreement"
        self.border_subtitle = (
            Content(one_line(t(f"slash.not_made_{kind}", line=row + 1, reason=reason))) if row >= 0 else ""
        )

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        row, line = self._slash_problem  # the words are not the plan's: the message goes on
        if row >= 0 and (row >= self.document.line_count or self.document.get_line(row) != line):
            self.show_slash_problem(-1, "", "")

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("show_line_numbers", False)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(clean(text), **kwargs)

    @property  # type: ignore[override]
    def wrapped_document(self) -> WrappedDocument:
        return self._wrapped_document

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        if type(document) is WrappedDocument:
            document.__class__ = _HeightCachedWrappedDocument
        self._wrapped_document = document

    # ----------------------------------------------------------- rendering a keystroke fast
    #
    # Textual's TextArea keys its line cache on the whole selection when it soft-wraps, and
    # empties the cache on every edit, so each keystroke re-renders every visible row (about
    # 0.2 ms a row; found with cProfile). A note area has no syntax highlighting, so a row
    # depends only on what is below: its own text and wrap, and the selection and cursor as
    # far as they touch its line. Rows the keystroke did not touch come from the cache.

    def _build_highlight_map(self) -> None:
        if self._highlight_query:
            super()._build_highlight_map()
        else:  # nothing to highlight: the rows are keyed on their own text instead
            self._highlights.clear()

    def render_line(self, y: int) -> Strip:
        wrapped = self.wrapped_document
        scroll_x, scroll_y = self.scroll_offset
        absolute_y = scroll_y + y
        if self._highlight_query or (not self.text and self.placeholder) or absolute_y >= wrapped.height:
            return super().render_line(y)
        try:
            line_index, section = wrapped._offset_to_line_info[absolute_y]
        except (IndexError, TypeError):
            return super().render_line(y)
        selection = self.selection
        start, end = selection
        top, bottom = sorted(selection)
        on_line = end[0] == line_index
        bracket = self._matching_bracket_location
        key = (
            "note-row",
            self.size,
            self.scrollable_content_region.size.width,
            scroll_x,
            line_index,
            section,
            self.document.get_line(line_index),
            tuple(wrapped.get_offsets(line_index)),
            selection if start != end and top[0] <= line_index <= bottom[0] else None,
            (end, self._draw_cursor, self.suggestion if self.has_focus or not self.hide_suggestion_on_blur else "")
            if on_line else None,
            bracket if bracket is not None and (on_line or bracket[0] == line_index) else None,
            self._has_cursor,
            self.theme,
            self.match_cursor_bracket,
            self.highlight_cursor_line,
            self.soft_wrap,
            self.show_line_numbers,
            self.line_number_start,
            self.gutter_width,
            self.indent_width,
            self.read_only,
            self.show_cursor,
        )
        cached = self._line_cache.get(key)
        if cached is None:
            cached = self._line_cache[key] = self._render_line(y)
        return cached

    def set_text_if_idle(self, text: str) -> None:
        """Replace the text from the plan unless the user is typing here right now."""
        text = clean(text)
        if not self.has_focus and self.text != text:
            self.load_text(text)

    async def _on_paste(self, event: events.Paste) -> None:
        first = min(self.selection.start, self.selection.end)[0]
        await super()._on_paste(event)
        event.prevent_default()  # Textual would call TextArea's handler again (it walks the MRO)
        self._finished_by_paste(first)

    def action_paste(self) -> None:
        first = min(self.selection.start, self.selection.end)[0]
        super().action_paste()
        self._finished_by_paste(first)

    def _finished_by_paste(self, first: int) -> None:
        """A paste (from the terminal, or Ctrl+V) ends lines as Enter does: each `/aftale` or
        `/mål` line it finished becomes an agreement or a goal (a pasted line still being
        written, the last one without a newline, waits for its Enter)."""
        for row in range(first, self.cursor_location[0]):
            line = self.document.get_line(row)
            if line.lstrip().startswith(SLASH_STARTS):
                self.post_message(self.SlashCommand(self, row, line))

    async def _on_key(self, event: Any) -> None:
        if await keys_in_order(self, event, self._in_place):
            return
        if event.key == "enter":
            row = self.cursor_location[0]
            line = self.document.get_line(row)
            if line.lstrip().startswith(SLASH_STARTS) and self.cursor_location[1] >= len(line.rstrip()):
                event.prevent_default()
                event.stop()
                # the Enter itself now: keys typed before the pane has handled the line go on
                # the next line (fast typing or a paste joined two /aftale lines into one)
                self.insert("\n", (row, len(line)))
                self.move_cursor((row + 1, 0))
                # and the line's agreement now: Alt+→ typed next showed the next item's
                # notes before the pane had read the line, and no agreement was made
                await deliver_now(self, self.SlashCommand(self, row, line))
                return
        # A typed character or a cursor move changes the rows of one or two lines; Textual
        # repaints the whole area for it. While the key is handled, whole-area refreshes are
        # held back; afterwards only the rows of the lines involved are repainted when nothing
        # else moved (scroll, size, wrapped height, line count, selection, bracket match,
        # suggestion), else the whole area is, as before.
        await self._in_place(event, super()._on_key(event))

    async def _in_place(self, event: Any, handling: Any) -> None:
        """Await `handling` of the key `event`, repainting only the rows it changed."""
        before = self._view_state() if self._row_key(event) else None
        line_before = self.selection.end[0]
        self._holding_refresh = before is not None
        try:
            await handling
        finally:
            self._holding_refresh = False
        if self._refresh_held:
            self._refresh_held = False
            if before is not None and before == self._view_state() and not before[4:]:
                for line in {line_before, self.selection.end[0]}:
                    self._refresh_line_rows(line)
            else:
                super().refresh()
        self._paint_now()

    _holding_refresh = False
    _refresh_held = False
    _ROW_KEYS = frozenset({"backspace", "delete", "left", "right", "up", "down", "home", "end"})

    def _row_key(self, event: Any) -> bool:
        """A key whose effect is confined to the cursor's line (or moves it to another)."""
        character = getattr(event, "character", None)
        return event.key in self._ROW_KEYS or (character is not None and character.isprintable())

    def _view_state(self) -> tuple[Any, ...]:
        # what, when unchanged by a key, confines its effect to the cursor's lines; the part
        # from index 4 on must also be empty (no selection, bracket match or suggestion)
        selection = self.selection
        extras = tuple(x for x in (selection.start != selection.end, self._matching_bracket_location,
                                   self.suggestion) if x)
        return (self.scroll_offset, self.size, self.wrapped_document.height,
                self.document.line_count, *extras)

    def _refresh_line_rows(self, line: int) -> None:
        wrapped = self.wrapped_document
        first = wrapped.location_to_offset((line, 0)).y
        self.refresh_lines(first, len(wrapped.get_offsets(line)) + 1)

    def refresh(self, *regions: Any, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Any:
        if self._holding_refresh and not regions and repaint and not layout and not recompose:
            self._refresh_held = True  # decided when the key has been handled
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Any:
        offset = super().scroll_cursor_visible(center, animate)
        self._cursor_into_view()
        return offset

    _scrolled_ancestor = False

    def _cursor_into_view(self) -> None:
        """A note can be taller than the pane it sits in (a long situation note): keep the
        cursor's row on screen by scrolling the pane, not only the note itself, so the
        referent always sees what they type."""
        if not self.is_mounted or not self.has_focus:
            return
        x, y = self.cursor_screen_offset
        node = self.parent
        while isinstance(node, Widget):
            if node.allow_vertical_scroll:
                view = node.scrollable_content_region
                if not view.y <= y < view.bottom:
                    target = Region(x - view.x + node.scroll_x, y - view.y + int(node.scroll_y), 1, 1)
                    node.scroll_to_region(target, animate=False, immediate=True, spacing=Spacing(1, 0, 1, 0))
                    self._scrolled_ancestor = True
                return
            node = node.parent

    def _paint_now(self) -> None:
        """Put the keystroke on the screen now. Textual paints on a 60 Hz timer that is only
        resumed once the change has travelled (widget idle → screen message → screen idle), and
        whose catch-up after a busy frame can add up to two frame periods: about 25 ms of the
        bare TextArea's 40 ms p95 (benchmarks/bench_ui.py). When this area is the only thing to
        repaint and no layout is pending, it is painted here, as the timer would; otherwise
        Textual's own path does it. Relies on Textual internals (pinned version); if they are
        missing, nothing changes."""
        scrolled, self._scrolled_ancestor = self._scrolled_ancestor, False
        try:
            screen = self.screen
            if (
                scrolled
                or not self._repaint_required
                or self._layout_required
                or not screen.is_current
                or self.app._batch_count
                or screen._layout_required
                or screen._scroll_required
                or screen._repaint_required
            ):
                return
            self._repaint_required = False
            screen._dirty_widgets.add(self)
            screen._on_timer_update()
        except AttributeError:  # a Textual without these internals: its own timer paints
            return


def slash_receipt(kind: str, text: str) -> str:
    return t(f"slash.receipt_{kind}", text=one_line(text))
