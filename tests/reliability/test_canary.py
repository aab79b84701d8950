"""The plaintext canary: a whole session of the referent's app, from the keyboard (texts pasted), with a citizen
whose name, CPR number, network, words in the round and agreements carry a unique token —
create the vault at the unlock screen, a new plan, contacts, attendance, the round with a
/aftale line, the closing (next meeting, coordinator, summary, approval, closed), lock, unlock,
quit. Then every file under the test's folder is read: the vault, the temp folder (TMPDIR and
tempfile.tempdir point into it), HOME and the XDG folders, the working folder.

The token is nowhere in clear — not in UTF-8, UTF-16 or UTF-32, in any letter case — except in
the explicit plaintext exports made afterwards (json export, minutes as Markdown and HTML),
which must hold it (the scan's own control) and be readable by their owner only. The bundle,
also exported, is encrypted: the token is not in it either.
"""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Select

from kiptui import cli
from kiptui.i18n import set_language
from kiptui.model import CITIZEN_ID, AttendanceStatus, MeetingStatus, Sector
from kiptui.vault import Vault
from screens.app import KiptuiApp
from screens.meeting import MeetingScreen
from screens.plans import PlansScreen
from screens.prepare import ContactModal, CprInput
from screens.unlock import UnlockScreen
from tests.reliability.common import PASS
from tests.ui.harness import SIZE, FakeClock

TOKEN = "Qzx7Wq9K"
NAME = f"Kanariefugl {TOKEN} Østergård"
CPR = "150203-4821"
CONTACT = f"Lone {TOKEN}sen"
RELATIVE = f"Mor {TOKEN}"
EMAIL = f"lone.{TOKEN.lower()}@kommune.example"
ROUND = f"Borgeren {TOKEN} sover bedre"
AGREEMENT = f"Ringe {TOKEN} til lægen"
CANARIES = [NAME, CPR, CPR.replace("-", ""), CONTACT, RELATIVE, EMAIL, ROUND, AGREEMENT, TOKEN]
ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
BUNDLE_PASS = "blomst-kaffe-bjerg-lampe-svale-hest"


def needles() -> list[bytes]:
    out = []
    for text in CANARIES:
        for encoding in ENCODINGS:
            out.append(text.encode(encoding))
            out.append(text.lower().encode(encoding))
    return out


