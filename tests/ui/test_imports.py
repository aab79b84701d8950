"""What the running app loads: a table's headings are our own words, not markup, so Rich's
emoji table (1.6 MiB of Python objects, loaded by its markup parser) is never loaded; and the
vault hashes with `cryptography`, so Python's hashlib (its own OpenSSL binding, 0.75 MiB) is
not loaded to unlock, open a plan and work in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# every screen of the meeting, each section of the preparation, and the dialogs; after each
# step: is Rich's emoji table loaded?
_VISIT_EVERYTHING = """
import asyncio, sys, tempfile
from pathlib import Path
from tests.ui.harness import SIZE, make_app, meeting_in_progress

def loaded():
    return f'{"rich._emoji_codes" in sys.modules} {"hashlib" in sys.modules}'

async def main():
    app, plan, vault = make_app(Path(tempfile.mkdtemp(dir=sys.argv[1])), meeting_in_progress())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        print("plans", loaded())
        app.open_plan(plan.id, tab="prepare")
        await pilot.pause()
        for key in ["alt+down"] * 4 + ["f3", "f4", "f5", "f6", "f7"]:
            await pilot.press(key)
            await pilot.pause()
            print(key, loaded())
        for key in ["f8", "alt+a", "f12", "f10"]:
            await pilot.press(key)
            await pilot.pause()
            print(key, type(app.screen).__name__, loaded())
            await pilot.press("escape")
            await pilot.pause()
asyncio.run(main())
"""


def test_what_the_screens_load(tmp_path):
    """DataTable reads a heading given as a string as markup (Rich's parser, which loads its
    emoji table on first use). Every heading is given as Text: on every screen, after every
    step, the table is not loaded. hashlib is not loaded before the export (the bundle's
    passphrase words are drawn with `secrets`, which imports it)."""
    out = subprocess.run([sys.executable, "-c", _VISIT_EVERYTHING, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    steps = out.stdout.split("\n")
    steps = [line.split() for line in steps if line.strip()]
    assert len(steps) == 14, out.stdout
    # the dialogs did open: the step names the screen it reached
    assert [s[1] for s in steps[-4:]] == ["MeetingPicker", "DeviationsScreen", "ExportModal",
                                          "ReviewScreen"], out.stdout
    assert [s for s in steps if s[-2] != "False"] == [], out.stdout  # the emoji table
    before_export = steps[:steps.index(next(s for s in steps if s[0] == "f12"))]
    assert [s for s in before_export if s[-1] != "False"] == [], out.stdout  # hashlib
