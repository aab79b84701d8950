"""The vault's access log (GDPR): who unlocked the vault, viewed, changed, exported, bundled or
imported which plan, when and for what purpose; encrypted, hash-chained and append-only.

Design, in the vault folder:

    log.kip             append-only: records of  length (4 bytes, big-endian) | sealed entry.
                        Entry n is sealed with the data key (KIND_LOG, identity "log:<n>") and
                        holds the SHA-256 of entry n-1's canonical bytes, and the chain's id.
    loghead.kip         sealed (identity "log-head"): chain id, entry count, log size, last hash;
                        rewritten atomically after every append. Appends cost O(1): one
                        record written and fsync'd at the end of log.kip, then the small head.
    log.lock            the OS lock that serialises appends between threads and processes.
    failed-unlocks.json plaintext (there is no key yet): count and times of wrong passphrases,
                        no personal data; the next successful unlock logs it and removes it.

`verify()` finds an entry edited, removed, inserted or moved (AEAD tag or broken hash chain),
entries cut off at the end (fewer than the head counts), and the head rolled back alone (more
entries than it counts). A crash between the record and the head leaves one record beyond the
head, or a torn one: verify accepts exactly that (so a head one entry behind passes), and the
next append anchors or drops it and logs that it did. Any other damage found at an append sets
the old files aside (log-damaged-*, reported by verify until someone moves them out) and
starts a new chain whose first entry says why, so the vault stays usable.

What it cannot detect: log and head rolled back together to an older copy (or both deleted:
the new chain then starts with a "log restarted" entry, but nothing older to compare with); a
rewrite by someone holding the passphrase, who holds the data key and can forge a consistent
log — `kiptui log` prints the chain's last hash so a printed copy anchors it outside the vault;
and the plaintext failed-unlock counter can be deleted by anyone who can write the folder.
"""

from __future__ import annotations

import getpass
import json
import os
import struct
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiptui import crypto
from kiptui.crypto import FramingError, Sealer
from kiptui.i18n import UserError, fmt_datetime, t

try:  # POSIX advisory locks; Windows gets msvcrt's byte-range lock
    import fcntl
except ImportError:  # pragma: no cover - not on the CI platform
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOG_FILE = "log.kip"
HEAD_FILE = "loghead.kip"
LOCK_FILE = "log.lock"
FAILED_FILE = "failed-unlocks.json"
SET_ASIDE_PREFIX = "log-damaged-"
HEAD_IDENTITY = "log-head"
GENESIS = "0" * 64
MAX_RECORD = 64 * 1024
MAX_DETAIL = 2000
MAX_PURPOSE_TEXT = 500
LOCK_TIMEOUT = 10.0
_LEN = struct.Struct(">I")


class Action(StrEnum):
    UNLOCK = "unlock"
    FAILED_UNLOCKS = "failed_unlocks"
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    BUNDLE = "bundle"
    IMPORT = "import"
    PASSPHRASE_CHANGE = "passphrase_change"
    REOPEN = "reopen"  # a closed meeting re-opened (with a reason, in `detail`)
    LOG_RESTARTED = "log_restarted"
    LOG_REPAIRED = "log_repaired"


class Purpose(StrEnum):
    MEETING = "meeting"
    FOLLOW_UP = "follow_up"
    SECURE_MAIL = "secure_mail"
    CITIZEN_ACCESS = "citizen_access"
    TRANSFER = "transfer"
    OTHER = "other"


PURPOSES: tuple[str, ...] = tuple(p.value for p in Purpose)
#: Entries about the log itself: part of every plan's log, since they say it may be incomplete.
INTEGRITY_ACTIONS = frozenset({Action.LOG_RESTARTED, Action.LOG_REPAIRED})


class AccessLogError(UserError):
    """A problem with the log itself ('accesslog.error.<code>')."""

    KEY_PREFIX = "accesslog.error."


@dataclass(frozen=True)
class LogEntry:
    seq: int
    chain: str
    prev: str
    time: datetime
    user: str
    action: str
    plan_id: str
    purpose: str
    purpose_text: str
    detail: str
    info: dict[str, Any]
    digest: str  # SHA-256 of this entry's canonical bytes; the next entry's `prev`


