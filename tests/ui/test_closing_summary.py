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
