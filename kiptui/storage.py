"""A TinyDB Storage that keeps each database as one encrypted, authenticated, atomically
written file (TinyDB's own JSONStorage writes in place and tears on a crash).

The decrypted document lives only in memory; `read()` returns the cached dict after the first
decryption, so an update costs one encryption and one durable write, never a re-read. A plan
open for writing keeps no decrypted copy at all (`write_raw`, `forget`): its handle holds the
plan itself, and `read()` decrypts the file again in the rare case something asks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from kiptui import crypto
from kiptui.crypto import Sealer


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON of a document of plain values (what `to_dict` gives). orjson writes
    the large plan in about a tenth of the standard library's time (see docs/PERFORMANCE.md);
    where it refuses a value the standard library accepts (an int beyond 64 bits, a key that is
    not a string), the standard library writes it, so the same document always gives the same
    JSON values. A string no UTF-8 can hold (a lone surrogate) fails either way."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        # check_circular off: the document is a tree of plain values (to_dict builds it anew)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")


def encode_fields(obj: Any, names: tuple[str, ...], fallback: Any) -> bytes:
    """The fields `names` of a dataclass (the plan: dataclasses all the way down) as one JSON
    object, in one pass: orjson reads dataclasses, datetimes, dates and StrEnums itself. It
    gives the JSON values `to_dict` gives (tests hold it to that for generated plans), without
    first building 6,000 dicts for the large plan (see docs/PERFORMANCE.md). `fallback(obj)` is
    the dict `to_dict` gives, written with the standard library where orjson refuses a value
    (an int beyond 64 bits)."""
    try:
        return orjson.dumps({name: getattr(obj, name) for name in names}, option=orjson.OPT_OMIT_MICROSECONDS)
    except orjson.JSONEncodeError:
        plain = fallback(obj)
        data = {name: plain[name] for name in names}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")


class EncryptedStorage(Storage):
    def __init__(
        self,
        path: Path,
        sealer: Sealer,
        kind: int,
        identity: str,
        *,
        read_only: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.path = Path(path)
        self._sealer = sealer
        self._kind = kind
        self._identity = identity
        self._read_only = read_only
        self._cache: dict[str, Any] | None = initial

    def read(self) -> dict[str, Any] | None:
        if self._cache is None:
            try:
                blob = self.path.read_bytes()
            except FileNotFoundError:
                return None
            self._cache = json.loads(self._sealer.open(self._kind, self._identity, blob))
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        if self._read_only:
            raise PermissionError("read-only storage")
        plaintext = encode_json(data)
        crypto.atomic_write(self.path, self._sealer.seal(self._kind, self._identity, plaintext))
        self._cache = data

    def write_raw(self, plaintext: bytes) -> None:
        """Write a document given as its JSON; no decrypted copy is kept (`forget`)."""
        if self._read_only:
            raise PermissionError("read-only storage")
        crypto.atomic_write(self.path, self._sealer.seal(self._kind, self._identity, plaintext))
        self._cache = None

    def forget(self) -> None:
        """Drop the decrypted copy; the next `read()` decrypts the file again."""
        self._cache = None

    def close(self) -> None:
        self._cache = None
