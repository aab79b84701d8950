"""Closing (F7): the next meeting and the coordinator until then (with the history of
coordinators), a summary of the agreements generated from the data (and editable), the
citizen's approval, and closing the meeting — which freezes that version of the plan — or
re-opening it with a reason (written to the access log)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, RadioButton, RadioSet, Select, Static, TextArea

from kiptui.i18n import NoSuchDate, enum_label, fmt_date, fmt_datetime, parse_datetime, t
from kiptui.model import (
    CITIZEN_ID,
    Approval,
    ApprovalDecision,
    ApprovalSetting,
    Meeting,
    MeetingStatus,
    Plan,
    PlanError,
    check_next_meeting,
)
# the summary Ctrl+G writes: the plan as it now stands
from kiptui.summary import generate_summary, meeting_coordinator, summary_out_of_date, who
from kiptui.textsafe import clean, one_line
from screens.modals import Confirm, TextPrompt
from screens.text import tr
from screens.fields import Input, focus_now, settles
from screens.widgets import SLASH_STARTS, NoteArea, Pane, TextBox, meeting_closed

#: the radio choices: the three decisions, then "to be reviewed with the citizen afterwards"
AFTERWARDS = "afterwards"
CHOICES = [d.value for d in ApprovalDecision] + [AFTERWARDS]


def professional_options(plan: Plan) -> list[tuple[Text, str]]:
    """Only professionals can coordinate (or go through the plan): relatives are not offered."""
    options = []
    for c in plan.contacts:
        if not c.is_professional:
            continue
        extra = ", ".join(one_line(p) for p in (c.role, c.organisation) if one_line(p))
        label = f"{one_line(c.name)} ({extra})" if extra else one_line(c.name)
        options.append((Text(label or "–"), c.id))
    return options


def approved_by(plan: Plan, by: str) -> str:
    """Who went through the plan with the citizen, as one plain line: a contact's name (and
    organisation) at the meeting, the name typed in a review afterwards (F10), or "–"."""
    if by == CITIZEN_ID or plan.contact(by) is not None:
        return who(plan, by) or "–"
    return one_line(by) or "–"


def unmade_slash_lines(meeting: Meeting) -> int:
    """Lines in the meeting's notes that still start with /aftale or /mål: typed, but never
    made into an agreement or a goal (a made one is replaced by its receipt)."""
    texts = [item.notes for item in meeting.agenda]
    texts += [e.text for e in meeting.situation_round]
    texts += [text for e in meeting.situation_round for text in e.life_areas.values()]
    return sum(1 for text in texts for line in text.splitlines()
               if line.lstrip().startswith(SLASH_STARTS))


class ClosingPane(Pane):
    MEETING_RECORD = True
    BLOCKED_WHEN_CLOSED = frozenset({"generate_summary", "record_approval"})
    TITLE_KEY = "tab.closing"

    BINDINGS = [
        Binding("ctrl+g", "generate_summary", "closing.key_generate", id="closing-generate"),
        Binding("ctrl+r", "record_approval", "closing.key_record", id="closing-record"),
        Binding("ctrl+f", "close_meeting", "closing.key_close", id="closing-close"),
        # the same key re-opens a closed meeting (check_action shows the one that applies)
        Binding("ctrl+f", "reopen_meeting", "closing.key_reopen", id="closing-reopen"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stale = False
        self._last_generated: str | None = None
        self._professionals: list[tuple[str, str]] = []
        self._meeting_id = ""

    def compose(self) -> ComposeResult:
        meeting, plan = self.meeting, self.plan
        nxt = meeting.next_meeting
        yield Static("", id="closing-closed", classes="notice")

        yield Static(tr("closing.next_meeting"), classes="section-title")
        with Horizontal(classes="closing-labels"):
            yield Static(tr("closing.when"), id="next-when-label")
            yield Static(tr("closing.place"), id="next-place-label")
        with Horizontal(classes="closing-row"):
            yield Input(fmt_datetime(nxt.on), placeholder=t("closing.when_placeholder"), id="next-when")
            yield Input(one_line(nxt.place), placeholder=t("closing.place_placeholder"), id="next-place")
        yield Static("", id="next-message")
        with Vertical(id="next-reason-box"):
            yield Static(tr("closing.reason"), classes="field-label")
            yield Input(one_line(nxt.reason_beyond_limit), placeholder=t("closing.reason_placeholder"),
                        id="next-reason")

        yield Static(tr("closing.coordinator"), classes="section-title")
        # the one this meeting goes on with: chosen at it, or carried over from before
        coordinator = meeting_coordinator(plan, meeting)[0] or Select.NULL
        yield Select(professional_options(plan), prompt=t("closing.coordinator_prompt"), value=coordinator,
                     id="coordinator")
        yield Static("", id="coordinator-info", classes="hint")
        yield Static(tr("closing.coordinator_history"), classes="field-label", id="coordinator-history-label")
        history = DataTable(id="coordinator-history", cursor_type="none", zebra_stripes=True)
        history.can_focus = False  # to read, not to work in
        yield history

        yield Static(tr("closing.summary"), classes="section-title")
        yield Static(tr("closing.summary_hint"), classes="hint")
        # above the summary, not below it: the box is tall, and what was below it was out of
        # view (a review at 100x30) while the summary itself was in view
        yield Static(tr("closing.summary_stale"), id="summary-stale", classes="warning")
        yield NoteArea(meeting.summary, id="summary")
        yield Button(tr("closing.generate"), id="generate-summary")

        yield Static(tr("closing.approval"), classes="section-title")
        yield Static(tr("closing.citizen_absent_hint"), id="approval-absent-hint", classes="hint")
        with RadioSet(id="approval-choice"):
            for choice in CHOICES:
                yield RadioButton(tr(f"closing.choice_{choice}"), id=f"choice-{choice}")
        with Vertical(id="approval-fields"):
            yield Static(tr("closing.words"), classes="field-label")
            yield TextBox("", id="approval-words", soft_wrap=True, tab_behavior="focus")
            yield Static(tr("closing.by"), classes="field-label")
            chair_contact = plan.contact(meeting.chair)
            chair = meeting.chair if chair_contact is not None and chair_contact.is_professional else Select.NULL
            yield Select(professional_options(plan), prompt=t("closing.by_prompt"), value=chair, id="approval-by")
            yield Static("", id="approval-message")
            yield Button(tr("closing.record"), id="record-approval", variant="primary")
        yield Static("", id="approval-status")

        yield Static(tr("closing.close_title"), classes="section-title")
        yield Static("", id="close-checklist")
        yield Static("", id="reopen-history", classes="hint")
        yield Button(tr("closing.close_button"), id="close-meeting", variant="warning")
        yield Button(tr("closing.reopen_button"), id="reopen-meeting")

    def on_mount(self) -> None:
        self._professionals = self._professional_signature()
        history = self.query_one("#coordinator-history", DataTable)
        for key in ("coordinator", "from", "to", "meeting"):
            history.add_column(Text(t(f"closing.col_{key}")), key=key)
        self.sync_from_plan()

    # ------------------------------------------------------------------ reading the plan

    def _professional_signature(self) -> list[tuple[str, str]]:
        return [(c.id, f"{c.name}|{c.role}|{c.organisation}") for c in self.plan.contacts if c.is_professional]

    def sync_from_plan(self) -> None:
        self._stale = False
        meeting, plan = self.meeting, self.plan
        nxt = meeting.next_meeting
        if meeting.id != self._meeting_id:
            # another meeting was picked (F8): nothing typed for the previous one carries over
            self._meeting_id = meeting.id
            self._last_generated = None
            with self.prevent(TextArea.Changed):
                self.query_one("#approval-words", TextArea).load_text("")
            self._approval_message("", error=False)
        with self.prevent(Input.Changed, Select.Changed, TextArea.Changed, RadioSet.Changed):
            self._set_if_idle("#next-when", fmt_datetime(nxt.on), keep_invalid=True)
            self._set_if_idle("#next-place", one_line(nxt.place))
            self._set_if_idle("#next-reason", one_line(nxt.reason_beyond_limit))
            self.query_one("#summary", NoteArea).set_text_if_idle(meeting.summary)
            people = self._professional_signature()
            if people != self._professionals:
                self._professionals = people
                for select_id in ("#coordinator", "#approval-by"):
                    select = self.query_one(select_id, Select)
                    keep = select.selection
                    select.set_options(professional_options(plan))
                    if keep is not None and keep in [p for p, _ in people]:
                        select.value = keep
            coordinator = self.query_one("#coordinator", Select)
            if not coordinator.has_focus:
                self._show_coordinator_choice()
            radio = self.query_one("#approval-choice", RadioSet)
            if not radio.has_focus_within:
                choice = meeting.approval.decision.value if meeting.approval else (
                    AFTERWARDS if meeting.review_afterwards else "")
                for button in radio.query(RadioButton):
                    button.value = button.id == f"choice-{choice}"
        self._show_next_meeting_state()
        self._show_coordinator_info()
        self._show_approval_state()
        self._show_close_state()

    def _set_if_idle(self, selector: str, value: str, keep_invalid: bool = False) -> None:
        widget = self.query_one(selector, Input)
        if widget.has_focus or widget.value == value:
            return
        if keep_invalid and widget.has_class("-invalid"):
            return  # the user's unfinished input stays until corrected
        widget.value = value

    # ------------------------------------------------------------------ next meeting

    def _today(self) -> date:
        return self.kapp.clock().date()

    def _next_message(self, text: str, kind: str) -> None:
        widget = self.query_one("#next-message", Static)
        widget.update(Content(clean(text, multiline=False)))
        for k in ("error", "warning"):
            widget.set_class(kind == k, k)

    def _show_next_meeting_state(self) -> None:
        nxt = self.meeting.next_meeting
        beyond = False
        if nxt.on is not None:
            try:
                beyond = check_next_meeting(nxt.on, self._today(), "") is not None
            except PlanError:
                beyond = False  # already in the past (an old meeting): nothing to ask now
        self.query_one("#next-reason-box").display = beyond
        when = self.query_one("#next-when", Input)
        if when.has_class("-invalid"):
            return
        if beyond and not nxt.reason_beyond_limit.strip():
            self._next_message(t("next_meeting_beyond_limit"), "warning")
        elif nxt.on is not None and nxt.on.hour == 0 and nxt.on.minute == 0:
            self._next_message(t("closing.time_missing"), "warning")
        else:
            self._next_message("", "")

    @on(Input.Changed, "#next-when")
    def _when_changed(self, event: Input.Changed) -> None:
        nxt = self.meeting.next_meeting
        text = event.value.strip()
        event.input.set_class(False, "-invalid")
        if not text:
            if nxt.on is not None:
                nxt.on = None
                self.changed()
            self._show_next_meeting_state()
            self._show_close_state()
            return
        try:
            on_ = parse_datetime(text)
        except ValueError as err:
            event.input.set_class(True, "-invalid")
            # "31.02.2027 10:00" is written right, but the day does not exist: say that
            self._next_message(t("closing.no_such_datetime" if isinstance(err, NoSuchDate) else "closing.bad_datetime",
                                 text=one_line(text)), "error")
            return
        try:
            check_next_meeting(on_, self._today(), nxt.reason_beyond_limit)
        except PlanError as err:
            event.input.set_class(True, "-invalid")
            self._next_message(t(err.code, **err.params), "error")
            return
        if nxt.on != on_:
            nxt.on = on_
            self.changed()
        self._show_next_meeting_state()
        self._show_close_state()

    @on(Input.Changed, "#next-place")
    def _place_changed(self, event: Input.Changed) -> None:
        nxt = self.meeting.next_meeting
        if nxt.place != event.value:
            nxt.place = event.value
            self.changed()

    @on(Input.Changed, "#next-reason")
    def _reason_changed(self, event: Input.Changed) -> None:
        nxt = self.meeting.next_meeting
        if nxt.reason_beyond_limit != event.value:
            nxt.reason_beyond_limit = event.value
            self.changed()
        self._show_next_meeting_state()
        self._show_close_state()

    # ------------------------------------------------------------------ coordinator

    def _show_coordinator_choice(self) -> None:
        """The list shows whom the meeting goes on with: the one chosen at it, or the one
        carried over from before (the close check accepts them, and the summary says they
        continue); empty only when there is nobody."""
        select = self.query_one("#coordinator", Select)
        wanted = meeting_coordinator(self.plan, self.meeting)[0]
        professionals = [p for p, _ in self._professional_signature()]
        with self.prevent(Select.Changed):
            if wanted not in professionals:
                select.clear()
            elif select.selection != wanted:
                select.value = wanted

    def _show_coordinator_info(self) -> None:
        plan = self.plan
        current = plan.current_coordinator
        info = self.query_one("#coordinator-info", Static)
        if current:
            term = next(term for term in reversed(plan.coordinators) if term.to_date is None)
            carried = meeting_coordinator(plan, self.meeting) == (current, True)
            key = "closing.coordinator_continues" if carried else "closing.coordinator_now"
            info.update(tr(key, name=who(plan, current), since=fmt_date(term.from_date)))
        else:
            info.update(tr("closing.coordinator_none"))
        # the hand-overs, newest first: who held the thread from when to when
        table = self.query_one("#coordinator-history", DataTable)
        table.clear()
        for term in reversed(plan.coordinators):
            m = plan.meeting(term.meeting_id)
            meeting = t("meeting.number", number=plan.meetings.index(m) + 1) if m is not None else "–"
            to = fmt_date(term.to_date) if term.to_date else t("closing.coordinator_current")
            style = "bold" if term.to_date is None else ""
            name = one_line(plan.name_of(term.contact_id)) or "–"
            table.add_row(Text(name, style=style), Text(fmt_date(term.from_date)),
                          Text(to, style=style), Text(meeting))
        table.display = bool(plan.coordinators)
        self.query_one("#coordinator-history-label").display = bool(plan.coordinators)

    @on(Select.Changed, "#coordinator")
    def _coordinator_changed(self, event: Select.Changed) -> None:
        meeting = self.meeting
        chosen = event.value if isinstance(event.value, str) else ""
        # the list showing the coordinator carried over (at mount, say) changes nothing
        if chosen == (meeting.coordinator or meeting_coordinator(self.plan, meeting)[0]):
            return
        if chosen:
            try:
                self.plan.set_coordinator(chosen, self._today(), meeting.id)
            except PlanError as err:
                self.notify(t(err.code, **err.params), severity="warning", markup=False)
                return
        if meeting.coordinator != chosen:
            meeting.coordinator = chosen
            self.changed()
        if not chosen:
            # the plan still has its coordinator (a term is never taken back): the list says so
            self._show_coordinator_choice()
        self._show_coordinator_info()
        self._show_close_state()

    # ------------------------------------------------------------------ summary

    @on(TextArea.Changed, "#summary")
    def _summary_changed(self, event: TextArea.Changed) -> None:
        if self.meeting.summary != event.text_area.text:
            had_summary = bool(self.meeting.summary.strip())
            self.meeting.summary = event.text_area.text
            self.changed()
            if had_summary != bool(self.meeting.summary.strip()):
                self._show_close_state()
            else:
                self._show_summary_state()

    @on(Button.Pressed, "#generate-summary")
    @settles
    async def action_generate_summary(self) -> None:
        # what was typed just before the key (a date, a choice) reaches the plan first
        await self.kapp.settle()
        text = generate_summary(self.plan, self.meeting)
        current = self.meeting.summary
        if not current.strip() or current == text or current == self._last_generated:
            self._put_summary(text)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._put_summary(text)

        self.app.push_screen(Confirm("closing.overwrite_summary", detail=t("closing.overwrite_detail")), answered)

    def _put_summary(self, text: str) -> None:
        area = self.query_one("#summary", NoteArea)
        with self.prevent(TextArea.Changed):
            area.load_text(clean(text))
        self.meeting.summary = area.text
        self._last_generated = area.text
        self.changed()
        self._show_close_state()
        # ready to be added to: before, the focus stayed where it was (the coordinator's list,
        # say), and the next sentence typed went there and was lost
        area.focus()
        area.move_cursor(area.document.end)
        self.call_after_refresh(self._summary_ready, area)

    def _summary_ready(self, area: NoteArea) -> None:
        """After a confirmation dialog closes, Textual gives the focus back to the widget that
        had it before: the summary takes it again."""
        area.focus()
        area.scroll_visible(animate=False)

    # ------------------------------------------------------------------ approval

    def _choice(self) -> str:
        pressed = self.query_one("#approval-choice", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("choice-") if pressed is not None else ""

    @on(RadioSet.Changed, "#approval-choice")
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        meeting = self.meeting
        afterwards = self._choice() == AFTERWARDS
        if meeting.review_afterwards != afterwards:
            meeting.review_afterwards = afterwards
            self.changed()
        self._approval_message("", error=False)
        self._show_approval_state()
        self._show_close_state()

    def _approval_message(self, text: str, *, error: bool) -> None:
        widget = self.query_one("#approval-message", Static)
        widget.update(Content(clean(text, multiline=False)))
        widget.set_class(error, "error")

    def _show_approval_state(self) -> None:
        meeting, plan = self.meeting, self.plan
        choice = self._choice()
        self.query_one("#approval-fields").display = choice != AFTERWARDS
        self.query_one("#approval-absent-hint").display = (
            not meeting.citizen_present and meeting.approval is None and not meeting.review_afterwards)
        status = self.query_one("#approval-status", Static)
        ap = meeting.approval
        if ap is not None:
            recorded = tr("closing.approval_recorded", decision=enum_label(ap.decision.value),
                          at=fmt_datetime(ap.at), version=ap.plan_version, by=approved_by(plan, ap.by))
            # the citizen has answered more than once (at the meeting, then in a review
            # afterwards, say): the one shown is the latest, and that is the one that counts
            answers = [a for a in plan.approvals if a.meeting_id == meeting.id]
            count = len(answers) + (ap not in answers)
            if count > 1:
                recorded = Content("\n").join([recorded, tr("closing.approval_latest_counts", count=count)])
            status.update(recorded)
            status.set_class(True, "recorded")
        elif meeting.review_afterwards:
            status.update(tr("closing.approval_afterwards"))
            status.set_class(True, "recorded")
        else:
            status.update(tr("closing.approval_pending"))
            status.set_class(False, "recorded")

    @on(Button.Pressed, "#record-approval")
    @settles
    async def action_record_approval(self) -> None:
        # what was typed just before the key (a date, a choice) reaches the plan first
        await self.kapp.settle()
        choice = self._choice()
        if not choice:
            self._approval_message(t("closing.choose_decision"), error=True)
            self.query_one("#approval-choice", RadioSet).focus()
            return
        if choice == AFTERWARDS:
            self._approval_message(t("closing.afterwards_nothing_to_record"), error=False)
            return
        words_area = self.query_one("#approval-words", TextArea)
        by = self.query_one("#approval-by", Select).selection or ""
        # The approval names the saved version holding what the citizen went through.
        self.kapp.save_now()
        approval = Approval(
            decision=ApprovalDecision(choice),
            at=self.kapp.clock(),
            setting=ApprovalSetting.AT_MEETING,
            by=by,
            citizen_words=words_area.text.strip(),
        )
        try:
            self.plan.record_approval(approval, self.meeting)
        except PlanError as err:
            self._approval_message(t(err.code, **err.params), error=True)
            words_area.focus()
            return
        self.changed()
        self._approval_message("", error=False)
        self._show_approval_state()
        self._show_close_state()
        self.query_one("#approval-status").scroll_visible(animate=False)
        self.notify(t("closing.approval_saved", version=approval.plan_version), markup=False, timeout=4)

    # ------------------------------------------------------------------ closing the meeting

    def _missing(self) -> list[str]:
        meeting = self.meeting
        missing = []
        nxt = meeting.next_meeting
        if nxt.on is None:
            missing.append(t("closing.missing_next"))
        # the same one the summary names: chosen at the meeting, or carried over from before
        if not meeting_coordinator(self.plan, meeting)[0]:
            missing.append(t("closing.missing_coordinator"))
        if not meeting.summary.strip():
            missing.append(t("closing.missing_summary"))
        if meeting.approval is None and not meeting.review_afterwards:
            missing.append(t("closing.missing_approval"))
        # found by a review: "all set" while earlier agreements had no outcome and a refused
        # /aftale line was still in a note (and so in the minutes, as typed)
        no_outcome = [a for a in self.plan.follow_up_agreements(meeting) if a.outcome_at(meeting.id) is None]
        if no_outcome:
            missing.append(t("closing.missing_outcomes", count=len(no_outcome)))
        unmade = unmade_slash_lines(meeting)
        if unmade:
            missing.append(t("closing.missing_slash", count=unmade))
        return missing

    def _summary_stale(self) -> bool:
        """The summary was made before the agreements or goals last changed (an agreement
        ended on F6 after Ctrl+G, say): read out or sent as it is, it says what no longer
        holds. Nothing is rewritten: the referent may have added to it by hand."""
        meeting = self.meeting
        return meeting.status != MeetingStatus.CLOSED and summary_out_of_date(self.plan, meeting)

    def _show_summary_state(self) -> bool:
        stale = self._summary_stale()
        self.query_one("#summary-stale").display = stale
        return stale

    def _reason_needed(self) -> bool:
        nxt = self.meeting.next_meeting
        if nxt.on is None:
            return False
        try:
            return check_next_meeting(nxt.on, self._today(), nxt.reason_beyond_limit) is not None
        except PlanError:
            return False

    def _show_close_state(self) -> None:
        meeting = self.meeting
        closed = self.query_one("#closing-closed", Static)
        checklist = self.query_one("#close-checklist", Static)
        button = self.query_one("#close-meeting", Button)
        reopen = self.query_one("#reopen-meeting", Button)
        history = self.query_one("#reopen-history", Static)
        history.update(Content("\n").join(
            tr("closing.reopened_line", at=fmt_datetime(r.at), by=one_line(r.by) or "?", reason=one_line(r.reason))
            for r in meeting.reopenings))
        history.display = bool(meeting.reopenings)
        closed_now = meeting.status == MeetingStatus.CLOSED
        stale = self._show_summary_state()
        button.display, reopen.display = not closed_now, closed_now
        self.refresh_bindings()
        if closed_now:
            closed.update(tr("closing.closed_frozen", at=fmt_datetime(meeting.closed_at), version=meeting.closed_version))
            closed.display = True
            checklist.update(tr("closing.closed", at=fmt_datetime(meeting.closed_at), version=meeting.closed_version))
            button.disabled = True
            return
        closed.display = False
        button.disabled = False
        missing = self._missing()
        if missing:
            said = Content.assemble((t("closing.missing") + " ", "bold"), ", ".join(missing))
        else:
            said = tr("closing.all_set")
        if stale:
            said = Content("\n").join([said, tr("closing.summary_stale")])
        checklist.update(said)
        checklist.set_class(bool(missing) or stale, "incomplete")

    @on(Button.Pressed, "#close-meeting")
    @settles
    async def action_close_meeting(self) -> None:
        # what was typed just before the key (a date, a choice) reaches the plan first
        await self.kapp.settle()
        meeting = self.meeting
        if meeting.status == MeetingStatus.CLOSED:
            self.notify(t("closing.already_closed"), markup=False)
            return
        if self._reason_needed():
            self._next_message(t("next_meeting_beyond_limit"), "warning")
            reason = self.query_one("#next-reason", Input)
            reason.focus()
            reason.scroll_visible(animate=False)
            self.notify(t("next_meeting_beyond_limit"), severity="warning", markup=False)
            return
        missing = self._missing()
        detail = t("closing.close_detail")
        if missing:
            detail += "\n\n" + t("closing.missing") + "\n" + "\n".join(f"- {m}" for m in missing)
        if self._summary_stale():
            detail += "\n\n" + t("closing.summary_stale")

        def answered(yes: bool | None) -> None:
            if yes:
                self.close_meeting()

        self.app.push_screen(Confirm("closing.close_question", detail=detail), answered)

    def close_meeting(self) -> None:
        meeting = self.meeting
        now = self.kapp.clock()
        meeting.stop_current_item(now)
        if not meeting.coordinator:
            # the coordinator carried over (nobody else chosen) is this meeting's: written in
            # it, so the minutes and the frozen version name them as the summary does
            meeting.coordinator = meeting_coordinator(self.plan, meeting)[0]
        meeting.status = MeetingStatus.CLOSED
        meeting.closed_at = now
        # the save made now is frozen (its own version, kept in the vault as it is); the
        # snapshot sets closed_version to that version
        handle = self.kapp.handle
        if handle is not None:
            handle.freeze(meeting.id)
        self.changed()
        self.kapp.save_now()
        self._show_close_state()
        self.sync_closed()
        # the field that had the focus is off now: the focus goes to "Genåbn", so Ctrl+F (the
        # key the status line names) works at once (found by a review: it needed a Tab first)
        # (without scrolling to it: the line that says which version was frozen stays in view)
        self.call_after_refresh(self._focus_reopen)
        self.notify(t("closing.closed", at=fmt_datetime(now), version=meeting.closed_version),
                    markup=False, timeout=6)

    # ------------------------------------------------------------------ re-opening

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        closed = self.meeting.status == MeetingStatus.CLOSED
        if action == "close_meeting":
            return not closed
        if action == "reopen_meeting":
            return closed
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#reopen-meeting")
    def action_reopen_meeting(self) -> None:
        meeting = self.meeting
        if meeting.status != MeetingStatus.CLOSED:
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.reopen_meeting(reason)

        self.app.push_screen(TextPrompt("closing.reopen_prompt", "closing.reopen_placeholder"), answered)

    def reopen_meeting(self, reason: str) -> None:
        handle = self.kapp.handle
        if handle is None:
            return
        version = self.meeting.closed_version
        try:
            handle.reopen(self.meeting.id, reason, self.kapp.clock())
        except PlanError as err:
            self.notify(t(err.code, **err.params), severity="warning", markup=False)
            return
        except Exception as err:  # noqa: BLE001 - the access log could not be written: not re-opened
            message = getattr(err, "message", "") or type(err).__name__
            self.notify(t("closing.reopen_not_logged", reason=message), severity="error", markup=False, timeout=10)
            return
        self.changed()
        self._show_close_state()
        self.sync_closed()
        self.notify(t("closing.reopened", version=version), markup=False, timeout=6)

    def _focus_reopen(self) -> None:
        self.query_one("#reopen-meeting", Button).focus(scroll_visible=False)

    def focus_first(self) -> None:
        if meeting_closed(self):  # its fields are off: the way on is re-opening
            focus_now(self.query_one("#reopen-meeting", Button))
            return
        focus_now(self.query_one("#next-when", Input))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            (t("closing.cmd_generate"), t("closing.cmd_generate_help"), self.action_generate_summary),
            (t("closing.cmd_record"), t("closing.cmd_record_help"), self.action_record_approval),
            (t("closing.cmd_close"), t("closing.cmd_close_help"), self.action_close_meeting),
            (t("closing.cmd_reopen"), t("closing.cmd_reopen_help"), self.action_reopen_meeting),
        ]

