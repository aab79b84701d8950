"""The vault folder's key file name and the check whether a folder holds a vault: cheap to
import (no cryptography, no TinyDB), so the unlock screen can ask it before those load."""

from __future__ import annotations

from pathlib import Path

KEYFILE = "vault.kip"


def vault_exists(path: Path | str) -> bool:
    return (Path(path) / KEYFILE).is_file()
