"""The access log: the hash chain and its head catch edited, removed, reordered and truncated
entries and a head rolled back alone; crash leftovers are mended; failed unlocks are counted;
nothing readable on disk; what the vault logs, and `kiptui log` in a real process."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiptui import accesslog, crypto
from kiptui.accesslog import AccessLog, Action, LogHead, canonical, record_identity
from kiptui.model import Contact, Plan, Sector
from kiptui.vault import Vault, VaultError

PASS = "korrekt hest batteri klips"
NOW = datetime(2026, 11, 23, 10, 0)
CANARY = "KANARIEFUGL-51d0-Bøgh"
ROOT = Path(__file__).resolve().parents[1]
_LEN = struct.Struct(">I")


def small_plan(name: str = "Mikkel Sørensen") -> Plan:
    plan = Plan()
    plan.citizen.name = name
    plan.citizen.cpr = "010190-0000"
    plan.add_contact(Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY, organisation="Kommunen"))
    return plan


@pytest.fixture(scope="module")
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def log(tmp_path: Path, key: bytes) -> AccessLog:
    """A log of six entries (0..5) written without a vault: no key derivation, fast."""
    log = AccessLog(tmp_path, crypto.Sealer(key))
    log.initialise()
    for n in range(6):
        log.append(Action.VIEW, f"{n:016x}", info={"mode": "read"}, now=NOW + timedelta(minutes=n))
    return log


def records(log: AccessLog) -> list[bytes]:
    """The log file split into its records (length prefix included)."""
    data, out, pos = log.log_path.read_bytes(), [], 0
    while pos < len(data):
        (length,) = _LEN.unpack_from(data, pos)
        out.append(data[pos : pos + _LEN.size + length])
        pos += _LEN.size + length
    return out


def open_record(log: AccessLog, record: bytes, seq: int) -> dict:
    return json.loads(log.sealer.open(crypto.KIND_LOG, record_identity(seq), record[_LEN.size :]))


def seal_record(log: AccessLog, data: dict, seq: int) -> bytes:
    blob = log.sealer.seal(crypto.KIND_LOG, record_identity(seq), canonical(data))
    return _LEN.pack(len(blob)) + blob


def codes(log: AccessLog) -> list[str]:
    return [p.code for p in log.verify()]


# --------------------------------------------------------------------------- the chain


def test_untouched_log_verifies_and_reads_back(log: AccessLog) -> None:
    assert log.verify() == []
    entries = log.entries()
    assert [e.seq for e in entries] == list(range(6))
    assert [e.plan_id for e in entries] == [f"{n:016x}" for n in range(6)]
    assert entries[0].prev == accesslog.GENESIS
    assert all(b.prev == a.digest for a, b in zip(entries, entries[1:]))
    assert entries[3].time == (NOW + timedelta(minutes=3)).astimezone()


def test_a_flipped_byte_in_any_record_is_found(log: AccessLog) -> None:
    original = log.log_path.read_bytes()
    for pos in range(0, len(original), 13):
        damaged = bytearray(original)
        damaged[pos] ^= 0x01
        log.log_path.write_bytes(bytes(damaged))
        assert log.verify(), pos
    log.log_path.write_bytes(original)
    assert log.verify() == []


@pytest.mark.parametrize("which", [2, 5])
def test_an_entry_edited_and_resealed_with_the_key_breaks_the_chain(log: AccessLog, which: int) -> None:
    """Even someone with the key cannot edit one entry alone: the next one (or the head) names
    the old entry's hash."""
    recs = records(log)
    data = open_record(log, recs[which], which)
    data["plan"] = "ffffffffffffffff"
    recs[which] = seal_record(log, data, which)
    log.log_path.write_bytes(b"".join(recs))
    assert codes(log) == (["chain_broken"] if which < 5 else ["head_mismatch"])


def test_a_removed_entry_is_found(log: AccessLog) -> None:
    recs = records(log)
    log.log_path.write_bytes(b"".join(recs[:2] + recs[3:]))
    assert codes(log) == ["entry_damaged"]  # record 3 now sits at place 2: its tag fails
    # re-sealed at the shifted places with the key: the chain still tells
    shifted = recs[:2] + [seal_record(log, dict(open_record(log, r, n + 1), seq=n), n)
                          for n, r in enumerate(recs[3:], start=2)]
    log.log_path.write_bytes(b"".join(shifted))
    assert codes(log) == ["chain_broken"]
    assert [p.params for p in log.verify()] == [{"n": 3}]


