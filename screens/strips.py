"""Textual's screen lines make their small caches when first used, not when made.

Every rendered line in Textual is a `Strip`, and every `Strip` made seven `FIFOCache`s (each
an object and a dict) in its constructor: about 1 KiB per line before any of them held
anything. Measured with the large plan open on the situation round (docs/PERFORMANCE.md):
about 3,000 strips were alive (a container's line keeps up to 16 cropped copies of itself,
each a strip with its own seven caches) and 21,000 caches, nearly all empty: about 2 MiB.

`install()` lets each cache be made the first time the strip uses it, with the same size
as before; nothing else about Textual changes. It is applied only to the `Strip` it was
written for (Textual 8.2.8, pinned in pyproject.toml): its slots and what its constructor
sets are checked first, and a `Strip` that differs is left as it is (correct, only larger).
(Not by `textual.__version__`: reading it imports `importlib.metadata`, 20 ms of start-up.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

# the caches `Strip.__init__` makes in that version, with their sizes
CACHE_SIZES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
_OTHER_SLOTS = {"_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count"}
# what the checked constructor refers to, and its numbers (the caches' sizes)
_INIT_NAMES = set(CACHE_SIZES) | _OTHER_SLOTS | {"FIFOCache", "list"}
_INIT_SIZES = set(CACHE_SIZES.values())


class MadeOnUse:
    """Stands in for a cache slot of `Strip`: the slot's cache, made when first read."""

    __slots__ = ("slot", "size")

    def __init__(self, slot: Any, size: int) -> None:
        self.slot = slot  # the slot's own descriptor (where the cache is kept)
        self.size = size

    def __get__(self, strip: Strip | None, owner: type | None = None) -> Any:
        if strip is None:
            return self
        try:
            return self.slot.__get__(strip, owner)
        except AttributeError:
            cache: FIFOCache[Any, Any] = FIFOCache(self.size)
            self.slot.__set__(strip, cache)
            return cache

    def __set__(self, strip: Strip, value: Any) -> None:
        self.slot.__set__(strip, value)


def _strip_init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    # Strip.__init__ of the checked version, without making the seven caches
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def installable() -> bool:
    """Whether this Textual's `Strip` is the one checked (and not already changed)."""
    if set(getattr(Strip, "__slots__", ())) != set(CACHE_SIZES) | _OTHER_SLOTS:
        return False
    if not all(type(Strip.__dict__.get(name)).__name__ == "member_descriptor" for name in CACHE_SIZES):
        return False
    code = getattr(Strip.__init__, "__code__", None)
    if code is None or set(code.co_names) != _INIT_NAMES:
        return False
    return {c for c in code.co_consts if type(c) is int} == _INIT_SIZES


def installed() -> bool:
    return Strip.__init__ is _strip_init


def install() -> bool:
    """Make `Strip`'s caches on first use; True if that is (now) the case."""
    if installed():
        return True
    if not installable():
        return False
    for name, size in CACHE_SIZES.items():
        setattr(Strip, name, MadeOnUse(Strip.__dict__[name], size))
    Strip.__init__ = _strip_init  # type: ignore[method-assign]
    return True