@dataclass(frozen=True)
class LogProblem:
    file: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return t(f"accesslog.problem.{self.code}", **self.params)


@dataclass(frozen=True)
class LogHead:
    chain: str
    count: int
    size: int
    last: str


@dataclass
class LogScan:
    """Everything read from the log: the entries that check out (a prefix), and the problems."""

    entries: list[LogEntry]
    problems: list[LogProblem]
    head: LogHead | None


@dataclass(frozen=True)
class FailedUnlocks:
    count: int
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class SetAside:
    """A log set aside by this process: why ('leftover' at a new vault, else the damage's
    code), the folder and the file names it now has."""

    reason: str
    folder: Path
    files: tuple[str, ...]

    @property
    def message(self) -> str:
        """One line for the user: that the log was set aside, why, and where the copy is."""
        files = ", ".join(self.files)
        if not self.files:  # log and head both gone: nothing to set aside
            return t("accesslog.restarted_notice", folder=str(self.folder))
        if self.reason == "leftover":
            return t("accesslog.set_aside_leftover_notice", files=files, folder=str(self.folder))
        return t("accesslog.set_aside_notice", reason=t(f"accesslog.reason.{self.reason}"),
                 files=files, folder=str(self.folder))


@dataclass(frozen=True)
class SetAsideLog:
    """A set-aside log file read as far as it checks out: `entries` are the readable ones
    before the damage, oldest first; `stop` says why reading ended early ('' at the end)."""

    name: str
    entries: list[LogEntry]
    stop: str


#: Logs set aside by this process and not yet said (take_set_aside_notices).
_set_aside_notices: list[SetAside] = []


def take_set_aside_notices() -> list[SetAside]:
    """The logs set aside in this process since the last call: a damaged log is never set
    aside in silence (the command line says each on stderr)."""
    taken = list(_set_aside_notices)
    del _set_aside_notices[: len(taken)]
    return taken


class _Damaged(Exception):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


# --------------------------------------------------------------------------- small helpers


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_identity(seq: int) -> str:
    return f"log:{seq}"


def _local_iso(moment: datetime | None) -> str:
    moment = (moment or datetime.now()).replace(microsecond=0)
    return moment.astimezone().isoformat(timespec="seconds")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to lose the entry
        return "?"