def leaks(data: bytes) -> list[bytes]:
    lowered = data.lower()  # ASCII letters only: finds the token in any case, in any encoding
    return [n for n in needles() if n in data or n in lowered]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Everywhere a process writes on its own, inside tmp_path."""
    for name in ("tmp", "home", "work", "exports"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for xdg in ("DATA", "CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"XDG_{xdg}_HOME", str(tmp_path / "home" / xdg.lower()))
    monkeypatch.chdir(tmp_path / "work")
    set_language("da")
    return tmp_path


async def paste(pilot, text: str) -> None:
    """Text into the focused field as a terminal pastes it (keys one by one cost a tenth of a
    second each in a test; the text takes the same way into the plan)."""
    assert pilot.app.focused is not None
    pilot.app.post_message(events.Paste(text))  # as the driver does: the app hands it on
    await pilot.pause()


async def add_contact(pilot, app, name: str, *, relative: bool = False, org: str = "", role: str = "",
                      email: str = "", phone: str = "") -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, ContactModal)
    await paste(pilot, name)
    if relative:
        await pilot.press("tab", "right", "enter", "tab", "tab")
        await paste(pilot, role)
        await pilot.press("tab", "tab")
        await paste(pilot, phone)
    else:
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Kommune
        await pilot.pause()
        for value in (org, role, email, phone):
            await pilot.press("tab")
            await paste(pilot, value)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)


async def unlock_screen(pilot, app, *, again: bool = False) -> None:
    screen = app.screen
    assert isinstance(screen, UnlockScreen)
    await pilot.click("#passphrase")
    await paste(pilot, PASS)
    await pilot.press("enter")
    if again:
        await paste(pilot, PASS)
        await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def whole_session(vault_path: Path) -> None:
    app = KiptuiApp(vault_path, clock=FakeClock(), autosave_delay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock_screen(pilot, app, again=True)  # a new vault: the passphrase twice
        assert isinstance(app.screen, PlansScreen)
        # a new plan
        await pilot.press("ctrl+n")
        await pilot.pause()
        await paste(pilot, NAME)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        # master data: the CPR number
        app.screen.query_one(CprInput).focus()
        await pilot.pause()
        await paste(pilot, CPR.replace("-", ""))
        await pilot.press("tab")
        # the network
        await pilot.press("alt+3")
        await pilot.pause()
        await add_contact(pilot, app, CONTACT, org="Kommunen", role="Socialrådgiver", email=EMAIL,
                          phone="22 33 44 55")
        await add_contact(pilot, app, RELATIVE, relative=True, role="Mor", phone="44 55 66 77")
        lone = next(c.id for c in app.plan.contacts if c.name == CONTACT)
        # attendance, the chair
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one("#pane-participants").query_one("DataTable").focus()
        await pilot.press("ctrl+home", "t", "down", "t", "down", "t")
        await pilot.press("ctrl+home", "down", "ctrl+e")
        await pilot.pause()
        # the round: the citizen has the floor, a note and an agreement
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await paste(pilot, ROUND)
        await pilot.press("enter")
        await paste(pilot, f"/aftale {AGREEMENT} @Lone 15.01.2027")
        await pilot.press("enter")
        await pilot.pause()
        # the closing
        await pilot.press("f7")
        await pilot.pause()
        closing = app.screen.query_one("#pane-closing")
        closing.query_one("#next-when", Input).focus()
        await pilot.pause()
        await paste(pilot, "01.03.2027 10:00")
        await pilot.press("tab")
        await paste(pilot, f"Hos {TOKEN}")
        closing.query_one("#coordinator", Select).value = lone
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("enter")  # approved
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        # lock, and back again
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock_screen(pilot, app)
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def exports(vault_path: Path, out: Path, plan_id: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIPTUI_VAULT", str(vault_path))
    monkeypatch.setenv("KIPTUI_PASSPHRASE", PASS)
    monkeypatch.setenv("KIPTUI_BUNDLE_PASSPHRASE", BUNDLE_PASS)
    for args in (["json", "export", plan_id, "-o", str(out / "plan.json")],
                 ["minutes", plan_id, "-o", str(out / "referat.md")],
                 ["minutes", plan_id, "--html", "-o", str(out / "referat.html")],
                 ["bundle", "export", plan_id, "--yes", "-o", str(out / "plan.kipbundle")]):
        assert cli.main(args) == 0, capsys.readouterr().err
    capsys.readouterr()


async def test_a_whole_session_leaves_no_plaintext(sandbox: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    vault_path = sandbox / "vault"
    await whole_session(vault_path)

    # the session did store all of it (else the scan below would prove nothing)
    vault = Vault.unlock(vault_path, PASS)
    [summary] = vault.list_plans()
    plan = vault.load_plan(summary.id)
    m = plan.meetings[0]
    assert plan.citizen.name == NAME and plan.citizen.cpr == CPR
    assert [(c.name, c.sector) for c in plan.contacts] == [(CONTACT, Sector.MUNICIPALITY),
                                                           (RELATIVE, Sector.RELATIVE)]
    assert m.attendance_for(CITIZEN_ID).status == AttendanceStatus.PRESENT
    assert m.situation_round[0].text.startswith(ROUND)
    assert [a.what for a in plan.agreements] == [AGREEMENT]
    assert m.status == MeetingStatus.CLOSED and m.approval is not None and TOKEN in m.summary
    assert vault.frozen_plan(plan.id, m.id) is not None

    exports(vault_path, sandbox / "exports", plan.id, monkeypatch, capsys)
    plaintext = {"plan.json", "referat.md", "referat.html"}
    scanned = 0
    for path in sorted(sandbox.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        scanned += 1
        if path.parent == sandbox / "exports" and path.name in plaintext:
            assert TOKEN.encode() in data and NAME.encode() in data, path  # the scan can see it
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            continue
        assert leaks(data) == [], path
    assert scanned > 10 and (sandbox / "exports" / "plan.kipbundle").is_file()
