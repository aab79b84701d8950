"""UI figures (issue 3): keystroke-to-screen in a situation-round note of 2,000 lines against a
bare Textual TextArea with the same text, start-up to the first screen against a bare Textual
app, and memory with the large plan open against a bare Textual app (and against that app
using `cryptography` as kiptui must: the floor of any app on that library) — each in one run.
Also, without a goal in the issue: a referent typing 1,500 keys with the large plan open and
every tab built (the worst key, and Python's collections meanwhile), and F-key tab switches.

Keystroke-to-screen is measured from handing the key to the app's driver to the moment the
app produces the screen update for it (the frame is also rendered to terminal sequences, the
work a real terminal would cause), without Pilot's own waiting.

Run: python -m benchmarks.bench_ui
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.widgets import TextArea

SIZE = (120, 36)
KEYS = 150
NOTE = "\n".join(
    f"Linje {n}: borger fortæller om søvn, bolig, økonomi og samarbejdet med kommunen." for n in range(2000)
)


def _hook_display(app: App) -> list[float]:
    stamps: list[float] = []
    original = app._display

    def display(screen, renderable):  # noqa: ANN001
        if renderable is not None:
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what a real terminal costs
            stamps.append(time.perf_counter())
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    return stamps


def _typed_text_visible(app: App) -> None:
    """The measured frames must show what was typed: the last ten keys are on the screen."""
    from tests.ui.harness import screen_text

    if "abcdefghij" not in screen_text(app):  # type: ignore[arg-type]
        raise RuntimeError("the typed text is not on the screen: the figure would mean nothing")


async def _type(app: App, stamps: list[float], n: int) -> list[float]:
    """Send n printable keys; for each, the time until the app displayed the result."""
    latencies = []
    driver = app._driver
    assert driver is not None
    for i in range(n):
        char = "abcdefghij"[i % 10]
        before = len(stamps)
        t0 = time.perf_counter()
        event = events.Key(char, char)
        event.set_sender(app)
        driver.send_message(event)
        deadline = t0 + 2.0
        while len(stamps) == before and time.perf_counter() < deadline:
            await asyncio.sleep(0)
        latencies.append(stamps[-1] - t0 if len(stamps) > before else float("nan"))
        if i == 9 and all(x != x for x in latencies):
            # ten keys and nothing on screen: typing into a read-only note (a closed meeting)
            # would otherwise wait two seconds a key, for as many keys as asked
            raise RuntimeError("the keys typed change nothing on screen")
        await asyncio.sleep(0.005)  # let the app go idle between keys, as a typist does
    return latencies


class BareTextArea(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea(NOTE, id="note", soft_wrap=True)


async def bare_keystrokes() -> list[float]:
    app = BareTextArea()
    async with app.run_test(size=SIZE) as pilot:
        ta = app.query_one(TextArea)
        ta.focus()
        ta.move_cursor((1000, 10))
        await pilot.pause()
        stamps = _hook_display(app)
        latencies = await _type(app, stamps, KEYS)
        await pilot.pause()
        _typed_text_visible(app)
        return latencies


async def kiptui_keystrokes() -> list[float]:
    from kiptui.model import AttendanceStatus, CITIZEN_ID
    from screens.widgets import NoteArea
    from tests.ui.harness import make_app, sample_plan

    plan = sample_plan()
    m = plan.meetings[0]
    m.attendance_for(CITIZEN_ID).status = AttendanceStatus.PRESENT
    m.build_round()
    m.round_entry(CITIZEN_ID).text = NOTE
    with tempfile.TemporaryDirectory() as tmp:
        app, plan, _vault = make_app(Path(tmp), plan, autosave_delay=60.0)
        async with app.run_test(size=SIZE) as pilot:
            app.open_plan(plan.id, tab="round")
            await pilot.pause()
            await pilot.pause()
            note = next(n for n in app.screen.query(NoteArea) if n.text.startswith("Linje 0"))
            note.focus()
            note.move_cursor((1000, 10))
            await pilot.pause()
            stamps = _hook_display(app)
            latencies = await _type(app, stamps, KEYS)
            await pilot.pause()
            _typed_text_visible(app)
            app.close_plan()
            return latencies


def p95(values: list[float]) -> float:
    clean = sorted(v for v in values if v == v)
    return clean[min(len(clean) - 1, int(round(0.95 * (len(clean) - 1))))]


TAB_KEYS = [("f2", "prepare"), ("f3", "agenda"), ("f4", "participants"), ("f5", "round"),
            ("f6", "agreements"), ("f7", "closing")]


async def tab_switches(rounds: int = 5) -> tuple[list[float], list[float]]:
    """F-key → the first frame that shows the tab, on the large plan as held (20 meetings):
    first visits (the tab is built then) and later visits."""
    from textual.widgets import TabbedContent

    from benchmarks.plans import add_large_plan_as_held
    from kiptui.vault import Vault
    from screens.app import KiptuiApp

    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "v", "benchmark-adgangsfrase-lang")
        held = add_large_plan_as_held(vault)
        app = KiptuiApp(Path(tmp) / "v", vault=vault)
        app.autosave_delay = 60.0
        async with app.run_test(size=SIZE) as pilot:
            app.open_plan(held.id, tab="round")
            await pilot.pause()
            tabs = app.screen.query_one(TabbedContent)
            shown: list[tuple[float, str]] = []
            original = app._display

            def display(screen, renderable):  # noqa: ANN001
                if renderable is not None:
                    if isinstance(renderable, CompositorUpdate):
                        renderable.render_segments(app.console)
                    shown.append((time.perf_counter(), tabs.active))
                original(screen, renderable)

            app._display = display  # type: ignore[method-assign]
            first: list[float] = []
            later: list[float] = []
            for n in range(rounds + 1):
                for key, tab in TAB_KEYS:
                    if tabs.active == tab:
                        continue
                    t0 = time.perf_counter()
                    event = events.Key(key, None)
                    event.set_sender(app)
                    app._driver.send_message(event)  # type: ignore[union-attr]
                    while not any(at >= t0 and active == tab for at, active in shown):
                        if time.perf_counter() - t0 > 10:
                            raise RuntimeError(f"{tab} never shown")
                        await asyncio.sleep(0)
                    at = next(at for at, active in shown if at >= t0 and active == tab)
                    (first if n == 0 and tab != "round" else later).append(at - t0)
                    await pilot.pause()  # let it finish, as a referent would read the tab
            app.close_plan()
            return first, later


LONG_KEYS = 1500


async def long_typing(vault_path: Path) -> dict[str, float]:
    """A referent typing a long note with the large plan open and every tab built: 1,500 keys,
    and Python's collections during them (a full collection stops the screen while it runs).
    Typed in the 21st meeting, under way (the 20 held ones are closed, so read only)."""
    import gc

    from benchmarks.plans import add_meeting_under_way
    from kiptui.vault import Vault
    from screens.app import KiptuiApp
    from screens.widgets import NoteArea

    collections: list[tuple[int, float]] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            timed.t0 = time.perf_counter()  # type: ignore[attr-defined]
        else:
            collections.append((info["generation"], time.perf_counter() - timed.t0))  # type: ignore[attr-defined]

    vault = Vault.unlock(vault_path, "benchmark-adgangsfrase-lang")
    add_meeting_under_way(vault, vault.list_plans()[0].id)
    app = KiptuiApp(vault_path, vault=vault)
    app.autosave_delay = 0.8
    async with app.run_test(size=SIZE) as pilot:
        app.open_plan(vault.list_plans()[0].id, tab="round")
        await pilot.pause()
        for _key, tab in TAB_KEYS:
            await app.screen.action_show_tab(tab)  # type: ignore[attr-defined]
            await pilot.pause()
        await app.screen.action_show_tab("round")  # type: ignore[attr-defined]
        await pilot.pause(1.0)  # the referent looks at the screen before typing
        note = app.screen.query_one("#pane-round").query(NoteArea).first()
        note.focus()
        await pilot.pause()
        stamps = _hook_display(app)
        gc.callbacks.append(timed)
        try:
            latencies = await _type(app, stamps, LONG_KEYS)
        finally:
            gc.callbacks.remove(timed)
        app.close_plan()
    clean = sorted(x for x in latencies if x == x)
    full = [d for g, d in collections if g == 2]
    return {"p99": clean[int(0.99 * (len(clean) - 1))], "max": clean[-1], "full": len(full),
            "full_max": max(full, default=0.0), "young_max": max((d for g, d in collections if g < 2), default=0.0)}


# ---------------------------------------------------------------------------- start-up, memory

# Each start-up program prints when (time.monotonic, the same clock in every process) its
# first frame was produced: the figure is from exec to that frame; the whole process's wall
# time (with exit) is kept beside it.
_FIRST_FRAME = """
    def _display(self, screen, renderable):
        if renderable is not None and not FIRST:
            FIRST.append(time.monotonic())
        super()._display(screen, renderable)