class _FileLock:
    """Exclusive OS lock on `path`, waiting up to LOCK_TIMEOUT. Not re-entrant."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> _FileLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:  # pragma: no cover
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise AccessLogError("busy") from None
                time.sleep(0.005)
        self._fd = fd
        return self

    def __exit__(self, *_exc: object) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:  # pragma: no cover
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)


def _entry_from_raw(raw: bytes, seq: int) -> LogEntry:
    """Parse an opened record; raise _Damaged('entry_damaged') if it is not a well-formed entry."""
    try:
        data = json.loads(raw)
        if canonical(data) != raw or data["seq"] != seq:
            raise ValueError
        info = data["info"]
        strings = [data[k] for k in ("chain", "prev", "user", "action", "plan", "purpose",
                                     "purpose_text", "detail", "time")]
        if not all(isinstance(s, str) for s in strings) or not isinstance(info, dict):
            raise ValueError
        return LogEntry(
            seq=seq, chain=data["chain"], prev=data["prev"],
            time=datetime.fromisoformat(data["time"]), user=data["user"],
            action=data["action"], plan_id=data["plan"], purpose=data["purpose"],
            purpose_text=data["purpose_text"], detail=data["detail"], info=info,
            digest=crypto.sha256(raw).hex(),
        )
    except (ValueError, KeyError, TypeError):
        raise _Damaged("entry_damaged") from None


# --------------------------------------------------------------------------- the log


class AccessLog:
    """The access log of the vault at `vault_path`, read and written with the vault's `sealer`."""

    def __init__(self, vault_path: Path, sealer: Sealer) -> None:
        self.path = Path(vault_path)
        self.sealer = sealer

    @property
    def log_path(self) -> Path:
        return self.path / LOG_FILE

    @property
    def head_path(self) -> Path:
        return self.path / HEAD_FILE

    def _lock(self) -> _FileLock:
        return _FileLock(self.path / LOCK_FILE)

    # ------------------------------------------------------------------ writing

    def initialise(self) -> None:
        """Anchor an empty chain (a new vault), so a missing head is damage from then on."""
        with self._lock():
            # files left by a vault whose key file is gone cannot be read with this key: keep
            # them as evidence beside the new chain (verify reports them)
            moved = self._set_aside(datetime.now())
            if moved:
                _set_aside_notices.append(SetAside("leftover", self.path, tuple(moved)))
            self._write_head(LogHead(os.urandom(8).hex(), 0, 0, GENESIS))

    def append(
        self,
        action: str,
        plan_id: str = "",
        purpose: str = "",
        purpose_text: str = "",
        *,
        detail: str = "",
        info: dict[str, Any] | None = None,
        now: datetime | None = None,
        user: str | None = None,
    ) -> LogEntry:
        """Append one entry (durably) and return it."""
        fields = self._fields(action, plan_id, purpose, purpose_text, detail, info, now, user)
        with self._lock():
            head = self._prepare(now)
            entry, _ = self._write_entry(head, fields)
        return entry

    def record_unlock(self, now: datetime | None = None, *, created: bool = False) -> list[LogEntry]:
        """Log an unlock, preceded by the failed attempts counted since the last one."""
        unlock = self._fields(Action.UNLOCK, info={"created": True} if created else {}, now=now)
        written = []
        with self._lock():
            failed = _read_failed(self.path)
            head = self._prepare(now)
            if failed.count:
                info: dict[str, Any] = {"count": failed.count}
                if failed.first:
                    info["first"] = failed.first.isoformat(timespec="seconds")
                if failed.last:
                    info["last"] = failed.last.isoformat(timespec="seconds")
                entry, head = self._write_entry(head, self._fields(Action.FAILED_UNLOCKS, info=info, now=now))
                written.append(entry)
            entry, head = self._write_entry(head, unlock)
            written.append(entry)
            if failed.count:  # only after the entry is durable: counted twice beats not at all
                _remove_failed(self.path)
        return written

    def _fields(
        self,
        action: str,
        plan_id: str = "",
        purpose: str = "",
        purpose_text: str = "",
        detail: str = "",
        info: dict[str, Any] | None = None,
        now: datetime | None = None,
        user: str | None = None,
    ) -> dict[str, Any]:
        try:
            action = Action(action).value
        except ValueError:
            raise ValueError(f"unknown access-log action {action!r}") from None
        if purpose:
            try:
                purpose = Purpose(purpose).value
            except ValueError:
                raise ValueError(f"unknown access-log purpose {purpose!r}") from None
        return {
            "time": _local_iso(now),
            "user": user if user is not None else _os_user(),
            "action": action,
            "plan": plan_id,
            "purpose": purpose,
            "purpose_text": purpose_text[:MAX_PURPOSE_TEXT],
            "detail": detail[:MAX_DETAIL],
            "info": dict(info or {}),
        }

    def _prepare(self, now: datetime | None) -> LogHead:
        """Under the lock: the head to chain from, after mending what a crash can leave behind
        or, for anything else, setting the damaged log aside and starting a new chain."""
        crypto.remove_stale_temps(self.path, HEAD_FILE)
        try:
            head = self._read_head()
            if head is None:
                raise _Damaged("head_missing")
            size = self.log_path.stat().st_size if self.log_path.exists() else 0
            if size < head.size:
                raise _Damaged("truncated")
            if size == head.size:
                return head
            return self._mend_tail(head, size, now)
        except _Damaged as damage:
            return self._restart(damage.code, now)

    def _mend_tail(self, head: LogHead, size: int, now: datetime | None) -> LogHead:
        if size - head.size > _LEN.size + MAX_RECORD:
            raise _Damaged("unanchored")
        with open(self.log_path, "rb") as fh:
            fh.seek(head.size)
            tail = fh.read()
        zeros = not tail.strip(b"\x00")  # a power loss can leave zeros where a record was
        length = _LEN.unpack_from(tail)[0] if len(tail) >= _LEN.size else None
        if not zeros and length is not None and _LEN.size + length == len(tail):
            # one whole record beyond the head: written just before a crash?
            try:
                raw = self.sealer.open(crypto.KIND_LOG, record_identity(head.count), tail[_LEN.size:])
                entry = _entry_from_raw(raw, head.count)
            except (FramingError, _Damaged):
                raise _Damaged("unanchored") from None
            if entry.prev != head.last or entry.chain != head.chain:
                raise _Damaged("unanchored")
            head = LogHead(head.chain, head.count + 1, size, entry.digest)
            self._write_head(head)
            kind = "anchored"
        elif zeros or length is None or _LEN.size + length > len(tail):
            # a record torn by a crash (or zeros after a power loss): it never became an entry
            fd = os.open(self.log_path, os.O_WRONLY)
            try:
                os.ftruncate(fd, head.size)
                os.fsync(fd)
            finally:
                os.close(fd)
            kind = "torn"
        else:
            raise _Damaged("unanchored")
        _, head = self._write_entry(
            head, self._fields(Action.LOG_REPAIRED, info={"kind": kind, "bytes": len(tail)}, now=now))
        return head

    def _set_aside(self, now: datetime | None) -> list[str]:
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S") + "-" + os.urandom(2).hex()
        moved = []
        for path in (self.log_path, self.head_path):
            if path.exists():
                target = self.path / f"{SET_ASIDE_PREFIX}{stamp}-{path.name}"
                os.replace(path, target)
                moved.append(target.name)
        if moved:
            crypto.fsync_dir(self.path)
        return moved

    def _restart(self, reason: str, now: datetime | None) -> LogHead:
        moved = self._set_aside(now)
        _set_aside_notices.append(SetAside(reason, self.path, tuple(moved)))
        head = LogHead(os.urandom(8).hex(), 0, 0, GENESIS)
        self._write_head(head)
        _, head = self._write_entry(
            head, self._fields(Action.LOG_RESTARTED, info={"reason": reason, "files": moved}, now=now))
        return head

    def _write_entry(self, head: LogHead, fields: dict[str, Any]) -> tuple[LogEntry, LogHead]:
        seq = head.count
        data = dict(fields, seq=seq, chain=head.chain, prev=head.last)
        raw = canonical(data)
        blob = self.sealer.seal(crypto.KIND_LOG, record_identity(seq), raw)
        record = _LEN.pack(len(blob)) + blob
        created = not self.log_path.exists()
        fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.lseek(fd, head.size, os.SEEK_SET)
            try:
                view = memoryview(record)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except BaseException:
                try:  # leave no torn record behind when we can help it
                    os.ftruncate(fd, head.size)
                except OSError:
                    pass
                raise
        finally:
            os.close(fd)
        if created:
            crypto.fsync_dir(self.path)
        entry = _entry_from_raw(raw, seq)
        new_head = LogHead(head.chain, seq + 1, head.size + len(record), entry.digest)
        self._write_head(new_head)
        return entry, new_head

    def _write_head(self, head: LogHead) -> None:
        raw = canonical({"v": 1, "chain": head.chain, "count": head.count, "size": head.size,
                         "last": head.last})
        crypto.atomic_write(self.head_path, self.sealer.seal(crypto.KIND_LOG, HEAD_IDENTITY, raw))

    # ------------------------------------------------------------------ reading

    def _read_head(self) -> LogHead | None:
        try:
            blob = self.head_path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = json.loads(self.sealer.open(crypto.KIND_LOG, HEAD_IDENTITY, blob))
            head = LogHead(str(data["chain"]), int(data["count"]), int(data["size"]), str(data["last"]))
        except (FramingError, ValueError, KeyError, TypeError):
            raise _Damaged("head_damaged") from None
        if head.count < 0 or head.size < 0:
            raise _Damaged("head_damaged")
        return head

    def scan(self) -> LogScan:
        """Read the whole log and check the chain against the head (O(size of the log)); under
        the lock, so an append in another process is never mistaken for damage."""
        with self._lock():
            return self._scan()

    def _scan(self) -> LogScan:
        problems: list[LogProblem] = []
        head: LogHead | None = None
        try:
            head = self._read_head()
            if head is None:
                problems.append(LogProblem(HEAD_FILE, "head_missing"))
        except _Damaged as damage:
            problems.append(LogProblem(HEAD_FILE, damage.code))
        try:
            data = self.log_path.read_bytes()
        except FileNotFoundError:
            data = b""
        entries, ends, stop = self._read_records(data, head.chain if head else None)
        n = len(entries) + 1  # the entry (1-based) where reading stopped
        if head is None:
            if stop:
                problems.append(LogProblem(LOG_FILE, stop, {"n": n}))
        elif len(entries) < head.count:  # damage inside what the head anchors
            if stop in ("", "torn"):
                problems.append(LogProblem(LOG_FILE, "truncated",
                                           {"found": len(entries), "expected": head.count}))
            else:
                problems.append(LogProblem(LOG_FILE, stop, {"n": n}))
        elif (ends[head.count - 1] if head.count else 0) != head.size or \
                (entries[head.count - 1].digest if head.count else GENESIS) != head.last:
            problems.append(LogProblem(HEAD_FILE, "head_mismatch"))
        else:
            extra = len(entries) - head.count
            # What a crash between a record and its head leaves: one whole record or a torn
            # one beyond the head. The next append anchors or drops it, and logs that.
            crash_leftover = (extra == 0 and stop in ("", "torn")) or (extra == 1 and not stop)
            if crash_leftover:
                pass
            elif stop in ("entry_damaged", "chain_broken") and extra <= 1:
                problems.append(LogProblem(LOG_FILE, stop, {"n": n}))
            else:
                problems.append(LogProblem(LOG_FILE, "unanchored",
                                           {"found": len(entries), "expected": head.count}))
        for path in sorted(self.path.glob(f"{SET_ASIDE_PREFIX}*")):
            problems.append(LogProblem(path.name, "set_aside", {"file": path.name}))
        return LogScan(entries, problems, head)

    def _read_records(self, data: bytes, chain: str | None) -> tuple[list[LogEntry], list[int], str]:
        """The entries of a log file's bytes as far as they check out (a prefix), where each
        ends, and why reading stopped early ("torn", "entry_damaged", "chain_broken"; "" at
        the end). `chain`: the chain id the entries must carry (None: the first entry's)."""
        entries: list[LogEntry] = []
        ends: list[int] = []  # where each good record ends
        prev = GENESIS
        pos, stop = 0, ""
        while pos < len(data):
            seq = len(entries)
            rest = len(data) - pos
            length = _LEN.unpack_from(data, pos)[0] if rest >= _LEN.size else None
            if length is None or length > MAX_RECORD or _LEN.size + length > rest \
                    or not data[pos:].strip(b"\x00"):
                stop = "torn"
                break
            blob = data[pos + _LEN.size : pos + _LEN.size + length]
            try:
                entry = _entry_from_raw(self.sealer.open(crypto.KIND_LOG, record_identity(seq), blob), seq)
            except (FramingError, _Damaged):
                stop = "entry_damaged"
                break
            if chain is None:
                chain = entry.chain
            if entry.prev != prev or entry.chain != chain:
                stop = "chain_broken"
                break
            entries.append(entry)
            prev = entry.digest
            pos += _LEN.size + length
            ends.append(pos)
        return entries, ends, stop

    def set_aside_logs(self) -> list[SetAsideLog]:
        """The damaged logs set aside in this vault (log-damaged-*-log.kip), oldest first,
        each read as far as it checks out: what the log held before the damage. (Written
        with this vault's key unless it was left by an earlier vault: then none is readable.)"""
        with self._lock():
            found = []
            for path in sorted(self.path.glob(f"{SET_ASIDE_PREFIX}*-{LOG_FILE}")):
                try:
                    data = path.read_bytes()
                except OSError:
                    data = b""
                entries, _, stop = self._read_records(data, None)
                found.append(SetAsideLog(path.name, entries, stop))
            return found

    def entries(self, plan_id: str | None = None) -> list[LogEntry]:
        """The entries that check out, oldest first; for a plan: its own entries and the notes
        about the log itself (a restart or repair means the log may be incomplete there)."""
        entries = self.scan().entries
        return entries if plan_id is None else plan_entries(entries, plan_id)

    def verify(self) -> list[LogProblem]:
        return self.scan().problems


