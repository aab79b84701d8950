"""The closing pane: the next meeting (a past date refused, more than six months ahead asks for a
reason), a coordinator who must be a professional, a summary generated from the data, the
citizen's approval naming the plan version, and closing the meeting."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual.widgets import Input, RadioSet, Select, TextArea

from kiptui.i18n import t
from kiptui.model import CITIZEN_ID, ApprovalDecision, ApprovalSetting, AttendanceStatus, Contact, MeetingStatus, Sector
from screens.closing import ClosingPane, generate_summary
from screens.modals import Confirm
from screens.widgets import NoteArea
from tests.ui.harness import FIXED_NOW, SIZE, FakeClock, by_name, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = ["[@click=app.quit]x[/]", "[TODO] ring", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eomvendt"]


def plan_for_closing():
    plan = sample_plan()
    m = plan.meetings[-1]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.chair = by_name(plan, "Lone")
    plan.add_agreement("Søge om boligstøtte", by_name(plan, "Lone"), date(2026, 12, 1), m.id, FIXED_NOW)
    plan.add_agreement("Møde op hos lægen", CITIZEN_ID, None, m.id, FIXED_NOW)
    plan.add_goal("Egen bolig inden sommer", m.id, FIXED_NOW)
    return plan


async def choose(pilot, pane: ClosingPane, choice: str) -> None:
    """Pick a radio button from the keyboard: focus the set, move to it, press enter."""
    radio = pane.query_one("#approval-choice", RadioSet)
    radio.focus()
    await pilot.pause()
    ids = [b.id for b in radio.query("RadioButton")]
    index = ids.index(f"choice-{choice}")
    current = radio._selected or 0
    key = "down" if index >= current else "up"
    for _ in range(abs(index - current)):
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.pause()


async def test_next_meeting_is_saved_and_a_past_date_refused(tmp_path):
    app, plan, vault = make_app(tmp_path, plan_for_closing())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        await pilot.press(*"10.02.2027 13:00", "tab", *"Jobcentret, lokale 2")
        await pilot.pause()
        assert not pane.query_one("#next-reason-box").display
        stored = await saved_plan(app, vault, plan.id)
        assert stored.meetings[-1].next_meeting.on == datetime(2027, 2, 10, 13, 0)
        assert stored.meetings[-1].next_meeting.place == "Jobcentret, lokale 2"
        when = pane.query_one("#next-when", Input)
        when.value = "01.11.2026 10:00"
        await pilot.pause()
        assert when.has_class("-invalid")
        assert t("next_meeting_in_past") in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].next_meeting.on == datetime(2027, 2, 10, 13, 0)  # refused, kept


async def test_more_than_six_months_ahead_asks_for_a_reason(tmp_path):
    app, plan, vault = make_app(tmp_path, plan_for_closing())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        far = FIXED_NOW + timedelta(days=200)
        await pilot.press(*f"{far:%d.%m.%Y} 10:00")
        await pilot.pause()
        assert pane.query_one("#next-reason-box").display
        assert t("next_meeting_beyond_limit") in screen_text(app)
        # closing is refused until the reason is given; the cursor goes to the reason
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        assert app.focused is pane.query_one("#next-reason", Input)
        await pilot.press(*"Borger ønsker ro efter indlæggelsen")
        await pilot.pause()
        assert t("next_meeting_beyond_limit") not in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    nxt = stored.meetings[-1].next_meeting
    assert nxt.on == datetime(far.year, far.month, far.day, 10, 0)
    assert nxt.reason_beyond_limit == "Borger ønsker ro efter indlæggelsen"


async def test_coordinator_must_be_a_professional_and_keeps_its_history(tmp_path):
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan_for_closing(), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        select = pane.query_one("#coordinator", Select)
        offered = [value for _, value in select._options if isinstance(value, str)]
        assert by_name(plan, "Birgitte") not in offered  # a relative is not offered
        assert CITIZEN_ID not in offered
        assert set(offered) == {by_name(plan, n) for n in ("Lone", "Anders", "Karim")}
        select.focus()
        await pilot.press("enter", *"lone", "enter")
        await pilot.pause()
        clock.advance(24 * 3600)
        select.value = by_name(plan, "Anders")
        await pilot.pause()
        assert "Koordinator nu: Anders Holm (Psykiatrien Region Sjælland), siden 24.11.2026" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].coordinator == by_name(plan, "Anders")
    terms = [(c.contact_id, c.from_date, c.to_date, c.meeting_id) for c in stored.coordinators]
    meeting_id = stored.meetings[-1].id
    assert terms == [(by_name(plan, "Lone"), date(2026, 11, 23), date(2026, 11, 24), meeting_id),
                     (by_name(plan, "Anders"), date(2026, 11, 24), None, meeting_id)]


async def test_summary_is_generated_from_the_data_and_edits_are_protected(tmp_path):
    plan = plan_for_closing()
    m = plan.meetings[-1]
    m.next_meeting.on = datetime(2027, 2, 10, 13, 0)
    m.next_meeting.place = "Jobcentret"
    plan.set_coordinator(by_name(plan, "Lone"), FIXED_NOW.date(), m.id)
    m.coordinator = by_name(plan, "Lone")
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        await pilot.press("ctrl+g")
        await pilot.pause()
        summary = pane.query_one("#summary", NoteArea)
        assert summary.text.splitlines() == [
            "Resumé af mødet 23.11.2026",
            "",
            "Aftaler:",
            "- Søge om boligstøtte – Lone Hansen (Næstved Kommune) – senest 01.12.2026",
            "- Møde op hos lægen – Mikkel Sørensen – ingen frist",
            "",
            "Mål:",
            "- Egen bolig inden sommer",
            "",
            "Næste møde: 10.02.2027 kl. 13:00, Jobcentret",
            "Koordinator indtil da: Lone Hansen (Næstved Kommune)",
        ]
        # the referent edits it; generating again asks before overwriting
        summary.focus()
        summary.move_cursor(summary.document.end)
        await pilot.press("enter", *"Borger takkede for mødet.")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert summary.text.endswith("Borger takkede for mødet.")
        stored = await saved_plan(app, vault, plan.id)
        assert stored.meetings[-1].summary == summary.text
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert summary.text == generate_summary(pane.plan, pane.meeting)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].summary == generate_summary(plan, plan.meetings[-1])


async def test_approval_needs_the_citizens_words_and_names_the_plan_version(tmp_path):
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan_for_closing(), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        await choose(pilot, pane, "approved_with_remarks")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert pane.plan.approvals == []
        assert t("approval_needs_words") in screen_text(app)
        assert app.focused is pane.query_one("#approval-words", TextArea)
        await pilot.press(*"Jeg vil gerne selv ringe til lægen.")
        clock.advance(120)
        version_before = pane.plan.version
        await pilot.press("ctrl+r")
        await pilot.pause()
        approval = pane.meeting.approval
        assert approval is not None
        assert approval.plan_version >= version_before and approval.plan_version == pane.plan.version
        assert "Registreret: Godkendt med bemærkninger" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    ap = stored.meetings[-1].approval
    assert ap is not None and stored.approvals == [ap]
    assert ap.decision == ApprovalDecision.APPROVED_WITH_REMARKS
    assert ap.setting == ApprovalSetting.AT_MEETING
    assert ap.citizen_words == "Jeg vil gerne selv ringe til lægen."
    assert ap.by == by_name(plan, "Lone")  # the chair, proposed
    assert ap.at == FIXED_NOW + timedelta(seconds=120)
    assert ap.meeting_id == stored.meetings[-1].id
    # the approval names the saved version that held what the citizen went through
    assert 0 < ap.plan_version < stored.version


async def test_review_afterwards_is_recorded(tmp_path):
    app, plan, vault = make_app(tmp_path, sample_plan())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        assert pane.query_one("#approval-absent-hint").display  # the citizen is not marked present
        await choose(pilot, pane, "afterwards")
        assert not pane.query_one("#approval-fields").display
        stored = await saved_plan(app, vault, plan.id)
        assert stored.meetings[-1].review_afterwards is True
        await choose(pilot, pane, "approved")
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].review_afterwards is False


async def test_closing_the_meeting_stops_the_agenda_and_names_the_version(tmp_path):
    plan = plan_for_closing()
    m = plan.meetings[-1]
    m.start_item(m.agenda[-1].id, FIXED_NOW)
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        clock.advance(300)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "næste mødedato" in screen_text(app)  # what is missing is said before closing
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert pane.query_one("#close-meeting").disabled
        stored = await saved_plan(app, vault, plan.id)
    closed = stored.meetings[-1]
    assert closed.status == MeetingStatus.CLOSED
    assert closed.closed_at == FIXED_NOW + timedelta(seconds=300)
    assert closed.current_item == ""
    assert closed.agenda[-1].ended_at == FIXED_NOW + timedelta(seconds=300)
    # closing froze that version: closed_version names it, and the vault keeps it as it was
    assert 0 < closed.closed_version <= stored.version
    frozen = vault.frozen_plan(plan.id, closed.id)
    assert frozen is not None and frozen.version == closed.closed_version
    assert frozen.meetings[-1].status == MeetingStatus.CLOSED
    assert frozen.meetings[-1].closed_version == closed.closed_version


async def test_hostile_strings_are_shown_literally(tmp_path):
    plan = plan_for_closing()
    m = plan.meetings[-1]
    hostile = plan.add_contact(Contact(name=HOSTILE[0], sector=Sector.MUNICIPALITY, organisation=HOSTILE[1]))
    plan.add_agreement(HOSTILE[2] + " " + HOSTILE[3], hostile.id, date(2026, 12, 1), m.id, FIXED_NOW)
    plan.set_coordinator(hostile.id, FIXED_NOW.date(), m.id)
    m.coordinator = hostile.id
    m.next_meeting.on = datetime(2027, 1, 5, 9, 0)
    m.next_meeting.place = HOSTILE[4]
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        await pilot.press("ctrl+g")
        await pilot.pause()
        summary = pane.query_one("#summary", NoteArea).text
        text = screen_text(app)
        await choose(pilot, pane, "not_approved")
        pane.query_one("#approval-words", TextArea).load_text("[@click=app.quit]nej[/]")
        await pilot.press("ctrl+r")
        await pilot.pause()
        text += screen_text(app)
        assert app.is_running and app.return_code is None
        stored = await saved_plan(app, vault, plan.id)
    assert "[/b] rød – [@click=app.quit]x[/] ([TODO] ring) – senest 01.12.2026" in summary
    assert "\x1b" not in summary and "\u202e" not in summary
    assert "[@click=app.quit]x[/] ([TODO] ring)" in text
    assert "omvendt" in text and "\x1b" not in text and "\u202e" not in text
    assert stored.meetings[-1].approval.citizen_words == "[@click=app.quit]nej[/]"


async def test_reopening_a_closed_meeting_asks_a_reason_and_logs_it(tmp_path):
    from kiptui.accesslog import Action
    from screens.modals import TextPrompt

    plan = plan_for_closing()
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.close_meeting()
        await pilot.pause()
        frozen_version = pane.meeting.closed_version
        assert not pane.query_one("#close-meeting").display and pane.query_one("#reopen-meeting").display
        assert f"Planens version {frozen_version} er gemt låst" in screen_text(app)
        clock.advance(3600)
        await pilot.press("ctrl+f")  # the same key re-opens a closed meeting
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # no reason: refused
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and t("modal.required") in screen_text(app)
        await pilot.press(*"Mors skriftlige bidrag skal med", "enter")
        await pilot.pause()
        assert pane.meeting.status == MeetingStatus.IN_PROGRESS
        assert pane.query_one("#close-meeting").display and not pane.query_one("#reopen-meeting").display
        shown = str(pane.query_one("#reopen-history").render())
        assert shown.startswith("Genåbnet 23.11.2026 11:00 af ")
        assert shown.endswith(": Mors skriftlige bidrag skal med")
        # closed again: a second frozen version; the first one stays
        clock.advance(600)
        pane.close_meeting()
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    m = stored.meetings[-1]
    assert m.status == MeetingStatus.CLOSED and m.closed_version > frozen_version
    (reopening,) = m.reopenings
    assert (reopening.reason, reopening.at, reopening.closed_version) == (
        "Mors skriftlige bidrag skal med", FIXED_NOW + timedelta(hours=1), frozen_version)
    entries = [e for e in vault.access_log.scan().entries if e.action == Action.REOPEN]
    assert [(e.plan_id, e.detail, e.info["closed_version"]) for e in entries] == [
        (plan.id, "Mors skriftlige bidrag skal med", frozen_version)]
    assert vault.frozen_plan(plan.id, m.id).version == m.closed_version


async def test_coordinator_history_and_the_status_line(tmp_path):
    from screens.meeting import MeetingPicker

    plan = plan_for_closing()
    m = plan.meetings[-1]
    plan.set_coordinator(by_name(plan, "Lone"), date(2026, 8, 20), m.id)
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        status = app.screen.query_one("#status-plan")
        assert "· Koordinator: Lone Hansen" in str(status.render())
        pane = app.screen.pane("closing")
        pane.query_one("#coordinator", Select).value = by_name(plan, "Anders")
        await pilot.pause()
        assert "· Koordinator: Anders Holm" in str(status.render())
        history = pane.query_one("#coordinator-history")
        assert [[c.plain for c in history.get_row_at(n)] for n in range(history.row_count)] == [
            ["Anders Holm", "23.11.2026", "nu", "Møde 1"],
            ["Lone Hansen", "20.08.2026", "23.11.2026", "Møde 1"],
        ]
        # F8 "+ Nyt møde": the follow-up meeting keeps the coordinator, its agreements come along
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, MeetingPicker)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.meeting is app.plan.meetings[-1] and len(app.plan.meetings) == 2
        assert app.meeting.starts_at is None and app.meeting.coordinator == by_name(plan, "Anders")
        assert "Møde 2, dato ikke fastsat (Planlagt) · Koordinator: Anders Holm" in str(status.render())
        await pilot.press("f6")
        await pilot.pause()
        earlier = app.screen.query_one("#agr-earlier")
        assert [earlier.get_row_at(n)[1].plain for n in range(earlier.row_count)] == [
            "Søge om boligstøtte", "Møde op hos lægen"]
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].coordinator == by_name(plan, "Anders")
    assert stored.current_coordinator == by_name(plan, "Anders")


async def test_after_generating_the_summary_typing_goes_on_at_its_end(tmp_path):
    """Found by a review: after Ctrl+G the focus stayed in the coordinator's list, and the
    sentence typed next was lost (its space opened the list). Also after the confirmation."""
    from textual.widgets import Select

    plan = plan_for_closing()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.query_one(Select).focus()
        await pilot.press("ctrl+g")
        await pilot.pause()
        summary = pane.query_one("#summary", NoteArea)
        assert app.focused is summary
        await pilot.press(*" Jonas takkede for mødet.")
        assert summary.text.endswith(" Jonas takkede for mødet.")
        pane.query_one(Select).focus()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert app.focused is summary
        await pilot.press(*" Tak.")
        assert summary.text == generate_summary(pane.plan, pane.meeting) + " Tak."
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[-1].summary.endswith(" Tak.")


async def test_a_closed_meeting_is_read_only_until_it_is_reopened(tmp_path):
    """Found by a review: after Ctrl+F the round could still be given on (Ctrl+N) and typed
    in, so the plan sent later held words that the frozen minutes did not. A closed meeting's
    own record now takes no keys and no typing; the status line says so on every width; it
    is editable again once re-opened with a reason."""
    from screens.agenda import AgendaPane, AgendaTable
    from screens.participants import ParticipantsPane, ParticipantTable
    from screens.situation_round import SituationRoundPane

    plan = plan_for_closing()
    plan.meetings[-1].build_round()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        app.screen.query_one(ClosingPane).close_meeting()
        await pilot.pause()
        m = app.meeting
        before = (m.current_speaker, m.current_item, [a.status for a in m.attendance])
        await pilot.press("f5")
        await pilot.pause()
        note = app.screen.query_one(SituationRoundPane).query(NoteArea).first()
        assert note.read_only
        note.focus()
        await pilot.press("ctrl+n", *"efter lukningen")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(AgendaPane).query_one(AgendaTable).focus()
        await pilot.press("enter", "ctrl+n")
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one(ParticipantsPane).query_one(ParticipantTable).focus()
        await pilot.press("f", "a", "ctrl+e")
        await pilot.pause()
        assert "Afsluttet – kun læsning" in screen_text(app)  # 80 columns: the short sentence
        assert (m.current_speaker, m.current_item, [a.status for a in m.attendance]) == before
        assert "efter lukningen" not in note.text and m.chair == by_name(plan, "Lone")
        assert len(m.agenda) == len(plan.meetings[-1].agenda)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"Mors bidrag manglede", "enter")
        await pilot.pause()
        assert m.status == MeetingStatus.IN_PROGRESS, screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert not note.read_only
        assert "kun læsning" not in screen_text(app)


def test_the_summary_is_dated_the_day_the_meeting_was_held():
    """Found by a review: the summary said the planned day while the minutes (rightly) said
    the day the meeting was held."""
    plan = plan_for_closing()
    m = plan.meetings[-1]
    assert generate_summary(plan, m).startswith(t("closing.sum_title", date="23.11.2026"))
    m.start_item(m.agenda[0].id, datetime(2026, 11, 25, 10, 5))
    assert generate_summary(plan, m).startswith(t("closing.sum_title", date="25.11.2026"))


async def test_the_checklist_names_outcomes_not_decided_and_slash_lines_not_made(tmp_path):
    """Found by a review: "Alt er udfyldt" while agreements from the meeting before had no
    outcome and a refused /aftale line was still in a note (so in the minutes as typed)."""
    from kiptui.model import AgreementOutcome
    from tests.ui.test_agreements import follow_up_plan

    plan, second, (bolig, laege, medicin) = follow_up_plan()
    second.agenda[0].notes = "Drøftet.\n/aftale Ringe til udlejer 20.12.2026"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        checklist = str(pane.query_one("#close-checklist").render())
        assert "udfald for 3 aftaler fra tidligere møder" in checklist
        assert "1 /aftale- eller /mål-linje i noterne" in checklist
        m = pane.meeting
        for a in (bolig, laege):
            pane.plan.record_outcome(a.id, AgreementOutcome.CONTINUE, m.id, FIXED_NOW)
        m.agenda[0].notes = "Drøftet."
        pane._show_close_state()
        checklist = str(pane.query_one("#close-checklist").render())
        assert "udfald for 1 aftale fra et tidligere møde" in checklist and "/aftale" not in checklist


async def test_a_day_that_does_not_exist_is_said_so(tmp_path):
    """Found by a review: "31.02.2027 10:00" was told to be written as dd.mm.åååå tt:mm,
    which it was; the day is what does not exist."""
    app, plan, vault = make_app(tmp_path, plan_for_closing())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        when = pane.query_one("#next-when", Input)
        for typed, said in (("31.02.2027 10:00", "»31.02.2027 10:00« findes ikke i kalenderen"),
                            ("10.02.2027 25:00", "»10.02.2027 25:00« findes ikke i kalenderen"),
                            ("næste tirsdag", "Skriv dato og tid som dd.mm.åååå tt:mm")):
            when.value = typed
            await pilot.pause()
            assert said in str(pane.query_one("#next-message").render()), typed
        assert pane.meeting.next_meeting.on is None


async def test_moving_in_a_closed_meetings_agenda_switches_no_field_on(tmp_path):
    """The agenda's item fields follow the highlighted item; on a closed meeting they stay
    off however the cursor moves, and after re-opening an item's fields are on again."""
    from textual.widgets import Checkbox

    from screens.agenda import AgendaPane, AgendaTable

    app, plan, vault = make_app(tmp_path, plan_for_closing())
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        closing = app.screen.query_one(ClosingPane)
        closing.close_meeting()
        await pilot.press("f3")
        await pilot.pause()
        agenda = app.screen.query_one(AgendaPane)
        agenda.query_one(AgendaTable).focus()
        await pilot.press("down", "down")
        await pilot.pause()
        fields = [agenda.query_one("#agenda-title-input", Input), agenda.query_one("#agenda-minutes-input", Input),
                  agenda.query_one("#agenda-private", Checkbox)]
        assert all(f.disabled for f in fields)
        closing.reopen_meeting("Et punkt manglede")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert not any(f.disabled for f in fields)


