"""Tests for kiptui.bundle: the encrypted plan bundle (a standard age passphrase file).

Round trip, interop with the real `age` command both ways, tampering, truncation, trailing
garbage, wrong passphrase, hostile files refused before any key derivation, the content
format, generated passphrases and their word list, user passphrase checks, the environment.

Most cases use bundles made by tests/agefiles.py with a cheap scrypt work factor (2^10), so
that hundreds of them take seconds; the real export (pyrage, about a second of scrypt) is
used where it is the subject.
"""

from __future__ import annotations

import builtins
import copy
import json
import math
import os
import re
import shutil
import string
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyrage
import pytest

from kiptui import bundle
from kiptui.bundle import (
    ARMOR_BEGIN,
    ARMOR_END,
    MAX_BUNDLE_BYTES,
    MAX_WORK_FACTOR,
    BundleContent,
    BundleError,
    armor,
    bundle_payload,
    check_passphrase_strength,
    dearmor,
    decrypt_age_file,
    export_bundle,
    generate_passphrase,
    open_bundle,
    parse_age_header,
    passphrase_entropy_bits,
    read_passphrase_from_env,
    scrypt_work_factor,
    without_cpr,
    wordlist,
    words_needed,
)
from kiptui.i18n import set_language, t
from kiptui.model import (
    CITIZEN_ID,
    AttendanceStatus,
    Citizen,
    Consent,
    Contact,
    Plan,
    Sector,
    new_meeting,
    plan_to_dict,
)
from kiptui.resources import agenda_template, data_path, strings
from tests.agefiles import header_length, hostile_scrypt_header, make_scrypt_file, run_with_tty

PASS = "blomst-kaffe-bjerg-lampe-svale"
AGE = shutil.which("age")
needs_age = pytest.mark.skipif(AGE is None, reason="the age command is not installed (Debian package 'age')")

ERROR_CODES = (
    "wrong_passphrase", "damaged", "truncated", "armor", "too_large", "work_factor", "not_age",
    "unsupported_version", "not_passphrase", "not_kiptui", "bundle_version", "invalid_plan",
    "weak_passphrase",
    "passphrase_file",
)


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language("da")


def sample_plan() -> Plan:
    plan = Plan(version=3, citizen=Citizen(name="Åse Ørnbøl <b>*", cpr="010203-1234"))
    plan.consent = Consent(given=True, given_on=date(2025, 1, 2))
    lene = plan.add_contact(
        Contact(name="Lene Holm", sector=Sector.REGION, organisation="Psykiatrien",
                role="Kontaktperson", email="lene@example.dk")
    )
    per = plan.add_contact(Contact(name="Per [link](x) Bo", sector=Sector.MUNICIPALITY,
                                   organisation="Jobcenter"))
    m = new_meeting(plan, agenda_template(), datetime(2025, 3, 12, 10, 0))
    m.place = "Mødelokale 2\n# ikke en overskrift"
    m.set_chair(lene.id)
    m.set_referent(per.id)
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.attendance_for(lene.id).status = AttendanceStatus.PRESENT
    m.summary = "Vi aftalte to ting.\n\x1b[31m rød \u202e"
    plan.add_agreement("Søge om bolig", per.id, date(2025, 4, 1), m.id, datetime(2025, 3, 12, 10, 40))
    return plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return sample_plan()


@pytest.fixture(scope="module")
def exported(plan: Plan) -> bytes:
    """A real export: pyrage, its own work factor, armored."""
    set_language("da")
    return export_bundle(plan, PASS)


@pytest.fixture(scope="module")
def fast(plan: Plan) -> bytes:
    """A kiptui bundle as a binary age file with a cheap work factor."""
    set_language("da")
    return make_scrypt_file(bundle_payload(plan), PASS, log_n=10)


