"""Before the meeting (F2): master data, consent, the network, the citizen's wishes and the
invitation with a live preview — five sections behind a small index on the left.

The CPR number is masked on screen (010190-••••) unless revealed: the referent's screen is
often on a projector.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from markdown_it import MarkdownIt
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    DataTable,
    Label,
    Markdown,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from kiptui.i18n import enum_label, fmt_date, fmt_datetime, parse_date, t
from kiptui.minutes import render_invitation
from kiptui.model import AttendanceStatus, Contact, Meeting, MeetingStatus, PlanError, Sector
from kiptui.textsafe import clean, one_line
from kiptui.validate import (
    mask_cpr,
    normalise_cpr,
    normalise_phone_dk,
    validate_cpr,
    validate_email,
    validate_phone_dk,
)
from screens.modals import Confirm
from screens.text import safe, tr, translate_bindings
from screens.fields import Input, focus_now
from screens.widgets import Pane, TextBox, clear_rows, fit_rows

#: the sections, in the order of the working guide's "before the meeting"
SECTIONS = ("master", "consent", "network", "wishes", "invitation")

#: seconds without typing before the invitation preview is rendered again
PREVIEW_DELAY = 0.3
PREVIEW_POLL = 0.1

#: the values Consent.how takes (stored in Danish, as the model documents); labels translated
CONSENT_HOW = ("skriftligt", "mundtligt")

#: the sectors a professional can belong to (a relative's sector is always RELATIVE)
PROFESSIONAL_SECTORS = [s for s in Sector if s != Sector.RELATIVE]

_DATE = re.compile(r"^\s*\d{1,2}[.\-/]\d{1,2}[.\-/](\d{2}|\d{4})\s*$")
_DATETIME = re.compile(r"^\s*(\d{1,2}[.\-/]\d{1,2}[.\-/](?:\d{2}|\d{4}))\s+(\d{1,2})[:.](\d{2})\s*$")

#: text fields: widget id -> (which part of the plan, attribute)
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "citizen-name": ("citizen", "name"),
    "citizen-cpr": ("citizen", "cpr"),
    "citizen-address": ("citizen", "address"),
    "citizen-phone": ("citizen", "phone"),
    "citizen-email": ("citizen", "email"),
    "citizen-gp": ("citizen", "general_practitioner"),
    "citizen-notes": ("citizen", "notes"),
    "consent-note": ("consent", "note"),
    "wish-feel-safe": ("wishes", "feel_safe"),
    "wish-how-much": ("wishes", "how_much_to_say"),
    "wish-breaks": ("wishes", "breaks"),
    "wish-part": ("wishes", "part_of_meeting"),
    "wish-other": ("wishes", "other"),
    "meeting-place": ("meeting", "place"),
    "meeting-video": ("meeting", "video_link"),
    "inv-purpose": ("invitation", "purpose"),
    "inv-reason": ("invitation", "reason"),
    "inv-situation": ("invitation", "current_situation"),
    "inv-bring": ("invitation", "bring_other_plans"),
}

#: fields whose format is checked: widget id -> (check, normaliser)
CHECKED_FIELDS: dict[str, tuple[Callable[[str], str | None], Callable[[str], str]]] = {
    "citizen-cpr": (validate_cpr, normalise_cpr),
    "citizen-phone": (validate_phone_dk, normalise_phone_dk),
    "citizen-email": (validate_email, str.strip),
}


def parse_day(text: str) -> date | None:
    """A date typed as dd.mm.yyyy (or dd.mm.yy); None for an empty field; ValueError else.
    Stricter than i18n.parse_date about the year, so "01.11.202" is not the year 202."""
    if not text.strip():
        return None
    if not _DATE.match(text):
        raise ValueError(text)
    day = parse_date(text)
    if day.year < 1900:
        raise ValueError(text)
    return day


def parse_meeting_time(text: str) -> datetime | None:
    """dd.mm.yyyy HH:MM (the time is required: a meeting at midnight is a typo)."""
    if not text.strip():
        return None
    match = _DATETIME.match(text)
    if match is None:
        raise ValueError(text)
    day = parse_day(match.group(1))
    assert day is not None
    return datetime(day.year, day.month, day.day, int(match.group(2)), int(match.group(3)))


def removal_blocker(plan: Any, contact_id: str) -> str | None:
    """Why a contact may not leave the network beyond the model's own rule (open agreements,
    current coordinator): the plan's history names them, and removing them would leave an
    earlier meeting's minutes, an agreement or a coordinator term without its person."""
    if any(a.responsible == contact_id for a in plan.agreements):
        return "prepare.network.remove_in_history"
    if any(term.contact_id == contact_id for term in plan.coordinators):
        return "prepare.network.remove_in_history"
    for m in plan.meetings:
        if m.status == MeetingStatus.PLANNED:
            continue
        if contact_id in (m.chair, m.referent, m.coordinator):
            return "prepare.network.remove_in_history"
        if any(a.contact_id == contact_id and a.status != AttendanceStatus.UNKNOWN for a in m.attendance):
            return "prepare.network.remove_in_history"
        if any(e.contact_id == contact_id for e in m.situation_round):
            return "prepare.network.remove_in_history"
    return None


def forget_contact(plan: Any, contact_id: str) -> None:
    """Remove what still points at a removed contact in meetings not yet held, and from the
    consent's scope (those references are plans, not history)."""
    plan.consent.scope_contacts = [cid for cid in plan.consent.scope_contacts if cid != contact_id]
    for m in plan.meetings:
        if m.status != MeetingStatus.PLANNED:
            continue
        m.attendance = [a for a in m.attendance if a.contact_id != contact_id]
        m.situation_round = [e for e in m.situation_round if e.contact_id != contact_id]
        for role in ("chair", "referent", "coordinator", "current_speaker"):
            if getattr(m, role) == contact_id:
                setattr(m, role, "")


# --------------------------------------------------------------------------- widgets


class CprInput(Input):
    """The CPR number field: shows 010190-•••• unless revealed; the value itself is intact."""

    revealed: reactive[bool] = reactive(False)

    @property
    def _value(self) -> Text:
        shown = self.value if self.revealed else mask_cpr(self.value)
        return Text(shown, no_wrap=True, overflow="ignore", end="")


