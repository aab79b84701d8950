"""Agreements (F6): goals and interventions — what, exactly one responsible from the network,
by when, status — entered from the keyboard in one quick row; the follow-up on the agreements
of earlier meetings, each with its origin and the outcome decided now (continue, changed,
ended, deviation); the coordinator's deviations (Alt+A); free notes where `/aftale` and `/mål`
lines become records."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from kiptui.commands import parse_slash_line
from kiptui.i18n import enum_label, example_deadline, fmt_date, parse_date, t
from kiptui.model import CITIZEN_ID, Agreement, AgreementOutcome, AgreementStatus, Goal, PlanError
from kiptui.textsafe import clean, one_line
from screens.deviations import show_deviations
from screens.modals import Confirm, TextPrompt
from screens.text import tr, translate_bindings
from screens.fields import Input, focus_now
from screens.widgets import ClosedGate, NoteArea, Pane, RowTable, clear_rows, fit_rows, is_shown, warn_about_agreement

#: the agenda item whose notes this pane's note area holds ("Mål og indsatser")
NOTES_ITEM_KEY = "goals"


def responsible_options(plan: Any) -> list[tuple[Text, str]]:
    """The citizen first, then the network: 'Name (role, organisation)'; literal text."""
    options = [(Text(t("agreements.citizen_option", name=one_line(plan.citizen.name) or "–")), CITIZEN_ID)]
    for c in plan.contacts:
        extra = ", ".join(one_line(p) for p in (c.role, c.organisation) if one_line(p))
        label = f"{one_line(c.name)} ({extra})" if extra else one_line(c.name)
        options.append((Text(label or "–"), c.id))
    return options


class AgreementTable(ClosedGate, RowTable):
    """A table of agreements; its keys work while it has focus (single letters are safe here)."""

    BLOCKED_WHEN_CLOSED = frozenset({"status", "edit", "cancel_agreement", "outcome"})

    BINDINGS = [
        Binding("s", "status", "agreements.key_status", id="agr-status"),
        Binding("e", "edit", "agreements.key_edit", id="agr-edit"),
        Binding("x,delete", "cancel_agreement", "agreements.key_cancel", id="agr-cancel"),
    ]

    def action_status(self) -> None:
        self.post_message(AgreementsPane.TableAction(self, "status", self.selected_id()))

    def action_edit(self) -> None:
        self.post_message(AgreementsPane.TableAction(self, "edit", self.selected_id()))

    def action_cancel_agreement(self) -> None:
        self.post_message(AgreementsPane.TableAction(self, "cancel", self.selected_id()))


class EarlierTable(AgreementTable):
    """The agreements from earlier meetings: besides status/edit/cancel, the outcome decided at
    this meeting with one key each (or U for a list)."""

    BINDINGS = [
        Binding("1", "outcome('continue')", "agreements.key_continue", id="agr-continue"),
        Binding("2", "outcome('changed')", "agreements.key_changed", id="agr-changed"),
        Binding("3", "outcome('ended')", "agreements.key_ended", id="agr-ended"),
        Binding("4", "outcome('deviation')", "agreements.key_outcome_deviation", id="agr-deviation"),
        Binding("u", "outcome('')", "agreements.key_outcome", id="agr-outcome", show=False),
    ]

    def action_outcome(self, outcome: str) -> None:
        self.post_message(AgreementsPane.TableAction(self, f"outcome:{outcome}", self.selected_id()))


class GoalTable(ClosedGate, DataTable[Any]):
    BLOCKED_WHEN_CLOSED = frozenset({"edit"})
    BINDINGS = [Binding("e", "edit", "agreements.key_edit_goal", id="goal-edit")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    def action_edit(self) -> None:
        if self.row_count:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
            self.post_message(AgreementsPane.TableAction(self, "edit_goal", str(row_key.value or "")))


def _in_order(field: Input) -> Input:
    """A quick-entry field whose Enter adds at once, in the order typed (Input.submit_now)."""
    field.submit_now = True
    return field


class StatusPicker(ModalScreen[str | None]):
    """Choose an agreement's new status; the current one is marked."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    StatusPicker { align: center middle; }
    StatusPicker > Vertical { width: 64; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    StatusPicker OptionList { height: auto; max-height: 10; }
    StatusPicker Button { margin-top: 1; }
    """

    def __init__(self, what: str, current: AgreementStatus) -> None:
        super().__init__()
        translate_bindings(self)
        self.what = what
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for status in AgreementStatus:
            label = enum_label(status.value)
            if status == self.current:
                label = t("agreements.status_current", status=label)
            options.append(Option(Content(label), id=status.value))
        with Vertical():
            yield Static(tr("agreements.status_title", what=one_line(self.what)), classes="modal-title")
            yield OptionList(*options, id="status-options")
            yield Button(tr("modal.cancel"), id="status-cancel")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(AgreementStatus).index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#status-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePicker(ModalScreen[str | None]):
    """Choose one of a few values (an outcome, how an agreement ended) from a short list."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > Vertical { width: 64; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    ChoicePicker OptionList { height: auto; max-height: 10; }
    ChoicePicker Button { margin-top: 1; }
    """

    def __init__(self, title_key: str, choices: list[tuple[str, str]], **params: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_key = title_key
        self.choices = choices  # (value, translated label)
        self.params = params

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr(self.title_key, **self.params), classes="modal-title")
            yield OptionList(*[Option(Content(label), id=value) for value, label in self.choices],
                             id="choice-options")
            yield Button(tr("modal.cancel"), id="choice-cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#choice-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def outcome_label(a: Agreement, meeting_id: str) -> str:
    """The outcome decided at this meeting, e.g. 'Fortsætter', or ''."""
    entry = a.outcome_at(meeting_id)
    if entry is None or entry.outcome is None:
        return ""
    # "ended" says no more: the status column beside it says done or cancelled
    return t(f"agreements.outcome.{entry.outcome.value}")


class AgreementsPane(Pane):
    MEETING_RECORD = True
    BLOCKED_WHEN_CLOSED = frozenset({"new_agreement", "new_goal"})
    TITLE_KEY = "tab.agreements"

    BINDINGS = [
        Binding("ctrl+n", "new_agreement", "agreements.key_new", id="agr-new"),
        Binding("ctrl+g", "new_goal", "agreements.key_goal", id="agr-goal"),
        Binding("ctrl+o", "focus_table", "agreements.key_table", id="agr-table"),
        Binding("alt+a", "deviations", "agreements.key_deviations", id="agr-deviations"),
        Binding("escape", "stop_editing", "agreements.key_stop_editing", id="agr-stop-editing"),
    ]

    class TableAction(Message):
        """A key pressed in one of the tables: 'status', 'edit', 'cancel' or 'edit_goal'."""

        def __init__(self, table: DataTable[Any], action: str, record_id: str) -> None:
            super().__init__()
            self.table = table
            self.action = action
            self.record_id = record_id

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stale = False
        self._editing = ""  # the id of the agreement loaded into the quick row, if any
        self._people: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(tr("agreements.this_meeting"), classes="section-title")
        with Horizontal(id="agr-quick-labels"):
            yield Static(tr("agreements.col_what"), id="agr-what-label")
            yield Static(tr("agreements.col_who"), id="agr-who-label")
            yield Static(tr("agreements.col_deadline"), id="agr-deadline-label")
            yield Static("", id="agr-add-label")
        with Horizontal(id="agr-quick"):
            # a draft is not selected when the field gets the focus again (after F5 and back,
            # the next word replaced it: a review); the forms keep Textual's select-all on Tab
            yield _in_order(Input(placeholder=t("agreements.what_placeholder"), id="agr-what", select_on_focus=False))
            yield Select(responsible_options(self.plan), prompt=t("agreements.who_prompt"), id="agr-who")
            yield _in_order(Input(placeholder=t("agreements.deadline_placeholder"), id="agr-deadline", max_length=10))
            yield Button(tr("agreements.add"), id="agr-add", variant="primary")
        yield Static("", id="agr-message")
        yield Static(tr("agreements.quick_hint", example=example_deadline(self._today())), id="agr-hint", classes="hint")
        yield AgreementTable(id="agr-this")
        yield Static(tr("agreements.none_this"), id="agr-this-empty", classes="hint")
        yield Static(tr("agreements.earlier"), classes="section-title")
        yield Static(tr("agreements.outcome_hint"), id="agr-outcome-hint", classes="hint")
        yield EarlierTable(id="agr-earlier")
        yield Static(tr("agreements.none_earlier"), id="agr-earlier-empty", classes="hint")
        yield Static("", id="agr-deviations", classes="hint")
        yield Static(tr("agreements.goals"), classes="section-title")
        yield _in_order(Input(placeholder=t("agreements.goal_placeholder"), id="goal-new"))
        yield GoalTable(id="goal-table")
        yield Static(tr("agreements.notes"), classes="section-title")
        yield Static(tr("agreements.slash_hint", example=example_deadline(self._today())), id="agr-slash-hint", classes="hint")
        yield NoteArea("", id="agr-notes")
        yield Static(tr("agreements.no_notes_item"), id="agr-no-notes", classes="hint")

    def on_mount(self) -> None:
        this = self.query_one("#agr-this", AgreementTable)
        for key in ("what", "who", "deadline", "status"):
            this.add_column(Text(t(f"agreements.col_{key}")), key=key)
        earlier = self.query_one("#agr-earlier", AgreementTable)
        for key in ("meeting", "what", "who", "deadline", "status", "outcome"):
            earlier.add_column(Text(t(f"agreements.col_{key}")), key=key)
        goals = self.query_one("#goal-table", GoalTable)
        for key in ("goal", "meeting"):
            goals.add_column(Text(t(f"agreements.col_{key}")), key=key)
        self._people = self._people_signature()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill_tables())
        self.sync_from_plan()

    # ------------------------------------------------------------------ reading the plan

    #: the widths the tables were last filled for (their long texts are shortened to them)
    _filled_for: tuple[int, int] = (0, 0)

    def _widths(self) -> tuple[int, int]:
        # the pane's, and its content's without padding and scrollbar (see _fit)
        return self.size.width, self.scrollable_content_region.width

    def on_resize(self) -> None:
        if is_shown(self) and self._widths() != self._filled_for:
            self._fill_tables()

    def sync_from_plan(self) -> None:
        self._stale = False
        people = self._people_signature()
        if people != self._people:
            self._people = people
            select = self.query_one("#agr-who", Select)
            keep = select.selection
            with self.prevent(Select.Changed):
                select.set_options(responsible_options(self.plan))
                if keep is not None and (keep == CITIZEN_ID or self.plan.contact(keep) is not None):
                    select.value = keep
        if self._editing and self.plan.agreement(self._editing) is None:
            self._stop_editing()
        self._fill_tables()
        item = self._notes_item()
        notes = self.query_one("#agr-notes", NoteArea)
        notes.display = item is not None
        self.query_one("#agr-no-notes").display = item is None
        self.query_one("#agr-slash-hint").display = item is not None
        if item is not None:
            with self.prevent(TextArea.Changed):
                notes.set_text_if_idle(item.notes)

    def _people_signature(self) -> list[tuple[str, str]]:
        return [(CITIZEN_ID, self.plan.citizen.name)] + [
            (c.id, f"{c.name}|{c.role}|{c.organisation}") for c in self.plan.contacts
        ]

    def _notes_item(self) -> Any:
        return self.meeting.item_by_key(NOTES_ITEM_KEY)

    @property
    def _narrow(self) -> bool:
        """Under 100 columns the tables use short forms, so every column stays in view."""
        return self.size.width < 100

    def _meeting_label(self, meeting_id: str) -> str:
        m = self.plan.meeting(meeting_id)
        if m is None:
            return "–"
        number = self.plan.meetings.index(m) + 1
        when = "" if self._narrow else fmt_date(m.starts_at)
        return f"{t('meeting.number', number=number)} {when}".strip()

    def _today(self) -> date:
        return self.kapp.clock().date()

    def _cells(self, a: Agreement, today: date, error_colour: str) -> list[Text]:
        overdue = a.overdue(today)
        style = f"bold {error_colour}" if overdue else ""
        deadline = fmt_date(a.deadline) or "–"
        if overdue:  # red, and marked; spelt out where there is room
            deadline = f"{deadline} ⚠" if self._narrow else t("agreements.overdue", date=deadline)
        who = one_line(self.plan.name_of(a.responsible)) or t("agreements.unknown_person")
        return [
            Text(one_line(a.what), style=style),
            Text(who, style=style),
            Text(deadline, style=style),
            Text(enum_label(a.status.value), style=style),
        ]

    def _fill_tables(self) -> None:
        if not self.size.width:  # not laid out (yet, or again): filled when it gets its width
            self._filled_for = (0, 0)
            return
        self._filled_for = self._widths()
        today = self._today()
        error = self.app.get_css_variables()["error"]  # the theme's $error (projector theme too)
        meeting_id = self.meeting.id
        this = self.query_one("#agr-this", AgreementTable)
        earlier = self.query_one("#agr-earlier", AgreementTable)
        mine = [a for a in self.plan.agreements if a.meeting_id == meeting_id]
        # the follow-up: earlier meetings' agreements still open, or decided on at this meeting
        others = self.plan.follow_up_agreements(self.meeting)
        own = [(a.id, self._cells(a, today, error)) for a in mine]
        self._fit(this, own, shrink=(0, 1))
        self._fill(this, own)
        rows = []
        for a in others:
            cells = self._cells(a, today, error)
            outcome = Text(outcome_label(a, meeting_id) or "–", style=cells[0].style)
            rows.append((a.id, [Text(self._meeting_label(a.meeting_id))] + cells + [outcome]))
        self._fit(earlier, rows, shrink=(1, 2))
        self._fill(earlier, rows)
        self.query_one("#agr-this-empty").display = not mine
        this.display = bool(mine)
        self.query_one("#agr-earlier-empty").display = not others
        self.query_one("#agr-outcome-hint").display = bool(others)
        earlier.display = bool(others)
        deviations = len(self.plan.open_deviations())
        notice = self.query_one("#agr-deviations", Static)
        notice.update(tr("agreements.deviations_open", count=deviations) if deviations else "")
        notice.display = bool(deviations)
        goals = self.query_one("#goal-table", GoalTable)
        self._fill(goals, [(g.id, [Text(one_line(g.text)), Text(self._meeting_label(g.meeting_id))])
                           for g in self.plan.goals])
        goals.display = bool(self.plan.goals)

    def _fit(self, table: DataTable[Any], rows: list[tuple[str, list[Text]]], shrink: tuple[int, ...]) -> None:
        """Every column, the outcome last, in view without scrolling sideways: the `shrink`
        columns (what, who) are shortened; the whole text is in the quick row when the
        agreement is edited."""
        fit_rows(table, rows, self.scrollable_content_region.width, shrink)

    @staticmethod
    def _fill(table: DataTable[Any], rows: list[tuple[str, list[Text]]]) -> None:
        selected = ""
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            selected = str(row_key.value or "")
        clear_rows(table)
        for key, cells in rows:
            table.add_row(*cells, key=key)
        # Each column as wide as its widest cell now. Textual measures the columns only when
        # the table is next idle, and keeps the rows it painted before that as they were: a
        # frame painted in between (a review typing fast) left the older rows at the widths
        # of the headings, "Søge  Karin Høj  15.12  Aftalt", until the window was resized.
        for n, column in enumerate(table.ordered_columns):
            column.content_width = max([column.label.cell_len, *(cells[n].cell_len for _, cells in rows)])
        keys = [key for key, _ in rows]
        if selected in keys:
            table.move_cursor(row=keys.index(selected), animate=False)

    # ------------------------------------------------------------------ the quick row

    def _message(self, text: str, *, error: bool) -> None:
        widget = self.query_one("#agr-message", Static)
        widget.update(Content(clean(text, multiline=False)))
        widget.set_class(error, "error")
        widget.set_class(not error and bool(text), "success")

    def _field_invalid(self, field_id: str, invalid: bool) -> None:
        self.query_one(f"#{field_id}").set_class(invalid, "-invalid")

    @on(Input.Submitted, "#agr-what, #agr-deadline")
    @on(Button.Pressed, "#agr-add")
    def _submit(self) -> None:
        if self._editing:
            self._finish_editing()
        else:
            self._add()

    def _add(self) -> None:
        what_input = self.query_one("#agr-what", Input)
        select = self.query_one("#agr-who", Select)
        deadline_input = self.query_one("#agr-deadline", Input)
        what = what_input.value.strip()
        who = select.selection or ""
        deadline_text = deadline_input.value.strip()
        deadline: date | None = None
        for field_id in ("agr-what", "agr-who", "agr-deadline"):
            self._field_invalid(field_id, False)
        try:
            if any(tok.startswith("@") for tok in what.split()):
                # '@Lone 01.12.2026' inside the text works as in a /aftale line
                cmd = parse_slash_line(self.plan, "/aftale " + what, self._today())
                if who and who != cmd.responsible:
                    # one responsible: a name typed and another chosen is asked about, not
                    # settled silently (a review's @Nadia gave way to the Peter chosen)
                    self._field_invalid("agr-who", True)
                    self._message(t("agreements.two_responsibles", chosen=one_line(self.plan.name_of(who)),
                                    typed=one_line(self.plan.name_of(cmd.responsible))), error=True)
                    return
                what = cmd.text
                who = cmd.responsible
                deadline = cmd.deadline
            if deadline_text:
                try:
                    typed_deadline, deadline = deadline, parse_date(deadline_text)
                except ValueError:
                    self._field_invalid("agr-deadline", True)
                    self._message(t("agreements.bad_date", date=one_line(deadline_text)), error=True)
                    focus_now(deadline_input)
                    return
                if typed_deadline is not None and typed_deadline != deadline:
                    self._field_invalid("agr-deadline", True)
                    self._message(t("agreements.two_deadlines", field=fmt_date(deadline),
                                    text=fmt_date(typed_deadline)), error=True)
                    return
            agreement = self.plan.add_agreement(what, who, deadline, self.meeting.id, self.kapp.clock())
        except PlanError as err:
            field = {"agreement_needs_what": "agr-what", "agreement_needs_responsible": "agr-who",
                     "agreement_unknown_responsible": "agr-who", "slash_no_responsible": "agr-who",
                     "slash_bad_date": "agr-deadline"}.get(err.code, "agr-what")
            self._field_invalid(field, True)
            self._message(t(err.code, **err.params), error=True)
            focus_now(self.query_one(f"#{field}"))
            return
        self.changed()
        with self.prevent(Input.Changed, Select.Changed):
            what_input.value = ""
            deadline_input.value = ""
            select.clear()
        deadline_note = t("slash.deadline", date=fmt_date(agreement.deadline)) if agreement.deadline else ""
        self._message(t("agreements.added", what=one_line(agreement.what),
                        who=one_line(self.plan.name_of(agreement.responsible)), deadline=deadline_note),
                      error=False)
        self._fill_tables()
        focus_now(what_input)
        warn_about_agreement(self, self.plan, self.meeting, agreement, self._today())

    # ---- editing an agreement in the quick row: every change goes into the model at once

    def _start_editing(self, agreement_id: str) -> None:
        a = self.plan.agreement(agreement_id)
        if a is None:
            return
        self._editing = agreement_id
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#agr-what", Input).value = one_line(a.what)
            self.query_one("#agr-deadline", Input).value = fmt_date(a.deadline)
            select = self.query_one("#agr-who", Select)
            try:
                select.value = a.responsible
            except Exception:  # noqa: BLE001 - a responsible no longer in the list
                select.clear()
        self.query_one("#agr-add", Button).label = tr("agreements.done_editing")
        self.add_class("-editing")
        self.refresh_bindings()
        self._message(t("agreements.editing", what=one_line(a.what)), error=False)
        focus_now(self.query_one("#agr-what", Input))

    def _finish_editing(self) -> None:
        a = self.plan.agreement(self._editing)
        table_id = "#agr-this" if a is None or a.meeting_id == self.meeting.id else "#agr-earlier"
        self._stop_editing()
        self._message("", error=False)
        table = self.query_one(table_id, AgreementTable)
        if table.display:
            focus_now(table)
        else:
            focus_now(self.query_one("#agr-what", Input))

    def _stop_editing(self) -> None:
        self._editing = ""
        self.remove_class("-editing")
        self.refresh_bindings()
        self.query_one("#agr-add", Button).label = tr("agreements.add")
        for field_id in ("agr-what", "agr-who", "agr-deadline"):
            self._field_invalid(field_id, False)
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#agr-what", Input).value = ""
            self.query_one("#agr-deadline", Input).value = ""
            self.query_one("#agr-who", Select).clear()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_editing":
            return bool(self._editing)
        return super().check_action(action, parameters)

    def action_stop_editing(self) -> None:
        self._finish_editing()

    def _keep_history(self, a: Agreement) -> None:
        """An agreement from an earlier meeting edited now is "changed" at this meeting: the
        outcome records what it was before the first edit (see Plan.record_outcome)."""
        if a.meeting_id == self.meeting.id or a not in self.plan.follow_up_agreements(self.meeting):
            return
        try:
            self.plan.record_outcome(a.id, AgreementOutcome.CHANGED, self.meeting.id, self.kapp.clock())
        except PlanError:
            pass  # a closed meeting: the edit is made as before, without an outcome

    @on(Input.Changed, "#agr-what")
    def _what_changed(self, event: Input.Changed) -> None:
        a = self.plan.agreement(self._editing) if self._editing else None
        if a is None:
            return
        text = event.value.strip()
        if not text:
            self._field_invalid("agr-what", True)
            self._message(t("agreement_needs_what"), error=True)
            return
        self._field_invalid("agr-what", False)
        if text != a.what:
            self._keep_history(a)
            a.what = text
            self.changed()
            self._fill_tables()

    @on(Input.Changed, "#agr-deadline")
    def _deadline_changed(self, event: Input.Changed) -> None:
        a = self.plan.agreement(self._editing) if self._editing else None
        if a is None:
            self._field_invalid("agr-deadline", False)
            return
        text = event.value.strip()
        try:
            deadline = parse_date(text) if text else None
        except ValueError:
            self._field_invalid("agr-deadline", True)
            return
        self._field_invalid("agr-deadline", False)
        if deadline != a.deadline:
            self._keep_history(a)
            a.deadline = deadline
            self.changed()
            self._fill_tables()

    @on(Select.Changed, "#agr-who")
    def _who_changed(self, event: Select.Changed) -> None:
        self._field_invalid("agr-who", False)
        a = self.plan.agreement(self._editing) if self._editing else None
        if a is None:
            return
        who = event.value if isinstance(event.value, str) else ""
        if who == a.responsible:
            return
        if who and (who == CITIZEN_ID or self.plan.contact(who) is not None):
            self._keep_history(a)
        try:
            self.plan.set_agreement_responsible(a.id, who)
        except PlanError as err:
            self._field_invalid("agr-who", True)
            self._message(t(err.code, **err.params), error=True)
            return
        self.changed()
        self._fill_tables()

    # ------------------------------------------------------------------ table keys

    @on(DataTable.RowSelected, "AgreementTable")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._start_editing(str(event.row_key.value or ""))

    @on(DataTable.RowSelected, "#goal-table")
    def _goal_selected(self, event: DataTable.RowSelected) -> None:
        self._edit_goal(str(event.row_key.value or ""))

    @on(TableAction)
    def _table_action(self, event: AgreementsPane.TableAction) -> None:
        event.stop()
        if not event.record_id:
            return
        if event.action == "edit":
            self._start_editing(event.record_id)
        elif event.action == "status":
            self._pick_status(event.record_id)
        elif event.action == "cancel":
            self._cancel(event.record_id)
        elif event.action == "edit_goal":
            self._edit_goal(event.record_id)
        elif event.action.startswith("outcome:"):
            self._outcome(event.record_id, event.action.removeprefix("outcome:"))

    # ------------------------------------------------------------------ follow-up outcomes

    def _outcome(self, agreement_id: str, outcome: str) -> None:
        a = self.plan.agreement(agreement_id)
        if a is None:
            return
        if not outcome:  # U: choose from the list
            choices = [(o.value, t(f"agreements.outcome.{o.value}")) for o in AgreementOutcome]
            self.app.push_screen(ChoicePicker("agreements.outcome_title", choices, what=one_line(a.what)),
                                 lambda value: self._outcome(a.id, value) if value else None)
            return
        if outcome == AgreementOutcome.ENDED:
            choices = [(s.value, enum_label(s.value)) for s in (AgreementStatus.DONE, AgreementStatus.CANCELLED)]
            self.app.push_screen(ChoicePicker("agreements.ended_title", choices, what=one_line(a.what)),
                                 lambda value: self.record_outcome(a.id, AgreementOutcome.ENDED,
                                                                   end_status=AgreementStatus(value))
                                 if value else None)
            return
        if outcome == AgreementOutcome.DEVIATION:
            self.app.push_screen(
                TextPrompt("agreements.deviation_prompt", "agreements.deviation_placeholder", what=one_line(a.what)),
                lambda text: self.record_outcome(a.id, AgreementOutcome.DEVIATION, what_happened=text)
                if text is not None else None)
            return
        if self.record_outcome(a.id, AgreementOutcome(outcome)) and outcome == AgreementOutcome.CHANGED:
            self._start_editing(a.id)
            self._message(t("agreements.changing", what=one_line(a.what)), error=False)

    def record_outcome(self, agreement_id: str, outcome: AgreementOutcome, **kwargs: Any) -> bool:
        try:
            self.plan.record_outcome(agreement_id, outcome, self.meeting.id, self.kapp.clock(), **kwargs)
        except PlanError as err:
            self.notify(t(err.code, **err.params), severity="warning", markup=False)
            return False
        self.changed()
        self._fill_tables()
        return True

    def action_deviations(self) -> None:
        table = self.app.focused
        agreement_id = table.selected_id() if isinstance(table, AgreementTable) else ""
        show_deviations(self.app, agreement_id)

    def _pick_status(self, agreement_id: str) -> None:
        a = self.plan.agreement(agreement_id)
        if a is None:
            return

        def chosen(value: str | None) -> None:
            if value is None or value == a.status.value:
                return
            status = AgreementStatus(value)
            if status == AgreementStatus.DEVIATION:
                self._report_deviation(a)
                return
            self.set_status(a.id, status)

        self.app.push_screen(StatusPicker(a.what, a.status), chosen)

    def set_status(self, agreement_id: str, status: AgreementStatus, note: str = "") -> None:
        try:
            self.plan.set_agreement_status(agreement_id, status, self.kapp.clock(), note=note,
                                           meeting_id=self.meeting.id)
        except PlanError as err:
            self.notify(t(err.code, **err.params), severity="warning", markup=False)
            return
        self.changed()
        self._fill_tables()

    def _report_deviation(self, a: Agreement) -> None:
        def written(text: str | None) -> None:
            if text is None:
                return
            now = self.kapp.clock()
            try:
                self.plan.report_deviation(a.id, a.responsible, text, now.date(), now,
                                           meeting_id=self.meeting.id)
            except PlanError as err:
                self.notify(t(err.code, **err.params), severity="warning", markup=False)
                return
            self.changed()
            self._fill_tables()

        self.app.push_screen(TextPrompt("agreements.deviation_prompt", "agreements.deviation_placeholder",
                                        what=one_line(a.what)), written)

    def _cancel(self, agreement_id: str) -> None:
        a = self.plan.agreement(agreement_id)
        if a is None or a.status == AgreementStatus.CANCELLED:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_status(a.id, AgreementStatus.CANCELLED)

        detail = one_line(a.what) + "\n\n" + t("agreements.cancel_detail")
        self.app.push_screen(Confirm("agreements.cancel_question", detail=detail), answered)

    # ------------------------------------------------------------------ goals

    @on(Input.Submitted, "#goal-new")
    def _add_goal(self, event: Input.Submitted) -> None:
        try:
            goal = self.plan.add_goal(event.value, self.meeting.id, self.kapp.clock())
        except PlanError as err:
            self.notify(t(err.code, **err.params), severity="warning", markup=False)
            return
        event.input.value = ""
        self.changed()
        self._fill_tables()
        self.notify(t("slash.notify_goal", text=one_line(goal.text)), markup=False, timeout=4)

    def _edit_goal(self, goal_id: str) -> None:
        goal: Goal | None = next((g for g in self.plan.goals if g.id == goal_id), None)
        if goal is None:
            return

        def edited(text: str | None) -> None:
            if text is None or not text.strip() or text.strip() == goal.text:
                return
            goal.text = text.strip()
            self.changed()
            self._fill_tables()

        self.app.push_screen(TextPrompt("agreements.goal_edit_prompt", value=one_line(goal.text)), edited)

    # ------------------------------------------------------------------ notes and slash lines

    @on(TextArea.Changed, "#agr-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        item = self._notes_item()
        if item is None or item.notes == event.text_area.text:
            return
        item.notes = event.text_area.text
        self.changed()

    def on_note_area_slash_command(self, message: NoteArea.SlashCommand) -> None:
        super().on_note_area_slash_command(message)
        message.prevent_default()  # the base handler above has run; don't let Textual run it again
        self._fill_tables()

    # ------------------------------------------------------------------ pane keys

    def action_new_agreement(self) -> None:
        focus_now(self.query_one("#agr-what", Input))  # at once: the words typed next are its
        self.scroll_home(animate=False)

    def action_new_goal(self) -> None:
        goal_input = self.query_one("#goal-new", Input)
        focus_now(goal_input)
        goal_input.scroll_visible(animate=False)

    def action_focus_table(self) -> None:
        for table_id in ("#agr-this", "#agr-earlier"):
            table = self.query_one(table_id, AgreementTable)
            if table.display and table.row_count:
                focus_now(table)
                return

    def focus_first(self) -> None:
        focus_now(self.query_one("#agr-what", Input))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (t("agreements.cmd_new"), t("agreements.cmd_new_help"), self.action_new_agreement),
            (t("agreements.cmd_goal"), t("agreements.cmd_goal_help"), self.action_new_goal),
            (t("agreements.cmd_table"), t("agreements.cmd_table_help"), self.action_focus_table),
            (t("agreements.cmd_deviations"), t("agreements.cmd_deviations_help"), self.action_deviations),
        ]
