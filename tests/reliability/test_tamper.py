"""Every single-bit flip, every truncation and trailing garbage in every kind of file is detected:
the key file, the index, a plan and its archive, the access log and its head, and a bundle.

tests/test_vault.py flips one bit (0x01) per byte of key file, index and plan and cuts a plan at
a few places; tests/test_bundle.py flips two bits per byte of a bundle's header and a few in
its payload. Here: all eight bits of every byte, every length a file can be cut to, and several
kinds of garbage after it, for the vault's six kinds of file; for a bundle (binary and armored),
one bit of every byte and every cut with KIPTUI_FULL=1, a seeded sample of them in CI (each case
past the header costs a scrypt derivation).

The key file is checked twice: as damage (its checksum catches every flip before any Argon2id
is run, which is counted) and as tampering by someone who recomputes that unkeyed checksum
(then only the AEAD tag under the passphrase's key can tell; each case costs an Argon2id, so
positions are sampled in CI and all tried in the full run).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiptui import crypto
from kiptui.accesslog import SET_ASIDE_PREFIX, Action
from kiptui.bundle import BundleError, armor, bundle_payload, open_bundle
from kiptui.i18n import set_language
from kiptui.model import MeetingStatus
from kiptui.vault import Vault, VaultError
from tests.agefiles import make_scrypt_file
from tests.reliability.common import FULL, NOW, PASS, flip, meeting_plan, tree

BITS = (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)
BUNDLE_PASS = "blomst-kaffe-bjerg-lampe-svale"
DAMAGE = {"damaged", "unsupported_version", "wrong_vault", "kdf_params"}


@pytest.fixture(autouse=True)
def _danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language("da")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A vault with a plan, a view and an export in its log; made once (one Argon2id)."""
    path = tmp_path_factory.mktemp("template") / "vault"
    vault = Vault.create(path, PASS)
    plan = meeting_plan()
    vault.add_plan(plan, NOW)
    vault.load_plan(plan.id)
    vault.log_event(Action.EXPORT, plan.id, "other", info={"format": "json"})
    assert vault.verify() == []
    return path, vault._data_key_for_rewrap()


@pytest.fixture
def vault(template: tuple[Path, bytes], tmp_path: Path) -> Vault:
    """A copy of the template, opened with its data key."""
    shutil.copytree(template[0], tmp_path / "vault")
    return Vault(tmp_path / "vault", template[1])


def garbage(original: bytes) -> list[bytes]:
    """Things found after the end of a file: a byte, a line end, zeros, text, every byte value,
    random bytes, the file once more."""
    rng = random.Random(len(original))
    return [b"\x00", b"\n", b"\x00" * 4096, b"Sendt fra min iPhone\n", bytes(range(256)),
            rng.randbytes(1000), original]


def variants(original: bytes, bits: tuple[int, ...] = BITS) -> Iterator[tuple[str, int, bytes]]:
    """Every single-bit flip, every truncation, the garbage cases, as in-place edits:
    (description, offset, bytes written there; the file is cut there when they are empty)."""
    for pos in range(len(original)):
        for bit in bits:
            yield f"flip {pos}^{bit:#04x}", pos, bytes([original[pos] ^ bit])
    for cut in range(len(original)):
        yield f"cut at {cut}", cut, b""
    for n, tail in enumerate(garbage(original)):
        yield f"garbage {n}", len(original), tail


def each_variant(path: Path, detected: Callable[[], bool], bits: tuple[int, ...] = BITS,
                 *, skip_garbage: bool = False) -> int:
    """Make the file at `path` each variant in turn (edited in place: rewriting the whole file
    thousands of times would cost more than the checks) and ask `detected()`; restore it."""
    original = path.read_bytes()
    assert len(original) < 8192  # small: every position is tried
    tried = 0
    fd = os.open(path, os.O_RDWR)
    try:
        for what, at, data in variants(original, bits):
            if skip_garbage and what.startswith("garbage"):
                continue
            if data:
                os.pwrite(fd, data, at)
            else:
                os.ftruncate(fd, at)
            assert detected(), f"{path.name}: {what} went unnoticed"
            os.pwrite(fd, original[at : at + len(data)] if data else original[at:], at)
            os.ftruncate(fd, len(original))
            tried += 1
    finally:
        os.close(fd)
        path.write_bytes(original)
    assert path.read_bytes() == original
    return tried


