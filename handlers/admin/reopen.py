"""/molai: the district reopens (mở lại) an approved or closed report so the branch can fix it."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.types import Choice
from bot.i18n import period_text
from bot.periods import parse_period
from handlers.access import DistrictRouter
from handlers.i18n import fmt
from handlers.notify.notifier import Notifier
from handlers.reports import lifecycle
from handlers.reports.notices import tell_branch
from storage.models import District, MonthlyReport, ReportStatus
from storage.repositories.ops import OpsRepository
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository

router = DistrictRouter("admin.reopen")

LIST_SIZE = 8
EXAMPLE = "/molai PH-TL-01 2026-11"


@router.district_command(
    "molai", "reopen", help_key="admin.help_reopen", menu_key="admin.menu_reopen"
)
async def reopen_command(ctx: Context, args: str, district: District) -> None:
    """`/molai` lists reports that can be reopened; `/molai <branch code> [YYYY-MM]` reopens one."""
    code, _, rest = args.strip().partition(" ")
    if not code:
        await _offer(ctx, district.id)
        return
    branch = await ctx.repo(OrgRepository).branch_by_code(code)
    # Another district's branch reads exactly like an unknown code: nothing is learned.
    if branch is None or branch.unit.district_id != district.id:
        ctx.say("admin.reopen_unknown", code=code.upper(), example=EXAMPLE)
        return
    period = parse_period(rest) if rest.strip() else None
    if rest.strip() and period is None:
        ctx.say("admin.bad_period", example=EXAMPLE)
        return
    reports = await ctx.repo(ReportRepository).for_branch(branch.id)
    report = next(
        (r for r in reports if (r.period == period if period else r.status != ReportStatus.DRAFT)),
        None,
    )
    if report is None:
        ctx.say("admin.reopen_no_report", branch=branch.name, period=period_text(period or ""))
        return
    full = await ctx.repo(ReportRepository).by_id(report.id)
    assert full is not None
    await _reopen(ctx, full)


async def _offer(ctx: Context, district_id: int) -> None:
    """The district's approved or submitted reports, latest month first, one tap each."""
    reports = await ctx.repo(OpsRepository).reopenable(district_id, LIST_SIZE)
    if not reports:
        ctx.say("admin.reopen_none", example=EXAMPLE)
        return
    choices = tuple(
        Choice(f"mo:{r.id}", f"{r.branch.name} · {period_text(r.period)}") for r in reports
    )
    ctx.say("admin.reopen_pick", example=EXAMPLE, choices=choices)


@router.district_choice("mo", anywhere=True)
async def reopen_chosen(ctx: Context, rest: str, district: District) -> None:
    """A report picked from the /molai list (only one of this district)."""
    report = await ctx.repo(ReportRepository).by_id(int(rest)) if rest.isdigit() else None
    if report is None or report.branch.unit.district_id != district.id:
        ctx.say("common.not_allowed")
        return
    await _reopen(ctx, report)


async def _reopen(ctx: Context, report: MonthlyReport) -> None:
    """Mở lại: the branch may correct and resend the report for the next 7 days."""
    assert ctx.person is not None
    why_not = lifecycle.why_not_reopen(report, ctx.now, ctx.settings)
    if why_not == "already_open":
        status = ctx.t(f"export.status.{report.status}")
        ctx.say("admin.reopen_already_open", branch=report.branch.name, status=status)
        return
    if why_not == "already_reopened" and report.reopened_until is not None:
        ctx.say(
            "admin.reopen_already_reopened",
            branch=report.branch.name,
            period=period_text(report.period),
            until=fmt(ctx).moment(report.reopened_until),
        )
        return
    if why_not == "too_old":
        ctx.say(
            "admin.reopen_too_old", branch=report.branch.name, period=period_text(report.period)
        )
        return
    until = await lifecycle.reopen(ctx.uow, report, by_id=ctx.person.id, now=ctx.now)
    shown = fmt(ctx).moment(until)
    sent = await tell_branch(
        Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now),
        report,
        kind="report_reopened",
        about=(str(report.id), f"{until:%Y%m%d%H%M}"),
        message="admin.reopened_message",
        until=shown,
    )
    key = "admin.reopen_done" if sent else "admin.reopen_done_nobody"
    ctx.say(
        key,
        branch=report.branch.name,
        period=period_text(report.period),
        until=shown,
        count=sent,
    )
