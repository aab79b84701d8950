"""The vault's file framing: one authenticated, encrypted format for every file, and the
atomic durable write. The primitives come from `cryptography` (Argon2id, AES-256-GCM).

Every encrypted file is

    magic "KIPTUI" | format version (1 byte) | kind (1 byte) | key id (8 bytes) | nonce (12 bytes)
    | AES-256-GCM ciphertext + tag

and the associated data is the whole header plus the file's identity (the plan id for a plan),
so a file cannot be altered, truncated, or swapped for another plan's without the tag failing.
"""

from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# `cryptography` is imported where it is used, not here: the unlock screen appears before the
# library has loaded (it is needed a moment later, in the worker that derives the key).


def _aesgcm(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def sha256(data: bytes) -> bytes:
    """SHA-256 from `cryptography`, which is loaded anyway. Python's hashlib (and hmac and
    secrets, which import it) would bring its own OpenSSL binding: 0.75 MiB more memory."""
    from cryptography.hazmat.primitives.hashes import SHA256, Hash

    h = Hash(SHA256())
    h.update(data)
    return h.finalize()


def _invalid_tag() -> type[Exception]:
    from cryptography.exceptions import InvalidTag

    return InvalidTag

MAGIC = b"KIPTUI"
FORMAT_VERSION = 1
KIND_KEYFILE = 1
KIND_PLAN = 2
KIND_INDEX = 3
KIND_LOG = 4
KIND_ARCHIVE = 5  # a plan's frozen and replaced versions (vault.py)
_HEADER = struct.Struct(">6sBB8s12s")  # magic, version, kind, key id, nonce
HEADER_SIZE = _HEADER.size
TAG_SIZE = 16

# Argon2id: at least RFC 9106's second recommended setting; bounded above so a crafted key
# file cannot make an unlock take minutes or exhaust memory.
KDF_MEMORY_KIB = 64 * 1024
KDF_ITERATIONS = 3
KDF_LANES = 4
KDF_BOUNDS = {
    "memory_kib": (64 * 1024, 1024 * 1024),
    "iterations": (3, 16),
    "lanes": (1, 16),
}

#: How many times a key-encryption key was derived in this process (tests: once per unlock).
kdf_calls = 0


class FramingError(Exception):
    """Raised with a short code: 'damaged', 'version', 'kind', 'wrong_vault', 'tag'."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = KDF_MEMORY_KIB
    iterations: int = KDF_ITERATIONS
    lanes: int = KDF_LANES

    def check_bounds(self) -> None:
        for name, (lo, hi) in KDF_BOUNDS.items():
            value = getattr(self, name)
            if not lo <= value <= hi:
                raise FramingError("kdf_params")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Passphrase → 256-bit key-encryption key (Argon2id). Slow on purpose; once per unlock."""
    global kdf_calls
    params.check_bounds()
    kdf_calls += 1
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(passphrase.encode("utf-8"))


def key_id(data_key: bytes) -> bytes:
    """A public fingerprint of the data key: tells 'file of another vault' from 'damaged'."""
    return sha256(b"kiptui key id\x00" + data_key)[:8]


class Sealer:
    """Encrypts and decrypts the vault's files with the unwrapped data key."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = _aesgcm(data_key)
        self._data_key = data_key  # only for re-wrapping at a passphrase change
        self.key_id = key_id(data_key)

    def seal(self, kind: int, identity: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, kind, self.key_id, nonce)
        return header + self._aead.encrypt(nonce, plaintext, header + identity.encode())

    def open(self, kind: int, identity: str, blob: bytes) -> bytes:
        header = parse_header(blob, kind)
        _, _, _, kid, nonce = _HEADER.unpack(header)
        if kid != self.key_id:
            raise FramingError("wrong_vault")
        try:
            return self._aead.decrypt(nonce, blob[HEADER_SIZE:], header + identity.encode())
        except _invalid_tag():
            raise FramingError("tag") from None


def parse_header(blob: bytes, kind: int) -> bytes:
    if len(blob) < HEADER_SIZE + TAG_SIZE:
        raise FramingError("damaged")
    header = blob[:HEADER_SIZE]
    magic, version, file_kind, _, _ = _HEADER.unpack(header)
    if magic != MAGIC:
        raise FramingError("damaged")
    if version != FORMAT_VERSION:
        raise FramingError("version")
    if file_kind != kind:
        raise FramingError("kind")
    return header


# ------------------------------------------------------------------------- the key file
# magic | version | kind=1 | memory u32 | iterations u32 | lanes u32 | salt 16 | nonce 12
# | wrapped data key (32 + 16) | sha256 of everything before
# The checksum tells a damaged key file apart from a wrong passphrase (both fail the tag).

_KEYFILE = struct.Struct(">6sBBIII16s12s")
KEYFILE_SIZE = _KEYFILE.size + 32 + TAG_SIZE + 32


def wrap_data_key(data_key: bytes, passphrase: str, params: KdfParams) -> bytes:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    head = _KEYFILE.pack(
        MAGIC, FORMAT_VERSION, KIND_KEYFILE, params.memory_kib, params.iterations, params.lanes,
        salt, nonce,
    )
    kek = derive_kek(passphrase, salt, params)
    body = head + _aesgcm(kek).encrypt(nonce, data_key, head)
    return body + sha256(body)


def read_keyfile_params(blob: bytes) -> tuple[bytes, KdfParams, bytes, bytes, bytes]:
    """Check and parse a key file without deriving anything: (head, params, salt, nonce, wrapped)."""
    if len(blob) != KEYFILE_SIZE:
        raise FramingError("damaged")
    body, checksum = blob[:-32], blob[-32:]
    # a checksum of bytes anyone can read, not a secret: no constant-time comparison needed
    if sha256(body) != checksum:
        raise FramingError("damaged")
    head = body[: _KEYFILE.size]
    magic, version, kind, memory, iterations, lanes, salt, nonce = _KEYFILE.unpack(head)
    if magic != MAGIC or kind != KIND_KEYFILE:
        raise FramingError("damaged")
    if version != FORMAT_VERSION:
        raise FramingError("version")
    params = KdfParams(memory, iterations, lanes)
    params.check_bounds()
    return head, params, salt, nonce, body[_KEYFILE.size :]


def unwrap_data_key(blob: bytes, passphrase: str) -> bytes:
    """Raises FramingError('tag') for a wrong passphrase, other codes for a bad file."""
    head, params, salt, nonce, wrapped = read_keyfile_params(blob)
    kek = derive_kek(passphrase, salt, params)
    try:
        return _aesgcm(kek).decrypt(nonce, wrapped, head)
    except _invalid_tag():
        raise FramingError("tag") from None


# ------------------------------------------------------------------------- durable writes


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some platforms cannot open folders; the replace itself is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes, *, before_replace: Callable[[], None] | None = None) -> None:
    """Write `data` so that a crash leaves either the old or the new file, never a torn one:
    a temp file in the same folder (mode 0600, made with O_EXCL and never through a
    symbolic link), fsync, os.replace, fsync the folder. A symbolic link at `path` is itself
    replaced; the file it points to is not touched.

    `before_replace` runs once the data is safely in the temp file and before it is given
    its name (an export logs itself there: a write that fails is never logged, and nothing
    reaches `path` unlogged). Whatever fails, the temp file is removed and `path` untouched."""
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def remove_stale_temps(folder: Path, stem: str | None = None) -> int:
    """Remove temp files left by a crash (they hold ciphertext only, but are clutter)."""
    removed = 0
    pattern = f".{stem}.*{TEMP_SUFFIX}" if stem else f".*{TEMP_SUFFIX}"
    for p in folder.glob(pattern):
        try:
            p.unlink()
            removed += 1
        except OSError:
            pass
    return removed