def plan_entries(entries: list[LogEntry], plan_id: str) -> list[LogEntry]:
    return [e for e in entries if e.plan_id == plan_id or e.action in INTEGRITY_ACTIONS]


# --------------------------------------------------------------------------- failed unlocks


def _read_failed(vault_path: Path) -> FailedUnlocks:
    try:
        raw = (Path(vault_path) / FAILED_FILE).read_bytes()[:4096]
    except FileNotFoundError:
        return FailedUnlocks(0, None, None)
    try:
        data = json.loads(raw)
        count = max(1, int(data.get("count", 1)))
    except (ValueError, TypeError, AttributeError):
        return FailedUnlocks(1, None, None)  # unreadable: at least one attempt made it

    def when(key: str) -> datetime | None:
        try:
            return datetime.fromisoformat(str(data.get(key)))
        except ValueError:
            return None

    return FailedUnlocks(count, when("first"), when("last"))


def _remove_failed(vault_path: Path) -> None:
    try:
        (Path(vault_path) / FAILED_FILE).unlink()
    except FileNotFoundError:
        return
    crypto.fsync_dir(Path(vault_path))


def record_failed_unlock(vault_path: Path, now: datetime | None = None) -> FailedUnlocks:
    """Count a wrong passphrase in the plaintext counter (no key, so not in the log itself)."""
    vault_path = Path(vault_path)
    stamp = _local_iso(now)
    with _FileLock(vault_path / LOCK_FILE):
        old = _read_failed(vault_path)
        first = old.first.isoformat(timespec="seconds") if old.first else stamp
        raw = json.dumps({"count": old.count + 1, "first": first, "last": stamp}).encode()
        crypto.atomic_write(vault_path / FAILED_FILE, raw)
        return _read_failed(vault_path)


