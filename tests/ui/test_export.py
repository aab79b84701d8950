"""Export from the app (F12): the minutes as a 0600 HTML file, logged with its purpose; the
whole plan as an encrypted bundle, its passphrase shown once. Both go by default to a private
folder of their own, not to the working folder."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from kiptui.bundle import open_bundle
from screens.export import ExportModal, PassphraseView
from tests.ui.harness import SIZE, make_app, meeting_in_progress, sample_plan, screen_text


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own, with a documents folder: no test writes in the real
    one (platformdirs finds the documents folder from HOME and XDG_CONFIG_HOME)."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    return home


def exports(home: Path) -> Path:
    """The export folder the dialog suggests."""
    return home / "Documents" / "kiptui-eksport"


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
    written = Path(path)
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
        modal.query_one("#export-purpose", Select).value = "meeting"
        await pilot.pause()
        path = modal.query_one("#export-path", Input).value
        assert path.endswith(".md") and "invitation" in path
        modal.write()
        await pilot.pause()
    text = Path(path).read_text(encoding="utf-8")
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


def passphrase_on_screen(app, passphrase: str) -> str:
    """The passphrase as a person reads it off the screen: the runs of its words (joined by
    hyphens) on each row, row after row, put together. A word split over two rows makes two
    runs that are not words of it, so the passphrase does not come out whole."""
    words = set(passphrase.split("-"))
    # the rows the passphrase is shown on: elsewhere on the dialog, a word of the dialog's own
    # that is also one of the passphrase's (CI: "pakke", as in "krypteret pakke") came in too
    import html

    view = app.screen.query_one("#export-passphrase", PassphraseView).region
    svg = app.export_screenshot()
    rows: dict[int, str] = {}
    for line_no, text in re.findall(r'<text[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>', svg):
        rows[int(line_no)] = rows.get(int(line_no), "") + html.unescape(text).replace("\xa0", " ")
    shown = "\n".join(rows.get(y, "") for y in range(view.y, view.bottom))
    runs = re.findall(r"[a-zæøå]+(?:-[a-zæøå]+)*-?", shown)
    return "".join(run for run in runs if all(w in words for w in run.rstrip("-").split("-")))


def shows(app, text: str) -> bool:
    """`text` is on the screen, wherever the dialog's width wraps it (a path wraps anywhere):
    compared without spaces, line ends and the dialog's edges."""
    return re.sub(r"\s+", "", text) in re.sub(r"[\s█▊▎]+", "", screen_text(app))


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
        passphrase = modal.query_one("#export-passphrase", PassphraseView).passphrase
        shown = screen_text(app)
        assert passphrase and passphrase_on_screen(app, passphrase) == passphrase
        assert "lone.hansen@eksempel.dk" in shown and "Birgitte Sørensen" in shown  # no e-mail
        saved_version = app.plan.version
        await pilot.press("enter")  # Luk has the focus
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    written = Path(path)
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


async def bundle_to_a_missing_folder(app, pilot, plan_id: str, tmp_path: Path) -> ExportModal:
    """F12, a bundle, to a folder that does not exist: the dialog stays."""
    modal = await open_export(app, pilot, plan_id)
    await choose_bundle(app, pilot, modal)
    modal.query_one("#export-path", Input).value = str(tmp_path / "findes-ikke" / "plan.kipbundle")
    await bundle_written(app, pilot, modal)
    assert isinstance(app.screen, ExportModal)
    return modal


