"""Hostile strings (tests/strategies.HOSTILE_SAMPLES and more: terminal escapes, OSC 52
clipboard writes, OSC 8 links, 8-bit CSI, bidi overrides and isolates, Textual markup with
actions, Markdown, HTML) in every text field of a plan, through every screen of the referent's
app (the plans list, each tab F2–F7 with every section of F2, the review screen part by part),
the chair's follow view and the bundle viewer; through the minutes, the HTML page, the bundle
round trip and what the command line prints.

On screen they are shown literally (never markup), no action fires (clicking on them included),
the app keeps running, and what the app writes to the terminal — captured from a driver that
records its output — holds no escape sequence but Textual's own: cursor moves and colours (CSI
H and m) and the mouse-pointer shape (OSC 22); no BEL, no C1 control, no bidi control.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.drivers.headless_driver import HeadlessDriver
from textual.screen import ModalScreen

from kiptui import cli
from kiptui.bundle import bundle_payload, open_bundle
from kiptui.i18n import set_language
from kiptui.minutes import render_html, render_invitation, render_markdown
from kiptui.model import CITIZEN_ID, LifeArea, Plan, plan_to_dict
from kiptui.textsafe import one_line
from kiptui.vault import Vault
from screens.app import KiptuiApp
from screens.bundle_view import BundleViewer
from screens.follow import FollowApp
from screens.meeting import TABS, MeetingScreen
from screens.plans import PlansScreen
from screens.review import ReviewScreen
from tests.agefiles import make_scrypt_file
from tests.reliability.common import NOW, PASS, meeting_plan
from tests.strategies import HOSTILE_SAMPLES
from tests.ui.harness import FakeClock, screen_text

EXTRA = (
    "\x1b]52;c;aGVq\x07klip",  # OSC 52: write the clipboard (BEL)
    "\x1b]52;c;aGVq\x1b\\klip2",  # ... ended by ST
    "\x1b]8;;http://evil.example\x1b\\her\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]0;falsk titel\x07vindue",  # window title
    "\x9b31mc1-rød\x9b0m",  # 8-bit CSI
    "\x1bP+q544e\x1b\\dcs",  # DCS request
    "\x1b[?1049hskjult\x1b[6n",  # alternate screen, cursor position report
    "\u202eevil\u202c \u2066isol\u2069 \u061calm \u200fr",
    "[@click=app.quit]afslut[/]",
    "[@click=screen.dismiss]luk[/] [@click=app.bell]ding[/]",
    "[bold red on white]stil[/] $variable {name} [/]",
    "[tekst](javascript:alert(1)) ![billede](http://evil.example/x.png) <http://evil.example>",
    "```\nkode\n```\n    indrykket",
    "<img src=x onerror=alert(1)> <a href='http://evil.example'>a</a> <iframe>",
    "&lt;b&gt; &amp; &#x1b; &#0;",
)
CORPUS = tuple(s for s in HOSTILE_SAMPLES if s.strip()) + EXTRA
CITIZEN = "[@click=app.quit]x[/] [b]Sørensen[/b]"
#: literals that must be seen as they are, somewhere in the views
LITERALS = ["[@click=app.quit]x[/]", "[b]fed[/b] [link=https://evil.example]klik[/link]", "[TODO] ring til Lone",
            "<script>alert('x')</script>", "[@click=app.quit]afslut[/]", "$variable {name}", "${name} {0} %s {{}}"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
BUNDLE_PASS = "blomst-kaffe-bjerg-lampe-svale"


@pytest.fixture(autouse=True)
def _danish() -> Iterator[None]:
    set_language("da")
    yield
    set_language("da")


def hostile_plan(texts: tuple[str, ...] = CORPUS, citizen: str = CITIZEN) -> Plan:
    """The sample meeting with a hostile string in every text field a screen shows (with other
    `texts`, the same plan with those instead: the structure to compare with)."""

    def corpus(k: int) -> str:
        return texts[k % len(texts)]

    everything = "\n".join(texts)
    plan = meeting_plan()
    n = iter(range(10_000))
    c = plan.citizen
    c.name = citizen
    c.address, c.phone, c.email, c.general_practitioner, c.notes = (corpus(next(n)) for _ in range(5))
    plan.consent.how, plan.consent.note = corpus(next(n)), corpus(next(n))
    w = plan.wishes
    w.feel_safe, w.how_much_to_say, w.breaks, w.part_of_meeting, w.other = (corpus(next(n)) for _ in range(5))
    for contact in plan.contacts:
        contact.name = f"{corpus(next(n))} {contact.name}"
        contact.organisation, contact.role, contact.email = (corpus(next(n)) for _ in range(3))
    m = plan.meetings[0]
    m.place, m.video_link = corpus(next(n)), corpus(next(n))
    inv = m.invitation
    inv.purpose, inv.reason, inv.current_situation, inv.bring_other_plans = (corpus(next(n)) for _ in range(4))
    for k, item in enumerate(m.agenda):
        item.title, item.notes = corpus(next(n)), everything if k == 1 else corpus(next(n))
    m.start_item(m.agenda[1].id, NOW)
    for k, entry in enumerate(m.situation_round):
        entry.text = everything if k == 0 else corpus(next(n))
        entry.life_areas = {LifeArea.HOUSING.value: corpus(next(n)), LifeArea.MENTAL_HEALTH.value: corpus(next(n))}
    m.current_speaker = CITIZEN_ID
    for k in range(len(texts)):
        responsible = [CITIZEN_ID, *(x.id for x in plan.contacts)][k % (1 + len(plan.contacts))]
        agreement = plan.add_agreement(corpus(k), responsible, date(2026, 12, 1 + k % 28), m.id, NOW)
        plan.add_goal(corpus(k + 1), m.id, NOW)
        if k % 3 == 0 and one_line(corpus(k + 2)):  # deviations (minutes, Alt+A) with hostile text
            plan.report_deviation(agreement.id, responsible, corpus(k + 2), NOW.date(), NOW)
    m.summary = everything
    m.next_meeting.on = datetime(2027, 2, 1, 10, 0)
    m.next_meeting.place = corpus(next(n))
    m.review_afterwards = True
    plan.validate()
    return plan


class Capture(HeadlessDriver):
    """A headless driver that is not headless to the app: it records what would go to the
    terminal, byte for byte."""

    written: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        Capture.written.append(data)

    def flush(self) -> None:
        pass


def check_terminal_output(raw: str) -> None:
    assert raw, "nothing was captured"
    # Textual's own: OSC 22 (the mouse pointer's shape), CSI cursor moves and colours
    rest = re.sub(r"\x1b\]22;[a-z-]*\x07", "", raw)
    kinds = {(params[:1] if params[:1] in "?<=>" else "", final)
             for params, final in re.findall(r"\x1b\[([0-?]*)[ -/]*([@-~])", rest)}
    assert kinds <= {("", "H"), ("", "m")}, kinds
    rest = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", rest)
    assert "\x1b" not in rest, repr(rest[rest.index("\x1b") - 20 : rest.index("\x1b") + 40])
    bad = CONTROLS.findall(rest.replace("\n", ""))
    assert not bad, sorted(set(bad))
    assert "]52;" not in rest and "]8;;" not in rest and "aGVq" not in rest


class Watch:
    """Every action the app runs, and a quit that only records."""

    def __init__(self, app: Any) -> None:
        self.actions: list[str] = []
        self.quits = 0
        real = app.run_action

        async def run_action(action: Any, *args: Any, **kwargs: Any) -> Any:
            self.actions.append(str(action))
            return await real(action, *args, **kwargs)

        def no_quit(*_args: Any, **_kwargs: Any) -> None:
            self.quits += 1

        app.run_action = run_action
        app.action_quit = no_quit
        app.action_bell = no_quit

    def fired(self) -> list[str]:
        return [a for a in self.actions if re.search(r"quit|bell|dismiss", a)]


async def click_on_literals(pilot: Any, app: Any, text: str, most: int = 4) -> None:
    """Click on the would-be links: where a markup action would be, were it markup."""
    places = [(line.find(needle), y) for y, line in enumerate(text.splitlines())
              for needle in ("[@click", "[link=") if needle in line]
    for x, y in places[:most]:
        await pilot.click(offset=(x + 2, y))
        await pilot.pause()
        while isinstance(app.screen, ModalScreen):
            await pilot.press("escape")
            await pilot.pause()


async def look(pilot: Any, app: Any, seen: list[str]) -> str:
    await pilot.pause()
    text = screen_text(app)
    assert not CONTROLS.search(text.replace("\n", "")), sorted(set(CONTROLS.findall(text)))
    seen.append(text)
    return text


@pytest.fixture
def vault_and_plan(tmp_path: Path) -> tuple[Vault, Plan]:
    vault = Vault.create(tmp_path / "vault", PASS)
    plan = hostile_plan()
    vault.add_plan(plan, NOW)
    other = meeting_plan("\x1b]52;c;aGVq\x07\u202eAnden [@click=app.quit]borger[/]")
    vault.add_plan(other, NOW)
    return vault, plan


async def test_the_referents_app_every_screen(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    Capture.written = []
    app = KiptuiApp(vault.path, vault=vault, clock=FakeClock(NOW))
    app.driver_class = Capture
    seen: list[str] = []
    async with app.run_test(headless=False, size=(140, 45), notifications=True) as pilot:
        watch = Watch(app)
        assert isinstance(app.screen, PlansScreen)
        await click_on_literals(pilot, app, await look(pilot, app, seen))
        app.open_plan(plan.id)
        await pilot.pause()
        for tab, _module, _cls, key in TABS:
            await pilot.press(key)
            assert isinstance(app.screen, MeetingScreen) and app.screen.active_tab == tab
            text = await look(pilot, app, seen)
            assert "[@click=app.quit]x[/]" in text, tab  # the status line: the name as it is
            await click_on_literals(pilot, app, text)
            await pilot.press(key)  # the click may have moved the focus or the tab
            if tab == "prepare":
                for n in range(2, 6):
                    await pilot.press(f"alt+{n}")
                    await click_on_literals(pilot, app, await look(pilot, app, seen))
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(7):
            await look(pilot, app, seen)
            await pilot.press("ctrl+right")
        await click_on_literals(pilot, app, await look(pilot, app, seen))
        assert app.is_running and app.return_code is None
        assert watch.quits == 0 and watch.fired() == []
        await app.shutdown()
    everything = "\n".join(seen)
    for literal in LITERALS:
        assert literal in everything, literal
    check_terminal_output("".join(Capture.written))


async def test_the_follow_view(vault_and_plan: tuple[Vault, Plan]) -> None:
    vault, plan = vault_and_plan
    Capture.written = []
    seen: list[str] = []
    for projector in (False, True):
        app = FollowApp(vault.path, plan.id, vault=vault, clock=FakeClock(NOW), poll_interval=3600,
                        projector=projector)
        app.driver_class = Capture
        async with app.run_test(headless=False, size=(140, 60), notifications=True) as pilot:
            watch = Watch(app)
            app.poll()
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = await look(pilot, app, seen)
            assert app.shown_version == plan.version
            await click_on_literals(pilot, app, text)
            for key in ("pagedown", "pagedown", "end", "ctrl+t"):
                await pilot.press(key)
                await look(pilot, app, seen)
            assert app.is_running and watch.quits == 0 and watch.fired() == []
    assert "[@click=app.quit]" in "\n".join(seen)
    check_terminal_output("".join(Capture.written))


async def test_the_bundle_viewer_and_the_bundle_round_trip(vault_and_plan: tuple[Vault, Plan]) -> None:
    _, plan = vault_and_plan
    content = open_bundle(make_scrypt_file(bundle_payload(plan), BUNDLE_PASS, log_n=10), BUNDLE_PASS)
    # the strings come back exactly: they are data, and data is not changed on the way
    assert plan_to_dict(content.plan) == plan_to_dict(plan)
    assert content.minutes_markdown == render_markdown(plan)
    Capture.written = []
    app = BundleViewer(content, source="\x1b]52;c;aGVq\x07[@click=app.quit]fil[/].kipbundle")
    app.driver_class = Capture
    seen: list[str] = []
    async with app.run_test(headless=False, size=(140, 45), notifications=True) as pilot:
        watch = Watch(app)
        text = await look(pilot, app, seen)
        assert "[@click=app.quit]x[/]" in text and "[@click=app.quit]fil[/].kipbundle" in text
        await click_on_literals(pilot, app, text)
        for key in ("pagedown", "end"):
            await pilot.press(key)
            await click_on_literals(pilot, app, await look(pilot, app, seen), most=2)
        assert app.is_running and watch.quits == 0 and watch.fired() == []
    check_terminal_output("".join(Capture.written))


# --------------------------------------------------------------------------- documents


def _tokens(markdown: str) -> list[Any]:
    out = []
    stack = MarkdownIt("commonmark").enable("table").parse(markdown)
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(tok.children or [])
    return out


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def _shape(markdown: str) -> list[str]:
    """The document's structure: its headings, tables and table rows, in order."""
    return [t.type for t in MarkdownIt("commonmark").enable("table").parse(markdown)
            if t.type in ("heading_open", "table_open", "tr_open", "bullet_list_open", "ordered_list_open")]


