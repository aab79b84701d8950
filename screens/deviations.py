"""Deviations (afvigelser): a contact person who cannot keep an agreement tells the coordinator;
the coordinator sees the open deviations, records whom they informed and when, and closes them.
Reached from the agreements pane (Alt+A) and the command palette of the meeting screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Select, SelectionList, Static

from kiptui.i18n import enum_label, fmt_date, parse_date, t
from kiptui.model import CITIZEN_ID, Agreement, Deviation, Plan, PlanError
from kiptui.textsafe import one_line
from screens.modals import Confirm
from screens.text import safe, tr, translate_bindings
from screens.fields import Input
from screens.widgets import RowTable
from screens.footer import KeyFooter

#: the table's columns, the most telling first (a narrow terminal scrolls the last ones)
DEVIATION_COLUMNS = ("reported_on", "agreement", "what", "informed", "reported_by")

#: loaded with the first of these screens shown (Textual keeps a screen's CSS once read)
CSS = [Path(__file__).parent / "deviations.tcss"]


def person(plan: Plan, contact_id: str) -> str:
    """'Name (Organisation)' or 'Name (borger)' as one plain line."""
    name = one_line(plan.name_of(contact_id)) or t("deviations.unknown_person")
    if contact_id == CITIZEN_ID:
        return t("deviations.citizen", name=name)
    contact = plan.contact(contact_id)
    organisation = one_line(contact.organisation) if contact else ""
    return f"{name} ({organisation})" if organisation else name


def people_options(plan: Plan) -> list[tuple[Text, str]]:
    """The citizen first, then the network; literal text."""
    return [(Text(person(plan, cid)), cid) for cid in plan.participant_ids()]


def agreement_options(plan: Plan) -> list[tuple[Text, str]]:
    """The agreements a deviation can be reported for: those not done or cancelled."""
    return [(Text(f"{one_line(a.what) or '–'} – {one_line(plan.name_of(a.responsible)) or '–'}"), a.id)
            for a in plan.open_agreements()]


def informed_text(plan: Plan, d: Deviation) -> str:
    if not d.informed:
        return t("deviations.not_informed")
    names = ", ".join(one_line(plan.name_of(cid)) or t("deviations.unknown_person") for cid in d.informed)
    return t("deviations.informed_on", names=names, date=fmt_date(d.informed_on) or "–")


class DeviationTable(RowTable):
    """The deviations; single-letter keys are safe while the table has the focus."""

    BINDINGS = [
        Binding("o", "informed", "deviations.key_informed", id="dev-informed"),
        Binding("x", "close_deviation", "deviations.key_close_deviation", id="dev-close-deviation"),
        Binding("v", "toggle_closed", "deviations.key_show_closed", id="dev-show-closed"),
    ]

    def action_informed(self) -> None:
        self.screen.action_informed()  # type: ignore[attr-defined]

    def action_close_deviation(self) -> None:
        self.screen.action_close_deviation()  # type: ignore[attr-defined]

    def action_toggle_closed(self) -> None:
        self.screen.action_toggle_closed()  # type: ignore[attr-defined]


class DeviationsScreen(ModalScreen[None]):
    """The coordinator's list: open deviations with the agreement, who reported it and when,
    and whom the coordinator has informed."""

    CSS_PATH = CSS
    help_key = "help.deviations"
    BINDINGS = [
        Binding("escape", "back", "deviations.key_back", id="dev-back"),
        Binding("ctrl+n", "report", "deviations.key_report", id="dev-report"),
    ]

    def __init__(self, agreement_id: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.agreement_id = agreement_id  # offered first when a deviation is reported
        self.show_closed = False

    @property
    def plan(self) -> Plan:
        return self.app.plan  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="dev-box"):
            yield Static(tr("deviations.title"), classes="modal-title")
            yield Static("", id="dev-coordinator", classes="hint")
            yield Static("", id="dev-count", classes="section-title")
            yield DeviationTable(id="dev-table")
            yield Static("", id="dev-empty", classes="hint")
            yield Static("", id="dev-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        self.refresh_list()
        self.query_one(DeviationTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._add_columns(event.size.width)
        self.refresh_list()

    def _add_columns(self, width: int) -> None:
        """The agreement and what happened share what the fixed columns leave; the whole text
        of the highlighted one is shown below the table."""
        table = self.query_one(DeviationTable)
        width = min(width, 154)  # the box is at most 150 wide
        wide = width >= 100
        fixed = {"reported_on": 10, "informed": 22 if wide else 14, "reported_by": 18 if wide else 12}
        # the box's margin, border and padding, the table's focus bar, two cells of padding each
        room = width - 9 - 2 * len(DEVIATION_COLUMNS) - sum(fixed.values())
        flex = max(12, room // 2)
        table.clear(columns=True)
        for key in DEVIATION_COLUMNS:
            table.add_column(Text(t(f"deviations.col_{key}")), key=key, width=fixed.get(key, flex))

    # ------------------------------------------------------------------ showing

    def shown(self) -> list[Deviation]:
        plan = self.plan
        items = plan.deviations if self.show_closed else plan.open_deviations()
        # the open ones first, then by the day they were reported
        return sorted(items, key=lambda d: (d.closed, d.reported_on or date.min))

    def refresh_list(self) -> None:
        plan = self.plan
        coordinator = plan.current_coordinator
        self.query_one("#dev-coordinator", Static).update(
            tr("deviations.coordinator", name=person(plan, coordinator)) if coordinator
            else tr("deviations.no_coordinator"))
        table = self.query_one(DeviationTable)
        keep = table.selected_id()
        table.clear()
        items = self.shown()
        warning = self.app.get_css_variables().get("warning", "yellow")
        for d in items:
            a = plan.agreement(d.agreement_id)
            what = one_line(a.what) if a else t("deviations.unknown_agreement")
            style = "dim" if d.closed else ""
            informed = informed_text(plan, d) if d.informed else t("deviations.not_informed_short")
            if d.closed:
                informed = t("deviations.closed_informed", informed=informed)
            cells = {
                "reported_on": Text(fmt_date(d.reported_on) or "–", style=style),
                "agreement": Text(what, style=style),
                "what": Text(one_line(d.what_happened), style=style),
                "informed": Text(informed, style=style or ("" if d.informed else f"bold {warning}")),
                "reported_by": Text(one_line(plan.name_of(d.reported_by)) or t("deviations.unknown_person"),
                                    style=style),
            }
            table.add_row(*(cells[key] for key in DEVIATION_COLUMNS), key=d.id)
        ids = [d.id for d in items]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        open_count = len(plan.open_deviations())
        self.query_one("#dev-count", Static).update(
            tr("deviations.count_all" if self.show_closed else "deviations.count_open",
               open=open_count, total=len(plan.deviations)))
        table.display = bool(items)
        empty = self.query_one("#dev-empty", Static)
        empty.display = not items
        empty.update(tr("deviations.none_open"))
        self._show_detail()

    @on(DataTable.RowHighlighted, "#dev-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#dev-detail", Static)
        d = self.plan.deviation(self.query_one(DeviationTable).selected_id())
        if d is None:
            detail.display = False
            return
        plan = self.plan
        a = plan.agreement(d.agreement_id)
        responsible = t("deviations.detail_responsible", who=person(plan, a.responsible), status=enum_label(
            a.status.value)) if a else ""
        lines = [
            Content.assemble((t("deviations.detail_agreement") + ": ", "bold"),
                             one_line(a.what) if a else t("deviations.unknown_agreement"), responsible),
            Content.assemble((t("deviations.detail_reported") + ": ", "bold"),
                             t("deviations.reported_by_on", who=person(plan, d.reported_by),
                               date=fmt_date(d.reported_on) or "–")),
            Content.assemble((t("deviations.detail_what") + ": ", "bold"), safe(d.what_happened)),
            Content.assemble((t("deviations.detail_informed") + ": ", "bold"), informed_text(plan, d)),
        ]
        detail.update(Content("\n").join(lines))
        detail.display = True

    def plan_updated(self, origin: Any = None) -> None:
        """The app tells the screen in front after every change."""
        self.refresh_list()

    # ------------------------------------------------------------------ actions

    def _selected(self) -> Deviation | None:
        return self.plan.deviation(self.query_one(DeviationTable).selected_id())

    @on(DataTable.RowSelected, "#dev-table")
    def action_informed(self) -> None:
        d = self._selected()
        if d is None:
            return
        self.app.push_screen(InformedForm(d.id), lambda _: self.refresh_list())

    def action_close_deviation(self) -> None:
        d = self._selected()
        if d is None or d.closed:
            return
        if not d.informed:
            self.notify(t("deviation_close_needs_informed"), severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.plan.close_deviation(d.id)
            except PlanError as err:
                self.notify(t(err.code, **err.params), severity="warning", markup=False)
                return
            self.app.plan_changed()  # type: ignore[attr-defined]
            self.notify(t("deviations.closed_notice"), markup=False, timeout=4)

        detail = one_line(d.what_happened) + "\n\n" + informed_text(self.plan, d)
        self.app.push_screen(Confirm("deviations.close_question", detail=detail), answered)

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.refresh_list()

    def action_report(self) -> None:
        if not self.plan.open_agreements():
            self.notify(t("deviations.no_agreements"), severity="warning", markup=False)
            return

        def reported(deviation_id: str | None) -> None:
            self.refresh_list()
            if deviation_id:
                table = self.query_one(DeviationTable)
                ids = [d.id for d in self.shown()]
                if deviation_id in ids:
                    table.move_cursor(row=ids.index(deviation_id), animate=False)
                table.focus()

        self.app.push_screen(DeviationForm(self.agreement_id), reported)

    def action_back(self) -> None:
        self.dismiss(None)


class DeviationForm(ModalScreen[str | None]):
    """Report a deviation for the coordinator: the agreement, who reported it, the day, what
    happened. The model refuses what is missing; the typed text stays."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "modal.cancel")]

    def __init__(self, agreement_id: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.agreement_id = agreement_id
        self._reporter_chosen = False

    @property
    def plan(self) -> Plan:
        return self.app.plan  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        plan = self.plan
        agreement = plan.agreement(self.agreement_id)
        if agreement is None or not agreement.open:
            agreement = next(iter(plan.open_agreements()), None)
        today = self.app.clock().date()  # type: ignore[attr-defined]
        with Vertical(classes="dev-form"):
            yield Static(tr("deviations.report_title"), classes="modal-title")
            yield Static(tr("deviations.report_intro"), classes="hint")
            yield Static(tr("deviations.field_agreement"), classes="field-label")
            yield Select(agreement_options(plan), value=agreement.id if agreement else Select.NULL,
                         allow_blank=False, id="dev-agreement")
            with Horizontal(classes="dev-form-row"):
                with Vertical(classes="dev-form-who"):
                    yield Static(tr("deviations.field_reported_by"), classes="field-label")
                    yield Select(people_options(plan), prompt=t("deviations.reported_by_prompt"),
                                 value=agreement.responsible if agreement else Select.NULL, id="dev-reporter")
                with Vertical(classes="dev-form-date"):
                    yield Static(tr("deviations.field_date"), classes="field-label")
                    yield Input(fmt_date(today), placeholder=t("deviations.date_placeholder"),
                                max_length=10, id="dev-date")
            yield Static(tr("deviations.field_what"), classes="field-label")
            yield Input(placeholder=t("deviations.what_placeholder"), id="dev-what")
            yield Static("", id="dev-form-error", classes="error")
            with Horizontal(classes="dev-buttons"):
                yield Button(tr("deviations.report_button"), id="dev-submit", variant="primary")
                yield Button(tr("modal.cancel"), id="dev-form-cancel")

    def on_mount(self) -> None:
        self.query_one("#dev-what", Input).focus()

    @on(Select.Changed, "#dev-agreement")
    def _agreement_changed(self, event: Select.Changed) -> None:
        # the responsible is the usual reporter, until someone else is chosen
        a: Agreement | None = self.plan.agreement(event.value) if isinstance(event.value, str) else None
        if a is not None and not self._reporter_chosen:
            with self.prevent(Select.Changed):
                self.query_one("#dev-reporter", Select).value = a.responsible

    @on(Select.Changed, "#dev-reporter")
    def _reporter_changed(self) -> None:
        self._reporter_chosen = True

    def _error(self, text: str, field_id: str = "") -> None:
        self.query_one("#dev-form-error", Static).update(Content(text))
        for widget_id in ("dev-agreement", "dev-reporter", "dev-date", "dev-what"):
            self.query_one(f"#{widget_id}").set_class(widget_id == field_id, "-invalid")
        if field_id:
            self.query_one(f"#{field_id}").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#dev-submit")
    def submit(self) -> None:
        agreement_id = self.query_one("#dev-agreement", Select).selection or ""
        reporter = self.query_one("#dev-reporter", Select).selection or ""
        date_text = self.query_one("#dev-date", Input).value.strip()
        what = self.query_one("#dev-what", Input).value
        try:
            on_ = parse_date(date_text)
        except ValueError:
            self._error(t("deviations.bad_date", date=one_line(date_text)), "dev-date")
            return
        app: Any = self.app
        if on_ > app.clock().date():
            self._error(t("deviations.date_in_future"), "dev-date")
            return
        try:
            d = self.plan.report_deviation(agreement_id, reporter, what, on_, app.clock(),
                                           meeting_id=app.meeting_id)
        except PlanError as err:
            field_id = {"deviation_needs_text": "dev-what", "deviation_needs_reporter": "dev-reporter",
                        "unknown_agreement": "dev-agreement"}.get(err.code, "")
            self._error(t(err.code, **err.params), field_id)
            return
        app.plan_changed()
        self.notify(t("deviations.reported_notice"), markup=False, timeout=4)
        self.dismiss(d.id)

    @on(Button.Pressed, "#dev-form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class InformedForm(ModalScreen[bool | None]):
    """Whom the coordinator informed about a deviation, and on which day."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "cancel", "modal.cancel"),
        Binding("ctrl+s", "save", "deviations.key_save_informed", priority=True),
    ]

    def __init__(self, deviation_id: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.deviation_id = deviation_id

    @property
    def plan(self) -> Plan:
        return self.app.plan  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        plan = self.plan
        d = plan.deviation(self.deviation_id)
        assert d is not None
        a = plan.agreement(d.agreement_id)
        today = self.app.clock().date()  # type: ignore[attr-defined]
        selections = [(Content(person(plan, cid)), cid, cid in d.informed) for cid in plan.participant_ids()]
        with Vertical(classes="dev-form"):
            yield Static(tr("deviations.informed_title"), classes="modal-title")
            yield Static(Content.assemble((t("deviations.detail_agreement") + ": ", "bold"),
                                          one_line(a.what) if a else t("deviations.unknown_agreement")))
            yield Static(Content.assemble((t("deviations.detail_what") + ": ", "bold"), safe(d.what_happened)))
            yield Static(tr("deviations.informed_who"), classes="field-label")
            yield SelectionList[str](*selections, id="dev-informed")
            yield Static(tr("deviations.informed_date"), classes="field-label")
            yield Input(fmt_date(d.informed_on or today), placeholder=t("deviations.date_placeholder"),
                        max_length=10, id="dev-informed-date")
            yield Static("", id="dev-informed-error", classes="error")
            with Horizontal(classes="dev-buttons"):
                yield Button(tr("deviations.save_informed"), id="dev-informed-save", variant="primary")
                yield Button(tr("modal.cancel"), id="dev-informed-cancel")

    def on_mount(self) -> None:
        choices = self.query_one(SelectionList)
        choices.highlighted = 0
        choices.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#dev-informed-save")
    def action_save(self) -> None:
        informed = list(self.query_one(SelectionList).selected)
        date_text = self.query_one("#dev-informed-date", Input).value.strip()
        error = self.query_one("#dev-informed-error", Static)
        try:
            on_ = parse_date(date_text)
        except ValueError:
            error.update(Content(t("deviations.bad_date", date=one_line(date_text))))
            self.query_one("#dev-informed-date", Input).focus()
            return
        app: Any = self.app
        if on_ > app.clock().date():
            error.update(Content(t("deviations.date_in_future")))
            self.query_one("#dev-informed-date", Input).focus()
            return
        try:
            self.plan.record_informed(self.deviation_id, informed, on_)
        except PlanError as err:
            error.update(Content(t(err.code, **err.params)))
            self.query_one(SelectionList).focus()
            return
        app.plan_changed()
        self.dismiss(True)

    @on(Button.Pressed, "#dev-informed-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def show_deviations(app: Any, agreement_id: str = "") -> None:
    """Open the deviations over the current screen; that screen re-reads the plan afterwards."""
    below = app.screen

    def closed(_: None) -> None:
        updated = getattr(below, "plan_updated", None)
        if updated is not None:
            updated(None)

    app.push_screen(DeviationsScreen(agreement_id), closed)
