"""Readers during saves: while another process saves the plan again and again (growing and
shrinking it by up to 48 KB), a reader loop (Vault.load_plan_data and Vault.load_plan) and the
chair's follow view, polling every 10 ms, never see a torn state: no failed read at all (the
view would retry one, and only call a file damaged after three), versions only go up, and every
plan read is one whole version (its text names its own version).
"""

from __future__ import annotations

import time
from typing import Any


from kiptui.model import Plan
from kiptui.vault import Vault
from screens.follow import FollowApp
from tests.reliability.child import check_filler
from tests.reliability.common import PASS, Child, clean_env, count

SAVES = count(300, 1000)
LIMIT = 300.0  # seconds: a bound for the writer to finish, never a condition of the result


def whole(data: dict[str, Any]) -> bool:
    """A plan as saved by the writer: its notes were written for exactly its version."""
    notes = data["citizen"]["notes"]
    return data["version"] == 1 if not notes else check_filler(notes) and notes.startswith(f"{data['version']}:")


def test_a_reader_loop_during_saves_sees_no_torn_state(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    versions: list[int] = []
    reads = 0
    with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as writer:
        writer.expect("unlocked")
        writer.send(f"saves {SAVES}")
        deadline = time.monotonic() + LIMIT
        while not writer.has_line():
            assert time.monotonic() < deadline, "the writer did not finish"
            data, history = vault.load_plan_data(plan.id)  # raises on anything torn
            assert whole(data) and history == []
            versions.append(data["version"])
            if reads % 5 == 0:
                loaded = vault.load_plan(plan.id)
                assert loaded.version >= data["version"] and whole({"version": loaded.version,
                                                                      "citizen": {"notes": loaded.citizen.notes}})
            reads += 1
        last = int(writer.expect("saved")[1])
    assert versions == sorted(versions)  # never an older version after a newer one
    assert last == 1 + SAVES and vault.load_plan(plan.id).version == last
    assert len(set(versions)) > 1  # the reads did happen during the saves


async def test_the_follow_view_during_saves_sees_no_torn_state(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    loaded: list[FollowApp.Loaded] = []

    def hook(message: Any) -> None:
        if isinstance(message, FollowApp.Loaded):
            loaded.append(message)

    app = FollowApp(vault.path, plan.id, vault=vault, poll_interval=0.01)
    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        with Child([str(vault.path), plan.id], clean_env(KIPTUI_PASSPHRASE=PASS)) as writer:
            writer.expect("unlocked")
            writer.send(f"saves {SAVES}")
            deadline = time.monotonic() + LIMIT
            while not writer.has_line():
                assert time.monotonic() < deadline, "the writer did not finish"
                await pilot.pause(0.01)
                assert app.state.file in ("loading", "ok"), app.state
            last = int(writer.expect("saved")[1])
        while app.shown_version != last:  # the view catches up with the last save
            assert time.monotonic() < deadline, "the view did not catch up"
            await pilot.pause(0.02)
        assert app.is_running
    errors = [(m.error, m.detail) for m in loaded if m.error]
    assert errors == []
    shown = [m.plan.version for m in loaded if m.plan is not None]
    assert shown == sorted(shown) and len(set(shown)) > 2
