"""The documented JSON form: lossless round trips, the demo plan, the schema agreeing with the
dataclasses, and bad files refused with a translated message that names the field."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from kiptui import i18n
from kiptui.model import (
    CITIZEN_ID,
    AgreementStatus,
    ApprovalSetting,
    AttendanceMode,
    AttendanceStatus,
    MeetingStatus,
    Plan,
    Sector,
    to_dict,
)
from kiptui.planjson import (
    FORMAT,
    MAX_BYTES,
    PlanFormatError,
    export_plan,
    load_plan_file,
    parse_plan,
    plan_from_data,
    schema,
)
from kiptui.resources import agenda_template, data_path, strings
from tests.strategies import plans

EXPORTED = datetime(2026, 11, 20, 9, 45, 0)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    before = i18n.language()
    i18n.set_language("da")
    yield
    i18n.set_language(before)


def demo_document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(data_path("demo-plan.json").read_text(encoding="utf-8"))
    return loaded


def refused(document: Any) -> PlanFormatError:
    text = document if isinstance(document, str | bytes) else json.dumps(document, ensure_ascii=False)
    with pytest.raises(PlanFormatError) as err:
        parse_plan(text)
    return err.value


# --------------------------------------------------------------------------- round trips


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_any_valid_plan_survives_export_and_parse(plan: Plan) -> None:
    text = export_plan(plan, EXPORTED)
    again = parse_plan(text)
    assert to_dict(again) == to_dict(plan)
    assert export_plan(again, EXPORTED) == text  # and the text itself is stable
    assert parse_plan(text.encode("utf-8")) == again  # bytes and str read alike


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(max_contacts=3, max_meetings=1))
def test_the_bare_plan_object_reads_like_the_file(plan: Plan) -> None:
    """Bundles carry the plan object without the envelope: plan_from_data checks it the same way."""
    assert to_dict(plan_from_data(json.loads(json.dumps(to_dict(plan))))) == to_dict(plan)


def _reference(obj: Any) -> Any:
    """to_dict as the rules say it, field by field, without the generated converters."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _reference(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, datetime):
        return obj.isoformat(timespec="seconds")
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): _reference(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_reference(x) for x in obj]
    return obj


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_the_generated_converters_give_what_the_rules_give(plan: Plan) -> None:
    """The autosave's fast conversion (one generated function per model class) writes exactly
    what converting field by field writes, key order included."""
    if plan.meetings:
        plan.meetings[0].closed_at = datetime(2026, 11, 20, 10, 0, 0, 123456)  # cut to seconds
    fast, slow = to_dict(plan), _reference(plan)
    assert fast == slow
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(slow, ensure_ascii=False)


def test_a_field_holding_another_type_than_its_hint_is_still_converted() -> None:
    """A value the hints do not expect (a plain str in an enum field, a date where a datetime
    belongs, a str in a date field) is converted the general way, not refused."""
    plan = parse_plan(data_path("demo-plan.json").read_bytes())
    meeting = plan.meetings[0]
    meeting.status = "open"  # type: ignore[assignment]
    meeting.starts_at = date(2026, 11, 20)  # type: ignore[assignment]
    plan.agreements[0].deadline = "snart"  # type: ignore[assignment]
    plan.agreements[0].history.append(None)  # type: ignore[arg-type]
    assert to_dict(plan) == _reference(plan)
    assert to_dict(plan)["meetings"][0]["starts_at"] == "2026-11-20"
    assert to_dict(plan)["agreements"][0]["deadline"] == "snart"


def test_export_is_the_documented_envelope_in_field_order() -> None:
    plan = parse_plan(data_path("demo-plan.json").read_bytes())
    text = export_plan(plan, datetime(2026, 11, 20, 9, 45, 12, 999))
    document = json.loads(text)
    assert list(document) == ["format", "format_version", "exported_at", "plan"]
    assert document["format"] == "kiptui-plan" and document["format_version"] == 1
    assert document["exported_at"] == "2026-11-20T09:45:12"
    assert list(document["plan"]) == [f.name for f in dataclasses.fields(Plan)]
    meeting = document["plan"]["meetings"][0]
    assert list(meeting) == [f.name for f in dataclasses.fields(type(plan.meetings[0]))]
    assert "Næstved" in text and "\\u00e6" not in text  # ensure_ascii=False: readable Danish
    assert text.endswith("}\n") and "\n  \"plan\": {\n" in text  # indented by two