def raises_damage(call: Callable[[], object]) -> bool:
    try:
        call()
    except VaultError as err:
        return err.code in DAMAGE
    return False


# --------------------------------------------------------------------------- the key file


def test_key_file_damage_is_found_before_any_key_derivation(vault: Vault) -> None:
    path = vault.path / "vault.kip"
    others = {k: v for k, v in tree(vault.path).items() if k != "vault.kip"}
    calls = crypto.kdf_calls
    tried = each_variant(path, lambda: raises_damage(lambda: Vault.unlock(vault.path, PASS)))
    assert tried == len(path.read_bytes()) * (len(BITS) + 1) + len(garbage(b""))
    assert crypto.kdf_calls == calls  # the checksum caught every one: no Argon2id was run
    # damage is not a wrong passphrase: no failed attempt counted, no file touched
    assert {k: v for k, v in tree(vault.path).items() if k != "vault.kip"} == others


def rechecksummed(blob: bytes, pos: int) -> bytes:
    body = flip(blob[:-32], pos, 0x01)
    return body + hashlib.sha256(body).digest()


KEY_BODY = crypto.KEYFILE_SIZE - 32
# one position in every field of the key file: magic, version, kind, memory (low and high
# byte), iterations, lanes, salt, nonce, the wrapped key and its tag
KEY_SAMPLE = [0, 6, 7, 8, 11, 15, 19, 20, 35, 36, 47, 48, 79, 95]


@pytest.mark.parametrize("pos", range(KEY_BODY) if FULL else KEY_SAMPLE)
def test_key_file_tampering_with_a_recomputed_checksum_never_unlocks(vault: Vault, pos: int) -> None:
    path = vault.path / "vault.kip"
    original = path.read_bytes()
    path.write_bytes(rechecksummed(original, pos))
    with pytest.raises(VaultError) as err:
        Vault.unlock(vault.path, PASS)
    # an altered salt, nonce, parameter or wrapped key fails the tag: indistinguishable from a
    # wrong passphrase (the unkeyed checksum is for accidents, the tag is the protection)
    assert err.value.code in DAMAGE | {"wrong_passphrase"}


# --------------------------------------------------------------------------- index and plan


def test_index_every_flip_cut_and_garbage(vault: Vault) -> None:
    path = vault.path / "index.kip"
    each_variant(path, lambda: raises_damage(vault.read_index))
    assert vault.verify() == []
    path.write_bytes(path.read_bytes()[:-1])
    assert vault.verify()[0][0] == "index.kip"


def test_plan_every_flip_cut_and_garbage(vault: Vault) -> None:
    plan_id = vault.list_plans()[0].id
    path = vault.plan_path(plan_id)
    each_variant(path, lambda: raises_damage(lambda: vault.load_plan(plan_id, log=False)))
    # the open for writing refuses it just the same (and keeps no lock)
    path.write_bytes(flip(path.read_bytes(), 40, 0x80))
    with pytest.raises(VaultError):
        vault.open_plan(plan_id)
    assert [name for name, _ in vault.verify()] == [path.name]


def test_archive_every_flip_cut_and_garbage(vault: Vault) -> None:
    """The plan's archive (its frozen versions), empty and holding the version of a closed
    meeting: every change is found by the reader, by verify, and by the write that adds to it."""
    plan_id = vault.list_plans()[0].id
    path = vault.archive_path(plan_id)
    each_variant(path, lambda: raises_damage(lambda: vault._read_archive(plan_id)))
    handle = vault.open_plan(plan_id)
    try:
        meeting = handle.plan.meetings[-1]
        meeting.status, meeting.closed_at = MeetingStatus.CLOSED, NOW
        handle.freeze(meeting.id)
        handle.save(NOW)
    finally:
        handle.close()
    assert vault.frozen_plan(plan_id, meeting.id) is not None
    each_variant(path, lambda: raises_damage(lambda: vault.frozen_plan(plan_id, meeting.id)),
                 BITS if FULL else (0x01, 0x80))
    path.write_bytes(flip(path.read_bytes(), 40, 0x80))
    assert [name for name, _ in vault.verify()] == [path.name]


