"""Where the shipped data lives: kiptui/data in an installed wheel, ./data in a checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


@cache
def data_dir() -> Path:
    for candidate in (_HERE / "data", _HERE.parent / "data"):
        if (candidate / "agenda-template.json").is_file():
            return candidate
    raise FileNotFoundError("kiptui's data folder is missing: reinstall kiptui")


def data_path(name: str) -> Path:
    return data_dir() / name


@cache
def load_json(name: str) -> Any:
    with open(data_path(name), encoding="utf-8") as fh:
        return json.load(fh)


def strings() -> dict[str, dict[str, str]]:
    """The one translation table, merged from data/strings/*.json (one file per area), read
    anew on each call: the app keeps only the language it shows (`kiptui.i18n`)."""
    table: dict[str, dict[str, str]] = {}
    for path in sorted((data_dir() / "strings").glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        duplicated = set(part) & set(table)
        if duplicated:
            raise ValueError(f"string keys defined twice: {sorted(duplicated)}")
        table.update(part)
    return table


def agenda_template() -> list[dict[str, Any]]:
    """The standard agenda of the working guide, with default minutes."""
    return load_json("agenda-template.json")["items"]
