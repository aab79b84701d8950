"""Deterministic benchmark plans: the 'large plan' of the issues (20 meetings, 300 agreements,
about 150 KB of text) and many small plans for a big vault. Fictional text only."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from kiptui.model import (
    CITIZEN_ID,
    AgreementStatus,
    AttendanceStatus,
    Contact,
    MeetingStatus,
    Plan,
    Sector,
    new_meeting,
)
from kiptui.resources import agenda_template
from kiptui.vault import Vault

WORDS = (
    "borger bolig støtte aftale møde plan behandling misbrug psykiatri kommune region læge "
    "jobcenter netværk mor bror søster ansvarlig frist koordinator opfølgning samtale medicin "
    "søvn økonomi gæld uddannelse praktik trivsel angst depression hash alkohol bostøtte "
    "sagsbehandler sygeplejerske psykolog ambulatorium aktivitet hverdag tryghed pauser"
).split()


def prose(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    sentences, out = [], []
    for n, w in enumerate(words, 1):
        out.append(w)
        if n % 12 == 0:
            sentences.append(" ".join(out).capitalize() + ".")
            out = []
    if out:
        sentences.append(" ".join(out).capitalize() + ".")
    return " ".join(sentences)


def large_plan(seed: int = 7) -> Plan:
    rng = random.Random(seed)
    plan = Plan(id=f"{seed:016x}")
    plan.citizen.name = "Mikkel Testesen"
    plan.citizen.notes = prose(rng, 200)
    sectors = [Sector.REGION, Sector.MUNICIPALITY, Sector.MUNICIPALITY, Sector.GENERAL_PRACTICE,
               Sector.RELATIVE, Sector.RELATIVE, Sector.OTHER, Sector.REGION]
    for n, sector in enumerate(sectors):
        plan.add_contact(Contact(id=f"{n:016x}", name=f"Kontakt {n} Testesen", sector=sector,
                                 organisation=f"Organisation {n}", role="Rolle"))
    ids = [c.id for c in plan.contacts]
    start = datetime(2025, 1, 6, 10, 0)
    for m_no in range(20):
        when = start + timedelta(days=30 * m_no)
        m = new_meeting(plan, agenda_template(), when)
        for a in m.attendance:
            a.status = AttendanceStatus.PRESENT
        m.chair, m.referent = ids[0], ids[1]
        for item in m.agenda:
            item.started_at = when
            item.ended_at = when + timedelta(minutes=item.planned_minutes)
            item.notes = prose(rng, 25)
        m.build_round()
        for entry in m.situation_round:
            entry.text = prose(rng, 40)
        m.summary = prose(rng, 60)
        m.status = MeetingStatus.CLOSED
        for _ in range(15):
            responsible = rng.choice(ids[:4] + [CITIZEN_ID])
            a = plan.add_agreement(prose(rng, 14), responsible, when.date() + timedelta(days=60),
                                   m.id, when)
            if rng.random() < 0.5:
                plan.set_agreement_status(a.id, AgreementStatus.DONE, when + timedelta(days=20))
    plan.set_coordinator(ids[0], date(2025, 1, 6))
    return plan


def add_large_plan_as_held(vault: Vault, seed: int = 7) -> Plan:
    """The large plan as a vault holds it after its 20 meetings were held: built up meeting by
    meeting, each closed with its version frozen, as the app does. Returns the open plan's
    final state (the vault's handle is closed)."""
    full = large_plan(seed)
    plan = Plan(id=full.id, citizen=full.citizen, contacts=full.contacts, coordinators=full.coordinators)
    vault.add_plan(plan, log=False)
    handle = vault.open_plan(plan.id, log=False)
    try:
        for meeting in full.meetings:
            handle.plan.meetings.append(meeting)
            handle.plan.agreements.extend(a for a in full.agreements if a.meeting_id == meeting.id)
            handle.freeze(meeting.id)
            handle.save()
        return handle.plan
    finally:
        handle.close()


def add_meeting_under_way(vault: Vault, plan_id: str) -> None:
    """The next meeting of a held plan, under way: the network present, the first item
    started, the round built. A closed meeting is read only, so the referent types here."""
    from datetime import datetime

    from kiptui.model import AttendanceStatus, new_follow_up_meeting
    from kiptui.resources import agenda_template

    handle = vault.open_plan(plan_id, log=False)
    try:
        m = new_follow_up_meeting(handle.plan, agenda_template(), None)
        for a in m.attendance:
            a.status = AttendanceStatus.PRESENT
        m.start_item(m.agenda[0].id, m.starts_at or datetime(2027, 1, 11, 10, 0))
        m.build_round()
        handle.save()
    finally:
        handle.close()


def small_plan(n: int) -> Plan:
    plan = Plan(id=f"{n + 1_000_000:016x}")
    plan.citizen.name = f"Borger {n:05d} Testesen"
    plan.add_contact(Contact(name="Kontakt Testesen", sector=Sector.MUNICIPALITY))
    new_meeting(plan, agenda_template(), datetime(2026, 12, 1, 10, 0))
    return plan
