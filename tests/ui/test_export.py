"""Export from the app (F12): the minutes as a 0600 HTML file, logged with its purpose; the
whole plan as an encrypted bundle, its passphrase shown once."""

from __future__ import annotations

import os
import stat

from textual.widgets import Input, Select, Static

from kiptui.bundle import open_bundle
from screens.export import ExportModal
from tests.ui.harness import SIZE, make_app, sample_plan, screen_text


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


async def choose_bundle(app, pilot, modal: ExportModal) -> None:
    modal.query_one("#kind-bundle").value = True
    await pilot.pause()


async def bundle_written(app, pilot, modal: ExportModal) -> None:
    """Write, then wait for the worker (save, scrypt in a thread, write, log)."""
    modal.write()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_whole_plan_as_an_encrypted_bundle_with_the_passphrase_shown_once(tmp_path, monkeypatch):
    """An IT-security officer's expectation: the plan leaves the app encrypted, not only as
    plaintext. The bundle is the plan as saved (an edit just made is in it, and the version
    it names), its passphrase is shown once and is nowhere on disk, and the access log has
    the bundle with its purpose and its recipients."""
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        app.plan.citizen.notes = "Skrevet lige før eksporten"  # not saved yet
        app.dirty = True
        await choose_bundle(app, pilot, modal)
        shown = screen_text(app)
        assert "UKRYPTERET" not in shown and "vises her én gang" in shown
        assert not modal.query_one("#export-format").display
        path = modal.query_one("#export-path", Input).value
        assert path.endswith(".kipbundle") and "Mikkel" not in path
        modal.query_one("#export-purpose-text", Input).value = "til netværket efter mødet"
        await bundle_written(app, pilot, modal)
        assert isinstance(app.screen, ExportModal)  # it stays up: the passphrase is read off it
        passphrase = str(modal.query_one("#export-passphrase", Static).visual)
        shown = screen_text(app)
        assert passphrase and passphrase in shown
        assert "lone.hansen@eksempel.dk" in shown and "Birgitte Sørensen" in shown  # no e-mail
        saved_version = app.plan.version
        await pilot.press("enter")  # Luk has the focus
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    written = tmp_path / os.path.basename(path)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    data = written.read_bytes()
    assert data.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert b"Mikkel" not in data and b"Skrevet" not in data
    content = open_bundle(data, passphrase)
    assert content.plan.citizen.name == "Mikkel Sørensen"
    assert content.plan.citizen.notes == "Skrevet lige før eksporten"
    assert content.plan.version == saved_version
    [entry] = [e for e in vault.access_log.entries(plan.id) if e.action == "bundle"]
    assert entry.purpose == "secure_mail" and entry.purpose_text == "til netværket efter mødet"
    assert "Lone Hansen" in entry.detail and passphrase not in entry.detail
    for f in (tmp_path / "vault").rglob("*"):  # the passphrase is stored nowhere
        if f.is_file():
            assert passphrase.encode() not in f.read_bytes()


async def test_a_bundle_without_consent_says_so_before_it_is_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = sample_plan()
    plan.consent.given = False
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        await choose_bundle(app, pilot, modal)
        assert "Samtykke: " in screen_text(app)


async def test_a_bundle_that_cannot_be_written_says_why_and_the_dialog_stays(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        await choose_bundle(app, pilot, modal)
        modal.query_one("#export-path", Input).value = str(tmp_path / "findes-ikke" / "plan.kipbundle")
        await bundle_written(app, pilot, modal)
        assert isinstance(app.screen, ExportModal)
        assert "Kan ikke skrive" in screen_text(app) or "findes-ikke" in screen_text(app)
        assert not modal.query_one("#export-write").disabled
        assert modal.query_one("#export-result").display is False


async def test_closing_the_dialog_while_the_bundle_is_encrypted_writes_and_logs_nothing(tmp_path, monkeypatch):
    import threading

    import kiptui.bundle

    monkeypatch.chdir(tmp_path)
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    real = kiptui.bundle.export_bundle

    def slow_export(plan, passphrase, **kwargs):  # holds the encryption until the test says
        started.set()
        release.wait(10)
        try:
            return real(plan, passphrase, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(kiptui.bundle, "export_bundle", slow_export)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        await choose_bundle(app, pilot, modal)
        path = modal.query_one("#export-path", Input).value
        modal.write()
        for _ in range(200):  # until the encryption has begun (a ceiling, not a wait)
            if started.is_set():
                break
            await pilot.pause()
        assert started.is_set()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
        release.set()
        assert finished.wait(10)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert not (tmp_path / os.path.basename(path)).exists()
    assert [e for e in vault.access_log.entries(plan.id) if e.action == "bundle"] == []


async def test_an_export_never_writes_over_an_earlier_file_without_asking(tmp_path, monkeypatch):
    """Found by a review: a second bundle the same day went to the same name without a
    question, with a new passphrase; the one already given by phone opened nothing. The
    dialog now suggests a free name, and a name already taken is replaced only on Ja."""
    from screens.modals import Confirm

    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        first = modal.query_one("#export-path", Input).value
        modal.write()
        await pilot.pause()
        modal = await open_export(app, pilot, plan.id)
        second = modal.query_one("#export-path", Input).value
        assert second != first and second.endswith("-2.html")
        (tmp_path / "gammel.html").write_text("tidligere eksport", encoding="utf-8")
        modal.query_one("#export-path", Input).value = str(tmp_path / "gammel.html")
        modal.write()
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "findes allerede" in screen_text(app)
        await pilot.press("enter")  # Nej has the focus
        await pilot.pause()
        assert app.screen is modal
        assert (tmp_path / "gammel.html").read_text(encoding="utf-8") == "tidligere eksport"
        modal.write()
        await pilot.pause()
        await pilot.press("left", "enter")  # ← to Ja
        await pilot.pause()
        assert not isinstance(app.screen, (Confirm, ExportModal))
    assert (tmp_path / "gammel.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.path.exists(first)