class ScopeList(SelectionList[str]):
    """Whom the consent covers; A chooses everyone, F no one (the buttons below say so)."""

    BINDINGS = [
        Binding("a", "scope(True)", "prepare.consent.key_all", id="prepare-scope-all"),
        Binding("f", "scope(False)", "prepare.consent.key_none", id="prepare-scope-none"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)

    def action_scope(self, everyone: bool) -> None:
        self.query_ancestor(PreparePane).set_scope_all(everyone)


class Section(VerticalScroll, can_focus=False):
    """One section of the pane; it scrolls to the focused field, Tab never stops on it."""


class ContactTable(DataTable[Any]):
    """The network as a table; Enter edits the highlighted person, Delete removes them."""

    BINDINGS = [
        Binding("enter", "edit_contact", "prepare.network.key_edit", id="prepare-contact-edit"),
        Binding("delete", "remove_contact", "prepare.network.key_remove", id="prepare-contact-remove"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    def on_resize(self) -> None:
        # laid out (or the terminal resized): the columns are fitted to the section's width
        self.query_ancestor(PreparePane)._load_contacts()

    def action_edit_contact(self) -> None:
        self.query_ancestor(PreparePane).edit_selected()

    def action_remove_contact(self) -> None:
        self.query_ancestor(PreparePane).remove_selected()


class InvitationPreview(Markdown):
    """The invitation as it will read. Links are never followed: the text is the user's."""

    def __init__(self, **kwargs: Any) -> None:
        # js-default: no raw HTML, no linkify (a typed URL stays text)
        super().__init__(parser_factory=lambda: MarkdownIt("js-default"), open_links=False, **kwargs)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        event.prevent_default()


def mount_now(parent: Widget, widgets: list[Widget]) -> None:
    """Mount `widgets` and every child they were made with at once, level by level: right
    after this call all of them can be found, filled and focused. (Textual mounts a
    container's children when the container itself is composed, a moment later; a key
    typed in that moment would reach the field focused before.) Should Textual keep a
    widget's children elsewhere, they are mounted by Textual, a moment later, as before."""
    for widget in widgets:
        pending = getattr(widget, "_pending_children", None)
        children = list(pending) if isinstance(pending, list) else []
        if children:
            pending.clear()
        parent.mount(widget)
        mount_now(widget, children)


def _error_box(for_id: str) -> Static:
    return Static("", id=f"{for_id}-error", classes="field-error")


def _row(label_key: str, *widgets: Widget, error_for: str = "", classes: str = "") -> Horizontal:
    """A form row: the label on the left, the field (and its error line) on the right."""
    body = list(widgets)
    if error_for:
        body.append(_error_box(error_for))
    return Horizontal(
        Label(tr(label_key), classes="field-label"),
        Vertical(*body, classes="field-body"),
        classes=f"field-row {classes}".strip(),
    )


def _key_button(label_key: str, widget_id: str) -> Button:
    """A button of the F2 forms: a click, never a Tab stop. Its key is written on it; as a
    Tab stop between two fields it swallowed what was typed after the Tab (a review's
    address went into the CPR number's show button, the phone number into the address)."""
    button = Button(tr(label_key), id=widget_id, compact=True)
    button.can_focus = False
    return button


def _area(widget_id: str, **kwargs: Any) -> TextArea:
    return TextBox(id=widget_id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                    classes="field-area", **kwargs)


# --------------------------------------------------------------------------- the contact form


class ContactModal(ModalScreen[bool]):
    """Add or edit one person of the network. `apply` gets the finished contact and may raise
    PlanError; the form then stays open with the reason and everything typed. Escape asks
    before it throws away what was typed (a review lost a whole person to one Escape)."""

    BINDINGS = [Binding("escape", "cancel", "modal.cancel", id="contact-cancel")]

    def __init__(self, contact: Contact | None, apply: Callable[[Contact], None]) -> None:
        super().__init__()
        translate_bindings(self)
        self.contact = contact
        self.apply = apply
        self._as_opened: tuple[Any, ...] = ()  # the form's values when it was opened

    def compose(self) -> ComposeResult:
        c = self.contact or Contact()
        relative = self.contact is not None and c.sector == Sector.RELATIVE
        sectors = [(Content(enum_label(s.value)), s.value) for s in PROFESSIONAL_SECTORS]
        sector_value: Any = c.sector.value if self.contact is not None and not relative else Select.NULL
        title = "prepare.contact.edit_title" if self.contact is not None else "prepare.contact.new_title"
        with Vertical(id="contact-dialog"):
            yield Static(tr(title), classes="modal-title")
            with VerticalScroll(id="contact-fields"):
                yield _row("prepare.contact.name", Input(one_line(c.name), id="contact-name"),
                           error_for="contact-name")
                kind = RadioSet(
                    RadioButton(tr("prepare.contact.professional"), value=not relative, id="kind-professional"),
                    RadioButton(tr("prepare.contact.relative"), value=relative, id="kind-relative"),
                    id="contact-kind",
                )
                yield _row("prepare.contact.kind", kind)
                yield _row(
                    "prepare.contact.sector",
                    Select(sectors, value=sector_value, prompt=t("prepare.contact.sector_prompt"),
                           id="contact-sector", disabled=relative),
                    error_for="contact-sector",
                )
                yield _row("prepare.contact.organisation", Input(one_line(c.organisation), id="contact-organisation"))
                yield _row("prepare.contact.role", Input(one_line(c.role), id="contact-role"))
                yield _row("prepare.contact.email",
                           Input(one_line(c.email), id="contact-email", placeholder=t("prepare.contact.email_placeholder")),
                           error_for="contact-email")
                yield _row("prepare.contact.phone",
                           Input(one_line(c.phone), id="contact-phone", placeholder=t("prepare.contact.phone_placeholder")),
                           error_for="contact-phone")
            yield Static("", id="contact-form-error", classes="field-error")
            with Horizontal(id="contact-buttons"):
                yield Button(tr("prepare.contact.save"), id="contact-save", variant="primary")
                yield Button(tr("modal.cancel"), id="contact-cancel-button")

    def on_mount(self) -> None:
        self.query_one("#contact-name", Input).focus()
        self._as_opened = self._form()

    def _form(self) -> tuple[Any, ...]:
        """What the form holds now, to tell whether anything was typed or chosen."""
        return (*(field.value for field in self.query(Input)), self.query_one("#kind-relative", RadioButton).value,
                self.query_one("#contact-sector", Select).value)

    @on(RadioSet.Changed, "#contact-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#contact-sector", Select).disabled = event.pressed.id == "kind-relative"

    def _show(self, field_id: str, code: str | None) -> None:
        box = self.query_one(f"#{field_id}-error", Static)
        box.update(tr(code) if code else "")
        box.set_class(bool(code), "-shown")
        self.query_one(f"#{field_id}").set_class(bool(code), "-error")

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        # a corrected field loses its error at once; the check itself runs on save
        if event.input.id and event.input.has_class("-error"):
            self._show(event.input.id, None)

    @on(Select.Changed, "#contact-sector")
    def _sector_picked(self) -> None:
        self._show("contact-sector", None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#contact-save")
    def action_save(self) -> None:
        value = lambda wid: self.query_one(f"#{wid}", Input).value.strip()  # noqa: E731
        relative = self.query_one("#kind-relative", RadioButton).value
        sector_value = self.query_one("#contact-sector", Select).value
        errors: dict[str, str | None] = {
            "contact-name": None if value("contact-name") else "contact_name_required",
            "contact-sector": None if relative or sector_value != Select.NULL else "prepare.contact.sector_required",
            "contact-email": validate_email(value("contact-email")),
            "contact-phone": validate_phone_dk(value("contact-phone")),
        }
        for field_id, code in errors.items():
            self._show(field_id, code)
        form_error = self.query_one("#contact-form-error", Static)
        first = next((fid for fid, code in errors.items() if code), None)
        if first is not None:
            form_error.update(tr("prepare.contact.fix_errors"))
            form_error.set_class(True, "-shown")
            self.query_one(f"#{first}").focus()
            self.call_after_refresh(self.query_one(f"#{first}-error").scroll_visible, animate=False)
            return
        draft = Contact(
            id=self.contact.id if self.contact is not None else Contact().id,
            name=value("contact-name"),
            sector=Sector.RELATIVE if relative else Sector(str(sector_value)),
            organisation=value("contact-organisation"),
            role=value("contact-role"),
            email=value("contact-email"),
            phone=normalise_phone_dk(value("contact-phone")),
        )
        try:
            self.apply(draft)
        except PlanError as err:
            form_error.update(tr(err.code, **err.params))
            form_error.set_class(True, "-shown")
            return
        self.dismiss(True)

    @on(Button.Pressed, "#contact-cancel-button")
    def _cancel_button(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        if self._form() == self._as_opened:
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(Confirm("prepare.contact.discard_question"), answered)


# --------------------------------------------------------------------------- the pane


class PreparePane(Pane, can_focus=False):
    TITLE_KEY = "tab.prepare"

    BINDINGS = [
        Binding("alt+down", "step_section(1)", "prepare.key.next_section", id="prepare-next-section"),
        Binding("alt+up", "step_section(-1)", "prepare.key.previous_section", id="prepare-previous-section"),
        *[
            Binding(f"alt+{n}", f"show_section('{name}')", f"prepare.nav.{name}", id=f"prepare-section-{name}", show=False)
            for n, name in enumerate(SECTIONS, start=1)
        ],
        Binding("ctrl+r", "toggle_cpr", "prepare.key.reveal_cpr", id="prepare-reveal-cpr"),
        Binding("ctrl+n", "add_contact", "prepare.key.add_contact", id="prepare-add-contact"),
        Binding("tab", "tab_forward", "", show=False),
        Binding("shift+tab", "tab_backward", "", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = SECTIONS[0]
        self._preview_due: datetime | None = None
        self._preview_timer: Timer | None = None
        self._preview_source = ""
        self.preview_update: Any = None  # the last Markdown update (awaitable, for tests)
        self._contact_rows: tuple[list[tuple[str, tuple[str, ...]]], int] = ([], 0)  # and the room
        self._scope_options: list[tuple[str, str]] = []
        self._how_values: list[str] = list(CONSENT_HOW)
        self._stale = False
        self._loaded = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield OptionList(*[Option(tr(f"prepare.nav.{s}"), id=s) for s in SECTIONS], id="prepare-nav")
        # Only the first section is built with the pane; each other one the first time it is
        # shown (all five are 155 widgets: building them made the first visit to this tab
        # 0.3–0.4 s on the workplace's machine).
        with ContentSwitcher(initial="section-master", id="prepare-sections"):
            for name in SECTIONS:
                box = Horizontal if name == "invitation" else Vertical
                fields = self._section_contents(name) if name == SECTIONS[0] else []
                yield box(*fields, id=f"section-{name}", classes="prepare-section")

    def _section_contents(self, name: str) -> list[Widget]:
        """The widgets of one section, made with their children (`mount_now` mounts them
        all at once when the section is first shown)."""
        head = list(self._section_head(name))
        if name == "master":
            cpr_line = Horizontal(
                CprInput(id="citizen-cpr", placeholder=t("prepare.master.cpr_placeholder")),
                _key_button("prepare.master.cpr_show", "cpr-reveal"),
                classes="cpr-line",
            )
            return [*head, Section(
                _row("prepare.master.name", Input(id="citizen-name")),
                _row("prepare.master.cpr", cpr_line, error_for="citizen-cpr"),
                _row("prepare.master.address", Input(id="citizen-address")),
                _row("prepare.master.phone",
                     Input(id="citizen-phone", placeholder=t("prepare.contact.phone_placeholder")),
                     error_for="citizen-phone"),
                _row("prepare.master.email",
                     Input(id="citizen-email", placeholder=t("prepare.contact.email_placeholder")),
                     error_for="citizen-email"),
                _row("prepare.master.gp", Input(id="citizen-gp", placeholder=t("prepare.master.gp_placeholder"))),
                _row("prepare.master.notes", _area("citizen-notes")),
                classes="section-body",
            )]
        if name == "consent":
            scope = Vertical(
                ScopeList(id="consent-scope"),
                Horizontal(
                    _key_button("prepare.consent.scope_all", "consent-scope-all"),
                    _key_button("prepare.consent.scope_none", "consent-scope-none"),
                    classes="scope-buttons",
                ),
                classes="scope-box",
            )
            return [*head, Static("", id="consent-status"), Section(
                _row("prepare.consent.given", Checkbox(tr("prepare.consent.given_box"), id="consent-given")),
                _row("prepare.consent.date",
                     Input(id="consent-date", placeholder=t("prepare.date_placeholder"), classes="date-input"),
                     error_for="consent-date"),
                _row("prepare.consent.how",
                     Select(self._how_options(), value=self.plan.consent.how or Select.NULL,
                            prompt=t("prepare.consent.how_prompt"), id="consent-how")),
                _row("prepare.consent.scope", scope),
                _row("prepare.consent.withdrawn",
                     Input(id="consent-withdrawn", placeholder=t("prepare.date_placeholder"), classes="date-input"),
                     error_for="consent-withdrawn"),
                _row("prepare.consent.note", _area("consent-note")),
                classes="section-body",
            )]
        if name == "network":
            table = ContactTable(id="contact-table")
            for key in ("name", "sector", "organisation", "role", "email", "phone"):
                table.add_column(Text(t(f"prepare.network.col_{key}")), key=key)
            return [
                *head,
                table,
                Static("", id="contact-detail"),
                Static(tr("prepare.network.empty"), id="network-empty"),
                Horizontal(
                    _key_button("prepare.network.add", "contact-add"),
                    _key_button("prepare.network.edit", "contact-edit"),
                    _key_button("prepare.network.remove", "contact-remove"),
                    id="network-buttons",
                ),
                Static("", id="network-message", classes="field-error"),
            ]
        if name == "wishes":
            return [*head, Section(
                _row("prepare.wishes.feel_safe",
                     _area("wish-feel-safe", placeholder=tr("prepare.wishes.feel_safe_placeholder"))),
                _row("prepare.wishes.how_much",
                     _area("wish-how-much", placeholder=tr("prepare.wishes.how_much_placeholder"))),
                _row("prepare.wishes.breaks", Input(id="wish-breaks", placeholder=t("prepare.wishes.breaks_placeholder"))),
                _row("prepare.wishes.part", Input(id="wish-part", placeholder=t("prepare.wishes.part_placeholder"))),
                _row("prepare.wishes.virtual", Checkbox(tr("prepare.wishes.virtual_box"), id="wish-virtual")),
                _row("prepare.wishes.other",
                     _area("wish-other", placeholder=tr("prepare.wishes.other_placeholder"))),
                classes="section-body",
            )]
        form = Vertical(
            *head,
            Static("", id="invitation-notice"),
            Section(
                _row("prepare.invitation.starts",
                     Input(id="meeting-starts", placeholder=t("prepare.datetime_placeholder"), classes="date-input"),
                     error_for="meeting-starts"),
                _row("prepare.invitation.place", Input(id="meeting-place")),
                _row("prepare.invitation.video",
                     Input(id="meeting-video", placeholder=t("prepare.invitation.video_placeholder"))),
                _row("prepare.invitation.purpose", _area("inv-purpose")),
                _row("prepare.invitation.reason",
                     _area("inv-reason", placeholder=tr("prepare.invitation.reason_placeholder"))),
                _row("prepare.invitation.situation",
                     _area("inv-situation", placeholder=tr("prepare.invitation.situation_placeholder"))),
                _row("prepare.invitation.bring", _area("inv-bring")),
                classes="section-body",
            ),
            id="invitation-form",
        )
        box = VerticalScroll(InvitationPreview(id="invitation-preview"), id="invitation-preview-box")
        box.border_title = t("prepare.invitation.preview")
        return [form, box]

    def built(self, name: str) -> bool:
        """Whether the section's widgets exist (a section is built when first shown)."""
        return bool(self._section_widget(name).children)

    def _build_section(self, name: str) -> None:
        """Build a section and fill it from the plan at once, before it is shown, so that a
        key typed right after the switch reaches the section's field."""
        if self.built(name):
            return
        mount_now(self._section_widget(name), self._section_contents(name))
        self._reload()  # the new fields read the plan (the others are as they were)

    @staticmethod
    def _section_head(name: str) -> ComposeResult:
        yield Static(tr(f"prepare.{name}.title"), classes="section-title")
        yield Static(tr(f"prepare.{name}.hint"), classes="section-hint")

    def on_mount(self) -> None:
        self.refresh_from_plan()
        self.render_preview()

    def on_resize(self, event: Resize) -> None:
        # narrow terminals: the preview goes below the invitation form instead of beside it
        self.set_class(event.size.width < 110, "-narrow")

    # ------------------------------------------------------------------ sections

    def _section_widget(self, name: str | None = None) -> Widget:
        return self.query_one(f"#section-{name or self.section}")

    def _section_focusables(self, name: str | None = None) -> list[Widget]:
        """The section's fields in reading order. From the DOM, not the screen's focus chain:
        that one is sorted by position, which a just-shown section does not have yet."""
        section = self._section_widget(name)

        def reachable(widget: Widget) -> bool:
            node: Any = widget
            while node is not section:
                if not node.display or (node is not widget and not node.allow_focus_children()):
                    return False
                node = node.parent
            return True

        return [w for w in section.query("*") if w.focusable and reachable(w)]

    def show_section(self, name: str, *, focus: str = "") -> None:
        """Show one section; focus its first ("first") or last ("last") field if asked."""
        if name not in SECTIONS:
            return
        if name != self.section:
            self._build_section(name)
            self.section = name
            self.query_one(ContentSwitcher).current = f"section-{name}"
            self._hide_cpr()
            self.refresh_bindings()
            if name == "invitation":
                self.render_preview()
        nav = self.query_one("#prepare-nav", OptionList)
        index = SECTIONS.index(name)
        if nav.highlighted != index:
            nav.highlighted = index
        if focus:
            self._focus_in_section(focus)  # at once: the fields are found in DOM order, not by layout

    def _focus_in_section(self, where: str) -> None:
        widgets = self._section_focusables()
        if widgets:
            focus_now(widgets[0] if where == "first" else widgets[-1])

    def focus_first(self) -> None:
        self._focus_in_section("first")

    @on(OptionList.OptionHighlighted, "#prepare-nav")
    def _nav_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show_section(event.option.id)

    @on(OptionList.OptionSelected, "#prepare-nav")
    def _nav_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.show_section(event.option.id, focus="first")

    def action_show_section(self, name: str) -> None:
        self.show_section(name, focus="first")

    def action_step_section(self, delta: int) -> None:
        index = max(0, min(len(SECTIONS) - 1, SECTIONS.index(self.section) + delta))
        self.show_section(SECTIONS[index], focus="first")

    def action_tab_forward(self) -> None:
        """Tab past the last field of a section continues in the next section."""
        widgets = self._section_focusables()
        index = SECTIONS.index(self.section)
        focused = self.screen.focused
        if widgets and focused is widgets[-1] and index + 1 < len(SECTIONS):
            self.show_section(SECTIONS[index + 1], focus="first")
        elif focused in widgets[:-1]:
            self._focus_field(widgets[widgets.index(focused) + 1])
        else:
            self.screen.focus_next()

    def action_tab_backward(self) -> None:
        widgets = self._section_focusables()
        focused = self.screen.focused
        if focused in widgets[1:]:
            self._focus_field(widgets[widgets.index(focused) - 1])
        else:
            self.screen.focus_previous()

    def _focus_field(self, field: Widget) -> None:
        """Focus a field of the section with its form row (label, field, error line) in view
        now. Textual scrolls a focused widget into view a moment later, animated and centred:
        at 80x24 a review saw the view a step behind the focus and typed the reason for the
        meeting into Videolink, out of view."""
        self.screen.set_focus(field, scroll_visible=False)
        body = next((a for a in field.ancestors if isinstance(a, Section)), None)
        if body is None:
            field.scroll_visible(animate=False, immediate=True)
            return
        row = next((a for a in field.ancestors if a.has_class("field-row")), field)
        fits = row.outer_size.height <= body.scrollable_content_region.height
        body.scroll_to_widget(row if fits else field, animate=False, immediate=True, top=not fits)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_cpr":
            return self.section == "master"
        if action == "add_contact":
            return self.section == "network"
        return True

    # ------------------------------------------------------------------ loading from the plan

    def _meeting(self) -> Meeting | None:
        try:
            return self.meeting
        except RuntimeError:  # a plan without meetings
            return None

    def _target(self, part: str) -> Any:
        if part == "citizen":
            return self.plan.citizen
        if part == "consent":
            return self.plan.consent
        if part == "wishes":
            return self.plan.wishes
        meeting = self._meeting()
        if meeting is None:
            return None
        return meeting if part == "meeting" else meeting.invitation

    def _shown(self) -> bool:
        """On screen now (the meeting screen hides the panes of the other tabs)."""
        return self.is_mounted and all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def refresh_from_plan(self) -> None:
        if not self._shown():
            # other panes report every keystroke: a hidden pane only notes it and catches up
            # when it is shown again
            self._stale = True
            return
        # catching up (or the first load): nobody has typed here yet, so the focused field
        # is filled too
        force, self._stale, self._loaded = self._stale or not self._loaded, False, True
        self._reload(force)

    def _reload(self, force: bool = False) -> None:
        """The plan into the fields of the sections built so far."""
        with self.prevent(Input.Changed, TextArea.Changed, Checkbox.Changed, Select.Changed,
                          SelectionList.SelectedChanged):
            for widget_id, (part, attr) in TEXT_FIELDS.items():
                target = self._target(part)
                self._load(widget_id, getattr(target, attr) if target is not None else "", force)
            consent = self.plan.consent
            self._load_checkbox("consent-given", consent.given)
            self._load("consent-date", fmt_date(consent.given_on), force)
            self._load("consent-withdrawn", fmt_date(consent.withdrawn_on), force)
            self._load_how(consent.how)
            self._load_checkbox("wish-virtual", self.plan.wishes.virtual)
            meeting = self._meeting()
            self._load("meeting-starts", fmt_datetime(meeting.starts_at) if meeting else "", force)
            self._load_scope()
        self._load_contacts()
        self._update_status()
        self.schedule_preview()

    def _built_widget(self, selector: str) -> Any:
        """The widget, or None while its section is not built."""
        found = self.query(selector)
        return found.first() if found else None

    def _load(self, widget_id: str, value: str, force: bool = False) -> None:
        widget = self._built_widget(f"#{widget_id}")
        if widget is None:
            return
        if (widget.has_focus and not force) or widget.has_class("-error"):
            return  # never overwrite what the user is typing, nor an input still being fixed
        if isinstance(widget, TextArea):
            value = clean(value)
            if widget.text != value:
                widget.load_text(value)
        elif isinstance(widget, Input):
            value = clean(value, multiline=False)
            if widget.value != value:
                widget.value = value

    def _load_checkbox(self, widget_id: str, value: bool) -> None:
        box = self._built_widget(f"#{widget_id}")
        if box is not None and box.value != value:
            box.value = value

    def _load_how(self, how: str) -> None:
        select = self._built_widget("#consent-how")
        if select is None or not select.is_mounted:
            return  # made with the plan's options and value (a Select takes them only mounted)
        if self._how_values != self._how_list(how):
            select.set_options(self._how_options())
        value: Any = how if how else Select.NULL
        if select.value != value:
            select.value = value

    @staticmethod
    def _how_list(how: str) -> list[str]:
        values = list(CONSENT_HOW)
        if how and how not in CONSENT_HOW:
            values.append(how)  # a value from an import, kept and shown literally
        return values

    def _how_options(self) -> list[tuple[Any, str]]:
        """The ways consent can be given, with the plan's own if it is another (and noted as
        the options the Select has now)."""
        self._how_values = self._how_list(self.plan.consent.how)
        return [(tr(f"prepare.consent.how_{h}") if h in CONSENT_HOW else safe(h, multiline=False), h)
                for h in self._how_values]

    def _load_scope(self) -> None:
        scope = self._built_widget("#consent-scope")
        if scope is None:
            return
        options = [(c.id, self._contact_label(c)) for c in self.plan.contacts]
        chosen = set(self.plan.consent.scope_contacts)
        if options != self._scope_options:
            self._scope_options = options
            highlighted = scope.highlighted
            scope.clear_options()
            scope.add_options([Selection(Content(label), cid, cid in chosen) for cid, label in options])
            if options:
                scope.highlighted = min(highlighted or 0, len(options) - 1)
        else:
            for cid, _ in options:
                if (cid in chosen) != (cid in scope.selected):
                    (scope.select if cid in chosen else scope.deselect)(cid)

    @staticmethod
    def _contact_label(c: Contact) -> str:
        kind = enum_label(c.sector.value)
        details = ", ".join(p for p in (one_line(c.organisation), one_line(c.role)) if p)
        return f"{one_line(c.name)}  ({kind}{': ' + details if details else ''})"

    def _load_contacts(self) -> None:
        table = self._built_widget("#contact-table")
        if table is None:
            return
        rows = [
            (c.id, (one_line(c.name), enum_label(c.sector.value), one_line(c.organisation), one_line(c.role),
                    one_line(c.email), one_line(c.phone)))
            for c in self.plan.contacts
        ]
        # the section's width, not the table's: the table is as wide as what it shows
        room = self._section_widget("network").scrollable_content_region.width
        if (rows, room) != self._contact_rows:
            self._contact_rows = (rows, room)
            cursor = table.cursor_row
            clear_rows(table)
            cells = [(cid, [Text(cell) for cell in row]) for cid, row in rows]
            # name, organisation, role and e-mail are shortened (…) so that all six columns
            # are in view; the detail line under the table has the person's whole details
            fit_rows(table, cells, room, shrink=(0, 2, 3, 4))
            for cid, row_cells in cells:
                table.add_row(*row_cells, key=cid)
            if rows:
                table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one("#network-empty").display = not rows
        self._show_contact_detail()

    @on(DataTable.RowHighlighted, "#contact-table")
    def _row_highlighted(self) -> None:
        self._show_contact_detail()

    def _show_contact_detail(self) -> None:
        """Every detail of the highlighted person on one line: the table may be too narrow."""
        contact = self._selected_contact()
        detail = self.query_one("#contact-detail", Static)
        detail.display = contact is not None
        if contact is None:
            return
        parts: list[Any] = [(one_line(contact.name), "bold"), f"  ·  {enum_label(contact.sector.value)}"]
        for label_key, value in (("prepare.contact.organisation", contact.organisation),
                                 ("prepare.contact.role", contact.role),
                                 ("prepare.contact.email", contact.email),
                                 ("prepare.contact.phone", contact.phone)):
            if one_line(value):
                parts += ["  ·  ", (t(label_key) + ": ", "dim"), one_line(value)]
        detail.update(Content.assemble(*parts))

    # ------------------------------------------------------------------ edits

    def _show_error(self, widget_id: str, code: str | None) -> None:
        box = self.query_one(f"#{widget_id}-error", Static)
        box.update(tr(code) if code else "")
        box.set_class(bool(code), "-shown")
        self.query_one(f"#{widget_id}").set_class(bool(code), "-error")

    def _set_text(self, widget_id: str, value: str) -> None:
        part, attr = TEXT_FIELDS[widget_id]
        target = self._target(part)
        if target is None:
            return
        if widget_id in CHECKED_FIELDS:
            check, normalise = CHECKED_FIELDS[widget_id]
            code = check(value)
            self._show_error(widget_id, code)
            if code:
                return  # the model keeps its last valid value; the field keeps the user's text
            value = normalise(value) if value.strip() else ""
        if getattr(target, attr) != value:
            setattr(target, attr, value)
            self.changed()
            self._update_status()
            self.schedule_preview()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        widget_id = event.input.id or ""
        if widget_id in TEXT_FIELDS:
            event.stop()
            self._set_text(widget_id, event.value)
        elif widget_id in ("consent-date", "consent-withdrawn"):
            event.stop()
            self._set_consent_date(widget_id, event.value)
        elif widget_id == "meeting-starts":
            event.stop()
            self._set_meeting_time(event.value)

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        """Leaving a checked field shows its stored, tidy form (+45 12 34 56 78)."""
        widget_id = event.input.id or ""
        if widget_id in CHECKED_FIELDS and not event.input.has_class("-error"):
            part, attr = TEXT_FIELDS[widget_id]
            stored = getattr(self._target(part), attr)
            if event.input.value != stored:
                with self.prevent(Input.Changed):
                    event.input.value = stored

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        widget_id = event.text_area.id or ""
        if widget_id in TEXT_FIELDS:
            event.stop()
            self._set_text(widget_id, event.text_area.text)

    def _set_consent_date(self, widget_id: str, text: str) -> None:
        consent = self.plan.consent
        try:
            day = parse_day(text)
        except ValueError:
            self._show_error(widget_id, "prepare.error.date")
            return
        if widget_id == "consent-date":
            if day is not None and consent.withdrawn_on is not None and consent.withdrawn_on < day:
                self._show_error(widget_id, "prepare.consent.withdrawn_before_given")
                return
            self._show_error(widget_id, None)
            consent.given_on = day
        else:
            if day is not None and consent.given_on is not None and day < consent.given_on:
                self._show_error(widget_id, "prepare.consent.withdrawn_before_given")
                return
            self._show_error(widget_id, None)
            consent.withdrawn_on = day
        self.changed()
        self._update_status()

    def _set_meeting_time(self, text: str) -> None:
        meeting = self._meeting()
        if meeting is None:
            return
        try:
            when = parse_meeting_time(text)
        except ValueError:
            self._show_error("meeting-starts", "prepare.error.datetime")
            return
        self._show_error("meeting-starts", None)
        if meeting.starts_at != when:
            meeting.starts_at = when
            self.changed()
            self._update_status()
            self.schedule_preview()

    @on(Checkbox.Changed, "#consent-given")
    def _consent_given(self, event: Checkbox.Changed) -> None:
        consent = self.plan.consent
        consent.given = event.value
        if event.value and consent.given_on is None and consent.withdrawn_on is None:
            consent.given_on = self.kapp.clock().date()  # today, unless the user writes another day
            with self.prevent(Input.Changed):
                self.query_one("#consent-date", Input).value = fmt_date(consent.given_on)
            self._show_error("consent-date", None)
        self.changed()
        self._update_status()

    @on(Select.Changed, "#consent-how")
    def _consent_how(self, event: Select.Changed) -> None:
        self.plan.consent.how = "" if event.value == Select.NULL else str(event.value)
        self.changed()
        self._update_status()

    @on(SelectionList.SelectionToggled, "#consent-scope")
    def _consent_scope(self, event: SelectionList.SelectionToggled[str]) -> None:
        # only the user's own toggles count: reloading the list never changes the consent
        self._set_scope(set(event.selection_list.selected))

    def _set_scope(self, chosen: set[str]) -> None:
        scope = [c.id for c in self.plan.contacts if c.id in chosen]
        if scope != self.plan.consent.scope_contacts:
            self.plan.consent.scope_contacts = scope
            self.changed()
            self._update_status()
        with self.prevent(SelectionList.SelectedChanged):
            self._load_scope()

    def set_scope_all(self, everyone: bool) -> None:
        """The consent covers everyone in the network, or no one."""
        self._set_scope({c.id for c in self.plan.contacts} if everyone else set())

    @on(Button.Pressed, "#consent-scope-all")
    def _scope_all(self) -> None:
        self.set_scope_all(True)

    @on(Button.Pressed, "#consent-scope-none")
    def _scope_none(self) -> None:
        self.set_scope_all(False)

    @on(Checkbox.Changed, "#wish-virtual")
    def _wish_virtual(self, event: Checkbox.Changed) -> None:
        self.plan.wishes.virtual = event.value
        self.changed()
        self._update_status()

    # ------------------------------------------------------------------ status lines

    def _update_status(self) -> None:
        plan = self.plan
        consent = plan.consent
        covered = sum(1 for c in plan.contacts if consent.covers(c))
        if consent.withdrawn_on is not None:
            text, state = t("prepare.consent.status_withdrawn", date=fmt_date(consent.withdrawn_on)), "withdrawn"
        elif not consent.given:
            text, state = t("prepare.consent.status_missing"), "missing"
        else:
            how = t(f"prepare.consent.how_{consent.how}") if consent.how in CONSENT_HOW else one_line(consent.how)
            text = t("prepare.consent.status_given", date=fmt_date(consent.given_on) or "–",
                     how=how or "–", covered=covered, total=len(plan.contacts), count=len(plan.contacts))
            state = "partial" if covered < len(plan.contacts) else "given"
        status = self._built_widget("#consent-status")
        if status is not None:
            status.update(Content(text))
            for name in ("withdrawn", "missing", "partial", "given"):
                status.set_class(state == name, f"-{name}")
        self._update_nav(state, covered)

    def _update_nav(self, consent_state: str, covered: int) -> None:
        plan = self.plan
        meeting = self._meeting()
        notes = {
            "master": (t("prepare.nav_note.no_name"), "$warning") if not plan.citizen.name.strip() else ("", ""),
            "consent": {
                "withdrawn": (t("prepare.nav_note.consent_withdrawn"), "$error"),
                "missing": (t("prepare.nav_note.consent_missing"), "$error"),
                "partial": (t("prepare.nav_note.consent_partial", covered=covered, total=len(plan.contacts)), "$warning"),
                "given": (t("prepare.nav_note.consent_given"), "$success"),
            }[consent_state],
            "network": (t("prepare.nav_note.people", count=len(plan.contacts)), "dim"),
            "wishes": (t("prepare.nav_note.virtual"), "dim") if plan.wishes.virtual else ("", ""),
            "invitation": (fmt_datetime(meeting.starts_at), "dim")
            if meeting is not None and meeting.starts_at
            else (t("prepare.nav_note.no_time"), "$warning"),
        }
        nav = self.query_one("#prepare-nav", OptionList)
        for n, name in enumerate(SECTIONS, start=1):
            note, style = notes[name]
            parts: list[Any] = [(f"{n} ", "dim"), t(f"prepare.nav.{name}")]
            if note:
                parts += ["\n  ", (note, style)]
            nav.replace_option_prompt(name, Content.assemble(*parts))
        notice = self._built_widget("#invitation-notice")
        if notice is None:
            return
        if meeting is None:
            notice.update(tr("prepare.invitation.no_meeting"))
        elif meeting.status != MeetingStatus.PLANNED:
            notice.update(tr("prepare.invitation.meeting_started"))
        else:
            notice.update("")
        notice.display = meeting is None or meeting.status != MeetingStatus.PLANNED

    # ------------------------------------------------------------------ the invitation preview

    def schedule_preview(self) -> None:
        """Render the preview once typing has paused for PREVIEW_DELAY (by the app's clock)."""
        self._preview_due = self.kapp.clock()
        if self._preview_timer is None:
            self._preview_timer = self.set_interval(PREVIEW_POLL, self._tick_preview_later)

    def tick_preview(self) -> Any:
        """The debounce: render when the last edit is PREVIEW_DELAY old; returns the update."""
        if self._preview_due is None:
            self._stop_preview_timer()
            return None
        if (self.kapp.clock() - self._preview_due).total_seconds() < PREVIEW_DELAY:
            return None
        self._preview_due = None
        self._stop_preview_timer()
        return self.render_preview()

    # What a timer or the screen calls back must not hand them the preview's update to wait
    # for: the screen (or timer) would wait on the Markdown widget's mounting, and when that
    # update was cancelled the CancelledError ended the meeting screen's message loop: the app
    # stopped answering any key, Ctrl+Q included (found in tmux: Alt+↓ pressed quickly into
    # the invitation section).
    def _tick_preview_later(self) -> None:
        self.tick_preview()

    def _render_preview_later(self) -> None:
        self.render_preview()

    def _stop_preview_timer(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def render_preview(self) -> Any:
        meeting = self._meeting()
        if meeting is None:
            return None
        if self.section != "invitation" or not self._shown():
            self._preview_due = None  # rendered when the section is shown
            return None
        preview = self.query_one(InvitationPreview)
        if not preview.is_mounted:  # the section was built just now: once it is mounted
            self.call_after_refresh(self._render_preview_later)
            return None
        source = render_invitation(self.plan, meeting)
        if source == self._preview_source:
            return self.preview_update
        self._preview_source = source
        self.preview_update = preview.update(source)
        return self.preview_update

    @property
    def preview_source(self) -> str:
        """The Markdown the preview shows now."""
        return self._preview_source

    # ------------------------------------------------------------------ CPR

    def action_toggle_cpr(self) -> None:
        field = self.query_one(CprInput)
        field.revealed = not field.revealed
        self._cpr_button_label()
        if field.revealed:
            field.focus()

    @on(Button.Pressed, "#cpr-reveal")
    def _cpr_button(self) -> None:
        field = self.query_one(CprInput)
        field.revealed = not field.revealed
        self._cpr_button_label()

    def _hide_cpr(self) -> None:
        field = self.query_one(CprInput)
        if field.revealed:
            field.revealed = False
            self._cpr_button_label()

    def _cpr_button_label(self) -> None:
        revealed = self.query_one(CprInput).revealed
        self.query_one("#cpr-reveal", Button).label = tr(
            "prepare.master.cpr_hide" if revealed else "prepare.master.cpr_show"
        )

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # the number stays visible only while the referent works in the CPR field itself
        if event.widget.id != "citizen-cpr":
            self._hide_cpr()

    def on_hide(self) -> None:
        self._hide_cpr()

    # ------------------------------------------------------------------ the network

    def _selected_contact(self) -> Contact | None:
        table = self.query_one(ContactTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.plan.contact(str(row_key.value))

    def _network_message(self, code: str | None, **params: Any) -> None:
        box = self._built_widget("#network-message")
        if box is None:
            return
        box.update(tr(code, **params) if code else "")
        box.set_class(bool(code), "-shown")

    def action_add_contact(self) -> None:
        self.show_section("network")
        self._network_message(None)

        def apply(draft: Contact) -> None:
            self.plan.add_contact(draft)
            for m in self.plan.meetings:
                if m.status == MeetingStatus.PLANNED:
                    m.attendance_for(draft.id)  # invited to the coming meeting
            self._after_contact_change(draft.id)

        self.app.push_screen(ContactModal(None, apply))

    def edit_selected(self) -> None:
        contact = self._selected_contact()
        if contact is None:
            return
        self._network_message(None)

        def apply(draft: Contact) -> None:
            if not draft.name.strip():
                raise PlanError("contact_name_required")
            is_coordinator = any(term.contact_id == contact.id for term in self.plan.coordinators) or any(
                m.coordinator == contact.id for m in self.plan.meetings
            )
            if is_coordinator and draft.sector == Sector.RELATIVE:
                raise PlanError("coordinator_not_professional")
            for attr in ("name", "sector", "organisation", "role", "email", "phone"):
                setattr(contact, attr, getattr(draft, attr))
            self._after_contact_change(contact.id)

        self.app.push_screen(ContactModal(contact, apply))

    def remove_selected(self) -> None:
        contact = self._selected_contact()
        if contact is None:
            return
        self._network_message(None)

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(contact.id)

        self.app.push_screen(Confirm("prepare.network.remove_confirm", detail=contact.name), answered)

    def _remove(self, contact_id: str) -> None:
        name = self.plan.name_of(contact_id)
        before = list(self.plan.contacts)
        try:
            self.plan.remove_contact(contact_id)  # the model's rule: open agreements, coordinator
        except PlanError as err:
            self._refuse_removal(err.code, name)
            return
        blocker = removal_blocker(self.plan, contact_id)
        if blocker is not None:
            self.plan.contacts = before
            self._refuse_removal(blocker, name)
            return
        forget_contact(self.plan, contact_id)
        self.changed()
        self.refresh_from_plan()
        self.query_one(ContactTable).focus()

    def _refuse_removal(self, code: str, name: str) -> None:
        self._network_message("prepare.network.remove_refused", name=one_line(name), reason=t(code))
        self.app.notify(t("prepare.network.remove_refused", name=one_line(name), reason=t(code)),
                        severity="warning", timeout=8, markup=False)

    def _after_contact_change(self, contact_id: str) -> None:
        self.changed()
        self.refresh_from_plan()
        table = self.query_one(ContactTable)
        ids = [c.id for c in self.plan.contacts]
        if contact_id in ids:
            table.move_cursor(row=ids.index(contact_id))
        table.focus()

    @on(Button.Pressed, "#contact-add")
    def _add_button(self) -> None:
        self.action_add_contact()

    @on(Button.Pressed, "#contact-edit")
    def _edit_button(self) -> None:
        self.edit_selected()

    @on(Button.Pressed, "#contact-remove")
    def _remove_button(self) -> None:
        self.remove_selected()

    # ------------------------------------------------------------------ palette

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        commands: list[tuple[str, str, Any]] = [
            (t("prepare.cmd.add_contact"), t("prepare.cmd.add_contact_help"), self.action_add_contact),
            (t("prepare.cmd.toggle_cpr"), t("prepare.cmd.toggle_cpr_help"),
             lambda: (self.show_section("master"), self.action_toggle_cpr())),
        ]
        for name in SECTIONS:
            commands.append((t("prepare.cmd.section", name=t(f"prepare.nav.{name}")), t("prepare.cmd.section_help"),
                             lambda name=name: self.show_section(name, focus="first")))
        return commands