@pytest.fixture
def no_derivation(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records every key derivation (pyrage.passphrase.decrypt, which fails here); the test
    fails if there was one it did not expect and clear."""
    calls: list[str] = []

    def forbidden(data: bytes, passphrase: str) -> bytes:
        calls.append(passphrase)
        raise pyrage.DecryptError("kiptui test: no key derivation here")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", forbidden)
    yield calls
    assert calls == [], "a key was derived for a file that should have been refused first"


def code_of(call: Callable[[], Any]) -> str:
    """The BundleError code of call(); any other outcome fails the test."""
    with pytest.raises(BundleError) as caught:
        call()
    err = caught.value
    assert str(err) and str(err) != err.message_key, "untranslated message"
    return err.code


# --------------------------------------------------------------------------- the file format


def test_export_is_a_standard_armored_age_passphrase_file(exported: bytes) -> None:
    lines = exported.split(b"\n")
    assert lines[0] == ARMOR_BEGIN
    assert lines[-2] == ARMOR_END and lines[-1] == b""
    body = lines[1:-2]
    assert body and all(len(line) == 64 for line in body[:-1]) and 0 < len(body[-1]) <= 64
    assert exported.isascii()
    binary = dearmor(exported)
    assert armor(binary) == exported
    assert binary.startswith(b"age-encryption.org/v1\n-> scrypt ")
    header = parse_age_header(binary)
    assert [s.type for s in header.stanzas] == ["scrypt"]
    factor = scrypt_work_factor(header)
    print(f"\npyrage chose scrypt work factor {factor}")
    assert 10 <= factor <= MAX_WORK_FACTOR
    assert "Ørnbøl" not in exported.decode("ascii") and b"kiptui-bundle" not in binary


def test_each_export_has_its_own_salt_and_key(plan: Plan, exported: bytes) -> None:
    again = export_bundle(plan, PASS)
    first, second = parse_age_header(dearmor(exported)), parse_age_header(dearmor(again))
    assert first.stanzas[0].args[1] != second.stanzas[0].args[1]
    assert dearmor(exported)[first.length:] != dearmor(again)[second.length:]


def test_round_trip(plan: Plan, exported: bytes) -> None:
    before = datetime.now(timezone.utc)
    content = open_bundle(exported, PASS)
    assert isinstance(content, BundleContent)
    # everything but the CPR number, which a bundle carries only when asked (the next test)
    assert plan_to_dict(content.plan) == plan_to_dict(without_cpr(plan))
    assert content.plan.citizen.name == "Åse Ørnbøl <b>*"
    assert content.minutes_markdown.startswith("# ")
    assert "Ørnbøl" in content.minutes_markdown
    assert content.minutes_html.startswith("<!DOCTYPE html>")
    assert "Ørnbøl &lt;b&gt;" in content.minutes_html and "<script" not in content.minutes_html
    assert content.created_at.tzinfo is not None
    assert before - timedelta(minutes=10) <= content.created_at <= before + timedelta(seconds=5)


def test_a_bundle_carries_the_cpr_number_only_when_asked(plan: Plan, exported: bytes) -> None:
    """Found by an IT-security review: the bundle always carried the full CPR number, to
    relatives too, where F12's minutes leave it out unless asked. Data minimisation: the
    bundled plan's citizen.cpr is empty and its minutes have none, unless include_cpr."""
    cpr = plan.citizen.cpr
    assert cpr
    without = open_bundle(exported, PASS)
    assert without.plan.citizen.cpr == "" and without.plan.citizen.name == plan.citizen.name
    for text in (without.minutes_markdown, without.minutes_html):
        assert cpr not in text and "CPR" not in text
    assert plan.citizen.cpr == cpr  # the plan given is not changed
    with_cpr = open_bundle(export_bundle(plan, PASS, include_cpr=True), PASS)
    assert plan_to_dict(with_cpr.plan) == plan_to_dict(plan)
    assert cpr in with_cpr.minutes_markdown and cpr in with_cpr.minutes_html


def test_payload_is_the_documented_json(plan: Plan) -> None:
    when = datetime(2025, 3, 12, 12, 0, tzinfo=timezone.utc)
    doc = json.loads(bundle_payload(plan, now=when).decode("utf-8"))
    assert set(doc) == {"format", "format_version", "created_at", "plan", "minutes_markdown",
                        "minutes_html"}
    assert doc["format"] == "kiptui-bundle" and doc["format_version"] == 1
    assert doc["created_at"] == "2025-03-12T12:00:00+00:00"
    assert doc["plan"] == plan_to_dict(plan)
    assert "Referat" in doc["minutes_markdown"]


def test_payload_has_no_raw_terminal_or_bidi_controls(plan: Plan) -> None:
    """A recipient may open the bundle with `age -d` and look at the JSON in a terminal: C1
    controls (8-bit CSI) and bidi overrides are \\u escapes there, and the value is unchanged."""
    plan = copy.deepcopy(plan)  # the fixture is shared by the module
    plan.citizen.notes = "før\x9b31m rød \u202eevil\u202c \u2066iso\u2069 \x7f slut"
    raw = bundle_payload(plan).decode("utf-8")
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u2028\u2029]", raw)
    assert "før" in raw and "\\u009b" in raw and "\\u202e" in raw
    assert json.loads(raw)["plan"]["citizen"]["notes"] == plan.citizen.notes


