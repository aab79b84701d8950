"""The unlock screen's button carries only the styles it uses (Button's own 7 KB of CSS took
the largest part of the first screen's time). It must look exactly like Textual's primary
Button: both are rendered, each in an app of its own (once Button is loaded, its rules would
apply to the subclass too), in every state and theme, and compared cell by cell."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.widgets import Button, Input

from screens.app import PROJECTOR_THEME
from screens.unlock import UnlockButton

STATES = ["plain", "focus", "hover", "active", "disabled", "disabled-hover"]


class OneButton(App[None]):
    def __init__(self, make, theme: str) -> None:
        super().__init__()
        self.make = make
        self.theme_name = theme

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(id="elsewhere")
            yield self.make()

    def on_mount(self) -> None:
        self.register_theme(PROJECTOR_THEME)
        self.theme = self.theme_name


async def render_states(make, theme: str) -> dict[str, list]:
    app = OneButton(make, theme)
    seen: dict[str, list] = {}
    async with app.run_test(size=(40, 10)) as pilot:
        button = app.query_one("#unlock-button")
        button.styles.width = 24
        for state in STATES:
            app.query_one("#elsewhere").focus()
            button.remove_class("-active")
            button.disabled = state.startswith("disabled")
            await pilot.hover("#elsewhere")
            if state == "focus":
                button.focus()
            elif state.endswith("hover"):
                await pilot.hover("#unlock-button")
            elif state == "active":
                button.add_class("-active")
            await pilot.pause()
            lines = button.render_lines(Region(0, 0, *button.outer_size))
            seen[state] = [[(seg.text, seg.style) for seg in line] for line in lines]
    return seen


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", PROJECTOR_THEME.name,
                                   "ansi-dark", "ansi-light"])
async def test_the_unlock_button_looks_like_a_primary_button(theme):
    ours = await render_states(lambda: UnlockButton("Lås op", id="unlock-button"), theme)
    real = await render_states(lambda: Button("Lås op", id="unlock-button", variant="primary"),
                               theme)
    assert set(ours) == set(STATES)
    assert len(real["plain"]) == 3  # the whole button: its label and both borders
    for state in STATES:
        assert ours[state] == real[state], f"{theme}: {state}"
    # the states do differ from each other, so the comparison saw them
    assert len({repr(real[s]) for s in STATES}) >= 3


async def test_the_unlock_screen_does_not_load_buttons_styles(tmp_path):
    """The first screen parses none of Button's own rules."""
    from textual.css.stylesheet import Stylesheet

    from screens.app import KiptuiApp

    app = KiptuiApp(tmp_path / "vault")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        sources = app.stylesheet.source
        assert isinstance(app.stylesheet, Stylesheet)
        assert any("UnlockButton" in name for _path, name in sources), sorted(sources)
        assert not any(name == "Button.DEFAULT_CSS" for _path, name in sources), sorted(sources)
        assert app.screen.query_one("#unlock-button", Button).label.plain
