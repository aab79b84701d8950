"""Export from the app (F12): the minutes of the meeting on screen, or its invitation, as
Markdown or a printable HTML page; or the whole plan as an encrypted bundle for secure mail.

A plaintext file is unencrypted, so the dialog says so, writes it readable by the user only
(0600) and logs the export with its purpose. A bundle (`kiptui bundle export` from the app) is
the plan as saved, encrypted with a new generated passphrase, which the dialog shows once when
the file is written and which is stored nowhere.

Both go by default to a private folder of their own (the documents folder's "kiptui-eksport",
made 0700), not to the working folder, which may be a source checkout or a synced folder."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Select, Static

from kiptui.accesslog import PURPOSES, AccessLogError, log_bundle, log_export
from kiptui.i18n import os_reason, t
from kiptui.minutes import render_html, render_invitation, render_markdown, write_plaintext
from kiptui.model import Meeting
from kiptui.textsafe import one_line
from screens.fields import Input
from screens.modals import Confirm
from screens.text import safe, tr, translate_bindings

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.selection import Selection

    from screens.app import KiptuiApp

#: the export folder's name, the same in every language (one folder to look in and to clean)
FOLDER_NAME = "kiptui-eksport"


@dataclass(frozen=True)
class ExportFolder:
    """Where an export is suggested, and (`note`, translated) why there when it is not the
    documents folder's own export folder."""

    path: Path
    note: str = ""


def _can_hold(folder: Path) -> bool:
    """True when `folder` is a folder we may write in, or is missing and can be made."""
    try:
        if folder.is_dir():
            return os.access(folder, os.W_OK | os.X_OK)
        if folder.exists() or folder.is_symlink():  # a file, or a link to nothing
            return False
        return folder.parent.is_dir() and os.access(folder.parent, os.W_OK | os.X_OK)
    except OSError:
        return False


def export_folder() -> ExportFolder:
    """The folder exports go to unless the user types another path: "kiptui-eksport" in the
    user's documents folder; in the home folder when that cannot hold it. Nothing is made
    here (opening the dialog writes nothing): `make_export_folder` makes it on the first write."""
    import platformdirs

    preferred = platformdirs.user_documents_path() / FOLDER_NAME
    if _can_hold(preferred):
        return ExportFolder(preferred)
    try:
        fallback = Path.home() / FOLDER_NAME
    except RuntimeError:  # no home folder to be found
        fallback = preferred
    if fallback != preferred and _can_hold(fallback):
        return ExportFolder(fallback, t("export.folder_fallback", folder=str(preferred.parent),
                                        fallback=str(fallback)))
    return ExportFolder(preferred, t("export.folder_unusable", folder=str(preferred)))


