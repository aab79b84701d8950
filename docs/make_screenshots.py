"""Make the README's screenshots (SVG) from the demo plan, mid-meeting, at 120x36.

Run: python docs/make_screenshots.py   → docs/screenshots/*.svg
The people are the demo plan's fictional ones; the clock is fixed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiptui.vault import Vault  # noqa: E402
from tests.ui.harness import DEMO_NOW as NOW  # noqa: E402
from tests.ui.harness import PASSPHRASE, FakeClock, meeting_in_progress  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (120, 36)


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
