"""The review with a citizen who was not at the meeting: a whole walk through the parts,
comments saved as typed, and an approval recorded in the vault with the plan version."""

from __future__ import annotations

from datetime import date, datetime

import pytest

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


async def open_review(app, pilot, vault, plan_id) -> ReviewScreen:
    """The plan opened (without the meeting screen behind it) and the review started."""
    app.handle = vault.open_plan(plan_id)
    app.start_review()
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def demo_review_plan():
    """The demo plan's second meeting, closed, to be gone through afterwards: long parts."""
    from tests.test_summary import demo_second_meeting

    plan, m = demo_second_meeting()
    m.status = MeetingStatus.CLOSED
    m.review_afterwards = True
    return plan, m


def inside(widget, area) -> bool:
    """The widget is whole inside the region `area` (on the screen, not below it)."""
    r = widget.region
    return r.height > 0 and area.contains_region(r)


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
            said = "allerede givet dit svar på planen fra dette møde: Godkendt, 23.11.2026 (på mødet)" in text
            assert said is approved, text
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            screen.show_part(6)
            await pilot.pause()
            assert len(screen.query("#part-approval .review-already")) == int(approved)
            assert ("allerede givet dit svar" in screen_text(app)) is approved


async def parts_read(app, pilot, screen) -> dict[str, str]:
    """What the citizen reads on each part: the screen above the footer, part by part."""
    from screens.review import PARTS

    read = {}
    for n, part in enumerate(PARTS):
        screen.show_part(n)
        await pilot.pause()
        read[part] = "\n".join(screen_text(app).splitlines()[:-1])  # the last row is the footer
    return read


async def test_the_review_goes_through_the_plan_as_it_stands(tmp_path):
    """Found by a review: at the demo plan's second meeting two agreements from meeting 1 went
    on (one changed, with a new deadline); F10 showed only the new agreement under "Det har vi
    aftalt" and "Hvem gør hvad", and one goal of three under "Dine mål". Now the citizen hears
    the plan as it stands: the new agreements, those that go on (the citizen's own too), all
    goals; and the next meeting "kl. 13:00", as the minutes say it."""
    plan, m = demo_review_plan()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(110, 60)) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        assert screen.meeting_id == m.id
        read = {part: " ".join(text.split())  # long lines wrap
                for part, text in (await parts_read(app, pilot, screen)).items()}
    agreed = read["agreed"]
    assert agreed.index("Nye aftaler fra mødet") < agreed.index("Mette bestiller en ny samtale om søvn")
    going_on = agreed.index("Fortsætter fra tidligere møder")
    for start in ("Nadia tilbyder Jonas", "Karsten hjælper Jonas", "Jonas ringer selv til sin læge"):
        assert agreed.index(start) > going_on, start
    assert "— Karsten Friis, senest 15.01.2027, ændret på mødet" in agreed
    assert "bestiller tid til en samtale om søvn og til blodprøver. — dig, senest 30.11.2026" in agreed
    assert "Mette følger op på medicinen" not in agreed  # done before this meeting
    who = read["who"]
    assert who.index("Det gør du: • Jonas ringer selv til sin læge") < who.index("Det gør Mette Lund")
    for name in ("Nadia Rasmussen", "Karsten Friis", "Peter Dahl"):
        assert f"Det gør {name}" in who
    for goal in ("Jonas vil skære ned på hash", "Jonas vil i gang med noget meningsfuldt",
                 "Jonas vil have styr på sin økonomi"):
        assert goal in read["goals"]
    assert "Næste møde er 15.01.2027 kl. 13:00." in read["next"]