def make_export_folder(folder: Path) -> None:
    """Make the export folder readable by its owner only (0700). Only a missing folder is
    made; an existing one is used as it is, its mode never changed (never loosened)."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if folder.is_dir():  # made meanwhile, e.g. by a second kiptui
            return
        raise
    os.chmod(folder, 0o700)  # mkdir's mode passes through the umask


def default_path(kind: str, fmt: str, number: int, now: datetime, folder: Path) -> str:
    """A file name in `folder` that says what it is but not whom it is about (no name, no CPR),
    and that is not taken: a second export the same day gets "-2" (a bundle written over an
    earlier one has another passphrase, and the earlier passphrase, maybe already given, opens
    nothing)."""
    if kind == "bundle":
        path = folder / f"{t('export.stem_bundle')}-{now:%Y-%m-%d}.kipbundle"
    else:
        stem = t("export.stem_invitation" if kind == "invitation" else "export.stem_minutes")
        path = folder / f"{stem}-{number}-{now:%Y-%m-%d}{'.html' if fmt == 'html' else '.md'}"
    base, n = path, 2
    while path.exists() and n < 1000:
        path = base.with_name(f"{base.stem}-{n}{base.suffix}")
        n += 1
    return str(path)


def has_private_notes(meeting: Meeting) -> bool:
    return any(item.private and item.notes.strip() for item in meeting.agenda)


def export_text(app: KiptuiApp, kind: str, fmt: str, *, include_cpr: bool = True,
                include_private: bool = True) -> str:
    plan, meeting = app.plan, app.meeting
    as_of = None
    if meeting.status.value == "closed" and app.vault is not None and app.handle is not None:
        # a closed meeting's minutes exactly as they were when it was closed (as `kiptui
        # minutes` gives them), with the citizen's approvals recorded after the closing
        frozen = app.vault.frozen_plan(app.handle.plan_id, meeting.id)
        if frozen is not None and frozen.meeting(meeting.id) is not None:
            plan, meeting = frozen, frozen.meeting(meeting.id)
            as_of = meeting.closed_at
    number = plan.meetings.index(meeting) + 1
    if kind == "invitation":
        text = render_invitation(plan, meeting)
        title = t("cli.invitation_title", number=number)
    else:
        text = render_markdown(plan, meeting, now=app.clock(), as_of=as_of, current=app.plan,
                               include_cpr=include_cpr, include_private=include_private)
        title = t("cli.minutes_title", number=number)
    return render_html(text, title) if fmt == "html" else text


#: words on one line of the passphrase at most: two lines of five for the usual ten words
WORDS_PER_LINE = 5


def passphrase_lines(passphrase: str, width: int) -> list[str]:
    """The passphrase in lines that end after a hyphen, never inside a word: lines of at most
    WORDS_PER_LINE words, as even as they can be, and none wider than `width` unless one word
    alone is."""
    words = passphrase.split("-")
    count = -(-len(words) // WORDS_PER_LINE)  # lines of at most WORDS_PER_LINE words
    per_line = -(-len(words) // count) if count else 0
    groups = [words[i:i + per_line] for i in range(0, len(words), per_line)] if per_line else [[]]
    lines: list[str] = []
    for g, group in enumerate(groups):
        last_group = g == len(groups) - 1
        line = ""
        for w, word in enumerate(group):
            piece = word if last_group and w == len(group) - 1 else word + "-"
            if line and len(line) + len(piece) > width:
                lines.append(line)
                line = ""
            line += piece
        lines.append(line)
    return lines


class PassphraseView(Widget):
    """A bundle's passphrase, read aloud over the phone and shown once: broken into lines only
    after a hyphen (a word split over two lines is misread). Selected with the mouse and copied
    (Ctrl+C), it gives the passphrase as one line, exactly as it opens the bundle."""

    DEFAULT_CSS = "PassphraseView { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.passphrase = ""

    def show(self, passphrase: str) -> None:
        self.passphrase = one_line(passphrase)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[str]:
        return passphrase_lines(self.passphrase, max(width, 1)) if self.passphrase else [""]

    def render(self) -> Content:
        return Content("\n".join(self._lines(self.size.width)))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(len(line) for line in self._lines(container.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        # every line but the last ends with its hyphen: without the line breaks the selected
        # text is the passphrase (or the part selected) as it is typed
        text = "\n".join(self._lines(self.size.width))
        return selection.extract(text).replace("\n", ""), "\n"


class ExportModal(ModalScreen[str | None]):
    """Returns the written path, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # -short: every row is needed
    # The buttons are docked below the part that scrolls, so they are always on the screen:
    # the bundle's longer text pushed them below the box's edge (and at 100x30 the minutes' did).
    DEFAULT_CSS = """
    ExportModal { align: center middle; }
    ExportModal > #export-dialog { width: 84; max-width: 96%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 1 2; }
    ExportModal.-short > #export-dialog { padding: 0 2; max-height: 100%; }
    ExportModal #export-title { dock: top; }
    ExportModal #export-body { height: auto; max-height: 100%; }
    ExportModal #export-form, ExportModal #export-result { height: auto; }
    ExportModal #export-result { display: none; }
    ExportModal .export-warning { color: $warning; margin-bottom: 1; height: auto; }
    ExportModal RadioSet { width: 1fr; height: auto; }
    ExportModal Horizontal { height: auto; }
    ExportModal Label { margin-top: 1; }
    ExportModal #export-actions { dock: bottom; height: auto; }
    ExportModal #export-buttons { margin-top: 1; }
    ExportModal.-short #export-buttons { margin-top: 0; }
    ExportModal Button { margin-right: 2; }
    ExportModal #export-close { display: none; }
    ExportModal #export-folder-note { color: $warning; height: auto; margin-top: 1; }
    ExportModal .error { color: $error; height: auto; display: none; }
    ExportModal .error.-working { color: $text; }
    ExportModal .export-passphrase { text-style: bold; color: $text; background: $boost;
        padding: 1 2; margin: 1 0; }
    ExportModal #export-result Static { height: auto; }
    ExportModal #export-passphrase-intro { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._replace: Path | None = None  # an existing file the user has said to replace
        self._folder = export_folder()
        # the purpose put in for a bundle (secure mail), not chosen by the user: taken out
        # again when the user goes back to a plaintext export
        self._purpose_preset = False
        self._asked_for_purpose = False  # the line above the buttons asks for a purpose

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(tr("export.title"), classes="modal-title", id="export-title")
            with VerticalScroll(id="export-body"):
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
                    # the CPR number leaves the vault in a plain file only when asked for (the
                    # minutes go by mail, to relatives too; an IT-security review's point)
                    yield Checkbox(tr("export.include_cpr"), value=False, id="export-cpr")
                    # likewise the notes the referent marked private (kept off the projector):
                    # asked for only where the meeting has some
                    yield Checkbox(tr("export.include_private"), value=False, id="export-private")
                    yield Label(tr("export.purpose"))
                    # nothing chosen in advance: the access log holds the purpose the user gave
                    yield Select([(Content(t(f"accesslog.purpose.{p}")), p) for p in PURPOSES],
                                 prompt=t("export.purpose_prompt"), id="export-purpose")
                    yield Input(placeholder=t("export.purpose_text"), id="export-purpose-text")
                    yield Label(tr("export.path"))
                    yield Input(id="export-path")
                # after a bundle is written: where it is, its passphrase (shown this once), and to whom
                with Vertical(id="export-result"):
                    yield Static("", id="export-result-text")
                    yield Static(tr("cli.bundle_passphrase_intro"), id="export-passphrase-intro")
                    yield PassphraseView(classes="export-passphrase", id="export-passphrase")
                    yield Static("", id="export-result-after")
            with Vertical(id="export-actions"):
                # why the suggested folder is not the usual one: under the form, never scrolled away
                note = Static(safe(self._folder.note), id="export-folder-note")
                note.display = bool(self._folder.note)
                yield note
                yield Static("", classes="error", id="export-error")
                with Horizontal(id="export-buttons"):
                    yield Button(tr("export.write"), id="export-write", variant="warning")
                    yield Button(tr("modal.cancel"), id="export-cancel")
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
        self.query_one("#export-path", Input).value = default_path(
            self.kind, self.fmt, number, app.clock(), self._folder.path)
        self.query_one("#export-format", RadioSet).display = not bundle
        # the minutes and the bundle can carry the CPR number, only when ticked; the
        # invitation never has it
        self.query_one("#export-cpr", Checkbox).display = self.kind in ("minutes", "bundle")
        self.query_one("#export-private", Checkbox).display = (
            self.kind == "minutes" and has_private_notes(app.meeting))
        self.query_one("#export-warning", Static).update(self._bundle_info() if bundle else tr("export.warning"))
        # a bundle is made for secure mail, so that is put in (and shown) until the user
        # chooses another; a plaintext file gets only a purpose the user chose
        select = self.query_one("#export-purpose", Select)
        with self.prevent(Select.Changed):
            if bundle and select.is_blank():
                select.value = "secure_mail"
                self._purpose_preset = True
            elif not bundle and self._purpose_preset:
                select.clear()
                self._purpose_preset = False

    @on(Select.Changed, "#export-purpose")
    def _purpose_chosen(self) -> None:
        self._purpose_preset = False
        if self._asked_for_purpose:
            self._say("")

    def _say(self, text: Content | str, *, working: bool = False) -> None:
        """A line above the buttons (always on the screen): what is wrong, or what is going on."""
        line = self.query_one("#export-error", Static)
        self._asked_for_purpose = False
        line.update(text)
        line.set_class(working, "-working")
        line.display = bool(text.plain if isinstance(text, Content) else text)

    def _bundle_info(self) -> Content:
        """What a bundle is, and why this plan may not be shared (consent), before it is made."""
        from kiptui.bundle import consent_gaps

        plan = self.kapp.plan
        lines = [t("export.bundle_info")]
        if any(has_private_notes(m) for m in plan.meetings):
            lines.append(t("export.bundle_private"))
        lines += [f"{t('cli.consent_warning')}: {gap}" for gap in consent_gaps(plan)]
        return safe("\n\n".join(lines))

    @on(Button.Pressed, "#export-write")
    @on(Input.Submitted, "#export-path")
    def write(self) -> None:
        app = self.kapp
        if self.query_one("#export-purpose", Select).is_blank():
            self._say(tr("export.purpose_required"))
            self._asked_for_purpose = True
            self.query_one("#export-purpose", Select).focus()
            return
        target = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not target.name:
            self._say(tr("modal.required"))
            return
        if target.is_dir():
            self._say(tr("export.is_folder", path=str(target)))
            return
        if os.path.lexists(target) and not (target.is_symlink() or target.is_file()):
            self._say(tr("cli.not_a_file", path=str(target)))  # a device or a pipe: never replaced
            return
        if os.path.lexists(target) and target != self._replace:  # a link to nothing too
            # never written over without a question: an earlier export may be in use (a
            # bundle's passphrase given by phone opens that file only)
            def answered(replace: bool | None) -> None:
                if replace:
                    self._replace = target
                    self.write()

            key = "export.replace_bundle" if self.kind == "bundle" else "export.replace"
            self.app.push_screen(Confirm(key, path=str(target)), answered)
            return
        if target.parent == self._folder.path and not target.parent.exists():
            try:
                make_export_folder(target.parent)
            except OSError as err:
                self._say(tr("export.folder_failed", folder=str(target.parent),
                             reason=os_reason(err)))
                return
        if self.kind == "bundle":
            self.query_one("#export-write", Button).disabled = True
            self._say(tr("export.bundle_working"), working=True)
            self.run_worker(self._write_bundle(target), exclusive=True, group="bundle")
            return
        try:
            text = export_text(app, self.kind, self.fmt, include_cpr=self._with_cpr(),
                               include_private=self.query_one("#export-private", Checkbox).value)
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            code = getattr(err, "code", "")
            self._say(tr(code) if code else safe(str(err)))
            return
        purpose, purpose_text = self._purpose()
        vault = app.vault
        assert vault is not None
        fmt, include_cpr = f"{self.kind}_{self.fmt}", self.kind == "minutes" and self._with_cpr()
        try:
            # logged when the text is on the disk and before it has its name, as the command
            # line does: a write that fails (no folder, no permission, a full disk) is not
            # logged, and no plaintext gets its name unlogged
            write_plaintext(target, text, before_replace=lambda: log_export(
                vault, app.plan, fmt, target, purpose, purpose_text, include_cpr=include_cpr))
        except OSError as err:
            self._say(tr("cli.cannot_write", path=str(target), reason=os_reason(err)))
            return
        except AccessLogError as err:
            self._say(safe(str(err)))
            return
        self.dismiss(str(target))

    def _with_cpr(self) -> bool:
        """"Medtag CPR-nummer" (not ticked in advance): for the minutes and the bundle."""
        return bool(self.query_one("#export-cpr", Checkbox).value)

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
        button = self.query_one("#export-write", Button)
        assert app.vault is not None and app.handle is not None
        vault, plan_id = app.vault, app.handle.plan_id
        app.dirty = True  # a snapshot that finds nothing changed writes nothing
        future = app.save_now()
        if future is not None:
            await asyncio.gather(future, return_exceptions=True)
        await app.wait_for_saves()
        if app.last_save_error:
            self._say(tr("export.bundle_not_saved", reason=app.last_save_error))
            button.disabled = False
            return
        purpose, purpose_text = self._purpose()
        include_cpr = self._with_cpr()
        try:
            plan = vault.load_plan(plan_id, log=False)  # the plan as saved: logged below as a bundle
            passphrase = generate_passphrase()
            data = await asyncio.to_thread(export_bundle, plan, passphrase, include_cpr=include_cpr)
            # from here on nothing awaits: a dialog closed while the bundle was being encrypted
            # has written nothing and logged nothing; otherwise the bundle is written, logged
            # when it is on the disk and then given its name (as `kiptui bundle export` does):
            # one that cannot be written is not logged
            crypto.atomic_write(target, data, before_replace=lambda: log_bundle(
                vault, plan, target, purpose, purpose_text, include_cpr=include_cpr))
        except OSError as err:
            self._say(tr("cli.cannot_write", path=str(target), reason=os_reason(err)))
            button.disabled = False
            return
        except Exception as err:  # noqa: BLE001 - shown, never a crash
            code = getattr(err, "code", "")
            self._say(safe(str(err)) if code else safe(type(err).__name__))
            button.disabled = False
            return
        self._show_bundle(target, passphrase, plan)

    def _show_bundle(self, target: Path, passphrase: str, plan: Any) -> None:
        with_mail = [f"{one_line(c.name)} <{one_line(c.email)}>" for c in plan.contacts if c.email.strip()]
        without = [one_line(c.name) for c in plan.contacts if not c.email.strip()]
        after = [t("export.bundle_recipients", names=", ".join(with_mail)) if with_mail
                 else t("export.bundle_no_recipients")]
        if without:
            after.append(t("export.bundle_no_email", names=", ".join(without)))
        after.append(t("export.bundle_opens"))
        self._say("")
        self.query_one("#export-form").display = False
        self.query_one("#export-result").display = True
        self.query_one("#export-result-text", Static).update(tr("export.bundle_done", path=str(target)))
        self.query_one("#export-passphrase", PassphraseView).show(passphrase)
        self.query_one("#export-result-after", Static).update(safe("\n\n".join(after)))
        self.query_one("#export-write").display = False
        self.query_one("#export-cancel").display = False
        close = self.query_one("#export-close", Button)
        close.display = True
        close.focus()
        self.query_one("#export-body", VerticalScroll).scroll_home(animate=False)

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
