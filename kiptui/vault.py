"""The encrypted local vault: unlock, the data key, one encrypted TinyDB file per plan, the
encrypted index for listing, and the one-writer-per-plan lock.

Layout of a vault folder (0700; every file 0600, names reveal nothing):

    vault.kip            the key file: Argon2id parameters, salt, the wrapped data key
    index.kip            encrypted: one summary per plan, so listing decrypts one small file
    plans/<id>.kip       encrypted TinyDB database of one plan: table "plan", and "history"
                         (when and to which version `json import --replace` replaced it)
    plans/<id>.archive   encrypted: the plan as it was when each meeting was closed ("versions")
                         and each replaced plan ("history"). Written when a meeting is closed or
                         the plan replaced, never by an autosave: the plan file stays the size of
                         one plan, however many meetings it has had (it was 4 MB and 70 ms a
                         save after 20 closed meetings when the versions lived in it)
    plans/<id>.lock      the writer's OS lock; holds who has the plan open (no citizen data)
    log.kip, loghead.kip the encrypted, hash-chained access log and its anchor (accesslog.py)
    failed-unlocks.json  plaintext count of wrong passphrases since the last unlock (no names)

The passphrase is stretched once per unlock; saves use the unwrapped data key only.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import re
import resource
import socket
import stat
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from kiptui import accesslog, crypto
from kiptui.accesslog import AccessLog, AccessLogError, Action, Purpose
from kiptui.crypto import FramingError, KdfParams, Sealer
from kiptui.i18n import UserError, t
from kiptui.model import (
    ConversionError,
    MeetingStatus,
    Plan,
    PlanError,
    Reopening,
    plan_from_dict,
    plan_to_dict,
)
from kiptui.storage import EncryptedStorage, encode_fields, encode_json

try:  # POSIX advisory locks; Windows gets msvcrt's byte-range lock
    import fcntl
except ImportError:  # pragma: no cover - not on the CI platform
    fcntl = None  # type: ignore[assignment]
    import msvcrt

from kiptui.vaultfiles import KEYFILE, vault_exists
INDEX = "index.kip"
PLANS = "plans"
PLAN_SUFFIX = ".kip"
LOCK_SUFFIX = ".lock"
ARCHIVE_SUFFIX = ".archive"
DAMAGED_SUFFIX = ".damaged-"  # a damaged archive set aside: <id>.archive.damaged-<time>
MAX_FILE_SIZE = 64 * 1024 * 1024
_PLAN_ID = re.compile(r"^[0-9a-f]{16}$")


class VaultError(UserError):
    """A problem with the vault a user can understand (data/strings/vault.json)."""

    KEY_PREFIX = "vault."


def default_vault_dir() -> Path:
    env = os.environ.get("KIPTUI_VAULT")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("kiptui", appauthor=False) / "vault"


_COMMON = {
    "password", "passw0rd", "123456789012", "qwertyuiopå", "kodeord", "adgangskode",
    "hemmelighed", "sommerfugl", "danmark", "kiptui",
}


def check_passphrase_strength(passphrase: str) -> str | None:
    """None when acceptable, else the code of the reason (shown to the user)."""
    if len(passphrase) < 12:
        return "weak_short"
    if len(set(passphrase)) < 6:
        return "weak_repetitive"
    if passphrase.isdigit():
        return "weak_digits"
    lowered = passphrase.lower()
    if any(word in lowered for word in _COMMON) and len(passphrase) < 20:
        return "weak_common"
    return None


def disable_core_dumps() -> None:
    """A core dump of an unlocked process would put the data key and plans on disk."""
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def _framing_to_vault_error(err: FramingError, what: str) -> VaultError:
    if err.code == "version":
        return VaultError("unsupported_version", file=what)
    if err.code == "wrong_vault":
        return VaultError("wrong_vault", file=what)
    return VaultError("damaged", file=what)


@dataclass
class PlanSummary:
    """What `list` and the plans screen show, kept in the encrypted index."""

    id: str
    citizen: str
    status: str
    next_meeting: str  # ISO datetime or ""
    coordinator: str
    open_agreements: int
    open_deadlines: list[str] = field(default_factory=list)

    def overdue(self, today: date) -> int:
        """Open agreements past their deadline on `today` (derived, never stored)."""
        return sum(1 for d in self.open_deadlines if date.fromisoformat(d) < today)


def summarise(plan: Plan) -> dict[str, Any]:
    latest = plan.latest_meeting()
    nxt = plan.next_meeting_at()
    open_agreements = plan.open_agreements()
    return {
        "id": plan.id,
        "citizen": plan.citizen.name,
        "status": latest.status.value if latest else "",
        "next_meeting": nxt.isoformat(timespec="minutes") if nxt else "",
        "coordinator": plan.name_of(plan.current_coordinator),
        "open_agreements": len(open_agreements),
        # the deadlines, not an "overdue" flag: overdue is derived at display time from a clock
        "open_deadlines": sorted(a.deadline.isoformat() for a in open_agreements if a.deadline),
    }


def _holder_text() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to fail
        user = "?"
    return f"{user}@{socket.gethostname()} (pid {os.getpid()}, {datetime.now():%d.%m.%Y %H:%M})"


class _WriterLock:
    """An exclusive, non-blocking OS lock on plans/<id>.lock, held while the plan is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            try:
                holder = self.path.read_text(encoding="utf-8", errors="replace").strip() or "?"
            except OSError:
                holder = "?"
            raise VaultError("plan_locked", holder=holder) from None
        os.ftruncate(fd, 0)
        os.write(fd, _holder_text().encode("utf-8"))
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None