def test_reordered_entries_are_found(log: AccessLog) -> None:
    recs = records(log)
    swapped = recs[:1] + [recs[2], recs[1]] + recs[3:]
    log.log_path.write_bytes(b"".join(swapped))
    assert codes(log) == ["entry_damaged"]
    resealed = recs[:1] + [seal_record(log, dict(open_record(log, recs[2], 2), seq=1), 1),
                           seal_record(log, dict(open_record(log, recs[1], 1), seq=2), 2)] + recs[3:]
    log.log_path.write_bytes(b"".join(resealed))
    assert codes(log) == ["chain_broken"]


def test_truncation_is_found(log: AccessLog) -> None:
    original = log.log_path.read_bytes()
    recs = records(log)
    for cut in (len(original) - len(recs[-1]), len(original) - 10, len(recs[0]) + 7, 0):
        log.log_path.write_bytes(original[:cut])
        assert codes(log) == ["truncated"], cut
    log.log_path.unlink()
    assert codes(log) == ["truncated"]
    assert log.verify()[0].params == {"found": 0, "expected": 6}


def test_a_head_rolled_back_alone_is_found(log: AccessLog) -> None:
    old_head = log.head_path.read_bytes()
    for n in range(3):
        log.append(Action.EXPORT, "0000000000000001", "other", info={"format": "json"})
    assert log.verify() == []
    log.head_path.write_bytes(old_head)
    assert codes(log) == ["unanchored"]
    assert log.verify()[0].params == {"found": 9, "expected": 6}


def test_a_missing_or_foreign_head_is_found(log: AccessLog, tmp_path: Path) -> None:
    head = log.head_path.read_bytes()
    log.head_path.unlink()
    assert codes(log) == ["head_missing"]
    other = AccessLog(tmp_path / "other", log.sealer)
    other.path.mkdir()
    other.initialise()
    log.head_path.write_bytes(other.head_path.read_bytes())  # a valid head of another chain
    assert codes(log) == ["chain_broken"]
    log.head_path.write_bytes(head[:-1] + bytes([head[-1] ^ 1]))
    assert codes(log) == ["head_damaged"]


def test_log_and_head_rolled_back_together_is_not_detected(log: AccessLog) -> None:
    """The documented limit (module docstring, SECURITY.md): an older copy of both files is
    a consistent log. If this starts failing, the docstring is out of date."""
    old = (log.log_path.read_bytes(), log.head_path.read_bytes())
    log.append(Action.EXPORT, "0000000000000001", "other")
    log.log_path.write_bytes(old[0])
    log.head_path.write_bytes(old[1])
    assert log.verify() == []


# --------------------------------------------------------------------------- crashes and damage


