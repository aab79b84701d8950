"""Participants (F4): chair and referent, who is present, in person or virtually, for which
part of the meeting, whether their contact details are checked, and the written input of
those who sent apologies or were absent — marked with single keys while the list has focus.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Select, Static, TextArea

from kiptui.i18n import enum_label, t
from kiptui.model import (
    CITIZEN_ID,
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    Contact,
    PlanError,
)
from kiptui.textsafe import clean, one_line
from kiptui.validate import normalise_phone_dk, validate_email, validate_phone_dk
from screens.agenda import ErrorLine, cell, highlighted_key, is_shown, rebuild_columns, sync_rows
from screens.text import safe, tr, translate_bindings
from screens.fields import Input, focus_now
from screens.widgets import ClosedGate, NoteArea, Pane, meeting_closed

#: statuses whose holder may send written input instead of speaking at the meeting
AWAY = (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT)

#: the table's columns: key, i18n key of the header, width (0: shares what is left)
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "participants.col_name", 0),
    ("role", "participants.col_role", 0),
    ("sector", "participants.col_sector", 13),
    ("status", "participants.col_status", 19),
    ("part", "participants.col_part", 15),
    ("checked", "participants.col_checked", 7),
    ("function", "participants.col_function", 9),
)
#: on a narrow terminal role, organisation and sector are left to the line below the table
NARROW_COLUMNS = tuple(c for c in COLUMNS if c[0] not in ("role", "sector"))
NARROW_BELOW = 100
MIN_NAME_WIDTH = 14
MIN_ROLE_WIDTH = 14


# --------------------------------------------------------------------------- modal


class ContactDetailsModal(ModalScreen[tuple[str, str] | None]):
    """Check a person's e-mail and phone on the spot; saving marks them as confirmed."""

    BINDINGS = [Binding("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    ContactDetailsModal { align: center middle; }
    ContactDetailsModal > Vertical { width: 72; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    ContactDetailsModal Label { margin-top: 1; }
    ContactDetailsModal Input.-refused { border: tall $error; }
    ContactDetailsModal .error { color: $error; height: auto; }
    ContactDetailsModal Horizontal { height: auto; margin-top: 1; }
    ContactDetailsModal Button { margin-right: 2; }
    """

    def __init__(self, name: str, about: str, email: str, phone: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.person = name
        self.about = about
        self.email = email
        self.phone = phone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr("participants.details_title", name=one_line(self.person)), classes="modal-title")
            if self.about:
                yield Static(safe(self.about, multiline=False), classes="hint")
            yield Label(tr("participants.email"))
            yield Input(one_line(self.email), id="details-email", placeholder="navn@eksempel.dk")
            yield ErrorLine(id="details-email-error")
            yield Label(tr("participants.phone"))
            yield Input(one_line(self.phone), id="details-phone", placeholder="12 34 56 78")
            yield ErrorLine(id="details-phone-error")
            with Horizontal():
                yield Button(tr("participants.details_save"), id="details-save", variant="primary")
                yield Button(tr("modal.cancel"), id="details-cancel")

    def on_mount(self) -> None:
        self.query_one("#details-email", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#details-save")
    def _save(self) -> None:
        email_input = self.query_one("#details-email", Input)
        phone_input = self.query_one("#details-phone", Input)
        email_error = validate_email(email_input.value)
        phone_error = validate_phone_dk(phone_input.value)
        for widget, error, box in (
            (email_input, email_error, "#details-email-error"),
            (phone_input, phone_error, "#details-phone-error"),
        ):
            widget.set_class(error is not None, "-refused")
            self.query_one(box, Static).update(tr(error) if error else "")
        if email_error:
            email_input.focus()
            return
        if phone_error:
            phone_input.focus()
            return
        self.dismiss((email_input.value.strip(), normalise_phone_dk(phone_input.value)))

    @on(Button.Pressed, "#details-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# --------------------------------------------------------------------------- the table


class ParticipantTable(ClosedGate, DataTable[Text]):
    """Everyone who can take part, the citizen first; keys act on the highlighted person."""

    BLOCKED_WHEN_CLOSED = frozenset({"status", "toggle_virtual", "toggle_checked", "chair", "referent"})

    BINDINGS = [
        Binding("t", "status('present')", "participants.key_present", id="participants-present"),
        Binding("a", "status('apologies')", "participants.key_apologies", id="participants-apologies"),
        Binding("f", "status('absent')", "participants.key_absent", id="participants-absent"),
        Binding("v", "toggle_virtual", "participants.key_virtual", id="participants-virtual"),
        Binding("enter", "edit_details", "participants.key_details", id="participants-details"),
        Binding("k", "toggle_checked", "participants.key_checked", id="participants-checked", show=False),
        Binding("ctrl+e", "chair", "participants.key_chair", id="participants-chair"),
        Binding("ctrl+r", "referent", "participants.key_referent", id="participants-referent"),
        Binding("d", "focus_part", "participants.key_part", id="participants-part", show=False),
        Binding("i", "focus_written", "participants.key_written", id="participants-written", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    @property
    def pane(self) -> ParticipantsPane:
        return self.query_ancestor(ParticipantsPane)

    def action_status(self, status: str) -> None:
        self.pane.set_status(AttendanceStatus(status))

    def action_toggle_virtual(self) -> None:
        self.pane.toggle_virtual()

    def action_toggle_checked(self) -> None:
        self.pane.toggle_checked()

    def action_edit_details(self) -> None:
        self.pane.edit_details()

    def action_chair(self) -> None:
        self.pane.assign_role("chair")

    def action_referent(self) -> None:
        self.pane.assign_role("referent")

    def action_focus_part(self) -> None:
        self.pane.query_one("#participants-part-input", Input).focus()

    def action_focus_written(self) -> None:
        area = self.pane.query_one("#participants-written", NoteArea)
        if area.display:
            area.focus()
        else:
            self.notify(t("participants.written_only_away"), markup=False)

    def on_resize(self, event: Resize) -> None:
        self.fit_columns(event.size.width)

    def fit_columns(self, width: int) -> None:
        """Name and role share the width the other columns leave, so the table never
        scrolls sideways; below NARROW_BELOW columns the name takes it all."""
        spec = NARROW_COLUMNS if width < NARROW_BELOW else COLUMNS
        fixed = sum(w for _, _, w in spec) + 2 * self.cell_padding * len(spec)
        left = width - fixed - 2  # 2: the vertical scrollbar
        if spec is NARROW_COLUMNS:
            widths = {"name": max(MIN_NAME_WIDTH, left)}
        else:
            name_width = max(MIN_NAME_WIDTH, left * 9 // 20)
            widths = {"name": name_width, "role": max(MIN_ROLE_WIDTH, left - name_width)}
        columns = [(key, label, w or widths[key]) for key, label, w in spec]
        current = [(ck.value, col.width) for ck, col in self.columns.items()]
        if current == [(key, w) for key, _, w in columns]:
            return
        rebuild_columns(self, columns, lambda: self.pane._sync_table())


# --------------------------------------------------------------------------- the pane


class ParticipantsPane(Pane):
    MEETING_RECORD = True
    TITLE_KEY = "tab.participants"

    BINDINGS = [
        Binding("escape", "back_to_list", "participants.key_back", id="participants-back", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the person the fields below the table show (the highlighted one)
        self._detail_id: str = ""
        self._role_options: list[tuple[str, str]] = []
        #: the plan changed while the pane was on a hidden tab
        self._stale = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="participants-roles"):
            yield Label(tr("participants.chair"), classes="participants-label")
            yield Select([], prompt=t("participants.choose_chair"), id="participants-chair")
            yield Label(tr("participants.referent"), classes="participants-label")
            yield Select([], prompt=t("participants.choose_referent"), id="participants-referent")
        yield Static(tr("participants.roles_hint"), id="participants-roles-hint", classes="hint")
        yield ErrorLine(id="participants-roles-error")
        yield Static("", id="participants-summary")
        table = ParticipantTable(id="participants-table")
        table.fit_columns(80)
        yield table
        yield Static("", id="participants-person")
        yield Static("", id="participants-contact")
        with Horizontal(id="participants-part-row"):
            yield Label(tr("participants.part"), classes="participants-label")
            yield Input(placeholder=t("participants.part_placeholder"), id="participants-part-input")
        yield Label("", id="participants-written-label")
        yield NoteArea(id="participants-written")

    def on_mount(self) -> None:
        self.refresh_from_plan()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._sync_table())

    # ------------------------------------------------------------------ reading the plan

    @property
    def table(self) -> ParticipantTable:
        return self.query_one("#participants-table", ParticipantTable)

    def attendance(self, contact_id: str) -> Attendance:
        """The person's attendance line, without adding one just by looking."""
        for a in self.meeting.attendance:
            if a.contact_id == contact_id:
                return a
        return Attendance(contact_id=contact_id)

    def name_of(self, contact_id: str) -> str:
        name = one_line(self.plan.name_of(contact_id))
        if not name:
            return t("participants.citizen") if contact_id == CITIZEN_ID else "–"
        return name

    def highlighted_id(self) -> str | None:
        return highlighted_key(self.table)

    def refresh_from_plan(self) -> None:
        # every edit in any pane lands here; a hidden tab catches up when it is shown
        self._stale = not is_shown(self)
        if self.kapp.handle is None or self._stale:
            return
        self._sync_roles()
        self._sync_table()
        person = self.highlighted_id()
        self._load_detail(person, force=person != self._detail_id)
        self._update_summary()

    def _styles(self) -> dict[str, Style]:
        variables = self.app.get_css_variables()
        return {
            "present": Style(color=variables.get("success"), bold=True),
            "apologies": Style(color=variables.get("warning")),
            "absent": Style(color=variables.get("error")),
            "unknown": Style(dim=True),
            "role": Style(color=variables.get("primary"), bold=True),
        }

    def _rows(self) -> list[tuple[str, dict[str, Text]]]:
        m = self.meeting
        styles = self._styles()
        rows = []
        for cid in self.plan.participant_ids():
            att = self.attendance(cid)
            contact = self.plan.contact(cid)
            if contact is None:
                role, sector = t("participants.citizen"), ""
            else:
                role = ", ".join(p for p in (one_line(contact.role), one_line(contact.organisation)) if p)
                sector = enum_label(contact.sector.value)
            status = enum_label(att.status.value)
            if att.status == AttendanceStatus.PRESENT and att.mode == AttendanceMode.VIRTUAL:
                status = t("participants.present_virtual")
            elif att.status == AttendanceStatus.UNKNOWN:
                status = "–"
            function = (
                t("participants.chair") if cid == m.chair
                else t("participants.referent") if cid == m.referent
                else ""
            )
            rows.append((cid, {
                "name": cell(self.name_of(cid), "bold" if cid == CITIZEN_ID else ""),
                "role": cell(role),
                "sector": cell(sector, user=False),
                "status": cell(status, styles[att.status.value], user=False),
                "part": cell(att.part),
                "checked": cell("✓" if att.details_confirmed else "", styles["present"], user=False),
                "function": cell(function, styles["role"], user=False),
            }))
        return rows

    def _sync_table(self) -> None:
        if self.kapp.handle is None:
            return
        sync_rows(self.table, self._rows())

    def _update_summary(self) -> None:
        counts = {s: 0 for s in AttendanceStatus}
        virtual = 0
        for cid in self.plan.participant_ids():
            att = self.attendance(cid)
            counts[att.status] += 1
            virtual += att.status == AttendanceStatus.PRESENT and att.mode == AttendanceMode.VIRTUAL
        text = t(
            "participants.summary",
            present=counts[AttendanceStatus.PRESENT],
            virtual=virtual,
            apologies=counts[AttendanceStatus.APOLOGIES],
            absent=counts[AttendanceStatus.ABSENT],
            unknown=counts[AttendanceStatus.UNKNOWN],
        )
        self.query_one("#participants-summary", Static).update(Content(text))

    # ------------------------------------------------------------------ chair and referent

    def _professional_options(self) -> list[tuple[str, str]]:
        m = self.meeting
        options = []
        for contact in self.plan.contacts:
            # a role held by someone who is no longer a professional stays visible, so the
            # Select can show what the plan says; choosing them again is refused below
            if contact.is_professional or contact.id in (m.chair, m.referent):
                options.append((contact.id, self._option_label(contact)))
        return options

    @staticmethod
    def _option_label(contact: Contact) -> str:
        parts = [one_line(contact.name) or "–"]
        if contact.role.strip():
            parts.append(one_line(contact.role))
        if contact.organisation.strip():
            parts.append(one_line(contact.organisation))
        return ", ".join(parts)

    def _sync_roles(self) -> None:
        options = self._professional_options()
        m = self.meeting
        chair = self.query_one("#participants-chair", Select)
        referent = self.query_one("#participants-referent", Select)
        with self.prevent(Select.Changed):
            if options != self._role_options:
                self._role_options = options
                pairs = [(Content(label), cid) for cid, label in options]
                chair.set_options(pairs)
                referent.set_options(pairs)
            known = {cid for cid, _ in options}
            for select, value in ((chair, m.chair), (referent, m.referent)):
                wanted = value if value in known else Select.NULL
                if select.value != wanted:
                    select.value = wanted

    def _show_role_error(self, code: str) -> None:
        message = t(code)
        self.query_one("#participants-roles-error", Static).update(Content(message))
        self.notify(message, severity="warning", markup=False)

    def _set_role(self, role: str, contact_id: str) -> bool:
        """Make `contact_id` chair or referent ("" clears); the model refuses the same
        person for both, and only professionals are offered (the working guide)."""
        m = self.meeting
        if contact_id:
            contact = self.plan.contact(contact_id)
            if contact is None or not contact.is_professional:
                self._show_role_error("participants.roles_professionals_only")
                return False
        try:
            if role == "chair":
                m.set_chair(contact_id)
            else:
                m.set_referent(contact_id)
        except PlanError as err:
            self._show_role_error(err.code)
            return False
        self.query_one("#participants-roles-error", Static).update("")
        return True

    @on(Select.Changed, "#participants-chair")
    @on(Select.Changed, "#participants-referent")
    def _role_selected(self, event: Select.Changed) -> None:
        role = "chair" if event.select.id == "participants-chair" else "referent"
        value = "" if event.value is Select.NULL else str(event.value)
        if value == getattr(self.meeting, role):
            return
        if self._set_role(role, value):
            self._after_edit()
        else:
            self._sync_roles()  # back to what the plan says; the reason is shown

    def assign_role(self, role: str) -> None:
        """ctrl+e / ctrl+r on the highlighted row; pressing it again on the same person clears."""
        cid = self.highlighted_id()
        if cid is None:
            return
        value = "" if getattr(self.meeting, role) == cid else cid
        if self._set_role(role, value):
            self._sync_roles()
            self._after_edit()

    # ------------------------------------------------------------------ attendance keys

    def set_status(self, status: AttendanceStatus) -> None:
        """Present / apologies / absent for the highlighted person; the situation round
        follows (the model keeps the words of a speaker who is marked away afterwards)."""
        cid = self.highlighted_id()
        if cid is None or self.attendance(cid).status == status:
            return
        self.meeting.attendance_for(cid).status = status
        self.meeting.build_round()
        self._after_edit()

    def toggle_virtual(self) -> None:
        cid = self.highlighted_id()
        if cid is None:
            return
        att = self.meeting.attendance_for(cid)
        if att.status != AttendanceStatus.PRESENT:
            # someone not (yet) marked present takes part by video: present, virtually, in one
            # key (before, V changed nothing to be seen until T had been pressed first)
            att.status = AttendanceStatus.PRESENT
            att.mode = AttendanceMode.VIRTUAL
            self.meeting.build_round()
        else:
            att.mode = AttendanceMode.IN_PERSON if att.mode == AttendanceMode.VIRTUAL else AttendanceMode.VIRTUAL
        self._after_edit()

    def toggle_checked(self) -> None:
        cid = self.highlighted_id()
        if cid is None:
            return
        att = self.meeting.attendance_for(cid)
        att.details_confirmed = not att.details_confirmed
        self._after_edit()

    def edit_details(self) -> None:
        cid = self.highlighted_id()
        if cid is None:
            return
        holder: Any = self.plan.citizen if cid == CITIZEN_ID else self.plan.contact(cid)
        if holder is None:
            return

        def saved(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            holder.email, holder.phone = result
            self.meeting.attendance_for(cid).details_confirmed = True
            self._after_edit()
            self.table.focus()

        about = self._about(cid)
        self.app.push_screen(ContactDetailsModal(self.name_of(cid), about, holder.email, holder.phone), saved)

    def _after_edit(self) -> None:
        self._sync_table()
        person = self.highlighted_id()
        self._load_detail(person, force=person != self._detail_id)
        self._update_summary()
        self.changed()

    # ------------------------------------------------------------------ the person below

    def _about(self, cid: str) -> str:
        contact = self.plan.contact(cid)
        if contact is None:
            return t("participants.citizen")
        parts = [one_line(p) for p in (contact.role, contact.organisation) if p.strip()]
        parts.append(enum_label(contact.sector.value))
        return ", ".join(parts)

    def _load_detail(self, cid: str | None, *, force: bool = False) -> None:
        self._detail_id = cid or ""
        person = self.query_one("#participants-person", Static)
        contact_line = self.query_one("#participants-contact", Static)
        part = self.query_one("#participants-part-input", Input)
        written_label = self.query_one("#participants-written-label", Label)
        written = self.query_one("#participants-written", NoteArea)
        part.disabled = cid is None or meeting_closed(self)
        if cid is None:
            person.update("")
            contact_line.update("")
            written_label.display = written.display = False
            return
        att = self.attendance(cid)
        holder: Any = self.plan.citizen if cid == CITIZEN_ID else self.plan.contact(cid)
        person.update(Content.assemble((self.name_of(cid), "bold"), "  ·  ", self._about(cid)))
        email = one_line(holder.email) if holder else ""
        phone = one_line(holder.phone) if holder else ""
        checked = (
            (t("participants.checked_yes"), "$success")
            if att.details_confirmed
            else (t("participants.checked_no"), "$warning")
        )
        contact_line.update(Content.assemble(
            (t("participants.email") + ": ", "bold"), email or "–", "   ",
            (t("participants.phone") + ": ", "bold"), phone or "–", "   ", checked,
        ))
        away = cid != CITIZEN_ID and att.status in AWAY
        written_label.display = written.display = away
        written_label.update(tr("participants.written", name=self.name_of(cid)))
        with self.prevent(Input.Changed, TextArea.Changed):
            if force or not part.has_focus:
                part.value = one_line(att.part)
            if force:
                written.load_text(clean(att.written_input))
            else:
                written.set_text_if_idle(att.written_input)

    @on(DataTable.RowHighlighted, "#participants-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        cid = event.row_key.value if event.row_key is not None else None
        if cid != self._detail_id:
            # a refusal is about the person it was asked for: moving on, it goes (a review
            # found it still there minutes later, about nothing on screen)
            self.query_one("#participants-roles-error", Static).update("")
            self._load_detail(cid, force=True)

    @on(DataTable.RowSelected, "#participants-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click; Enter is the table's own binding (contact details)

    @on(Input.Changed, "#participants-part-input")
    def _part_changed(self, event: Input.Changed) -> None:
        if not self._detail_id:
            return
        value = event.value.strip()
        if self.attendance(self._detail_id).part != value:
            self.meeting.attendance_for(self._detail_id).part = value
            self._sync_table()
            self.changed()

    @on(TextArea.Changed, "#participants-written")
    def _written_changed(self, event: TextArea.Changed) -> None:
        if not self._detail_id:
            return
        text = event.text_area.text
        if self.attendance(self._detail_id).written_input != text:
            self.meeting.attendance_for(self._detail_id).written_input = text
            self.changed()

    # ------------------------------------------------------------------ focus, palette

    def action_back_to_list(self) -> None:
        self.table.focus()

    def focus_first(self) -> None:
        focus_now(self.table)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        def focus(selector: str) -> Any:
            return lambda: self.query_one(selector).focus()

        return [
            (t("participants.cmd_chair"), t("participants.cmd_chair_help"), focus("#participants-chair")),
            (t("participants.cmd_referent"), t("participants.cmd_referent_help"), focus("#participants-referent")),
            (t("participants.cmd_details"), t("participants.cmd_details_help"), self.edit_details),
        ]
