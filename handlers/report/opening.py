"""Opening a report: which branch, which month, then where to resume, or why it is locked.

Helpers of the report flow: they say what the secretary needs to read and return where the
conversation should go; the flow moves there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.context import Context
from bot.engine.types import Choice, Reply
from bot.i18n import period_text
from handlers.access import secretary_branches
from handlers.i18n import fmt
from handlers.report import render, summary
from handlers.report.working import Working
from handlers.reports import lifecycle
from handlers.reports.calendar import due
from handlers.reports.form import FieldType, Form, form_for
from handlers.reports.progress import next_question
from storage.models import Branch, MonthlyReport, ReportStatus
from storage.repositories.reports import ReportRepository

#: Flow data that /huy keeps aside for the next /baocao of the same report.
KEPT_ON_CANCEL = ("partial", "partial_key", "former_lines")
SUMMARY = "summary"


@dataclass
class Opened:
    """Where an opened report resumes: a question's key, or the summary (None); `carry_on`
    when this conversation is already working on it (it goes on exactly where it was)."""

    question: str | None
    data: dict[str, Any] = field(default_factory=dict)
    carry_on: bool = False


def own_branch(ctx: Context, branch_id: object) -> Branch | None:
    """One of this person's branches by id; never another branch's."""
    return next((b for b in secretary_branches(ctx) if b.id == branch_id), None)


async def ask_period(ctx: Context, branch: Branch) -> None:
    """Which month: the months this branch can work on now, each with where its report stands;
    an overdue month (offered first) is named, with its deadline."""
    periods = await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)
    choices = tuple(
        Choice(
            f"rp:{p}",
            ctx.t("report.period_option", period=period_text(p), status=render.status_text(ctx, r)),
        )
        for p, r in periods
    )
    first, report = periods[0]
    if lifecycle.overdue(first, report, ctx.now, ctx.settings):
        ctx.say(
            "report.which_period_overdue",
            choices=choices,
            branch=branch.name,
            period=period_text(first),
            deadline=fmt(ctx).moment(due(first, ctx.settings)),
        )
    else:
        ctx.say("report.which_period", choices=choices, branch=branch.name)


async def open_report(ctx: Context, flow: str, branch: Branch, period: str) -> Opened | None:
    """Say what opening this month's report means (a returned report's comment, a correction's
    window, a late draft, the intro), and return where it resumes; None when it is locked (the
    summary and why are shown, the conversation ends)."""
    report = await ctx.repo(ReportRepository).get_or_create(branch.id, period, ctx.now)
    same = ctx.flow == flow and ctx.data.get("report_id") == report.id
    if same and (ctx.step or "") not in ("branch", "period"):
        return Opened(None, carry_on=True)
    form = form_for(ctx.settings)
    deadline = fmt(ctx).moment(due(period, ctx.settings))
    if report.status == ReportStatus.RETURNED and report.review_comment:
        ctx.say(
            "report.returned_comment", period=period_text(period), comment=report.review_comment
        )
    if lifecycle.correcting(report):
        return await _correct(ctx, report, form, deadline)
    answers = dict(report.answers or {})
    kept = ctx.data.get("kept") if ctx.flow is None else None
    kept = kept if isinstance(kept, dict) and kept.get("report_id") == report.id else {}
    pending = next_question(form, answers)
    question = None if report.status == ReportStatus.RETURNED or pending is None else pending.key
    if question is not None and await _photos_done(ctx, report, form, question, kept):
        question = None
    data: dict[str, Any] = {"report_id": report.id, "former_lines": kept.get("former_lines")}
    if question is not None and question == kept.get("partial_key"):
        data.update(partial=kept.get("partial") or [], partial_key=kept.get("partial_key"))
    if report.status == ReportStatus.DRAFT and ctx.now > due(period, ctx.settings):
        ctx.say("report.late_warning", deadline=deadline)
    if not answers:
        total = len(form.fields)
        ctx.say("report.intro", period=period_text(period), branch=branch.name, total=total)
    elif question is not None:
        ctx.say("report.resuming", period=period_text(period))
    return Opened(question, data)


async def _correct(ctx: Context, report: MonthlyReport, form: Form, deadline: str) -> Opened | None:
    """A sent report is corrected on a copy, until its window closes."""
    if not lifecycle.editable(report, ctx.now, ctx.settings):
        ctx.end_flow()
        working = Working(dict(report.answers or {}), list(report.flags or []))
        ctx.reply(Reply(text=await summary.summary_text(ctx, report, form, working)))
        reason, limit = lifecycle.lock_reason(report, ctx.now, ctx.settings)
        ctx.say(f"report.{reason}", deadline=fmt(ctx).moment(limit))
        return None
    until = fmt(ctx).moment(lifecycle.correctable_until(report, ctx.now, ctx.settings))
    why = await lifecycle.extended_by(ctx.uow, report, ctx.now, ctx.settings)
    ctx.say(render.correction_until_key("report.correct_intro", why), deadline=until)
    copy = {"answers": dict(report.answers or {}), "flags": list(report.flags or [])}
    return Opened(None, {"report_id": report.id, "copy": copy})


async def _photos_done(
    ctx: Context, report: MonthlyReport, form: Form, question: str, kept: dict[str, Any]
) -> bool:
    """Whether a resume that would land on the photo step should go to the summary: the
    secretary already got past it (stopped at the summary) or photos are already there."""
    if form.field(question).type is not FieldType.PHOTOS:
        return False
    if kept.get("step") in (SUMMARY, "pick"):
        return True
    return bool(await ctx.repo(ReportRepository).evidence(report.id))
