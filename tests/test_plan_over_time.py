"""The plan over time, without Textual: follow-up meetings carry the open agreements of the
earlier ones (with their origin) and record an outcome for each, deviations are reported and
dealt with, closing a meeting freezes that version of the plan (its minutes stay as they were,
also through `kiptui minutes --meeting N`), a re-opening is logged with its reason, and overdue
is derived from the deadlines and a given day."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kiptui.accesslog import Action, format_table, plan_entries
from kiptui.i18n import set_language
from kiptui.minutes import render_markdown
from kiptui.model import (
    CITIZEN_ID,
    AgreementOutcome,
    AgreementStatus,
    AttendanceStatus,
    Contact,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
    Sector,
    new_follow_up_meeting,
    new_meeting,
    plan_from_dict,
    plan_to_dict,
)
from kiptui.resources import agenda_template
from kiptui.vault import Vault

PASS = "korrekt hest batteri klips"
ROOT = Path(__file__).resolve().parents[1]
MD = MarkdownIt("js-default").enable("table")


@pytest.fixture(autouse=True)
def danish():
    set_language("da")
    yield
    set_language("da")


def people_plan() -> tuple[Plan, dict[str, str]]:
    plan = Plan()
    plan.citizen.name = "Mikkel Sørensen"
    ids = {}
    for key, contact in {
        "lone": Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY, organisation="Næstved Kommune"),
        "anders": Contact(name="Anders Holm", sector=Sector.REGION, organisation="Psykiatrien"),
        "birgitte": Contact(name="Birgitte Sørensen", sector=Sector.RELATIVE, role="Mor"),
    }.items():
        ids[key] = plan.add_contact(contact).id
    return plan, ids


def close(meeting: Meeting, at: datetime) -> None:
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = at


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table in the Markdown as rows of cell texts, the header row first."""
    tokens = MD.parse(markdown)
    found: list[list[list[str]]] = []
    row: list[str] = []
    for n, tok in enumerate(tokens):
        if tok.type == "table_open":
            found.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append("".join(c.content for c in tokens[n + 1].children or [] if c.type == "text"))
        elif tok.type == "tr_close":
            found[-1].append(row)
    return found


def plain(markdown: str) -> str:
    """What the reader of the rendered Markdown sees, one line per paragraph or cell."""
    out = []
    for tok in MD.parse(markdown):
        if tok.type == "inline":
            out.append("".join(c.content for c in tok.children or [] if c.type == "text"))
    return "\n".join(out)


def follow_up_table(markdown: str) -> list[list[str]]:
    (table,) = [tb for tb in tables(markdown) if tb[0][-1] == "Udfald på mødet"]
    return table


# --------------------------------------------------------------------------- carry-over


