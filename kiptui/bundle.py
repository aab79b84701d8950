"""Encrypted plan bundles for secure mail: standard age v1 files with a passphrase.

A bundle is an ordinary age file (https://c2sp.org/age) with one scrypt passphrase recipient,
ASCII-armored so that it survives mail. Anyone with the passphrase can open it with `age -d`,
and `open_bundle` opens files made by `age -p` (armored or binary) as well.

The cryptography is pyrage's (the Python binding of rage, the Rust age implementation). This
module adds only what pyrage leaves to its caller, none of it cryptographic:

* ASCII armor, written and read exactly as the age spec says (strict RFC 7468 PEM with the
  label "AGE ENCRYPTED FILE": padded standard base64 in 64-column lines, only the last line
  shorter, canonical encoding, LF or CRLF line ends, nothing but whitespace around the block);
* a size cap and a strict parse of the age header *before any key derivation*: the scrypt
  stanza must be the only one, its salt 16 bytes of canonical base64, its work factor a
  canonical decimal no larger than MAX_WORK_FACTOR. pyrage would otherwise derive whatever
  a hostile file asks for (a work factor of 23 costs it 8 GiB and most of a minute);
* the content: UTF-8 JSON with the plan in its documented form and the rendered minutes,
  without the citizen's CPR number unless the sender asks for it (export_bundle);
* passphrases: generated from a shipped word list (data/wordlist-da.txt) with at least 100
  bits of entropy, or given by the user and checked for the obvious weaknesses;
* errors: one exception class, BundleError, whose text is translated (data/strings/bundle.json).

Nothing here writes plaintext anywhere: opening decrypts in memory.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pyrage

from kiptui.i18n import UserError, t
from kiptui.model import Plan, PlanError, plan_from_dict, plan_to_dict
from kiptui.resources import data_path
from kiptui.textsafe import json_text, one_line

__all__ = [
    "ARMOR_BEGIN",
    "ARMOR_END",
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "MAX_BUNDLE_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_WORK_FACTOR",
    "MIN_PASSPHRASE_BITS",
    "AgeHeader",
    "BundleContent",
    "BundleError",
    "Stanza",
    "armor",
    "bundle_payload",
    "check_passphrase_strength",
    "dearmor",
    "decrypt_age_file",
    "export_bundle",
    "generate_passphrase",
    "open_bundle",
    "parse_age_header",
    "passphrase_entropy_bits",
    "read_passphrase_from_env",
    "scrypt_work_factor",
    "to_age_binary",
    "wordlist",
    "without_cpr",
    "words_needed",
]

BUNDLE_FORMAT = "kiptui-bundle"
BUNDLE_FORMAT_VERSION = 1

#: The largest bundle file (armored or binary) kiptui writes or reads.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024

#: The largest scrypt work factor (log2 N) accepted. `age -p` uses 18. pyrage (rage) times
#: the machine and picks the factor that takes about a second, which is 18-20 on ordinary
#: laptops and can be 21 on fast ones; N = 2^21 with r = 8 needs 2 GiB. 22 and more are
#: refused without deriving anything.
MAX_WORK_FACTOR = 21

#: A passphrase file's header is a few hundred bytes; a longer one is not parsed to its end.
MAX_HEADER_BYTES = 64 * 1024

MIN_PASSPHRASE_BITS = 100

#: The most a KIPTUI_BUNDLE_PASSPHRASE_FILE may hold (a passphrase is a line of words).
MAX_PASSPHRASE_FILE_BYTES = 4096
MIN_PASSPHRASE_CHARS = 16
MIN_DISTINCT_CHARS = 8

ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
_ARMOR_COLUMNS = 64
_ARMOR_OUTSIDE_WHITESPACE = b" \t\r\n"

_AGE_MAGIC = b"age-encryption.org/"
_AGE_V1 = b"v1"
_STANZA_COLUMNS = 64
_SCRYPT_SALT_BYTES = 16
_WRAPPED_FILE_KEY_BYTES = 32  # 16-byte file key + 16-byte Poly1305 tag
_NONCE_BYTES = 16
_TAG_BYTES = 16

_RAW_B64 = re.compile(rb"[A-Za-z0-9+/]*")
_ARGUMENT = re.compile(rb"[\x21-\x7e]+")
_DECIMAL = re.compile(r"[1-9][0-9]*")
_WORD = re.compile(r"[a-z]{3,8}")


# --------------------------------------------------------------------------- errors


class BundleError(UserError):
    """Anything that stops a bundle from being written or opened.

    `code` is one of: wrong_passphrase, damaged, truncated, armor, too_large, work_factor,
    not_age, unsupported_version, not_passphrase, not_kiptui, bundle_version, invalid_plan,
    weak_passphrase, passphrase_file. str(err) is the translated one-line message.
    """

    KEY_PREFIX = "bundle.error."


def _too_large() -> BundleError:
    return BundleError("too_large", limit=MAX_BUNDLE_BYTES // (1024 * 1024))


# --------------------------------------------------------------------------- base64


def _decode_raw_b64(text: bytes) -> bytes | None:
    """Canonical unpadded standard base64 (as inside the age header), or None."""
    if not _RAW_B64.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).rstrip(b"=") != text:
        return None  # spare bits set: not canonical
    return raw


def _decode_padded_b64(text: bytes) -> bytes | None:
    """Canonical padded standard base64 (as in the armor), or None. C speed throughout: the
    decoded bytes must encode back to exactly `text`, which rules out every other
    character, misplaced padding and set spare bits."""
    if len(text) % 4:
        return None
    try:
        raw = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    if binascii.b2a_base64(raw, newline=False) != text:
        return None
    return raw


# --------------------------------------------------------------------------- ASCII armor


def armor(data: bytes) -> bytes:
    """The age file `data` in ASCII armor: the PEM block, lines of 64, a final LF."""
    encoded = base64.b64encode(data)
    lines = [encoded[i : i + _ARMOR_COLUMNS] for i in range(0, len(encoded), _ARMOR_COLUMNS)]
    return b"\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + b"\n"


def dearmor(text: bytes) -> bytes:
    """The binary age file inside an ASCII-armored one; BundleError("armor") unless the
    armor is exactly canonical. Whitespace before and after the block is allowed (the age
    spec allows ignoring it), so are LF and CRLF line ends; nothing else is."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise _too_large()
    block = text.strip(_ARMOR_OUTSIDE_WHITESPACE)
    if (
        len(block) < len(ARMOR_BEGIN) + len(ARMOR_END)
        or not block.startswith(ARMOR_BEGIN)
        or not block.endswith(ARMOR_END)
    ):
        raise BundleError("armor")
    inner = block[len(ARMOR_BEGIN) : len(block) - len(ARMOR_END)].replace(b"\r\n", b"\n")
    if b"\r" in inner:
        raise BundleError("armor")
    # a line end after BEGIN, then full 64-column lines and one last line of 1-64 columns
    # (or none: an empty file), each with its line end before END
    lines = inner.split(b"\n")
    if len(lines) < 2 or lines[0] or lines[-1]:
        raise BundleError("armor")
    body = lines[1:-1]
    if body and (
        not 0 < len(body[-1]) <= _ARMOR_COLUMNS
        or set(map(len, body[:-1])) - {_ARMOR_COLUMNS}
    ):
        raise BundleError("armor")
    data = _decode_padded_b64(b"".join(body))
    if data is None:
        raise BundleError("armor")
    return data


