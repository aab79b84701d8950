"""A received bundle, shown read-only: the rendered minutes and who the plan is about.
Everything stays in memory; nothing of the bundle's content is written anywhere."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from kiptui.bundle import BundleContent
from kiptui.i18n import fmt_datetime, set_language, t
from kiptui.textsafe import one_line
from screens.app import PROJECTOR_THEME
from screens.text import tr, translate_bindings
from screens.footer import KeyFooter


class BundleViewer(App[int]):
    """Read-only by construction: it holds a decrypted BundleContent and no vault at all."""

    CSS = """
    #bundle-head { height: auto; background: $panel; padding: 0 1; }
    #bundle-note { height: auto; color: $text-muted; padding: 0 1; }
    #bundle-scroll { height: 1fr; padding: 0 2; }
    """
    ENABLE_COMMAND_PALETTE = False  # a read-only viewer; its footer said "palette" in English
    BINDINGS = [
        Binding("ctrl+q,q,escape", "quit", "key.quit", id="quit"),
        Binding("ctrl+t", "toggle_theme", "key.projector_theme", id="theme"),
    ]

    def __init__(self, content: BundleContent, *, lang: str = "da", source: str = "") -> None:
        set_language(lang)
        super().__init__()
        translate_bindings(self)
        self.content = content
        self.source = source
        self.register_theme(PROJECTOR_THEME)

    def compose(self) -> ComposeResult:
        plan = self.content.plan
        yield Static(
            Content.assemble(
                (t("bundle_view.title") + ": ", "bold"),
                one_line(plan.citizen.name),
                f"  ·  {t('bundle_view.version', version=plan.version)}",
                f"  ·  {t('bundle_view.created', when=fmt_datetime(self.content.created_at.replace(tzinfo=None)))}",
            ),
            id="bundle-head",
        )
        yield Static(tr("bundle_view.read_only", source=one_line(self.source)), id="bundle-note")
        with VerticalScroll(id="bundle-scroll"):
            # Rendered here from the schema-checked plan, not taken from the bundle's own
            # Markdown: a crafted bundle cannot bring structure, links or escape sequences.
            yield Markdown(self.minutes(), open_links=False, id="bundle-minutes",
                           parser_factory=lambda: MarkdownIt("js-default").enable("table"))
        yield KeyFooter()

    def minutes(self) -> str:
        from kiptui.minutes import render_markdown
        from kiptui.model import PlanError

        try:
            return render_markdown(self.content.plan, include_cpr=False)
        except PlanError:
            return t("bundle_view.no_minutes")

    def on_mount(self) -> None:
        self.query_one("#bundle-scroll").focus()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-dark" if self.theme == PROJECTOR_THEME.name else PROJECTOR_THEME.name
