"""The official age test vectors (C2SP CCTV, vendored in tests/testdata/age-testkit/) against
kiptui's bundle reader.

* every passphrase vector (scrypt_*, armor_scrypt) through decrypt_age_file: success exactly
  where `expect: success`, with the payload's SHA-256; each failure the matching BundleError;
  header failures without any key derivation;
* every armor_* vector through dearmor alone: it fails exactly on `armor failure`, and what it
  returns is the file pyrage decrypts to the expected payload (for the X25519 ones);
* the stream_* vectors, which exist for X25519 only, put into scrypt form with their file key
  (the payload is unchanged, so is the expectation) and opened with a passphrase;
* every vector for another identity (X25519, hybrid) is refused cleanly, before any
  derivation: "not a passphrase bundle", or "damaged" where the header grammar is broken;
* the stream and HMAC vectors also straight through pyrage with their X25519 identity:
  the library kiptui relies on for the payload must handle them as the spec says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pyrage
import pytest

from kiptui import bundle
from kiptui.bundle import BundleError, decrypt_age_file, dearmor
from tests.agefiles import TESTKIT, Vector, load_testkit, rewrap_as_scrypt

VECTORS = load_testkit()
assert VECTORS, f"the age testkit is missing from {TESTKIT}"  # never skipped silently

# What each `expect:` may become. A header failure is usually "damaged"; the more precise
# codes are the ones a user can act on.
HEADER_FAILURE = {"damaged", "truncated", "not_age", "unsupported_version", "work_factor"}
EXPECTED_CODES: dict[str, set[str]] = {
    "header failure": HEADER_FAILURE,
    "HMAC failure": {"damaged"},
    "payload failure": {"damaged", "truncated"},
    "armor failure": {"armor"},
    "no match": {"wrong_passphrase", "not_passphrase"},
}
# Vectors whose code we know exactly.
EXACT_CODES = {
    "scrypt_work_factor_23": "work_factor",
    "scrypt_work_factor_overflow": "work_factor",
    "scrypt_no_match": "wrong_passphrase",
    "scrypt_bad_tag": "wrong_passphrase",
    "scrypt_work_factor_wrong": "wrong_passphrase",
    "scrypt_uppercase": "not_passphrase",
    "scrypt_and_x25519": "damaged",
    "scrypt_double": "damaged",
    "scrypt_long_file_key": "damaged",
    "empty": "truncated",
    "version_unsupported": "unsupported_version",
    "stream_no_nonce": "truncated",
    "stream_short_nonce": "truncated",
    "stream_no_chunks": "truncated",
}


def by_name(predicate: Callable[[Vector], bool]) -> list[Any]:
    return [pytest.param(v, id=v.name) for v in VECTORS if predicate(v)]


def is_passphrase(v: Vector) -> bool:
    return bool(v.passphrases)


def is_other_identity(v: Vector) -> bool:
    return not v.passphrases and bool(v.identities)


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the calls of pyrage.passphrase.decrypt (the only place a key is derived)."""
    calls: list[int] = []
    real = pyrage.passphrase.decrypt

    def counting(data: bytes, passphrase: str) -> bytes:
        calls.append(len(data))
        return real(data, passphrase)

    monkeypatch.setattr(pyrage.passphrase, "decrypt", counting)
    yield calls


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(v: Vector, run: Callable[[], bytes], expect: str | None = None) -> BundleError | None:
    """Run and compare with the vector's expectation; the error, if one was expected."""
    expect = expect or v.expect
    if expect == "success":
        out = run()
        assert sha256(out) == v.payload_sha256
        return None
    with pytest.raises(BundleError) as caught:
        run()
    code = caught.value.code
    assert code in EXPECTED_CODES[expect], (v.name, expect, code)
    if v.name in EXACT_CODES:
        assert code == EXACT_CODES[v.name]
    assert str(caught.value) and str(caught.value) != caught.value.message_key
    return caught.value


def test_the_testkit_has_the_families_the_bundle_relies_on() -> None:
    names = {v.name for v in VECTORS}
    assert len(VECTORS) > 100
    for required in ("scrypt", "armor_scrypt", "scrypt_work_factor_23", "stream_two_chunks",
                     "hmac_bad", "armor_whitespace_outside", "armor_not_canonical"):
        assert required in names
    assert sum(is_passphrase(v) for v in VECTORS) >= 25


