"""Text fields that do their keys in the order typed (see `keys_in_order`): the one-line
`Input` every screen uses, and the key step of the minutes' note (screens.widgets.NoteArea).
Light on purpose: the unlock screen imports it at start-up."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input as _Input

__all__ = ["Input", "is_text_field", "keys_in_order", "settles"]


def settles(action: Any) -> Any:
    """Mark an action that first lets the widgets handle what is already queued (the app's
    `settle`: save, lock, quit, leave the plan). Its key is not run from inside a text field
    (`keys_in_order`): the field's own queue, holding the Changed messages of the last words
    typed, cannot be handled while the field is busy with the key."""
    action.settles = True
    return action


def _bound(app: Any, key: str) -> bool:
    """Whether a binding for `key` is on the way up from the focused widget."""
    return any(key in bindings.key_to_bindings for _node, bindings in app.screen._modal_binding_chain)


def _settles(app: Any, key: str) -> bool:
    """Whether a binding for `key`, as the app would look it up, is an action that settles."""
    for namespace, bindings in app.screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            name = binding.action.split("(", 1)[0].rsplit(".", 1)[-1]
            if getattr(getattr(namespace, f"action_{name}", None), "settles", False):
                return True
    return False


async def keys_in_order(widget: Widget, event: events.Key, run: Any = None) -> bool:
    """Do the key `event` in a text field now, in the order it was typed; True if done.

    Keys reach a field in the order typed, but Textual runs key *bindings* (Backspace, the
    arrows, Home/End, Ctrl+W, Enter in a one-line field, Tab's move to the next field …) only
    when the key has bubbled up to the app, while letters are written at once. In a burst (a
    fast typist, a loaded laptop, a remote terminal) letters typed after a Backspace were
    written before it ran, and it then deleted them: found by a review, "@Nadia 10.01.2027"
    became "@Nadia 10." and its Enter was lost; the letters after a Tab went into the field
    that was left. Here a key the field binds, Tab, and any other key that is not text (the
    pane's Ctrl+N, the screen's Escape) goes through the bindings at once,
    exactly as the app would look them up (the field's own, then its pane's, the screen's,
    the app's: a binding that is off or skips passes on); a key sent here after the focus
    had moved on is passed on, in order, to where the focus is now. `run(event, coro)` awaits
    the bindings (the note uses it to repaint only the rows that changed)."""
    app: Any = widget.app
    target = app.focused  # set at once by a move of focus (has_focus lags behind), any screen
    if target is not widget:
        if target is None:
            return False
        # the focus moved on (a Tab or an Enter earlier in the burst) after this key was sent
        event.prevent_default()
        event.stop()
        key = events.Key(event.key, event.character)
        in_order = getattr(app, "key_in_order", None)
        if in_order is None or not await in_order(key):
            target._forward_event(key)
        return True
    indent = getattr(widget, "tab_behavior", "focus") == "indent"  # a code editor's Tab, Escape
    tab = event.key in ("tab", "shift+tab") and not indent
    if not tab and event.key not in widget._bindings.key_to_bindings:
        # Alt+A comes with the character "a": a key with a modifier is not text where a
        # binding takes it (a review's Alt+A typed an "a" instead of showing the deviations)
        text = event.is_printable and not (event.key.startswith(("alt+", "ctrl+")) and _bound(app, event.key))
        if text or event.key == "enter" or indent:
            return False  # the field's own: written (or a new line) where the cursor is
        # a key for the pane, the screen or the app (Ctrl+N gives the next speaker the floor,
        # Alt+→ starts the next item, Escape leaves a dialog): its binding runs now as well;
        # the words typed right after Ctrl+N went into the previous speaker's note
        if _settles(app, event.key) or not await app._check_bindings(event.key):
            return False
        event.prevent_default()
        event.stop()
        return True
    event.prevent_default()
    event.stop()
    checked = app._check_bindings(event.key)
    await (run(event, checked) if run is not None else checked)
    return True


_TEXT_FIELDS = {("textual.widgets._input", "Input"), ("textual.widgets._text_area", "TextArea")}


def is_text_field(widget: Widget | None) -> bool:
    """A field that takes typed text: Textual's Input or TextArea, or one made from them
    (told by class, without importing TextArea at start-up)."""
    return widget is not None and any((c.__module__, c.__name__) in _TEXT_FIELDS for c in type(widget).__mro__)


class Input(_Input):
    """A one-line field whose keys are done in the order typed (see `keys_in_order`)."""

    async def _on_key(self, event: events.Key) -> None:
        await keys_in_order(self, event)  # a key not done here goes on to Textual's Input
