"""A whole coordination meeting through the referent's app, from the keyboard, on a temporary
vault: new plan → contacts → agenda → attendance with chair and referent → situation round →
agreements (also by /aftale) → closing. Every step is asserted on the saved, decrypted plan."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, Select

from kiptui.model import CITIZEN_ID, AttendanceMode, AttendanceStatus, MeetingStatus, Sector
from screens.meeting import MeetingScreen
from screens.prepare import ContactModal
from tests.ui.harness import SIZE, FakeClock, make_app, sample_plan, saved_plan, screen_text


async def add_contact(pilot, app, name: str, *, relative: bool = False, org: str = "", role: str = "",
                      email: str = "", phone: str = "", sector_downs: int = 2) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, ContactModal)
    if relative:
        await pilot.press(*name, "tab", "right", "enter", "tab", "tab", *role, "tab", "tab", *phone, "enter")
    else:
        await pilot.press(*name, "tab", "tab", "enter")
        await pilot.pause()
        await pilot.press(*["down"] * sector_downs, "enter")  # 1 = Region, 2 = Kommune
        await pilot.pause()
        await pilot.press("tab", *org, "tab", *role, "tab", *email, "tab", *phone, "enter")
    await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)


async def test_a_whole_meeting_from_the_keyboard(tmp_path):
    clock = FakeClock(datetime(2026, 11, 30, 9, 55))
    app, _other, vault = make_app(tmp_path, sample_plan(), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # ---- a new plan from the list
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Ida Krogh", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.screen.active_tab == "prepare"
        plan_id = app.handle.plan_id

        # ---- the network (F2, section 3)
        await pilot.press("alt+3")
        await pilot.pause()
        await add_contact(pilot, app, "Rikke Lund", org="Psykiatrien", role="Sygeplejerske",
                          email="rikke@region.example", phone="22 33 44 55", sector_downs=1)
        await add_contact(pilot, app, "Omar Ali", org="Kommunen", role="Socialrådgiver",
                          email="omar@kommune.example", phone="33 44 55 66")
        await add_contact(pilot, app, "Hanne Krogh", relative=True, role="Mor", phone="44 55 66 77")
        stored = await saved_plan(app, vault, plan_id)
        assert [(c.name, c.sector) for c in stored.contacts] == [
            ("Rikke Lund", Sector.REGION), ("Omar Ali", Sector.MUNICIPALITY), ("Hanne Krogh", Sector.RELATIVE)]
        rikke, omar, hanne = (c.id for c in stored.contacts)

        # ---- attendance, chair and referent (F4)
        await pilot.press("f4")
        await pilot.pause()
        table = app.screen.query_one("#pane-participants").query_one("DataTable")
        table.focus()
        await pilot.press("ctrl+home", "t", "down", "t", "down", "t", "down", "t", "v")
        await pilot.press("ctrl+home", "down", "ctrl+e")  # Rikke chairs
        await pilot.press("ctrl+r")  # ... and cannot also be the referent
        await pilot.pause()
        assert "samme person" in " ".join(screen_text(app).split())
        await pilot.press("down", "ctrl+r")  # Omar writes
        await pilot.pause()
        stored = await saved_plan(app, vault, plan_id)
        m = stored.meetings[0]
        assert (m.chair, m.referent) == (rikke, omar)
        assert {a.contact_id for a in m.attendance if a.status == AttendanceStatus.PRESENT} == {
            CITIZEN_ID, rikke, omar, hanne}
        assert m.attendance_for(hanne).mode == AttendanceMode.VIRTUAL

        # ---- the agenda (F3): start the first items
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#pane-agenda").query_one("DataTable").focus()
        clock.now = datetime(2026, 11, 30, 10, 0)
        await pilot.press("ctrl+home", "enter", *"Alle er præsenteret.")  # Enter: into its notes
        clock.now = datetime(2026, 11, 30, 10, 6)
        await pilot.press("alt+right")  # the next item, from the notes
        await pilot.pause()
        stored = await saved_plan(app, vault, plan_id)
        first, second = stored.meetings[0].agenda[:2]
        assert (first.started_at, first.ended_at) == (datetime(2026, 11, 30, 10, 0), datetime(2026, 11, 30, 10, 6))
        assert first.notes == "Alle er præsenteret."
        assert second.started_at == datetime(2026, 11, 30, 10, 6) and stored.meetings[0].current_item == second.id
        assert stored.meetings[0].status == MeetingStatus.IN_PROGRESS

        # ---- the situation round (F5): the citizen first, then the next speaker
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+n")  # the citizen gets the floor first; the cursor is in her note
        await pilot.pause()
        await pilot.press(*"Ida sover bedre og vil gerne i praktik.", "enter",
                          *"/aftale Finde praktikplads @Omar 15.01.2027", "enter")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Rikke: medicinen virker.")
        stored = await saved_plan(app, vault, plan_id)
        rnd = stored.meetings[0].situation_round
        assert rnd[0].contact_id == CITIZEN_ID
        assert rnd[0].text.startswith("Ida sover bedre og vil gerne i praktik.\n✓ Aftale oprettet: Finde praktikplads")
        assert rnd[1].text == "Rikke: medicinen virker." and stored.meetings[0].current_speaker == rnd[1].contact_id

        # ---- agreements (F6): the quick row
        await pilot.press("f6")
        await pilot.pause()
        pane = app.screen.query_one("#pane-agreements")
        pane.focus_first()
        await pilot.press(*"Ringe til egen læge @borger 10.12.2026", "enter")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan_id)
        agreements = {a.what: a for a in stored.agreements}
        assert agreements["Finde praktikplads"].responsible == omar
        assert agreements["Finde praktikplads"].deadline == date(2027, 1, 15)
        assert agreements["Ringe til egen læge"].responsible == CITIZEN_ID

        # ---- closing (F7): next meeting, coordinator, summary, approval, close
        await pilot.press("f7")
        await pilot.pause()
        closing = app.screen.query_one("#pane-closing")
        closing.query_one("#next-when", Input).focus()
        await pilot.press(*"01.03.2027 10:00", "tab", *"Jobcentret")
        closing.query_one("#coordinator", Select).value = rikke
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        clock.now = datetime(2026, 11, 30, 11, 10)
        await pilot.press("ctrl+r")  # no decision chosen yet: the choice gets the focus
        await pilot.pause()
        await pilot.press("enter")  # "Godkendt"
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan_id)
        assert app.is_running

    m = stored.meetings[0]
    assert m.next_meeting.on == datetime(2027, 3, 1, 10, 0) and m.next_meeting.place == "Jobcentret"
    assert stored.current_coordinator == rikke and m.coordinator == rikke
    assert "Finde praktikplads" in m.summary and "Ringe til egen læge" in m.summary
    assert m.approval is not None and m.approval.decision.value == "approved" and m.approval.plan_version > 0
    assert m.status == MeetingStatus.CLOSED and m.closed_at == datetime(2026, 11, 30, 11, 10)
    assert vault.frozen_plan(plan_id, m.id) is not None
    stored.validate()