def _looks_armored(data: bytes) -> bool:
    return data.lstrip(_ARMOR_OUTSIDE_WHITESPACE).startswith(b"-----") or ARMOR_BEGIN in data


def to_age_binary(data: bytes) -> bytes:
    """The binary age file, from an armored or a binary one, after the size cap."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise _too_large()
    if data.startswith(_AGE_MAGIC):
        return data
    if _looks_armored(data):
        return dearmor(data)
    if not data or _AGE_MAGIC.startswith(data):
        raise BundleError("truncated")
    raise BundleError("not_age")


# --------------------------------------------------------------------------- age header


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: its arguments (the first is its type) and its decoded body."""

    args: tuple[str, ...]
    body: bytes

    @property
    def type(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class AgeHeader:
    """A parsed age v1 header; `length` is where the payload (nonce, chunks) begins."""

    stanzas: tuple[Stanza, ...]
    mac: bytes
    length: int


class _HeaderTooLong(Exception):
    pass


def parse_age_header(data: bytes, *, max_length: int | None = None) -> AgeHeader:
    """Parse the header of a binary age file strictly, as the ABNF in the age spec has it.

    Raises BundleError: not_age (no age magic), unsupported_version (another format version),
    truncated (the file ends inside the header), damaged (anything else malformed).
    Nothing is derived or decrypted here; the MAC is read, not checked.

    With `max_length`, a header that does not end within that many bytes is not parsed to
    its end (a hostile file can hold millions of stanzas): it is "not_passphrase" when two
    non-scrypt stanzas have been seen by then, else "damaged".
    """
    stanzas: list[Stanza] = []
    try:
        return _parse_age_header(data, stanzas, len(data) if max_length is None else max_length)
    except _HeaderTooLong:
        types = {stanza.type for stanza in stanzas}
        if len(stanzas) >= 2 and "scrypt" not in types:
            raise BundleError("not_passphrase") from None
        raise BundleError("damaged") from None


def _parse_age_header(data: bytes, stanzas: list[Stanza], limit: int) -> AgeHeader:
    if not data.startswith(_AGE_MAGIC):
        if not data or _AGE_MAGIC.startswith(data):
            raise BundleError("truncated")
        raise BundleError("not_age")
    pos = 0

    def next_line() -> bytes:
        nonlocal pos
        end = data.find(b"\n", pos, limit)
        if end < 0:
            if limit < len(data):
                raise _HeaderTooLong
            raise BundleError("truncated")
        line = data[pos:end]
        pos = end + 1
        return line

    version = next_line()[len(_AGE_MAGIC) :]
    if version != _AGE_V1:
        if _ARGUMENT.fullmatch(version):
            raise BundleError("unsupported_version")
        raise BundleError("damaged")

    while True:
        line = next_line()
        if line.startswith(b"-> "):
            args = line[3:].split(b" ")
            if not all(_ARGUMENT.fullmatch(arg) for arg in args):
                raise BundleError("damaged")
            body_lines: list[bytes] = []
            while True:
                body_line = next_line()
                if len(body_line) > _STANZA_COLUMNS or not _RAW_B64.fullmatch(body_line):
                    raise BundleError("damaged")
                body_lines.append(body_line)
                if len(body_line) < _STANZA_COLUMNS:
                    break
            body = _decode_raw_b64(b"".join(body_lines))
            if body is None:
                raise BundleError("damaged")
            stanzas.append(Stanza(tuple(arg.decode("ascii") for arg in args), body))
        elif line.startswith(b"--- "):
            mac_text = line[4:]
            mac = _decode_raw_b64(mac_text) if len(mac_text) == 43 else None
            if mac is None or not stanzas:
                raise BundleError("damaged")
            return AgeHeader(tuple(stanzas), mac, pos)
        else:
            raise BundleError("damaged")


def scrypt_work_factor(header: AgeHeader) -> int:
    """Check that the header is a passphrase (scrypt) header kiptui is willing to derive a
    key for, and return its work factor (log2 N).

    Raises BundleError: not_passphrase (no scrypt stanza: a file for X25519, hybrid or plugin
    identities), damaged (scrypt mixed with other stanzas, or a malformed scrypt stanza),
    work_factor (above MAX_WORK_FACTOR).
    """
    types = [stanza.type for stanza in header.stanzas]
    if "scrypt" not in types:
        raise BundleError("not_passphrase")
    if len(types) != 1:
        raise BundleError("damaged")  # the spec: an scrypt stanza MUST be alone
    stanza = header.stanzas[0]
    if len(stanza.args) != 3:
        raise BundleError("damaged")
    salt = _decode_raw_b64(stanza.args[1].encode("ascii"))
    if salt is None or len(salt) != _SCRYPT_SALT_BYTES:
        raise BundleError("damaged")
    factor = stanza.args[2]
    if not _DECIMAL.fullmatch(factor):
        raise BundleError("damaged")
    if len(factor) > 2 or int(factor) > MAX_WORK_FACTOR:
        shown = factor if len(factor) <= 6 else factor[:6] + "…"
        raise BundleError("work_factor", found=shown, limit=MAX_WORK_FACTOR)
    if len(stanza.body) != _WRAPPED_FILE_KEY_BYTES:
        raise BundleError("damaged")
    return int(factor)


def _check_payload_shape(data: bytes, header: AgeHeader) -> None:
    """The payload must hold a nonce and at least one (tag-sized) chunk."""
    payload = len(data) - header.length
    if payload < _NONCE_BYTES + _TAG_BYTES:
        raise BundleError("truncated")


# --------------------------------------------------------------------------- decryption


# pyrage reports every failure as DecryptError with rage's message; these are the ones that
# can still happen after the checks above (checked in lower case, first match wins).
_PYRAGE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("decryption failed", "wrong_passphrase"),  # the scrypt stanza did not open
    ("no matching keys", "not_passphrase"),
    ("excessive work", "work_factor"),
    ("header mac is invalid", "damaged"),
    ("truncated", "truncated"),
    ("failed to fill whole buffer", "truncated"),
)


