"""The chair's view (`kiptui follow`): live updates from a writer, read-only by construction,
privacy on screen, hostile text shown literally, the states of the plan file, the projector."""

from __future__ import annotations

import ast
import getpass
import html
import inspect
import os
import re
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Static

import screens.follow as follow_module
from kiptui import crypto
from kiptui.i18n import set_language
from kiptui.model import (
    CITIZEN_ID,
    AttendanceMode,
    AttendanceStatus,
    MeetingStatus,
    Plan,
)
from kiptui.vault import Vault
from screens.app import PROJECTOR_THEME
from screens.follow import ColumnTable, FollowApp, Redactor
from tests.ui.harness import FIXED_NOW, PASSPHRASE, FakeClock, by_name, sample_plan

NOW = datetime(2026, 11, 23, 10, 37, 12)
MANUAL = 3600.0  # a poll interval that never fires: the test drives app.poll() itself

CPR = "121285-4321"
CITIZEN_PHONE = "+45 61 62 63 64"
CITIZEN_EMAIL = "mikkel.privat@eksempel.dk"


@pytest.fixture(autouse=True)
def _danish():
    set_language("da")
    yield
    set_language("da")


def meeting_plan() -> Plan:
    """The sample plan in the middle of its meeting: attendance, round, agreements."""
    plan = sample_plan()
    plan.citizen.cpr = CPR
    plan.citizen.phone = CITIZEN_PHONE
    plan.citizen.email = CITIZEN_EMAIL
    m = plan.meetings[-1]
    lone, anders, birgitte, karim = (by_name(plan, n) for n in ("Lone", "Anders", "Birgitte", "Karim"))
    m.set_chair(lone)
    m.set_referent(anders)
    for cid, status, mode in [
        (CITIZEN_ID, "present", "in_person"), (lone, "present", "in_person"),
        (anders, "present", "in_person"), (birgitte, "present", "virtual"), (karim, "apologies", "in_person"),
    ]:
        a = m.attendance_for(cid)
        a.status, a.mode = AttendanceStatus(status), AttendanceMode(mode)
    t0 = datetime(2026, 11, 23, 10, 0)
    m.start_item(m.agenda[0].id, t0)
    m.start_item(m.agenda[4].id, t0 + timedelta(minutes=24))
    m.build_round()
    m.current_speaker = CITIZEN_ID
    plan.add_agreement("Søge boligstøtte sammen med Mikkel", lone, date(2026, 12, 1), m.id, t0)
    plan.add_agreement("Sende epikrise til egen læge", anders, date(2026, 11, 20), m.id, t0)
    return plan


def new_vault(tmp_path: Path, plan: Plan) -> Vault:
    vault = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.add_plan(plan, FIXED_NOW)
    return vault


def follow_app(tmp_path: Path, plan: Plan, *, poll: float = MANUAL, **kwargs: Any) -> tuple[FollowApp, Vault]:
    vault = new_vault(tmp_path, plan)
    app = FollowApp(tmp_path / "vault", plan.id, vault=vault, clock=kwargs.pop("clock", FakeClock(NOW)),
                    poll_interval=poll, **kwargs)
    return app, vault


def both_modes(tmp_path: Path, plan: Plan) -> list[tuple[bool, FollowApp, Vault]]:
    """The view of `plan` on the chair's own screen and on the projector, each on its own vault."""
    out = []
    for projector in (False, True):
        folder = tmp_path / str(projector)
        folder.mkdir()
        out.append((projector, *follow_app(folder, plan, projector=projector)))
    return out


async def settle(pilot: Any, app: FollowApp, polls: int = 1) -> None:
    """Poll the plan file now (as the timer would), let the decrypting worker finish and the
    view render what it read."""
    for _ in range(polls):
        app.poll()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()


async def wait_for(pilot: Any, condition: Any, timeout: float = 5.0) -> None:
    """Short polls of the running app until `condition()` holds (the real 0.1 s timer)."""
    steps = int(timeout / 0.02)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "the follow view did not catch up in time"


def statics_text(app: FollowApp) -> str:
    """Every text on the follow screen (Statics and the lists), visible or scrolled away."""
    screen = app.follow_screen
    assert screen is not None
    return "\n".join([str(w.content) for w in screen.query(Static)] + [w.plain() for w in screen.query(ColumnTable)])


def status(app: FollowApp) -> str:
    screen = app.follow_screen
    assert screen is not None
    return str(screen.query_one("#follow-status", Static).content)


def vault_files(vault: Vault) -> dict[str, bytes]:
    return {str(p.relative_to(vault.path)): p.read_bytes() for p in sorted(vault.path.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- live


async def test_referents_saves_appear_after_the_poll(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan, poll=0.1)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.shown_version == 1)
        assert "Koordinationsmøde med Mikkel" in app.screen_text()
        assert "lukket hos referenten" in status(app)

        handle = vault.open_plan(plan.id)  # the referent opens the plan: the view says who
        await wait_for(pilot, lambda: "Live" in status(app))
        assert f"({getpass.getuser()})" in status(app)  # who writes (on this machine)

        m = handle.plan.meetings[-1]
        lone = by_name(handle.plan, "Lone")
        m.start_item(m.agenda[5].id, NOW)
        handle.plan.add_agreement("Ansøge om bostøtte", lone, date(2026, 12, 15), m.id, NOW)
        m.current_speaker = lone
        handle.save(NOW)
        version = handle.plan.version
        await wait_for(pilot, lambda: app.shown_version == version)
        assert "Ansøge om bostøtte" in statics_text(app)
        current = [r for r in app.follow_screen.query_one("#follow-agenda", ColumnTable).rows
                   if r.cells[0].plain == "▶"]
        assert len(current) == 1 and "Mål og indsatser" in current[0].cells[1].plain
        assert "$primary" in current[0].style  # highlighted
        # the agenda has moved on from the round: nobody has the floor, whoever spoke last
        assert "Ordet har" not in statics_text(app) and "Runden er slut." in statics_text(app)
        m.start_item(m.agenda[4].id, NOW)  # back to the round
        handle.save(NOW)
        version = handle.plan.version
        await wait_for(pilot, lambda: app.shown_version == version)
        assert "Ordet har: Lone Hansen" in statics_text(app)

        handle.close()  # the referent's app quits ...
        await wait_for(pilot, lambda: "lukket hos referenten" in status(app))
        handle = vault.open_plan(plan.id)  # ... and starts again
        await wait_for(pilot, lambda: "Live" in status(app))
        handle.plan.citizen.name = "Mikkel Andreas Sørensen"
        handle.plan.meetings[-1].place = "Borgerservice, lokale 4"
        handle.save(NOW)
        version = handle.plan.version
        await wait_for(pilot, lambda: app.shown_version == version)
        assert "Borgerservice, lokale 4" in app.screen_text()
        handle.close()


async def test_a_flood_of_saves_is_coalesced_and_the_last_one_shown(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan, poll=0.1)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.shown_version == 1)
        loads_before = app.loads
        handle = vault.open_plan(plan.id)
        saves = 40

        def writer() -> None:
            for n in range(saves):
                handle.plan.meetings[-1].agenda[4].notes = f"Note nummer {n}"
                handle.save(NOW)

        thread = threading.Thread(target=writer)
        thread.start()
        while thread.is_alive():
            await pilot.pause(0.02)
        thread.join()
        final = handle.plan.version
        await wait_for(pilot, lambda: app.shown_version == final)
        assert f"Note nummer {saves - 1}" in statics_text(app)
        assert app.loads - loads_before < saves  # not one decryption per save
        handle.close()


def many_agreements_plan() -> Plan:
    """The meeting plan with ten agreements: more than a small screen shows at once."""
    plan = meeting_plan()
    for n in range(8):
        plan.add_agreement(f"Aftale nummer {n}", CITIZEN_ID, None, plan.meetings[-1].id, NOW)
    return plan


