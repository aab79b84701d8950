"""Export from the app (F12): the minutes of the meeting on screen, or its invitation, as
Markdown or a printable HTML page. The file is unencrypted, so the dialog says so, writes it
readable by the user only (0600) and logs the export with its purpose."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from kiptui.accesslog import PURPOSES
from kiptui.i18n import t
from kiptui.minutes import render_html, render_invitation, render_markdown, write_plaintext
from kiptui.textsafe import one_line
from screens.text import safe, tr, translate_bindings

if TYPE_CHECKING:
    from screens.app import KiptuiApp


def default_path(kind: str, fmt: str, number: int, now: datetime) -> str:
    """A file name that says what it is but not whom it is about (no name, no CPR)."""
    stem = t("export.stem_invitation" if kind == "invitation" else "export.stem_minutes")
    suffix = ".html" if fmt == "html" else ".md"
    return str(Path.cwd() / f"{stem}-{number}-{now:%Y-%m-%d}{suffix}")


def export_text(app: KiptuiApp, kind: str, fmt: str) -> str:
    plan, meeting = app.plan, app.meeting
    if meeting.status.value == "closed" and app.vault is not None and app.handle is not None:
        # a closed meeting's minutes exactly as they were when it was closed
        frozen = app.vault.frozen_plan(app.handle.plan_id, meeting.id)
        if frozen is not None and frozen.meeting(meeting.id) is not None:
            plan, meeting = frozen, frozen.meeting(meeting.id)
    number = plan.meetings.index(meeting) + 1
    if kind == "invitation":
        text = render_invitation(plan, meeting)
        title = t("cli.invitation_title", number=number)
    else:
        text = render_markdown(plan, meeting, now=app.clock())
        title = t("cli.minutes_title", number=number)
    return render_html(text, title) if fmt == "html" else text


class ExportModal(ModalScreen[str | None]):
    """Returns the written path, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    ExportModal { align: center middle; }
    ExportModal > VerticalScroll { width: 84; max-width: 96%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 1 2; }
    ExportModal .export-warning { color: $warning; margin-bottom: 1; height: auto; }
    ExportModal RadioSet { width: 1fr; height: auto; }
    ExportModal Horizontal { height: auto; }
    ExportModal Label { margin-top: 1; }
    ExportModal #export-buttons { margin-top: 1; }
    ExportModal Button { margin-right: 2; }
    ExportModal .error { color: $error; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # scrolls in a short terminal, and Tab brings the buttons into view (at 100x30 they
        # were below the box's edge, out of reach)
        with VerticalScroll():
            yield Static(tr("export.title"), classes="modal-title")
            yield Static(tr("export.warning"), classes="export-warning")
            with Horizontal():
                with RadioSet(id="export-kind"):
                    yield RadioButton(tr("export.kind_minutes"), value=True, id="kind-minutes")
                    yield RadioButton(tr("export.kind_invitation"), id="kind-invitation")
                with RadioSet(id="export-format"):
                    yield RadioButton(tr("export.format_html"), value=True, id="format-html")
                    yield RadioButton(tr("export.format_md"), id="format-md")
            yield Label(tr("export.purpose"))
            yield Select([(Content(t(f"accesslog.purpose.{p}")), p) for p in PURPOSES],
                         value="secure_mail", allow_blank=False, id="export-purpose")
            yield Input(placeholder=t("export.purpose_text"), id="export-purpose-text")
            yield Label(tr("export.path"))
            yield Input(id="export-path")
            yield Static("", classes="error", id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button(tr("export.write"), id="export-write", variant="warning")
                yield Button(tr("modal.cancel"), id="export-cancel")

    def on_mount(self) -> None:
        self._update_path()
        self.query_one("#export-kind", RadioSet).focus()

    def _choice(self, selector: str, prefix: str) -> str:
        pressed = self.query_one(selector, RadioSet).pressed_button
        return (pressed.id or "").removeprefix(prefix) if pressed else ""

    @property
    def kind(self) -> str:
        return self._choice("#export-kind", "kind-") or "minutes"

    @property
    def fmt(self) -> str:
        return self._choice("#export-format", "format-") or "html"

    @on(RadioSet.Changed)
    def _update_path(self) -> None:
        app = self.kapp
        number = app.plan.meetings.index(app.meeting) + 1
        self.query_one("#export-path", Input).value = default_path(self.kind, self.fmt, number, app.clock())

    @on(Button.Pressed, "#export-write")
    @on(Input.Submitted, "#export-path")
    def write(self) -> None:
        app = self.kapp
        error = self.query_one("#export-error", Static)
        target = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not target.name:
            error.update(tr("modal.required"))
            return
        try:
            text = export_text(app, self.kind, self.fmt)
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            code = getattr(err, "code", "")
            error.update(tr(code) if code else safe(str(err)))
            return
        purpose = str(self.query_one("#export-purpose", Select).value)
        purpose_text = one_line(self.query_one("#export-purpose-text", Input).value)
        assert app.vault is not None and app.handle is not None
        try:
            # logged before the plaintext leaves, as the command line does
            app.vault.log_event("export", app.handle.plan_id, purpose, purpose_text,
                                info={"format": f"{self.kind}_{self.fmt}", "path": str(target.resolve())})
            write_plaintext(target, text)
        except OSError as err:
            error.update(tr("cli.cannot_write", path=str(target), reason=err.strerror or str(err)))
            return
        self.dismiss(str(target))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def open_export(app: Any) -> None:
    def written(path: str | None) -> None:
        if path:
            app.notify(t("export.done", path=path), title=t("export.title"), timeout=10, markup=False)

    app.push_screen(ExportModal(), written)