#: the plan's fields a save stamps (every write makes a new version at a new time); the change
#: check compares everything else
_PLAN_STAMP = ("version", "updated_at")
_PLAN_BODY = tuple(f.name for f in dataclasses.fields(Plan) if f.name not in _PLAN_STAMP)


def _plan_body(plan: Plan) -> bytes:
    """The plan as a JSON object without its version and time of saving."""
    return encode_fields(plan, _PLAN_BODY, plan_to_dict)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A version of the plan to write: its number, when it was made, and the rest of the plan
    as JSON (`body`, bytes: the UI goes on changing the plan while the save thread writes)."""

    version: int
    updated_at: str
    body: bytes

    def plan_json(self) -> bytes:
        """The whole plan as a JSON object: the body with the version and the time added."""
        if not (self.body.startswith(b"{") and self.body.endswith(b"}") and len(self.body) > 2):
            raise ValueError("a plan's JSON is an object with fields")
        return self.body[:-1] + b',"version":%d,"updated_at":%s}' % (self.version, encode_json(self.updated_at))

    def plan(self) -> dict[str, Any]:
        """The whole plan as plain values (as `plan_to_dict` gives them)."""
        return json.loads(self.plan_json())


class PlanHandle:
    """A plan opened for writing: holds the writer lock until closed.

    Saving is split for the UI: `snapshot()` (on the UI thread, cheap: the plan as JSON, or
    None when nothing changed) and `write(snapshot)` (in a worker thread: encrypt + durable
    write). `save()` does both.
    """

    def __init__(self, vault: Vault, plan_id: str) -> None:
        self.vault = vault
        self.plan_id = plan_id
        self._lock = _WriterLock(vault.plan_path(plan_id).with_suffix(LOCK_SUFFIX))
        self._lock.acquire()
        try:
            crypto.remove_stale_temps(vault.plans_dir, vault.plan_path(plan_id).name)
            self.db = vault._plan_db(plan_id)
            self.plan = vault._plan_from_db(self.db, plan_id)
            stored = self.db.storage.read() or {}
            if not vault.archive_path(plan_id).exists() and not stored.get("meta"):
                vault._write_archive(plan_id, _empty_archive())  # a plan from before the archive
        except BaseException:
            self._lock.release()
            raise
        # what the next write needs of the file besides the plan (the replacement stamps, the
        # meta table); the decrypted file itself is not kept: the plan is in self.plan
        self._tables = {k: v for k, v in stored.items() if k != "plan"}
        self.db.storage.forget()
        # the change check: the plan's JSON without version and time as last handed out by a
        # snapshot (being written or written), and as last written, with its version
        self._compared_body = self._written_body = _plan_body(self.plan)
        self._last_version = self.plan.version
        self._last_summary = self._mend_index(summarise(self.plan))
        self._pending_summary: dict[str, Any] | None = None
        self._change_logged = False  # one "change" entry per open session, not per autosave
        self._freeze: str = ""  # the meeting whose closing the next snapshot freezes
        self._unwritten_versions: list[dict[str, Any]] = []  # frozen, not yet on disk
        self._versions_lock = threading.Lock()
        self.closed = False

    def _mend_index(self, summary: dict[str, Any]) -> dict[str, Any] | None:
        """The index entry as the plan on disk has it: a crash or a failed write between the
        plan's write and the index's leaves the index a save behind until here. None when
        that cannot be done now (the next save tries; verify reports a damaged index)."""
        try:
            if self.vault.read_index().get(self.plan_id) != summary:
                self.vault._update_index(self.plan_id, summary)
        except (VaultError, OSError):
            return None
        return summary

    def freeze(self, meeting_id: str) -> None:
        """Freeze the plan as it is at the next snapshot: that version is stored, together with
        the meeting's id, in the plan's archive (written before the plan that names it), and
        the meeting's closed_version names it. Call when a meeting is closed, then save."""
        if self.plan.meeting(meeting_id) is None:
            raise PlanError("outcome_needs_meeting")
        self._freeze = meeting_id

    def reopen(self, meeting_id: str, reason: str, now: datetime) -> Reopening:
        """Open a closed meeting again with a reason: written to the access log first (no
        re-opening without its entry), then recorded on the meeting. Its frozen version stays."""
        meeting = self.plan.meeting(meeting_id)
        if meeting is None:
            raise PlanError("outcome_needs_meeting")
        if meeting.status != MeetingStatus.CLOSED:
            raise PlanError("meeting_not_closed")
        if not reason.strip():
            raise PlanError("reopen_needs_reason")
        user = accesslog._os_user()
        info = {"meeting": self.plan.meetings.index(meeting) + 1, "closed_version": meeting.closed_version}
        self.vault.log_event(Action.REOPEN, self.plan_id, Purpose.MEETING, detail=reason.strip(),
                             info=info, now=now)
        return meeting.reopen(reason, now, by=user)

    def snapshot(self, now: datetime | None = None) -> Snapshot | None:
        """The plan as JSON to write, or None when nothing changed since the last snapshot
        (written or being written: text typed and deleted again while a write was under way
        is written deleted). A failed write makes the next snapshot write again. Runs on the UI
        thread: one serialisation of the plan and one comparison of bytes."""
        freeze = self.plan.meeting(self._freeze) if self._freeze else None
        if freeze is not None:
            # the frozen version names itself: closed_version is the version being made now
            freeze.closed_version = self.plan.version + 1
        body = _plan_body(self.plan)  # when this fails, the freeze is still asked for
        self._freeze = ""
        if freeze is None and body == self._compared_body:
            return None
        self._compared_body = body
        self.plan.version += 1
        self.plan.updated_at = (now or datetime.now()).replace(microsecond=0)
        snap = Snapshot(self.plan.version, self.plan.updated_at.isoformat(timespec="seconds"), body)
        self._pending_summary = summarise(self.plan)
        if freeze is not None:
            with self._versions_lock:
                self._unwritten_versions.append({
                    "version": snap.version,
                    "meeting_id": freeze.id,
                    "frozen_at": snap.updated_at,
                    "plan": snap.plan(),
                })
        return snap

    def write(self, snap: Snapshot) -> None:
        """Encrypt and write a snapshot (any thread; the app keeps writes in order). When it
        fails, the next snapshot compares with what was written last, and so writes again."""
        try:
            self._write(snap)
        except BaseException:
            self._compared_body = self._written_body
            raise

    def _write(self, snap: Snapshot) -> None:
        if self.closed:
            raise VaultError("plan_closed")
        summary = self._pending_summary
        with self._versions_lock:
            frozen = [v for v in self._unwritten_versions if v["version"] <= snap.version]
        # the whole document is written anew (never updated in place: until the write has
        # succeeded, what is kept as written must stay as it was, so a failed write is retried)
        tables = dict(self._tables)
        if frozen or _has_legacy_archive(tables):
            # the frozen version first, then the plan that names it: a crash between leaves a
            # version no meeting names (ignored, see _named_versions), never a name without one
            archive = self.vault._archive_for_writing(self.plan_id)
            _take_legacy_archive(tables, archive)
            # a version above the last one written to the plan was left by a write that
            # failed after the archive's: no plan names it, and this one may take its number
            written = self._last_version
            archive["versions"] = [r for r in archive["versions"] if int(r.get("version", 0)) <= written]
            archive["versions"] += frozen
            self.vault._write_archive(self.plan_id, archive)
        tables["meta"] = {"1": {"archive": 1}}  # this plan keeps an archive: a missing one was removed
        # {"plan": {"1": <the plan>}, <the other tables>}: the plan's JSON is not parsed again
        rest = encode_json(tables)
        self.db.storage.write_raw(b'{"plan":{"1":' + snap.plan_json() + b"}," + rest[1:])
        self.db.clear_cache()
        self._tables = tables
        if frozen:
            with self._versions_lock:
                self._unwritten_versions = [
                    v for v in self._unwritten_versions if all(v is not f for f in frozen)]
        if summary is not None and summary != self._last_summary:
            self.vault._update_index(self.plan_id, summary)
            self._last_summary = summary
        if not self._change_logged:
            self.vault.log_event(Action.CHANGE, self.plan_id)
            self._change_logged = True
        # only now: when the index or the log failed, the next snapshot writes again
        self._written_body, self._last_version = snap.body, snap.version

    def save(self, now: datetime | None = None) -> bool:
        snap = self.snapshot(now)
        if snap is None:
            return False
        self.write(snap)
        return True

    def replace(self, new_plan: Plan, now: datetime) -> None:
        """Replace the plan by another version of it; the old one is kept in its history."""
        storage = self.db.storage
        db = dict(storage.read() or {})
        old = db.get("plan", {}).get("1")
        new_plan.version = max(new_plan.version, self.plan.version) + 1
        new_plan.updated_at = now.replace(microsecond=0)
        data = plan_to_dict(new_plan)
        archive = self.vault._archive_for_writing(self.plan_id)
        _take_legacy_archive(db, archive)
        history = dict(db.get("history", {}))
        if old is not None:
            # the old plan goes to the archive first; the plan file keeps when and to which
            # version (what the chair's view polls for), so an archived plan that no stamp
            # names (a crash between the two writes) is never shown as history
            stamp = {"replaced_at": now.isoformat(timespec="seconds"), "replaced_version": old.get("version"),
                     "version_after": new_plan.version}
            archive["history"].append(dict(stamp, plan=old))
            history[str(max((int(k) for k in history), default=0) + 1)] = stamp
        self.vault._write_archive(self.plan_id, archive)
        db["plan"] = {"1": data}
        db["history"] = history
        db["meta"] = {"1": {"archive": 1}}
        storage.write(db)
        storage.forget()
        self.db.clear_cache()
        self.plan = new_plan
        self._tables = {k: v for k, v in db.items() if k != "plan"}
        self._compared_body = self._written_body = _plan_body(new_plan)
        self._last_version = new_plan.version
        self._last_summary = summarise(new_plan)
        self.vault._update_index(self.plan_id, self._last_summary)

    def history(self) -> list[dict[str, Any]]:
        """The replaced plans, oldest first: {"replaced_at", "version_after", "plan"}."""
        return self.vault._history_records(self.plan_id, self.db.storage.read() or {})

    def frozen_versions(self) -> list[dict[str, Any]]:
        """The versions frozen when meetings were closed, as the plan on disk names them, oldest
        first (`freeze`)."""
        stored = self.db.storage.read() or {}
        return self.vault._frozen_records(self.plan_id, stored, stored.get("plan", {}).get("1") or {})

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._lock.release()


