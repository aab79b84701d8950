"""Ctrl+G on the closing tab (F7) writes the summary of the plan as it now stands
(kiptui.summary): at a follow-up meeting the agreements that go on from earlier meetings are
in it, not only the new ones."""

from __future__ import annotations

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