def test_agreements_are_carried_over_three_meetings_with_origin_and_outcomes() -> None:
    plan, ids = people_plan()
    t1 = datetime(2026, 8, 20, 10, 0)
    first = new_meeting(plan, agenda_template(), t1)
    bolig = plan.add_agreement("Søge boligstøtte", ids["lone"], date(2026, 9, 15), first.id, t1)
    laege = plan.add_agreement("Ringe til lægen", CITIZEN_ID, date(2026, 9, 1), first.id, t1)
    medicin = plan.add_agreement("Medicingennemgang", ids["anders"], date(2026, 10, 1), first.id, t1)
    plan.set_coordinator(ids["lone"], t1.date(), first.id)
    first.coordinator = ids["lone"]
    close(first, t1 + timedelta(hours=2))

    # meeting 2: everyone invited, the standard agenda, the coordinator carried over
    t2 = datetime(2026, 11, 23, 10, 0)
    second = new_follow_up_meeting(plan, agenda_template(), None)
    assert second.starts_at is None and second.coordinator == ids["lone"]
    assert [a.contact_id for a in second.attendance] == plan.participant_ids()
    assert all(a.status == AttendanceStatus.UNKNOWN for a in second.attendance)
    assert [i.key for i in second.agenda] == [item["key"] for item in agenda_template()]
    assert plan.follow_up_agreements(second) == [bolig, laege, medicin]
    plan.record_outcome(bolig.id, AgreementOutcome.CONTINUE, second.id, t2)
    plan.record_outcome(laege.id, AgreementOutcome.ENDED, second.id, t2)  # done
    plan.record_outcome(medicin.id, AgreementOutcome.CHANGED, second.id, t2)
    medicin.what, medicin.deadline = "Medicingennemgang hos egen læge", date(2027, 1, 15)
    # a second "changed" at the same meeting keeps what it was before the first
    plan.record_outcome(medicin.id, AgreementOutcome.CHANGED, second.id, t2 + timedelta(minutes=1))
    job = plan.add_agreement("Samtale om praktik", ids["lone"], date(2026, 12, 10), second.id, t2)
    with pytest.raises(PlanError) as err:  # made at this meeting: nothing to follow up yet
        plan.record_outcome(job.id, AgreementOutcome.CONTINUE, second.id, t2)
    assert err.value.code == "outcome_not_carried_over"
    with pytest.raises(PlanError) as err:
        plan.record_outcome(bolig.id, AgreementOutcome.ENDED, second.id, t2, end_status=AgreementStatus.AGREED)
    assert err.value.code == "outcome_end_status"
    assert laege.status == AgreementStatus.DONE
    close(second, t2 + timedelta(hours=2))
    with pytest.raises(PlanError) as err:
        plan.record_outcome(bolig.id, AgreementOutcome.CONTINUE, second.id, t2)
    assert err.value.code == "meeting_is_closed"

    # meeting 3: the agreement ended at meeting 2 is not carried again
    t3 = datetime(2027, 2, 10, 13, 0)
    third = new_follow_up_meeting(plan, agenda_template(), t3)
    assert plan.follow_up_agreements(third) == [bolig, medicin, job]
    plan.record_outcome(bolig.id, AgreementOutcome.DEVIATION, third.id, t3,
                        what_happened="Sagsbehandleren er sygemeldt")
    plan.record_outcome(job.id, AgreementOutcome.ENDED, third.id, t3, end_status=AgreementStatus.CANCELLED)

    # the outcomes are kept per meeting, in each agreement's history
    assert bolig.outcome_at(second.id).outcome == AgreementOutcome.CONTINUE
    assert bolig.outcome_at(third.id).outcome == AgreementOutcome.DEVIATION
    assert bolig.status == AgreementStatus.DEVIATION
    (deviation,) = plan.deviations
    assert (deviation.agreement_id, deviation.reported_by, deviation.reported_on) == (bolig.id, ids["lone"], t3.date())
    changed = [h for h in medicin.history if h.outcome == AgreementOutcome.CHANGED]
    assert len(changed) == 1 and changed[0].meeting_id == second.id
    assert (changed[0].previous_what, changed[0].previous_deadline) == ("Medicingennemgang", date(2026, 10, 1))
    assert medicin.outcome_at(third.id) is None
    assert job.status == AgreementStatus.CANCELLED
    # the history survives the plain form (vault, JSON, bundles)
    again = plan_from_dict(plan_to_dict(plan))
    assert again.agreement(medicin.id).history == medicin.history
    # ended here: still listed at this meeting; a past meeting keeps what it followed up on
    assert plan.follow_up_agreements(third) == [bolig, medicin, job]
    assert plan.follow_up_agreements(second) == [bolig, laege, medicin]

    # the minutes of meeting 3: every agreement carried over with its origin and its outcome
    rows = follow_up_table(render_markdown(plan, third, now=t3))
    assert rows[0] == ["Hvad", "Ansvarlig", "Frist", "Status", "Fra møde", "Udfald på mødet"]
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        ("Søge boligstøtte", "Møde 1, 20.08.2026", "Afvigelse"),
        ("Medicingennemgang hos egen læge", "Møde 1, 20.08.2026", "–"),
        ("Samtale om praktik", "Møde 2, –", "Afsluttet: Annulleret"),
    ]
    rows = follow_up_table(render_markdown(plan, second, now=t2))
    assert [(r[0], r[5]) for r in rows[1:]] == [
        ("Søge boligstøtte", "Fortsætter"),
        ("Ringe til lægen", "Afsluttet: Udført"),
        ("Medicingennemgang hos egen læge", "Ændret – før: »Medicingennemgang«; frist 01.10.2026"),
    ]