def test_plan_without_meetings_has_empty_minutes() -> None:
    plan = Plan(citizen=Citizen(name="Bo"))
    content = open_bundle(make_scrypt_file(bundle_payload(plan), PASS), PASS)
    assert content.minutes_markdown == "" and content.minutes_html == ""
    assert content.plan.citizen.name == "Bo"


def test_binary_and_mail_mangled_armor_open(plan: Plan, fast: bytes) -> None:
    assert open_bundle(fast, PASS).plan.id == plan.id
    armored = armor(fast)
    crlf = b"\r\n \t\r\n" + armored.replace(b"\n", b"\r\n") + b"\r\n\r\n  "
    assert open_bundle(crlf, PASS).plan.id == plan.id
    assert open_bundle(bytearray(armored), PASS).plan.id == plan.id


def test_open_writes_nothing(fast: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No plaintext on disk: opening a bundle opens no file for writing, anywhere."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    writes: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+"):
            writes.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            writes.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    content = open_bundle(armor(fast), PASS)
    assert content.plan.citizen.name
    assert writes == []
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- interop with age


@needs_age
def test_age_opens_our_bundle(plan: Plan, exported: bytes, tmp_path: Path) -> None:
    src, out = tmp_path / "plan.kipbundle", tmp_path / "plain.json"
    src.write_bytes(exported)
    code, terminal = run_with_tty([AGE or "age", "-d", "-o", str(out), str(src)], [PASS])
    assert code == 0, terminal
    doc = json.loads(out.read_bytes())
    assert doc["format"] == "kiptui-bundle" and doc["plan"] == plan_to_dict(without_cpr(plan))


@needs_age
def test_age_refuses_our_bundle_with_a_wrong_passphrase(exported: bytes, tmp_path: Path) -> None:
    src, out = tmp_path / "plan.kipbundle", tmp_path / "plain.json"
    src.write_bytes(exported)
    code, _ = run_with_tty([AGE or "age", "-d", "-o", str(out), str(src)], ["forkert-frase-her"])
    assert code != 0
    assert not out.exists() or out.read_bytes() == b""


@needs_age
@pytest.mark.parametrize("armored", [False, True], ids=["binary", "armored"])
def test_we_open_a_file_made_by_age_p(plan: Plan, tmp_path: Path, armored: bool) -> None:
    src, out = tmp_path / "payload.json", tmp_path / "bundle.age"
    src.write_bytes(bundle_payload(plan))
    args = [AGE or "age", "-p", *(["-a"] if armored else []), "-o", str(out), str(src)]
    code, terminal = run_with_tty(args, [PASS, PASS])
    assert code == 0, terminal
    made = out.read_bytes()
    assert made.startswith(ARMOR_BEGIN if armored else b"age-encryption.org/v1\n-> scrypt ")
    if armored:
        assert armor(dearmor(made)) == made  # age writes exactly the armor we write
    assert open_bundle(made, PASS).plan.id == plan.id
    assert code_of(lambda: open_bundle(made, "forkert-frase-her")) == "wrong_passphrase"


