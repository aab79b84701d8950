"""The encrypted vault: round trips, wrong passphrases, tampering, truncation, crashes during
saves, the writer lock, plaintext canaries and how often the key is derived."""

from __future__ import annotations

import os
import random
import signal
import stat
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiptui import crypto
from kiptui.model import Contact, Plan, Sector, plan_to_dict
from kiptui.vault import Vault, VaultError

PASS = "korrekt hest batteri klips"
NOW = datetime(2026, 11, 23, 10, 0)
CANARY = "KANARIEFUGL-7f3a9c-Sørensen"


def small_plan(name: str = "Mikkel Sørensen") -> Plan:
    plan = Plan()
    plan.citizen.name = name
    plan.citizen.cpr = "010190-0000"
    plan.add_contact(Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY, organisation="Kommunen"))
    return plan


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault.create(tmp_path / "v", PASS)


def snapshot_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_round_trip_and_list(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    again = Vault.unlock(vault.path, PASS)
    loaded = again.load_plan(plan.id)
    assert plan_to_dict(loaded) == plan_to_dict(plan)
    [summary] = again.list_plans()
    assert summary.citizen == "Mikkel Sørensen"
    assert again.find("sør") == plan.id
    assert again.find(plan.id[:5]) == plan.id


def test_file_modes_and_names_reveal_nothing(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    assert stat.S_IMODE(vault.path.stat().st_mode) == 0o700
    for p in vault.path.rglob("*"):
        if p.is_file():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        assert "mikkel" not in p.name.lower() and "sørensen" not in p.name.lower()


def test_wrong_passphrase_changes_nothing(vault: Vault) -> None:
    vault.add_plan(small_plan(), NOW)
    before = snapshot_bytes(vault.path)
    with pytest.raises(VaultError) as err:
        Vault.unlock(vault.path, "forkert adgangsfrase her")
    assert err.value.code == "wrong_passphrase"
    after = snapshot_bytes(vault.path)
    counter = after.pop("failed-unlocks.json")  # the plaintext failed-unlock counter, only
    assert after == before
    assert counter.startswith(b'{"count": 1,')


def test_weak_passphrase_refused(tmp_path: Path) -> None:
    for weak, code in [("kort", "weak_short"), ("aaaaaaaaaaaaaaa", "weak_repetitive"),
                       ("123456789012345", "weak_digits")]:
        with pytest.raises(VaultError) as err:
            Vault.create(tmp_path / weak, weak)
        assert err.value.code == code
        assert not (tmp_path / weak / "vault.kip").exists()


def test_kdf_runs_once_per_unlock_and_never_per_save(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    before = crypto.kdf_calls
    v = Vault.unlock(vault.path, PASS)
    assert crypto.kdf_calls == before + 1
    handle = v.open_plan(plan.id)
    for n in range(20):
        handle.plan.citizen.notes = f"note {n}"
        assert handle.save(NOW)
    handle.close()
    v.list_plans()
    v.load_plan(plan.id)
    assert crypto.kdf_calls == before + 1


def test_kdf_parameters_meet_rfc9106() -> None:
    p = crypto.KdfParams()
    assert p.memory_kib >= 64 * 1024 and p.iterations >= 3 and p.lanes >= 4


@pytest.mark.parametrize("which", ["key", "index", "plan"])
def test_every_single_byte_flip_is_detected(vault: Vault, which: str) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    path = {"key": vault.path / "vault.kip", "index": vault.path / "index.kip",
            "plan": vault.plan_path(plan.id)}[which]
    original = path.read_bytes()
    assert len(original) < 4096  # small file: every position is tried
    # The key file needs a fresh unlock (Argon2id) per flip; sample it, flip all others.
    positions = range(len(original)) if which != "key" else sorted(
        set(range(0, len(original), 7)) | {0, len(original) - 1}
    )
    for pos in positions:
        damaged = bytearray(original)
        damaged[pos] ^= 0x01
        path.write_bytes(bytes(damaged))
        with pytest.raises(VaultError) as err:
            if which == "key":
                Vault.unlock(vault.path, PASS)
            elif which == "index":
                vault.read_index()
            else:
                vault.load_plan(plan.id)
        assert err.value.code in {"damaged", "unsupported_version", "wrong_vault", "kdf_params"}, pos
    path.write_bytes(original)
    assert vault.load_plan(plan.id).citizen.name == plan.citizen.name


def test_truncation_and_trailing_garbage_detected(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    path = vault.plan_path(plan.id)
    original = path.read_bytes()
    for cut in [0, 1, 10, crypto.HEADER_SIZE, len(original) // 2, len(original) - 1]:
        path.write_bytes(original[:cut])
        with pytest.raises(VaultError) as err:
            vault.load_plan(plan.id)
        assert err.value.code == "damaged"
    path.write_bytes(original + b"\x00")
    with pytest.raises(VaultError):
        vault.load_plan(plan.id)
    path.write_bytes(original)


def test_plan_files_cannot_be_swapped(vault: Vault) -> None:
    a, b = small_plan("Anna A"), small_plan("Bo B")
    vault.add_plan(a, NOW)
    vault.add_plan(b, NOW)
    pa, pb = vault.plan_path(a.id), vault.plan_path(b.id)
    pa.write_bytes(pb.read_bytes())
    with pytest.raises(VaultError) as err:
        vault.load_plan(a.id)
    assert err.value.code == "damaged"


def test_file_from_another_vault(tmp_path: Path) -> None:
    v1 = Vault.create(tmp_path / "a", PASS)
    v2 = Vault.create(tmp_path / "b", PASS)
    plan = small_plan()
    v1.add_plan(plan, NOW)
    v2.add_plan(plan, NOW)
    v2.plan_path(plan.id).write_bytes(v1.plan_path(plan.id).read_bytes())
    with pytest.raises(VaultError) as err:
        v2.load_plan(plan.id)
    assert err.value.code == "wrong_vault"


def test_unsupported_version(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    path = vault.plan_path(plan.id)
    data = bytearray(path.read_bytes())
    data[6] = 99
    path.write_bytes(bytes(data))
    with pytest.raises(VaultError) as err:
        vault.load_plan(plan.id)
    assert err.value.code == "unsupported_version"


def test_second_writer_refused_with_holder(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    first = vault.open_plan(plan.id)
    with pytest.raises(VaultError) as err:
        vault.open_plan(plan.id)
    assert err.value.code == "plan_locked"
    assert f"pid {os.getpid()}" in err.value.message
    # readers are never refused
    assert vault.load_plan(plan.id).id == plan.id
    first.close()
    vault.open_plan(plan.id).close()


def test_save_only_when_changed_and_version_bumps(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    h = vault.open_plan(plan.id)
    v0 = h.plan.version
    assert h.save(NOW) is False
    h.plan.citizen.address = "Vej 1"
    assert h.save(NOW) is True
    assert h.plan.version == v0 + 1
    h.close()
    assert vault.load_plan(plan.id).version == v0 + 1


def test_import_replace_keeps_history(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    with pytest.raises(VaultError) as err:
        vault.import_plan(plan)
    assert err.value.code == "plan_exists"
    newer = small_plan()
    newer.id = plan.id
    newer.citizen.address = "Ny vej 2"
    vault.import_plan(newer, replace=True, now=NOW)
    assert vault.load_plan(plan.id).citizen.address == "Ny vej 2"
    [old] = vault.plan_history(plan.id)
    assert old["plan"]["citizen"]["address"] == ""
    assert vault.find("Mikkel") == plan.id


def test_passwd_rewraps_only_the_key(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    plan_bytes = vault.plan_path(plan.id).read_bytes()
    vault.change_passphrase("en helt ny og lang frase")
    assert vault.plan_path(plan.id).read_bytes() == plan_bytes
    with pytest.raises(VaultError):
        Vault.unlock(vault.path, PASS)
    assert Vault.unlock(vault.path, "en helt ny og lang frase").load_plan(plan.id).id == plan.id


def test_canary_never_in_clear(vault: Vault, tmp_path: Path) -> None:
    plan = small_plan(CANARY)
    plan.citizen.notes = CANARY * 50
    vault.add_plan(plan, NOW)
    h = vault.open_plan(plan.id)
    for n in range(5):
        h.plan.citizen.address = f"{CANARY} {n}"
        h.save(NOW)
    h.close()
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"Mikkel", b"010190"]
    for p in tmp_path.rglob("*"):
        if p.is_file():
            blob = p.read_bytes()
            for needle in needles:
                assert needle not in blob, (p, needle)


def test_stale_temp_files_removed_on_open(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    stale = vault.plans_dir / f".{plan.id}.kip.abc123.tmp"
    stale.write_bytes(b"ciphertext from a crash")
    vault.open_plan(plan.id).close()
    assert not stale.exists()


def test_verify_reports_damage(vault: Vault) -> None:
    a, b = small_plan("A a"), small_plan("B b")
    vault.add_plan(a, NOW)
    vault.add_plan(b, NOW)
    assert vault.verify() == []
    path = vault.plan_path(b.id)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    problems = vault.verify()
    assert [name for name, _ in problems] == [path.name]


def test_sigkill_during_saves_never_leaves_an_unreadable_plan(vault: Vault) -> None:
    """A child process (forked, with the vault unlocked) saves in a tight loop; the parent
    kills it with SIGKILL at random moments, then the plan must always load."""
    kills = int(os.environ.get("KIPTUI_KILLS", "120"))
    plan = small_plan()
    vault.add_plan(plan, NOW)
    rng = random.Random(1234)
    versions = []
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:  # child: save forever, bigger and smaller plans
            try:
                h = vault.open_plan(plan.id)
                n = 0
                while True:
                    n += 1
                    h.plan.citizen.notes = "x" * (n % 7 * 5000) + str(n)
                    h.save(NOW)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        loaded = vault.load_plan(plan.id)  # must never raise
        versions.append(loaded.version)
    assert max(versions) > 1  # the children really did save
    assert vault.verify() == []


def test_harness_catches_a_non_atomic_writer(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: writing in place (as TinyDB's JSONStorage does) is caught by the same check."""
    plan = small_plan()
    vault.add_plan(plan, NOW)

    real_write = crypto.atomic_write

    def torn_write(path: Path, data: bytes) -> None:
        if path.parent.name != "plans":  # the control is about plan files (not the access log)
            return real_write(path, data)
        with open(path, "r+b") as fh:  # in place, and a crash after half
            fh.write(data[: len(data) // 2])
            fh.truncate()

    monkeypatch.setattr(crypto, "atomic_write", torn_write)
    h = vault.open_plan(plan.id)
    h.plan.citizen.notes = "ny tekst"
    h.save(NOW)
    h.close()
    with pytest.raises(VaultError):
        vault.load_plan(plan.id)


def test_failed_write_leaves_old_file(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    before = vault.plan_path(plan.id).read_bytes()
    h = vault.open_plan(plan.id)

    def enospc(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", enospc)
    h.plan.citizen.notes = "tekst der ikke må gå tabt"
    with pytest.raises(OSError):
        h.save(NOW)
    monkeypatch.undo()
    assert vault.plan_path(plan.id).read_bytes() == before
    assert not list(vault.plans_dir.glob("*.tmp"))
    assert h.plan.citizen.notes == "tekst der ikke må gå tabt"  # still in memory
    h.close()


def test_a_failed_write_is_retried_by_the_next_save(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a failed write the next save must not think there is nothing to write."""
    plan = small_plan()
    vault.add_plan(plan, NOW)
    h = vault.open_plan(plan.id)
    h.plan.citizen.notes = "vigtig tekst"

    def eio(*_a: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", eio)
    with pytest.raises(OSError):
        h.save(NOW)
    monkeypatch.undo()
    assert h.save(NOW) is True
    h.close()
    assert vault.load_plan(plan.id).citizen.notes == "vigtig tekst"