def _pyrage_error_code(err: BaseException) -> str:
    text = str(err).lower()
    for fragment, code in _PYRAGE_MESSAGES:
        if fragment in text:
            return code
    return "damaged"


def _decrypt(data: bytes, passphrase: str) -> bytes:
    try:
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.DecryptError as err:
        code = _pyrage_error_code(err)
    except Exception:  # noqa: BLE001 - hostile input: whatever the binding raises is "damaged"
        code = "damaged"
    except BaseException as err:  # pyo3 turns a Rust panic into a BaseException subclass
        if type(err).__name__ != "PanicException":
            raise
        code = "damaged"
    if code == "work_factor":
        raise BundleError(code, found="?", limit=MAX_WORK_FACTOR)
    raise BundleError(code)


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class BundleContent:
    """What an opened bundle holds. Only in memory: nothing of it is written anywhere."""

    plan: Plan
    minutes_markdown: str
    minutes_html: str
    created_at: datetime


def bundle_payload(plan: Plan, *, now: datetime | None = None) -> bytes:
    """The plaintext of a bundle: UTF-8 JSON with the plan in its documented form and the
    minutes of its latest meeting as Markdown and as a printable HTML page (both empty when
    the plan has no meeting yet)."""
    from kiptui.minutes import render_html, render_markdown

    try:
        markdown = render_markdown(plan)
    except PlanError as err:
        if err.code != "minutes.no_meeting":
            raise
        markdown = ""
    html = render_html(markdown, t("minutes.title")) if markdown else ""
    # local time with its UTC offset: the reader sees the sender's clock, unambiguously
    created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    document = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "created_at": created,
        "plan": plan_to_dict(plan),
        "minutes_markdown": markdown,
        "minutes_html": html,
    }
    return json_text(document, separators=(",", ":")).encode("utf-8")


