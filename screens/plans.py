"""The plans in the vault: search as you type, open one, or start a new plan."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kiptui.i18n import enum_label, fmt_datetime, t
from kiptui.model import Plan
from kiptui.resources import agenda_template
from kiptui.textsafe import one_line
from kiptui.vault import PlanSummary, VaultError
from screens.text import safe, tr, translate_bindings
from screens.footer import KeyFooter
from screens.fields import Input

if TYPE_CHECKING:
    from screens.app import KiptuiApp


class PlansScreen(Screen[None]):
    help_key = "help.plans"
    BINDINGS = [
        Binding("ctrl+n", "new_plan", "plans.new", id="new-plan"),
        Binding("ctrl+f", "focus_search", "plans.search", id="search"),
        Binding("enter", "open_selected", "plans.open", id="open", show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.summaries: list[PlanSummary] = []

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(tr("plans.title"), id="plans-title", classes="screen-title")
        yield Input(placeholder=t("plans.search_placeholder"), id="plans-search")
        yield DataTable(id="plans-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="plans-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("citizen", "status", "next", "coordinator", "open"):
            table.add_column(Text(t(f"plans.col_{key}")), key=key)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        vault = self.kapp.vault
        if vault is None:
            return
        try:
            self.summaries = vault.list_plans()
        except VaultError as err:
            self.notify(err.message, severity="error", markup=False)
            self.summaries = []
        self.filter(self.query_one("#plans-search", Input).value)

    def filter(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        q = query.strip().casefold()
        shown = 0
        for s in self.summaries:
            haystack = f"{s.citizen} {s.coordinator} {s.id}".casefold()
            if q and q not in haystack:
                continue
            nxt = fmt_datetime(datetime.fromisoformat(s.next_meeting)) if s.next_meeting else "–"
            table.add_row(
                Text(one_line(s.citizen) or "–"),
                Text(enum_label(s.status) if s.status else t("vault.no_meeting")),
                Text(nxt),
                Text(one_line(s.coordinator) or "–"),
                self._open_cell(s),
                key=s.id,
            )
            shown += 1
        empty = self.query_one("#plans-empty", Static)
        if not self.summaries:
            empty.update(tr("plans.none_yet"))
        elif not shown:
            empty.update(tr("plans.no_match"))
        else:
            empty.update("")

    def _open_cell(self, s: PlanSummary) -> Text:
        overdue = s.overdue(self.kapp.clock().date())
        if not overdue:
            return Text(str(s.open_agreements))
        return Text.assemble(str(s.open_agreements), (f"  {t('plans.overdue', count=overdue)}", "bold red"))

    @on(Input.Changed, "#plans-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter(event.value)

    @on(Input.Submitted, "#plans-search")
    def _search_submitted(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.focus()
            if table.row_count == 1:
                self.action_open_selected()

    def action_focus_search(self) -> None:
        self.query_one("#plans-search", Input).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open(str(event.row_key.value))

    def action_open_selected(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.open(str(row_key.value))

    def open(self, plan_id: str) -> None:
        try:
            self.kapp.open_plan(plan_id)
        except VaultError as err:
            self.notify(err.message, severity="error", markup=False, timeout=8)

    def action_new_plan(self) -> None:
        from screens.modals import TextPrompt

        def created(name: str | None) -> None:
            if not name or not name.strip():
                return
            self.create_plan(name)

        self.app.push_screen(TextPrompt("plans.new_prompt", "plans.new_placeholder"), created)

    def create_plan(self, citizen_name: str) -> str:
        from kiptui.model import new_meeting

        vault = self.kapp.vault
        assert vault is not None
        plan = Plan()
        plan.citizen.name = one_line(citizen_name)
        now = self.kapp.clock()
        plan.created_at = now.replace(microsecond=0)
        new_meeting(plan, agenda_template(), None)
        vault.add_plan(plan, now)
        self.kapp.open_plan(plan.id, tab="prepare")
        return plan.id

    def palette_commands(self):
        return [
            (t("plans.new"), t("plans.new_help"), self.action_new_plan),
            (t("plans.search"), t("plans.search_help"), self.action_focus_search),
        ]


__all__ = ["PlansScreen", "safe"]