def test_an_archive_swapped_in_from_another_plan_is_refused(vault: Vault) -> None:
    """Each archive is sealed to its plan's id: another plan's archive (valid, same key) put in
    its place does not open."""
    plan_id = vault.list_plans()[0].id
    other = meeting_plan()
    other.id = "ffffffffffffffff"
    vault.add_plan(other, NOW)
    shutil.copyfile(vault.archive_path(other.id), vault.archive_path(plan_id))
    assert raises_damage(lambda: vault._read_archive(plan_id))
    assert [name for name, _ in vault.verify()] == [vault.archive_path(plan_id).name]


# --------------------------------------------------------------------------- the access log


def log_reports(vault: Vault, name: str) -> bool:
    return any(p.file == name for p in vault.access_log.verify())


def test_log_every_flip_and_cut_is_reported(vault: Vault) -> None:
    path = vault.path / "log.kip"
    each_variant(path, lambda: log_reports(vault, "log.kip") or log_reports(vault, "loghead.kip"),
                 BITS if FULL else (0x01, 0x10, 0x80), skip_garbage=True)
    assert vault.verify() == []


@pytest.mark.parametrize("which", range(7))
def test_log_garbage_is_reported_or_mended_and_documented(vault: Vault, which: int) -> None:
    """What a crash can leave after the last record (a torn record, zeros) is accepted by verify,
    and the next append cuts it off and logs that; anything else is reported."""
    path = vault.path / "log.kip"
    original = path.read_bytes()
    path.write_bytes(original + garbage(original)[which])
    if vault.access_log.verify():
        return
    vault.log_event(Action.VIEW, "", info={"mode": "check"})
    entries = vault.access_log.entries()
    assert entries[-2].action == Action.LOG_REPAIRED and entries[-2].info["kind"] == "torn"
    assert path.read_bytes().startswith(original) and vault.verify() == []


def test_log_head_every_flip_cut_and_garbage(vault: Vault) -> None:
    path = vault.path / "loghead.kip"
    each_variant(path, lambda: log_reports(vault, "loghead.kip"))
    # a damaged head found at an append: the log is set aside and a new chain says why
    path.write_bytes(path.read_bytes()[:-1])
    vault.log_event(Action.VIEW, "", info={"mode": "check"})
    [restart, _] = vault.access_log.entries()
    assert restart.action == Action.LOG_RESTARTED and restart.info["reason"] == "head_damaged"
    assert len(list(vault.path.glob(f"{SET_ASIDE_PREFIX}*"))) == 2
    assert {p.file for p in vault.access_log.verify()} == {p.name for p in vault.path.glob(f"{SET_ASIDE_PREFIX}*")}


# --------------------------------------------------------------------------- bundles


@pytest.fixture(scope="module")
def bundle() -> bytes:
    """A kiptui bundle (binary age, cheap scrypt work factor) of the sample plan."""
    set_language("da")
    return make_scrypt_file(bundle_payload(meeting_plan(), now=None), BUNDLE_PASS, log_n=10)


def refused(data: bytes) -> bool:
    try:
        open_bundle(data, BUNDLE_PASS)
    except BundleError:
        return True
    return False


def positions(length: int, sample: int, seed: int) -> list[int]:
    return list(range(length)) if FULL else sorted(random.Random(seed).sample(range(length), sample))


def test_bundle_flips(bundle: bytes) -> None:
    assert not refused(bundle)
    for pos in positions(len(bundle), 300, 1):
        bit = 0x01 << (pos % 8)  # one bit a byte, each of the eight in turn
        assert refused(flip(bundle, pos, bit)), f"flip {pos}^{bit:#04x}"


def test_bundle_cuts_and_garbage(bundle: bytes) -> None:
    for cut in positions(len(bundle), 150, 2):
        assert refused(bundle[:cut]), f"cut at {cut}"
    for tail in garbage(bundle):
        assert refused(bundle + tail)


def test_armored_bundle_flips_cuts_and_garbage(bundle: bytes) -> None:
    armored = armor(bundle)
    assert not refused(armored)
    for pos in positions(len(armored), 200, 3):
        bit = 0x01 << (pos % 8)
        assert refused(flip(armored, pos, bit)), f"flip {pos}^{bit:#04x}"
    for cut in positions(len(armored), 100, 4):
        # a cut inside the final line ends or the trailing line end leaves the same file
        if armored[cut:].strip(b"\r\n \t"):
            assert refused(armored[:cut]), f"cut at {cut}"
    for tail in garbage(armored):
        if tail.strip(b" \t\r\n"):  # whitespace after the armor is allowed by the age spec
            assert refused(armored + tail)