def test_minutes_invitation_and_html_stay_documents() -> None:
    plan = hostile_plan()
    # harmless words where the hostile string has any to show (some are escape sequences only)
    neutral = hostile_plan(tuple(f"tekst {k}" if one_line(text) else "\x07" for k, text in enumerate(CORPUS)),
                           "Mikkel Sørensen")
    for render in (lambda p: render_markdown(p, now=NOW), lambda p: render_invitation(p, p.meetings[0])):
        markdown = render(plan)
        assert not CONTROLS.search(markdown.replace("\n", "").replace("\t", ""))
        kinds = {t.type for t in _tokens(markdown)}
        assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_block", "fence"}, kinds
        # the structure of the same plan with harmless words: nothing became a heading, list or row
        assert _shape(markdown) == _shape(render(neutral))
        page = render_html(markdown, "[@click=app.quit]titel[/] <script>")
        parser = _Tags()
        parser.feed(page)
        assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p",
                               "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "em",
                               "blockquote", "hr", "br", "code", "pre"}, parser.tags
        assert parser.attrs <= {"lang", "charset", "http-equiv", "content", "name", "style"}, parser.attrs
        assert not CONTROLS.search(page.replace("\n", ""))


def test_what_the_command_line_prints(vault_and_plan: tuple[Vault, Plan], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`list`, `log`, `minutes` and `json export` write to the terminal: no escape sequence,
    no C1 control, no bidi control gets there (JSON keeps them, escaped as \\uXXXX)."""
    vault, plan = vault_and_plan
    monkeypatch.setenv("KIPTUI_VAULT", str(vault.path))
    monkeypatch.setenv("KIPTUI_PASSPHRASE", PASS)
    vault.log_event("export", plan.id, "other", "\x1b]52;c;aGVq\x07[@click=app.quit]formål[/] \u202e",
                    detail="\x9b2J" + "\n".join(CORPUS))
    printed = []
    for args in (["list"], ["log", plan.id], ["minutes", plan.id], ["minutes", plan.id, "--html"],
                 ["minutes", plan.id, "--invitation"], ["json", "export", plan.id]):
        code = cli.main(args)
        out, err = capsys.readouterr()
        assert code == 0, err
        assert not CONTROLS.search(out.replace("\n", "")), (args, sorted(set(CONTROLS.findall(out))))
        assert not CONTROLS.search(err.replace("\n", ""))
        printed.append(out)
    # the JSON still holds every string exactly
    from kiptui.planjson import parse_plan

    assert plan_to_dict(parse_plan(printed[-1])) == plan_to_dict(vault.load_plan(plan.id))