"""

_BARE_START = """
import time; FIRST = []
from textual.app import App
from textual.widgets import Footer, Static
class Bare(App):""" + _FIRST_FRAME + """
    def compose(self):
        yield Static("kiptui"); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(120, 36))
print(FIRST[0])
"""

_BARE_SAME_WIDGETS_START = """
import time; FIRST = []
from textual.app import App
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static
class Bare(App):""" + _FIRST_FRAME + """
    def compose(self):
        with Center(), Vertical():
            yield Static("kiptui"); yield Static("Skriv adgangsfrasen"); yield Label("Adgangsfrase")
            yield Input(password=True); yield LoadingIndicator(); yield Static(""); yield Static("")
            yield Button("Lås op")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(120, 36))
print(FIRST[0])
"""

_KIPTUI_START = """
import time; FIRST = []
import sys
from pathlib import Path
from screens.app import KiptuiApp
class First(KiptuiApp):""" + _FIRST_FRAME + """
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.exit)
First(Path(sys.argv[1])).run(headless=True, size=(120, 36))
print(FIRST[0])
"""

_MEMORY_PROBE = """
def memory():
    # resident memory, and the part of it that is anonymous (the heap: what the program made,
    # as opposed to pages of libraries mapped from disk)
    rss = anon = 0
    name = ""
    for line in open("/proc/self/smaps"):
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 else ""
        elif head[0] == "Rss:":
            rss += int(head[1])
            if name in ("", "[heap]"):
                anon += int(head[1])
    return f"{rss} {anon}"
