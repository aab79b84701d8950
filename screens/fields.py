"""Text fields that do their keys in the order typed (see `keys_in_order`): the one-line
`Input` every screen uses, and the key step of the minutes' note (screens.widgets.NoteArea).
Light on purpose: the unlock screen imports it at start-up."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Input as _Input

__all__ = ["Input", "commit_now", "deliver_now", "focus_now", "in_order_priority", "is_text_field", "keys_in_order", "settles"]


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


def focus_now(widget: Widget) -> None:
    """Give `widget` the focus at once: `Widget.focus()` does it only after the messages
    already waiting, so the words typed right after a tab key went into the field left."""
    from textual.dom import NoScreen

    try:
        widget.screen.set_focus(widget)
    except NoScreen:  # not mounted (any more)
        pass


def in_order_priority(app: Any, key: str) -> bool:
    """Whether `key` has a priority binding (the meeting screen's F2–F7, Ctrl+P) that a text
    field should run in the order typed: Textual runs a priority binding the moment the key
    reaches the app, before the field has written the letters typed just ahead of it (a
    review: "godt" and F2 in one burst replaced the citizen's name on F2 with "godt").
    Not an action that settles (Ctrl+Q): that one waits for the field's queue itself."""
    for namespace, bindings in app.screen._binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority:
                name = binding.action.split("(", 1)[0].rsplit(".", 1)[-1]
                return not getattr(getattr(namespace, f"action_{name}", None), "settles", False)
    return False


async def commit_now(widget: Widget) -> None:
    """Hand the field's text to the handlers above it now (its pane puts it in the plan), as
    its Changed message would a few messages later. Before a key that leaves the field in the
    middle of a burst (a tab key, the next agenda item): the Changed messages of the last
    letters are still queued behind that key in the field's own queue, so the tab shown next
    read the plan without them. The Changed messages still queued arrive later and change
    nothing more (the handlers compare with what the plan holds)."""
    from textual.widgets import Input as _AnyInput, TextArea

    if isinstance(widget, _AnyInput):  # its own Changed class: the one the handlers are for
        message: Any = widget.Changed(widget, widget.value)
    elif isinstance(widget, TextArea):
        message = widget.Changed(widget)
    else:
        return
    await deliver_now(widget, message)


async def deliver_now(widget: Widget, message: Any) -> None:
    """Run the handlers of `message` from `widget` up to its screen now, as its trip through
    the queues would a few messages later (after the keys typed next)."""
    from textual._callback import invoke

    screen = widget.screen
    node: Any = widget
    while node is not None and not message._stop_propagation:
        for _cls, method in node._get_dispatch_methods(message.handler_name, message):
            await invoke(method, message)
        if node is screen:
            break
        node = node.parent


async def _run_priority(widget: Widget, app: Any, key: str) -> bool:
    """A priority binding for `key`, run in order from the field (see `in_order_priority`)."""
    if not in_order_priority(app, key):
        return False
    await commit_now(widget)
    return await app._check_bindings(key, priority=True)


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
        # what this field holds reaches the plan before a key it passes on can use it (F7's
        # Ctrl+G, run in this field's turn, made a summary without the place typed here)
        await commit_now(widget)
        key = events.Key(event.key, event.character)
        in_order = getattr(app, "key_in_order", None)
        if in_order is None or not await in_order(key):
            target._forward_event(key)
        return True
    if await _run_priority(widget, app, event.key):  # F2–F7 before the field's own F6/F7
        event.prevent_default()
        event.stop()
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
        if _settles(app, event.key) or not _bound(app, event.key):
            return False
        await commit_now(widget)  # Alt+→ shows the next item: this one's notes are its own
        if not await app._check_bindings(event.key):
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
    """A one-line field whose keys are done in the order typed (see `keys_in_order`), and
    whose Changed messages are only handled while they still say what the field holds."""

    class Changed(_Input.Changed, no_dispatch=None):
        """Textual's Changed, handled by nobody once the field holds something else: the
        pane has since put other text in it (the next agenda item's title, after Alt+→ in
        the middle of a burst), and the value typed before would be written to the item the
        field shows now. The field's later Changed messages say what it holds; a value the
        pane put in is the plan's already (`commit_now` handed it the text typed before)."""

        @property
        def no_dispatch(self) -> bool:  # type: ignore[override]
            return self.value != self.input.value

    #: Enter's handlers (the form adding an agreement and emptying itself for the next) run
    #: at once, in the order typed: a fast 'text Enter next text Enter' lost the second
    #: agreement, typed into the field before the first Enter had emptied it
    submit_now = False

    async def action_submit(self) -> None:
        if not self.submit_now:
            await super().action_submit()
            return
        result = self.validate(self.value) if "submitted" in self.validate_on else None
        await commit_now(self)  # the handlers read the form as it is now
        await deliver_now(self, self.Submitted(self, self.value, result))

    def check_message_enabled(self, message: Any) -> bool:
        # `prevent(Input.Changed)` (a pane filling its fields) also holds back this Changed
        if isinstance(message, _Input.Changed) and _Input.Changed in self._get_prevented_messages():
            return False
        return super().check_message_enabled(message)

    async def _on_key(self, event: events.Key) -> None:
        await keys_in_order(self, event)  # a key not done here goes on to Textual's Input