def test_an_agreement_ended_by_mistake_continues_again() -> None:
    plan, ids = people_plan()
    t1 = datetime(2026, 8, 20, 10, 0)
    first = new_meeting(plan, agenda_template(), t1)
    a = plan.add_agreement("Søge boligstøtte", ids["lone"], None, first.id, t1)
    plan.set_agreement_status(a.id, AgreementStatus.IN_PROGRESS, t1, meeting_id=first.id)
    second = new_follow_up_meeting(plan, agenda_template(), None)
    plan.record_outcome(a.id, AgreementOutcome.ENDED, second.id, t1 + timedelta(days=90))
    assert not a.open
    plan.record_outcome(a.id, AgreementOutcome.CONTINUE, second.id, t1 + timedelta(days=90, minutes=1))
    assert a.status == AgreementStatus.IN_PROGRESS
    assert [h.outcome for h in a.history] == [None, None, AgreementOutcome.ENDED, AgreementOutcome.CONTINUE]


# --------------------------------------------------------------------------- deviations


def test_deviation_reported_informed_and_closed() -> None:
    plan, ids = people_plan()
    m = new_meeting(plan, agenda_template(), datetime(2026, 8, 20, 10, 0))
    a = plan.add_agreement("Søge boligstøtte", ids["lone"], None, m.id, datetime(2026, 8, 20, 10, 30))
    with pytest.raises(PlanError) as err:
        plan.report_deviation(a.id, "nobody", "Nåede det ikke", date(2026, 9, 1), datetime(2026, 9, 1, 9))
    assert err.value.code == "deviation_needs_reporter"
    d = plan.report_deviation(a.id, ids["birgitte"], "Nåede det ikke", date(2026, 9, 1), datetime(2026, 9, 1, 9))
    assert plan.open_deviations() == [d]
    with pytest.raises(PlanError) as err:
        plan.close_deviation(d.id)
    assert err.value.code == "deviation_close_needs_informed"
    with pytest.raises(PlanError) as err:
        plan.record_informed(d.id, [], date(2026, 9, 2))
    assert err.value.code == "deviation_needs_informed"
    with pytest.raises(PlanError):
        plan.record_informed(d.id, ["nobody"], date(2026, 9, 2))
    plan.record_informed(d.id, [ids["anders"], CITIZEN_ID, ids["anders"]], date(2026, 9, 2))
    assert (d.informed, d.informed_on) == ([ids["anders"], CITIZEN_ID], date(2026, 9, 2))
    plan.close_deviation(d.id)
    assert plan.open_deviations() == [] and d.closed


