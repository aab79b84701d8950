"""The key footer: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer throws away and mounts all its key widgets again every time the screen's
bindings *may* have changed: each focus change, each tab switch. With the meeting screen's dozen
keys that was about 45 widgets mounted and styled per F-key press, most of the 0.5 s a revisited
tab took (found with cProfile: `Footer._watch_compact`, `_post_mount`, `Stylesheet.apply`).
The keys it shows rarely change when the focus moves, so it compares first.

Where the keys do not all fit (80 columns), whole keys are left out from the end, never one cut
in the middle (a review read "^r Vis/skjul CPR  alt+▏"). On a narrow screen the command palette's key
goes first, and F1 Hjælp, which lists them all (Ctrl+P too), always stays.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


#: narrower than this, the command palette's key gives its place to the screen's keys
NARROW = 100


class KeyFooter(Footer):
    _shown: tuple[Any, ...] | None = None

    def shown_keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """What `Footer.compose` would show: every shown binding, whether it is enabled, its
        texts and group, and the command palette's key."""
        keys = tuple(
            (binding.key, binding.key_display, binding.description, binding.action, enabled,
             tooltip, binding.tooltip, id(binding.group))
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )
        return keys, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, self.compact

    def bindings_changed(self, screen: Screen[Any]) -> None:
        will_recompose = screen.app.app_focus and self.is_attached and screen is self.screen
        if will_recompose:
            shown = self.shown_keys(screen)
            if self._bindings_ready and shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self, event: events.Resize) -> None:
        for key in self.children:
            if isinstance(key, FooterKey):
                key.display = True  # measured again as they are laid out at the new width
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Show as many whole keys as fit, in order, and F1 in any case."""
        palette = [w for w in self.children if w.has_class("-command-palette")]
        keys = [w for w in self.children if isinstance(w, FooterKey) and w not in palette]
        if not keys or any(not w.display for w in keys):
            return  # measured before: a resize shows them all and measures again
        # what else a footer shows on the right (the follow view's mode) keeps its place
        others = sum(_width(w) for w in self.children if w.display and w not in keys and w not in palette)
        room = self.size.width - others - sum(_width(w) for w in palette)
        if sum(_width(w) for w in keys) <= room:
            return
        if self.size.width < NARROW:  # Ctrl+P goes first: F1 names it; on a small screen
            for key in palette:  # the screen's own keys matter more
                key.display = False
            room = self.size.width - others
        help_keys = [w for w in keys if getattr(w, "action", "").rsplit(".", 1)[-1] == "help"]
        room -= sum(_width(w) for w in help_keys)
        for key in keys:
            if key in help_keys:
                continue
            width = _width(key)
            key.display = width <= room
            room = room - width if key.display else -1  # the rest go too: the order stays


def _width(widget: Widget) -> int:
    margin = widget.styles.margin
    return widget.outer_size.width + margin.left + margin.right
