"""Before the meeting (F2): the network through the contact form, validation that refuses and
keeps what was typed, the masked CPR number, consent, the citizen's wishes and the invitation
preview — asserted on the saved, decrypted plan."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from markdown_it import MarkdownIt
import pytest
from textual.widgets import Button, Input, Markdown, SelectionList, TextArea

from kiptui.i18n import set_language, t
from kiptui.model import AttendanceStatus, MeetingStatus, Sector
from kiptui.textsafe import md_inline
from screens.modals import Confirm
from screens.prepare import SECTIONS, ContactModal, ContactTable, CprInput, InvitationPreview, PreparePane
from tests.ui.harness import SIZE, FakeClock, by_name, make_app, open_pane, sample_plan, saved_plan, screen_text

HOSTILE = "[@click=app.quit]x[/]"


async def _to_network(app, pilot):
    await pilot.press("alt+3")
    await pilot.pause()
    assert isinstance(app.focused, ContactTable)


async def _section_text(app, pilot, plan_id, name):
    """Open the plan on F2 at `name`; the pane and what the screen shows."""
    pane = await open_pane(app, pilot, plan_id, PreparePane)
    pane.show_section(name)
    await pilot.pause()
    return pane, screen_text(app)


async def _pick_sector_municipality(pilot):
    # the sector Select: open it, skip the blank line and "Region", take "Kommune"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await pilot.pause()


# ---------------------------------------------------------------------------- the network


async def test_add_contact_with_the_keyboard(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        await pilot.press(*"Eva Berg", "tab", "tab")  # name, (professional is preselected), sector
        await _pick_sector_municipality(pilot)
        await pilot.press("tab", *"Jobcentret", "tab", *"Mentor", "tab", *"eva.berg@naestved.dk",
                          "tab", *"12 34 5678", "enter")
        await pilot.pause()
        assert isinstance(app.screen.query_one(PreparePane), PreparePane)
        assert "Eva Berg" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    eva = stored.contacts[-1]
    assert len(stored.contacts) == 5
    assert (eva.name, eva.sector, eva.organisation, eva.role, eva.email, eva.phone) == (
        "Eva Berg", Sector.MUNICIPALITY, "Jobcentret", "Mentor", "eva.berg@naestved.dk", "+45 12 34 56 78"
    )
    # invited to the coming meeting
    assert eva.id in [a.contact_id for a in stored.meetings[0].attendance]


async def test_add_a_relative(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.show_section("network")
        await pilot.pause()
        await pilot.click("#contact-add")
        await pilot.pause()
        await pilot.press(*"Jonas Sørensen", "tab", "right", "enter")  # the kind: Pårørende
        await pilot.pause()
        assert app.screen.query_one("#contact-sector").disabled
        await pilot.press("tab", "tab", *"Bror", "tab", "tab", *"0045 20304050", "enter")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    jonas = stored.contacts[-1]
    assert (jonas.name, jonas.sector, jonas.role, jonas.phone) == ("Jonas Sørensen", Sector.RELATIVE, "Bror",
                                                                     "+45 20 30 40 50")
    assert not jonas.is_professional


async def test_every_column_of_the_network_is_in_view_also_after_a_narrower_terminal(tmp_path):
    """Long organisations and roles are shortened (…) so that e-mail and phone stay in view;
    the detail line has them whole. Made narrower, the columns narrow too (Textual keeps a
    column as wide as its widest cell ever was)."""
    plan = sample_plan()
    for c in plan.contacts:
        c.organisation = "Næstved Kommune, Socialpsykiatrien, Bostøtteteamet Syd"
        c.role = "Bostøttemedarbejder og kontaktperson"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        table = app.screen.query_one(ContactTable)
        assert table.max_scroll_x == 0  # all six columns in view
        first = [cell.plain for cell in table.get_row_at(0)]
        assert first[2].endswith("…") and first[5] == plan.contacts[0].phone  # shortened; whole
        assert "Bostøtteteamet Syd" in screen_text(app)  # whole in the detail line
        wide = table.virtual_size.width
        await pilot.resize_terminal(100, SIZE[1])
        await pilot.pause()
        assert table.max_scroll_x == 0 and table.virtual_size.width < wide


async def test_edit_contact_with_enter(tmp_path):
    app, plan, vault = make_app(tmp_path)
    anders = by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ContactModal)
        assert modal.query_one("#contact-name", Input).value == "Anders Holm"
        await pilot.press("tab", "tab", "tab", "tab")  # kind, sector, organisation, role
        assert app.focused.id == "contact-role"
        await pilot.press(*"Kontaktperson", "enter")  # focusing an input selects its text: replaced
        await pilot.pause()
        assert not isinstance(app.screen, ContactModal)
        stored = await saved_plan(app, vault, plan.id)
    edited = stored.contact(anders)
    assert edited is not None
    assert (edited.name, edited.role, edited.sector) == ("Anders Holm", "Kontaktperson", Sector.REGION)
    assert len(stored.contacts) == 4


async def test_escape_cancels_the_form(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("enter")
        await pilot.press(*"Helt andet navn", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # a change was typed: asked first
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.focused, ContactTable)
        stored = await saved_plan(app, vault, plan.id)
    assert [c.name for c in stored.contacts][0] == "Lone Hansen"


async def test_escape_in_a_filled_in_form_asks_before_throwing_it_away(tmp_path):
    """Escape in 'Ny person i netværket' with something typed asks 'Kassér det indtastede?':
    No (or Escape again) goes back to the form as it was, Yes closes it. A review lost a
    whole person to one Escape. A form with nothing typed (or an edit with nothing changed)
    closes at once."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closed at once
        await pilot.pause()
        assert isinstance(app.focused, ContactTable)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Eva Berg", "tab", "tab", "tab", "tab", *"Mentor", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert t("prepare.contact.discard_question") in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        assert app.screen.query_one("#contact-name", Input).value == "Eva Berg"
        assert app.focused.id == "contact-role"
        await pilot.press("escape", "escape")  # Escape in the question keeps the form too
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        await pilot.press("escape", "j")
        await pilot.pause()
        assert isinstance(app.focused, ContactTable)
        assert [c.name for c in app.plan.contacts] == [c.name for c in plan.contacts]
        # opened to edit and left unchanged: closed at once
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ContactTable)