def test_a_record_written_before_a_crash_is_accepted_then_anchored(
    log: AccessLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(_self: AccessLog, _head: LogHead) -> None:
        raise KeyboardInterrupt  # the process dies after the record, before the head

    monkeypatch.setattr(AccessLog, "_write_head", crash)
    with pytest.raises(KeyboardInterrupt):
        log.append(Action.BUNDLE, "00000000000000aa", "secure_mail")
    monkeypatch.undo()
    assert log.verify() == []  # what a crash leaves: one whole record beyond the head
    assert log.entries()[-1].action == "bundle"
    log.append(Action.UNLOCK)
    actions = [e.action for e in log.entries()]
    assert actions[-3:] == ["bundle", "log_repaired", "unlock"]
    assert log.entries()[-2].info["kind"] == "anchored"
    assert log.verify() == []
    assert len(records(log)) == 9


def test_a_torn_record_is_accepted_then_dropped(log: AccessLog) -> None:
    good = log.log_path.read_bytes()
    for tail in (b"\x00\x00", _LEN.pack(500) + b"half a record", b"\x00" * 40):
        log.log_path.write_bytes(good + tail)
        assert log.verify() == [], tail
    log.append(Action.UNLOCK)
    assert [e.action for e in log.entries()][-2:] == ["log_repaired", "unlock"]
    assert log.entries()[-2].info == {"kind": "torn", "bytes": 40}
    assert log.verify() == []
    assert log.log_path.read_bytes().startswith(good)


def test_damage_found_at_an_append_sets_the_log_aside_and_restarts(log: AccessLog) -> None:
    recs = records(log)
    log.log_path.write_bytes(b"".join(recs[:3]))  # entries cut off: not a crash
    entry = log.append(Action.VIEW, "0000000000000005", info={"mode": "read"})
    assert entry.seq == 1
    first = log.entries()[0]
    assert first.action == "log_restarted" and first.info["reason"] == "truncated"
    aside = sorted(p.name for p in log.path.glob("log-damaged-*"))
    assert len(aside) == 2 and first.info["files"] == aside
    assert codes(log) == ["set_aside", "set_aside"]  # verify keeps saying so ...
    for name in aside:
        (log.path / name).unlink()
    assert log.verify() == []  # ... until someone has moved the old log out
    # a plan's own log shows the restart: its log may be incomplete before it
    assert [e.action for e in log.entries("0000000000000005")] == ["log_restarted", "view"]


def test_a_replayed_record_beyond_the_head_is_not_taken_for_a_crash(log: AccessLog) -> None:
    recs = records(log)
    log.log_path.write_bytes(b"".join(recs) + recs[-1])  # a whole record, but not entry 6
    assert codes(log) == ["entry_damaged"]
    log.append(Action.UNLOCK)
    first = log.entries()[0]
    assert first.action == "log_restarted" and first.info["reason"] == "unanchored"
    assert "Loggen havde poster, som dens hoved ikke kendte." in accesslog.detail_text(first)


def test_unknown_action_or_purpose_is_a_bug(log: AccessLog) -> None:
    with pytest.raises(ValueError):
        log.append("peek")
    with pytest.raises(ValueError):
        log.append(Action.EXPORT, "", "curiosity")


# --------------------------------------------------------------------------- with the vault


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault.create(tmp_path / "v", PASS)


def test_a_plans_log_lists_its_events_in_order(vault: Vault) -> None:
    plan = small_plan()
    other = small_plan("Anna Andersen")
    vault.add_plan(plan, NOW)
    vault.add_plan(other, NOW)
    for _ in range(5):  # the chair's view polling: one view, not five
        vault.load_plan(plan.id)
    vault.load_plan(other.id)
    handle = vault.open_plan(plan.id)
    for n in range(4):  # autosaves: one change per open session
        handle.plan.citizen.notes = f"note {n}"
        assert handle.save(NOW)
    handle.close()
    vault.log_event("export", plan.id, "citizen_access", "borgeren bad om en kopi",
                    info={"format": "json", "path": "/tmp/x.json"})
    handle = vault.open_plan(plan.id)  # a second session: its own change entry, no second view
    handle.plan.citizen.notes = "igen"
    handle.save(NOW)
    handle.close()
    vault.load_plan(plan.id, log=False)
    vault.verify()  # reads every plan, logs no view
    again = small_plan()
    again.id = plan.id
    vault.import_plan(again, replace=True, now=NOW, source="json")
    vault.change_passphrase("en helt anden lang frase")

    entries = vault.access_log.entries(plan.id)
    assert [(e.action, e.info.get("mode")) for e in entries] == [
        ("change", None), ("view", "read"), ("view", "write"), ("change", None), ("export", None),
        ("change", None), ("import", None),
    ]
    assert entries[0].info == {"created": True}
    assert entries[4].purpose == "citizen_access" and entries[4].purpose_text == "borgeren bad om en kopi"
    assert entries[6].info == {"source": "json", "replaced": True}
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    everything = [e.action for e in vault.access_log.entries()]
    assert everything[0] == "unlock" and everything[-1] == "passphrase_change"
    assert vault.verify() == []
    table = accesslog.format_table(entries)
    assert "Plan åbnet til redigering" in table and "Borgerens indsigt: borgeren bad om en kopi" in table
    assert "JSON til filen /tmp/x.json" in table


def test_failed_unlocks_are_counted_and_reported_at_the_next_unlock(vault: Vault) -> None:
    for _ in range(3):
        with pytest.raises(VaultError):
            Vault.unlock(vault.path, "ikke den rigtige frase")
    counter = json.loads((vault.path / accesslog.FAILED_FILE).read_text())
    assert set(counter) == {"count", "first", "last"} and counter["count"] == 3
    assert accesslog.peek_failed_unlocks(vault.path).count == 3

    again = Vault.unlock(vault.path, PASS)
    assert not (vault.path / accesslog.FAILED_FILE).exists()
    entries = again.access_log.entries()
    failed, unlock = entries[-2:]
    assert failed.action == "failed_unlocks" and failed.info["count"] == 3
    assert unlock.action == "unlock"
    assert "3 forkerte adgangsfraser siden" in accesslog.detail_text(failed)
    Vault.unlock(vault.path, PASS)
    assert [e.action for e in again.access_log.entries()][-2:] == ["unlock", "unlock"]  # reset


def test_take_failed_unlocks_reads_and_resets(tmp_path: Path) -> None:
    accesslog.record_failed_unlock(tmp_path, NOW)
    accesslog.record_failed_unlock(tmp_path, NOW + timedelta(hours=1))
    taken = accesslog.take_failed_unlocks(tmp_path)
    assert taken.count == 2
    assert taken.first == NOW.astimezone() and taken.last == (NOW + timedelta(hours=1)).astimezone()
    assert accesslog.take_failed_unlocks(tmp_path).count == 0


def test_no_plaintext_personal_data_in_the_log_on_disk(vault: Vault, tmp_path: Path) -> None:
    plan = small_plan(CANARY)
    vault.add_plan(plan, NOW)
    vault.log_event("export", plan.id, "other", CANARY, detail=CANARY * 3,
                    info={"format": "json", "path": f"/tmp/{CANARY}.json"})
    vault.access_log.append(Action.VIEW, plan.id, user=CANARY, info={"mode": "read"})
    with pytest.raises(VaultError):
        Vault.unlock(vault.path, "ikke den rigtige frase")
    assert any(CANARY in e.detail for e in vault.access_log.entries())  # it is in there
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"Mikkel", b"010190", b"export", b"json"]
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.name != "log.lock":
            blob = p.read_bytes()
            for needle in needles:
                assert needle not in blob, (p, needle)