async def test_scroll_position_survives_a_re_render(tmp_path: Path) -> None:
    plan = many_agreements_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        main = app.follow_screen.query_one("#follow-main")
        assert main.max_scroll_y > 6
        main.scroll_to(y=6, animate=False)
        await pilot.pause()
        assert main.scroll_y == 6
        handle = vault.open_plan(plan.id)
        handle.plan.add_agreement("En aftale mere", CITIZEN_ID, None, handle.plan.meetings[-1].id, NOW)
        handle.plan.meetings[-1].agenda[0].title = "Velkomst (ændret)"
        handle.save(NOW)
        handle.close()
        await settle(pilot, app)
        assert app.shown_version == handle.plan.version
        assert "En aftale mere" in statics_text(app)
        assert main.scroll_y == 6


# --------------------------------------------------------------------------- read-only


def test_the_follow_module_cannot_write_by_construction() -> None:
    """No call in screens/follow.py can write a file, take a lock or open a plan for writing."""
    tree = ast.parse(inspect.getsource(follow_module))
    writing = {"open_plan", "save", "write", "write_text", "write_bytes", "import_plan", "add_plan",
               "atomic_write", "unlink", "rename", "mkdir", "rmdir", "chmod", "truncate", "ftruncate",
               "flock", "lockf", "remove", "_update_index", "_write_index", "change_passphrase", "snapshot"}
    opens = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in writing, node.attr
            if node.attr == "replace" and isinstance(node.value, ast.Name):
                assert node.value.id not in ("os", "shutil"), "os.replace"
        if isinstance(node, ast.Name):
            assert node.id not in ("PlanHandle", "_WriterLock", "atomic_write"), node.id
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            opens += 1
            mode = node.args[1] if len(node.args) > 1 else None
            assert isinstance(mode, ast.Constant) and set(mode.value) <= set("rb"), ast.unparse(node)
    assert opens == 1  # the lock file, read to say who writes


