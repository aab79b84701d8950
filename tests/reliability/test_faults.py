"""A full or failing disk: ENOSPC and EIO on write, fsync and os.replace of a plan, the index, the
key file, the access log (record and head) and the failed-unlock counter.

Each time: the operation fails loudly (OSError, never silently), the old file is byte-identical,
no temp file is left, the vault verifies, and the next try after the fault has gone does the
whole job. From the command line the failure is one line on stderr and a non-zero exit code,
in this process (cli.main) and in a real one.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import pytest

from kiptui import cli
from kiptui.accesslog import Action
from kiptui.i18n import os_reason, set_language
from kiptui.model import Plan
from kiptui.planjson import export_plan
from kiptui.vault import Vault, VaultError, summarise
from tests.reliability.common import (
    NOW,
    PASS,
    clean_env,
    meeting_plan,
    one_line_error,
    run_python,
    temp_files,
    tree,
)
from tests.reliability.faults import inject

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="faults find their file in /proc/self/fd")

ERRNOS = [pytest.param(errno.ENOSPC, id="ENOSPC"), pytest.param(errno.EIO, id="EIO")]
FILE_OPS = ["write", "fsync", "replace"]
NEW_PASS = "en helt ny og lang frase"


@pytest.fixture(autouse=True)
def _danish():
    set_language("da")
    yield
    set_language("da")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, Plan]:
    """One vault with a plan and a few log entries, made once (one Argon2id); each test gets
    its own copy, opened with the same data key."""
    path = tmp_path_factory.mktemp("template") / "vault"
    vault = Vault.create(path, PASS)
    plan = meeting_plan()
    vault.add_plan(plan, NOW)
    vault.load_plan(plan.id)  # a view in the log
    return path, vault._data_key_for_rewrap(), plan


@pytest.fixture
def vault(template: tuple[Path, bytes, Plan], tmp_path: Path) -> Vault:
    path, key, _ = template
    shutil.copytree(path, tmp_path / "vault")
    return Vault(tmp_path / "vault", key)


@pytest.fixture
def plan(template: tuple[Path, bytes, Plan]) -> Plan:
    return template[2]


def assert_same_except(before: dict[str, bytes], after: dict[str, bytes], changed: set[str]) -> None:
    """Every file byte-identical, but those in `changed` (which must exist before and after)."""
    assert set(after) == set(before), set(after) ^ set(before)
    differing = {name for name in before if before[name] != after[name]}
    assert differing <= changed, differing - changed


def plan_file(plan_id: str) -> str:
    return f"plans/{plan_id}.kip"


# --------------------------------------------------------------------------- plan saves


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_failed_plan_save_keeps_the_old_plan(vault: Vault, plan: Plan, op: str, err: int) -> None:
    handle = vault.open_plan(plan.id)
    before = tree(vault.path)
    handle.plan.citizen.notes = "skrevet mens disken var fuld"
    with inject(op, err, f"{plan.id}.kip") as fault, pytest.raises(OSError) as raised:
        handle.save(NOW)
    assert raised.value.errno == err and fault.hits
    assert tree(vault.path) == before
    assert temp_files(vault.path) == []
    assert vault.verify() == []
    # the text is still in memory and the next save writes it
    assert handle.save(NOW) is True
    handle.close()
    assert vault.load_plan(plan.id).citizen.notes == "skrevet mens disken var fuld"


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_failed_new_plan_leaves_no_trace(vault: Vault, op: str, err: int) -> None:
    before = tree(vault.path)
    new = meeting_plan("Ida Krogh")
    with inject(op, err, f"{new.id}.kip"), pytest.raises(OSError):
        vault.add_plan(new, NOW)
    after = tree(vault.path)
    assert after.pop(f"plans/{new.id}.lock") == b""  # the writer's lock file, empty
    assert after == before
    assert temp_files(vault.path) == [] and vault.verify() == []
    vault.add_plan(new, NOW)  # and it can be made once the disk is fine again
    assert vault.find("Ida") == new.id


@pytest.mark.parametrize("err", ERRNOS)
def test_a_failed_folder_fsync_after_the_replace_is_told_and_leaves_a_whole_file(
        vault: Vault, plan: Plan, err: int) -> None:
    """The rename happened, only its durability is in doubt: the caller hears of it, the file
    is the new one, whole, and the next save writes again."""
    handle = vault.open_plan(plan.id)
    handle.plan.citizen.notes = "ny tekst"
    with inject("dirsync", err, ""), pytest.raises(OSError):
        handle.save(NOW)
    assert vault.load_plan(plan.id, log=False).citizen.notes == "ny tekst"
    assert temp_files(vault.path) == []
    handle.plan.citizen.notes = "ny tekst 2"
    assert handle.save(NOW) is True
    handle.close()
    assert vault.verify() == []


# --------------------------------------------------------------------------- the index


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_failed_index_update_keeps_the_old_index_and_is_retried(
        vault: Vault, plan: Plan, op: str, err: int) -> None:
    handle = vault.open_plan(plan.id)
    before = tree(vault.path)
    handle.plan.citizen.name = "Mikkel Sørensen-Holm"  # the index summary changes
    with inject(op, err, "index.kip"), pytest.raises(OSError):
        handle.save(NOW)
    # the plan itself was written (a newer, whole version); the index is the old one
    assert_same_except(before, tree(vault.path), {plan_file(plan.id)})
    assert temp_files(vault.path) == []
    assert vault.verify() == []
    # the next save (the app retries a failed one) brings the index up to date
    handle.save(NOW)
    assert vault.read_index()[plan.id] == summarise(handle.plan)
    assert vault.find("Sørensen-Holm") == plan.id
    # ... and the change is in the access log
    handle.close()
    changes = [e for e in vault.access_log.entries(plan.id) if e.action == Action.CHANGE]
    assert changes


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_new_plan_whose_index_entry_fails_is_not_left_half_made(vault: Vault, op: str, err: int) -> None:
    """Otherwise the plan exists but `list` does not show it, `find` cannot find it, and making
    it again says it exists."""
    before = tree(vault.path)
    new = meeting_plan("Ida Krogh")
    with inject(op, err, "index.kip"), pytest.raises(OSError):
        vault.add_plan(new, NOW)
    after = tree(vault.path)
    assert after.pop(f"plans/{new.id}.lock") == b""
    assert after == before
    assert temp_files(vault.path) == [] and vault.verify() == []
    vault.add_plan(new, NOW)
    assert vault.find("Ida") == new.id and vault.verify() == []


# --------------------------------------------------------------------------- the key file


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_failed_passphrase_change_keeps_the_old_key_file(vault: Vault, op: str, err: int) -> None:
    before = tree(vault.path)
    with inject(op, err, "vault.kip"), pytest.raises(OSError):
        vault.change_passphrase(NEW_PASS)
    assert tree(vault.path) == before  # so the old passphrase still opens it
    assert temp_files(vault.path) == []


def test_the_old_passphrase_still_unlocks_after_a_failed_change(vault: Vault, plan: Plan) -> None:
    with inject("fsync", errno.ENOSPC, "vault.kip"), pytest.raises(OSError):
        vault.change_passphrase(NEW_PASS)
    assert Vault.unlock(vault.path, PASS).load_plan(plan.id).id == plan.id
    with pytest.raises(VaultError) as wrong:
        Vault.unlock(vault.path, NEW_PASS)
    assert wrong.value.code == "wrong_passphrase"


# --------------------------------------------------------------------------- the access log


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", ["write", "fsync"])
def test_a_failed_log_record_leaves_the_log_as_it_was(vault: Vault, plan: Plan, op: str, err: int) -> None:
    before = tree(vault.path)
    with inject(op, err, "log.kip"), pytest.raises(OSError):
        vault.log_event(Action.EXPORT, plan.id, "other", info={"format": "json"})
    assert tree(vault.path) == before  # the half-written record was cut off again
    assert temp_files(vault.path) == [] and vault.verify() == []
    count = len(vault.access_log.entries())
    vault.log_event(Action.EXPORT, plan.id, "other", info={"format": "json"})
    entries = vault.access_log.entries()
    assert len(entries) == count + 1 and entries[-1].action == Action.EXPORT


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", ["write", "fsync"])
def test_a_change_whose_log_entry_failed_is_logged_by_the_next_save(
        vault: Vault, plan: Plan, op: str, err: int) -> None:
    """No change without its entry: when the log cannot take the "change" entry, the save is
    told so, and the next save (the app retries) writes again and logs it."""
    def changes() -> int:
        return len([e for e in vault.access_log.entries(plan.id) if e.action == Action.CHANGE])

    assert changes() == 1  # the plan's creation
    handle = vault.open_plan(plan.id)
    handle.plan.citizen.notes = "ændret"
    with inject(op, err, "log.kip"), pytest.raises(OSError):
        handle.save(NOW)
    assert changes() == 1
    assert handle.save(NOW) is True
    handle.close()
    assert changes() == 2
    assert vault.load_plan(plan.id).citizen.notes == "ændret" and vault.verify() == []


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_a_failed_log_head_keeps_the_old_head_and_the_record_is_anchored_next_time(
        vault: Vault, plan: Plan, op: str, err: int) -> None:
    """The record was durable before the head failed: the log holds one record beyond its
    head, exactly what a crash there leaves. verify accepts that, and the next append
    anchors it and says so in the log (docs: accesslog.py)."""
    before = tree(vault.path)
    with inject(op, err, "loghead.kip"), pytest.raises(OSError):
        vault.log_event(Action.EXPORT, plan.id, "other", info={"format": "json"})
    after = tree(vault.path)
    assert_same_except(before, after, {"log.kip"})
    assert after["log.kip"].startswith(before["log.kip"]) and len(after["log.kip"]) > len(before["log.kip"])
    assert temp_files(vault.path) == [] and vault.verify() == []
    vault.log_event(Action.VIEW, plan.id, info={"mode": "read"})
    entries = vault.access_log.entries()
    assert [e.action for e in entries[-3:]] == [Action.EXPORT, Action.LOG_REPAIRED, Action.VIEW]
    assert entries[-2].info["kind"] == "anchored"
    assert vault.verify() == []


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize("op", FILE_OPS)
def test_the_failed_unlock_counter_failing_still_says_wrong_passphrase(vault: Vault, op: str, err: int) -> None:
    before = tree(vault.path)
    with inject(op, err, "failed-unlocks.json"), pytest.raises(VaultError) as wrong:
        Vault.unlock(vault.path, "forkert adgangsfrase her")
    assert wrong.value.code == "wrong_passphrase"
    assert tree(vault.path) == before and temp_files(vault.path) == []


# --------------------------------------------------------------------------- the user is told


def cli_case(vault: Vault, plan: Plan, target: str, tmp_path: Path) -> tuple[list[str], dict[str, str], str]:
    """(kiptui arguments, extra environment, the file the fault hits, relative to the vault)."""
    if target == "plan":
        newer = vault.load_plan(plan.id, log=False)
        newer.citizen.address = "Ny vej 2"
        source = tmp_path / "plan.json"
        source.write_text(export_plan(newer, NOW), encoding="utf-8")
        return ["json", "import", str(source), "--replace"], {}, plan_file(plan.id)
    if target == "index":
        source = tmp_path / "ny.json"
        source.write_text(export_plan(meeting_plan("Ida Krogh"), NOW), encoding="utf-8")
        return ["json", "import", str(source)], {}, "index.kip"
    if target == "key":
        return ["passwd"], {"KIPTUI_NEW_PASSPHRASE": NEW_PASS}, "vault.kip"
    if target == "log":  # every command logs its unlock first
        return ["list"], {}, "log.kip"
    assert target == "loghead"
    return ["verify"], {}, "loghead.kip"


TARGETS = ["plan", "index", "key", "log", "loghead"]


@pytest.mark.parametrize("err", ERRNOS)
@pytest.mark.parametrize(("target", "op"), [(target, op) for target in TARGETS for op in FILE_OPS
                                            if (target, op) != ("log", "replace")])  # records are appended
def test_the_command_line_says_it_in_one_line(vault: Vault, plan: Plan, target: str, op: str, err: int,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    args, env, name = cli_case(vault, plan, target, tmp_path)
    monkeypatch.setenv("KIPTUI_VAULT", str(vault.path))
    monkeypatch.setenv("KIPTUI_PASSPHRASE", PASS)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    protected = vault.path / name
    old = protected.read_bytes()
    with inject(op, err, protected.name) as fault:
        code = cli.main(args)
    out, errors = capsys.readouterr()
    assert fault.hits and code != 0
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kiptui: "), errors
    assert os_reason(OSError(err, os.strerror(err))) in lines[0]  # in Danish
    assert "Traceback" not in errors + out
    assert protected.read_bytes() == old
    assert temp_files(vault.path) == [] and vault.verify() == []


@pytest.mark.parametrize("target", TARGETS)
def test_a_real_kiptui_process_says_it_in_one_line(vault: Vault, plan: Plan, target: str, tmp_path: Path) -> None:
    args, env, name = cli_case(vault, plan, target, tmp_path)
    op, err = {"plan": ("fsync", "ENOSPC"), "index": ("replace", "EIO"), "key": ("write", "ENOSPC"),
               "log": ("fsync", "EIO"), "loghead": ("write", "ENOSPC")}[target]
    protected = vault.path / name
    old = protected.read_bytes()
    proc = run_python("from tests.reliability.faults import main; main()",
                      clean_env(KIPTUI_VAULT=str(vault.path), KIPTUI_PASSPHRASE=PASS, **env),
                      args=[op, err, protected.name, "--", *args])
    line = one_line_error(proc)
    assert os_reason(OSError(getattr(errno, err), "")) in line  # in Danish
    assert protected.read_bytes() == old
    assert temp_files(vault.path) == [] and vault.verify() == []
