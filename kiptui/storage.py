"""A TinyDB Storage that keeps each database as one encrypted, authenticated, atomically
written file (TinyDB's own JSONStorage writes in place and tears on a crash).

The decrypted document lives only in memory; `read()` returns the cached dict after the first
decryption, so an update costs one encryption and one durable write, never a re-read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from kiptui import crypto
from kiptui.crypto import Sealer


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
        # check_circular off: the document is a tree of plain values (to_dict builds it anew)
        plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")
        crypto.atomic_write(self.path, self._sealer.seal(self._kind, self._identity, plaintext))
        self._cache = data

    def replace_cache(self, data: dict[str, Any]) -> None:
        """Swap the cached document for an equal one (the caller's, to share its objects)."""
        self._cache = data

    def close(self) -> None:
        self._cache = None
