"""Textual's screen lines make their caches when first used (screens/strips.py)."""

from __future__ import annotations

import subprocess
import sys

from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip

import screens  # noqa: F401  (installs the change)
from screens import strips


def test_installed_for_the_pinned_textual():
    assert strips.installable() or strips.installed()
    assert strips.installed()


def test_a_new_line_has_no_caches_until_it_uses_one():
    line = Strip([Segment("koordinerende "), Segment("indsatsplan", Style(bold=True))])
    slots = {name: Strip.__dict__[name].slot for name in strips.CACHE_SIZES}
    for name, slot in slots.items():
        try:
            slot.__get__(line, Strip)
        except AttributeError:
            continue
        raise AssertionError(f"{name} was made before it was used")
    cropped = line.crop(2, 9)
    assert cropped.text == "ordiner"
    assert line.crop(2, 9) is cropped  # served from the crop cache, as before
    crop_cache = slots["_crop_cache"].__get__(line, Strip)
    assert isinstance(crop_cache, FIFOCache) and crop_cache._maxsize == 16
    with_style = line.apply_style(Style(italic=True))
    assert line.apply_style(Style(italic=True)) is with_style
    # the other caches are still absent
    for name in ("_divide_cache", "_filter_cache", "_offsets_cache"):
        try:
            slots[name].__get__(line, Strip)
        except AttributeError:
            continue
        raise AssertionError(f"{name} was made without being used")


def test_each_cache_keeps_the_size_it_had():
    line = Strip([Segment("x" * 40)])
    for name, size in strips.CACHE_SIZES.items():
        assert getattr(line, name)._maxsize == size
    # the same sizes the checked Textual's own constructor gives
    import inspect

    from textual import strip as textual_strip

    text = inspect.getsource(textual_strip)
    for name, size in strips.CACHE_SIZES.items():
        assert f"self.{name}" in text
        assert f"FIFOCache({size})" in text


# makes Textual's Strip differ from the one checked (its constructor is wrapped) before
# kiptui's screens are imported; the wrapper only calls the original
_CHANGED_STRIP = (
    "from textual.strip import Strip\n"
    "_init = Strip.__init__\n"
    "def changed(self, *args, **kwargs):\n"
    "    _init(self, *args, **kwargs)\n"
    "Strip.__init__ = changed\n"
)


def test_a_strip_that_differs_from_the_checked_one_is_left_alone():
    code = _CHANGED_STRIP + (
        "from screens import strips\n"
        "print(strips.installed(), type(Strip.__dict__['_crop_cache']).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "member_descriptor"]


def test_the_check_does_not_load_package_metadata():
    # textual.__version__ would import importlib.metadata: 20 ms of start-up
    code = "import sys; import screens; print('importlib.metadata' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lines_render_the_same_with_and_without_the_change():
    """The same widgets, rendered by a process with the change and one without: the same
    screen, cell for cell."""
    code = (
        "import sys, asyncio\n"
        "if sys.argv[1] == 'off':\n"
        + "".join("    " + line + "\n" for line in _CHANGED_STRIP.splitlines()) +
        "from screens import strips\n"
        "from textual.app import App\n"
        "from textual.containers import VerticalScroll\n"
        "from textual.widgets import DataTable, Footer, Input, Static, TextArea\n"
        "class A(App):\n"
        "    def compose(self):\n"
        "        with VerticalScroll():\n"
        "            yield Static('[b]Situationsrunde[/b] · borgeren', markup=True)\n"
        "            yield Input('Mette Jensen')\n"
        "            yield TextArea('Status\\n' + 'lang tekst ' * 40, soft_wrap=True)\n"
        "            t = DataTable(); t.add_columns('Hvem', 'Hvad'); t.add_row('Kommune', 'Bostøtte')\n"
        "            yield t\n"
        "        yield Footer()\n"
        "async def main():\n"
        "    app = A()\n"
        "    async with app.run_test(size=(60, 20)) as pilot:\n"
        "        await pilot.pause()\n"
        "        print(strips.installed())\n"
        "        print(app.export_screenshot())\n"
        "asyncio.run(main())\n"
    )
    on = subprocess.run([sys.executable, "-c", code, "on"], capture_output=True, text=True, check=True)
    off = subprocess.run([sys.executable, "-c", code, "off"], capture_output=True, text=True, check=True)
    assert on.stdout.startswith("True") and off.stdout.startswith("False")
    assert on.stdout.split("\n", 1)[1] == off.stdout.split("\n", 1)[1]
