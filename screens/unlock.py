"""Unlock (or create) the vault. The key derivation runs in a worker with visible progress;
a wrong passphrase says so and lets the user try again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from kiptui.i18n import os_reason, t
from kiptui.vaultfiles import vault_exists
from screens.text import safe, tr, translate_bindings
from screens.footer import KeyFooter
from screens.fields import Input

if TYPE_CHECKING:
    from screens.app import KiptuiApp


class UnlockButton(Button, inherit_css=False):
    """Textual's primary Button, with only the styles it uses here: Button's own are 7 KB of
    CSS for every variant, and parsing them was the largest part of the first screen's time
    (11 ms). The rules are Textual's for the primary variant (default and ANSI colours); a test
    renders it beside a real Button in every state and compares each cell."""

    DEFAULT_CSS = """
    UnlockButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        border: none;
        border-top: tall $primary-lighten-3;
        border-bottom: tall $primary-darken-3;
        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            background: $primary-darken-2;
            border-top: tall $primary;
        }
        &.-active {
            background: $primary;
            border-bottom: tall $primary-lighten-3;
            border-top: tall $primary-darken-3;
            tint: $background 30%;
        }
        &:ansi {
            color: $primary;
            border: tall $primary;
            background: ansi_default;
            &:hover { background: $ansi-background; }
            &.-active {
                background: $ansi-background !important;
                border: blank $background !important;
                tint: transparent;
            }
            &:disabled {
                text-opacity: 1;
                text-style: bold dim;
                border: tall $border-blurred !important;
                background: ansi_default !important;
                pointer: not-allowed;
            }
        }
    }
    """

    def __init__(self, label: Any, *, id: str) -> None:  # noqa: A002
        super().__init__(label, id=id, variant="primary")


class UnlockScreen(Screen[None]):
    help_key = "help.unlock"
    BINDINGS = [("escape", "clear", "unlock.clear")]

    @dataclass
    class Result(Message):
        vault: Any  # a Vault, or None
        error: str

    def __init__(self, *, locked: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.locked = locked
        self.busy = False

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def creating(self) -> bool:
        return not vault_exists(self.kapp.vault_path)

    def compose(self) -> ComposeResult:
        creating = self.creating
        with Vertical(id="unlock-box"):
            yield Static(tr("unlock.title"), id="unlock-title")
            if self.locked:
                yield Static(tr("unlock.locked_idle"), id="unlock-locked", classes="notice")
            if creating:
                yield Static(tr("unlock.create_intro", path=str(self.kapp.vault_path)), id="unlock-intro")
            else:
                yield Static(tr("unlock.intro"), id="unlock-intro")
            if self.kapp.demo_passphrase:
                yield Static(
                    tr("unlock.demo_passphrase", passphrase=self.kapp.demo_passphrase),
                    id="unlock-demo", classes="notice",
                )
            yield Static(tr("unlock.passphrase"), classes="unlock-label")
            yield Input(password=True, id="passphrase", placeholder=t("unlock.placeholder"))
            if creating:
                yield Static(tr("unlock.passphrase_again"), classes="unlock-label")
                yield Input(password=True, id="passphrase2")
            yield Static("", id="unlock-status")
            yield Static("", id="unlock-error", classes="error")
            yield UnlockButton(tr("unlock.create_button" if creating else "unlock.button"),
                               id="unlock-button")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def _show_progress(self, shown: bool) -> None:
        """The moving indicator while the key is derived, made the first time it is needed
        (not at start-up: the time to the first screen counts)."""
        found = self.query("#unlock-progress")
        if found:
            found.first().display = shown
        elif shown:
            from textual.widgets import LoadingIndicator

            self.query_one("#unlock-box").mount(LoadingIndicator(id="unlock-progress"),
                                                before="#unlock-status")

    def reset(self, *, locked: bool) -> None:
        """Used again after a lock (this screen is the app's base screen)."""
        self.locked = locked
        self.busy = False
        self.refresh(recompose=True)
        self.call_after_refresh(self.on_mount)

    def action_clear(self) -> None:
        for inp in self.query(Input):
            inp.value = ""
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "passphrase" and self.creating:
            self.query_one("#passphrase2", Input).focus()
            return
        self.submit({event.input.id or "": event.value})  # as it was at the Enter

    @on(Button.Pressed, "#unlock-button")
    def _pressed(self) -> None:
        self.submit()

    def submit(self, typed: dict[str, str] | None = None) -> None:
        """Unlock (or create) with the passphrase; `typed`: a field's value as it was when
        Enter was pressed in it (keys typed after the Enter are not part of it)."""
        if self.busy:
            return
        typed = typed or {}
        passphrase = typed.get("passphrase", self.query_one("#passphrase", Input).value)
        error = self.query_one("#unlock-error", Static)
        if not passphrase:
            error.update(tr("unlock.empty"))
            return
        if self.creating:
            again = typed.get("passphrase2", self.query_one("#passphrase2", Input).value)
            if passphrase != again:
                error.update(tr("cli.passphrases_differ"))
                return
            from kiptui.vault import check_passphrase_strength

            reason = check_passphrase_strength(passphrase)
            if reason:
                error.update(tr(f"vault.{reason}"))
                return
        error.update("")
        self.busy = True
        self._show_progress(True)
        self.query_one("#unlock-status", Static).update(
            tr("unlock.creating" if self.creating else "unlock.deriving")
        )
        for inp in self.query(Input):
            inp.disabled = True
        self.derive(passphrase, self.creating)

    @work(thread=True, exclusive=True, exit_on_error=False, group="vault")
    def derive(self, passphrase: str, create: bool) -> None:
        from kiptui.vault import Vault, VaultError

        path = self.kapp.vault_path
        try:
            vault = Vault.create(path, passphrase) if create else Vault.unlock(path, passphrase)
        except VaultError as err:
            self.post_message(self.Result(None, err.message))
            return
        except OSError as err:
            self.post_message(self.Result(None, t("cli.os_error", reason=os_reason(err))))
            return
        self.post_message(self.Result(vault, ""))

    @on(Result)
    def _result(self, message: Result) -> None:
        self.busy = False
        self._show_progress(False)
        self.query_one("#unlock-status", Static).update("")
        for inp in self.query(Input):
            inp.disabled = False
        if message.vault is None:
            self.query_one("#unlock-error", Static).update(safe(message.error))
            passphrase = self.query_one("#passphrase", Input)
            passphrase.value = ""
            passphrase.focus()
            return
        for inp in self.query(Input):
            inp.value = ""
        self.kapp.unlocked(message.vault)