async def test_the_citizen_reads_no_instructions_for_the_one_recording(tmp_path):
    """Found by a review: the screen says "du" to the citizen, but also told the one recording
    which keys to press, that a new approval replaces the first one in the minutes, and to
    "skriv med borgers egne ord". That is in the help (F1) now; the keys are in the footer."""
    from kiptui.i18n import t
    from kiptui.model import Approval

    plan = held_meeting_plan()
    plan.version = 2
    plan.record_approval(Approval(at=datetime(2026, 11, 23, 10, 50), citizen_words="Jeg kan genkende det"),
                         plan.meetings[0])
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(120, 80)) as pilot:  # tall: every part whole on the screen
        app.handle = vault.open_plan(plan.id)
        app.start_review()
        await pilot.pause()
        screen = app.screen
        read = await parts_read(app, pilot, screen)
        footer = screen_text(app).splitlines()[-1]
    for part, text in read.items():
        for instruction in ("Ctrl", "Page Down", "Page Up", "Tryk", "borgers", "borger", "referatet", "afløser",
                            "dit navn"):
            assert instruction not in text, (part, instruction, text)
    assert "Du har allerede givet dit svar" in read["intro"]
    assert "Dine kommentarer til denne del:" in read["agreed"]
    assert "Hvem har gennemgået planen med dig?" in read["approval"]
    assert "Næste" in footer and "Forrige" in footer and "Hjælp" in footer
    help_text = t("help.review")
    assert "Ctrl+→ / Page Down" in help_text and "borgers egne ord" in help_text
    assert "registreret efter mødet" in help_text


async def test_an_approval_recorded_after_closing_reaches_the_minutes(tmp_path):
    """The review's blocker from the user's side: meeting closed without the citizen (to be
    reviewed afterwards), then F10 records "Ikke godkendt" with the citizen's words, by phone,
    with Karsten Friis. The minutes of the closed meeting (the frozen version, with the plan as
    it is now beside it) and the bundle's minutes show it, marked as recorded after the meeting."""
    import json

    from kiptui.bundle import bundle_payload
    from kiptui.minutes import render_markdown
    from tests.ui.harness import FakeClock

    plan = held_meeting_plan()
    m = plan.meetings[0]
    m.status = MeetingStatus.IN_PROGRESS
    clock = FakeClock(datetime(2026, 11, 23, 11, 55))
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        app.handle = vault.open_plan(plan.id)
        meeting = app.plan.meeting(m.id)
        # closing, as Ctrl+F on F7 does: closed, frozen at the save made now
        meeting.status, meeting.closed_at = MeetingStatus.CLOSED, clock.now
        app.handle.freeze(meeting.id)
        app.plan_changed()
        await saved_plan(app, vault, plan.id)
        clock.now = datetime(2026, 12, 9, 10, 0)
        app.start_review()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.show_part(6)
        screen.query_one("#decision-not_approved", RadioButton).value = True
        screen.query_one("#channel-phone", RadioButton).value = True
        screen.query_one("#comment-approval", TextArea).load_text("Jeg vil *ikke* til samtale hver uge\n# ikke en overskrift")
        screen.query_one("#review-by", Input).value = "Karsten Friis"
        await pilot.pause()
        screen.record()
        await pilot.pause()
        assert "Dit svar er registreret: Ikke godkendt" in str(screen.query_one("#review-done").render())
        stored = await saved_plan(app, vault, plan.id)
    frozen = vault.frozen_plan(plan.id, m.id)
    assert frozen is not None and frozen.meetings[0].approval is None
    minutes = render_markdown(frozen, frozen.meetings[0], now=clock.now, as_of=frozen.meetings[0].closed_at,
                              current=stored)
    bundled = json.loads(bundle_payload(stored))["minutes_markdown"]
    for md in (minutes, bundled):
        section = md[md.index("## Godkendelse"):md.index("## Udsendelse")]
        assert "Ved mødets afslutning: Planen skulle gennemgås med borger efter mødet" in section
        assert "### Registreret efter mødet, 09.12.2026 kl. 10:00, telefon, med Karsten Friis" in section
        assert "- **Borgers beslutning:** Ikke godkendt" in section
        assert "> Jeg vil \\*ikke\\* til samtale hver uge\\\n> \\# ikke en overskrift" in section