async def test_a_bundle_that_cannot_be_written_says_why_and_the_dialog_stays(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await bundle_to_a_missing_folder(app, pilot, plan.id, tmp_path)
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
    assert not Path(path).exists()
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
        modal.query_one("#export-purpose", Select).value = "secure_mail"
        modal.write()
        await pilot.pause()
        modal = await open_export(app, pilot, plan.id)
        second = modal.query_one("#export-path", Input).value
        assert second != first and second.endswith("-2.html")
        modal.query_one("#export-purpose", Select).value = "secure_mail"
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


async def test_exports_go_to_a_private_folder_of_their_own_not_the_working_folder(tmp_path, monkeypatch, home):
    """Found by a user review: the dialog suggested the working folder (a source checkout, or
    for a user maybe a synced folder) for the plaintext minutes and for the bundle. It now
    suggests "kiptui-eksport" in the documents folder, made 0700 when the first file is
    written there (opening the dialog makes nothing); the user can still type any path."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        path = Path(modal.query_one("#export-path", Input).value)
        assert path.parent == exports(home)
        assert not exports(home).exists()  # opening the dialog writes nothing
        await choose_bundle(app, pilot, modal)
        assert Path(modal.query_one("#export-path", Input).value).parent == exports(home)
        modal.query_one("#kind-minutes").value = True
        await pilot.pause()
        modal.query_one("#export-purpose", Select).value = "meeting"
        modal.write()
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    assert stat.S_IMODE(exports(home).stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(checkout.iterdir()) == []
    [entry] = [e for e in vault.access_log.entries(plan.id) if e.action == "export"]
    assert entry.info["path"] == str(path.resolve())


async def test_an_existing_export_folder_is_used_as_it_is(tmp_path, monkeypatch, home):
    """The folder's mode is the user's: an existing folder is never made looser (nor changed)."""
    monkeypatch.chdir(tmp_path)
    exports(home).mkdir()
    os.chmod(exports(home), 0o750)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        await choose_bundle(app, pilot, modal)
        path = Path(modal.query_one("#export-path", Input).value)
        await bundle_written(app, pilot, modal)
    assert path.parent == exports(home) and path.is_file()
    assert stat.S_IMODE(exports(home).stat().st_mode) == 0o750


async def test_without_a_documents_folder_the_export_folder_is_in_the_home_folder_and_it_says_so(
        tmp_path, monkeypatch, home):
    monkeypatch.chdir(tmp_path)
    (home / "Documents").rmdir()
    (home / "Documents").write_text("ikke en mappe", encoding="utf-8")
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        path = Path(modal.query_one("#export-path", Input).value)
        assert path.parent == home / "kiptui-eksport"
        assert shows(app, f"Dokumentmappen {home / 'Documents'} kan ikke bruges")
        modal.query_one("#export-purpose", Select).value = "meeting"
        modal.write()
        await pilot.pause()
    assert path.is_file() and stat.S_IMODE((home / "kiptui-eksport").stat().st_mode) == 0o700


async def test_when_no_export_folder_can_be_made_it_says_so_and_writes_nothing(tmp_path, monkeypatch, home):
    monkeypatch.chdir(tmp_path)
    (home / "Documents").rmdir()
    (home / "Documents").write_text("ikke en mappe", encoding="utf-8")
    (home / "kiptui-eksport").write_text("heller ikke", encoding="utf-8")
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        assert shows(app, f"Eksportmappen {exports(home)} kan ikke oprettes")
        modal.query_one("#export-purpose", Select).value = "meeting"
        modal.write()
        await pilot.pause()
        assert isinstance(app.screen, ExportModal)
        assert shows(app, f"Eksportmappen {exports(home)} kunne ikke oprettes")
        # a path the user types is written
        typed = tmp_path / "referat.html"
        modal.query_one("#export-path", Input).value = str(typed)
        modal.write()
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    assert typed.is_file()
    assert [e.info["path"] for e in vault.access_log.entries(plan.id) if e.action == "export"] == [str(typed)]


async def test_a_plaintext_export_has_the_purpose_the_user_chose_and_none_in_advance(tmp_path, monkeypatch):
    """Found by a user review: "Sikker mail til netværket" was chosen in advance, so the access
    log could hold a purpose nobody gave. A plaintext export now waits for a purpose to be
    chosen; a bundle (made for secure mail) shows that purpose in advance, and it is taken out
    again when the user goes back to a plaintext file. Enter in "Gem som" writes the file."""
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_export(app, pilot, plan.id)
        purpose = modal.query_one("#export-purpose", Select)
        assert purpose.is_blank() and "Vælg formålet" in screen_text(app)
        path = Path(modal.query_one("#export-path", Input).value)
        modal.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ExportModal) and not path.exists()
        assert shows(app, "Vælg formålet med eksporten, før filen skrives")
        assert app.focused is purpose
        await choose_bundle(app, pilot, modal)
        assert purpose.value == "secure_mail" and "Sikker mail til netværket" in screen_text(app)
        modal.query_one("#kind-minutes").value = True
        await pilot.pause()
        assert purpose.is_blank()
        purpose.value = "transfer"  # the user's own choice stays through the kinds
        await pilot.pause()
        await choose_bundle(app, pilot, modal)
        modal.query_one("#kind-minutes").value = True
        await pilot.pause()
        assert purpose.value == "transfer"
        assert not shows(app, "Vælg formålet med eksporten")
        modal.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    assert path.is_file()
    assert [e.purpose for e in vault.access_log.entries(plan.id) if e.action == "export"] == ["transfer"]


# ten of the longest words of the list: joined by hyphens (89 characters) they do not fit one line
LONG_WORDS = "aftensol-akvarium-albatros-ambition-antilope-appelsin-arkitekt-artiskok-asparges-badebold"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_passphrase_is_shown_with_no_word_split_and_copies_as_one_line(tmp_path, monkeypatch, size):
    """Found by a user review: at 120x36 the passphrase, read aloud over the phone and shown
    once, was broken in the middle of a word ("…overgang-trette" / "n"). It is now broken only
    after a hyphen; selected and copied, it is the passphrase as typed."""
    import kiptui.bundle
    from textual.geometry import Offset
    from textual.selection import Selection

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(kiptui.bundle, "generate_passphrase", lambda *a, **k: LONG_WORDS)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        modal = await open_export(app, pilot, plan.id)
        await choose_bundle(app, pilot, modal)
        path = Path(modal.query_one("#export-path", Input).value)
        await bundle_written(app, pilot, modal)
        assert passphrase_on_screen(app, LONG_WORDS) == LONG_WORDS
        view = modal.query_one("#export-passphrase", PassphraseView)
        assert view.region.height > 2 and view.region.bottom <= size[1]
        app.screen.selections = {view: Selection(None, None)}  # all of it, as with the mouse
        assert app.screen.get_selected_text() == LONG_WORDS
        app.screen.selections = {view: Selection(Offset(9, 0), Offset(8, 1))}  # over a line's end
        part = app.screen.get_selected_text()
        assert part and "\n" not in part and part in LONG_WORDS and len(part) > 40
    content = open_bundle(path.read_bytes(), LONG_WORDS)
    assert content.plan.citizen.name == "Mikkel Sørensen"


def on_screen(app, widget) -> bool:
    """The widget is shown whole and nothing covers it: what is at its corners is the widget
    (or a part of it)."""
    region = widget.region
    if not region.height or region.bottom > app.size.height or region.right > app.size.width:
        return False
    for x, y in [(region.x, region.y), (region.right - 1, region.bottom - 1)]:
        at, _ = app.screen.get_widget_at(x, y)
        if at is not widget and widget not in at.ancestors:
            return False
    return True


async def tab_to_the_write_button(app, pilot, modal: ExportModal) -> None:
    """Tab from the top of the form to "Skriv filen": every field on the way is on the
    screen whole when it has the focus, not behind the buttons."""
    write = modal.query_one("#export-write")
    modal.query_one("#export-kind").focus()
    for _ in range(12):  # a ceiling, not a count
        await pilot.press("tab")
        await pilot.pause()
        if app.focused is write:
            return
        assert on_screen(app, app.focused), app.focused
    raise AssertionError("Tab did not reach the write button")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_buttons_are_always_on_the_screen(tmp_path, monkeypatch, size):
    """Found by a user review: in the bundle variant the longer text pushed "Skriv filen" and
    "Annullér" below the dialog's edge at 120x36 (only a scrollbar hinted at them). The
    buttons are a row of their own under the part that scrolls: on the screen for the
    minutes, for the bundle (with its warnings about consent and private notes) and for the
    written bundle's "Luk"."""
    monkeypatch.chdir(tmp_path)
    plan = meeting_in_progress()
    plan.consent.given = False
    plan.meetings[0].agenda[0].private = True
    plan.meetings[0].agenda[0].notes = "Privat note"
    app, plan, vault = make_app(tmp_path, plan)
    async with app.run_test(size=size) as pilot:
        modal = await open_export(app, pilot, plan.id)
        for button in ("#export-write", "#export-cancel"):
            assert on_screen(app, modal.query_one(button)), button
        await tab_to_the_write_button(app, pilot, modal)
        await choose_bundle(app, pilot, modal)
        assert "Samtykke: " in screen_text(app) or size[1] < 30
        for button in ("#export-write", "#export-cancel"):
            assert on_screen(app, modal.query_one(button)), button
        await tab_to_the_write_button(app, pilot, modal)
        await bundle_written(app, pilot, modal)
        assert on_screen(app, modal.query_one("#export-close"))
        assert app.focused is modal.query_one("#export-close")
        assert not modal.query_one("#export-write").display


async def test_f12_minutes_of_a_closed_meeting_carry_the_approval_recorded_after_it(tmp_path):
    """F12's minutes of a closed meeting are the frozen record with the citizen's answer from
    the review afterwards (found by a review: it never reached them), as `kiptui minutes`."""
    from screens.app import KiptuiApp
    from screens.export import export_text
    from tests.test_minutes import closed_then_reviewed
    from tests.ui.harness import FakeClock

    vault, plan, m = closed_then_reviewed(tmp_path)
    app = KiptuiApp(vault.path, vault=vault, clock=FakeClock(), idle_lock_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        app.meeting_id = m.id
        text = export_text(app, "minutes", "md")
        html = export_text(app, "minutes", "html")
    assert "Registreret efter mødet, 20.03.2025 kl. 14:05, telefon, med Karsten Friis" in text
    assert "Jeg vil ikke flytte." in text and "Jeg vil ikke flytte." in html
    assert "Rettet efter mødet." not in text  # still the frozen record


async def test_the_cpr_number_is_in_plain_minutes_only_when_asked_for(tmp_path, monkeypatch):
    """An IT-security review: F12's minutes (a plain file, mailed, to relatives too) carried
    the full CPR number. It is left out unless "Medtag CPR-nummer" is ticked; the invitation
    never had it, and the encrypted bundle is the whole plan."""
    from textual.widgets import Checkbox

    app, plan, vault = make_app(tmp_path)
    assert plan.citizen.cpr
    written = []
    async with app.run_test(size=SIZE) as pilot:
        for tick in (False, True):
            modal = await open_export(app, pilot, plan.id)
            assert modal.query_one("#export-cpr", Checkbox).display
            assert modal.query_one("#export-cpr", Checkbox).value is False  # not in advance
            modal.query_one("#export-cpr", Checkbox).value = tick
            modal.query_one("#export-purpose", Select).value = "meeting"
            written.append(Path(modal.query_one("#export-path", Input).value))
            modal.write()
            await pilot.pause()
            assert not isinstance(app.screen, ExportModal)
    without, with_cpr = (path.read_text(encoding="utf-8") for path in written)
    assert plan.citizen.cpr not in without and "CPR" not in without
    assert plan.citizen.cpr in with_cpr


async def test_private_notes_are_in_plain_minutes_only_when_asked_for(tmp_path):
    """Private notes (kept off the projector) went into every plain copy of the minutes, for
    relatives too. F12 asks, where the meeting has some: left out unless ticked, and the copy
    says a note was left out. A meeting without private notes is not asked about."""
    from textual.widgets import Checkbox

    plan = sample_plan()
    item = plan.meetings[-1].agenda[1]
    item.private, item.notes = True, "Fortroligt: mors helbred"
    app, plan, vault = make_app(tmp_path, plan)
    written = []
    async with app.run_test(size=SIZE) as pilot:
        for tick in (False, True):
            modal = await open_export(app, pilot, plan.id)
            box = modal.query_one("#export-private", Checkbox)
            assert box.display and box.value is False  # not in advance
            box.value = tick
            modal.query_one("#export-purpose", Select).value = "meeting"
            written.append(Path(modal.query_one("#export-path", Input).value))
            modal.write()
            await pilot.pause()
            assert not isinstance(app.screen, ExportModal)
        item = app.plan.meetings[-1].agenda[1]
        item.notes = ""  # nothing private left: nothing to ask
        app.plan_changed()
        app.save_now()
        modal = await open_export(app, pilot, plan.id)
        assert not modal.query_one("#export-private", Checkbox).display
    without, with_private = (path.read_text(encoding="utf-8") for path in written)
    assert "mors helbred" not in without and "ikke med i denne udgave af referatet" in without
    assert "mors helbred" in with_private


def logged(vault, plan_id: str, action: str) -> list:
    return [e for e in vault.access_log.entries(plan_id) if e.action == action]


async def minutes_to_a_missing_folder(app, pilot, plan_id: str, tmp_path: Path) -> ExportModal:
    """F12, the minutes, to a folder that does not exist: the dialog stays."""
    modal = await open_export(app, pilot, plan_id)
    modal.query_one("#export-purpose", Select).value = "meeting"
    modal.query_one("#export-path", Input).value = str(tmp_path / "findes-ikke" / "referat.html")
    modal.write()
    await pilot.pause()
    assert isinstance(app.screen, ExportModal)
    return modal


async def test_a_plaintext_export_that_cannot_be_written_is_not_logged(tmp_path, monkeypatch):
    """Found by an IT-security review: F12 logged the export first, then failed to write it
    (no such folder, a full disk), so the access log, the citizen's record of who took the
    plan out, held an export that never happened. The text is written to a temp file first,
    logged, then given its name: a write that fails logs nothing and leaves nothing."""
    import errno
    import sys

    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await minutes_to_a_missing_folder(app, pilot, plan.id, tmp_path)
        assert "Kan ikke skrive" in screen_text(app) and logged(vault, plan.id, "export") == []
        if sys.platform == "linux":  # the faults find their file in /proc/self/fd
            from tests.reliability.faults import inject

            target = tmp_path / "referat.html"
            modal.query_one("#export-path", Input).value = str(target)
            with inject("fsync", errno.ENOSPC, target.name) as fault:
                modal.write()
                await pilot.pause()
            assert fault.hits and isinstance(app.screen, ExportModal)
            assert logged(vault, plan.id, "export") == [] and list(tmp_path.glob("*referat*")) == []
        modal.query_one("#export-path", Input).value = str(tmp_path / "referat.html")
        modal.write()
        await pilot.pause()
        assert not isinstance(app.screen, ExportModal)
    [entry] = logged(vault, plan.id, "export")
    assert entry.info["path"] == str(tmp_path / "referat.html")


async def test_a_bundle_that_cannot_be_written_is_not_logged(tmp_path, monkeypatch):
    """The same for F12's bundle: it is logged once it is on the disk, before it has its
    name, as `kiptui bundle export` does (the review found F12 logging first)."""
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        modal = await bundle_to_a_missing_folder(app, pilot, plan.id, tmp_path)
        assert "Kan ikke skrive" in screen_text(app) and logged(vault, plan.id, "bundle") == []
        modal.query_one("#export-path", Input).value = str(tmp_path / "plan.kipbundle")
        await bundle_written(app, pilot, modal)
        assert modal.query_one("#export-result").display
    [entry] = logged(vault, plan.id, "bundle")
    assert "plan.kipbundle" in entry.detail and (tmp_path / "plan.kipbundle").is_file()


async def test_why_a_file_cannot_be_written_is_said_in_danish(tmp_path, monkeypatch):
    """Found by an IT-security review: "Kan ikke skrive …: No such file or directory"."""
    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await minutes_to_a_missing_folder(app, pilot, plan.id, tmp_path)
        assert shows(app, "mappen eller filen findes ikke") and "No such file" not in screen_text(app)


async def test_the_dialog_calls_the_bundle_a_pakke_as_everywhere_else(tmp_path, monkeypatch):
    """Found by a review: the dialog's title said "planbundt", everywhere else it is a
    "pakke" ("krypteret pakke")."""
    from kiptui.resources import strings

    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(app, pilot, plan.id)
        assert "Eksportér referat, invitation eller krypteret pakke" in screen_text(app)
    assert [key for key, entry in strings().items() if "bundt" in entry.get("da", "").lower()] == []


async def test_the_bundle_carries_the_cpr_number_only_when_ticked_and_the_log_says_which(tmp_path, monkeypatch):
    """Found by an IT-security review: F12's minutes left the CPR number out unless asked,
    but the bundle (to relatives too) always carried it. "Medtag CPR-nummer" is asked for the
    bundle too, not ticked in advance; the log records for each export whether it went."""
    from textual.widgets import Checkbox

    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    cpr = plan.citizen.cpr
    made = []
    async with app.run_test(size=SIZE) as pilot:
        for tick in (False, True):
            modal = await open_export(app, pilot, plan.id)
            await choose_bundle(app, pilot, modal)
            box = modal.query_one("#export-cpr", Checkbox)
            assert box.display and box.value is False
            box.value = tick
            path = Path(modal.query_one("#export-path", Input).value)
            await bundle_written(app, pilot, modal)
            made.append((path, modal.query_one("#export-passphrase", PassphraseView).passphrase))
            await pilot.press("enter")  # Luk
            await pilot.pause()
        modal = await open_export(app, pilot, plan.id)
        modal.query_one("#kind-invitation").value = True
        await pilot.pause()
        assert not modal.query_one("#export-cpr", Checkbox).display  # the invitation never has it
    (without, first), (with_cpr, second) = made
    content = open_bundle(without.read_bytes(), first)
    assert content.plan.citizen.cpr == "" and cpr not in content.minutes_markdown
    assert open_bundle(with_cpr.read_bytes(), second).plan.citizen.cpr == cpr
    assert [(e.info["cpr"], e.detail.endswith("uden CPR-nummer")) for e in logged(vault, plan.id, "bundle")] == [
        (False, True), (True, False)]


async def test_the_log_says_whether_plain_minutes_carry_the_cpr_number(tmp_path, monkeypatch):
    from textual.widgets import Checkbox

    monkeypatch.chdir(tmp_path)
    app, plan, vault = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for tick in (False, True):
            modal = await open_export(app, pilot, plan.id)
            modal.query_one("#export-cpr", Checkbox).value = tick
            modal.query_one("#export-purpose", Select).value = "meeting"
            modal.write()
            await pilot.pause()
    assert [(e.info["cpr"], e.detail) for e in logged(vault, plan.id, "export")] == [
        (False, "uden CPR-nummer"), (True, "med CPR-nummer")]