"""

_BARE_MEMORY_APP = """
from textual.app import App
from textual.widgets import Footer, TextArea
class Bare(App):
    def compose(self):
        yield TextArea("x"); yield Footer()
    def on_mount(self):
        self.set_timer(0.5, lambda: self.exit(memory()))
print(Bare().run(headless=True, size=(120, 36)))
"""

_BARE_MEMORY = _MEMORY_PROBE + _BARE_MEMORY_APP

# the same bare app, also deriving a key with Argon2id and sealing with AES-GCM through the
# `cryptography` package as kiptui must: the floor for any app built on that library
_BARE_CRYPTO_MEMORY = _MEMORY_PROBE + """
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
key = Argon2id(salt=bytes(16), length=32, iterations=3, lanes=4, memory_cost=65536).derive(b"x")
AESGCM(key).encrypt(bytes(12), b"x", b"")
""" + _BARE_MEMORY_APP

# the vault with the large plan (and its 20 frozen versions) is made by another process (as it
# would be on disk); this one only unlocks it (Argon2id), opens the plan on the situation round
# and shows it
_MAKE_VAULT = """
import sys
from pathlib import Path
from benchmarks.plans import add_large_plan_as_held
from kiptui.vault import Vault
vault = Vault.create(Path(sys.argv[1]), "benchmark-adgangsfrase-lang")
add_large_plan_as_held(vault)  # as after its 20 meetings: each closed, its version frozen
print(0)
"""

_KIPTUI_MEMORY = _MEMORY_PROBE + """
import sys
from pathlib import Path
from kiptui.vault import Vault
from screens.app import KiptuiApp
path = Path(sys.argv[1])
vault = Vault.unlock(path, "benchmark-adgangsfrase-lang")
class Open(KiptuiApp):
    def on_mount(self):
        self.set_timer(0.2, self.open)  # after the plans screen is up, as a user would
    def open(self):
        self.open_plan(vault.list_plans()[0].id, tab="round")
        self.set_timer(0.5, self.done)
    def done(self):
        figure = memory()
        self.handle.close()
        self.exit(figure)
print(Open(path, vault=vault).run(headless=True, size=(120, 36)))
"""


def _run(code: str, *args: str) -> float:
    """Run `code` in a fresh interpreter; its printed figure."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=root, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return float(proc.stdout.strip().splitlines()[-1])


def _start(code: str, *args: str) -> tuple[float, float]:
    """Start `code` in a fresh interpreter: the time from exec to its first frame, and the
    whole process's wall time (interpreter start, imports, first frame, exit)."""
    root = Path(__file__).resolve().parents[1]
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=root, timeout=120)
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return float(proc.stdout.strip().splitlines()[-1]) - t0, elapsed


