"""The other process of the reliability tests: it unlocks a vault once, then on commands from
stdin forks writers to be killed, writes a series of saves, or holds a plan open.

    python -m tests.reliability.child VAULT PLAN_ID      (passphrase in KIPTUI_PASSPHRASE)

Commands, one a line; answers, one a line, on stdout:

    fork MODE SEED   a forked writer that saves until it is killed  -> forked PID, then
                     (from the writer, after its first save)          ready PID
                     MODE: handle (a PlanHandle loop with index and access-log writes),
                     naive (the same, but plan files written in place: the control),
                     app (the referent's app, typing, with its own autosave)
    reap PID         wait for a killed writer                        -> reaped PID SIGNAL
    saves N          N saves of self-checking content, then          -> saved N VERSION
    renames N NAME   N saves, each renaming the citizen "NAME i"     -> renamed N
    hold             open the plan for writing and keep it open      -> held | refused CODE
    release          close it                                        -> released
    rlimit           RLIMIT_CORE of this (unlocked) process          -> rlimit SOFT HARD
    quit

Forking happens before any thread exists in this process (the app's threads start only in
the forked writer), so the writers are ordinary single-threaded copies.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import sys
from pathlib import Path

from kiptui import crypto
from kiptui.accesslog import Action, Purpose
from kiptui.vault import PlanHandle, Vault, VaultError


def say(line: str) -> None:
    os.write(1, line.encode() + b"\n")


def filler(n: int) -> str:
    """Self-checking text for save n: its own number, then a size that goes up and down
    (0-48 KB), so that both growing and shrinking writes happen."""
    size = (n * 7919) % 13 * 4000
    return f"{n}:" + hashlib.sha256(str(n).encode()).hexdigest()[:16] * (size // 16)


def check_filler(text: str) -> bool:
    head, _, _ = text.partition(":")
    return head.isdigit() and text == filler(int(head))


def handle_loop(vault: Vault, plan_id: str, seed: int) -> None:
    rng = random.Random(seed)
    handle = vault.open_plan(plan_id)
    n = rng.randrange(1_000_000)
    first = True
    while True:
        n += 1
        handle.plan.citizen.notes = filler(n)
        handle.plan.citizen.name = f"Mikkel Sørensen {n % 97}"  # the index summary changes too
        handle.save()
        vault.log_event(Action.EXPORT, plan_id, Purpose.OTHER, info={"n": n})
        if first:
            say(f"ready {os.getpid()}")
            first = False
        if n % 10 == 0:  # close and open again: stale temps removed, the lock taken again
            handle.close()
            handle = vault.open_plan(plan_id)


def naive_write(path: Path, data: bytes) -> None:
    """How not to write (TinyDB's JSONStorage, most editors' "save"): in place, in pieces."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for start in range(0, len(data), 512):
            os.write(fd, data[start : start + 512])
        os.fsync(fd)
    finally:
        os.close(fd)


def app_loop(vault: Vault, plan_id: str, seed: int) -> None:
    import asyncio

    from screens.app import KiptuiApp
    from screens.situation_round import RoundNote

    rng = random.Random(seed)
    words = ["borger", "bolig", "job", "læge", "mor", "støtte", "æble", "øje", "ål"]

    async def drive() -> None:
        app = KiptuiApp(vault.path, vault=vault, autosave_delay=0.001, idle_lock_seconds=0)
        async with app.run_test(size=(120, 36)) as pilot:
            app.open_plan(plan_id, tab="round")
            await pilot.pause()
            note = app.screen.query_one("#pane-round").query(RoundNote).first()
            note.focus()
            note.move_cursor(note.document.end)
            await pilot.press(*rng.choice(words), "space")
            while not app.saves:  # the parent waits (bounded) for this line
                await pilot.pause(0.01)
            say(f"ready {os.getpid()}")
            n = 0
            while True:
                n += 1
                if n % 2:  # an agreement (pasted, then Enter): the index summary changes too
                    await pilot.press("enter")
                    note.insert(f"/aftale R{n} @Lone")
                    await pilot.press("enter")
                else:
                    await pilot.press(*rng.choice(words), "space")
                await pilot.pause()

    asyncio.run(drive())


def writer(vault: Vault, plan_id: str, mode: str, seed: int) -> None:
    if mode == "naive":
        real = crypto.atomic_write

        def write(path: Path, data: bytes) -> None:
            (naive_write if path.parent.name == "plans" else real)(path, data)

        crypto.atomic_write = write
    if mode == "app":
        app_loop(vault, plan_id, seed)
    else:
        handle_loop(vault, plan_id, seed)


def saves(vault: Vault, plan_id: str, n: int) -> int:
    handle = vault.open_plan(plan_id)
    try:
        for _ in range(n):
            handle.plan.citizen.notes = filler(handle.plan.version + 1)
            handle.save()
        return handle.plan.version
    finally:
        handle.close()


def preload_ui() -> None:
    """Import the app's screens once here, so that a forked writer starts at once."""
    import importlib

    from screens.meeting import TABS

    for module in ["screens.app", "screens.plans", "screens.review", *(m for _, m, _, _ in TABS)]:
        importlib.import_module(module)


def main() -> int:
    vault_path, plan_id = Path(sys.argv[1]), sys.argv[2]
    if "--ui" in sys.argv:
        preload_ui()
    vault = Vault.unlock(vault_path, os.environ["KIPTUI_PASSPHRASE"])
    held: PlanHandle | None = None
    say(f"unlocked {os.getpid()}")
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command = words[0]
        if command == "fork":
            mode, seed = words[1], int(words[2])
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(0)
                    writer(vault, plan_id, mode, seed)
                except BaseException as err:  # noqa: BLE001 - said, then gone
                    say(f"error {os.getpid()} {type(err).__name__}: {err}".replace("\n", " "))
                finally:
                    os._exit(1)
            say(f"forked {pid}")
        elif command == "reap":
            pid = int(words[1])
            _, status = os.waitpid(pid, 0)
            sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)
            say(f"reaped {pid} {sig}")
        elif command == "saves":
            say(f"saved {words[1]} {saves(vault, plan_id, int(words[1]))}")
        elif command == "renames":
            handle = vault.open_plan(plan_id)
            for i in range(int(words[1])):
                handle.plan.citizen.name = f"{words[2]} {i}"
                handle.save()
            handle.close()
            say(f"renamed {words[1]}")
        elif command == "hold":
            try:
                held = vault.open_plan(plan_id)
                say("held")
            except VaultError as err:
                say(f"refused {err.code} {err.message}".replace("\n", " "))
        elif command == "release":
            if held is not None:
                held.close()
                held = None
            say("released")
        elif command == "rlimit":
            soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
            say(f"rlimit {soft} {hard}")
        elif command == "quit":
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