def _plan_from_bundle(plan_data: Any) -> Plan:
    """The plan from its documented JSON form, checked exactly like `kiptui json import`
    checks a file (JSON Schema, types, invariants)."""
    from kiptui.planjson import PlanFormatError, plan_from_data

    try:
        return plan_from_data(plan_data)
    except PlanFormatError as err:
        raise BundleError("invalid_plan", detail=str(err)) from err
    except (PlanError, ValueError, TypeError, KeyError, RecursionError) as err:
        raise BundleError("invalid_plan", detail=type(err).__name__) from err


def _content_from_payload(plaintext: bytes) -> BundleContent:
    try:
        document = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError("not_kiptui") from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise BundleError("not_kiptui")
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise BundleError("not_kiptui")
    if version > BUNDLE_FORMAT_VERSION:
        raise BundleError("bundle_version", found=version)
    if version != BUNDLE_FORMAT_VERSION:
        raise BundleError("not_kiptui")
    created_text = document.get("created_at")
    markdown = document.get("minutes_markdown")
    html = document.get("minutes_html")
    if not (isinstance(created_text, str) and isinstance(markdown, str) and isinstance(html, str)):
        raise BundleError("not_kiptui")
    try:
        created_at = datetime.fromisoformat(created_text)
    except ValueError:
        raise BundleError("not_kiptui") from None
    if not isinstance(document.get("plan"), dict):
        raise BundleError("not_kiptui")
    plan = _plan_from_bundle(document["plan"])
    return BundleContent(plan, markdown, html, created_at)


# --------------------------------------------------------------------------- the API


