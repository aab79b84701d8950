"""The key footer: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer throws away and mounts all its key widgets again every time the screen's
bindings *may* have changed: each focus change, each tab switch. With the meeting screen's dozen
keys that was about 45 widgets mounted and styled per F-key press, most of the 0.5 s a revisited
tab took (found with cProfile: `Footer._watch_compact`, `_post_mount`, `Stylesheet.apply`).
The keys it shows rarely change when the focus moves, so it compares first.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


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