class Vault:
    """An unlocked vault. Create with `Vault.create` or `Vault.unlock`."""

    def __init__(self, path: Path, data_key: bytes) -> None:
        self.path = Path(path)
        self._sealer: Sealer | None = Sealer(data_key)
        self._viewed: set[tuple[str, str]] = set()  # (plan, mode) logged as viewed already
        self._viewed_lock = threading.Lock()
        disable_core_dumps()

    # ------------------------------------------------------------------ opening

    @staticmethod
    def exists(path: Path) -> bool:
        return vault_exists(path)

    @classmethod
    def create(cls, path: Path, passphrase: str, params: KdfParams | None = None) -> Vault:
        path = Path(path)
        if cls.exists(path):
            raise VaultError("exists", path=str(path))
        reason = check_passphrase_strength(passphrase)
        if reason:
            raise VaultError(reason)
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
        (path / PLANS).mkdir(exist_ok=True, mode=0o700)
        data_key = os.urandom(32)
        crypto.atomic_write(path / KEYFILE, crypto.wrap_data_key(data_key, passphrase, params or KdfParams()))
        vault = cls(path, data_key)
        vault._write_index({})
        vault.access_log.initialise()
        vault.access_log.record_unlock(created=True)
        return vault

    @classmethod
    def read_keyfile(cls, path: Path) -> bytes:
        path = Path(path)
        keyfile = path / KEYFILE
        if not keyfile.is_file():
            raise VaultError("missing", path=str(path))
        blob = keyfile.read_bytes()
        try:
            crypto.read_keyfile_params(blob)
        except FramingError as err:
            if err.code == "kdf_params":
                raise VaultError("kdf_params") from None
            raise _framing_to_vault_error(err, KEYFILE) from None
        return blob

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Vault:
        path = Path(path)
        blob = cls.read_keyfile(path)
        try:
            data_key = crypto.unwrap_data_key(blob, passphrase)
        except FramingError as err:
            if err.code == "tag":
                try:  # counted in plaintext (no key): the next unlock logs it
                    accesslog.record_failed_unlock(path)
                except (OSError, AccessLogError):
                    pass  # a read-only vault still says "wrong passphrase"
                raise VaultError("wrong_passphrase") from None
            raise _framing_to_vault_error(err, KEYFILE) from None
        vault = cls(path, data_key)
        # no access without an entry: an unwritable log fails the unlock
        vault.access_log.record_unlock()
        return vault

    def close(self) -> None:
        """Drop the key (Python cannot wipe memory; dropping the only reference is what we can do)."""
        self._sealer = None

    @property
    def sealer(self) -> Sealer:
        if self._sealer is None:
            raise VaultError("locked")
        return self._sealer

    @property
    def access_log(self) -> AccessLog:
        return AccessLog(self.path, self.sealer)

    def log_event(
        self,
        action: str,
        plan_id: str = "",
        purpose: str = "",
        purpose_text: str = "",
        *,
        detail: str = "",
        info: dict[str, Any] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Append to the access log (exports, bundles, re-opened meetings: the callers' events)."""
        self.access_log.append(action, plan_id, purpose, purpose_text, detail=detail, info=info, now=now)

    def _log_view(self, plan_id: str, mode: str) -> None:
        """The first read-only view and the first opening for writing per plan per unlock; a
        follower polling the plan is not logged again."""
        with self._viewed_lock:
            if (plan_id, mode) in self._viewed:
                return
            self.log_event(Action.VIEW, plan_id, info={"mode": mode})
            self._viewed.add((plan_id, mode))

    @property
    def plans_dir(self) -> Path:
        return self.path / PLANS

    def plan_path(self, plan_id: str) -> Path:
        if not _PLAN_ID.fullmatch(plan_id):
            raise VaultError("unknown_plan", plan=plan_id)
        return self.plans_dir / f"{plan_id}{PLAN_SUFFIX}"

    def archive_path(self, plan_id: str) -> Path:
        return self.plan_path(plan_id).with_suffix(ARCHIVE_SUFFIX)

    # ------------------------------------------------------------------ a plan's archive

    def _read_archive(self, plan_id: str) -> dict[str, list[dict[str, Any]]]:
        """{"versions": [...], "history": [...]}; empty when the plan has no archive file yet."""
        path = self.archive_path(plan_id)
        try:
            raw = self._read_encrypted(path, crypto.KIND_ARCHIVE, plan_id)
        except FileNotFoundError:
            return _empty_archive()
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if (not isinstance(data, dict) or set(data) != {"versions", "history"}
                or not all(isinstance(v, list) and all(isinstance(r, dict) for r in v) for v in data.values())):
            raise VaultError("damaged", file=path.name)
        return data

    def _write_archive(self, plan_id: str, archive: dict[str, list[dict[str, Any]]]) -> None:
        archive["versions"].sort(key=lambda r: int(r.get("version", 0)))
        crypto.atomic_write(self.archive_path(plan_id),
                            self.sealer.seal(crypto.KIND_ARCHIVE, plan_id, encode_json(archive)))

    def _frozen_records(self, plan_id: str, stored: dict[str, Any], plan: Plan | dict[str, Any]) -> list[dict[str, Any]]:
        """The frozen versions a meeting of `plan` names, oldest first (the archive's and, for a
        plan file from before the archive, its own table "versions")."""
        records = self._read_archive(plan_id)["versions"]
        records += [dict(r) for r in stored.get("versions", {}).values()]
        named = _named_versions(plan)
        unique = {int(r.get("version", 0)): r for r in records if r.get("version") in named}
        return [unique[v] for v in sorted(unique)]

    def _history_records(self, plan_id: str, stored: dict[str, Any]) -> list[dict[str, Any]]:
        """The replaced plans the plan file's stamps name, oldest first."""
        stamps = list(stored.get("history", {}).values())
        archived = {_history_key(r): r for r in self._read_archive(plan_id)["history"]}
        out = []
        for stamp in stamps:
            if "plan" in stamp:  # from before the archive: the stamp holds the plan itself
                out.append(dict(stamp))
            elif _history_key(stamp) in archived:
                out.append(archived[_history_key(stamp)])
        return out

    def _archive_for_writing(self, plan_id: str) -> dict[str, list[dict[str, Any]]]:
        """The archive to add to. A damaged one is set aside (kept, renamed, reported by
        verify) and a new one begun: a closing must never stop the plan from being saved."""
        try:
            return self._read_archive(plan_id)
        except VaultError:
            path = self.archive_path(plan_id)
            aside = path.with_name(f"{path.name}{DAMAGED_SUFFIX}{datetime.now():%Y%m%d%H%M%S}")
            os.replace(path, aside)
            return _empty_archive()

    # ------------------------------------------------------------------ index

    def _read_encrypted(self, path: Path, kind: int, identity: str) -> bytes:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise
        if size > MAX_FILE_SIZE:
            raise VaultError("damaged", file=path.name)
        blob = path.read_bytes()
        try:
            return self.sealer.open(kind, identity, blob)
        except FramingError as err:
            raise _framing_to_vault_error(err, path.name) from None

    def read_index(self) -> dict[str, dict[str, Any]]:
        try:
            raw = self._read_encrypted(self.path / INDEX, crypto.KIND_INDEX, "index")
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            raise VaultError("damaged", file=INDEX) from None
        return data.get("plans", {})

    def _write_index(self, plans: dict[str, dict[str, Any]]) -> None:
        raw = encode_json({"plans": plans})
        crypto.atomic_write(self.path / INDEX, self.sealer.seal(crypto.KIND_INDEX, "index", raw))

    def _update_index(self, plan_id: str, summary: dict[str, Any] | None) -> None:
        """Read-modify-write under the index lock, so two writers never lose each other's entry."""
        lock = _WriterLock(self.path / "index.lock")
        for _ in range(200):
            try:
                lock.acquire()
                break
            except VaultError:
                import time

                time.sleep(0.01)
        else:
            raise VaultError("index_busy")
        try:
            crypto.remove_stale_temps(self.path, INDEX)  # a crash's; nobody else writes now
            plans = self.read_index()
            if summary is None:
                plans.pop(plan_id, None)
            else:
                plans[plan_id] = summary
            self._write_index(plans)
        finally:
            lock.release()

    def list_plans(self) -> list[PlanSummary]:
        fields = set(PlanSummary.__dataclass_fields__)
        plans = [PlanSummary(**{k: v for k, v in entry.items() if k in fields})
                 for entry in self.read_index().values()]
        return sorted(plans, key=lambda p: p.citizen.casefold())

    def find(self, query: str) -> str:
        """A plan id from an id, a unique prefix of one, or a unique part of the citizen's name."""
        q = query.strip()
        index = self.read_index()
        if not q:
            raise VaultError("unknown_plan", plan=query)
        if q in index:
            return q
        by_prefix = [pid for pid in index if pid.startswith(q.lower())]
        if len(by_prefix) == 1:
            return by_prefix[0]
        by_name = [pid for pid, s in index.items() if q.casefold() in s["citizen"].casefold()]
        matches = sorted(set(by_prefix) | set(by_name))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise VaultError("unknown_plan", plan=query)
        raise VaultError("ambiguous_plan", plan=query, count=len(matches))

    # ------------------------------------------------------------------ plans

    def _plan_db(self, plan_id: str, *, read_only: bool = False) -> TinyDB:
        path = self.plan_path(plan_id)
        if not path.is_file():
            raise VaultError("unknown_plan", plan=plan_id)
        storage_initial = None
        if path.stat().st_size > MAX_FILE_SIZE:
            raise VaultError("damaged", file=path.name)
        try:
            raw = self.sealer.open(crypto.KIND_PLAN, plan_id, path.read_bytes())
            storage_initial = json.loads(raw)
        except FramingError as err:
            raise _framing_to_vault_error(err, path.name) from None
        except ValueError:
            raise VaultError("damaged", file=path.name) from None
        return TinyDB(
            path,
            storage=EncryptedStorage,
            sealer=self.sealer,
            kind=crypto.KIND_PLAN,
            identity=plan_id,
            read_only=read_only,
            initial=storage_initial,
        )

    @staticmethod
    def _plan_from_db(db: TinyDB, plan_id: str) -> Plan:
        doc = db.table("plan").get(doc_id=1)
        if doc is None:
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}")
        try:
            plan = plan_from_dict(dict(doc))
        except (ConversionError, PlanError, TypeError):
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}") from None
        if plan.id != plan_id:
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}")
        return plan

    def load_plan(self, plan_id: str, *, log: bool = True) -> Plan:
        """Read-only: decrypt the plan without taking the writer's lock (chair's view, exports).
        Logged as a view the first time per plan per unlock; `log=False` for the vault's own
        checks, which show nobody anything."""
        db = self._plan_db(plan_id, read_only=True)
        plan = self._plan_from_db(db, plan_id)
        if log:
            self._log_view(plan_id, "read")
        return plan

    def load_plan_data(self, plan_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Read-only, one decryption and no conversion: the plan as plain data and its replaced
        versions. For the chair's view, which converts only the meeting it shows and tells a
        `json import --replace` from an ordinary save by the history growing."""
        db = self._plan_db(plan_id, read_only=True)
        doc = db.table("plan").get(doc_id=1)
        if not isinstance(doc, dict):
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}")
        return dict(doc), [dict(d) for d in db.table("history").all()]

    def frozen_plan(self, plan_id: str, meeting_id: str) -> Plan | None:
        """Read-only: the plan as it was frozen when this meeting was last closed, or None.
        The minutes of a closed meeting are rendered from it, exactly as they were."""
        db = self._plan_db(plan_id, read_only=True)
        stored = db.storage.read() or {}
        doc = stored.get("plan", {}).get("1")
        if not isinstance(doc, dict):
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}")
        meeting = next((m for m in doc.get("meetings", []) if isinstance(m, dict) and m.get("id") == meeting_id), None)
        if meeting is None:
            return None
        # when it was last closed: now, or (opened again since) the closing undone last
        closings = [r.get("closed_version") for r in meeting.get("reopenings", []) if isinstance(r, dict)]
        last = meeting.get("closed_version") or next((v for v in reversed(closings) if v), 0)
        if not last:
            return None
        records = [r for r in self._frozen_records(plan_id, stored, doc)
                   if r.get("meeting_id") == meeting_id and r.get("version") == last]
        if not records:
            return None
        try:
            plan = plan_from_dict(records[-1]["plan"])
        except (ConversionError, PlanError, TypeError, KeyError):
            raise VaultError("damaged", file=f"{plan_id}{PLAN_SUFFIX}") from None
        self._log_view(plan_id, "read")
        return plan

    def plan_history(self, plan_id: str) -> list[dict[str, Any]]:
        db = self._plan_db(plan_id, read_only=True)
        history = self._history_records(plan_id, db.storage.read() or {})
        self._log_view(plan_id, "read")
        return history

    def open_plan(self, plan_id: str, *, log: bool = True) -> PlanHandle:
        """Open for writing; a second writer gets VaultError('plan_locked') naming the holder."""
        if not self.plan_path(plan_id).is_file():
            raise VaultError("unknown_plan", plan=plan_id)
        handle = PlanHandle(self, plan_id)
        if log:
            try:
                self._log_view(plan_id, "write")
            except BaseException:
                handle.close()
                raise
        return handle

    def add_plan(self, plan: Plan, now: datetime | None = None, *, log: bool = True) -> str:
        """Store a new plan. Its id must not exist in the vault yet."""
        if not _PLAN_ID.fullmatch(plan.id):
            raise VaultError("bad_plan_id", plan=plan.id)
        path = self.plan_path(plan.id)
        if path.exists():
            raise VaultError("plan_exists", plan=plan.id)
        lock = _WriterLock(path.with_suffix(LOCK_SUFFIX))
        lock.acquire()
        try:
            if plan.version <= 0:
                plan.version = 1
            if plan.updated_at is None:
                plan.updated_at = (now or datetime.now()).replace(microsecond=0)
            if plan.created_at is None:
                plan.created_at = plan.updated_at
            data = {"plan": {"1": plan_to_dict(plan)}, "history": {}, "meta": {"1": {"archive": 1}}}
            raw = encode_json(data)
            # every plan has its archive from the start: which plans have had a meeting closed
            # is not told by which files exist
            # an archive already there (the plan file was lost, and this brings the plan back)
            # keeps the frozen versions it holds
            made_archive = not self.archive_path(plan.id).exists()
            if made_archive:
                self._write_archive(plan.id, _empty_archive())
            try:
                crypto.atomic_write(path, self.sealer.seal(crypto.KIND_PLAN, plan.id, raw))
            except BaseException:
                if made_archive:
                    self.archive_path(plan.id).unlink(missing_ok=True)
                raise
            try:
                self._update_index(plan.id, summarise(plan))
            except BaseException:
                # never half made (a plan the index lacks can be neither found nor added
                # again): take the file back, unless the index did get it
                try:
                    listed = plan.id in self.read_index()
                except (VaultError, OSError):
                    listed = False
                if not listed:
                    path.unlink(missing_ok=True)
                    if made_archive:
                        self.archive_path(plan.id).unlink(missing_ok=True)
                raise
        finally:
            lock.release()
        if log:
            self.log_event(Action.CHANGE, plan.id, info={"created": True}, now=now)
        return plan.id

    def import_plan(
        self, plan: Plan, *, replace: bool = False, now: datetime | None = None, source: str = ""
    ) -> str:
        """Add or (with `replace`) replace a plan from outside; logged as an import. `source`
        says from what ("json", "bundle"), for the log. Logged before the plan is written, as
        exports are: a logged import that then fails beats an import the log never saw."""
        now = now or datetime.now()
        info: dict[str, Any] = {"source": source} if source else {}
        if not self.plan_path(plan.id).exists():
            self.log_event(Action.IMPORT, plan.id, info=info, now=now)
            self.add_plan(plan, now, log=False)
            return plan.id
        if not replace:
            raise VaultError("plan_exists", plan=plan.id)
        handle = self.open_plan(plan.id, log=False)
        try:
            self.log_event(Action.IMPORT, plan.id, info=dict(info, replaced=True), now=now)
            handle.replace(plan, now)
        finally:
            handle.close()
        return plan.id

    # ------------------------------------------------------------------ passphrase, checks

    def change_passphrase(self, new_passphrase: str, params: KdfParams | None = None) -> None:
        """Re-wrap the data key under the new passphrase; no plan file is rewritten."""
        reason = check_passphrase_strength(new_passphrase)
        if reason:
            raise VaultError(reason)
        data_key = self._data_key_for_rewrap()
        blob = crypto.wrap_data_key(data_key, new_passphrase, params or KdfParams())
        crypto.atomic_write(self.path / KEYFILE, blob)
        self.log_event(Action.PASSPHRASE_CHANGE)

    def _data_key_for_rewrap(self) -> bytes:
        # AESGCM does not expose its key; keep it on the Sealer for exactly this use
        return self.sealer._data_key  # type: ignore[attr-defined]

    def verify(self) -> list[tuple[str, str]]:
        """Check every file; return (file, problem message) pairs, empty when all is well."""
        problems: list[tuple[str, str]] = []
        try:
            index = self.read_index()
        except VaultError as err:
            problems.append((INDEX, err.message))
            index = {}
        seen = set()
        for path in sorted(self.plans_dir.glob(f"*{PLAN_SUFFIX}")):
            plan_id = path.name[: -len(PLAN_SUFFIX)]
            seen.add(plan_id)
            try:
                plan = self.load_plan(plan_id, log=False)
                plan.validate()
            except VaultError as err:
                problems.append((path.name, err.message))
                continue
            except PlanError as err:
                problems.append((path.name, t(err.code, **err.params)))
                continue
            try:
                if not self.archive_path(plan_id).exists():
                    stored = self._plan_db(plan_id, read_only=True).storage.read() or {}
                    if stored.get("meta"):  # a plan that keeps one (not one from before it)
                        raise VaultError("archive_missing")
                self._read_archive(plan_id)
            except VaultError as err:
                problems.append((self.archive_path(plan_id).name, err.message))
            if plan_id not in index:
                problems.append((path.name, t("vault.not_in_index")))
        for plan_id in index:
            if plan_id not in seen:
                problems.append((f"{plan_id}{PLAN_SUFFIX}", t("vault.missing_plan_file")))
        for path in sorted(self.plans_dir.glob(f"*{ARCHIVE_SUFFIX}")):
            if path.name[: -len(ARCHIVE_SUFFIX)] not in seen:
                problems.append((path.name, t("vault.archive_without_plan")))
        for path in sorted(self.plans_dir.glob(f"*{ARCHIVE_SUFFIX}{DAMAGED_SUFFIX}*")):
            problems.append((path.name, t("vault.archive_set_aside")))
        problems += [(p.file, p.message) for p in self.access_log.verify()]
        for folder in (self.path, self.plans_dir):
            for p in folder.iterdir():
                if p.is_file():
                    mode = stat.S_IMODE(p.stat().st_mode)
                    if mode & 0o077:
                        problems.append((p.name, t("vault.loose_permissions", mode=oct(mode))))
        return problems


def _empty_archive() -> dict[str, list[dict[str, Any]]]:
    return {"versions": [], "history": []}


def _named_versions(plan: Plan | dict[str, Any]) -> set[int]:
    """The frozen versions a plan names: each closed meeting's, and each earlier closing of a
    meeting that was opened again. A frozen version no meeting names was never part of the
    plan on disk (a crash between writing it and the plan)."""
    if isinstance(plan, Plan):
        meetings = [(m.closed_version, [r.closed_version for r in m.reopenings]) for m in plan.meetings]
    else:
        meetings = [(m.get("closed_version"), [r.get("closed_version") for r in m.get("reopenings", []) if isinstance(r, dict)])
                    for m in plan.get("meetings", []) if isinstance(m, dict)]
    return {v for closed, earlier in meetings for v in (closed, *earlier) if isinstance(v, int) and v > 0}


def _history_key(record: dict[str, Any]) -> tuple[Any, Any]:
    """Which replacement a record is: when, and which version of the plan it replaced (two
    replacements can come within one second; each replaces another version)."""
    return record.get("replaced_at"), record.get("replaced_version")


def _has_legacy_archive(db: dict[str, Any]) -> bool:
    return bool(db.get("versions")) or any("plan" in r for r in db.get("history", {}).values())


def _take_legacy_archive(db: dict[str, Any], archive: dict[str, list[dict[str, Any]]]) -> None:
    """Move what a plan file from before the archive kept itself (its frozen versions and the
    replaced plans) into the archive; the plan file keeps the replacement stamps only."""
    known = {r.get("version") for r in archive["versions"]}
    archive["versions"] += [dict(r) for r in db.pop("versions", {}).values() if r.get("version") not in known]
    history = {}
    archived = {_history_key(r) for r in archive["history"]}
    for key, record in db.get("history", {}).items():
        if "plan" in record:
            record = dict(record, replaced_version=(record.get("plan") or {}).get("version"))
            if _history_key(record) not in archived:
                archive["history"].append(record)
            record = {k: v for k, v in record.items() if k != "plan"}
        history[key] = record
    if "history" in db:
        db["history"] = history


def plan_status_label(status: str) -> str:
    return t(f"enum.{status}") if status else t("vault.no_meeting")


__all__ = [
    "MeetingStatus",
    "PlanHandle",
    "PlanSummary",
    "Vault",
    "VaultError",
    "check_passphrase_strength",
    "default_vault_dir",
]