def test_minutes_report_the_deviations_since_the_meeting_before() -> None:
    """A follow-up meeting's minutes list the deviations reported since the meeting before it
    and those still open, with whom the coordinator informed; the first meeting's do not."""
    plan, ids = people_plan()
    t1 = datetime(2026, 8, 20, 10, 0)
    first = new_meeting(plan, agenda_template(), t1)
    bolig = plan.add_agreement("Søge boligstøtte", ids["lone"], date(2026, 9, 15), first.id, t1)
    laege = plan.add_agreement("Ringe til lægen", CITIZEN_ID, date(2026, 9, 1), first.id, t1)
    close(first, t1 + timedelta(hours=1))
    second = new_follow_up_meeting(plan, agenda_template(), datetime(2026, 10, 1, 10, 0))
    kept_open = plan.report_deviation(bolig.id, ids["lone"], "Ventetid hos | kommunen *3 uger*",
                                      date(2026, 9, 10), datetime(2026, 9, 10, 9))
    dealt_with = plan.report_deviation(laege.id, ids["birgitte"], "Glemte det", date(2026, 9, 2),
                                       datetime(2026, 9, 2, 9))
    plan.record_informed(dealt_with.id, [ids["anders"], CITIZEN_ID], date(2026, 9, 3))
    plan.close_deviation(dealt_with.id)
    plan.report_deviation(bolig.id, ids["lone"], "Efter mødet", date(2026, 10, 5), datetime(2026, 10, 5, 9))

    minutes = render_markdown(plan, second, now=datetime(2026, 10, 1, 12))
    rows = [tb for tb in tables(minutes) if tb[0][0] == "Meldt"]
    assert rows == [[
        ["Meldt", "Aftale", "Ansvarlig", "Meldt af", "Hvad skete", "Orienteret", "Status"],
        ["02.09.2026", "Ringe til lægen", "Mikkel Sørensen (borger)", "Birgitte Sørensen",
         "Glemte det", "Anders Holm (Psykiatrien), Mikkel Sørensen (borger) (03.09.2026)", "Afsluttet"],
        ["10.09.2026", "Søge boligstøtte", "Lone Hansen (Næstved Kommune)", "Lone Hansen (Næstved Kommune)",
         "Ventetid hos | kommunen *3 uger*", "Ingen orienteret endnu", "Åben"],
    ]]
    assert "Efter mødet" not in plain(minutes)  # reported after the meeting: the next one's
    assert not kept_open.closed
    assert "Afvigelser" not in plain(render_markdown(plan, first, now=datetime(2026, 10, 1, 12)))


# --------------------------------------------------------------------------- overdue


def test_overdue_is_derived_from_the_deadline_and_the_day_given() -> None:
    plan, ids = people_plan()
    m = new_meeting(plan, agenda_template(), datetime(2026, 8, 20, 10, 0))
    now = datetime(2026, 8, 20, 10, 30)
    due = plan.add_agreement("Søge boligstøtte", ids["lone"], date(2026, 12, 1), m.id, now)
    later = plan.add_agreement("Praktik", ids["anders"], date(2027, 3, 1), m.id, now)
    done = plan.add_agreement("Ringe til lægen", CITIZEN_ID, date(2026, 9, 1), m.id, now)
    plan.add_agreement("Uden frist", CITIZEN_ID, None, m.id, now)
    plan.set_agreement_status(done.id, AgreementStatus.DONE, now)
    assert plan.overdue_agreements(date(2026, 12, 1)) == []  # the deadline day is still in time
    assert plan.overdue_agreements(date(2026, 12, 2)) == [due]
    assert plan.overdue_agreements(date(2027, 3, 2)) == [due, later]
    assert "overdue" not in str(plan_to_dict(plan))  # never stored
    text = render_markdown(plan, m, now=datetime(2026, 12, 2, 9, 0))
    (agreements,) = [tb for tb in tables(text) if tb[0][0] == "Hvad"]
    assert [r[3] for r in agreements[1:]] == ["Aftalt, fristen er overskredet", "Aftalt", "Udført", "Aftalt"]


# --------------------------------------------------------------------------- versions


def closed_plan_in_vault(tmp_path: Path) -> tuple[Vault, Plan, Meeting]:
    plan, ids = people_plan()
    t1 = datetime(2026, 8, 20, 10, 0)
    m = new_meeting(plan, agenda_template(), t1)
    plan.add_agreement("Søge boligstøtte", ids["lone"], date(2026, 9, 15), m.id, t1)
    m.summary = "Vi aftalte at søge boligstøtte."
    vault = Vault.create(tmp_path / "vault", PASS)
    vault.add_plan(plan, t1)
    return vault, plan, m


