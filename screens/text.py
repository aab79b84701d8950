"""Text on screen: user text as data (never markup, no control or escape sequences),
translated UI strings, and translated key bindings. Light on purpose: the first screen
(unlock) needs these and nothing of the meeting screens' widgets."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from kiptui.i18n import t
from kiptui.textsafe import clean, one_line


def translate_bindings(node: Any) -> None:
    """Bindings are declared with i18n keys as descriptions (class attributes are evaluated
    at import, before the language is chosen); each instance translates its own copy."""
    import dataclasses

    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=t(b.description), tooltip=t(b.tooltip) if b.tooltip else "")
            if b.description and "." in b.description
            else b
            for b in bindings
        ]


def translate_textual_bindings() -> None:
    """Textual's own widgets describe their keys in English; the one the footer shows (an
    open Select's "Dismiss menu") is given the chosen language's words. Instances copy their
    class's merged bindings when made, so this is done once, when the language is set."""
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [("escape", "dismiss", t("select.dismiss"))]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()
    SelectOverlay.focus = _overlay_focus  # type: ignore[method-assign]


def _overlay_focus(self: Any, scroll_visible: bool = True) -> Any:
    """A Select's list takes the focus when it opens, a moment later (Textual's Widget.focus);
    the app gives it at once (KiptuiApp.key_in_order), and a choice made in the same burst of
    keys closes the list before that moment comes. Then it is not taken back: a review's
    'Tab Enter Down Enter Tab 15.12.2026' put the date into the closed list."""
    from textual.dom import NoScreen
    from textual.widgets import Select

    def set_focus(widget: Any) -> None:
        select = widget.parent
        if isinstance(select, Select) and not select.expanded:
            return
        try:
            widget.screen.set_focus(widget, scroll_visible=scroll_visible)
        except NoScreen:  # gone with its screen: nothing to focus (as Textual's own)
            pass

    self.app.call_later(set_focus, self)
    return self


def safe(text: str, *, multiline: bool = True) -> Content:
    """User text as a Content: never parsed as markup, no control or escape sequences."""
    return Content(clean(text) if multiline else one_line(text))


def tr(key: str, **params: Any) -> Content:
    """A translated UI string as literal Content (parameters may be user text)."""
    return Content(clean(t(key, **params)))
