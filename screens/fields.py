"""Text fields that do their keys in the order typed (see `keys_in_order`): the one-line
`Input` every screen uses, and the key step of the minutes' note (screens.widgets.NoteArea).
Light on purpose: the unlock screen imports it at start-up."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input as _Input

__all__ = ["Input", "keys_in_order"]


async def keys_in_order(widget: Widget, event: events.Key, run: Any = None) -> bool:
    """Do the key `event` in a text field now, in the order it was typed; True if done.

    Keys reach a field in the order typed, but Textual runs a field's key *bindings*
    (Backspace, the arrows, Home/End, Ctrl+W, Enter in a one-line field …) and the move to
    the next field on Tab only when the key has bubbled up to the app, while letters are
    written at once. In a burst (a fast typist, a loaded laptop, a remote terminal) letters
    typed after a Backspace were written before it ran, and it then deleted them: found by a
    review, "@Nadia 10.01.2027" became "@Nadia 10." and its Enter was lost; the letters
    after a Tab went into the field that was left. Here the field runs its own bindings and
    Tab at once, and passes on keys sent to it after focus had moved on. `run(event, coro)`
    awaits a binding's action (the note uses it to repaint only the rows that changed)."""
    target = widget.screen.focused  # set at once by a move of focus (has_focus lags behind)
    if target is not widget:
        if target is None:
            return False
        # focus moved on (a Tab earlier in the burst) after this key was sent here
        event.prevent_default()
        event.stop()
        target._forward_event(events.Key(event.key, event.character))
        return True
    if event.key in ("tab", "shift+tab") and getattr(widget, "tab_behavior", "focus") == "focus":
        event.prevent_default()
        event.stop()
        widget.screen.focus_next() if event.key == "tab" else widget.screen.focus_previous()
        return True
    bindings = widget._bindings.key_to_bindings.get(event.key)
    if not bindings:
        return False
    event.prevent_default()
    event.stop()
    action = widget.run_action(bindings[0].action)
    await (run(event, action) if run is not None else action)
    return True


class Input(_Input):
    """A one-line field whose keys are done in the order typed (see `keys_in_order`)."""

    async def _on_key(self, event: events.Key) -> None:
        await keys_in_order(self, event)  # a key not done here goes on to Textual's Input
