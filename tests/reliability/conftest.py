"""The reliability suite's switch and marker: `--kiptui-full` (or KIPTUI_FULL=1) for the full
counts of issue 7, and every test here marked `reliability` (deselect with -m "not reliability").

pytest only reads options of a conftest it loads at start-up, so `--kiptui-full` works when
this folder (or a file in it) is named on the command line; KIPTUI_FULL=1 works always.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiptui.i18n import set_language
from kiptui.model import Plan
from kiptui.vault import Vault
from tests.reliability.common import NOW, PASS, meeting_plan

HERE = Path(__file__).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--kiptui-full", action="store_true", default=False,
                     help="run the reliability suite with the full counts (as KIPTUI_FULL=1)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: tests/reliability (crashes, faults, tampering, ...)")
    try:
        full = config.getoption("--kiptui-full")
    except ValueError:  # not loaded at start-up: only the environment variable counts
        full = False
    if full:
        os.environ["KIPTUI_FULL"] = "1"  # before the test modules read it (common.FULL)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


@pytest.fixture
def vault_and_plan(tmp_path: Path) -> tuple[Vault, Plan]:
    """A new vault (Danish messages) holding the sample meeting plan."""
    set_language("da")
    vault = Vault.create(tmp_path / "vault", PASS)
    plan = meeting_plan()
    vault.add_plan(plan, NOW)
    return vault, plan
