"""The deviations screen: reached from the agreements pane (Alt+A), a deviation is reported for
the coordinator (agreement, who reported it, the day, what happened), the open ones are listed,
the coordinator records whom they informed and closes them; refusals keep the typed text, and
user text is shown literally."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Input, Select, SelectionList

from kiptui.i18n import t
from kiptui.model import CITIZEN_ID, AgreementStatus, Contact, Sector
from screens.agreements import AgreementsPane, AgreementTable
from screens.deviations import DeviationForm, DeviationsScreen, DeviationTable, InformedForm
from screens.modals import Confirm
from tests.ui.harness import FIXED_NOW, SIZE, by_name, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = ["[@click=app.quit]x[/]", "[TODO] ring", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eomvendt"]


def plan_with_agreements():
    plan = sample_plan()
    m = plan.meetings[-1]
    bolig = plan.add_agreement("Søge boligstøtte", by_name(plan, "Lone"), date(2026, 12, 1), m.id, FIXED_NOW)
    plan.add_agreement("Ringe til lægen", CITIZEN_ID, None, m.id, FIXED_NOW)
    plan.set_coordinator(by_name(plan, "Anders"), FIXED_NOW.date(), m.id)
    return plan, bolig


async def test_report_a_deviation_from_the_agreements_pane(tmp_path):
    plan, bolig = plan_with_agreements()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, AgreementsPane, "agreements")
        await pilot.press("ctrl+o")  # the table, on "Søge boligstøtte"
        assert app.focused is pane.query_one("#agr-this", AgreementTable)
        await pilot.press("alt+a")
        await pilot.pause()
        assert isinstance(app.screen, DeviationsScreen)
        text = screen_text(app)
        assert "Koordinator: Anders Holm (Psykiatrien Region Sjælland)" in text
        assert t("deviations.none_open") in text
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DeviationForm)
        # the agreement in focus is offered, its responsible as the one who reported it
        assert form.query_one("#dev-agreement", Select).value == bolig.id
        assert form.query_one("#dev-reporter", Select).value == by_name(plan, "Lone")
        assert form.query_one("#dev-date", Input).value == "23.11.2026"
        assert app.focused is form.query_one("#dev-what", Input)
        await pilot.press("enter")  # nothing written: refused, the form stays
        await pilot.pause()
        assert app.screen is form and t("deviation_needs_text") in screen_text(app)
        assert form.query_one("#dev-what", Input).has_class("-invalid")
        await pilot.press(*"Sagsbehandleren er sygemeldt")
        date_input = form.query_one("#dev-date", Input)
        date_input.value = "31.02.2026"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is date_input and "»31.02.2026« er ikke en dato" in screen_text(app)
        date_input.value = "24.11.2026"  # tomorrow
        await pilot.press("enter")
        await pilot.pause()
        assert t("deviations.date_in_future") in screen_text(app)
        assert form.query_one("#dev-what", Input).value == "Sagsbehandleren er sygemeldt"  # kept
        date_input.value = "20.11.2026"
        form.query_one("#dev-reporter", Select).value = by_name(plan, "Birgitte")
        form.query_one("#dev-what", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeviationsScreen)
        table = app.screen.query_one(DeviationTable)
        assert app.focused is table and table.row_count == 1
        row = [cell.plain for cell in table.get_row_at(0)]
        assert row == ["20.11.2026", "Søge boligstøtte", "Sagsbehandleren er sygemeldt",
                       t("deviations.not_informed_short"), "Birgitte Sørensen"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(AgreementsPane) is pane
        assert "1 åben afvigelse hos koordinator" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    (d,) = stored.deviations
    assert (d.agreement_id, d.reported_by, d.reported_on) == (bolig.id, by_name(plan, "Birgitte"), date(2026, 11, 20))
    assert d.what_happened == "Sagsbehandleren er sygemeldt" and not d.closed
    assert stored.agreement(bolig.id).status == AgreementStatus.DEVIATION
    assert stored.agreement(bolig.id).history[-1].meeting_id == stored.meetings[-1].id


async def test_coordinator_records_whom_they_informed_and_closes_it(tmp_path):
    plan, bolig = plan_with_agreements()
    other = plan.agreements[1]
    first = plan.report_deviation(bolig.id, by_name(plan, "Lone"), "Sagsbehandleren er sygemeldt",
                                  date(2026, 11, 20), FIXED_NOW)
    plan.report_deviation(other.id, CITIZEN_ID, "Glemte at ringe", date(2026, 11, 21), FIXED_NOW)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, AgreementsPane, "agreements")
        await pilot.press("alt+a")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DeviationTable)
        assert table.row_count == 2 and app.focused is table
        assert "Åbne afvigelser: 2" in screen_text(app)
        # closing before anyone is informed is refused
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen
        assert t("deviation_close_needs_informed") in [str(n.message) for n in app._notifications]
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InformedForm)
        choices = form.query_one(SelectionList)
        assert app.focused is choices
        await pilot.press("ctrl+s")  # nobody chosen: refused
        await pilot.pause()
        assert app.screen is form and t("deviation_needs_informed") in screen_text(app)
        # the citizen first, then the network in order: choose Lone and Karim
        await pilot.press("down", "space", "down", "down", "down", "space")
        form.query_one("#dev-informed-date", Input).value = "22.11.2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Lone Hansen, Karim Nielsen (22.11.2026)" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert table.row_count == 1 and "Åbne afvigelser: 1" in screen_text(app)
        await pilot.press("v")  # the closed ones too
        await pilot.pause()
        assert table.row_count == 2
        assert table.get_row_at(1)[3].plain == "Afsluttet · Lone Hansen, Karim Nielsen (22.11.2026)"
        stored = await saved_plan(app, vault, plan.id)
    d = stored.deviation(first.id)
    assert d.closed and d.informed == [by_name(plan, "Lone"), by_name(plan, "Karim")]
    assert d.informed_on == date(2026, 11, 22)
    assert [x.closed for x in stored.deviations] == [True, False]


async def test_hostile_strings_are_shown_literally(tmp_path):
    plan, bolig = plan_with_agreements()
    hostile = plan.add_contact(Contact(name=HOSTILE[0], sector=Sector.REGION, organisation=HOSTILE[1]))
    bolig.what = HOSTILE[2] + " bolig"
    plan.report_deviation(bolig.id, hostile.id, HOSTILE[3] + " " + HOSTILE[4], FIXED_NOW.date() - timedelta(days=1),
                          FIXED_NOW)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, AgreementsPane, "agreements")
        await pilot.press("alt+a")
        await pilot.pause()
        text = screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        text += screen_text(app)
        await pilot.press("escape", "ctrl+n")
        await pilot.pause()
        await pilot.press(*"[@click=app.quit]y[/]", "enter")
        await pilot.pause()
        text += screen_text(app)
        assert app.is_running and app.return_code is None
        stored = await saved_plan(app, vault, plan.id)
    assert "[/b] bolig" in text and "[@click=app.quit]x[/]" in text and "[TODO] ring" in text
    assert "rød" in text and "omvendt" in text
    assert "\x1b" not in text and "\u202e" not in text
    assert "[@click=app.quit]y[/]" in text
    assert stored.deviations[-1].what_happened == "[@click=app.quit]y[/]"


async def test_deviations_from_any_tab_and_the_command_palette(tmp_path):
    plan, bolig = plan_with_agreements()
    plan.report_deviation(bolig.id, by_name(plan, "Lone"), "Sagsbehandleren er sygemeldt", date(2026, 11, 20),
                          FIXED_NOW)
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="prepare")
        await pilot.pause()
        await pilot.press("alt+a")
        await pilot.pause()
        assert isinstance(app.screen, DeviationsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.active_tab == "prepare"
        labels = [label for label, _, _ in app.palette_commands()]
        assert t("deviations.cmd") in labels
        callback = next(cb for label, _, cb in app.palette_commands() if label == t("deviations.cmd"))
        callback()
        await pilot.pause()
        assert isinstance(app.screen, DeviationsScreen)
        assert app.screen.query_one(DeviationTable).row_count == 1