def test_demo_file_is_exactly_what_export_writes() -> None:
    """The shipped file is kept in the exported form, so it doubles as the format's example."""
    raw = data_path("demo-plan.json").read_text(encoding="utf-8")
    exported_at = datetime.fromisoformat(json.loads(raw)["exported_at"])
    assert export_plan(parse_plan(raw), exported_at) == raw


# --------------------------------------------------------------------------- the demo plan


def test_demo_plan_loads_and_tells_the_whole_story() -> None:
    plan = load_plan_file(data_path("demo-plan.json"))
    plan.validate()
    assert re.fullmatch(r"[0-9a-f]{16}", plan.id)
    assert plan.citizen.cpr == "010190-0000"
    assert "opdigtede" in plan.citizen.notes
    assert plan.consent.given and plan.consent.given_on is not None and plan.consent.scope_contacts
    assert plan.wishes.feel_safe and plan.wishes.breaks
    # network: two relatives, professionals from every sector the guide names, fictional addresses
    assert 6 <= len(plan.contacts) <= 9
    assert sum(c.sector == Sector.RELATIVE for c in plan.contacts) == 2
    assert {Sector.REGION, Sector.MUNICIPALITY, Sector.GENERAL_PRACTICE} <= {c.sector for c in plan.contacts}
    emails = [c.email for c in plan.contacts] + [plan.citizen.email]
    assert all(e.endswith(".example") for e in emails if e)  # a reserved domain: never mails anyone
    held, prepared = plan.meetings
    # the held meeting
    assert held.status == MeetingStatus.CLOSED and held.closed_at and held.closed_version > 0
    assert held.chair and held.referent and held.chair != held.referent
    assert all(plan.contact(x).is_professional for x in (held.chair, held.referent))  # type: ignore[union-attr]
    statuses = [a.status for a in held.attendance]
    assert statuses.count(AttendanceStatus.APOLOGIES) == 1
    assert [a.mode for a in held.attendance].count(AttendanceMode.VIRTUAL) == 1
    assert held.citizen_present and held.situation_round[0].contact_id == CITIZEN_ID
    assert all(e.text for e in held.situation_round)
    assert [i.key for i in held.agenda] == [t["key"] for t in agenda_template()]
    assert all(i.started_at and i.ended_at and i.started_at < i.ended_at for i in held.agenda)
    assert held.coordinator and held.next_meeting.on and held.summary
    assert held.approval is not None
    assert held.approval.setting == ApprovalSetting.AT_MEETING
    assert 0 < held.approval.plan_version <= plan.version
    assert held.approval in plan.approvals
    # goals and agreements, one responsible each
    assert len(plan.goals) == 2
    assert 4 <= len(plan.agreements) <= 7
    assert all(a.deadline and a.responsible and a.meeting_id == held.id for a in plan.agreements)
    assert {AgreementStatus.DONE, AgreementStatus.IN_PROGRESS} <= {a.status for a in plan.agreements}
    # coordinator history: a hand-over at the meeting
    assert len(plan.coordinators) >= 2 and plan.current_coordinator == held.coordinator
    # the prepared meeting
    assert prepared.status == MeetingStatus.PLANNED
    assert prepared.starts_at == held.next_meeting.on
    assert prepared.invitation.reason and prepared.invitation.current_situation
    assert prepared.attendance and all(a.status == AttendanceStatus.UNKNOWN for a in prepared.attendance)
    assert prepared.starts_at.date() == date(2026, 12, 1)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- schema ↔ dataclasses


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema()["$defs"]
    return defs


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = _defs()[node["$ref"].removeprefix("#/$defs/")]
    return node


def _json_types(node: dict[str, Any]) -> set[str]:
    node = _resolve(node)
    if "anyOf" in node:
        return set().union(*(_json_types(b) for b in node["anyOf"]))
    if "const" in node:
        return {"string" if isinstance(node["const"], str) else "integer"}
    kind = node.get("type")
    return {kind} if isinstance(kind, str) else set(kind or ())


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node)
    return [_resolve(b) for b in node["anyOf"]] if "anyOf" in node else [node]