@pytest.mark.parametrize("v", by_name(is_passphrase))
def test_passphrase_vector(v: Vector, derivations: list[int]) -> None:
    passphrase = v.passphrases[0]
    check(v, lambda: decrypt_age_file(v.body, passphrase))
    if v.expect == "header failure":
        assert derivations == [], "a header failure must be found before any key derivation"
    if v.expect in ("success", "no match") and v.name != "scrypt_uppercase":
        assert len(derivations) == 1


@pytest.mark.parametrize("v", by_name(lambda v: v.name.startswith("armor_")))
def test_armor_vector_through_dearmor(v: Vector) -> None:
    if v.expect == "armor failure":
        with pytest.raises(BundleError) as caught:
            dearmor(v.body)
        assert caught.value.code == "armor"
        return
    binary = dearmor(v.body)
    if v.name == "armor_empty":
        assert binary == b""
        return
    assert binary.startswith(b"age-encryption.org/")
    assert bundle.armor(binary).strip() == v.body.strip().replace(b"\r\n", b"\n")
    identity = v.x25519_identity
    if identity is not None:
        run = lambda: pyrage.decrypt(binary, [pyrage.x25519.Identity.from_str(identity)])  # noqa: E731
        if v.expect == "success":
            assert sha256(run()) == v.payload_sha256
        else:  # the file behind the armor is broken: pyrage refuses it
            with pytest.raises(pyrage.DecryptError):
                run()


@pytest.mark.parametrize("v", by_name(lambda v: v.name.startswith("stream_") and v.file_key is not None))
def test_stream_vector_in_scrypt_form(v: Vector, derivations: list[int]) -> None:
    assert v.file_key is not None
    rewrapped = rewrap_as_scrypt(v.body, v.file_key, "stream-vector-passphrase")
    check(v, lambda: decrypt_age_file(rewrapped, "stream-vector-passphrase"))
    if v.expect == "success":
        assert len(derivations) == 1
    # the rewrapped header is right, so a wrong passphrase is told apart from a broken payload
    with pytest.raises(BundleError) as caught:
        decrypt_age_file(rewrapped, "not-the-passphrase")
    assert caught.value.code in ({"wrong_passphrase"} if len(rewrapped) > 200 else {"wrong_passphrase", "truncated"})


# Header failures in the grammar of the header itself, whatever the identity: kiptui's parser
# must catch them (pyrage accepts two of them, stanza_missing_body and
# stanza_missing_final_line; the spec and the testkit do not).
GRAMMAR_FAILURES = {
    "header_crlf", "hmac_extra_space", "hmac_garbage", "hmac_missing", "hmac_no_space",
    "hmac_not_canonical", "hmac_trailing_space", "hmac_truncated", "stanza_bad_start",
    "stanza_base64_padding", "stanza_empty_argument", "stanza_invalid_character",
    "stanza_long_line", "stanza_missing_body", "stanza_missing_final_line",
    "stanza_multiple_short_lines", "stanza_no_arguments", "stanza_not_canonical",
    "stanza_spurious_cr", "version_unsupported", "armor_header_crlf", "x25519_not_canonical_body",
}


@pytest.mark.parametrize("v", by_name(is_other_identity))
def test_other_identity_vector_is_refused_before_derivation(v: Vector, derivations: list[int]) -> None:
    with pytest.raises(BundleError) as caught:
        decrypt_age_file(v.body, "password")
    code = caught.value.code
    if v.expect == "armor failure":
        assert code == "armor"
    elif v.name in GRAMMAR_FAILURES:
        assert code in HEADER_FAILURE, code
    elif v.expect == "header failure":
        # an X25519/hybrid stanza broken in its own terms (low-order share, long file key):
        # for a passphrase reader it is simply not a passphrase file
        assert code in HEADER_FAILURE | {"not_passphrase"}, code
    else:
        assert code == "not_passphrase", code
    assert derivations == []


@pytest.mark.parametrize(
    "v",
    by_name(lambda v: v.x25519_identity is not None and v.name.startswith(("stream_", "hmac_"))),
)
def test_pyrage_handles_stream_and_hmac_vectors(v: Vector) -> None:
    identity = pyrage.x25519.Identity.from_str(v.x25519_identity or "")
    if v.expect == "success":
        assert sha256(pyrage.decrypt(v.body, [identity])) == v.payload_sha256
    else:
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(v.body, [identity])
