"""The documented plain JSON form of a plan (`kiptui json export/import`, the demo plan, bundles).

A plan leaves the vault as readable JSON only on purpose, and comes back from files a person may
have edited by hand or a program may have written. So reading is strict and explains itself:
size first, then UTF-8, JSON, the format marker, the JSON Schema in data/plan.schema.json, the
model's own types and finally the plan's invariants. Every refusal is a PlanFormatError whose
message, in the user's language, names the field (`plan.meetings[0].chair`). The format is
described field by field in docs/plan-format.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from kiptui.i18n import t
from kiptui.model import ConversionError, Plan, PlanError, from_dict, to_dict
from kiptui.resources import load_json
from kiptui.textsafe import json_text

FORMAT = "kiptui-plan"
FORMAT_VERSION = 1
SCHEMA_FILE = "plan.schema.json"

#: A plan with years of meetings is well under 1 MiB; anything beyond this is not a plan, and
#: refusing it before parsing keeps a wrong file from eating the memory of a laptop.
MAX_BYTES = 20 * 1024 * 1024

#: Longer integers are not versions or minutes, and Python refuses > 4300 digits anyway.
_MAX_INT_DIGITS = 20


class _Text:
    """A translatable piece of a message, translated only when the message is shown, so an
    error raised before `--lang en` took effect still speaks the language it is shown in."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)


class _Either:
    """Alternatives ("a date or null"), each translated, joined by the translated "or"."""

    def __init__(self, parts: Sequence[object]) -> None:
        self.parts = list(parts)

    def __str__(self) -> str:
        words = [str(p) for p in self.parts]
        if len(words) <= 1:
            return "".join(words)
        return t("planjson.or", first=", ".join(words[:-1]), last=words[-1])


class PlanFormatError(ValueError):
    """A file that is not a valid plan.

    `field_path` names the field (`plan.meetings[0].chair`), or is "" when the file as a whole
    is wrong (not JSON, too large, another format). `problem` is a key in
    data/strings/planjson.json (or core.json for broken invariants); `params` fill it in.
    `str(err)` is the whole message in the current language.
    """

    def __init__(self, field_path: str, problem: str, **params: Any) -> None:
        self.field_path = field_path
        self.problem = problem
        self.params = params
        super().__init__(field_path, problem)

    @property
    def problem_text(self) -> str:
        return t(self.problem, **self.params)

    @property
    def message(self) -> str:
        if self.field_path:
            return t("planjson.at_field", field=self.field_path, problem=self.problem_text)
        return self.problem_text

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- writing


def plan_document(plan: Plan, now: datetime) -> dict[str, Any]:
    """The envelope with the plan as plain values, as `export_plan` writes it."""
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(timespec="seconds"),
        "plan": to_dict(plan),
    }
    ordered: dict[str, Any] = _in_schema_order(document, schema())
    return ordered


def _in_schema_order(value: Any, node: dict[str, Any]) -> Any:
    """Keys in the order the schema (and docs/plan-format.md) lists them, so a person reading
    an export finds `name` before `notes`; to_dict's own order is tuned for saving speed."""
    ref = node.get("$ref")
    if isinstance(ref, str):
        node = schema()["$defs"][ref.removeprefix("#/$defs/")]
    for branch in node.get("anyOf", ()):
        if "$ref" in branch and isinstance(value, dict | list):
            return _in_schema_order(value, branch)
    if isinstance(value, dict) and "properties" in node:
        props: dict[str, Any] = node["properties"]
        out = {k: _in_schema_order(value[k], props[k]) for k in props if k in value}
        out.update((k, v) for k, v in value.items() if k not in out)
        return out
    if isinstance(value, list) and "items" in node:
        return [_in_schema_order(v, node["items"]) for v in value]
    return value


def export_plan(plan: Plan, now: datetime) -> str:
    """The plan as documented JSON text (UTF-8 when written; Danish letters kept as they are).
    Characters that would act on a terminal or reorder the text (`json export` prints to one)
    are written as \\uXXXX escapes: the same JSON value, shown harmlessly."""
    return json_text(plan_document(plan, now), indent=2) + "\n"


# --------------------------------------------------------------------------- reading


def parse_plan(data: str | bytes | bytearray | memoryview) -> Plan:
    """A Plan from the documented JSON form, or a PlanFormatError that says what is wrong where."""
    text = _decode(data)
    document = _load_json(text)
    _check_envelope(document)
    _check_schema(_document_validator(), document, prefix=())
    return _build(document["plan"])


def plan_from_data(data: Any) -> Plan:
    """A Plan from an already decoded plan object (the "plan" member without its envelope),
    checked exactly like `parse_plan` checks it: for containers that carry a plan, e.g. bundles."""
    _check_schema(_plan_validator(), data, prefix=("plan",))
    return _build(data)