def peek_failed_unlocks(vault_path: Path) -> FailedUnlocks:
    return _read_failed(Path(vault_path))


def take_failed_unlocks(vault_path: Path) -> FailedUnlocks:
    """Read and reset the counter. (`AccessLog.record_unlock` does this and logs it.)"""
    with _FileLock(Path(vault_path) / LOCK_FILE):
        failed = _read_failed(vault_path)
        _remove_failed(vault_path)
        return failed


# --------------------------------------------------------------------------- showing it


def _when(text: Any) -> str:
    try:
        return fmt_datetime(datetime.fromisoformat(str(text)).astimezone())
    except ValueError:
        return "?"


def action_label(entry: LogEntry) -> str:
    if entry.action == Action.VIEW:
        mode = "write" if entry.info.get("mode") == "write" else "read"
        return t(f"accesslog.action.view_{mode}")
    return t(f"accesslog.action.{entry.action}")


def purpose_label(entry: LogEntry) -> str:
    from kiptui.textsafe import one_line

    label = t(f"accesslog.purpose.{entry.purpose}") if entry.purpose else ""
    text = one_line(entry.purpose_text)
    return f"{label}: {text}" if label and text else label or text


def detail_text(entry: LogEntry) -> str:
    """What happened beyond the action: from the entry's structured info, plus its free text."""
    from kiptui.textsafe import one_line

    info = entry.info
    parts: list[str] = []
    if entry.action == Action.FAILED_UNLOCKS:
        parts.append(t("accesslog.detail.failed", count=info.get("count", "?"),
                       first=_when(info.get("first")), last=_when(info.get("last"))))
    elif entry.action == Action.UNLOCK and info.get("created"):
        parts.append(t("accesslog.detail.created_vault"))
    elif entry.action == Action.CHANGE and info.get("created"):
        parts.append(t("accesslog.detail.created_plan"))
    elif entry.action == Action.EXPORT:
        fmt = str(info.get("format", ""))
        label = t(f"accesslog.format.{fmt}") if fmt else ""
        label = fmt if label.startswith("accesslog.") else label
        path = one_line(str(info.get("path", "")))
        parts.append(t("accesslog.detail.to_file", what=label, path=path) if path
                     else t("accesslog.detail.to_stdout", what=label))
    elif entry.action == Action.IMPORT:
        if info.get("source"):
            parts.append(t("accesslog.detail.source", source=one_line(str(info["source"]))))
        if info.get("replaced"):
            parts.append(t("accesslog.detail.replaced"))
    elif entry.action == Action.LOG_RESTARTED:
        files = ", ".join(one_line(str(f)) for f in info.get("files", [])) or "–"
        reason = t(f"accesslog.reason.{info.get('reason')}")
        parts.append(t("accesslog.detail.restarted", reason=reason, files=files))
    elif entry.action == Action.LOG_REPAIRED:
        key = "anchored" if info.get("kind") == "anchored" else "torn"
        parts.append(t(f"accesslog.detail.repaired_{key}", bytes=info.get("bytes", "?")))
    if entry.detail:
        parts.append(one_line(entry.detail))
    return "; ".join(p for p in parts if p)