async def at_the_coordinator_box(app, pilot, vault, plan_id):
    """The review opened on its last part: the screen and the 'Koordinator orienteret' box."""
    from textual.widgets import Checkbox

    app.handle = vault.open_plan(plan_id)
    app.start_review()
    await pilot.pause()
    app.screen.show_part(6)
    await pilot.pause()
    return app.screen, app.screen.query_one("#review-coordinator-knows", Checkbox)


async def test_the_minutes_say_whether_the_coordinator_knows_the_answer(tmp_path):
    """'Koordinator orienteret' read 'Nej' for every approval recorded afterwards: nothing set
    it. The box on the review's last part is ticked by itself when the one who went through
    the plan is the coordinator, can be set by hand, and reaches the minutes."""
    from kiptui.minutes import render_markdown

    app, plan, vault = make_app(tmp_path, held_meeting_plan())  # Lone Hansen is the coordinator
    async with app.run_test(size=SIZE) as pilot:
        screen, box = await at_the_coordinator_box(app, pilot, vault, plan.id)
        assert "Koordinator (Lone Hansen) er orienteret om svaret" in str(box.label)
        assert not box.value
        screen.query_one("#review-by", Input).focus()
        await pilot.press(*"Karsten Friis")
        await pilot.pause()
        assert not box.value  # someone else went through it
        await pilot.press(*(["backspace"] * 13), *"lone hansen, socialrådgiver")
        await pilot.pause()
        assert box.value  # the coordinator did
        screen.record()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    [approval] = stored.approvals
    assert approval.coordinator_notified and approval.by == "lone hansen, socialrådgiver"
    md = render_markdown(stored, stored.meetings[0], now=datetime(2026, 11, 24, 9, 0))
    assert "- **Koordinator orienteret:** Ja" in md


async def test_the_coordinator_box_set_by_hand_stays_as_set(tmp_path):
    app, plan, vault = make_app(tmp_path, held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        screen, box = await at_the_coordinator_box(app, pilot, vault, plan.id)
        box.value = True  # Karsten rang Lone before recording
        await pilot.pause()
        screen.query_one("#review-by", Input).focus()
        await pilot.press(*"Karsten Friis")
        await pilot.pause()
        assert box.value
        screen.record()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    assert stored.approvals[0].coordinator_notified


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_comment_box_is_on_the_screen_on_every_part(tmp_path, size):
    """Found by a review at 80x24: on parts 2, 3 and 5 the comment box was below the screen
    but had the cursor, so what the citizen said was typed where nobody could see it (at
    120x36 one line of it showed). Now the box, at least three lines tall, is on the screen
    on every part, and what is typed in it can be read; words from an earlier session are
    added to at their end (new words were glued to the front)."""
    from screens.review import COMMENT_PARTS

    plan, m = demo_review_plan()
    m.review_comments["who"] = "Jeg vil gerne"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=size) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        parts = screen.query_one("#review-parts").region
        for n, part in enumerate(COMMENT_PARTS, start=1):
            await pilot.press("pagedown")
            await pilot.pause()
            box = screen.query_one(f"#comment-{part}", TextArea)
            assert screen.part == n and app.focused is box, part
            assert inside(box, parts) and box.content_region.height >= 3, (size, part, box.region)
            await pilot.press(*f" ord{n}")
            await pilot.pause()
            assert f"ord{n}" in screen_text(app), (size, part)
            if part == "agreed":  # longer than the screen: the text scrolls, the box stays
                body = screen.query_one("#body-agreed")
                assert "Der er mere nedenfor" in screen_text(app)
                await pilot.press("ctrl+down")
                await pilot.pause()
                assert body.scroll_y > 0 and app.focused is box and inside(box, parts)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[1].review_comments["who"] == "Jeg vil gerne ord2"


