"""The summary before sending: every answer on one screen, change any line, send, receipt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.context import Context
from bot.engine.textnorm import plain
from bot.engine.types import Reply
from bot.i18n import period_text
from handlers.i18n import fmt
from handlers.report import answers as parse
from handlers.report import render
from handlers.report.working import (
    FIELD,
    Working,
    flags_for_reader,
    load_working,
    missing_required,
    settle,
)
from handlers.reports import lifecycle
from handlers.reports.calendar import due, period_bounds, today
from handlers.reports.checks import check_all
from handlers.reports.form import Form
from storage.models import MonthlyReport
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository

if TYPE_CHECKING:
    from handlers.report.flow import ReportFlow


async def summary_text(ctx: Context, report: MonthlyReport, form: Form, working: Working) -> str:
    """Heading, numbered answers, photo counts and the district's notes."""
    branch = await ctx.repo(OrgRepository).branch(report.branch_id)
    evidence = await ctx.repo(ReportRepository).evidence(report.id)
    heading = render.heading(ctx, report.period, branch.name if branch else "")
    flags = flags_for_reader(ctx, form, working)
    return render.summary_text(ctx, form, working.answers, flags, evidence, heading)


async def show(ctx: Context, report: MonthlyReport, form: Form, working: Working) -> None:
    """The summary with its three choices: send, change a line, later."""
    text = await summary_text(ctx, report, form, working)
    correcting = lifecycle.correcting(report)
    send = "report.send_correction" if correcting else "report.send"
    prompt = "report.summary_prompt_correction" if correcting else "report.summary_prompt"
    choices = (
        ctx.choice("s:send", send),
        ctx.choice("s:edit", "report.change"),
        ctx.choice("s:later", "report.later"),
    )
    ctx.reply(Reply(text=text + "\n\n" + ctx.t(prompt), choices=choices))


async def on_input(ctx: Context, flow: ReportFlow, report: MonthlyReport, form: Form) -> None:
    """Send, change a line, or later."""
    choice = ctx.input.choice
    if choice is None and plain(ctx.input.text or "") in _send_words(ctx):
        choice = "s:send"  # "gui bao cao" typed while the button says "Gửi bản sửa"
    if choice == "s:send":
        await send(ctx, flow, report, form)
    elif choice == "s:edit":
        await flow.goto(ctx, "pick")
    elif choice == "s:later":
        await flow.cancel(ctx)
    else:
        ctx.say("report.expect.button")
        await flow.ask(ctx)


def _send_words(ctx: Context) -> set[str]:
    """Typed words that mean "send", whichever of the two send buttons is shown."""
    return {plain(ctx.t("report.send")), plain(ctx.t("report.send_correction"))}


async def on_pick(ctx: Context, flow: ReportFlow, report: MonthlyReport, form: Form) -> None:
    """The number of the summary line to change."""
    questions = form.applicable(load_working(ctx, report).answers)
    try:
        number = parse.parse_int(ctx.input.text)
    except parse.Unreadable:
        number = 0
    if not 1 <= number <= len(questions):
        ctx.say("report.expect.pick", total=len(questions))
        await flow.ask(ctx)
        return
    await flow.goto(ctx, FIELD + questions[number - 1].key, editing=True, picked=[])


async def send(ctx: Context, flow: ReportFlow, report: MonthlyReport, form: Form) -> None:
    """Check everything once more, then submit and give the receipt."""
    if not lifecycle.editable(report, ctx.now, ctx.settings):
        ctx.end_flow()
        deadline = fmt(ctx).moment(due(report.period, ctx.settings))
        ctx.say("report." + lifecycle.lock_reason(report, ctx.now, ctx.settings), deadline=deadline)
        return
    working = settle(ctx, form, load_working(ctx, report))
    missing = missing_required(form, working.answers)
    if missing is not None:
        ctx.say("report.missing", label=ctx.t(form.field(missing).label_key))
        await flow.goto(ctx, FIELD + missing, editing=True)
        return
    first, last = period_bounds(report.period, ctx.settings)
    refused = check_all(
        form,
        working.answers,
        period_first=first,
        period_last=last,
        today=today(ctx.now, ctx.settings),
    )
    if refused is not None:
        key, problem = refused
        ctx.say(problem.key, **problem.values)
        await flow.goto(ctx, FIELD + key, editing=True)
        return
    until = fmt(ctx).moment(lifecycle.correctable_until(report, ctx.now, ctx.settings))
    if lifecycle.correcting(report) and lifecycle.unchanged(report, working.answers):
        ctx.end_flow()  # nothing to record: no revision, the sent report stays as it is
        ctx.say("report.no_change", deadline=until)
        return
    branch = await ctx.repo(OrgRepository).branch(report.branch_id)
    assert branch is not None
    receipt = await lifecycle.submit(
        ctx.uow,
        report,
        branch,
        answers=working.answers,
        flags=working.flags,
        form_version=form.version,
        by_id=ctx.person.id if ctx.person else None,
        now=ctx.now,
        settings=ctx.settings,
    )
    ctx.end_flow()
    ctx.say(
        "report.receipt_correction" if receipt.correction else "report.receipt",
        period=period_text(receipt.period),
        at=fmt(ctx).moment(receipt.at),
        reference=receipt.reference,
        revision=receipt.revision,
    )
    if receipt.late and not receipt.correction:
        deadline = fmt(ctx).moment(due(report.period, ctx.settings))
        ctx.say("report.receipt_late", deadline=deadline)
    elif lifecycle.editable(report, ctx.now, ctx.settings):
        # The same date the correction screen gave (a reopening may run past the deadline),
        # and why it is later than the deadline when it is.
        why = await lifecycle.extended_by(ctx.uow, report, ctx.now, ctx.settings)
        ctx.say(render.correction_until_key("report.receipt_until", why), deadline=until)
    else:
        ctx.say("report.receipt_final")
