"""Ctrl+G on the closing tab (F7) writes the summary of the plan as it now stands
(kiptui.summary): at a follow-up meeting the agreements that go on from earlier meetings are
in it, not only the new ones."""

from __future__ import annotations

import pytest

from kiptui.summary import generate_summary
from screens.closing import ClosingPane
from screens.widgets import NoteArea
from tests.test_summary import demo_second_meeting
from tests.ui.harness import SIZE, make_app, open_pane


async def test_ctrl_g_summarises_the_plan_as_it_now_stands(tmp_path):
    """Found by a review: at the demo plan's second meeting, with Nadia's agreement continued
    and Karsten's changed on F6, Ctrl+G listed only the new agreement."""
    plan, m = demo_second_meeting()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane)
        app.meeting_id = m.id
        pane.query_one("#summary", NoteArea).focus()
        await pilot.press("ctrl+g")
        await pilot.pause()
        text = pane.query_one("#summary", NoteArea).text
    assert text == generate_summary(plan, m)
    lines = text.splitlines()
    going_on = lines[lines.index("Fortsætter fra tidligere møder:") + 1:lines.index("Mål:") - 1]
    assert [line.split()[1] for line in going_on] == ["Nadia", "Karsten", "Peter", "Jonas"]
    assert going_on[1].endswith("– senest 15.01.2027 (ændret på mødet)")


async def test_f7_says_when_the_summary_is_older_than_the_agreements(tmp_path):
    """Found by a review: summary made with Ctrl+G, an agreement ended on F6, then Ctrl+F
    closed the meeting: the minutes' table said 'Afsluttet: Udført' while the summary listed
    it as going on, and nothing said so. Now F7, its checklist and the closing question say
    the summary was made before the latest changes; the words added by hand stay."""
    from textual.widgets import Static

    from kiptui.model import AgreementOutcome, AgreementStatus
    from screens.modals import Confirm
    from tests.test_summary import NOW

    plan, m = demo_second_meeting()
    stale = "Resuméet er lavet før de seneste ændringer af aftaler eller mål – tryk Ctrl+G for at lave det igen."
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane)
        app.meeting_id = m.id
        summary = pane.query_one("#summary", NoteArea)
        summary.focus()
        await pilot.press("ctrl+g", *" Jonas takkede.")
        await pilot.pause()
        warning = pane.query_one("#summary-stale", Static)
        assert not warning.display
        nadia = next(a for a in pane.plan.agreements if a.what.startswith("Nadia"))
        pane.plan.record_outcome(nadia.id, AgreementOutcome.ENDED, m.id, NOW, end_status=AgreementStatus.DONE)
        app.plan_changed()  # as F6 does
        await pilot.pause()
        assert warning.display and str(warning.render()) == stale
        assert stale in str(pane.query_one("#close-checklist", Static).render())
        assert summary.text.endswith(" Jonas takkede.")  # not rewritten
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and stale in app.screen.detail


async def test_close_check_and_summary_name_the_same_coordinator(tmp_path):
    """Found by a review: at the demo plan's second meeting, nobody chosen on F7, Ctrl+G then
    Ctrl+F: the closing question said 'Mangler: - koordinator' while the summary said
    'Koordinator indtil da: Karsten Friis' (and the chair's view 'Koordinator: Karsten
    Friis'). Karsten, chosen at meeting 1, goes on unless this meeting chooses another: F7's
    list shows him, the check accepts him, the summary says he goes on, and closing writes
    him into the meeting, so the minutes name him too."""
    from textual.widgets import Select, Static

    from kiptui.minutes import render_markdown
    from kiptui.model import MeetingStatus
    from screens.modals import Confirm
    from tests.ui.harness import saved_plan

    plan, m = demo_second_meeting()
    karsten = next(c.id for c in plan.contacts if c.name.startswith("Karsten"))
    terms_before = [(c.contact_id, c.from_date, c.to_date) for c in plan.coordinators]
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(app, pilot, plan.id, ClosingPane)
        await pilot.pause()
        assert app.meeting.coordinator == ""  # nobody chosen at this meeting
        assert pane.query_one("#coordinator", Select).selection == karsten
        assert "Fortsætter, medmindre mødet vælger en anden." in str(pane.query_one("#coordinator-info", Static).render())
        pane.query_one("#summary", NoteArea).focus()
        await pilot.press("ctrl+g")
        await pilot.pause()
        summary = pane.query_one("#summary", NoteArea).text
        assert summary.splitlines()[-1] == (
            "Koordinator indtil da: Karsten Friis (Næstved Kommune, Socialpsykiatrien) – fortsætter")
        assert "koordinator" not in str(pane.query_one("#close-checklist", Static).render())
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "- koordinator" not in app.screen.detail.splitlines()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        stored = await saved_plan(app, vault, plan.id)
    closed = stored.meeting(m.id)
    assert closed.status == MeetingStatus.CLOSED and closed.coordinator == karsten
    # going on is no hand-over: the history is as it was
    assert [(c.contact_id, c.from_date, c.to_date) for c in stored.coordinators] == terms_before
    minutes = render_markdown(stored, closed)
    assert "Karsten Friis" in minutes.split("## Koordinator", 1)[1].split("##", 1)[0]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 36)])
async def test_the_out_of_date_warning_is_seen_with_the_summary(tmp_path, size):
    """Found by a review: at 100x30, F7's warning that the summary is older than the
    agreements sat below the summary box, out of view, while the box was in view. It stands
    above the box now, and the box is kept shorter than the view."""
    from textual.widgets import Static

    from kiptui.model import AgreementOutcome, AgreementStatus
    from tests.test_summary import NOW
    from tests.ui.harness import screen_text

    plan, m = demo_second_meeting()
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=size) as pilot:
        app.open_plan(plan.id, tab="closing")
        await pilot.pause()
        pane = app.screen.query_one(ClosingPane)
        summary = pane.query_one("#summary", NoteArea)
        summary.focus()
        await pilot.press("ctrl+g")
        await pilot.pause()
        # an agreement ended on F6, then back to F7
        await pilot.press("f6")
        await pilot.pause()
        nadia = next(a for a in app.plan.agreements if a.what.startswith("Nadia"))
        app.plan.record_outcome(nadia.id, AgreementOutcome.ENDED, m.id, NOW, end_status=AgreementStatus.DONE)
        app.plan_changed()
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        await pilot.pause()
        warning = pane.query_one("#summary-stale", Static)
        assert warning.display
        assert warning.region.y < summary.region.y  # above the box
        shown = " ".join(screen_text(app).split())
        assert "Resuméet er lavet før de seneste ændringer af aftaler eller mål" in shown
        # and the box below it in view with it (its top border and text)
        assert summary.region.y + 3 < size[1] - 1
