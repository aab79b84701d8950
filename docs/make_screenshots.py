"""Make the README's screenshots (SVG) from the demo plan, mid-meeting, at 120x36.

Run: python docs/make_screenshots.py   → docs/screenshots/*.svg
The people are the demo plan's fictional ones; the clock is fixed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiptui.model import CITIZEN_ID, AttendanceMode, AttendanceStatus  # noqa: E402
from kiptui.planjson import load_plan_file  # noqa: E402
from kiptui.resources import data_path  # noqa: E402
from kiptui.vault import Vault  # noqa: E402
from tests.ui.harness import PASSPHRASE, FakeClock  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (120, 36)
NOW = datetime(2026, 12, 1, 13, 32)


def meeting_in_progress():
    plan = load_plan_file(data_path("demo-plan.json"))
    m = plan.meetings[1]
    by_first = {c.name.split()[0]: c.id for c in plan.contacts}
    for a in m.attendance:
        a.status = AttendanceStatus.PRESENT
    m.attendance_for(by_first["Henrik"]).status = AttendanceStatus.APOLOGIES
    m.attendance_for(by_first["Henrik"]).written_input = "Blodprøverne er fine. Jonas er velkommen til en samtale om søvn."
    m.attendance_for(by_first["Peter"]).mode = AttendanceMode.VIRTUAL
    m.set_chair(by_first["Karsten"])
    m.set_referent(by_first["Mette"])
    start = datetime(2026, 12, 1, 13, 0)
    minutes = 0
    for item in m.agenda[:5]:
        m.start_item(item.id, start.replace(minute=minutes))
        minutes += item.planned_minutes
    m.start_item(m.agenda[4].id, datetime(2026, 12, 1, 13, 20))
    m.build_round()
    m.round_entry(CITIZEN_ID).text = (
        "Jonas fortæller, at han sover bedre, efter han er skåret ned på hash om aftenen.\n"
        "Han er glad for cykelværkstedet og vil gerne have flere timer."
    )
    m.round_entry(by_first["Lene"]).text = "Lene oplever, at Jonas er mere rolig og kommer oftere forbi."
    m.current_speaker = by_first["Lene"]
    plan.add_agreement("Undersøge flere timer i cykelværkstedet", by_first["Peter"],
                       datetime(2026, 12, 15).date(), m.id, NOW)
    return plan


async def shoot() -> None:
    from screens.app import KiptuiApp
    from screens.follow import FollowApp

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "v", PASSPHRASE)
        plan = meeting_in_progress()
        vault.add_plan(plan, NOW)
        app = KiptuiApp(Path(tmp) / "v", vault=vault, clock=FakeClock(NOW))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.save_screenshot(filename="plans.svg", path=str(OUT))
            app.open_plan(plan.id)
            await pilot.pause()
            for key, name in (("f2", "prepare"), ("f3", "agenda"), ("f4", "participants"),
                              ("f5", "situation_round"), ("f6", "agreements"), ("f7", "closing")):
                await pilot.press(key)
                await pilot.pause()
                await pilot.pause()
                app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
            app.close_plan()
        follow = FollowApp(Path(tmp) / "v", plan.id, vault=Vault.unlock(Path(tmp) / "v", PASSPHRASE),
                           projector=True, clock=FakeClock(NOW))
        async with follow.run_test(size=SIZE) as pilot:
            for _ in range(20):
                await pilot.pause(0.05)
            follow.save_screenshot(filename="follow_projector.svg", path=str(OUT))


if __name__ == "__main__":
    asyncio.run(shoot())
    print(f"screenshots in {OUT}")