def format_table(entries: list[LogEntry]) -> str:
    """The entries as a plain-text table with Danish (or English) headings."""
    headers = [t("accesslog.col_time"), t("accesslog.col_user"), t("accesslog.col_action"),
               t("accesslog.col_purpose"), t("accesslog.col_detail")]
    from kiptui.textsafe import one_line

    rows = [[fmt_datetime(e.time.astimezone()), one_line(e.user), action_label(e),
             purpose_label(e) or "–", detail_text(e) or "–"] for e in entries]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------- exports (the command line's and F12's)


def log_export(vault: Any, plan: Any, fmt: str, path: Path | None, purpose: str, purpose_text: str,
               *, include_cpr: bool) -> None:
    """The access-log entry of a plaintext export (the command line's and F12's): its format,
    the file it went to (the file itself, a link at that name included: the folder resolved,
    not the name) and whether it holds the CPR number (info "cpr", and in words)."""
    cpr = include_cpr and bool(plan.citizen.cpr.strip())
    info: dict[str, Any] = {"format": fmt, "cpr": cpr}
    if path is not None:
        info["path"] = str(path.absolute().parent.resolve() / path.name)
    vault.log_event("export", plan.id, purpose, purpose_text, info=info, detail=_cpr_words(cpr))


def log_bundle(vault: Any, plan: Any, path: Path, purpose: str, purpose_text: str, *, include_cpr: bool) -> None:
    """The access-log entry of a bundle (F12's and `bundle export`'s): the plan version it
    holds, its file name, its recipients (the contacts with an e-mail address) and whether
    it holds the CPR number (info "cpr", and in words); never the passphrase. Written when
    the bundle is on the disk, before it has its name (crypto.atomic_write's before_replace):
    a bundle that fails to be written is not logged, and none gets its name unlogged."""
    from kiptui.textsafe import one_line

    cpr = include_cpr and bool(plan.citizen.cpr.strip())
    recipients = ", ".join(one_line(c.name) for c in plan.contacts if c.email.strip()) or "–"
    detail = t("cli.bundle_log_detail", version=plan.version, file=path.name, recipients=recipients)
    vault.log_event("bundle", plan.id, purpose, purpose_text, info={"cpr": cpr},
                    detail=f"{detail}; {_cpr_words(cpr)}")


def _cpr_words(included: bool) -> str:
    return t("cli.log_with_cpr" if included else "cli.log_without_cpr")


__all__ = [
    "AccessLog",
    "AccessLogError",
    "Action",
    "FailedUnlocks",
    "LogEntry",
    "LogProblem",
    "LogScan",
    "PURPOSES",
    "Purpose",
    "SetAside",
    "SetAsideLog",
    "format_table",
    "log_bundle",
    "log_export",
    "peek_failed_unlocks",
    "plan_entries",
    "record_failed_unlock",
    "take_failed_unlocks",
    "take_set_aside_notices",
]
