"""The summary the chair reads out at the end of a meeting (Ctrl+G on F7) tells the plan as it
now stands: the new agreements and those from earlier meetings that go on (continued or changed
at this meeting, with the deadline as it is now), and every goal so far."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from kiptui.i18n import set_language
from kiptui.model import CITIZEN_ID, AgreementOutcome, AgreementStatus, Meeting, MeetingStatus, Plan
from kiptui.planjson import load_plan_file
from kiptui.resources import data_path
from kiptui.summary import current_goals, generate_summary, standing_plan

NOW = datetime(2026, 12, 1, 13, 40)


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language("da")


def demo_second_meeting() -> tuple[Plan, Meeting]:
    """The demo plan's second meeting (the review's repro): on F6 Nadia's agreement from
    meeting 1 goes on ("Fortsætter") and Karsten's is changed ("Ændret", a new deadline); one
    new agreement, one new goal, the next meeting agreed."""
    plan = load_plan_file(data_path("demo-plan.json"))
    m = plan.meetings[1]
    m.status = MeetingStatus.IN_PROGRESS
    carried = {a.what.split()[0]: a for a in plan.follow_up_agreements(m)}
    plan.record_outcome(carried["Nadia"].id, AgreementOutcome.CONTINUE, m.id, NOW)
    plan.record_outcome(carried["Karsten"].id, AgreementOutcome.CHANGED, m.id, NOW)
    carried["Karsten"].deadline = date(2027, 1, 15)
    mette = next(c.id for c in plan.contacts if c.name.startswith("Mette"))
    plan.add_agreement("Mette bestiller en ny samtale om søvn", mette, date(2026, 12, 15), m.id, NOW)
    plan.add_goal("Jonas vil have styr på sin økonomi inden sommer.", m.id, NOW, "finances")
    m.next_meeting.on = datetime(2027, 1, 15, 13, 0)
    return plan, m


def test_the_summary_tells_the_plan_as_it_now_stands() -> None:
    """Found by a review: Ctrl+G listed only the new agreement and the one new goal; the two
    agreements continued and changed on F6 (and the citizen's own open one) were left out."""
    plan, m = demo_second_meeting()
    lines = generate_summary(plan, m).splitlines()
    assert lines[:3] == ["Resumé af mødet 01.12.2026", "", "Nye aftaler:"]
    new = lines.index("Nye aftaler:")
    carried = lines.index("Fortsætter fra tidligere møder:")
    goals = lines.index("Mål:")
    assert lines[new + 1:carried - 1] == [
        "- Mette bestiller en ny samtale om søvn – Mette Lund (Psykiatrien Region Sjælland, Distriktspsykiatrien Næstved) – senest 15.12.2026",
    ]
    going_on = lines[carried + 1:goals - 1]
    assert [line.split()[1] for line in going_on] == ["Nadia", "Karsten", "Peter", "Jonas"]
    nadia, karsten, peter, jonas = going_on
    assert nadia.endswith("– Nadia Rasmussen (Næstved Kommune, Rusmiddelcenter Næstved) – senest 01.12.2026")
    # changed: the deadline as it is now, and said so
    assert karsten.endswith("– Karsten Friis (Næstved Kommune, Socialpsykiatrien) – senest 15.01.2027 (ændret på mødet)")
    assert peter.endswith("– senest 01.11.2026 (afvigelse)")
    assert jonas.endswith("– Jonas Bech Mikkelsen – senest 30.11.2026")  # the citizen's own
    assert not any("Mette følger op på medicinen" in line for line in lines)  # done before: not standing
    assert lines[goals + 1:goals + 4] == [
        "- Jonas vil skære ned på hash, så han sover bedre og kan holde sine aftaler.",
        "- Jonas vil i gang med noget meningsfuldt i dagtimerne, gerne praktisk arbejde med cykler.",
        "- Jonas vil have styr på sin økonomi inden sommer.",
    ]
    assert lines[-2:] == ["Næste møde: 15.01.2027 kl. 13:00",
                          "Koordinator indtil da: Karsten Friis (Næstved Kommune, Socialpsykiatrien) – fortsætter"]

    set_language("en")
    english = generate_summary(plan, m)
    assert "New agreements:" in english and "Continuing from earlier meetings:" in english
    assert "by 15.01.2027 (changed at the meeting)" in english


def test_an_agreement_ended_at_the_meeting_no_longer_stands() -> None:
    plan, m = demo_second_meeting()
    nadia = next(a for a in plan.agreements if a.what.startswith("Nadia"))
    plan.record_outcome(nadia.id, AgreementOutcome.ENDED, m.id, NOW, end_status=AgreementStatus.DONE)
    standing = standing_plan(plan, m)
    assert nadia not in standing.carried and nadia not in standing.open
    assert "Nadia tilbyder" not in generate_summary(plan, m)
    # no new agreement: said so, and what goes on is still told
    plan.agreements = [a for a in plan.agreements if a.meeting_id != m.id]
    lines = generate_summary(plan, m).splitlines()
    assert lines[2:5] == ["Nye aftaler:", "Ingen nye aftaler på mødet.", ""]
    assert "Fortsætter fra tidligere møder:" in lines


def test_the_plan_as_it_stands_for_the_review() -> None:
    plan, m = demo_second_meeting()
    standing = standing_plan(plan, m)
    assert [a.what.split()[0] for a in standing.new] == ["Mette"]
    assert [a.what.split()[0] for a in standing.open] == ["Mette", "Nadia", "Karsten", "Peter", "Jonas"]
    assert any(a.responsible == CITIZEN_ID for a in standing.carried)
    assert len(standing.goals) == 3
    # the first meeting's goals are those set at it or before, never at a later one
    assert [g.text for g in current_goals(plan, plan.meetings[0])] == [g.text for g in standing.goals[:2]]


def test_a_summary_made_before_the_agreements_changed_is_said_to_be_out_of_date() -> None:
    """Found by a review: the summary was made with Ctrl+G, then an agreement was ended on
    F6, and the meeting closed: the minutes' table said 'Afsluttet: Udført' while the summary
    still listed it as going on. Now that is noticed (and said on F7 and at closing); what
    the referent wrote by hand is neither looked at nor rewritten."""
    from kiptui.summary import summary_out_of_date

    plan, m = demo_second_meeting()
    assert not summary_out_of_date(plan, m)  # no summary
    m.summary = "Vi aftalte det vigtigste. Jonas var glad."  # written by hand: never judged
    assert not summary_out_of_date(plan, m)
    m.summary = generate_summary(plan, m) + "\n\nJonas takkede for mødet."  # made, then added to
    assert not summary_out_of_date(plan, m)
    nadia = next(a for a in plan.agreements if a.what.startswith("Nadia"))
    plan.record_outcome(nadia.id, AgreementOutcome.ENDED, m.id, NOW, end_status=AgreementStatus.DONE)
    assert summary_out_of_date(plan, m)  # it still says Nadia's goes on

    changes = {
        "a new agreement": lambda p: p.add_agreement("Ringe til Jonas", p.contacts[0].id, date(2027, 1, 5), m.id, NOW),
        "a new goal": lambda p: p.add_goal("Jonas vil cykle til arbejde.", m.id, NOW),
        "a new deadline": lambda p: setattr(p.agreements[-1], "deadline", date(2027, 1, 2)),
        "someone else": lambda p: p.set_agreement_responsible(p.agreements[-1].id, CITIZEN_ID),
    }
    for change, make in changes.items():
        plan, m = demo_second_meeting()
        m.summary = generate_summary(plan, m)
        make(plan)
        assert summary_out_of_date(plan, m), change
        m.summary = generate_summary(plan, m)  # Ctrl+G again
        assert not summary_out_of_date(plan, m), change


def test_the_coordinator_carried_over_is_the_one_the_summary_names_and_says_goes_on() -> None:
    """Found by a review: at the demo plan's second meeting, nobody chosen on F7, the close
    check said 'Mangler: koordinator' while the summary (and the chair's view) said 'Karsten
    Friis'. The coordinator chosen at meeting 1 carries over to the next one (as a meeting
    made on F8 starts with them): the close check and the summary read the same person from
    meeting_coordinator, and the summary says they go on."""
    from kiptui.model import Contact, Sector
    from kiptui.summary import meeting_coordinator

    plan, m = demo_second_meeting()
    karsten = next(c.id for c in plan.contacts if c.name.startswith("Karsten"))
    mette = next(c.id for c in plan.contacts if c.name.startswith("Mette"))
    assert m.coordinator == ""  # nobody chosen at this meeting
    assert meeting_coordinator(plan, m) == (karsten, True)
    assert generate_summary(plan, m).splitlines()[-1].endswith("Socialpsykiatrien) – fortsætter")
    # the first meeting chose Karsten (Mette before it): not carried over there
    assert meeting_coordinator(plan, plan.meetings[0]) == (karsten, False)
    # chosen at this meeting: named, and nothing said about going on
    plan.set_coordinator(mette, NOW.date(), m.id)
    m.coordinator = mette
    assert meeting_coordinator(plan, m) == (mette, False)
    assert generate_summary(plan, m).splitlines()[-1] == (
        "Koordinator indtil da: Mette Lund (Psykiatrien Region Sjælland, Distriktspsykiatrien Næstved)")
    # a meeting made on F8 starts with the current one in it: kept, it goes on
    m.coordinator = ""
    plan.coordinators = [term for term in plan.coordinators if term.meeting_id != m.id]
    plan.coordinators[-1].to_date = None
    m.coordinator = karsten
    assert meeting_coordinator(plan, m) == (karsten, True)
    # a plan with no coordinator: nobody, and the summary says it is not set
    fresh = Plan()
    fresh.add_contact(Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY))
    first = Meeting()
    fresh.meetings.append(first)
    assert meeting_coordinator(fresh, first) == ("", False)
    assert generate_summary(fresh, first).splitlines()[-1] == "Koordinator indtil da: ikke fastsat"
