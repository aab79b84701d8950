"""Building blocks for UI tests: a fixed clock, a sample plan with fictional people, an app on
a temporary, already unlocked vault, and a one-pane screen for testing a pane on its own."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from kiptui.model import (
    CITIZEN_ID,
    AttendanceStatus,
    Contact,
    Plan,
    Sector,
    new_meeting,
)
from kiptui.resources import agenda_template
from kiptui.vault import Vault
from screens.app import KiptuiApp

PASSPHRASE = "test-adgangsfrase-der-er-lang"
FIXED_NOW = datetime(2026, 11, 23, 10, 0, 0)
SIZE = (120, 36)


class FakeClock:
    def __init__(self, start: datetime = FIXED_NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def sample_plan() -> Plan:
    """A small plan: citizen, two relatives... all fictional; one planned meeting."""
    plan = Plan()
    plan.citizen.name = "Mikkel Sørensen"
    plan.citizen.cpr = "010190-0000"
    plan.citizen.phone = "+45 20 30 40 50"
    plan.consent.given = True
    plan.consent.given_on = date(2026, 11, 1)
    plan.consent.how = "skriftligt"
    contacts = [
        Contact(name="Lone Hansen", sector=Sector.MUNICIPALITY, organisation="Næstved Kommune",
                role="Socialrådgiver", email="lone.hansen@eksempel.dk", phone="55 66 77 88"),
        Contact(name="Anders Holm", sector=Sector.REGION, organisation="Psykiatrien Region Sjælland",
                role="Sygeplejerske", email="anders.holm@eksempel.dk", phone="44 33 22 11"),
        Contact(name="Birgitte Sørensen", sector=Sector.RELATIVE, role="Mor", phone="22 33 44 55"),
        Contact(name="Karim Nielsen", sector=Sector.MUNICIPALITY, organisation="Rusmiddelcentret",
                role="Behandler", email="karim.nielsen@eksempel.dk"),
    ]
    for c in contacts:
        plan.add_contact(c)
    m = new_meeting(plan, agenda_template(), datetime(2026, 11, 23, 10, 0))
    m.place = "Mødelokale 2, Jobcentret"
    return plan


DEMO_NOW = datetime(2026, 12, 1, 13, 32)


def meeting_in_progress() -> Plan:
    """The demo plan's second meeting half-way: attendance taken, chair and referent chosen,
    five agenda items run, the situation round under way, one new agreement."""
    from kiptui.model import AttendanceMode
    from kiptui.planjson import load_plan_file
    from kiptui.resources import data_path

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
                       datetime(2026, 12, 15).date(), m.id, DEMO_NOW)
    return plan



def by_name(plan: Plan, first_name: str) -> str:
    return next(c.id for c in plan.contacts if c.name.startswith(first_name))


def make_app(tmp_path: Path, plan: Plan | None = None, clock: FakeClock | None = None,
             **kwargs: Any) -> tuple[KiptuiApp, Plan, Vault]:
    """An app on a fresh vault (already unlocked) holding `plan` (default: sample_plan()).

    The idle lock is off unless a test asks for it: a test that moves the fake clock on by an
    hour was locked by the real-time idle check when a loaded machine made it last over 5 s."""
    kwargs.setdefault("idle_lock_seconds", 0)
    plan = plan or sample_plan()
    vault = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.add_plan(plan, FIXED_NOW)
    app = KiptuiApp(tmp_path / "vault", vault=vault, clock=clock or FakeClock(), **kwargs)
    return app, plan, vault


class OnePaneScreen(Screen[None]):
    """A screen holding one pane, for testing a pane before/without the full MeetingScreen."""

    from screens.meeting import PANE_CSS as CSS_PATH

    def __init__(self, pane_cls: type, tab: str = "pane") -> None:
        super().__init__()
        self.pane_cls = pane_cls
        self.tab = tab

    def compose(self) -> ComposeResult:
        yield self.pane_cls(id=f"pane-{self.tab}")
        yield Footer()

    def plan_updated(self, origin: Any = None) -> None:
        for pane in self.query(self.pane_cls):
            if pane is not origin:
                pane.refresh_from_plan()


async def open_pane(app: KiptuiApp, pilot: Any, plan_id: str, pane_cls: type, tab: str = "pane") -> Any:
    """Open the plan for writing in `app` and show only `pane_cls`."""
    app.handle = app.vault.open_plan(plan_id)
    app.meeting_id = app.plan.meetings[-1].id if app.plan.meetings else ""
    await app.push_screen(OnePaneScreen(pane_cls, tab))
    await pilot.pause()
    return app.screen.query_one(pane_cls)


def screen_text(app: KiptuiApp) -> str:
    """What a person would read on the screen right now: one line of text per terminal row."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for line_no, text in re.findall(r'<text[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(int(line_no), []).append(text)
    return "\n".join(
        html.unescape("".join(parts)).replace("\xa0", " ") for _, parts in sorted(rows.items())
    )


async def saved_plan(app: KiptuiApp, vault: Vault, plan_id: str) -> Plan:
    """Let the widgets handle what is queued, flush the autosave, read the plan back from disk."""
    await app.settle()
    app.save_now()
    await app.wait_for_saves()
    return vault.load_plan(plan_id)


__all__ = ["CITIZEN_ID", "AttendanceStatus", "FakeClock", "FIXED_NOW", "PASSPHRASE", "SIZE",
           "by_name", "make_app", "screen_text", "open_pane", "sample_plan", "saved_plan"]
