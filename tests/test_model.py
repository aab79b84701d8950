"""The meeting's rules, as kiptui.model enforces them for every screen, importer and command."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kiptui.model import (
    CITIZEN_ID,
    NEXT_MEETING_MAX_DAYS,
    AgendaItem,
    Agreement,
    AgreementStatus,
    Approval,
    ApprovalDecision,
    AttendanceStatus,
    Contact,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
    RoundEntry,
    Sector,
    check_next_meeting,
    new_meeting,
)
from kiptui.resources import agenda_template

NOW = datetime(2026, 9, 15, 10, 0, 0)
TODAY = NOW.date()


def make_plan() -> tuple[Plan, dict[str, str]]:
    plan = Plan(version=3)
    plan.citizen.name = "Jonas Bech Mikkelsen"
    people = {
        "mette": Contact(name="Mette Lund", sector=Sector.REGION, role="Sygeplejerske"),
        "karsten": Contact(name="Karsten Friis", sector=Sector.MUNICIPALITY, role="Bostøtte"),
        "henrik": Contact(name="Henrik Vestergaard", sector=Sector.GENERAL_PRACTICE),
        "lene": Contact(name="Lene Mikkelsen", sector=Sector.RELATIVE, role="Mor"),
        "other": Contact(name="Bosted Lyset", sector=Sector.OTHER),
    }
    for c in people.values():
        plan.add_contact(c)
    return plan, {k: c.id for k, c in people.items()}


def error_code(excinfo: pytest.ExceptionInfo[PlanError]) -> str:
    return excinfo.value.code


# --------------------------------------------------------------------------- chair and referent


def test_chair_and_referent_setters_refuse_the_same_person() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    m.set_chair(ids["mette"])
    with pytest.raises(PlanError) as err:
        m.set_referent(ids["mette"])
    assert error_code(err) == "chair_is_referent"
    assert m.referent == ""  # nothing half-done
    m.set_referent(ids["karsten"])
    with pytest.raises(PlanError):
        m.set_chair(ids["karsten"])
    assert m.chair == ids["mette"]
    # clearing is always allowed, and then the other role may take the person
    m.set_chair("")
    m.set_referent("")
    m.set_chair(ids["karsten"])
    assert (m.chair, m.referent) == (ids["karsten"], "")


def test_validate_catches_chair_equal_referent_set_behind_the_setters_back() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    m.chair = m.referent = ids["mette"]
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "chair_is_referent"
    m.referent = ""
    plan.validate()


def test_validate_refuses_a_chair_outside_the_network() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    m.chair = "0000000000000000"
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "unknown_contact"


# --------------------------------------------------------------------------- situation round


def present(m: Meeting, *contact_ids: str) -> None:
    for cid in contact_ids:
        m.attendance_for(cid).status = AttendanceStatus.PRESENT


def test_build_round_puts_the_present_citizen_first() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    # attendance order has the citizen last here: the round must still open with the citizen
    m.attendance = [a for a in m.attendance if a.contact_id != CITIZEN_ID] + [
        a for a in m.attendance if a.contact_id == CITIZEN_ID
    ]
    present(m, ids["karsten"], ids["mette"], CITIZEN_ID)
    m.build_round()
    order = [e.contact_id for e in m.situation_round]
    assert order[0] == CITIZEN_ID
    assert set(order) == {CITIZEN_ID, ids["karsten"], ids["mette"]}
    m.validate()


def test_build_round_without_the_citizen_has_no_citizen_entry() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, ids["karsten"], ids["mette"])
    m.build_round()
    assert [e.contact_id for e in m.situation_round] == [ids["mette"], ids["karsten"]]


def test_build_round_keeps_reordering_and_words_and_adds_latecomers() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, CITIZEN_ID, ids["mette"], ids["karsten"])
    m.build_round()
    m.move_speaker(ids["karsten"], -1)  # the referent puts Karsten before Mette
    m.round_entry(ids["mette"]).text = "Mette fortæller om medicinen."
    present(m, ids["henrik"])
    m.build_round()
    assert [e.contact_id for e in m.situation_round] == [
        CITIZEN_ID, ids["karsten"], ids["mette"], ids["henrik"]
    ]
    assert m.round_entry(ids["mette"]).text == "Mette fortæller om medicinen."


def test_build_round_never_drops_words_already_written() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, CITIZEN_ID, ids["mette"], ids["karsten"])
    m.build_round()
    m.round_entry(ids["mette"]).life_areas["housing"] = "Huslejen er betalt."
    # Mette is marked absent by mistake (or leaves early) and the round is rebuilt
    m.attendance_for(ids["mette"]).status = AttendanceStatus.ABSENT
    m.build_round()
    assert m.round_entry(ids["mette"]).life_areas == {"housing": "Huslejen er betalt."}
    # an empty entry of someone absent does go
    m.attendance_for(ids["karsten"]).status = AttendanceStatus.ABSENT
    m.build_round()
    assert ids["karsten"] not in [e.contact_id for e in m.situation_round]
    assert m.situation_round[0].contact_id == CITIZEN_ID


def test_move_speaker_cannot_move_anyone_before_the_present_citizen() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, CITIZEN_ID, ids["mette"], ids["karsten"])
    m.build_round()
    before = [e.contact_id for e in m.situation_round]
    with pytest.raises(PlanError) as err:
        m.move_speaker(ids["mette"], -1)
    assert error_code(err) == "round_citizen_first"
    with pytest.raises(PlanError):
        m.move_speaker(CITIZEN_ID, +1)
    assert [e.contact_id for e in m.situation_round] == before
    m.move_speaker(ids["karsten"], -1)  # among the others, any order
    assert [e.contact_id for e in m.situation_round] == [CITIZEN_ID, ids["karsten"], ids["mette"]]
    with pytest.raises(PlanError) as err:
        m.move_speaker("nobody", 1)
    assert error_code(err) == "unknown_contact"


def test_move_speaker_is_free_when_the_citizen_is_absent() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, ids["mette"], ids["karsten"])
    m.build_round()
    m.move_speaker(ids["karsten"], -1)
    assert m.situation_round[0].contact_id == ids["karsten"]
    m.validate()


def test_validate_refuses_a_round_that_does_not_open_with_the_present_citizen() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    present(m, CITIZEN_ID, ids["mette"])
    m.situation_round = [RoundEntry(contact_id=ids["mette"]), RoundEntry(contact_id=CITIZEN_ID)]
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "round_citizen_first"


# --------------------------------------------------------------------------- agreements


def test_agreement_needs_exactly_one_known_responsible() -> None:
    plan, ids = make_plan()
    for bad, code in (
        ("", "agreement_needs_responsible"),
        ("nobody", "agreement_unknown_responsible"),
        (f"{ids['mette']},{ids['karsten']}", "agreement_unknown_responsible"),
        (" ", "agreement_unknown_responsible"),
    ):
        with pytest.raises(PlanError) as err:
            plan.add_agreement("Ring til boligselskabet", bad, None, "", NOW)
        assert error_code(err) == code, bad
    assert plan.agreements == []
    a = plan.add_agreement("Ring til lægen", CITIZEN_ID, date(2026, 10, 1), "", NOW)
    assert a.responsible == CITIZEN_ID
    assert [h.status for h in a.history] == [AgreementStatus.AGREED]
    with pytest.raises(PlanError):
        plan.set_agreement_responsible(a.id, "")
    with pytest.raises(PlanError):
        plan.set_agreement_responsible(a.id, "nobody")
    assert a.responsible == CITIZEN_ID
    plan.set_agreement_responsible(a.id, ids["lene"])  # a relative may hold an agreement
    assert a.responsible == ids["lene"]


def test_agreement_needs_what() -> None:
    plan, ids = make_plan()
    with pytest.raises(PlanError) as err:
        plan.add_agreement("   ", ids["mette"], None, "", NOW)
    assert error_code(err) == "agreement_needs_what"


def test_validate_refuses_an_agreement_without_a_responsible() -> None:
    plan, ids = make_plan()
    plan.agreements.append(Agreement(what="Noget", responsible=""))
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "agreement_needs_responsible"
    plan.agreements[0].responsible = "nobody"
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "agreement_unknown_responsible"


def test_overdue_is_derived_from_the_given_day() -> None:
    a = Agreement(what="x", responsible=CITIZEN_ID, deadline=date(2026, 10, 1))
    assert not a.overdue(date(2026, 9, 30))
    assert not a.overdue(date(2026, 10, 1))  # the deadline day itself is still in time
    assert a.overdue(date(2026, 10, 2))
    for status in (AgreementStatus.IN_PROGRESS, AgreementStatus.DEVIATION):
        a.status = status
        assert a.overdue(date(2026, 10, 2))
    for status in (AgreementStatus.DONE, AgreementStatus.CANCELLED):
        a.status = status
        assert not a.overdue(date(2030, 1, 1))
    assert not Agreement(what="x", responsible=CITIZEN_ID).overdue(date(2030, 1, 1))


def test_status_changes_are_recorded_and_a_deviation_marks_the_agreement() -> None:
    plan, ids = make_plan()
    a = plan.add_agreement("Praktik", ids["karsten"], date(2026, 11, 1), "", NOW)
    later = NOW + timedelta(days=3)
    plan.set_agreement_status(a.id, AgreementStatus.IN_PROGRESS, later, "Første samtale holdt")
    plan.set_agreement_status(a.id, AgreementStatus.IN_PROGRESS, later)  # no change, no note
    assert [(h.status, h.note) for h in a.history] == [
        (AgreementStatus.AGREED, ""),
        (AgreementStatus.IN_PROGRESS, "Første samtale holdt"),
    ]
    d = plan.report_deviation(a.id, ids["karsten"], "Værkstedet har ikke plads", TODAY, later)
    assert a.status == AgreementStatus.DEVIATION and d.agreement_id == a.id
    with pytest.raises(PlanError):
        plan.report_deviation(a.id, ids["karsten"], "  ", TODAY, later)


# --------------------------------------------------------------------------- coordinator


def test_coordinator_must_be_a_professional() -> None:
    plan, ids = make_plan()
    for who in (ids["lene"], CITIZEN_ID, "nobody"):
        with pytest.raises(PlanError) as err:
            plan.set_coordinator(who, TODAY)
        assert error_code(err) == "coordinator_not_professional"
    assert plan.coordinators == []
    for who in ("mette", "karsten", "henrik", "other"):  # region, municipality, GP, other
        plan.set_coordinator(ids[who], TODAY)
    assert plan.current_coordinator == ids["other"]


def test_coordinator_terms_hand_over() -> None:
    plan, ids = make_plan()
    plan.set_coordinator(ids["mette"], date(2026, 8, 20))
    plan.set_coordinator(ids["mette"], date(2026, 9, 1))  # the same again: no new term
    plan.set_coordinator(ids["karsten"], TODAY, meeting_id="m1")
    assert [(t.contact_id, t.from_date, t.to_date) for t in plan.coordinators] == [
        (ids["mette"], date(2026, 8, 20), TODAY),
        (ids["karsten"], TODAY, None),
    ]
    assert plan.current_coordinator == ids["karsten"]


def test_validate_refuses_a_relative_as_coordinator() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    m.coordinator = ids["lene"]
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "coordinator_not_professional"
    m.coordinator = ids["mette"]
    plan.validate()
    plan.set_coordinator(ids["mette"], TODAY)
    plan.contact(ids["mette"]).sector = Sector.RELATIVE  # type: ignore[union-attr]
    with pytest.raises(PlanError):
        plan.validate()


def test_a_contact_in_use_cannot_be_removed() -> None:
    plan, ids = make_plan()
    plan.set_coordinator(ids["mette"], TODAY)
    a = plan.add_agreement("x", ids["karsten"], None, "", NOW)
    for who in ("mette", "karsten"):
        with pytest.raises(PlanError) as err:
            plan.remove_contact(ids[who])
        assert error_code(err) == "contact_in_use"
    plan.set_agreement_status(a.id, AgreementStatus.DONE, NOW)
    plan.remove_contact(ids["karsten"])
    assert plan.contact(ids["karsten"]) is None


def test_validate_refuses_duplicate_contact_ids_and_the_citizen_id() -> None:
    plan, ids = make_plan()
    plan.contacts.append(Contact(id=ids["mette"], name="Kopi"))
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "duplicate_contact_id"
    plan.contacts[-1].id = CITIZEN_ID
    with pytest.raises(PlanError):
        plan.validate()


# --------------------------------------------------------------------------- next meeting


def test_next_meeting_more_than_six_months_ahead_needs_a_reason() -> None:
    limit = TODAY + timedelta(days=NEXT_MEETING_MAX_DAYS)
    assert check_next_meeting(limit, TODAY) is None
    assert check_next_meeting(datetime(2026, 12, 1, 13, 0), TODAY) is None
    beyond = limit + timedelta(days=1)
    assert check_next_meeting(beyond, TODAY) == "next_meeting_beyond_limit"
    assert check_next_meeting(beyond, TODAY, reason="   ") == "next_meeting_beyond_limit"
    assert check_next_meeting(beyond, TODAY, reason="Borger er i udlandet") is None
    assert check_next_meeting(TODAY, TODAY) is None
    with pytest.raises(PlanError) as err:
        check_next_meeting(TODAY - timedelta(days=1), TODAY)
    assert error_code(err) == "next_meeting_in_past"


def test_six_months_limit_is_about_half_a_year() -> None:
    # the working guide: at least every six months; a whole year must always ask for a reason
    assert 181 <= NEXT_MEETING_MAX_DAYS <= 184
    assert check_next_meeting(date(2027, 9, 15), TODAY) == "next_meeting_beyond_limit"


# --------------------------------------------------------------------------- approval


def test_approval_names_the_current_plan_version() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    m.review_afterwards = True
    plan.version = 7
    ap = plan.record_approval(Approval(at=NOW, by=ids["mette"]), m)
    assert ap.plan_version == 7
    assert m.approval is ap and ap.meeting_id == m.id and not m.review_afterwards
    assert plan.approvals == [ap]
    plan.validate()


def test_approval_of_an_older_version_is_kept_and_a_future_one_refused() -> None:
    plan, ids = make_plan()
    plan.version = 7
    assert plan.record_approval(Approval(plan_version=5)).plan_version == 5
    with pytest.raises(PlanError) as err:
        plan.record_approval(Approval(plan_version=8))
    assert error_code(err) == "approval_future_version"
    assert len(plan.approvals) == 1


def test_approval_of_a_plan_never_saved_is_refused() -> None:
    plan, ids = make_plan()
    plan.version = 0
    with pytest.raises(PlanError) as err:
        plan.record_approval(Approval())
    assert error_code(err) == "approval_needs_version"
    assert plan.approvals == []


def test_approval_with_remarks_keeps_the_citizens_words() -> None:
    plan, ids = make_plan()
    for decision in (ApprovalDecision.APPROVED_WITH_REMARKS, ApprovalDecision.NOT_APPROVED):
        with pytest.raises(PlanError) as err:
            plan.record_approval(Approval(decision=decision, citizen_words="  "))
        assert error_code(err) == "approval_needs_words"
        plan.record_approval(Approval(decision=decision, citizen_words="Jeg vil selv ringe."))


def test_validate_checks_every_approval_version() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    plan.approvals = [Approval(plan_version=0)]
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "approval_needs_version"
    plan.approvals = []
    m.approval = Approval(plan_version=0)  # the meeting's own copy is checked as well
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "approval_needs_version"
    m.approval = Approval(plan_version=plan.version + 1)
    with pytest.raises(PlanError) as err:
        plan.validate()
    assert error_code(err) == "approval_future_version"
    m.approval = Approval(plan_version=plan.version)
    plan.validate()


# --------------------------------------------------------------------------- agenda


def test_start_item_records_start_and_end() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    first, second, third = m.agenda[:3]
    assert m.status == MeetingStatus.PLANNED
    m.start_item(first.id, NOW)
    assert (first.started_at, first.ended_at, m.current_item) == (NOW, None, first.id)
    assert m.status == MeetingStatus.IN_PROGRESS
    t1 = NOW + timedelta(minutes=6)
    m.start_item(second.id, t1)
    assert first.ended_at == t1 and second.started_at == t1 and second.ended_at is None
    m.start_item(second.id, t1 + timedelta(minutes=1))  # starting the running item again: nothing
    assert second.started_at == t1
    t2 = t1 + timedelta(minutes=4)
    m.start_item(first.id, t2)  # back to an earlier item: it keeps its first start, runs again
    assert first.started_at == NOW and first.ended_at is None and second.ended_at == t2
    t3 = t2 + timedelta(minutes=2)
    m.stop_current_item(t3)
    assert first.ended_at == t3 and m.current_item == ""
    assert third.started_at is None
    assert Meeting.item_elapsed(second, t3) == timedelta(minutes=4)
    assert Meeting.item_elapsed(third, t3) == timedelta(0)
    with pytest.raises(PlanError) as err:
        m.start_item("nope", t3)
    assert error_code(err) == "unknown_agenda_item"


def test_elapsed_of_a_closed_meeting_stops_at_closing() -> None:
    m = Meeting(agenda=[AgendaItem(started_at=NOW)], status=MeetingStatus.CLOSED,
                closed_at=NOW + timedelta(minutes=88))
    assert m.elapsed(NOW + timedelta(days=3)) == timedelta(minutes=88)


def test_new_meeting_has_the_standard_agenda_and_everyone_invited() -> None:
    plan, ids = make_plan()
    m = new_meeting(plan, agenda_template(), NOW)
    assert [i.key for i in m.agenda] == [t["key"] for t in agenda_template()]
    assert m.planned_minutes() == sum(t["minutes"] for t in agenda_template())
    assert [a.contact_id for a in m.attendance] == [CITIZEN_ID, *ids.values()]
    assert all(a.status == AttendanceStatus.UNKNOWN for a in m.attendance)
    assert plan.meeting_number(1) is m
    with pytest.raises(PlanError):
        plan.meeting_number(2)
