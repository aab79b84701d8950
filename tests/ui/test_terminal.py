"""Textual's output thread outlives a closed terminal (screens/terminal.py)."""

from __future__ import annotations

import errno
import threading

from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

import screens  # noqa: F401  (installs the change)
from screens import terminal


class ClosedTerminal:
    """A terminal that answers like a closed window: the first write goes through, then EIO."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str) -> None:
        if self.written:
            raise OSError(errno.EIO, "Input/output error")
        self.written.append(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return 1


def test_installed_for_the_pinned_textual():
    assert terminal.installed()


def test_writes_after_the_terminal_closed_return_and_the_thread_stops():
    out = ClosedTerminal()
    writer = WriterThread(out)  # type: ignore[arg-type]
    writer.start()
    done = threading.Event()

    def app_ending() -> None:  # the app's last writes, more than the queue holds
        for n in range(MAX_QUEUED_WRITES * 4):
            writer.write(f"\x1b[?1000l{n}")
        writer.stop()
        done.set()

    # a thread of its own: were the writes to block, the test fails instead of hanging
    threading.Thread(target=app_ending, daemon=True).start()
    assert done.wait(10), "the app's writes blocked after the terminal closed"
    assert out.written == ["\x1b[?1000l0"]
    assert not writer.is_alive()


def test_output_is_written_and_flushed_as_before():
    class Terminal:
        def __init__(self) -> None:
            self.text, self.flushes = "", 0

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            self.flushes += 1

    out = Terminal()
    writer = WriterThread(out)  # type: ignore[arg-type]
    writer.start()
    for part in ("kip", "tui"):
        writer.write(part)
    writer.stop()
    assert out.text == "kiptui" and out.flushes >= 1