async def test_remove_contact_after_confirmation(tmp_path):
    plan = sample_plan()
    karim = by_name(plan, "Karim")
    plan.consent.scope_contacts = [by_name(plan, "Lone"), karim]
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("down", "down", "down", "delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Karim Nielsen" in screen_text(app)
        await pilot.press("enter")  # "Nej" has the focus: nothing happens
        await pilot.pause()
        assert len(app.plan.contacts) == 4
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # "Ja"
        await pilot.pause()
        assert "Karim Nielsen" not in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert karim not in [c.id for c in stored.contacts]
    assert karim not in [a.contact_id for a in stored.meetings[0].attendance]
    assert stored.consent.scope_contacts == [by_name(plan, "Lone")]
    stored.validate()


async def test_remove_refused_for_responsible_of_open_agreement(tmp_path):
    plan = sample_plan()
    lone = by_name(plan, "Lone")
    plan.add_agreement("Søge boligstøtte", lone, date(2026, 12, 1), plan.meetings[0].id, datetime(2026, 11, 1, 9))
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Lone Hansen kan ikke fjernes" in text
        assert "ansvarlig for en åben aftale" in text
        stored = await saved_plan(app, vault, plan.id)
    assert lone in [c.id for c in stored.contacts]


async def test_remove_refused_for_someone_in_earlier_minutes(tmp_path):
    plan = sample_plan()
    birgitte = by_name(plan, "Birgitte")
    m = plan.meetings[0]
    m.attendance_for(birgitte).status = AttendanceStatus.PRESENT
    m.status = MeetingStatus.CLOSED
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("down", "down", "delete")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        assert "tidligere mødes referat" in str(pane.query_one("#network-message").render())
        stored = await saved_plan(app, vault, plan.id)
    assert birgitte in [c.id for c in stored.contacts]


# ---------------------------------------------------------------------------- validation


async def test_invalid_phone_and_email_refused_and_nothing_lost(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Eva Berg", "tab", "tab")
        await _pick_sector_municipality(pilot)
        await pilot.press("tab", *"Jobcentret", "tab", *"Mentor", "tab", *"eva.berg@naestved", "tab",
                          *"1234 567", "enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ContactModal)  # refused: the form stays open
        assert app.focused.id == "contact-email"  # the first field to fix, its message in view
        assert "Domænet efter @" in screen_text(app)
        assert str(modal.query_one("#contact-email-error").render()) == t("validate.email_domain")
        assert str(modal.query_one("#contact-phone-error").render()) == t("validate.phone_length")
        # everything typed is still there
        values = {i.id: i.value for i in modal.query(Input)}
        assert values["contact-name"] == "Eva Berg"
        assert values["contact-organisation"] == "Jobcentret"
        assert values["contact-email"] == "eva.berg@naestved"
        assert values["contact-phone"] == "1234 567"
        assert len(app.plan.contacts) == 4
        stored = await saved_plan(app, vault, plan.id)
        assert len(stored.contacts) == 4
        # fix both and save
        await pilot.press("end", *".dk", "tab", "end", "8", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ContactModal)
        stored = await saved_plan(app, vault, plan.id)
    eva = stored.contacts[-1]
    assert (eva.email, eva.phone) == ("eva.berg@naestved.dk", "+45 12 34 56 78")


async def test_name_and_sector_required(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert t("contact_name_required") in text
        assert "Vælg hvilken sektor" in text
        assert isinstance(app.screen, ContactModal)
        assert len(app.plan.contacts) == 4


async def test_invalid_edit_leaves_the_contact_unchanged(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("enter", "tab", "tab", "tab", "tab", "tab", "tab", *"ring mig", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        assert app.focused.id == "contact-phone"
        assert "kun indeholde cifre" in screen_text(app)  # scrolled into view with the field
        await pilot.press("escape")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    assert stored.contacts[0].phone == "55 66 77 88"


async def test_coordinator_cannot_become_a_relative(tmp_path):
    plan = sample_plan()
    lone = by_name(plan, "Lone")
    plan.set_coordinator(lone, date(2026, 11, 1))
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("enter", "tab", "right", "enter")  # Lone -> "Pårørende"
        await pilot.press("tab", "tab", "tab", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        assert "Koordinator skal være en fagperson" in screen_text(app)
        await pilot.press("escape")
        stored = await saved_plan(app, vault, plan.id)
    assert stored.contact(lone).sector == Sector.MUNICIPALITY
    stored.validate()


# ---------------------------------------------------------------------------- master data and CPR


async def test_cpr_masked_until_revealed(tmp_path):
    plan = sample_plan()
    plan.citizen.cpr = "010190-4821"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane, text = await _section_text(app, pilot, plan.id, "master")
        assert "010190-••••" in text
        assert "4821" not in text
        # focusing and editing the field does not reveal it
        pane.query_one(CprInput).focus()
        await pilot.press("end")
        await pilot.pause()
        assert "4821" not in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "010190-4821" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "4821" not in screen_text(app)
        # revealed, then leaving the field hides it again
        await pilot.press("ctrl+r", "tab")
        await pilot.pause()
        assert app.focused.id == "citizen-address"
        assert "4821" not in screen_text(app)
        # the button works too, and the Markdown invitation never contains the number
        await pilot.click("#cpr-reveal")
        await pilot.pause()
        assert "010190-4821" in screen_text(app)
        await pilot.press("alt+5")
        await pilot.pause()
        assert "4821" not in screen_text(app)
        assert "4821" not in pane.preview_source
        pane.show_section("master")
        await pilot.pause()
        assert "4821" not in screen_text(app)


async def test_cpr_typed_is_checked_and_stored_tidy(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.query_one(CprInput).focus()
        await pilot.press(*"3201904821")  # typed over the selected old number
        await pilot.pause()
        assert "gyldig fødselsdato" in screen_text(app)
        assert "4821" not in screen_text(app)
        assert app.plan.citizen.cpr == "010190-0000"  # the model keeps its last valid value
        assert pane.query_one(CprInput).value == "3201904821"  # and the field what was typed
        await pilot.press("ctrl+shift+a", *"1502034821", "tab")
        await pilot.pause()
        assert pane.query_one(CprInput).value == "150203-4821"  # tidied when leaving the field
        assert "150203-••••" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.citizen.cpr == "150203-4821"


async def test_master_data_saved(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.focus_first()
        await pilot.pause()
        assert app.focused.id == "citizen-name"
        await pilot.press("tab", "tab", *"Ringstedgade 1, 4700 Næstved", "tab", *"40506070", "tab",
                          *"mikkel@", "tab")
        await pilot.pause()
        assert "ét @" not in screen_text(app)
        assert "Domænet efter @" in screen_text(app)
        await pilot.press("shift+tab", "end", *"eksempel.dk", "tab", *"Dr. Jensen, Axeltorv", "tab", *"Bor alene")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    c = stored.citizen
    assert (c.address, c.phone, c.email, c.general_practitioner, c.notes) == (
        "Ringstedgade 1, 4700 Næstved", "+45 40 50 60 70", "mikkel@eksempel.dk", "Dr. Jensen, Axeltorv", "Bor alene"
    )


async def test_tab_from_the_cpr_number_goes_on_to_the_address(tmp_path):
    """The show/hide button beside the CPR number is not in the Tab order (Ctrl+R and the
    mouse reach it): a review typed the address after a Tab from the CPR number and it went
    into the button, the phone number into the address."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.focus_first()
        await pilot.press("tab", *"0101901234", "tab", *"Østergade 12, 4000 Roskilde", "tab", *"22334455", "tab")
        await pilot.pause()
        assert app.focused.id == "citizen-email"
        stored = await saved_plan(app, vault, plan.id)
    c = stored.citizen
    assert (c.cpr, c.address, c.phone) == ("010190-1234", "Østergade 12, 4000 Roskilde", "+45 22 33 44 55")


async def test_no_button_in_the_tab_order_of_the_forms(tmp_path):
    """Tab through all of F2, master data to the invitation, stops only on fields: every
    button has its key (written on it) and takes a click, so nothing typed after a Tab is
    swallowed by a button between two fields."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.focus_first()
        visited = []
        for _ in range(60):
            visited.append(app.focused)
            await pilot.press("tab")
            await pilot.pause()
            if app.focused is visited[0] or app.focused.id == "prepare-nav":
                break
        sections = {name for name in SECTIONS for w in visited if pane.query_one(f"#section-{name}") in w.ancestors}
        assert sections == set(SECTIONS)
        assert [w.id for w in visited if isinstance(w, Button)] == []
        assert not [b.id for b in pane.query(Button) if b.focusable]
        # the consent's scope: A chooses everyone, F no one
        pane.show_section("consent")
        pane.query_one("#consent-scope", SelectionList).focus()
        await pilot.press("a")
        await pilot.pause()
        assert app.plan.consent.scope_contacts == [c.id for c in plan.contacts]
        await pilot.press("f")
        await pilot.pause()
        assert app.plan.consent.scope_contacts == []


# ---------------------------------------------------------------------------- consent


async def test_consent_scope_and_withdrawal_saved(tmp_path):
    app, plan, vault = make_app(tmp_path)
    lone, anders = by_name(plan, "Lone"), by_name(plan, "Anders")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        await pilot.press("alt+2")
        await pilot.pause()
        assert "dækker 0 af 4" in screen_text(app)
        scope = pane.query_one("#consent-scope", SelectionList)
        scope.focus()
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert "dækker 2 af 4" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
        assert stored.consent.scope_contacts == [lone, anders]
        # withdrawn before it was given: refused, the date stays in the field
        withdrawn = pane.query_one("#consent-withdrawn", Input)
        withdrawn.focus()
        await pilot.press(*"15.10.2026")
        await pilot.pause()
        assert "trukket tilbage, før det blev givet" in screen_text(app)
        assert app.plan.consent.withdrawn_on is None
        await pilot.press("ctrl+shift+a", *"05.12.2026")
        await pilot.pause()
        text = screen_text(app)
        assert "Samtykket blev trukket tilbage 05.12.2026" in text
        stored = await saved_plan(app, vault, plan.id)
    assert stored.consent.withdrawn_on == date(2026, 12, 5)
    assert not stored.consent.active
    assert stored.consent.scope_contacts == [lone, anders]


async def test_consent_missing_is_shown_and_given_today(tmp_path):
    plan = sample_plan()
    plan.consent.given = False
    plan.consent.given_on = None
    plan.consent.how = ""
    app, plan, vault = make_app(tmp_path, plan, FakeClock(datetime(2026, 11, 20, 9, 30)))
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        assert "mangler" in screen_text(app)  # the index says so in every section
        pane.show_section("consent", focus="first")
        await pilot.pause()
        assert "Der er ikke registreret samtykke" in screen_text(app)
        assert app.focused.id == "consent-given"
        await pilot.press("space", "tab", "tab", "enter")  # given; date; how: open the list
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Mundtligt
        await pilot.pause()
        assert "Samtykke givet 20.11.2026 (Mundtligt)" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.consent.given and stored.consent.given_on == date(2026, 11, 20)
    assert stored.consent.how == "mundtligt"


async def test_one_person_is_one_person(tmp_path):
    """The index and the consent say '1 person', not '1 personer'."""
    plan = sample_plan()
    plan.contacts = plan.contacts[:1]
    plan.consent.scope_contacts = [plan.contacts[0].id]
    for m in plan.meetings:
        m.attendance = [a for a in m.attendance if a.contact_id == plan.contacts[0].id]
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        _, text = await _section_text(app, pilot, plan.id, "consent")
        assert "1 personer" not in text and re.search(r"\b1 person\b", text)
        assert "dækker 1 af 1 person i netværket." in text


# ---------------------------------------------------------------------------- wishes


async def test_wishes_saved(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(app, pilot, plan.id, PreparePane)
        await pilot.press("alt+4")
        await pilot.pause()
        assert app.focused.id == "wish-feel-safe"
        await pilot.press(*"At min mor er med", "tab", *"Kun lidt", "tab", *"Efter 30 min", "tab",
                          *"Kun første halvdel", "tab", "space", "tab", *"Ingen")
        await pilot.pause()
        assert "deltager virtuelt" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    w = stored.wishes
    assert (w.feel_safe, w.how_much_to_say, w.breaks, w.part_of_meeting, w.virtual, w.other) == (
        "At min mor er med", "Kun lidt", "Efter 30 min", "Kun første halvdel", True, "Ingen"
    )


async def test_a_section_is_built_when_first_shown_and_takes_keys_at_once(tmp_path):
    """Only the first section is built with the tab (all five were 155 widgets); another one
    is built when first shown, filled from the plan as it is then, and a key typed right
    after the switch reaches its first field."""

    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        assert [name for name in SECTIONS if pane.built(name)] == ["master"]
        assert not pane.query("#wish-feel-safe") and not pane.query(ContactTable)
        # changed while the section was not built: it reads the plan when it is
        app.plan.wishes.other = "Kaffe i pausen"
        app.plan_changed()
        await pilot.pause()
        # the switch and the typing in one go, no pause between them
        await pilot.press("alt+4", *"Min mor")
        assert pane.built("wishes") and app.focused.id == "wish-feel-safe"
        assert pane.query_one("#wish-feel-safe", TextArea).text == "Min mor"
        assert pane.query_one("#wish-other", TextArea).text == "Kaffe i pausen"
        assert [name for name in SECTIONS if pane.built(name)] == ["master", "wishes"]
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    assert (stored.wishes.feel_safe, stored.wishes.other) == ("Min mor", "Kaffe i pausen")


# ---------------------------------------------------------------------------- invitation


async def test_a_cancelled_preview_update_does_not_stop_the_meeting_screen(tmp_path, monkeypatch):
    """Found in tmux: Alt+↓ pressed quickly into the invitation section froze the app for
    good, Ctrl+Q included. The screen ran the preview's first rendering as a callback and
    waited on the Markdown widget's update it returned; that update was cancelled, and the
    CancelledError ended the meeting screen's message loop. Here the update is cancelled on
    purpose, by the preview and by the typing timer's path: the screen still answers keys."""
    import asyncio
    import contextlib

    from textual.await_complete import AwaitComplete

    from screens.meeting import MeetingScreen

    updates: list[asyncio.Future] = []
    handed_out: list[AwaitComplete] = []
    real_update = InvitationPreview.update

    def never_finishing_update(self, markdown):
        if not markdown:  # the widget's own first (empty) update, when it is mounted
            return real_update(self, markdown)
        waiting = asyncio.ensure_future(asyncio.sleep(3600))
        updates.append(waiting)
        handed_out.append(AwaitComplete(waiting))
        return handed_out[-1]

    monkeypatch.setattr(InvitationPreview, "update", never_finishing_update)
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="prepare")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        pane = screen.query_one(PreparePane)
        pane.show_section("invitation")  # as Alt+↓ does; built now, its preview rendered once shown

        async def answers() -> bool:
            """Whether the screen still handles what it is sent (not pilot.pause(), which
            would wait for ever on a screen that has stopped)."""
            done = asyncio.Event()
            screen.call_later(done.set)
            try:
                await asyncio.wait_for(done.wait(), 3)
            except asyncio.TimeoutError:
                return False
            return True

        for _ in range(60):  # until the preview has asked for its update (a ceiling, not a timing)
            if updates:
                break
            await asyncio.sleep(0.05)
        assert pane.section == "invitation" and len(updates) == 1
        answered = await answers()  # it does not wait on the preview's update
        updates[0].cancel()
        assert answered
        assert await answers()
        await pilot.pause()
        # typing: the timer renders once the pause is long enough; cancelled again
        pane.query_one("#inv-reason", TextArea).focus()
        await pilot.press(*"Bolig")
        clock.advance(1)
        for _ in range(50):  # until the timer has rendered (a ceiling, not a timing)
            if len(updates) == 2:
                break
            await asyncio.sleep(0.05)
        assert len(updates) == 2
        updates[1].cancel()
        assert await answers()
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is screen and screen.active_tab == "agenda"
        assert screen.is_running
        for update in handed_out:  # collected here, so asyncio does not report them unread
            with contextlib.suppress(asyncio.CancelledError):
                await update


async def test_invitation_preview_updates_after_a_pause(tmp_path):
    clock = FakeClock()
    app, plan, vault = make_app(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        await pilot.press("alt+5")
        await pilot.pause()
        if pane.preview_update is not None:
            await pane.preview_update
        assert "Mødelokale 2" in pane.preview_source
        reason = pane.query_one("#inv-reason", TextArea)
        reason.focus()
        await pilot.press(*"Borger ønsker hjælp til bolig")
        await pilot.pause()
        assert app.plan.meetings[0].invitation.reason == "Borger ønsker hjælp til bolig"
        # still typing (no time has passed): the preview waits
        assert pane.tick_preview() is None
        assert "hjælp til bolig" not in screen_text(app)
        clock.advance(0.5)
        pane.tick_preview()
        await pane.preview_update
        await pilot.pause()
        assert "hjælp til bolig" in pane.preview_source
        assert "Borger ønsker hjælp til bolig" in screen_text(app)
        # date and time: refused when malformed, saved when right, shown in the preview
        starts = pane.query_one("#meeting-starts", Input)
        starts.focus()
        await pilot.press("ctrl+shift+a", *"30.11.2026")
        await pilot.pause()
        assert "dd.mm.åååå tt:mm" in screen_text(app)
        assert app.plan.meetings[0].starts_at == datetime(2026, 11, 23, 10, 0)
        await pilot.press(*" 13:30")
        await pilot.pause()
        clock.advance(1)
        pane.tick_preview()
        await pane.preview_update
        await pilot.pause()
        assert "30.11.2026" in screen_text(app)
        stored = await saved_plan(app, vault, plan.id)
    assert stored.meetings[0].starts_at == datetime(2026, 11, 30, 13, 30)
    assert stored.meetings[0].invitation.reason == "Borger ønsker hjælp til bolig"


async def test_preview_never_follows_links(tmp_path, monkeypatch):
    plan = sample_plan()
    m = plan.meetings[0]
    m.video_link = "https://evil.example/meet"
    m.invitation.reason = "[klik her](https://evil.example) <a href='x'>x</a> ![b](http://x/b.png)"
    app, plan, vault = make_app(tmp_path, plan)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.show_section("invitation")
        await pilot.pause()
        await pane.preview_update
        await pilot.pause()
        tokens = MarkdownIt("js-default").parse(pane.preview_source)
        kinds = {child.type for tok in tokens for child in (tok.children or [])}
        assert not kinds & {"link_open", "image", "html_inline"}
        assert "[klik her](https://evil.example)" in screen_text(app)
        preview = pane.query_one(InvitationPreview)
        preview.post_message(Markdown.LinkClicked(preview, "https://evil.example"))
        await pilot.pause()
        assert opened == []
        assert app.is_running


# ---------------------------------------------------------------------------- text is data


async def test_hostile_strings_shown_literally(tmp_path):
    plan = sample_plan()
    from kiptui.model import Contact

    plan.citizen.name = "[TODO] Mikkel [/b]"
    plan.add_contact(Contact(name="\x1b[31mRød\u202e [/b]", sector=Sector.OTHER, organisation="[TODO] ring",
                             role="\x1b]52;c;aGVq\x07Rolle"))
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*HOSTILE, "tab", "tab")
        await _pick_sector_municipality(pilot)
        await pilot.press("tab", *"[b]fed[/b]", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert HOSTILE in text
        assert "[b]fed[/b]" in text
        assert "[TODO] ring" in text
        assert "Rød [/b]" in text
        assert "\x1b" not in text and "\u202e" not in text and "aGVq" not in text
        # clicking the row fires nothing
        await pilot.click(ContactTable, offset=(3, 6))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        # the same names in the consent list and the invitation preview
        await pilot.press("escape")
        await pilot.pause()
        pane.show_section("consent")
        await pilot.pause()
        assert HOSTILE in screen_text(app)
        pane.show_section("invitation")
        await pilot.pause()
        await pane.preview_update
        await pilot.pause()
        assert "Borger: [TODO] Mikkel [/b]" in screen_text(app)
        assert md_inline(HOSTILE) in pane.preview_source  # escaped: text, not Markdown
        tokens = MarkdownIt("js-default").parse(pane.preview_source)
        assert not {c.type for tok in tokens for c in (tok.children or [])} & {"link_open", "html_inline"}
        assert app.is_running
        stored = await saved_plan(app, vault, plan.id)
    assert stored.contacts[-1].name == HOSTILE
    assert stored.contacts[-1].organisation == "[b]fed[/b]"


# ---------------------------------------------------------------------------- moving around


async def test_sections_by_keys_and_tab(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        pane.focus_first()
        await pilot.pause()
        assert pane.section == "master"
        # Tab past the last field of a section goes on into the next one
        pane.query_one("#citizen-notes", TextArea).focus()
        await pilot.press("tab")
        await pilot.pause()
        assert pane.section == "consent"
        assert app.focused.id == "consent-given"
        await pilot.press("alt+down")
        await pilot.pause()
        assert pane.section == "network" and isinstance(app.focused, ContactTable)
        await pilot.press("alt+up", "alt+up")
        await pilot.pause()
        assert pane.section == "master"
        # the index: arrows show a section, Enter goes into it
        nav = pane.query_one("#prepare-nav")
        nav.focus()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert pane.section == "wishes"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "wish-feel-safe"
        # hidden sections are not in the focus chain, nor the containers
        chain = [w for w in app.screen.focus_chain if pane in w.ancestors_with_self]
        assert chain[0] is nav
        assert all(pane.query_one("#section-wishes") in w.ancestors for w in chain[1:])


async def test_refresh_does_not_disturb_typing(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        name = pane.query_one("#citizen-name", Input)
        name.focus()
        await pilot.press("end", *" Jr")
        app.plan.citizen.address = "Ny adresse fra et andet skærmbillede"
        app.plan.citizen.name = "Overskrevet"
        pane.refresh_from_plan()
        await pilot.pause()
        assert name.value == "Mikkel Sørensen Jr"
        assert pane.query_one("#citizen-address", Input).value == "Ny adresse fra et andet skærmbillede"


async def test_english_and_every_string_translated(tmp_path):
    source = Path(__file__).parents[2] / "screens" / "prepare.py"
    table = json.loads((Path(__file__).parents[2] / "data" / "strings" / "prepare.json").read_text("utf-8"))
    keys = set(re.findall(r'"((?:prepare|validate)\.[a-z_.]+)"', source.read_text("utf-8")))
    keys |= {f"prepare.{s}.{part}" for s in SECTIONS for part in ("title", "hint")}
    keys |= {f"prepare.nav.{s}" for s in SECTIONS}
    keys |= {f"prepare.network.col_{c}" for c in ("name", "sector", "organisation", "role", "email", "phone")}
    keys |= {"prepare.consent.how_skriftligt", "prepare.consent.how_mundtligt", "help.prepare"}
    for key in keys:
        assert key in table, key
        assert table[key]["da"] and table[key]["en"], key
    app, plan, vault = make_app(tmp_path, lang="en")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_pane(app, pilot, plan.id, PreparePane)
            await pilot.pause()
            text = screen_text(app)
            assert "Master data" in text and "GP (own doctor)" in text and "Next section" in text
    finally:
        set_language("da")


async def test_usable_at_80x24(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_pane(app, pilot, plan.id, PreparePane)
        assert pane.has_class("-narrow")
        await _to_network(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        save = app.screen.query_one("#contact-save")
        assert save.region.bottom <= 24 and save.region.height > 0  # the Save button is on screen
        await pilot.press(*"Eva Berg", "tab", "tab")
        await _pick_sector_municipality(pilot)
        await pilot.click("#contact-save")
        await pilot.pause()
        assert app.plan.contacts[-1].name == "Eva Berg"


INVITATION_FIELDS = ["meeting-starts", "meeting-place", "meeting-video", "inv-purpose", "inv-reason",
                     "inv-situation", "inv-bring"]


def _row_in_view(section, field):
    """Whether the field's form row (label, field, error line) is all in the section's view,
    by the scroll offset as it is now (also before the screen has been painted again)."""
    row = next(a for a in field.ancestors if a.has_class("field-row"))
    top, bottom = row.virtual_region.y, row.virtual_region.bottom  # in the section's scrolled space
    return section.scroll_y <= top and bottom <= section.scroll_y + section.scrollable_content_region.height


async def test_the_invitation_form_at_80x24_shows_the_field_typed_in(tmp_path):
    """At 80x24 the invitation form has room for more than one field, and Tab and Shift+Tab
    scroll the field they go to, with its label, into view at once: a review saw one 3-row
    field at a time, the scroll a step behind the focus, and typed the reason for the meeting
    into Videolink, which was out of view."""
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id, tab="prepare")
        await pilot.pause()
        await pilot.press("alt+5")
        await pilot.pause()
        pane = app.screen.query_one(PreparePane)
        section = pane.query_one("#section-invitation .section-body")
        assert app.focused.id == "meeting-starts"
        for key, expected in [("tab", name) for name in INVITATION_FIELDS[1:]] + [
            ("shift+tab", name) for name in reversed(INVITATION_FIELDS[:-1])
        ]:
            await pilot.press(key)
            assert app.focused.id == expected
            assert _row_in_view(section, app.focused), expected
            shown = [f for f in INVITATION_FIELDS if _row_in_view(section, pane.query_one(f"#{f}"))]
            assert len(shown) >= 2, (expected, shown)
        # at once: the view has moved when the focus has, not a frame or an animation later
        for action in [pane.action_tab_forward] * 6 + [pane.action_tab_backward] * 6:
            action()
            assert _row_in_view(section, app.focused), app.focused.id
        # and what is typed right after the Tabs is where it is seen
        await pilot.press("tab", "tab", "tab", "tab", *"Borger ønsker et fælles overblik")
        await pilot.pause()
        assert app.focused.id == "inv-reason" and _row_in_view(section, app.focused)
        assert app.meeting.invitation.reason.endswith("Borger ønsker et fælles overblik")
        assert app.meeting.video_link == ""


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_every_placeholder_fits_its_field_at_80_columns(tmp_path, lang):
    """The example in an empty field is read whole at 80x24, in F2's five sections and in
    F6's quick row (a review read 'fx en kort pause efter' for the breaks)."""
    plan = sample_plan()
    plan.citizen.cpr = ""
    app, plan, vault = make_app(tmp_path, plan, lang=lang)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_plan(plan.id, tab="prepare")
            await pilot.pause()
            pane = app.screen.query_one(PreparePane)
            fields = []
            for name in SECTIONS:
                pane.show_section(name)
                await pilot.pause()
                fields += [(f.id, f.placeholder, f.content_region.width) for f in pane.query(f"#section-{name} Input")]
            await pilot.press("f6")
            await pilot.pause()
            fields += [(f.id, f.placeholder, f.content_region.width) for f in app.screen.query("#agr-quick Input")]
    finally:
        set_language("da")
    assert len(fields) > 10
    assert [(fid, text) for fid, text, room in fields if len(text) > room] == []


async def test_in_the_meeting_screen(tmp_path):
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id, tab="agenda")
        await pilot.pause()
        assert not app.screen.query(PreparePane)  # a tab not yet shown is not built yet
        await pilot.press("f2", "f3")  # built, then hidden
        await pilot.pause()
        pane = app.screen.query_one(PreparePane)
        # a change made while the pane is hidden is there when F2 shows it
        app.plan.citizen.name = "Mikkel S. Sørensen"
        app.plan_changed()
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused.id == "citizen-name"
        assert pane.query_one("#citizen-name", Input).value == "Mikkel S. Sørensen"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "010190-0000" in screen_text(app)
        # leaving the screen hides the number again
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert "010190-0000" not in screen_text(app)
        assert "010190-••••" in screen_text(app)
        # the pane's own commands are in the palette
        commands = {label: callback for label, _, callback in app.palette_commands()}
        commands[t("prepare.cmd.add_contact")]()
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        assert pane.section == "network"