def test_log_files_are_private(vault: Vault) -> None:
    vault.add_plan(small_plan(), NOW)
    for name in ("log.kip", "loghead.kip", "log.lock"):
        assert (vault.path / name).stat().st_mode & 0o077 == 0, name


def test_vault_verify_reports_log_damage(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    vault.load_plan(plan.id)
    log_file = vault.path / "log.kip"
    log_file.write_bytes(log_file.read_bytes()[:-5])
    problems = vault.verify()
    assert [name for name, _ in problems] == ["log.kip"]
    assert "fjernet fra slutningen" in problems[0][1]


# --------------------------------------------------------------------------- the command line


def run(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPTUI_")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "kiptui.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_kiptui_log_prints_the_plans_entries(vault: Vault) -> None:
    plan = small_plan()
    vault.add_plan(plan, NOW)
    vault.log_event("bundle", plan.id, "secure_mail", detail="[bold]x[/bold]\x1b[31m rød")
    env = {"KIPTUI_VAULT": str(vault.path), "KIPTUI_PASSPHRASE": PASS}
    proc = run(["log", "Mikkel"], env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"Adgangslog for Mikkel Sørensen (plan {plan.id})" in out
    assert out.index("Tidspunkt") < out.index("Hvem") < out.index("Handling") < out.index("Formål")
    lines = out.splitlines()
    created = next(line for line in lines if "Plan ændret" in line)
    bundle = next(line for line in lines if "Krypteret pakke lavet" in line)
    assert lines.index(created) < lines.index(bundle)
    assert "23.11.2026 10:00" in created
    assert "Sikker mail til netværket" in bundle and "\x1b" not in out
    assert vault.access_log.entries()[-1].digest in out  # the chain's head, to keep on paper
    proc = run(["log", "Ingen Sådan"], env)
    assert proc.returncode == 6 and "Traceback" not in proc.stderr
    (vault.path / "loghead.kip").unlink()  # the next unlock sets the headless log aside
    proc = run(["verify"], env)
    assert proc.returncode == 4 and "log-damaged-" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(["log", plan.id], env)
    assert proc.returncode == 4 and "Adgangsloggen startet forfra" in proc.stdout


def test_json_export_asks_for_a_purpose_and_is_logged(vault: Vault, tmp_path: Path) -> None:
    pytest.importorskip("kiptui.planjson")
    plan = small_plan()
    vault.add_plan(plan, NOW)
    env = {"KIPTUI_VAULT": str(vault.path), "KIPTUI_PASSPHRASE": PASS}
    out = tmp_path / "eksport.json"
    proc = run(["json", "export", plan.id, "-o", str(out), "--purpose", "transfer",
                "--purpose-text", "ny kommune"], env)
    assert proc.returncode == 0, proc.stderr
    assert run(["json", "export", plan.id, "--purpose", "nysgerrighed"], env).returncode == 2
    [export] = [e for e in vault.access_log.entries(plan.id) if e.action == "export"]
    assert (export.purpose, export.purpose_text) == ("transfer", "ny kommune")
    # the plain JSON is the whole plan: the CPR number goes with it, and the log says so
    assert export.info == {"format": "json", "path": str(out.resolve()), "cpr": True}


def test_a_set_aside_log_is_read_up_to_its_damage_and_said(log: AccessLog) -> None:
    """The entries before the damage stay readable in the copy set aside, and the setting
    aside is announced (take_set_aside_notices), never silent."""
    accesslog.take_set_aside_notices()
    recs = records(log)
    log.log_path.write_bytes(b"".join(recs[:4]) + recs[4][:20])  # cut inside entry 4
    log.append(Action.UNLOCK)
    [notice] = accesslog.take_set_aside_notices()
    assert notice.reason == "truncated" and notice.folder == log.path
    assert all(name.startswith("log-damaged-") for name in notice.files) and len(notice.files) == 2
    assert "lagt til side" in notice.message and notice.files[0] in notice.message
    assert accesslog.take_set_aside_notices() == []  # said once
    [old] = log.set_aside_logs()
    assert old.name in notice.files and old.stop == "torn"
    assert [e.seq for e in old.entries] == [0, 1, 2, 3]
    assert [e.plan_id for e in old.entries] == [f"{n:016x}" for n in range(4)]
    assert [e.action for e in log.entries()] == ["log_restarted", "unlock"]


def test_kiptui_log_shows_the_entries_of_a_set_aside_log_and_says_it_was_set_aside(vault: Vault) -> None:
    """Found by an IT-security review: a truncated log.kip was set aside in silence (`kiptui
    list` exit 0, nothing on stderr), and `kiptui log` said only the entries before the
    damage were shown, but showed only the new log's. Now the unlock says it in one line on
    stderr, naming the copy, and `kiptui log` shows the readable entries from the copy,
    marked as such, before the new log's."""
    plan = small_plan()
    vault.add_plan(plan, NOW)
    for n in range(12):
        vault.log_event("export", plan.id, "citizen_access", f"kopi nr. {n}",
                        info={"format": "json", "path": f"/tmp/kopi-{n}.json"})
    log_file = vault.path / "log.kip"
    size = log_file.stat().st_size
    os.truncate(log_file, size - 300)  # inside the last entries
    env = {"KIPTUI_VAULT": str(vault.path), "KIPTUI_PASSPHRASE": PASS}
    proc = run(["list"], env)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    [copy] = sorted(p.name for p in vault.path.glob("log-damaged-*-log.kip"))
    assert line.startswith("kiptui: Adgangsloggen er lagt til side, fordi den var beskadiget: "
                           "Loggen var kortere end dens hoved.") and copy in line and str(vault.path) in line, line
    assert run(["list"], env).stderr == ""  # said when it happens, not at every command
    proc = run(["log", plan.id], env)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    out = proc.stdout
    assert f"Fra den beskadigede log, der er lagt til side ({copy})" in out
    assert "Borgerens indsigt: kopi nr. 0" in out and "kopi nr. 9" in out  # before the damage
    assert "kopi nr. 11" not in out  # cut off
    assert out.index("kopi nr. 9") < out.index("Den nuværende log") < out.index("Adgangsloggen startet forfra")
    assert "kan ikke læses og er ikke vist" in out
    assert proc.stderr.splitlines()[-1] == ("Adgangsloggen har været beskadiget: fra den tilsidelagte kopi "
                                            "er kun posterne før skaden vist; posterne efter skaden kan ikke læses.")
    assert run(["verify"], env).returncode == 4
    english = run(["--lang", "en", "log", plan.id], env).stdout
    assert "From the damaged log that was set aside" in english
