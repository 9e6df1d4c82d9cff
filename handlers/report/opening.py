"""Opening a report: which branch, which month, then resume, correct or show it locked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.context import Context
from bot.engine.types import Choice, Reply
from bot.i18n import period_text
from bot.periods import parse_period
from handlers.access import secretary_branches
from handlers.i18n import fmt
from handlers.report import render, summary
from handlers.report.working import FIELD, Working, form_of, next_key
from handlers.reports import lifecycle
from handlers.reports.calendar import current_period, due
from handlers.reports.form import FieldType, Form
from storage.models import Branch, MonthlyReport, ReportStatus
from storage.repositories.reports import ReportRepository

if TYPE_CHECKING:
    from handlers.report.flow import ReportFlow

STATUS_KEYS = {
    ReportStatus.DRAFT: "report.status.draft",
    ReportStatus.SUBMITTED: "report.status.submitted",
    ReportStatus.APPROVED: "report.status.approved",
    ReportStatus.RETURNED: "report.status.returned",
}


def status_text(ctx: Context, report: MonthlyReport | None) -> str:
    """'đã nộp', 'nộp trễ', 'bị trả lại', 'đã duyệt', 'đang soạn' or 'chưa bắt đầu'."""
    if report is None:
        return ctx.t("report.status.not_started")
    if report.status == ReportStatus.SUBMITTED and report.late:
        return ctx.t("report.status.late")
    return ctx.t(STATUS_KEYS.get(ReportStatus(report.status), "report.status.draft"))


async def open_report_command(ctx: Context, flow: ReportFlow, args: str) -> None:
    """/baocao [MM/YYYY]: pick the branch when there are several, then the month."""
    branches = secretary_branches(ctx)
    if not branches:
        ctx.say("common.not_allowed")
        return
    period = None
    if args.strip():
        period = parse_period(args)
        current = current_period(ctx.now, ctx.settings)
        if period is None or period > current:
            ctx.say("report.bad_period", example=period_text(current))
            return
    if len(branches) > 1:
        ctx.goto(flow.name, "branch", {"period": period})
        await ask_choice(ctx, flow)
        return
    await choose_branch(ctx, flow, branches[0], period)


async def choose_branch(ctx: Context, flow: ReportFlow, branch: Branch, period: str | None) -> None:
    """With the branch known: ask the month when several are open, else open the report."""
    if period is None:
        options = await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)
        if len(options) > 1:
            ctx.goto(flow.name, "period", {"branch_id": branch.id})
            await ask_choice(ctx, flow)
            return
        period = options[0][0]
    await open_report(ctx, flow, branch, period)


async def ask_choice(ctx: Context, flow: ReportFlow) -> None:
    """Which branch, or which month."""
    if ctx.step == "branch":
        choices = tuple(Choice(f"rb:{b.id}", b.name) for b in secretary_branches(ctx))
        ctx.say("report.which_branch", choices=choices)
        return
    branch = _branch(ctx, ctx.data.get("branch_id"))
    if branch is None:
        ctx.end_flow()
        ctx.say("report.gone")
        return
    choices = tuple(
        Choice(
            f"rp:{p}",
            ctx.t("report.period_option", period=period_text(p), status=status_text(ctx, r)),
        )
        for p, r in await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)
    )
    ctx.say("report.which_period", choices=choices, branch=branch.name)


async def _photos_done(
    ctx: Context, report: MonthlyReport, form: Form, step: str, kept: dict[str, object]
) -> bool:
    """Whether a resume that would land on the photo step should go to the summary: the
    secretary already got past it (stopped at the summary) or photos are already there."""
    key = step.removeprefix(FIELD)
    if not step.startswith(FIELD) or form.field(key).type is not FieldType.PHOTOS:
        return False
    if kept.get("step") in ("summary", "pick"):
        return True
    return bool(await ctx.repo(ReportRepository).evidence(report.id))


def _branch(ctx: Context, branch_id: object) -> Branch | None:
    """One of this person's branches by id; never another branch's."""
    return next((b for b in secretary_branches(ctx) if b.id == branch_id), None)


async def on_choice(ctx: Context, flow: ReportFlow) -> None:
    """A branch or month picked; only this person's branches and open months are taken."""
    choice = ctx.input.choice or ""
    if ctx.step == "branch" and choice.startswith("rb:") and choice[3:].isdecimal():
        branch = _branch(ctx, int(choice[3:]))
        if branch is not None:
            await choose_branch(ctx, flow, branch, ctx.data.get("period"))
            return
    if ctx.step == "period" and choice.startswith("rp:"):
        branch = _branch(ctx, ctx.data.get("branch_id"))
        periods = (
            [p for p, _ in await lifecycle.open_periods(ctx.uow, branch.id, ctx.now, ctx.settings)]
            if branch
            else []
        )
        if branch is not None and choice[3:] in periods:
            await open_report(ctx, flow, branch, choice[3:])
            return
    ctx.say("report.expect.button")
    await ask_choice(ctx, flow)


async def open_report(ctx: Context, flow: ReportFlow, branch: Branch, period: str) -> None:
    """Resume a draft, show a returned report's comment, correct or show a sent one."""
    report = await ctx.repo(ReportRepository).get_or_create(branch.id, period, ctx.now)
    same = ctx.flow == flow.name and ctx.data.get("report_id") == report.id
    if same and ctx.step not in ("branch", "period"):
        await flow.ask(ctx)  # already working on it: carry on exactly there
        return
    form = form_of(ctx)
    deadline = fmt(ctx).moment(due(period, ctx.settings))
    if report.status == ReportStatus.RETURNED and report.review_comment:
        ctx.say(
            "report.returned_comment", period=period_text(period), comment=report.review_comment
        )
    if lifecycle.correcting(report):
        if not lifecycle.editable(report, ctx.now, ctx.settings):
            ctx.end_flow()
            working = Working(dict(report.answers or {}), list(report.flags or []))
            ctx.reply(Reply(text=await summary.summary_text(ctx, report, form, working)))
            ctx.say(
                "report." + lifecycle.lock_reason(report, ctx.now, ctx.settings), deadline=deadline
            )
            return
        copy = {"answers": dict(report.answers or {}), "flags": list(report.flags or [])}
        ctx.goto(flow.name, "summary", {"report_id": report.id, "copy": copy})
        until = fmt(ctx).moment(lifecycle.correctable_until(report, ctx.now, ctx.settings))
        why = await lifecycle.extended_by(ctx.uow, report, ctx.now, ctx.settings)
        ctx.say(render.correction_until_key("report.correct_intro", why), deadline=until)
        await flow.ask(ctx)
        return
    answers = dict(report.answers or {})
    kept = ctx.data.get("kept") if ctx.flow is None else None
    kept = kept if isinstance(kept, dict) and kept.get("report_id") == report.id else {}
    step = "summary" if report.status == ReportStatus.RETURNED else next_key(form, answers, None)
    if await _photos_done(ctx, report, form, step, kept):
        step = "summary"
    data = {"report_id": report.id, "former_projects": kept.get("former_projects")}
    if step == FIELD + str(kept.get("partial_key")):
        data.update(partial=kept.get("partial") or [], partial_key=kept.get("partial_key"))
    ctx.goto(flow.name, step, data)
    if report.status == ReportStatus.DRAFT and ctx.now > due(period, ctx.settings):
        ctx.say("report.late_warning", deadline=deadline)
    if not answers:
        total = len(form.fields)
        ctx.say("report.intro", period=period_text(period), branch=branch.name, total=total)
    elif step != "summary":
        ctx.say("report.resuming", period=period_text(period))
    await flow.ask(ctx)