async def test_the_approval_fields_and_the_answer_recorded_stay_in_view(tmp_path):
    """Found by a review at 80x24: the last part's 'Hvem har gennemgået…' and the Registrér
    button were below the screen with nothing saying so, and after recording the view jumped
    to the top, so the answer recorded was off the screen. Now a line says there is more
    below, each field is on the screen when it has the focus, and the confirmation stays."""
    plan, m = demo_review_plan()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        await pilot.press(*["pagedown"] * 6)
        await pilot.pause()
        assert screen.part == 6
        assert "Der er mere nedenfor" in screen_text(app)
        body = screen.query_one("#body-approval").region
        by = screen.query_one("#review-by", Input)
        await pilot.press("tab", "tab", "tab")  # the decision, the words, how: who
        await pilot.pause()
        assert app.focused is by and inside(by, body)
        await pilot.press(*"Karsten Friis", "tab", "tab")  # the coordinator box, Registrér
        await pilot.pause()
        record = screen.query_one("#review-record")
        assert app.focused is record and inside(record, body)
        assert "Der er mere nedenfor" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        done = screen.query_one("#review-done")
        assert "Dit svar er registreret" in str(done.render())
        assert inside(done, body), done.region
        assert "Dit svar er registreret" in screen_text(app)
        # no jargon for the citizen: the plan's version is for the one recording (a review
        # found '(planens version 35)' under the answer)
        assert "version" not in str(done.render())
        assert any(f"Svaret gælder planens version {app.plan.approvals[-1].plan_version}." in n.message
                   for n in app._notifications)


async def test_words_typed_right_before_pagedown_stay_in_their_part(tmp_path):
    """Found by a review: words typed fast and PageDown at once lost their last letters
    ('Kl. 10 er l'), which went into the next part's box. The review's part keys were
    priority bindings, run ahead of the letters still queued in the box. Now the box leaves
    those keys to the screen, and they run in the order typed; so does Ctrl+←."""
    from tests.ui.test_note_area import _burst

    app, plan, vault = make_app(tmp_path, held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.focused is screen.query_one("#comment-agreed")
        typed = [*"Kl. 10 er ledigt", "pagedown", *"Ok", "ctrl+left", *"!", "ctrl+right", "ctrl+right", *"Ja"]
        _burst(app, ["space" if key == " " else key for key in typed])
        await pilot.pause()
        await pilot.pause()
        assert screen.part == 3
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].review_comments == {"agreed": "Kl. 10 er ledigt!", "who": "Ok", "goals": "Ja"}