def _check_field(hint: Any, node: dict[str, Any], where: str, seen: set[type]) -> None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        assert "null" in _json_types(node), f"{where}: may be null in the model"
        not_null = [b for b in node.get("anyOf", [node]) if _json_types(b) != {"null"}]
        assert len(not_null) == 1, where
        _check_field(inner, not_null[0], where, seen)
        return
    assert "null" not in _json_types(node), f"{where}: never null in the model"
    target = _resolve(node)
    if origin is list:
        (inner,) = typing.get_args(hint)
        assert target["type"] == "array", where
        _check_field(inner, target["items"], f"{where}[]", seen)
    elif origin is dict:
        assert typing.get_args(hint) == (str, str), where
        assert target["type"] == "object" and target["additionalProperties"] == {"type": "string"}, where
    elif dataclasses.is_dataclass(hint):
        assert node.get("$ref") == f"#/$defs/{hint.__name__}", f"{where}: expected $defs/{hint.__name__}"
        _check_dataclass(hint, seen)
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        assert target["type"] == "string" and target["enum"] == [m.value for m in hint], where
    elif hint is datetime:
        assert node.get("$ref") == "#/$defs/datetime", where
    elif hint is date:
        assert node.get("$ref") == "#/$defs/date", where
    elif hint is bool:
        assert _json_types(node) == {"boolean"}, where
    elif hint is int:
        assert _json_types(node) == {"integer"} and target["minimum"] == 0, where
    elif hint is str:
        assert _json_types(node) == {"string"}, where
    else:  # pragma: no cover - a new kind of field needs a rule here and in the schema
        raise AssertionError(f"{where}: no schema rule for {hint!r}")


