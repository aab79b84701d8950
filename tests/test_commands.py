"""Slash lines (`/aftale`, `/mål`) and text safety: core parsing without a screen."""

from __future__ import annotations

from datetime import date

import pytest

from kiptui.commands import is_slash_line, match_person, parse_slash_line
from kiptui.model import CITIZEN_ID, Contact, Plan, PlanError, Sector
from kiptui.textsafe import clean, md_inline, one_line

TODAY = date(2026, 11, 23)


@pytest.fixture
def plan() -> Plan:
    p = Plan()
    p.citizen.name = "Mikkel Sørensen"
    for name, sector in [("Lone Hansen", Sector.MUNICIPALITY), ("Lars Holm", Sector.REGION),
                         ("Birgitte Sørensen", Sector.RELATIVE)]:
        p.add_contact(Contact(name=name, sector=sector))
    return p


def test_agreement_with_at_and_date(plan: Plan) -> None:
    cmd = parse_slash_line(plan, "/aftale Søge om boligstøtte @Lone 01.12.2026", TODAY)
    assert cmd.kind == "agreement"
    assert cmd.text == "Søge om boligstøtte"
    assert plan.name_of(cmd.responsible) == "Lone Hansen"
    assert cmd.deadline == date(2026, 12, 1)


def test_agreement_with_semicolons_and_short_date(plan: Plan) -> None:
    cmd = parse_slash_line(plan, "/aftale Ringe til lægen; Lars Holm; 5.1", TODAY)
    assert plan.name_of(cmd.responsible) == "Lars Holm"
    assert cmd.deadline == date(2027, 1, 5)  # dd.mm in the past means next year


def test_citizen_can_be_responsible(plan: Plan) -> None:
    assert parse_slash_line(plan, "/aftale Møde op @borger", TODAY).responsible == CITIZEN_ID
    assert parse_slash_line(plan, "/aftale Møde op @Mikkel", TODAY).responsible == CITIZEN_ID


def test_goal(plan: Plan) -> None:
    cmd = parse_slash_line(plan, "/mål Egen bolig inden sommer", TODAY)
    assert (cmd.kind, cmd.text) == ("goal", "Egen bolig inden sommer")


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("/aftale Søge boligstøtte", "slash_no_responsible"),
        ("/aftale Søge @Lone @Lars", "slash_one_responsible"),
        ("/aftale Søge @Ukendt", "slash_unknown_person"),
        ("/aftale Søge @L", "slash_ambiguous_person"),
        ("/aftale Søge @Lone 31.02.2027", "slash_bad_date"),
        ("/aftale @Lone", "agreement_needs_what"),
        ("/mål", "goal_needs_text"),
    ],
)
def test_refusals(plan: Plan, line: str, code: str) -> None:
    with pytest.raises(PlanError) as err:
        parse_slash_line(plan, line, TODAY)
    assert err.value.code == code


def test_sørensen_is_ambiguous_but_full_name_is_not(plan: Plan) -> None:
    with pytest.raises(PlanError):
        match_person(plan, "Sørensen")
    assert plan.name_of(match_person(plan, '"Birgitte Sørensen"')) == "Birgitte Sørensen"


def test_is_slash_line() -> None:
    assert is_slash_line("  /aftale x") and is_slash_line("/mål x") and not is_slash_line("aftale")


HOSTILE = "a\x1b[31mb\x1b]52;c;SGVsbG8=\x07c\u202ed\x00e\x9b2Jf"


def test_clean_removes_escapes_controls_and_bidi() -> None:
    assert clean(HOSTILE) == "abcdef"
    assert clean("linje 1\nlinje 2\tx\r") == "linje 1\nlinje 2    x"
    assert one_line("  a \n  b  ") == "a b"


def test_md_inline_escapes_all_punctuation() -> None:
    assert md_inline("# [x](y) | *z*") == r"\# \[x\]\(y\) \| \*z\*"
