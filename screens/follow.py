"""The chair's view: a live, read-only view of the plan the referent is writing, for the
chair's own screen and for the projector (`kiptui follow PLAN [--projector]`).

Read-only by construction: this module never opens a plan for writing (no PlanHandle, no
writer lock). It decrypts the plan file with `Vault.load_plan_data` whenever the file's
(mtime, size, inode) changes, and it only ever reads the lock file to say who writes.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Digits, Static

from kiptui.i18n import enum_label, fmt_date, fmt_time, os_reason, set_language, t
from kiptui.model import (
    CITIZEN_ID,
    AgendaItem,
    AttendanceMode,
    AttendanceStatus,
    ConversionError,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
    plan_from_dict,
)
from kiptui.textsafe import clean
from kiptui.vault import LOCK_SUFFIX, Vault, VaultError
from screens.app import IDLE_CHECK_INTERVAL, IDLE_LOCK_SECONDS, PROJECTOR_THEME, default_meeting
from screens.text import translate_bindings
from screens.footer import KeyFooter

POLL_INTERVAL = 0.1  # seconds between looks at the plan file
CLOCK_INTERVAL = 1.0  # the elapsed times tick once a second
DAMAGE_AFTER = 3  # failed reads of one file version before it is called damaged
HOLDER_MAX_BYTES = 4096

FileSignature = tuple[int, int, int]  # (st_mtime_ns, st_size, st_ino)


# --------------------------------------------------------------------------- privacy


_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # in a [class]: a hyphen, the dashes, the minus
# between a CPR number's birth date and its four digits: nothing, spaces, a dash, or both
_CPR_GAP = rf"\s*(?:[{_DASH}]\s*)?"  # (not \s*-?\s*: a long run of spaces would take quadratic time)
_CPR = re.compile(rf"(?<![\d])\d{{6}}{_CPR_GAP}\d{{4}}(?![\d])")
# also written with the birth date as a date: 01.01.90-1234, 01-01-90 1234
_CPR_AS_DATE = re.compile(rf"(?<![\d])\d\d[./ -]\d\d[./ -]\d\d{_CPR_GAP}\d{{4}}(?![\d])")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")


def _month_names(month: int | None = None) -> str:
    """A Danish month written out or shortened ("januar", "jan", "jan."): any month, or one."""
    names = _MONTHS if month is None else (_MONTHS[month - 1],)
    rest = {"september": "(?:tember|t)"}  # "sept." too
    return "(?:" + "|".join(rf"{n[:3]}{rest.get(n, f'(?:{n[3:]})')}?\.?" for n in names) + ")"


# The birth date written as any date, then the four digits: the whole number goes as one
# ("01.01.1990 - 1234", "1. januar 1990 – 1234", "1/1-90 1234"). Run before the phone numbers,
# which would take "1990-1234" (two fours) and leave the date. A date with no four digits after
# it ("15.12.2026", "1. januar 2027") stays.
_DATE_SEP = rf"(?:\s*[./{_DASH}]\s*|\s+)"
_CPR_WITH_DATE = re.compile(
    rf"(?<![\d+])\d\d?(?:{_DATE_SEP}\d\d?{_DATE_SEP}|\.?\s*{_month_names()}\s*)"
    rf"(?:\d\d)?\d\d{_CPR_GAP}\d{{4}}(?![\d])",
    re.IGNORECASE,
)


def _own_cpr(digits: str) -> str:
    """The plan's own CPR number as a pattern: its birth date in any shape the generic pattern
    knows (the day and month with or without a leading zero, the month written out, the year
    with its century), spaced any way, then its four digits."""
    day, month, year, serial = int(digits[:2]), int(digits[2:4]), digits[4:6], digits[6:]
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return ""
    space = rf"[\s./{_DASH}]*"
    dd = f"(?:0{space})?{day}" if day < 10 else space.join(digits[:2])
    mm = f"(?:0{space})?{month}" if month < 10 else space.join(digits[2:4])
    date = rf"{dd}(?:{space}{mm}{space}|\.?\s*{_month_names(month)}\s*)(?:\d{space}\d{space})?{space.join(year)}"
    return rf"(?<![\d]){date}{space}{space.join(serial)}(?![\d])"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Danish numbers as people write them: +45/0045 and any spacing, or 8 digits run together, in
# pairs or in fours ("2233 4455"). Two years ("2026-2027", "2026 2027") are left alone: more
# often a period than a number, and so is a time from-to ("10.00-12.00").
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?45[\s-]?(?:\d[\s-]?){7}\d|\d{8}"
    r"|(?!\d\d\.\d\d-\d\d\.\d\d(?![\d]))\d\d(?:[\s.-]\d\d){3}"
    r"|(?!(?:19|20)\d\d[\s.-](?:19|20)\d\d(?![\d]))\d{4}[\s.-]\d{4})(?![\d])"
)
# The view reads the plan about once a second while the referent types, so a number is seen
# half written: the beginnings are masked too. Six or more digits in a row (a CPR's birth date,
# most of a phone number), a country code with any digits after it, three pairs ("22 33 44"),
# four digits and the start of the next four ("2233 44"), and an e-mail address that does not
# end in a domain yet ("lone@naes"). Dates ("15.12.2026"), times ("10.00-12.00") and a reply
# to someone ("@Lone") stay.
_PARTIAL = re.compile(
    r"(?<![\d])\d{6,}(?![\d])"
    r"|(?<![\d+])(?:\+|00)\s?45(?:[\s-]?\d)+"
    r"|(?<![\d])\d\d(?:[ -]\d\d){2,3}(?![\d])"
    r"|(?<![\d])(?!(?:19|20)\d\d )\d{4} \d{1,3}(?![\d.:])"
    r"|[\w.+-]+@[\w.-]*"
)
MASK = "•••"


class Redactor:
    """Masks CPR numbers, phone numbers and e-mail addresses in any text the view shows:
    the plan's own values wherever they appear (however spaced), and anything shaped like one.
    The view never *asks* for these fields; this catches them when typed into free text."""

    def __init__(self, plan: Plan | None = None) -> None:
        patterns: list[str] = []
        if plan is not None:
            values = [plan.citizen.cpr, plan.citizen.phone, plan.citizen.email]
            for c in plan.contacts:
                values += [c.phone, c.email]
            for value in sorted({v.strip() for v in values if v and len(v.strip()) >= 4}, key=len, reverse=True):
                digits = re.sub(r"\D", "", value)
                if len(digits) >= 6 and len(digits) >= len(value.replace(" ", "")) - 4:
                    if value == plan.citizen.cpr and len(digits) == 10 and _own_cpr(digits):
                        patterns.append(_own_cpr(digits))  # also with its birth date as a date
                    # phone/CPR: the same digits with any spacing or punctuation between them
                    patterns.append(rf"[\s./{_DASH}]*".join(re.escape(d) for d in digits))
                else:
                    patterns.append(re.escape(value))
        self._own = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        if self._own is not None:
            text = self._own.sub(MASK, text)
        text = _CPR_WITH_DATE.sub(MASK, text)
        text = _PHONE.sub(MASK, text)  # first: +45 and eight digits is ten digits, like a CPR
        text = _CPR.sub(MASK, text)
        text = _CPR_AS_DATE.sub(MASK, text)
        text = _EMAIL.sub(MASK, text)
        return _PARTIAL.sub(MASK, text)


# --------------------------------------------------------------------------- lock file


_HOLDER = re.compile(r"@(?P<host>[^\s@]+) \(pid (?P<pid>\d+)[,)]")
_HOLDER_WHO = re.compile(r"^(?P<user>\S+)@(?P<host>\S+) \(pid \d+")


def read_holder(lock_path: Path) -> str:
    """Who holds the writer's lock, from the lock file's text ("" when nobody). Only reads."""
    try:
        with open(lock_path, "rb") as fh:
            raw = fh.read(HOLDER_MAX_BYTES)
    except OSError:
        return ""
    return raw.decode("utf-8", errors="replace").strip()


def holder_is_stale(holder: str) -> bool:
    """The text stays behind when a writer is killed (the OS drops the lock, not the text).
    On this machine a holder whose process is gone is stale; elsewhere we cannot tell."""
    m = _HOLDER.search(holder)
    if m is None or os.name != "posix" or m["host"] != socket.gethostname():
        return False
    try:
        os.kill(int(m["pid"]), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def holder_label(holder: str) -> str:
    """Who writes, briefly: the user name, and the machine only when it is another one."""
    m = _HOLDER_WHO.match(holder)
    if m is None:
        return holder
    user, host = m["user"], m["host"]
    return user if host == socket.gethostname() else f"{user}@{host}"


def file_signature(path: Path) -> FileSignature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def shown_part(data: dict[str, Any], plan_id: str) -> tuple[Plan, int]:
    """The part of the plan the view shows, as model objects: the citizen, the network, the
    coordinators and the one meeting (screens.app.default_meeting's choice: the first not
    closed, else the latest) with its agreements and goals. Converting only that keeps a
    large plan's re-render fast; the meeting's number (from 1) comes along."""
    meetings = data.get("meetings")
    if not isinstance(meetings, list) or not all(isinstance(m, dict) for m in meetings):
        raise VaultError("damaged", file=f"{plan_id}.kip")
    index = next((n for n, m in enumerate(meetings) if m.get("status") != MeetingStatus.CLOSED.value),
                 len(meetings) - 1)
    meeting_id = meetings[index].get("id") if meetings else None
    part = dict(data)
    part["meetings"] = [meetings[index]] if meetings else []
    for key in ("agreements", "goals"):
        items = data.get(key)
        part[key] = [x for x in items if isinstance(x, dict) and x.get("meeting_id") == meeting_id] \
            if isinstance(items, list) else items
    for key in ("deviations", "approvals"):
        part.pop(key, None)  # not shown here
    try:
        plan = plan_from_dict(part)
    except (ConversionError, PlanError, TypeError, ValueError):
        raise VaultError("damaged", file=f"{plan_id}.kip") from None
    if plan.id != plan_id:
        raise VaultError("damaged", file=f"{plan_id}.kip")
    return plan, index + 1


# --------------------------------------------------------------------------- lists


NBSP = "\u00a0"
_WORD = re.compile(r"[^ ]+ *| +")  # only an ordinary space is a place to break a line


def keep(text: str) -> str:
    """Text a line never breaks inside (a person's name): its spaces made non-breaking. Only
    ColumnTable knows them (Textual's own wrapping breaks at any space); it shows them as spaces."""
    return text.replace(" ", NBSP)


def wrap_words(content: Content, width: int) -> list[Content]:
    """`content` in lines of at most `width` cells, broken at ordinary spaces and newlines only:
    never inside a name joined by `keep`, never before a comma. Only a word longer than the
    whole width is folded."""
    width = max(1, width)
    out: list[Content] = []
    for para in content.split("\n", allow_blank=True) if "\n" in content.plain else [content]:
        offsets: list[int] = []
        col = 0
        for m in _WORD.finditer(para.plain):
            if col and col + cell_len(m.group().rstrip(" ")) > width:
                offsets.append(m.start())
                col = 0
            col += cell_len(m.group())
        for line in para.divide(offsets) if offsets else [para]:
            line = line.rstrip()
            out.extend(line.fold(width) if line.cell_length > width else [line])
    return [Content(line.plain.replace(NBSP, " "), list(line.spans)) if NBSP in line.plain else line
            for line in out]


def longest_word(content: Content) -> int:
    """The width of the widest piece `wrap_words` will not break."""
    return max((cell_len(w) for w in re.split(r"[ \n]+", content.plain)), default=0)


@dataclass(frozen=True)
class TableRow:
    """One row of a ColumnTable: cells in column order, a style for the whole row."""

    cells: tuple[Content, ...]
    style: str = ""
    span: bool = False  # one cell across the whole width (a group heading)
    fold: str = ""  # when set, a cell's lines are joined with it where the joined line fits

    def same(self, other: TableRow) -> bool:
        return (self.style == other.style and self.span == other.span and len(self.cells) == len(other.cells)
                and self.fold == other.fold and all(a.is_same(b) for a, b in zip(self.cells, other.cells)))


class ColumnTable(Widget):
    """Rows of cells in aligned columns, wrapped to the width, drawn by one widget. A list of
    rows as dozens of widgets costs a full layout on every save; this keeps the re-render of
    a new version of the plan within a frame or two."""

    DEFAULT_CSS = """
    ColumnTable { height: auto; }
    """

    def __init__(self, columns: list[tuple[int | None, str]], *, row_gap: int = 0, stack_below: int = 0,
                 **kwargs: Any) -> None:
        """`columns`: (width, or None to share the rest of the width; "left", "right", or
        "fill": the cell's one character repeated down the whole row, a bar). When a shared
        column would be narrower than `stack_below`, the cells of a row go under each other."""
        super().__init__(**kwargs)
        self.columns = columns
        self.row_gap = row_gap
        self.stack_below = stack_below
        self.rows: list[TableRow] = []
        self._cache: tuple[int, list[Content]] | None = None
        self._blocks: tuple[int, list[list[Content]]] | None = None

    def set_rows(self, rows: list[TableRow]) -> None:
        if len(rows) == len(self.rows) and all(a.same(b) for a, b in zip(rows, self.rows)):
            return  # unchanged: no layout, no repaint
        self.rows = rows
        self._cache = self._blocks = None
        self.refresh(layout=True)

    def plain(self) -> str:
        """The rows' text (tests read it, whatever is scrolled into view)."""
        return "\n".join("  ".join(c.plain for c in row.cells) for row in self.rows).replace(NBSP, " ")

    def lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        out: list[Content] = []
        for n, block in enumerate(self.blocks(width)):
            if n and self.row_gap:
                out.extend(Content("") for _ in range(self.row_gap))
            out.extend(block)
        self._cache = (width, out)
        return out

    def blocks(self, width: int) -> list[list[Content]]:
        """The lines of each row, row by row (without the gaps between rows)."""
        if self._blocks is not None and self._blocks[0] == width:
            return self._blocks[1]
        fixed = sum(w for w, _ in self.columns if w is not None) + len(self.columns) - 1
        shares = sum(1 for w, _ in self.columns if w is None) or 1
        flexible = max(6, (width - fixed) // shares)
        widths = [w if w is not None else flexible for w, _ in self.columns]
        blocks: list[list[Content]] = []
        for row in self.rows:
            out: list[Content] = []
            blocks.append(out)
            if row.span:
                cells = [wrap_words(row.cells[0], width)]
                widths_row, aligns = [max(1, width)], ["left"]
            elif self.stack_below and (flexible < self.stack_below or any(
                    longest_word(cell) > w for cell, w in zip(row.cells, widths))):
                # narrow, or a name or word wider than its column: the cells under each other,
                # so that nothing is broken inside a word
                for k, cell in enumerate(row.cells):
                    indent = 2 if k else 0
                    for piece in wrap_words(cell, width - indent) if cell.plain else []:
                        line = piece.rstrip().pad_left(indent)
                        line = line.pad_right(max(0, width - line.cell_length))
                        out.append(line.stylize(row.style) if row.style else line)
                continue
            else:
                cells = [wrap_words(cell, w) if cell.plain else [Content("")]
                         for cell, w, (_, align) in zip(self._folded(row, widths), widths, self.columns)]
                widths_row, aligns = widths, [a for _, a in self.columns]
            for y in range(max(len(c) for c, a in zip(cells, aligns) if a != "fill")):
                parts = []
                for cell_lines, w, align in zip(cells, widths_row, aligns):
                    if align == "fill":
                        piece = cell_lines[0]
                    else:
                        piece = cell_lines[y] if y < len(cell_lines) else Content("")
                    piece = piece.rstrip() if align == "left" else piece
                    gap = max(0, w - piece.cell_length)
                    parts.append(piece.pad_left(gap) if align == "right" else piece.pad_right(gap))
                line = Content(" ").join(parts)
                if row.style:
                    line = line.stylize(row.style)
                out.append(line)
        self._blocks = (width, blocks)
        return blocks

    @staticmethod
    def _folded(row: TableRow, widths: list[int]) -> tuple[Content, ...]:
        if not row.fold:
            return row.cells
        out = []
        for cell, w in zip(row.cells, widths):
            joined = Content(row.fold).join(cell.split("\n")) if "\n" in cell.plain else cell
            out.append(joined if joined.cell_length <= w else cell)
        return tuple(out)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width))


class NewestList(ColumnTable):
    """The newest rows (the last ones) that fit the height the layout gives it, under a line
    saying how many earlier ones are left out. For a small screen, where the newest
    agreements must be seen without scrolling; its height is capped in the stylesheet."""

    def __init__(self, columns: list[tuple[int | None, str]], earlier: Callable[[int], Content],
                 **kwargs: Any) -> None:
        super().__init__(columns, **kwargs)
        self.earlier = earlier  # the line for "n earlier rows not shown"

    def fitted(self, width: int, height: int) -> tuple[list[Content], int]:
        """The lines shown in `height` lines, and how many rows are left out."""
        lines = self.lines(width)
        if len(lines) <= height:
            return lines, 0
        blocks = self.blocks(width)
        room = max(0, height - 1)  # one line says how many are left out
        shown: list[list[Content]] = []
        used = 0
        for block in reversed(blocks):
            need = len(block) + (self.row_gap if shown else 0)
            if used + need > room:
                break
            shown.insert(0, block)
            used += need
        if not shown and blocks:  # not even the newest fits whole: its beginning, then
            shown = [blocks[-1][:room]]
        out = [self.earlier(len(blocks) - len(shown)).pad_right(width)]
        for n, block in enumerate(shown):
            if n and self.row_gap:
                out.extend(Content("") for _ in range(self.row_gap))
            out.extend(block)
        return out, len(blocks) - len(shown)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as the rows that fit under the cap: no blank line where a row did not fit."""
        height = len(self.lines(width))
        cap = self.styles.max_height
        if cap is None or cap.is_auto:
            return height
        return len(self.fitted(width, min(height, int(cap.resolve(container, viewport))))[0])

    def left_out(self) -> int:
        region = self.content_region
        return self.fitted(region.width, region.height)[1] if region.height else 0

    def render(self) -> Content:
        region = self.content_region
        return Content("\n").join(self.fitted(region.width, region.height)[0])


def set_content(widget: Static, content: Content) -> None:
    """Update a Static only when its content really changed (an update costs a layout)."""
    current = widget.content
    if isinstance(current, Content) and current.is_same(content):
        return
    widget.update(content)


@dataclass
class ViewState:
    """What the status line says. `file` is what we know of the plan file; the writer part
    (writing / closed / stale) comes from the lock file's text."""

    file: str = "loading"  # loading | ok | gone | damaged | error
    holder: str = ""
    detail: str = ""
    replaced_at: str = ""

    @property
    def kind(self) -> str:
        if self.file != "ok":
            return self.file
        if not self.holder:
            return "closed"
        return "stale" if holder_is_stale(self.holder) else "writing"


class FollowScreen(Screen[None]):
    """The large, calm layout: header, agenda, round, agreements, summary | time, people.
    On a small screen (a projector with big type is 80x24) a fixed part at the top shows what
    the room needs most: the current item and its time, who has the floor and who is next,
    and the newest agreements; the rest scrolls below it, the agenda list last."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMPACT_BELOW = (100, 32)  # narrower or lower than this (columns, rows): the small layout
    _agenda_last = False  # the agenda is at the end of the scrolling part (the small layout)

    def compose(self) -> ComposeResult:
        with Vertical(id="follow-header"):
            with Horizontal(id="follow-title-row"):
                yield Static(Content(t("follow.title_no_name")), id="follow-title", markup=False)
                # on the title's line, so that no layout and no long place name can hide it
                yield Static("", id="follow-closed", markup=False)
            yield Static("", id="follow-when", markup=False)
            # whose turn it is, at the top where a room looks (the small layout has it in its
            # fixed part instead); shown only while the round's item is on
            yield ColumnTable([(None, "left")], id="follow-turn")
        with Horizontal(id="follow-body"):
            with Vertical(id="follow-left"):
                with Vertical(id="follow-now"):  # the small layout only
                    yield ColumnTable([(2, "left"), (None, "left"), (11, "right")], id="follow-now-item",
                                      classes="follow-list")
                    yield Static("", id="follow-now-time", markup=False)
                    # who is here, one line of first names (80 columns, where the side column goes)
                    yield Static("", id="follow-now-people", markup=False)
                    yield ColumnTable([(None, "left")], id="follow-now-round", classes="follow-list")
                    yield Static("", id="follow-latest-title", classes="follow-section", markup=False)
                    yield NewestList([(1, "fill"), (None, "left")], self._earlier, id="follow-latest",
                                     classes="follow-list")
                    yield Static("", id="follow-latest-empty", classes="follow-empty", markup=False)
                with VerticalScroll(id="follow-main"):
                    with Vertical(id="follow-agenda-box"):
                        yield Static(Content(t("follow.agenda")), classes="follow-section", markup=False)
                        yield ColumnTable([(2, "left"), (None, "left"), (11, "right")], id="follow-agenda",
                                          classes="follow-list")
                        yield Static("", id="follow-agenda-empty", classes="follow-empty", markup=False)
                    with Vertical(id="follow-notes-box"):
                        yield Static("", id="follow-notes-title", classes="follow-section", markup=False)
                        yield Static("", id="follow-notes", classes="follow-text", markup=False)
                    yield Static(Content(t("follow.round")), classes="follow-section", markup=False)
                    with Vertical(id="follow-round-speaker-box"):  # the small layout has it above
                        yield Static("", id="follow-round-speaker", classes="follow-text", markup=False)
                    yield ColumnTable([(None, "left")], id="follow-round", classes="follow-text")
                    yield Static("", id="follow-round-text", classes="follow-text", markup=False)
                    with Vertical(id="follow-agreements-box"):
                        yield Static(Content(t("follow.agreements")), classes="follow-section", markup=False)
                        yield ColumnTable([(1, "fill"), (None, "left")], row_gap=1, id="follow-agreements",
                                          classes="follow-list")
                        yield Static("", id="follow-agreements-empty", classes="follow-empty", markup=False)
                    yield Static("", id="follow-goals", classes="follow-text", markup=False)
                    with Vertical(id="follow-summary-box"):
                        yield Static(Content(t("follow.summary")), classes="follow-section", markup=False)
                        yield Static("", id="follow-summary", classes="follow-text", markup=False)
                    with Vertical(id="follow-people-brief-box"):  # the small layout without the side
                        yield Static(Content(t("follow.people")), classes="follow-section", markup=False)
                        yield ColumnTable([(None, "left")], id="follow-people-brief", classes="follow-text")
            with Vertical(id="follow-side"):
                with Vertical(id="follow-time-box"):
                    yield Static(Content(t("follow.item_time")), id="follow-time-title", classes="follow-section",
                                 markup=False)
                    yield Digits("", id="follow-item-clock")
                    yield Static("", id="follow-item-planned", markup=False)
                    yield Static("", id="follow-meeting-time", markup=False)
                    yield Static("", id="follow-overrun", markup=False)
                yield Static(Content(t("follow.people")), classes="follow-section", markup=False)
                with VerticalScroll(id="follow-people-scroll"):
                    yield ColumnTable([(None, "left"), (None, "left")], stack_below=16, id="follow-people",
                                      classes="follow-list")
                    yield Static("", id="follow-people-empty", classes="follow-empty", markup=False)
        with Horizontal(id="follow-statusbar"):
            yield Static(Content(t("follow.status_loading")), id="follow-status", markup=False)
        yield FollowFooter()

    @staticmethod
    def _earlier(count: int) -> Content:
        return Content.styled(t("follow.agreements_earlier", count=count), "$text-muted")

    @property
    def compact(self) -> bool:
        return self.has_class("-compact")

    def show_mode(self) -> None:
        """The mode in the footer (the footer makes its labels anew when its keys change)."""
        app: FollowApp = self.app  # type: ignore[assignment]
        for widget_id, short in (("#follow-mode", False), ("#follow-mode-short", True)):
            for widget in self.query(widget_id):
                if isinstance(widget, Static):
                    set_content(widget, app.mode_text(short=short))

    def on_mount(self) -> None:
        self.show_mode()
        self.query_one("#follow-notes-box").display = False
        self.query_one("#follow-summary-box").display = False
        self.query_one("#follow-item-clock").display = False
        self.query_one("#follow-closed").display = False
        self.query_one("#follow-main").focus()
        app: FollowApp = self.app  # type: ignore[assignment]
        if app.plan is not None:  # read before this screen was up (after an unlock)
            self.call_after_refresh(app.render_plan)

    async def _on_resize(self, event: events.Resize) -> None:
        await super()._on_resize(event)
        width, height = event.size
        compact = width < self.COMPACT_BELOW[0] or height < self.COMPACT_BELOW[1]
        self.set_class(compact, "-compact")
        if compact != self._agenda_last:
            try:
                main = self.query_one("#follow-main")
                agenda = self.query_one("#follow-agenda-box")
                # small: the agenda, its current item shown in the fixed part above, goes
                # below the live parts of the scrolling part
                if compact:
                    main.move_child(agenda, after=self.query_one("#follow-summary-box"))
                else:
                    main.move_child(agenda, before=self.query_one("#follow-notes-box"))
            except NoMatches:  # not composed yet, or torn down
                return
            self._agenda_last = compact
        self.call_after_refresh(self.sync_agreements)

    def sync_agreements(self) -> None:
        """On the small layout the full list of agreements further down is shown only when
        the fixed part above cannot show them all."""
        try:
            box = self.query_one("#follow-agreements-box")
            latest = self.query_one("#follow-latest", NewestList)
        except NoMatches:  # torn down while quitting
            return
        box.display = not self.compact or latest.left_out() > 0


class FollowFooter(KeyFooter):
    """The keys, and on the right what mode the view is in: on every width, so that the
    room can see that private notes are hidden ("Projektor: private noter skjult")."""

    DEFAULT_CSS = """
    FollowFooter #follow-mode, FollowFooter #follow-mode-short {
        dock: right;
        width: auto;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        color: $footer-description-foreground;
    }
    """

    def compose(self) -> ComposeResult:
        yield from super().compose()
        app: FollowApp = self.app  # type: ignore[assignment]
        yield Static(app.mode_text(short=False), id="follow-mode", markup=False)
        yield Static(app.mode_text(short=True), id="follow-mode-short", markup=False)


# --------------------------------------------------------------------------- the app


class FollowApp(App[int]):
    """`kiptui follow`: unlock (unless given a vault), then follow one plan, read-only.

    Started with `--projector`, the view is on the wall for its whole life: private notes are
    never shown in it, and Ctrl+T changes only the colours (as in the referent's app). The
    chair's own view (without it) can switch projector mode (colours and hiding) on and off.
    Ctrl+L locks, and so does being idle as long as the referent's app allows (see
    `check_idle_lock`): the plan leaves the screen and memory until the passphrase is given."""

    CSS_PATH = ["kiptui.tcss", "follow.tcss"]
    TITLE = "kiptui"
    ENABLE_COMMAND_PALETTE = False  # nothing to command in a view that cannot change anything

    BINDINGS = [
        Binding("ctrl+q", "quit", "follow.key_quit", id="quit", priority=True),
        Binding("ctrl+l", "lock", "follow.key_lock", id="lock"),
        Binding("ctrl+t", "toggle_projector_theme", "follow.key_theme", id="theme"),
    ]

    @dataclass
    class Loaded(Message):
        """A worker read the plan file (or failed to)."""

        signature: FileSignature | None
        plan: Plan | None
        plan_id: str
        history: list[dict[str, Any]]
        error: str  # "" | "missing" | "damaged" | "find"
        detail: str
        meeting_number: int = 0
        generation: int = 0  # which unlock it was read under: a read from before a lock is dropped

    def __init__(
        self,
        vault_path: Path,
        plan: str,
        *,
        projector: bool = False,
        lang: str = "da",
        vault: Vault | None = None,
        demo_passphrase: str | None = None,
        clock: Callable[[], datetime] | None = None,
        poll_interval: float = POLL_INTERVAL,
        idle_lock_seconds: float = IDLE_LOCK_SECONDS,
    ) -> None:
        set_language(lang)
        super().__init__()
        translate_bindings(self)
        self.lang = lang
        self.vault_path = Path(vault_path)
        self.plan_query = plan
        #: projector mode is on: private notes are hidden (and the colours are the projector's)
        self.projector = projector
        #: started with --projector: projector mode for the whole life of the process
        self.projector_fixed = projector
        if projector:  # Ctrl+T is the colours only here, as in the referent's app
            keys = self._bindings.key_to_bindings
            keys["ctrl+t"] = [dataclasses.replace(b, description=t("follow.key_colours")) for b in keys["ctrl+t"]]
        self.idle_lock_seconds = idle_lock_seconds
        self.vault: Vault | None = vault
        self.demo_passphrase = demo_passphrase
        self.clock: Callable[[], datetime] = clock or datetime.now
        self.poll_interval = poll_interval
        self.plan_id: str = ""
        self.plan: Plan | None = None
        self.meeting: Meeting | None = None
        self.meeting_number = 0
        self.state = ViewState()
        self.shown_signature: FileSignature | None = None
        self.shown_version = 0
        self.loads = 0  # decryptions done (tests and the benchmark read it)
        #: called with (version, perf_counter()) once a version is on screen (the benchmark)
        self.on_rendered: Callable[[int, float], None] | None = None
        self._loading = False
        self._poll_again = False  # a poll came while a read was running
        self._failed_signature: FileSignature | None = None
        self._failures = 0
        self._history_seen: int | None = None
        self._redact = Redactor()
        self._shown_status: tuple[str, str] = ("", "")
        self._generation = 0  # counts locks: what was read before one is not shown after it
        self._follow_timers: list[Timer] = []  # the polling and the clock, stopped while locked
        self._last_activity = self.clock()
        self.register_theme(PROJECTOR_THEME)

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_INTERVAL, self.check_idle_lock, name="follow-idle")
        if self.projector:
            self.theme = PROJECTOR_THEME.name
        self.push_screen(FollowScreen())
        if self.vault is None:
            from screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen())
        else:
            self._start()

    def unlocked(self, vault: Vault) -> None:
        """Called by the unlock screen once the key is derived (at the start, or after a lock)."""
        from screens.unlock import UnlockScreen

        self.vault = vault
        self._last_activity = self.clock()
        self.refresh_bindings()
        if isinstance(self.screen, UnlockScreen):
            self.pop_screen()
        if self.follow_screen is None:  # after a lock: a new, empty view
            self.push_screen(FollowScreen())
        self._start()

    def _start(self) -> None:
        self._follow_timers = [
            self.set_interval(self.poll_interval, self.poll, name="follow-poll"),
            self.set_interval(CLOCK_INTERVAL, self.tick, name="follow-clock"),
        ]
        self.poll()

    @property
    def follow_screen(self) -> FollowScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, FollowScreen):
                return screen
        return None

    # ------------------------------------------------------------------ watching the file

    def poll(self) -> None:
        """Look at the plan file and the lock file (cheap); decrypt in a worker on change.
        Asked while a read is running, it looks again as soon as that read is shown: the read
        may have started before the change."""
        if self._loading:
            self._poll_again = True
            return
        if self.vault is None or self.state.file == "error":
            return
        if not self.plan_id:
            self._loading = True
            self.load(None)
            return
        plan_path = self.vault.plan_path(self.plan_id)
        signature = file_signature(plan_path)
        self.state.holder = read_holder(plan_path.with_suffix(LOCK_SUFFIX))
        if signature is None:
            self.state.file = "gone"
        elif signature == self.shown_signature:
            self.state.file = "ok"
        elif signature == self._failed_signature and self._failures >= DAMAGE_AFTER:
            pass  # said once; read again when the file changes
        else:
            self._loading = True
            self.load(signature)
        self._show_status()

    def load(self, signature: FileSignature | None) -> None:
        """Decrypt the plan in a worker (tagged with this unlock's generation)."""
        self._read(signature, self._generation)

    # not exclusive: `_loading` already keeps reads one at a time, and an exclusive worker
    # would cancel the previous one in the moment between its result arriving and it ending
    @work(thread=True, exit_on_error=False, group="follow")
    def _read(self, signature: FileSignature | None, generation: int) -> None:
        vault = self.vault
        if vault is None:  # locked in the meantime
            return
        plan_id = self.plan_id
        Loaded = partial(self.Loaded, generation=generation)  # noqa: N806
        try:
            if not plan_id:
                plan_id = vault.find(self.plan_query)
                signature = file_signature(vault.plan_path(plan_id))
            if self.plan is None:
                # the vault's own read path, until the plan is first shown: it records in the
                # vault's access log that the plan was viewed (the polls after it are not views)
                vault.load_plan(plan_id)
            data, history = vault.load_plan_data(plan_id)
            plan, number = shown_part(data, plan_id)
        except VaultError as err:
            kind = "find" if not self.plan_id else ("missing" if err.code == "unknown_plan" else "damaged")
            self.post_message(Loaded(signature, None, plan_id, [], kind, err.message))
            return
        except FileNotFoundError:
            self.post_message(Loaded(signature, None, plan_id, [], "missing", ""))
            return
        except Exception as err:  # noqa: BLE001 - any read problem is a state to show, not a crash
            reason = os_reason(err) if isinstance(err, OSError) else type(err).__name__
            self.post_message(Loaded(signature, None, plan_id, [], "damaged", str(reason)))
            return
        self.post_message(Loaded(signature, plan, plan_id, history, "", "", number))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation or self.vault is None:
            return  # read before a lock: dropped, not shown (and the read now running is not ours)
        try:
            await self._show_loaded(message)
        finally:
            self._loading = False
            if self._poll_again:
                self._poll_again = False
                self.poll()

    async def _show_loaded(self, message: Loaded) -> None:
        self.loads += 1
        if message.error == "find":
            self.state.file, self.state.detail = "error", message.detail
            self._show_status()
            return
        if message.plan_id:
            self.plan_id = message.plan_id
        if message.error:
            # A replace racing our read is retried on the next tick; only a file that keeps
            # failing is called damaged, so a torn moment is never shown.
            if message.signature != self._failed_signature:
                self._failed_signature, self._failures = message.signature, 0
            self._failures += 1
            if file_signature(self._plan_path()) is None:
                self.state.file = "gone"
            elif self._failures >= DAMAGE_AFTER:
                self.state.file, self.state.detail = "damaged", message.detail
            self._show_status()
            return
        plan = message.plan
        assert plan is not None
        self.plan_id = message.plan_id
        self._failed_signature, self._failures = None, 0
        self.shown_signature = message.signature
        self._note_history(message.history)
        self.plan = plan
        self.meeting = default_meeting(plan)
        self.meeting_number = message.meeting_number
        self._redact = Redactor(plan)
        self.state.file, self.state.detail = "ok", ""
        self.state.holder = read_holder(self._plan_path().with_suffix(LOCK_SUFFIX))
        # the referent saved: the meeting goes on, and the view is not idle (see check_idle_lock)
        self._last_activity = self.clock()
        await self.render_plan()
        self.shown_version = plan.version
        screen = self.follow_screen
        if screen is not None:
            screen.call_after_refresh(self._painted, plan.version)

    def _painted(self, version: int) -> None:
        if self.on_rendered is not None:
            self.on_rendered(version, time.perf_counter())

    def _plan_path(self) -> Path:
        assert self.vault is not None
        return self.vault.plan_path(self.plan_id)

    def _note_history(self, history: list[dict[str, Any]]) -> None:
        """The history grows only when `json import --replace` replaced the plan; the notice
        stays until the plan changes again."""
        count = len(history)
        if self._history_seen is not None and count > self._history_seen:
            stamp = str(history[-1].get("replaced_at", ""))
            try:
                when = fmt_time(datetime.fromisoformat(stamp))
            except ValueError:
                when = fmt_time(self.clock())
            self.state.replaced_at = when
            self.notify(t("follow.status_replaced", time=when), markup=False, timeout=8)
        elif self._history_seen is not None:
            self.state.replaced_at = ""
        self._history_seen = count

    # ------------------------------------------------------------------ status

    def status_text(self) -> str:
        s = self.state
        saved = ""
        if self.plan is not None and self.plan.updated_at is not None:
            saved = self.plan.updated_at.strftime("%H:%M:%S")
        kind = s.kind
        if kind == "writing" and self.projector:
            # no OS account names on the wall: who writes is said on the chair's own screen
            text = t("follow.status_writing_projector", time=saved)
        elif kind == "writing":
            holder = self._redact(" ".join(clean(holder_label(s.holder), multiline=False).split()))
            text = t("follow.status_writing", holder=holder, time=saved)
        elif kind in ("closed", "stale"):
            text = t(f"follow.status_{kind}", time=saved)
        elif kind == "damaged":
            text = t("follow.status_damaged", reason=s.detail or "?")
        elif kind == "error":
            text = s.detail
        else:
            text = t(f"follow.status_{kind}")
        if s.replaced_at and kind not in ("error", "gone", "damaged"):
            text += " · " + t("follow.status_replaced", time=s.replaced_at)
        return " ".join(clean(text, multiline=False).split())

    def _show_status(self) -> None:
        screen = self.follow_screen
        if screen is None or not screen.is_mounted:
            return
        text = self.status_text()
        kind = self.state.kind
        if (text, kind) == self._shown_status:
            return
        try:
            widget = screen.query_one("#follow-status", Static)
            main = screen.query_one("#follow-main")
        except NoMatches:  # torn down while quitting
            return
        self._shown_status = (text, kind)
        widget.update(Content(text))
        widget.set_class(kind == "writing", "live")
        widget.set_class(kind in ("gone", "damaged", "stale", "error") or bool(self.state.replaced_at), "warn")
        main.set_class(kind in ("gone", "damaged"), "stale")
        screen.query_one("#follow-now").set_class(kind in ("gone", "damaged"), "stale")

    # ------------------------------------------------------------------ rendering

    def shown(self, value: str, *, multiline: bool = False) -> str:
        """User text as shown here: escape sequences and controls removed, private numbers
        and addresses masked. Always wrapped in Content by the caller (never markup)."""
        cleaned = clean(value, multiline=multiline)
        if not multiline:
            cleaned = " ".join(cleaned.split())
        return self._redact(cleaned)

    def person(self, contact_id: str) -> str:
        """First name for the citizen (as in the header), the full name for the network."""
        plan = self.plan
        if plan is None or not contact_id:
            return ""
        if contact_id == CITIZEN_ID:
            return self.shown(plan.citizen.first_name)
        return self.shown(plan.name_of(contact_id))

    def first_names(self, contact_ids: list[str]) -> dict[str, str]:
        """Short names for a line of people: the first name, with the last name's initial
        where two share a first name."""
        full = {cid: self.person(cid) or "–" for cid in contact_ids}
        first = {cid: name.split()[0] if name.split() else "–" for cid, name in full.items()}
        taken = [name.casefold() for name in first.values()]
        out = {}
        for cid, name in first.items():
            words = full[cid].split()
            if taken.count(name.casefold()) > 1 and len(words) > 1:
                name = f"{name} {words[-1][0]}."
            out[cid] = name
        return out

    def person_role(self, contact_id: str, *, separator: str = ", ") -> str:
        plan, m = self.plan, self.meeting
        if plan is None:
            return ""
        parts = []
        if contact_id == CITIZEN_ID:
            parts.append(t("follow.citizen_role"))
        else:
            c = plan.contact(contact_id)
            if c is not None:
                parts.append(self.shown(c.role) or enum_label(c.sector.value))
        if m is not None and contact_id and m.chair == contact_id:
            parts.append(t("follow.chair"))
        if m is not None and contact_id and m.referent == contact_id:
            parts.append(t("follow.referent"))
        return separator.join(p for p in parts if p)

    async def render_plan(self) -> None:
        screen = self.follow_screen
        if screen is None or not screen.is_mounted or self.plan is None:
            return
        try:
            self._render_all(screen)
        except NoMatches:  # the screen is being torn down (quit): nothing to show any more
            return

    def _render_all(self, screen: FollowScreen) -> None:
        with self.batch_update():
            self._render_header(screen)
            self._render_agenda(screen)
            self._render_notes(screen)
            self._render_round(screen)
            self._render_agreements(screen)
            self._render_summary(screen)
            self._render_people(screen)
            self._render_times(screen, agenda=False)
            self._show_status()
        screen.call_after_refresh(screen.sync_agreements)

    def _render_header(self, screen: FollowScreen) -> None:
        plan, m = self.plan, self.meeting
        assert plan is not None
        first = self.shown(plan.citizen.first_name)
        title = t("follow.title", name=first) if first else t("follow.title_no_name")
        set_content(screen.query_one("#follow-title", Static), Content(title))
        closed = screen.query_one("#follow-closed", Static)
        is_closed = m is not None and m.status == MeetingStatus.CLOSED
        set_content(closed, Content(t("follow.meeting_closed") if is_closed else ""))
        closed.display = is_closed
        parts: list[str] = []
        if m is None:
            parts.append(t("follow.no_meeting"))
        else:
            parts.append(t("follow.meeting_number", number=self.meeting_number))
            # the day it was held, once it has begun on another day than planned (as the
            # referent's status line and the minutes say)
            held = m.held_at()
            start = held if held is not None and (m.starts_at is None or held.date() != m.starts_at.date()) \
                else m.starts_at
            if start is not None:
                parts.append(t("follow.when", date=fmt_date(start), time=fmt_time(start)))
            else:
                parts.append(t("follow.no_date"))
            place = self.shown(m.place)
            if place and m.video_link.strip():
                parts.append(t("follow.place_and_video", place=place))
            elif place:
                parts.append(place)
            elif m.video_link.strip():  # never the link itself: it opens the room
                parts.append(t("follow.video"))
        set_content(screen.query_one("#follow-when", Static), Content("  ·  ".join(parts)))

    def _render_agenda(self, screen: FollowScreen) -> None:
        m = self.meeting
        agenda = m.agenda if m is not None else []
        now = self.clock()
        rows: list[TableRow] = []
        for n, item in enumerate(agenda, start=1):
            style = ""
            if m is not None and item.id == m.current_item:
                marker, style = "▶", "bold on $primary 25%"
            elif item.started_at is not None and item.ended_at is not None:
                marker, style = "✓", "dim"
            else:
                marker = ""
            minutes = Content(t("follow.minutes", minutes=item.planned_minutes))
            if item.started_at is not None:
                used = _minutes(Meeting.item_elapsed(item, now))
                minutes = Content(t("follow.elapsed_of", elapsed=used, planned=item.planned_minutes))
                if used > item.planned_minutes:
                    minutes = minutes.stylize("bold $error")
            rows.append(TableRow((Content(marker), Content(f"{n}. {self.shown(item.title)}"), minutes), style))
        screen.query_one("#follow-agenda", ColumnTable).set_rows(rows)
        current = [row for row in rows if row.cells[0].plain == "▶"]
        now_item = screen.query_one("#follow-now-item", ColumnTable)
        now_item.set_rows(current or [TableRow((Content(t("follow.no_item")),), "bold", span=True)])
        # closed: the header says so, and "no item is in progress" says nothing more
        now_item.display = bool(current) or m is None or m.status != MeetingStatus.CLOSED
        empty = screen.query_one("#follow-agenda-empty", Static)
        set_content(empty, Content(t("follow.agenda_empty")))
        empty.display = not rows

    def _render_notes(self, screen: FollowScreen) -> None:
        m = self.meeting
        item: AgendaItem | None = m.item(m.current_item) if m is not None else None
        box = screen.query_one("#follow-notes-box")
        if item is None or not item.notes.strip() or (item.private and self.projector):
            box.display = False
            # emptied too, not only hidden: a private note is not kept in a widget at all
            set_content(screen.query_one("#follow-notes", Static), Content(""))
            return
        title = t("follow.notes", title=self.shown(item.title))
        if item.private:
            title += "  (" + t("follow.private_tag") + ")"
        set_content(screen.query_one("#follow-notes-title", Static), Content(title))
        set_content(screen.query_one("#follow-notes", Static), Content(self.shown(item.notes, multiline=True)))
        box.display = True

    def _render_round(self, screen: FollowScreen) -> None:
        m = self.meeting
        order = [e.contact_id for e in m.situation_round] if m is not None else []
        widget = screen.query_one("#follow-round", ColumnTable)
        speaker = screen.query_one("#follow-round-speaker", Static)
        now = screen.query_one("#follow-now-round", ColumnTable)
        turn_line = screen.query_one("#follow-turn", ColumnTable)
        text_widget = screen.query_one("#follow-round-text", Static)
        if m is None or not order:
            widget.set_rows([TableRow((Content(t("follow.round_empty")),))])
            set_content(speaker, Content(""))
            turn_line.set_rows([])
            turn_line.set_class(False, "-on")
            speaker.display = text_widget.display = now.display = False
            return
        closed = m.status == MeetingStatus.CLOSED
        item = m.item(m.current_item)
        # Someone has the floor only while the round's item is on: once the agenda has moved on,
        # the last speaker stays in the file but the round is over. (An agenda without the
        # template's round item cannot tell: then the speaker the referent set is shown.)
        round_item = m.item_by_key("situation_round")
        on_item = round_item is None or (item is not None and item.id == round_item.id)
        over = round_item is not None and round_item.started_at is not None and not on_item
        # a closed meeting has nobody on the floor either
        current = m.current_speaker if m.current_speaker in order and on_item and not closed else ""
        nxt = m.next_speaker() if current else ""
        if current:
            name = Content(keep(t("follow.round_turn") + ": " + self.person(current)))
            if self.projector:  # read from the back of the room: a band in the accent colour
                name = Content.styled(f"{NBSP}{name.plain}{NBSP}", "bold $background on $accent")
            else:
                name = name.stylize("bold $accent")
            role = self.person_role(current)
            turn = Content.assemble(name, f"  ({keep(role)})" if role else "")
            after = Content(keep(t("follow.round_next") + ": " + (self.person(nxt) if nxt else t("follow.round_last"))))
            rows = [TableRow((Content("\n").join([turn, after]),), fold="  ·  ")]
            set_content(speaker, Content(""))
            # the small layout: on one line when it fits, else the next speaker below
            now.set_rows(rows)
            turn_line.set_rows(rows)
        elif closed:
            set_content(speaker, Content(""))
            now.set_rows([])
            turn_line.set_rows([])
        else:
            said = t("follow.round_over" if over else "follow.round_not_started")
            set_content(speaker, Content(said))
            now.set_rows([TableRow((Content.assemble((t("follow.round") + ": ", "bold"), said),))])
            turn_line.set_rows([])
        turn_line.set_class(bool(current), "-on")
        # the large layout says whose turn it is in the header, at the top
        speaker.display = not closed and not current
        # the fixed part names the round while it runs, or while its item is on
        now.display = bool(current) or (not closed and item is not None and item.key == "situation_round")
        arrow = f"{NBSP}{NBSP}→  "  # the arrow ends a line, a name begins one
        parts: list[Any] = [t("follow.round_order") + ": "]
        for n, cid in enumerate(order):
            if n:
                parts.append(arrow)
            label = keep(self.person(cid) or "–")
            parts.append((f"{NBSP}{label}{NBSP}", "bold reverse") if cid == current else label)
        widget.set_rows([TableRow((Content.assemble(*parts),))])
        entry = next((e for e in m.situation_round if e.contact_id == current), None)
        body: list[Content] = []
        if entry is not None:
            if entry.text.strip():
                body.append(Content(self.shown(entry.text, multiline=True)))
            for area, value in entry.life_areas.items():
                if value.strip():
                    body.append(Content.assemble((enum_label(area) + ": ", "bold"), self.shown(value, multiline=True)))
        set_content(text_widget, Content("\n").join(body))
        text_widget.display = bool(body)

    def _render_agreements(self, screen: FollowScreen) -> None:
        plan, m = self.plan, self.meeting
        assert plan is not None
        today = self.clock().date()
        agreed = [a for a in plan.agreements if m is not None and a.meeting_id == m.id]
        rows: list[TableRow] = []
        latest: list[TableRow] = []  # the small layout: on one line where it fits
        for a in agreed:
            bar, style = Content.styled("▌", "$primary 40%"), ""
            what: list[Any] = [(self.shown(a.what), "bold")]
            if not a.open:
                what.append(f"  ({enum_label(a.status.value)})")
                style = "dim"
            who = keep(self.person(a.responsible) or "–")
            if a.deadline is None:
                when: Any = t("follow.no_deadline")
            elif a.overdue(today):
                when = (t("follow.deadline", date=fmt_date(a.deadline)) + " – " + t("follow.overdue"), "bold $error")
                bar = Content.styled("▌", "$error")
            else:
                when = t("follow.deadline", date=fmt_date(a.deadline))
            cell = Content.assemble(*what, "\n", (who, "$primary"), "  ·  ", when)
            rows.append(TableRow((bar, cell), style))
            latest.append(TableRow((bar, cell), style, fold="  ·  "))
        screen.query_one("#follow-agreements", ColumnTable).set_rows(rows)
        screen.query_one("#follow-latest", NewestList).set_rows(latest)
        title = t("follow.agreements_count", count=len(rows)) if rows else t("follow.agreements")
        set_content(screen.query_one("#follow-latest-title", Static), Content(title))
        for empty in (screen.query_one("#follow-agreements-empty", Static),
                      screen.query_one("#follow-latest-empty", Static)):
            set_content(empty, Content(t("follow.agreements_empty")))
            empty.display = not rows
        goals = [g for g in plan.goals if m is not None and g.meeting_id == m.id]
        goals_widget = screen.query_one("#follow-goals", Static)
        set_content(goals_widget, Content("\n").join(
            Content.assemble((t("follow.goal") + ": ", "bold"), self.shown(g.text)) for g in goals
        ))
        goals_widget.display = bool(goals)

    def _render_summary(self, screen: FollowScreen) -> None:
        plan, m = self.plan, self.meeting
        assert plan is not None
        box = screen.query_one("#follow-summary-box")
        current = m.item(m.current_item) if m is not None else None
        at_end = m is not None and (
            m.status == MeetingStatus.CLOSED
            or bool(m.summary.strip())
            or (current is not None and current.key in ("coordinator", "summary", "approval"))
        )
        if m is None or not at_end:
            box.display = False
            return
        summary = Content(self.shown(m.summary, multiline=True) if m.summary.strip() else t("follow.summary_empty"))
        facts: list[Content] = []
        nm = m.next_meeting
        if nm.on is not None:
            when = t("follow.when", date=fmt_date(nm.on), time=fmt_time(nm.on))
            place = self.shown(nm.place)
            facts.append(Content.assemble((t("follow.next_meeting") + ": ", "bold"),
                                          when + (f"  ·  {place}" if place else "")))
        coordinator = m.coordinator or plan.current_coordinator
        if coordinator:
            facts.append(Content.assemble((t("follow.coordinator") + ": ", "bold"),
                                          f"{self.person(coordinator)} ({self.person_role(coordinator)})"))
        if m.approval is not None:
            facts.append(Content.assemble((t("follow.approval") + ": ", "bold"),
                                          enum_label(m.approval.decision.value)))
        elif m.review_afterwards:
            facts.append(Content.assemble((t("follow.approval") + ": ", "bold"), t("follow.review_afterwards")))
        if facts:
            summary = Content.assemble(summary, "\n\n", Content("\n").join(facts))
        set_content(screen.query_one("#follow-summary", Static), summary)
        box.display = True

    def _render_people(self, screen: FollowScreen) -> None:
        plan, m = self.plan, self.meeting
        assert plan is not None
        groups: dict[str, list[str]] = {"present": [], "virtual": [], "apologies": [], "absent": [], "unknown": []}
        known = set(plan.participant_ids())
        for a in m.attendance if m is not None else []:
            if a.contact_id not in known:
                continue
            if a.status == AttendanceStatus.PRESENT:
                group = "virtual" if a.mode == AttendanceMode.VIRTUAL else "present"
            else:
                group = a.status.value
            groups[group].append(a.contact_id)
        rows: list[TableRow] = []
        for group in ("present", "virtual", "apologies", "absent", "unknown"):
            ids = groups[group]
            if not ids:
                continue
            if rows:
                rows.append(TableRow((Content(""),), span=True))
            rows.append(TableRow((Content(f"{t('follow.' + group)} ({len(ids)})"),), "bold", span=True))
            for cid in ids:
                # a name never broken (a row too narrow for it is stacked), each role on its line
                rows.append(TableRow((Content(keep(self.person(cid) or "–")),
                                      Content(self.person_role(cid, separator="\n")).stylize("dim"))))
        screen.query_one("#follow-people", ColumnTable).set_rows(rows)
        # the small layout without the side column: each group on a line, names without roles
        brief = [TableRow((Content.assemble((f"{t('follow.' + group)} ({len(ids)}):", "bold"), " ",
                                            ", ".join(keep(self.person(cid) or "–") for cid in ids)),))
                 for group, ids in groups.items() if ids]
        screen.query_one("#follow-people-brief", ColumnTable).set_rows(
            brief or [TableRow((Content(t("follow.nobody")),))])
        # the small layout's fixed part: who is here, on one line of first names
        here = groups["present"] + groups["virtual"]
        names = self.first_names(here)
        line: list[Any] = [(t("follow.present") + (f" ({len(here)}): " if here else ": "), "bold")]
        if here:
            line.append(", ".join(
                names[cid] + (" (" + t("follow.virtual_short") + ")" if cid in groups["virtual"] else "")
                for cid in here))
        else:
            line.append(t("follow.present_nobody"))
        set_content(screen.query_one("#follow-now-people", Static), Content.assemble(*line))
        empty = screen.query_one("#follow-people-empty", Static)
        set_content(empty, Content(t("follow.nobody")))
        empty.display = not rows

    def tick(self) -> None:
        """Once a second: the elapsed times, overrun warnings and the agenda's minutes."""
        screen = self.follow_screen
        if screen is None or not screen.is_mounted or self.meeting is None:
            return
        try:
            self._render_times(screen, agenda=True)
        except NoMatches:  # torn down while quitting
            pass

    def _render_times(self, screen: FollowScreen, agenda: bool) -> None:
        m = self.meeting
        if m is None:
            return
        now = self.clock()
        clock = screen.query_one("#follow-item-clock", Digits)
        planned = screen.query_one("#follow-item-planned", Static)
        overrun = screen.query_one("#follow-overrun", Static)
        closed = m.status == MeetingStatus.CLOSED
        item = None if closed else m.item(m.current_item)
        warnings: list[str] = []
        if item is not None:
            elapsed = Meeting.item_elapsed(item, now)
            seconds = int(elapsed.total_seconds())
            value = f"{seconds // 60:02d}:{seconds % 60:02d}"
            if clock.value != value:
                clock.update(value)
            clock.display = True
            over = _minutes(elapsed) - item.planned_minutes
            clock.set_class(over > 0, "overrun")
            set_content(planned, Content.assemble(self.shown(item.title) + "\n",
                                                  (t("follow.item_planned", planned=item.planned_minutes), "bold")))
            if over > 0:
                warnings.append(t("follow.item_overrun", minutes=over))
        else:
            clock.display = False
            set_content(planned, Content("" if closed else t("follow.no_item")))
        planned.display = not closed
        set_content(screen.query_one("#follow-time-title", Static),
                    Content(t("follow.meeting_time_title" if closed else "follow.item_time")))
        used = _minutes(m.elapsed(now))
        total = m.planned_minutes()
        if closed and m.held_at() is None:  # no item was started: no time to tell ("0 min")
            meeting_time = t("follow.meeting_length_unknown")
        elif closed:  # what it took, not a clock still running ("Mødet: 4 af 80 min")
            meeting_time = t("follow.meeting_lasted", elapsed=used, planned=total)
        else:
            meeting_time = t("follow.meeting_time", elapsed=used, planned=total)
        set_content(screen.query_one("#follow-meeting-time", Static), Content.styled(meeting_time, "bold"))
        if used > total > 0 and not closed:
            warnings.append(t("follow.meeting_overrun", minutes=used - total))
        set_content(overrun, Content("\n".join(warnings)))
        overrun.display = bool(warnings)
        set_content(screen.query_one("#follow-now-time", Static), Content.assemble(
            meeting_time, *[part for w in warnings for part in ("  ·  ", (w, "bold $error"))]))
        if agenda and self.plan is not None:
            self._render_agenda(screen)  # the minutes move with the clock; unchanged rows cost nothing

    # ------------------------------------------------------------------ actions (none write)

    def action_toggle_projector_theme(self) -> None:
        """With --projector: the colours only, as Ctrl+T in the referent's app; private notes
        stay hidden whatever the colours. On the chair's own screen: projector mode on or off,
        its colours and what it hides (private notes) as one switch, so a private note is never
        on the wall in the projector's colours."""
        if self.projector_fixed:
            self.theme = "textual-dark" if self.theme == PROJECTOR_THEME.name else PROJECTOR_THEME.name
            return
        self.projector = not self.projector
        self.theme = PROJECTOR_THEME.name if self.projector else "textual-dark"
        screen = self.follow_screen
        if screen is None:
            return
        screen.show_mode()
        self._shown_status = ("", "")  # the status line names the writer only off the wall
        self._show_status()
        if self.plan is not None:
            self._render_all(screen)

    def mode_text(self, *, short: bool = False) -> Content:
        """What the footer says of the mode: view only, and projector mode when it is on."""
        if not self.projector:
            return Content(t("follow.read_only"))
        if short:
            return Content(t("follow.projector_mode"))
        return Content(t("follow.read_only") + " · " + t("follow.projector_mode"))

    # ------------------------------------------------------------------ locking

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_activity = self.clock()
        await super().on_event(event)

    async def check_idle_lock(self) -> None:
        """The timer's look (every IDLE_CHECK_INTERVAL s): lock after the referent's app's idle
        time (screens.app.IDLE_LOCK_SECONDS). Idle means nobody pressed a key or used the
        mouse here *and* the referent saved nothing new: a projector nobody touches stays on
        while the meeting is being written, and locks once the referent has locked, closed
        or left the plan that long."""
        if self.vault is None or self.idle_lock_seconds <= 0:
            return
        if (self.clock() - self._last_activity).total_seconds() >= self.idle_lock_seconds:
            await self.lock()

    async def action_lock(self) -> None:
        await self.lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lock":
            return self.vault is not None  # nothing to lock on the unlock screen
        return True

    async def lock(self) -> None:
        """As the referent's app locks: drop the plan and the key, ask for the passphrase.
        The view's screen goes with everything it showed; nothing read before the lock is
        shown after it (a read still running is dropped by its generation)."""
        from screens.unlock import UnlockScreen

        if self.vault is None:
            return
        self._generation += 1
        for timer in self._follow_timers:
            timer.stop()
        self._follow_timers = []
        self.workers.cancel_group(self, "follow")
        vault, self.vault = self.vault, None
        vault.close()
        self.plan = None
        self.meeting = None
        self.meeting_number = 0
        self._redact = Redactor()
        self.state = ViewState()
        self.shown_signature = None
        self.shown_version = 0
        self._failed_signature, self._failures = None, 0
        self._loading = self._poll_again = False
        self._shown_status = ("", "")
        self.clear_notifications()
        while len(self.screen_stack) > 1:
            await self.pop_screen()  # the view and every widget that held the plan's text
        await self.push_screen(UnlockScreen(locked=True))
        # the referent's app says "everything is saved" here; this view saves nothing
        for notice in self.screen.query("#unlock-locked"):
            if isinstance(notice, Static):
                notice.update(Content(t("follow.locked")))
        self.refresh_bindings()
        gc.collect()  # what Python can do: the plan's objects go now, not at some later time

    def screen_text(self) -> str:
        """The screen as plain text (tests and the privacy check read what a room would see)."""
        import io

        from rich.console import Console

        width, height = self.size
        console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                          color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
        console.print(self.screen._compositor.render_update(full=True, screen_stack=self._background_screens))
        return console.export_text(styles=False)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def run_follow(vault_path: Path, plan: str, *, projector: bool = False, lang: str = "da",
               vault: Vault | None = None) -> int:
    app = FollowApp(vault_path, plan, projector=projector, lang=lang, vault=vault)
    return int(app.run() or 0)


__all__ = ["FollowApp", "FollowScreen", "Redactor", "run_follow"]
