"""The monthly report conversation (báo cáo tháng): one question at a time, then a summary.

Its steps are the table in `ReportFlow.steps`, kept in the conversation row so a restart resumes
exactly there: `branch` / `period` which report to open · `field:<key>` a question of the form ·
`balance` / `reason` a member count to confirm · `summary` · `pick` the summary line to change.
Every move between steps happens here; the helper modules (opening, question, balance, photos,
summary) read, check, store and say, and report back.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.engine.context import Context
from bot.engine.types import Choice
from bot.i18n import period_text
from handlers.access import is_secretary_of, secretary_branches
from handlers.report import answers as parse
from handlers.report import balance, opening, photos, render, summary
from handlers.report.question import Answered, NotYet, read, remind_lines
from handlers.report.working import (
    flags_for_reader,
    load_working,
    missing_required,
    skip_answer,
    store_working,
)
from handlers.reports import lifecycle
from handlers.reports.calendar import current_period, typed_period
from handlers.reports.form import FieldType, Form, FormField, form_for
from handlers.reports.progress import next_question, question_number
from handlers.steps import StepFlow, StepSpec
from storage.models import Branch, MonthlyReport
from storage.repositories.reports import ReportRepository


class Step(StrEnum):
    """Where the report conversation stands."""

    BRANCH = "branch"
    PERIOD = "period"
    QUESTION = "field"
    BALANCE = "balance"
    REASON = "reason"
    SUMMARY = "summary"
    PICK = "pick"


class ReportFlow(StepFlow[Step]):
    """Filling in, checking and sending the month's report."""

    name = "report"

    def __init__(self) -> None:
        super().__init__(Step, Step.SUMMARY)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.BRANCH: StepSpec(self.ask_branch, self.on_branch),
            Step.PERIOD: StepSpec(self.ask_period, self.on_period),
            Step.QUESTION: StepSpec(self.ask_question, self.on_question),
            Step.BALANCE: StepSpec(self.ask_balance, self.on_balance),
            Step.REASON: StepSpec(self.ask_balance, self.on_reason),
            Step.SUMMARY: StepSpec(self.ask_summary, self.on_summary),
            Step.PICK: StepSpec(self.ask_pick, self.on_pick),
        }

    # -- moving ------------------------------------------------------------------------------
    async def move(self, ctx: Context, step: Step, key: str = "", **data: Any) -> None:
        """Go to `step` (a question's `key`), merging `data` into the flow's data, and ask it."""
        stored = f"{step.value}:{key}" if key else step.value
        if stored != ctx.step:
            ctx.update(partial=[], partial_key=None)  # lines gathered belong to their question
        self.go(ctx, step, key, **data)
        await self.ask(ctx)

    async def advance(self, ctx: Context, form: Form, answers: dict[str, Any], after: str) -> None:
        """The next question; when changing from the summary, back to it once nothing required
        is missing."""
        if ctx.data.get("editing"):
            missing = missing_required(form, answers)
            ctx.update(editing=bool(missing))
            await (self.move(ctx, Step.QUESTION, missing) if missing else self.summary(ctx))
            return
        pending = next_question(form, answers, after)
        await (self.move(ctx, Step.QUESTION, pending.key) if pending else self.summary(ctx))

    async def summary(self, ctx: Context, **data: Any) -> None:
        await self.move(ctx, Step.SUMMARY, **data)

    # -- opening -----------------------------------------------------------------------------
    async def start(self, ctx: Context, args: str) -> None:
        """/baocao [MM/YYYY]: pick the branch when there are several, then the month."""
        branches = secretary_branches(ctx)
        if not branches:
            ctx.say("common.not_allowed")
            return
        period = None
        if args.strip():
            period = typed_period(args, ctx.now, ctx.settings)
            current = current_period(ctx.now, ctx.settings)
            if period is None or period > current:
                ctx.say("report.bad_period", example=period_text(current))
                return
        if len(branches) > 1:
            ctx.goto(self.name, Step.BRANCH.value, {"period": period})
            await self.ask(ctx)
            return
        await self.choose_branch(ctx, branches[0], period)

    async def choose_branch(self, ctx: Context, branch: Branch, period: str | None) -> None:
        """With the branch known: ask the month when several are open, else open the report."""
        if period is None:
            options = await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)
            if len(options) > 1:
                ctx.goto(self.name, Step.PERIOD.value, {"branch_id": branch.id})
                await self.ask(ctx)
                return
            period = options[0][0]
        await self.open(ctx, branch, period)

    async def open(self, ctx: Context, branch: Branch, period: str) -> None:
        """Resume a draft, show a returned report's comment, correct or show a sent one."""
        opened = await opening.open_report(ctx, self.name, branch, period)
        if opened is None:
            return
        if opened.carry_on:
            # Where it already was: stored again, so the question is asked here, once (a side
            # trip's command would otherwise ask it a second time).
            self.go(ctx, self.step(ctx), self.detail(ctx))
        else:
            question = f"{Step.QUESTION.value}:{opened.question}"
            ctx.goto(self.name, question if opened.question else Step.SUMMARY.value, opened.data)
        await self.ask(ctx)

    async def ask_branch(self, ctx: Context) -> None:
        choices = tuple(Choice(f"rb:{b.id}", b.name) for b in secretary_branches(ctx))
        ctx.say("report.which_branch", choices=choices)

    async def on_branch(self, ctx: Context) -> None:
        choice = ctx.input.choice or ""
        branch = opening.own_branch(ctx, int(choice[3:])) if choice[3:].isdecimal() else None
        if choice.startswith("rb:") and branch is not None:
            await self.choose_branch(ctx, branch, ctx.data.get("period"))
            return
        ctx.say("report.expect.button")
        await self.ask(ctx)

    async def ask_period(self, ctx: Context) -> None:
        branch = opening.own_branch(ctx, ctx.data.get("branch_id"))
        if branch is None:
            ctx.end_flow()
            ctx.say("report.gone")
            return
        await opening.ask_period(ctx, branch)

    async def on_period(self, ctx: Context) -> None:
        """A month picked; only this person's branches and open months are taken."""
        choice = ctx.input.choice or ""
        branch = opening.own_branch(ctx, ctx.data.get("branch_id"))
        if branch is not None and choice.startswith("rp:"):
            periods = await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)
            if choice[3:] in [p for p, _ in periods]:
                await self.open(ctx, branch, choice[3:])
                return
        ctx.say("report.expect.button")
        await self.ask(ctx)

    # -- the report being worked on ----------------------------------------------------------
    async def report(self, ctx: Context) -> MonthlyReport | None:
        """The report of this conversation, only if this person may still touch it."""
        report_id = ctx.data.get("report_id")
        repo = ctx.repo(ReportRepository)
        report = await repo.locked(report_id) if isinstance(report_id, int) else None
        if report is None or not is_secretary_of(ctx, report.branch_id):
            ctx.end_flow()
            ctx.say("report.gone")
            return None
        return report

    def question(self, ctx: Context, form: Form) -> FormField | None:
        """The question of a `field:<key>` step (None when the form no longer has it)."""
        key = self.detail(ctx)
        return form.field(key) if form.has(key) else None

    # -- a question --------------------------------------------------------------------------
    async def ask_question(self, ctx: Context) -> None:
        report = await self.report(ctx)
        if report is None:
            return
        form = form_for(ctx.settings)
        question = self.question(ctx, form)
        if question is None:
            await self.summary(ctx)  # a question this version of the form does not have
            return
        working = load_working(ctx, report)
        if question.type is FieldType.PHOTOS:
            ctx.reply(photos.prompt(ctx, form, question, working.answers))
            return
        picked = list(ctx.data.get("picked", []))
        ctx.reply(
            render.question_reply(ctx, form, question, working.answers, picked, report.period)
        )
        remind_lines(ctx, form, working, question.key)

    async def on_question(self, ctx: Context) -> None:
        """Read, check and save one answer (or take a photo at the photo step), then move on."""
        report = await self.report(ctx)
        if report is None:
            return
        form = form_for(ctx.settings)
        question = self.question(ctx, form)
        if question is None:
            await self.summary(ctx)
        elif question.type is FieldType.PHOTOS:
            outcome = await photos.on_input(ctx, report, form, question)
            if outcome is photos.PhotoStep.DONE:
                await self.advance(ctx, form, load_working(ctx, report).answers, question.key)
        else:
            answered = await read(ctx, report, form, question)
            if answered is NotYet.ASK_AGAIN:
                await self.ask(ctx)
            elif isinstance(answered, Answered):
                await self.save(ctx, report, form, answered, question.key)

    async def save(
        self, ctx: Context, report: MonthlyReport, form: Form, answered: Answered, key: str
    ) -> None:
        """Store the answer, tell about new flags, question a member-count gap, move on."""
        old = {(f["field"], f["code"]) for f in answered.before.flags}
        for flag in flags_for_reader(ctx, form, answered.after):
            if (flag["field"], flag["code"]) not in old and flag["field"] == key:
                ctx.say("report.flag_notice", note=flag["note"])
        ctx.update(picked=[])
        working, gap = await balance.check(ctx, report, form, answered.after, key)
        await photos.follow(ctx, report, form, answered.before.answers, working.answers)
        store_working(ctx, report, working)
        if gap is not None:
            await self.move(ctx, Step.BALANCE, **gap)
            return
        await self.advance(ctx, form, working.answers, key)

    # -- a member count to confirm -----------------------------------------------------------
    async def ask_balance(self, ctx: Context) -> None:
        balance.ask(ctx, confirmed=self.step(ctx) is Step.REASON)

    async def on_balance(self, ctx: Context) -> None:
        """Confirm the figure (then a reason), or change it."""
        if ctx.input.choice == balance.CONFIRM:
            await self.move(ctx, Step.REASON)
        elif ctx.input.choice == balance.CHANGE:
            report = await self.report(ctx)
            if report is not None:
                await self.move(ctx, Step.QUESTION, balance.retype(ctx, report))
        else:
            ctx.say("report.expect.button")
            await self.ask(ctx)

    async def on_reason(self, ctx: Context) -> None:
        """Keep the reason as a flag for the district, then carry on."""
        report = await self.report(ctx)
        if report is None:
            return
        if not await balance.keep_reason(ctx, report):
            await self.ask(ctx)
            return
        answers = load_working(ctx, report).answers
        await self.advance(ctx, form_for(ctx.settings), answers, str(ctx.data.get("after")))

    # -- the summary -------------------------------------------------------------------------
    async def ask_summary(self, ctx: Context) -> None:
        report = await self.report(ctx)
        if report is not None:
            await summary.show(ctx, report, form_for(ctx.settings), load_working(ctx, report))

    async def on_summary(self, ctx: Context) -> None:
        """Send, change a line, or later."""
        choice = summary.chosen(ctx)
        if choice == summary.SEND:
            report = await self.report(ctx)
            fix = await summary.send(ctx, report, form_for(ctx.settings)) if report else None
            if fix is not None:
                await self.move(ctx, Step.QUESTION, fix, editing=True)
        elif choice == summary.CHANGE:
            await self.move(ctx, Step.PICK)
        elif choice == summary.LATER:
            await self.cancel(ctx)
        else:
            ctx.say("report.expect.button")
            await self.ask(ctx)

    async def ask_pick(self, ctx: Context) -> None:
        report = await self.report(ctx)
        if report is not None:
            ctx.say("report.pick_field")

    async def on_pick(self, ctx: Context) -> None:
        """The number of the summary line to change (the question's own number)."""
        report = await self.report(ctx)
        if report is None:
            return
        form = form_for(ctx.settings)
        shown = {
            question_number(form, q.key)[0]: q.key
            for q in form.applicable(load_working(ctx, report).answers)
        }
        try:
            number = parse.parse_int(ctx.input.text)
        except parse.Unreadable:
            number = 0
        if number not in shown:
            ctx.say("report.expect.pick")
            await self.ask(ctx)
            return
        await self.move(ctx, Step.QUESTION, shown[number], editing=True, picked=[])

    # -- back, skip, help, cancel -----------------------------------------------------------
    async def back(self, ctx: Context) -> None:
        """/quaylai: the previous question that applies; from a change, the summary."""
        step = self.step(ctx)
        if step in (Step.BRANCH, Step.PERIOD):
            await super().back(ctx)
            return
        report = await self.report(ctx)
        if report is None:
            return
        keys = [q.key for q in form_for(ctx.settings).applicable(load_working(ctx, report).answers)]
        current = self.detail(ctx)
        partial = list(ctx.data.get("partial") or [])
        if partial and ctx.data.get("partial_key") == current:
            # "Đã ghi 1/2" then /quaylai: the line just typed is taken back, not the question.
            ctx.update(partial=partial[:-1])
            ctx.say("report.line_undone", line=partial[-1])
            await self.ask(ctx)
        elif step in (Step.BALANCE, Step.REASON):
            await self.move(ctx, Step.QUESTION, str(ctx.data.get("after")))
        elif step is Step.SUMMARY:
            await self.move(ctx, Step.QUESTION, keys[-1], editing=False)
        elif step is Step.PICK or ctx.data.get("editing"):
            await self.summary(ctx, editing=False)
        elif current in keys and keys.index(current) > 0:
            await self.move(ctx, Step.QUESTION, keys[keys.index(current) - 1], picked=[])
        else:
            await super().back(ctx)

    async def skip(self, ctx: Context) -> None:
        """/boqua: leave an optional question blank (a required one is asked again)."""
        form = form_for(ctx.settings)
        question = self.question(ctx, form) if self.step(ctx) is Step.QUESTION else None
        if question is None or question.required:
            await super().skip(ctx)
            return
        report = await self.report(ctx)
        if report is None:
            return
        before = load_working(ctx, report)
        working = skip_answer(ctx, form, before, question.key)
        await photos.follow(ctx, report, form, before.answers, working.answers)
        store_working(ctx, report, working)
        ctx.update(picked=[])
        await self.advance(ctx, form, working.answers, question.key)

    async def help(self, ctx: Context) -> None:
        """/trogiup: the question's help text, then the question."""
        question = self.question(ctx, form_for(ctx.settings))
        if self.step(ctx) is Step.QUESTION and question is not None:
            ctx.say(question.help_key)
        await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        """/huy: stop; a draft stays saved, an unsent correction is dropped.

        What is not in the report's answers yet (list lines typed so far, a list being retyped,
        having reached the summary) is kept aside in the conversation row for the next /baocao."""
        copy = ctx.data.get("copy")
        report_id, step = ctx.data.get("report_id"), ctx.step
        if isinstance(copy, dict) and isinstance(report_id, int):
            # A dropped correction: photos that followed the changed list follow it back.
            report = await ctx.repo(ReportRepository).locked(report_id)
            if report is not None and is_secretary_of(ctx, report.branch_id):
                form, changed = form_for(ctx.settings), dict(copy.get("answers", {}))
                await photos.follow(ctx, report, form, changed, dict(report.answers or {}))
        kept = {k: ctx.data.get(k) for k in opening.KEPT_ON_CANCEL if ctx.data.get(k)}
        ctx.end_flow()
        if not isinstance(copy, dict) and isinstance(report_id, int):
            ctx.update(kept={**kept, "report_id": report_id, "step": step})
        ctx.say("report.correction_dropped" if isinstance(copy, dict) else "report.cancelled")


report_flow = ReportFlow()
