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
from textual.widgets import Button, Input, Label, Static

from kiptui.i18n import t
from kiptui.vaultfiles import vault_exists
from screens.text import safe, tr, translate_bindings
from screens.footer import KeyFooter

if TYPE_CHECKING:
    from screens.app import KiptuiApp


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
            yield Label(tr("unlock.passphrase"))
            yield Input(password=True, id="passphrase", placeholder=t("unlock.placeholder"))
            if creating:
                yield Label(tr("unlock.passphrase_again"))
                yield Input(password=True, id="passphrase2")
            yield Static("", id="unlock-status")
            yield Static("", id="unlock-error", classes="error")
            yield Button(tr("unlock.create_button" if creating else "unlock.button"),
                         id="unlock-button", variant="primary")
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
        self.submit()

    @on(Button.Pressed, "#unlock-button")
    def _pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        passphrase = self.query_one("#passphrase", Input).value
        error = self.query_one("#unlock-error", Static)
        if not passphrase:
            error.update(tr("unlock.empty"))
            return
        if self.creating:
            again = self.query_one("#passphrase2", Input).value
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
            self.post_message(self.Result(None, t("cli.os_error", reason=err.strerror or str(err))))
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