def test_closing_freezes_that_version_and_later_edits_make_new_ones(tmp_path: Path) -> None:
    vault, plan, m = closed_plan_in_vault(tmp_path)
    handle = vault.open_plan(plan.id)
    try:
        meeting = handle.plan.meeting(m.id)
        closed_at = datetime(2026, 8, 20, 12, 0)
        close(meeting, closed_at)
        handle.freeze(meeting.id)
        assert handle.save(closed_at)
        frozen_version = handle.plan.version
        assert meeting.closed_version == frozen_version
        (record,) = handle.frozen_versions()
        assert (record["version"], record["meeting_id"]) == (frozen_version, m.id)
        assert record["plan"]["meetings"][0]["closed_version"] == frozen_version
        assert record["plan"] == plan_to_dict(handle.plan)
        before = render_markdown(vault.frozen_plan(plan.id, m.id), now=datetime(2026, 12, 2), as_of=closed_at)

        # later edits: new versions, the frozen one untouched
        handle.plan.agreements[0].what = "Søge boligstøtte og friplads"
        meeting.summary = "Rettet bagefter."
        assert handle.save(datetime(2026, 9, 1, 9, 0))
        assert handle.plan.version == frozen_version + 1
        assert len(handle.frozen_versions()) == 1
    finally:
        handle.close()
    assert vault.load_plan(plan.id).meetings[0].summary == "Rettet bagefter."
    frozen = vault.frozen_plan(plan.id, m.id)
    assert frozen is not None and frozen.version == frozen_version
    assert frozen.meetings[0].summary == "Vi aftalte at søge boligstøtte."
    after = render_markdown(frozen, now=datetime(2026, 12, 2), as_of=closed_at)
    assert after == before
    assert "fristen er overskredet" not in after  # overdue as it was at closing, not today
    assert vault.frozen_plan(plan.id, "0000000000000000") is None

    # `kiptui minutes PLAN --meeting 1` in a real process renders the frozen meeting
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPTUI_")}
    env.update(KIPTUI_VAULT=str(vault.path), KIPTUI_PASSPHRASE=PASS)
    proc = subprocess.run([sys.executable, "-m", "kiptui.cli", "minutes", plan.id, "--meeting", "1"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    shown = plain(proc.stdout)
    assert "Vi aftalte at søge boligstøtte." in shown
    assert "Rettet bagefter" not in shown and "friplads" not in shown
    assert f"Planversion: {frozen_version}" in shown


def test_a_failed_write_keeps_the_frozen_version_for_the_next(tmp_path: Path) -> None:
    vault, plan, m = closed_plan_in_vault(tmp_path)
    handle = vault.open_plan(plan.id)
    try:
        close(handle.plan.meeting(m.id), datetime(2026, 8, 20, 12, 0))
        handle.freeze(m.id)
        data = handle.snapshot(datetime(2026, 8, 20, 12, 0))
        assert data is not None and handle.frozen_versions() == []  # not written yet
        handle.plan.meetings[0].summary = "Skrevet mens skrivningen hang."
        assert handle.save(datetime(2026, 8, 20, 12, 1))  # the next write carries it along
        (record,) = handle.frozen_versions()
        assert record["version"] == data.version == handle.plan.meetings[0].closed_version
        assert record["plan"]["meetings"][0]["summary"] == "Vi aftalte at søge boligstøtte."
    finally:
        handle.close()


def closed_in_vault(vault: Vault, plan_id: str, meeting_id: str, at: datetime) -> Plan:
    """Open the plan, close the meeting and freeze that version, as the app does; the plan."""
    handle = vault.open_plan(plan_id)
    try:
        close(handle.plan.meeting(meeting_id), at)
        handle.freeze(meeting_id)
        assert handle.save(at)
        return handle.plan
    finally:
        handle.close()


def failing_plan_writes(monkeypatch, vault: Vault, plan_id: str) -> Callable[[], None]:
    """Make writes of the plan file fail (the archive's still succeed); returns the undo."""
    from kiptui import crypto

    real = crypto.atomic_write

    def plan_write_fails(path: Path, data: bytes) -> None:
        if path == vault.plan_path(plan_id):
            raise OSError(5, "Input/output error")
        real(path, data)

    monkeypatch.setattr(crypto, "atomic_write", plan_write_fails)
    return lambda: monkeypatch.setattr(crypto, "atomic_write", real)


def test_frozen_versions_live_in_the_archive_and_autosaves_never_rewrite_it(tmp_path: Path) -> None:
    """The plan file stays the size of one plan: the frozen versions are in the plan's archive,
    written when a meeting is closed. (When they lived in the plan file, 20 closed meetings made
    every autosave write 4 MB.)"""
    vault, plan, m = closed_plan_in_vault(tmp_path)
    archive, plan_file = vault.archive_path(plan.id), vault.plan_path(plan.id)
    assert archive.exists()  # made with the plan, so no file tells whether a meeting was closed
    empty_size = archive.stat().st_size
    handle = vault.open_plan(plan.id)
    try:
        close(handle.plan.meeting(m.id), datetime(2026, 8, 20, 12, 0))
        handle.freeze(m.id)
        assert handle.save(datetime(2026, 8, 20, 12, 0))
        frozen_bytes = archive.read_bytes()
        assert len(frozen_bytes) > empty_size + 1000
        for n in range(5):  # autosaves
            handle.plan.citizen.notes = f"ændring {n}"
            assert handle.save(datetime(2026, 8, 20, 12, 1 + n))
        assert archive.read_bytes() == frozen_bytes
        plan_size = plan_file.stat().st_size
    finally:
        handle.close()
    assert plan_size < len(frozen_bytes) + 500  # one plan, not the plan and its frozen copy
    assert vault.frozen_plan(plan.id, m.id).meetings[0].summary == "Vi aftalte at søge boligstøtte."
    assert vault.verify() == []


def test_a_frozen_version_written_before_a_failed_plan_write_is_never_shown(tmp_path: Path, monkeypatch) -> None:
    """The archive is written first, then the plan that names the version. A crash (here a
    failed write) between the two leaves a version no meeting names: it is not listed, and
    the retry names and keeps the one it writes."""
    vault, plan, m = closed_plan_in_vault(tmp_path)
    handle = vault.open_plan(plan.id)
    try:
        close(handle.plan.meeting(m.id), datetime(2026, 8, 20, 12, 0))
        handle.freeze(m.id)
        undo = failing_plan_writes(monkeypatch, vault, plan.id)
        with pytest.raises(OSError):
            handle.save(datetime(2026, 8, 20, 12, 0))
        on_disk = vault.load_plan(plan.id, log=False)
        assert on_disk.meetings[0].status != MeetingStatus.CLOSED
        assert len(vault._read_archive(plan.id)["versions"]) == 1  # written, named by nobody
        assert vault.frozen_plan(plan.id, m.id) is None
        assert handle.frozen_versions() == []
        undo()
        assert handle.save(datetime(2026, 8, 20, 12, 1))  # the retry
        (record,) = handle.frozen_versions()
        assert record["version"] == handle.plan.meetings[0].closed_version
    finally:
        handle.close()
    assert vault.frozen_plan(plan.id, m.id).version == record["version"]
    assert len(vault._read_archive(plan.id)["versions"]) == 1  # the retry did not add a second


def test_a_plan_file_from_before_the_archive_is_read_and_moved_over_losslessly(tmp_path: Path) -> None:
    """A plan file that still holds its frozen versions and replaced plans itself (as files
    did before the archive) reads the same, and its first save moves them to the archive."""
    import json

    from kiptui import crypto

    vault, plan, m = closed_plan_in_vault(tmp_path)
    closed_in_vault(vault, plan.id, m.id, datetime(2026, 8, 20, 12, 0))
    (record,) = vault._frozen_records(plan.id, {}, vault.load_plan(plan.id, log=False))
    # rewrite the files the old way: everything in the plan file, no archive
    doc = json.loads(vault.sealer.open(crypto.KIND_PLAN, plan.id, vault.plan_path(plan.id).read_bytes()))
    old_plan = dict(doc["plan"]["1"], version=1)
    doc["versions"] = {"1": record}
    # two replacements within the same second (each replaced another version)
    doc["history"] = {"1": {"replaced_at": "2026-08-01T10:00:00", "plan": old_plan},
                      "2": {"replaced_at": "2026-08-01T10:00:00", "plan": dict(old_plan, version=0)}}
    del doc["meta"]
    crypto.atomic_write(vault.plan_path(plan.id), vault.sealer.seal(
        crypto.KIND_PLAN, plan.id, json.dumps(doc, ensure_ascii=False).encode()))
    vault.archive_path(plan.id).unlink()
    assert vault.verify() == []  # a plan from before the archive keeps its versions itself

    frozen_before = vault.frozen_plan(plan.id, m.id)
    assert frozen_before is not None and frozen_before.version == record["version"]
    assert [h["plan"]["version"] for h in vault.plan_history(plan.id)] == [1, 0]
    handle = vault.open_plan(plan.id)
    try:
        handle.plan.citizen.notes = "første gem efter opdateringen"
        assert handle.save(datetime(2026, 8, 21, 9, 0))
    finally:
        handle.close()
    doc = json.loads(vault.sealer.open(crypto.KIND_PLAN, plan.id, vault.plan_path(plan.id).read_bytes()))
    assert "versions" not in doc and all("plan" not in h for h in doc["history"].values())
    archive = vault._read_archive(plan.id)
    assert [r["version"] for r in archive["versions"]] == [record["version"]]
    assert [h["plan"]["version"] for h in archive["history"]] == [1, 0]
    assert vault.frozen_plan(plan.id, m.id) == frozen_before
    assert [h["plan"]["version"] for h in vault.plan_history(plan.id)] == [1, 0]
    assert vault.verify() == []
    vault.archive_path(plan.id).unlink()  # now a plan that keeps an archive: its loss is found
    assert [name for name, _ in vault.verify()] == [vault.archive_path(plan.id).name]


def test_a_version_left_by_a_failed_closing_never_stands_in_for_the_next(tmp_path: Path, monkeypatch) -> None:
    """A closing whose archive was written but whose plan was not (a crash between), then the
    app again, and the meeting closed anew as the first change: the new closing gets the same
    version number, and the minutes are the new closing's, not the left-over's."""
    vault, plan, m = closed_plan_in_vault(tmp_path)
    handle = vault.open_plan(plan.id)
    try:
        meeting = handle.plan.meeting(m.id)
        meeting.summary = "LEFT OVER, never in the plan"
        close(meeting, datetime(2026, 8, 20, 12, 0))
        handle.freeze(m.id)
        undo = failing_plan_writes(monkeypatch, vault, plan.id)
        with pytest.raises(OSError):
            handle.save(datetime(2026, 8, 20, 12, 0))
        undo()
        left_over = meeting.closed_version
    finally:
        handle.close()  # the app is gone; the plan on disk is the one before the closing
    handle = vault.open_plan(plan.id)
    try:
        meeting = handle.plan.meeting(m.id)
        meeting.summary = "Det, der faktisk blev lukket."
        close(meeting, datetime(2026, 8, 20, 12, 5))
        handle.freeze(m.id)
        assert handle.save(datetime(2026, 8, 20, 12, 5))
        assert meeting.closed_version == left_over  # the same number
    finally:
        handle.close()
    frozen = vault.frozen_plan(plan.id, m.id)
    assert frozen.meetings[0].summary == "Det, der faktisk blev lukket."
    assert len(vault._read_archive(plan.id)["versions"]) == 1


def test_a_damaged_archive_never_stops_the_plan_from_being_saved(tmp_path: Path) -> None:
    """A closing needs the archive; when it is damaged it is set aside (kept, reported by
    verify) and a new one begun, so the plan itself is still saved."""
    vault, plan, m = closed_plan_in_vault(tmp_path)
    archive = vault.archive_path(plan.id)
    archive.write_bytes(archive.read_bytes()[:-3])
    handle = vault.open_plan(plan.id)
    try:
        close(handle.plan.meeting(m.id), datetime(2026, 8, 20, 12, 0))
        handle.freeze(m.id)
        assert handle.save(datetime(2026, 8, 20, 12, 0))
    finally:
        handle.close()
    assert vault.load_plan(plan.id).meetings[0].status == MeetingStatus.CLOSED
    assert vault.frozen_plan(plan.id, m.id) is not None
    (aside,) = vault.plans_dir.glob(f"{archive.name}.damaged-*")
    assert [name for name, _ in vault.verify()] == [aside.name]


def test_bringing_back_a_lost_plan_file_keeps_its_archive(tmp_path: Path) -> None:
    """The plan file is lost and the plan is imported again from an export with the same id:
    the archive with the frozen versions of its closed meetings is kept, not emptied."""
    vault, plan, m = closed_plan_in_vault(tmp_path)
    exported = closed_in_vault(vault, plan.id, m.id, datetime(2026, 8, 20, 12, 0))
    kept = vault.archive_path(plan.id).read_bytes()
    vault.plan_path(plan.id).unlink()
    vault.import_plan(exported, now=datetime(2026, 9, 1, 9, 0), source="json")
    assert vault.archive_path(plan.id).read_bytes() == kept
    assert vault.frozen_plan(plan.id, m.id) is not None


def test_a_reopening_is_logged_with_its_reason_and_kept_on_the_meeting(tmp_path: Path) -> None:
    vault, plan, m = closed_plan_in_vault(tmp_path)
    handle = vault.open_plan(plan.id)
    try:
        meeting = handle.plan.meeting(m.id)
        closed_at = datetime(2026, 8, 20, 12, 0)
        close(meeting, closed_at)
        handle.freeze(m.id)
        handle.save(closed_at)
        version = meeting.closed_version
        reopened_at = datetime(2026, 8, 21, 9, 0)
        with pytest.raises(PlanError) as err:
            handle.reopen(m.id, "   ", reopened_at)
        assert err.value.code == "reopen_needs_reason"
        entry = handle.reopen(m.id, "Borgers mor skal have sit bidrag med", reopened_at)
        assert meeting.status == MeetingStatus.IN_PROGRESS and meeting.closed_version == 0
        assert (entry.reason, entry.closed_at, entry.closed_version) == (
            "Borgers mor skal have sit bidrag med", closed_at, version)
        assert entry.by
        with pytest.raises(PlanError) as err:
            handle.reopen(m.id, "igen", reopened_at)
        assert err.value.code == "meeting_not_closed"
        handle.save(reopened_at)
    finally:
        handle.close()
    stored = vault.load_plan(plan.id).meetings[0]
    assert [r.reason for r in stored.reopenings] == ["Borgers mor skal have sit bidrag med"]
    entries = [e for e in plan_entries(vault.access_log.scan().entries, plan.id) if e.action == Action.REOPEN]
    (logged,) = entries
    assert logged.detail == "Borgers mor skal have sit bidrag med"
    assert logged.purpose == "meeting" and logged.info["meeting"] == 1
    assert logged.info["closed_version"] == version
    assert "Borgers mor skal have sit bidrag med" in format_table(entries)
    assert vault.access_log.verify() == []
    # the frozen version of the first closing stays; the minutes say it was re-opened
    assert vault.frozen_plan(plan.id, m.id).meetings[0].closed_version == version
    text = render_markdown(vault.load_plan(plan.id), now=reopened_at)
    assert "Genåbnet: 21.08.2026 09:00 af " in plain(text)


def test_the_next_meeting_takes_the_time_and_place_agreed_at_the_one_before() -> None:
    """Found by a review: "+ Nyt møde" made a meeting without a date, although the meeting
    before had just agreed on 12.01.2027 13:00 in Socialpsykiatrien."""
    plan, ids = people_plan()
    first = new_meeting(plan, agenda_template(), datetime(2026, 11, 23, 10, 0))
    first.next_meeting.on = datetime(2027, 1, 12, 13, 0)
    first.next_meeting.place = "Socialpsykiatrien, Næstved"
    second = new_follow_up_meeting(plan, agenda_template(), None)
    assert second.starts_at == datetime(2027, 1, 12, 13, 0)
    assert second.place == "Socialpsykiatrien, Næstved"
    # a time given wins; nothing agreed leaves it open
    third = new_follow_up_meeting(plan, agenda_template(), datetime(2027, 4, 1, 9, 0))
    assert third.starts_at == datetime(2027, 4, 1, 9, 0)
    fourth = new_follow_up_meeting(plan, agenda_template(), None)
    assert fourth.starts_at is None and fourth.place == ""
