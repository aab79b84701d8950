"""Export from the app (F12): the minutes as a 0600 HTML file, logged with its purpose."""

from __future__ import annotations

import os
import stat

from textual.widgets import Input, Select

from screens.export import ExportModal
from tests.ui.harness import SIZE, make_app, screen_text


async def open_export(app, pilot, plan_id: str) -> ExportModal:
    """Open the plan and its export dialog with F12, as the referent does."""
    app.open_plan(plan_id)
    await pilot.pause()
    await pilot.press("f12")
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, ExportModal)
    return modal


async def test_export_minutes_html_0600_and_logged(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    plan.citizen.name  # noqa: B018
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        assert "UKRYPTERET" in screen_text(app)
        path = modal.query_one("#export-path", Input).value
        assert path.endswith(".html") and "Mikkel" not in path
        modal.query_one("#export-purpose", Select).value = "meeting"
        modal.query_one("#export-purpose-text", Input).value = "til mødedeltagerne"
        modal.write()
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    written = tmp_path / os.path.basename(path)
    assert written.is_file()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    page = written.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Mikkel Sørensen" in page
    [entry] = [e for e in vault.access_log.entries(plan.id) if e.action == "export"]
    assert entry.purpose == "meeting" and entry.purpose_text == "til mødedeltagerne"


async def test_export_invitation_markdown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#kind-invitation").value = True
        modal.query_one("#format-md").value = True
        await pilot.pause()
        path = modal.query_one("#export-path", Input).value
        assert path.endswith(".md") and "invitation" in path
        modal.write()
        await pilot.pause()
    text = (tmp_path / os.path.basename(path)).read_text(encoding="utf-8")
    assert text.startswith("# ")


async def test_in_a_short_terminal_tab_reaches_the_buttons(tmp_path, monkeypatch):
    """Found by a review: at 100x30 the dialog's buttons were below its edge, and Tab did
    not bring them into view. The dialog scrolls; the focused button is on the screen."""
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        modal = await open_export(app, pilot, plan.id)
        write = modal.query_one("#export-write")
        for _ in range(12):  # Tab until the button has the focus (a ceiling, not a count)
            if app.focused is write:
                break
            await pilot.press("tab")
        assert app.focused is write
        await pilot.pause()
        assert "Skriv filen" in screen_text(app)
        assert write.region.bottom <= 30 and write.region.height > 0