def load_plan_file(path: str | Path) -> Plan:
    """`parse_plan` on a file, reading no more than the size limit allows."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    return parse_plan(raw)


def _decode(data: str | bytes | bytearray | memoryview) -> str:
    if isinstance(data, str):
        # a str of more than MAX_BYTES characters can never encode to fewer bytes
        size = len(data) if len(data) > MAX_BYTES else len(data.encode("utf-8", "surrogatepass"))
        _check_size(size)
        return data.removeprefix("\ufeff")
    raw = bytes(data)
    _check_size(len(raw))
    try:
        # utf-8-sig: a byte order mark (Windows Notepad writes one) is not an error
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise PlanFormatError("", "planjson.not_utf8", position=err.start) from None


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        mib = 1024 * 1024
        raise PlanFormatError(
            "", "planjson.too_large", size=f"{size / mib:.1f}", limit=f"{MAX_BYTES // mib}"
        )


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
        )
    except json.JSONDecodeError as err:
        raise PlanFormatError("", "planjson.invalid_json", line=err.lineno, column=err.colno) from None
    except RecursionError:
        raise PlanFormatError("", "planjson.too_deep") from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python keeps the last of two equal keys silently; a plan with two "chair"s is ambiguous
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise PlanFormatError("", "planjson.duplicate_key", name=_quote(key))
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise PlanFormatError("", "planjson.not_json_number", value=name)


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
        raise PlanFormatError("", "planjson.number_too_long")
    return int(digits)


def _check_envelope(document: Any) -> None:
    """The marker and version first: a wrong file gets "not a kiptui plan", not a list of
    everything it lacks."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PlanFormatError("", "planjson.not_a_plan", format=FORMAT)
    version = document.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise PlanFormatError("", "planjson.newer_version", version=version)
    if type(version) is not int or version != FORMAT_VERSION:
        raise PlanFormatError("format_version", "planjson.bad_version", supported=FORMAT_VERSION)


def _build(plan_data: Any) -> Plan:
    bad_text = _lone_surrogate_at(plan_data, ["plan"])
    if bad_text is not None:
        raise PlanFormatError(_format_path(bad_text), "planjson.lone_surrogate")
    try:
        plan: Plan = from_dict(Plan, plan_data, "plan")
    except ConversionError as err:
        fallback = ("planjson.conversion", {"detail": err.problem})
        key, params = _CONVERSION_PROBLEMS.get(err.problem, fallback)
        raise PlanFormatError(_safe_path(err.path), key, **params) from err
    try:
        plan.validate()
    except PlanError as err:
        raise PlanFormatError(
            "", "planjson.invariant", rule=_Text(err.code, **err.params)
        ) from err
    return plan


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate_at(value: Any, path: list[str | int]) -> list[str | int] | None:
    """Where the file smuggles in half a UTF-16 pair ("\\ud800"): JSON allows the escape, but
    the text can never be written as UTF-8 again, so every later save of the plan would fail."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, list):
        for n, item in enumerate(value):
            found = _lone_surrogate_at(item, [*path, n])
            if found is not None:
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            found = _lone_surrogate_at(key, [*path, key])
            if found is None:
                found = _lone_surrogate_at(item, [*path, key])
            if found is not None:
                return found
    return None


# After the schema has passed, only what JSON Schema cannot see reaches the model's checks:
# calendar mistakes (2026-02-30) and 1.0, which JSON Schema counts as an integer.
_CONVERSION_PROBLEMS: dict[str, tuple[str, dict[str, Any]]] = {
    "not a valid date": ("planjson.invalid_date", {}),
    "not a valid date and time": ("planjson.invalid_datetime", {}),
    "expected a whole number": ("planjson.must_be", {"expected": _Text("planjson.noun.integer")}),
}


# --------------------------------------------------------------------------- the schema


@cache
def schema() -> dict[str, Any]:
    """data/plan.schema.json (JSON Schema 2020-12): the envelope, with the plan in $defs.Plan."""
    loaded: dict[str, Any] = load_json(SCHEMA_FILE)
    return loaded


@cache
def _document_validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@cache
def _plan_validator() -> Draft202012Validator:
    return Draft202012Validator({"$ref": "#/$defs/Plan", "$defs": schema()["$defs"]})


def _check_schema(validator: Draft202012Validator, instance: Any, prefix: tuple[str, ...]) -> None:
    errors = list(validator.iter_errors(instance))
    if not errors:
        return
    # the error nearest the top first: one clear message, the same one every time
    error = max(errors, key=relevance)
    path, problem, params = _describe(error)
    raise PlanFormatError(_format_path([*prefix, *path]), problem, **params)


def _describe(error: ValidationError) -> tuple[list[str | int], str, dict[str, Any]]:
    """(path, problem key, params) for a jsonschema error, in words a referent understands."""
    path: list[str | int] = list(error.absolute_path)
    kind = error.validator
    if kind == "anyOf":
        if not _all_alternatives_refused_outright(error):
            # jsonschema's own descent: the deepest error, from an alternative of the right type
            return _describe(min(error.context or (), key=relevance))
        alternatives = [_noun(branch) for branch in error.validator_value]
        return path, "planjson.must_be", {"expected": _Either(alternatives)}
    if "propertyNames" in error.absolute_schema_path:
        # a key of a keyed object (life_areas) that is not one of the allowed keys
        return [*path, str(error.instance)], "planjson.unknown_key", {"allowed": _allowed(error.schema)}
    if kind == "required":
        missing = next(name for name in error.validator_value if name not in error.instance)
        return [*path, missing], "planjson.missing", {}
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        return [*path, extra[0]], "planjson.unknown_field", {}
    known = _pattern_nouns().get(error.schema.get("pattern", ""))
    if kind in ("type", "pattern") and known is not None:
        # a date, a time or an id: say which form, not just "text"
        return path, "planjson.must_be", {"expected": _Text(known)}
    if kind == "type":
        return path, "planjson.must_be", {"expected": _type_noun(error.validator_value)}
    if kind == "enum":
        return path, "planjson.one_of", {"allowed": _allowed(error.schema)}
    if kind == "const":
        return path, "planjson.must_be", {"expected": json.dumps(error.validator_value)}
    if kind == "pattern":
        return path, "planjson.bad_pattern", {}
    if kind == "minimum":
        return path, "planjson.minimum", {"limit": error.validator_value}
    if kind == "maximum":
        return path, "planjson.maximum", {"limit": error.validator_value}
    return path, "planjson.schema_other", {"rule": kind}


def _all_alternatives_refused_outright(error: ValidationError) -> bool:
    """True when no alternative of an anyOf even has the value's type (5 where a date or null
    goes): then the message lists the alternatives instead of the first one's complaint."""
    return all(
        e.validator in ("type", "const", "enum") and not e.path for e in error.context or ()
    )


