"""Injected I/O faults: the `os` that kiptui.crypto and kiptui.accesslog see is replaced by one
whose write, fsync or replace fails with an errno for the file named, as a full or failing
disk would make them fail. Nothing else in the process is touched.

    with inject("fsync", errno.ENOSPC, "index.kip"):
        ...                              # every fsync of index.kip (or its temp file) fails

In a subprocess: `python -c "from tests.reliability.faults import main; main()" OP ERRNO NAME
-- kiptui arguments` runs `kiptui` with the fault installed.
"""

from __future__ import annotations

import contextlib
import errno as errno_module
import os
import sys
from collections.abc import Iterator
from typing import Any

from kiptui import accesslog, crypto

OPS = ("write", "fsync", "replace", "dirsync")


def _name_of_fd(fd: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return ""


class Fault:
    def __init__(self, op: str, errno: int, name: str) -> None:
        assert op in OPS, op
        self.op, self.errno, self.name = op, errno, name
        self.hits = 0

    def matches(self, op: str, filename: str) -> bool:
        """`filename` is the file itself or one of atomic_write's temp files for it."""
        if op != self.op:
            return False
        if op == "dirsync":
            return True
        return filename == self.name or filename.startswith(f".{self.name}.")

    def fail(self) -> OSError:
        self.hits += 1
        return OSError(self.errno, os.strerror(self.errno))


class _FaultyFile:
    """A file object whose write gets half the data out, then fails (a disk filling up)."""

    def __init__(self, fh: Any, fault: Fault) -> None:
        self._fh, self._fault = fh, fault

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise self._fault.fail()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FaultyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


class _FaultyOs:
    """Everything of `os`, but write, fsync, replace and fdopen look at the fault first."""

    def __init__(self, fault: Fault) -> None:
        self._fault = fault

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        fh = os.fdopen(fd, *args, **kwargs)
        return _FaultyFile(fh, self._fault) if self._fault.matches("write", _name_of_fd(fd)) else fh

    def write(self, fd: int, data: Any) -> int:
        if self._fault.matches("write", _name_of_fd(fd)):
            os.write(fd, bytes(data)[: len(data) // 2])
            raise self._fault.fail()
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        target = _name_of_fd(fd)
        is_dir = os.path.isdir(f"/proc/self/fd/{fd}")
        if self._fault.matches("dirsync" if is_dir else "fsync", target):
            raise self._fault.fail()
        os.fsync(fd)

    def replace(self, src: Any, dst: Any) -> None:
        if self._fault.matches("replace", os.path.basename(os.fspath(dst))):
            raise self._fault.fail()
        os.replace(src, dst)


@contextlib.contextmanager
def inject(op: str, errno: int, name: str) -> Iterator[Fault]:
    fault = Fault(op, errno, name)
    faulty = _FaultyOs(fault)
    saved = (crypto.os, accesslog.os)
    crypto.os = accesslog.os = faulty  # type: ignore[assignment]
    try:
        yield fault
    finally:
        crypto.os, accesslog.os = saved


def main() -> None:
    """`kiptui` with one fault installed (for tests that want the real process)."""
    op, err, name, sep, *args = sys.argv[1:]
    assert sep == "--"
    from kiptui.cli import main as cli_main

    with inject(op, getattr(errno_module, err), name):
        code = cli_main(args)
    sys.exit(code)
