"""Shared pieces of the reliability suite: the CI/full switch, sample plans, vault snapshots,
subprocesses, and the child process that writes while the tests kill or read it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from kiptui.model import CITIZEN_ID, AttendanceStatus, Contact, Plan, Sector, new_meeting
from kiptui.resources import agenda_template

ROOT = Path(__file__).resolve().parents[2]
PASS = "korrekt hest batteri klips"
NOW = datetime(2026, 11, 23, 10, 0)

#: KIPTUI_FULL=1 (or pytest --kiptui-full, which sets it) runs the full counts of issue 7.
FULL = os.environ.get("KIPTUI_FULL", "") not in ("", "0")


def count(ci: int, full: int) -> int:
    return full if FULL else ci


def meeting_plan(name: str = "Mikkel Sørensen") -> Plan:
    """A plan in its first meeting: contacts, the citizen present, the round built."""
    plan = Plan()
    plan.citizen.name = name
    plan.citizen.cpr = "010190-0000"
    plan.consent.given = True
    plan.consent.given_on = date(2026, 11, 1)
    lone = plan.add_contact(Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY,
                                    organisation="Næstved Kommune", role="Socialrådgiver",
                                    email="lone.hansen@eksempel.dk", phone="55 66 77 88"))
    anders = plan.add_contact(Contact(name="Anders Holm", sector=Sector.REGION,
                                      organisation="Psykiatrien", role="Sygeplejerske"))
    plan.add_contact(Contact(name="Birgitte Sørensen", sector=Sector.RELATIVE, role="Mor"))
    m = new_meeting(plan, agenda_template(), datetime(2026, 11, 23, 10, 0))
    m.place = "Mødelokale 2"
    m.set_chair(lone.id)
    m.set_referent(anders.id)
    for cid in (CITIZEN_ID, lone.id, anders.id):
        m.attendance_for(cid).status = AttendanceStatus.PRESENT
    m.build_round()
    plan.add_agreement("Søge boligstøtte", lone.id, date(2026, 12, 1), m.id, NOW)
    return plan


# --------------------------------------------------------------------------- files


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (lock files included) by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(folder: Path) -> list[str]:
    """Leftover temp files of crypto.atomic_write anywhere under `folder`."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*.tmp"))


def flip(data: bytes, pos: int, mask: int) -> bytes:
    out = bytearray(data)
    out[pos] ^= mask
    return bytes(out)


# --------------------------------------------------------------------------- processes


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPTUI_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], *, stdin: str = "", timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`kiptui ARGS` in a real process, as a user or a script runs it."""
    return subprocess.run([sys.executable, "-m", "kiptui.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=timeout, cwd=cwd or ROOT)


def run_python(code: str, env: dict[str, str], *, args: list[str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *(args or [])], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The single `kiptui: ...` line a failed command must print (never a traceback)."""
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kiptui: "), proc.stderr
    return lines[0]


class Child:
    """tests/reliability/child.py in its own process, talked to line by line (bounded waits)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.child", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
        )
        self._buffer = b""

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def read(self, timeout: float = 60.0) -> str:
        """The next line the child (or one of its forks) wrote; fails after `timeout`."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(0.0, left))
            if not ready:
                raise AssertionError(f"no answer from the child within {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise AssertionError(f"the child ended: {err[-2000:]}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def has_line(self) -> bool:
        """Whether a whole line is waiting (never blocks)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                return True  # the end: read() will say why
            self._buffer += chunk
        return b"\n" in self._buffer

    def expect(self, prefix: str, timeout: float = 60.0) -> list[str]:
        line = self.read(timeout)
        words = line.split()
        assert words and words[0] == prefix, f"expected {prefix!r}, got {line!r}"
        return words[1:]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