def test_pyrage_armor_is_ours_and_pyrage_opens_our_cheap_files(plan: Plan) -> None:
    """Our armor and pyrage's agree byte for byte; pyrage opens the test writer's files (so
    the fast fixtures are real age files, not something only kiptui reads)."""
    payload = bundle_payload(plan)
    cheap = make_scrypt_file(payload, PASS, log_n=10)
    assert pyrage.passphrase.decrypt(cheap, PASS) == payload
    theirs = pyrage.encrypt(b"x" * 1000, [pyrage.x25519.Identity.generate().to_public()], armored=True)
    assert armor(dearmor(theirs)) == theirs


# --------------------------------------------------------------------------- damage


def test_wrong_passphrase(fast: bytes, exported: bytes) -> None:
    assert code_of(lambda: open_bundle(fast, PASS + "x")) == "wrong_passphrase"
    assert code_of(lambda: open_bundle(exported, "blomst-kaffe-bjerg-lampe-svane")) == "wrong_passphrase"


def test_empty_passphrase_derives_nothing(fast: bytes, no_derivation: list[str]) -> None:
    assert code_of(lambda: open_bundle(fast, "")) == "wrong_passphrase"


def test_every_bit_flip_in_the_header_is_refused(fast: bytes) -> None:
    end = header_length(fast)
    codes: dict[str, int] = {}
    for pos in range(end):
        for bit in (0x01, 0x20):
            mangled = bytearray(fast)
            mangled[pos] ^= bit
            code = code_of(lambda: open_bundle(bytes(mangled), PASS))
            codes[code] = codes.get(code, 0) + 1
    print(f"\n{2 * end} header bit flips: {codes}")
    assert set(codes) <= {"damaged", "wrong_passphrase", "not_age", "unsupported_version",
                          "not_passphrase", "truncated", "work_factor"}
    assert {"damaged", "wrong_passphrase"} <= set(codes)


def test_targeted_header_tampering(fast: bytes) -> None:
    text = fast[: header_length(fast)].decode("ascii")
    mac_at = text.index("--- ") + 4
    salt_at = text.index("scrypt ") + 7

    def swapped(at: int) -> bytes:
        mangled = bytearray(fast)
        mangled[at] = ord("B") if mangled[at] != ord("B") else ord("C")  # stays valid base64
        return bytes(mangled)

    assert code_of(lambda: open_bundle(swapped(mac_at), PASS)) == "damaged"  # header MAC
    assert code_of(lambda: open_bundle(swapped(salt_at), PASS)) == "wrong_passphrase"  # other key
    factor_at = text.index(" 10\n") + 2
    assert code_of(lambda: open_bundle(swapped(factor_at - 1), PASS)) == "damaged"  # "B0": not decimal


@pytest.mark.parametrize("where", ["nonce", "first", "middle", "tag"])
def test_payload_tampering_is_damage(fast: bytes, where: str) -> None:
    start = header_length(fast)
    at = {"nonce": start + 3, "first": start + 16, "middle": (start + len(fast)) // 2,
          "tag": len(fast) - 1}[where]
    mangled = bytearray(fast)
    mangled[at] ^= 0x40
    assert code_of(lambda: open_bundle(bytes(mangled), PASS)) == "damaged"