def consent_gaps(plan: Plan) -> list[str]:
    """Why sharing this plan needs a second thought: consent missing, withdrawn, or not
    covering every contact person the plan goes to (all of them, by the working guide)."""
    consent = plan.consent
    if not consent.given:
        return [t("cli.consent_missing")]
    if consent.withdrawn_on is not None:
        return [t("cli.consent_withdrawn", date=consent.withdrawn_on.strftime("%d.%m.%Y"))]
    uncovered = [one_line(c.name) for c in plan.contacts if not consent.covers(c)]
    if uncovered and (consent.scope_contacts or consent.scope_organisations):
        return [t("cli.consent_not_covering", names=", ".join(uncovered))]
    return []




def without_cpr(plan: Plan) -> Plan:
    """A copy of the plan without the citizen's CPR number (data minimisation: a bundle goes
    by mail, to relatives too, as F12's minutes do, it carries the number only when asked)."""
    copy = plan_from_dict(plan_to_dict(plan))
    copy.citizen.cpr = ""
    return copy


def export_bundle(plan: Plan, passphrase: str, *, now: datetime | None = None,
                  include_cpr: bool = False) -> bytes:
    """The plan as an armored age file (bytes, ready to write to a .kipbundle file).

    The citizen's CPR field is left out (the bundled plan's citizen.cpr is empty, and the
    minutes do not print it) unless `include_cpr`. Only that field: a CPR number typed into
    free text (notes, agreements, ...) stays in the plan and its minutes (docs/SECURITY.md). The passphrase must pass
    check_passphrase_strength (a generated one always does). The scrypt work factor is chosen
    by pyrage (about one second of work on this machine); a bundle kiptui would itself refuse
    to open is never returned.
    """
    if not isinstance(passphrase, str):
        raise TypeError("passphrase must be a str")
    problem = check_passphrase_strength(passphrase)
    if problem is not None:
        raise BundleError("weak_passphrase", reason=t(problem))
    payload = bundle_payload(plan if include_cpr else without_cpr(plan), now=now)
    if len(payload) > MAX_BUNDLE_BYTES:
        raise _too_large()
    for _attempt in range(3):
        binary = bytes(pyrage.passphrase.encrypt(payload, passphrase))
        try:
            scrypt_work_factor(parse_age_header(binary))
        except BundleError as err:
            if err.code != "work_factor":
                raise
            continue  # pyrage timed the machine too generously: draw again
        break
    else:
        raise BundleError("work_factor", found=">" + str(MAX_WORK_FACTOR), limit=MAX_WORK_FACTOR)
    armored = armor(binary)
    if len(armored) > MAX_BUNDLE_BYTES:
        raise _too_large()
    return armored


def check_age_file(data: bytes) -> bytes:
    """Every check that needs no passphrase (size, armor, header, scrypt stanza and work
    factor, payload length): the file as binary age, or BundleError. Run before a
    passphrase is asked for, so a file that is not a bundle is said at once."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise _too_large()
    binary = to_age_binary(bytes(data))
    header = parse_age_header(binary, max_length=MAX_HEADER_BYTES)
    scrypt_work_factor(header)
    _check_payload_shape(binary, header)
    return binary


def decrypt_age_file(data: bytes, passphrase: str) -> bytes:
    """The plaintext of an age passphrase file, armored or binary, in memory.

    Every check that needs no key runs before the (deliberately slow) scrypt derivation:
    size, armor, header grammar, the scrypt stanza and its work factor, the payload's length.
    Raises BundleError and nothing else, whatever `data` holds.
    """
    binary = check_age_file(data)
    if not passphrase:
        raise BundleError("wrong_passphrase")
    return _decrypt(binary, passphrase)


def open_bundle(data: bytes, passphrase: str) -> BundleContent:
    """Open a bundle in memory and return its content; nothing is written anywhere.

    Accepts armored and binary age files, from kiptui or from any age implementation
    (`age -p`), as long as they hold a kiptui bundle. Raises BundleError and nothing else.
    """
    return _content_from_payload(decrypt_age_file(data, passphrase))


def read_passphrase_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The bundle passphrase for scripts, in restic's order: the file named by
    KIPTUI_BUNDLE_PASSPHRASE_FILE (its content without the final line end), else the value of
    KIPTUI_BUNDLE_PASSPHRASE; None when neither is set."""
    env = os.environ if environ is None else environ
    path = env.get("KIPTUI_BUNDLE_PASSPHRASE_FILE")
    if path:
        try:
            with open(path, "rb") as fh:
                # at most a little more than a passphrase: never /dev/zero or a pipe to its end
                raw = fh.read(MAX_PASSPHRASE_FILE_BYTES + 1)
        except OSError as err:
            from kiptui.i18n import os_reason

            raise BundleError("passphrase_file", path=path, reason=os_reason(err)) from err
        if len(raw) > MAX_PASSPHRASE_FILE_BYTES:
            raise BundleError("passphrase_file", path=path,
                              reason=t("secret_file_too_large", limit=MAX_PASSPHRASE_FILE_BYTES))
        try:
            return raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as err:
            raise BundleError("passphrase_file", path=path, reason=t("secret_file_not_text")) from err
    return env.get("KIPTUI_BUNDLE_PASSPHRASE")