def _check_dataclass(cls: type, seen: set[type]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    node = _defs()[cls.__name__]
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    assert node["type"] == "object" and node["additionalProperties"] is False, cls.__name__
    # same fields, in the same order (the docs and exports follow it)
    assert list(node["properties"]) == names, cls.__name__
    no_default = [
        f.name for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    assert node["required"] == no_default, cls.__name__
    hints = typing.get_type_hints(cls)
    for name in names:
        _check_field(hints[name], node["properties"][name], f"{cls.__name__}.{name}", seen)


def test_schema_is_valid_json_schema_2020_12() -> None:
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(s)


def test_schema_and_dataclasses_agree_field_by_field() -> None:
    seen: set[type] = set()
    assert schema()["properties"]["plan"] == {"$ref": "#/$defs/Plan"}
    _check_dataclass(Plan, seen)
    # every dataclass $def is one the model has: nothing documented that the model lacks
    object_defs = {name for name, d in _defs().items() if d.get("type") == "object" and "properties" in d}
    assert object_defs == {cls.__name__ for cls in seen}


def test_schema_patterns_refuse_a_trailing_newline() -> None:
    """Python's re lets $ match before a final newline; the patterns guard against it."""
    for name in ("plan_id", "id", "ref", "date", "datetime", "timestamp"):
        pattern = _defs()[name]["pattern"]
        sample = {"plan_id": "0123456789abcdef", "id": "abc", "ref": "abc", "date": "2026-09-15",
                  "datetime": "2026-09-15T10:00:00", "timestamp": "2026-09-15T10:00:00Z"}[name]
        assert re.search(pattern, sample), name
        assert not re.search(pattern, sample + "\n"), name


# --------------------------------------------------------------------------- bad files


def test_wrong_type_deep_inside_names_the_field() -> None:
    doc = demo_document()
    doc["plan"]["meetings"][0]["attendance"][2]["details_confirmed"] = "ja"
    err = refused(doc)
    assert err.field_path == "plan.meetings[0].attendance[2].details_confirmed"
    assert str(err) == (
        "Fejl i planfilen ved plan.meetings[0].attendance[2].details_confirmed: "
        "skal være true eller false."
    )


def test_unknown_enum_value_lists_the_allowed_ones() -> None:
    doc = demo_document()
    doc["plan"]["contacts"][0]["sector"] = "planet"
    err = refused(doc)
    assert err.field_path == "plan.contacts[0].sector"
    assert "region, municipality, general_practice, relative, other" in str(err)
    assert "planet" not in str(err)  # the file's own text is not echoed back


def test_missing_required_field() -> None:
    doc = demo_document()
    del doc["plan"]["meetings"][0]["attendance"][0]["contact_id"]
    err = refused(doc)
    assert err.field_path == "plan.meetings[0].attendance[0].contact_id"
    assert "mangler" in str(err)
    doc = demo_document()
    del doc["plan"]["agreements"][0]["history"][0]["at"]
    assert refused(doc).field_path == "plan.agreements[0].history[0].at"


def test_fields_with_defaults_may_be_left_out() -> None:
    doc = {"format": FORMAT, "format_version": 1, "exported_at": "2026-01-01T00:00:00",
           "plan": {"id": "0123456789abcdef", "citizen": {"name": "Ny Borger"}}}
    plan = parse_plan(json.dumps(doc))
    assert plan.citizen.name == "Ny Borger" and plan.meetings == [] and plan.version == 0


def test_unknown_field() -> None:
    doc = demo_document()
    doc["plan"]["citizen"]["shoe_size"] = 44
    err = refused(doc)
    assert err.field_path == "plan.citizen.shoe_size"
    assert "ukendt felt" in str(err)
    doc = demo_document()
    doc["extra"] = 1
    assert refused(doc).field_path == "extra"


def test_a_hostile_field_name_is_shown_escaped() -> None:
    doc = demo_document()
    doc["plan"]["citizen"]["\x1b[2J\u202e[@click=app.quit]x[/]"] = 1
    message = str(refused(doc))
    assert "\x1b" not in message and "\u202e" not in message
    assert 'plan.citizen["\\u001b[2J\\u202e[@click=app.quit]x[/]"]' in message


def test_wrong_date_and_datetime_forms() -> None:
    cases = [
        (("agreements", 0, "deadline"), "15.09.2026", "en dato på formen ÅÅÅÅ-MM-DD"),
        (("agreements", 0, "deadline"), "2026-02-30", "datoen findes ikke"),
        (("agreements", 0, "deadline"), 20260915, "en dato på formen ÅÅÅÅ-MM-DD, fx 2026-09-15 eller null"),
        (("meetings", 0, "starts_at"), "2026-09-15T10:00:00+02:00", "dato og klokkeslæt"),
        (("meetings", 0, "starts_at"), "2026-09-15 10:00", "dato og klokkeslæt"),
        (("meetings", 0, "starts_at"), "2026-09-15T25:00:00", "tidspunktet findes ikke"),
        (("coordinators", 0, "from_date"), None, "skal være en dato"),
    ]
    for path, value, words in cases:
        doc = demo_document()
        target = doc["plan"]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        err = refused(doc)
        field = "plan." + ".".join(str(p) for p in path).replace(".0.", "[0].")
        assert err.field_path == field, (value, err.field_path)
        assert words in str(err), (value, str(err))


def test_numbers_are_whole_and_in_range() -> None:
    for value, words in ((-1, "mindst 0"), (100000, "højst være 1440"), (5.5, "et helt tal"),
                         (5.0, "et helt tal"), (True, "et helt tal")):
        doc = demo_document()
        doc["plan"]["meetings"][0]["agenda"][0]["planned_minutes"] = value
        err = refused(doc)
        assert err.field_path == "plan.meetings[0].agenda[0].planned_minutes", value
        assert words in str(err), (value, str(err))


def test_nullable_object_and_keyed_texts() -> None:
    doc = demo_document()
    doc["plan"]["meetings"][0]["approval"] = None
    assert parse_plan(json.dumps(doc)).meetings[0].approval is None
    doc["plan"]["meetings"][0]["approval"] = 5
    err = refused(doc)
    assert err.field_path == "plan.meetings[0].approval"
    assert "et objekt { … } eller null" in str(err)
    doc = demo_document()
    doc["plan"]["meetings"][0]["approval"]["decision"] = "måske"
    assert refused(doc).field_path == "plan.meetings[0].approval.decision"
    doc = demo_document()
    doc["plan"]["meetings"][0]["situation_round"][0]["life_areas"]["weather"] = "sol"
    err = refused(doc)
    assert err.field_path == "plan.meetings[0].situation_round[0].life_areas.weather"
    assert "mental_health" in str(err)
    doc = demo_document()
    doc["plan"]["meetings"][0]["review_comments"] = {"agreed": ["ikke", "tekst"]}
    assert refused(doc).field_path == "plan.meetings[0].review_comments.agreed"


def test_ids_are_checked() -> None:
    doc = demo_document()
    doc["plan"]["id"] = "0123456789abcdef\n"
    err = refused(doc)
    assert err.field_path == "plan.id" and "16 tegn" in str(err)
    doc = demo_document()
    doc["plan"]["contacts"][0]["id"] = "../../etc/passwd"
    assert refused(doc).field_path == "plan.contacts[0].id"
    doc = demo_document()
    doc["plan"]["meetings"][0]["chair"] = "a b"
    assert refused(doc).field_path == "plan.meetings[0].chair"


def test_broken_invariant_gives_the_rule_in_words() -> None:
    doc = demo_document()
    meeting = doc["plan"]["meetings"][0]
    meeting["referent"] = meeting["chair"]
    err = refused(doc)
    assert err.problem == "planjson.invariant"
    assert str(err) == (
        "Planen i filen bryder en af planens regler: "
        "Mødeleder og referent kan ikke være den samme person."
    )
    doc = demo_document()
    doc["plan"]["agreements"][0]["responsible"] = "0000000000000000"
    assert "Den ansvarlige findes ikke i borgers netværk." in str(refused(doc))
    doc = demo_document()
    relative = next(c for c in doc["plan"]["contacts"] if c["sector"] == "relative")
    doc["plan"]["meetings"][0]["coordinator"] = relative["id"]
    assert "Koordinator skal være en fagperson" in str(refused(doc))
    doc = demo_document()
    doc["plan"]["approvals"][0]["plan_version"] = doc["plan"]["version"] + 1
    assert "version der ikke findes" in str(refused(doc))


def test_not_json_and_not_text() -> None:
    err = refused('{\n  "format": "kiptui-plan",\n  "plan": {,}\n}')
    assert err.field_path == "" and str(err) == "Filen er ikke gyldig JSON: fejlen er i linje 3, kolonne 12."
    cases: list[tuple[str | bytes, str, str]] = [
        ("", "planjson.invalid_json", "linje 1, kolonne 1"),
        (b"\xff\xfe{}", "planjson.not_utf8", "byte 0"),
        ('{"format": "kiptui-plan", "format": "x"}', "planjson.duplicate_key", 'feltet "format" to gange'),
        ('{"format": NaN}', "planjson.not_json_number", "NaN"),
        ('{"format": 1' + "0" * 5000 + "}", "planjson.number_too_long", "cifre"),
        ("[" * 200_000 + "]" * 200_000, "planjson.too_deep", "dybt"),
    ]
    for text, problem, words in cases:
        err = refused(text)
        assert err.problem == problem and err.field_path == "", problem
        assert words in str(err), (problem, str(err))


def test_a_byte_order_mark_is_fine() -> None:
    raw = data_path("demo-plan.json").read_bytes()
    assert parse_plan(b"\xef\xbb\xbf" + raw).id == parse_plan(raw).id
    assert parse_plan("\ufeff" + raw.decode("utf-8")).id == parse_plan(raw).id


def test_wrong_format_marker_or_version() -> None:
    for document in ([], "text", {"plan": {}}, {"format": "kiptui-bundle", "format_version": 1}):
        err = refused(json.dumps(document))
        assert err.problem == "planjson.not_a_plan" and err.field_path == ""
        assert str(err) == 'Filen er ikke en plan fra kiptui: feltet "format" skal være "kiptui-plan".'
    doc = demo_document()
    doc["format_version"] = 2
    assert "nyere udgave af kiptui (formatversion 2)" in str(refused(doc))
    for version in ("1", True, 0, None, 1.5):
        doc["format_version"] = version
        err = refused(doc)
        assert err.problem == "planjson.bad_version" and err.field_path == "format_version", version
    doc = demo_document()
    del doc["exported_at"]
    assert refused(doc).field_path == "exported_at"


def test_too_large_is_refused_before_parsing(tmp_path: Path) -> None:
    big = b" " * (MAX_BYTES + 1)
    err = refused(big)
    assert err.problem == "planjson.too_large" and "20 MiB" in str(err)
    assert refused(big.decode("ascii")).problem == "planjson.too_large"
    # multi-byte characters count as the bytes they take
    assert refused("æ" * (MAX_BYTES // 2 + 1)).problem == "planjson.too_large"
    path = tmp_path / "big.json"
    path.write_bytes(big + b" " * 1000)
    with pytest.raises(PlanFormatError) as caught:
        load_plan_file(path)
    assert caught.value.problem == "planjson.too_large"


def test_bare_plan_errors_name_the_field_from_plan() -> None:
    data = copy.deepcopy(demo_document()["plan"])
    data["meetings"][1]["status"] = "postponed"
    with pytest.raises(PlanFormatError) as err:
        plan_from_data(data)
    assert err.value.field_path == "plan.meetings[1].status"
    with pytest.raises(PlanFormatError) as err:
        plan_from_data([])
    assert err.value.field_path == "plan"


# --------------------------------------------------------------------------- both languages


def test_messages_follow_the_language_at_the_time_they_are_shown() -> None:
    doc = demo_document()
    doc["plan"]["meetings"][0]["agenda"][0]["started_at"] = 5
    err = refused(doc)
    field = "plan.meetings[0].agenda[0].started_at"
    danish = str(err)
    assert danish == (
        f"Fejl i planfilen ved {field}: skal være dato og klokkeslæt på formen "
        "ÅÅÅÅ-MM-DDTtt:mm:ss, fx 2026-09-15T10:00:00 eller null."
    )
    i18n.set_language("en")
    assert str(err) == (
        f"Error in the plan file at {field}: must be a date and time in the form "
        "YYYY-MM-DDThh:mm:ss, e.g. 2026-09-15T10:00:00 or null."
    )
    doc = demo_document()
    doc["plan"]["meetings"][0]["referent"] = doc["plan"]["meetings"][0]["chair"]
    assert str(refused(doc)) == (
        "The plan in the file breaks one of the plan's rules: "
        "The chair and the referent cannot be the same person."
    )
    assert str(refused("{")) == "The file is not valid JSON: the error is at line 1, column 2."


def test_every_message_key_is_translated_with_the_same_placeholders() -> None:
    table = strings()
    source = (ROOT / "kiptui" / "planjson.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(planjson\.[a-z_.]+)"', source))
    used |= {f"planjson.noun.{kind}" for kind in ("string", "integer", "boolean", "object", "array", "null")}
    own = {k for k in table if k.startswith("planjson.")}
    assert used <= own, used - own
    for key in own:
        da, en = table[key]["da"], table[key]["en"]
        assert da.strip() and en.strip() and da != key, key
        assert set(re.findall(r"{(\w+)}", da)) == set(re.findall(r"{(\w+)}", en)), key


# --------------------------------------------------------------------------- the documentation


def test_the_documented_example_is_a_valid_plan() -> None:
    doc = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, flags=re.S)
    complete = [b for b in blocks if '"plan": {\n' in b]
    assert len(complete) == 1
    plan = parse_plan(complete[0])
    assert plan.agreements[0].responsible == CITIZEN_ID
    assert plan.meetings[0].agenda[0].planned_minutes == 5


def test_the_documentation_names_every_field_and_enum_value() -> None:
    doc = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", doc))
    missing: set[str] = set()
    for def_name, node in _defs().items():
        missing |= {f"{def_name}.{name}" for name in node.get("properties", {}) if name not in named}
        fields = [node, *node.get("properties", {}).values()]
        missing |= {f"{def_name}: {value}" for f in fields for value in _resolve(f).get("enum", ())
                    if value not in named}
    assert not missing, sorted(missing)


def test_half_a_utf16_pair_is_refused_where_it_is() -> None:
    """A lone "\\ud800" is legal JSON but can never be saved as UTF-8 again: refused on the way in."""
    raw = data_path("demo-plan.json").read_text(encoding="utf-8")
    bad = raw.replace('"name": "Jonas Bech Mikkelsen"', '"name": "Jonas \\ud800"', 1)
    err = refused(bad)
    assert (err.field_path, err.problem) == ("plan.citizen.name", "planjson.lone_surrogate")
    bad = raw.replace('"review_comments": {}', '"review_comments": {"x\\udfff": "tekst"}', 1)
    assert refused(bad).field_path == 'plan.meetings[0].review_comments["x\\udfff"]'
    # a whole pair written as escapes is simply an emoji
    fine = raw.replace('"name": "Jonas Bech Mikkelsen"', '"name": "Jonas \\ud83d\\ude00"', 1)
    assert parse_plan(fine).citizen.name == "Jonas 😀"


def test_the_examples_in_the_help_name_someone_in_the_demo_plan() -> None:
    """Found by a review: the help's example `/aftale Søge boligstøtte @Lone 01.12.2026`
    failed on the demo plan (nobody there is called Lone), so trying it taught an error."""
    from kiptui.planjson import load_plan_file
    from kiptui.resources import data_path

    demo = load_plan_file(data_path("demo-plan.json"))
    first_names = {c.name.split()[0].casefold() for c in demo.contacts}
    examples = {name for entry in strings().values() for text in entry.values()
                for name in re.findall(r"/?aftale [^@`\n]*@(\w+)|boligstøtte @(\w+)|benefit @(\w+)", text)
                for name in name if name} - {"navn", "name"}  # the syntax's own placeholder
    assert examples, "no example found: the pattern no longer matches the help texts"
    assert {n.casefold() for n in examples} <= first_names, examples
