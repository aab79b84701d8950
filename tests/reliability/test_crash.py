"""SIGKILL during saves: another process writes the plan (and with it the index and the access
log) in a loop and is killed at a random moment, again and again. After every kill:

* the plan loads (0 unreadable plans) and is one whole version (its text checks itself);
* `vault.verify()` is clean: what a crash may leave in the access log (one record beyond its
  head, or a torn one) is accepted, and the next append mends it and says so in the log
  (a LOG_REPAIRED entry) — never a restarted log, never files set aside;
* when the plan is next opened, the index lists it as it is on disk, and no temp file is left.

The writer is a fork of a process that unlocked the vault once (tests/reliability/child.py):
a PlanHandle loop with index and log writes, and, fewer times since each start costs a second,
the referent's app itself typing into the round with its own autosave. The control run makes
the same writer write plan files in place, and the same check catches it.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from kiptui.accesslog import SET_ASIDE_PREFIX, Action
from kiptui.model import Plan
from kiptui.vault import Vault, VaultError, summarise
from tests.reliability.child import check_filler
from tests.reliability.common import PASS, Child, clean_env, count, temp_files

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writers are forked")

KILLS = count(150, 500)
APP_KILLS = count(20, 100)


def kill_a_writer(child: Child, mode: str, seed: int, delay: float) -> None:
    """Fork a writer, wait until it has saved once, let it run `delay` seconds, SIGKILL it."""
    child.send(f"fork {mode} {seed}")
    pid = int(child.expect("forked")[0])
    line = child.read(timeout=120)
    assert line == f"ready {pid}", line
    time.sleep(delay)  # where the kill lands; any moment must be survivable
    os.kill(pid, signal.SIGKILL)
    child.send(f"reap {pid}")
    assert child.expect("reaped") == [str(pid), str(int(signal.SIGKILL))]


def unreadable(vault: Vault, plan_id: str) -> str:
    """Why the plan cannot be read, or "" when it can."""
    try:
        vault.load_plan(plan_id, log=False)
    except VaultError as err:
        return err.code
    return ""


def check_after_kill(vault: Vault, plan_id: str, *, self_checking: bool) -> bool:
    """Everything a kill may and may not leave; returns whether the log had a crash leftover."""
    plan = vault.load_plan(plan_id, log=False)
    if self_checking:
        assert check_filler(plan.citizen.notes), "a plan made of two versions"
    assert vault.verify() == []
    log = vault.access_log
    head = log.scan().head
    assert head is not None
    leftover = log.log_path.stat().st_size != head.size
    # the next append mends a leftover and says so; nothing else is ever repaired or restarted
    log.append(Action.VIEW, plan_id, info={"mode": "check"})
    entries = log.entries()
    assert (entries[-2].action == Action.LOG_REPAIRED) == leftover
    assert all(e.action != Action.LOG_RESTARTED for e in entries)
    assert not list(vault.path.glob(f"{SET_ASIDE_PREFIX}*"))
    # opening the plan brings the index up to date with the plan and clears temp files
    vault.open_plan(plan_id, log=False).close()
    assert vault.read_index()[plan_id] == summarise(plan)
    assert temp_files(vault.path) == []
    assert vault.verify() == []
    return leftover


def test_sigkill_during_saves_of_plan_index_and_log(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    rng = random.Random(20261123)
    leftovers = 0
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child.expect("unlocked")
        for n in range(KILLS):
            kill_a_writer(child, "handle", n, rng.uniform(0.0, 0.02))
            assert unreadable(vault, plan.id) == "", f"kill {n}"
            leftovers += check_after_kill(vault, plan.id, self_checking=True)
    assert vault.load_plan(plan.id, log=False).version > KILLS  # the writers really wrote
    assert leftovers  # and some kills did land between a log record and its head


def test_sigkill_during_the_apps_own_autosave(vault_and_plan: tuple[Vault, Plan]) -> None:
    """The real path: typing in the round, plan_changed, the autosave timer, snapshot on the UI
    thread, the encrypted write on the save thread; /aftale lines change the index summary."""
    vault, plan = vault_and_plan
    rng = random.Random(4711)
    versions = []
    with Child([str(vault.path), plan.id, "--ui"], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child.expect("unlocked")
        for n in range(APP_KILLS):
            kill_a_writer(child, "app", n, rng.uniform(0.0, 0.6))
            assert unreadable(vault, plan.id) == "", f"kill {n}"
            check_after_kill(vault, plan.id, self_checking=False)
            versions.append(vault.load_plan(plan.id, log=False).version)
    assert versions == sorted(versions) and versions[-1] > APP_KILLS
    assert len(vault.load_plan(plan.id, log=False).agreements) > 1  # /aftale lines were saved


def test_control_the_harness_catches_a_writer_that_writes_in_place(
        vault_and_plan: tuple[Vault, Plan]) -> None:
    """The same kills and the same check, with plan files written in place (open, truncate,
    write in pieces), as TinyDB's JSONStorage or a naive "save" does: torn plans are found."""
    vault, plan = vault_and_plan
    rng = random.Random(20261123)
    found = ""
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child.expect("unlocked")
        for n in range(200):
            kill_a_writer(child, "naive", n, rng.uniform(0.0, 0.02))
            found = unreadable(vault, plan.id)
            if found:
                break
    assert found == "damaged"
