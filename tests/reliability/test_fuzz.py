"""Fuzzing the two doors a file from outside comes in by: `kiptui json import` (planjson.parse_plan)
and `kiptui bundle open` (bundle.open_bundle). Whatever the bytes, the only exceptions are
PlanFormatError and BundleError: never a crash, a traceback, a hang or a silently wrong plan.

Inputs: random bytes and text; valid documents (the demo plan, hypothesis plans full of hostile
text) mutated as JSON (values replaced by any JSON, keys removed or added, types swapped) and as
bytes (flips, cuts, insertions); age files with random headers; kiptui bundles mutated as bytes,
binary and armored; and validly encrypted bundles whose content is such a mutated document.

Counts: 500 cases per target in CI, 10,000 with KIPTUI_FULL=1; derandomized, so a run is
repeatable. The scrypt work-factor cap is lowered to 2^16 here (a mutated header may ask for
more), so every case that gets past the header costs milliseconds, not seconds.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiptui import bundle
from kiptui.bundle import BundleError, armor, bundle_payload, open_bundle
from kiptui.i18n import set_language
from kiptui.planjson import PlanFormatError, parse_plan, plan_document
from kiptui.resources import data_path
from tests.agefiles import encrypt_payload, finish_header, scrypt_stanza
from tests.reliability.common import NOW, count, meeting_plan
from tests.strategies import plans

CASES = count(500, 10_000)
PASSPHRASE = "blomst-kaffe-bjerg-lampe-svale"
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _danish_and_cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    set_language("da")
    monkeypatch.setattr(bundle, "MAX_WORK_FACTOR", 16)
    yield
    set_language("da")


def sealed(plaintext: bytes, log_n: int = 2, seed: bytes = b"kiptui") -> bytes:
    """A valid binary age passphrase file, made deterministically (keys from `seed`)."""
    file_key = hashlib.sha256(b"key" + seed).digest()[:16]
    salt = hashlib.sha256(b"salt" + seed).digest()[:16]
    nonce = hashlib.sha256(b"nonce" + seed).digest()[:16]
    return finish_header(file_key, scrypt_stanza(file_key, PASSPHRASE, log_n, salt)) + \
        encrypt_payload(file_key, plaintext, nonce)


# --------------------------------------------------------------------------- mutations

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**19, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
    | st.sampled_from(["", "2026-11-23", "2026-11-23T10:00:00", "0123456789abcdef", "present", "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _mutate(draw: st.DrawFn, document: Any) -> Any:
    """One change somewhere in a JSON document: replace, delete, add, duplicate, retype."""
    root = {"": document}
    parent: Any = root
    key: Any = ""
    while isinstance(parent[key], dict | list) and parent[key] and draw(st.integers(0, 3)):
        node = parent[key]
        parent, key = node, draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
    op = draw(st.sampled_from(["replace", "delete", "add", "duplicate", "retype"]))
    value = parent[key]
    if op == "replace":
        parent[key] = draw(JSON_VALUES)
    elif op == "delete" and parent is not root:
        del parent[key]
    elif op == "add" and isinstance(value, dict):
        value[draw(st.text(max_size=10))] = draw(JSON_VALUES)
    elif op == "duplicate" and isinstance(value, list) and value:
        value.append(copy.deepcopy(value[draw(st.integers(0, len(value) - 1))]))
    else:  # retype: the same content as another JSON type
        parent[key] = str(value) if not isinstance(value, str) else (int(value) if value.isdigit() else [value])
    return root[""]


def _mutate_bytes(draw: st.DrawFn, data: bytes, max_changes: int = 3) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, max_changes))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "splice"]))
        if op == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del out[at:]
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 16))]
        else:  # a piece of the file again, elsewhere
            start = draw(st.integers(0, len(out) - 1))
            out[at:at] = out[start : start + draw(st.integers(1, 64))]
    return bytes(out)


def _demo() -> dict[str, Any]:
    return json.loads(data_path("demo-plan.json").read_text(encoding="utf-8"))


DEMO = _demo()
SMALL = plan_document(meeting_plan(), NOW)
VALID_DOCUMENTS = st.one_of(
    st.sampled_from([DEMO, SMALL]).map(copy.deepcopy),
    plans(max_contacts=3, max_meetings=1).map(lambda p: plan_document(p, NOW)),
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    document = draw(VALID_DOCUMENTS)
    for _ in range(draw(st.integers(1, 4))):
        document = _mutate(draw, document)
    return document


def _dump(document: Any, ascii_only: bool) -> bytes:
    return json.dumps(document, ensure_ascii=ascii_only, allow_nan=True).encode("utf-8", "surrogatepass")


@st.composite
def plan_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "json", "mutated_json", "mutated_bytes", "encoding"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        return draw(st.text(max_size=500)).encode("utf-8", "surrogatepass")
    if kind == "json":
        return _dump(draw(JSON_VALUES), draw(st.booleans()))
    if kind == "mutated_json":
        return _dump(draw(mutated_documents()), draw(st.booleans()))
    valid = _dump(draw(st.sampled_from([DEMO, SMALL])), False)
    if kind == "mutated_bytes":
        return _mutate_bytes(draw, valid)
    codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "utf-8-sig"]))
    return valid.decode("utf-8").encode(codec, "replace")


# --------------------------------------------------------------------------- json import


@FUZZ
@given(plan_files())
def test_json_import_raises_only_plan_format_errors(data: bytes) -> None:
    try:
        plan = parse_plan(data)
    except PlanFormatError as err:
        assert str(err)  # a message for the user, in words
        return
    plan.validate()  # what is accepted is a valid plan


# --------------------------------------------------------------------------- bundle open


SMALL_BUNDLE = sealed(bundle_payload(meeting_plan(), now=None), log_n=2, seed=b"small")


def _bundle_document(draw: st.DrawFn) -> bytes:
    document = json.loads(bundle_payload(meeting_plan(), now=None))
    if draw(st.booleans()):  # a mutated plan (or whatever the mutation left of the document)
        mutated = draw(mutated_documents())
        document["plan"] = mutated.get("plan", mutated) if isinstance(mutated, dict) else mutated
    for _ in range(draw(st.integers(0, 3))):
        document = _mutate(draw, document)
    return _dump(document, draw(st.booleans()))


def _stanza_line(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from([b"scrypt", b"X25519", b"ssh-ed25519", b"x", b"scrypt"]))
    args = draw(st.lists(st.sampled_from([base64.b64encode(b"s" * 16).rstrip(b"="), b"10", b"2", b"99",
                                          b"-1", b"+", b"", b"A" * 70]), max_size=3))
    body = base64.b64encode(draw(st.binary(max_size=80))).rstrip(b"=")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)] or [b""]
    if len(lines[-1]) == 64:
        lines.append(b"")
    return b"-> " + b" ".join([kind, *args]) + b"\n" + b"\n".join(lines) + b"\n"


@st.composite
def bundle_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "armored_bytes", "header", "mutated", "mutated_armor", "content"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "armored_bytes":
        return armor(draw(st.binary(max_size=500)))
    if kind == "header":
        stanzas = b"".join(_stanza_line(draw) for _ in range(draw(st.integers(0, 3))))
        mac = base64.b64encode(draw(st.binary(min_size=32, max_size=32))).rstrip(b"=")
        version = draw(st.sampled_from([b"v1", b"v2", b"v1 ", b""]))
        tail = draw(st.binary(max_size=64))
        return b"age-encryption.org/" + version + b"\n" + stanzas + b"--- " + mac + b"\n" + tail
    if kind == "mutated":
        return _mutate_bytes(draw, SMALL_BUNDLE)
    if kind == "mutated_armor":
        return _mutate_bytes(draw, armor(SMALL_BUNDLE))
    return sealed(_bundle_document(draw), seed=b"content")


@FUZZ
@given(bundle_files())
def test_bundle_open_raises_only_bundle_errors(data: bytes) -> None:
    try:
        content = open_bundle(data, PASSPHRASE)
    except BundleError as err:
        assert str(err) and str(err) != err.message_key
        return
    content.plan.validate()