async def test_ctrl_f_reopens_right_after_closing_without_a_tab_first(tmp_path):
    """Found by a review: closing switched off the field that had the focus, so the focus
    left the pane and Ctrl+F (named by the status line) did nothing until a Tab. The focus
    now goes to "Genåbn mødet"."""
    from screens.modals import TextPrompt

    app, plan, vault = make_app(tmp_path, plan_for_closing())
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        pane.focus_first()
        await pilot.press("ctrl+f", "j")  # close, and answer yes
        await pilot.pause()
        await pilot.pause()
        assert pane.meeting.status == MeetingStatus.CLOSED
        assert app.focused is pane.query_one("#reopen-meeting")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)


async def test_the_status_names_who_went_through_it_and_which_answer_counts(tmp_path):
    """Found by a review: after a review afterwards (F10), F7 read '… planens version 46 ·
    gennemgået af' and nothing more (the name typed there is not a contact); the minutes had
    it. And with two answers, nothing said which one counts: the latest."""
    from kiptui.model import Approval

    plan = plan_for_closing()
    m = plan.meetings[-1]
    plan.version = 3
    plan.record_approval(Approval(at=FIXED_NOW, by=by_name(plan, "Lone"), citizen_words="Ja"), m)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane, "closing")
        status = pane.query_one("#approval-status")
        assert "gennemgået af Lone Hansen (Næstved Kommune)" in str(status.render())
        assert "svar på planen" not in str(status.render())  # one answer: nothing to choose
        pane.plan.record_approval(Approval(at=FIXED_NOW + timedelta(days=3), setting=ApprovalSetting.AFTERWARDS,
                                           decision=ApprovalDecision.NOT_APPROVED, citizen_words="Nej",
                                           by="Karsten [Friis], bostøtte"), pane.meeting)
        pane.sync_from_plan()
        await pilot.pause()
        shown = str(status.render())
    assert "✓ Registreret: Ikke godkendt · 26.11.2026 10:00 · planens version 3 · gennemgået af Karsten [Friis], bostøtte" in shown
    assert "Borger har givet 2 svar på planen fra dette møde. Det seneste, her ovenfor, er det, der gælder" in shown
