"""Textual's output thread keeps going when the terminal is gone.

Textual writes to the terminal from one thread, fed through a queue of 30 writes. When a
write fails — the terminal window was closed, so the terminal answers EIO — that thread
ended, the queue filled, and the app's next write waited for ever: kiptui hung while it
ended, after the plan was saved (seen: Ctrl+Q, and the window closed a moment later; the
process stayed until killed).

`install()` gives the thread a loop that, once a write has failed, drops what is written
after it instead of ending: the app's last writes return at once and the app ends. Applied
only to the `WriterThread` it was written for (Textual 8.2.8, pinned in pyproject.toml);
one that differs is left as it is.
"""

from __future__ import annotations

from textual.drivers._writer_thread import WriterThread

# what the checked `run` refers to
_RUN_NAMES = {"_file", "write", "flush", "_queue", "get", "qsize"}


def _run(self: WriterThread) -> None:
    # WriterThread.run of the checked version, which ended at the first failed write
    write = self._file.write
    flush = self._file.flush
    get = self._queue.get
    qsize = self._queue.qsize
    gone = False
    while True:
        text = get()
        if text is None:
            break
        if gone:
            continue  # the terminal is gone: nothing can be shown, keep the queue moving
        try:
            write(text)
            if qsize() == 0:
                flush()
        except (OSError, ValueError):  # EIO from a closed terminal; a closed file
            gone = True
    if not gone:
        try:
            flush()
        except (OSError, ValueError):
            pass


def installable() -> bool:
    run = WriterThread.__dict__.get("run")
    code = getattr(run, "__code__", None)
    return code is not None and set(code.co_names) == _RUN_NAMES


def installed() -> bool:
    return WriterThread.run is _run


def install() -> bool:
    """Let the output thread outlive a closed terminal; True if that is (now) the case."""
    if installed():
        return True
    if not installable():
        return False
    WriterThread.run = _run  # type: ignore[method-assign]
    return True
