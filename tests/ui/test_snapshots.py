"""Snapshot tests (pytest-textual-snapshot) of every main screen at 120x36 with a fixed clock,
the projector view, and a screen full of hostile strings. Update after an intended change of
the look with `pytest tests/ui/test_snapshots.py --snapshot-update`, and look at the report.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiptui.model import CITIZEN_ID, AttendanceStatus, Contact, Sector
from kiptui.vault import Vault
from screens.app import KiptuiApp
from tests.ui.harness import DEMO_NOW as NOW
from tests.ui.harness import PASSPHRASE, SIZE, FakeClock, meeting_in_progress, sample_plan

HOSTILE = "[@click=app.quit]x[/] [TODO] [/b] \x1b[31mrød\x1b[0m \x1b]52;c;SGVsbG8=\x07 \u202eevil <b>html</b> # md"

_dirs: list[tempfile.TemporaryDirectory[str]] = []


def _vault_with(plan: Any) -> tuple[Path, Vault]:
    tmp = tempfile.TemporaryDirectory()
    _dirs.append(tmp)  # kept until the session ends: the app runs after this returns
    path = Path(tmp.name) / "v"
    vault = Vault.create(path, PASSPHRASE)
    vault.add_plan(plan, NOW)
    return path, vault


def _no_blink(app: Any) -> None:
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


async def _footer_fitted(app: Any, pilot: Any) -> None:
    """The footer leaves out the keys that do not fit after it is laid out (KeyFooter); on a
    loaded machine the screenshot was once taken before that (CI: "f9 Planer" for "f1 Hjælp")."""
    from screens.footer import KeyFooter

    for footer in app.screen.query(KeyFooter):
        footer.fit_keys()
    await pilot.pause()
    await pilot.pause()


def meeting_app(tab: str) -> tuple[KiptuiApp, Any]:
    plan = meeting_in_progress()
    path, vault = _vault_with(plan)
    app = KiptuiApp(path, vault=vault, clock=FakeClock(NOW))

    async def run_before(pilot: Any) -> None:
        if tab != "plans":
            app.open_plan(plan.id, tab=tab)
            await pilot.pause()
            await pilot.pause()
        _no_blink(app)
        await _footer_fitted(app, pilot)

    return app, run_before


@pytest.mark.parametrize("tab", ["plans", "prepare", "agenda", "participants", "round", "agreements", "closing"])
def test_screen(snap_compare: Any, tab: str) -> None:
    app, run_before = meeting_app(tab)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_unlock_screen(snap_compare: Any) -> None:
    path, _vault = _vault_with(sample_plan())
    app = KiptuiApp(path, clock=FakeClock(NOW))

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        _no_blink(app)
        await _footer_fitted(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_projector_view(snap_compare: Any) -> None:
    from screens.follow import FollowApp

    plan = meeting_in_progress()
    path, vault = _vault_with(plan)
    app = FollowApp(path, plan.id, vault=vault, projector=True, clock=FakeClock(NOW))

    async def run_before(pilot: Any) -> None:
        for _ in range(100):  # the first decrypt runs in a worker
            await pilot.pause(0.02)
            if app.loads:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def hostile_plan() -> Any:
    plan = sample_plan()
    plan.citizen.name = "Borger " + HOSTILE
    plan.add_contact(Contact(name=HOSTILE, sector=Sector.MUNICIPALITY, organisation=HOSTILE, role=HOSTILE))
    m = plan.meetings[0]
    for a in m.attendance:
        a.status = AttendanceStatus.PRESENT
    m.build_round()
    for entry in m.situation_round:
        entry.text = HOSTILE + "\n- liste\n```kode```"
    plan.add_agreement(HOSTILE, CITIZEN_ID, None, m.id, datetime(2026, 11, 23, 10, 0))
    m.agenda[0].title = HOSTILE
    return plan


@pytest.mark.parametrize("tab", ["participants", "round", "agreements"])
def test_hostile_strings_shown_literally(snap_compare: Any, tab: str) -> None:
    plan = hostile_plan()
    path, vault = _vault_with(plan)
    app = KiptuiApp(path, vault=vault, clock=FakeClock(datetime(2026, 11, 23, 10, 5)))

    async def run_before(pilot: Any) -> None:
        app.open_plan(plan.id, tab=tab)
        await pilot.pause()
        await pilot.pause()
        _no_blink(app)
        await _footer_fitted(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    assert app.return_value is not None  # exited with the screenshot, not by a hostile quit
