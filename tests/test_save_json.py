"""How an autosave writes the plan: straight from the dataclasses to JSON (orjson), compared as
bytes. What is written must be the plan `plan_to_dict` describes, value for value, for any
plan; a plan orjson cannot write goes the standard library's way; nothing that changed is
ever taken for unchanged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings

from kiptui import crypto

from kiptui.model import AgendaItem, Agreement, AgreementStatus, Meeting, Plan, StatusChange, plan_to_dict
from kiptui.vault import PlanHandle, Snapshot, Vault, _plan_body
from tests.strategies import plans

PASS = "korrekt hest batteri klips"
NOW = datetime(2026, 11, 23, 10, 0)


def written(plan: Plan) -> dict:
    """The plan as a save writes it, read back as plain values."""
    stamp = plan.updated_at.isoformat(timespec="seconds") if plan.updated_at else None
    return json.loads(Snapshot(plan.version, stamp, _plan_body(plan)).plan_json())


@settings(max_examples=300, deadline=None)
@given(plans(max_contacts=4, max_meetings=3))
def test_what_a_save_writes_is_what_to_dict_gives(plan: Plan) -> None:
    plan.updated_at = NOW
    assert written(plan) == plan_to_dict(plan)


def test_times_with_microseconds_and_zones_are_written_as_to_dict_writes_them() -> None:
    plan = Plan(version=3, updated_at=NOW)
    plan.created_at = datetime(2026, 1, 2, 3, 4, 5, 678901)
    times = [datetime(2026, 3, 29, 2, 30, 0, 1), datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
             datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Copenhagen")),
             datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Copenhagen")),
             datetime(2026, 7, 1, 12, 0, 0, 999999, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))]
    plan.agreements = [
        Agreement(what="Søge bolig", deadline=date(2026, 12, 1),
                  history=[StatusChange(at=at, status=AgreementStatus.AGREED)])
        for at in times]
    assert written(plan) == plan_to_dict(plan)
    assert written(plan)["created_at"] == "2026-01-02T03:04:05"


def test_a_value_orjson_refuses_is_written_the_standard_way() -> None:
    plan = Plan(version=1, updated_at=NOW)
    plan.citizen.name = "Mikkel"
    meeting = Meeting(starts_at=NOW)
    meeting.agenda = [AgendaItem(key="x", title="Punkt", planned_minutes=2**70)]  # beyond 64 bits
    plan.meetings = [meeting]
    assert written(plan) == plan_to_dict(plan)
    assert written(plan)["meetings"][0]["agenda"][0]["planned_minutes"] == 2**70


def opened(tmp_path: Path) -> tuple[Vault, PlanHandle]:
    """A vault with a small plan, and the plan open for writing."""
    vault = Vault.create(tmp_path / "v", PASS)
    plan = Plan()
    plan.citizen.name = "Mikkel Sørensen"
    vault.add_plan(plan, now=NOW)
    return vault, vault.open_plan(plan.id)


def test_every_change_is_written_and_no_change_writes_nothing(tmp_path: Path) -> None:
    vault, handle = opened(tmp_path)
    plan = handle.plan
    try:
        assert handle.snapshot(NOW) is None  # opened, nothing changed
        for n, change in enumerate((
            lambda p: setattr(p.citizen, "name", "Mikkel Sørensen "),  # one space
            lambda p: p.agreements.append(Agreement(what="Søge bolig")),
            lambda p: setattr(p.agreements[0], "deadline", date(2026, 12, 1)),
            lambda p: p.agreements[0].history.append(StatusChange(at=NOW, status=AgreementStatus.DONE)),
            lambda p: setattr(p.agreements[0].history[0], "note", "x"),
            lambda p: setattr(p.agreements[0].history[0], "at", NOW.replace(second=1)),
        )):
            version = handle.plan.version
            change(handle.plan)
            assert handle.save(NOW + timedelta(minutes=n)), n
            assert handle.plan.version == version + 1
            assert handle.snapshot(NOW) is None
            assert vault.load_plan(plan.id, log=False) == handle.plan
            assert plan_to_dict(vault.load_plan(plan.id, log=False)) == plan_to_dict(handle.plan)
        # a write that failed is tried again: the next snapshot writes, even with no change
        handle.plan.citizen.name = "Mikkel"
        lost = handle.snapshot(NOW)
        assert lost is not None and handle.snapshot(NOW) is None  # being written: not again
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(crypto, "atomic_write", full_disk)
            with pytest.raises(OSError):
                handle.write(lost)
        again = handle.snapshot(NOW)
        assert again is not None and again.version == lost.version + 1
        handle.write(again)
        assert vault.load_plan(plan.id, log=False).citizen.name == "Mikkel"
        assert handle.snapshot(NOW) is None
    finally:
        handle.close()


def full_disk(*_args: object) -> None:
    raise OSError(28, "No space left on device")


def test_words_deleted_while_a_write_is_under_way_are_written_deleted(tmp_path: Path) -> None:
    """Found by a review: the change check compared with the last write that had finished,
    so a sentence typed and deleted again while a write was under way looked unchanged,
    and the file kept the deleted sentence (also after quitting: nothing was left to save)."""
    vault, handle = opened(tmp_path)
    try:
        handle.plan.citizen.notes = "en privat sætning"
        typed = handle.snapshot(NOW)  # handed to the save thread
        handle.plan.citizen.notes = ""  # deleted before that write has finished
        deleted = handle.snapshot(NOW)
        assert typed is not None and deleted is not None
        handle.write(typed)
        handle.write(deleted)
        assert vault.load_plan(handle.plan_id, log=False).citizen.notes == ""
        assert handle.snapshot(NOW) is None
    finally:
        handle.close()


def test_a_snapshot_that_fails_keeps_the_freeze_asked_for(tmp_path: Path) -> None:
    """Found by a review: a snapshot that failed (a value that cannot be written) dropped the
    freeze of a closing meeting, so a later save named a frozen version that was never
    written. The freeze now waits for a snapshot that succeeds."""
    vault, handle = opened(tmp_path)
    try:
        meeting = Meeting(starts_at=NOW)
        handle.plan.meetings.append(meeting)
        assert handle.save(NOW)
        handle.freeze(meeting.id)
        handle.plan.citizen.name = b"bytes"  # type: ignore[assignment] # no JSON has these
        with pytest.raises(TypeError):
            handle.snapshot(NOW)
        handle.plan.citizen.name = "Mikkel Sørensen"
        assert handle.save(NOW)
        (record,) = handle.frozen_versions()
        assert record["version"] == handle.plan.meetings[0].closed_version == handle.plan.version
    finally:
        handle.close()


def test_an_open_plan_keeps_no_decrypted_copy_of_its_file(tmp_path: Path) -> None:
    """The plan is in memory once (the objects being edited), not a second time as the file's
    decrypted JSON; history and frozen versions, asked for rarely, decrypt the file again."""
    _, handle = opened(tmp_path)
    try:
        assert handle.db.storage._cache is None
        handle.plan.citizen.notes = "ændret"
        assert handle.save(NOW)
        assert handle.db.storage._cache is None
        assert handle.history() == [] and handle.frozen_versions() == []
    finally:
        handle.close()