# --------------------------------------------------------------------------- passphrases


@cache
def wordlist() -> tuple[str, ...]:
    """The shipped word list (data/wordlist-da.txt), one word a line, sorted.

    Common Danish words of 3-8 letters a-z (no æ, ø, å, and none of c, q, w, x, z, which are
    hard to spell out over the phone), written for kiptui and checked against the Danish
    dictionary (the Debian package wdanish); without offensive words, words of illness,
    drink or violence, and without pairs that sound alike (hval/valg, lods/los, hal/hall).
    """
    with open(data_path("wordlist-da.txt"), encoding="utf-8") as fh:
        words = tuple(line.strip() for line in fh if line.strip())
    bad = [w for w in words if not _WORD.fullmatch(w)]
    if bad or len(set(words)) != len(words):
        raise ValueError(f"data/wordlist-da.txt is damaged: {bad[:3] or 'duplicate words'}")
    return words


def passphrase_entropy_bits(n_words: int, list_size: int) -> float:
    """Entropy of n_words drawn independently and uniformly from list_size words."""
    if n_words < 0 or list_size < 1:
        raise ValueError("n_words >= 0 and list_size >= 1")
    return n_words * math.log2(list_size)


def words_needed(list_size: int, bits: int = MIN_PASSPHRASE_BITS) -> int:
    """How many words from a list of list_size give at least `bits` bits."""
    if list_size < 2:
        raise ValueError("a word list needs at least two words")
    return math.ceil(bits / math.log2(list_size))


def generate_passphrase(words: Sequence[str] | None = None) -> str:
    """A new passphrase: enough words for at least MIN_PASSPHRASE_BITS bits, each chosen with
    `secrets`, joined by "-" (easy to read aloud and to type anywhere)."""
    pool = wordlist() if words is None else tuple(words)
    if len(set(pool)) != len(pool) or any(not w or "-" in w for w in pool):
        raise ValueError("the words must be unique, non-empty and without '-'")
    count = words_needed(len(pool))
    return "-".join(secrets.choice(pool) for _ in range(count))


def _is_obvious_pattern(text: str) -> bool:
    """A short unit repeated ("abcabcabc…") or a run of neighbouring characters ("abcdef…",
    "98765…") over most of the text."""
    n = len(text)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and text[:size] * (n // size) == text:
            return True
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:])]
    neighbours = sum(1 for s in steps if abs(s) <= 1)
    return bool(steps) and neighbours >= 0.8 * len(steps)


def check_passphrase_strength(passphrase: str) -> str | None:
    """None if a user-given bundle passphrase is acceptable, else the i18n key of the problem.

    Honest about its limits: it catches what is obviously weak (short, few different
    characters, a repeated unit or a run like "abcdef"), not every guessable phrase. A
    generated passphrase is the strong choice.
    """
    if not passphrase.strip():
        return "bundle.weak.empty"
    if passphrase != passphrase.strip():
        return "bundle.weak.edge_space"
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return "bundle.weak.too_short"
    if len(set(passphrase.casefold())) < MIN_DISTINCT_CHARS:
        return "bundle.weak.few_distinct"
    if _is_obvious_pattern(passphrase.casefold()):
        return "bundle.weak.pattern"
    return None