_DEF_NOUNS = {
    "#/$defs/date": "planjson.noun.date",
    "#/$defs/datetime": "planjson.noun.datetime",
    "#/$defs/timestamp": "planjson.noun.datetime",
    "#/$defs/id": "planjson.noun.id",
    "#/$defs/ref": "planjson.noun.ref",
    "#/$defs/plan_id": "planjson.noun.plan_id",
}


def _noun(branch: dict[str, Any]) -> object:
    ref = branch.get("$ref")
    if ref in _DEF_NOUNS:
        return _Text(_DEF_NOUNS[ref])
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = schema()["$defs"][ref.removeprefix("#/$defs/")]
        if "enum" in target:
            return _Text("planjson.noun.one_of", allowed=_allowed(target))
        return _type_noun(target.get("type", "object"))
    if "const" in branch:
        return json.dumps(branch["const"])
    return _type_noun(branch.get("type", "object"))


def _type_noun(types: str | list[str]) -> object:
    names = [types] if isinstance(types, str) else list(types)
    return _Either([_Text(f"planjson.noun.{name}") for name in names])


def _allowed(subschema: dict[str, Any]) -> str:
    ref = subschema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        subschema = schema()["$defs"][ref.removeprefix("#/$defs/")]
    return ", ".join(str(v) for v in subschema.get("enum", ()))


@cache
def _pattern_nouns() -> dict[str, str]:
    defs = schema()["$defs"]
    return {
        defs[ref.removeprefix("#/$defs/")]["pattern"]: noun for ref, noun in _DEF_NOUNS.items()
    }


# --------------------------------------------------------------------------- field paths

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _format_path(parts: Iterable[str | int]) -> str:
    """plan.meetings[0].chair; an odd key (a file's own, possibly hostile) as ["quoted"]."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{_quote(part)}]"
    return out


def _quote(key: str, limit: int = 60) -> str:
    """A key from the file, safe on a terminal: ASCII, escapes visible, bounded length."""
    shown = key if len(key) <= limit else key[:limit] + "…"
    return json.dumps(shown, ensure_ascii=True)


def _safe_path(path: str) -> str:
    # the model's paths contain dict keys from the file verbatim; make their odd characters visible
    return "".join(
        ch if ch.isprintable() and ch.isascii() else json.dumps(ch, ensure_ascii=True)[1:-1]
        for ch in path
    )
