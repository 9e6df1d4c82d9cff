"""Commands of the monthly report: /baocao (start or continue) and /cuatoi (my reports)."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import period_text
from handlers.access import secretary_branches
from handlers.i18n import fmt
from handlers.report import render
from handlers.report.flow import report_flow
from handlers.reports import lifecycle
from handlers.reports.calendar import current_period
from handlers.reports.form import Form, form_for
from handlers.reports.progress import progress
from storage.models import MonthlyReport, ReportStatus, Role
from storage.repositories.reports import ReportRepository

router = Router("report")
router.flow(report_flow)

RECENT = 6  # months shown by /cuatoi per branch


@router.command(
    "baocao",
    "report",
    roles=[Role.SECRETARY],
    help_key="report.help_report",
    menu_key="report.menu_report",
)
async def report_command(ctx: Context, args: str) -> None:
    """Start or continue this month's report (báo cáo tháng)."""
    await report_flow.start(ctx, args)


@router.command(
    "cuatoi",
    "mine",
    roles=[Role.SECRETARY],
    help_key="report.help_mine",
    menu_key="report.menu_mine",
)
async def mine_command(ctx: Context, _args: str) -> None:
    """My branches' reports and where each stands."""
    current = current_period(ctx.now, ctx.settings)
    form = form_for(ctx.settings)
    blocks = []
    for branch in secretary_branches(ctx):
        reports = await ctx.repo(ReportRepository).for_branch(branch.id)
        lines = [ctx.t("report.mine_branch", branch=branch.name)]
        if all(r.period != current for r in reports):
            lines.append(
                ctx.t(
                    "report.mine_line",
                    period=period_text(current),
                    status=render.status_text(ctx, None),
                )
            )
        for report in reports[:RECENT]:
            status = (
                ctx.t("report.status.correcting")
                if _correction_waiting(ctx, report)
                else render.status_text(ctx, report)
            )
            line = ctx.t("report.mine_line", period=period_text(report.period), status=status)
            sent_at = await lifecycle.last_sent_at(ctx.uow, report)
            if sent_at is not None and report.reference:
                line += ctx.t(
                    "report.mine_sent", at=fmt(ctx).moment(sent_at), reference=report.reference
                )
            if report.status == ReportStatus.DRAFT:
                line += _progress(ctx, form, report.answers or {})
            if report.status == ReportStatus.RETURNED and report.review_comment:
                line += "\n   " + ctx.t("report.mine_comment", comment=report.review_comment)
            lines.append(line)
        blocks.append("\n".join(lines))
    ctx.say("report.mine", reports="\n\n".join(blocks))


def _progress(ctx: Context, form: Form, answers: dict[str, Any]) -> str:
    """' — xong, chưa gửi' when only sending is left, else ' — đang ở câu 8/18'."""
    where = progress(form, answers)
    if where.at is None:
        return ctx.t("report.mine_ready")
    return ctx.t("report.mine_progress", n=where.at, total=where.total)


def _correction_waiting(ctx: Context, report: MonthlyReport) -> bool:
    """Whether this chat holds a changed correction of `report` that was not sent yet."""
    copy = ctx.data.get("copy") if ctx.flow == report_flow.name else None
    return (
        ctx.data.get("report_id") == report.id
        and lifecycle.correcting(report)
        and isinstance(copy, dict)
        and not lifecycle.unchanged(report, dict(copy.get("answers", {})))
    )
