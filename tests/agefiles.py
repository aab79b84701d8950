"""Test fixtures for age files: a small reference writer for scrypt age files, the testkit
reader, and a pty driver for the real `age` command.

The writer exists only so that tests can make age files that pyrage cannot: a cheap work
factor (2^10, so that hundreds of tamper cases take seconds, not hours), a chosen file key
(to put the testkit's stream vectors into scrypt form) and hostile headers. It follows the
age spec (c2sp.org/age) using the `cryptography` package's primitives; kiptui itself never
uses it — kiptui's bundles are written and read by pyrage. That pyrage opens what this
writer makes is itself checked in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import pty
import re
import select
import signal
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

# the official vectors, vendored (their licence allows a copy): CI runs them on a clean clone
TESTKIT = Path(__file__).resolve().parent / "testdata" / "age-testkit"

CHUNK = 64 * 1024


def b64raw(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def wrap_lines(encoded: bytes) -> bytes:
    """A stanza body: 64-column lines, the last one shorter (possibly empty)."""
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append(b"")
    return b"\n".join(lines) + b"\n"


def scrypt_stanza(file_key: bytes, passphrase: str, log_n: int, salt: bytes) -> bytes:
    wrap_key = Scrypt(
        salt=b"age-encryption.org/v1/scrypt" + salt, length=32, n=2**log_n, r=8, p=1
    ).derive(passphrase.encode("utf-8"))
    body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
    return b"-> scrypt " + b64raw(salt) + b" " + str(log_n).encode() + b"\n" + wrap_lines(b64raw(body))


def finish_header(file_key: bytes, stanzas: bytes) -> bytes:
    """Version line, stanzas, and the MAC line computed with the file key."""
    head = b"age-encryption.org/v1\n" + stanzas + b"---"
    mac = hmac.new(_hkdf(file_key, b"", b"header"), head, hashlib.sha256).digest()
    return head + b" " + b64raw(mac) + b"\n"


def encrypt_payload(file_key: bytes, plaintext: bytes, nonce: bytes | None = None) -> bytes:
    nonce = os.urandom(16) if nonce is None else nonce
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    chunks = [plaintext[i : i + CHUNK] for i in range(0, len(plaintext), CHUNK)] or [b""]
    out = [nonce]
    for n, chunk in enumerate(chunks):
        last = b"\x01" if n == len(chunks) - 1 else b"\x00"
        out.append(aead.encrypt(n.to_bytes(11, "big") + last, chunk, None))
    return b"".join(out)


def make_scrypt_file(plaintext: bytes, passphrase: str, log_n: int = 10) -> bytes:
    """A valid binary age file for `passphrase`, with a cheap work factor."""
    file_key = os.urandom(16)
    header = finish_header(file_key, scrypt_stanza(file_key, passphrase, log_n, os.urandom(16)))
    return header + encrypt_payload(file_key, plaintext)


def header_length(age_file: bytes) -> int:
    """Where the payload starts: after the first line that begins with '---'."""
    match = re.search(rb"^--- [^\n]*\n", age_file, re.M)
    assert match is not None
    return match.end()


def rewrap_as_scrypt(age_file: bytes, file_key: bytes, passphrase: str, log_n: int = 10) -> bytes:
    """The same payload behind a fresh scrypt header for the same file key: turns a testkit
    vector made for an X25519 identity into one for a passphrase."""
    stanza = scrypt_stanza(file_key, passphrase, log_n, os.urandom(16))
    return finish_header(file_key, stanza) + age_file[header_length(age_file) :]


def hostile_scrypt_header(arguments: bytes, body: bytes | None = None, extra: bytes = b"") -> bytes:
    """A scrypt file whose stanza says whatever the test wants. Nothing in it is derived (the
    body and MAC are random), so it costs nothing to make; it must cost nothing to reject."""
    body = os.urandom(32) if body is None else body
    stanza = b"-> scrypt " + arguments + b"\n" + wrap_lines(b64raw(body))
    return (
        b"age-encryption.org/v1\n" + stanza + extra + b"--- " + b64raw(os.urandom(32)) + b"\n"
        + os.urandom(16) + os.urandom(48)
    )


# --------------------------------------------------------------------------- the testkit


@dataclass
class Vector:
    name: str
    expect: str
    body: bytes
    payload_sha256: str | None = None
    file_key: bytes | None = None
    passphrases: list[str] = field(default_factory=list)
    identities: list[str] = field(default_factory=list)
    armored: bool = False
    comment: str = ""

    @property
    def x25519_identity(self) -> str | None:
        ids = [i for i in self.identities if i.startswith("AGE-SECRET-KEY-1")]
        return ids[0] if ids else None


def load_vector(path: Path) -> Vector:
    raw = path.read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    assert sep, f"{path.name}: no blank line after the header"
    fields: dict[str, list[str]] = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return Vector(
        name=path.name,
        expect=fields["expect"][0],
        body=body,
        payload_sha256=fields.get("payload", [None])[0],
        file_key=bytes.fromhex(fields["file key"][0]) if "file key" in fields else None,
        passphrases=fields.get("passphrase", []),
        identities=fields.get("identity", []),
        armored=fields.get("armored") == ["yes"],
        comment=" ".join(fields.get("comment", [])),
    )


def load_testkit() -> list[Vector]:
    if not TESTKIT.is_dir():
        return []
    return [load_vector(p) for p in sorted(TESTKIT.iterdir()) if p.is_file() and p.name != "SOURCE.md"]


# --------------------------------------------------------------------------- driving `age`


def run_with_tty(argv: list[str], answers: list[str], timeout: float = 120.0) -> tuple[int, bytes]:
    """Run argv with a pseudo-terminal as its controlling terminal (age reads passphrases from
    /dev/tty), answering each prompt that ends in ':' with the next of `answers`.
    Returns the exit code and everything written to the terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    pending = list(answers)
    output = b""
    mark = 0
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"{argv!r} did not finish; terminal said {output!r}")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if pending and re.search(rb"passphrase[^\n]*:\s*$", output[mark:], re.I):
                os.write(fd, pending.pop(0).encode("utf-8") + b"\n")
                mark = len(output)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output
