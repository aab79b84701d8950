"""The review with a citizen who was not at the meeting: a whole walk through the parts,
comments saved as typed, and an approval recorded in the vault with the plan version."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, RadioButton, TextArea

from kiptui.model import (
    CITIZEN_ID,
    ApprovalChannel,
    ApprovalDecision,
    ApprovalSetting,
    AttendanceStatus,
    MeetingStatus,
)
from screens.review import ReviewScreen
from tests.ui.harness import SIZE, by_name, make_app, sample_plan, saved_plan, screen_text


def held_meeting_plan():
    plan = sample_plan()
    m = plan.meetings[0]
    lone = by_name(plan, "Lone")
    anders = by_name(plan, "Anders")
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.ABSENT
    m.set_chair(lone)
    m.set_referent(anders)
    now = datetime(2026, 11, 23, 11, 0)
    plan.add_agreement("Søge om boligstøtte", lone, date(2026, 12, 1), m.id, now)
    plan.add_agreement("Komme til samtale hver uge", CITIZEN_ID, None, m.id, now)
    plan.add_goal("Egen bolig inden sommer", m.id, now)
    plan.set_coordinator(lone, now.date(), m.id)
    m.coordinator = lone
    m.next_meeting.on = datetime(2027, 2, 1, 10, 0)
    m.status = MeetingStatus.CLOSED
    m.review_afterwards = True
    plan.citizen.cpr = "010190-1234"
    return plan


async def test_whole_review_records_an_approval(tmp_path):
    app, plan, vault = make_app(tmp_path, held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        app.handle = vault.open_plan(plan.id)  # without the meeting screen behind it
        app.start_review()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        text = screen_text(app)
        assert "1234" not in text  # never the CPR number
        await pilot.press("ctrl+right")  # agreed
        await pilot.pause()
        assert "Søge om boligstøtte" in screen_text(app)
        await pilot.press(*"Det er fint")
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "ctrl+right", "ctrl+right")
        await pilot.pause()
        assert screen.part == 6
        # "with remarks" without the citizen's words is refused by the model
        screen.query_one("#decision-approved_with_remarks", RadioButton).value = True
        screen.query_one("#review-by", Input).value = "Lone Hansen, socialrådgiver"
        await pilot.pause()
        screen.record()
        await pilot.pause()
        assert "egne ord" in str(screen.query_one("#review-error").render())
        screen.query_one("#comment-approval", TextArea).load_text("Jeg vil gerne have mere hjælp til økonomi")
        screen.query_one("#channel-phone", RadioButton).value = True
        await pilot.pause()
        screen.record()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    [approval] = stored.approvals
    assert approval.decision == ApprovalDecision.APPROVED_WITH_REMARKS
    assert approval.setting == ApprovalSetting.AFTERWARDS
    assert approval.channel == ApprovalChannel.PHONE
    assert approval.by == "Lone Hansen, socialrådgiver"
    assert approval.citizen_words == "Jeg vil gerne have mere hjælp til økonomi"
    assert approval.part_comments == {"agreed": "Det er fint"}
    assert 0 < approval.plan_version < stored.version
    m = stored.meetings[0]
    assert m.approval == approval and not m.review_afterwards


async def test_review_comments_saved_as_typed_and_hostile_text_literal(tmp_path):
    plan = held_meeting_plan()
    plan.agreements[0].what = "[@click=app.quit]x[/] \x1b[31mrød\x1b[0m \u202eevil [TODO]"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        app.handle = vault.open_plan(plan.id)  # without the meeting screen behind it
        app.start_review()
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        shot = screen_text(app)
        assert "[@click=app.quit]x[/]" in shot and "[TODO]" in shot
        await pilot.click("#comment-agreed")
        await pilot.press(*"ok")
        stored = await saved_plan(app, vault, plan.id)
        assert app.is_running
    assert stored.meetings[0].review_comments["agreed"] == "ok"


def test_the_minutes_name_every_part_of_the_review_in_words():
    """The citizen's comments per part are headed by the part's name in the minutes. A review
    found "#### goals" (the part's internal key) in the Danish minutes sent to everyone."""
    from kiptui.i18n import set_language
    from kiptui.minutes import render_markdown
    from screens.review import PARTS

    from kiptui.model import Approval

    plan = held_meeting_plan()
    plan.version = 3
    m = plan.meetings[0]
    plan.record_approval(Approval(at=datetime(2026, 11, 24, 9, 0), setting=ApprovalSetting.AFTERWARDS,
                                  by="Lone Hansen", part_comments={part: f"kommentar til {part}" for part in PARTS}), m)
    try:
        for lang, goals in (("da", "#### Mål"), ("en", "#### Goals")):
            set_language(lang)
            md = render_markdown(plan, m, now=datetime(2026, 11, 24, 9, 0))
            headings = [line for line in md.splitlines() if line.startswith("#### ")]
            assert len(headings) == len(PARTS), headings
            assert goals in headings
            for part in PARTS:
                assert f"#### {part}" not in md, (lang, part)
    finally:
        set_language("da")


async def test_the_review_says_so_when_the_plan_was_approved_already(tmp_path):
    """Found by a review: F10 went through a meeting the citizen had attended and approved,
    and a new approval replaced the citizen's own in the minutes without a word. Now the
    walk-through says it first (and on the approval page); without an approval it says nothing."""
    from kiptui.model import Approval

    for approved in (False, True):
        plan = held_meeting_plan()
        m = plan.meetings[0]
        if approved:
            plan.version = 2
            plan.record_approval(Approval(at=datetime(2026, 11, 23, 10, 50), citizen_words="Jeg kan genkende det"), m)
            m.review_afterwards = True  # the referent still chose to go through it afterwards
        app, plan, vault = make_app(tmp_path / str(approved), plan)
        async with app.run_test(size=SIZE) as pilot:
            app.handle = vault.open_plan(plan.id)
            app.start_review()
            await pilot.pause()
            text = screen_text(app)
            said = "allerede godkendt af borger: Godkendt, 23.11.2026 (på mødet)" in text
            assert said is approved, text
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            screen.show_part(6)
            await pilot.pause()
            assert len(screen.query("#part-approval .review-already")) == int(approved)
            assert ("allerede godkendt" in screen_text(app)) is approved
