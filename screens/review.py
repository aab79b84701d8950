"""Going through the plan with a citizen who was not at the meeting: one part at a time, in
everyday words, with room for the citizen's own comments, ending in a recorded approval.

No CPR number is ever shown here. The citizen's comments are saved as they are typed (in
Meeting.review_comments) so nothing is lost if the review is interrupted; the approval copies
them and names the plan version it approves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Label,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)

from kiptui.i18n import enum_label, fmt_date, fmt_time, t
from kiptui.model import (
    CITIZEN_ID,
    Agreement,
    AgreementStatus,
    Approval,
    ApprovalChannel,
    ApprovalDecision,
    ApprovalSetting,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
)
from kiptui.summary import changed_at, standing_plan
from kiptui.textsafe import clean, one_line
from screens.fields import Input, settles
from screens.text import safe, tr, translate_bindings
from screens.footer import KeyFooter
from screens.widgets import TextBox

if TYPE_CHECKING:
    from screens.app import KiptuiApp

#: the parts of the review, in the order they are gone through
PARTS = ["intro", "agreed", "who", "goals", "coordinator", "next", "approval"]
COMMENT_PARTS = PARTS[1:-1]
#: the screen's keys for moving between the parts
PART_KEYS = frozenset({"ctrl+right", "pagedown", "ctrl+left", "pageup"})


class _WithoutPartKeys:
    """Leaves out the bindings of the keys that move between the parts: in the review they are
    the screen's, and a field that does its keys in order (keys_in_order) passes them on to
    it after the words typed before them. (A priority binding on the screen instead ran
    ahead of the letters still queued in the box: they went to the next part's box.)"""

    @classmethod
    def _merge_bindings(cls) -> BindingsMap:
        merged = super()._merge_bindings()  # type: ignore[misc]
        return BindingsMap.from_keys({key: bindings for key, bindings in merged.key_to_bindings.items()
                                      if key not in PART_KEYS})


class CommentBox(_WithoutPartKeys, TextBox):
    """The box for the citizen's own words. Words from an earlier session are added to at
    their end (the cursor started at the front: 'Test af synlighedJeg vil gerne…')."""

    def on_mount(self) -> None:
        self.move_cursor(self.document.end)


class NameInput(_WithoutPartKeys, Input):
    """The one line for who went through the plan: the part keys are the screen's here too."""


class PartScroll(_WithoutPartKeys, VerticalScroll):
    """A part's text (or the approval's fields), scrolled on its own."""


def review_meeting(plan: Plan) -> Meeting | None:
    """The meeting to go through: the latest marked for review afterwards, else the latest
    held (closed) meeting, else the latest meeting."""
    for m in reversed(plan.meetings):
        if m.review_afterwards:
            return m
    for m in reversed(plan.meetings):
        if m.status == MeetingStatus.CLOSED:
            return m
    return plan.latest_meeting()


def _deadline(a: Agreement) -> str:
    return t("review.by_date", date=fmt_date(a.deadline)) if a.deadline else t("review.no_deadline")


class ReviewScreen(Screen[None]):
    CSS_PATH = [Path(__file__).parent / "review.tcss"]
    help_key = "help.review"
    BINDINGS = [
        # not priority: the comment boxes and the parts' scrolls leave these keys out
        # (PART_KEYS), so a key typed after words in a box runs after them, in order
        Binding("ctrl+right,pagedown", "next_part", "review.next", id="review-next"),
        Binding("ctrl+left,pageup", "previous_part", "review.previous", id="review-previous"),
        Binding("escape", "leave", "review.leave", id="review-leave"),
        # the part's text above the box, while the words are typed in the box
        Binding("ctrl+up", "scroll_part(-1)", "review.scroll_up", id="review-scroll-up", show=False),
        Binding("ctrl+down", "scroll_part(1)", "review.scroll_down", id="review-scroll-down", show=False),
    ]

    def __init__(self, meeting_id: str = "", *, ends_app: bool | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.meeting_id = meeting_id
        self.part = 0
        #: leaving the review ends kiptui (saved first) instead of going back. So when the
        #: review was opened together with the plan (`kiptui review PLAN`): the screen
        #: behind it, the plan's editor, has never been shown (found by a review: Esc showed
        #: the citizen's address, phone and e-mail on Stamdata to the citizen). Not the plans
        #: list either: it names every citizen in the vault. Opened with F10 from the meeting
        #: screen, leaving goes back to the meeting.
        self.ends_app = self._opened_with_the_plan() if ends_app is None else ends_app
        if self.ends_app:  # the footer says what Esc does: "Afslut", not "Tilbage"
            import dataclasses

            self._bindings.key_to_bindings["escape"] = [
                dataclasses.replace(b, description=t("review.leave_end")) if b.id == "review-leave" else b
                for b in self._bindings.key_to_bindings["escape"]]

    def _opened_with_the_plan(self) -> bool:
        from screens.meeting import MeetingScreen

        stack = self.app.screen_stack
        return bool(stack) and isinstance(stack[-1], MeetingScreen) and not stack[-1].is_mounted

    @property
    def kapp(self) -> KiptuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def plan(self) -> Plan:
        return self.kapp.plan

    @property
    def meeting(self) -> Meeting:
        m = self.plan.meeting(self.meeting_id) or review_meeting(self.plan)
        assert m is not None
        self.meeting_id = m.id
        return m

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        m = self.meeting
        with Horizontal(id="review-top"):
            yield Static(tr("review.title", name=one_line(self.plan.citizen.first_name)), id="review-title")
            yield Static("", id="review-progress")
        with ContentSwitcher(initial="part-intro", id="review-parts"):
            for part in PARTS:
                # the heading on top, the text (scrolled on its own) and, at the bottom, the
                # box for the citizen's comments: always on the screen, whatever the text's
                # length or the terminal's size (found by a review at 80x24: the box was
                # below the screen and had the cursor; what was typed could not be seen)
                with Vertical(id=f"part-{part}", classes="review-part"):
                    yield Static(tr(f"review.part_{part}"), classes="review-heading")
                    with PartScroll(id=f"body-{part}", classes="review-body"):
                        yield from self._part_body(part, m)
                    yield Static(tr("review.more_below"), id=f"more-{part}", classes="review-more")
                    if part in COMMENT_PARTS:
                        yield Label(tr("review.your_comments"), classes="review-label")
                        yield CommentBox(clean(m.review_comments.get(part, "")), id=f"comment-{part}",
                                         classes="review-comment", soft_wrap=True, tab_behavior="focus")
        with Horizontal(id="review-nav"):
            yield Button(tr("review.previous"), id="review-prev-button")
            yield Button(tr("review.next"), id="review-next-button", variant="primary")
        yield KeyFooter()

    def _lines(self, lines: list[Content]) -> ComposeResult:
        for line in lines:
            yield Static(line, classes="review-line")

    def _already_approved(self, m: Meeting) -> ComposeResult:
        """Said to the citizen before anything is recorded: this meeting's plan has an answer
        already (the citizen may have given it at the meeting). What a new one does to the
        minutes is for the one recording it: in the help (F1), not on the citizen's screen."""
        ap = m.approval
        if ap is None:
            return
        yield Static(tr("review.already_approved", decision=t(f"enum.{ap.decision.value}"),
                        date=fmt_date(ap.at) if ap.at else "–", setting=t(f"enum.{ap.setting.value}").lower()),
                     classes="notice review-already")

    def _agreement_line(self, a: Agreement, notes: list[str]) -> Static:
        who = t("review.you") if a.responsible == CITIZEN_ID else one_line(self.plan.name_of(a.responsible))
        tail = ", ".join([who, _deadline(a), *notes])
        return Static(Content.assemble("• ", one_line(a.what), (f"  — {tail}", "italic"), *self._how_it_goes(a, "  ")),
                      classes="review-line")

    def _how_it_goes(self, a: Agreement, indent: str) -> list[tuple[str, str]]:
        """Said after an agreement, in plain words: its deadline has passed (as of the day of
        the review), and it cannot be kept as made (a deviation), with what happened, as it
        was reported. Found by a review: on 07.12 'Peter undersøger … senest 01.11.2026' was
        read out as going on, while the minutes and the summary had the deviation."""
        said = []
        if a.overdue(self.kapp.clock().date()):
            said.append((f", {t('review.deadline_passed')}", "bold"))
        if a.status == AgreementStatus.DEVIATION:
            reported = [d for d in self.plan.deviations if d.agreement_id == a.id and one_line(d.what_happened)]
            said.append((f"\n{indent}{t('review.deviation')}", "bold"))
            if reported:
                said.append((f" {one_line(reported[-1].what_happened)}", ""))
        return said

    def _part_body(self, part: str, m: Meeting) -> ComposeResult:
        plan = self.plan
        # the plan as it stands: what was agreed at the meeting, what goes on from earlier
        # meetings (the citizen's own open agreements too) and every goal so far
        standing = standing_plan(plan, m)
        if part == "intro":
            held = m.held_at() or m.starts_at  # the day it was held, if not the day planned
            when = fmt_date(held) if held else t("meeting.no_date")
            yield Static(tr("review.intro_text", date=when), classes="review-line")
            yield from self._already_approved(m)
        elif part == "agreed":
            if not standing.new and not standing.carried:
                yield Static(tr("review.nothing_agreed"), classes="review-line")
            if standing.carried:
                yield Static(Content.styled(t("review.new_agreements"), "bold"), classes="review-person")
                if not standing.new:
                    yield Static(tr("review.no_new_agreements"), classes="review-line")
            for a in standing.new:
                yield self._agreement_line(a, [] if a.open else [enum_label(a.status.value).lower()])
            if standing.carried:
                yield Static(Content.styled(t("review.carried_agreements"), "bold"), classes="review-person")
                for a in standing.carried:
                    yield self._agreement_line(a, [t("review.changed")] if changed_at(a, m) else [])
        elif part == "who":
            people: dict[str, list[Agreement]] = {}
            for a in sorted(standing.open, key=lambda a: a.responsible != CITIZEN_ID):  # you first
                people.setdefault(a.responsible, []).append(a)
            if not people:
                yield Static(tr("review.nothing_to_do"), classes="review-line")
            for pid, items in people.items():
                if pid == CITIZEN_ID:
                    head = t("review.you_do")
                else:
                    c = plan.contact(pid)
                    org = f" ({one_line(c.organisation or c.role)})" if c and (c.organisation or c.role) else ""
                    head = t("review.person_does", name=one_line(plan.name_of(pid)) + org)
                yield Static(Content.styled(head, "bold"), classes="review-person")
                for a in items:
                    yield Static(Content.assemble("   • ", one_line(a.what), f" – {_deadline(a)}",
                                                  *self._how_it_goes(a, "     ")), classes="review-line")
        elif part == "goals":
            if not standing.goals:
                yield Static(tr("review.no_goals"), classes="review-line")
            for g in standing.goals:
                yield Static(Content.assemble("• ", one_line(g.text)), classes="review-line")
        elif part == "coordinator":
            cid = m.coordinator or plan.current_coordinator
            c = plan.contact(cid)
            if c is None:
                yield Static(tr("review.no_coordinator"), classes="review-line")
            else:
                yield Static(tr("review.coordinator_is", name=one_line(c.name)), classes="review-line")
                details = [one_line(x) for x in (c.role, c.organisation) if x.strip()]
                if details:
                    yield Static(safe(", ".join(details)), classes="review-line")
                contact = [one_line(x) for x in (c.phone, c.email) if x.strip()]
                if contact:
                    yield Static(tr("review.coordinator_contact", how=", ".join(contact)), classes="review-line")
                yield Static(tr("review.coordinator_role"), classes="review-hint")
        elif part == "next":
            nxt = m.next_meeting
            if nxt.on is None:
                yield Static(tr("review.no_next"), classes="review-line")
            else:
                yield Static(tr("review.next_is", date=fmt_date(nxt.on), time=fmt_time(nxt.on)),
                             classes="review-line")
                if nxt.place.strip():
                    yield Static(tr("review.next_place", place=one_line(nxt.place)), classes="review-line")
        elif part == "approval":
            yield from self._already_approved(m)
            yield Static(tr("review.approval_question"), classes="review-line")
            with RadioSet(id="review-decision"):
                for d in ApprovalDecision:
                    yield RadioButton(Content(t(f"enum.{d.value}")), value=d == ApprovalDecision.APPROVED,
                                      id=f"decision-{d.value}")
            yield Label(tr("review.citizen_words"), classes="review-label")
            yield CommentBox(clean(m.review_comments.get("approval", "")), id="comment-approval",
                             classes="review-comment", soft_wrap=True, tab_behavior="focus")
            yield Label(tr("review.how"), classes="review-label")
            with RadioSet(id="review-channel"):
                for ch in ApprovalChannel:
                    yield RadioButton(Content(t(f"enum.{ch.value}")), value=ch == ApprovalChannel.IN_PERSON,
                                      id=f"channel-{ch.value}")
            yield Label(tr("review.by"), classes="review-label")
            yield NameInput(id="review-by", placeholder=t("review.by_placeholder"))
            # For the one recording: ticked by itself when the name above is the coordinator's
            # (the coordinator went through the plan); goes to the minutes as
            # "Koordinator orienteret".
            coordinator = self._coordinator_name()
            yield Checkbox(tr("review.coordinator_knows", name=coordinator) if coordinator
                           else tr("review.coordinator_knows_unnamed"), id="review-coordinator-knows")
            yield Static("", id="review-error", classes="error")
            yield Button(tr("review.record"), id="review-record", variant="success")
            yield Static("", id="review-done", classes="review-done")

    def _coordinator_name(self) -> str:
        m = self.meeting
        return one_line(self.plan.name_of(m.coordinator or self.plan.current_coordinator))

    @on(Input.Changed, "#review-by")
    def _by_changed(self, event: Input.Changed) -> None:
        """The coordinator named as the one who went through the plan knows the answer."""
        if self._knows_by_hand:
            return
        name = self._coordinator_name().casefold().split()
        typed = event.value.casefold().replace(",", " ").split()
        is_coordinator = bool(name) and typed[:len(name)] == name
        box = self.query_one("#review-coordinator-knows", Checkbox)
        with box.prevent(Checkbox.Changed):
            box.value = is_coordinator

    @on(Checkbox.Changed, "#review-coordinator-knows")
    def _knows_changed(self) -> None:
        self._knows_by_hand = True

    # ------------------------------------------------------------------ moving through

    def show_part(self, n: int) -> None:
        self.part = max(0, min(len(PARTS) - 1, n))
        self.query_one(ContentSwitcher).current = f"part-{PARTS[self.part]}"
        self.query_one("#review-progress", Static).update(
            tr("review.progress", n=self.part + 1, total=len(PARTS)))
        self.query_one("#review-prev-button", Button).disabled = self.part == 0
        self.query_one("#review-next-button", Button).disabled = self.part == len(PARTS) - 1
        part = PARTS[self.part]
        target = f"#comment-{part}" if part in COMMENT_PARTS else None
        if part == "approval":
            target = "#review-decision"
        widget = self.query_one(target) if target else self.query_one("#review-next-button", Button)
        # at once (focus() waits a turn): words typed right after PageDown, in the same burst,
        # go to this part's box and not to the one that was left
        self.set_focus(widget, scroll_visible=False)
        self.query_one(f"#body-{part}", PartScroll).scroll_home(animate=False, immediate=True)
        # the part has just been shown: its size is known after the next refresh
        self.call_after_refresh(self._focused_into_view)

    def _body(self) -> PartScroll:
        return self.query_one(f"#body-{PARTS[self.part]}", PartScroll)

    def _focused_into_view(self) -> None:
        """The field with the focus is on the screen (the approval's fields scroll with the
        text), and the line below the text says whether there is more of it below."""
        focused = self.focused
        body = self._body()
        if focused is not None and body in focused.ancestors and not body.can_view_entire(focused):
            body.scroll_to_widget(focused, animate=False, immediate=True, top=focused.outer_size.height > body.size.height)
        self._show_more()

    def _show_more(self) -> None:
        body = self._body()
        more = self.query_one(f"#more-{PARTS[self.part]}", Static)
        more.visible = body.max_scroll_y > round(body.scroll_y)

    def on_mount(self) -> None:
        for part in PARTS:
            body = self.query_one(f"#body-{part}", PartScroll)
            self.watch(body, "scroll_y", lambda _: self._show_more(), init=False)
            self.watch(body, "virtual_size", lambda _: self.call_after_refresh(self._show_more), init=False)
        self.show_part(0)
        self._knows_by_hand = False  # the box was ticked or cleared by hand: leave it alone

    def on_resize(self) -> None:
        self.call_after_refresh(self._focused_into_view)

    def on_descendant_focus(self) -> None:
        self.call_after_refresh(self._show_more)

    def action_scroll_part(self, lines: int) -> None:
        body = self._body()
        body.scroll_to(y=body.scroll_y + lines * max(1, body.size.height - 1), animate=False)

    def action_next_part(self) -> None:
        self.show_part(self.part + 1)

    def action_previous_part(self) -> None:
        self.show_part(self.part - 1)

    @on(Button.Pressed, "#review-next-button")
    def _next(self) -> None:
        self.action_next_part()

    @on(Button.Pressed, "#review-prev-button")
    def _prev(self) -> None:
        self.action_previous_part()

    @settles
    async def action_leave(self) -> None:
        if self.ends_app:
            await self.kapp.action_quit()  # saves what is typed and releases the plan
            return
        await self.kapp.settle()
        self.kapp.save_now()
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.kapp.close_plan()
            self.kapp.show_plans()

    # ------------------------------------------------------------------ the citizen's words

    @on(TextArea.Changed, ".review-comment")
    def _comment_changed(self, event: TextArea.Changed) -> None:
        part = (event.text_area.id or "").removeprefix("comment-")
        text = event.text_area.text
        if self.meeting.review_comments.get(part, "") != text:
            self.meeting.review_comments[part] = text
            self.kapp.plan_changed(origin=self)

    def _selected(self, radioset_id: str, prefix: str) -> str:
        pressed = self.query_one(radioset_id, RadioSet).pressed_button
        return (pressed.id or "").removeprefix(prefix) if pressed else ""

    @on(Button.Pressed, "#review-record")
    def record(self) -> None:
        m = self.meeting
        now = self.kapp.clock()
        decision = ApprovalDecision(self._selected("#review-decision", "decision-") or "approved")
        channel = ApprovalChannel(self._selected("#review-channel", "channel-") or "in_person")
        by = one_line(self.query_one("#review-by", Input).value)
        error = self.query_one("#review-error", Static)
        if not by:
            error.update(tr("review.by_required"))
            self.query_one("#review-by", Input).focus()
            return
        words = m.review_comments.get("approval", "")
        comments = {k: v for k, v in m.review_comments.items() if k in COMMENT_PARTS and v.strip()}
        approval = Approval(
            decision=decision, at=now.replace(microsecond=0), setting=ApprovalSetting.AFTERWARDS,
            channel=channel, by=by, citizen_words=words, part_comments=comments,
            coordinator_notified=self.query_one("#review-coordinator-knows", Checkbox).value,
        )
        try:
            self.plan.record_approval(approval, m)
        except PlanError as err:
            key = "review.needs_words" if err.code == "approval_needs_words" else err.code
            error.update(tr(key, **err.params))
            return
        error.update("")
        # the approval holds the words now; the next review (a new answer) starts with empty
        # boxes (found by a review: a new 'Ikke godkendt' showed 'Jeg er med på planen…',
        # the words of the answer before it). What is on the screen is what was recorded:
        # nothing typed here now goes into the next answer
        m.review_comments.clear()
        for box in self.query(CommentBox):
            box.read_only = True
        self.kapp.plan_changed(origin=self)
        self.kapp.save_now()
        name = self._coordinator_name() or t("review.the_coordinator")
        # to the citizen: the answer in plain words (the plan's version number is for the one
        # recording, in the reminder, and for the minutes; a review found '(planens version
        # 35)' on the citizen's screen)
        done = t("review.recorded", decision=t(f"enum.{decision.value}"))
        # on the screen, to the citizen: what happens next; to the one recording, a reminder
        told = t("review.coordinator_tells", name=name)
        told = told[:1].upper() + told[1:]  # "koordinatoren" may begin the sentence
        remind = t("review.remind_coordinator", name=name) + "\n" + t("review.recorded_version",
                                                                       version=approval.plan_version)
        shown = self.query_one("#review-done", Static)
        shown.update(Content(done + "\n" + told))
        # the button is switched off: the focus goes on without scrolling (Textual's own
        # move went to the first field, at the top, and the answer recorded was off the
        # screen), and the answer is brought into view
        self.set_focus(self.query_one("#review-prev-button", Button), scroll_visible=False)
        self.query_one("#review-record", Button).disabled = True
        self.call_after_refresh(shown.scroll_visible, animate=False)
        self.app.notify(remind, title=t("review.reminder_title"), timeout=15, markup=False)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (t("review.next"), t("review.next_help"), self.action_next_part),
            (t("review.previous"), t("review.previous_help"), self.action_previous_part),
            (t("review.leave_end" if self.ends_app else "review.leave"),
             t("review.leave_end_help" if self.ends_app else "review.leave_help"), self.action_leave),
        ]
