"""One writer per plan, across processes: a second writer is refused with a message naming the
holder (by the API, the command line and the app), of several processes racing for a plan
exactly one wins, a killed writer's lock goes with it, two writers of different plans never
lose each other's index entry; and core dumps are off while a vault is unlocked.
"""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pytest

from kiptui.model import Plan
from kiptui.planjson import export_plan
from kiptui.vault import Vault, VaultError
from tests.reliability.common import (
    NOW,
    PASS,
    Child,
    clean_env,
    count,
    meeting_plan,
    one_line_error,
    run_cli,
    run_python,
)


def test_a_writer_in_another_process_refuses_us_and_we_refuse_it(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    mine = vault.open_plan(plan.id)
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child_pid = int(child.expect("unlocked")[0])
        child.send("hold")
        words = child.expect("refused")
        assert words[0] == "plan_locked" and f"pid {os.getpid()}" in " ".join(words)
        mine.close()
        child.send("hold")
        child.expect("held")
        with pytest.raises(VaultError) as err:
            vault.open_plan(plan.id)
        assert err.value.code == "plan_locked" and f"pid {child_pid}" in err.value.message
        assert vault.load_plan(plan.id).id == plan.id  # readers are never refused
        child.send("release")
        child.expect("released")
    vault.open_plan(plan.id).close()


def test_the_command_line_and_the_app_are_refused_while_another_process_writes(
        vault_and_plan: tuple[Vault, Plan], tmp_path: Path) -> None:
    vault, plan = vault_and_plan
    source = tmp_path / "plan.json"
    source.write_text(export_plan(plan, NOW), encoding="utf-8")
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child_pid = int(child.expect("unlocked")[0])
        child.send("hold")
        child.expect("held")
        before = vault.plan_path(plan.id).read_bytes()
        proc = run_cli(["json", "import", str(source), "--replace"],
                       clean_env(KIPTUI_VAULT=str(vault.path), KIPTUI_PASSPHRASE=PASS))
        line = one_line_error(proc)
        assert proc.returncode == 5 and f"pid {child_pid}" in line
        assert vault.plan_path(plan.id).read_bytes() == before
        import asyncio

        asyncio.run(_app_is_refused(vault, plan.id, child_pid))


async def _app_is_refused(vault: Vault, plan_id: str, holder_pid: int) -> None:
    from screens.app import KiptuiApp
    from screens.plans import PlansScreen

    app = KiptuiApp(vault.path, vault=vault)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        app.screen.open(plan_id)
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen) and app.handle is None
        assert any(f"pid {holder_pid}" in str(n.message) for n in app._notifications)


def test_of_racing_writers_exactly_one_wins(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    children = [Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) for _ in range(4)]
    try:
        for child in children:
            child.expect("unlocked")
        for child in children:
            child.send("hold")
        answers = [child.read().split()[0] for child in children]
        assert sorted(answers) == ["held", "refused", "refused", "refused"]
    finally:
        for child in children:
            child.close()


def test_a_killed_writer_does_not_keep_the_plan(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    child = Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS))
    try:
        pid = int(child.expect("unlocked")[0])
        child.send("hold")
        child.expect("held")
        os.kill(pid, signal.SIGKILL)
        child.proc.wait(timeout=30)
    finally:
        child.close()
    vault.open_plan(plan.id).close()  # the OS dropped the lock with the process


def test_two_writers_of_different_plans_lose_no_index_entry(vault_and_plan: tuple[Vault, Plan]) -> None:
    """Each save renames its citizen, so each save is a read-modify-write of the one index."""
    vault, first = vault_and_plan
    second = meeting_plan("Ida Krogh")
    vault.add_plan(second, NOW)
    n = count(100, 400)
    env = clean_env(KIPTUI_PASSPHRASE=PASS)
    with Child([str(vault.path), first.id], env) as a, Child([str(vault.path), second.id], env) as b:
        a.expect("unlocked")
        b.expect("unlocked")
        a.send(f"renames {n} Anna")
        b.send(f"renames {n} Bo")
        a.expect("renamed")
        b.expect("renamed")
    index = vault.read_index()
    assert index[first.id]["citizen"] == f"Anna {n - 1}"
    assert index[second.id]["citizen"] == f"Bo {n - 1}"
    assert vault.verify() == []


# --------------------------------------------------------------------------- core dumps


CORE = """
import resource, sys
real = resource.setrlimit
for limits in ((resource.RLIM_INFINITY,) * 2, (resource.getrlimit(resource.RLIMIT_CORE)[1],) * 2):
    try:
        real(resource.RLIMIT_CORE, limits)
        break
    except (ValueError, OSError):
        pass
before = resource.getrlimit(resource.RLIMIT_CORE)
calls = []
resource.setrlimit = lambda which, limits: (calls.append((which, tuple(limits))), real(which, limits))
{action}
print(*before, *resource.getrlimit(resource.RLIMIT_CORE), (resource.RLIMIT_CORE, (0, 0)) in calls)
"""
ACTIONS = {
    "create": "from kiptui.vault import Vault; Vault.create(sys.argv[1] + '-new', sys.argv[2])",
    "unlock": "from kiptui.vault import Vault; Vault.unlock(sys.argv[1], sys.argv[2])",
    "cli": ("import os; os.environ.update(KIPTUI_VAULT=sys.argv[1], KIPTUI_PASSPHRASE=sys.argv[2]); "
            "from kiptui.cli import main; assert main(['list']) == 0"),
}


@pytest.mark.parametrize("how", ACTIONS)
def test_core_dumps_are_off_while_unlocked(vault_and_plan: tuple[Vault, Plan], how: str) -> None:
    """In a fresh process: RLIMIT_CORE is (0, 0) once the vault is unlocked, set by the unlock
    itself (its setrlimit call is recorded). Where the process could raise the limit first,
    the change is seen too; a child of this test process may not (it inherits the hard limit
    0 of the vaults unlocked here, and raising a hard limit needs CAP_SYS_RESOURCE)."""
    vault, _ = vault_and_plan
    proc = run_python(CORE.format(action=ACTIONS[how]), clean_env(), args=[str(vault.path), PASS])
    assert proc.returncode == 0, proc.stderr
    *limits, called = proc.stdout.split()[-5:]
    before_soft, before_hard, soft, hard = (int(x) for x in limits)
    assert (soft, hard) == (0, 0) and called == "True"
    assert (before_soft, before_hard) != (0, 0) or resource.getrlimit(resource.RLIMIT_CORE)[1] == 0


def test_the_writer_process_of_the_other_tests_runs_without_core_dumps(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as child:
        child.expect("unlocked")
        child.send("rlimit")
        assert child.expect("rlimit") == ["0", "0"]
