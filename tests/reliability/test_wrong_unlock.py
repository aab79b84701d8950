"""A wrong passphrase changes nothing: by the API, by every command that unlocks (real
processes), and at the unlock screens of the referent's app and the chair's view, every file
in the vault keeps its bytes, its inode and its modification time. The one documented
exception is the plaintext failed-unlock counter (no names in it), which the next successful
unlock puts in the access log and removes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from kiptui.accesslog import FAILED_FILE, Action
from kiptui.i18n import set_language
from kiptui.planjson import export_plan
from kiptui.vault import Vault, VaultError
from tests.agefiles import make_scrypt_file
from tests.reliability.common import NOW, PASS, clean_env, meeting_plan, one_line_error, run_cli

WRONG = "forkert adgangsfrase her"
BUNDLE_PASS = "blomst-kaffe-bjerg-lampe-svale"


def state(folder: Path) -> dict[str, tuple[bytes, int, int, int]]:
    """Every file: bytes, mode, inode, modification time."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[str(p.relative_to(folder))] = (p.read_bytes(), st.st_mode, st.st_ino, st.st_mtime_ns)
    return out


def counter(vault_path: Path) -> dict[str, Any]:
    data = json.loads((vault_path / FAILED_FILE).read_bytes())
    assert set(data) == {"count", "first", "last"}  # a number and two times, nothing else
    return data


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Vault, str, Path]:
    """A vault with two plans, a log, and one plan held open for writing (its lock file names
    the holder); the files a command could be given; a bundle to import."""
    set_language("da")
    vault = Vault.create(tmp_path / "vault", PASS)
    first, second = meeting_plan(), meeting_plan("Ida Krogh")
    vault.add_plan(first, NOW)
    vault.add_plan(second, NOW)
    vault.load_plan(first.id)
    held = vault.open_plan(second.id)
    held.plan.citizen.notes = "gemt"
    held.save(NOW)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "plan.json").write_text(export_plan(first, NOW), encoding="utf-8")
    from kiptui.bundle import bundle_payload

    (inputs / "plan.kipbundle").write_bytes(make_scrypt_file(bundle_payload(first), BUNDLE_PASS, log_n=10))
    return vault, first.id, inputs


def test_api_wrong_passphrase_changes_nothing_but_the_counter(setup: tuple[Vault, str, Path]) -> None:
    vault, _, _ = setup
    before = state(vault.path)
    for n in range(1, 4):
        with pytest.raises(VaultError) as err:
            Vault.unlock(vault.path, WRONG)
        assert err.value.code == "wrong_passphrase"
        after = state(vault.path)
        assert after.pop(FAILED_FILE) and after == before
        assert counter(vault.path)["count"] == n
    # an empty or almost-right passphrase is just as wrong
    for wrong in ("", PASS + " ", PASS.upper(), PASS[:-1]):
        with pytest.raises(VaultError):
            Vault.unlock(vault.path, wrong)
    assert counter(vault.path)["count"] == 7
    Vault.unlock(vault.path, PASS)  # logs the seven, then forgets them
    assert not (vault.path / FAILED_FILE).exists()
    failed = [e for e in Vault.unlock(vault.path, PASS).access_log.entries() if e.action == Action.FAILED_UNLOCKS]
    assert failed[-1].info["count"] == 7


def commands(plan_id: str, inputs: Path, out: Path) -> list[tuple[list[str], dict[str, str]]]:
    """Every command that unlocks the vault, with what it needs besides the passphrase."""
    bundle_env = {"KIPTUI_BUNDLE_PASSPHRASE": BUNDLE_PASS}
    return [
        (["list"], {}),
        (["verify"], {}),
        (["log", plan_id], {}),
        (["json", "export", plan_id, "-o", str(out / "plan.json")], {}),
        (["json", "import", str(inputs / "plan.json"), "--replace"], {}),
        (["minutes", plan_id, "-o", str(out / "referat.md")], {}),
        (["minutes", plan_id, "--html", "-o", str(out / "referat.html")], {}),
        (["bundle", "export", plan_id, "-o", str(out / "plan.kipbundle")], bundle_env),
        (["bundle", "import", str(inputs / "plan.kipbundle"), "--yes"], bundle_env),
        (["passwd"], {"KIPTUI_NEW_PASSPHRASE": "en helt ny og lang frase"}),
        (["follow", plan_id], {}),
    ]


def test_every_command_refuses_a_wrong_passphrase_and_changes_nothing(
        setup: tuple[Vault, str, Path], tmp_path: Path) -> None:
    vault, plan_id, inputs = setup
    out = tmp_path / "out"
    out.mkdir()
    before = state(vault.path)
    inputs_before = state(inputs)
    cases = commands(plan_id, inputs, out)
    for n, (args, extra) in enumerate(cases, start=1):
        proc = run_cli(args, clean_env(KIPTUI_VAULT=str(vault.path), KIPTUI_PASSPHRASE=WRONG, **extra))
        line = one_line_error(proc)
        assert proc.returncode == 3 and "Forkert adgangsfrase" in line, (args, line)
        after = state(vault.path)
        assert after.pop(FAILED_FILE) and after == before, args
        assert counter(vault.path)["count"] == n
    assert list(out.iterdir()) == []  # no export, no bundle written
    assert state(inputs) == inputs_before


async def test_the_unlock_screens_refuse_it_and_change_nothing(setup: tuple[Vault, str, Path]) -> None:
    from screens.app import KiptuiApp
    from screens.follow import FollowApp
    from screens.unlock import UnlockScreen
    from tests.ui.harness import screen_text

    vault, plan_id, _ = setup
    before = state(vault.path)
    apps: list[Any] = [KiptuiApp(vault.path), FollowApp(vault.path, plan_id),
                       KiptuiApp(vault.path, start_review=plan_id)]
    for n, app in enumerate(apps, start=1):
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            app.screen.query_one("#passphrase", Input).value = WRONG
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen) and app.vault is None
            assert "Forkert adgangsfrase" in screen_text(app)
        after = state(vault.path)
        assert after.pop(FAILED_FILE) and after == before
        assert counter(vault.path)["count"] == n


def test_a_damaged_key_file_is_not_counted_as_a_wrong_passphrase(setup: tuple[Vault, str, Path]) -> None:
    vault, _, _ = setup
    key = vault.path / "vault.kip"
    data = bytearray(key.read_bytes())
    data[30] ^= 0x01
    key.write_bytes(bytes(data))
    before = state(vault.path)
    proc = run_cli(["list"], clean_env(KIPTUI_VAULT=str(vault.path), KIPTUI_PASSPHRASE=WRONG))
    assert proc.returncode == 4 and "vault.kip" in one_line_error(proc)
    assert state(vault.path) == before  # no counter: damage is not an attempt
