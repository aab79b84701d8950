"""Modal dialogs in one place: help for the current screen, a one-line prompt, a yes/no."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

from kiptui.i18n import example_deadline, t
from screens.text import safe, tr, translate_bindings
from screens.fields import Input


class HelpModal(ModalScreen[None]):
    """F1: the help text of the screen in front (our own text, rendered as Markdown)."""

    # the text has the focus (↑/↓, Page Up/Down, Home/End scroll it); Enter closes, as the
    # button did when it had the focus
    BINDINGS = [("escape", "dismiss", "modal.close"), ("f1", "dismiss", "modal.close"),
                Binding("enter", "dismiss", "modal.close", show=False)]
    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > Vertical { width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2; }
    HelpModal VerticalScroll { height: auto; max-height: 30; }
    """

    def __init__(self, key: str, extra: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.key = key
        self.extra = extra  # the keys of the screen around the part in front (the meeting's)

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                # Help texts are ours (data/strings), never user text.
                # Their examples are dated two weeks from today (kiptui.i18n.example_deadline).
                clock = getattr(self.app, "clock", datetime.now)
                example = example_deadline(clock().date())
                parts = [t(self.key, example=example), t(self.extra, example=example) if self.extra else "",
                         t("help.global", example=example)]
                yield Markdown("\n\n".join(p for p in parts if p))
            yield Button(tr("modal.close"), id="help-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    @on(Button.Pressed)
    def _close(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; Enter confirms, Escape cancels."""

    BINDINGS = [("escape", "cancel", "modal.cancel")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 70; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    TextPrompt Horizontal { height: auto; margin-top: 1; }
    TextPrompt Button { margin-right: 2; }
    TextPrompt .error { color: $error; }
    """

    def __init__(self, prompt_key: str, placeholder_key: str = "", value: str = "", **params: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.prompt_key = prompt_key
        self.placeholder_key = placeholder_key
        self.value = value
        self.params = params

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(tr(self.prompt_key, **self.params))
            yield Input(value=self.value, placeholder=t(self.placeholder_key) if self.placeholder_key else "",
                        id="prompt-input")
            yield Static("", classes="error", id="prompt-error")
            with Horizontal():
                yield Button(tr("modal.ok"), id="prompt-ok", variant="primary")
                yield Button(tr("modal.cancel"), id="prompt-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # the text as it was at the Enter (keys typed after it, before the dialog closed, are
        # not part of the answer: a reason goes to the access log as given)
        self._accept(event.value)

    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        self._accept(self.query_one(Input).value)

    def _accept(self, value: str) -> None:
        if not value.strip():
            self.query_one("#prompt-error", Static).update(tr("modal.required"))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question. The question is our text; `detail` may be user text (shown literally).
    No has the focus; ← and → move between the two (a review pressed ← then Enter and got No
    without noticing), and J / N answer directly."""

    BINDINGS = [
        ("escape", "no", "modal.cancel"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
        Binding("j,y", "yes", show=False),
        Binding("n", "no", show=False),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 70; max-width: 95%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    Confirm Horizontal { height: auto; margin-top: 1; }
    Confirm Button { margin-right: 2; }
    """

    def __init__(self, question_key: str, detail: str = "", **params: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.question_key = question_key
        self.detail = detail
        self.params = params

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr(self.question_key, **self.params))  # wraps: a path may be long
            if self.detail:
                yield Static(safe(self.detail))
            with Horizontal():
                yield Button(tr("modal.yes"), id="confirm-yes", variant="warning")
                yield Button(tr("modal.no"), id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_no(self) -> None:
        self.dismiss(False)
