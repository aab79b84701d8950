"""Slash lines in the minutes: `/aftale` makes an agreement, `/mål` a goal (the IRC scribe
bots' idea). Parsing lives here, in the core, so it is tested without a screen.

    /aftale Søge om boligstøtte @Lone 01.12.2027
    /aftale Søge om boligstøtte; Lone Hansen; 01.12.2027
    /mål Mikkel vil have sin egen bolig inden sommer

The responsible is matched against the citizen and the network by a unique part of the name
(`@borger` is always the citizen). The deadline is optional: dd.mm.yyyy, dd.mm.yy or dd.mm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kiptui.i18n import example_deadline, parse_date
from kiptui.model import CITIZEN_ID, Plan, PlanError

_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?$")


@dataclass
class SlashCommand:
    kind: str  # "agreement" or "goal"
    text: str
    responsible: str = ""
    deadline: date | None = None


def is_slash_line(line: str) -> bool:
    head = line.lstrip().split(" ", 1)[0].casefold()
    return head in ("/aftale", "/mål", "/maal")


def _parse_deadline(token: str, today: date) -> date:
    parts = re.split(r"[./-]", token)
    try:
        if len(parts) == 2:
            d = date(today.year, int(parts[1]), int(parts[0]))
            return d if d >= today else date(today.year + 1, d.month, d.day)
        return parse_date(token)
    except ValueError:
        raise PlanError("slash_bad_date", date=token) from None


def match_person(plan: Plan, query: str, today: date | None = None) -> str:
    """A contact id (or CITIZEN_ID) from a unique part of a name; PlanError when none or many.
    `today` dates the example in the message when no name is given."""
    q = query.strip().strip('"').casefold()
    if not q:
        raise PlanError("slash_no_responsible", example=example_deadline(today or date.today()))
    if q in ("borger", "borgeren", "citizen"):
        return CITIZEN_ID
    people = [(CITIZEN_ID, plan.citizen.name)] + [(c.id, c.name) for c in plan.contacts]
    exact = [pid for pid, name in people if name.casefold() == q]
    if len(exact) == 1:
        return exact[0]
    by_word = [pid for pid, name in people if any(w.startswith(q) for w in name.casefold().split())]
    if len(by_word) == 1:
        return by_word[0]
    anywhere = [pid for pid, name in people if q in name.casefold()]
    if len(anywhere) == 1:
        return anywhere[0]
    if not anywhere and not by_word:
        raise PlanError("slash_unknown_person", name=query.strip())
    raise PlanError("slash_ambiguous_person", name=query.strip())


def parse_slash_line(plan: Plan, line: str, today: date) -> SlashCommand:
    head, _, rest = line.strip().partition(" ")
    head = head.casefold()
    rest = rest.strip()
    if head in ("/mål", "/maal"):
        if not rest:
            raise PlanError("goal_needs_text")
        return SlashCommand(kind="goal", text=rest)
    if head != "/aftale":
        raise PlanError("slash_unknown")
    if ";" in rest:
        fields = [f.strip() for f in rest.split(";")]
        what = fields[0]
        who = fields[1] if len(fields) > 1 else ""
        when = fields[2] if len(fields) > 2 else ""
        deadline = _parse_deadline(when, today) if when else None
    else:
        tokens = rest.split()
        deadline = None
        if tokens and _DATE.match(tokens[-1]):
            deadline = _parse_deadline(tokens.pop(), today)
        at = [n for n, tok in enumerate(tokens) if tok.startswith("@")]
        if len(at) > 1:
            raise PlanError("slash_one_responsible")
        who = ""
        if at:
            who = tokens.pop(at[0])[1:]
        what = " ".join(tokens)
    if not what:
        raise PlanError("agreement_needs_what")
    if not who:
        raise PlanError("slash_no_responsible", example=example_deadline(today))
    return SlashCommand(
        kind="agreement", text=what, responsible=match_person(plan, who, today), deadline=deadline
    )