async def test_a_new_answer_starts_with_empty_boxes(tmp_path):
    """Found by a review: after an approval was recorded, the next review showed the earlier
    answer's words ('Jeg er med på planen…') under a new 'Ikke godkendt'. The approval keeps
    the words; the next review's boxes start empty, and nothing typed on the screen of an
    answer already recorded goes into the next one."""
    app, plan, vault = make_app(tmp_path, held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        await pilot.press("pagedown", *"Fint")
        screen.show_part(6)
        screen.query_one("#comment-approval", TextArea).load_text("Jeg er med på planen")
        screen.query_one("#review-by", Input).value = "Lone Hansen"
        await pilot.pause()
        screen.record()
        await pilot.pause()
        screen.query_one("#comment-approval", TextArea).focus()
        await pilot.press(*"X")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        app.start_review()
        await pilot.pause()
        again = app.screen
        assert again is not screen
        for box in again.query(".review-comment").results(TextArea):
            assert box.text == "", box.id
        again.show_part(6)
        again.query_one("#decision-not_approved", RadioButton).value = True
        again.query_one("#comment-approval", TextArea).focus()
        await pilot.press(*"Nej tak")
        again.query_one("#review-by", Input).value = "Lone Hansen"
        await pilot.pause()
        again.record()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    first, second = stored.approvals
    assert (first.citizen_words, first.part_comments) == ("Jeg er med på planen", {"agreed": "Fint"})
    assert (second.decision, second.citizen_words, second.part_comments) == (
        ApprovalDecision.NOT_APPROVED, "Nej tak", {})
    assert stored.meetings[0].review_comments == {}


async def review_by_f10(app, pilot, plan_id):
    """The plan opened on the meeting screen, and F10 there: the review in front of it."""
    app.open_plan(plan_id)
    await pilot.pause()
    await pilot.press("f10")
    await pilot.pause()


async def test_leaving_the_review_from_the_command_line_shows_no_editor(tmp_path):
    """Found by a review: Esc in `kiptui review PLAN` opened the plan's editor on Stamdata
    (address, phone, e-mail) in front of the citizen. A review opened together with the plan
    ends kiptui when it is left, with what was typed saved (the plans list would name every
    citizen in the vault); one opened with F10 from the meeting goes back to the meeting."""
    from screens.meeting import MeetingScreen

    plan = held_meeting_plan()
    app, plan, vault = make_app(tmp_path / "cli", plan, start_review=plan.id)  # `kiptui review PLAN`
    async with app.run_test(size=SIZE) as pilot:
        app.unlocked(app.vault)  # what the unlock screen calls when the passphrase is right
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "esc Afslut" in screen_text(app).splitlines()[-1]  # the footer says so
        await pilot.press("pagedown", *"Fint", "escape")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0
        assert app.screen_stack[-1] is screen  # ended from the review: the editor never shown
    assert vault.load_plan(plan.id).meetings[0].review_comments == {"agreed": "Fint"}

    app, plan, vault = make_app(tmp_path / "f10", held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        await review_by_f10(app, pilot, plan.id)
        assert isinstance(app.screen, ReviewScreen)
        assert "esc Tilbage" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.is_running


async def test_the_review_says_when_a_deadline_has_passed_or_an_agreement_cannot_be_kept(tmp_path):
    """Found by a review: on 07.12 the review read out 'Peter undersøger … senest 01.11.2026'
    as going on, without saying the deadline had passed or that the agreement had a deviation
    (the minutes and the summary had it). Now both are said in plain words, with what
    happened as it was reported; a deadline still ahead is read as before."""
    from tests.ui.harness import FakeClock

    plan, m = demo_review_plan()
    app, plan, vault = make_app(tmp_path, plan, clock=FakeClock(datetime(2026, 12, 7, 10, 0)))
    async with app.run_test(size=(110, 60)) as pilot:
        screen = await open_review(app, pilot, vault, plan.id)
        read = {part: " ".join(text.split()) for part, text in (await parts_read(app, pilot, screen)).items()}
    deviation = ("Aftalen kan ikke holdes, som den blev lavet. Cykelværkstedet kan først tage en ny i praktik "
                 "fra januar. Peter leder efter et andet sted i mellemtiden.")
    agreed, who = read["agreed"], read["who"]
    assert f"— Peter Dahl, senest 01.11.2026, fristen er gået {deviation}" in agreed
    assert f"– senest 01.11.2026, fristen er gået {deviation}" in who
    assert "— Nadia Rasmussen, senest 01.12.2026, fristen er gået •" in agreed
    assert "— dig, senest 30.11.2026, fristen er gået" in agreed
    assert "— Karsten Friis, senest 15.01.2027, ændret på mødet •" in agreed  # still ahead
    assert "— Mette Lund, senest 15.12.2026 Fortsætter" in agreed


async def test_after_a_lock_the_review_still_knows_how_it_was_started(tmp_path):
    """A lock during the review (Ctrl+L, or idle) and the passphrase again: a review started
    with F10 still goes back to the meeting, one started by `kiptui review PLAN` still ends."""
    from screens.meeting import MeetingScreen
    from kiptui.vault import Vault
    from tests.ui.harness import PASSPHRASE

    async def lock_and_unlock(app, pilot):
        await app.action_lock()
        await pilot.pause()
        app.unlocked(Vault.unlock(app.vault_path, PASSPHRASE))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)

    app, plan, vault = make_app(tmp_path / "f10", held_meeting_plan())
    async with app.run_test(size=SIZE) as pilot:
        await review_by_f10(app, pilot, plan.id)
        await lock_and_unlock(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.is_running

    plan = held_meeting_plan()
    app, plan, vault = make_app(tmp_path / "cli", plan, start_review=plan.id)
    async with app.run_test(size=SIZE) as pilot:
        app.unlocked(app.vault)
        await pilot.pause()
        await lock_and_unlock(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running
