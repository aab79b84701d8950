"""Export from the app (F12): the minutes of the meeting on screen, or its invitation, as
Markdown or a printable HTML page; or the whole plan as an encrypted bundle for secure mail.

A plaintext file is unencrypted, so the dialog says so, writes it readable by the user only
(0600) and logs the export with its purpose. A bundle (`kiptui bundle export` from the app) is
the plan as saved, encrypted with a new generated passphrase, which the dialog shows once when
the file is written and which is stored nowhere."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from kiptui.accesslog import PURPOSES
from kiptui.i18n import t
from kiptui.minutes import render_html, render_invitation, render_markdown, write_plaintext
from kiptui.textsafe import one_line
from screens.modals import Confirm
from screens.text import safe, tr, translate_bindings

if TYPE_CHECKING:
    from screens.app import KiptuiApp


def default_path(kind: str, fmt: str, number: int, now: datetime) -> str:
    """A file name that says what it is but not whom it is about (no name, no CPR), and that
    is not taken: a second export the same day gets "-2" (a bundle written over an earlier one
    has another passphrase, and the earlier passphrase, maybe already given, opens nothing)."""
    if kind == "bundle":
        path = Path.cwd() / f"{t('export.stem_bundle')}-{now:%Y-%m-%d}.kipbundle"
    else:
        stem = t("export.stem_invitation" if kind == "invitation" else "export.stem_minutes")
        path = Path.cwd() / f"{stem}-{number}-{now:%Y-%m-%d}{'.html' if fmt == 'html' else '.md'}"
    base, n = path, 2
    while path.exists() and n < 1000:
        path = base.with_name(f"{base.stem}-{n}{base.suffix}")
        n += 1
    return str(path)


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
    ExportModal #export-form, ExportModal #export-result { height: auto; }
    ExportModal #export-result { display: none; }
    ExportModal .export-warning { color: $warning; margin-bottom: 1; height: auto; }
    ExportModal RadioSet { width: 1fr; height: auto; }
    ExportModal Horizontal { height: auto; }
    ExportModal Label { margin-top: 1; }
    ExportModal #export-buttons { margin-top: 1; }
    ExportModal Button { margin-right: 2; }
    ExportModal .error { color: $error; height: auto; }
    ExportModal .export-passphrase { text-style: bold; color: $text; background: $boost;
        padding: 1 2; margin: 1 0; height: auto; }
    ExportModal #export-result Static { height: auto; }
    ExportModal #export-close { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._replace: Path | None = None  # an existing file the user has said to replace

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # scrolls in a short terminal, and Tab brings the buttons into view (at 100x30 they
        # were below the box's edge, out of reach)
        with VerticalScroll():
            yield Static(tr("export.title"), classes="modal-title")
            with Vertical(id="export-form"):
                yield Static(tr("export.warning"), classes="export-warning", id="export-warning")
                with Horizontal():
                    with RadioSet(id="export-kind"):
                        yield RadioButton(tr("export.kind_minutes"), value=True, id="kind-minutes")
                        yield RadioButton(tr("export.kind_invitation"), id="kind-invitation")
                        yield RadioButton(tr("export.kind_bundle"), id="kind-bundle")
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
            # after a bundle is written: where it is, its passphrase (shown this once), and to whom
            with Vertical(id="export-result"):
                yield Static("", id="export-result-text")
                yield Static("", classes="export-passphrase", id="export-passphrase")
                yield Static("", id="export-result-after")
                yield Button(tr("modal.close"), id="export-close", variant="primary")

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
        bundle = self.kind == "bundle"
        self.query_one("#export-path", Input).value = default_path(self.kind, self.fmt, number, app.clock())
        self.query_one("#export-format", RadioSet).display = not bundle
        self.query_one("#export-warning", Static).update(self._bundle_info() if bundle else tr("export.warning"))

    def _bundle_info(self) -> Content:
        """What a bundle is, and why this plan may not be shared (consent), before it is made."""
        from kiptui.bundle import consent_gaps

        plan = self.kapp.plan
        lines = [t("export.bundle_info")]
        if any(item.private and item.notes.strip() for m in plan.meetings for item in m.agenda):
            lines.append(t("export.bundle_private"))
        lines += [f"{t('cli.consent_warning')}: {gap}" for gap in consent_gaps(plan)]
        return safe("\n\n".join(lines))

    @on(Button.Pressed, "#export-write")
    @on(Input.Submitted, "#export-path")
    def write(self) -> None:
        app = self.kapp
        error = self.query_one("#export-error", Static)
        target = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not target.name:
            error.update(tr("modal.required"))
            return
        if target.is_dir():
            error.update(tr("export.is_folder", path=str(target)))
            return
        if target.exists() and target != self._replace:
            # never written over without a question: an earlier export may be in use (a
            # bundle's passphrase given by phone opens that file only)
            def answered(replace: bool | None) -> None:
                if replace:
                    self._replace = target
                    self.write()

            key = "export.replace_bundle" if self.kind == "bundle" else "export.replace"
            self.app.push_screen(Confirm(key, path=str(target)), answered)
            return
        if self.kind == "bundle":
            self.query_one("#export-write", Button).disabled = True
            error.update(tr("export.bundle_working"))
            self.run_worker(self._write_bundle(target), exclusive=True, group="bundle")
            return
        try:
            text = export_text(app, self.kind, self.fmt)
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            code = getattr(err, "code", "")
            error.update(tr(code) if code else safe(str(err)))
            return
        purpose, purpose_text = self._purpose()
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

    def _purpose(self) -> tuple[str, str]:
        return (str(self.query_one("#export-purpose", Select).value),
                one_line(self.query_one("#export-purpose-text", Input).value))

    async def _write_bundle(self, target: Path) -> None:
        """Save, then bundle the plan as saved (so the version it names is exactly what it
        holds), encrypt it off the UI thread (scrypt takes about a second on purpose), write
        it, log it, and show the passphrase once."""
        from kiptui import crypto
        from kiptui.bundle import export_bundle, generate_passphrase

        app = self.kapp
        error = self.query_one("#export-error", Static)
        button = self.query_one("#export-write", Button)
        assert app.vault is not None and app.handle is not None
        vault, plan_id = app.vault, app.handle.plan_id
        app.dirty = True  # a snapshot that finds nothing changed writes nothing
        future = app.save_now()
        if future is not None:
            await asyncio.gather(future, return_exceptions=True)
        await app.wait_for_saves()
        if app.last_save_error:
            error.update(tr("export.bundle_not_saved", reason=app.last_save_error))
            button.disabled = False
            return
        purpose, purpose_text = self._purpose()
        try:
            plan = vault.load_plan(plan_id, log=False)  # the plan as saved: logged below as a bundle
            passphrase = generate_passphrase()
            data = await asyncio.to_thread(export_bundle, plan, passphrase)
            # from here on nothing awaits: a dialog closed while the bundle was being encrypted
            # has written nothing and logged nothing; otherwise both happen, the log first
            recipients = [c for c in plan.contacts if c.email.strip()]
            vault.log_event("bundle", plan_id, purpose, purpose_text,
                            detail=t("cli.bundle_log_detail", version=plan.version, file=target.name,
                                     recipients=", ".join(one_line(c.name) for c in recipients) or "–"))
            crypto.atomic_write(target, data)
        except OSError as err:
            error.update(tr("cli.cannot_write", path=str(target), reason=err.strerror or str(err)))
            button.disabled = False
            return
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            code = getattr(err, "code", "")
            error.update(safe(str(err)) if code else safe(type(err).__name__))
            button.disabled = False
            return
        self._show_bundle(target, passphrase, plan)

    def _show_bundle(self, target: Path, passphrase: str, plan: Any) -> None:
        with_mail = [f"{one_line(c.name)} <{one_line(c.email)}>" for c in plan.contacts if c.email.strip()]
        without = [one_line(c.name) for c in plan.contacts if not c.email.strip()]
        after = [t("cli.bundle_passphrase_intro").rstrip(":") + "."]
        after.append(t("export.bundle_recipients", names=", ".join(with_mail)) if with_mail
                     else t("export.bundle_no_recipients"))
        if without:
            after.append(t("export.bundle_no_email", names=", ".join(without)))
        self.query_one("#export-form").display = False
        self.query_one("#export-result").display = True
        self.query_one("#export-result-text", Static).update(tr("export.bundle_done", path=str(target)))
        self.query_one("#export-passphrase", Static).update(safe(passphrase, multiline=False))
        self.query_one("#export-result-after", Static).update(safe("\n\n".join(after)))
        self.query_one("#export-close", Button).focus()

    @on(Button.Pressed, "#export-close")
    def _close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def open_export(app: Any) -> None:
    def written(path: str | None) -> None:
        if path:
            app.notify(t("export.done", path=path), title=t("export.title"), timeout=10, markup=False)

    app.push_screen(ExportModal(), written)
