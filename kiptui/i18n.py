"""Danish and English strings from one table (data/strings.json); Danish is the default."""

from __future__ import annotations

import errno
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from kiptui.resources import strings

LANGUAGES = ("da", "en")
_lang = "da"


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _lang = lang


def language() -> str:
    return _lang


@cache
def _table(lang: str) -> dict[str, str]:
    """Each key's text in `lang` (Danish where it has none): the app keeps the one table it
    shows, not both languages (half a MiB as read, a third of that flattened to one)."""
    return {key: entry.get(lang) or entry.get("da") or key for key, entry in strings().items()}


def t(key: str, **params: Any) -> str:
    """The string `key` in the current language, with {params} filled in.

    A missing key is a bug, but never a crash in front of a user: the key itself is shown.
    With `count=1` the singular "<key>.one" is used where there is one ("1 åben afvigelse").
    """
    table = _table(_lang)
    text = table.get(f"{key}.one") if params.get("count") == 1 else None
    text = text or table.get(key)
    if text is None:
        return key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


class UserError(Exception):
    """A problem a user can understand. `code` names a translated string, `KEY_PREFIX + code`;
    `str(err)` is the one-line message in the language current when it is shown."""

    KEY_PREFIX = ""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message_key(self) -> str:
        return f"{self.KEY_PREFIX}{self.code}"

    @property
    def message(self) -> str:
        return t(self.message_key, **self.params)

    def __str__(self) -> str:
        return self.message


def fmt_date(d: date | datetime | None) -> str:
    """dd.mm.yyyy, as Danes write dates (also in English, the users are Danish)."""
    if d is None:
        return ""
    return d.strftime("%d.%m.%Y")


def example_deadline(today: date) -> str:
    """A deadline for the examples in hints and help: two weeks from today, so an example
    copied as it stands makes a valid agreement (a fixed date would be past one day)."""
    return fmt_date(today + timedelta(days=14))


def fmt_time(d: datetime | None) -> str:
    return "" if d is None else d.strftime("%H:%M")


def fmt_datetime(d: datetime | None) -> str:
    return "" if d is None else d.strftime("%d.%m.%Y %H:%M")


class NoSuchDate(ValueError):
    """Written as a date (and time) should be, but there is no such day or time: 31.02, 25:00."""


def _calendar(make: Any, *parts: int) -> Any:
    try:
        return make(*parts)
    except ValueError:
        raise NoSuchDate(parts) from None


def parse_date(text: str) -> date:
    """Accept dd.mm.yyyy (and d.m.yyyy, dd-mm-yyyy, ISO yyyy-mm-dd). ValueError when it is
    not written as a date; NoSuchDate (a ValueError) when it is, but the day does not exist."""
    s = text.strip().replace("-", ".").replace("/", ".")
    parts = s.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        if len(parts[0]) == 4:
            y, m, d = parts
        else:
            d, m, y = parts
        if len(y) == 2:
            y = "20" + y
        return _calendar(date, int(y), int(m), int(d))
    raise ValueError(text)


def parse_datetime(text: str) -> datetime:
    """dd.mm.yyyy HH:MM (the time may be left out: 00:00)."""
    s = text.strip()
    if " " in s:
        d, tm = s.rsplit(" ", 1)
        day = parse_date(d)
        hh, _, mm = tm.replace(".", ":").partition(":")
        if not (hh.isdigit() and (mm.isdigit() or not mm)):
            raise ValueError(text)
        return _calendar(datetime, day.year, day.month, day.day, int(hh), int(mm or 0))
    day = parse_date(s)
    return datetime(day.year, day.month, day.day)


def enum_label(value: str) -> str:
    """The translated label of an enum value (sector, status, ...): key 'enum.<value>'."""
    return t(f"enum.{value}")


#: the errnos whose reason is said in the UI language (cli.oserror.<NAME>); others in the
#: system's own words (os.strerror, English on most systems)
OS_REASONS = ("ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENOSPC", "EDQUOT", "EROFS",
              "EEXIST", "EIO", "ENAMETOOLONG", "EPIPE")


def os_reason(err: OSError) -> str:
    """Why an OSError happened, in the UI language for the errors a user meets when a file
    is written or read (no such folder, no permission, a full disk, a read-only drive ...),
    for a message like t("cli.cannot_write", reason=...). The command line and the app use it."""
    name = errno.errorcode.get(err.errno or 0, "")
    if name in OS_REASONS:
        return t(f"cli.oserror.{name}")
    return err.strerror or str(err) or type(err).__name__