def startup(rounds: int = 21) -> dict[str, float]:
    """Medians of interleaved rounds: from exec to the first frame ("bare", "bare_same",
    "ours"), and the whole process with its exit ("bare_whole", ...).

    kiptui's modules are compiled to bytecode first, as an installation does (pip compiles
    what it installs, Textual's modules included): where PYTHONDONTWRITEBYTECODE is set, a
    checkout would otherwise compile them from source in every round."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for package in ("kiptui", "screens"):
        compileall.compile_dir(root / package, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        samples: dict[str, list[float]] = {}
        for _ in range(rounds):  # interleaved so machine noise hits all alike
            for name, code, args in (("bare", _BARE_START, ()),
                                     ("bare_same", _BARE_SAME_WIDGETS_START, ()),
                                     ("ours", _KIPTUI_START, (str(Path(tmp) / "none"),))):
                first, whole = _start(code, *args)
                samples.setdefault(name, []).append(first)
                samples.setdefault(f"{name}_whole", []).append(whole)
    return {k: statistics.median(v) for k, v in samples.items()}


def memory() -> dict[str, tuple[float, float]]:
    """Resident memory (RSS, and its anonymous part) in MiB of each app with its screen up, half
    a second after it appeared: kiptui with the large plan open on the situation round. Not
    the peak: unlocking runs Argon2id, which takes 64 MiB on purpose and gives it back."""
    def mib(code: str, *args: str) -> tuple[float, float]:
        root = Path(__file__).resolve().parents[1]
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              cwd=root, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        rss, anon = proc.stdout.strip().splitlines()[-1].split()
        return int(rss) / 1024, int(anon) / 1024

    with tempfile.TemporaryDirectory() as tmp:
        _run(_MAKE_VAULT, str(Path(tmp) / "v"))
        return {"bare": mib(_BARE_MEMORY), "bare_crypto": mib(_BARE_CRYPTO_MEMORY),
                "ours": mib(_KIPTUI_MEMORY, str(Path(tmp) / "v"))}


def main() -> list[tuple[str, str, str, str]]:
    bare_keys = asyncio.run(bare_keystrokes())
    ours_keys = asyncio.run(kiptui_keystrokes())
    b95, o95 = p95(bare_keys) * 1000, p95(ours_keys) * 1000
    st = startup()
    mem = memory()
    first_tab, later_tab = asyncio.run(tab_switches())
    with tempfile.TemporaryDirectory() as tmp:
        _run(_MAKE_VAULT, str(Path(tmp) / "v"))
        long = asyncio.run(long_typing(Path(tmp) / "v"))
    (bare_m, bare_anon), (floor_m, _), (ours_m, ours_anon) = mem["bare"], mem["bare_crypto"], mem["ours"]
    return [
        ("keystroke→screen p95, 2,000-line note", f"{o95:.2f} ms",
         f"bare TextArea {b95:.2f} ms, ratio {o95 / b95:.2f}x (median {statistics.median(ours_keys) * 1000:.2f} vs {statistics.median(bare_keys) * 1000:.2f} ms)",
         "≤ 1.1x and ≤ 16.7 ms"),
        ("start-up, exec → first frame (median)", f"{st['ours'] * 1000:.0f} ms",
         f"bare Textual app {st['bare'] * 1000:.0f} ms, ratio {st['ours'] / st['bare']:.2f}x; "
         f"bare app with the unlock screen's widgets {st['bare_same'] * 1000:.0f} ms, ratio {st['ours'] / st['bare_same']:.2f}x",
         "≤ 1.25x"),
        ("start-up and exit, whole process (median)", f"{st['ours_whole'] * 1000:.0f} ms",
         f"bare Textual app {st['bare_whole'] * 1000:.0f} ms, ratio {st['ours_whole'] / st['bare_whole']:.2f}x; "
         f"with the unlock screen's widgets {st['bare_same_whole'] * 1000:.0f} ms, ratio {st['ours_whole'] / st['bare_same_whole']:.2f}x",
         ""),
        (f"typing {LONG_KEYS:,} keys, large plan, every tab built", f"{long['max'] * 1000:.0f} ms max",
         f"p99 {long['p99'] * 1000:.0f} ms; full collections during it: {long['full']}"
         + (f" (longest {long['full_max'] * 1000:.0f} ms)" if long["full"] else "")
         + f"; longest young collection {long['young_max'] * 1000:.0f} ms", ""),
        ("tab switch, F-key → tab on screen, visited tab", f"{statistics.median(later_tab) * 1000:.0f} ms",
         f"p95 {p95(later_tab) * 1000:.0f} ms; first visit (the tab is built) median "
         f"{statistics.median(first_tab) * 1000:.0f} ms, max {max(first_tab) * 1000:.0f} ms; large plan", ""),
        ("memory (RSS), large plan open", f"{ours_m:.1f} MiB",
         f"bare Textual app {bare_m:.1f} MiB, ratio {ours_m / bare_m:.2f}x; the bare app using "
         f"cryptography's Argon2id + AES-GCM {floor_m:.1f} MiB ({floor_m / bare_m:.2f}x); "
         f"anonymous part {ours_anon:.1f} vs {bare_anon:.1f} MiB", "≤ 1.3x"),
    ]


if __name__ == "__main__":
    from benchmarks import print_table

    print_table(main())
