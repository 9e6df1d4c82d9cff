"""The monthly report conversation (báo cáo tháng): one question at a time, then a summary.

Steps (kept in the conversation row, so a restart resumes exactly here):
`field:<key>` a question · `balance` / `reason` a member count to confirm · `summary` ·
`pick` which summary line to change · `branch` / `period` which report to open.
"""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.engine.router import Flow
from bot.engine.types import InKind
from handlers.access import is_secretary_of
from handlers.evidence import attach_photo
from handlers.report import answers as parse
from handlers.report import balance, opening, photos, render, summary
from handlers.report.working import (
    FIELD,
    Working,
    apply_answer,
    flags_for_reader,
    form_of,
    load_working,
    localised_options,
    missing_required,
    next_key,
    read_value,
    skip_answer,
    store_working,
)
from handlers.reports.calendar import period_bounds, today
from handlers.reports.checks import check_answer, expected_lines
from handlers.reports.form import FieldType, Form, FormField
from storage.models import MonthlyReport
from storage.repositories.reports import ReportRepository


class ReportFlow(Flow):
    """Filling in, checking and sending the month's report."""

    name = "report"

    async def start(self, ctx: Context, args: str) -> None:
        """/baocao: open (or resume) the right report."""
        await opening.open_report_command(ctx, self, args)

    # -- the report being worked on --------------------------------------------------------
    async def report(self, ctx: Context) -> MonthlyReport | None:
        """The report of this conversation, only if this person may still touch it."""
        report_id = ctx.data.get("report_id")
        report = (
            await ctx.repo(ReportRepository).locked(report_id)
            if isinstance(report_id, int)
            else None
        )
        if report is None or not is_secretary_of(ctx, report.branch_id):
            ctx.end_flow()
            ctx.say("report.gone")
            return None
        return report

    # -- asking ----------------------------------------------------------------------------
    async def ask(self, ctx: Context) -> None:
        """State the current step again: a question, the confirmation, or the summary."""
        step = ctx.step or ""
        if step in ("branch", "period"):
            await opening.ask_choice(ctx, self)
            return
        report = await self.report(ctx)
        if report is None:
            return
        form = form_of(ctx)
        working = load_working(ctx, report)
        if step.startswith(FIELD) and form.has(step.removeprefix(FIELD)):
            question = form.field(step.removeprefix(FIELD))
            if question.type is FieldType.PHOTOS:
                ctx.reply(photos.prompt(ctx, form, question, working.answers))
            else:
                picked = list(ctx.data.get("picked", []))
                ctx.reply(render.question_reply(ctx, form, question, working.answers, picked))
                self.remind_lines(ctx, form, working, question.key)
        elif step in ("balance", "reason"):
            balance.ask(ctx)
        elif step == "pick":
            total = len(form.applicable(working.answers))
            ctx.say("report.pick_field", total=total)
        else:
            await summary.show(ctx, report, form, working)

    @staticmethod
    def remind_lines(ctx: Context, form: Form, working: Working, key: str) -> None:
        """When asked again mid-list, say which lines are already kept."""
        partial = ctx.data.get("partial") if ctx.data.get("partial_key") == key else None
        expected = expected_lines(form, key, working.answers)
        if partial and expected:
            ctx.say("report.lines_kept", n=len(partial), count=expected, lines="; ".join(partial))

    async def goto(self, ctx: Context, step: str, **data: Any) -> None:
        """Move to `step` (merging `data` into the flow's data) and ask it."""
        if step != ctx.step:
            ctx.update(partial=[], partial_key=None)  # lines gathered belong to their question
        ctx.goto(self.name, step)
        ctx.update(**data)
        await self.ask(ctx)

    # -- answers ---------------------------------------------------------------------------
    async def on_input(self, ctx: Context) -> None:
        """Hand the input to the current step."""
        step = ctx.step or ""
        if step in ("branch", "period"):
            await opening.on_choice(ctx, self)
            return
        report = await self.report(ctx)
        if report is None:
            return
        form = form_of(ctx)
        if step.startswith(FIELD) and form.has(step.removeprefix(FIELD)):
            question = form.field(step.removeprefix(FIELD))
            if question.type is FieldType.PHOTOS:
                await photos.on_input(ctx, self, report, form, question)
            else:
                await self.answer(ctx, report, form, question)
        elif step == "balance":
            await balance.on_balance(ctx, self)
        elif step == "reason":
            await balance.on_reason(ctx, self, report, form)
        elif step == "pick":
            await summary.on_pick(ctx, self, report, form)
        else:
            await summary.on_input(ctx, self, report, form)

    async def answer(
        self, ctx: Context, report: MonthlyReport, form: Form, question: FormField
    ) -> None:
        """Read, check and save one answer, then move on."""
        if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
            caption = parse.clean_text(ctx.input.text)[:500] or None
            await attach_photo(ctx, report, ctx.input.photo, caption=caption)
            await self.ask(ctx)
            return
        working = load_working(ctx, report)
        value = self.chosen_value(ctx, question)
        if value is _PENDING:
            await self.ask(ctx)
            return
        if value is _NOTHING:
            try:
                value = read_value(
                    question,
                    ctx.input.text,
                    today(ctx.now, ctx.settings),
                    localised_options(ctx, question),
                )
            except parse.Unreadable as exc:
                ctx.say(exc.key, **exc.values)
                await self.ask(ctx)
                return
            self.tell_if_cut(ctx, question, value)
            if question.lines:
                value = self.gather_lines(ctx, form, working, question.key, value)
                if value is _PENDING:
                    return
        candidate = apply_answer(ctx, form, working, question.key, value)
        first, last = period_bounds(report.period, ctx.settings)
        problem = check_answer(
            form,
            question.key,
            candidate.answers,
            period_first=first,
            period_last=last,
            today=today(ctx.now, ctx.settings),
        )
        if problem is not None:
            ctx.say(problem.key, **problem.values)
            await self.ask(ctx)
            return
        await self.save(ctx, report, form, working, candidate, question.key)

    @staticmethod
    def tell_if_cut(ctx: Context, question: FormField, value: Any) -> None:
        """A long answer is kept up to its limit; say so, and how long it may be."""
        length = len(parse.clean_text(ctx.input.text))
        if question.type is FieldType.LONGTEXT and isinstance(value, str) and len(value) < length:
            ctx.say("report.long_cut", length=length, max=question.max_length, end=value[-40:])

    @staticmethod
    def gather_lines(ctx: Context, form: Form, working: Working, key: str, lines: list[str]) -> Any:
        """Lines sent over several messages (one project per message on a phone) are kept in the
        conversation row until the count answered for them is reached."""
        partial = list(ctx.data.get("partial", [])) if ctx.data.get("partial_key") == key else []
        combined = [*partial, *lines]
        expected = expected_lines(form, key, working.answers)
        if partial and len(lines) == expected:
            return lines  # the whole list sent again in one message
        if expected is None or len(combined) >= expected:
            return combined
        ctx.update(partial=combined, partial_key=key)
        ctx.say("report.lines_so_far", n=len(combined), count=expected, next=len(combined) + 1)
        return _PENDING

    def chosen_value(self, ctx: Context, question: FormField) -> Any:
        """A pressed (or typed-and-matched) choice as the answer; multi-choice toggles."""
        choice = ctx.input.choice
        if choice is None:
            return _NOTHING
        prefix, _, rest = choice.partition(":")
        if prefix == "a" and question.type is FieldType.YESNO:
            return rest == "1"
        if prefix == "a" and rest in question.option_values():
            return rest
        if prefix == "m" and question.type is FieldType.MULTICHOICE:
            picked = list(ctx.data.get("picked", []))
            if not rest:
                return [v for v in question.option_values() if v in picked]
            if rest in question.option_values():
                picked = [p for p in picked if p != rest] if rest in picked else [*picked, rest]
                ctx.update(picked=picked)
                return _PENDING
        ctx.say("common.stale_button")
        return _PENDING

    async def save(
        self,
        ctx: Context,
        report: MonthlyReport,
        form: Form,
        before: Working,
        working: Working,
        key: str,
    ) -> None:
        """Store the answer, tell about new flags, question a member-count gap, move on."""
        old = {(f["field"], f["code"]) for f in before.flags}
        for flag in flags_for_reader(ctx, form, working):
            if (flag["field"], flag["code"]) not in old and flag["field"] == key:
                ctx.say("report.flag_notice", note=flag["note"])
        ctx.update(picked=[])
        working, gap = await balance.check(ctx, report, form, working, key)
        await photos.follow(ctx, report, form, before.answers, working.answers)
        store_working(ctx, report, working)
        if gap is not None:
            await self.goto(ctx, "balance", **gap)
            return
        await self.advance(ctx, form, working.answers, key)

    async def advance(self, ctx: Context, form: Form, answers: dict[str, Any], after: str) -> None:
        """The next question; when changing from the summary, back to it once nothing required
        is missing."""
        if ctx.data.get("editing"):
            missing = missing_required(form, answers)
            step = FIELD + missing if missing else "summary"
            ctx.update(editing=bool(missing))
        else:
            step = next_key(form, answers, after)
        await self.goto(ctx, step)

    # -- back, skip, help, cancel -----------------------------------------------------------
    async def back(self, ctx: Context) -> None:
        """/quaylai: the previous question that applies; from a change, the summary."""
        step = ctx.step or ""
        if step in ("branch", "period"):
            await super().back(ctx)
            return
        report = await self.report(ctx)
        if report is None:
            return
        form = form_of(ctx)
        answers = load_working(ctx, report).answers
        keys = [q.key for q in form.applicable(answers)]
        current = step.removeprefix(FIELD)
        partial = list(ctx.data.get("partial") or []) if ctx.data.get("partial_key") else []
        if partial and ctx.data.get("partial_key") == current:
            # "Đã ghi 1/2" then /quaylai: the line just typed is taken back, not the question.
            ctx.update(partial=partial[:-1])
            ctx.say("report.line_undone", line=partial[-1])
            await self.ask(ctx)
            return
        if step in ("balance", "reason"):
            await self.goto(ctx, FIELD + str(ctx.data.get("after")))
        elif step == "summary":
            await self.goto(ctx, FIELD + keys[-1], editing=False)
        elif step == "pick" or ctx.data.get("editing"):
            await self.goto(ctx, "summary", editing=False)
        elif current in keys and keys.index(current) > 0:
            await self.goto(ctx, FIELD + keys[keys.index(current) - 1], picked=[])
        else:
            await super().back(ctx)

    async def skip(self, ctx: Context) -> None:
        """/boqua: leave an optional question blank (a required one is asked again)."""
        step = ctx.step or ""
        form = form_of(ctx)
        key = step.removeprefix(FIELD)
        if not step.startswith(FIELD) or not form.has(key) or form.field(key).required:
            await super().skip(ctx)
            return
        report = await self.report(ctx)
        if report is None:
            return
        before = load_working(ctx, report)
        working = skip_answer(ctx, form, before, key)
        await photos.follow(ctx, report, form, before.answers, working.answers)
        store_working(ctx, report, working)
        ctx.update(picked=[])
        await self.advance(ctx, form, working.answers, key)

    async def help(self, ctx: Context) -> None:
        """/trogiup: the question's help text, then the question."""
        step = ctx.step or ""
        form = form_of(ctx)
        if step.startswith(FIELD) and form.has(step.removeprefix(FIELD)):
            ctx.say(form.field(step.removeprefix(FIELD)).help_key)
        await self.ask(ctx)

    async def photos_back(self, ctx: Context, changed: dict[str, Any]) -> None:
        """A dropped correction: photos that followed the changed list follow it back."""
        report = await ctx.repo(ReportRepository).locked(int(ctx.data["report_id"]))
        if report is not None and is_secretary_of(ctx, report.branch_id):
            await photos.follow(ctx, report, form_of(ctx), changed, dict(report.answers or {}))

    async def cancel(self, ctx: Context) -> None:
        """/huy: stop; a draft stays saved, an unsent correction is dropped.

        What is not in the report's answers yet (list lines typed so far, a list being retyped,
        having reached the summary) is kept aside in the conversation row for the next /baocao."""
        copy = ctx.data.get("copy")
        was_correcting = isinstance(copy, dict)
        if isinstance(copy, dict) and isinstance(ctx.data.get("report_id"), int):
            await self.photos_back(ctx, dict(copy.get("answers", {})))
        kept = {k: ctx.data.get(k) for k in KEPT_ON_CANCEL if ctx.data.get(k)}
        report_id, step = ctx.data.get("report_id"), ctx.step
        ctx.end_flow()
        if not was_correcting and isinstance(report_id, int):
            ctx.update(kept={**kept, "report_id": report_id, "step": step})
        ctx.say("report.correction_dropped" if was_correcting else "report.cancelled")


# Flow data that /huy keeps aside for the next /baocao of the same report.
KEPT_ON_CANCEL = ("partial", "partial_key", "former_projects")

_NOTHING = object()
_PENDING = object()

report_flow = ReportFlow()