def test_truncation(fast: bytes) -> None:
    start = header_length(fast)
    for cut in (0, 5, 30, start - 10, start - 1, start, start + 8, start + 16, start + 31):
        assert code_of(lambda: open_bundle(fast[:cut], PASS)) == "truncated", cut
    # cut inside the one and last chunk: indistinguishable from tampering until decrypted
    for cut in (start + 32, len(fast) - 17, len(fast) - 1):
        assert code_of(lambda: open_bundle(fast[:cut], PASS)) in {"damaged", "truncated"}, cut
    armored = armor(fast)
    for cut in (len(armored) // 2, len(armored) - 5):
        assert code_of(lambda: open_bundle(armored[:cut], PASS)) == "armor"


def test_truncation_at_a_chunk_boundary_is_reported_as_truncated() -> None:
    plaintext = os.urandom(3 * 64 * 1024 + 5)
    whole = make_scrypt_file(plaintext, PASS)
    assert decrypt_age_file(whole, PASS) == plaintext
    cut = header_length(whole) + 16 + 2 * (64 * 1024 + 16)
    assert code_of(lambda: decrypt_age_file(whole[:cut], PASS)) == "truncated"


def test_trailing_garbage(fast: bytes) -> None:
    assert code_of(lambda: open_bundle(fast + b"\x00", PASS)) == "damaged"
    assert code_of(lambda: open_bundle(fast + os.urandom(100), PASS)) == "damaged"
    armored = armor(fast)
    assert code_of(lambda: open_bundle(armored + b"Sendt fra min iPhone\n", PASS)) == "armor"
    assert code_of(lambda: open_bundle(b"Hej!\n" + armored, PASS)) == "armor"


def test_not_an_age_file(no_derivation: list[str]) -> None:
    assert code_of(lambda: open_bundle(b"%PDF-1.7\n" + os.urandom(200), PASS)) == "not_age"
    assert code_of(lambda: open_bundle(b"", PASS)) == "truncated"
    assert code_of(lambda: open_bundle(b"age-encryption.org/v2\n-> x\n\n--- " + b"A" * 43 + b"\n",
                                       PASS)) == "unsupported_version"
    assert code_of(lambda: open_bundle(armor(b"just some text"), PASS)) == "not_age"


def test_a_file_for_a_key_is_not_a_passphrase_bundle(no_derivation: list[str]) -> None:
    recipients = [pyrage.x25519.Identity.generate().to_public() for _ in range(2)]
    for made in (pyrage.encrypt(b"{}", recipients[:1]), pyrage.encrypt(b"{}", recipients),
                 pyrage.encrypt(b"{}", recipients[:1], armored=True)):
        assert code_of(lambda: open_bundle(made, PASS)) == "not_passphrase"


# --------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize("factor", [b"22", b"23", b"30", b"64", b"999", b"9223372036854775818"])
def test_huge_work_factor_is_refused_before_derivation(factor: bytes, no_derivation: list[str]) -> None:
    hostile = hostile_scrypt_header(b"c2FsdHNhbHRzYWx0c2FsdA " + factor)
    for form in (hostile, armor(hostile)):
        started = time.perf_counter()
        assert code_of(lambda: open_bundle(form, PASS)) == "work_factor"
        print(f"\nwork factor {factor.decode()}: refused in {1000 * (time.perf_counter() - started):.2f} ms")


def test_work_factor_limit_is_exact(no_derivation: list[str]) -> None:
    at_limit = hostile_scrypt_header(b"c2FsdHNhbHRzYWx0c2FsdA " + str(MAX_WORK_FACTOR).encode())
    over = hostile_scrypt_header(b"c2FsdHNhbHRzYWx0c2FsdA " + str(MAX_WORK_FACTOR + 1).encode())
    assert MAX_WORK_FACTOR >= 20  # age -p uses 18; pyrage's own choice goes up to 20-21
    assert scrypt_work_factor(parse_age_header(at_limit)) == MAX_WORK_FACTOR
    assert code_of(lambda: open_bundle(over, PASS)) == "work_factor"
    # at the limit the checks pass, and the derivation is next
    assert no_derivation == []
    open_bundle_code = code_of(lambda: open_bundle(at_limit, PASS))
    assert no_derivation == [PASS] and open_bundle_code == "damaged"
    no_derivation.clear()


SALT = b"c2FsdHNhbHRzYWx0c2FsdA"  # 16 bytes, canonical


@pytest.mark.parametrize(
    ("arguments", "body", "extra"),
    [
        pytest.param(SALT + b" 10", None, b"-> scrypt " + SALT + b" 10\n" + b"A" * 43 + b"\n", id="two-scrypt"),
        pytest.param(SALT + b" 10", None, b"-> X25519 " + b"A" * 43 + b"\n" + b"A" * 43 + b"\n", id="scrypt-and-x25519"),
        pytest.param(SALT + b" 10 10", None, b"", id="extra-argument"),
        pytest.param(SALT, None, b"", id="no-work-factor"),
        pytest.param(SALT + b" 010", None, b"", id="leading-zero"),
        pytest.param(SALT + b" 0", None, b"", id="zero"),
        pytest.param(SALT + b" -1", None, b"", id="negative"),
        pytest.param(SALT + b" 1e1", None, b"", id="exponent"),
        pytest.param(SALT[:-1] + b"B 10", None, b"", id="salt-not-canonical"),
        pytest.param(b"c2FsdHNhbHRzYWx0c2Fs 10", None, b"", id="salt-15-bytes"),
        pytest.param(SALT + b"== 10", None, b"", id="salt-padded"),
        pytest.param(SALT + b" 10", os.urandom(33), b"", id="body-33-bytes"),
        pytest.param(SALT + b" 10", os.urandom(31), b"", id="body-31-bytes"),
    ],
)
def test_malformed_scrypt_headers_are_refused_before_derivation(
    arguments: bytes, body: bytes | None, extra: bytes, no_derivation: list[str]
) -> None:
    hostile = hostile_scrypt_header(arguments, body, extra)
    assert code_of(lambda: open_bundle(hostile, PASS)) == "damaged"


def test_oversize_files_are_refused_unread(no_derivation: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"age-encryption.org/v1\n" + b"\x00" * MAX_BUNDLE_BYTES
    assert code_of(lambda: open_bundle(big, PASS)) == "too_large"
    assert code_of(lambda: open_bundle(b"\n" * (MAX_BUNDLE_BYTES + 1), PASS)) == "too_large"
    assert code_of(lambda: dearmor(b" " * (MAX_BUNDLE_BYTES + 1))) == "too_large"


def test_a_header_of_millions_of_stanzas_is_refused_at_once(no_derivation: list[str]) -> None:
    stanzas = b"-> grease\n\n" * ((MAX_BUNDLE_BYTES - 200) // 11)
    hostile = b"age-encryption.org/v1\n" + stanzas + b"--- " + b"A" * 43 + b"\n"
    started = time.perf_counter()
    assert code_of(lambda: open_bundle(hostile, PASS)) == "not_passphrase"
    binary_ms = 1000 * (time.perf_counter() - started)
    armored = armor(hostile[: MAX_BUNDLE_BYTES // 2])
    started = time.perf_counter()
    assert code_of(lambda: open_bundle(armored, PASS)) == "not_passphrase"
    armored_ms = 1000 * (time.perf_counter() - started)
    print(f"\n{len(hostile) >> 20} MiB of stanzas refused in {binary_ms:.1f} ms binary, "
          f"{armored_ms:.1f} ms armored")
    scrypt_then_garbage = hostile_scrypt_header(SALT + b" 10", None, b"-> x\n\n" * 20000)
    assert code_of(lambda: open_bundle(scrypt_then_garbage, PASS)) == "damaged"


# --------------------------------------------------------------------------- content


def test_a_file_that_is_not_a_kiptui_bundle(plan: Plan) -> None:
    def sealed(doc: Any) -> bytes:
        raw = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        return make_scrypt_file(raw, PASS)

    good = json.loads(bundle_payload(plan))
    assert open_bundle(sealed(good), PASS).plan.id == plan.id
    cases: list[Any] = [
        b"hello", b"\xff\xfe", b"[1, 2]", b"", b"[" * 100000,
        {**good, "format": "other"},
        {k: v for k, v in good.items() if k != "format"},
        {**good, "format_version": "1"},
        {**good, "format_version": True},
        {**good, "format_version": 0},
        {**good, "created_at": "i går"},
        {**good, "created_at": None},
        {**good, "minutes_markdown": 5},
        {**good, "minutes_html": None},
        {**good, "plan": []},
    ]
    for case in cases:
        assert code_of(lambda: open_bundle(sealed(case), PASS)) == "not_kiptui", case if not isinstance(case, dict) else ""
    for bad_plan, field in (
        ({**good["plan"], "version": "tre"}, "version"),
        ({**good["plan"], "unknown_field": 1}, "unknown_field"),
        ({**good["plan"], "contacts": good["plan"]["contacts"][:1]}, ""),  # referent vanished
    ):
        with pytest.raises(BundleError) as caught:
            open_bundle(sealed({**good, "plan": bad_plan}), PASS)
        assert caught.value.code == "invalid_plan" and field in str(caught.value)
    newer = {**good, "format_version": 2}
    with pytest.raises(BundleError) as caught:
        open_bundle(sealed(newer), PASS)
    assert caught.value.code == "bundle_version" and "2" in str(caught.value)


def test_export_refuses_a_weak_passphrase_before_encrypting(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("encrypted with a weak passphrase")

    monkeypatch.setattr(pyrage.passphrase, "encrypt", forbidden)
    for weak in ("", "kort", "aaaaaaaaaaaaaaaaaaaaaa", " blomst-kaffe-bjerg-lampe"):
        with pytest.raises(BundleError) as caught:
            export_bundle(plan, weak)
        assert caught.value.code == "weak_passphrase"
        assert t(check_passphrase_strength(weak) or "") in str(caught.value)


def test_export_never_returns_a_bundle_it_would_refuse(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyrage picks the work factor by timing the machine; a pick above the limit is drawn
    again, and given up on with a clear error rather than written."""
    payload_calls: list[int] = []

    def too_heavy(payload: bytes, passphrase: str) -> bytes:
        payload_calls.append(len(payload))
        return hostile_scrypt_header(SALT + b" " + str(MAX_WORK_FACTOR + 1).encode())

    monkeypatch.setattr(pyrage.passphrase, "encrypt", too_heavy)
    assert code_of(lambda: export_bundle(plan, PASS)) == "work_factor"
    assert len(payload_calls) == 3

    picks = iter([MAX_WORK_FACTOR + 1, 10])

    def then_fine(payload: bytes, passphrase: str) -> bytes:
        factor = next(picks)
        if factor > MAX_WORK_FACTOR:
            return hostile_scrypt_header(SALT + b" " + str(factor).encode())
        return make_scrypt_file(payload, passphrase, log_n=factor)

    monkeypatch.setattr(pyrage.passphrase, "encrypt", then_fine)
    made = export_bundle(plan, PASS)
    assert open_bundle(made, PASS).plan.id == plan.id


# --------------------------------------------------------------------------- errors


def test_every_error_code_has_good_danish_and_english() -> None:
    table = strings()
    for code in ERROR_CODES:
        entry = table[f"bundle.error.{code}"]
        assert entry["da"].strip() and entry["en"].strip() and entry["da"] != entry["en"]
        placeholders = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in ("da", "en")}
        assert placeholders["da"] == placeholders["en"], code
    keys = {k for k in table if k.startswith("bundle.")}
    used = set(re.findall(r'"(bundle\.[a-z_.]*[a-z_])"', Path(bundle.__file__).read_text(encoding="utf-8")))  # not the prefix "bundle.error."
    assert {f"bundle.error.{c}" for c in ERROR_CODES} | used <= keys


def test_error_messages_follow_the_language() -> None:
    err = BundleError("work_factor", found=23, limit=MAX_WORK_FACTOR)
    assert "arbejdsfaktor 23" in str(err)
    set_language("en")
    assert "work factor 23" in str(err)
    assert err.code == "work_factor"


# --------------------------------------------------------------------------- passphrases


def test_word_list_file() -> None:
    lines = data_path("wordlist-da.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2048
    assert len(set(lines)) == len(lines)
    assert all(re.fullmatch(r"[a-z]{3,8}", w) for w in lines), [w for w in lines if not re.fullmatch(r"[a-z]{3,8}", w)][:5]
    assert lines == sorted(lines)
    assert wordlist() == tuple(lines)


def test_generated_passphrase_has_at_least_100_bits() -> None:
    words = wordlist()
    phrase = generate_passphrase()
    parts = phrase.split("-")
    assert len(parts) == words_needed(len(words)) == math.ceil(100 / math.log2(len(words)))
    assert all(p in words for p in parts)
    assert passphrase_entropy_bits(len(parts), len(words)) >= 100
    assert passphrase_entropy_bits(len(parts) - 1, len(words)) < 100  # not more words than needed
    assert check_passphrase_strength(phrase) is None


def test_generated_passphrases_are_unique_and_use_the_whole_list() -> None:
    phrases = [generate_passphrase() for _ in range(1000)]
    assert len(set(phrases)) == 1000
    used = {w for p in phrases for w in p.split("-")}
    # 10,000 uniform draws from ~2,200 words leave almost none unused; a biased or
    # truncated choice would not
    assert len(used) > 0.9 * len(wordlist())


def test_generate_with_a_given_list() -> None:
    assert re.fullmatch(r"(ja|nej)(-(ja|nej)){99}", generate_passphrase(["ja", "nej"]))
    assert len(generate_passphrase([f"w{i}" for i in range(4096)]).split("-")) == 9
    for bad in (["ja", "ja", "nej"], ["ja"], ["ja-nej", "x"], ["", "x"]):
        with pytest.raises(ValueError):
            generate_passphrase(bad)


def test_entropy_arithmetic() -> None:
    assert passphrase_entropy_bits(10, 2048) == 110
    assert passphrase_entropy_bits(0, 5) == 0
    assert words_needed(2048) == 10 and words_needed(2049) == 10 and words_needed(1024) == 10
    assert words_needed(1023) == 11 and words_needed(65536) == 7
    with pytest.raises(ValueError):
        words_needed(1)


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("", "bundle.weak.empty"),
        ("   ", "bundle.weak.empty"),
        (" hemmelig-frase-til-pakken", "bundle.weak.edge_space"),
        ("hemmelig-frase-til-pakken\n", "bundle.weak.edge_space"),
        ("kort-frase", "bundle.weak.too_short"),
        ("Æble-pære-14", "bundle.weak.too_short"),
        ("aaaaaaaaaaaaaaaaaaaa", "bundle.weak.few_distinct"),
        ("abababababababababab", "bundle.weak.few_distinct"),
        ("abcdefghabcdefghabcdefgh", "bundle.weak.pattern"),
        ("abcdefghijklmnopqrst", "bundle.weak.pattern"),
        ("98765432109876543210", "bundle.weak.pattern"),
        ("ABCDEFGHIJKLMNOPQRSTU", "bundle.weak.pattern"),
        ("blomst-kaffe-bjerg-lampe", None),
        ("Min kat hedder Frede og er 12 år", None),
        ("æøå-ÆØÅ-blåbærgrød-rødgrød", None),
    ],
)
def test_passphrase_strength(phrase: str, problem: str | None) -> None:
    assert check_passphrase_strength(phrase) == problem
    if problem:
        assert t(problem) != problem and "{" not in t(problem)


def test_passphrase_from_environment(tmp_path: Path) -> None:
    secret = tmp_path / "frase"
    secret.write_text("fra-filen-med-ord\r\n", encoding="utf-8")
    both = {"KIPTUI_BUNDLE_PASSPHRASE_FILE": str(secret), "KIPTUI_BUNDLE_PASSPHRASE": "fra-variablen"}
    assert read_passphrase_from_env(both) == "fra-filen-med-ord"
    assert read_passphrase_from_env({"KIPTUI_BUNDLE_PASSPHRASE": "fra-variablen"}) == "fra-variablen"
    assert read_passphrase_from_env({}) is None
    assert read_passphrase_from_env({"KIPTUI_PASSPHRASE": "boksens"}) is None  # not the vault's
    missing = {"KIPTUI_BUNDLE_PASSPHRASE_FILE": str(tmp_path / "findes-ikke"),
               "KIPTUI_BUNDLE_PASSPHRASE": "fra-variablen"}
    with pytest.raises(BundleError) as caught:
        read_passphrase_from_env(missing)
    assert caught.value.code == "passphrase_file" and "findes-ikke" in str(caught.value)
    secret.write_bytes(b"\xff\xfe")
    with pytest.raises(BundleError):
        read_passphrase_from_env(both)


def test_passphrase_from_process_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIPTUI_BUNDLE_PASSPHRASE_FILE", raising=False)
    monkeypatch.setenv("KIPTUI_BUNDLE_PASSPHRASE", "fra-processen")
    assert read_passphrase_from_env() == "fra-processen"


def test_word_list_is_a_to_z_only_for_typing_anywhere() -> None:
    letters = set("".join(wordlist()))
    assert letters <= set(string.ascii_lowercase)
    assert not letters & set("cqwxz")  # letters that are hard to spell out over the phone
