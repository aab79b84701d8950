"""UI tests wait until the widgets have handled what the keys set off, not until the CPU looks idle.

Textual's `Pilot.pause()` waits for the messages queued when it is called, then for the
process to look idle. A Changed message that an Input bubbles to its pane is queued *after*
that, and on a loaded CI machine "looks idle" can come before it is handled: a test then read
the plan before the pane had updated it (seen once in CI). Here the wait is repeated until no
widget on the screen has anything queued, so a test never depends on how busy the machine is.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

_wait_for_screen = Pilot._wait_for_screen
ROUNDS = 25  # bubbling depth is < 10; a widget that keeps posting (a blinking cursor) stops here


async def _wait_until_settled(self: Pilot, timeout: float = 30.0) -> bool:
    handled = await _wait_for_screen(self, timeout)
    for _ in range(ROUNDS):
        try:
            nodes = [self.app, *self.app.screen.walk_children(with_self=True)]
        except Exception:  # noqa: BLE001 - no screen (the app is closing)
            return handled
        if not any(node._message_queue.qsize() for node in nodes):
            return handled
        handled = await _wait_for_screen(self, timeout)
    return handled


@pytest.fixture(autouse=True)
def _settled_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Pilot, "_wait_for_screen", _wait_until_settled)


@pytest.fixture(autouse=True)
def _nothing_left_frozen() -> Iterator[None]:
    """Every app gives back what it froze for the garbage collector (screens.app.freeze_heap)
    when its plan closes or it ends: nothing stays frozen after a test."""
    import gc

    yield
    assert gc.get_freeze_count() == 0