async def test_every_key_leaves_the_vault_byte_identical(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert app.shown_version == 1
        before = vault_files(vault)
        bound: set[str] = set()
        for node in [app, app.screen, *app.screen.query("*")]:
            for key in node._bindings.key_to_bindings:
                bound.add(key)
        bound -= {"ctrl+q", "ctrl+l"}  # Ctrl+L (lock) last, below
        typed = list("abcdefghijklmnopqrstuvwxyzæøå0123456789") + [
            "enter", "delete", "backspace", "space", "tab", "shift+tab", "escape", "slash",
            "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
            "ctrl+s", "ctrl+n", "ctrl+p", "ctrl+t", "ctrl+c", "ctrl+z", "ctrl+d",
            "ctrl+r", "ctrl+e", "ctrl+up", "ctrl+down", *[f"f{n}" for n in range(1, 13)],
        ]
        keys = sorted(bound) + typed + sorted(bound)
        assert {"up", "down", "pagedown", "ctrl+t"} <= set(keys)
        for key in keys:
            await pilot.press(key)
            if app.screen is not app.follow_screen:  # a modal of Textual's own: close it
                await pilot.press("escape")
        await settle(pilot, app)
        assert app.is_running
        assert vault_files(vault) == before
        await pilot.press("ctrl+l")  # locking writes nothing either
        await pilot.pause()
        assert app.vault is None and app.is_running
        assert vault_files(vault) == before
        await pilot.press("ctrl+q")
    assert vault_files(vault) == before
    vault = Vault.unlock(vault.path, PASSPHRASE)  # the view's lock dropped the key it was given
    # the follower held no writer lock: the referent can open the plan at once
    vault.open_plan(plan.id).close()


async def test_the_view_is_in_the_access_log_once_not_every_poll(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        for n in range(3):
            handle = vault.open_plan(plan.id, log=False)
            handle.plan.meetings[-1].agenda[4].notes = f"note {n}"
            handle.save(NOW)
            handle.close()
            await settle(pilot, app)
        assert "note 2" in statics_text(app)
    views = [e for e in vault.access_log.entries(plan.id) if e.action == "view"]
    assert len(views) == 1 and views[0].info.get("mode") == "read"


async def test_several_follow_views_at_once_while_the_referent_writes(tmp_path: Path) -> None:
    plan = meeting_plan()
    vault = new_vault(tmp_path, plan)
    handle = vault.open_plan(plan.id)
    apps = [FollowApp(tmp_path / "vault", plan.id, vault=vault, clock=FakeClock(NOW), poll_interval=MANUAL,
                      projector=projector) for projector in (False, True)]
    async with apps[0].run_test(size=(120, 36)) as pilot0, apps[1].run_test(size=(120, 36)) as pilot1:
        handle.plan.meetings[-1].agenda[4].notes = "Begge visninger ser dette"
        handle.save(NOW)
        for app, pilot in ((apps[0], pilot0), (apps[1], pilot1)):
            await settle(pilot, app)
            assert app.shown_version == handle.plan.version
            assert "Begge visninger ser dette" in statics_text(app)
            assert "Live" in status(app)
    handle.close()


# --------------------------------------------------------------------------- states


async def test_replaced_by_json_import(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "erstattet" not in status(app)
        replacement = meeting_plan()
        replacement.id = plan.id
        replacement.meetings[-1].place = "Sundhedshuset, lokale 9"
        vault.import_plan(replacement, replace=True, now=datetime(2026, 11, 23, 10, 41))
        await settle(pilot, app)
        assert "Sundhedshuset, lokale 9" in app.screen_text()
        assert "erstattet af en importeret udgave kl. 10:41" in status(app)
        # the next ordinary save is not called a replacement
        handle = vault.open_plan(plan.id)
        handle.plan.meetings[-1].place = "Sundhedshuset, lokale 10"
        handle.save(NOW)
        await settle(pilot, app)
        assert "erstattet" not in status(app)
        assert "Live" in status(app)
        handle.close()


async def test_gone_then_back(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        path = vault.plan_path(plan.id)
        saved = path.read_bytes()
        path.unlink()
        await settle(pilot, app)
        assert "findes ikke længere" in status(app)
        assert "Koordinationsmøde med Mikkel" in app.screen_text()  # the last known version stays
        assert app.follow_screen.query_one("#follow-main").has_class("stale")
        crypto.atomic_write(path, saved)
        await settle(pilot, app)
        assert "findes ikke længere" not in status(app)
        assert not app.follow_screen.query_one("#follow-main").has_class("stale")


async def test_a_failed_read_is_retried_before_it_is_called_damage(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        path = vault.plan_path(plan.id)
        good = path.read_bytes()
        crypto.atomic_write(path, good[:-40] + bytes(40))  # a file that does not decrypt
        await settle(pilot, app, polls=2)
        assert "kan ikke læses" not in status(app)  # a moment is not damage ...
        assert "Søge boligstøtte" in statics_text(app)
        await settle(pilot, app)
        assert "kan ikke læses" in status(app)  # ... three failed reads in a row are
        assert "Søge boligstøtte" in statics_text(app)
        loads = app.loads
        await settle(pilot, app, polls=3)
        assert app.loads == loads  # said once; not decrypted again until the file changes
        crypto.atomic_write(path, good)
        await settle(pilot, app)
        assert "kan ikke læses" not in status(app)


async def test_a_writer_that_died_holding_the_lock_is_called_stale(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, vault = follow_app(tmp_path, plan)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    import socket

    lock = vault.plan_path(plan.id).with_suffix(".lock")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        lock.write_text(f"lone@{socket.gethostname()} (pid {pid}, 23.11.2026 10:00)", encoding="utf-8")
        await settle(pilot, app)
        assert "stoppede uden at lukke" in status(app)
        lock.write_text(f"lone@{socket.gethostname()} (pid {os.getpid()}, 23.11.2026 10:00)", encoding="utf-8")
        await settle(pilot, app)
        assert "Live" in status(app)


# --------------------------------------------------------------------------- what it shows


async def test_time_item_and_meeting_with_overrun(tmp_path: Path) -> None:
    plan = meeting_plan()
    clock = FakeClock(datetime(2026, 11, 23, 10, 41, 30))  # 17.5 min into a 20-min item
    app, _ = follow_app(tmp_path, plan, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = app.follow_screen
        assert screen.query_one("#follow-item-clock").value == "17:30"
        assert not screen.query_one("#follow-overrun").display
        assert "Mødet: 41 af 80 min" in statics_text(app)
        clock.advance(5 * 60)
        app.tick()
        await pilot.pause()
        assert screen.query_one("#follow-item-clock").value == "22:30"
        assert screen.query_one("#follow-item-clock").has_class("overrun")
        assert "Punktet er 2 min over tiden" in str(screen.query_one("#follow-overrun").content)
        clock.advance(40 * 60)
        app.tick()
        await pilot.pause()
        assert "Mødet er 6 min over tiden" in str(screen.query_one("#follow-overrun").content)


async def test_header_people_round_and_agreements(tmp_path: Path) -> None:
    plan = meeting_plan()
    plan.meetings[-1].video_link = "https://video.example/rum/123"
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        text = statics_text(app)
        assert "Koordinationsmøde med Mikkel" in text
        assert "Mikkel Sørensen" not in text  # the citizen's first name only, everywhere
        assert "23.11.2026 kl. 10:00" in text and "Mødelokale 2, Jobcentret og video" in text
        assert "video.example" not in text
        assert "Til stede (3)" in text and "Med virtuelt (1)" in text and "Afbud (1)" in text
        # the role and the meeting's roles one per line (no line begins with a comma)
        assert "Socialrådgiver\nmødeleder" in text and "Sygeplejerske\nreferent" in text
        assert "Ordet har: Mikkel" in text and "Næste: Lone Hansen" in text
        rows = app.follow_screen.query_one("#follow-agreements", ColumnTable).rows
        assert len(rows) == 2
        overdue = [r for r in rows if r.cells[0].spans[0].style == "$error"]  # the red bar
        assert len(overdue) == 1 and "Sende epikrise" in overdue[0].cells[1].plain
        assert "senest 20.11.2026 – overskredet" in text
        assert not app.follow_screen.query_one("#follow-summary-box").display


async def test_summary_at_the_end(tmp_path: Path) -> None:
    plan = meeting_plan()
    m = plan.meetings[-1]
    lone = by_name(plan, "Lone")
    m.start_item(m.item_by_key("summary").id, NOW)
    m.summary = "Lone søger boligstøtte med Mikkel. Anders sender epikrisen."
    m.next_meeting.on = datetime(2027, 2, 15, 13, 0)
    m.next_meeting.place = "Jobcentret"
    plan.set_coordinator(lone, NOW.date(), m.id)
    m.coordinator = lone
    m.review_afterwards = True
    app, _ = follow_app(tmp_path, plan, lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert app.follow_screen.query_one("#follow-summary-box").display
        text = statics_text(app)
        assert "Summary" in text and "Lone søger boligstøtte med Mikkel" in text
        assert "Next meeting: 15.02.2027 at 13:00  ·  Jobcentret" in text
        assert "Coordinator: Lone Hansen" in text
        assert "to be reviewed with the citizen after the meeting" in text
        assert "Agenda" in text and "Dagsorden" not in text


async def test_projector_hides_private_notes_and_uses_the_high_contrast_theme(tmp_path: Path) -> None:
    plan = meeting_plan()
    item = plan.meetings[-1].agenda[4]
    item.notes = "Fortroligt: samtale om medicin"
    item.private = True
    for projector, app, _ in both_modes(tmp_path, plan):
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, app)
            box = app.follow_screen.query_one("#follow-notes-box")
            if projector:
                assert app.theme == PROJECTOR_THEME.name
                assert not box.display
                assert "Fortroligt" not in statics_text(app) and "Fortroligt" not in app.screen_text()
            else:
                assert app.theme != PROJECTOR_THEME.name
                assert box.display and "Fortroligt: samtale om medicin" in app.screen_text()
                assert "privat – vises ikke på projektoren" in statics_text(app)


async def test_projector_mode_is_one_switch_colours_and_hiding(tmp_path: Path) -> None:
    """Ctrl+T in the chair's view switches projector mode as a whole: before, it changed only
    the colours, and a private note stayed on the wall in the projector's colours."""
    plan = meeting_plan()
    item = plan.meetings[-1].agenda[4]
    item.notes = "Fortroligt: samtale om medicin"
    item.private = True
    app, _ = follow_app(tmp_path, plan, projector=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "Fortroligt: samtale om medicin" in app.screen_text()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == PROJECTOR_THEME.name and app.projector
        assert not app.follow_screen.query_one("#follow-notes-box").display
        assert "Fortroligt" not in statics_text(app) and "Fortroligt" not in app.screen_text()
        assert "Kun visning · Projektor: private noter skjult" in app.screen_text()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != PROJECTOR_THEME.name and not app.projector
        assert "Fortroligt: samtale om medicin" in app.screen_text()
        assert "Projektor" not in app.follow_screen.query_one("#follow-mode", Static).visual.plain
        # and on again
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Fortroligt" not in app.screen_text()


# --------------------------------------------------------------------------- privacy


def private_plan() -> Plan:
    """Recognisable CPR, phone numbers and e-mail addresses in the fields and in free text."""
    plan = meeting_plan()
    m = plan.meetings[-1]
    lone = by_name(plan, "Lone")
    m.agenda[4].notes = f"Mikkels CPR {CPR}, ring på 61626364 eller skriv til {CITIZEN_EMAIL}"
    m.round_entry(CITIZEN_ID).text = f"Jeg kan nås på {CITIZEN_PHONE} og 0045 55667788."
    m.round_entry(CITIZEN_ID).life_areas = {"housing": "Udlejer: udlejer@bolig.example, tlf. 33 44 55 66"}
    plan.add_agreement(f"Lone ringer til Mikkel på 61 62 63 64 ({CPR.replace('-', '')})", lone, None, m.id, NOW)
    plan.add_goal(f"Skrive til lone.hansen@eksempel.dk om {CPR}", m.id, NOW)
    m.summary = "Kontakt: 55 66 77 88, anders.holm@eksempel.dk, 1212854321, +4561626364"
    m.place = "Hjemme hos Mikkel, tlf. 61 62 63 64"
    return plan


PRIVATE_VALUES = [CPR, "1212854321", "61626364", "61 62 63 64", CITIZEN_EMAIL, "lone.hansen@eksempel.dk",
                  "anders.holm@eksempel.dk", "karim.nielsen@eksempel.dk", "55 66 77 88", "55667788",
                  "44 33 22 11", "22 33 44 55", "udlejer@bolig.example", "33 44 55 66"]


def assert_nothing_private(app: FollowApp) -> None:
    screen_text = app.screen_text()
    svg = html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")
    for where in (screen_text, statics_text(app), svg):
        flat = re.sub(r"\s+", " ", where)
        digits_per_line = [re.sub(r"\D", "", line) for line in where.splitlines()]
        for value in PRIVATE_VALUES:
            assert value not in where and value not in flat, value
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 8:
                assert not any(digits in line for line in digits_per_line), value
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", where), "an e-mail address"


async def test_cpr_phone_and_email_are_never_on_screen(tmp_path: Path) -> None:
    plan = private_plan()
    for projector, app, vault in both_modes(tmp_path, plan):
        async with app.run_test(size=(160, 90)) as pilot:
            await settle(pilot, app)
            assert app.follow_screen.query_one("#follow-summary-box").display
            assert "•••" in statics_text(app)
            assert_nothing_private(app)
            # in every state: the writer present, a dead writer, the file gone
            handle = vault.open_plan(plan.id)
            m = handle.plan.meetings[-1]
            m.current_speaker = by_name(handle.plan, "Lone")
            m.round_entry(m.current_speaker).text = "Lone: mail lone.hansen@eksempel.dk, 55 66 77 88"
            m.status = MeetingStatus.CLOSED
            m.closed_at = NOW
            handle.save(NOW)
            await settle(pilot, app)
            assert "Live" in status(app)
            assert_nothing_private(app)
            handle.close()
            vault.plan_path(plan.id).unlink()
            await settle(pilot, app)
            assert_nothing_private(app)


def test_holder_label() -> None:
    import socket

    from screens.follow import holder_label

    here = socket.gethostname()
    assert holder_label(f"lone@{here} (pid 12, 23.11.2026 10:00)") == "lone"
    assert holder_label("lone@laptop-7 (pid 12, 23.11.2026 10:00)") == "lone@laptop-7" or here == "laptop-7"
    assert holder_label("noget andet") == "noget andet"


def test_redactor_masks_own_values_however_spaced_and_leaves_dates_alone() -> None:
    plan = sample_plan()
    plan.citizen.phone = "+45 2030 4050"
    redact = Redactor(plan)
    assert redact("ring 20-30-40-50 i dag") == "ring ••• i dag"
    assert redact("Lone: 55 66 77 88") == "Lone: •••"
    assert redact("cpr 010190 0000") == "cpr •••"
    assert redact("a.b@c.dk skrev") == "••• skrev"
    assert redact("ring 61626364 eller +45 6162 6364 eller 0045 61 62 63 64") == "ring ••• eller ••• eller •••"
    kept = "Mødet 23.11.2026 kl. 10:00, 13/20 min, 2026-2027, 2026 2027, version 42"
    assert redact(kept) == kept


@pytest.mark.parametrize("text", [
    "2233 4455", "2233-4455", "2233.4455",  # a phone number in fours, as Danes write it too
    "01.01.90-1234", "01-01-90 1234",  # a CPR number with its birth date written as a date
    "+4522334455", "11 23 45 67", "JONAS.B@Test.DK",
])
def test_the_redactor_masks_numbers_written_in_other_ways(text: str) -> None:
    """Found by a review: "2233 4455" and "01.01.90-1234" reached the projector."""
    assert Redactor()(f"ring: {text}.") == "ring: •••."


@pytest.mark.parametrize("text", [
    "01.01.1990 - 0000", "1. januar 1990 - 0000", "1. jan. 1990 – 0000", "01-01-1990 0000",
    "1.1.90-0000", "01.01.1990/0000", "0 1 0 1 1 9 9 0 - 0 0 0 0", "1 . 1 . 1990 — 0000", "1. JANUAR 1990 0000",
])
def test_the_plans_own_cpr_with_its_birth_date_as_a_date_is_masked_whole(text: str) -> None:
    """Found by a review: the demo's own CPR number, written with its birth date as a date and
    spaces around the dash, reached the projector whole."""
    plan = sample_plan()  # CPR 010190-0000
    assert Redactor(plan)(f"cpr: {text}, møde 15.12.2026") == "cpr: •••, møde 15.12.2026"


@pytest.mark.parametrize("text", [
    "01.01.90 - 1234", "010190 - 1234", "010190 – 1234", "01.01.1990-1234", "01.01.1990 - 1234",
    "1/1-1990 — 1234", "12. sept. 1985 - 4321", "3. december 85 1234", "31 12 85  -  1234", "1.1.90 1234",
    "32.01.1990-1234",  # a mistyped CPR number is still most of one
])
def test_any_cpr_with_its_birth_date_as_a_date_goes_as_one(text: str) -> None:
    """Found by a review: "010190 - 1234" became "••• - 1234" and "01.01.1990-1234"
    "01.01.•••": the number was masked in part and the rest left on the wall."""
    assert Redactor()(f"ring: {text}.") == "ring: •••."


def test_dates_without_four_digits_after_them_stay() -> None:
    kept = ["frist 15.12.2026 - husk det", "15.12.2026 kl. 13.00", "1. januar 2027, 2. februar 2027",
            "født 01.01.1990", "mødet 1.1.2027 - 12 deltagere", "kl. 10.00 - 12.00", "2026 - 2027",
            "uge 49 - 2026", "15.12.2026-16.12.2026"]
    redact = Redactor(sample_plan())
    assert [redact(text) for text in kept] == kept


def test_the_redactor_takes_linear_time_on_long_runs_of_spaces() -> None:
    import time

    redact = Redactor(sample_plan())
    for text in ["010190" + " " * 20000 + "x", "01.01.1990" + " " * 20000 + "x", "1. jan" + " " * 20000,
                 "1 " * 20000, "01.01.1990 - " * 3000]:
        start = time.perf_counter()
        redact(text)
        assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("typed", [
    "cpr 010190", "cpr 010190-12", "ny tlf 22 33 44", "ny tlf 2233 44", "tlf +45 22",
    "tlf 0045 2233", "mail lone@naes", "mail lone@",
])
def test_numbers_and_addresses_half_typed_are_masked(typed: str) -> None:
    """The view reads the plan about once a second while the referent types: what it shows of
    a number or an address being written is masked before it is complete."""
    digits_or_at = [c for c in Redactor()(typed).split(" ", 1)[1] if c.isdigit() or c == "@"]
    shown = Redactor()(typed)
    assert "•••" in shown
    # at most the last two digits of a CPR number being typed, never the birth date
    assert len(digits_or_at) <= 2 and "@" not in digits_or_at, shown


def test_dates_times_and_replies_stay_readable() -> None:
    kept = ["kl. 10.00-12.00", "Næste møde 15.12.2026 13.00", "4700 Næstved", "uge 49",
            "12.500 kr", "/aftale Søge boligstøtte @Lone 01.12.2026", "15.12.26",
            "2026 15 deltagere", "år 2026 og 2027", "kl 13:00-14:30", "2025/2026", "1. januar 2027"]
    redact = Redactor()
    assert [redact(text) for text in kept] == kept


# --------------------------------------------------------------------------- text is data


HOSTILE = ["[@click=app.quit]x[/]", "[TODO]", "[/b]", "\x1b[31mrød\x1b[0m", "\u202eevil",
           "\x1b]52;c;aGVq\x07klip", "# Overskrift <b>html</b> [link](http://x)"]


async def test_hostile_strings_are_shown_literally(tmp_path: Path) -> None:
    plan = meeting_plan()
    m = plan.meetings[-1]
    plan.citizen.name = "[@click=app.quit]x[/] Sørensen"
    plan.contacts[0].name = "[TODO] Lone"
    plan.contacts[0].role = "[/b]rolle"
    m.place = "\x1b[31mrød\x1b[0m stue"
    m.agenda[4].title = "\u202eevil punkt"
    m.agenda[4].notes = "\x1b]52;c;aGVq\x07klip\n# Overskrift <b>html</b> [link](http://x)"
    m.round_entry(CITIZEN_ID).text = "[b]ikke fed[/b] $variable {name}"
    plan.add_agreement("[@click=app.quit]aftale[/]", CITIZEN_ID, None, m.id, NOW)
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        for literal in ["Koordinationsmøde med [@click=app.quit]x[/]", "[TODO] Lone", "[/b]rolle",
                        "rød stue", "evil punkt", "klip", "# Overskrift <b>html</b> [link](http://x)",
                        "[b]ikke fed[/b] $variable {name}", "[@click=app.quit]aftale[/]"]:
            assert literal in text, literal
        everything = statics_text(app) + text + app.export_screenshot()
        assert "\x1b" not in everything and "\u202e" not in everything and "\x07" not in everything
        # clicking the would-be links fires nothing
        await pilot.click("#follow-title")
        await pilot.click("#follow-agreements")
        await pilot.pause()
        assert app.is_running and app.return_code is None


# --------------------------------------------------------------------------- unlock and CLI


async def test_unlock_screen_then_follow_by_name(tmp_path: Path) -> None:
    plan = meeting_plan()
    new_vault(tmp_path, plan)
    app = FollowApp(tmp_path / "vault", "Mikkel", clock=FakeClock(NOW), poll_interval=MANUAL)
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.screen.__class__.__name__ == "UnlockScreen"
        await pilot.click("#passphrase")
        for ch in PASSPHRASE:
            await pilot.press(ch)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.follow_screen and app.vault is not None
        await settle(pilot, app)
        assert app.plan_id == plan.id and app.shown_version == 1
        assert "Koordinationsmøde med Mikkel" in app.screen_text()


async def test_an_unknown_plan_is_said_calmly(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, _ = follow_app(tmp_path, plan)
    app.plan_query = "ingen-sådan-plan"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "ingen-sådan-plan" in status(app)
        assert app.follow_screen.query_one("#follow-status").has_class("warn")
        assert app.is_running


def test_cli_follow_subcommand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from kiptui import cli

    args = cli.build_parser().parse_args(["follow", "Mikkel", "--projector"])
    assert args.func is cli.cmd_follow and args.plan == "Mikkel" and args.projector
    args = cli.build_parser().parse_args(["follow", "Mikkel"])
    assert not args.projector
    new_vault(tmp_path, meeting_plan())
    monkeypatch.setenv("KIPTUI_PASSPHRASE", PASSPHRASE)
    code = cli.main(["--vault", str(tmp_path / "vault"), "follow", "ingen-sådan-plan"])
    assert code == cli.EXIT_UNKNOWN_PLAN
    assert "ingen-sådan-plan" in capsys.readouterr().err


# --------------------------------------------------------------------------- the projector, seen


async def test_projector_screenshot(tmp_path: Path) -> None:
    plan = meeting_plan()
    plan.meetings[-1].round_entry(CITIZEN_ID).text = (
        "Mikkel fortæller, at det går bedre med søvnen, men at økonomien fylder meget."
    )
    app, vault = follow_app(tmp_path, plan, projector=True)
    handle = vault.open_plan(plan.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        svg = app.export_screenshot(title="kiptui follow --projector")
        out = Path("/tmp/kiptui-follow-projector.svg")
        out.write_text(svg, encoding="utf-8")
        assert "#000000" in svg.lower() or "#000000" in svg  # the black projector background
        for text in ("Koordinationsmøde med Mikkel", "Dagsorden", "Situationsrunde", "Aftalt på mødet",
                     "Deltagere", "Live", "Projektor: private noter skjult"):
            assert text in app.screen_text(), text
    handle.close()


# --------------------------------------------------------------------------- which meeting, lists


async def test_the_meeting_shown_is_the_first_not_closed_else_the_latest(tmp_path: Path) -> None:
    from kiptui.model import new_meeting
    from kiptui.resources import agenda_template

    plan = meeting_plan()
    first = plan.meetings[0]
    first.status, first.closed_at = MeetingStatus.CLOSED, NOW
    second = new_meeting(plan, agenda_template(), datetime(2027, 2, 15, 13, 0))
    second.place = "Andet møde"
    plan.add_agreement("Fra andet møde", CITIZEN_ID, None, second.id, NOW)
    new_meeting(plan, agenda_template(), datetime(2027, 8, 15, 13, 0)).place = "Tredje møde"
    app, vault = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        text = statics_text(app)
        assert "Møde 2" in text and "Andet møde" in text
        assert "Fra andet møde" in text and "Søge boligstøtte" not in text  # this meeting's agreements
        handle = vault.open_plan(plan.id)
        for m in handle.plan.meetings:
            m.status = MeetingStatus.CLOSED
        handle.save(NOW)
        handle.close()
        await settle(pilot, app)
        text = statics_text(app)
        assert "Møde 3" in text and "Tredje møde" in text and "Mødet er afsluttet" in text


async def test_long_titles_wrap_in_their_column_and_the_minutes_stay_aligned(tmp_path: Path) -> None:
    plan = meeting_plan()
    plan.meetings[-1].agenda[1].title = "Et meget langt dagsordenspunkt " * 4
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.follow_screen.query_one("#follow-agenda", ColumnTable)
        lines = [line.plain for line in table.lines(table.content_region.width)]
        assert len(lines) > len(table.rows)  # the long title wrapped
        assert all(len(line) == table.content_region.width for line in lines)
        ends = {len(line.rstrip()) for line in lines if line.rstrip().endswith("min")}
        assert len(ends) == 1  # right-aligned in one column


# --------------------------------------------------------------------------- small terminals


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 36)])
async def test_a_small_screen_shows_the_item_its_time_the_speaker_and_the_agreements(
        tmp_path: Path, size: tuple[int, int]) -> None:
    """A projector with big type is an 80x24 terminal: what the room needs most is on the
    screen without scrolling (before, the round and the agreements were below the agenda)."""
    plan = meeting_plan()
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        assert "▶  5. Situationsrunde med" in text  # the current item (wrapped on 100 columns)
        assert "13/20 min" in text  # 10:24 to 10:37:12 of the item's 20 minutes
        assert "Mødet: 37 af 80 min" in text
        assert "Ordet har: Mikkel" in text and "Næste: Lone Hansen" in text
        assert "Søge boligstøtte sammen med Mikkel" in text
        assert "Sende epikrise til egen læge" in text and "overskredet" in text
        # attendance: in full beside the rest, or summed up further down on 80 columns
        assert "Til stede (3)" in text or "Til stede (3): Mikkel, Lone Hansen, Anders Holm" in statics_text(app)


async def test_a_small_screen_shows_the_newest_agreements_and_how_many_more(tmp_path: Path) -> None:
    app, _ = follow_app(tmp_path, many_agreements_plan())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        assert "Aftalt på mødet (10)" in text
        assert "Aftale nummer 7" in text and "Aftale nummer 6" in text  # the newest
        left_out = app.follow_screen.query_one("#follow-latest", follow_module.NewestList).left_out()
        assert 0 < left_out <= 7 and f"+ {left_out} tidligere – hele listen står længere nede" in text
        assert "Ordet har: Mikkel" in text  # the agreements do not push the speaker away
        # the older ones are further down, not gone: the full list shows when not all fit above
        assert app.follow_screen.query_one("#follow-agreements-box").display
        assert len(app.follow_screen.query_one("#follow-agreements", ColumnTable).rows) == 10


async def test_a_small_screen_without_a_speaker_or_agreements(tmp_path: Path) -> None:
    plan = meeting_plan()
    m = plan.meetings[-1]
    m.current_speaker = ""
    plan.agreements.clear()
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        assert "Runden er ikke begyndt." in text
        assert "Der er ikke aftalt noget endnu." in text
        assert "Aftalt på mødet (0)" not in text


async def test_a_small_screen_masks_private_numbers_and_shows_hostile_text_literally(tmp_path: Path) -> None:
    plan = private_plan()
    plan.add_agreement("[@click=app.quit]aftale[/] [b]ikke fed[/b]", CITIZEN_ID, None, plan.meetings[-1].id, NOW)
    for _projector, app, _ in both_modes(tmp_path, plan):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert "[@click=app.quit]aftale[/] [b]ikke fed[/b]" in app.screen_text()
            assert "•••" in app.screen_text()
            assert_nothing_private(app)
            await pilot.click("#follow-latest")
            await pilot.pause()
            assert app.is_running


async def test_the_large_layout_keeps_its_details_and_resizing_switches_layouts(tmp_path: Path) -> None:
    plan = meeting_plan()
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = app.follow_screen
        main = screen.query_one("#follow-main")
        assert not screen.has_class("-compact") and main.children[0].id == "follow-agenda-box"
        assert screen.query_one("#follow-item-clock").display and screen.query_one("#follow-side").display
        assert not screen.query_one("#follow-now").display
        text = app.screen_text()
        assert "Tid på punktet" in text and "Socialrådgiver" in text and "mødeleder" in text
        assert "Rækkefølge:" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert screen.has_class("-compact") and main.children[-2].id == "follow-agenda-box"
        text = app.screen_text()
        assert "Ordet har: Mikkel" in text and "Sende epikrise til egen læge" in text
        assert not screen.query_one("#follow-agreements-box").display  # all of them fit above
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        assert not screen.has_class("-compact") and main.children[0].id == "follow-agenda-box"
        assert screen.query_one("#follow-agreements-box").display
        assert "Tid på punktet" in app.screen_text()


# --------------------------------------------------------------------------- the wall: --projector is for good


async def test_with_projector_ctrl_t_changes_the_colours_only_and_private_notes_stay_hidden(tmp_path: Path) -> None:
    """Found by a review: in `follow --projector` one Ctrl+T switched projector mode off, with
    no question, and the private notes were on the wall. Now --projector holds for the whole
    process; Ctrl+T is the colours, as in the referent's app, and the footer states the mode."""
    plan = meeting_plan()
    item = plan.meetings[-1].agenda[4]
    item.notes = "Fortroligt: samtale om medicin"
    item.private = True
    app, _ = follow_app(tmp_path, plan, projector=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        for _ in range(3):
            await pilot.press("ctrl+t")
            await pilot.pause()
            assert app.projector and not app.follow_screen.query_one("#follow-notes-box").display
            for text in (statics_text(app), app.screen_text(), app.export_screenshot()):
                assert "Fortroligt" not in text and "privat – vises ikke" not in text
            assert "Kun visning · Projektor: private noter skjult" in app.screen_text()
        assert app.theme != PROJECTOR_THEME.name  # three presses: the colours are the other ones now
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == PROJECTOR_THEME.name
        keys = [str(k.description) for k in app.follow_screen.query_one("FollowFooter").query("FooterKey")]
        assert "Projektortema" in keys and "Projektortilstand" not in keys and "Lås" in keys
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Projektor: private noter skjult" in app.screen_text()  # on 80 columns too


async def test_the_chairs_own_view_keeps_its_switch(tmp_path: Path) -> None:
    """Without --projector, Ctrl+T still switches projector mode as a whole (hiding included)."""
    plan = meeting_plan()
    item = plan.meetings[-1].agenda[4]
    item.notes = "Fortroligt: samtale om medicin"
    item.private = True
    app, _ = follow_app(tmp_path, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "Projektor: private noter skjult" not in app.screen_text()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.projector and "Projektor: private noter skjult" in app.screen_text()
        assert "Fortroligt" not in statics_text(app)


async def test_no_os_account_name_on_the_wall(tmp_path: Path) -> None:
    """The status line said "● Live – referenten har planen åben (root)" on the projector."""
    import socket

    plan = meeting_plan()
    for projector, app, vault in both_modes(tmp_path, plan):
        lock = vault.plan_path(plan.id).with_suffix(".lock")
        lock.write_text(f"kontorbruger7@{socket.gethostname()} (pid {os.getpid()}, 23.11.2026 10:00)",
                        encoding="utf-8")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert "● Live – referenten har planen åben" in status(app)
            shown = app.screen_text() + statics_text(app)
            if projector:
                assert "kontorbruger7" not in shown and getpass.getuser() not in status(app)
            else:  # the chair's own screen says who writes
                assert "(kontorbruger7)" in status(app)
            await pilot.press("ctrl+t")  # colours only (projector) / projector mode (chair)
            await pilot.pause()
            assert "kontorbruger7" not in app.screen_text() + statics_text(app)


# --------------------------------------------------------------------------- what the wall says


async def test_the_day_the_meeting_was_held_not_the_day_planned(tmp_path: Path) -> None:
    """As the referent's status line: a meeting begun on another day than planned is shown on
    the day it was held (the projector said the planned "23.11.2026 kl. 10:00")."""
    plan = meeting_plan()
    m = plan.meetings[-1]
    for item in m.agenda:
        item.started_at = item.ended_at = None
    m.current_item = ""
    m.start_item(m.agenda[0].id, datetime(2026, 12, 7, 17, 28))
    app, vault = follow_app(tmp_path, plan, projector=True, clock=FakeClock(datetime(2026, 12, 7, 17, 40)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        when = str(app.follow_screen.query_one("#follow-when", Static).content)
        assert "Møde 1  ·  07.12.2026 kl. 17:28" in when and "23.11.2026" not in when
        # begun on the planned day, a little late: the planned time stays
        handle = vault.open_plan(plan.id)
        for item in handle.plan.meetings[-1].agenda:
            item.started_at = item.ended_at = None
        handle.plan.meetings[-1].current_item = ""
        handle.plan.meetings[-1].start_item(handle.plan.meetings[-1].agenda[0].id, datetime(2026, 11, 23, 10, 7))
        handle.save(NOW)
        handle.close()
        await settle(pilot, app)
        assert "Møde 1  ·  23.11.2026 kl. 10:00" in str(app.follow_screen.query_one("#follow-when", Static).content)


def closed_plan() -> Plan:
    """The meeting closed as the referent's F7 closes it: the item stopped, the last speaker
    still in the file, and a place name long enough to fill an 80-column line."""
    plan = meeting_plan()
    m = plan.meetings[-1]
    m.place = "Socialpsykiatrien, Næstved Kommune, mødelokale 3 på anden sal i den gamle bygning"
    m.current_speaker = by_name(plan, "Lone")
    m.stop_current_item(datetime(2026, 11, 23, 10, 46))
    m.status, m.closed_at = MeetingStatus.CLOSED, datetime(2026, 11, 23, 10, 46)
    return plan


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_closed_meeting_says_so_and_nobody_has_the_floor(tmp_path: Path, size: tuple[int, int]) -> None:
    """After closing, the wall said "Ordet har: Lone Hansen" and "Mødet: 46 af 80 min", and
    "Mødet er afsluttet" was cut off at the end of the header's line on 80 columns."""
    app, _ = follow_app(tmp_path, closed_plan(), projector=True, clock=FakeClock(NOW + timedelta(hours=2)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        assert "Ordet har" not in text and "Ordet har" not in statics_text(app)
        assert "Næste: " not in statics_text(app)
        assert "Mødet: " not in statics_text(app) and "over tiden" not in statics_text(app)
        assert "Mødet er afsluttet" in text
        title_line = next(line for line in text.splitlines() if "Koordinationsmøde med Mikkel" in line)
        assert "Mødet er afsluttet" in title_line
        assert "Mødet varede 46 min (80 min planlagt)" in text
        assert "Intet punkt er i gang" not in text and "Tid på punktet" not in text
        # the wide layout's round is the order, no one marked as speaking
        round_rows = app.follow_screen.query_one("#follow-round", ColumnTable).rows
        assert "reverse" not in str([row.cells[0].spans for row in round_rows])


async def test_a_closed_meeting_without_a_started_item_has_no_length(tmp_path: Path) -> None:
    """Found by a review: a meeting closed without starting an agenda item said "Mødet
    varede 0 min"; its length was never recorded, and the wall says so."""
    plan = meeting_plan()
    m = plan.meetings[-1]
    for item in m.agenda:
        item.started_at = item.ended_at = None
    m.current_item = ""
    m.status, m.closed_at = MeetingStatus.CLOSED, datetime(2026, 11, 23, 10, 46)
    app, _ = follow_app(tmp_path, plan, projector=True, clock=FakeClock(NOW + timedelta(hours=2)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
    assert "Mødet varede" not in text
    assert "Mødets længde blev ikke registreret" in text


async def test_a_meeting_not_closed_has_no_closed_sign(tmp_path: Path) -> None:
    app, _ = follow_app(tmp_path, meeting_plan(), projector=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert not app.follow_screen.query_one("#follow-closed").display
        assert "afsluttet" not in statics_text(app)


@pytest.mark.parametrize("projector", [False, True])
async def test_80x24_shows_who_is_present_without_scrolling(tmp_path: Path, projector: bool) -> None:
    """One of the four things the chair's view is for; on 80x24 it was below the agenda, out of
    sight. Now one line of first names in the fixed part."""
    app, _ = follow_app(tmp_path, meeting_plan(), projector=projector)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        assert "Til stede (4): Mikkel, Lone, Anders, Birgitte (virtuelt)" in text
        for needed in ("▶  5. Situationsrunde", "Mødet: 37 af 80 min", "Ordet har: Mikkel",
                       "Søge boligstøtte sammen med Mikkel", "Sende epikrise til egen læge"):
            assert needed in text, needed
        assert app.follow_screen.query_one("#follow-main").scroll_y == 0


async def test_the_demo_meeting_on_80x24_projector_shows_the_four_things(tmp_path: Path) -> None:
    """The demo's meeting half-way (seven people in the room) on a projector with big type."""
    from tests.ui.harness import DEMO_NOW, meeting_in_progress

    plan = meeting_in_progress()
    app, _ = follow_app(tmp_path, plan, projector=True, clock=FakeClock(DEMO_NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = app.screen_text()
        people = [line for line in text.splitlines() if "Til stede (7): Jonas, " in line]
        assert people and "…" not in people[0], people  # the whole line fits
        assert "Ordet har:" in text and "▶" in text and "Mødet: " in text and "Aftalt på mødet" in text


def test_first_names_tell_two_of_the_same_name_apart() -> None:
    plan = meeting_plan()
    app = FollowApp(Path("/nonexistent"), plan.id)
    app.plan = plan
    lone = by_name(plan, "Lone")
    from kiptui.model import Contact, Sector

    other_id = plan.add_contact(Contact(name="Lone Madsen", sector=Sector.RELATIVE)).id
    assert app.first_names([CITIZEN_ID, lone, other_id]) == {CITIZEN_ID: "Mikkel", lone: "Lone H.", other_id: "Lone M."}


# --------------------------------------------------------------------------- locking


def own_vault_app(tmp_path: Path, plan: Plan, **kwargs: Any) -> tuple[FollowApp, Vault]:
    """A view with its own unlocked vault (a lock drops it), and the referent's vault."""
    referent = new_vault(tmp_path, plan)
    app = FollowApp(tmp_path / "vault", plan.id, vault=Vault.unlock(tmp_path / "vault", PASSPHRASE),
                    clock=kwargs.pop("clock", FakeClock(NOW)), poll_interval=MANUAL, **kwargs)
    return app, referent


def everything_held(app: FollowApp) -> str:
    """The text of every widget on every screen of the app, shown or not."""
    parts = [app.screen_text()]
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Static):
                parts.append(str(widget.content))
            elif isinstance(widget, ColumnTable):
                parts.append(widget.plain())
    return "\n".join(parts)


async def unlock_again(pilot: Any, app: FollowApp) -> None:
    from textual.widgets import Input

    from screens.unlock import UnlockScreen

    assert isinstance(app.screen, UnlockScreen)
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await settle(pilot, app)


async def test_ctrl_l_locks_the_view_and_the_passphrase_brings_it_back(tmp_path: Path) -> None:
    """Found by a review: the view had no lock, and showed the plan (names, health) for
    minutes after the referent had locked and left. Ctrl+L now locks it as the referent's app."""
    import gc

    from screens.follow import FollowScreen
    from screens.unlock import UnlockScreen

    plan = meeting_plan()
    plan.meetings[-1].agenda[4].notes = "Samtale om medicin og søvn"
    app, referent = own_vault_app(tmp_path, plan)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "Samtale om medicin" in app.screen_text()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.screen.locked
        assert app.vault is None and app.plan is None and app.meeting is None and app.follow_screen is None
        held = everything_held(app)
        for private in ("Mikkel", "Samtale om medicin", "Lone Hansen", "Søge boligstøtte", "Situationsrunde"):
            assert private not in held, private
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, FollowScreen)], "the view's screen is gone"
        # a read that was running when it locked is dropped, not shown
        data, _ = referent.load_plan_data(plan.id)
        stale, _ = follow_module.shown_part(data, plan.id)
        app.post_message(FollowApp.Loaded(None, stale, plan.id, [], "", "", 1))
        await pilot.pause()
        assert app.plan is None and "Mikkel" not in app.screen_text()
        # polls and the clock do nothing while locked
        app.poll()
        app.tick()
        await pilot.pause()
        assert app.plan is None
        # the referent goes on meanwhile; unlocking shows the plan as it is now
        handle = referent.open_plan(plan.id)
        handle.plan.add_agreement("Aftalt mens visningen var låst", CITIZEN_ID, None, handle.plan.meetings[-1].id, NOW)
        handle.save(NOW)
        await unlock_again(pilot, app)
        assert app.screen is app.follow_screen and app.vault is not None
        assert app.shown_version == handle.plan.version
        assert "Aftalt mens visningen var låst" in app.screen_text()
        assert "Live" in status(app)
        keys = [str(k.description) for k in app.follow_screen.query_one("FollowFooter").query("FooterKey")]
        assert "Lås" in keys  # the footer says how
        handle.close()


async def test_the_view_locks_itself_after_the_referents_idle_time(tmp_path: Path) -> None:
    """Idle as the referent's app counts it (screens.app.IDLE_LOCK_SECONDS): no key here and no
    new save from the referent. A projector nobody touches stays on while the meeting is written."""
    from screens.app import IDLE_CHECK_INTERVAL, IDLE_LOCK_SECONDS
    from screens.unlock import UnlockScreen

    clock = FakeClock(NOW)
    plan = meeting_plan()
    app, referent = own_vault_app(tmp_path, plan, projector=True, clock=clock)
    assert app.idle_lock_seconds == IDLE_LOCK_SECONDS
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        idle_timers = [t for t in app._timers if t.name == "follow-idle"]
        assert len(idle_timers) == 1 and idle_timers[0]._interval == IDLE_CHECK_INTERVAL
        almost = IDLE_LOCK_SECONDS - IDLE_CHECK_INTERVAL
        clock.advance(almost)
        await app.check_idle_lock()
        assert app.vault is not None
        await pilot.press("down")  # someone scrolls the view: not idle
        clock.advance(almost)
        await app.check_idle_lock()
        assert app.vault is not None
        handle = referent.open_plan(plan.id)  # the referent writes: not idle
        handle.plan.meetings[-1].agenda[4].notes = "Ny note"
        handle.save(clock())
        await settle(pilot, app)
        clock.advance(almost)
        await app.check_idle_lock()
        assert app.vault is not None and "Ny note" in statics_text(app)
        handle.close()  # the referent leaves; nothing new comes
        await settle(pilot, app)
        clock.advance(IDLE_CHECK_INTERVAL)
        await app.check_idle_lock()
        await pilot.pause()
        assert app.vault is None and isinstance(app.screen, UnlockScreen)
        assert "Mikkel" not in everything_held(app) and "Ny note" not in everything_held(app)
        await unlock_again(pilot, app)
        assert "Ny note" in statics_text(app)
        assert app.projector and app.theme == PROJECTOR_THEME.name  # still the wall's view


# --------------------------------------------------------------------------- a review of the wall


async def test_nobody_has_the_floor_once_the_agenda_has_moved_on_from_the_round(tmp_path: Path) -> None:
    """Found by a review: after the round, with the agenda on the next item, the wall still said
    "Ordet har: <the last speaker> · Næste: …"."""
    plan = meeting_plan()
    m = plan.meetings[-1]
    assert m.agenda[4].key == "situation_round" and m.current_speaker == CITIZEN_ID
    m.start_item(m.agenda[5].id, datetime(2026, 11, 23, 10, 36))  # the round is over; its speaker stays
    for size in [(80, 24), (120, 36), (160, 45)]:
        folder = tmp_path / f"{size[0]}"
        folder.mkdir()
        app, _ = follow_app(folder, plan, projector=True)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            everything = app.screen_text() + statics_text(app)
            assert "Ordet har" not in everything and "Næste: " not in everything, size
            assert "Runden er slut." in statics_text(app)
            assert "reverse" not in str([row.cells[0].spans
                                         for row in app.follow_screen.query_one("#follow-round", ColumnTable).rows])
    # while the round's item is on, it is said
    m.start_item(m.agenda[4].id, datetime(2026, 11, 23, 10, 37))
    (tmp_path / "on").mkdir()
    app, _ = follow_app(tmp_path / "on", plan, projector=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "Ordet har: Mikkel" in app.screen_text()


async def test_the_round_not_yet_begun_says_so_even_with_a_speaker_set(tmp_path: Path) -> None:
    plan = meeting_plan()
    m = plan.meetings[-1]
    m.agenda[4].started_at = m.agenda[4].ended_at = None
    m.current_item = m.agenda[3].id  # the item before the round; the referent has set a speaker already
    app, _ = follow_app(tmp_path, plan, projector=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert "Ordet har" not in app.screen_text() and "Runden er ikke begyndt." in app.screen_text()


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_the_lock_screen_does_not_say_the_view_saved_anything(tmp_path: Path, lang: str) -> None:
    """Found by a review: the view's lock screen said "Alt er gemt", the referent's app's words;
    the view never saves anything."""
    from screens.unlock import UnlockScreen

    app, _ = own_vault_app(tmp_path, meeting_plan(), lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        notice = str(app.screen.query_one("#unlock-locked", Static).content)
        text = app.screen_text()
        for said in (notice, text):
            assert "Alt er gemt" not in said and "Everything is saved" not in said
        expected = "Visningen gemmer intet" if lang == "da" else "The view saves nothing"
        assert expected in notice


def test_names_are_never_broken_and_no_line_starts_with_a_comma() -> None:
    """Found by a review: "Henrik" / "Vestergaard" in the speaking order, and "Bostøttemedarbejder"
    / ", mødeleder" in the people column."""
    from screens.follow import NBSP, TableRow, keep

    names = ["Henrik Vestergaard", "Sara Bech Mikkelsen", "Jonas", "Nadia Rasmussen", "Mette Lund"]
    order = Content.assemble("Rækkefølge: ", *[part for n, name in enumerate(names)
                                                       for part in ([NBSP * 2 + "→  "] if n else []) + [keep(name)]])
    table = ColumnTable([(None, "left")])
    table.rows = [TableRow((order,))]
    people = ColumnTable([(None, "left"), (None, "left")], stack_below=16)
    people.rows = [TableRow((Content(keep("Karsten Friis")), Content("Bostøttemedarbejder\nmødeleder"))),
                   TableRow((Content(keep("Sara Bech Mikkelsen-Andersen")), Content("Søster"))),
                   TableRow((Content(keep("Mette Lund")), Content("Kontaktperson, sygeplejerske, referent")))]
    for width in range(30, 120):  # (a name wider than the whole width is folded: nothing else to do)
        table._cache = table._blocks = people._cache = people._blocks = None
        lines = [line.plain for line in table.lines(width)]
        assert all(line.rstrip().__len__() <= width for line in lines)
        for name in names:
            assert any(name in line for line in lines), (width, name, lines)
        assert not any(line.lstrip().startswith(("→", ",")) for line in lines[1:]), lines
        side = [line.plain for line in people.lines(width)]
        for name in ("Karsten Friis", "Sara Bech Mikkelsen-Andersen", "Bostøttemedarbejder"):
            assert any(name in line for line in side), (width, name, side)
        assert not any(re.search(r"(^|\s{2})[,.]", line) for line in side), side
        assert NBSP not in "".join(lines + side)


def names_whole_and_no_comma_first(text: str, names: list[str]) -> None:
    for name in names:
        assert name in text, name
    for line in text.splitlines():
        for cell in re.split(r"│|\s{2,}", line):
            assert not cell.strip().startswith(","), line


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 45)])
async def test_the_demo_meeting_on_the_wall_breaks_no_name_and_keeps_the_time(tmp_path: Path,
                                                                             size: tuple[int, int]) -> None:
    from tests.ui.harness import DEMO_NOW, meeting_in_progress

    plan = meeting_in_progress()
    names = [c.name for c in plan.contacts]
    for lang in ("da", "en"):
        folder = tmp_path / lang
        folder.mkdir()
        app, _ = follow_app(folder, plan, projector=True, clock=FakeClock(DEMO_NOW), lang=lang)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            text = app.screen_text()
            if size != (80, 24):
                names_whole_and_no_comma_first(text, names)
            names_whole_and_no_comma_first(app.follow_screen.query_one("#follow-round", ColumnTable).plain(),
                                           [n for n in names if n != "Henrik Vestergaard"])
            # the status line ends with the time the plan was saved, on 80 columns too
            status_line = text.splitlines()[-2]
            saved = plan.updated_at.strftime("%H:%M:%S") if plan.updated_at else ""
            assert status(app) and status(app).split()[-1] in status_line, (lang, status_line)
            assert saved == "" or saved in status_line
        set_language("da")


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", ["closed", "stale", "writing_projector"])
def test_the_usual_status_lines_fit_80_columns(lang: str, kind: str) -> None:
    from kiptui.i18n import t

    set_language(lang)
    assert len(t(f"follow.status_{kind}", time="09:40:00")) <= 80 - 4  # the status bar's padding


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 45)])
async def test_whose_turn_it_is_is_prominent_on_the_projector(tmp_path: Path, size: tuple[int, int]) -> None:
    """Found by a review: from the back of the room the big item clock was readable, "Ordet har:"
    was not. On the projector it is a band in the accent colour, at the top (the header on a
    large screen, the fixed part on a small one)."""
    from tests.ui.harness import DEMO_NOW, meeting_in_progress

    app, _ = follow_app(tmp_path, meeting_in_progress(), projector=True, clock=FakeClock(DEMO_NOW))
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        screen = app.follow_screen
        text = app.screen_text()
        line_no = next(n for n, line in enumerate(text.splitlines()) if "Ordet har: Lene Mikkelsen" in line)
        holder = screen.query_one("#follow-now-round" if screen.compact else "#follow-turn", ColumnTable)
        assert holder.display and holder.region.height
        assert line_no == holder.region.y  # shown where it is put, not scrolled away
        if not screen.compact:
            assert holder.region.y < screen.query_one("#follow-body").region.y  # above everything else
        else:
            assert not screen.query_one("#follow-turn").display
        assert line_no <= 6
        spans = [str(span.style) for span in holder.rows[0].cells[0].spans]
        assert any("on $accent" in style and "bold" in style for style in spans), spans
        assert "Ordet har" not in str(screen.query_one("#follow-round-speaker", Static).content)
