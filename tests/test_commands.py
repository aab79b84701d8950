"""Slash lines (`/aftale`, `/mål`) and text safety: core parsing without a screen."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kiptui.i18n import t
from kiptui.commands import is_slash_line, match_person, parse_slash_line
from kiptui.model import CITIZEN_ID, Contact, Plan, PlanError, Sector
from kiptui.textsafe import clean, md_block, md_inline, md_midline, one_line
from tests.strategies import hostile_text

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


def test_the_message_for_a_missing_responsible_gives_an_example_two_weeks_ahead(plan: Plan) -> None:
    """The example in the message is dated from the day it is shown: a fixed date in it
    was past one day, and a referent copying it made an overdue agreement."""
    for line in ("/aftale Søge boligstøtte", '/aftale Søge boligstøtte @""'):
        with pytest.raises(PlanError) as err:
            parse_slash_line(plan, line, TODAY)
        shown = t(err.value.code, **err.value.params)  # as the screens show it
        assert "@Mette 07.12.2026" in shown and "{" not in shown


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


def test_md_inline_escapes_only_what_makes_structure() -> None:
    assert md_inline("# [x](y) | *z*") == r"\# \[x\](y) \| \*z\*"
    # ordinary punctuation stays as typed: the raw Markdown reads as text
    assert md_inline("Søge boligstøtte, 01.12.2026 (senest) - ok? Ja!") == \
        "Søge boligstøtte, 01.12.2026 (senest) - ok? Ja!"
    # list markers and setext underlines only at the start of a line
    assert [md_inline(x) for x in ("- a", "+45", "1. a", "12) a", "===")] == \
        [r"\- a", r"\+45", r"1\. a", r"12\) a", r"\==="]


MD = MarkdownIt("js-default").enable("table")
_MD_CHARS = st.text(st.sampled_from(list("#*_`[]()<>&|~!-+=.:;)1234 aæ\\\n\t>\"'{}$@^%/?,")), max_size=40)


def _paragraph_text(markdown: str) -> list[str]:
    """The paragraphs of a Markdown text as plain text; fails on any other structure."""
    out = []
    tokens = MD.parse(markdown)
    for tok in tokens:
        assert tok.type in ("paragraph_open", "inline", "paragraph_close"), tok.type
        if tok.type == "inline":
            for child in tok.children or []:
                assert child.type in ("text", "hardbreak"), child.type
            out.append("".join("\n" if c.type == "hardbreak" else c.content for c in tok.children or []))
    return out


@settings(max_examples=400, deadline=None)
@given(st.one_of(_MD_CHARS, hostile_text()))
def test_escaped_text_is_exactly_its_text_in_markdown(text: str) -> None:
    """Whatever the user wrote, md_inline/md_block give a paragraph that renders back to the
    (cleaned) text itself: no heading, list, table, code, link, emphasis or HTML."""
    line = one_line(text)
    assert _paragraph_text(md_inline(text)) == ([line] if line else [])
    paragraphs: list[list[str]] = [[]]
    for raw in clean(text).split("\n"):
        if one_line(raw):
            paragraphs[-1].append(one_line(raw))
        elif paragraphs[-1]:
            paragraphs.append([])
    assert _paragraph_text(md_block(text)) == ["\n".join(p) for p in paragraphs if p]


def _inline_texts(markdown: str) -> list[str]:
    """The text of every inline run of a Markdown document, failing on any inline structure."""
    out = []
    for tok in MD.parse(markdown):
        if tok.type == "inline":
            for child in tok.children or []:
                assert child.type in ("text", "strong_open", "strong_close"), child.type
            out.append("".join(c.content for c in tok.children or []))
    return out


@settings(max_examples=300, deadline=None)
@given(st.one_of(_MD_CHARS, hostile_text()))
def test_text_after_a_label_in_a_heading_or_a_cell_stays_text(text: str) -> None:
    """md_midline drops only the line-start escapes; where the minutes use it (after a label,
    in a heading, in a table cell) the text still makes no structure and reads as typed."""
    value = md_midline(md_inline(text))
    line = one_line(text)
    tokens = [t.type for t in MD.parse(f"- **Sted:** {value}")]
    assert tokens.count("bullet_list_open") == 1 and "ordered_list_open" not in tokens
    assert _inline_texts(f"- **Sted:** {value}") == [f"Sted: {line}".rstrip()]
    if line:
        assert [t.type for t in MD.parse(f"#### {value}")][0] == "heading_open"
        assert _inline_texts(f"#### {value}") == [line]
    table = MD.parse(f"| a | b |\n|---|---|\n| {value or '–'} | x |")
    assert sum(t.type == "td_open" for t in table) == 2
    assert _inline_texts(f"| a | b |\n|---|---|\n| {value or '–'} | x |")[2] == (line or "–")
